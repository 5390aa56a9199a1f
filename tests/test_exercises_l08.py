"""Lesson 8 exercises: each checker accepts its reference solution and names typical mistakes."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch

import helpers
from helpers import exercises as E
from helpers import loop
from helpers.modeling import load_model


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("TOKCLS_LANG", "en")
    monkeypatch.delenv("TOKCLS_EXERCISES_STRICT", raising=False)


def solve(key: str, namespace: dict):
    namespace = {"helpers": helpers, "loop": loop, "torch": torch, "math": math, **namespace}
    exec(E.solution_source(8, key), namespace)
    return namespace["answer"]


def check(capsys, key, answer, *objects):
    ok = getattr(E.lesson(8), key).check(answer, *objects)
    return ok, capsys.readouterr().out


def test_lesson_8_has_three_code_exercises_and_two_concept_questions():
    exercises = list(E.lesson(8))
    assert sum(isinstance(e, E.ChoiceExercise) for e in exercises) == 2 and len(exercises) == 5


def test_q1_accepts_solution_and_spots_the_per_device_batch(capsys):
    assert check(capsys, "q1", solve("q1", {}))[0]
    ok, out = check(capsys, "q1", {"effective_batch": 32, "steps_per_epoch": 110})
    assert not ok and "one device" in out


def test_q1_says_that_one_process_alone_would_take_every_batch(capsys):
    ok, out = check(capsys, "q1", {"effective_batch": 128, "steps_per_epoch": 439})
    assert not ok and "4 processes share them" in out


def test_q2_accepts_solution_and_rejects_the_gather_for_metrics_count(capsys):
    namespace = {"ds": {"validation": list(range(200))}, "recipe": SimpleNamespace(eval_batch_size=64)}
    assert check(capsys, "q2", solve("q2", namespace), 200, 64)[0]
    ok, out = check(capsys, "q2", 200, 200, 64)
    assert not ok and "gather_for_metrics" in out


def test_q2_expects_as_many_rows_as_accelerate_gathers(capsys):
    # 101 sentences, batches of 8, 2 processes: 13 batches become 7 full ones per process (the test of
    # tests/test_loop.py measures the same 112 rows on two real processes)
    assert check(capsys, "q2", 112, 101, 8, 2)[0]


def test_q3_accepts_solution_and_names_missing_layernorm_weights(capsys, tiny_checkpoint):
    model = load_model(tiny_checkpoint, ["O", "B-PER", "I-PER"])
    assert check(capsys, "q3", solve("q3", {"model": model}), model)[0]
    biases = {n for n, _ in model.named_parameters() if n.endswith("bias")}
    ok, out = check(capsys, "q3", biases, model)
    assert not ok and "LayerNorm weights are missing" in out


def test_q3_rejects_a_weight_matrix(capsys, tiny_checkpoint):
    model = load_model(tiny_checkpoint, ["O", "B-PER", "I-PER"])
    ok, out = check(capsys, "q3", solve("q3", {"model": model}) | {"classifier.weight"}, model)
    assert not ok and "should be decayed" in out


@pytest.mark.parametrize("key", ["q4", "q5"])
def test_concept_questions_accept_b_only(capsys, key):
    assert check(capsys, key, "b")[0]
    assert not check(capsys, key, "a")[0]
