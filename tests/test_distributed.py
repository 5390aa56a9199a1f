"""The command line on two CPU processes (gloo): torchrun and accelerate launch, one writer, resume."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from helpers.data import load_conll2003
from helpers.evaluation import evaluate_split
from helpers.loop import free_port
from helpers.readers import write_conll
from helpers.synthetic import generate_corpus

from .conftest import REPO

pytestmark = pytest.mark.slow

SIZES = {"train": 64, "validation": 101, "test": 31}  # 101: the last evaluation batch is incomplete
TRAIN_OPTIONS = ["--batch-size", "8", "--learning-rate", "5e-3", "--eval-steps", "2", "--max-steps", "4"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("odd-conll")
    for split, records in generate_corpus(seed=3, sizes=SIZES).items():
        write_conll(records, folder / f"{split}.txt")
    return folder


def _env() -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO), TOKENIZERS_PARALLELISM="false")
    env.pop("TOKCLS_SMOKE", None)
    return env


def torchrun(*args: str) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", *args]


def accelerate_launch(*args: str) -> list[str]:
    fixed = ["--multi_gpu", "--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no"]
    fixed += ["--dynamo_backend", "no", "--main_process_port", str(free_port())]
    return [sys.executable, "-m", "accelerate.commands.launch", *fixed, *args]


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=600)


def test_torchrun_trains_once_and_scores_like_one_process(tmp_path, tiny_checkpoint, data_dir):
    out = tmp_path / "run"
    common = ["--model", tiny_checkpoint, "--data-dir", str(data_dir), "--output-dir", str(out)]
    run = _run(torchrun("-m", "helpers", "train", *common, *TRAIN_OPTIONS))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "parallel_mode != ParallelMode.DISTRIBUTED" not in run.stderr
    assert run.stdout.count("validation (word level)") == 1  # one process prints the tables
    assert "8 per device x 2 process(es) x 1 accumulation step(s) = 16 sentences per step" in run.stdout
    written = json.loads((out / "metrics.json").read_text())
    assert written["num_processes"] == 2 and written["effective_batch_size"] == 16
    assert written["global_steps"] == 4  # 64 sentences / 16 per step: the processes share the epoch
    ds = load_conll2003(data_dir, verbose=False)
    assert written["validation"] == evaluate_split(str(out / "model"), ds["validation"], "ner_tags")


KILL_DRIVER = textwrap.dedent(
    """
    import os, sys
    import torch.distributed as dist
    from transformers import TrainerCallback
    from helpers.cli import build_parser, train_config
    from helpers.training import train

    class DieAfterCheckpoint(TrainerCallback):
        def on_save(self, args, state, control, **kw):
            if state.global_step == 2:
                dist.barrier()  # the main process has written checkpoint-2
                os._exit(3)

    cfg, _ = train_config(build_parser().parse_args(["train", *sys.argv[1:]]))
    train(cfg, callbacks=[DieAfterCheckpoint()])
    """
)


def test_run_killed_under_accelerate_launch_resumes_there(tmp_path, tiny_checkpoint, data_dir):
    out = tmp_path / "run"
    common = [
        "--model",
        tiny_checkpoint,
        "--data-dir",
        str(data_dir),
        "--output-dir",
        str(out),
        *TRAIN_OPTIONS,
    ]
    driver = tmp_path / "driver.py"
    driver.write_text(KILL_DRIVER)
    killed = _run(accelerate_launch(str(driver), *common))
    assert killed.returncode != 0
    assert (out / "checkpoint-2").is_dir() and not (out / "metrics.json").exists()
    resumed = _run(accelerate_launch("-m", "helpers", "train", *common, "--resume"))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.stdout.count("Resuming from") == 1
    written = json.loads((out / "metrics.json").read_text())
    assert written["global_steps"] == 4 and written["num_processes"] == 2


def test_benchmark_table_has_a_row_per_run():
    from benchmarks.distributed import markdown

    row = {
        "processes": 2,
        "threads_per_process": 1,
        "per_device_batch_size": 32,
        "effective_batch_size": 64,
        "global_steps": 16,
        "train_seconds": 12.7,
        "wall_seconds": 27.9,
        "validation_f1": 0.3382,
    }
    lines = markdown([dict(row, processes=1, effective_batch_size=32), row]).splitlines()
    assert len(lines) == 4 and lines[3].startswith("| 2 | 1 | 32 | 64 | 16 |")
