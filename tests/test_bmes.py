"""Tests of helpers.bmes: words to BMES tags and back, bakeoff scores, raw text to words with exact offsets."""

from __future__ import annotations

import pytest

from helpers.bmes import (
    WORD_LABELS,
    joint_labels,
    segment,
    segmentation_scores,
    tags_to_words,
    word_spans,
    word_tags,
)
from helpers.inference import TaggedSentence
from helpers.spans import split_words

# --------------------------------------------------------------------------------------------------
# tags


def test_words_become_bmes_tags_one_per_character():
    tokens, tags = word_tags(["中华人民共和国", "成立", "了"])
    assert tokens == list("中华人民共和国成立了")
    assert tags == ["B-W", "M-W", "M-W", "M-W", "M-W", "M-W", "E-W", "B-W", "E-W", "S-W"]


def test_latin_word_inside_a_chinese_word_is_one_token():
    assert word_tags(["卡拉OK", "1998年"], ["n", "t"]) == (
        ["卡", "拉", "OK", "1998", "年"],
        ["B-n", "M-n", "E-n", "B-t", "E-t"],
    )


def test_joint_labels_are_bmes_of_every_pos_tag():
    assert joint_labels(["n"]) == ["B-n", "M-n", "E-n", "S-n"]


def test_tags_give_back_the_words():
    words = ["我们", "爱", "北京", "天安门"]
    tokens, tags = word_tags(words)
    assert tags_to_words(tokens, tags) == (words, ["W"] * 4)


def test_invalid_tags_still_cut_every_character_into_one_word():
    # argmax may write E after E, or M with nothing open: each token still belongs to exactly one word
    spans = word_spans(["E-W", "E-W", "M-W", "S-W", "B-W"])
    assert [(s, e) for s, e, _ in spans] == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]


def test_a_word_takes_the_pos_of_its_first_character():
    assert tags_to_words(list("研究所"), ["B-v", "M-n", "E-n"]) == (["研究所"], ["v"])


# --------------------------------------------------------------------------------------------------
# bakeoff scores


def test_scores_count_words_by_their_offsets():
    s = segmentation_scores([["我们", "爱", "北京"]], [["我", "们", "爱", "北京"]])
    assert s["correct_words"] == 2 and s["precision"] == 0.5 and s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_oov_and_iv_recall_split_gold_words_by_the_training_vocabulary():
    s = segmentation_scores([["我们", "爱", "北京"]], [["我们", "爱北京"]], vocabulary={"我们", "爱"})
    assert s["oov_words"] == 1 and s["oov_rate"] == pytest.approx(1 / 3)
    assert s["oov_recall"] == 0.0  # 北京 was missed
    assert s["iv_recall"] == 0.5  # 我们 found, 爱 not


def test_pos_accuracy_counts_only_correctly_segmented_words():
    s = segmentation_scores(
        [["我们", "爱", "北京"]],
        [["我们", "爱北京"]],
        gold_pos=[["r", "v", "ns"]],
        predicted_pos=[["n", "v"]],
    )
    assert s["correct_words"] == 1 and s["pos_accuracy"] == 0.0  # the one right word has the wrong tag
    assert s["joint_f1"] == 0.0


def test_scores_refuse_words_of_another_text():
    with pytest.raises(ValueError, match="sentence 0"):
        segmentation_scores([["我们"]], [["你们"]])


# --------------------------------------------------------------------------------------------------
# raw text to words


class FakeTagger:
    """Tags every token S-W except tokens listed in ``join``, which continue the previous word (B-W ... E-W)."""

    decoding = "argmax"

    def __init__(self, labels=WORD_LABELS, join=("们", "京")):
        self.id2label = dict(enumerate(labels))
        self.join = join

    def tag_text(self, texts):
        out = []
        for text in texts:
            words = split_words(text)
            tags = []
            for i, (w, _, _) in enumerate(words):
                if w in self.join and i:
                    tags[-1] = "B-W" if tags[-1] == "S-W" else "M-W"
                    tags.append("E-W")
                else:
                    tags.append("S-W")
            out.append(TaggedSentence([w for w, _, _ in words], tags, [1.0] * len(words),
                                      offsets=[(a, b) for _, a, b in words]))  # fmt: skip
        return out


def test_segment_gives_words_whose_offsets_slice_the_text():
    text = "我们去北京，看iPhone 15。"
    result = segment(FakeTagger(), text)[0]
    assert result.words == ["我们", "去", "北京", "，", "看", "iPhone", "15", "。"]
    assert all(text[a:b] == w for w, (a, b) in zip(result.words, result.offsets))
    assert result.pos is None and result.line() == "我们 去 北京 ， 看 iPhone 15 。"


def test_segment_reads_fullwidth_digits_but_keeps_the_original_text():
    result = segment(FakeTagger(), "我们１２")[0]
    assert result.words == ["我们", "１２"]


def test_whitespace_in_the_input_always_separates_words():
    result = segment(FakeTagger(join=("们",)), "我 们")[0]  # the model would join 我 and 们
    assert result.words == ["我", "们"] and result.offsets == [(0, 1), (2, 3)]


def test_text_without_chinese_is_cut_like_any_text():
    assert segment(FakeTagger(), "Hello world")[0].words == ["Hello", "world"]


def test_boundary_disagreements_count_merges_and_splits_not_crossings():
    from helpers.bmes import boundary_disagreements

    merged, split = boundary_disagreements(
        [["江", "泽民", "发表", "1998年", "讲话"]], [["江泽民", "发", "表", "1998", "年讲", "话"]]
    )
    assert merged == {"江 泽民 -> 江泽民": 1}
    assert split == {"发表 -> 发 表": 1}  # 1998年 / 年讲 cross: neither a merge nor a split
