"""Words from character tags (BMES): word segmentation as token classification, and its bakeoff scores.

Scripts written without spaces between words (Chinese, Japanese, Thai) are segmented by tagging each
token (a character, or a Latin word or number kept whole by :func:`helpers.spans.split_words`) with
its place in its word: ``B`` begins a word of several tokens, ``M`` is inside it, ``E`` ends it, ``S`` is
a word on its own. Plain segmentation uses the four labels ``B-W M-W E-W S-W`` (``W``: word), so a word
is a span of type ``W`` for the course's span machinery (seqeval F1, constrained decoding); joint
segmentation and POS tagging types each tag with the word's POS (``B-n M-n E-n``, ``S-v``).

- :func:`word_tags`: segmented words to tokens and tags; :func:`word_spans` / :func:`tags_to_words`: back;
- :func:`segment` / :func:`words_of`: raw text to words with exact character offsets, through a ``Tagger``;
- :func:`segmentation_scores`: the SIGHAN bakeoffs' word precision, recall, F1, OOV and IV recall, and
  POS accuracy on correctly segmented words.

The Chinese corpora and file readers are in :mod:`helpers.zh.segmentation`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .labels import split_tag
from .spans import halfwidth_alnum, split_words

WORD_TYPE = "W"
BMES = "BMES"
#: the labels of plain segmentation
WORD_LABELS: list[str] = [f"{p}-{WORD_TYPE}" for p in BMES]


def is_segmentation_labels(labels: Iterable[str]) -> bool:
    """True for a BMES label set (segmentation, or joint segmentation + POS): every label ``B-``/``M-``/``E-``/``S-``.

    >>> is_segmentation_labels(WORD_LABELS), is_segmentation_labels(["O", "B-PER", "I-PER"])
    (True, False)
    """
    labels = list(labels)
    return bool(labels) and all(split_tag(t)[0] in tuple(BMES) for t in labels)


def joint_labels(pos_tags: Iterable[str]) -> list[str]:
    """The labels of joint segmentation + POS: ``B- M- E- S-`` of every POS tag, tags in the given order.

    >>> joint_labels(["n", "v"])
    ['B-n', 'M-n', 'E-n', 'S-n', 'B-v', 'M-v', 'E-v', 'S-v']
    """
    return [f"{p}-{t}" for t in pos_tags for p in BMES]


def word_tags(words: Sequence[str], pos: Sequence[str] | None = None) -> tuple[list[str], list[str]]:
    """Tokens of a segmented sentence and their BMES tags (typed by ``pos``, else ``W``).

    Tokens are :func:`helpers.spans.split_words` of each word: a Latin word or number inside a word stays
    one token. A word with no token (empty or blank) raises ``ValueError``.

    >>> word_tags(["我们", "爱", "iPhone手机"], ["r", "v", "n"])
    (['我', '们', '爱', 'iPhone', '手', '机'], ['B-r', 'E-r', 'S-v', 'B-n', 'M-n', 'E-n'])
    """
    tokens: list[str] = []
    tags: list[str] = []
    for k, word in enumerate(words):
        pieces = [w for w, _, _ in split_words(word)]
        if not pieces:
            raise ValueError(f"word {k + 1} ({word!r}) has no character to tag")
        typ = pos[k] if pos is not None else WORD_TYPE
        n = len(pieces)
        prefixes = "S" if n == 1 else "B" + "M" * (n - 2) + "E"
        tokens += pieces
        tags += [f"{p}-{typ}" for p in prefixes]
    return tokens, tags


def word_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Words as token spans ``(start, end, type)`` read from BMES tags, whatever the tags say: a word
    starts at ``B``/``S``, after an ``E``/``S``, and at the first token; it takes the type of its first tag.

    Every token is in exactly one word, so an invalid sequence (argmax may write ``E`` after ``E``) still
    segments the whole text. ``O`` and IOB2 tags are read the same way (``I`` as ``M``).

    >>> word_spans(["B-n", "E-n", "S-v", "M-n", "E-n"])
    [(0, 2, 'n'), (2, 3, 'v'), (3, 5, 'n')]
    """
    spans: list[tuple[int, int, str]] = []
    start, typ = 0, ""
    for i, tag in enumerate(tags):
        prefix, t = split_tag(tag)
        previous = split_tag(tags[i - 1])[0] if i else ""
        if i and (prefix in ("B", "S", "O", "U") or previous in ("E", "S", "O", "L", "U")):
            spans.append((start, i, typ))
            start = i
        if i == start:
            typ = t
    if tags:
        spans.append((start, len(tags), typ))
    return spans


def tags_to_words(tokens: Sequence[str], tags: Sequence[str]) -> tuple[list[str], list[str]]:
    """Words (tokens joined) and their types (``W`` for plain segmentation) from BMES tags (:func:`word_spans`).

    >>> tags_to_words(["我", "们", "爱"], ["B-W", "E-W", "S-W"])
    (['我们', '爱'], ['W', 'W'])
    """
    spans = word_spans(tags)
    return ["".join(tokens[s:e]) for s, e, _ in spans], [t for _, _, t in spans]


# --------------------------------------------------------------------------------------------------
# scoring, as the SIGHAN bakeoffs do


def _spans(words: Sequence[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for w in words:
        out.append((pos, pos + len(w)))
        pos += len(w)
    return out


def segmentation_scores(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    vocabulary: Iterable[str] | None = None,
    gold_pos: Sequence[Sequence[str]] | None = None,
    predicted_pos: Sequence[Sequence[str]] | None = None,
) -> dict:
    """Word precision, recall, F1, OOV and IV recall (and POS figures when both POS lists are given).

    ``gold`` and ``predicted`` are the words of each sentence; the words of one sentence must join to the
    same text. A predicted word is correct when a gold word has the same character offsets. OOV: gold
    words not in ``vocabulary`` (the training words); without one, the OOV figures are None.
    ``pos_accuracy``: share of correctly segmented words whose tag is right too; ``joint_f1``: F1 of words
    right in boundaries and tag.

    >>> s = segmentation_scores([["我们", "爱", "北京"]], [["我们", "爱北京"]], vocabulary={"我们"})
    >>> round(s["precision"], 3), round(s["recall"], 3), s["oov_recall"], s["iv_recall"]
    (0.5, 0.333, 0.0, 1.0)
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    with_pos = gold_pos is not None and predicted_pos is not None
    vocab = set(vocabulary or ())
    n_gold = n_pred = correct = oov = oov_hit = both = 0
    for i, (g, p) in enumerate(zip(gold, predicted)):
        if "".join(g) != "".join(p):
            raise ValueError(
                f"sentence {i}: the predicted words do not join to the gold text ({''.join(g)[:30]!r}...)"
            )
        pred = dict(zip(_spans(p), predicted_pos[i] if with_pos else [None] * len(p)))
        n_gold, n_pred = n_gold + len(g), n_pred + len(p)
        for k, (span, word) in enumerate(zip(_spans(g), g)):
            hit = span in pred
            correct += hit
            if word not in vocab:
                oov += 1
                oov_hit += hit
            if hit and with_pos:
                both += pred[span] == gold_pos[i][k]
    iv = n_gold - oov
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    result = {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "oov_rate": oov / n_gold if n_gold else 0.0,
        "oov_recall": oov_hit / oov if oov else 0.0,
        "iv_recall": (correct - oov_hit) / iv if iv else 0.0,
        "gold_words": n_gold,
        "predicted_words": n_pred,
        "correct_words": correct,
        "oov_words": oov,
    }
    if vocabulary is None:  # every word would count as OOV: say "not counted" rather than a wrong figure
        result.update(oov_rate=None, oov_recall=None, iv_recall=None, oov_words=None)
    if with_pos:
        result["pos_accuracy"] = both / correct if correct else 0.0
        p_joint, r_joint = (both / n_pred if n_pred else 0.0), (both / n_gold if n_gold else 0.0)
        result["joint_f1"] = _f1(p_joint, r_joint)
    return result


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def format_scores(result: Mapping) -> str:
    """One readable block of :func:`segmentation_scores` (POS lines when present)."""
    lines = [
        f"words: precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}",
        f"OOV rate {result['oov_rate']:.4f}  OOV recall {result['oov_recall']:.4f}  "
        f"IV recall {result['iv_recall']:.4f}  ({result['gold_words']} gold words)"
        if result["oov_rate"] is not None
        else f"OOV and IV recall not counted: no training words given  ({result['gold_words']} gold words)",
    ]
    if "pos_accuracy" in result:
        lines.append(f"POS accuracy on correctly segmented words {result['pos_accuracy']:.4f}  "
                     f"joint F1 {result['joint_f1']:.4f}")  # fmt: skip
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# raw text in, words out


@dataclass
class Segmented:
    """A text cut into words: ``text[start:end] == word`` for every ``(word, start, end)``; ``pos`` with the joint task."""

    text: str
    words: list[str]
    offsets: list[tuple[int, int]]
    pos: list[str] | None = None

    def line(self) -> str:
        """The bakeoff format: words separated by one space (``word/tag`` with POS)."""
        if self.pos is None:
            return " ".join(self.words)
        return " ".join(f"{w}/{t}" for w, t in zip(self.words, self.pos))


def words_of(text: str, tags: Sequence[str], offsets: Sequence[tuple[int, int]], *, typed: bool) -> Segmented:
    """The words of ``text`` from its tokens' BMES ``tags`` and character ``offsets`` (as ``Tagger.tag_text``
    gives them); whitespace between two tokens always ends a word. ``typed``: keep each word's type (POS).

    >>> words_of("我们 爱", ["B-W", "E-W", "S-W"], [(0, 1), (1, 2), (3, 4)], typed=False).words
    ['我们', '爱']
    """
    words, spans, pos = [], [], []
    for s, e, typ in word_spans(tags):
        start = s
        for k in range(s + 1, e + 1):
            if k == e or offsets[k][0] != offsets[k - 1][1]:
                a, b = offsets[start][0], offsets[k - 1][1]
                words.append(text[a:b])
                spans.append((a, b))
                pos.append(typ)
                start = k
    return Segmented(text, words, spans, pos if typed else None)


def is_typed(labels: Iterable[str]) -> bool:
    """True when a BMES label set carries POS types (joint task), False for plain ``W`` words."""
    return any(split_tag(t)[1] != WORD_TYPE for t in labels)


def segment(tagger, texts: str | Sequence[str]) -> list[Segmented]:
    """Cut raw texts into words (and POS tags, if the model was trained on the joint task) with a ``Tagger``.

    Full-width digits and letters are read as ASCII, as in training (offsets do not move); whitespace always
    separates words and is in no word. A text without any character of an unspaced script is tagged like
    any other (its Latin words and numbers are tokens already); an empty text gives no words.
    """
    if isinstance(texts, str):
        texts = [texts]
    typed = is_typed(tagger.id2label.values())
    tagged = tagger.tag_text([halfwidth_alnum(t) for t in texts])
    return [words_of(text, t.tags, t.offsets or [], typed=typed) for text, t in zip(texts, tagged)]


def boundary_disagreements(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> tuple[Counter, Counter]:
    """Where two segmentations of the same texts differ in a regular way: ``merged`` counts predicted words
    that join several gold words (``"江 泽民 -> 江泽民"``), ``split`` gold words cut into several predicted
    ones (``"1998年 -> 1998 年"``). Crossing boundaries (neither) are not counted.

    >>> merged, split = boundary_disagreements([["江", "泽民", "1998年"]], [["江泽民", "1998", "年"]])
    >>> dict(merged), dict(split)
    ({'江 泽民 -> 江泽民': 1}, {'1998年 -> 1998 年': 1})
    """
    merged: Counter = Counter()
    split: Counter = Counter()
    for g, p in zip(gold, predicted):
        for outer, inner, counter, outer_first in ((p, g, merged, False), (g, p, split, True)):
            inner_spans = list(zip(_spans(inner), inner))
            starts = {span[0]: k for k, (span, _) in enumerate(inner_spans)}
            ends = {span[1]: k for k, (span, _) in enumerate(inner_spans)}
            for (a, b), word in zip(_spans(outer), outer):
                if a in starts and b in ends and ends[b] > starts[a]:
                    parts = " ".join(w for _, w in inner_spans[starts[a] : ends[b] + 1])
                    counter[f"{word} -> {parts}" if outer_first else f"{parts} -> {word}"] += 1
    return merged, split
