"""Exercises with automatic, specific, bilingual feedback: ``ex = helpers.exercises.lesson(2)``.

In a notebook::

    ex = helpers.exercises.lesson(2)
    answer = ...            # the learner replaces ... with code; Ellipsis means "not answered yet"
    ex.q1.check(answer, tok, ds["train"])   # prints feedback, returns True/False, raises nothing
    ex.q1.hint()            # a hint;   ex.q1.solution(): the reference solution
    ex.q5.check("b")        # a concept question: the explanation of the chosen choice is printed

The language of messages is ``TOKCLS_LANG`` (``en``/``zh``) if set, else the name of the kernel's working
folder (Jupyter and nbval start the kernel in the notebook's folder, ``notebooks/en`` or ``notebooks/zh``),
else both languages (e.g. on Colab). With ``TOKCLS_EXERCISES_STRICT=1`` a wrong or missing answer raises
``AssertionError`` (CI runs the solutions variant of the notebooks that way).

Adding an exercise: its text (what the learner reads) goes in ``helpers/exercises/lNN.toml``, its checker in
``helpers/exercises/lNN.py``; ``lesson(NN)`` lists the exercises in the order of the TOML file::

    [q1]                                  # lNN.toml
    expects.en = "a dict {entity type: count}"
    expects.zh = "一个字典 {实体类型: 数量}"
    hint.en = "Use `show.entity_spans` on the tag names."
    hint.zh = "对标签名调用 `show.entity_spans`。"
    solution = '''
    answer = ...code that runs in the notebook at that point...
    '''

    [q2]                                  # a concept question needs no Python at all
    question.en = "...?"
    question.zh = "……？"
    correct = "b"
    hint.en = "..."
    hint.zh = "……"
    [q2.choices.a]
    text.en = "..."
    text.zh = "……"
    why.en = "..."                        # printed when this choice is picked
    why.zh = "……"

    @exercise("q1")                       # lNN.py
    def q1(answer, split):
        '''Compute the expected value from the learner's objects; return None if right, a T if wrong.'''
        expected = ...
        if answer != expected:
            return T(f"you have {answer}, ...", f"你的答案是 {answer}，……")

A checker may return ``Right(T(...))`` to accept an answer with a remark; ``wrong_count``, ``first_wrong_count`` and
``first_difference`` below word the common comparisons. ``@exercise("q1", fill={"N": N})`` fills ``{N}`` in the
exercise's texts with a constant of the module (other braces in those texts are then doubled). Give every checker
tests in ``tests/test_exercises.py``: its solution (``solution_source``) is accepted, typical wrong answers get their
message.

In the lesson source, the answer cell carries the cell metadata ``exercise="q1"`` (jupytext:
``# %% exercise="q1"``) and holds ``answer = ...``; the next cell calls ``ex.q1.check(answer, ...)``. The
solutions build replaces the answer cell by ``solution_source(lesson, "q1")``, so a solution lives only in the
TOML file.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..env import env_flag

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LANGS = ("en", "zh")
STRICT_ENV = "TOKCLS_EXERCISES_STRICT"
LANG_ENV = "TOKCLS_LANG"


class T(NamedTuple):
    """A text in English and Chinese."""

    en: str
    zh: str

    def __add__(self, other):  # type: ignore[override]
        """Join two texts language by language: ``T("a", "甲") + T("b", "乙") == T("ab", "甲乙")``."""
        if isinstance(other, T):
            return T(self.en + other.en, self.zh + other.zh)
        return NotImplemented


class Right(NamedTuple):
    """A checker's verdict "correct", with a remark to print."""

    note: T


def language() -> str | None:
    """``"en"`` or ``"zh"`` from ``TOKCLS_LANG``, else from the working folder's name; None means both."""
    value = os.environ.get(LANG_ENV, "").strip().lower()
    if value in LANGS:
        return value
    for path in (_notebook_path(), Path.cwd()):
        if path is not None and path.name in LANGS:
            return path.name
    return None


def _notebook_path() -> Path | None:
    """The notebook's folder where the front end tells it (VS Code, JupyterLab's ``__session__``)."""
    main = sys.modules.get("__main__")
    for name in ("__vsc_ipynb_file__", "__session__"):
        value = getattr(main, name, None)
        if isinstance(value, str) and value.endswith(".ipynb"):
            return Path(value).parent
    return None


def render(text: T, lang: str | None = None) -> str:
    """The text in one language, or both (English first) when ``lang`` is None."""
    if lang in LANGS:
        return getattr(text, lang)
    return f"{text.en}\n{text.zh}"


def say(text: T) -> None:
    """Print a text in the current ``language()``."""
    print(render(text, language()))


def strict() -> bool:
    """True when ``TOKCLS_EXERCISES_STRICT=1``: wrong or missing answers raise ``AssertionError``."""
    return env_flag(STRICT_ENV)


def num(value: float) -> str:
    """A number as the messages show it: ``2 618``, ``0.8312``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return f"{int(value):,}".replace(",", " ")
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def is_placeholder(answer: Any) -> bool:
    """True for the placeholder of an unanswered exercise, ``answer = ...`` (Ellipsis)."""
    return answer is Ellipsis


def wrong_count(key: Any, got: Any, expected: Any, has: T) -> T:
    """ "PER: you have 3, the validation split has 4."; ``has`` words the expected count, ``{}`` standing for it."""
    return T(
        f"{key}: you have {num(got)}, {has.en.format(num(expected))}.",
        f"{key}：你的是 {num(got)}，{has.zh.format(num(expected))}。",
    )


def first_wrong_count(got: Mapping[Any, Any], expected: Mapping[Any, Any], has: T) -> T | None:
    """``wrong_count`` for the first key (in sorted order) whose count differs, a missing key counting 0."""
    for key in sorted(set(expected) | set(got)):
        if got.get(key, 0) != expected.get(key, 0):
            return wrong_count(key, got.get(key, 0), expected.get(key, 0), has)
    return None


def first_difference(got: Sequence[Any], expected: Sequence[Any]) -> int | None:
    """The first position where two sequences differ (the shorter one's length if one extends the other), or None."""
    for i, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            return i
    return None if len(got) == len(expected) else min(len(got), len(expected))


Checker = Callable[..., "T | Right | None"]


class Verdict:
    """What ``check`` returns: true when the answer is right. A notebook shows nothing for it (the printed
    feedback is the message), so a check cell does not end with a bare ``True`` or ``False``."""

    def __init__(self, ok: bool) -> None:
        self.ok = ok

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Verdict({self.ok})"

    def _ipython_display_(self) -> None:
        pass


@dataclass
class Exercise:
    """One exercise: ``check(answer, *objects)``, ``hint()``, ``solution()``."""

    key: str
    expects: T
    hint_text: T
    solution_code: str
    checker: Checker
    explanation: T | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    lesson: int | None = None

    def check(self, answer: Any = Ellipsis, *objects: Any, **named: Any) -> Verdict:
        """Print feedback on ``answer`` (the checker gets the learner's ``objects`` too); True if right."""
        if is_placeholder(answer):
            msg = T(
                f"⏳ {self.key} is not answered yet: replace the `...` in `answer = ...` with {self.expects.en}, "
                f"then run this cell again (`ex.{self.key}.hint()` helps).",
                f"⏳ {self.key} 还没有作答：把 `answer = ...` 中的 `...` 换成{self.expects.zh}，再运行本单元格"
                f"（`ex.{self.key}.hint()` 给出提示）。",
            )
            return self._verdict(False, msg)
        if answer is None:
            verdict: T | Right | None = T(
                "your answer is None: did the code print the result instead of assigning it to `answer`?",
                "你的答案是 None：代码是不是把结果打印了出来，而没有赋值给 `answer`？",
            )
        else:
            try:
                verdict = self.checker(answer, *objects, **named)
            except (
                Exception
            ) as exc:  # a malformed answer: say so instead of a traceback from inside the checker
                verdict = T(
                    f"this answer could not be checked ({type(exc).__name__}: {exc}); expected {self.expects.en}.",
                    f"无法检查这个答案（{type(exc).__name__}: {exc}）；应当是{self.expects.zh}。",
                )
        if verdict is None or isinstance(verdict, Right):
            note = verdict.note if isinstance(verdict, Right) else None
            msg = T(f"✅ {self.key}: correct.", f"✅ {self.key}：正确。")
            if note is not None:
                msg = msg + T(" ", "") + note
            return self._verdict(True, msg)
        msg = T(f"❌ {self.key}: not yet. ", f"❌ {self.key}：还不对。") + verdict
        msg = msg + T(f" (hint: `ex.{self.key}.hint()`)", f"（提示：`ex.{self.key}.hint()`）")
        return self._verdict(False, msg)

    def _verdict(self, ok: bool, msg: T) -> Verdict:
        say(msg)
        if not ok and strict():
            raise AssertionError(render(msg))
        return Verdict(ok)

    def hint(self) -> None:
        """Print the hint."""
        say(T("💡 ", "💡 ") + self.hint_text)

    def solution(self) -> None:
        """Print the reference solution (the code the solutions variant of the notebook runs)."""
        if self.explanation is not None:
            say(self.explanation)
        print(self.solution_code)


@dataclass
class Choice:
    """One choice of a concept question, with the explanation printed when it is chosen."""

    text: T
    why: T


ANSWER_WITH_A_LETTER = T('Answer with a letter, e.g. `answer = "a"`.', '用字母作答，例如 `answer = "a"`。')


@dataclass
class ChoiceExercise(Exercise):
    """A multiple-choice concept question: ``check("b")``."""

    question: T = T("", "")
    choices: Mapping[str, Choice] = field(default_factory=dict)
    correct: str = ""

    def show(self) -> None:
        """Print the question and its choices."""
        lines = [render(self.question, language())]
        for letter, option in self.choices.items():
            lines.append(f"  ({letter}) " + render(option.text, language()).replace("\n", f"\n  ({letter}) "))
        print("\n".join(lines))

    def markdown(self, lang: str) -> str:
        """The question as the lesson shows it (question, choices, how to answer), in ``lang``: the build writes
        this under the exercise's heading, so the lesson and the TOML file cannot drift."""
        mark = {"en": "- ({}) ", "zh": "- （{}）"}[lang]
        choices = [
            mark.format(letter) + getattr(option.text, lang) for letter, option in self.choices.items()
        ]
        return "\n\n".join(
            [getattr(self.question, lang), "\n".join(choices), getattr(ANSWER_WITH_A_LETTER, lang)]
        )


@functools.cache
def texts(module: str) -> dict[str, dict[str, Any]]:
    """The exercise texts of lesson module ``module`` (``helpers.exercises.lNN``): the table of ``lNN.toml``."""
    path = Path(__file__).with_name(module.rpartition(".")[2] + ".toml")
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ValueError(f"{module}: the exercise texts {path.name} are missing") from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: {err}") from None


def _text(table: Mapping[str, Any], name: str, where: str) -> T:
    """The ``name.en`` / ``name.zh`` pair of a TOML table as a ``T``, or a clear error naming what is missing."""
    pair = table.get(name)
    if not isinstance(pair, Mapping) or not all(isinstance(pair.get(lang), str) for lang in LANGS):
        raise ValueError(f"{where}: {name}.en and {name}.zh must both be strings")
    return T(pair["en"], pair["zh"])


def exercise(key: str, *, data: Mapping[str, Any] | None = None, fill: Mapping[str, Any] | None = None):
    """Decorator turning a checker ``fn(answer, *objects) -> T | Right | None`` into an ``Exercise``.

    Its expects, hint and solution come from table ``[key]`` of the lesson's TOML file, with ``{name}`` filled
    from ``fill``. ``data`` holds the exercise's given inputs; the learner reads them as ``ex.q1.data["words"]``.
    """

    def wrap(fn: Checker) -> Exercise:
        where = f"{fn.__module__} exercise {key}"
        table = texts(fn.__module__).get(key)
        if table is None:
            raise ValueError(f"{where}: no table [{key}] in the lesson's TOML file")

        def filled(text: str) -> str:
            return text.format(**fill) if fill else text

        expects, hint = (T(*map(filled, _text(table, name, where))) for name in ("expects", "hint"))
        solution = table.get("solution")
        if not isinstance(solution, str):
            raise ValueError(f"{where}: solution must be a string")
        return Exercise(key, expects, hint, filled(solution).strip("\n") + "\n", fn, None, dict(data or {}))

    return wrap


def choice(key: str, *, question: T, choices: Mapping[str, Choice], correct: str, hint: T) -> ChoiceExercise:
    """A concept question; its solution is ``answer = "<correct letter>"``."""
    if correct not in choices:
        raise ValueError(f"{key}: the correct choice {correct!r} is not one of {list(choices)}")
    letters, letters_zh = ", ".join(choices), "、".join(choices)
    expects = T(
        f'one of the letters {letters}, e.g. `answer = "a"`', f'字母 {letters_zh} 之一，例如 `answer = "a"`'
    )

    def check(answer: Any) -> T | Right | None:
        letter = answer.strip().strip("()").lower() if isinstance(answer, str) else None
        if letter not in choices:
            return T(
                f"{answer!r} is not a choice; answer with one of the letters {letters}.",
                f"{answer!r} 不是选项之一；请用字母 {letters_zh} 之一作答。",
            )
        why = choices[letter].why
        return Right(why) if letter == correct else T(f"({letter}): ", f"（{letter}）") + why

    ex = ChoiceExercise(
        key,
        expects,
        hint,
        f'answer = "{correct}"\n',
        check,
        choices[correct].why,
        question=question,
        choices=dict(choices),
        correct=correct,
    )
    return ex


def choice_from_table(key: str, table: Mapping[str, Any], where: str) -> ChoiceExercise:
    """The concept question of a TOML table with ``question``, ``correct``, ``hint`` and ``choices.<letter>``."""
    options = {
        letter: Choice(
            _text(option, "text", f"{where} choice {letter}"),
            _text(option, "why", f"{where} choice {letter}"),
        )
        for letter, option in table["choices"].items()
    }
    return choice(
        key,
        question=_text(table, "question", where),
        choices=options,
        correct=str(table.get("correct", "")),
        hint=_text(table, "hint", where),
    )


class Lesson:
    """The exercises of one lesson as attributes: ``lesson(2).q1``."""

    def __init__(self, number: int, exercises: list[Exercise]):
        self.number = number
        self._by_key = {e.key: e for e in exercises}
        for e in exercises:
            e.lesson = number

    def __getattr__(self, key: str) -> Exercise:
        try:
            return self.__dict__["_by_key"][key]
        except KeyError:
            raise AttributeError(
                f"lesson {self.__dict__.get('number')} has no exercise {key!r}; it has {list(self._by_key)}"
            ) from None

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __dir__(self):
        return [*super().__dir__(), *self._by_key]

    def __repr__(self) -> str:
        return f"Lesson {self.number} exercises: {', '.join(self._by_key)}"


def lesson(number: int) -> Lesson:
    """The exercises of lesson ``number``: the checkers of ``helpers.exercises.lNN`` and the concept questions of
    ``lNN.toml``, in the order of the TOML file."""
    name = f"{__name__}.l{int(number):02d}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise ValueError(
            f"lesson {number} has no exercises (no module helpers/exercises/l{int(number):02d}.py)"
        ) from None
    checked = {e.key: e for e in vars(module).values() if isinstance(e, Exercise)}
    exercises = []
    for key, table in texts(name).items():
        if "choices" in table:
            exercises.append(choice_from_table(key, table, f"{name} exercise {key}"))
        elif key in checked:
            exercises.append(checked[key])
        else:
            raise ValueError(f"{name}: [{key}] has no checker (@exercise({key!r})) and no choices")
    return Lesson(int(number), exercises)


def solution_source(number: int, key: str) -> str:
    """The reference solution code of exercise ``key`` of lesson ``number`` (what ``solution()`` prints)."""
    return getattr(lesson(number), key).solution_code


__all__ = [
    "Choice",
    "ChoiceExercise",
    "Exercise",
    "Lesson",
    "Right",
    "T",
    "choice",
    "choice_from_table",
    "exercise",
    "first_difference",
    "first_wrong_count",
    "is_placeholder",
    "language",
    "lesson",
    "num",
    "render",
    "say",
    "solution_source",
    "strict",
    "texts",
    "wrong_count",
]
