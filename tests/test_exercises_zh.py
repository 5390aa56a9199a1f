"""Exercise feedback in Chinese, for every exercise of every lesson.

CI executes each lesson once, in English (the check variant). What the Chinese notebooks' run used to show
of the exercises is their feedback in Chinese: the not-answered message with what is expected, the hint,
the explanation of each concept-question choice. It is checked here, without running a lesson.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import exercises as E

LESSONS = [n for n in range(1, 20) if Path(E.__file__).with_name(f"l{n:02d}.toml").is_file()]
EXERCISES = [(n, e.key) for n in LESSONS for e in E.lesson(n)]


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.setenv("TOKCLS_LANG", "zh")
    monkeypatch.delenv("TOKCLS_EXERCISES_STRICT", raising=False)


@pytest.mark.parametrize(("lesson", "key"), EXERCISES)
def test_unanswered_exercise_says_so_in_chinese_with_what_is_expected(capsys, lesson, key):
    exercise = getattr(E.lesson(lesson), key)
    assert not exercise.check(...)
    out = capsys.readouterr().out
    assert _is_chinese(out) and "not answered" not in out
    assert exercise.expects.zh.strip() in out


@pytest.mark.parametrize(("lesson", "key"), EXERCISES)
def test_hint_is_printed_in_chinese(capsys, lesson, key):
    exercise = getattr(E.lesson(lesson), key)
    exercise.hint()
    out = capsys.readouterr().out
    en, zh = exercise.hint_text
    assert zh in out and (en == zh or en not in out)


@pytest.mark.parametrize(
    ("lesson", "key"), [(n, k) for n, k in EXERCISES if isinstance(getattr(E.lesson(n), k), E.ChoiceExercise)]
)
def test_every_choice_of_a_concept_question_is_explained_in_chinese(capsys, lesson, key):
    exercise = getattr(E.lesson(lesson), key)
    for letter, choice in exercise.choices.items():
        assert bool(exercise.check(letter)) is (letter == exercise.correct)
        out = capsys.readouterr().out
        assert choice.why.zh in out and _is_chinese(out)
    assert _is_chinese(exercise.markdown("zh")) and exercise.question.zh in exercise.markdown("zh")
