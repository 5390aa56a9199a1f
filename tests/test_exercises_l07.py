"""Lesson 7 exercises: the reference solutions pass and typical mistakes get specific feedback."""

from __future__ import annotations

import pytest

import helpers
from helpers import exercises as E
from helpers.labels import to_iob2

L07 = E.lesson(7)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("TOKCLS_LANG", "en")
    monkeypatch.delenv("TOKCLS_EXERCISES_STRICT", raising=False)


def solve(key: str, **namespace):
    namespace = {"helpers": helpers, "ex": L07, "to_iob2": to_iob2, **namespace}
    exec(E.solution_source(7, key), namespace)
    return namespace["answer"]


def verdict(capsys, exercise, answer, *objects):
    ok = exercise.check(answer, *objects)
    return ok, capsys.readouterr().out


@pytest.fixture(scope="module")
def zh_split():
    from helpers.zh import synthetic_chinese

    return synthetic_chinese(sizes={"train": 40})["train"]


def test_lesson_7_has_code_exercises_and_concept_questions():
    items = list(L07)
    assert len(items) >= 4 and any(isinstance(e, E.ChoiceExercise) for e in items)


def test_q1_accepts_solution(capsys):
    assert verdict(capsys, L07.q1, solve("q1"))[0]


def test_q1_names_a_leftover_bmes_prefix(capsys):
    ok, out = verdict(capsys, L07.q1, L07.q1.data["tags"])
    assert not ok and "IOB2 has no M-, E- or S-" in out


def test_q2_accepts_solution(capsys, tiny_checkpoint, zh_split):
    tok = helpers.load_tokenizer(tiny_checkpoint)
    assert verdict(capsys, L07.q2, solve("q2", tokenizer=tok, ds={"train": zh_split}), tok, zh_split)[0]


def test_q2_tells_distinct_characters_from_occurrences(capsys, tiny_checkpoint, zh_split):
    tok = helpers.load_tokenizer(tiny_checkpoint)
    chars = sorted({ch for tokens in zh_split["tokens"] for t in tokens for ch in t})
    ids = tok(chars, add_special_tokens=False)["input_ids"]
    distinct_share = sum(i == [tok.unk_token_id] for i in ids) / len(chars)
    ok, out = verdict(capsys, L07.q2, distinct_share, tok, zh_split)
    assert not ok and "distinct characters" in out


def test_q3_accepts_solution(capsys):
    assert verdict(capsys, L07.q3, solve("q3"))[0]


def test_q3_explains_inclusive_ends(capsys):
    inclusive = [[s, e - 1, t] for s, e, t in solve("q3")]
    ok, out = verdict(capsys, L07.q3, inclusive)
    assert not ok and "inclusive" in out


def test_q4_and_q5_accept_their_solutions(capsys):
    assert verdict(capsys, L07.q4, solve("q4"))[0] and verdict(capsys, L07.q5, solve("q5"))[0]
