"""Where a training step's time goes on the CPU: forward, backward and optimizer, and the busiest operators.

    python -m benchmarks.profile_step [--batch-size 32] [--steps 30] [--precision auto]

Runs on real training batches (length-grouped as in the course recipe) of the resolved checkpoint and data, and
prints milliseconds per phase with the useful GFLOP/s each reaches (6·N per real token for a whole step, 2·N
for a forward pass; attention not counted), then PyTorch's profiler table for a few full steps.
"""

from __future__ import annotations

import argparse
import time

from helpers.config import COURSE_RECIPE, Recipe
from helpers.data import label_names, load_conll2003
from helpers.modeling import load_model, load_tokenizer, resolve_checkpoint
from helpers.precision import resolve_precision
from helpers.runs import limit_samples, tokenize_dataset

from .harness import non_embedding_params


def batches(
    batch_size: int,
    count: int,
    data_dir: str | None = None,
    checkpoint: str | None = None,
    recipe: Recipe = COURSE_RECIPE,
) -> tuple[list, str, list[str]]:
    """``count`` collated batches of neighbouring-length training sentences from the middle of the length range,
    tokenized as ``recipe`` says (document context included)."""
    from transformers import DataCollatorForTokenClassification

    ds = load_conll2003(data_dir, verbose=False, documents=recipe.context_tokens > 0)
    ds = limit_samples(ds, batch_size * count * 4, 1)
    checkpoint = resolve_checkpoint(checkpoint)
    tokenizer = load_tokenizer(checkpoint)
    train = tokenize_dataset(ds, tokenizer, "ner_tags", recipe)["train"]
    train = train.remove_columns(
        [c for c in train.column_names if c not in ("input_ids", "attention_mask", "labels")]
    )
    rows = sorted(train, key=lambda r: len(r["input_ids"]))
    collate = DataCollatorForTokenClassification(tokenizer)
    groups = [collate(rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)]
    middle = len(groups) // 2 - count // 2
    return groups[max(0, middle) : max(0, middle) + count], checkpoint, label_names(ds, "ner_tags")


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch-size", type=int, default=COURSE_RECIPE.batch_size)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"])
    args = parser.parse_args(argv)
    precision = resolve_precision(args.precision)
    data, checkpoint, names = batches(args.batch_size, args.steps + 3)
    model = load_model(checkpoint, names).train()
    # fused AdamW is what the Trainer uses by default with torch >= 2.8
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, fused=True)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16")
    n_params = non_embedding_params(model)

    def step(batch, phases: dict | None = None):
        t0 = time.perf_counter()
        with autocast:
            loss = model(**batch).loss
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        if phases is not None:
            for name, seconds in (("forward", t1 - t0), ("backward", t2 - t1), ("optimizer", t3 - t2)):
                phases[name] = phases.get(name, 0.0) + seconds

    for batch in data[:3]:  # warm-up
        step(batch)
    phases: dict[str, float] = {}
    timed = data[3:]  # fewer than --steps when the data is small
    for batch in timed:
        step(batch, phases)
    tokens = sum(int(b["attention_mask"].sum()) for b in timed) / len(timed)
    total = sum(phases.values()) / len(timed)
    print(f"{checkpoint}: batch {args.batch_size}, {precision}, {tokens:.0f} real tokens per batch")
    for name, seconds in phases.items():
        print(f"  {name:<9} {seconds / len(timed) * 1000:7.1f} ms")
    fwd = phases["forward"] / len(timed)
    print(f"  step      {total * 1000:7.1f} ms: {6 * n_params * tokens / total / 1e9:.0f} useful GFLOP/s "
          f"(forward alone {2 * n_params * tokens / fwd / 1e9:.0f})")  # fmt: skip
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for batch in data[3:8]:
            step(batch)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
