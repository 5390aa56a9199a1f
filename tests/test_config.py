"""helpers.config: one rule completes every caller's recipe from the checkpoint's width, overrides kept."""

from __future__ import annotations

import json
from dataclasses import asdict
from types import SimpleNamespace

import pytest

from helpers.config import (
    BASE_RECIPE,
    CLASSIC_RECIPE,
    COURSE_RECIPE,
    Recipe,
    recipe_for,
    require_complete,
    with_overrides,
)
from helpers.decisions import DECISIONS_LOG, read

WIDE, SMALL = SimpleNamespace(hidden_size=768), SimpleNamespace(hidden_size=384)


def test_fields_left_open_take_base_values_on_a_768_wide_encoder_whatever_else_is_overridden():
    lesson6 = with_overrides(COURSE_RECIPE, batch_size=8, warmup_ratio=0.2)
    used = recipe_for(lesson6, WIDE)
    assert (used.learning_rate, used.epochs) == (5e-5, 3.0)
    assert (used.batch_size, used.warmup_ratio) == (8, 0.2)  # the overrides stay


def test_a_new_default_recipe_is_decided_like_course_recipe():
    assert recipe_for(Recipe(), WIDE) == recipe_for(COURSE_RECIPE, WIDE) == BASE_RECIPE
    assert recipe_for(Recipe(), SMALL).learning_rate == 3e-4


def test_explicitly_given_fields_stay_on_any_width():
    chosen = with_overrides(COURSE_RECIPE, learning_rate=1e-4)
    assert recipe_for(chosen, WIDE).learning_rate == 1e-4 and recipe_for(chosen, WIDE).epochs == 3.0
    assert recipe_for(CLASSIC_RECIPE, WIDE) == CLASSIC_RECIPE
    assert recipe_for(BASE_RECIPE, SMALL) == BASE_RECIPE


def test_a_decided_recipe_is_decided_again_to_itself():
    """Lessons decide, then adapt (3x in smoke mode); train and train_loop deciding again change nothing."""
    decided = recipe_for(COURSE_RECIPE, WIDE, verbose=False)
    adapted = with_overrides(decided, learning_rate=3 * decided.learning_rate)
    assert recipe_for(adapted, WIDE) == recipe_for(adapted, SMALL) == adapted


def test_recipe_for_reads_the_width_of_a_checkpoint_folder(tiny_checkpoint):
    assert recipe_for(COURSE_RECIPE, tiny_checkpoint).learning_rate == 3e-4  # 32 wide: the small values


def test_the_decision_is_printed_and_logged(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(DECISIONS_LOG, str(tmp_path / "decisions.jsonl"))
    recipe_for(with_overrides(COURSE_RECIPE, batch_size=8), WIDE)
    assert "learning_rate 5e-05, epochs 3 (base-size values for a 768-wide encoder" in capsys.readouterr().out
    (entry,) = read(tmp_path / "decisions.jsonl")
    assert entry["kind"] == "recipe" and entry["size"] == "base"
    assert entry["decided"] == {"learning_rate": 5e-5, "epochs": 3.0} and entry["recipe"]["batch_size"] == 8
    json.dumps(entry)


def test_an_undecided_recipe_is_refused_with_the_call_that_decides_it(tmp_path):
    from helpers.training import build_training_args

    with pytest.raises(ValueError, match=r"recipe_for\(recipe, model\)"):
        build_training_args(tmp_path, COURSE_RECIPE)
    assert require_complete(BASE_RECIPE) is BASE_RECIPE


def test_recipe_has_no_benchmark_only_levers():
    """Levers measured and not adopted live in benchmarks/harness.py, not in the learner's recipe."""
    assert {"freeze_embeddings", "label_smoothing", "torch_compile"}.isdisjoint(asdict(COURSE_RECIPE))


def test_the_generated_chinese_corpus_is_the_adopted_generator_not_the_varied_one():
    """Issue 21 item 9: synthetic_chinese() gives the generator's adopted corpus; the varied one that the
    benchmark measured and did not adopt is only reachable from benchmarks/zh_research.py."""
    from benchmarks import zh_research
    from helpers.zh import synthetic_chinese
    from helpers.zh.synthetic import generate_chinese_corpus

    sizes = {"train": 20, "validation": 5, "test": 5}
    adopted = generate_chinese_corpus(seed=13, sizes=sizes)
    varied = generate_chinese_corpus(seed=13, sizes=sizes, variant=zh_research.VARIED)
    given = synthetic_chinese(sizes=sizes)["train"]["tokens"]
    assert given == [r["tokens"] for r in adopted["train"]] != [r["tokens"] for r in varied["train"]]


def test_scikit_learn_is_declared_because_metrics_imports_it():
    import tomllib

    from .conftest import REPO

    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.replace("_", "-").startswith("scikit-learn") for d in deps)
