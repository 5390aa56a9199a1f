"""Tests of helpers.coverage: the share of words a tokenizer can only turn into [UNK], and the warning."""

from __future__ import annotations

import pytest

from helpers.coverage import check_unknown_words, guess_language, unk_share, unk_warning
from helpers.modeling import load_tokenizer


@pytest.fixture(scope="module")
def tokenizer(tiny_checkpoint):
    return load_tokenizer(tiny_checkpoint)  # an English WordPiece vocabulary without Chinese characters


def test_chinese_characters_become_unk_with_an_english_vocabulary(tokenizer):
    share, examples = unk_share(tokenizer, ["北", "京", "the", "北"])
    assert share == pytest.approx(3 / 4)
    assert examples == ["北", "京"]  # most frequent first


def test_known_words_give_no_unk(tokenizer):
    assert unk_share(tokenizer, ["the", "paris", "said"]) == (0.0, [])


def test_warning_names_share_examples_and_what_to_do():
    message = unk_warning(0.6, ["北", "京", "市"])
    assert "60.0%" in message and "'北', '京', '市'" in message and "--language zh" in message


def test_no_warning_at_or_below_the_threshold():
    assert unk_warning(0.05, ["x"]) is None


def test_check_unknown_words_prints_the_warning_above_five_percent(tokenizer, capsys):
    figures = check_unknown_words(tokenizer, [["张", "三", "在", "北", "京"], ["the"]])
    assert figures["unk_share"] == pytest.approx(5 / 6, abs=1e-4)
    assert "[UNK]" in capsys.readouterr().out


def test_guess_language_from_the_characters():
    assert guess_language([["张", "三"], ["在", "Paris"]]) == "en"  # 3 of 8 characters are Chinese
    assert guess_language([["张", "三", "在", "北", "京"]]) == "zh"
