"""Classic notebook recipe vs the course recipe, same machine, same checkpoint, one run.

    python -m benchmarks.recipes            # full CoNLL-2003 (TOKCLS_DATA_DIR), ~35 min on 2 CPU cores
    python -m benchmarks.recipes --quick    # the same comparison on a subset, a few minutes

Writes ``benchmarks/results/recipes[_quick].json``, then ``benchmarks.report`` turns it into
``RESULTS.md``, the plot and the README tables.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict

from helpers.data import label_names, load_conll2003
from helpers.io import display_path, write_json_atomic
from helpers.modeling import load_model, load_tokenizer, resolve_checkpoint
from helpers.precision import fast_bf16_available
from helpers.training import CLASSIC_RECIPE, COURSE_RECIPE, limit_samples, tokenize_dataset

from .common import RESULTS, machine, matmul_peak, run_child

QUICK = {"max_train_samples": 3000, "max_eval_samples": 1000}


def time_to_f1(curve: list[dict], target: float) -> float | None:
    """Training seconds at the first evaluation whose F1 reaches ``target`` (None if never)."""
    for point in curve:
        if point["f1"] is not None and point["f1"] >= target:
            return point["train_seconds"]
    return None


def inference_benchmark(checkpoint: str, ds, n_single: int = 300) -> dict:
    """Sentences per second: helpers' batched Tagger vs pipeline() one sentence at a time and batched."""
    from transformers import pipeline

    from helpers.inference import Tagger

    names = label_names(ds, "ner_tags")
    tokenizer = load_tokenizer(checkpoint)
    model = load_model(checkpoint, names)  # throughput does not depend on the head's weights
    texts = [" ".join(t) for t in ds["validation"]["tokens"]]
    tagger = Tagger(model, tokenizer, batch_size=64)
    tagger.tag_text(texts[:64])  # warm-up
    t = time.perf_counter()
    tagger.tag_text(texts)
    batched = len(texts) / (time.perf_counter() - t)
    pipe = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple")
    pipe(texts[:8])
    t = time.perf_counter()
    for text in texts[:n_single]:
        pipe(text)
    single = n_single / (time.perf_counter() - t)
    t = time.perf_counter()
    pipe(texts, batch_size=64)
    pipe_batched = len(texts) / (time.perf_counter() - t)
    return {
        "sentences": len(texts),
        "tagger_batched_sps": round(batched, 1),
        "pipeline_single_sps": round(single, 1),
        "pipeline_batch64_sps": round(pipe_batched, 1),
        "speedup_vs_single": round(batched / single, 2),
    }


def preprocessing_benchmark(checkpoint: str, ds) -> dict:
    """Seconds to tokenize and align the whole training split (batched ``Dataset.map``)."""
    tokenizer = load_tokenizer(checkpoint)
    train_only = type(ds)({"train": ds["train"]})
    t = time.perf_counter()
    tokenize_dataset(train_only, tokenizer, "ner_tags", COURSE_RECIPE)
    seconds = time.perf_counter() - t
    return {
        "sentences": len(ds["train"]),
        "seconds": round(seconds, 2),
        "sps": round(len(ds["train"]) / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="subset: 3000 train / 1000 eval sentences")
    parser.add_argument("--skip-inference", action="store_true")
    parser.add_argument(
        "--max-train-samples", type=int, help="override the subset size (for trying the script)"
    )
    parser.add_argument("--max-eval-samples", type=int)
    parser.add_argument(
        "--max-steps", type=int, help="stop each recipe after N steps (for trying the script)"
    )
    parser.add_argument("--out", help="result file (default: benchmarks/results/recipes[_quick].json)")
    args = parser.parse_args()
    data_dir = os.environ.get("TOKCLS_DATA_DIR")
    limits = dict(QUICK) if args.quick else {}
    for key in ("max_train_samples", "max_eval_samples", "max_steps"):
        if getattr(args, key):
            limits[key] = getattr(args, key)
    checkpoint = resolve_checkpoint()
    ds = load_conll2003(data_dir)
    ds = limit_samples(ds, limits.get("max_train_samples"), limits.get("max_eval_samples"))
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    peaks = {"fp32": round(matmul_peak("fp32"), 3)}
    if fast_bf16_available():
        peaks["bf16"] = round(matmul_peak("bf16"), 3)
    print(f"dense matmul peak (TFLOP/s): {peaks}", flush=True)
    common = {"checkpoint": checkpoint, "data_dir": data_dir, **limits}
    runs = {}
    runs["classic"] = run_child(
        dict(common, name="classic", recipe=asdict(CLASSIC_RECIPE), eval_every_epochs=0.25)
    )
    runs["course"] = run_child(
        dict(common, name="course", recipe=asdict(COURSE_RECIPE), eval_every_epochs=0.1)
    )
    target = runs["classic"]["validation"]["overall_f1"]
    ttf = time_to_f1(runs["course"]["curve"], target)
    result = {
        "command": "python -m benchmarks.recipes" + (" --quick" if args.quick else ""),
        "started": started,
        "machine": machine(),
        "data": display_path(data_dir) if data_dir else "default resolution (Hub or synthetic)",
        "checkpoint": display_path(checkpoint),
        "matmul_peak_tflops": peaks,
        "runs": runs,
        "time_to_classic_f1": {
            "target_f1": target,
            "course_seconds": ttf,
            "classic_seconds": runs["classic"]["train_seconds"],
            "ratio": round(ttf / runs["classic"]["train_seconds"], 4) if ttf else None,
        },
    }
    for run in runs.values():
        peak = peaks.get(run["precision"], peaks["fp32"])
        run["fraction_of_matmul_peak"] = round(run["useful_tflops"] / peak, 4)
    if not args.skip_inference:
        result["inference"] = inference_benchmark(checkpoint, ds)
        result["preprocessing"] = preprocessing_benchmark(checkpoint, ds)
    out = args.out or RESULTS / ("recipes_quick.json" if args.quick else "recipes.json")
    write_json_atomic(out, result)
    print(f"wrote {out}")
    from .report import main as report

    report([str(out)])
    return None


if __name__ == "__main__":
    main()
