"""Character-offset annotations (doccano, Label Studio, CLUENER) to word tags and back; words of raw text.

Annotation tools mark entities as character spans of a text. Here the text is cut into words
(:func:`split_words`: words and punctuation in spaced text, one word per character in Chinese or
Japanese text, Latin words and numbers inside such text kept whole) and each span becomes IOB2 tags on
its words. A span must start and end at word boundaries, lie inside the text, not overlap another and
(when ``types`` is given) name a known type; otherwise :class:`helpers.errors.DataFormatError` names
the file, the record and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import DataFormatError
from .io import write_text_atomic
from .labels import entity_spans
from .textfiles import PathLike, RecordList, json_lines, read_text, short, source_name

#: scripts written without spaces between words: Han, kana, bopomofo, CJK punctuation marks and symbols
UNSPACED = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff\u3100-\u312f"
    "\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
WORD_RE = re.compile(rf"[{UNSPACED}]|[^\W{UNSPACED}]+(?:[-'’.][^\W{UNSPACED}]+)*|[^\w\s]")
_UNSPACED_CHAR = re.compile(rf"[{UNSPACED}\u3000-\u303f\uff00-\uffef]")  # and full-width punctuation

Span = tuple[int, int, str]  # (start, end exclusive, type)


def split_words(text: str) -> list[tuple[str, int, int]]:
    """Words of raw text with character offsets ``[start, end)``; Chinese/Japanese characters are one word each.

    >>> split_words("Hi, Bob")
    [('Hi', 0, 2), (',', 2, 3), ('Bob', 4, 7)]
    >>> [w for w, _, _ in split_words("张三用iPhone 15")]
    ['张', '三', '用', 'iPhone', '15']
    """
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def halfwidth_alnum(text: str) -> str:
    """Full-width digits and Latin letters as ASCII, one character for one (offsets do not move)."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ" else c
        for c in text
    )


def join_words(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text of ``words`` and each word's offsets: a space between words, none next to a Chinese/Japanese one."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, word in enumerate(words):
        if i and not (_UNSPACED_CHAR.fullmatch(word) or _UNSPACED_CHAR.fullmatch(words[i - 1])):
            parts.append(" ")
            pos += 1
        parts.append(word)
        offsets.append((pos, pos + len(word)))
        pos += len(word)
    return "".join(parts), offsets


def spans_to_tags(
    text: str,
    spans: Iterable[Span],
    *,
    types: Sequence[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Words of ``text`` and their IOB2 tags for character spans ``(start, end_exclusive, type)``.

    Whitespace at a span's edges is trimmed; a bad span raises ``DataFormatError`` saying what is wrong.

    >>> spans_to_tags("Angela Merkel visited Paris.", [(0, 13, "PER"), (22, 27, "LOC")])[1]
    ['B-PER', 'I-PER', 'O', 'B-LOC', 'O']
    """
    fail = DataFormatError

    words = split_words(text)
    word_at = [-1] * len(text)
    for k, (_, a, b) in enumerate(words):
        word_at[a:b] = [k] * (b - a)
    tags = ["O"] * len(words)
    known = set(types) if types is not None else None
    checked: list[Span] = []
    for start, end, typ in spans:
        shown = f"span [{start}, {end}) {short(typ)}"
        if not isinstance(typ, str) or not typ.strip() or any(ch.isspace() for ch in typ):
            raise fail(f"{shown}: the type must be a non-empty string without spaces")
        if known is not None and typ not in known:
            raise fail(f"{shown}: unknown type; expected one of {sorted(known)}")
        if not (0 <= start < end <= len(text)):
            raise fail(f"{shown} runs past the text (length {len(text)}) or is empty")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise fail(f"{shown} covers only whitespace")
        first, last = word_at[start], word_at[end - 1]
        for k, edge in ((first, start), (last, end)):
            word, a, b = words[k]
            if edge not in (a, b):
                raise fail(
                    f"{shown} {text[start:end]!r} cuts the word {word!r} at [{a}, {b}); "
                    "a span must start and end at word boundaries"
                )
        checked.append((start, end, typ))
    checked.sort()
    for (s1, e1, t1), (s2, e2, t2) in zip(checked, checked[1:]):
        if s2 < e1:
            raise fail(f"span [{s2}, {e2}) {t2} overlaps span [{s1}, {e1}) {t1}; nested spans cannot be tags")
    for start, end, typ in checked:
        first, last = word_at[start], word_at[end - 1]
        tags[first : last + 1] = [f"B-{typ}"] + [f"I-{typ}"] * (last - first)
    return [w for w, _, _ in words], tags


# --------------------------------------------------------------------------------------------------
# readers


def _int_pair(value: Any, what: str, fail) -> tuple[int, int]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) < 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value[:2])
    ):
        raise fail(f"{what} must hold two integer offsets, found {short(value)}")
    return value[0], value[1]


def _text_of(obj: Mapping, text_field: str, fail) -> str:
    if text_field not in obj:
        raise fail(f"the record has no {text_field!r} field", text_field)
    text = obj[text_field]
    if not isinstance(text, str) or not text.strip():
        raise fail(f"{text_field!r} must be a non-empty string, found {short(text)}", text_field)
    return text


def _doccano_spans(obj: Mapping, fail) -> list[Span]:
    if "entities" in obj and "label" not in obj:  # doccano's "JSONL (relation)" export
        entities = obj["entities"]
        if not isinstance(entities, list):
            raise fail("'entities' must be a list", "entities")
        out = []
        for j, ent in enumerate(entities):
            if not isinstance(ent, Mapping) or not {"start_offset", "end_offset", "label"} <= set(ent):
                raise fail(f"entity {j} needs start_offset, end_offset and label", "entities")
            s, e = _int_pair(
                [ent["start_offset"], ent["end_offset"]], f"entity {j}", lambda m: fail(m, "entities")
            )
            out.append((s, e, ent["label"]))
        return out
    labels = obj.get("label", [])
    if not isinstance(labels, list):
        raise fail(f"'label' must be a list of [start, end, type], found {short(labels)}", "label")
    out = []
    for j, item in enumerate(labels):
        if not isinstance(item, list) or len(item) != 3:
            raise fail(f"label {j} must be [start, end, type], found {short(item)}", "label")
        s, e = _int_pair(item, f"label {j}", lambda m: fail(m, "label"))
        out.append((s, e, item[2]))
    return out


def _cluener_spans(obj: Mapping, text: str, fail) -> list[Span]:
    labels = obj.get("label", {})
    if not isinstance(labels, Mapping):
        raise fail("'label' must map each type to {mention: [[start, end], ...]}", "label")
    out = []
    for typ, mentions in labels.items():
        if not isinstance(mentions, Mapping):
            raise fail(f"label {short(typ)} must map mentions to lists of [start, end]", "label")
        for mention, positions in mentions.items():
            if not isinstance(positions, list):
                raise fail(f"mention {short(mention)} must have a list of [start, end]", "label")
            for pos in positions:
                s, e = _int_pair(pos, f"mention {short(mention)}", lambda m: fail(m, "label"))
                if text[s : e + 1] != mention:  # CLUENER's end offset is inclusive
                    raise fail(
                        f"mention {short(mention)} at [{s}, {e}] (inclusive end) does not match the text "
                        f"there, {short(text[s : e + 1])}",
                        "label",
                    )
                out.append((s, e + 1, typ))
    return out


def _record(obj: Mapping, row: int, words: list[str], tags: list[str], tag_field: str) -> dict:
    rid = obj.get("id", row)
    return {"id": str(rid), "tokens": words, tag_field: tags}


def _read_span_lines(path, variant: str, tag_field: str, types, text_field: str, encoding: str) -> RecordList:
    source = source_name(path)
    records = []
    for lineno, obj in json_lines(path, source, encoding):

        def fail(message: str, field: str | None = None, _line: int = lineno) -> DataFormatError:
            return DataFormatError(message, source, _line, field)

        text = _text_of(obj, text_field, fail)
        spans = _cluener_spans(obj, text, fail) if variant == "cluener" else _doccano_spans(obj, fail)
        field = "entities" if "entities" in obj and "label" not in obj else "label"
        try:
            words, tags = spans_to_tags(text, spans, types=types)
        except DataFormatError as e:
            raise fail(e.reason, field) from None
        records.append(_record(obj, len(records), words, tags, tag_field))
    if not records:
        raise DataFormatError("no records", source)
    return RecordList(records, {tag_field: variant})


def _read_label_studio(path, tag_field: str, types, text_field: str, encoding: str) -> RecordList:
    source = source_name(path)
    try:
        tasks = json.loads(read_text(path, source, encoding))
    except (ValueError, RecursionError) as e:
        raise DataFormatError(f"invalid JSON: {e}", source) from None
    if not isinstance(tasks, list):
        raise DataFormatError("a Label Studio export is a JSON list of tasks", source)
    records = []
    for i, task in enumerate(tasks):

        def fail(message: str, field: str | None = None, _i: int = i) -> DataFormatError:
            return DataFormatError(f"record {_i}: {message}", source, None, field)

        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            raise fail("a task must be an object with a 'data' object", "data")
        text = _text_of(task["data"], text_field, lambda m, f=None: fail(m, f"data.{f}"))
        annotations = [
            a for a in task.get("annotations") or [] if isinstance(a, Mapping) and not a.get("was_cancelled")
        ]
        if not annotations:
            continue
        spans = []
        for j, result in enumerate(annotations[0].get("result") or []):
            if not isinstance(result, Mapping) or result.get("type", "labels") != "labels":
                continue
            field = f"annotations[0].result[{j}].value"
            value = result.get("value")
            if not isinstance(value, Mapping) or not isinstance(value.get("labels"), list):
                raise fail("a labels result needs value.start, value.end and value.labels", field)
            if len(value["labels"]) != 1:
                raise fail(f"a span needs exactly one label, found {short(value['labels'])}", field)
            s, e = _int_pair(
                [value.get("start"), value.get("end")], "value.start/end", lambda m, f=field: fail(m, f)
            )
            spans.append((s, e, value["labels"][0]))
        try:
            words, tags = spans_to_tags(text, spans, types=types)
        except DataFormatError as e:
            raise fail(e.reason, "annotations[0].result") from None
        records.append(_record(task, len(records), words, tags, tag_field))
    if not records:
        raise DataFormatError("no annotated tasks", source)
    return RecordList(records, {tag_field: "label_studio"})


def span_variant(path: PathLike, encoding: str = "utf-8") -> str:
    """Which span export a file is: ``label_studio`` (a JSON list), ``cluener`` (label is a dict) or ``doccano``."""
    source = source_name(path)
    if read_text(path, source, encoding).lstrip().startswith("["):
        return "label_studio"
    for _, obj in json_lines(path, source, encoding):
        return "cluener" if isinstance(obj.get("label"), Mapping) else "doccano"
    raise DataFormatError("no records", source)


SPAN_VARIANTS: tuple[str, ...] = ("doccano", "label_studio", "cluener")


def read_spans(
    path: PathLike,
    *,
    variant: str = "auto",
    tag_field: str = "ner_tags",
    types: Sequence[str] | None = None,
    text_field: str = "text",
    encoding: str = "utf-8",
) -> list[dict]:
    """Read a span export into word records ``{"id", "tokens", tag_field}`` with IOB2 tags.

    ``variant``: ``doccano`` (JSONL ``{"text", "label": [[start, end, type], ...]}``, or its ``entities``
    variant), ``label_studio`` (JSON list of tasks; each task's first kept annotation, tasks without one
    left out), ``cluener`` (JSONL ``{"text", "label": {type: {mention: [[start, end]]}}}``, inclusive ends;
    no ``label``: all ``O``), or ``auto`` (:func:`span_variant`). ``types`` lists the allowed entity types.
    """
    variant = span_variant(path, encoding) if variant == "auto" else variant
    if variant not in SPAN_VARIANTS:
        raise DataFormatError(
            f"variant must be auto or one of {SPAN_VARIANTS}, not {variant!r}", source_name(path)
        )
    if variant == "label_studio":
        return _read_label_studio(path, tag_field, types, text_field, encoding)
    return _read_span_lines(path, variant, tag_field, types, text_field, encoding)


# --------------------------------------------------------------------------------------------------
# writer


def write_doccano(
    records: Iterable[Mapping[str, Any]], path: PathLike, *, tag_field: str = "ner_tags"
) -> None:
    """Write word records as doccano JSONL (``{"id", "text", "label": [[start, end, type], ...]}``), atomically.

    The text is the words joined by spaces (none next to a Chinese/Japanese character); tags may be in any scheme.
    """
    source = source_name(path)
    lines = []
    for i, record in enumerate(records):
        tokens, tags = record.get("tokens"), record.get(tag_field)
        if not isinstance(tokens, Sequence) or not isinstance(tags, Sequence) or len(tokens) != len(tags):
            raise DataFormatError(f"record {i} needs 'tokens' and {tag_field!r} of the same length", source)
        text, offsets = join_words(list(tokens))
        label = [[offsets[s][0], offsets[e - 1][1], typ] for typ, s, e in entity_spans(list(tags))]
        row = {"id": record.get("id", i), "text": text, "label": label}
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    write_text_atomic(path, "".join(lines))
