"""Lesson 9 exercises: each checker accepts its reference solution and names typical mistakes."""

from __future__ import annotations

import pytest

import helpers.bmes
from helpers import exercises as E


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("TOKCLS_LANG", "en")
    monkeypatch.delenv("TOKCLS_EXERCISES_STRICT", raising=False)


def solve(key: str):
    namespace = {"helpers": helpers, "ex": E.lesson(9)}
    exec(E.solution_source(9, key), namespace)
    return namespace["answer"]


def check(capsys, key, answer, *objects):
    ok = getattr(E.lesson(9), key).check(answer, *objects)
    return ok, capsys.readouterr().out


def test_lesson_9_has_three_code_exercises_and_two_concept_questions():
    exercises = list(E.lesson(9))
    assert sum(isinstance(e, E.ChoiceExercise) for e in exercises) == 2 and len(exercises) == 5


def test_q1_accepts_solution_and_says_one_tag_per_character(capsys):
    assert check(capsys, "q1", solve("q1"))[0]
    ok, out = check(capsys, "q1", ["B-W", "E-W"] * 9)
    assert not ok and "one tag per character" in out


def test_q1_names_a_one_character_word_tagged_as_a_beginning(capsys):
    tags = solve("q1")
    i = tags.index("S-W")
    tags[i] = "B-W"
    ok, out = check(capsys, "q1", tags)
    assert not ok and "word of one character" in out


def test_q1_asks_for_the_type(capsys):
    ok, out = check(capsys, "q1", [t.split("-")[0] for t in solve("q1")])
    assert not ok and "type too" in out


def test_q2_accepts_solution_and_spots_character_matching(capsys):
    assert check(capsys, "q2", solve("q2"))[0]
    ok, out = check(capsys, "q2", (1.0, 1.0, 1.0))
    assert not ok and "compares characters" in out


def test_q2_asks_for_shares_not_percentages(capsys):
    ok, out = check(capsys, "q2", (40.0, 40.0, 40.0))
    assert not ok and "not percentages" in out


def test_q3_accepts_solution_and_tells_rate_from_recall(capsys):
    assert check(capsys, "q3", solve("q3"))[0]
    ok, out = check(capsys, "q3", 3 / 7)
    assert not ok and "OOV rate" in out


def test_q3_says_to_start_from_the_gold_words(capsys):
    ok, out = check(capsys, "q3", 1.0)
    assert not ok and "gold words" in out


def test_concept_questions_accept_their_answer(capsys):
    assert check(capsys, "q4", "b")[0] and check(capsys, "q5", "c")[0]
    ok, out = check(capsys, "q5", "b")
    assert not ok and "total log-probability" in out
