"""CPU serving of a trained model, one run: F1, speed, size and memory of fp32, int8 and ONNX on one test set.

    python -m benchmarks.serving --model runs/ner/model          # CoNLL-2003 test (TOKCLS_DATA_DIR)
    python -m benchmarks.serving --model DIR --max-sentences 300 # a quick try
    python -m benchmarks.serving --report                        # the READMEs' serving sections from it

Exports the model (``helpers.serving``: int8, onnx, onnx-int8) into benchmarks/work/, then, for each variant
in a fresh process (so the peak memory is its own): word-level F1 on the test split (``evaluate_split``), load
time, peak resident memory. Speed: one more process loads every variant and ``pipeline("token-classification")``
on the fp32 model, and times ``Tagger.tag_text`` on the first ``--timed`` test sentences as raw text, and the
pipeline on the same sentences one per call (the way a first serving script calls it), interleaved for ``--rounds`` rounds,
best round counting: a load that drifts touches every variant alike. Writes benchmarks/results/serving.json
(and serving.md, the tables in English and Chinese). On a machine that others share, run it with
OMP_NUM_THREADS=1: two threads that wait for each other on a busy 2-core CPU ran 6x slower here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from .common import RESULTS, machine

WORK = Path(__file__).resolve().parent / "work" / "serving"
VARIANTS = (
    "fp32",
    "auto",
    "int8",
    "onnx",
    "onnx-int8",
)  # "auto": the fp32 folder in the precision auto picks


def _test_split(max_sentences: int | None):
    from helpers.data import load_conll2003

    test = load_conll2003(documents=True)["test"]
    return test.select(range(min(max_sentences, len(test)))) if max_sentences else test


def _peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts anew at exec (getrusage's ru_maxrss keeps the
    peak of the parent that forked the process, here the one that exported the models)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _load(name: str, folder: str, batch_size: int):
    from helpers.inference import Tagger

    precision = "auto" if name == "auto" else "fp32"
    return Tagger.from_pretrained(folder, device="cpu", batch_size=batch_size, precision=precision)


def measure_variant(name: str, folder: str, max_sentences: int | None, batch_size: int) -> dict:
    """Test F1 and peak memory of one variant (run it in a fresh process: the peak is then its own)."""
    from helpers.data import label_names
    from helpers.evaluation import evaluate_split

    test = _test_split(max_sentences)
    start = time.perf_counter()
    tagger = _load(name, folder, batch_size)
    load_seconds = time.perf_counter() - start
    scores = evaluate_split(tagger, test, "ner_tags", label_names(test, "ner_tags"))
    return {
        "variant": name,
        "runs_in": tagger.precision if name in ("fp32", "auto") else name,
        "f1": scores["overall_f1"],
        "load_seconds": round(load_seconds, 2),
        "peak_rss_mb": _peak_rss_mb(),
    }


def measure_speeds(
    folders: dict, max_sentences: int | None, n_timed: int, rounds: int, batch_size: int
) -> dict:
    """Sentences per second of every variant's ``tag_text`` and of the one-sentence ``pipeline``, all in one
    process and interleaved: each round times every variant once, and the best round counts. On a CPU that
    other jobs share, a load that drifts then touches every variant alike."""
    from transformers import AutoModelForTokenClassification, pipeline

    from helpers.modeling import load_tokenizer

    texts = [" ".join(t) for t in _test_split(max_sentences)["tokens"]]
    timed = texts[:n_timed]
    taggers = {name: _load(name, folder, batch_size) for name, folder in folders.items()}
    model = AutoModelForTokenClassification.from_pretrained(folders["fp32"], use_safetensors=True)
    pipe = pipeline("token-classification", model=model, tokenizer=load_tokenizer(folders["fp32"]),
                    aggregation_strategy="simple", device="cpu")  # fmt: skip
    runs = {name: (lambda t=t: t.tag_text(timed)) for name, t in taggers.items()}
    runs["pipeline"] = lambda: [pipe(text) for text in timed]
    for tagger in taggers.values():  # warm-up
        tagger.tag_text(timed[:batch_size])
    pipe(timed[0])
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: round(len(timed) / seconds, 1) for name, seconds in best.items()}


def _child(task: dict) -> dict:
    """Run one measurement in a fresh Python (own peak memory); returns its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.serving", "--child", json.dumps(task)],
        capture_output=True, text=True, env=dict(os.environ, TOKENIZERS_PARALLELISM="false"),
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{task['kind']} {task.get('name', '')} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(model: str, out: Path, max_sentences: int | None, n_timed: int, rounds: int, batch_size: int) -> dict:
    from helpers.io import display_path, write_json_atomic
    from helpers.serving import export_model, folder_bytes

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load_before = os.getloadavg()
    folders, export_seconds = {"fp32": model, "auto": model}, {}
    for fmt in ("int8", "onnx", "onnx-int8"):
        start = time.perf_counter()
        folders[fmt] = str(export_model(model, fmt, WORK / fmt, overwrite=True))
        export_seconds[fmt] = round(time.perf_counter() - start, 1)
        print(f"exported {fmt} in {export_seconds[fmt]} s", flush=True)
    rows = []
    for name in VARIANTS:
        task = {"kind": "variant", "name": name, "folder": folders[name], "max_sentences": max_sentences,
                "batch_size": batch_size}  # fmt: skip
        row = _child(task)
        row["size_mb"] = round(folder_bytes(folders[name]) / 1e6, 1)
        row["export_seconds"] = export_seconds.get(name)
        rows.append(row)
        print(json.dumps(row), flush=True)
    speeds = _child({"kind": "speeds", "folders": {v: folders[v] for v in VARIANTS}, "max_sentences": max_sentences,
                     "n_timed": n_timed, "rounds": rounds, "batch_size": batch_size})  # fmt: skip
    print(json.dumps(speeds), flush=True)
    pipe = {"variant": "pipeline", "runs_in": "fp32",
            "sentences_per_second": speeds["pipeline"], "size_mb": round(folder_bytes(model) / 1e6, 1)}  # fmt: skip
    base = rows[0]
    for row in rows:
        row["sentences_per_second"] = speeds[row["variant"]]
        row["f1_change_points"] = round(100 * (row["f1"] - base["f1"]), 2)
        row["speedup_vs_fp32_tagger"] = round(row["sentences_per_second"] / speeds["fp32"], 2)
        row["speedup_vs_pipeline_one_sentence"] = round(row["sentences_per_second"] / speeds["pipeline"], 2)
    result = {
        "command": "".join(f"{k}={os.environ[k]} " for k in ("OMP_NUM_THREADS",) if k in os.environ)
        + "python -m benchmarks.serving "
        + " ".join(sys.argv[1:]),
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "model": display_path(model),
        "data": "CoNLL-2003 test" if os.environ.get("TOKCLS_DATA_DIR") else "see helpers.data_source",
        "sentences": len(_test_split(max_sentences)),
        "timed_sentences": min(n_timed, len(_test_split(max_sentences))),
        "batch_size": batch_size,
        "rounds": rounds,
        "variants": rows,
        "pipeline": pipe,
        "targets": {"f1_within_points": 0.3, "speedup_vs_pipeline_one_sentence": 5.0},
    }
    write_json_atomic(out, result)
    write_markdown(result, out.with_suffix(".md"))
    print(report(result, "en"))
    return result


def write_markdown(result: dict, path: Path) -> None:
    """serving.md: the tables and the verdict in English and Chinese."""
    from helpers.io import write_text_atomic

    parts = [report(result, lang) + "\n\n" + verdict(result, lang) for lang in ("en", "zh")]
    write_text_atomic(path, "\n\n".join(parts) + "\n")


HEADERS = {
    "en": ("variant", "runs in", "test F1", "F1 change (points)", "sentences/s", "vs fp32 Tagger",
           "vs pipeline, one sentence per call", "size on disk (MB)", "peak memory (MB)"),
    "zh": ("变体", "运行方式", "测试集 F1", "F1 变化（百分点）", "句/秒", "相对 fp32 Tagger",
           "相对 pipeline 逐句调用", "磁盘大小（MB）", "峰值内存（MB）"),
}  # fmt: skip
NAMES = {
    "en": {"fp32": "Tagger (saved model, fp32)", "auto": "Tagger (saved model, precision auto)",
           "int8": "Tagger (int8 export)", "onnx": "Tagger (ONNX export)", "onnx-int8": "Tagger (ONNX int8 export)",
           "pipeline": "`pipeline`, one sentence per call"},
    "zh": {"fp32": "Tagger（保存的模型，fp32）", "auto": "Tagger（保存的模型，precision auto）",
           "int8": "Tagger（int8 导出）", "onnx": "Tagger（ONNX 导出）", "onnx-int8": "Tagger（ONNX int8 导出）",
           "pipeline": "`pipeline`，逐句调用"},
}  # fmt: skip


def report(result: dict, lang: str = "en") -> str:
    """The Markdown table of a serving.json result (``lang``: en or zh)."""
    head = HEADERS[lang]
    fp32 = next(r for r in result["variants"] if r["variant"] == "fp32")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result["variants"]:
        lines.append(
            f"| {NAMES[lang][r['variant']]} | {r['runs_in']} | {r['f1']:.4f} | {r['f1_change_points']:+.2f} | "
            f"{r['sentences_per_second']:.0f} | {r['speedup_vs_fp32_tagger']:.2f}× | "
            f"{r['speedup_vs_pipeline_one_sentence']:.2f}× | {r['size_mb']:.0f} | {r['peak_rss_mb']:.0f} |"
        )
    p = result["pipeline"]
    lines.append(f"| {NAMES[lang]['pipeline']} | {p['runs_in']} | | | {p['sentences_per_second']:.0f} | "
                 f"{p['sentences_per_second'] / fp32['sentences_per_second']:.2f}× | 1.00× | {p['size_mb']:.0f} | |")  # fmt: skip
    m = result["machine"]
    if lang == "en":
        note = (f"F1 on the {result['sentences']} sentences of {result['data']}; speed on the first "
                f"{result['timed_sentences']} as raw text (the pipeline too), best of "
                f"{result['rounds']} interleaved rounds in one process; peak memory: F1 run of each variant in "
                f"its own process. Model {result['model']}; {m['cpu']}, {m['cores']} cores, "
                f"{m['torch_threads']} thread(s), torch {m['torch']}; `{result['command']}`, {result['started']}.")  # fmt: skip
    else:
        data_zh = result["data"].replace(" test", " 测试集")
        data_zh += "" if data_zh.endswith("集") else " "  # no space between two Chinese characters
        note = (f"F1 基于 {data_zh}的全部 {result['sentences']} 句；速度基于其中前 {result['timed_sentences']} 句原始文本"
                f"（pipeline 相同），在同一进程中交替测 {result['rounds']} 轮取最好一轮；峰值内存取各变体在独立进程中"
                f"计算 F1 时的值。模型 {result['model']}；{m['cpu']}，{m['cores']} 核，{m['torch_threads']} 个线程，torch {m['torch']}；"
                f"`{result['command']}`，{result['started']}。")  # fmt: skip
    return "\n".join(lines) + "\n\n" + note


def meets_targets(result: dict) -> list[str]:
    """Variants within the F1 target of fp32 and at least the target speed-up over the one-sentence pipeline."""
    t = result["targets"]
    return [r["variant"] for r in result["variants"] if abs(r["f1_change_points"]) <= t["f1_within_points"]
            and r["speedup_vs_pipeline_one_sentence"] >= t["speedup_vs_pipeline_one_sentence"]]  # fmt: skip


def verdict(result: dict, lang: str = "en") -> str:
    """One paragraph: which variants meet the targets (F1 within 0.3 points of fp32, >= 5x the pipeline)."""
    ok, names = meets_targets(result), NAMES[lang]
    t = result["targets"]
    threads = result["machine"]["torch_threads"]
    load = result.get("load_average_before_after")
    if lang == "en":
        met = "; ".join(names[v] for v in ok) if ok else "no variant"
        return (f"Targets: test F1 within {t['f1_within_points']} points of fp32 and at least "
                f"{t['speedup_vs_pipeline_one_sentence']:g}× the one-sentence `pipeline`: met by {met}. "
                f"Measured with {threads} thread(s) per process while other jobs shared the CPU (load average "
                f"{load[0]} at the start, {load[1]} at the end): the ratios compare runs of one session, the "
                "absolute rates are not those of an idle machine.")  # fmt: skip
    met = "、".join(names[v] for v in ok) if ok else "没有任何变体"
    return (f"目标：测试集 F1 与 fp32 相差不超过 {t['f1_within_points']} 个百分点，速度至少是逐句调用 `pipeline` 的 "
            f"{t['speedup_vs_pipeline_one_sentence']:g} 倍；达到目标的是：{met}。测量时每个进程 {threads} 个线程，"
            f"且有其他任务同时占用 CPU（开始时平均负载 {load[0]}，结束时 {load[1]}）：比值是同一次运行内的比较，"
            "绝对速度并非空闲机器上的数字。")  # fmt: skip


def readme_section(result: dict, memory: dict | None, lang: str = "en") -> str:
    """The top README's paragraph on predicting files, exporting and the demo, with the measured figures."""
    rows = {r["variant"]: r for r in result["variants"]}
    best = max(meets_targets(result) or [r["variant"] for r in result["variants"]],
               key=lambda v: rows[v]["sentences_per_second"])  # fmt: skip
    b, fp32 = rows[best], rows["fp32"]
    runs = (memory or {}).get("runs", [])
    if lang == "en":
        mem = ""
        if len(runs) >= 2:
            mem = (f" It streams: on {runs[0]['lines']:,} and {runs[-1]['lines']:,} lines of text its peak memory "
                   f"was {runs[0]['peak_rss_mb']:.0f} and {runs[-1]['peak_rss_mb']:.0f} MB with a small stand-in "
                   "model (`benchmarks/results/predict_memory.json`).")  # fmt: skip
        return (
            "**Predict on files, demo, export.**\n\n```bash\n"
            "python -m helpers predict --model runs/ner/model --input news.txt --output news.jsonl  # .conll, .jsonl too\n"
            "python -m helpers export --model runs/ner/model --to int8 --output-dir runs/ner/int8   # or onnx, onnx-int8\n"
            "python -m helpers predict --model runs/ner/int8 --input news.txt --output news.jsonl\n"
            'python -m helpers demo --model runs/ner/model      # pip install -e ".[demo]"\n```\n\n'
            "`predict` reads raw text (one document per line), CoNLL tokens or JSON lines and writes JSON lines "
            "(words, tags, scores, character offsets, entities) or CoNLL with the tag appended; a blank line gives "
            "a blank line, an undecodable line an error record naming it." + mem + " On CoNLL-2003 test, the "
            f"{NAMES['en'][best]} scored F1 {b['f1']:.4f} (fp32 {fp32['f1']:.4f}) at "
            f"{b['speedup_vs_pipeline_one_sentence']:.1f}× the one-sentence `pipeline` and "
            f"{b['speedup_vs_fp32_tagger']:.1f}× the fp32 `Tagger`, {b['size_mb']:.0f} MB on disk: "
            "[benchmarks/README.md](benchmarks/README.md#serving) has every variant."
        )
    mem = ""
    if len(runs) >= 2:
        mem = (f"它以流式处理：用一个小型替代模型处理 {runs[0]['lines']:,} 行和 {runs[-1]['lines']:,} 行文本，峰值内存分别为 "
               f"{runs[0]['peak_rss_mb']:.0f} MB 和 {runs[-1]['peak_rss_mb']:.0f} MB"
               "（`benchmarks/results/predict_memory.json`）。")  # fmt: skip
    return (
        "**对文件预测、演示页面、导出。**\n\n```bash\n"
        "python -m helpers predict --model runs/ner/model --input news.txt --output news.jsonl  # 也支持 .conll、.jsonl\n"
        "python -m helpers export --model runs/ner/model --to int8 --output-dir runs/ner/int8   # 或 onnx、onnx-int8\n"
        "python -m helpers predict --model runs/ner/int8 --input news.txt --output news.jsonl\n"
        'python -m helpers demo --model runs/ner/model      # pip install -e ".[demo]"\n```\n\n'
        "`predict` 读取原始文本（每行一篇文档）、CoNLL 词元或 JSON lines，输出 JSON lines（词、标签、分数、字符偏移、实体）"
        "或在每行后附上标签的 CoNLL；空行输出空行，无法解码的行输出一条注明行号的错误记录。"
        + mem
        + "在 CoNLL-2003 测试集上，"
        f"{NAMES['zh'][best]}的 F1 为 {b['f1']:.4f}（fp32 为 {fp32['f1']:.4f}），速度是逐句调用 `pipeline` 的 "
        f"{b['speedup_vs_pipeline_one_sentence']:.1f} 倍、fp32 `Tagger` 的 {b['speedup_vs_fp32_tagger']:.1f} 倍，"
        f"磁盘上 {b['size_mb']:.0f} MB：各变体见 [benchmarks/README.zh.md](benchmarks/README.zh.md#serving)。"
    )


def write_readmes(result: dict) -> None:
    """The serving sections of README(.zh).md and benchmarks/README(.zh).md, from ``result``."""
    from .report import REPO, update_readme

    memory_path = RESULTS / "predict_memory.json"
    memory = json.loads(memory_path.read_text(encoding="utf-8")) if memory_path.exists() else None
    for lang, suffix in (("en", ""), ("zh", ".zh")):
        body = report(result, lang) + "\n\n" + verdict(result, lang)
        update_readme(REPO / "benchmarks" / f"README{suffix}.md", body, "serving")
        update_readme(REPO / f"README{suffix}.md", readme_section(result, memory, lang), "serving")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="folder of the saved model to serve (e.g. runs/ner/model)")
    parser.add_argument("--out", default=str(RESULTS / "serving.json"), help="result file")
    parser.add_argument("--max-sentences", type=int, default=None, help="first N test sentences only")
    parser.add_argument(
        "--timed", type=int, default=500, help="sentences every variant and the pipeline are timed on"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds (the best counts)")
    parser.add_argument(
        "--batch-size", type=int, default=16, help="Tagger batch size (16 was fastest here on one thread)"
    )
    parser.add_argument("--report", action="store_true", help="print the tables of --out and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    ns = parser.parse_args(argv)
    if ns.child:
        task = json.loads(ns.child)
        if task["kind"] == "variant":
            out = measure_variant(task["name"], task["folder"], task["max_sentences"], task["batch_size"])
        else:
            out = measure_speeds(task["folders"], task["max_sentences"], task["n_timed"], task["rounds"],
                                 task["batch_size"])  # fmt: skip
        print(json.dumps(out))
        return 0
    if ns.report:
        result = json.loads(Path(ns.out).read_text(encoding="utf-8"))
        write_markdown(result, Path(ns.out).with_suffix(".md"))
        write_readmes(result)
        print(report(result, "en") + "\n\n" + verdict(result, "en"))
        return 0
    if not ns.model:
        parser.error("--model is required (the folder `python -m helpers train` saved, e.g. runs/ner/model)")
    run(ns.model, Path(ns.out), ns.max_sentences, ns.timed, ns.rounds, ns.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
