"""Tests of helpers.analysis: learning-curve tables, word-label confusion, span error kinds, highlighted HTML."""

from __future__ import annotations

import math

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers.analysis import (  # noqa: E402
    ERROR_KINDS,
    case_only_entities,
    cases_frame,
    classify_errors,
    compare_html,
    confusion,
    error_counts_consistent,
    error_summary,
    log_history_frame,
    per_type_frame,
    plot_confusion,
    plot_learning_curve,
    sentence_errors,
    spans,
)
from helpers.metrics import span_scores  # noqa: E402

LOG_HISTORY = [
    {"loss": 1.5, "learning_rate": 1e-4, "epoch": 0.4, "step": 10},
    {"eval_loss": 0.9, "eval_overall_f1": 0.1, "epoch": 0.4, "step": 10},
    {"loss": 0.8, "learning_rate": 5e-5, "epoch": 0.8, "step": 20},
    {"eval_loss": 0.5, "eval_overall_f1": 0.4, "epoch": 0.8, "step": 20},
    {"train_runtime": 12.0, "train_loss": 1.1, "total_flos": 1.0, "epoch": 0.8, "step": 20},
]


# --- learning curves


def test_log_history_frame_merges_training_and_eval_entries_of_a_step():
    df = log_history_frame(LOG_HISTORY)
    assert list(df.index) == [10, 20]
    assert df.loc[20, "loss"] == 0.8 and df.loc[20, "eval_overall_f1"] == 0.4


def test_log_history_frame_leaves_out_the_run_summary():
    df = log_history_frame(LOG_HISTORY)
    assert "train_runtime" not in df.columns and "train_loss" not in df.columns


def test_log_history_frame_marks_unlogged_values_as_nan():
    df = log_history_frame([{"loss": 1.0, "step": 5}, {"eval_overall_f1": 0.2, "step": 10}])
    assert math.isnan(df.loc[10, "loss"]) and math.isnan(df.loc[5, "eval_overall_f1"])


def test_log_history_frame_of_empty_history_is_empty():
    assert log_history_frame([]).empty


def test_plot_learning_curve_draws_loss_and_metric_on_two_axes():
    ax = plot_learning_curve(log_history_frame(LOG_HISTORY))
    assert ax.get_xlabel() == "step"
    assert len(ax.figure.axes) == 2
    assert list(ax.lines[0].get_ydata()) == [1.5, 0.8]
    assert list(ax.figure.axes[1].lines[0].get_ydata()) == [0.1, 0.4]


# --- confusion


def test_confusion_counts_b_and_i_as_one_type():
    df = confusion([["B-PER", "I-PER", "O"]], [["B-PER", "B-PER", "O"]], normalize=False)
    assert df.loc["PER", "PER"] == 2 and df.loc["O", "O"] == 1


def test_confusion_rows_are_gold_and_sum_to_one():
    df = confusion(["B-PER", "B-PER", "O", "O"], ["B-PER", "B-LOC", "O", "B-LOC"], labels=["LOC", "PER", "O"])
    assert df.loc["PER", "LOC"] == 0.5 and df.loc["O", "LOC"] == 0.5
    assert df.loc[["PER", "O"]].sum(axis=1).tolist() == [1.0, 1.0]


def test_confusion_row_without_gold_words_stays_zero():
    df = confusion(["O"], ["B-LOC"], labels=["LOC", "O"])
    assert df.loc["LOC"].tolist() == [0.0, 0.0]


def test_confusion_default_order_is_sorted_types_then_o():
    df = confusion(["O", "B-PER", "B-LOC"], ["O", "B-PER", "B-ORG"])
    assert list(df.index) == ["LOC", "ORG", "PER", "O"]


def test_confusion_rejects_tags_outside_labels():
    with pytest.raises(ValueError, match="MISC"):
        confusion(["B-MISC"], ["O"], labels=["PER", "O"])


def test_confusion_rejects_different_lengths():
    with pytest.raises(ValueError, match="1 gold tags but 2 predicted"):
        confusion(["O"], ["O", "O"])


def test_plot_confusion_writes_each_value_in_its_cell():
    ax = plot_confusion(confusion(["B-PER", "O"], ["B-PER", "B-PER"], labels=["PER", "O"]))
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.00", "1.00", "0.00"]
    assert ax.get_ylabel() == "gold" and ax.get_xlabel() == "predicted"


# --- spans and error kinds


def test_spans_have_exclusive_ends():
    assert spans(["B-PER", "I-PER", "O", "B-LOC"]) == {("PER", 0, 2), ("LOC", 3, 4)}


def test_spans_open_at_i_after_o_like_conlleval():
    assert spans(["O", "I-ORG", "I-ORG"]) == {("ORG", 1, 3)}


def test_spans_split_at_type_change():
    assert spans(["B-PER", "I-LOC"]) == {("PER", 0, 1), ("LOC", 1, 2)}


def test_spans_split_at_b_of_same_type():
    assert spans(["B-PER", "B-PER"]) == {("PER", 0, 1), ("PER", 1, 2)}


def test_exact_match_is_no_error():
    assert sentence_errors(["B-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"]) == []


def test_same_boundaries_other_type_is_wrong_type():
    assert sentence_errors(["B-ORG", "O"], ["B-LOC", "O"]) == [("wrong_type", ("ORG", 0, 1), ("LOC", 0, 1))]


def test_overlap_with_same_type_is_boundary():
    got = sentence_errors(["B-LOC", "I-LOC", "O"], ["O", "B-LOC", "O"])
    assert got == [("boundary", ("LOC", 0, 2), ("LOC", 1, 2))]


def test_overlap_with_other_type_is_boundary_and_type():
    got = sentence_errors(["B-LOC", "I-LOC", "O"], ["B-ORG", "I-ORG", "I-ORG"])
    assert got == [("boundary_and_type", ("LOC", 0, 2), ("ORG", 0, 3))]


def test_gold_without_overlapping_prediction_is_missed():
    assert sentence_errors(["B-PER", "O"], ["O", "O"]) == [("missed", ("PER", 0, 1), None)]


def test_prediction_without_overlapping_gold_is_spurious():
    assert sentence_errors(["O", "O"], ["O", "B-MISC"]) == [("spurious", None, ("MISC", 1, 2))]


def test_a_prediction_is_paired_with_one_gold_span_only():
    got = sentence_errors(["B-PER", "B-PER", "O"], ["B-PER", "I-PER", "O"])
    assert got == [("boundary", ("PER", 0, 1), ("PER", 0, 2)), ("missed", ("PER", 1, 2), None)]


def test_pairing_prefers_same_boundaries_over_same_type():
    got = sentence_errors(["B-LOC", "I-LOC", "O"], ["B-ORG", "I-ORG", "O"])
    assert got[0][0] == "wrong_type"


def test_extra_fragment_of_a_split_entity_is_spurious():
    got = sentence_errors(["B-LOC", "I-LOC", "I-LOC"], ["B-LOC", "I-LOC", "B-ORG"])
    assert [k for k, _, _ in got] == ["boundary", "spurious"]


def test_classify_errors_keeps_sentence_index_and_span_words():
    cases = classify_errors([["O"], ["B-LOC", "I-LOC"]], [["O"], ["B-LOC", "O"]], [["hi"], ["New", "York"]])
    assert len(cases) == 1
    assert (cases[0].sentence, cases[0].gold_text, cases[0].pred_text) == (1, "New York", "New")


def test_error_case_describe_names_both_sides():
    (case,) = classify_errors([["B-ORG"]], [["B-LOC"]], [["Chelsea"]])
    assert case.describe() == "'Chelsea' ORG -> 'Chelsea' LOC"


def test_classify_errors_rejects_different_sentence_counts():
    with pytest.raises(ValueError, match="2 gold sentences but 1 predicted"):
        classify_errors([["O"], ["O"]], [["O"]])


def test_error_summary_lists_every_kind_most_frequent_first():
    cases = classify_errors(
        [["B-PER", "O", "B-LOC"], ["O"]], [["O", "O", "O"], ["B-ORG"]], [["a", "b", "c"], ["d"]]
    )
    summary = error_summary(cases)
    assert set(summary.index) == set(ERROR_KINDS)
    assert summary.index[0] == "missed" and summary.loc["missed", "count"] == 2
    assert summary.loc["spurious", "share"] == pytest.approx(1 / 3)
    assert summary.loc["wrong_type", "examples"] == ""


def test_cases_frame_has_one_row_per_error():
    cases = classify_errors([["B-PER", "O"]], [["O", "B-LOC"]], [["Ann", "Rome"]])
    df = cases_frame(cases)
    assert df["kind"].tolist() == ["missed", "spurious"]
    assert df.loc[1, "pred_text"] == "Rome"


def test_error_kinds_add_up_to_span_scores():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O", "B-MISC"]]
    pred = [["B-PER", "O", "O", "B-ORG"], ["B-ORG", "B-LOC", "O"]]
    cases = classify_errors(gold, pred)
    n_gold = sum(len(spans(s)) for s in gold)
    n_pred = sum(len(spans(s)) for s in pred)
    assert error_counts_consistent(cases, span_scores(gold, pred), n_gold, n_pred)


def test_error_counts_consistent_detects_a_lost_error():
    gold, pred = [["B-PER", "O"]], [["O", "O"]]
    assert not error_counts_consistent([], span_scores(gold, pred), 1, 0)


# --- HTML


def test_compare_html_puts_gold_and_prediction_in_one_row():
    out = compare_html([(["Rome"], ["B-LOC"], ["B-ORG"])])
    assert out.count("<tr>") == 2 and ">gold</th>" in out and ">predicted</th>" in out
    assert ">LOC</sub>" in out and ">ORG</sub>" in out


# --- score tables


def test_per_type_frame_adds_an_overall_row_with_total_support():
    result = span_scores([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "O"]])
    df = per_type_frame(result)
    assert list(df.index) == ["LOC", "PER", "overall"]
    assert df.loc["overall", "number"] == 2 and df.loc["overall", "recall"] == 0.5
    assert df.loc["PER", "f1"] == 1.0


def test_plot_learning_curve_names_the_metric_plainly():
    ax = plot_learning_curve(log_history_frame(LOG_HISTORY))
    assert ax.figure.axes[1].get_ylabel() == "validation f1"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training loss", "validation f1"]


def test_entity_word_seen_outside_entities_only_in_lower_case_counts_as_case_only():
    train = [["the", "labour", "market", "and", "Reading"]]
    train_tags = [["O", "O", "O", "O", "O"]]
    test = [["Labour", "Party", "met", "Reading", "fans"]]
    test_tags = [["B-ORG", "I-ORG", "O", "B-ORG", "O"]]
    count = case_only_entities(train, train_tags, test, test_tags)
    # "Labour" differs from "labour" only by case, "Party" was never seen; "Reading" was seen as O as it is
    assert (count.entities, count.some_word, count.every_word) == (2, 1, 0)
    assert count.examples == []
