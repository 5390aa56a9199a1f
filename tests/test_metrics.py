"""Tests of helpers.metrics against results computed by hand as conlleval computes them.

Entity-level scores: TP = predicted spans equal to a gold span (same type, same first and last word),
FP = other predicted spans, FN = other gold spans; P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R).
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.labels import NER_LABELS, POS_LABELS
from helpers.metrics import (
    format_table,
    make_compute_metrics,
    score_word_ids,
    span_scores,
    tag_accuracy,
)

approx = pytest.approx


def ids(tags: list[str], names=NER_LABELS) -> list[int]:
    return [names.index(t) for t in tags]


# --------------------------------------------------------------------------------------------------
# span_scores


def test_three_gold_two_predicted_one_correct():
    # gold: PER[0-1], LOC[3], ORG[5]; pred: PER[0-1] (TP), LOC[5] (FP: gold there is ORG)
    # TP=1 FP=1 FN=2 -> P=1/2, R=1/3, F1=2*(1/6)/(5/6)=0.4
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]]
    pred = [["B-PER", "I-PER", "O", "O", "O", "B-LOC"]]
    r = span_scores(gold, pred)
    assert (r["overall_precision"], r["overall_recall"], r["overall_f1"]) == approx((0.5, 1 / 3, 0.4))


def test_per_type_scores_of_three_gold_two_predicted():
    # PER: TP=1 -> 1,1,1; LOC: gold 1 missed, pred 1 wrong -> 0,0,0; ORG: gold 1 missed -> 0,0,0
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]]
    pred = [["B-PER", "I-PER", "O", "O", "O", "B-LOC"]]
    per = span_scores(gold, pred)["per_type"]
    assert per["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "number": 1}
    assert per["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 1}
    assert per["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 1}


def test_iob1_style_I_after_O_starts_an_entity():
    # default (conlleval) mode: "I-PER I-PER" after O is one PER span, "I-LOC" alone is one LOC span
    # gold spans PER[1-2], LOC[4]; pred in IOB2 has the same spans -> TP=2 FP=0 FN=0
    gold = [["O", "I-PER", "I-PER", "O", "I-LOC"]]
    pred = [["O", "B-PER", "I-PER", "O", "B-LOC"]]
    r = span_scores(gold, pred)
    assert r["overall_f1"] == 1.0
    assert r["per_type"]["PER"]["number"] == 1


def test_iob1_adjacent_same_type_spans_count_as_two_entities():
    # "I-PER I-PER B-PER": PER[0-1] and PER[2]
    r = span_scores([["I-PER", "I-PER", "B-PER"]], [["B-PER", "I-PER", "B-PER"]])
    assert r["per_type"]["PER"]["number"] == 2
    assert r["overall_f1"] == 1.0


def test_entity_cut_by_sentence_end_is_closed_there():
    # the sentence boundary ends PER[1-2]; "I-PER" opening the next sentence is a new span:
    # gold 2 spans; pred PER[1-2] and PER[0] of sentence 2 -> TP=2
    gold = [["O", "B-PER", "I-PER"], ["I-PER", "O"]]
    pred = [["O", "B-PER", "I-PER"], ["B-PER", "O"]]
    r = span_scores(gold, pred)
    assert r["per_type"]["PER"]["number"] == 2
    assert r["overall_f1"] == 1.0


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
def test_all_O_gold_and_prediction_gives_zero_f1_without_crash():
    # no spans at all: TP=FP=FN=0 -> P, R, F1 defined as 0; every tag is right -> accuracy 1
    r = span_scores([["O", "O"], ["O"]], [["O", "O"], ["O"]])
    assert (r["overall_precision"], r["overall_recall"], r["overall_f1"]) == (0.0, 0.0, 0.0)
    assert r["overall_accuracy"] == 1.0
    assert r["per_type"] == {}


def test_wrong_type_is_one_false_positive_and_one_false_negative():
    # gold PER[0-1], pred ORG[0-1]: TP=0 FP=1 FN=1 -> 0, 0, 0
    r = span_scores([["B-PER", "I-PER"]], [["B-ORG", "I-ORG"]])
    assert r["overall_f1"] == 0.0
    assert r["per_type"]["PER"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 1}
    assert r["per_type"]["ORG"]["number"] == 0


def test_boundary_error_is_not_a_match():
    # gold PER[0-1], LOC[3-4]; pred PER[0-1] (TP), LOC[3] (too short: FP, and LOC[3-4] is FN)
    # TP=1 FP=1 FN=1 -> P=R=F1=0.5
    gold = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]]
    pred = [["B-PER", "I-PER", "O", "B-LOC", "O"]]
    r = span_scores(gold, pred)
    assert (r["overall_precision"], r["overall_recall"], r["overall_f1"]) == approx((0.5, 0.5, 0.5))
    assert r["per_type"]["LOC"]["f1"] == 0.0


def test_type_change_inside_a_span_splits_it():
    # gold "B-LOC I-PER" is LOC[0] and PER[1] in conlleval; pred the same in IOB2 -> F1 1
    r = span_scores([["B-LOC", "I-PER"]], [["B-LOC", "B-PER"]])
    assert r["overall_f1"] == 1.0
    assert r["per_type"]["PER"]["number"] == 1


def test_per_type_number_is_the_gold_support():
    # gold: LOC x2, PER x1; pred: PER x3 -> numbers count gold spans, not predicted ones
    gold = [["B-LOC", "O", "B-LOC", "B-PER"]]
    pred = [["B-PER", "O", "B-PER", "B-PER"]]
    per = span_scores(gold, pred)["per_type"]
    assert (per["LOC"]["number"], per["PER"]["number"]) == (2, 1)
    # PER: TP=1 FP=2 FN=0 -> P=1/3 R=1 F1=0.5
    assert (per["PER"]["precision"], per["PER"]["recall"], per["PER"]["f1"]) == approx((1 / 3, 1.0, 0.5))


def test_overall_accuracy_counts_words():
    # 3 of 4 tags equal
    r = span_scores([["B-PER", "I-PER", "O", "O"]], [["B-PER", "O", "O", "O"]])
    assert r["overall_accuracy"] == 0.75


def test_span_scores_rejects_sentence_length_mismatch():
    with pytest.raises(ValueError, match="sentence 0"):
        span_scores([["O", "O"]], [["O"]])


def test_span_scores_rejects_sentence_count_mismatch():
    with pytest.raises(ValueError, match="2 gold sentences but 1"):
        span_scores([["O"], ["O"]], [["O"]])


# --------------------------------------------------------------------------------------------------
# tag_accuracy


def test_tag_accuracy_overall_and_per_tag():
    # gold NN VB NN | DT, pred NN NN NN | DT: 3 of 4 right
    # NN: correct 2, predicted 3, gold 2 -> P=2/3 R=1 F1=0.8; VB: never predicted -> P=0 R=0 F1=0; DT: 1,1,1
    r = tag_accuracy([["NN", "VB", "NN"], ["DT"]], [["NN", "NN", "NN"], ["DT"]])
    assert r["overall_accuracy"] == 0.75
    assert r["per_tag"]["NN"] == approx({"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "number": 2})
    assert r["per_tag"]["VB"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 1}
    assert r["per_tag"]["DT"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "number": 1}


def test_tag_accuracy_lists_only_gold_tags():
    r = tag_accuracy([["NN"]], [["VB"]])
    assert list(r["per_tag"]) == ["NN"]


# --------------------------------------------------------------------------------------------------
# score_word_ids


def test_truncated_word_counts_as_a_missed_entity():
    # gold PER[0-1], LOC[3]; pred ids with LOC's word lost (-1): TP=1 FP=0 FN=1 -> P=1 R=1/2 F1=2/3
    gold = [ids(["B-PER", "I-PER", "O", "B-LOC"])]
    pred = [ids(["B-PER", "I-PER", "O"]) + [-1]]
    r = score_word_ids(gold, pred, NER_LABELS)
    assert (r["overall_precision"], r["overall_recall"], r["overall_f1"]) == approx((1.0, 0.5, 2 / 3))
    assert r["per_type"]["LOC"]["number"] == 1


def test_truncated_words_are_counted():
    gold = [ids(["B-PER", "O", "O"]), ids(["O"])]
    pred = [ids(["B-PER"]) + [-1, -1], [-1]]
    r = score_word_ids(gold, pred, NER_LABELS)
    assert (r["truncated_words"], r["words"]) == (3, 4)


def test_truncated_pos_word_is_a_wrong_tag():
    gold = [ids(["NN", "VB"], POS_LABELS)]
    pred = [ids(["NN"], POS_LABELS) + [-1]]
    r = score_word_ids(gold, pred, POS_LABELS)
    assert r["overall_accuracy"] == 0.5
    assert r["per_tag"]["VB"]["recall"] == 0.0
    assert r["truncated_words"] == 1


def test_pos_labels_are_scored_with_tag_accuracy():
    r = score_word_ids([ids(["NN"], POS_LABELS)], [ids(["NN"], POS_LABELS)], POS_LABELS)
    assert "per_tag" in r and "overall_f1" not in r


# --------------------------------------------------------------------------------------------------
# make_compute_metrics

# two tokenized evaluation rows; labels mark the first subtoken of each word (-100 elsewhere):
#   row 0: [CLS] w0 w1 w1' w2 [SEP]  -> gold B-PER I-PER O
#   row 1: [CLS] w0 w1 [SEP]         -> gold B-LOC O
LABELS = [
    [-100, *ids(["B-PER", "I-PER"]), -100, *ids(["O"]), -100],
    [-100, *ids(["B-LOC", "O"]), -100],
]
# subtoken predictions; the continuation w1' predicts B-MISC, which must be ignored
PRED_IDS = [ids(["O", "B-PER", "I-PER", "B-MISC", "O", "O"]), ids(["O", "B-LOC", "B-ORG", "O"])]


class FakeEvalPrediction:
    def __init__(self, predictions, label_ids):
        self.predictions = predictions
        self.label_ids = label_ids


def padded(rows, fill=-100) -> np.ndarray:
    out = np.full((len(rows), 6), fill)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def padded_logits() -> np.ndarray:
    out = np.full((2, 6, len(NER_LABELS)), -100.0)
    for row, p in enumerate(PRED_IDS):
        out[row, : len(p)] = np.eye(len(NER_LABELS))[p]
    return out


@pytest.fixture
def compute_metrics():
    return make_compute_metrics(NER_LABELS)


def test_compute_metrics_scores_the_words_its_labels_mark(compute_metrics):
    # gold spans PER[0-1], LOC[0]; pred (first subtokens) PER[0-1], LOC[0], ORG[1] (FP)
    # TP=2 FP=1 FN=0 -> P=2/3, R=1, F1=0.8; 5 words
    m = compute_metrics(FakeEvalPrediction(padded(PRED_IDS), padded(LABELS)))
    assert (m["overall_precision"], m["overall_recall"], m["overall_f1"]) == approx((2 / 3, 1.0, 0.8))
    assert (m["words"], m["ORG_number"]) == (5, 0) and "MISC_number" not in m  # w1' was not scored


def test_compute_metrics_does_not_depend_on_the_order_of_rows(compute_metrics):
    forward = compute_metrics(FakeEvalPrediction(padded(PRED_IDS), padded(LABELS)))
    backward = compute_metrics(FakeEvalPrediction(padded(PRED_IDS[::-1]), padded(LABELS[::-1])))
    assert forward == backward


def test_compute_metrics_on_logits_equals_on_ids(compute_metrics):
    on_ids = compute_metrics(FakeEvalPrediction(padded(PRED_IDS), padded(LABELS)))
    assert compute_metrics(FakeEvalPrediction(padded_logits(), padded(LABELS))) == on_ids
    assert compute_metrics(FakeEvalPrediction((padded_logits(), None), padded(LABELS))) == on_ids


def test_compute_metrics_without_per_type_keeps_only_overall():
    m = make_compute_metrics(NER_LABELS, per_type=False)(FakeEvalPrediction(padded(PRED_IDS), padded(LABELS)))
    assert "overall_f1" in m and not any(k.startswith("PER_") for k in m)


def test_compute_metrics_rejects_predictions_of_another_shape(compute_metrics):
    with pytest.raises(ValueError, match="predictions of shape"):
        compute_metrics(FakeEvalPrediction(padded(PRED_IDS)[:1], padded(LABELS)))


# --------------------------------------------------------------------------------------------------
# format_table


def test_format_table_lists_every_type_and_the_overall_line():
    r = span_scores([["B-PER", "O", "B-LOC", "B-ORG", "B-MISC"]], [["B-PER", "O", "B-LOC", "O", "O"]])
    table = format_table(r)
    for name in ("LOC", "MISC", "ORG", "PER", "overall"):
        assert any(line.startswith(name) for line in table.splitlines()), name


def test_format_table_overall_support_is_the_sum_of_gold_entities():
    r = span_scores([["B-PER", "O", "B-LOC", "B-LOC"]], [["O", "O", "O", "O"]])
    overall = next(line for line in format_table(r).splitlines() if line.startswith("overall"))
    assert overall.split()[-1] == "3"


def test_format_table_mentions_words_lost_to_truncation():
    r = score_word_ids([ids(["B-PER", "O"])], [ids(["B-PER"]) + [-1]], NER_LABELS)
    assert "lost to truncation" in format_table(r)


def test_format_table_of_tag_accuracy_lists_tags():
    table = format_table(tag_accuracy([["NN", "VB"]], [["NN", "NN"]]))
    assert "NN" in table and "VB" in table and "accuracy: 0.5000" in table
