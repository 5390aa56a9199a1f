"""Tests of helpers.inference: window planning, span grouping, word splitting and the Tagger.

The Tagger runs a tiny random BERT with a 9-label head (64 positions at most), so its tags are arbitrary but
deterministic; what is tested is that every word gets exactly one tag, whatever the batching and windowing.
"""

from __future__ import annotations

import copy
import logging

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import TokenizerError
from helpers.inference import Tagger, best_window, group_entities, plan_windows, split_words
from helpers.labels import NER_LABELS

from .conftest import build_tiny_checkpoint

# --------------------------------------------------------------------------------------------------
# plan_windows


@st.composite
def window_plans(draw):
    counts = draw(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=40))
    budget = draw(st.integers(min_value=1, max_value=30))
    stride = draw(st.integers(min_value=0, max_value=budget // 2))
    return counts, budget, stride


@settings(max_examples=100, deadline=None)
@given(plan=window_plans())
def test_windows_cover_every_word(plan):
    counts, budget, stride = plan
    covered = {k for start, end in plan_windows(counts, budget, stride) for k in range(start, end)}
    assert covered == set(range(len(counts)))


@settings(max_examples=100, deadline=None)
@given(plan=window_plans())
def test_windows_fit_the_budget_unless_a_single_word_is_too_long(plan):
    counts, budget, stride = plan
    for start, end in plan_windows(counts, budget, stride):
        assert sum(counts[start:end]) <= budget or end - start == 1


@settings(max_examples=100, deadline=None)
@given(plan=window_plans())
def test_windows_move_forward(plan):
    counts, budget, stride = plan
    windows = plan_windows(counts, budget, stride)
    assert windows[0][0] == 0 and windows[-1][1] == len(counts)
    for (s1, e1), (s2, e2) in zip(windows, windows[1:]):
        assert s1 < s2 and e1 <= e2


def test_windows_overlap_by_about_the_stride():
    # 20 words of 1 subtoken, 8 per window, 3 shared with the next window
    windows = plan_windows([1] * 20, budget=8, stride=3)
    assert windows[:3] == [(0, 8), (5, 13), (10, 18)]
    for (_, end), (start, _) in zip(windows, windows[1:]):
        assert end - start == 3


def test_short_sentence_is_one_window():
    assert plan_windows([2, 3, 1], budget=10, stride=4) == [(0, 3)]


def test_word_longer_than_budget_gets_its_own_window():
    assert (1, 2) in plan_windows([1, 50, 1], budget=10, stride=4)


def test_empty_sentence_has_no_window():
    assert plan_windows([], budget=10, stride=4) == []


def test_no_window_is_contained_in_the_previous_one():
    # words 0-2 fit in (0, 3); word 3 is longer than the budget, so (1, 3) and (2, 3) add nothing
    windows = plan_windows([1, 1, 1, 100, 1], budget=4, stride=2)
    for (s1, e1), (s2, e2) in zip(windows, windows[1:]):
        assert not (s1 <= s2 and e2 <= e1), windows


# --------------------------------------------------------------------------------------------------
# best_window, group_entities, split_words


def test_best_window_picks_the_window_where_the_word_is_farthest_from_an_edge():
    # windows [0,4) and [2,6): words 0-2 sit better in the first, words 3-5 in the second
    assert best_window([(0, 4), (2, 6)], 6) == [0, 0, 0, 1, 1, 1]


def test_best_window_of_a_single_window_is_zero_everywhere():
    assert best_window([(0, 3)], 3) == [0, 0, 0]


def test_group_entities_span_with_mean_score():
    assert group_entities(["B-PER", "I-PER", "O"], [0.9, 0.7, 0.1]) == [("PER", 0, 2, pytest.approx(0.8))]


def test_stray_I_opens_a_span():
    assert group_entities(["O", "I-LOC", "I-LOC"], [1.0] * 3) == [("LOC", 1, 3, 1.0)]


def test_type_change_closes_a_span():
    assert group_entities(["B-PER", "I-ORG"], [1.0, 1.0]) == [("PER", 0, 1, 1.0), ("ORG", 1, 2, 1.0)]


def test_B_after_same_type_starts_a_new_span():
    assert group_entities(["B-PER", "B-PER"], [1.0, 1.0]) == [("PER", 0, 1, 1.0), ("PER", 1, 2, 1.0)]


def test_span_at_sentence_end_is_closed():
    assert group_entities(["O", "B-MISC"], [1.0, 0.5]) == [("MISC", 1, 2, 0.5)]


def test_all_O_has_no_entities():
    assert group_entities(["O", "O"], [1.0, 1.0]) == []


def test_group_entities_keeps_single_word_bioes_entities():
    assert [e[:3] for e in group_entities(["S-PER", "O", "B-LOC", "E-LOC"], [1.0] * 4)] == [
        ("PER", 0, 1),
        ("LOC", 2, 4),
    ]


def test_split_words_gives_words_and_punctuation_with_offsets():
    assert split_words("Hi, Bob") == [("Hi", 0, 2), (",", 2, 3), ("Bob", 4, 7)]


def test_split_words_offsets_slice_the_text():
    text = "  Angela Merkel's state-of-the-art visit (to Paris)!\n"
    for word, start, end in split_words(text):
        assert text[start:end] == word


def test_split_words_keeps_hyphenated_and_apostrophe_words_whole():
    assert [w for w, _, _ in split_words("don't state-of-the-art")] == ["don't", "state-of-the-art"]


# --------------------------------------------------------------------------------------------------
# Tagger on the tiny checkpoint

VOCAB = "the germany paris xyz qz said john smith 1996 , . world cup".split()


@pytest.fixture(scope="module")
def checkpoint_with_head(tmp_path_factory) -> str:
    """A tiny BERT with a 9-label head whose config names the CoNLL-2003 NER labels."""
    torch.manual_seed(0)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-ner"), labels=NER_LABELS))


@pytest.fixture(scope="module")
def tagger(checkpoint_with_head) -> Tagger:
    return Tagger.from_pretrained(checkpoint_with_head, batch_size=4)


@pytest.fixture(scope="module")
def always_b_per(tagger) -> Tagger:
    """A Tagger whose model predicts B-PER for every subtoken, so every word is its own PER entity."""
    model = copy.deepcopy(tagger.model)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(10.0 * torch.eye(len(NER_LABELS))[NER_LABELS.index("B-PER")])
    return Tagger(model, tagger.tokenizer)


def sentence(n: int, seed: int) -> list[str]:
    return [VOCAB[(seed + 7 * k) % len(VOCAB)] for k in range(n)]


def test_tagger_limits_windows_to_the_model_positions(tagger):
    assert tagger.max_length == 64
    assert tagger.budget == 62


def test_max_length_above_the_model_limit_is_capped(tagger):
    assert Tagger(tagger.model, tagger.tokenizer, max_length=1000).max_length == 64


def test_tagger_with_slow_tokenizer_raises_tokenizer_error(tagger):
    class SlowTokenizer:
        is_fast = False

    with pytest.raises(TokenizerError):
        Tagger(tagger.model, SlowTokenizer())


def test_long_sentence_gets_one_tag_per_word(tagger):
    words = ["xyz"] * 150  # 450 subtokens for a 64-position model
    result = tagger.tag_words([words])[0]
    assert len(result.tags) == len(result.scores) == 150
    assert all(tag in NER_LABELS for tag in result.tags)
    assert all(score > 0 for score in result.scores)


def test_batch_gives_the_same_tags_as_one_by_one(tagger):
    sentences = [sentence(n, seed) for seed, n in enumerate((3, 150, 1, 20, 7, 60))]
    batched = tagger.tag_words(sentences)
    single = [tagger.tag_words([s])[0] for s in sentences]
    assert [b.tags for b in batched] == [s.tags for s in single]
    for b, s in zip(batched, single):
        assert b.scores == pytest.approx(s.scores, abs=1e-5)


def test_tagged_sentences_keep_input_order_and_words(tagger):
    sentences = [sentence(n, seed) for seed, n in enumerate((30, 2, 9))]
    assert [t.words for t in tagger.tag_words(sentences)] == sentences


def test_entities_offsets_slice_the_original_text(always_b_per):
    text = "Angela  Merkel visited Paris, said John."
    result = always_b_per.tag_text(text)[0]
    assert [e.text for e in result.entities] == [w for w, _, _ in split_words(text)]
    for e in result.entities:
        assert text[e.start : e.end] == e.text
        assert e.type == "PER"


def test_multiword_entity_text_is_the_original_span(tagger):
    # a random model forms spans of several words; their text keeps the original spacing
    text = "john  smith said paris , germany world cup 1996 the xyz qz"
    result = tagger.tag_text([text, text + " ."])
    for sent, t in zip(result, [text, text + " ."]):
        for e in sent.entities:
            assert t[e.start : e.end] == e.text


def test_tag_text_splits_chinese_into_characters_and_keeps_latin_words(always_b_per):
    text = "张三在北京用iPhone 15工作。"
    result = always_b_per.tag_text(text)[0]
    assert result.words == ["张", "三", "在", "北", "京", "用", "iPhone", "15", "工", "作", "。"]
    assert all(text[e.start : e.end] == e.text for e in result.entities)
    assert len(result.entities) == len(result.words)


def test_tag_text_records_word_offsets(tagger):
    result = tagger.tag_text("Hi, Bob")[0]
    assert result.offsets == [(0, 2), (2, 3), (4, 7)]


def test_empty_input_list_gives_empty_result(tagger):
    assert tagger.tag_words([]) == []
    assert tagger.tag_text([]) == []


def test_empty_sentence_gives_no_tags(tagger):
    assert tagger.tag_words([[]])[0].tags == []


def test_word_dropped_by_the_tokenizer_still_gets_a_tag(always_b_per):
    # the zero-width space yields no subtoken at all
    assert always_b_per.tokenizer.tokenize("\u200b") == []
    result = always_b_per.tag_words([["germany", "\u200b", "paris"]])[0]
    assert result.tags == ["B-PER", "O", "B-PER"]
    assert result.scores[1] == 0.0


def test_long_sentence_logs_no_too_long_warning(checkpoint_with_head):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("transformers")
    logger.addHandler(handler)
    try:
        Tagger.from_pretrained(checkpoint_with_head).tag_words([["xyz"] * 100])
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if "longer than the specified maximum" in r.getMessage()]


# --------------------------------------------------------------------------------------------------
# constrained decoding in the Tagger


@pytest.fixture(scope="module")
def always_i_loc(tagger) -> Tagger:
    """A model whose best label is I-LOC everywhere, B-LOC second: argmax writes only invalid I-LOC tags."""
    model = copy.deepcopy(tagger.model)
    bias = torch.zeros(len(NER_LABELS))
    bias[NER_LABELS.index("I-LOC")], bias[NER_LABELS.index("B-LOC")] = 10.0, 8.0
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(bias)
    return model


def test_tagger_constrained_decoding_opens_the_span_argmax_leaves_open(always_i_loc, tagger):
    words = [["paris", "london", "germany"]]
    argmax = Tagger(always_i_loc, tagger.tokenizer, decoding="argmax").tag_words(words)[0]
    constrained = Tagger(always_i_loc, tagger.tokenizer, decoding="constrained").tag_words(words)[0]
    assert argmax.tags == ["I-LOC", "I-LOC", "I-LOC"]
    assert constrained.tags == ["B-LOC", "I-LOC", "I-LOC"]
    assert constrained.scores[1] == pytest.approx(argmax.scores[1])  # a word's score is its tag's probability


def test_tagger_constrained_tags_are_valid_across_windows(checkpoint_with_head):
    from helpers.decoding import transitions

    constrained = Tagger.from_pretrained(checkpoint_with_head, decoding="constrained", batch_size=4)
    rules = transitions(NER_LABELS)
    for result in constrained.tag_words([sentence(n, seed) for seed, n in enumerate((3, 150, 20))]):
        assert rules.is_valid([NER_LABELS.index(t) for t in result.tags])


def test_tagger_refuses_an_unknown_decoding(tagger):
    with pytest.raises(ValueError, match="argmax, constrained"):
        Tagger(tagger.model, tagger.tokenizer, decoding="greedy")


def test_kept_log_probs_give_the_argmax_tags_of_an_argmax_tagger(checkpoint_with_head, tagger):
    import numpy as np

    sentences = [sentence(n, seed) for seed, n in enumerate((3, 150, 20))]
    keeping = Tagger.from_pretrained(checkpoint_with_head, decoding="constrained", keep_log_probs=True)
    argmax = Tagger(tagger.model, tagger.tokenizer, decoding="argmax")
    for kept, plain in zip(keeping.tag_words(sentences), argmax.tag_words(sentences)):
        assert [NER_LABELS[int(np.argmax(lp))] for lp in kept.log_probs] == plain.tags
