"""The project's `evaluate` metric module loads offline and gives the numbers of seqeval and span_scores."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import accuracy_score, classification_report

from helpers.labels import iob1_to_iob2
from helpers.metrics import metric_module_path, span_scores

CASES = {
    "perfect": ([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]]),
    "three_gold_two_predicted": (
        [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]],
        [["B-PER", "I-PER", "O", "O", "O", "B-LOC"]],
    ),
    "iob1_style": ([["O", "I-PER", "I-PER", "B-PER"]], [["O", "B-PER", "I-PER", "I-PER"]]),
    "cut_by_sentence_end": ([["O", "B-MISC"], ["I-MISC", "O"]], [["O", "B-MISC"], ["B-MISC", "I-MISC"]]),
    "wrong_type_and_boundary": ([["B-ORG", "I-ORG", "O", "B-LOC"]], [["B-PER", "I-PER", "B-LOC", "I-LOC"]]),
    "all_O": ([["O", "O"], ["O"]], [["O", "O"], ["O"]]),
}


def expected_from_span_scores(gold, pred) -> dict:
    r = span_scores(gold, pred)
    return {**r["per_type"], **{k: v for k, v in r.items() if k.startswith("overall_")}}


def expected_from_seqeval(gold, pred) -> dict:
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    out = {
        name: {
            "precision": float(v["precision"]),
            "recall": float(v["recall"]),
            "f1": float(v["f1-score"]),
            "number": int(v["support"]),
        }
        for name, v in report.items()
        if not name.endswith(" avg")
    }
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    out["overall_precision"] = float(micro["precision"])
    out["overall_recall"] = float(micro["recall"])
    out["overall_f1"] = float(micro["f1-score"])
    out["overall_accuracy"] = float(accuracy_score(gold, pred))
    return out


@pytest.fixture(scope="module")
def metric():
    """The module loaded with HF_HUB_OFFLINE=1 while any attempt to open a connection fails the test."""
    import evaluate

    def no_network(*args, **kwargs):
        raise AssertionError(f"evaluate.load touched the network: {args!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setattr(socket, "create_connection", no_network)
        mp.setattr(socket.socket, "connect", no_network)
        return evaluate.load(metric_module_path())


def test_metric_module_path_points_at_an_existing_file():
    from pathlib import Path

    assert Path(metric_module_path()).is_file()


def test_metric_loads_offline_and_scores_a_perfect_prediction(metric):
    result = metric.compute(predictions=[["B-PER", "I-PER", "O"]], references=[["B-PER", "I-PER", "O"]])
    assert result["overall_f1"] == 1.0
    assert result["PER"]["number"] == 1


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@pytest.mark.parametrize("case", list(CASES))
def test_metric_equals_span_scores(metric, case):
    gold, pred = CASES[case]
    assert metric.compute(predictions=pred, references=gold) == expected_from_span_scores(gold, pred)


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@pytest.mark.parametrize("case", list(CASES))
def test_metric_equals_seqeval_classification_report(metric, case):
    gold, pred = CASES[case]
    assert metric.compute(predictions=pred, references=gold) == expected_from_seqeval(gold, pred)


TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


@st.composite
def gold_and_pred(draw):
    """Random corpora of valid IOB2 sentences (any tag list read as IOB1 and converted), gold and pred alike."""
    lengths = draw(st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=4))

    def corpus():
        return [iob1_to_iob2(draw(st.lists(st.sampled_from(TAGS), min_size=n, max_size=n))) for n in lengths]

    return corpus(), corpus()


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@settings(max_examples=30, deadline=None)
@given(data=gold_and_pred())
def test_metric_equals_seqeval_and_span_scores_on_random_iob2(metric, data):
    gold, pred = data
    result = metric.compute(predictions=pred, references=gold)
    assert result == expected_from_seqeval(gold, pred)
    assert result == expected_from_span_scores(gold, pred)
