"""Tests of helpers.data: records to datasets, CoNLL folders, the source fallback, smoke subsets, own files.

The last tests use the real CoNLL-2003 (``shared_conll_dir``) and the offline MiniLM tokenizer.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from datasets import ClassLabel, Dataset, DatasetDict
from datasets import Sequence as HFSequence

from helpers.align import tokenize_and_align_labels, words_to_predictions
from helpers.data import (
    data_source,
    label_names,
    load_conll2003,
    load_conll_folder,
    load_token_files,
    records_to_dataset,
    smoke_subset,
)
from helpers.errors import DataFormatError, LabelError
from helpers.io import display_path
from helpers.labels import CONLL2003_LABELS, NER_LABELS
from helpers.metrics import score_word_ids, span_scores

# label names and order of the Hugging Face Hub's `conll2003`, written out here independently of helpers.labels
HUB_NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
HUB_POS = [
    '"', "''", "#", "$", "(", ")", ",", ".", ":", "``", "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR",
    "JJS", "LS", "MD", "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS",
    "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB",
]  # fmt: skip
HUB_CHUNK = [
    "O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ", "B-LST", "I-LST",
    "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR", "B-UCP", "I-UCP", "B-VP", "I-VP",
]  # fmt: skip

RECORD = {"id": "s1", "tokens": ["Peter", "runs"], "pos_tags": ["NNP", "VBZ"], "chunk_tags": ["B-NP", "B-VP"],
          "ner_tags": ["B-PER", "O"]}  # fmt: skip


def names(ds: Dataset, column: str, row: int = 0) -> list[str]:
    return [ds.features[column].feature.names[i] for i in ds[row][column]]


# --------------------------------------------------------------------------------------------------
# records_to_dataset


def test_records_to_dataset_has_hub_columns_in_order():
    ds = records_to_dataset([RECORD], CONLL2003_LABELS)
    assert ds.column_names == ["id", "tokens", "pos_tags", "chunk_tags", "ner_tags"]


def test_records_to_dataset_tag_columns_are_classlabels_with_the_given_names():
    ds = records_to_dataset([RECORD], CONLL2003_LABELS)
    for column, expected in (("ner_tags", HUB_NER), ("pos_tags", HUB_POS), ("chunk_tags", HUB_CHUNK)):
        assert isinstance(ds.features[column].feature, ClassLabel)
        assert ds.features[column].feature.names == expected


def test_records_to_dataset_stores_tag_ids():
    ds = records_to_dataset([RECORD], CONLL2003_LABELS)
    assert ds[0]["ner_tags"] == [1, 0]
    assert names(ds, "pos_tags") == ["NNP", "VBZ"]


def test_records_to_dataset_keeps_ids_and_numbers_missing_ones():
    second = {k: v for k, v in RECORD.items() if k != "id"}
    ds = records_to_dataset([RECORD, second], CONLL2003_LABELS)
    assert ds["id"][:] == ["s1", "1"]


def test_unknown_tag_raises_label_error_naming_source_and_field():
    bad = dict(RECORD, ner_tags=["B-PERSON", "O"])
    with pytest.raises(LabelError) as err:
        records_to_dataset([bad], CONLL2003_LABELS, source="mine.jsonl")
    message = str(err.value)
    assert (
        "mine.jsonl" in message and "'ner_tags'" in message and "'B-PERSON'" in message and "'s1'" in message
    )


def test_empty_split_raises_data_format_error():
    with pytest.raises(DataFormatError, match="empty") as err:
        records_to_dataset([], CONLL2003_LABELS, source="dev.txt")
    assert err.value.source == "dev.txt"


def test_tags_and_tokens_of_different_length_raise_data_format_error():
    bad = dict(RECORD, ner_tags=["O"])
    with pytest.raises(DataFormatError) as err:
        records_to_dataset([bad], CONLL2003_LABELS)
    assert (err.value.field, err.value.line) == ("ner_tags", 1)


def test_missing_tag_column_raises_data_format_error():
    bad = {k: v for k, v in RECORD.items() if k != "chunk_tags"}
    with pytest.raises(DataFormatError) as err:
        records_to_dataset([bad], CONLL2003_LABELS)
    assert err.value.field == "chunk_tags"


def test_missing_tokens_column_raises_data_format_error():
    bad = {k: v for k, v in RECORD.items() if k != "tokens"}
    with pytest.raises(DataFormatError) as err:
        records_to_dataset([bad], CONLL2003_LABELS)
    assert err.value.field == "tokens"


def test_label_names_of_a_dataset_dict():
    ds = DatasetDict({"train": records_to_dataset([RECORD], CONLL2003_LABELS)})
    assert label_names(ds, "ner_tags") == HUB_NER


# --------------------------------------------------------------------------------------------------
# CoNLL folders

TRAIN = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
"""
VALID = """-DOCSTART- -X- -X- O

Paris NNP B-NP B-LOC
. . O O
"""
TEST = """Bonn NNP B-NP B-LOC
"""
IOB1 = """Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
met VBD I-VP O
John NNP I-NP I-PER
Mary NNP I-NP B-PER
"""


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_folder(tmp_path) -> Path:
    return write_folder(tmp_path / "conll", {"train.txt": TRAIN, "valid.txt": VALID, "test.txt": TEST})


def test_conll_folder_gives_three_splits_with_valid_txt_as_validation(tiny_folder):
    ds = load_conll_folder(tiny_folder)
    assert {s: len(d) for s, d in ds.items()} == {"train": 2, "validation": 1, "test": 1}


def test_conll_folder_skips_docstart_and_reads_all_columns(tiny_folder):
    train = load_conll_folder(tiny_folder)["train"]
    assert train[0]["tokens"] == ["EU", "rejects", "German"]
    assert names(train, "ner_tags") == ["B-ORG", "O", "B-MISC"]
    assert names(train, "pos_tags") == ["NNP", "VBZ", "JJ"]
    assert names(train, "chunk_tags", row=1) == ["B-NP", "I-NP"]


def test_conll_folder_has_hub_features(tiny_folder):
    ds = load_conll_folder(tiny_folder)
    assert ds["validation"].column_names == ["id", "tokens", "pos_tags", "chunk_tags", "ner_tags"]
    assert label_names(ds, "ner_tags") == HUB_NER


def test_iob1_conll_folder_is_converted_to_iob2(tmp_path):
    ds = load_conll_folder(write_folder(tmp_path, {"train.txt": IOB1}))
    train = ds["train"]
    assert names(train, "ner_tags") == ["B-PER", "I-PER", "O", "B-PER", "B-PER"]
    assert names(train, "chunk_tags") == ["B-NP", "I-NP", "B-VP", "B-NP", "I-NP"]


def test_folder_without_validation_or_test_gives_only_train(tmp_path):
    ds = load_conll_folder(write_folder(tmp_path, {"train.txt": TEST}))
    assert list(ds) == ["train"]


def test_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_conll_folder(tmp_path / "nowhere")


def test_folder_without_train_file_raises_data_format_error(tmp_path):
    with pytest.raises(DataFormatError, match="train"):
        load_conll_folder(write_folder(tmp_path, {"test.txt": TEST}))


def test_unknown_tag_in_conll_file_names_file_line_and_field(tmp_path):
    folder = write_folder(tmp_path, {"train.txt": "Peter NNP B-NP B-PERSON\n"})
    with pytest.raises(DataFormatError) as err:
        load_conll_folder(folder)
    assert (Path(err.value.source).name, err.value.line, err.value.field) == ("train.txt", 1, "ner_tags")


# --------------------------------------------------------------------------------------------------
# load_conll2003: source resolution


def test_explicit_folder_is_used(tiny_folder, capsys):
    ds = load_conll2003(tiny_folder)
    assert len(ds["train"]) == 2
    shown = capsys.readouterr().out  # the folder as display_path shows it (relative or abbreviated)
    assert f"Data: CoNLL files from {display_path(tiny_folder)}" in shown
    assert "train.txt" in data_source(ds)


def test_tokcls_data_dir_is_used(tiny_folder, monkeypatch):
    monkeypatch.setenv("TOKCLS_DATA_DIR", str(tiny_folder))
    ds = load_conll2003(verbose=False)
    assert len(ds["validation"]) == 1


def test_offline_without_data_dir_falls_back_to_synthetic_with_notice(monkeypatch, capsys):
    def no_network(*args, **kwargs):
        raise AssertionError("load_conll2003 touched the network with HF_HUB_OFFLINE=1")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("TOKCLS_DATA_DIR", raising=False)
    monkeypatch.setattr(socket, "create_connection", no_network)
    ds = load_conll2003()
    out = capsys.readouterr().out
    assert "NOTICE" in out and "not CoNLL-2003" in out
    assert "synthetic" in data_source(ds)
    assert list(ds) == ["train", "validation", "test"]
    assert label_names(ds, "ner_tags") == HUB_NER


def hub_answer(monkeypatch, load_dataset) -> None:
    """The Hub is reachable and ``datasets.load_dataset`` is ``load_dataset``."""
    import datasets

    from helpers import data as data_module

    monkeypatch.delenv("TOKCLS_DATA_DIR", raising=False)
    monkeypatch.setattr(data_module, "hub_available", lambda: (True, "test"))
    monkeypatch.setattr(datasets, "load_dataset", load_dataset)


def test_changed_hub_label_names_raise_instead_of_falling_back(monkeypatch):
    renamed = ClassLabel(names=["O", "B-PERSON", "I-PERSON"])
    split = Dataset.from_dict({"id": ["0"], "tokens": [["Peter"]], "pos_tags": [[0]], "chunk_tags": [[0]],
                               "ner_tags": [[1]]})  # fmt: skip
    split = split.cast_column("ner_tags", HFSequence(renamed))
    hub_answer(monkeypatch, lambda *a, **k: DatasetDict({"train": split}))
    with pytest.raises(LabelError, match="ner_tags names differ"):
        load_conll2003()


def test_network_error_during_the_hub_load_falls_back_to_synthetic(monkeypatch, capsys):
    def unreachable(*args, **kwargs):
        raise ConnectionError("connection reset")

    hub_answer(monkeypatch, unreachable)
    ds = load_conll2003()
    assert "synthetic" in data_source(ds)
    assert "ConnectionError: connection reset" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------------
# smoke_subset


@pytest.fixture
def sized() -> DatasetDict:
    def split(n: int) -> Dataset:
        return Dataset.from_dict({"id": [str(i) for i in range(n)]})

    return DatasetDict({"train": split(450), "validation": split(5)})


def test_smoke_subset_is_a_no_op_without_tokcls_smoke(sized, monkeypatch):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    out = smoke_subset(sized)
    assert {s: len(d) for s, d in out.items()} == {"train": 450, "validation": 5}


def test_smoke_subset_keeps_the_first_sentences_with_tokcls_smoke(sized, monkeypatch):
    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    out = smoke_subset(sized)
    assert {s: len(d) for s, d in out.items()} == {"train": 400, "validation": 5}
    assert out["train"]["id"][:2] == ["0", "1"]


def test_smoke_subset_zero_means_off(sized, monkeypatch):
    monkeypatch.setenv("TOKCLS_SMOKE", "0")
    assert len(smoke_subset(sized)["train"]) == 450


def test_smoke_subset_force_and_sizes(sized, monkeypatch):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    out = smoke_subset(sized, sizes={"train": 3}, force=True)
    assert {s: len(d) for s, d in out.items()} == {"train": 3, "validation": 5}


def test_smoke_subset_says_what_it_kept_unless_quiet(sized, monkeypatch, capsys):
    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    smoke_subset(sized)
    assert "Smoke mode: train 400, validation 5 sentences" in capsys.readouterr().out
    smoke_subset(sized, verbose=False)
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------------------------------
# load_token_files


def test_load_token_files_collects_labels_over_all_splits(tmp_path):
    train, dev = tmp_path / "train.jsonl", tmp_path / "dev.jsonl"
    train.write_text(json.dumps({"tokens": ["Bob", "runs"], "ner_tags": ["B-PER", "O"]}) + "\n")
    dev.write_text(json.dumps({"tokens": ["in", "Paris"], "ner_tags": ["O", "B-LOC"]}) + "\n")
    ds = load_token_files({"train": train, "validation": dev})
    assert label_names(ds, "ner_tags") == ["O", "B-LOC", "B-PER"]
    assert ds["validation"].features == ds["train"].features
    assert names(ds["validation"], "ner_tags") == ["O", "B-LOC"]


def test_load_token_files_with_given_label_names(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"tokens": ["Bob"], "ner_tags": ["B-PER"]}) + "\n")
    ds = load_token_files({"train": path}, label_names={"ner_tags": NER_LABELS})
    assert ds["train"][0]["ner_tags"] == [1]


def test_load_token_files_unknown_tag_for_given_labels_names_the_file(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"tokens": ["Bob"], "ner_tags": ["B-PERSON"]}) + "\n")
    with pytest.raises(LabelError, match="train.jsonl"):
        load_token_files({"train": path}, label_names={"ner_tags": NER_LABELS})


# --------------------------------------------------------------------------------------------------
# the real CoNLL-2003


@pytest.fixture(scope="module")
def conll(shared_conll_dir) -> DatasetDict:
    return load_conll2003(shared_conll_dir, verbose=False)


@pytest.fixture(scope="module")
def validation_gold(conll) -> list[list[int]]:
    return [list(s) for s in conll["validation"]["ner_tags"]]


def test_real_conll2003_split_sizes(conll):
    assert {s: len(d) for s, d in conll.items()} == {"train": 14041, "validation": 3250, "test": 3453}


def test_real_conll2003_label_names_equal_the_hubs(conll):
    assert label_names(conll, "ner_tags") == HUB_NER
    assert label_names(conll, "pos_tags") == HUB_POS
    assert label_names(conll, "chunk_tags") == HUB_CHUNK


VALIDATION_SUPPORT = {"LOC": 1837, "MISC": 922, "ORG": 1341, "PER": 1842}


def test_real_validation_entity_support_per_type(validation_gold):
    gold = [[NER_LABELS[i] for i in s] for s in validation_gold]
    per_type = span_scores(gold, gold)["per_type"]
    assert {t: v["number"] for t, v in per_type.items()} == VALIDATION_SUPPORT


def test_real_validation_support_survives_minilm_tokenization(conll, validation_gold, offline_model_path):
    """Whatever the tokenizer: first-subtoken labels mapped back to words give the same word-level supports."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(offline_model_path)
    val = conll["validation"]
    enc = tokenize_and_align_labels({"tokens": list(val["tokens"]), "ner_tags": validation_gold}, tokenizer)
    roundtrip = [
        words_to_predictions(labels, wids, len(gold))
        for labels, wids, gold in zip(enc["labels"], enc["word_ids"], validation_gold)
    ]
    result = score_word_ids(validation_gold, roundtrip, NER_LABELS)
    assert {t: v["number"] for t, v in result["per_type"].items()} == VALIDATION_SUPPORT
    assert result["overall_f1"] == 1.0
    assert result["truncated_words"] == 0
