"""One process vs N processes: the same run, plain and on N processes.

    python -m benchmarks.distributed                      # Trainer (python -m helpers train), 1 vs 2 under torchrun
    python -m benchmarks.distributed --processes 4 --max-train-samples 4096
    python -m benchmarks.distributed --runner loop --effective-batch 32 --max-train-samples 2000 \
        --max-eval-samples 500 --epochs 1                  # lesson 8's comparison: train_loop, CPU processes

Both runs train on the same sentences for the same number of epochs. By default each process keeps the
recipe's batch, so the N-process run takes N times fewer steps with an N times larger effective batch; with
``--effective-batch B`` every run takes B sentences per step (B / N per process): the same steps and the
same learning-rate schedule, which is lesson 8's comparison. ``--runner loop`` runs ``helpers.loop.train_loop``
through ``helpers.loop.launch`` on CPU processes (``cpu=True``), as lesson 8 does. Writes
``benchmarks/results/distributed_<runner>_<cpu|gpu>.json`` (the Trainer runner keeps
``distributed_<cpu|gpu>.json``) and prints a Markdown table.
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

from .common import RESULTS, machine


def _command(processes: int) -> list[str]:
    if processes == 1:
        return [sys.executable, "-m", "helpers", "train"]
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={processes}",
    ] + [
        "-m",
        "helpers",
        "train",
    ]


def _loop_child(argv: list[str]) -> int:
    """In a child process: ``train_loop`` on ``--processes`` CPU processes through ``launch``, as lesson 8 runs it."""
    from helpers.cli import build_parser, train_config
    from helpers.loop import launch, train_loop

    processes = int(argv[0])
    cfg, _ = train_config(build_parser().parse_args(["train", *argv[1:]]))
    launch(train_loop, cfg, None, num_processes=processes, cpu=True)
    return 0


def run(processes: int, options: list[str], threads: int, runner: str = "trainer") -> dict:
    """Train once on ``processes`` processes with ``threads`` CPU threads each; the row of the table."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), TOKENIZERS_PARALLELISM="false")
        env.pop("TOKCLS_SMOKE", None)  # the options say how much to train
        if runner == "loop":
            command = [sys.executable, "-m", "benchmarks.distributed", "--loop-child", str(processes)]
        else:
            command = _command(processes)
        start = time.perf_counter()
        proc = subprocess.run(
            command + options + ["--output-dir", tmp, "--overwrite", "--no-checkpoints"],
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{processes}-process run failed:\n{proc.stderr[-4000:]}")
        metrics = json.loads((Path(tmp) / "metrics.json").read_text())
    return {
        "processes": processes,
        "threads_per_process": threads,
        "per_device_batch_size": metrics.get("per_device_batch_size", metrics["recipe"]["batch_size"]),
        "effective_batch_size": metrics.get("effective_batch_size"),
        "global_steps": metrics["global_steps"],
        "train_seconds": metrics["train_seconds"],
        "wall_seconds": round(wall, 1),
        "validation_f1": round(metrics["validation"]["overall_f1"], 4),
        "validation_words": metrics["validation"]["words"],
        "learning_rates": [row["learning_rate"] for row in metrics["log_history"] if "learning_rate" in row],
        "precision": metrics.get("precision"),
    }


def markdown(rows: list[dict]) -> str:
    """The result rows as a Markdown table."""
    lines = [
        "| processes | threads each | batch per device | effective batch | steps | train s | wall s | validation F1 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['processes']} | {r['threads_per_process']} | {r['per_device_batch_size']} | "
            f"{r['effective_batch_size']} | {r['global_steps']} | {r['train_seconds']} | {r['wall_seconds']} | "
            f"{r['validation_f1']:.4f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--loop-child"]:
        return _loop_child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runner", choices=("trainer", "loop"), default="trainer")
    parser.add_argument(
        "--effective-batch", type=int, help="sentences per step in every run (B / N per process)"
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--max-train-samples", type=int, default=1024)
    parser.add_argument("--max-eval-samples", type=int, default=300)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--model", help="checkpoint (default: the course's resolution)")
    parser.add_argument("--data-dir", help="CoNLL folder (default: TOKCLS_DATA_DIR, the Hub, else synthetic)")
    args = parser.parse_args(argv)

    import torch

    options = [
        "--max-train-samples",
        str(args.max_train_samples),
        "--max-eval-samples",
        str(args.max_eval_samples),
    ]
    options += ["--epochs", str(args.epochs)]
    options += ["--model", args.model] if args.model else []
    options += ["--data-dir", args.data_dir] if args.data_dir else []
    options += ["--no-group-by-length"] if args.runner == "loop" else []  # lesson 8's loader: random batches
    gpu = torch.cuda.is_available()
    cores = os.cpu_count() or 1
    load = [round(x, 2) for x in os.getloadavg()]  # other programs on the machine slow both runs down
    rows = []
    for processes, threads in ((1, cores), (args.processes, max(1, cores // args.processes))):
        batch = ["--batch-size", str(args.effective_batch // processes)] if args.effective_batch else []
        rows.append(run(processes, options + batch, threads, args.runner))
    result = {
        "machine": machine(),
        "load_average_before": load,
        "runner": args.runner,
        "command_options": options,
        "effective_batch": args.effective_batch,
        "rows": rows,
    }
    kind = "cpu" if args.runner == "loop" or not gpu else "gpu"  # the loop runner runs CPU processes
    out = RESULTS / (f"distributed_loop_{kind}.json" if args.runner == "loop" else f"distributed_{kind}.json")
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(rows))
    print(f"written to {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
