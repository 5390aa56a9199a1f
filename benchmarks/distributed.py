"""One process vs N processes: the same ``python -m helpers train`` run, plain and under ``torchrun``.

    python -m benchmarks.distributed                      # 1 vs 2 processes, CPU (gloo) or GPUs (nccl)
    python -m benchmarks.distributed --processes 4 --max-train-samples 4096

Both runs train on the same sentences for the same number of epochs, so the N-process run takes N times fewer
steps with an N times larger effective batch. Writes ``benchmarks/results/distributed_<cpu|gpu>.json`` and
prints a Markdown table (the README's row comes from it).
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


def run(processes: int, options: list[str], threads: int) -> dict:
    """Train once on ``processes`` processes with ``threads`` CPU threads each; the row of the table."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), TOKENIZERS_PARALLELISM="false")
        env.pop("TOKCLS_SMOKE", None)  # the options say how much to train
        start = time.perf_counter()
        proc = subprocess.run(
            _command(processes) + options + ["--output-dir", tmp, "--overwrite", "--no-checkpoints"],
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    gpu = torch.cuda.is_available()
    cores = os.cpu_count() or 1
    load = [round(x, 2) for x in os.getloadavg()]  # other programs on the machine slow both runs down
    rows = [
        run(1, options, cores),
        run(args.processes, options, max(1, cores // args.processes)),
    ]
    result = {"machine": machine(), "load_average_before": load, "command_options": options, "rows": rows}
    out = RESULTS / f"distributed_{'gpu' if gpu else 'cpu'}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(rows))
    print(f"written to {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
