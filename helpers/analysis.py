"""Error analysis: learning curves from Trainer logs, word-label confusion, span error kinds, highlighted HTML.

Spans follow conlleval (as seqeval computes them), so the error counts here add up to the scores of
``helpers.span_scores``: every gold span not predicted exactly is one false negative, every predicted span
not in the gold is one false positive.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .display import highlight_entities
from .labels import entity_spans, split_tag

Span = tuple[str, int, int]  # (type, first word, last word exclusive)

#: error kinds in the order tables list them
ERROR_KINDS: tuple[str, ...] = ("wrong_type", "boundary", "boundary_and_type", "missed", "spurious")
#: keys of the last entry Trainer logs (the run summary), left out of learning curves
_SUMMARY_KEYS = ("train_runtime", "train_loss", "total_flos")


# --- learning curves -------------------------------------------------------------------------------------


def log_history_frame(log_history: Sequence[Mapping]) -> pd.DataFrame:
    """``trainer.state.log_history`` as a table with one row per logged step (training and evaluation merged).

    Columns are the logged names (``loss``, ``learning_rate``, ``eval_loss``, ``eval_overall_f1``, ...);
    a value not logged at a step is NaN. The end-of-run summary entry is left out.
    """
    rows = [dict(e) for e in log_history if "step" in e and not any(k in e for k in _SUMMARY_KEYS)]
    if not rows:
        return pd.DataFrame(columns=["epoch"]).rename_axis("step")
    frame = pd.DataFrame(rows)
    numeric = frame.drop(columns="step").apply(pd.to_numeric, errors="coerce")
    numeric["step"] = frame["step"].astype(int)
    return numeric.groupby("step").last().sort_index()


def plot_learning_curve(
    df: pd.DataFrame, ax=None, *, metric: str = "eval_overall_f1", title: str | None = None
):
    """Training loss (left axis) and a validation metric (right axis) against the step; returns the left axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    if "loss" in df:
        loss = df["loss"].dropna()
        ax.plot(loss.index, loss.values, "o-", color="tab:blue", label="training loss")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss", color="tab:blue")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = ax.get_legend_handles_labels()
    if metric in df:
        name = "validation " + metric.removeprefix("eval_").removeprefix("overall_").replace("_", " ")
        right = ax.twinx()
        values = df[metric].dropna()
        right.plot(values.index, values.values, "s--", color="tab:orange", label=name)
        right.set_ylabel(name, color="tab:orange")
        right.set_ylim(-0.02, 1.02)
        more_h, more_l = right.get_legend_handles_labels()
        handles, labels = handles + more_h, labels + more_l
    if handles:
        ax.legend(handles, labels, loc="center right", fontsize="small")
    ax.set_title(title or "Learning curve")
    return ax


# --- score tables ----------------------------------------------------------------------------------------


def per_type_frame(result: Mapping) -> pd.DataFrame:
    """Per-type precision, recall, F1 and support of a ``span_scores`` result, plus an ``overall`` row.

    The overall row holds the micro-averaged scores and the total support.
    """
    rows = {name: dict(scores) for name, scores in result["per_type"].items()}
    columns = ["precision", "recall", "f1", "number"]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    total = int(frame["number"].sum()) if len(frame) else 0
    overall = [result[f"overall_{k}"] for k in ("precision", "recall", "f1")]
    frame.loc["overall"] = [*overall, total]
    return frame.astype({"number": int})


# --- word-label confusion --------------------------------------------------------------------------------


def _flatten(sentences: Sequence[Sequence[str]] | Sequence[str]) -> list[str]:
    if sentences and not isinstance(sentences[0], str):
        return [t for s in sentences for t in s]
    return list(sentences)


def _type_of(tag: str) -> str:
    prefix, typ = split_tag(tag)
    return typ if prefix not in ("O", "") else tag


def confusion(
    gold_tags: Sequence[Sequence[str]] | Sequence[str],
    pred_tags: Sequence[Sequence[str]] | Sequence[str],
    labels: Sequence[str] | None = None,
    *,
    by_type: bool = True,
    normalize: bool = True,
) -> pd.DataFrame:
    """Confusion of word labels: rows gold, columns predicted, each row summing to 1 when ``normalize``.

    Tags may be flat or one list per sentence. With ``by_type`` ``B-X``/``I-X`` count as ``X`` (so rows are
    the entity types and ``O``). ``labels`` fixes the order (default: types sorted, then ``O``); a tag outside
    ``labels`` raises ``ValueError``. A row with no gold words stays all zero.
    """
    gold, pred = _flatten(gold_tags), _flatten(pred_tags)
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold tags but {len(pred)} predicted")
    if by_type:
        gold, pred = [_type_of(t) for t in gold], [_type_of(t) for t in pred]
    if labels is None:
        seen = set(gold) | set(pred)
        labels = sorted(seen - {"O"}) + (["O"] if "O" in seen else [])
    labels = list(labels)
    index = {name: i for i, name in enumerate(labels)}
    unknown = sorted((set(gold) | set(pred)) - set(index))
    if unknown:
        raise ValueError(f"tags {unknown} are not in labels {labels}")
    counts = np.zeros((len(labels), len(labels)), dtype=float if normalize else int)
    for g, p in zip(gold, pred, strict=True):
        counts[index[g], index[p]] += 1
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        counts = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    frame = pd.DataFrame(counts, index=labels, columns=labels)
    frame.index.name, frame.columns.name = "gold", "predicted"
    return frame


def plot_confusion(df: pd.DataFrame, ax=None, *, title: str | None = None, fmt: str = "{:.2f}"):
    """Draw a confusion table as a heat map with the value in each cell; returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        size = 1.0 + 0.6 * len(df)
        _, ax = plt.subplots(figsize=(size + 0.8, size))
    values = df.to_numpy(dtype=float)
    top = values.max() if values.size and values.max() > 0 else 1.0
    ax.imshow(values, cmap="Blues", vmin=0, vmax=top)
    ax.set_xticks(range(len(df.columns)), [str(c) for c in df.columns])
    ax.set_yticks(range(len(df.index)), [str(i) for i in df.index])
    ax.set_xlabel(df.columns.name or "predicted")
    ax.set_ylabel(df.index.name or "gold")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(
                j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize="small",
                color="white" if values[i, j] > 0.6 * top else "black",
            )  # fmt: skip
    ax.set_title(title or "Word labels (rows: gold)")
    return ax


# --- span errors -----------------------------------------------------------------------------------------


def spans(tags: Sequence[str]) -> set[Span]:
    """Entity spans of one sentence as a set, ``{(type, start, end_exclusive)}`` (:func:`helpers.labels.entity_spans`).

    A span opens at ``B-X``, at ``I-X`` after ``O`` or after another type, and closes before the next opening.

    >>> sorted(spans(["B-PER", "I-PER", "O", "I-LOC"]))
    [('LOC', 3, 4), ('PER', 0, 2)]
    """
    return set(entity_spans(tags))


@dataclass(frozen=True)
class ErrorCase:
    """One span error in sentence ``sentence``: the gold and/or predicted span involved, and their words."""

    sentence: int
    kind: str
    gold: Span | None
    pred: Span | None
    gold_text: str = ""
    pred_text: str = ""

    def describe(self) -> str:
        """A short human-readable line: ``'New York' LOC -> 'York' LOC``."""
        left = f"{self.gold_text!r} {self.gold[0]}" if self.gold else "-"
        right = f"{self.pred_text!r} {self.pred[0]}" if self.pred else "-"
        return f"{left} -> {right}"


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[2], b[2]) - max(a[1], b[1]))


def _pair_kind(gold: Span, pred: Span) -> str:
    if (gold[1], gold[2]) == (pred[1], pred[2]):
        return "wrong_type"
    return "boundary" if gold[0] == pred[0] else "boundary_and_type"


def sentence_errors(
    gold_tags: Sequence[str], pred_tags: Sequence[str]
) -> list[tuple[str, Span | None, Span | None]]:
    """Errors of one sentence as ``(kind, gold_span, pred_span)``, in gold order then spurious ones.

    Exact matches are correct. Each remaining gold span is paired with at most one overlapping remaining
    predicted span, preferring the same boundaries (``wrong_type``), then the same type (``boundary``), then
    any (``boundary_and_type``), then the largest overlap; unpaired gold spans are ``missed``, unpaired
    predicted spans ``spurious``.
    """
    if len(gold_tags) != len(pred_tags):
        raise ValueError(f"{len(gold_tags)} gold tags but {len(pred_tags)} predicted")
    gold, pred = spans(gold_tags), spans(pred_tags)
    gold_left = sorted(gold - pred, key=lambda s: (s[1], s[2], s[0]))
    pred_left = sorted(pred - gold, key=lambda s: (s[1], s[2], s[0]))
    rank = {kind: i for i, kind in enumerate(ERROR_KINDS)}
    used: set[Span] = set()
    out: list[tuple[str, Span | None, Span | None]] = []
    for g in gold_left:
        options = [p for p in pred_left if p not in used and _overlap(g, p) > 0]
        if not options:
            out.append(("missed", g, None))
            continue
        best = min(options, key=lambda p: (rank[_pair_kind(g, p)], -_overlap(g, p), p[1]))
        used.add(best)
        out.append((_pair_kind(g, best), g, best))
    out.extend(("spurious", None, p) for p in pred_left if p not in used)
    return out


def classify_errors(
    gold_sentences: Sequence[Sequence[str]],
    pred_sentences: Sequence[Sequence[str]],
    tokens: Sequence[Sequence[str]] | None = None,
) -> list[ErrorCase]:
    """Every span error of a corpus (see ``sentence_errors``), with the words of each span when ``tokens`` given."""
    if len(gold_sentences) != len(pred_sentences):
        raise ValueError(f"{len(gold_sentences)} gold sentences but {len(pred_sentences)} predicted")
    cases = []
    for i, (g, p) in enumerate(zip(gold_sentences, pred_sentences, strict=True)):
        words = list(tokens[i]) if tokens is not None else []
        for kind, gs, ps in sentence_errors(g, p):
            cases.append(ErrorCase(i, kind, gs, ps, _span_text(words, gs), _span_text(words, ps)))
    return cases


def _span_text(words: Sequence[str], span: Span | None) -> str:
    return " ".join(words[span[1] : span[2]]) if span else ""


def cases_frame(cases: Iterable[ErrorCase]) -> pd.DataFrame:
    """One row per error: sentence, kind, gold/predicted type, start, end and text."""
    rows = []
    for c in cases:
        row = {"sentence": c.sentence, "kind": c.kind}
        for side, span, text in (("gold", c.gold, c.gold_text), ("pred", c.pred, c.pred_text)):
            row[f"{side}_type"] = span[0] if span else None
            row[f"{side}_start"] = span[1] if span else None
            row[f"{side}_end"] = span[2] if span else None
            row[f"{side}_text"] = text
        rows.append(row)
    columns = ["sentence", "kind"] + [
        f"{s}_{k}" for s in ("gold", "pred") for k in ("type", "start", "end", "text")
    ]
    return pd.DataFrame(rows, columns=columns)


def error_summary(cases: Sequence[ErrorCase], examples: int = 2) -> pd.DataFrame:
    """Count, share and the first few examples of each error kind (every kind listed, most frequent first)."""
    counts = Counter(c.kind for c in cases)
    total = sum(counts.values())
    rows = []
    for kind in ERROR_KINDS:
        shown = [c.describe() for c in cases if c.kind == kind][:examples]
        rows.append(
            {
                "kind": kind,
                "count": counts[kind],
                "share": counts[kind] / total if total else 0.0,
                "examples": "; ".join(shown),
            }
        )
    frame = pd.DataFrame(rows)
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["count"], i))
    return frame.iloc[order].set_index("kind")


def error_counts_consistent(cases: Sequence[ErrorCase], scores: Mapping, n_gold: int, n_pred: int) -> bool:
    """True when the error kinds add up to the false negatives and false positives behind ``span_scores``."""
    counts = Counter(c.kind for c in cases)
    paired = counts["wrong_type"] + counts["boundary"] + counts["boundary_and_type"]
    fn, fp = paired + counts["missed"], paired + counts["spurious"]
    tp_from_recall = scores["overall_recall"] * n_gold
    tp_from_precision = scores["overall_precision"] * n_pred
    return bool(
        np.isclose(n_gold - fn, tp_from_recall)
        and (n_pred == 0 or np.isclose(n_pred - fp, tp_from_precision))
    )


# --- highlighted text (one highlighter: helpers.display.highlight_entities) ----------------------------


def compare_html(
    sentences: Sequence[tuple[Sequence[str], Sequence[str], Sequence[str]]],
    headers: tuple[str, str] = ("gold", "predicted"),
) -> str:
    """A two-column HTML table, gold beside predicted, for ``(tokens, gold_tags, pred_tags)`` triples.

    Spans missing on the other side get a dashed red border.
    """
    cell = 'style="text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #e5e7eb"'
    head = "".join(f"<th {cell}>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        f"<tr><td {cell}>{highlight_entities(tokens, gold, pred)}</td>"
        f"<td {cell}>{highlight_entities(tokens, pred, gold)}</td></tr>"
        for tokens, gold, pred in sentences
    )
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{body}</table>'


# --- what casing carries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseOnlyCount:
    """How many entities of a split an uncased tokenizer would read like non-entity words seen in training."""

    entities: int  # entities in the split scored
    some_word: int  # entities with at least one word that differs from a non-entity word only by case
    every_word: int  # entities whose every word does
    examples: list[tuple[str, int]]  # the commonest entities of the second kind, with their counts


def case_only_entities(
    train_words: Sequence[Sequence[str]],
    train_tags: Sequence[Sequence[str]],
    words: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    examples: int = 8,
) -> CaseOnlyCount:
    """Count entities whose words occur outside entities in training only in another letter case.

    A word counts when its exact form never occurs tagged ``O`` in training but its lower-cased form does
    (``Labour`` the party vs ``labour``): lower-casing, as an uncased vocabulary does, makes it look like
    a non-entity word the model has seen.

    >>> c = case_only_entities([["the", "labour", "party"]], [["O", "O", "O"]], [["Labour", "won"]], [["B-ORG", "O"]])
    >>> (c.entities, c.some_word, c.every_word, c.examples)
    (1, 1, 1, [('Labour', 1)])
    """
    outside: set[str] = set()
    for sentence, sentence_tags in zip(train_words, train_tags, strict=True):
        outside.update(w for w, t in zip(sentence, sentence_tags, strict=True) if t == "O")
    lowered = {w.lower() for w in outside}
    entities = some = every = 0
    found: Counter[str] = Counter()
    for sentence, sentence_tags in zip(words, tags, strict=True):
        for _, start, end in entity_spans(sentence_tags):
            entities += 1
            flags = [w not in outside and w.lower() in lowered for w in sentence[start:end]]
            some += any(flags)
            if all(flags):
                every += 1
                found[" ".join(sentence[start:end])] += 1
    return CaseOnlyCount(entities, some, every, found.most_common(examples))
