"""The learner's GPU path, run for real: one command for the day a GPU is there (``make gpu-check``).

    python -m benchmarks.gpu_check                 # TOKCLS_DATA_DIR, else ../shared/data/conll2003, else the Hub

Three steps, each in a fresh Python process (so that the launch of step 2 finds CUDA unused), timed:

1. ``train``: lesson 3's training (``helpers.train``: Trainer) on all of CoNLL-2003 with the bundled
   offline model at the recipe's epochs, scored on validation and test;
2. ``loop``: lesson 8's loop (``helpers.loop.train_loop``) on the GPUs present, one process per GPU
   (``helpers.loop.launch``), same data and recipe;
3. ``predict``: the model of step 1 tags the test sentences with ``Tagger.from_pretrained`` (the loader
   ``predict`` uses), on the GPU.

Writes ``benchmarks/results/gpu_check.json`` (device, precision, seconds, F1 of each step). Without a
usable CUDA GPU it refuses, exit status 2, before doing anything. Budget: under 8 minutes on one GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import RESULTS

REPO = Path(__file__).resolve().parents[1]
STEPS = ("train", "loop", "predict")
NO_GPU = (
    "gpu-check needs a CUDA GPU, and none is usable here (torch.cuda.is_available() is False). Run it where "
    "there is one, e.g. a Colab GPU runtime: make gpu-check"
)


def data_dir(given: str | None) -> str | None:
    """The CoNLL-2003 folder: ``--data-dir``, ``TOKCLS_DATA_DIR``, ../shared/data/conll2003 if present, else
    None (the Hub)."""
    shared = REPO.parent / "shared" / "data" / "conll2003"
    return (
        given
        or os.environ.get("TOKCLS_DATA_DIR")
        or (str(shared) if (shared / "train.txt").is_file() else None)
    )


def _config(step_dir: Path, data: str | None):
    from helpers.config import TrainConfig
    from helpers.modeling import bundled_model_path

    return TrainConfig(
        model=bundled_model_path(),
        data_dir=data,
        output_dir=str(step_dir),
        overwrite=True,
        save_checkpoints=False,
    )


def _summary(metrics: dict) -> dict:
    return {
        "checkpoint": "/".join(Path(metrics["checkpoint"]).parts[-2:]),  # the bundled model, no machine path
        "device": metrics["device"],
        "precision": metrics["precision"],
        "processes": metrics["num_processes"],
        "epochs": metrics["recipe"]["epochs"],
        "steps": metrics["global_steps"],
        "train_sentences": metrics["train_sentences"],
        "train_seconds": metrics["train_seconds"],
        "validation_f1": round(metrics["validation"]["overall_f1"], 4),
        "test_f1": round(metrics["test"]["overall_f1"], 4),
        "data": metrics["data"],
    }


def run_step(step: str, work: Path, data: str | None) -> dict:
    """One step in this process: its figures (the parent times the process)."""
    if step == "train":
        from helpers.training import train

        return _summary(train(_config(work / "train", data)))
    if step == "loop":
        from helpers.loop import launch, train_loop

        cfg = _config(work / "loop", data)
        plan = launch(train_loop, cfg, None)  # one process per GPU
        metrics = json.loads((work / "loop" / "metrics.json").read_text())
        return {**_summary(metrics), "launch": plan.reason}
    if step == "predict":
        from helpers.data import load_conll2003
        from helpers.inference import Tagger

        sentences = load_conll2003(data, verbose=False)["test"]["tokens"]
        tagger = Tagger.from_pretrained(str(work / "train" / "model"), device="auto", batch_size=64)
        start = time.perf_counter()
        tagger.tag_words(sentences)
        seconds = time.perf_counter() - start
        return {
            "device": next(tagger.model.parameters()).device.type,
            "precision": tagger.precision,
            "sentences": len(sentences),
            "seconds": round(seconds, 2),
            "sentences_per_second": round(len(sentences) / seconds, 1),
        }
    raise ValueError(f"unknown step {step!r}: one of {', '.join(STEPS)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir", help="CoNLL-2003 folder (default: TOKCLS_DATA_DIR, ../shared/data/conll2003)"
    )
    parser.add_argument("--out", default=str(RESULTS / "gpu_check.json"), help="where the figures go")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)  # a child process runs one step
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    import torch

    if not torch.cuda.is_available():
        print(f"error: {NO_GPU}", file=sys.stderr)
        return 2
    data = data_dir(args.data_dir)
    if args.step:
        result = run_step(args.step, Path(args.work), data)
        Path(args.work, f"{args.step}.json").write_text(json.dumps(result))
        return 0

    from helpers.machine import machine

    env = dict(os.environ, PYTHONPATH=str(REPO), TOKENIZERS_PARALLELISM="false")
    env.pop("TOKCLS_SMOKE", None)  # all of CoNLL-2003 at the recipe's epochs
    out = {"machine": machine(), "gpus": torch.cuda.device_count(), "steps": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for step in STEPS:
            start = time.perf_counter()
            command = [sys.executable, "-m", "benchmarks.gpu_check", "--step", step, "--work", tmp]
            command += ["--data-dir", data] if data else []
            proc = subprocess.run(command, cwd=REPO, env=env, text=True, capture_output=True)
            if proc.returncode != 0:
                print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n", file=sys.stderr)
                print(f"error: step {step} failed (exit status {proc.returncode})", file=sys.stderr)
                return 1
            figures = json.loads(Path(tmp, f"{step}.json").read_text())
            out["steps"][step] = {**figures, "wall_seconds": round(time.perf_counter() - start, 1)}
            print(f"{step}: {json.dumps(out['steps'][step])}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
