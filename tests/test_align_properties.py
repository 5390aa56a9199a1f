"""Property tests of subword-label alignment on random sentences, tags and truncation lengths.

Words come from the tiny checkpoint's vocabulary ("germany" is one subtoken) or from an alphabet of letters
that the vocabulary only has as single characters (so "xqz" becomes x ##q ##z).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.align import IGNORE_INDEX, count_truncated_words, tokenize_and_align_labels, words_to_predictions
from helpers.labels import NER_LABELS, b_to_i_map, iob1_to_iob2, split_tag

B_TO_I = b_to_i_map(NER_LABELS)
LABEL_ID = {name: i for i, name in enumerate(NER_LABELS)}

word = st.one_of(
    st.sampled_from(["germany", "the", "paris", "1996"]), st.text("xqzjk", min_size=1, max_size=5)
)


@st.composite
def sentences(draw):
    """(words, IOB2 label ids, max_length): any tag sequence read as IOB1 and converted is valid IOB2."""
    words = draw(st.lists(word, min_size=1, max_size=12))
    raw = draw(st.lists(st.sampled_from(NER_LABELS), min_size=len(words), max_size=len(words)))
    tags = [LABEL_ID[t] for t in iob1_to_iob2(raw)]
    max_length = draw(st.integers(min_value=3, max_value=40))
    return words, tags, max_length


@pytest.fixture(scope="module")
def tokenizer(tiny_checkpoint):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_checkpoint)


def encode(tokenizer, words, tags, max_length, **kwargs) -> tuple[list[int], list[int]]:
    enc = tokenize_and_align_labels(
        {"id": ["s"], "tokens": [words], "ner_tags": [tags]}, tokenizer, max_length=max_length, **kwargs
    )
    return enc["labels"][0], enc["word_ids"][0]


def surviving(word_ids: list[int]) -> set[int]:
    return {w for w in word_ids if w >= 0}


PROPERTY = settings(max_examples=100, deadline=None)


@PROPERTY
@given(case=sentences())
def test_each_surviving_word_has_exactly_one_labelled_position(tokenizer, case):
    words, tags, max_length = case
    labels, word_ids = encode(tokenizer, words, tags, max_length)
    labelled = [w for w, lab in zip(word_ids, labels) if lab != IGNORE_INDEX]
    assert sorted(labelled) == sorted(surviving(word_ids))


@PROPERTY
@given(case=sentences())
def test_labelled_positions_map_back_to_word_labels(tokenizer, case):
    words, tags, max_length = case
    labels, word_ids = encode(tokenizer, words, tags, max_length)
    kept = surviving(word_ids)
    expected = [tag if k in kept else -1 for k, tag in enumerate(tags)]
    assert words_to_predictions(labels, word_ids, len(words)) == expected


@PROPERTY
@given(case=sentences())
def test_label_all_tokens_labels_every_subtoken_and_never_B_after_the_first(tokenizer, case):
    words, tags, max_length = case
    labels, word_ids = encode(tokenizer, words, tags, max_length, label_all_tokens=True, b_to_i=B_TO_I)
    previous = None
    for wid, lab in zip(word_ids, labels):
        if wid < 0:
            assert lab == IGNORE_INDEX
        elif wid != previous:
            assert lab == tags[wid]
        else:
            assert lab == B_TO_I[tags[wid]]
            assert split_tag(NER_LABELS[lab])[0] != "B"
        previous = wid


@PROPERTY
@given(case=sentences())
def test_words_lost_to_truncation_equal_count_truncated_words(tokenizer, case):
    words, tags, max_length = case
    _, word_ids = encode(tokenizer, words, tags, max_length)
    # independent count: word k survives when the subtokens of the words before it leave room for its first one
    per_word = [len(tokenizer.tokenize(w)) for w in words]
    room = max_length - tokenizer.num_special_tokens_to_add()
    lost = sum(1 for k in range(len(words)) if sum(per_word[:k]) >= room)
    assert count_truncated_words(word_ids, len(words)) == lost
