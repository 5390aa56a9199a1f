"""Display helpers for the lessons: words and tags as HTML, subword-alignment tables, corpus statistics, plots.

Nothing here changes data; every function only counts, formats or draws, so the notebooks stay short.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from .align import IGNORE_INDEX, NO_WORD, align_labels, require_fast_tokenizer
from .labels import b_to_i_map, entity_spans, split_tag  # lessons call entity_spans as show.entity_spans
from .spans import join_words

#: background colour of each CoNLL-2003 entity type (other types get ``OTHER_COLOR``)
ENTITY_COLORS: dict[str, str] = {"PER": "#fde2e4", "ORG": "#dbeafe", "LOC": "#dcfce7", "MISC": "#fef3c7"}
OTHER_COLOR = "#ede9fe"
IGNORED_COLOR = "#e5e7eb"  # cells holding -100
IGNORED_NAME = "-100"  # how an ignored position is shown where label names are expected
_CELL = "border:1px solid #d1d5db;padding:2px 6px;text-align:center;color:#111;white-space:nowrap"
_ERROR_BORDER = "2px dashed #dc2626"


def count_entities(tags: Sequence[str]) -> int:
    """Number of entities in an IOB tag sequence: ``count_entities(["B-PER", "B-PER"]) == 2``."""
    return len(entity_spans(tags))


def ids_to_names(label_ids: Sequence[int], names: Sequence[str]) -> list[str]:
    """Label ids to names, with -100 shown as ``"-100"``: ``ids_to_names([1, -100], ["O", "B-PER"])``."""
    return [IGNORED_NAME if i == IGNORE_INDEX else names[i] for i in label_ids]


def tag_color(tag: str) -> str | None:
    """Background colour for a tag: by entity type for ``B-X``/``I-X``, grey for -100, None otherwise."""
    if tag == IGNORED_NAME:
        return IGNORED_COLOR
    prefix, typ = split_tag(tag)
    if prefix not in ("O", ""):
        return ENTITY_COLORS.get(typ, OTHER_COLOR)
    return None


def highlight_entities(
    words: Sequence[str], tags: Sequence[str], reference: Sequence[str] | None = None
) -> str:
    """The sentence as HTML text with each entity in a box coloured by type, its type as a subscript.

    With ``reference`` tags (e.g. the gold ones), entities not found exactly there get a dashed red border.
    """
    if len(words) != len(tags):
        raise ValueError(f"{len(words)} words but {len(tags)} tags")
    marked = entity_spans(tags)
    wrong = set(marked) - set(entity_spans(reference)) if reference is not None else set()
    starts = {start: (typ, end) for typ, start, end in marked}
    text, offsets = join_words(words)  # no spaces between Chinese/Japanese characters

    def between(a: int, b: int) -> str:  # the text from word a to word b (exclusive)
        return text[offsets[a][0] : offsets[b - 1][1]]

    parts, i = [], 0
    while i < len(words):
        if i:
            parts.append(text[offsets[i - 1][1] : offsets[i][0]])
        if i not in starts:
            parts.append(html.escape(words[i]))
            i += 1
            continue
        typ, end = starts[i]
        colour = ENTITY_COLORS.get(typ, OTHER_COLOR)
        border = f";border:{_ERROR_BORDER}" if (typ, i, end) in wrong else ""
        parts.append(
            f'<span style="background:{colour};color:#111;padding:1px 4px;border-radius:4px{border}">'
            f"{html.escape(between(i, end))} "
            f'<sub style="font-size:70%;font-weight:bold">{html.escape(typ)}</sub></span>'
        )
        i = end
    return '<div style="line-height:2">' + "".join(parts) + "</div>"


def tags_table_html(words: Sequence[str], rows: Mapping[str, Sequence[str]]) -> str:
    """A horizontal HTML table: one column per word, then one row per named tag sequence (entity tags coloured)."""
    for name, tags in rows.items():
        if len(tags) != len(words):
            raise ValueError(f"row {name!r} has {len(tags)} tags for {len(words)} words")

    def cell(text: str, colour: str | None = None, head: bool = False) -> str:
        tag = "th" if head else "td"
        background = f";background:{colour}" if colour else ""
        return f'<{tag} style="{_CELL}{background}">{html.escape(str(text))}</{tag}>'

    lines = ["<tr>" + cell("word", head=True) + "".join(cell(w, head=True) for w in words) + "</tr>"]
    for name, tags in rows.items():
        lines.append("<tr>" + cell(name, head=True) + "".join(cell(t, tag_color(t)) for t in tags) + "</tr>")
    return (
        '<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:85%">'
        + "".join(lines)
        + "</table></div>"
    )


def examples_html(
    split, indices: Sequence[int], columns: Sequence[str] = ("ner_tags", "pos_tags", "chunk_tags")
) -> str:
    """HTML showing sentences of a ``Dataset`` split: highlighted entities, then a table of tag names per word."""
    blocks = []
    for index in indices:
        example = split[int(index)]
        words = example["tokens"]
        rows = {col: split.features[col].feature.int2str(example[col]) for col in columns}
        ner = rows.get("ner_tags")
        head = f'<p style="margin:8px 0 2px"><b>#{int(index)}</b> ({len(words)} words)</p>'
        text = highlight_entities(words, ner) if ner is not None else ""
        blocks.append(head + text + tags_table_html(words, rows))
    return "".join(blocks)


def tag_counts(split, column: str) -> pd.Series:
    """How often each label of a tag column occurs in a split, indexed by name in label-id order (zeros kept)."""
    names = split.features[column].feature.names
    counts = [0] * len(names)
    for tags in split[column]:
        for t in tags:
            counts[t] += 1
    return pd.Series(counts, index=names, name=column)


def sentence_lengths(split) -> list[int]:
    """Number of words of every sentence of a split."""
    return [len(tokens) for tokens in split["tokens"]]


def entity_lengths(split, column: str = "ner_tags") -> pd.DataFrame:
    """One row per entity of a split: its ``type`` and its ``length`` in words."""
    names = split.features[column].feature.names
    rows = [
        (typ, end - start)
        for tags in split[column]
        for typ, start, end in entity_spans([names[t] for t in tags])
    ]
    return pd.DataFrame(rows, columns=["type", "length"])


def inline_plots() -> None:
    """Draw matplotlib figures inside the notebook even where ``MPLBACKEND=Agg`` is set (as in CI runs).

    Switches an IPython kernel to the inline backend; does nothing outside one. Returns nothing, so a
    lesson's import cell that ends with this call shows no output.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    shell.run_line_magic("matplotlib", "inline")


def plot_tag_counts(counts: pd.Series, ax=None, *, title: str | None = None, log: bool = True):
    """Bar chart of ``tag_counts`` (entity tags coloured by type, log scale by default); returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    colours = [tag_color(str(t)) or "#9ca3af" for t in counts.index]
    ax.bar([str(t) for t in counts.index], counts.values, color=colours, edgecolor="#374151", linewidth=0.5)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("tag")
    ax.set_ylabel("count" + (" (log scale)" if log else ""))
    ax.set_title(title or f"{counts.name or 'tag'} counts")
    ax.tick_params(axis="x", rotation=90 if len(counts) > 12 else 0)
    return ax


def plot_length_histogram(
    lengths: Mapping[str, Sequence[int]], ax=None, *, xlabel: str, title: str = "", max_len: int | None = None
):
    """Overlaid histograms (one per named series, as shares so splits of any size compare); returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    longest = max((max(v) for v in lengths.values() if len(v)), default=1)
    top = min(longest, max_len) if max_len else longest
    bins = range(1, top + 2)
    for name, values in lengths.items():
        shown = [min(v, top) for v in values]
        weights = [1 / len(shown)] * len(shown) if shown else None
        ax.hist(shown, bins=bins, weights=weights, histtype="step", linewidth=1.5, label=name, align="left")
    ax.set_xlabel(xlabel + (f" (>= {top} pooled)" if top < longest else ""))
    ax.set_ylabel("share")
    ax.set_title(title)
    ax.legend()
    return ax


def alignment_frame(
    tokenizer,
    words: Sequence[str],
    word_labels: Sequence[int],
    label_names: Sequence[str],
    *,
    max_length: int | None = None,
    classic: bool = False,
) -> pd.DataFrame:
    """One row per subtoken: ``subtoken``, ``word_id``, ``word`` and its label name under each labelling strategy.

    Columns ``first subtoken`` and ``all subtokens`` use ``helpers.align_labels`` (the latter with ``B-X → I-X``);
    ``classic=True`` adds ``all, B copied``, the classic notebook's rule that copies ``B-X`` to continuations.
    """
    require_fast_tokenizer(tokenizer)
    kwargs = {"truncation": True, "max_length": max_length} if max_length else {}
    enc = tokenizer(list(words), is_split_into_words=True, **kwargs)
    word_ids = enc.word_ids()
    columns = {
        "subtoken": tokenizer.convert_ids_to_tokens(enc["input_ids"]),
        "word_id": [None if w is None else int(w) for w in word_ids],
        "word": ["" if w is None else words[w] for w in word_ids],
        "first subtoken": ids_to_names(align_labels(word_ids, word_labels), label_names),
        "all subtokens": ids_to_names(
            align_labels(word_ids, word_labels, label_all_tokens=True, b_to_i=b_to_i_map(label_names)),
            label_names,
        ),
    }
    if classic:
        copied = align_labels(
            word_ids, word_labels, label_all_tokens=True, b_to_i=list(range(len(label_names)))
        )
        columns["all, B copied"] = ids_to_names(copied, label_names)
    return pd.DataFrame(columns, dtype=object)


def style_alignment(frame: pd.DataFrame):
    """A pandas ``Styler`` of ``alignment_frame``: entity labels coloured by type, -100 in grey."""

    def colour(value) -> str:
        c = tag_color(value) if isinstance(value, str) else None
        return f"background-color:{c};color:#111" if c else ""

    label_columns = [c for c in frame.columns if c not in ("subtoken", "word_id", "word")]
    return frame.style.map(colour, subset=label_columns).format(na_rep="None").hide(axis="index")


def entity_counts_by_strategy(split, tokenizer, column: str = "ner_tags") -> dict[str, int]:
    """Entities counted in a split's gold labels per word, and per subtoken under each labelling strategy.

    Subtoken-level counts read the aligned labels left to right, skipping -100, as a scorer of subtokens would:
    copying ``B-X`` onto continuation subtokens turns one split word into several entities.
    """
    require_fast_tokenizer(tokenizer)
    names = split.features[column].feature.names
    b_to_i, identity = b_to_i_map(names), list(range(len(names)))
    enc = tokenizer([list(t) for t in split["tokens"]], is_split_into_words=True, truncation=True)
    counts = {"words": 0, "first subtoken": 0, "all subtokens (B→I)": 0, "all subtokens (B copied)": 0}
    for i, labels in enumerate(split[column]):
        wids = enc.word_ids(i)
        counts["words"] += count_entities([names[t] for t in labels])
        for key, kwargs in (
            ("first subtoken", {}),
            ("all subtokens (B→I)", {"label_all_tokens": True, "b_to_i": b_to_i}),
            ("all subtokens (B copied)", {"label_all_tokens": True, "b_to_i": identity}),
        ):
            aligned = [names[t] for t in align_labels(wids, labels, **kwargs) if t != IGNORE_INDEX]
            counts[key] += count_entities(aligned)
    return counts


def word_ids_for_display(word_ids: Sequence[int | None]) -> list[int | None]:
    """``word_ids`` as stored in a tokenized dataset (-1 for special tokens) turned back to None for display."""
    return [None if w is None or w == NO_WORD else int(w) for w in word_ids]
