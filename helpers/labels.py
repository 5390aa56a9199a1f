"""Label inventories of CoNLL-2003 and tag schemes: IOB1/IOB2/BIOES/BILOU/BMES detection, conversion, spans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import LabelError

# Names and order exactly as in the Hugging Face Hub's `conll2003` dataset.
NER_LABELS: list[str] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
POS_LABELS: list[str] = [
    '"', "''", "#", "$", "(", ")", ",", ".", ":", "``",
    "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS", "LS", "MD",
    "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP", "PRP$",
    "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH",
    "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB",
]  # fmt: skip
CHUNK_LABELS: list[str] = [
    "O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ",
    "B-LST", "I-LST", "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR",
    "B-UCP", "I-UCP", "B-VP", "I-VP",
]  # fmt: skip

#: tag columns in the Hub's column order (id, tokens, pos_tags, chunk_tags, ner_tags)
CONLL2003_LABELS: dict[str, list[str]] = {
    "pos_tags": POS_LABELS,
    "chunk_tags": CHUNK_LABELS,
    "ner_tags": NER_LABELS,
}

#: task name -> dataset column holding its tags; cws / cws_pos: Chinese word segmentation, alone or with POS
#: (BMES character tags: helpers.bmes, data in helpers.zh.segmentation)
TASK_COLUMNS: dict[str, str] = {
    "ner": "ner_tags",
    "pos": "pos_tags",
    "chunk": "chunk_tags",
    "cws": "cws_tags",
    "cws_pos": "cws_pos_tags",
}
#: the tasks whose data is segmented Chinese text, not CoNLL-2003 or Chinese NER
SEGMENTATION_TASKS: tuple[str, ...] = ("cws", "cws_pos")


def task_column(task: str) -> str:
    """Column name for a task: ``task_column("ner") == "ner_tags"``."""
    try:
        return TASK_COLUMNS[task]
    except KeyError:
        raise ValueError(f"unknown task {task!r}; expected one of {sorted(TASK_COLUMNS)}") from None


#: tag schemes the readers understand; BILOU is BIOES with L = E and U = S, BMES is BIOES with M = I
SCHEMES: tuple[str, ...] = ("iob1", "iob2", "bioes", "bilou", "bmes")
_SPAN_PREFIXES = "BIESLUM"
_ALIASES = {"L": "E", "U": "S", "M": "I"}  # BILOU and BMES prefixes in BIOES terms
_WRITE_PREFIXES = {"bioes": "BIES", "bilou": "BILU", "bmes": "BMES"}  # begin, inside, end, single


class TagSchemeError(LabelError):
    """A tag sequence breaks its scheme; ``index`` is the position of the offending tag."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index, self.reason = index, message


def split_tag(tag: str) -> tuple[str, str]:
    """Split a span tag into (prefix, type): ``"B-PER" -> ("B", "PER")``, ``"O" -> ("O", "")``, ``"NN" -> ("", "NN")``.

    Prefixes of IOB, BIOES, BILOU and BMES are recognised (``B I E S L U M``).
    """
    if tag == "O":
        return "O", ""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in _SPAN_PREFIXES:
        return tag[0], tag[2:]
    return "", tag


def _shown(tag: str) -> str:
    return repr(tag) if len(tag) <= 40 else repr(tag[:37] + "...")


def _bioes_prefix(tag: str) -> tuple[str, str]:
    prefix, typ = split_tag(tag)
    return _ALIASES.get(prefix, prefix), typ


def bioes_names(tags: Sequence[str]) -> list[str]:
    """Tags with BMES and BILOU prefixes written as BIOES (``M-X`` → ``I-X``, ``L-X`` → ``E-X``, ``U-X`` → ``S-X``),
    the prefixes seqeval reads; other tags unchanged.

    >>> bioes_names(["B-W", "M-W", "E-W", "S-W", "O"])
    ['B-W', 'I-W', 'E-W', 'S-W', 'O']
    """
    out = []
    for tag in tags:
        prefix, typ = split_tag(tag)
        out.append(f"{_ALIASES[prefix]}-{typ}" if prefix in _ALIASES else tag)
    return out


def is_span_scheme(labels: Sequence[str]) -> bool:
    """True if every label is ``O`` or prefix-type (IOB, BIOES, BILOU, BMES): scored with span F1, else accuracy."""
    return bool(labels) and all(split_tag(t)[0] != "" for t in labels)


is_iob_scheme = is_span_scheme  # the name metrics.py imports


def continues_span(prev: str, typ: str) -> bool:
    """True if a tag of type ``typ`` right after ``prev`` can continue ``prev``'s span (``prev`` is B-/I- of ``typ``)."""
    prefix, prev_typ = _bioes_prefix(prev)
    return prefix in ("B", "I") and prev_typ == typ


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """Convert IOB1 tags (``I-`` opens a span unless it continues one) to IOB2 (every span opens with ``B-``)."""
    out: list[str] = []
    for tag in tags:
        prefix, typ = split_tag(tag)
        if prefix == "I" and not (out and continues_span(out[-1], typ)):
            tag = "B-" + typ
        out.append(tag)
    return out


def iob2_to_iob1(tags: Sequence[str]) -> list[str]:
    """Convert IOB2 to IOB1: ``B-`` is kept only where it directly follows a span of the same type."""
    out: list[str] = []
    for i, tag in enumerate(tags):
        prefix, typ = split_tag(tag)
        if prefix == "B" and not (i and continues_span(tags[i - 1], typ)):
            tag = "I-" + typ
        out.append(tag)
    return out


def iob2_violation(tags: Sequence[str]) -> int | None:
    """Index of the first ``I-X`` that does not continue an ``X`` span (invalid in IOB2), else None."""
    for i, tag in enumerate(tags):
        prefix, typ = split_tag(tag)
        if prefix == "I" and not (i and continues_span(tags[i - 1], typ)):
            return i
    return None


def detect_scheme(sequences: Iterable[Sequence[str]]) -> str:
    """The scheme of some tag sequences: ``bilou``/``bmes``/``bioes`` by their prefixes, else ``iob1`` if an
    ``I-X`` opens a span, else ``iob2``."""
    sequences = [list(s) for s in sequences]
    prefixes = {split_tag(t)[0] for s in sequences for t in s}
    if prefixes & {"L", "U"}:
        return "bilou"
    if "M" in prefixes:
        return "bmes"
    if prefixes & {"E", "S"}:
        return "bioes"
    return "iob1" if any(iob2_violation(s) is not None for s in sequences) else "iob2"


def to_iob2(tags: Sequence[str], scheme: str) -> list[str]:
    """Convert one sentence's tags from ``scheme`` to IOB2; a broken span raises ``TagSchemeError``.

    >>> to_iob2(["S-PER", "O", "B-LOC", "E-LOC"], "bioes")
    ['B-PER', 'O', 'B-LOC', 'I-LOC']
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
    allowed = "BI" if scheme in ("iob1", "iob2") else _WRITE_PREFIXES[scheme]
    for i, tag in enumerate(tags):
        prefix = split_tag(tag)[0]
        if prefix != "O" and prefix not in tuple(allowed):
            expected = ", ".join(f"{p}-X" for p in allowed)
            raise TagSchemeError(f"tag {_shown(tag)} is not a valid {scheme.upper()} tag (O, {expected})", i)
    if scheme == "iob2":
        return list(tags)
    if scheme == "iob1":
        return iob1_to_iob2(tags)
    out: list[str] = []
    open_type: str | None = None
    for i, tag in enumerate(tags):
        prefix, typ = _bioes_prefix(tag)
        if prefix in ("B", "S", "O") and open_type is not None:
            raise TagSchemeError(
                f"{_shown(tag)} comes before the {_shown(open_type)} span opened earlier is closed", i
            )
        if prefix in ("I", "E") and open_type != typ:
            raise TagSchemeError(
                f"{_shown(tag)} does not continue a span (it needs B-{typ[:40]} before it)", i
            )
        out.append("O" if prefix == "O" else ("B-" if prefix in ("B", "S") else "I-") + typ)
        open_type = typ if prefix in ("B", "I") else None
    if open_type is not None:
        raise TagSchemeError(
            f"the {_shown(open_type)} span is not closed at the end of the sentence", len(tags) - 1
        )
    return out


def from_iob2(tags: Sequence[str], scheme: str) -> list[str]:
    """Convert IOB2 tags to ``scheme`` (the inverse of :func:`to_iob2` for well-formed spans)."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
    if scheme == "iob2":
        return list(tags)
    if scheme == "iob1":
        return iob2_to_iob1(tags)
    begin, inside, end, single = _WRITE_PREFIXES[scheme]
    out: list[str] = []
    for i, tag in enumerate(tags):
        prefix, typ = split_tag(tag)
        if prefix not in ("B", "I"):
            out.append(tag)
            continue
        nxt = tags[i + 1] if i + 1 < len(tags) else "O"
        goes_on = split_tag(nxt)[0] == "I" and continues_span(tag, split_tag(nxt)[1])
        first = prefix == "B" or not (i and continues_span(tags[i - 1], typ))
        out.append(((begin if goes_on else single) if first else (inside if goes_on else end)) + "-" + typ)
    return out


def entity_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities as ``(type, start, end_exclusive)``, read as seqeval (conlleval) reads them; the one span function.

    Works for IOB1/IOB2/BIOES/BILOU/BMES; a stray ``I-X`` opens a span; flat tags (no prefix) are no entity.

    >>> entity_spans(["S-PER", "O", "B-LOC", "E-LOC"])
    [('PER', 0, 1), ('LOC', 2, 4)]
    """
    from seqeval.metrics.sequence_labeling import get_entities

    normal = []
    for tag in tags:
        prefix, typ = _bioes_prefix(tag)
        normal.append(f"{prefix}-{typ}" if prefix not in ("O", "") else "O")
    return [(typ, start, end + 1) for typ, start, end in get_entities(normal)]


def b_to_i_map(labels: Sequence[str]) -> list[int]:
    """For each label id, the id to give a continuation subtoken: ``B-X`` maps to ``I-X``, others to themselves."""
    index = {name: i for i, name in enumerate(labels)}
    result = []
    for i, name in enumerate(labels):
        prefix, typ = split_tag(name)
        result.append(index.get("I-" + typ, i) if prefix == "B" else i)
    return result
