"""Tests of helpers.spans: character-offset annotations (doccano, Label Studio, CLUENER) to word tags and back."""

from __future__ import annotations

import json

import pytest

from helpers.errors import DataFormatError
from helpers.spans import (
    join_words,
    read_spans,
    spans_to_tags,
    split_words,
    write_doccano,
)


def put_lines(tmp_path, name, objects):
    path = tmp_path / name
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def assert_names(error, path, line, field):
    text = str(error.value)
    assert path.name in text and (line is None or f"line {line}" in text) and repr(field) in text, text


# --------------------------------------------------------------------------------------------------
# words of raw text


def test_split_words_gives_one_word_per_chinese_character():
    assert [w for w, _, _ in split_words("张三在北京工作")] == list("张三在北京工作")


def test_split_words_keeps_latin_words_and_numbers_inside_chinese_text_whole():
    assert [w for w, _, _ in split_words("我用iPhone拍了3.5张")] == [
        "我",
        "用",
        "iPhone",
        "拍",
        "了",
        "3.5",
        "张",
    ]


def test_split_words_offsets_slice_mixed_text():
    text = "Angela Merkel 访问了北京，2024年。"
    assert all(text[a:b] == w for w, a, b in split_words(text))


def test_join_words_puts_spaces_between_latin_words_only():
    assert join_words(["在", "北", "京", "Bob", "said", "。"])[0] == "在北京Bob said。"


# --------------------------------------------------------------------------------------------------
# spans to tags


def test_spans_become_iob2_tags_on_words():
    words, tags = spans_to_tags("Angela Merkel visited Paris.", [(0, 13, "PER"), (22, 27, "LOC")])
    assert list(zip(words, tags)) == [
        ("Angela", "B-PER"), ("Merkel", "I-PER"), ("visited", "O"), ("Paris", "B-LOC"), (".", "O"),
    ]  # fmt: skip


def test_chinese_span_tags_each_character():
    assert spans_to_tags("张三在北京", [(3, 5, "LOC")])[1] == ["O", "O", "O", "B-LOC", "I-LOC"]


def test_whitespace_at_span_edges_is_trimmed():
    assert spans_to_tags("in Paris now", [(2, 9, "LOC")])[1] == ["O", "B-LOC", "O"]


def test_span_inside_a_word_is_an_error_naming_the_word():
    with pytest.raises(DataFormatError, match="cuts the word 'Merkel'"):
        spans_to_tags("Angela Merkel", [(0, 9, "PER")])


def test_span_past_the_text_is_an_error():
    with pytest.raises(DataFormatError, match="runs past the text"):
        spans_to_tags("Paris", [(0, 9, "LOC")])


def test_overlapping_spans_are_an_error():
    with pytest.raises(DataFormatError, match="overlaps"):
        spans_to_tags("New York City", [(0, 8, "LOC"), (4, 13, "LOC")])


def test_unknown_type_is_an_error_when_types_are_given():
    with pytest.raises(DataFormatError, match="unknown type"):
        spans_to_tags("Paris", [(0, 5, "CITY")], types=["LOC", "PER"])


# --------------------------------------------------------------------------------------------------
# doccano


def test_doccano_export_reads_into_word_records(tmp_path):
    path = put_lines(
        tmp_path, "a.jsonl", [{"id": 7, "text": "Bob met Alice", "label": [[0, 3, "PER"], [8, 13, "PER"]]}]
    )
    assert read_spans(path, variant="doccano") == [
        {"id": "7", "tokens": ["Bob", "met", "Alice"], "ner_tags": ["B-PER", "O", "B-PER"]}
    ]


def test_doccano_entities_variant_reads_like_label(tmp_path):
    ents = [{"id": 1, "label": "LOC", "start_offset": 0, "end_offset": 5}]
    path = put_lines(tmp_path, "a.jsonl", [{"text": "Paris is big", "entities": ents, "relations": []}])
    assert read_spans(path, variant="doccano")[0]["ner_tags"] == ["B-LOC", "O", "O"]


def test_doccano_record_without_text_names_line_and_field(tmp_path):
    path = put_lines(tmp_path, "a.jsonl", [{"text": "ok", "label": []}, {"label": [[0, 1, "X"]]}])
    with pytest.raises(DataFormatError) as error:
        read_spans(path, variant="doccano")
    assert_names(error, path, 2, "text")


def test_doccano_span_past_the_text_names_line_and_field(tmp_path):
    path = put_lines(tmp_path, "a.jsonl", [{"text": "Paris", "label": [[0, 6, "LOC"]]}])
    with pytest.raises(DataFormatError, match="runs past") as error:
        read_spans(path, variant="doccano")
    assert_names(error, path, 1, "label")


def test_doccano_unknown_type_names_line(tmp_path):
    path = put_lines(tmp_path, "a.jsonl", [{"text": "Paris", "label": [[0, 5, "CITY"]]}])
    with pytest.raises(DataFormatError, match="unknown type") as error:
        read_spans(path, variant="doccano", types=["LOC"])
    assert_names(error, path, 1, "label")


def test_doccano_label_that_is_not_a_triple_is_an_error(tmp_path):
    path = put_lines(tmp_path, "a.jsonl", [{"text": "Paris", "label": [[0, 5]]}])
    with pytest.raises(DataFormatError, match=r"\[start, end, type\]"):
        read_spans(path, variant="doccano")


def test_write_doccano_then_read_gives_the_records_back(tmp_path):
    records = [
        {"id": "0", "tokens": ["Bob", "lives", "in", "New", "York", "."], "ner_tags": ["B-PER", "O", "O", "B-LOC", "I-LOC", "O"]},
        {"id": "1", "tokens": ["张", "三", "在", "北", "京"], "ner_tags": ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]},
    ]  # fmt: skip
    path = tmp_path / "out.jsonl"
    write_doccano(records, path)
    assert read_spans(path, variant="doccano") == records


def test_write_doccano_writes_bioes_tags_as_the_same_spans(tmp_path):
    path = tmp_path / "out.jsonl"
    write_doccano(
        [{"tokens": ["Bob", "met", "Ann", "Lee"], "ner_tags": ["S-PER", "O", "B-PER", "E-PER"]}], path
    )
    assert json.loads(path.read_text(encoding="utf-8"))["label"] == [[0, 3, "PER"], [8, 15, "PER"]]


# --------------------------------------------------------------------------------------------------
# CLUENER and Label Studio


def test_cluener_inclusive_ends_become_word_tags(tmp_path):
    path = put_lines(
        tmp_path,
        "c.json",
        [{"text": "叶老桂在北京", "label": {"name": {"叶老桂": [[0, 2]]}, "address": {"北京": [[4, 5]]}}}],
    )
    assert read_spans(path, variant="cluener")[0]["ner_tags"] == [
        "B-name",
        "I-name",
        "I-name",
        "O",
        "B-address",
        "I-address",
    ]


def test_cluener_record_without_label_is_all_outside(tmp_path):
    path = put_lines(tmp_path, "c.json", [{"id": 0, "text": "北京"}])
    assert read_spans(path, variant="cluener")[0]["ner_tags"] == ["O", "O"]


def test_cluener_mention_that_does_not_match_the_text_is_an_error(tmp_path):
    path = put_lines(tmp_path, "c.json", [{"text": "叶老桂在北京", "label": {"name": {"叶老桂": [[0, 3]]}}}])
    with pytest.raises(DataFormatError, match="does not match") as error:
        read_spans(path, variant="cluener")
    assert_names(error, path, 1, "label")


def label_studio_task(text, results, cancelled=False):
    return {"id": 1, "data": {"text": text}, "annotations": [{"result": results, "was_cancelled": cancelled}]}


def ls_span(start, end, label):
    return {
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": start, "end": end, "labels": [label]},
    }


def test_label_studio_export_reads_the_first_annotation(tmp_path):
    path = tmp_path / "ls.json"
    path.write_text(
        json.dumps([label_studio_task("Bob met Alice", [ls_span(8, 13, "PER")])]), encoding="utf-8"
    )
    assert read_spans(path, variant="label_studio")[0]["ner_tags"] == ["O", "O", "B-PER"]


def test_label_studio_skips_tasks_with_only_cancelled_annotations(tmp_path):
    tasks = [label_studio_task("Bob", [ls_span(0, 3, "PER")], cancelled=True), label_studio_task("Ann", [])]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert [r["tokens"] for r in read_spans(path, variant="label_studio")] == [["Ann"]]


def test_label_studio_task_without_text_names_record_and_field(tmp_path):
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"id": 1, "data": {"body": "x"}, "annotations": []}]), encoding="utf-8")
    with pytest.raises(DataFormatError, match="record 0") as error:
        read_spans(path, variant="label_studio")
    assert_names(error, path, None, "data.text")


def test_read_spans_detects_each_export(tmp_path):
    doccano = put_lines(tmp_path, "d.jsonl", [{"text": "Bob", "label": [[0, 3, "PER"]]}])
    cluener = put_lines(tmp_path, "c.jsonl", [{"text": "Bob", "label": {"PER": {"Bob": [[0, 2]]}}}])
    studio = tmp_path / "s.json"
    studio.write_text(json.dumps([label_studio_task("Bob", [ls_span(0, 3, "PER")])]), encoding="utf-8")
    assert [read_spans(p)[0]["ner_tags"] for p in (doccano, cluener, studio)] == [["B-PER"]] * 3
