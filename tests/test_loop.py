"""The Accelerate training loop (helpers.loop): one process, and two CPU processes over gloo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from helpers import TrainConfig
from helpers.config import Recipe
from helpers.data import synthetic_conll
from helpers.evaluation import evaluate_split
from helpers.loop import (
    build_dataloaders,
    effective_batch_size,
    parameter_groups,
    train_loop,
    unsupported_settings,
)
from helpers.modeling import load_model, load_tokenizer
from helpers.runs import tokenize_dataset

from .conftest import REPO, WORDS, build_tiny_checkpoint

pytestmark = pytest.mark.slow

FAST = Recipe(
    learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=8, warmup_ratio=0.1, precision="fp32"
)
SIZES = {"train": 48, "validation": 101, "test": 16}  # 101: the last evaluation batch is incomplete
LONG = [w for w in WORDS if w.isalpha()][:35] * 2  # 70 one-subtoken words: past the tiny model's 64


@pytest.fixture(scope="module")
def odd_data():
    return synthetic_conll(seed=3, sizes=SIZES)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    import torch

    torch.manual_seed(1)
    return build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-head"), num_labels=9)


def _env() -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO), TOKENIZERS_PARALLELISM="false")
    env.pop("TOKCLS_SMOKE", None)
    return env


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


@pytest.mark.parametrize(
    "setting",
    [
        {"resume": True},
        {"save_checkpoints": True},
        {"training_args": {"logging_steps": 5}},
        {"recipe": Recipe(context_tokens=16)},
    ],
)
def test_settings_the_loop_does_not_implement_are_refused_by_name(tmp_path, setting):
    cfg = TrainConfig(output_dir=str(tmp_path / "run"), **{"save_checkpoints": False, **setting})
    name = next(iter(setting)) if "recipe" not in setting else "context_tokens"
    assert any(name in problem for problem in unsupported_settings(cfg))
    with pytest.raises(ValueError, match=f"train_loop does not implement: .*{name}"):
        train_loop(cfg)
    assert not (tmp_path / "run").exists()


def test_length_grouping_draws_one_step_of_sentences_whatever_the_process_count(tiny_checkpoint, odd_data):
    """Two processes of batch 4 see, step by step, the sentences one process of batch 8 sees."""
    tokenizer = load_tokenizer(tiny_checkpoint)
    tokenized = tokenize_dataset(odd_data, tokenizer, "ner_tags", FAST)
    one = build_dataloaders(tokenized, tokenizer, "ner_tags", 8, 8, group_by_length=True)["train"]
    two = build_dataloaders(tokenized, tokenizer, "ner_tags", 4, 8, group_by_length=True, num_processes=2)[
        "train"
    ]
    order_one, order_two = list(one.sampler), list(two.sampler)
    assert order_one == order_two and sorted(order_one) == list(range(len(odd_data["train"])))


def test_one_process_loop_writes_the_scores_train_would(tmp_path, tiny_checkpoint, odd_data):
    """metrics.json comes from helpers.evaluation (words, windows), as helpers.train's does: a validation
    sentence longer than the model's limit is scored word by word, none lost to truncation."""
    from datasets import DatasetDict

    long = {
        "id": "long",
        "tokens": LONG,
        **{c: [0] * len(LONG) for c in ("pos_tags", "chunk_tags", "ner_tags")},
    }
    data = DatasetDict(dict(odd_data, validation=odd_data["validation"].add_item(long)))
    cfg = TrainConfig(
        model=tiny_checkpoint, output_dir=str(tmp_path / "run"), recipe=FAST, max_steps=4, seed=7,
        save_checkpoints=False,
    )  # fmt: skip
    result = train_loop(cfg, data)
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["global_steps"] == 4 and written["num_processes"] == 1
    again = evaluate_split(tmp_path / "run" / "model", data["validation"], "ner_tags")
    assert written["validation"] == again == {k: v for k, v in result["validation"].items()}
    assert again["truncated_words"] == 0 and again["words"] == sum(
        len(s) for s in data["validation"]["tokens"]
    )
    assert written["recipe"]["learning_rate"] == FAST.learning_rate and written["language"] == "en"


LR_DRIVER = textwrap.dedent(
    """
    import json, sys
    from helpers import TrainConfig
    from helpers.config import Recipe
    from helpers.data import synthetic_conll
    from helpers.loop import launch, train_loop

    ckpt, out = sys.argv[1], sys.argv[2]
    ds = synthetic_conll(seed=3, sizes={"train": 64, "validation": 8, "test": 8})
    recipe = Recipe(learning_rate=5e-3, epochs=1, batch_size=4, eval_batch_size=8, warmup_ratio=0.1,
                    group_by_length=False, precision="fp32")
    cfg = TrainConfig(model=ckpt, output_dir=out, recipe=recipe, max_steps=8, eval_steps=2, seed=7,
                      save_checkpoints=False)
    launch(train_loop, cfg, ds, num_processes=2)
    """
)


def test_learning_rate_at_three_quarters_on_two_processes_is_the_linear_schedules(tmp_path, tiny_checkpoint):
    """8 optimizer steps on 2 CPU processes, 1 of warm-up: after step 6 the rate is 5e-3 * (8-6)/(8-1), not 0
    (a schedule sized in optimizer steps reaches 0 at step 4: the prepared scheduler steps once per process)."""
    script = tmp_path / "lr.py"
    script.write_text(LR_DRIVER)
    run = subprocess.run(
        [sys.executable, str(script), tiny_checkpoint, str(tmp_path / "run")],
        env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["num_processes"] == 2 and written["global_steps"] == 8
    rates = {row["step"]: row["learning_rate"] for row in written["log_history"]}
    assert rates[6] == pytest.approx(5e-3 * 2 / 7)
    assert rates[4] == pytest.approx(5e-3 * 4 / 7) and rates[8] == 0.0


TWO_PROCESS_EVAL = textwrap.dedent(
    """
    import json, sys
    from accelerate import Accelerator
    from datasets import DatasetDict
    from helpers.data import synthetic_conll
    from helpers.evaluation import sort_by_length
    from helpers.loop import build_dataloaders, evaluate_loop, launch
    from helpers.modeling import load_saved_model, load_tokenizer
    from helpers.runs import tokenize_dataset

    def evaluate(model_dir, out):
        accelerator = Accelerator(cpu=True)
        split = synthetic_conll(seed=3, sizes={sizes!r})["validation"]
        tokenizer = load_tokenizer(model_dir)
        names = split.features["ner_tags"].feature.names
        tokenized = sort_by_length(tokenize_dataset(DatasetDict(eval=split), tokenizer, "ner_tags")["eval"])
        loader = build_dataloaders(DatasetDict(eval=tokenized), tokenizer, "ner_tags", 8, 8)["eval"]
        model, loader = accelerator.prepare(load_saved_model(model_dir, device="cpu"), loader)
        result = evaluate_loop(accelerator, model, loader, tokenized, names, "ner_tags")
        result["num_processes"] = accelerator.num_processes
        if accelerator.is_main_process:
            with open(out, "w") as f:
                json.dump(result, f)

    launch(evaluate, sys.argv[1], sys.argv[2], num_processes=int(sys.argv[3]))
    """
)


def test_two_process_evaluation_scores_each_sentence_once(tmp_path, saved_model):
    """101 sentences in batches of 8 on 2 processes: the padded last batch must not be scored twice."""
    script = tmp_path / "eval2.py"
    script.write_text(TWO_PROCESS_EVAL.format(sizes=SIZES))
    results = {}
    for n in (1, 2):
        run = subprocess.run(
            [sys.executable, str(script), str(saved_model), str(tmp_path / f"{n}.json"), str(n)],
            env=_env(), capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-3000:]
        results[n] = json.loads((tmp_path / f"{n}.json").read_text())
    one, two = results[1], results[2]
    assert two["num_processes"] == 2 and one["num_processes"] == 1
    assert two["sentences"] == one["sentences"] == 101
    assert two["rows_plain_gather"] > 101  # what plain gather would have scored
    for key in ("num_processes", "rows_plain_gather"):
        two.pop(key), one.pop(key)
    assert two == one
