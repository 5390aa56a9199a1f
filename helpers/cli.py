"""Command line: ``python -m helpers train|evaluate|predict``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import TokClsError


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", choices=["ner", "pos", "chunk"], default="ner", help="which tag column to learn")
    p.add_argument(
        "--data-dir", help="folder of CoNLL files (default: TOKCLS_DATA_DIR, then the Hub, then synthetic)"
    )
    p.add_argument(
        "--max-eval-samples", type=int, help="evaluate on the first N sentences of each split only"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser(
        "train", help="fine-tune, evaluate on validation and test, save model and metrics.json"
    )
    _add_common(t)
    t.add_argument(
        "--model", help="checkpoint id or folder (default: TOKCLS_MODEL, distilbert, offline MiniLM)"
    )
    t.add_argument("--epochs", type=float, help="number of epochs (default: the course recipe's)")
    t.add_argument("--learning-rate", type=float)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--recipe", choices=["course", "classic"], default="course")
    t.add_argument(
        "--label-all-tokens", action="store_true", help="label continuation subtokens too (B-X → I-X)"
    )
    t.add_argument("--max-train-samples", type=int, help="train on the first N sentences only")
    t.add_argument(
        "--eval-steps", type=int, help="evaluate and checkpoint every N steps instead of every epoch"
    )
    t.add_argument("--output-dir", default=None, help="default: runs/<task>")
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    t.add_argument(
        "--resume", action="store_true", help="continue from the last checkpoint in the output folder"
    )
    t.add_argument("--reinit-head", action="store_true", help="replace a classification head of another size")
    t.add_argument(
        "--no-checkpoints",
        action="store_true",
        help="save only the final model, no intermediate checkpoints (less disk; --resume then has nothing)",
    )

    e = sub.add_parser("evaluate", help="score a saved model at word level and write metrics.json")
    _add_common(e)
    e.add_argument("--model", required=True, help="folder of a saved model (e.g. runs/ner/model)")
    e.add_argument("--split", default="validation", choices=["validation", "test", "train"])
    e.add_argument("--output-dir", required=True, help="where metrics.json goes")
    e.add_argument("--batch-size", type=int, default=32)

    p = sub.add_parser("predict", help="tag sentences from arguments, a file or stdin")
    p.add_argument("--model", required=True, help="folder of a saved model")
    p.add_argument("text", nargs="*", help="sentences to tag (default: one per line from --input or stdin)")
    p.add_argument("--input", help="text file, one sentence per line")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--json", action="store_true", help="print JSON lines instead of a readable listing")
    return parser


def cmd_train(args) -> int:
    from .metrics import format_table
    from .training import CLASSIC_RECIPE, COURSE_RECIPE, TrainConfig, train, with_overrides

    recipe = COURSE_RECIPE if args.recipe == "course" else CLASSIC_RECIPE
    recipe = with_overrides(
        recipe,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        label_all_tokens=True if args.label_all_tokens else None,
    )
    cfg = TrainConfig(
        task=args.task,
        data_dir=args.data_dir,
        model=args.model,
        output_dir=args.output_dir or f"runs/{args.task}",
        recipe=recipe,
        epochs=args.epochs,
        max_train_samples=args.max_train_samples,
        max_eval_samples=args.max_eval_samples,
        seed=args.seed,
        eval_steps=args.eval_steps,
        overwrite=args.overwrite,
        resume=args.resume,
        reinit_head=args.reinit_head,
        save_checkpoints=not args.no_checkpoints,
    )
    results = train(cfg)
    for split in ("validation", "test"):
        if split in results:
            print(f"\n{split} ({results['checkpoint']}, word level):\n{format_table(results[split])}")
    print(f"\nTraining took {results['train_seconds']} s. Model saved to {results['model_dir']}")
    print(f"Metrics written to {Path(cfg.output_dir) / 'metrics.json'}")
    return 0


def cmd_evaluate(args) -> int:
    from .data import label_names, load_conll2003, smoke_subset
    from .evaluation import evaluate_with_tagger
    from .inference import Tagger
    from .io import write_json_atomic
    from .labels import task_column
    from .metrics import format_table
    from .training import limit_samples

    column = task_column(args.task)
    ds = limit_samples(smoke_subset(load_conll2003(args.data_dir)), None, args.max_eval_samples)
    tagger = Tagger.from_pretrained(args.model, batch_size=args.batch_size)
    names = label_names(ds, column)
    result = evaluate_with_tagger(tagger, ds[args.split], column, names)
    out = {"task": args.task, "model": args.model, "split": args.split, args.split: result}
    write_json_atomic(Path(args.output_dir) / "metrics.json", out)
    print(f"{args.split} (word level):\n{format_table(result)}")
    print(f"Metrics written to {Path(args.output_dir) / 'metrics.json'}")
    return 0


def cmd_predict(args) -> int:
    from .inference import Tagger

    if args.text:
        lines = args.text
    else:
        stream = open(args.input, encoding="utf-8") if args.input else sys.stdin
        with stream:
            lines = [ln.rstrip("\n") for ln in stream if ln.strip()]
    tagger = Tagger.from_pretrained(args.model, batch_size=args.batch_size)
    for line, sent in zip(lines, tagger.tag_text(lines)):
        if args.json:
            ents = [e.__dict__ for e in sent.entities]
            print(
                json.dumps(
                    {"text": line, "words": sent.words, "tags": sent.tags, "entities": ents},
                    ensure_ascii=False,
                )
            )
        else:
            print(" ".join(f"{w}/{t}" for w, t in zip(sent.words, sent.tags)))
            for e in sent.entities:
                print(f"  {e.type:<6} {e.start:>4}-{e.end:<4} {e.text!r} ({e.score:.3f})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict}[args.command]
    try:
        return handler(args)
    except (TokClsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
