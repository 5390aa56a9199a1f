"""Training-step levers timed on the same batches: frozen embeddings, torch.compile, dropout, precision.

    python -m benchmarks.steps [--steps 20]

Each variant trains a fresh copy of the checkpoint for a few warm-up steps and then ``--steps`` timed steps on
the same length-grouped batches of the course recipe's size, with the optimizer the Trainer uses (fused AdamW).
Only step times are compared here: what a lever does to F1 is measured by ``benchmarks.sweep``.
"""

from __future__ import annotations

import argparse
import os
import time

from helpers.config import COURSE_RECIPE, Recipe
from helpers.modeling import load_model
from helpers.precision import autocast_dtype, resolve_precision

from .profile_step import batches

VARIANTS = {
    "recipe": {},
    "frozen embeddings": {"freeze": True},
    "no dropout": {"dropout": False},
    "torch.compile": {"compile": True},
    "torch.compile + frozen embeddings": {"compile": True, "freeze": True},
    "fp32": {"precision": "fp32"},
}


def time_variant(checkpoint: str, names: list[str], data: list, precision: str, *, freeze: bool = False,
                 compile: bool = False, dropout: bool = True, warmup: int = 3) -> dict:  # fmt: skip
    """Seconds of the warm-up steps (compilation included) and mean milliseconds of the timed steps."""
    import torch

    torch.manual_seed(0)
    model = load_model(checkpoint, names).train()
    if not dropout:
        for module in model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = 0.0
    if freeze:
        model.get_input_embeddings().weight.requires_grad_(False)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=True)
    forward = torch.compile(model, dynamic=True) if compile else model
    dtype = autocast_dtype(precision)

    def step(batch) -> None:
        with torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
            loss = forward(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    t = time.perf_counter()
    for batch in data[:warmup]:
        step(batch)
    warm = time.perf_counter() - t
    timed = data[warmup:]
    t = time.perf_counter()
    for batch in timed:
        step(batch)
    ms = (time.perf_counter() - t) / len(timed) * 1000
    tokens = sum(int(b["attention_mask"].sum()) for b in timed) / len(timed)
    return {"precision": precision, "warmup_seconds": round(warm, 1), "step_ms": round(ms, 1),
            "timed_steps": len(timed), "real_tokens_per_step": round(tokens), "tokens_per_second": round(tokens / ms * 1000)}  # fmt: skip


def lever_step_times(
    checkpoint: str, data_dir: str | None, recipe: Recipe = COURSE_RECIPE, steps: int = 20
) -> dict:
    """Every variant of ``VARIANTS`` on the same ``steps`` batches (plus warm-up) of ``recipe.batch_size``."""
    data, _, names = batches(recipe.batch_size, steps + 3, data_dir, checkpoint=checkpoint, recipe=recipe)
    precision = resolve_precision(recipe.precision)
    out = {}
    for name, options in VARIANTS.items():
        options = dict(options)
        out[name] = time_variant(checkpoint, names, data, options.pop("precision", precision), **options)
        print(f"step lever {name}: {out[name]}", flush=True)
    base = out["recipe"]["step_ms"]
    for row in out.values():
        row["speedup"] = round(base / row["step_ms"], 3)
    return out


def main() -> int:
    from helpers.modeling import resolve_checkpoint

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--model")
    args = parser.parse_args()
    lever_step_times(resolve_checkpoint(args.model), os.environ.get("TOKCLS_DATA_DIR"), steps=args.steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
