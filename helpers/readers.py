"""Readers and writers of token-classification files: CoNLL, CoNLL-U, JSON Lines and long CSV.

A *record* is a dict ``{"id": str, "tokens": list[str], <column>: list[str], ...}`` in which every tag
column holds one string tag per token. Readers return tags as strings (never ids), span columns in IOB2
(IOB1, BIOES, BILOU and BMES are converted; the list's ``schemes`` says what each column was in). Every problem with
the input is raised as :class:`helpers.errors.DataFormatError` naming the file, the line and the field.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from helpers.errors import DataFormatError
from helpers.io import write_text_atomic as _atomic_write_text
from helpers.labels import (
    SCHEMES,
    TagSchemeError,
    detect_scheme,
    from_iob2,
    iob2_violation,
    split_tag,
    to_iob2,
)
from helpers.spans import read_spans
from helpers.textfiles import RecordList, json_lines
from helpers.textfiles import read_text as _read_text
from helpers.textfiles import short as _short
from helpers.textfiles import source_name as _source
from helpers.textfiles import split_lines as _split_lines

PathLike = str | os.PathLike[str]

#: the columns of the CoNLL-2003 files, in order
CONLL_COLUMNS: tuple[str, ...] = ("tokens", "pos_tags", "chunk_tags", "ner_tags")

#: file suffix -> format name understood by :func:`read_records`
SUFFIX_FORMATS: dict[str, str] = {
    ".conll": "conll",
    ".txt": "conll",
    ".iob": "conll",
    ".bio": "conll",
    ".conllu": "conllu",
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
}

_IGNORED = (None, "_")
_SCHEMES = (*SCHEMES, "auto")
_DOCSTART = "-DOCSTART-"
_MAX_LISTED = 20
_FIELD_SPLIT = re.compile(r"[ \t]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONLLU_WORD_ID = re.compile(r"[0-9]+")
_CONLLU_RANGE_ID = re.compile(r"[0-9]+-[0-9]+")
_CONLLU_EMPTY_ID = re.compile(r"[0-9]+\.[0-9]+")
_SENT_ID = re.compile(r"#\s*sent_id\s*=\s*(.*?)\s*")
_CONLLU_BAD_VALUE = re.compile("[\t\n\r\ud800-\udfff]")


# --------------------------------------------------------------------------------------------------
# shared plumbing


def _allowed_text(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in list(names)[:_MAX_LISTED])
    more = len(names) - _MAX_LISTED
    return f"[{shown}{f', ... ({more} more)' if more > 0 else ''}]"


def _default_scheme_columns(names: Iterable[str]) -> list[str]:
    return [n for n in names if "ner" in n or "chunk" in n]


def _check_records(records: Any, source: str) -> list[Mapping[str, Any]]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise DataFormatError("records must be a list of dicts", source)
    out = list(records)
    for i, record in enumerate(out):
        if not isinstance(record, Mapping):
            raise DataFormatError(f"record {i} is a {type(record).__name__}, not a dict", source)
    return out


def _record_column(record: Mapping[str, Any], i: int, name: str, n: int | None, source: str) -> list[str]:
    """The list of strings ``record[name]``, checked to have ``n`` items (when n is given)."""
    if name not in record:
        raise DataFormatError(f"record {i} has no field {name!r}", source, field=name)
    values = record[name]
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise DataFormatError(f"record {i}: {name!r} is not a list", source, field=name)
    values = list(values)
    for j, value in enumerate(values):
        if not isinstance(value, str):
            raise DataFormatError(f"record {i}: item {j} of {name!r} is not a string", source, field=name)
        if _SURROGATE.search(value):
            raise DataFormatError(f"record {i}: item {j} of {name!r} cannot be encoded", source, field=name)
    if n is not None and len(values) != n:
        raise DataFormatError(
            f"record {i}: {n} tokens but {len(values)} tags in {name!r}", source, field=name
        )
    return values


# --------------------------------------------------------------------------------------------------
# CoNLL


def read_conll(
    path: PathLike,
    columns: Sequence[str | None] = CONLL_COLUMNS,
    *,
    scheme_columns: Sequence[str] | None = None,
    input_scheme: str = "auto",
    strict: bool = False,
    labels: Mapping[str, Sequence[str]] | None = None,
    sep: str | None = None,
    encoding: str = "utf-8",
    documents: bool = False,
) -> list[dict]:
    """Read a CoNLL column file (one token per line, blank line between sentences) into records.

    ``columns`` names each column (``None``/``"_"`` = ignore). Span columns (default: those named ner/chunk)
    are converted to IOB2 from ``input_scheme`` (``auto`` detects IOB1/IOB2/BIOES/BILOU/BMES per file;
    plain ``iob2`` keeps the tags as written unless ``strict``). ``documents=True`` adds ``document``: the
    index of the ``-DOCSTART-`` document each sentence belongs to (0 before the first marker).
    """
    source = _source(path)
    kept = [(i, name) for i, name in enumerate(columns) if name not in _IGNORED]
    kept_names = [name for _, name in kept]
    if "tokens" not in kept_names:
        raise DataFormatError(f"columns {tuple(columns)!r} must include 'tokens'", source)
    if len(set(kept_names)) != len(kept_names):
        raise DataFormatError(f"columns {tuple(columns)!r} name a column twice", source)
    _check_scheme(input_scheme, source)
    if sep == "":
        raise DataFormatError("sep must not be empty (use None for any run of spaces/tabs)", source)
    span_columns = _default_scheme_columns(kept_names) if scheme_columns is None else list(scheme_columns)
    for name in [*span_columns, *(labels or {})]:
        if name not in kept_names or name == "tokens":
            raise DataFormatError(f"{name!r} is not a tag column of {tuple(columns)!r}", source, field=name)

    text = _read_text(path, source, encoding)
    n_columns = len(columns)
    sentences: list[dict[str, list[str]]] = []
    line_numbers: list[list[int]] = []
    current: dict[str, list[str]] = {name: [] for name in kept_names}
    current_lines: list[int] = []
    document_of: list[int] = []
    document = 0

    def flush() -> None:
        nonlocal current, current_lines
        if current_lines:
            sentences.append(current)
            line_numbers.append(current_lines)
            document_of.append(document)
            current, current_lines = {name: [] for name in kept_names}, []

    for lineno, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            flush()
            continue
        fields = _FIELD_SPLIT.split(line.strip()) if sep is None else line.split(sep)
        if fields[0] == _DOCSTART:
            flush()
            document += bool(sentences)  # a marker before the first sentence opens document 0
            continue
        if len(fields) != n_columns:
            raise DataFormatError(
                f"expected {n_columns} columns {tuple(columns)!r} but found {len(fields)}", source, lineno
            )
        for i, name in kept:
            if fields[i] == "":
                raise DataFormatError("empty value", source, lineno, name)
            current[name].append(fields[i])
        current_lines.append(lineno)
    flush()
    if not sentences:
        raise DataFormatError("no sentences", source)

    schemes = {
        name: _normalise_span_column(sentences, line_numbers, name, input_scheme, strict, source)
        for name in span_columns
    }
    for name, allowed in (labels or {}).items():
        allowed_set = set(allowed)
        for sentence, lines in zip(sentences, line_numbers, strict=True):
            for tag, lineno in zip(sentence[name], lines, strict=True):
                if tag not in allowed_set:
                    raise DataFormatError(
                        f"tag {_short(tag)} is not one of the allowed labels {_allowed_text(list(allowed))}",
                        source,
                        lineno,
                        name,
                    )
    records = []
    for n, sentence in enumerate(sentences):
        record: dict[str, Any] = {"id": str(n), "tokens": sentence["tokens"]}
        record.update((name, sentence[name]) for name in kept_names if name != "tokens")
        if documents:
            record["document"] = document_of[n]
        records.append(record)
    return RecordList(records, schemes)


def _normalise_span_column(
    sentences: Sequence[dict[str, list[str]]],
    line_numbers: Sequence[Sequence[int]],
    name: str,
    input_scheme: str,
    strict: bool,
    source: str,
) -> str:
    """Convert one span column of every sentence to IOB2 in place and return the scheme it was in.

    ``auto`` detects the scheme over the whole file. Plain (non-strict) ``iob2`` keeps the tags as written;
    ``strict`` makes every I-X that opens a span an error.
    ``line_numbers`` gives the line of every tag, so an error names it.
    """
    scheme = detect_scheme(s[name] for s in sentences) if input_scheme == "auto" else input_scheme
    if strict and scheme == "iob1" and input_scheme == "auto":
        scheme = "iob2"  # strict: an I-X that opens a span is an error, not a sign of IOB1
    if scheme == "iob2" and input_scheme == "iob2" and not strict:
        return scheme
    for sentence, lines in zip(sentences, line_numbers, strict=True):
        try:
            sentence[name] = to_iob2(sentence[name], scheme)
        except TagSchemeError as e:
            hint = (
                ""
                if input_scheme == "auto"
                else f" (read as {scheme.upper()}; input_scheme='auto' detects it)"
            )
            raise DataFormatError(
                f"token {e.index + 1}: {e.reason}{hint}", source, lines[e.index], name
            ) from None
        i = iob2_violation(sentence[name]) if strict and scheme == "iob2" else None
        if i is not None:
            typ = split_tag(sentence[name][i])[1][:40]
            raise DataFormatError(
                f"tag {_short(sentence[name][i])} does not continue a span: I-{typ} must follow B-{typ} or "
                f"I-{typ} in IOB2; use input_scheme='iob1' for IOB1 files",
                source,
                lines[i],
                name,
            )
    return scheme


def write_conll(
    records: Iterable[Mapping[str, Any]],
    path: PathLike,
    columns: Sequence[str | None] = CONLL_COLUMNS,
    *,
    output_scheme: str = "iob2",
    scheme_columns: Sequence[str] | None = None,
    docstart: bool = False,
    sep: str = " ",
) -> None:
    """Write records as a CoNLL column file (atomically); ``None``/``"_"`` columns are written as ``_``.

    ``output_scheme`` (``iob1``, ``iob2``, ``bioes``, ``bilou``, ``bmes``) converts the span columns from IOB2,
    e.g. back to the scheme a reader found (``records.schemes``).
    """
    source = _source(path)
    if output_scheme not in SCHEMES:
        raise DataFormatError(f"output_scheme must be one of {SCHEMES}, not {output_scheme!r}", source)
    if not sep:
        raise DataFormatError("sep must not be empty", source)
    names = [name for name in columns if name not in _IGNORED]
    if "tokens" not in names:
        raise DataFormatError(f"columns {tuple(columns)!r} must include 'tokens'", source)
    span_columns = set(_default_scheme_columns(names) if scheme_columns is None else scheme_columns)
    rows = list(_check_records(records, source))

    lines: list[str] = []
    if docstart:
        filler = ["-X-"] * (len(columns) - 1)
        if filler:
            filler[-1] = "O"
        lines += [sep.join([_DOCSTART, *filler]), ""]
    for i, record in enumerate(rows):
        tokens = _record_column(record, i, "tokens", None, source)
        if not tokens:
            raise DataFormatError(f"record {i} has no tokens; CoNLL cannot hold an empty sentence", source)
        values: list[list[str]] = []
        for name in columns:
            if name in _IGNORED:
                values.append(["_"] * len(tokens))
                continue
            column = tokens if name == "tokens" else _record_column(record, i, name, len(tokens), source)
            if name in span_columns:
                column = from_iob2(column, output_scheme)
            for value in column:
                if value == "" or sep in value or any(ch.isspace() for ch in value):
                    raise DataFormatError(
                        f"record {i}: {_short(value)} is empty or contains whitespace or the separator, "
                        "so it cannot be written to a CoNLL file",
                        source,
                        field=name,
                    )
            values.append(column)
        if _DOCSTART in values[0]:
            raise DataFormatError(
                f"record {i} has a line starting with {_DOCSTART!r}, which readers skip", source
            )
        if not lines and values[0][0].startswith("\ufeff"):
            raise DataFormatError("record 0 starts with U+FEFF, which readers drop as a BOM", source)
        lines += [sep.join(row) for row in zip(*values, strict=True)]
        lines.append("")
    _atomic_write_text(path, "\n".join(lines) + ("\n" if lines else ""))


# --------------------------------------------------------------------------------------------------
# CoNLL-U


def read_conllu(path: PathLike, *, tag: str = "upos", encoding: str = "utf-8") -> list[dict]:
    """Read a CoNLL-U file into records with ``tokens`` and ``pos_tags`` (UPOS or XPOS, per ``tag``).

    Multiword ranges (``3-4``) and empty nodes (``5.1``) are skipped; ``# sent_id = X`` gives the id.
    """
    source = _source(path)
    if tag not in ("upos", "xpos"):
        raise DataFormatError(f"tag must be 'upos' or 'xpos', not {tag!r}", source)
    tag_index = 3 if tag == "upos" else 4
    text = _read_text(path, source, encoding)
    records: list[dict] = []
    tokens: list[str] = []
    tags: list[str] = []
    sent_id: str | None = None

    def flush() -> None:
        nonlocal tokens, tags, sent_id
        if tokens:
            records.append({"id": sent_id or str(len(records)), "tokens": tokens, "pos_tags": tags})
        tokens, tags, sent_id = [], [], None

    for lineno, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            match = _SENT_ID.fullmatch(line)
            if match and match.group(1):
                sent_id = match.group(1)
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise DataFormatError(
                f"expected 10 tab-separated columns but found {len(fields)}", source, lineno
            )
        word_id = fields[0]
        if _CONLLU_RANGE_ID.fullmatch(word_id) or _CONLLU_EMPTY_ID.fullmatch(word_id):
            continue
        if not _CONLLU_WORD_ID.fullmatch(word_id):
            raise DataFormatError(f"bad word ID {_short(word_id)}", source, lineno, "id")
        if fields[1] == "":
            raise DataFormatError("empty word form", source, lineno, "form")
        if fields[tag_index] in ("", "_"):
            raise DataFormatError(
                f"no {tag.upper()} tag ({fields[tag_index]!r})"
                + ("; read with tag='upos'" if tag == "xpos" else ""),
                source,
                lineno,
                tag,
            )
        tokens.append(fields[1])
        tags.append(fields[tag_index])
    flush()
    if not records:
        raise DataFormatError("no sentences", source)
    return records


def write_conllu(
    records: Iterable[Mapping[str, Any]], path: PathLike, *, tag: str = "upos", tag_field: str = "pos_tags"
) -> None:
    """Write records as CoNLL-U, atomically: the tags of ``tag_field`` go to the UPOS or XPOS column.

    Columns the records do not have (lemma, features, syntax) are written as ``_``; each sentence gets
    ``# sent_id`` and ``# text`` comments. The inverse of :func:`read_conllu` with the same ``tag``.
    """
    source = _source(path)
    if tag not in ("upos", "xpos"):
        raise DataFormatError(f"tag must be 'upos' or 'xpos', not {tag!r}", source)
    lines: list[str] = []
    seen: set[str] = set()
    for i, record in enumerate(_check_records(records, source)):
        sent_id = str(record.get("id", i))
        if not sent_id or sent_id in seen or sent_id != sent_id.strip() or _CONLLU_BAD_VALUE.search(sent_id):
            raise DataFormatError(
                f"record {i} has a repeated or unwritable id {_short(sent_id)}", source, field="id"
            )
        seen.add(sent_id)
        tokens = _record_column(record, i, "tokens", None, source)
        tags = _record_column(record, i, tag_field, len(tokens), source)
        if not tokens:
            raise DataFormatError(f"record {i} has no tokens; CoNLL-U cannot hold an empty sentence", source)
        for key, column, unwritable in (("tokens", tokens, ("",)), (tag_field, tags, ("", "_"))):
            bad = next((v for v in column if v in unwritable or _CONLLU_BAD_VALUE.search(v)), None)
            if bad is not None:
                raise DataFormatError(f"record {i} has the unwritable value {_short(bad)}", source, field=key)
        lines += [f"# sent_id = {sent_id}", f"# text = {' '.join(tokens)}"]
        for n, (word, value) in enumerate(zip(tokens, tags, strict=True), start=1):
            upos, xpos = (value, "_") if tag == "upos" else ("_", value)
            lines.append("\t".join([str(n), word, "_", upos, xpos, "_", "_", "_", "_", "_"]))
        lines.append("")
    _atomic_write_text(path, "\n".join(lines) + ("\n" if lines else ""))


# --------------------------------------------------------------------------------------------------
# JSON Lines


def read_jsonl(
    path: PathLike,
    *,
    tokens_field: str = "tokens",
    tag_fields: Sequence[str] = ("ner_tags",),
    record_tag_fields: Sequence[str] | None = None,
    input_scheme: str = "auto",
    encoding: str = "utf-8",
) -> list[dict]:
    """Read JSON Lines (one object per line, blank lines skipped) into records.

    ``tokens_field`` becomes ``"tokens"``; tag fields keep their names unless ``record_tag_fields`` renames
    them (one key per field); ``id`` is the object's or the row number. NER/chunk keys are converted to IOB2
    from ``input_scheme`` (``auto``: detected).
    """
    source = _source(path)
    _check_scheme(input_scheme, source)
    tag_fields = [tag_fields] if isinstance(tag_fields, str) else list(tag_fields)
    keys = (
        tag_fields if record_tag_fields is None else _csv_tag_fields(tag_fields, record_tag_fields, source)[1]
    )
    for name in [*tag_fields, *keys]:
        if name in ("id", "tokens", tokens_field):
            raise DataFormatError(
                f"tag field {name!r} clashes with the id or tokens field", source, field=name
            )
    records: list[dict] = []
    token_lines: list[list[int]] = []
    for lineno, obj in json_lines(path, source, encoding):
        tokens = _json_strings(obj, tokens_field, source, lineno)
        record: dict[str, Any] = {"id": _json_id(obj, len(records), source, lineno), "tokens": tokens}
        for name, key in zip(tag_fields, keys, strict=True):
            tags = _json_strings(obj, name, source, lineno)
            if len(tags) != len(tokens):
                raise DataFormatError(f"{len(tokens)} tokens but {len(tags)} tags", source, lineno, name)
            record[key] = tags
        records.append(record)
        token_lines.append([lineno] * len(tokens))
    if not records:
        raise DataFormatError("no sentences", source)
    return _in_iob2(records, token_lines, keys, input_scheme, source)


def _check_scheme(input_scheme: str, source: str) -> None:
    if input_scheme not in _SCHEMES:
        raise DataFormatError(f"input_scheme must be one of {_SCHEMES}, not {input_scheme!r}", source)


def _in_iob2(
    records: list[dict], token_lines: list[list[int]], columns: Sequence[str], input_scheme: str, source: str
) -> RecordList:
    """Records with their NER/chunk columns converted to IOB2 (errors name the tag's line)."""
    schemes = {
        name: _normalise_span_column(records, token_lines, name, input_scheme, False, source)
        for name in _default_scheme_columns(columns)
    }
    return RecordList(records, schemes)


def _json_strings(obj: dict, name: str, source: str, lineno: int) -> list[str]:
    if name not in obj:
        raise DataFormatError("missing field", source, lineno, name)
    values = obj[name]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataFormatError("expected a list of strings", source, lineno, name)
    for j, value in enumerate(values):
        if value == "":
            raise DataFormatError(f"item {j} is an empty string", source, lineno, name)
        if _SURROGATE.search(value):
            raise DataFormatError(f"item {j} holds a lone surrogate (invalid Unicode)", source, lineno, name)
    return values


def _json_id(obj: dict, row: int, source: str, lineno: int) -> str:
    if "id" not in obj:
        return str(row)
    value = obj["id"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DataFormatError(
            f"expected a string or integer id, found {type(value).__name__}", source, lineno, "id"
        )
    return str(value)


def write_jsonl(records: Iterable[Mapping[str, Any]], path: PathLike) -> None:
    """Write records as JSON Lines (UTF-8, one object per line), atomically."""
    source = _source(path)
    lines = []
    for i, record in enumerate(_check_records(records, source)):
        try:
            line = json.dumps(dict(record), ensure_ascii=False)
        except (TypeError, ValueError, RecursionError) as e:
            raise DataFormatError(f"record {i} cannot be written as JSON: {e}", source) from None
        if _SURROGATE.search(line):
            line = json.dumps(dict(record))  # lone surrogates cannot be UTF-8: escape them
        lines.append(line + "\n")
    _atomic_write_text(path, "".join(lines))


# --------------------------------------------------------------------------------------------------
# long CSV


_CSV_DEFAULT_KEYS = {"ner_tag": "ner_tags", "pos_tag": "pos_tags", "chunk_tag": "chunk_tags"}


def csv_tag_field(column: str) -> str:
    """The CSV header a long CSV gives a record column by default: ``csv_tag_field("ner_tags") == "ner_tag"``."""
    return {key: name for name, key in _CSV_DEFAULT_KEYS.items()}.get(column, column)


def _csv_tag_fields(
    columns: Sequence[str] | str, keys: Sequence[str] | str | None, source: str
) -> tuple[list[str], list[str]]:
    """Tag columns and the record keys they map to (one per column)."""
    columns = [columns] if isinstance(columns, str) else list(columns)
    if keys is None:
        keys = [_CSV_DEFAULT_KEYS.get(name, name) for name in columns]
    keys = [keys] if isinstance(keys, str) else list(keys)
    if len(keys) != len(columns):
        raise DataFormatError("record_tag_fields must name one record key per tag field", source)
    if len(set(keys)) != len(keys):
        raise DataFormatError(f"record_tag_fields {keys!r} must differ", source)
    return columns, keys


@dataclass(frozen=True)
class CsvLayout:
    """The columns of a "long" CSV, shared by :func:`read_csv` and :func:`write_csv` (their keyword options).

    ``record_tag_fields`` names the record key of each column of ``tag_fields`` (default: ``ner_tag`` ↔
    ``ner_tags``, ``pos_tag`` ↔ ``pos_tags``, ``chunk_tag`` ↔ ``chunk_tags``; other columns keep their names).
    """

    sentence_field: str = "sentence_id"
    token_field: str = "token"
    tag_fields: Sequence[str] | str = ("ner_tag",)
    record_tag_fields: Sequence[str] | str | None = None
    delimiter: str = ","

    def checked(self, source: str) -> tuple[list[str], list[str]]:
        """The tag columns and their record keys (one per column), or a ``DataFormatError`` naming the problem."""
        columns, keys = _csv_tag_fields(self.tag_fields, self.record_tag_fields, source)
        if not isinstance(self.delimiter, str) or len(self.delimiter) != 1:
            raise DataFormatError(f"delimiter must be one character, not {self.delimiter!r}", source)
        header = [self.sentence_field, self.token_field, *columns]
        if len(set(header)) != len(header):
            raise DataFormatError(f"the sentence, token and tag fields {header!r} must differ", source)
        return columns, keys


def read_csv(
    path: PathLike, *, input_scheme: str = "auto", encoding: str = "utf-8", **layout: Any
) -> list[dict]:
    """Read a "long" CSV with a header (one row per token, a sentence's rows contiguous) into records.

    ``layout`` holds the options of :class:`CsvLayout` (``sentence_field``, ``token_field``, ``tag_fields``,
    ``record_tag_fields``, ``delimiter``). Records hold ``tokens`` and one tag list per tag column, under its
    record key; the id is the sentence field's value. NER/chunk keys are converted to IOB2 from
    ``input_scheme`` (``auto``: detected).
    """
    source = _source(path)
    _check_scheme(input_scheme, source)
    options = CsvLayout(**layout)
    tag_fields, keys = options.checked(source)
    for name in keys:
        if name in ("id", "tokens"):
            raise DataFormatError(f"tag field {name!r} clashes with a record key", source, field=name)
    sentence_field, token_field = options.sentence_field, options.token_field
    wanted = [sentence_field, token_field, *tag_fields]
    text = _read_text(path, source, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=options.delimiter)
    header: list[str] | None = None
    index: dict[str, int] = {}
    records: list[dict] = []
    token_lines: list[list[int]] = []
    first_line: dict[str, int] = {}
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise DataFormatError(f"malformed CSV: {e}", source, reader.line_num) from None
        lineno, last_line = last_line + 1, reader.line_num
        if not row:
            continue
        if header is None:
            header = row
            for name in wanted:
                if header.count(name) != 1:
                    problem = "is missing from" if name not in header else "appears twice in"
                    raise DataFormatError(
                        f"column {problem} the header {_short(header)}", source, lineno, name
                    )
            index = {name: header.index(name) for name in wanted}
            continue
        if len(row) != len(header):
            raise DataFormatError(f"expected {len(header)} fields but found {len(row)}", source, lineno)
        for name in wanted:
            if row[index[name]] == "":
                raise DataFormatError("empty value", source, lineno, name)
        sentence = row[index[sentence_field]]
        if not records or records[-1]["id"] != sentence:
            if sentence in first_line:
                raise DataFormatError(
                    f"sentence {_short(sentence)} reappears; its rows must be contiguous (first seen on line "
                    f"{first_line[sentence]})",
                    source,
                    lineno,
                    sentence_field,
                )
            first_line[sentence] = lineno
            records.append({"id": sentence, "tokens": [], **{key: [] for key in keys}})
            token_lines.append([])
        records[-1]["tokens"].append(row[index[token_field]])
        token_lines[-1].append(lineno)
        for name, key in zip(tag_fields, keys, strict=True):
            records[-1][key].append(row[index[name]])
    if header is None:
        raise DataFormatError("no header and no sentences", source)
    if not records:
        raise DataFormatError("no sentences", source)
    return _in_iob2(records, token_lines, keys, input_scheme, source)


def write_csv(records: Iterable[Mapping[str, Any]], path: PathLike, **layout: Any) -> None:
    """Write records as a "long" CSV (one row per token), atomically; the inverse of :func:`read_csv`.

    ``layout`` holds the options of :class:`CsvLayout`, as for :func:`read_csv` (by default the key
    ``ner_tags`` goes to the column ``ner_tag``, and so on).
    """
    source = _source(path)
    options = CsvLayout(**layout)
    tag_fields, record_tag_fields = options.checked(source)
    header = [options.sentence_field, options.token_field, *tag_fields]
    delimiter = options.delimiter
    out = io.StringIO()
    minimal = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    # QUOTE_MINIMAL does not quote a lone "\r" when the line ends with "\n"; such rows are fully quoted
    quote_all = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(header)
    seen: set[str] = set()
    for i, record in enumerate(_check_records(records, source)):
        sentence = str(record.get("id", i))
        if sentence == "" or _SURROGATE.search(sentence):
            raise DataFormatError(f"record {i} has an empty or unwritable id", source, field="id")
        if sentence in seen:
            raise DataFormatError(f"record {i} repeats the id {_short(sentence)}", source, field="id")
        seen.add(sentence)
        tokens = _record_column(record, i, "tokens", None, source)
        if not tokens:
            raise DataFormatError(
                f"record {i} has no tokens; a long CSV cannot hold an empty sentence", source
            )
        columns = [tokens] + [
            _record_column(record, i, key, len(tokens), source) for key in record_tag_fields
        ]
        for key, column in zip(["tokens", *record_tag_fields], columns, strict=True):
            if "" in column:
                raise DataFormatError(f"record {i} has an empty value", source, field=key)
        for values in zip(*columns, strict=True):
            row = [sentence, *values]
            (quote_all if any("\r" in v for v in row) else minimal).writerow(row)
    _atomic_write_text(path, out.getvalue())


# --------------------------------------------------------------------------------------------------
# dispatch and label inventories


#: every format name :func:`read_records` accepts; ``spans``: doccano, Label Studio or CLUENER exports
FORMATS: tuple[str, ...] = ("conll", "conllu", "jsonl", "csv", "tsv", "spans")


def guess_format(path: PathLike) -> str:
    """The format of a file from its suffix; a ``.json``/``.jsonl`` file of texts with spans is ``spans``."""
    source = _source(path)
    format = SUFFIX_FORMATS.get(os.path.splitext(source)[1].lower())
    if format is None:
        raise DataFormatError(
            f"cannot tell the format from the file name; accepted suffixes: {', '.join(SUFFIX_FORMATS)} "
            f"(or pass the format: {', '.join(FORMATS)})",
            source,
        )
    if format == "jsonl":
        with open(path, encoding="utf-8", errors="replace") as f:
            first = next((line.strip() for line in f if line.strip()), "")
        if first.startswith("["):
            return "spans"  # a JSON list: Label Studio's export
        try:
            obj = json.loads(first)
        except ValueError:
            return format
        if isinstance(obj, dict) and "tokens" not in obj and isinstance(obj.get("text"), str):
            return "spans"
    return format


def read_records(path: PathLike, format: str | None = None, **kwargs: Any) -> list[dict]:
    """Read records with the reader for ``format`` (one of :data:`FORMATS`), by default guessed from the file.

    Extra keyword arguments go to that reader.
    """
    source = _source(path)
    format = guess_format(path) if format is None else format
    if format == "conll":
        return read_conll(path, **kwargs)
    if format == "conllu":
        return read_conllu(path, **kwargs)
    if format == "jsonl":
        return read_jsonl(path, **kwargs)
    if format in ("csv", "tsv"):
        if format == "tsv":
            kwargs.setdefault("delimiter", "\t")
        return read_csv(path, **kwargs)
    if format == "spans":
        return read_spans(path, **kwargs)
    raise DataFormatError(
        f"unknown format {format!r}; expected one of {', '.join(FORMATS)} (suffixes: {', '.join(SUFFIX_FORMATS)})",
        source,
    )


_PREFIX_RANK = {"": 0, "B": 1, "I": 2, "M": 2, "E": 3, "L": 3, "S": 4, "U": 4}


def collect_labels(records: Iterable[Mapping[str, Any]], column: str) -> list[str]:
    """The distinct tags of ``column``: ``"O"`` first, then by entity type with ``B-`` before ``I-``.

    Tags without an IOB prefix (e.g. POS) sort by name.
    """
    seen: set[str] = set()
    for i, record in enumerate(_check_records(records, "records")):
        seen.update(_record_column(record, i, column, None, "records"))
    rest = sorted(seen - {"O"}, key=lambda tag: (split_tag(tag)[1], _PREFIX_RANK[split_tag(tag)[0]], tag))
    return ["O", *rest] if "O" in seen else rest
