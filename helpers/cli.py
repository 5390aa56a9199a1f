"""Command line: ``python -m helpers train|evaluate|predict``.

The options of ``train`` and ``evaluate`` are built from dataclass fields (:mod:`helpers.options`):
``TrainConfig`` and ``Recipe`` in helpers.training, ``DataFiles`` and ``EvalConfig`` here. A new field is a
new option, with its help text and its default shown once.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataFormatError, TokClsError
from .labels import SCHEMES
from .options import add_options, from_namespace, option
from .precision import is_main_process, quiet_on_other_processes
from .readers import CONLL_COLUMNS, FORMATS, csv_tag_field, guess_format

if TYPE_CHECKING:
    from datasets import DatasetDict

    from .training import TrainConfig


@dataclass
class DataFiles:
    """Your own files, one per split, all in one format (instead of a CoNLL-2003 folder)."""

    train_file: str | None = option(None, "your training file (any name)")
    validation_file: str | None = option(None, "validation file (None: hold out --validation-share of train)")
    test_file: str | None = option(None, "test file")
    format: str | None = option(None, "file format (None: from the extension)", choices=FORMATS)
    columns: str | None = option(
        None,
        "CoNLL column names, e.g. tokens,ner_tags or tokens,_,chunk_tags (None: 2 columns are tokens and the "
        "task's tags, 3 tokens,pos_tags,chunk_tags, 4 CoNLL-2003's)",
    )
    tag_column: str | None = option(
        None,
        "the JSON/CSV field or CoNLL column holding the tags (None: the task's, e.g. ner_tags; CSV ner_tag)",
    )
    scheme: str = option("auto", "tag scheme of the files (converted to IOB2)", choices=(*SCHEMES, "auto"))
    validation_share: float = option(
        0.1, "share of train held out as validation when no validation file is given"
    )


@dataclass
class EvalConfig:
    """What ``evaluate`` scores and where it writes."""

    model: str | None = option(None, "folder of a saved model (e.g. runs/ner/model)", required=True)
    split: str | None = option(
        None,
        "split to score (None: validation, or the split of the only file given)",
        choices=("train", "validation", "test"),
    )
    output_dir: str | None = option(None, "where metrics.json goes", required=True)
    batch_size: int = option(32, "sentences per batch")


_SHARED_WITH_TRAIN = ("task", "data_dir", "max_eval_samples")  # evaluate's options declared in TrainConfig


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m helpers``; the options of train and evaluate come from the dataclasses."""
    from .training import CLASSIC_RECIPE, COURSE_RECIPE, Recipe, TrainConfig

    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser(
        "train", help="fine-tune, evaluate on validation and test, save model and metrics.json"
    )
    taken = add_options(t, TrainConfig)
    recipes = t.add_argument_group("recipe", "the recipe sets these; an option given here overrides it")
    recipes.add_argument(
        "--recipe",
        choices=["course", "base", "classic"],
        default="course",
        help="course: measured on a 384-wide encoder, and base-size (768-wide) checkpoints get base unless an "
        "option below is given; base: for base-size encoders; classic: the classic notebook's (default: course)",
    )
    add_options(
        recipes,
        Recipe,
        skip=taken,
        defaults=lambda f: (
            f"course {getattr(COURSE_RECIPE, f.name)}, classic {getattr(CLASSIC_RECIPE, f.name)}"
        ),
    )
    add_options(t.add_argument_group("your own files"), DataFiles)

    e = sub.add_parser("evaluate", help="score a saved model at word level and write metrics.json")
    shared = [f.name for f in fields(TrainConfig) if f.name not in _SHARED_WITH_TRAIN]
    add_options(e, TrainConfig, skip=shared)
    add_options(e, EvalConfig)
    add_options(e.add_argument_group("your own files"), DataFiles, skip=("validation_share",))

    p = sub.add_parser("predict", help="tag sentences from arguments, a file or stdin")
    p.add_argument("--model", required=True, help="folder of a saved model")
    p.add_argument("text", nargs="*", help="sentences to tag (default: one per line from --input or stdin)")
    p.add_argument("--input", help="text file, one sentence per line")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per batch (default: 32)")
    p.add_argument("--json", action="store_true", help="print JSON lines instead of a readable listing")
    return parser


# --------------------------------------------------------------------------------------------------
# your own files


def _split_files(files: DataFiles) -> dict[str, str]:
    pairs = (("train", files.train_file), ("validation", files.validation_file), ("test", files.test_file))
    return {split: path for split, path in pairs if path}


def _conll_width(path: str) -> int:
    """Number of fields on the first token line of a CoNLL file (0 if there is none)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] != "-DOCSTART-":
                return len(parts)
    return 0


def _conll_columns(files: DataFiles, column: str, path: str) -> tuple[str | None, ...]:
    """The CoNLL column names (``--columns`` or guessed from the width), the tag column renamed to ``column``."""
    if files.columns:
        names = [c.strip() or None for c in files.columns.split(",")]
    else:
        width = _conll_width(path)
        layouts = {2: ("tokens", column), 3: ("tokens", "pos_tags", "chunk_tags"), 4: CONLL_COLUMNS}
        if width not in layouts or column not in layouts[width]:
            raise DataFormatError(
                f"cannot guess the layout of {width} columns for {column!r}; pass --columns, e.g. tokens,{column}",
                path,
            )
        names = list(layouts[width])
    source = files.tag_column or (column if column in names else None)
    if source is None:
        tags = [c for c in names if c not in (None, "_", "tokens")]
        if len(tags) != 1:
            raise DataFormatError(f"which of the columns {tags} holds the tags? pass --tag-column", path)
        source = tags[0]
    if source not in names:
        raise DataFormatError(f"--tag-column {source!r} is not one of the columns {names}", path)
    return tuple(column if c == source else c for c in names)


def _reader_options(fmt: str, files: DataFiles, column: str, path: str) -> dict:
    """Keyword arguments of the reader of ``fmt`` so that the tags land in ``column``."""
    if fmt == "conll":
        cols = _conll_columns(files, column, path)
        return {
            "columns": cols,
            "input_scheme": files.scheme,
            "scheme_columns": [] if column == "pos_tags" else [column],
        }
    if fmt == "conllu":
        if column != "pos_tags":
            raise DataFormatError("CoNLL-U files hold part-of-speech tags: use --task pos", path)
        return {}
    if fmt == "spans":
        return {"tag_field": column}
    if fmt in ("csv", "tsv"):
        field = files.tag_column or csv_tag_field(column)
    else:
        field = files.tag_column or column
    return {"tag_fields": (field,), "record_tag_fields": (column,), "input_scheme": files.scheme}


def load_files(
    files: DataFiles, column: str, *, label_names: list[str] | None = None, seed: int = 42
) -> DatasetDict:
    """A DatasetDict from your own files with the tags in ``column``; without a validation file (and with a
    training file) ``validation_share`` of train is held out with ``seed``, and that is printed."""
    from datasets import DatasetDict

    from .data import load_token_files

    paths = _split_files(files)
    first = next(iter(paths.values()))
    fmt = files.format or guess_format(first)
    labels = {column: label_names} if label_names is not None else None
    ds = load_token_files(paths, format=fmt, label_names=labels, **_reader_options(fmt, files, column, first))
    print(f"Data: {', '.join(f'{s} {p} ({len(ds[s])} sentences)' for s, p in paths.items())}, format {fmt}")
    if "train" in ds and "validation" not in ds:
        share = files.validation_share
        if not 0 < share < 1:
            raise DataFormatError(f"--validation-share must be between 0 and 1, not {share}", first)
        parts = ds["train"].train_test_split(test_size=share, seed=seed)
        ds = DatasetDict(
            {
                "train": parts["train"],
                "validation": parts["test"],
                **{k: v for k, v in ds.items() if k != "train"},
            }
        )
        print(
            f"No --validation-file: holding out {share:.0%} of the training file as validation "
            f"({len(ds['validation'])} sentences, seed {seed}); training on {len(ds['train'])}."
        )
    return ds


# --------------------------------------------------------------------------------------------------
# commands


def train_config(ns: argparse.Namespace) -> tuple[TrainConfig, DataFiles]:
    """The ``TrainConfig`` (recipe included) and ``DataFiles`` that parsed ``train`` options describe."""
    from .training import BASE_RECIPE, CLASSIC_RECIPE, COURSE_RECIPE, Recipe, TrainConfig, with_overrides

    recipe = {"course": COURSE_RECIPE, "base": BASE_RECIPE, "classic": CLASSIC_RECIPE}[ns.recipe]
    own = {f.name for f in fields(TrainConfig)}  # e.g. epochs: an option of TrainConfig, not of the recipe
    recipe = with_overrides(
        recipe, **{f.name: getattr(ns, f.name) for f in fields(Recipe) if f.name not in own}
    )
    return from_namespace(TrainConfig, ns, recipe=recipe), from_namespace(DataFiles, ns)


def cmd_train(ns: argparse.Namespace) -> int:
    from .metrics import format_table
    from .training import train

    cfg, files = train_config(ns)
    ds = None
    if _split_files(files):
        if files.train_file is None:
            raise DataFormatError("--validation-file and --test-file need a --train-file")
        if cfg.data_dir:
            raise DataFormatError("give either --data-dir or --train-file, not both")
        ds = load_files(files, cfg.label_column, seed=cfg.seed)
    results = train(cfg, ds=ds)
    if not is_main_process():  # under torchrun / accelerate launch, rank 0 reports and writes
        return 0
    for split in ("validation", "test"):
        if split in results:
            print(f"\n{split} (word level):\n{format_table(results[split])}")  # the model was named above
    print(f"\nTraining took {results['train_seconds']} s. Model saved to {results['model_dir']}")
    print(f"Metrics written to {Path(cfg.output_dir) / 'metrics.json'}")
    return 0


def cmd_evaluate(ns: argparse.Namespace) -> int:
    from transformers import AutoConfig

    from .coverage import check_unknown_words
    from .data import label_names, load_conll2003, smoke_subset
    from .evaluation import evaluate_split
    from .io import write_json_atomic
    from .labels import task_column
    from .metrics import format_table
    from .modeling import load_tokenizer
    from .training import limit_samples

    if not is_main_process():  # under a launcher the main process evaluates alone: one writer
        return 0
    column = task_column(ns.task)
    files = from_namespace(DataFiles, ns)
    paths = _split_files(files)
    if paths:
        names = list(AutoConfig.from_pretrained(ns.model).id2label.values())  # the model's label ids
        ds = load_files(files, column, label_names=names)
    else:
        ds = load_conll2003(ns.data_dir, documents=True)  # a model trained with document context reads them
    split = ns.split or (next(iter(paths)) if len(paths) == 1 else "validation")
    if split not in ds:
        raise DataFormatError(f"there is no {split} split here (splits: {', '.join(ds)})")
    ds = limit_samples(smoke_subset(ds), None, ns.max_eval_samples)
    names = label_names(ds, column)
    unknown = check_unknown_words(load_tokenizer(ns.model), ds[split]["tokens"])
    result = evaluate_split(ns.model, ds[split], column, names, batch_size=ns.batch_size)
    out = {"task": ns.task, "model": ns.model, "split": split, **unknown, split: result}
    write_json_atomic(Path(ns.output_dir) / "metrics.json", out)
    print(f"{split} (word level):\n{format_table(result)}")
    print(f"Words that are [UNK] only: {unknown['unk_share']:.1%}")
    print(f"Metrics written to {Path(ns.output_dir) / 'metrics.json'}")
    return 0


def cmd_predict(ns: argparse.Namespace) -> int:
    from .inference import Tagger

    if ns.text:
        lines = ns.text
    else:
        stream = open(ns.input, encoding="utf-8") if ns.input else sys.stdin
        with stream:
            lines = [ln.rstrip("\n") for ln in stream if ln.strip()]
    tagger = Tagger.from_pretrained(ns.model, batch_size=ns.batch_size)
    for line, sent in zip(lines, tagger.tag_text(lines)):  # Chinese/Japanese text: one word per character
        if ns.json:
            ents = [e.__dict__ for e in sent.entities]
            record = {"text": line, "words": sent.words, "tags": sent.tags, "entities": ents}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(" ".join(f"{w}/{t}" for w, t in zip(sent.words, sent.tags)))
            for e in sent.entities:
                print(f"  {e.type:<6} {e.start:>4}-{e.end:<4} {e.text!r} ({e.score:.3f})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m helpers`` with ``argv``; errors in the input are printed and give exit status 2."""
    ns = build_parser().parse_args(argv)
    handler = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict}[ns.command]
    try:
        with quiet_on_other_processes():
            return handler(ns)
    except (TokClsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
