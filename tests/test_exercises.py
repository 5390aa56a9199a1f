"""Exercises: every checker accepts its reference solution and names the mistake in typical wrong answers.

Solutions are executed from ``solution_source`` in a namespace of small objects standing in for the lesson's
(the tiny tokenizer, a small synthetic corpus, predictions derived from the gold tags).
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

import helpers
from helpers import analysis, readers
from helpers import display as show
from helpers import exercises as E
from helpers.align import align_labels


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("TOKCLS_LANG", "en")
    monkeypatch.delenv("TOKCLS_EXERCISES_STRICT", raising=False)


@pytest.fixture(scope="module")
def ds():
    return helpers.synthetic_conll(sizes={"train": 60, "validation": 120, "test": 40})


@pytest.fixture(scope="module")
def tok(tiny_checkpoint):
    return helpers.load_tokenizer(tiny_checkpoint)


def solve(lesson: int, key: str, namespace: dict):
    """Run a reference solution in ``namespace`` (like the solutions notebook) and return its ``answer``."""
    namespace = {"helpers": helpers, "show": show, "analysis": analysis, "readers": readers, **namespace}
    namespace.setdefault("ex", E.lesson(lesson))
    exec(E.solution_source(lesson, key), namespace)
    return namespace["answer"]


def verdict(capsys, exercise, answer, *objects):
    ok = exercise.check(answer, *objects)
    return ok, capsys.readouterr().out


def accepts(capsys, exercise, answer, *objects):
    ok, out = verdict(capsys, exercise, answer, *objects)
    assert ok, out
    assert "correct" in out


def rejects(capsys, exercise, answer, objects, fragment):
    ok, out = verdict(capsys, exercise, answer, *objects)
    assert not ok
    assert fragment in out, out


def ner_tags(split):
    names = split.features["ner_tags"].feature.names
    return [[names[i] for i in s] for s in split["ner_tags"]]


def perturb(gold: list[list[str]]) -> list[list[str]]:
    """Predictions with every kind of error: missed, wrong type, boundary, spurious, stray I-."""
    pred = []
    for n, tags in enumerate(gold):
        tags = list(tags)
        spans = show.entity_spans(tags)
        if spans and n % 5 == 0:
            _, s, e = spans[0]
            tags[s:e] = ["O"] * (e - s)  # missed
        elif spans and n % 5 == 1:
            typ, s, e = spans[0]
            new = "ORG" if typ != "ORG" else "LOC"
            tags[s:e] = [f"B-{new}"] + [f"I-{new}"] * (e - s - 1)  # wrong type
        elif spans and n % 5 == 2 and spans[0][2] < len(tags) and tags[spans[0][2]] == "O":
            typ, s, e = spans[0]
            tags[e] = f"I-{typ}"  # boundary: one word too long
        elif spans and n % 5 == 4 and spans[0][2] < len(tags) and tags[spans[0][2]] == "O":
            typ, s, e = spans[0]
            new = "ORG" if typ != "ORG" else "LOC"
            tags[s : e + 1] = [f"B-{new}"] + [f"I-{new}"] * (e - s)  # boundary and type
        elif "O" in tags and n % 5 == 3:
            tags[tags.index("O")] = "I-MISC"  # spurious, and a stray I-
        pred.append(tags)
    return pred


# --- the framework ----------------------------------------------------------------------------------------


def test_placeholder_prints_not_answered_and_returns_false(capsys):
    ok, out = verdict(capsys, E.lesson(1).q3, ...)
    assert not ok
    assert "not answered yet" in out


def test_strict_mode_raises_on_placeholder(monkeypatch):
    monkeypatch.setenv("TOKCLS_EXERCISES_STRICT", "1")
    with pytest.raises(AssertionError, match="not answered yet"):
        E.lesson(1).q3.check(...)


def test_strict_mode_raises_on_wrong_answer(monkeypatch):
    monkeypatch.setenv("TOKCLS_EXERCISES_STRICT", "1")
    with pytest.raises(AssertionError, match="IOB2"):
        E.lesson(1).q3.check((["B-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG"], ["O"] * 5))


def test_wrong_answer_without_strict_mode_returns_false_without_raising(capsys):
    ok, out = verdict(capsys, E.lesson(1).q5, "a")
    assert not ok and "not yet" in out


def test_none_answer_is_told_it_was_not_assigned(capsys):
    rejects(capsys, E.lesson(1).q3, None, (), "instead of assigning it")


def test_malformed_answer_gets_feedback_not_a_traceback(capsys):
    rejects(capsys, E.lesson(1).q3, 42, (), "could not be checked")


def test_language_from_env_zh(monkeypatch, capsys):
    monkeypatch.setenv("TOKCLS_LANG", "zh")
    out = verdict(capsys, E.lesson(1).q5, "b")[1]
    assert "正确" in out and "correct" not in out


def test_language_from_working_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("TOKCLS_LANG")
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    assert E.language() == "zh"


def test_both_languages_elsewhere(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("TOKCLS_LANG")
    monkeypatch.chdir(tmp_path)
    out = verdict(capsys, E.lesson(1).q5, "b")[1]
    assert "correct" in out and "正确" in out


def test_unknown_choice_letter_lists_the_choices(capsys):
    rejects(capsys, E.lesson(1).q5, "z", (), "one of the letters a, b, c")


def test_wrong_choice_prints_its_own_explanation(capsys):
    rejects(capsys, E.lesson(1).q5, "c", (), "Only O marks words outside entities")


def test_solution_prints_the_solution_source(capsys):
    E.lesson(2).q3.solution()
    assert E.solution_source(2, "q3") in capsys.readouterr().out


def test_hint_is_printed_in_chosen_language(monkeypatch, capsys):
    monkeypatch.setenv("TOKCLS_LANG", "zh")
    E.lesson(2).q3.hint()
    assert "映射" in capsys.readouterr().out


def test_unknown_lesson_is_a_clear_error():
    with pytest.raises(ValueError, match="no exercises"):
        E.lesson(99)


def test_first_difference_is_the_first_unequal_position_or_the_shorter_length():
    assert E.first_difference(["O", "B-PER", "O"], ["O", "B-LOC", "I-LOC"]) == 1
    assert E.first_difference(["O", "O"], ["O", "O", "B-PER"]) == 2
    assert E.first_difference([1, 2], [1, 2]) is None


def test_first_wrong_count_names_the_first_key_in_order_a_missing_key_counting_zero():
    has = E.T("the split has {}", "划分中有 {} 个")
    assert E.first_wrong_count({"PER": 3}, {"LOC": 1200, "PER": 3}, has) == E.T(
        "LOC: you have 0, the split has 1 200.", "LOC：你的是 0，划分中有 1 200 个。"
    )
    assert E.first_wrong_count({"PER": 3}, {"PER": 3}, has) is None


def test_concept_question_table_without_chinese_text_names_the_missing_field():
    table = {"question": {"en": "Why?"}, "correct": "a", "hint": {"en": "h", "zh": "提示"}, "choices": {}}
    with pytest.raises(ValueError, match=r"l09 exercise q1: question.en and question.zh"):
        E.choice_from_table("q1", table, "l09 exercise q1")


def test_every_text_of_the_lesson_files_belongs_to_an_exercise():
    for number in range(1, 9):
        tables = E.texts(f"helpers.exercises.l{number:02d}")
        assert [e.key for e in E.lesson(number)] == list(tables)


@pytest.mark.parametrize("number", range(1, 7))
def test_every_lesson_has_four_exercises_three_checked_by_code_one_concept(number):
    exercises = list(E.lesson(number))
    choices = [e for e in exercises if isinstance(e, E.ChoiceExercise)]
    assert len(exercises) >= 4 and len(exercises) - len(choices) >= 3 and choices
    for e in exercises:
        for text in (e.hint_text, e.expects):
            assert text.en.strip() and text.zh.strip(), e.key
        for option in getattr(e, "choices", {}).values():
            assert option.why.en and option.why.zh and option.text.zh, e.key


# --- lesson 1 ---------------------------------------------------------------------------------------------


@pytest.fixture
def l01(ds):
    return {"ds": ds, "ner_feature": ds["train"].features["ner_tags"].feature}


def test_l01_q1_accepts_solution(capsys, l01, ds):
    accepts(capsys, E.lesson(1).q1, solve(1, "q1", l01), ds["validation"])


def test_l01_q1_rejects_one_tag_per_word(capsys, ds):
    row = ds["validation"][E.l01.SENTENCE]
    names = ds["validation"].features["ner_tags"].feature.names
    rejects(
        capsys, E.lesson(1).q1, [names[i] for i in row["ner_tags"]], (ds["validation"],), "one tag per word"
    )


def test_l01_q1_rejects_prefixed_type(capsys, l01, ds):
    right = solve(1, "q1", l01)
    assert right, "the sentence needs an entity for this test"
    wrong = [("B-" + typ, text) for typ, text in right]
    rejects(capsys, E.lesson(1).q1, wrong, (ds["validation"],), "without its prefix")


def test_l01_q1_rejects_missing_entity(capsys, l01, ds):
    rejects(capsys, E.lesson(1).q1, solve(1, "q1", l01)[1:], (ds["validation"],), "missing")


def test_l01_q2_accepts_solution(capsys, l01, ds):
    accepts(capsys, E.lesson(1).q2, solve(1, "q2", l01), ds["train"])


def test_l01_q2_rejects_a_shorter_entity(capsys, ds):
    tags, words = ner_tags(ds["train"])[0], ds["train"][0]["tokens"]
    typ, s, e = show.entity_spans(tags)[0]
    rejects(capsys, E.lesson(1).q2, (typ, words[s:e]), (ds["train"],), "the longest entity has")


def test_l01_q2_rejects_words_that_are_no_entity(capsys, ds):
    rejects(capsys, E.lesson(1).q2, ("PER", ["said", "on"]), (ds["train"],), "is not a PER entity")


def test_l01_q3_accepts_solution(capsys):
    accepts(capsys, E.lesson(1).q3, solve(1, "q3", {}))


def test_l01_q3_rejects_iob2(capsys):
    iob2 = tuple(tags.split() for _, tags in E.l01.IOB1_SENTENCES)
    rejects(capsys, E.lesson(1).q3, iob2, (), "sentence 1 is written in IOB2")


def test_l01_q3_names_the_word_that_needs_B(capsys):
    wrong = (["I-ORG", "I-ORG", "I-ORG", "O", "I-ORG", "I-ORG", "I-ORG"], ["O", "O", "I-PER", "I-PER", "O"])
    rejects(
        capsys, E.lesson(1).q3, wrong, (), "sentence 2, word 4 'Yeltsin': you wrote I-PER, IOB1 needs B-PER"
    )


def test_l01_q4_accepts_solution(capsys, l01, ds):
    accepts(capsys, E.lesson(1).q4, solve(1, "q4", l01), ds)


def test_l01_q4_rejects_word_counts(capsys, ds):
    words = Counter(t[2:] for s in ner_tags(ds["validation"]) for t in s if t != "O")
    rejects(capsys, E.lesson(1).q4, dict(words), (ds,), "you counted words")


def test_l01_q4_rejects_train_counts(capsys, ds):
    train = Counter(t for s in ner_tags(ds["train"]) for t, _, _ in show.entity_spans(s))
    rejects(capsys, E.lesson(1).q4, dict(train), (ds,), "counts of the train split")


def test_l01_q4_rejects_O_as_a_type(capsys, ds):
    rejects(capsys, E.lesson(1).q4, {"O": 3, "PER": 1}, (ds,), "'O' is not an entity type")


# --- lesson 2 ---------------------------------------------------------------------------------------------


@pytest.fixture
def l02(ds, tok):
    return {"ds": ds, "tok": tok, "names": helpers.label_names(ds, "ner_tags"), "display": lambda *a: None}


def test_l02_q1_accepts_solution(capsys, l02, tok, ds):
    accepts(capsys, E.lesson(2).q1, solve(2, "q1", l02), tok, ds["train"])


def test_l02_q1_rejects_duplicates(capsys, l02, tok, ds):
    answer = solve(2, "q1", l02)
    rejects(capsys, E.lesson(2).q1, [*answer[:9], answer[0]], (tok, ds["train"]), "appears twice")


def test_l02_q1_rejects_a_word_with_few_subtokens(capsys, l02, tok, ds):
    answer = solve(2, "q1", l02)
    rejects(capsys, E.lesson(2).q1, [*answer[:9], "."], (tok, ds["train"]), "'.' has 1 subtokens")


def test_l02_q2_accepts_solution(capsys, l02, tok):
    accepts(capsys, E.lesson(2).q2, solve(2, "q2", l02), tok)


def chunk_alignment(tok, **kwargs):
    data = E.l02.CHUNK_SENTENCE
    enc = tok(data["words"], is_split_into_words=True)
    ids = [helpers.CHUNK_LABELS.index(t) for t in data["tags"]]
    return align_labels(enc.word_ids(), ids, **kwargs), tok.convert_ids_to_tokens(enc["input_ids"])


def test_l02_q2_rejects_B_copied_naming_the_subtoken(capsys, tok):
    copied, pieces = chunk_alignment(
        tok, label_all_tokens=True, b_to_i=list(range(len(helpers.CHUNK_LABELS)))
    )
    right, _ = chunk_alignment(tok, label_all_tokens=True, b_to_i=helpers.b_to_i_map(helpers.CHUNK_LABELS))
    first = next(i for i, (a, b) in enumerate(zip(copied, right)) if a != b)
    message = f"the continuation subtoken `{pieces[first]}` of a `B-NP` word got `B-NP`; it should be `I-NP`"
    rejects(capsys, E.lesson(2).q2, copied, (tok,), message)


def test_l02_q2_rejects_first_subtoken_only(capsys, tok):
    first, _ = chunk_alignment(tok)
    rejects(capsys, E.lesson(2).q2, first, (tok,), "got -100: here every subtoken is labelled")


def test_l02_q2_rejects_missing_special_tokens(capsys, l02, tok):
    rejects(capsys, E.lesson(2).q2, solve(2, "q2", l02)[1:-1], (tok,), "[CLS] and [SEP] need a label too")


def test_l02_q3_accepts_solution(capsys, l02, tok, ds):
    accepts(capsys, E.lesson(2).q3, solve(2, "q3", l02), tok, ds["validation"])


def test_l02_q3_rejects_counting_by_words(capsys, tok, ds):
    by_words = sum(max(0, len(t) - E.l02.TRUNCATE_AT) for t in ds["validation"]["tokens"])
    rejects(capsys, E.lesson(2).q3, by_words, (tok, ds["validation"]), "max_length counts subtokens")


def test_l02_q3_rejects_a_share(capsys, tok, ds):
    rejects(capsys, E.lesson(2).q3, 0.25, (tok, ds["validation"]), "that is a share")


def test_l02_q4_accepts_solution(capsys, l02, tok):
    accepts(capsys, E.lesson(2).q4, solve(2, "q4", l02), tok)


def test_l02_q4_rejects_B_copied_on_zwingmann(capsys, tok):
    data = E.l02.NER_SENTENCE
    enc = tok(data["words"], is_split_into_words=True)
    ids = [helpers.NER_LABELS.index(t) for t in data["tags"]]
    copied = align_labels(enc.word_ids(), ids, label_all_tokens=True, b_to_i=list(range(9)))
    rejects(capsys, E.lesson(2).q4, copied, (tok,), "of a `B-PER` word got `B-PER`; it should be `I-PER`")


def test_l02_q4_accepts_label_names_and_rejects_a_wrong_first_subtoken(capsys, l02, tok):
    names = show.ids_to_names(solve(2, "q4", l02), helpers.NER_LABELS)
    accepts(capsys, E.lesson(2).q4, names, tok)
    names[1] = "O"
    rejects(capsys, E.lesson(2).q4, names, (tok,), "you gave `O`, expected `B-PER`")


def test_l02_q5_accepts_solution_and_rejects_B_PER(capsys, l02):
    accepts(capsys, E.lesson(2).q5, solve(2, "q5", l02))
    rejects(capsys, E.lesson(2).q5, "d", (), "second entity inside one word")


# --- lesson 3 ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def l03(ds, tok):
    names = helpers.label_names(ds, "ner_tags")
    tokenized = helpers.tokenize_dataset(ds, tok, "ner_tags", helpers.COURSE_RECIPE)
    val = tokenized["validation"]
    width = max(len(x) for x in val["input_ids"])
    sub_preds = np.full((len(val), width), -100)
    for r, (labels, ids) in enumerate(zip(val["labels"], val["input_ids"])):
        row = [lab if lab != -100 else 0 for lab in labels]
        if r % 3 == 0:  # some mistakes: every third sentence predicts O everywhere
            row = [0] * len(ids)
        sub_preds[r, : len(row)] = row
    word_preds = [
        helpers.words_to_predictions(p, w, len(g))
        for p, w, g in zip(sub_preds, val["word_ids"], val["ner_tags"])
    ]
    results = {"validation": helpers.score_word_ids(val["ner_tags"], word_preds, names)}
    labels = np.full(sub_preds.shape, -100)
    for r, row in enumerate(val["labels"]):
        labels[r, : len(row)] = row
    val_output = SimpleNamespace(predictions=sub_preds, label_ids=labels)
    return {
        "ds": ds,
        "tokenizer": tok,
        "tokenized": tokenized,
        "label_names": names,
        "sub_preds": sub_preds,
        "val_output": val_output,
        "results": results,
    }


def test_l03_q1_accepts_solution(capsys, l03, tok, ds):
    accepts(capsys, E.lesson(3).q1, solve(3, "q1", dict(l03)), tok, ds["train"])


def test_l03_q1_rejects_swapped_counts(capsys, l03, tok, ds):
    right = solve(3, "q1", dict(l03))
    swapped = {"course": right["classic"], "classic": right["course"]}
    rejects(capsys, E.lesson(3).q1, swapped, (tok, ds["train"]), "swapped")


def test_l03_q1_rejects_the_course_count_twice(capsys, l03, tok, ds):
    right = solve(3, "q1", dict(l03))
    rejects(
        capsys,
        E.lesson(3).q1,
        {"course": right["course"], "classic": right["course"]},
        (tok, ds["train"]),
        "CLASSIC_RECIPE",
    )


def test_l03_q2_accepts_solution(capsys, l03, tok, ds):
    accepts(capsys, E.lesson(3).q2, solve(3, "q2", dict(l03)), tok, ds["validation"])


def test_l03_q2_rejects_subtoken_counts(capsys, tok, ds):
    names = helpers.label_names(ds, "ner_tags")
    copied = Counter()
    for words, ids in zip(ds["validation"]["tokens"], ds["validation"]["ner_tags"]):
        frame = show.alignment_frame(tok, words, ids, names, classic=True, max_length=tok.model_max_length)
        copied.update(t for t, _, _ in show.entity_spans([x for x in frame["all, B copied"] if x != "-100"]))
    words = Counter(t for s in ner_tags(ds["validation"]) for t, _, _ in show.entity_spans(s))
    assert copied != words, "the tiny tokenizer must split some entity word"
    rejects(capsys, E.lesson(3).q2, dict(copied), (tok, ds["validation"]), "that is the subtoken count")


def test_l03_q2_rejects_tagged_word_counts(capsys, tok, ds):
    tagged = Counter(t[2:] for s in ner_tags(ds["validation"]) for t in s if t != "O")
    rejects(capsys, E.lesson(3).q2, dict(tagged), (tok, ds["validation"]), "is the number of words tagged")


def test_l03_q3_accepts_solution(capsys, l03):
    args = (l03["val_output"], l03["label_names"])
    accepts(capsys, E.lesson(3).q3, solve(3, "q3", dict(l03)), *args)


def test_l03_q3_rejects_word_accuracy(capsys, l03):
    out = l03["val_output"]
    keep = out.label_ids != -100
    gold = [row[mask].tolist() for row, mask in zip(out.label_ids, keep)]
    pred = [row[mask].tolist() for row, mask in zip(out.predictions, keep)]
    accuracy = helpers.score_word_ids(gold, pred, l03["label_names"])["overall_accuracy"]
    rejects(capsys, E.lesson(3).q3, accuracy, (out, l03["label_names"]), "your F1 counts O tokens")


def test_l03_q3_rejects_a_percentage(capsys, l03):
    args = (l03["val_output"], l03["label_names"])
    rejects(capsys, E.lesson(3).q3, 100 * solve(3, "q3", dict(l03)), args, "not a percentage")


def test_l03_concept_questions(capsys, l03):
    accepts(capsys, E.lesson(3).q4, solve(3, "q4", {}))
    rejects(capsys, E.lesson(3).q4, "a", (), "no spans")
    accepts(capsys, E.lesson(3).q5, solve(3, "q5", {}))
    rejects(capsys, E.lesson(3).q5, "a", (), "break that pairing")


# --- lesson 4 ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def l04(ds):
    gold = ner_tags(ds["validation"])
    pred = perturb(gold)
    frame = analysis.cases_frame(analysis.classify_errors(gold, pred, ds["validation"]["tokens"]))
    types = ["PER", "ORG", "LOC", "MISC"]
    return {
        "ds": ds,
        "gold": gold,
        "pred": pred,
        "argmax_pred": pred,  # the perturbed tags hold stray I- tags, as argmax predictions can
        "cases": analysis.classify_errors(gold, pred),
        "frame": frame,
        "counts": analysis.confusion(gold, pred, labels=types + ["O"], normalize=False),
        "test_gold": ner_tags(ds["test"]),
        "test_pred": perturb(ner_tags(ds["test"])),
        "label_names": helpers.label_names(ds, "ner_tags"),
        "Counter": Counter,
    }


def test_l04_q1_accepts_solution(capsys, l04, ds):
    accepts(capsys, E.lesson(4).q1, solve(4, "q1", dict(l04)), ds["test"], l04["test_pred"])


def test_l04_q1_rejects_validation_counts(capsys, l04, ds):
    val = dict(Counter(c.kind for c in l04["cases"]))
    rejects(capsys, E.lesson(4).q1, val, (ds["test"], l04["test_pred"]), "the test predictions have")


def test_l04_q1_rejects_shares(capsys, l04, ds):
    right = solve(4, "q1", dict(l04))
    shares = {k: v / sum(right.values()) for k, v in right.items()}
    rejects(capsys, E.lesson(4).q1, shares, (ds["test"], l04["test_pred"]), "give counts")


def test_l04_q2_accepts_solution(capsys, l04):
    accepts(capsys, E.lesson(4).q2, solve(4, "q2", dict(l04)), l04["pred"], l04["gold"])


def test_l04_q2_rejects_unrepaired_predictions(capsys, l04):
    rejects(
        capsys,
        E.lesson(4).q2,
        l04["pred"],
        (l04["pred"], l04["gold"]),
        "is still there; it should be B-",
    )


def test_l04_q2_rejects_every_I_turned_into_B(capsys, l04):
    all_b = [[("B-" + t[2:]) if t.startswith("I-") else t for t in s] for s in l04["pred"]]
    rejects(capsys, E.lesson(4).q2, all_b, (l04["pred"], l04["gold"]), "span, so keep I-")


def test_l04_q3_accepts_solution(capsys, l04):
    accepts(capsys, E.lesson(4).q3, solve(4, "q3", dict(l04)), l04["gold"], l04["pred"])


def test_l04_q3_rejects_lengths_one_too_long(capsys, l04):
    right = solve(4, "q3", dict(l04))
    rejects(
        capsys,
        E.lesson(4).q3,
        {k + 1: v for k, v in right.items()},
        (l04["gold"], l04["pred"]),
        "gold_end is exclusive",
    )


def test_l04_q3_rejects_all_errors_with_a_gold_span(capsys, l04):
    every = Counter(c.gold[2] - c.gold[1] for c in l04["cases"] if c.gold)
    rejects(capsys, E.lesson(4).q3, dict(every), (l04["gold"], l04["pred"]), "keep the kind 'missed' only")


def test_l04_q4_accepts_solution(capsys, l04):
    accepts(capsys, E.lesson(4).q4, solve(4, "q4", dict(l04)), l04["gold"], l04["pred"])


def test_l04_q4_rejects_a_transposed_reading(capsys, l04):
    g, p = solve(4, "q4", dict(l04))
    rejects(capsys, E.lesson(4).q4, (p, g), (l04["gold"], l04["pred"]), "the wrong way round")


def test_l04_q4_rejects_a_diagonal_cell(capsys, l04):
    rejects(capsys, E.lesson(4).q4, ("PER", "PER"), (l04["gold"], l04["pred"]), "is on the diagonal")


def test_l04_q5_accepts_solution_and_explains_prefixes(capsys):
    accepts(capsys, E.lesson(4).q5, solve(4, "q5", {}))
    rejects(capsys, E.lesson(4).q5, "c", (), "`B-PER B-PER` is two entities")


# --- lesson 5 ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def l05(ds):
    names = {task: helpers.label_names(ds, helpers.task_column(task)) for task in ("pos", "chunk", "ner")}
    val = ds["validation"]
    pos_gold = [[names["pos"][i] for i in s] for s in val["pos_tags"]]
    pos_pred = []
    for n, tags in enumerate(pos_gold):
        row = ["NN" if t == "NNP" and n % 2 else t for t in tags]  # wrong fine tag, right coarse tag
        if n % 3 == 0:
            row[0] = "VB" if row[0] != "VB" else "NN"  # wrong coarse tag too
        pos_pred.append(row)
    chunk_gold = [[names["chunk"][i] for i in s] for s in val["chunk_tags"]]
    return {
        "ds": ds,
        "names": names,
        "val_pos_pred": pos_pred,
        "val_chunk_gold": chunk_gold,
        "val_chunk_pred": perturb(chunk_gold),
        "pos_gold": pos_gold,
        "Counter": Counter,
    }


def test_l05_q1_accepts_solution(capsys, l05, ds):
    accepts(capsys, E.lesson(5).q1, solve(5, "q1", dict(l05)), l05["val_pos_pred"], ds["validation"])


def test_l05_q1_rejects_fine_accuracy(capsys, l05, ds):
    fine = helpers.tag_accuracy(l05["pos_gold"], l05["val_pos_pred"])["overall_accuracy"]
    rejects(
        capsys, E.lesson(5).q1, fine, (l05["val_pos_pred"], ds["validation"]), "is the fine-grained accuracy"
    )


def test_l05_q1_rejects_cutting_only_the_predictions(capsys, l05, ds):
    one_side = helpers.tag_accuracy(l05["pos_gold"], [[t[:2] for t in s] for s in l05["val_pos_pred"]])
    args = (l05["val_pos_pred"], ds["validation"])
    rejects(capsys, E.lesson(5).q1, one_side["overall_accuracy"], args, "you cut only one side")


def test_l05_q2_accepts_solution_and_rejects_c(capsys):
    accepts(capsys, E.lesson(5).q2, solve(5, "q2", {}))
    rejects(capsys, E.lesson(5).q2, "c", (), "span F1 (seqeval)")


def test_l05_q3_accepts_solution(capsys, l05):
    accepts(capsys, E.lesson(5).q3, solve(5, "q3", dict(l05)), l05["val_chunk_gold"], l05["val_chunk_pred"])


def test_l05_q3_rejects_counting_type_errors_too(capsys, l05):
    kinds = Counter(c.kind for c in analysis.classify_errors(l05["val_chunk_gold"], l05["val_chunk_pred"]))
    assert kinds["boundary_and_type"], "the perturbed chunks need a boundary-and-type error"
    wrong = kinds["boundary"] + kinds["boundary_and_type"]
    rejects(
        capsys, E.lesson(5).q3, wrong, (l05["val_chunk_gold"], l05["val_chunk_pred"]), "'boundary_and_type'"
    )


def test_l05_q3_rejects_all_errors(capsys, l05):
    total = len(analysis.classify_errors(l05["val_chunk_gold"], l05["val_chunk_pred"]))
    rejects(capsys, E.lesson(5).q3, total, (l05["val_chunk_gold"], l05["val_chunk_pred"]), "all span errors")


def test_l05_q4_accepts_solution(capsys):
    accepts(capsys, E.lesson(5).q4, solve(5, "q4", {}))


def test_l05_q4_rejects_low_accuracy(capsys):
    rejects(capsys, E.lesson(5).q4, ["O", "O", "O", "O"], (), "token accuracy is 0.25")


def test_l05_q4_rejects_a_span_still_right(capsys):
    rejects(capsys, E.lesson(5).q4, ["B-NP", "B-NP", "B-VP", "O"], (), "('VP', 2, 3)")


# --- lesson 6 ---------------------------------------------------------------------------------------------

SHOP_RECORDS = [
    {
        "id": "0",
        "tokens": ["Lumo", "desk", "lamp", "for", "$", "24"],
        "ner_tags": ["B-BRAND", "B-PRODUCT", "I-PRODUCT", "O", "B-PRICE", "I-PRICE"],
    },
    {"id": "1", "tokens": ["Kestrel", "tent"], "ner_tags": ["B-BRAND", "B-PRODUCT"]},
]


@pytest.fixture
def l06(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    files = {"jsonl": {}}
    for split in ("train", "validation"):
        files["jsonl"][split] = data / f"{split}.jsonl"
        readers.write_jsonl(SHOP_RECORDS, files["jsonl"][split])
    labels = helpers.label_names(helpers.load_token_files(files["jsonl"], format="jsonl"), "ner_tags")
    custom_path = data / "custom.tsv"
    custom_path.write_text(E.lesson(6).q4.data["text"], encoding="utf-8")
    small = helpers.synthetic_conll(sizes={"train": 5, "validation": 3, "test": 3})
    return {
        "WORK": tmp_path,
        "DATA": data,
        "files": files,
        "LABELS": labels,
        "custom_path": custom_path,
        "conll": small,
    }


def test_l06_q1_accepts_solution(capsys, l06):
    accepts(capsys, E.lesson(6).q1, solve(6, "q1", l06))


def test_l06_q1_rejects_too_few_sentences(capsys, l06):
    few = helpers.load_token_files(l06["files"]["jsonl"], format="jsonl")
    rejects(capsys, E.lesson(6).q1, few, (), "write at least 12")


def test_l06_q1_rejects_a_lowercase_type(capsys, l06, tmp_path):
    recs = [{"id": str(i), "tokens": ["Take", "aspirin"], "ner_tags": ["O", "B-Drug"]} for i in range(12)]
    files = {s: tmp_path / f"{s}.csv" for s in ("train", "test")}
    for path in files.values():
        readers.write_csv(recs, path)
    rejects(capsys, E.lesson(6).q1, helpers.load_token_files(files, format="csv"), (), "use DRUG")


def test_l06_q2_accepts_solution(capsys, l06):
    accepts(capsys, E.lesson(6).q2, solve(6, "q2", l06), l06["LABELS"])


def test_l06_q2_rejects_collected_labels(capsys, l06):
    collected = helpers.load_token_files(l06["files"]["jsonl"], format="jsonl")
    rejects(capsys, E.lesson(6).q2, collected, (l06["LABELS"],), "these are the collected labels")


def test_l06_q2_rejects_another_order(capsys, l06):
    shuffled = ["B-SHOP", "I-SHOP", *l06["LABELS"]]
    loaded = helpers.load_token_files(
        l06["files"]["jsonl"], format="jsonl", label_names={"ner_tags": shuffled}
    )
    rejects(capsys, E.lesson(6).q2, loaded, (l06["LABELS"],), "keep LABELS first")


def test_l06_q3_accepts_solution(capsys, l06):
    accepts(capsys, E.lesson(6).q3, solve(6, "q3", l06), l06["conll"])


def test_l06_q3_rejects_a_missing_file(capsys, l06):
    folder = solve(6, "q3", l06)
    (folder / "test.txt").unlink()
    rejects(capsys, E.lesson(6).q3, folder, (l06["conll"],), "test.txt does not exist")


def test_l06_q3_rejects_columns_in_another_order(capsys, l06):
    folder = l06["WORK"] / "swapped"
    folder.mkdir()
    columns = ("tokens", "pos_tags", "chunk_tags", "ner_tags")
    for split, data in l06["conll"].items():
        recs = [
            {"tokens": r["tokens"], **{c: data.features[c].feature.int2str(r[c]) for c in columns[1:]}}
            for r in data
        ]
        readers.write_conll(
            recs, folder / f"{split}.txt", columns=("tokens", "ner_tags", "chunk_tags", "pos_tags")
        )
    rejects(capsys, E.lesson(6).q3, folder, (l06["conll"],), "does not load as CoNLL-2003")


def test_l06_q4_accepts_solution(capsys, l06):
    accepts(capsys, E.lesson(6).q4, solve(6, "q4", l06))


def test_l06_q4_rejects_iob1_left_as_is(capsys, l06):
    kept = readers.read_conll(
        l06["custom_path"], columns=(None, "tokens", "pos_tags", "ner_tags"), scheme_columns=[]
    )
    rejects(capsys, E.lesson(6).q4, kept, (), "the file is IOB1; pass input_scheme='iob1'")


def test_l06_q4_rejects_the_index_column_as_tokens(capsys, l06):
    wrong = readers.read_conll(
        l06["custom_path"], columns=("tokens", None, "pos_tags", "ner_tags"), input_scheme="iob1"
    )
    rejects(capsys, E.lesson(6).q4, wrong, (), "skip that column with None")


def test_l06_q5_accepts_solution_and_rejects_O(capsys):
    accepts(capsys, E.lesson(6).q5, solve(6, "q5", {}))
    rejects(capsys, E.lesson(6).q5, "b", (), "would hide a data error")


def test_a_check_cell_ends_without_a_bare_boolean(capsys):
    """``check`` returns a verdict that is true or false but that IPython does not display (a learner's check
    cell showed a bare ``False`` under the feedback)."""
    from IPython.core.formatters import DisplayFormatter

    verdict = E.lesson(1).q1.check(...)
    assert not verdict
    assert hasattr(verdict, "_ipython_display_") and verdict._ipython_display_() is None
    assert DisplayFormatter().format(False)[0]  # what a plain bool would have shown
