"""Turn a benchmark JSON into RESULTS.md, the F1-over-time plot, and the tables in both READMEs.

python -m benchmarks.report benchmarks/results/recipes.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from helpers.io import write_text_atomic

from .common import RESULTS

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "time_to_f1": 0.10,
    "test_f1_gain": 0.02,
    "train_time_ratio": 0.35,
    "peak_fraction": 0.70,
    "inference_speedup": 5.0,
    "peak_memory_mb": 4096,
}


def _ok(flag: bool | None) -> str:
    return "—" if flag is None else ("met" if flag else "**missed**")


def verdicts(res: dict) -> list[tuple[str, str, str, str]]:
    """(target, required, measured, met?) rows."""
    classic, course = res["runs"]["classic"], res["runs"]["course"]
    ttf = res["time_to_classic_f1"]
    gain = course["test"]["overall_f1"] - classic["test"]["overall_f1"]
    time_ratio = course["train_seconds"] / classic["train_seconds"]
    rows = [
        (
            "time to the classic recipe's final validation F1",
            f"≤ {TARGETS['time_to_f1']:.0%} of classic training time",
            f"{ttf['ratio']:.1%} ({ttf['course_seconds']} s of {ttf['classic_seconds']} s)"
            if ttf["ratio"]
            else "never reached",
            _ok(ttf["ratio"] is not None and ttf["ratio"] <= TARGETS["time_to_f1"]),
        ),
        (
            "test F1 gain over classic",
            f"≥ +{TARGETS['test_f1_gain'] * 100:.0f} points",
            f"{gain * 100:+.2f} points",
            _ok(gain >= TARGETS["test_f1_gain"]),
        ),
        (
            "whole course training time",
            f"≤ {TARGETS['train_time_ratio']:.0%} of classic",
            f"{time_ratio:.1%}",
            _ok(time_ratio <= TARGETS["train_time_ratio"]),
        ),
    ]
    for name, run in (("course", course), ("classic", classic)):
        rows.append(
            (
                f"useful training FLOP/s, {name} ({run['precision']})",
                f"≥ {TARGETS['peak_fraction']:.0%} of dense matmul peak",
                f"{run['fraction_of_matmul_peak']:.1%} ({run['useful_tflops'] * 1000:.1f} GFLOP/s)",
                _ok(run["fraction_of_matmul_peak"] >= TARGETS["peak_fraction"]),
            )
        )
    if "inference" in res:
        inf = res["inference"]
        rows.append(
            (
                "batched tagging vs pipeline one sentence at a time",
                f"≥ {TARGETS['inference_speedup']:.0f}×",
                f"{inf['speedup_vs_single']:.1f}×",
                _ok(inf["speedup_vs_single"] >= TARGETS["inference_speedup"]),
            )
        )
    peak = max(classic["peak_rss_mb"], course["peak_rss_mb"])
    rows.append(
        ("peak memory of a training run", "< 4 GB", f"{peak:.0f} MB", _ok(peak < TARGETS["peak_memory_mb"]))
    )
    return rows


def runs_table(res: dict) -> str:
    head = (
        "| recipe | precision | epochs | train time (s) | val F1 | test F1 | test PER / ORG / LOC / MISC F1 "
        "| tokens/s | padding | peak RSS (MB) |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for name, run in res["runs"].items():
        pt = run["test"]["per_type"]
        types = " / ".join(f"{pt[t]['f1']:.3f}" for t in ("PER", "ORG", "LOC", "MISC") if t in pt)
        rows.append(
            f"| {name} | {run['precision']} | {run['epochs']} | {run['train_seconds']:.0f} | "
            f"{run['validation']['overall_f1']:.4f} | {run['test']['overall_f1']:.4f} | {types} | "
            f"{run['tokens_per_second']:.0f} | {run['padding_fraction']:.1%} | {run['peak_rss_mb']:.0f} |"
        )
    return head + "\n".join(rows) + "\n"


def targets_table(res: dict) -> str:
    head = "| target | required | measured | |\n|---|---|---|---|\n"
    return head + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in verdicts(res)) + "\n"


def recipe_settings(res: dict) -> str:
    keys = ["learning_rate", "epochs", "batch_size", "warmup_ratio", "weight_decay", "label_all_tokens",
            "group_by_length", "precision"]  # fmt: skip
    head = "| setting | " + " | ".join(res["runs"]) + " |\n|---|" + "---|" * len(res["runs"]) + "\n"
    lines = [f"| {k} | " + " | ".join(str(r["recipe"][k]) for r in res["runs"].values()) + " |" for k in keys]
    return head + "\n".join(lines) + "\n"


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4))
    for name, run in res["runs"].items():
        xs = [p["train_seconds"] / 60 for p in run["curve"]]
        ys = [p["f1"] for p in run["curve"]]
        ax.plot(xs, ys, marker="o", ms=3, label=f"{name} ({run['precision']})")
    target = res["time_to_classic_f1"]["target_f1"]
    ax.axhline(target, color="grey", ls="--", lw=0.8, label=f"classic final val F1 {target:.3f}")
    ax.set_xlabel("training wall time (min, evaluation excluded)")
    ax.set_ylabel("word-level validation F1")
    ax.set_ylim(max(0.0, min(target - 0.25, 0.6)), 1.0)
    ax.set_title(f"CoNLL-2003 NER, {Path(res['checkpoint']).name or res['checkpoint']}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def render(res: dict, plot_name: str) -> str:
    m = res["machine"]
    inf = res.get("inference")
    pre = res.get("preprocessing")
    parts = [
        f"Produced by `{res['command']}` on {res['started']} — {m['cpu']}, {m['cores']} cores"
        + (f", GPU {m['gpu']}" if "gpu" in m else "")
        + f"; torch {m['torch']}, transformers {m['transformers']}, datasets {m['datasets']}; "
        f"checkpoint `{Path(res['checkpoint']).name}` ({res['checkpoint']}); data {res['data']}.\n",
        runs_table(res),
        f"![F1 against training time]({plot_name})\n",
        targets_table(res),
        recipe_settings(res),
        "Dense matmul peak measured in the same run: "
        + ", ".join(f"{k} {v * 1000:.0f} GFLOP/s" for k, v in res["matmul_peak_tflops"].items())
        + ". Useful FLOPs = 6 × non-embedding parameters × real (non-padding) tokens + attention.\n",
    ]
    if inf:
        parts.append(
            f"Inference on {inf['sentences']} validation sentences: helpers `Tagger` (batched) "
            f"{inf['tagger_batched_sps']} sentences/s; `pipeline` one sentence at a time "
            f"{inf['pipeline_single_sps']}/s; `pipeline(..., batch_size=64)` {inf['pipeline_batch64_sps']}/s.\n"
        )
    if pre:
        parts.append(
            f"Preprocessing (tokenize + align the {pre['sentences']} training sentences): {pre['seconds']} s.\n"
        )
    return "\n".join(parts)


def update_readme(path: Path, body: str, tag: str) -> None:
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    if start not in text:
        return
    new = re.sub(
        re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{body}\n{end}", text, flags=re.S
    )
    write_text_atomic(path, new)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    src = Path(argv[0] if argv else RESULTS / "recipes.json")
    res = json.loads(src.read_text(encoding="utf-8"))
    stem = src.stem
    plot_path = src.with_name(f"{stem}_f1_vs_time.png")
    plot(res, plot_path)
    md = f"# Benchmark: classic vs course recipe\n\n{render(res, plot_path.name)}"
    md_path = src.with_name(f"{stem}.md")
    write_text_atomic(md_path, md)
    print(f"wrote {md_path} and {plot_path}")
    if stem == "recipes":
        rel = plot_path.relative_to(REPO)
        body = render(res, str(rel))
        update_readme(REPO / "README.md", body, "results")
        update_readme(REPO / "README.zh.md", body, "results")


if __name__ == "__main__":
    main()
