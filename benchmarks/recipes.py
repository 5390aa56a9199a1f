"""Classic notebook recipe vs the course recipe, same machine, same checkpoint, one run, several seeds.

    python -m benchmarks.recipes                  # full CoNLL-2003 (TOKCLS_DATA_DIR), 3 seeds each: ~95 min on 2 cores
    python -m benchmarks.recipes --quick          # the same comparison on a subset, one seed: < 10 min
    python -m benchmarks.recipes --model PATH_OR_ID   # any checkpoint (the course side uses helpers.recipe_for)

Writes ``benchmarks/results/recipes[_quick].json``, then ``benchmarks.report`` turns it into ``recipes.md``,
the plot and the README tables.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict

from helpers.config import CLASSIC_RECIPE, COURSE_RECIPE, recipe_for
from helpers.data import label_names, load_conll2003
from helpers.io import display_path, write_json_atomic
from helpers.modeling import load_model, load_tokenizer, resolve_checkpoint
from helpers.precision import fast_bf16_available
from helpers.runs import limit_samples, tokenize_dataset

from .common import RESULTS, machine, matmul_at_shapes, matmul_peak, model_shapes, run_child, seed_stats
from .steps import lever_step_times

QUICK = {"max_train_samples": 2000, "max_eval_samples": 800}
SEEDS = (42, 43, 44)


def time_to_f1(curve: list[dict], target: float) -> float | None:
    """Training seconds at the first evaluation whose F1 reaches ``target`` (None if never)."""
    for point in curve:
        if point["f1"] is not None and point["f1"] >= target:
            return point["train_seconds"]
    return None


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1)


def inference_benchmark(checkpoint: str, ds, n_single: int = 300) -> dict:
    """Sentences per second: helpers' batched Tagger vs ``pipeline()`` one sentence at a time and batched, all
    in fp32 (what the pipeline runs), and the Tagger again in the precision "auto" picks here."""
    from transformers import pipeline

    from helpers.inference import Tagger

    names = label_names(ds, "ner_tags")
    tokenizer = load_tokenizer(checkpoint)
    model = load_model(checkpoint, names)  # throughput does not depend on the head's weights
    texts = [" ".join(t) for t in ds["validation"]["tokens"]]
    out: dict = {"sentences": len(texts), "single_sentences": min(n_single, len(texts))}
    for precision in ("fp32", "auto"):
        tagger = Tagger(model, tokenizer, batch_size=64, precision=precision)
        tagger.tag_text(texts[:64])  # warm-up
        t = time.perf_counter()
        tagger.tag_text(texts)
        out[f"tagger_{precision}_sps"] = _rate(len(texts), time.perf_counter() - t)
    out["tagger_auto_precision"] = tagger.precision  # what "auto" resolved to on this machine
    pipe = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple")
    out["pipeline_dtype"] = str(next(pipe.model.parameters()).dtype).replace("torch.", "")
    pipe(texts[:8])
    t = time.perf_counter()
    for text in texts[: out["single_sentences"]]:
        pipe(text)
    out["pipeline_single_sps"] = _rate(out["single_sentences"], time.perf_counter() - t)
    t = time.perf_counter()
    pipe(texts, batch_size=64)
    out["pipeline_batch64_sps"] = _rate(len(texts), time.perf_counter() - t)
    out["speedup_vs_single"] = round(out["tagger_fp32_sps"] / out["pipeline_single_sps"], 2)
    out["speedup_vs_batch64"] = round(out["tagger_fp32_sps"] / out["pipeline_batch64_sps"], 2)
    return out


def preprocessing_benchmark(checkpoint: str, ds, recipe) -> dict:
    """Seconds to tokenize and align the whole training split (batched ``Dataset.map``) as ``recipe`` does."""
    tokenizer = load_tokenizer(checkpoint)
    train_only = type(ds)({"train": ds["train"]})
    t = time.perf_counter()
    tokenize_dataset(train_only, tokenizer, "ner_tags", recipe)
    seconds = time.perf_counter() - t
    return {
        "sentences": len(ds["train"]),
        "seconds": round(seconds, 2),
        "sps": round(len(ds["train"]) / seconds),
    }


def summary(runs: list[dict]) -> dict:
    """Mean and spread over seeds of what the tables compare."""
    return {
        "seeds": [r["seed"] for r in runs],
        "test_f1": seed_stats([r["test"]["overall_f1"] for r in runs]),
        "validation_f1": seed_stats([r["validation"]["overall_f1"] for r in runs]),
        "train_seconds": seed_stats([r["train_seconds"] for r in runs]),
        "useful_tflops": seed_stats([r["useful_tflops"] for r in runs]),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }


def hardware_fractions(run: dict, peaks: dict) -> dict:
    """Useful FLOP/s of a run against the 2048² peak and against its own layer products at its batch size."""
    shapes = model_shapes(run["hidden_size"], run["intermediate_size"], run["computed_tokens_per_step"])
    dtype = run["precision"] if run["precision"] in peaks else "fp32"
    at_shapes = matmul_at_shapes(shapes, dtype)
    return {
        "precision": dtype,
        "tokens_per_step": run["computed_tokens_per_step"],
        "matmul_at_model_shapes_tflops": round(at_shapes, 4),
        "fraction_of_model_shapes": round(run["useful_tflops"] / at_shapes, 4),
        "fraction_of_2048_peak": round(run["useful_tflops"] / peaks[dtype], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="subset (2000 train / 800 eval sentences), one seed"
    )
    parser.add_argument(
        "--model", help="checkpoint id or folder (default: TOKCLS_MODEL, else the course default)"
    )
    parser.add_argument(
        "--seeds", type=int, nargs="+", help="seeds of each recipe (default: 42 43 44; quick: 42)"
    )
    parser.add_argument("--skip-inference", action="store_true")
    parser.add_argument("--skip-levers", action="store_true", help="skip the training-step lever timings")
    parser.add_argument("--lever-steps", type=int, default=20, help="timed training steps per lever")
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
    seeds = args.seeds or ([SEEDS[0]] if args.quick else list(SEEDS))
    checkpoint = resolve_checkpoint(args.model)
    from transformers import AutoConfig

    course_recipe = recipe_for(COURSE_RECIPE, AutoConfig.from_pretrained(checkpoint))
    ds = limit_samples(
        load_conll2003(data_dir, documents=True),
        limits.get("max_train_samples"),
        limits.get("max_eval_samples"),
    )
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    peaks = {"fp32": round(matmul_peak("fp32"), 4)}
    if fast_bf16_available():
        peaks["bf16"] = round(matmul_peak("bf16"), 4)
    print(f"dense matmul peak (TFLOP/s): {peaks}", flush=True)
    common = {"checkpoint": checkpoint, "data_dir": data_dir, **limits}
    recipes = {"classic": (CLASSIC_RECIPE, 1.0), "course": (course_recipe, 0.1)}  # evaluate every N epochs
    runs: dict[str, list[dict]] = {name: [] for name in recipes}
    for seed in seeds:  # seeds outermost: an interrupted run still holds pairs
        for name, (recipe, every) in recipes.items():
            config = dict(
                common, name=f"{name} seed {seed}", recipe=asdict(recipe), eval_every_epochs=every, seed=seed
            )
            runs[name].append(run_child(config))
    pairs = []
    for classic, course in zip(runs["classic"], runs["course"]):
        target = classic["validation"]["overall_f1"]
        ttf = time_to_f1(course["curve"], target)
        pairs.append({"seed": classic["seed"], "target_f1": target, "course_seconds": ttf,
                      "classic_seconds": classic["train_seconds"],
                      "ratio": round(ttf / classic["train_seconds"], 4) if ttf else None})  # fmt: skip
    result = {
        "command": "python -m benchmarks.recipes"
        + (" --quick" if args.quick else "")
        + (f" --model {display_path(args.model)}" if args.model else "")
        + (f" --seeds {' '.join(map(str, args.seeds))}" if args.seeds else ""),
        "started": started,
        "machine": machine(),
        "data": display_path(data_dir) if data_dir else "default resolution (Hub or synthetic)",
        "checkpoint": display_path(checkpoint),
        "matmul_peak_tflops": peaks,
        "recipes": {name: asdict(recipe) for name, (recipe, _) in recipes.items()},
        "runs": runs,
        "summary": {name: summary(rs) for name, rs in runs.items()},
        "hardware": {name: hardware_fractions(rs[0], peaks) for name, rs in runs.items()},
        "time_to_classic_f1": pairs,
    }
    if not args.skip_levers:
        result["levers"] = lever_step_times(checkpoint, data_dir, course_recipe, steps=args.lever_steps)
    if not args.skip_inference:
        result["inference"] = inference_benchmark(checkpoint, ds)
        result["preprocessing"] = preprocessing_benchmark(checkpoint, ds, course_recipe)
    result["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    out = args.out or RESULTS / ("recipes_quick.json" if args.quick else "recipes.json")
    write_json_atomic(out, result)
    print(f"wrote {display_path(out)}")
    from .report import main as report

    report([str(out)])


if __name__ == "__main__":
    main()
