"""Shared pieces of the benchmark scripts: running a recipe in a child process, machine description."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.machine import machine as machine  # the one description; every benchmark records it

RESULTS = Path(__file__).resolve().parent / "results"


def run_child(config: dict, timeout: float | None = None) -> dict:
    """Run ``benchmarks.harness`` on ``config`` in a fresh process (own peak memory) and return its result."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path, out_path = Path(tmp) / "config.json", Path(tmp) / "result.json"
        config = dict(config, output_dir=str(Path(tmp) / "run"))
        cfg_path.write_text(json.dumps(config))
        env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
        for name in ("TOKCLS_SMOKE", "TOKCLS_EPOCHS"):  # a recipe runs exactly as its config says
            env.pop(name, None)
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.harness", str(cfg_path), str(out_path)],
            env=env, timeout=timeout, capture_output=True, text=True,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"recipe {config['name']} failed:\n{proc.stderr[-4000:]}")
        print(proc.stdout.strip().splitlines()[-1], flush=True)
        return json.loads(out_path.read_text())


def _timed_matmul(m: int, k: int, n: int, dtype: str, repeats: int) -> float:
    """Best seconds of ``repeats`` products of an (m×k) by a (k×n) matrix in ``dtype``."""
    import time

    import torch

    dt = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[dtype]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    a = torch.randn(m, k, dtype=dt, device=device)
    b = torch.randn(k, n, dtype=dt, device=device)
    best = float("inf")
    for _ in range(repeats + 1):  # the first product warms up
        if device == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        a @ b
        if device == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return best


def matmul_peak(dtype: str = "fp32", size: int = 2048, repeats: int = 10) -> float:
    """Dense matmul throughput in TFLOP/s for square ``size`` matrices (best of ``repeats``)."""
    return 2 * size**3 / _timed_matmul(size, size, size, dtype, repeats) / 1e12


def model_shapes(hidden: int, intermediate: int, tokens: int) -> list[tuple[int, int, int]]:
    """The (m, k, n) products of one encoder layer for ``tokens`` token positions: Q, K, V, output, FFN in/out."""
    return [(tokens, hidden, hidden)] * 4 + [(tokens, hidden, intermediate), (tokens, intermediate, hidden)]


def matmul_at_shapes(shapes: list[tuple[int, int, int]], dtype: str, repeats: int = 20) -> float:
    """Throughput in TFLOP/s of a model's own products, each timed alone (total FLOPs over total best time)."""
    flops = sum(2 * m * k * n for m, k, n in shapes)
    seconds = sum(_timed_matmul(m, k, n, dtype, repeats) for m, k, n in shapes)
    return flops / seconds / 1e12


def seed_stats(values: list[float]) -> dict:
    """Mean, standard deviation, min, max and the values themselves of a figure over seeds."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return {"mean": round(statistics.fmean(values), 4), "sd": round(sd, 4), "min": min(values),
            "max": max(values), "values": values}  # fmt: skip
