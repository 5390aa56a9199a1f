"""End-to-end behaviour of training: tiny model, tiny data, a few steps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import COURSE_RECIPE, TrainConfig, train
from helpers.config import BASE_RECIPE
from helpers.data import synthetic_conll
from helpers.errors import ModelConfigError, OutputDirError
from helpers.modeling import load_model
from helpers.runs import limit_samples
from helpers.training import build_training_args

from .conftest import build_tiny_checkpoint

pytestmark = pytest.mark.slow

FAST = COURSE_RECIPE.__class__(
    learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=16, warmup_ratio=0.0
)


@pytest.fixture(scope="module")
def tiny_data():
    return limit_samples(
        synthetic_conll(seed=3, sizes={"train": 48, "validation": 16, "test": 16}), None, None
    )


def _config(tmp_path, checkpoint, **kw) -> TrainConfig:
    base = dict(model=checkpoint, output_dir=str(tmp_path / "run"), recipe=FAST, max_steps=6, seed=7)
    base.update(kw)
    return TrainConfig(**base)


def _scores(result: dict) -> dict:
    return {s: result[s]["overall_f1"] for s in ("validation", "test")} | {
        "per_type": result["validation"]["per_type"],
        "accuracy": result["validation"]["overall_accuracy"],
    }


def test_train_writes_word_level_metrics_json(tmp_path, tiny_checkpoint, tiny_data):
    result = train(_config(tmp_path, tiny_checkpoint), ds=tiny_data)
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["validation"]["words"] == sum(len(t) for t in tiny_data["validation"]["tokens"])
    assert written["validation"]["truncated_words"] == result["validation"]["truncated_words"]
    assert set(written) >= {"checkpoint", "data", "recipe", "train_seconds", "validation", "test"}


def test_saved_model_has_label_names_in_pipeline(tmp_path, tiny_checkpoint, tiny_data):
    from transformers import pipeline

    result = train(_config(tmp_path, tiny_checkpoint), ds=tiny_data)
    model_dir = Path(result["model_dir"])
    assert (model_dir / "model.safetensors").is_file()
    tagger = pipeline(
        "token-classification", model=str(model_dir), aggregation_strategy="none", ignore_labels=[]
    )
    labels = {tok["entity"] for tok in tagger("john smith said the world cup in paris was won")}
    names = set(tiny_data["train"].features["ner_tags"].feature.names)
    assert labels and labels <= names


def test_same_seed_gives_identical_metrics(tmp_path, tiny_checkpoint, tiny_data):
    a = train(_config(tmp_path / "a", tiny_checkpoint), ds=tiny_data)
    b = train(_config(tmp_path / "b", tiny_checkpoint), ds=tiny_data)
    assert _scores(a) == _scores(b)


def test_no_checkpoints_leaves_only_the_final_model(tmp_path, tiny_checkpoint, tiny_data):
    with_ckpt = train(_config(tmp_path / "a", tiny_checkpoint, eval_steps=3), ds=tiny_data)
    without = train(
        _config(tmp_path / "b", tiny_checkpoint, eval_steps=3, save_checkpoints=False), ds=tiny_data
    )
    assert sorted(p.name for p in (tmp_path / "a" / "run").glob("checkpoint-*")) == [
        "checkpoint-3",
        "checkpoint-6",
    ]
    assert sorted(p.name for p in (tmp_path / "b" / "run").iterdir()) == ["metrics.json", "model"]
    assert _scores(with_ckpt) == _scores(without)


def test_existing_output_dir_is_not_overwritten_without_flag(tmp_path, tiny_checkpoint, tiny_data):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    with pytest.raises(OutputDirError, match="--overwrite"):
        train(_config(tmp_path, tiny_checkpoint), ds=tiny_data)
    assert (out / "keep.txt").read_text() == "precious"


def test_head_with_other_label_count_is_refused(tmp_path):
    ckpt = build_tiny_checkpoint(tmp_path / "with-head", num_labels=3)
    with pytest.raises(ModelConfigError, match="3 labels"):
        load_model(str(ckpt), ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
    model = load_model(str(ckpt), ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"], reinit_head=True)
    assert model.config.id2label[3] == "B-LOC"


def test_tokcls_epochs_sets_the_epochs_unless_given(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKCLS_EPOCHS", "1")
    assert build_training_args(tmp_path, BASE_RECIPE).num_train_epochs == 1
    assert build_training_args(tmp_path, BASE_RECIPE, epochs=2).num_train_epochs == 2
    monkeypatch.delenv("TOKCLS_EPOCHS")
    assert build_training_args(tmp_path, BASE_RECIPE).num_train_epochs == BASE_RECIPE.epochs


@pytest.mark.parametrize("value", ["two", "0", "-1", "nan", "inf"])
def test_bad_tokcls_epochs_names_the_variable(tmp_path, monkeypatch, value):
    monkeypatch.setenv("TOKCLS_EPOCHS", value)
    with pytest.raises(ValueError, match=f"TOKCLS_EPOCHS must be a positive number of epochs, not '{value}'"):
        build_training_args(tmp_path, BASE_RECIPE)


def test_training_args_use_current_names(tmp_path):
    args = build_training_args(tmp_path, BASE_RECIPE, eval_steps=5)
    assert args.eval_strategy == "steps" and args.train_sampling_strategy == "group_by_length"
    assert 0 < args.warmup_steps < 1  # a ratio, as transformers 5 reads a float below 1


KILL_DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    from transformers import TrainerCallback
    from helpers import TrainConfig, train
    from helpers.data import synthetic_conll
    from helpers.config import Recipe

    class KillAfterSave(TrainerCallback):
        def on_save(self, args, state, control, **kw):
            if state.global_step == int(os.environ["KILL_AT"]):
                os.kill(os.getpid(), signal.SIGKILL)

    ckpt, out, resume = sys.argv[1], sys.argv[2], sys.argv[3] == "resume"
    ds = synthetic_conll(seed=3, sizes={"train": 48, "validation": 16, "test": 16})
    recipe = Recipe(learning_rate=5e-3, epochs=2, batch_size=8, eval_batch_size=16, warmup_ratio=0.0)
    cfg = TrainConfig(model=ckpt, output_dir=out, recipe=recipe, eval_steps=3, seed=7, resume=resume)
    train(cfg, ds=ds, callbacks=[] if resume or "KILL_AT" not in os.environ else [KillAfterSave()])
    """
)


def _run_driver(tmp_path, ckpt, out, mode, kill_at=None):
    script = tmp_path / "driver.py"
    script.write_text(KILL_DRIVER)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("TOKCLS_SMOKE", None)
    if kill_at:
        env["KILL_AT"] = str(kill_at)
    return subprocess.run(
        [sys.executable, str(script), ckpt, str(out), mode], env=env, capture_output=True, text=True
    )


def test_killed_run_resumes_to_same_metrics(tmp_path, tiny_checkpoint):
    """A run SIGKILLed after its step-6 checkpoint, resumed with --resume, ends like an uninterrupted run."""
    straight = _run_driver(tmp_path, tiny_checkpoint, tmp_path / "straight", "fresh")
    assert straight.returncode == 0, straight.stderr[-2000:]
    killed = _run_driver(tmp_path, tiny_checkpoint, tmp_path / "killed", "fresh", kill_at=6)
    assert killed.returncode == -9
    assert not (tmp_path / "killed" / "metrics.json").exists()
    assert (tmp_path / "killed" / "checkpoint-6").is_dir()
    resumed = _run_driver(tmp_path, tiny_checkpoint, tmp_path / "killed", "resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    a = json.loads((tmp_path / "straight" / "metrics.json").read_text())
    b = json.loads((tmp_path / "killed" / "metrics.json").read_text())
    assert a["global_steps"] == b["global_steps"] == 12
    assert a["validation"] == b["validation"] and a["test"] == b["test"]


def test_recipe_used_says_the_epochs_the_run_trains_for_not_the_recipes(
    tmp_path, tiny_checkpoint, tiny_data, capsys
):
    """A config's own epochs replace the recipe's in the printed line and in metrics.json (lesson 6 trains 6
    epochs of a 2-epoch recipe; the line said 2), and the width rule is not credited with them."""
    from helpers.config import Recipe

    open_rate = Recipe(batch_size=8, eval_batch_size=16, warmup_ratio=0.0)  # learning rate and epochs open
    train(_config(tmp_path, tiny_checkpoint, recipe=open_rate, epochs=6, max_steps=None), ds=tiny_data)
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["recipe"]["epochs"] == 6
    assert written["recipe_rule"]["decided"] == {"learning_rate": 3e-4}
    assert "Recipe used: learning_rate 0.0003, epochs 6," in capsys.readouterr().out


def test_metrics_json_records_the_recipe_used_and_what_the_width_decided(
    tmp_path, tiny_checkpoint, tiny_data
):
    from helpers.config import Recipe

    open_rate = Recipe(
        batch_size=8, eval_batch_size=16, warmup_ratio=0.0
    )  # learning rate and epochs left open
    train(_config(tmp_path, tiny_checkpoint, recipe=open_rate, max_steps=2), ds=tiny_data)
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["recipe"]["learning_rate"] == 3e-4 and written["recipe"]["batch_size"] == 8
    assert written["recipe_rule"] == {
        "hidden_size": 32,
        "size": "small",
        "decided": {"learning_rate": 3e-4, "epochs": 2.0},
    }
    assert (written["device"], written["num_processes"]) == ("cpu", 1) and written["precision"] in (
        "bf16",
        "fp32",
    )
