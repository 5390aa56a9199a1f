"""Tests of the tag schemes in helpers.readers: BIOES/BILOU/BMES/IOB1 files are read into IOB2 and written back."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.errors import DataFormatError
from helpers.readers import guess_format, read_conll, read_csv, read_jsonl, read_records, write_conll

TWO = ("tokens", "ner_tags")
BIOES_FILE = "Ann S-PER\nmet O\nNew B-LOC\nYork E-LOC\n\nBob B-PER\nLee I-PER\nJr E-PER\n\n"
IOB2_TAGS = [["B-PER", "O", "B-LOC", "I-LOC"], ["B-PER", "I-PER", "I-PER"]]


def put(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_names(error, path: Path, line: int, field: str) -> None:
    assert path.name in str(error.value) and error.value.line == line and error.value.field == field, (
        error.value
    )


def test_bioes_file_is_detected_and_read_as_iob2(tmp_path):
    records = read_conll(put(tmp_path, "a.bioes", BIOES_FILE), TWO)
    assert [r["ner_tags"] for r in records] == IOB2_TAGS
    assert records.schemes == {"ner_tags": "bioes"}


def test_bilou_and_bmes_files_read_like_bioes(tmp_path):
    bilou = BIOES_FILE.replace("S-", "U-").replace("E-", "L-")
    bmes = BIOES_FILE.replace("I-", "M-")
    for name, text in (("a.bilou", bilou), ("a.bmes", bmes)):
        assert [r["ner_tags"] for r in read_conll(put(tmp_path, name, text), TWO)] == IOB2_TAGS


def test_bioes_file_written_back_in_its_scheme_is_the_same_file(tmp_path):
    path = put(tmp_path, "a.txt", BIOES_FILE)
    records = read_conll(path, TWO)
    write_conll(records, tmp_path / "b.txt", TWO, output_scheme=records.schemes["ner_tags"])
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == BIOES_FILE


@pytest.mark.parametrize(
    ("text", "scheme", "line", "match"),
    [
        ("Ann S-PER\nmet O\nYork E-LOC\n", "auto", 3, "needs B-LOC"),  # E- without B-
        ("New B-LOC\nYork I-ORG\nCity E-ORG\n", "bioes", 2, "does not continue"),  # I- after another type
        ("Ann B-PER\nmet O\nBob X-PER\n", "auto", 3, "'X-PER' is not a valid IOB2 tag"),  # unknown prefix
        ("Ann B-PER\nLee I-PER\n\n", "bioes", 2, "not closed"),  # span without an end
    ],
)
def test_broken_span_names_file_line_and_field(tmp_path, text, scheme, line, match):
    path = put(tmp_path, "a.txt", text)
    with pytest.raises(DataFormatError, match=match) as error:
        read_conll(path, TWO, input_scheme=scheme)
    assert_names(error, path, line, "ner_tags")


def test_iob1_file_is_detected_and_converted(tmp_path):
    records = read_conll(put(tmp_path, "a.txt", "Ann I-PER\nmet O\n"), TWO)
    assert records[0]["ner_tags"] == ["B-PER", "O"] and records.schemes == {"ner_tags": "iob1"}


def test_jsonl_bioes_tags_are_read_as_iob2(tmp_path):
    path = put(tmp_path, "a.jsonl", '{"tokens": ["Ann", "Lee"], "ner_tags": ["B-PER", "E-PER"]}\n')
    assert read_jsonl(path)[0]["ner_tags"] == ["B-PER", "I-PER"]


def test_jsonl_broken_span_names_the_line_of_its_record(tmp_path):
    path = put(
        tmp_path,
        "a.jsonl",
        '{"tokens": ["a"], "ner_tags": ["O"]}\n{"tokens": ["b"], "ner_tags": ["E-PER"]}\n',
    )
    with pytest.raises(DataFormatError) as error:
        read_jsonl(path)
    assert_names(error, path, 2, "ner_tags")


def test_csv_bmes_tags_are_read_as_iob2(tmp_path):
    path = put(tmp_path, "a.csv", "sentence_id,token,ner_tag\n1,北,B-LOC\n1,京,E-LOC\n1,人,S-PER\n")
    assert read_csv(path)[0]["ner_tags"] == ["B-LOC", "I-LOC", "B-PER"]


def test_doccano_jsonl_is_guessed_as_spans(tmp_path):
    path = put(tmp_path, "export.jsonl", '{"text": "Paris", "label": [[0, 5, "LOC"]]}\n')
    assert guess_format(path) == "spans"
    assert read_records(path)[0]["ner_tags"] == ["B-LOC"]


def test_token_jsonl_is_guessed_as_jsonl(tmp_path):
    assert guess_format(put(tmp_path, "a.jsonl", '{"tokens": ["a"], "ner_tags": ["O"]}\n')) == "jsonl"


def test_jsonl_tag_field_can_be_renamed_and_is_then_converted(tmp_path):
    path = put(tmp_path, "a.jsonl", '{"tokens": ["Ann"], "labels": ["S-PER"]}\n')
    record = read_jsonl(path, tag_fields=("labels",), record_tag_fields=("ner_tags",))[0]
    assert record == {"id": "0", "tokens": ["Ann"], "ner_tags": ["B-PER"]}
