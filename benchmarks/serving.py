"""CPU serving of a trained model, one run: F1, speed, size and memory of fp32, int8 and ONNX on one test set.

    python -m benchmarks.serving --model runs/ner/model          # CoNLL-2003 test (TOKCLS_DATA_DIR)
    python -m benchmarks.serving --model DIR --max-sentences 300 # a quick try
    python -m benchmarks.serving --report                        # the README table from the last result

Exports the model (``helpers.serving``: int8, onnx, onnx-int8) into benchmarks/work/, then measures each
variant in a fresh process (its own peak memory): word-level F1 on the test split (``evaluate_split``),
sentences per second of ``Tagger.tag_text`` on the same sentences as raw text, model size on disk and peak
resident memory; and ``pipeline("token-classification")`` on the fp32 model one sentence at a time, the way a
first serving script calls it. Writes benchmarks/results/serving.json (and serving.md, the table in English
and Chinese). Timings are the best of ``--repeats`` passes. On a machine that others share, run it with
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


def _best_rate(fn, n: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return round(n / best, 1)


def measure_variant(name: str, folder: str, max_sentences: int | None, repeats: int, batch_size: int) -> dict:
    """F1 and speed of one variant, in this process (run it in a child for its own peak memory)."""
    from helpers.data import label_names
    from helpers.evaluation import evaluate_split
    from helpers.inference import Tagger

    test = _test_split(max_sentences)
    start = time.perf_counter()
    precision = "auto" if name == "auto" else "fp32"
    tagger = Tagger.from_pretrained(folder, device="cpu", batch_size=batch_size, precision=precision)
    load_seconds = time.perf_counter() - start
    texts = [" ".join(t) for t in test["tokens"]]
    tagger.tag_text(texts[:batch_size])  # warm-up
    rate = _best_rate(lambda: tagger.tag_text(texts), len(texts), repeats)
    scores = evaluate_split(tagger, test, "ner_tags", label_names(test, "ner_tags"))
    return {
        "variant": name,
        "runs_in": tagger.precision if name in ("fp32", "auto") else name,
        "f1": scores["overall_f1"],
        "sentences_per_second": rate,
        "load_seconds": round(load_seconds, 2),
        "peak_rss_mb": _peak_rss_mb(),
    }


def measure_pipeline(folder: str, max_sentences: int | None, n_single: int, repeats: int) -> dict:
    """``pipeline("token-classification")`` on the fp32 model, one sentence per call."""
    from transformers import AutoModelForTokenClassification, pipeline

    from helpers.modeling import load_tokenizer

    texts = [" ".join(t) for t in _test_split(max_sentences)["tokens"]][:n_single]
    model = AutoModelForTokenClassification.from_pretrained(folder, use_safetensors=True)
    pipe = pipeline("token-classification", model=model, tokenizer=load_tokenizer(folder),
                    aggregation_strategy="simple", device="cpu")  # fmt: skip
    for text in texts[:8]:
        pipe(text)

    def one_at_a_time():
        for text in texts:
            pipe(text)

    return {
        "variant": "pipeline (one sentence per call)",
        "runs_in": str(next(model.parameters()).dtype).replace("torch.", ""),
        "sentences": len(texts),
        "sentences_per_second": _best_rate(one_at_a_time, len(texts), repeats),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _child(task: dict) -> dict:
    """Run one measurement in a fresh Python (own peak memory); returns its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.serving", "--child", json.dumps(task)],
        capture_output=True, text=True, env=dict(os.environ, TOKENIZERS_PARALLELISM="false"),
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{task['kind']} {task.get('name', '')} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(
    model: str, out: Path, max_sentences: int | None, n_single: int, repeats: int, batch_size: int
) -> dict:
    import torch

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
                "repeats": repeats, "batch_size": batch_size}  # fmt: skip
        row = _child(task)
        row["size_mb"] = round(folder_bytes(folders[name]) / 1e6, 1)
        row["export_seconds"] = export_seconds.get(name)
        rows.append(row)
        print(json.dumps(row), flush=True)
    pipe = _child({"kind": "pipeline", "folder": model, "max_sentences": max_sentences, "n_single": n_single,
                   "repeats": repeats})  # fmt: skip
    pipe["size_mb"] = round(folder_bytes(model) / 1e6, 1)
    print(json.dumps(pipe), flush=True)
    base = rows[0]
    for row in rows:
        row["f1_change_points"] = round(100 * (row["f1"] - base["f1"]), 2)
        row["speedup_vs_fp32_tagger"] = round(row["sentences_per_second"] / base["sentences_per_second"], 2)
        row["speedup_vs_pipeline_one_sentence"] = round(
            row["sentences_per_second"] / pipe["sentences_per_second"], 2
        )
    result = {
        "command": "".join(f"{k}={os.environ[k]} " for k in ("OMP_NUM_THREADS",) if k in os.environ)
        + "python -m benchmarks.serving "
        + " ".join(sys.argv[1:]),
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "torch_threads": torch.get_num_threads(),
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "model": display_path(model),
        "data": "CoNLL-2003 test" if os.environ.get("TOKCLS_DATA_DIR") else "see helpers.data_source",
        "sentences": len(_test_split(max_sentences)),
        "batch_size": batch_size,
        "repeats": repeats,
        "variants": rows,
        "pipeline": pipe,
        "targets": {"f1_within_points": 0.3, "speedup_vs_pipeline_one_sentence": 5.0},
    }
    write_json_atomic(out, result)
    (out.with_suffix(".md")).write_text(
        report(result, "en") + "\n\n" + report(result, "zh") + "\n", encoding="utf-8"
    )
    print(report(result, "en"))
    return result


HEADERS = {
    "en": ("variant", "runs in", "test F1", "F1 change (points)", "sentences/s", "vs fp32 Tagger",
           "vs pipeline, one sentence per call", "size on disk (MB)", "peak memory (MB)"),
    "zh": ("变体", "运行方式", "测试集 F1", "F1 变化（百分点）", "句/秒", "相对 fp32 Tagger",
           "相对 pipeline 逐句调用", "磁盘大小（MB）", "峰值内存（MB）"),
}  # fmt: skip
NAMES = {
    "en": {"fp32": "Tagger, saved model", "auto": "Tagger, saved model, precision auto", "int8": "Tagger, int8 export",
           "onnx": "Tagger, ONNX export", "onnx-int8": "Tagger, ONNX int8 export", "pipeline": "`pipeline`, one sentence per call"},
    "zh": {"fp32": "Tagger，保存的模型", "auto": "Tagger，保存的模型，precision auto", "int8": "Tagger，int8 导出",
           "onnx": "Tagger，ONNX 导出", "onnx-int8": "Tagger，ONNX int8 导出", "pipeline": "`pipeline`，逐句调用"},
}  # fmt: skip


def report(result: dict, lang: str = "en") -> str:
    """The Markdown table of a serving.json result (``lang``: en or zh)."""
    head = HEADERS[lang]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result["variants"]:
        lines.append(
            f"| {NAMES[lang][r['variant']]} | {r['runs_in']} | {r['f1']:.4f} | {r['f1_change_points']:+.2f} | "
            f"{r['sentences_per_second']:.0f} | {r['speedup_vs_fp32_tagger']:.2f}× | "
            f"{r['speedup_vs_pipeline_one_sentence']:.2f}× | {r['size_mb']:.0f} | {r['peak_rss_mb']:.0f} |"
        )
    p = result["pipeline"]
    lines.append(f"| {NAMES[lang]['pipeline']} | {p['runs_in']} | | | {p['sentences_per_second']:.0f} | | 1.00× | "
                 f"{p['size_mb']:.0f} | {p['peak_rss_mb']:.0f} |")  # fmt: skip
    m = result["machine"]
    if lang == "en":
        note = (f"{result['sentences']} sentences of {result['data']}, model {result['model']}; {m['cpu']}, "
                f"{m['cores']} cores, torch {m['torch']}; the pipeline timed on its first {p['sentences']}; "
                f"`{result['command']}`, {result['started']}.")  # fmt: skip
    else:
        note = (f"{result['data']} 的 {result['sentences']} 句，模型 {result['model']}；{m['cpu']}，{m['cores']} 核，"
                f"torch {m['torch']}；pipeline 计时用其中前 {p['sentences']} 句；`{result['command']}`，{result['started']}。")  # fmt: skip
    return "\n".join(lines) + "\n\n" + note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="folder of the saved model to serve (e.g. runs/ner/model)")
    parser.add_argument("--out", default=str(RESULTS / "serving.json"), help="result file")
    parser.add_argument("--max-sentences", type=int, default=None, help="first N test sentences only")
    parser.add_argument(
        "--single", type=int, default=300, help="sentences the one-at-a-time pipeline is timed on"
    )
    parser.add_argument("--repeats", type=int, default=2, help="timing passes per variant (the best counts)")
    parser.add_argument("--batch-size", type=int, default=64, help="Tagger batch size")
    parser.add_argument("--report", action="store_true", help="print the tables of --out and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    ns = parser.parse_args(argv)
    if ns.child:
        task = json.loads(ns.child)
        if task["kind"] == "variant":
            out = measure_variant(task["name"], task["folder"], task["max_sentences"], task["repeats"],
                                  task["batch_size"])  # fmt: skip
        else:
            out = measure_pipeline(task["folder"], task["max_sentences"], task["n_single"], task["repeats"])
        print(json.dumps(out))
        return 0
    if ns.report:
        result = json.loads(Path(ns.out).read_text(encoding="utf-8"))
        print(report(result, "en") + "\n\n" + report(result, "zh"))
        return 0
    if not ns.model:
        parser.error("--model is required (the folder `python -m helpers train` saved, e.g. runs/ner/model)")
    run(ns.model, Path(ns.out), ns.max_sentences, ns.single, ns.repeats, ns.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
