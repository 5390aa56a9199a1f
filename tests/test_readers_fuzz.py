"""Property tests of helpers.readers: no input makes a reader fail with anything but DataFormatError,
and writing then reading gives the records back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import DataFormatError
from helpers.readers import (
    read_conll,
    read_conllu,
    read_csv,
    read_jsonl,
    read_records,
    write_conll,
    write_csv,
    write_jsonl,
)

FUZZ = settings(max_examples=200, deadline=None)
ROUND_TRIP = settings(max_examples=100, deadline=None)
TWO_COLUMNS = ("tokens", "ner_tags")

READERS: dict[str, Callable[[Path], list[dict]]] = {
    "conll": read_conll,
    "conll-2-tab": lambda p: read_conll(p, TWO_COLUMNS, sep="\t"),
    "conll-2-strict": lambda p: read_conll(p, TWO_COLUMNS, strict=True, labels={"ner_tags": ["O", "B-PER"]}),
    "conll-2-auto-latin1": lambda p: read_conll(
        p, ("tokens", None, "ner_tags"), input_scheme="auto", encoding="latin-1"
    ),
    "conll-iob1": lambda p: read_conll(p, input_scheme="iob1"),
    "conllu": read_conllu,
    "conllu-xpos-latin1": lambda p: read_conllu(p, tag="xpos", encoding="latin-1"),
    "jsonl": read_jsonl,
    "jsonl-no-tags": lambda p: read_jsonl(p, tag_fields=()),
    "csv": read_csv,
    "csv-latin1": lambda p: read_csv(p, encoding="latin-1"),
    "tsv": lambda p: read_records(p, format="tsv"),
}

# Pieces that make random text look like the files the readers expect, so the parsers get past line one.
FRAGMENTS = [
    "\n", "\n", "\r\n", "\r", " ", " ", "\t", "\t", ",", '"', "#", "_", "-", ".", ":", "=", "{", "}", "[", "]",
    "a", "Köln", "北京", "\ufeff", "\x00", "O", "B-PER", "I-PER", "I-LOC", "B-", "-DOCSTART-", "1", "2", "1-2",
    "2.1", "# sent_id = x", "NN", "VERB", '"tokens"', '"ner_tags"', '"id"', ": [", '"a"', "null", "0",
    "sentence_id,token,ner_tag\n", "sentence_id\ttoken\tner_tag\n", '{"tokens": ["a"], "ner_tags": ["O"]}',
    "1\ta\ta\tX\tX\t_\t0\troot\t_\t_", "[" * 20_000, '{"tokens": ' + "[" * 20_000, "x" * 131_100, "1" * 5000,
]  # fmt: skip

SAFE_CHARS = st.characters(
    blacklist_categories=("Z", "C"), blacklist_characters=",\"'", min_codepoint=33, max_codepoint=0x9FFF
)
SAFE_TOKEN = st.text(SAFE_CHARS, min_size=1, max_size=6).filter(lambda t: t != "-DOCSTART-")
ANY_TOKEN = st.text(min_size=1, max_size=6)
TYPES = ["PER", "LOC", "ORG"]
POS = ["NN", "VBZ", "DT", ".", "NNP"]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_outcome(read: Callable[[Path], list[dict]], path: Path) -> None:
    """The reader returns well-formed records or raises a DataFormatError naming the file."""
    try:
        records = read(path)
    except DataFormatError as error:
        assert path.name in str(error)
        return
    assert isinstance(records, list) and records
    for record in records:
        assert isinstance(record["id"], str)
        columns = [value for key, value in record.items() if key != "id"]
        assert "tokens" in record
        assert len({len(column) for column in columns}) == 1
        assert all(isinstance(item, str) for column in columns for item in column)


def check_all_readers(path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    for read in READERS.values():
        check_outcome(read, path)


@st.composite
def iob2_tags(draw: st.DrawFn, n: int) -> list[str]:
    tags: list[str] = []
    for _ in range(n):
        prev_type = tags[-1][2:] if tags and tags[-1] != "O" else None
        choices = ["O", *(f"B-{t}" for t in TYPES)] + ([f"I-{prev_type}"] if prev_type else [])
        tags.append(draw(st.sampled_from(choices)))
    return tags


@st.composite
def records(draw: st.DrawFn, token: st.SearchStrategy[str] = SAFE_TOKEN, ids: str = "counter") -> list[dict]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        tokens = draw(st.lists(token, min_size=1, max_size=6))
        record = {"id": str(i), "tokens": tokens, "ner_tags": draw(iob2_tags(len(tokens)))}
        if ids == "text":
            record["id"] = draw(st.text(min_size=1, max_size=5))
        out.append(record)
    if ids == "text":
        # CSV needs distinct sentence ids
        for i, record in enumerate(out):
            record["id"] = f"{i}:{record['id']}"
    return out


def to_conllu(rows: list[dict]) -> str:
    lines = []
    for record in rows:
        lines.append(f"# sent_id = {record['id']}")
        for i, token in enumerate(record["tokens"], start=1):
            lines.append(f"{i}\t{token}\t{token}\tNOUN\tNN\t_\t0\troot\t_\t_")
        lines.append("")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- (a) no other exception


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes_give_records_or_data_format_error(fuzz_dir, raw):
    check_all_readers(fuzz_dir / "random-bytes.dat", raw)


@FUZZ
@given(text=st.text(max_size=200))
def test_random_text_gives_records_or_data_format_error(fuzz_dir, text):
    check_all_readers(fuzz_dir / "random-text.dat", text.encode("utf-8"))


FORMAT_LIKE_LINE = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)


@FUZZ
@given(line=FORMAT_LIKE_LINE)
def test_one_format_like_line_gives_records_or_data_format_error(fuzz_dir, line):
    check_all_readers(fuzz_dir / "format-like-line.dat", line.encode("utf-8"))


@FUZZ
@given(lines=st.lists(FORMAT_LIKE_LINE, max_size=12), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_format_like_text_gives_records_or_data_format_error(fuzz_dir, lines, newline):
    check_all_readers(fuzz_dir / "format-like.dat", newline.join(lines).encode("utf-8"))


@FUZZ
@given(
    rows=records(token=ANY_TOKEN, ids="text"),
    fmt=st.sampled_from(["conll", "jsonl", "csv", "conllu"]),
    data=st.data(),
)
def test_truncated_valid_file_gives_records_or_data_format_error(fuzz_dir, rows, fmt, data):
    path = fuzz_dir / f"truncated.{fmt}"
    try:
        if fmt == "conll":
            write_conll(rows, path, TWO_COLUMNS)
        elif fmt == "jsonl":
            write_jsonl(rows, path)
        elif fmt == "csv":
            write_csv(rows, path, record_tag_fields=("ner_tags",))
        else:
            path.write_text(to_conllu(rows), encoding="utf-8")
    except DataFormatError:
        # tokens with whitespace cannot be written as CoNLL; use the same rows with safe tokens instead
        rows = data.draw(records())
        write_conll(rows, path, TWO_COLUMNS)
    raw = path.read_bytes()
    cut = data.draw(st.integers(0, len(raw)))
    check_all_readers(path, raw[:cut])


# ----------------------------------------------------------------------------- (b) round trips


@ROUND_TRIP
@given(rows=records(), pos=st.data(), sep=st.sampled_from([" ", "\t"]))
def test_conll_write_then_read_is_identity(fuzz_dir, rows, pos, sep):
    for record in rows:
        record["pos_tags"] = pos.draw(
            st.lists(st.sampled_from(POS), min_size=len(record["tokens"]), max_size=len(record["tokens"]))
        )
    columns = ("tokens", "pos_tags", "ner_tags")
    path = fuzz_dir / "round-trip.conll"
    write_conll(rows, path, columns, sep=sep)
    assert read_conll(path, columns, sep=None if sep == " " else sep, strict=True) == rows


@ROUND_TRIP
@given(rows=records(), docstart=st.booleans())
def test_conll_iob1_write_then_iob1_read_is_identity(fuzz_dir, rows, docstart):
    path = fuzz_dir / "round-trip-iob1.conll"
    write_conll(rows, path, TWO_COLUMNS, output_scheme="iob1", docstart=docstart)
    assert read_conll(path, TWO_COLUMNS, input_scheme="iob1") == rows
    assert read_conll(path, TWO_COLUMNS, input_scheme="auto") == rows


@ROUND_TRIP
@given(rows=records(token=ANY_TOKEN, ids="text"))
def test_jsonl_write_then_read_is_identity(fuzz_dir, rows):
    path = fuzz_dir / "round-trip.jsonl"
    write_jsonl(rows, path)
    assert read_jsonl(path) == rows


@ROUND_TRIP
@given(rows=records(token=ANY_TOKEN, ids="text"), delimiter=st.sampled_from([",", "\t", ";"]))
def test_csv_write_then_read_is_identity(fuzz_dir, rows, delimiter):
    path = fuzz_dir / "round-trip.csv"
    write_csv(rows, path, tag_fields=("ner_tags",), delimiter=delimiter)
    assert read_csv(path, tag_fields=("ner_tags",), delimiter=delimiter) == rows
