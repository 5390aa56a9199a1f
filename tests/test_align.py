"""Tests of helpers.align: word labels to subtoken labels, and subtoken predictions back to words.

The tiny checkpoint's WordPiece vocabulary has whole words such as "germany" and "the" and single letters,
so an unknown word like "xyz" becomes three subtokens: x ##y ##z.
"""

from __future__ import annotations

import pytest

from helpers.align import (
    IGNORE_INDEX,
    NO_WORD,
    align_labels,
    count_truncated_words,
    tokenize_and_align_labels,
    words_to_predictions,
)
from helpers.errors import LabelError, TokenizerError
from helpers.labels import NER_LABELS, b_to_i_map

O_, B_PER, I_PER, B_LOC = (NER_LABELS.index(t) for t in ("O", "B-PER", "I-PER", "B-LOC"))
X = IGNORE_INDEX
B_TO_I = b_to_i_map(NER_LABELS)


@pytest.fixture(scope="module")
def tokenizer(tiny_checkpoint):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_checkpoint)


def encode(tokenizer, words, tags, **kwargs):
    return tokenize_and_align_labels(
        {"id": ["s0"], "tokens": [words], "ner_tags": [tags]}, tokenizer, **kwargs
    )


def test_tiny_tokenizer_splits_unknown_word_into_subtokens(tokenizer):
    # the premise of the tests below
    enc = tokenizer(["germany", "xyz"], is_split_into_words=True)
    assert enc.tokens() == ["[CLS]", "germany", "x", "##y", "##z", "[SEP]"]


# --------------------------------------------------------------------------------------------------
# align_labels


def test_first_subtoken_gets_word_label_continuations_ignored():
    assert align_labels([None, 0, 0, 1, None], [B_PER, O_]) == [X, B_PER, X, O_, X]


def test_special_tokens_get_ignore_index():
    assert align_labels([None, None], []) == [X, X]


def test_no_word_marker_is_treated_as_special_token():
    assert align_labels([NO_WORD, 0, NO_WORD], [B_LOC]) == [X, B_LOC, X]


def test_continuation_subtoken_of_B_gets_I():
    labels = align_labels([None, 0, 0, 0, None], [B_PER], label_all_tokens=True, b_to_i=B_TO_I)
    assert labels == [X, B_PER, I_PER, I_PER, X]


def test_continuation_subtoken_of_I_keeps_I():
    labels = align_labels([0, 1, 1], [B_PER, I_PER], label_all_tokens=True, b_to_i=B_TO_I)
    assert labels == [B_PER, I_PER, I_PER]


# --------------------------------------------------------------------------------------------------
# tokenize_and_align_labels


def test_tokenized_sentence_labels_first_subtokens_only(tokenizer):
    enc = encode(tokenizer, ["germany", "xyz"], [B_LOC, O_])
    assert enc["labels"] == [[X, B_LOC, O_, X, X, X]]


def test_batched_helper_matches_the_direct_tokenizer_calls_lesson_2_teaches(tokenizer):
    words, tags = ["the", "xyz", "germany"], [O_, B_PER, B_LOC]
    direct = tokenizer(words, is_split_into_words=True, truncation=True)
    enc = encode(tokenizer, words, tags)
    assert enc["input_ids"] == [direct["input_ids"]]
    assert enc["word_ids"] == [[-1 if w is None else w for w in direct.word_ids()]]
    assert enc["labels"] == [align_labels(direct.word_ids(), tags)]


def test_word_ids_column_marks_special_tokens_with_minus_one(tokenizer):
    enc = encode(tokenizer, ["germany", "xyz"], [B_LOC, O_])
    assert enc["word_ids"] == [[-1, 0, 1, 1, 1, -1]]


def test_label_all_tokens_gives_I_to_continuations_of_a_B_word(tokenizer):
    enc = encode(tokenizer, ["xyz"], [B_PER], label_all_tokens=True, b_to_i=B_TO_I)
    assert enc["labels"] == [[X, B_PER, I_PER, I_PER, X]]


def test_label_all_tokens_without_b_to_i_raises(tokenizer):
    with pytest.raises(ValueError, match="b_to_i"):
        encode(tokenizer, ["xyz"], [B_PER], label_all_tokens=True)


def test_label_column_selects_the_tag_column(tokenizer):
    examples = {"tokens": [["the", "xyz"]], "ner_tags": [[O_, O_]], "pos_tags": [[12, 21]]}
    enc = tokenize_and_align_labels(examples, tokenizer, label_column="pos_tags")
    assert enc["labels"] == [[X, 12, 21, X, X, X]]


def test_truncation_cuts_to_max_length_and_counts_lost_words(tokenizer):
    # [CLS] germany x [SEP]: "xyz" keeps its first subtoken, "the" is lost
    enc = encode(tokenizer, ["germany", "xyz", "the"], [B_LOC, O_, O_], max_length=4)
    assert enc["word_ids"] == [[-1, 0, 1, -1]]
    assert enc["labels"] == [[X, B_LOC, O_, X]]
    assert count_truncated_words(enc["word_ids"][0], 3) == 1


def test_default_max_length_is_the_model_limit(tokenizer):
    enc = encode(tokenizer, ["the"] * 100, [O_] * 100)
    assert len(enc["input_ids"][0]) == tokenizer.model_max_length == 64


def test_slow_tokenizer_raises_tokenizer_error():
    class SlowTokenizer:
        is_fast = False

    with pytest.raises(TokenizerError, match="fast"):
        tokenize_and_align_labels({"tokens": [["a"]], "ner_tags": [[0]]}, SlowTokenizer())


def test_tokenizer_without_is_fast_raises_tokenizer_error():
    with pytest.raises(TokenizerError):
        tokenize_and_align_labels({"tokens": [["a"]], "ner_tags": [[0]]}, object())


def test_label_id_out_of_range_names_sentence_and_field(tokenizer):
    examples = {"id": ["s0", "s7"], "tokens": [["the"], ["the"]], "ner_tags": [[O_], [9]]}
    with pytest.raises(LabelError) as err:
        tokenize_and_align_labels(examples, tokenizer, num_labels=9)
    assert "'s7'" in str(err.value)
    assert "'ner_tags'" in str(err.value)
    assert "9" in str(err.value)


def test_negative_label_id_is_out_of_range(tokenizer):
    with pytest.raises(LabelError, match="-100"):
        encode(tokenizer, ["the"], [-100], num_labels=9)


def test_label_error_without_id_column_names_row_index(tokenizer):
    examples = {"tokens": [["the"], ["the"]], "ner_tags": [[O_], [12]]}
    with pytest.raises(LabelError, match="sentence 1"):
        tokenize_and_align_labels(examples, tokenizer, num_labels=9)


# --------------------------------------------------------------------------------------------------
# words_to_predictions, count_truncated_words


def test_words_take_the_prediction_of_their_first_subtoken():
    assert words_to_predictions([0, 5, 6, 3, 0], [None, 0, 0, 1, None], 2) == [5, 3]


def test_truncated_words_get_minus_one():
    assert words_to_predictions([0, 5, 0], [-1, 0, -1], 3) == [5, -1, -1]


def test_all_words_truncated_gives_all_minus_one():
    assert words_to_predictions([0, 0], [-1, -1], 2) == [-1, -1]


def test_predictions_beyond_word_ids_are_ignored():
    # Trainer pads predictions with -100 beyond the sentence end
    assert words_to_predictions([0, 1, 0, -100, -100], [-1, 0, -1], 1) == [1]


def test_count_truncated_words_counts_words_without_subtokens():
    assert count_truncated_words([None, 0, 0, 1, None], 4) == 2


def test_count_truncated_words_ignores_no_word_marker():
    assert count_truncated_words([NO_WORD, 0, NO_WORD], 1) == 0
