"""The hand-written Chinese sentences shipped as data files (helpers.zh.examples)."""

from __future__ import annotations

import pytest

from helpers.errors import DataFormatError
from helpers.spans import split_words
from helpers.zh import examples


def test_hand_written_sets_are_separate_and_the_held_out_one_has_over_100_sentences():
    dev, test = examples.example_annotations("dev"), examples.example_annotations("test")
    assert len(dev) == 60 and len(test) >= 100
    assert not {r["text"] for r in dev} & {r["text"] for r in test}
    assert any(not r["spans"] for r in test)  # entity-free sentences too


def test_hand_written_records_are_split_as_tag_text_splits_and_keep_every_span():
    for which in ("dev", "test"):
        for ann, rec in zip(examples.example_annotations(which), examples.example_records(which)):
            assert rec["tokens"] == [w for w, _, _ in split_words(ann["text"])]
            assert sum(t.startswith("B-") for t in rec["ner_tags"]) == len(ann["spans"]), ann["text"]


def test_unknown_hand_written_set_is_refused():
    with pytest.raises(ValueError, match="dev"):
        examples.example_annotations("train")


def test_overlapping_or_absent_mentions_are_an_error_naming_file_and_line():
    text = "# a comment\n中国银行在北京。|ORG:中国银行|LOC:中国\n"
    with pytest.raises(DataFormatError, match=r"dev.txt, line 2: .*overlaps"):
        examples._parse_annotated(text, "dev.txt")
    with pytest.raises(DataFormatError, match=r"dev.txt, line 1: '上海' is not in"):
        examples._parse_annotated("我在北京。|LOC:上海", "dev.txt")
    with pytest.raises(DataFormatError, match=r"line 1: expected TYPE:mention"):
        examples._parse_annotated("我在北京。|北京", "dev.txt")


def test_hand_written_sentences_ship_as_package_data():
    from importlib import resources

    names = {p.name for p in resources.files("helpers.zh").joinpath("data").iterdir()}
    assert set(examples.EXAMPLE_FILES.values()) <= names
