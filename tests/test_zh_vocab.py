"""Checkpoints that know 字: the characters a vocabulary lacks are added with mean rows (helpers.zh.vocab)."""

from __future__ import annotations

import pytest

from helpers import modeling
from helpers.coverage import unk_share
from helpers.zh import ner, vocab
from helpers.zh.labels import ZH_NER_LABELS

SENTENCES = [["张", "三", "在", "北", "京"], ["李", "四", "去", "上", "海"], ["张", "三", "好"]]


def test_missing_characters_are_listed_most_frequent_first(tiny_checkpoint):
    tok = modeling.load_tokenizer(tiny_checkpoint)
    missing = vocab.missing_characters(tok, SENTENCES)
    assert missing[:2] == ["三", "张"] and len(missing) == 11


def test_extended_vocabulary_knows_every_training_character(tiny_checkpoint, tmp_path):
    path = vocab.extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    tok = modeling.load_tokenizer(path)
    assert unk_share(tok, [c for s in SENTENCES for c in s])[0] == 0.0
    assert tok.tokenize("张三 the") == ["张", "三", "the"]


def test_extended_uncased_vocabulary_knows_upper_case_symbols_it_lower_cases(offline_model_path, tmp_path):
    # People's Daily has Ⅱ and Ⅲ: the uncased normalizer turns them into ⅱ and ⅲ before the lookup
    sentences = [["第", "Ⅱ", "期"], ["Ⅲ", "号"]]
    tok = modeling.load_tokenizer(offline_model_path)
    assert unk_share(tok, ["Ⅱ", "Ⅲ"])[0] == 1.0
    path = vocab.extend_vocabulary(offline_model_path, sentences, tmp_path / "ext")
    assert unk_share(modeling.load_tokenizer(path), [c for s in sentences for c in s])[0] == 0.0


def test_extension_keeps_old_embeddings_and_adds_one_row_per_new_character(tiny_checkpoint, tmp_path):
    from transformers import AutoModel

    old = AutoModel.from_pretrained(tiny_checkpoint).get_input_embeddings().weight.detach()
    path = vocab.extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    new = AutoModel.from_pretrained(path).get_input_embeddings().weight.detach()
    assert new.shape[0] == old.shape[0] + 11
    assert (new[: old.shape[0]] == old).all()
    assert modeling.load_model(path, ZH_NER_LABELS).config.vocab_size == new.shape[0]


def test_checkpoint_that_knows_all_characters_is_returned_unchanged(tiny_checkpoint, tmp_path):
    out = vocab.extend_vocabulary(tiny_checkpoint, [["the", "bank"]], tmp_path / "ext")
    assert out == tiny_checkpoint and not (tmp_path / "ext").exists()


@pytest.mark.slow
def test_offline_chinese_training_extends_the_bundled_model_with_the_training_characters(
    tmp_path, tiny_checkpoint, monkeypatch, capsys
):
    """The command line's Chinese branch offline (``train(..., adapt_checkpoint=adapt_for_chinese)``): the (here:
    tiny stand-in for the) bundled model learns the 字 of the data."""
    from helpers.cli import adapt_for_chinese
    from helpers.config import Recipe, TrainConfig
    from helpers.training import train

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("TOKCLS_MODEL", raising=False)
    monkeypatch.setattr(modeling, "bundled_model_path", lambda: tiny_checkpoint)
    monkeypatch.setattr(modeling, "_in_hf_cache", lambda repo: False)
    ds = ner.synthetic_chinese(sizes={"train": 24, "validation": 8, "test": 8})
    fast = Recipe(learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=16)
    cfg = TrainConfig(language="zh", output_dir=str(tmp_path / "run"), recipe=fast, max_steps=2)
    result = train(cfg, ds=ds, adapt_checkpoint=adapt_for_chinese)
    assert "vocabulary extended with the training characters" in capsys.readouterr().out
    tok = modeling.load_tokenizer(result["model_dir"])
    chars = [c for tokens in ds["train"]["tokens"] for t in tokens for c in t]
    assert unk_share(tok, chars)[0] == 0.0
    assert not (tmp_path / "run" / "adapted-checkpoint").exists()
