"""Offline Chinese NER: which model learns Chinese characters without the Hub, scored on generated AND real text.

Every candidate is trained by ``helpers.train`` on the generated corpus of ``helpers.synthetic_zh``
(``helpers.chinese.prepare_checkpoint`` / ``character_bert`` build the checkpoints) and scored on
(a) the generated validation and test splits, (b) the 60 hand-written sentences of
``helpers.chinese.example_annotations("dev")`` (the development set: looked at while choosing) and
(c) the hand-written sentences of ``example_annotations("test")`` (the held-out set: only ever scored here).

    python -m benchmarks.chinese            # every row: 3,000 sentences, 2 epochs (about 3 minutes a row, 2 idle cores)
    python -m benchmarks.chinese --quick    # 1,000 sentences, 2 epochs (about 10 minutes a row on 2 busy cores)
    python -m benchmarks.chinese --rows minilm-added-10x --train 1500

Writes ``benchmarks/results/chinese{,_quick}.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import RESULTS, machine


@dataclass(frozen=True)
class Candidate:
    """One offline model: how its checkpoint is built and how fast its embeddings learn."""

    name: str
    description: str
    # "minilm": the bundled model through prepare_checkpoint; "scratch": character_bert
    checkpoint: str = "minilm"
    embedding_lr: float = 10.0  # multiplier of the learning rate for the input embeddings
    varied: bool = False  # train on the varied generator (helpers.synthetic_zh, varied=True) or the plain one
    masked: float = 0.0  # share of training characters replaced by [UNK] (helpers.chinese.mask_characters)


CANDIDATES = [
    Candidate("minilm-added-1x", "bundled MiniLM + training characters, embeddings at the recipe's LR", embedding_lr=1.0),
    Candidate("minilm-added-10x", "bundled MiniLM + training characters, embeddings at 10x the LR"),
    Candidate("char-bert-scratch", "4-layer 256-wide BERT, character vocabulary, from scratch", "scratch", 1.0),
    Candidate("minilm-added-10x-varied", "minilm-added-10x trained on the varied generator", varied=True),
    Candidate(
        "minilm-added-10x-varied-masked",
        "minilm-added-10x-varied with 10% of the training characters replaced by [UNK]",
        varied=True,
        masked=0.1,
    ),
]  # fmt: skip

FULL = {"train": 3000, "eval": 300, "epochs": 2.0}
QUICK = {"train": 1000, "eval": 200, "epochs": 2.0}


def _scores(metrics: dict) -> dict:
    keep = {"f1": "overall_f1", "precision": "overall_precision", "recall": "overall_recall"}
    out = {k: round(metrics[v], 3) for k, v in keep.items()}
    out["per_type_f1"] = {t: round(s["f1"], 3) for t, s in metrics.get("per_type", {}).items()}
    return out


def hand_written(which: str):
    """The hand-written sentences of ``which`` ("dev" or "test") as a dataset with the corpus's label names."""
    from helpers.chinese import ZH_LABELS, example_records
    from helpers.data import records_to_dataset

    return records_to_dataset(
        example_records(which), ZH_LABELS, source=f"helpers.chinese hand-written {which}"
    )


def run_candidate(cand: Candidate, sizes: dict, seed: int, work: Path) -> dict:
    """Train one candidate with ``helpers.train`` and score it on the generated and hand-written sets."""
    import helpers
    from helpers.chinese import character_bert, faster_embeddings, mask_characters, synthetic_chinese
    from helpers.evaluation import evaluate_split

    ds = synthetic_chinese(
        sizes={"train": sizes["train"], "validation": sizes["eval"], "test": sizes["eval"]},
        varied=cand.varied,
    )
    if cand.masked:
        ds["train"] = mask_characters(ds["train"], cand.masked, seed=seed)
    train_tokens = ds["train"]["tokens"]
    if cand.checkpoint == "scratch":
        model = character_bert(train_tokens, work / "scratch", seed=seed)
    else:
        model = None  # helpers.train resolves the bundled model offline and extends it (prepare_checkpoint)
    cfg = helpers.TrainConfig(
        model=model, language="zh", output_dir=str(work / "run"), epochs=sizes["epochs"], seed=seed,
        overwrite=True, save_checkpoints=False,
    )  # fmt: skip
    # an explicit setup replaces the optimizer that prepare_checkpoint's setup built (it runs after it)
    start = time.perf_counter()
    result = helpers.train(cfg, ds=ds, setup=faster_embeddings(cand.embedding_lr))
    row = {
        "name": cand.name,
        "description": cand.description,
        "checkpoint": Path(result["checkpoint"]).name,
        "embedding_lr_multiplier": cand.embedding_lr,
        "generator": "varied" if cand.varied else "plain",
        "masked_characters": cand.masked,
        "vocabulary": len(helpers.load_tokenizer(result["model_dir"])),
        "train_seconds": result["train_seconds"],
        "seconds": round(time.perf_counter() - start, 1),
        "generated_validation": _scores(result["validation"]),
        "generated_test": _scores(result["test"]),
    }
    for which in ("dev", "test"):
        row[f"hand_written_{which}"] = _scores(
            evaluate_split(result["model_dir"], hand_written(which), "ner_tags")
        )
    return row


def markdown(res: dict) -> str:
    """A short report of a result file."""
    m = res["machine"]
    lines = [
        "# Offline Chinese NER candidates",
        "",
        f"Command: `{res['command']}` · machine: {m['cpu']}, {m['cores']} cores, torch {m['torch']}",
        "",
        f"Training data: {res['sizes']['train']} generated sentences, {res['sizes']['epochs']:g} epoch(s), course "
        f"recipe; generated validation/test: {res['sizes']['eval']} sentences each; hand-written development "
        f"set: {res['hand_written_sizes']['dev']} sentences (looked at while choosing), hand-written held-out "
        f"test set: {res['hand_written_sizes']['test']} sentences (scored only here).",
        "",
        "| row | generated val F1 | generated test F1 | hand dev F1 (P / R) | hand test F1 (P / R) | train s |",
        "|---|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        d, t = r["hand_written_dev"], r["hand_written_test"]
        lines.append(
            f"| {r['name']} | {r['generated_validation']['f1']:.3f} | {r['generated_test']['f1']:.3f} | "
            f"{d['f1']:.3f} ({d['precision']:.3f} / {d['recall']:.3f}) | "
            f"{t['f1']:.3f} ({t['precision']:.3f} / {t['recall']:.3f}) | {r['train_seconds']:.0f} |"
        )
    lines += ["", *(f"- `{r['name']}`: {r['description']}" for r in res["rows"]), ""]
    return "\n".join(lines)


def _public_args(argv: list[str]) -> list[str]:
    """The command-line arguments without ``--keep DIR`` (a local folder, not part of the measurement)."""
    out, skip = [], False
    for arg in argv:
        if skip or arg.startswith("--keep="):
            skip = False
            continue
        skip = arg == "--keep"
        if not skip:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 training sentences, 200 evaluation ones")
    parser.add_argument("--rows", help="comma-separated candidate names (default: all)")
    parser.add_argument("--train", type=int, help="generated training sentences")
    parser.add_argument("--eval", type=int, help="generated validation/test sentences")
    parser.add_argument("--epochs", type=float, help="training epochs")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", help="result file stem (default: chinese or chinese_quick)")
    parser.add_argument(
        "--keep", help="keep each row's trained model in KEEP/<row> (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    sizes.update(
        {k: v for k, v in (("train", args.train), ("eval", args.eval), ("epochs", args.epochs)) if v}
    )
    by_name = {c.name: c for c in CANDIDATES}
    names = args.rows.split(",") if args.rows else list(by_name)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        parser.error(f"unknown rows {unknown}; known: {list(by_name)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the offline path is what is measured
    for name in ("TOKCLS_SMOKE", "TOKCLS_EPOCHS"):
        os.environ.pop(name, None)
    from helpers.chinese import example_records

    res = {
        "command": " ".join(["python -m benchmarks.chinese", *_public_args(argv or [])]),
        "machine": machine(),
        "sizes": sizes,
        "hand_written_sizes": {w: len(example_records(w)) for w in ("dev", "test")},
        "sets": {
            "generated_validation/test": "helpers.synthetic_zh, seed 13 (names partly held out of train)",
            "hand_written_dev": "example_annotations('dev'): 60 sentences, looked at while choosing the model",
            "hand_written_test": "example_annotations('test'): held-out sentences, scored only by this command",
        },
        "rows": [],
    }
    stem = args.out or ("chinese_quick" if args.quick else "chinese")
    for name in names:
        if args.keep:
            row = run_candidate(by_name[name], sizes, args.seed, Path(args.keep) / name)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                row = run_candidate(by_name[name], sizes, args.seed, Path(tmp))
        res["rows"].append(row)
        print(json.dumps({k: row[k] for k in ("name", "hand_written_dev", "hand_written_test")}), flush=True)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{stem}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", "utf-8")
        (RESULTS / f"{stem}.md").write_text(markdown(res), "utf-8")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
