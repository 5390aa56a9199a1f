"""Label inventories of CoNLL-2003 and IOB tag-scheme utilities."""

from __future__ import annotations

from collections.abc import Sequence

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

#: task name -> dataset column holding its tags
TASK_COLUMNS: dict[str, str] = {"ner": "ner_tags", "pos": "pos_tags", "chunk": "chunk_tags"}


def task_column(task: str) -> str:
    """Column name for a task: ``task_column("ner") == "ner_tags"``."""
    try:
        return TASK_COLUMNS[task]
    except KeyError:
        raise ValueError(f"unknown task {task!r}; expected one of {sorted(TASK_COLUMNS)}") from None


def split_tag(tag: str) -> tuple[str, str]:
    """Split an IOB tag into (prefix, type): ``"B-PER" -> ("B", "PER")``, ``"O" -> ("O", "")``."""
    if tag == "O":
        return "O", ""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BIES":
        return tag[0], tag[2:]
    return "", tag


def is_iob_scheme(labels: Sequence[str]) -> bool:
    """True if every label is ``O`` or ``B-X``/``I-X`` (a span scheme), False for flat tags like POS."""
    return bool(labels) and all(split_tag(t)[0] in ("O", "B", "I") for t in labels)


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """Convert IOB1 tags (``I-`` opens a span unless it continues one) to IOB2 (every span opens with ``B-``)."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        prefix, typ = split_tag(tag)
        if prefix == "I":
            p_prefix, p_typ = split_tag(prev)
            if p_prefix == "O" or p_typ != typ:
                tag = "B-" + typ
        out.append(tag)
        prev = tag
    return out


def iob2_to_iob1(tags: Sequence[str]) -> list[str]:
    """Convert IOB2 to IOB1: ``B-`` is kept only where it directly follows a span of the same type."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        prefix, typ = split_tag(tag)
        if prefix == "B":
            p_prefix, p_typ = split_tag(prev)
            if p_prefix == "O" or p_typ != typ:
                out.append("I-" + typ)
            else:
                out.append(tag)
        else:
            out.append(tag)
        prev = tag
    return out


def iob2_violation(tags: Sequence[str]) -> int | None:
    """Index of the first ``I-X`` that does not continue an ``X`` span (invalid in IOB2), else None."""
    prev = "O"
    for i, tag in enumerate(tags):
        prefix, typ = split_tag(tag)
        if prefix == "I":
            p_prefix, p_typ = split_tag(prev)
            if p_prefix == "O" or p_typ != typ:
                return i
        prev = tag
    return None


def b_to_i_map(labels: Sequence[str]) -> list[int]:
    """For each label id, the id to give a continuation subtoken: ``B-X`` maps to ``I-X``, others to themselves."""
    index = {name: i for i, name in enumerate(labels)}
    result = []
    for i, name in enumerate(labels):
        prefix, typ = split_tag(name)
        result.append(index.get("I-" + typ, i) if prefix == "B" else i)
    return result


def entity_types(labels: Sequence[str]) -> list[str]:
    """Entity types of an IOB label list in first-seen order: ``["O","B-PER","I-PER"] -> ["PER"]``."""
    seen: dict[str, None] = {}
    for name in labels:
        prefix, typ = split_tag(name)
        if prefix in ("B", "I"):
            seen.setdefault(typ, None)
    return list(seen)
