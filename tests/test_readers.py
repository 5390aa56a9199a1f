"""Tests of helpers.readers: one behaviour per test, with the smallest file that shows it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.errors import DataFormatError
from helpers.readers import (
    collect_labels,
    read_conll,
    read_conllu,
    read_csv,
    read_jsonl,
    read_records,
    write_conll,
    write_conllu,
    write_csv,
    write_jsonl,
)

TWO_COLUMNS = ("tokens", "ner_tags")


def put(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def assert_names(error: pytest.ExceptionInfo[DataFormatError], path: Path, line: int | None, field=None):
    message = str(error.value)
    assert path.name in message
    if line is not None:
        assert f"line {line}" in message
        assert error.value.line == line
    if field is not None:
        assert repr(field) in message
        assert error.value.field == field


# ----------------------------------------------------------------------------- read_conll


def test_reads_four_conll2003_columns_into_records(tmp_path):
    path = put(tmp_path, "a.conll", "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n")
    assert read_conll(path) == [
        {
            "id": "0",
            "tokens": ["EU", "rejects"],
            "pos_tags": ["NNP", "VBZ"],
            "chunk_tags": ["B-NP", "B-VP"],
            "ner_tags": ["B-ORG", "O"],
        }
    ]


def test_blank_lines_separate_sentences_and_ids_count_from_zero(tmp_path):
    path = put(tmp_path, "a.conll", "a O\n\n\nb O\n\nc O\n")
    records = read_conll(path, TWO_COLUMNS)
    assert [r["id"] for r in records] == ["0", "1", "2"]
    assert [r["tokens"] for r in records] == [["a"], ["b"], ["c"]]


def test_docstart_lines_are_not_sentences(tmp_path):
    path = put(tmp_path, "a.conll", "-DOCSTART- O\n\na O\n\n-DOCSTART- O\n\nb O\n")
    records = read_conll(path, TWO_COLUMNS)
    assert [r["tokens"] for r in records] == [["a"], ["b"]]
    assert [r["id"] for r in records] == ["0", "1"]


def test_docstart_line_may_have_another_column_count(tmp_path):
    path = put(tmp_path, "a.conll", "-DOCSTART- -X- -X- O\n\na O\n")
    assert read_conll(path, TWO_COLUMNS)[0]["tokens"] == ["a"]


def test_runs_of_spaces_and_tabs_separate_columns_by_default(tmp_path):
    path = put(tmp_path, "a.conll", "a  \t B-PER  \n")
    assert read_conll(path, TWO_COLUMNS)[0]["ner_tags"] == ["B-PER"]


def test_tab_separator_keeps_spaces_inside_tokens(tmp_path):
    path = put(tmp_path, "a.tsv", "New York\tB-LOC\n")
    assert read_conll(path, TWO_COLUMNS, sep="\t")[0]["tokens"] == ["New York"]


def test_ignored_columns_are_left_out_of_records(tmp_path):
    path = put(tmp_path, "a.conll", "a x y O\n")
    record = read_conll(path, ("tokens", None, "_", "ner_tags"))[0]
    assert record == {"id": "0", "tokens": ["a"], "ner_tags": ["O"]}


def test_wrong_column_count_names_file_and_line(tmp_path):
    path = put(tmp_path, "a.conll", "a O\n\nb O\nc\n")
    with pytest.raises(DataFormatError) as error:
        read_conll(path, TWO_COLUMNS)
    assert_names(error, path, 4)
    assert "expected 2" in str(error.value) and "found 1" in str(error.value)


def test_missing_file_raises_file_not_found_with_path(tmp_path):
    path = tmp_path / "missing.conll"
    with pytest.raises(FileNotFoundError, match="missing.conll"):
        read_conll(path)


def test_path_may_be_a_string(tmp_path):
    path = put(tmp_path, "a.conll", "a O\n")
    assert read_conll(str(path), TWO_COLUMNS)[0]["tokens"] == ["a"]


def test_iob1_input_is_converted_to_iob2(tmp_path):
    path = put(tmp_path, "a.conll", "a I-PER\nb I-PER\nc B-PER\nd O\ne I-LOC\n")
    tags = read_conll(path, TWO_COLUMNS, input_scheme="iob1")[0]["ner_tags"]
    assert tags == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]


def test_iob1_conversion_applies_to_chunk_column_too(tmp_path):
    path = put(tmp_path, "a.conll", "a NN I-NP I-PER\n")
    record = read_conll(path, input_scheme="iob1")[0]
    assert record["chunk_tags"] == ["B-NP"] and record["ner_tags"] == ["B-PER"]


def test_scheme_columns_choose_which_columns_are_converted(tmp_path):
    path = put(tmp_path, "a.conll", "a I-X I-PER\n")
    columns = ("tokens", "spans", "ner_tags")
    record = read_conll(path, columns, scheme_columns=["spans"], input_scheme="iob1")[0]
    assert record["spans"] == ["B-X"] and record["ner_tags"] == ["I-PER"]


def test_iob2_input_is_kept_as_written_when_not_strict(tmp_path):
    path = put(tmp_path, "a.conll", "a O\nb I-PER\n")
    assert read_conll(path, TWO_COLUMNS, input_scheme="iob2")[0]["ner_tags"] == ["O", "I-PER"]


def test_strict_iob2_rejects_i_tag_that_does_not_continue_a_span(tmp_path):
    path = put(tmp_path, "a.conll", "a B-LOC\nb I-PER\n")
    with pytest.raises(DataFormatError) as error:
        read_conll(path, TWO_COLUMNS, strict=True)
    assert_names(error, path, 2, "ner_tags")
    assert "I-PER must follow B-PER or I-PER in IOB2" in str(error.value)
    assert "input_scheme='iob1'" in str(error.value)


def test_strict_accepts_valid_iob2(tmp_path):
    path = put(tmp_path, "a.conll", "a B-PER\nb I-PER\nc O\n")
    assert read_conll(path, TWO_COLUMNS, strict=True)[0]["ner_tags"] == ["B-PER", "I-PER", "O"]


def test_auto_scheme_converts_a_file_with_iob2_violations(tmp_path):
    path = put(tmp_path, "a.conll", "a B-PER\n\nb I-LOC\nc I-LOC\n")
    records = read_conll(path, TWO_COLUMNS, input_scheme="auto")
    assert [r["ner_tags"] for r in records] == [["B-PER"], ["B-LOC", "I-LOC"]]


def test_auto_scheme_keeps_a_valid_iob2_file(tmp_path):
    path = put(tmp_path, "a.conll", "a B-PER\nb I-PER\nc B-PER\n")
    assert read_conll(path, TWO_COLUMNS, input_scheme="auto")[0]["ner_tags"] == ["B-PER", "I-PER", "B-PER"]


def test_tag_outside_allowed_labels_names_file_line_and_field(tmp_path):
    path = put(tmp_path, "a.conll", "a O\nb B-PERSON\n")
    with pytest.raises(DataFormatError) as error:
        read_conll(path, TWO_COLUMNS, labels={"ner_tags": ["O", "B-PER", "I-PER"]})
    assert_names(error, path, 2, "ner_tags")
    assert "'B-PERSON'" in str(error.value) and "'I-PER'" in str(error.value)


def test_allowed_labels_message_lists_at_most_twenty_names(tmp_path):
    path = put(tmp_path, "a.conll", "a ZZZ\n")
    allowed = [f"T{i:02d}" for i in range(30)]
    with pytest.raises(DataFormatError) as error:
        read_conll(path, ("tokens", "pos_tags"), labels={"pos_tags": allowed})
    assert "'T19'" in str(error.value) and "'T20'" not in str(error.value)
    assert "10 more" in str(error.value)


def test_allowed_labels_accept_known_tags(tmp_path):
    path = put(tmp_path, "a.conll", "a B-PER\n")
    assert read_conll(path, TWO_COLUMNS, labels={"ner_tags": ["O", "B-PER"]})[0]["ner_tags"] == ["B-PER"]


def test_utf8_bom_is_stripped(tmp_path):
    path = put(tmp_path, "a.conll", b"\xef\xbb\xbfa O\n")
    assert read_conll(path, TWO_COLUMNS)[0]["tokens"] == ["a"]


def test_crlf_line_endings_are_accepted(tmp_path):
    path = put(tmp_path, "a.conll", b"a O\r\nb O\r\n\r\nc O\r\n")
    assert [r["tokens"] for r in read_conll(path, TWO_COLUMNS)] == [["a", "b"], ["c"]]


def test_cr_line_endings_are_accepted(tmp_path):
    path = put(tmp_path, "a.conll", b"a O\rb O\r\rc O\r")
    assert [r["tokens"] for r in read_conll(path, TWO_COLUMNS)] == [["a", "b"], ["c"]]


def test_invalid_utf8_names_file_and_line_and_suggests_latin1(tmp_path):
    path = put(tmp_path, "a.conll", b"a O\n\n" + "K\u00f6ln B-LOC\n".encode("latin-1"))
    with pytest.raises(DataFormatError) as error:
        read_conll(path, TWO_COLUMNS)
    assert_names(error, path, 3)
    assert "encoding='latin-1'" in str(error.value)


def test_latin1_encoding_reads_latin1_bytes(tmp_path):
    path = put(tmp_path, "a.conll", "K\u00f6ln B-LOC\n".encode("latin-1"))
    assert read_conll(path, TWO_COLUMNS, encoding="latin-1")[0]["tokens"] == ["K\u00f6ln"]


def test_utf8_non_ascii_tokens_are_read(tmp_path):
    path = put(tmp_path, "a.conll", "北京 B-LOC\n")
    assert read_conll(path, TWO_COLUMNS)[0]["tokens"] == ["北京"]


# ----------------------------------------------------------------------------- write_conll

RECORDS = [
    {"id": "0", "tokens": ["EU", "rejects", "German"], "ner_tags": ["B-ORG", "O", "B-MISC"]},
    {"id": "1", "tokens": ["Peter", "Blackburn"], "ner_tags": ["B-PER", "I-PER"]},
]


def test_conll_write_then_read_gives_the_same_records(tmp_path):
    path = tmp_path / "a.conll"
    write_conll(RECORDS, path, TWO_COLUMNS)
    assert read_conll(path, TWO_COLUMNS) == RECORDS


def test_conll_round_trip_with_tab_separator(tmp_path):
    path = tmp_path / "a.conll"
    write_conll(RECORDS, path, TWO_COLUMNS, sep="\t")
    assert "EU\tB-ORG\n" in path.read_text()
    assert read_conll(path, TWO_COLUMNS, sep="\t") == RECORDS


def test_iob1_output_opens_spans_with_i(tmp_path):
    path = tmp_path / "a.conll"
    records = [{"id": "0", "tokens": ["a", "b", "c"], "ner_tags": ["B-PER", "B-PER", "I-PER"]}]
    write_conll(records, path, TWO_COLUMNS, output_scheme="iob1")
    assert path.read_text() == "a I-PER\nb B-PER\nc I-PER\n\n"


def test_iob1_output_read_with_iob1_input_gives_the_same_records(tmp_path):
    path = tmp_path / "a.conll"
    write_conll(RECORDS, path, TWO_COLUMNS, output_scheme="iob1")
    assert read_conll(path, TWO_COLUMNS, input_scheme="iob1") == RECORDS


def test_write_conll_docstart_header_is_skipped_on_read(tmp_path):
    path = tmp_path / "a.conll"
    write_conll(RECORDS, path, TWO_COLUMNS, docstart=True)
    assert path.read_text().startswith("-DOCSTART- O\n\n")
    assert read_conll(path, TWO_COLUMNS) == RECORDS


def test_write_conll_writes_ignored_columns_as_underscore(tmp_path):
    path = tmp_path / "a.conll"
    write_conll(RECORDS[:1], path, ("tokens", None, "ner_tags"))
    assert path.read_text().splitlines()[0] == "EU _ B-ORG"


def test_write_conll_rejects_token_with_whitespace_naming_record_and_field(tmp_path):
    path = tmp_path / "a.conll"
    records = [RECORDS[0], {"id": "1", "tokens": ["New York"], "ner_tags": ["B-LOC"]}]
    with pytest.raises(DataFormatError) as error:
        write_conll(records, path, TWO_COLUMNS)
    assert_names(error, path, None, "tokens")
    assert "record 1" in str(error.value)


def test_write_conll_rejects_empty_token(tmp_path):
    path = tmp_path / "a.conll"
    with pytest.raises(DataFormatError) as error:
        write_conll([{"id": "0", "tokens": [""], "ner_tags": ["O"]}], path, TWO_COLUMNS)
    assert_names(error, path, None, "tokens")
    assert "record 0" in str(error.value)


def test_write_conll_rejects_value_containing_the_separator(tmp_path):
    path = tmp_path / "a.conll"
    with pytest.raises(DataFormatError) as error:
        write_conll([{"id": "0", "tokens": ["a|b"], "ner_tags": ["O"]}], path, TWO_COLUMNS, sep="|")
    assert_names(error, path, None, "tokens")


def test_write_conll_rejects_tags_of_another_length(tmp_path):
    path = tmp_path / "a.conll"
    with pytest.raises(DataFormatError) as error:
        write_conll([{"id": "0", "tokens": ["a", "b"], "ner_tags": ["O"]}], path, TWO_COLUMNS)
    assert_names(error, path, None, "ner_tags")
    assert "record 0" in str(error.value)


def test_write_conll_rejects_missing_column(tmp_path):
    path = tmp_path / "a.conll"
    with pytest.raises(DataFormatError) as error:
        write_conll([{"id": "0", "tokens": ["a"]}], path, TWO_COLUMNS)
    assert_names(error, path, None, "ner_tags")


def test_write_conll_rejects_docstart_token_that_readers_would_skip(tmp_path):
    path = tmp_path / "a.conll"
    with pytest.raises(DataFormatError, match="record 0") as error:
        write_conll([{"id": "0", "tokens": ["a", "-DOCSTART-"], "ner_tags": ["O", "O"]}], path, TWO_COLUMNS)
    assert_names(error, path, None)


def test_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = put(tmp_path, "a.conll", "old O\n")
    with pytest.raises(DataFormatError):
        write_conll([RECORDS[0], {"id": "1", "tokens": ["a b"], "ner_tags": ["O"]}], path, TWO_COLUMNS)
    assert path.read_text() == "old O\n"
    assert os.listdir(tmp_path) == ["a.conll"]


def test_write_replaces_an_existing_file(tmp_path):
    path = put(tmp_path, "a.conll", "old O\n")
    write_conll(RECORDS, path, TWO_COLUMNS)
    assert read_conll(path, TWO_COLUMNS) == RECORDS
    assert os.listdir(tmp_path) == ["a.conll"]


# ----------------------------------------------------------------------------- read_conllu

CONLLU = (
    "# sent_id = s1\n"
    "# text = Vámonos al mar.\n"
    "1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "1\tVamos\tir\tVERB\tV\t_\t0\troot\t_\t_\n"
    "2\tnos\tnosotros\tPRON\tP\t_\t1\tobj\t_\t_\n"
    "2.1\tgo\tgo\tVERB\tV\t_\t_\t_\t0:root\t_\n"
    "3\tmar\tmar\tNOUN\tN\t_\t1\tobl\t_\t_\n"
    "\n"
    "1\tHola\thola\tINTJ\tI\t_\t0\troot\t_\t_\n"
    "\n"
)


def test_conllu_reads_upos_tags(tmp_path):
    path = put(tmp_path, "a.conllu", CONLLU)
    assert read_conllu(path)[0]["pos_tags"] == ["VERB", "PRON", "NOUN"]


def test_conllu_skips_multiword_ranges_and_empty_nodes(tmp_path):
    path = put(tmp_path, "a.conllu", CONLLU)
    assert read_conllu(path)[0]["tokens"] == ["Vamos", "nos", "mar"]


def test_conllu_uses_sent_id_comment_as_id(tmp_path):
    path = put(tmp_path, "a.conllu", CONLLU)
    assert [r["id"] for r in read_conllu(path)] == ["s1", "1"]


def test_conllu_reads_xpos_tags(tmp_path):
    path = put(tmp_path, "a.conllu", CONLLU)
    assert read_conllu(path, tag="xpos")[1] == {"id": "1", "tokens": ["Hola"], "pos_tags": ["I"]}


def test_conllu_wrong_column_count_names_file_and_line(tmp_path):
    path = put(tmp_path, "a.conllu", "# c\n1\ta\ta\tX\n")
    with pytest.raises(DataFormatError) as error:
        read_conllu(path)
    assert_names(error, path, 2)
    assert "10" in str(error.value)


POS_RECORDS = [
    {"id": "s1", "tokens": ["Vamos", "al", "mar", "_"], "pos_tags": ["VERB", "ADP", "NOUN", "PUNCT"]},
    {"id": "doc 2", "tokens": ["Hola"], "pos_tags": ["INTJ"]},
]


@pytest.mark.parametrize("tag", ["upos", "xpos"])
def test_conllu_write_then_read_gives_the_same_records(tmp_path, tag):
    path = tmp_path / "a.conllu"
    write_conllu(POS_RECORDS, path, tag=tag)
    assert read_conllu(path, tag=tag) == POS_RECORDS


def test_conllu_writer_fills_missing_columns_with_underscores(tmp_path):
    path = tmp_path / "a.conllu"
    write_conllu(POS_RECORDS[1:], path)
    assert path.read_text(encoding="utf-8") == (
        "# sent_id = doc 2\n# text = Hola\n1\tHola\t_\tINTJ\t_\t_\t_\t_\t_\t_\n\n"
    )


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "a", "tokens": ["x\ty"], "pos_tags": ["X"]}, "tokens"),
        ({"id": "a", "tokens": ["x"], "pos_tags": ["_"]}, "pos_tags"),
        ({"id": "a", "tokens": ["x", "y"], "pos_tags": ["X"]}, "pos_tags"),
        ({"id": " a", "tokens": ["x"], "pos_tags": ["X"]}, "id"),
    ],
)
def test_conllu_writer_refuses_what_cannot_be_read_back(tmp_path, record, field):
    path = tmp_path / "a.conllu"
    with pytest.raises(DataFormatError) as error:
        write_conllu([record], path)
    assert_names(error, path, None, field)
    assert not path.exists()


# ----------------------------------------------------------------------------- JSON Lines


def test_jsonl_write_then_read_gives_the_same_records(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(RECORDS, path)
    assert read_jsonl(path) == RECORDS


def test_jsonl_keeps_non_ascii_readable(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl([{"id": "0", "tokens": ["北京"], "ner_tags": ["B-LOC"]}], path)
    assert "北京" in path.read_text(encoding="utf-8")


def test_jsonl_id_defaults_to_row_number(tmp_path):
    path = put(
        tmp_path, "a.jsonl", '{"tokens": ["a"], "ner_tags": ["O"]}\n{"tokens": ["b"], "ner_tags": ["O"]}\n'
    )
    assert [r["id"] for r in read_jsonl(path)] == ["0", "1"]


def test_jsonl_integer_id_becomes_a_string(tmp_path):
    path = put(tmp_path, "a.jsonl", '{"id": 7, "tokens": ["a"], "ner_tags": ["O"]}\n')
    assert read_jsonl(path)[0]["id"] == "7"


def test_jsonl_blank_lines_are_skipped(tmp_path):
    path = put(tmp_path, "a.jsonl", '\n{"tokens": ["a"], "ner_tags": ["O"]}\n\n')
    assert read_jsonl(path) == [{"id": "0", "tokens": ["a"], "ner_tags": ["O"]}]


def test_jsonl_tokens_field_is_renamed_to_tokens(tmp_path):
    path = put(tmp_path, "a.jsonl", '{"words": ["a"], "pos": ["DT"]}\n')
    assert read_jsonl(path, tokens_field="words", tag_fields=("pos",)) == [
        {"id": "0", "tokens": ["a"], "pos": ["DT"]}
    ]


# ----------------------------------------------------------------------------- long CSV

CSV_RECORDS = [
    {"id": "s1", "tokens": ["Hello", ",", 'say "hi"'], "ner_tags": ["O", "O", "O"]},
    {"id": "s2", "tokens": ["Paris"], "ner_tags": ["B-LOC"]},
]


def test_csv_write_then_read_gives_the_same_records(tmp_path):
    path = tmp_path / "a.csv"
    write_csv(CSV_RECORDS, path)
    assert read_csv(path) == CSV_RECORDS


def test_csv_tag_column_ner_tag_becomes_the_records_ner_tags(tmp_path):
    path = put(tmp_path, "a.csv", "sentence_id,token,ner_tag,pos_tag,lemma\n1,Paris,B-LOC,NNP,paris\n")
    assert read_csv(path, tag_fields=("ner_tag", "pos_tag", "lemma")) == [
        {"id": "1", "tokens": ["Paris"], "ner_tags": ["B-LOC"], "pos_tags": ["NNP"], "lemma": ["paris"]}
    ]
    assert read_csv(path, record_tag_fields=("entity",)) == [
        {"id": "1", "tokens": ["Paris"], "entity": ["B-LOC"]}
    ]


def test_csv_file_loads_as_a_dataset_with_ner_tags(tmp_path):
    from helpers.data import load_token_files

    write_csv(CSV_RECORDS, tmp_path / "train.csv")
    assert "sentence_id,token,ner_tag\n" in (tmp_path / "train.csv").read_text(encoding="utf-8")
    ds = load_token_files({"train": tmp_path / "train.csv"})
    assert ds["train"].features["ner_tags"].feature.names == ["O", "B-LOC"]


def test_csv_reads_quoted_token_containing_a_comma(tmp_path):
    path = put(tmp_path, "a.csv", 'sentence_id,token,ner_tag\n1,"1,000",O\n')
    assert read_csv(path)[0]["tokens"] == ["1,000"]


def test_csv_contiguous_rows_with_one_sentence_id_form_one_record(tmp_path):
    path = put(tmp_path, "a.csv", "sentence_id,token,ner_tag\n7,a,O\n7,b,O\n8,c,B-PER\n")
    assert read_csv(path) == [
        {"id": "7", "tokens": ["a", "b"], "ner_tags": ["O", "O"]},
        {"id": "8", "tokens": ["c"], "ner_tags": ["B-PER"]},
    ]


def test_csv_extra_columns_are_ignored(tmp_path):
    path = put(tmp_path, "a.csv", "lemma,sentence_id,token,ner_tag\nx,1,a,O\n")
    assert read_csv(path) == [{"id": "1", "tokens": ["a"], "ner_tags": ["O"]}]


def test_huge_values_are_cut_short_in_messages(tmp_path):
    path = put(tmp_path, "a.conll", "a " + "Q" * 10_000 + "\n")
    with pytest.raises(DataFormatError) as error:
        read_conll(path, TWO_COLUMNS, strict=True)
    assert len(str(error.value)) < 300


def test_csv_tab_delimiter(tmp_path):
    path = put(tmp_path, "a.tsv", "sentence_id\ttoken\tner_tag\n1\ta,b\tO\n")
    assert read_csv(path, delimiter="\t")[0]["tokens"] == ["a,b"]


def test_write_csv_maps_record_keys_to_tag_columns(tmp_path):
    path = tmp_path / "a.csv"
    write_csv(RECORDS[1:], path, tag_fields=("ner_tag",), record_tag_fields=("ner_tags",))
    assert path.read_text() == "sentence_id,token,ner_tag\n1,Peter,B-PER\n1,Blackburn,I-PER\n"


def test_write_csv_rejects_repeated_record_ids(tmp_path):
    path = tmp_path / "a.csv"
    with pytest.raises(DataFormatError, match="record 1") as error:
        write_csv([CSV_RECORDS[1], CSV_RECORDS[1]], path)
    assert_names(error, path, None, "id")


# ----------------------------------------------------------------------------- read_records


@pytest.mark.parametrize("suffix", [".conll", ".txt", ".iob", ".bio"])
def test_read_records_reads_conll_suffixes(tmp_path, suffix):
    path = put(tmp_path, "a" + suffix, "a NN B-NP B-PER\n")
    assert read_records(path)[0]["ner_tags"] == ["B-PER"]


def test_read_records_passes_keyword_arguments_to_the_reader(tmp_path):
    path = put(tmp_path, "a.conll", "a I-PER\n")
    assert read_records(path, columns=TWO_COLUMNS, input_scheme="iob1")[0]["ner_tags"] == ["B-PER"]


def test_read_records_reads_conllu_suffix(tmp_path):
    path = put(tmp_path, "a.conllu", CONLLU)
    assert read_records(path)[0]["id"] == "s1"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_read_records_reads_jsonl_suffixes(tmp_path, suffix):
    path = put(tmp_path, "a" + suffix, '{"tokens": ["a"], "ner_tags": ["O"]}\n')
    assert read_records(path)[0]["tokens"] == ["a"]


def test_read_records_reads_csv_suffix(tmp_path):
    path = put(tmp_path, "a.csv", "sentence_id,token,ner_tag\n1,a,O\n")
    assert read_records(path)[0]["tokens"] == ["a"]


def test_read_records_reads_tsv_suffix_with_tab_delimiter(tmp_path):
    path = put(tmp_path, "a.tsv", "sentence_id\ttoken\tner_tag\n1\ta,b\tO\n")
    assert read_records(path)[0]["tokens"] == ["a,b"]


def test_read_records_format_overrides_suffix(tmp_path):
    path = put(tmp_path, "data.dat", '{"tokens": ["a"], "ner_tags": ["O"]}\n')
    assert read_records(path, format="jsonl")[0]["tokens"] == ["a"]


def test_read_records_unknown_suffix_names_file_and_accepted_suffixes(tmp_path):
    path = put(tmp_path, "data.xlsx", "")
    with pytest.raises(DataFormatError) as error:
        read_records(path)
    assert_names(error, path, None)
    assert ".conll" in str(error.value) and ".jsonl" in str(error.value) and ".csv" in str(error.value)


# ----------------------------------------------------------------------------- collect_labels


def test_collect_labels_puts_o_first_then_types_with_b_before_i():
    records = [
        {"tokens": ["a", "b", "c"], "ner_tags": ["I-PER", "B-PER", "O"]},
        {"tokens": ["d", "e"], "ner_tags": ["I-LOC", "B-LOC"]},
    ]
    assert collect_labels(records, "ner_tags") == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]


def test_collect_labels_sorts_flat_tags_by_name():
    records = [{"tokens": ["a", "b", "c"], "pos_tags": ["VBZ", "DT", "NN"]}]
    assert collect_labels(records, "pos_tags") == ["DT", "NN", "VBZ"]


def test_collect_labels_missing_column_is_a_data_format_error():
    with pytest.raises(DataFormatError, match="record 0"):
        collect_labels([{"tokens": ["a"]}], "ner_tags")


# ----------------------------------------------------------------------------- malformed input, one table
# Each row: file name, content, how it is read, what the DataFormatError says, and what it names besides the
# file (line[, field]), or None where only the message is checked.

MALFORMED = [
    pytest.param(
        "a.conll",
        "a O\n",
        lambda path: read_conll(path, ("words", "ner_tags")),
        "tokens",
        None,
        id="tokens_column_is_required",
    ),
    pytest.param(
        "a.conll",
        "a\tO\nb\t\n",
        lambda path: read_conll(path, TWO_COLUMNS, sep="\t"),
        None,
        (2, "ner_tags"),
        id="empty_field_with_explicit_separator_names_line_and_field",
    ),
    pytest.param(
        "a.conll",
        "",
        lambda path: read_conll(path),
        "no sentences",
        (None,),
        id="empty_file_has_no_sentences",
    ),
    pytest.param(
        "a.conll",
        "-DOCSTART- -X- -X- O\n\n",
        lambda path: read_conll(path),
        "no sentences",
        None,
        id="file_with_only_docstart_has_no_sentences",
    ),
    pytest.param(
        "a.conll",
        "a O\nb PER\n",
        lambda path: read_conll(path, TWO_COLUMNS, strict=True),
        None,
        (2, "ner_tags"),
        id="strict_rejects_tag_that_is_not_iob",
    ),
    pytest.param(
        "a.conll",
        "a O\n",
        lambda path: read_conll(path, TWO_COLUMNS, input_scheme="bio"),
        "input_scheme",
        None,
        id="unknown_input_scheme_is_rejected",
    ),
    pytest.param(
        "a.conllu",
        "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n",
        lambda path: read_conllu(path, tag="xpos"),
        None,
        (2, "xpos"),
        id="conllu_missing_xpos_names_file_and_line",
    ),
    pytest.param(
        "a.conllu",
        "x\ta\ta\tX\tX\t_\t0\troot\t_\t_\n",
        lambda path: read_conllu(path),
        None,
        (1, "id"),
        id="conllu_bad_word_id_names_line",
    ),
    pytest.param(
        "a.conllu",
        "# only a comment\n",
        lambda path: read_conllu(path),
        "no sentences",
        None,
        id="conllu_empty_file_has_no_sentences",
    ),
    pytest.param(
        "a.jsonl",
        '{"tokens": ["a"], "ner_tags": ["O"]}\n{"tokens": [\n',
        lambda path: read_jsonl(path),
        "invalid JSON",
        (2,),
        id="jsonl_invalid_json_names_file_and_line",
    ),
    pytest.param(
        "a.jsonl",
        '[["a"], ["O"]]\n',
        lambda path: read_jsonl(path),
        "object",
        (1,),
        id="jsonl_line_that_is_not_an_object_names_line",
    ),
    pytest.param(
        "a.jsonl",
        '{"tokens": ["a"]}\n',
        lambda path: read_jsonl(path),
        "missing",
        (1, "ner_tags"),
        id="jsonl_missing_field_names_line_and_field",
    ),
    pytest.param(
        "a.jsonl",
        '{"tokens": ["a"], "ner_tags": [0]}\n',
        lambda path: read_jsonl(path),
        "list of strings",
        (1, "ner_tags"),
        id="jsonl_field_that_is_not_a_list_of_strings_names_line_and_field",
    ),
    pytest.param(
        "a.jsonl",
        '{"tokens": ["a", "b", "c"], "ner_tags": ["O", "O"]}\n',
        lambda path: read_jsonl(path),
        "3 tokens but 2 tags",
        (1, "ner_tags"),
        id="jsonl_length_mismatch_names_line_field_and_counts",
    ),
    pytest.param(
        "a.jsonl",
        "[" * 100_000 + "\n",
        lambda path: read_jsonl(path),
        "invalid JSON",
        (1,),
        id="jsonl_deeply_nested_json_is_a_data_format_error",
    ),
    pytest.param(
        "a.jsonl",
        '{"tokens": ["\\ud800"], "ner_tags": ["O"]}\n',
        lambda path: read_jsonl(path),
        "surrogate",
        (1, "tokens"),
        id="jsonl_lone_surrogate_in_tokens_names_line_and_field",
    ),
    pytest.param(
        "a.jsonl",
        "\n",
        lambda path: read_jsonl(path),
        "no sentences",
        None,
        id="jsonl_empty_file_has_no_sentences",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag,ner_tags\n1,Paris,B-LOC,B-LOC\n",
        lambda path: read_csv(path, tag_fields=("ner_tag", "ner_tags")),
        "must differ",
        (None,),
        id="csv_two_columns_mapped_to_one_record_key_is_refused",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n1,a,O\n2,b,O\n1,c,O\n",
        lambda path: read_csv(path),
        "contiguous",
        (4, "sentence_id"),
        id="csv_sentence_id_reappearing_later_names_line_and_field",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token\n1,a\n",
        lambda path: read_csv(path),
        "missing",
        (1, "ner_tag"),
        id="csv_missing_header_column_names_line_and_field",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n1,a,O\n1,,O\n",
        lambda path: read_csv(path),
        None,
        (3, "token"),
        id="csv_empty_token_names_line_and_field",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n1,a,\n",
        lambda path: read_csv(path),
        None,
        (2, "ner_tag"),
        id="csv_empty_tag_names_line_and_field",
    ),
    pytest.param(
        "a.csv",
        'sentence_id,token,ner_tag\n1,"two\nlines",O\n1,b,\n',
        lambda path: read_csv(path),
        None,
        (4, "ner_tag"),
        id="csv_line_numbers_count_physical_lines",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n1,a\n",
        lambda path: read_csv(path),
        "expected 3",
        (2,),
        id="csv_row_with_wrong_field_count_names_line",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n1,a,O\n1," + "x" * 200_000 + ",O\n",
        lambda path: read_csv(path),
        "field limit",
        (3,),
        id="csv_field_over_the_csv_size_limit_names_line",
    ),
    pytest.param(
        "a.csv",
        "sentence_id,token,ner_tag\n",
        lambda path: read_csv(path),
        "no sentences",
        None,
        id="csv_header_only_has_no_sentences",
    ),
    pytest.param(
        "a.conll",
        "a O\n",
        lambda path: read_records(path, format="parquet"),
        "unknown format",
        None,
        id="read_records_unknown_format_is_rejected",
    ),
]


@pytest.mark.parametrize(("name", "text", "read", "match", "names"), MALFORMED)
def test_malformed_input_is_an_error_naming_file_line_and_field(tmp_path, name, text, read, match, names):
    path = put(tmp_path, name, text)
    with pytest.raises(DataFormatError, match=match) as error:
        read(path)
    if names is not None:
        assert_names(error, path, *names)
