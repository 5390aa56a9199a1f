"""The Accelerate training loop (helpers.loop): one process, and two CPU processes over gloo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from helpers import TrainConfig
from helpers.data import synthetic_conll
from helpers.loop import effective_batch_size, evaluate_saved, parameter_groups, train_loop
from helpers.modeling import load_model
from helpers.training import Recipe

from .conftest import REPO, build_tiny_checkpoint

pytestmark = pytest.mark.slow

FAST = Recipe(
    learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=8, warmup_ratio=0.1, precision="fp32"
)
SIZES = {"train": 48, "validation": 101, "test": 16}  # 101: the last evaluation batch is incomplete


@pytest.fixture(scope="module")
def odd_data():
    return synthetic_conll(seed=3, sizes=SIZES)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    import torch

    torch.manual_seed(1)
    return build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-head"), num_labels=9)


def test_effective_batch_size_multiplies_devices_and_accumulation():
    assert effective_batch_size(32, 1) == 32
    assert effective_batch_size(16, 4, accumulation_steps=2) == 128


def test_bias_and_layernorm_weights_get_no_weight_decay(tiny_checkpoint):
    model = load_model(tiny_checkpoint, ["O", "B-PER", "I-PER"])
    decay, no_decay = parameter_groups(model, 0.01)
    names = {id(p): n for n, p in model.named_parameters()}
    assert decay["weight_decay"] == 0.01 and no_decay["weight_decay"] == 0.0
    assert all(not names[id(p)].endswith("bias") and "LayerNorm" not in names[id(p)] for p in decay["params"])
    assert {names[id(p)] for p in no_decay["params"]} >= {
        "classifier.bias",
        "bert.embeddings.LayerNorm.weight",
    }
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters()))


def test_one_process_loop_saves_a_model_whose_metrics_it_reports(tmp_path, tiny_checkpoint, odd_data):
    cfg = TrainConfig(
        model=tiny_checkpoint, output_dir=str(tmp_path / "run"), recipe=FAST, max_steps=4, seed=7
    )
    result = train_loop(cfg, odd_data)
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["global_steps"] == 4 and written["num_processes"] == 1
    again = evaluate_saved(tmp_path / "run" / "model", odd_data["validation"], "ner_tags")
    assert again["overall_f1"] == result["validation"]["overall_f1"] == written["validation"]["overall_f1"]
    assert again["words"] == sum(len(s) for s in odd_data["validation"]["tokens"])


TWO_PROCESS_EVAL = textwrap.dedent(
    """
    import sys
    from helpers.data import synthetic_conll
    from helpers.loop import evaluate_saved, launch

    model_dir, out = sys.argv[1], sys.argv[2]
    split = synthetic_conll(seed=3, sizes={sizes!r})["validation"]
    launch(evaluate_saved, model_dir, split, "ner_tags", out, 8, num_processes=2)
    """
)


def test_two_process_evaluation_scores_each_sentence_once(tmp_path, saved_model, odd_data):
    """101 sentences in batches of 8 on 2 processes: the padded last batch must not be scored twice."""
    script = tmp_path / "eval2.py"
    script.write_text(TWO_PROCESS_EVAL.format(sizes=SIZES))
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO))
    run = subprocess.run(
        [sys.executable, str(script), str(saved_model), str(tmp_path / "two")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    two = json.loads((tmp_path / "two" / "metrics.json").read_text())
    one = evaluate_saved(saved_model, odd_data["validation"], "ner_tags", batch_size=8)
    assert two["num_processes"] == 2 and one["num_processes"] == 1
    assert two["sentences"] == one["sentences"] == 101
    assert two["rows_plain_gather"] > 101  # what plain gather would have scored
    for key in ("num_processes", "rows_plain_gather"):
        two.pop(key), one.pop(key)
    assert two == one
