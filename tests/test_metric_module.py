"""The project's `evaluate` metric module loads offline and gives hand-computed scores, as span_scores does."""

from __future__ import annotations

import socket

import pytest

from helpers.metrics import metric_module_path, span_scores


def scores(p: float, r: float, f1: float, number: int) -> dict:
    return {"precision": p, "recall": r, "f1": f1, "number": number}


# (gold, pred, expected) with the expected result computed by hand, as conlleval counts:
# TP = predicted spans equal to a gold span (type, first and last word); P = TP/pred, R = TP/gold.
CASES = {
    # PER[0-1] both: TP=1 of 1 -> 1, 1, 1; accuracy 3/3
    "perfect": (
        [["B-PER", "I-PER", "O"]],
        [["B-PER", "I-PER", "O"]],
        {"PER": scores(1.0, 1.0, 1.0, 1), "overall": (1.0, 1.0, 1.0, 1.0)},
    ),
    # gold PER[0-1] LOC[3] ORG[5]; pred PER[0-1] (TP) LOC[5] (FP): P=1/2 R=1/3 F1=0.4; 4 of 6 tags equal
    "three_gold_two_predicted": (
        [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]],
        [["B-PER", "I-PER", "O", "O", "O", "B-LOC"]],
        {
            "LOC": scores(0.0, 0.0, 0.0, 1),
            "ORG": scores(0.0, 0.0, 0.0, 1),
            "PER": scores(1.0, 1.0, 1.0, 1),
            "overall": (0.5, 1 / 3, 0.4, 4 / 6),
        },
    ),
    # gold (I- after O opens a span) PER[1-2] PER[3]; pred PER[1-3]: TP=0 -> 0, 0, 0; tags 0 and 2 equal
    "iob1_style": (
        [["O", "I-PER", "I-PER", "B-PER"]],
        [["O", "B-PER", "I-PER", "I-PER"]],
        {"PER": scores(0.0, 0.0, 0.0, 2), "overall": (0.0, 0.0, 0.0, 0.5)},
    ),
    # the sentence end closes MISC[1]; gold MISC[s1:0], pred MISC[s1:0-1]: TP=1 of 2 and 2 -> 0.5 each
    "cut_by_sentence_end": (
        [["O", "B-MISC"], ["I-MISC", "O"]],
        [["O", "B-MISC"], ["B-MISC", "I-MISC"]],
        {"MISC": scores(0.5, 0.5, 0.5, 2), "overall": (0.5, 0.5, 0.5, 0.5)},
    ),
    # gold ORG[0-1] LOC[3]; pred PER[0-1] LOC[2-3]: TP=0; PER appears with support 0; no tag equal
    "wrong_type_and_boundary": (
        [["B-ORG", "I-ORG", "O", "B-LOC"]],
        [["B-PER", "I-PER", "B-LOC", "I-LOC"]],
        {
            "LOC": scores(0.0, 0.0, 0.0, 1),
            "ORG": scores(0.0, 0.0, 0.0, 1),
            "PER": scores(0.0, 0.0, 0.0, 0),
            "overall": (0.0, 0.0, 0.0, 0.0),
        },
    ),
    # no spans at all: P, R, F1 defined as 0; every tag right
    "all_O": ([["O", "O"], ["O"]], [["O", "O"], ["O"]], {"overall": (0.0, 0.0, 0.0, 1.0)}),
}


def flat(result: dict) -> dict:
    """``{"PER.f1": ..., "overall_f1": ...}``: one level, so that pytest.approx can compare it."""
    out = {}
    for key, value in result.items():
        out |= {f"{key}.{k}": v for k, v in value.items()} if isinstance(value, dict) else {key: value}
    return out


def expected_result(expected: dict) -> dict:
    """The module's flat result layout: one dict per type, then the four overall numbers."""
    out = {k: v for k, v in expected.items() if k != "overall"}
    keys = ("overall_precision", "overall_recall", "overall_f1", "overall_accuracy")
    return out | dict(zip(keys, expected["overall"]))


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


@pytest.mark.parametrize("case", list(CASES))
def test_metric_gives_the_hand_computed_scores(metric, case):
    gold, pred, expected = CASES[case]
    result = metric.compute(predictions=pred, references=gold)
    assert flat(result) == pytest.approx(flat(expected_result(expected)))


@pytest.mark.parametrize("case", list(CASES))
def test_span_scores_is_the_same_computation_as_the_metric(metric, case):
    gold, pred, _ = CASES[case]
    r = span_scores(gold, pred)
    assert metric.compute(predictions=pred, references=gold) == {
        **r["per_type"],
        **{k: v for k, v in r.items() if k != "per_type"},
    }
