"""Command line: ``python -m helpers train|evaluate|predict|export|demo``.

The options of ``train`` and ``evaluate`` are built from dataclass fields (:mod:`helpers.options`):
``TrainConfig`` and ``Recipe`` in helpers.config, ``DataFiles`` and ``EvalConfig`` here. A new field is a
new option, with its help text and its default shown once.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from .decoding import DECODINGS, DEFAULT_DECODING
from .errors import DataFormatError, TokClsError
from .labels import SCHEMES, SEGMENTATION_TASKS
from .options import add_options, from_namespace, option
from .precision import is_main_process, quiet_on_other_processes
from .predict_files import INPUT_FORMATS, OUTPUT_FORMATS
from .readers import CONLL_COLUMNS, FORMATS, csv_tag_field, guess_format
from .serving import EXPORT_FORMATS

if TYPE_CHECKING:
    from datasets import DatasetDict

    from .config import TrainConfig


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
    language: str | None = option(
        None,
        "language to score on without file options: en (CoNLL-2003) or zh (Chinese NER) (None: the one the "
        "model was trained on, recorded in its config)",
        choices=("en", "zh"),
    )


# evaluate's options declared in TrainConfig
_SHARED_WITH_TRAIN = ("task", "data_dir", "max_eval_samples", "decoding")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m helpers``; the options of train and evaluate come from the dataclasses."""
    from .config import BASE_VALUES, CLASSIC_RECIPE, SIZE_FIELDS, SMALL_VALUES, Recipe, TrainConfig

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
        help="course: the learning rate and epochs follow the checkpoint's width (3e-4 and 2 measured on a "
        "384-wide encoder; 5e-5 and 3 from 768 on: base), the options below as given; base: the base-size "
        "values whatever the width; classic: the classic notebook's (default: course)",
    )

    def recipe_defaults(f) -> str:
        if f.name in SIZE_FIELDS:
            return f"course {SMALL_VALUES[f.name]:g} below 768 wide, base {BASE_VALUES[f.name]:g}; classic {getattr(CLASSIC_RECIPE, f.name):g}"
        return f"course {getattr(Recipe(), f.name)}, classic {getattr(CLASSIC_RECIPE, f.name)}"

    add_options(recipes, Recipe, skip=taken, defaults=recipe_defaults)
    add_options(t.add_argument_group("your own files"), DataFiles)

    e = sub.add_parser("evaluate", help="score a saved model at word level and write metrics.json")
    shared = [f.name for f in fields(TrainConfig) if f.name not in _SHARED_WITH_TRAIN]
    add_options(e, TrainConfig, skip=shared)
    add_options(e, EvalConfig)
    add_options(e.add_argument_group("your own files"), DataFiles, skip=("validation_share",))

    p = sub.add_parser("predict", help="tag sentences from arguments, or a file or stdin (streamed)")
    p.add_argument(
        "--model", required=True, help="folder of a saved model, or of an export (python -m helpers export)"
    )
    p.add_argument("text", nargs="*", help="sentences to tag (default: the documents of --input or stdin)")
    p.add_argument(
        "--input", help="file to tag: raw text (one document per line), CoNLL tokens or JSON lines"
    )
    p.add_argument(
        "--output", help="file to write (default: standard output); appears when the run is complete"
    )
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="text, conll or jsonl (default: from the extension: .conll/.iob conll, .jsonl jsonl, else text)",
    )
    p.add_argument("--output-format", choices=OUTPUT_FORMATS,
                   help="jsonl (words, tags, scores, offsets, entities), conll (the tag appended to each token "
                        "line) or words (a segmentation model's words, one line per input line) (default: words for "
                        "a segmentation model, else conll for a .conll output, else jsonl)")  # fmt: skip
    p.add_argument("--encoding", default="utf-8", help="encoding of the input (default: utf-8)")
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:1, ... (default: auto: the GPU if any)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per batch (default: 32)")
    p.add_argument(
        "--json", action="store_true", help="sentences given as arguments: JSON lines, not a listing"
    )
    p.add_argument(
        "--decoding",
        choices=DECODINGS,
        default=DEFAULT_DECODING,
        help=f"tags from scores: argmax per word, or constrained (valid spans only) (default: {DEFAULT_DECODING})",
    )

    x = sub.add_parser("export", help="export a saved model for CPU serving: ONNX, ONNX int8 or PyTorch int8")
    x.add_argument("--model", required=True, help="folder of a saved model (e.g. runs/ner/model)")
    x.add_argument(
        "--to", required=True, choices=EXPORT_FORMATS, help="onnx, onnx-int8 or int8 (PyTorch dynamic)"
    )
    x.add_argument(
        "--output-dir", required=True, help="folder to write; Tagger, evaluate and predict load it"
    )
    x.add_argument("--overwrite", action="store_true", help="replace an existing output folder")

    d = sub.add_parser("demo", help='serve a demo page of a model (Gradio: pip install -e ".[demo]")')
    d.add_argument("--model", required=True, help="folder of a saved model, or of an export")
    d.add_argument(
        "--port", type=int, default=None, help="port (default: Gradio's, 7860 or the next free one)"
    )
    d.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; 0.0.0.0: all)"
    )
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
    from .data import load_token_files

    paths = _split_files(files)
    first = next(iter(paths.values()))
    fmt = files.format or guess_format(first)
    labels = {column: label_names} if label_names is not None else None
    ds = load_token_files(paths, format=fmt, label_names=labels, **_reader_options(fmt, files, column, first))
    print(f"Data: {', '.join(f'{s} {p} ({len(ds[s])} sentences)' for s, p in paths.items())}, format {fmt}")
    return _hold_out_validation(ds, files.validation_share, seed, first)


def _hold_out_validation(ds: DatasetDict, share: float, seed: int, source: str) -> DatasetDict:
    """``ds`` with ``share`` of train held out as validation (printed) when it has train but no validation."""
    from datasets import DatasetDict

    if "train" in ds and "validation" not in ds:
        if not 0 < share < 1:
            raise DataFormatError(f"--validation-share must be between 0 and 1, not {share}", source)
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
    from .config import BASE_RECIPE, CLASSIC_RECIPE, COURSE_RECIPE, Recipe, TrainConfig, with_overrides

    recipe = {"course": COURSE_RECIPE, "base": BASE_RECIPE, "classic": CLASSIC_RECIPE}[ns.recipe]
    own = {f.name for f in fields(TrainConfig)}  # e.g. epochs: an option of TrainConfig, not of the recipe
    recipe = with_overrides(
        recipe, **{f.name: getattr(ns, f.name) for f in fields(Recipe) if f.name not in own}
    )
    return from_namespace(TrainConfig, ns, recipe=recipe), from_namespace(DataFiles, ns)


def adapt_for_chinese(checkpoint: str, ds: DatasetDict, folder: Path):
    """``train``'s ``adapt_checkpoint`` for Chinese data: the bundled English MiniLM gets the training
    characters added to its vocabulary, and their new rows a faster learning rate (helpers.zh)."""
    from .zh import prepare_checkpoint

    return prepare_checkpoint(checkpoint, ds["train"]["tokens"], folder, language="zh")


def cmd_train(ns: argparse.Namespace) -> int:
    from .coverage import guess_language
    from .metrics import format_table
    from .training import train

    cfg, files = train_config(ns)
    ds = None
    if cfg.task in SEGMENTATION_TASKS:  # segmented Chinese text: the bundled corpus or your files
        ds, cfg.language = _segmentation_data(cfg, files), "zh"
    elif _split_files(files):
        if files.train_file is None:
            raise DataFormatError("--validation-file and --test-file need a --train-file")
        if cfg.data_dir:
            raise DataFormatError("give either --data-dir or --train-file, not both")
        ds = load_files(files, cfg.label_column, seed=cfg.seed)
    # the language picks the data (Chinese NER for zh without files) and whether an English checkpoint
    # is fitted to Chinese characters: the command line owns that choice, helpers.train stays generic
    if cfg.language == "auto" and ds is not None:
        cfg.language = guess_language(ds["train"]["tokens"])
    if cfg.language == "zh" and ds is None:
        from .zh import load_chinese_ner

        ds = load_chinese_ner(cfg.data_dir)
    results = train(cfg, ds=ds, adapt_checkpoint=adapt_for_chinese if cfg.language == "zh" else None)
    if not is_main_process():  # under torchrun / accelerate launch, rank 0 reports and writes
        return 0
    for split in ("validation", "test"):
        if split in results:
            print(f"\n{split} (word level):\n{format_table(results[split])}")  # the model was named above
    if cfg.task in SEGMENTATION_TASKS:
        _score_segmentation(cfg, ds, results)
    print(f"\nTraining took {results['train_seconds']} s. Model saved to {results['model_dir']}")
    print(f"Metrics written to {Path(cfg.output_dir) / 'metrics.json'}")
    return 0


def _segmentation_data(cfg: TrainConfig, files: DataFiles) -> DatasetDict:
    """Segmentation data: your ``--train-file`` etc. (space-separated words, or word/tag for cws_pos), with
    validation held out when no file is given, else People's Daily 1998 (or its stand-in)."""
    from .zh.segmentation import load_segmentation, load_segmented_files

    paths = _split_files(files)
    if cfg.data_dir:
        raise DataFormatError(f"--task {cfg.task} reads segmented files: pass --train-file (and --test-file)")
    if not paths:
        return load_segmentation()
    if files.train_file is None:
        raise DataFormatError("--validation-file and --test-file need a --train-file")
    ds = load_segmented_files(paths, cfg.task)
    print(f"Data: {', '.join(f'{s} {p} ({len(ds[s])} sentences)' for s, p in paths.items())}, segmented text")
    return _hold_out_validation(ds, files.validation_share, cfg.seed, files.train_file)


def _score_segmentation(cfg: TrainConfig, ds: DatasetDict, results: dict) -> None:
    """Add the bakeoff scores (word F1, OOV/IV recall, POS accuracy) of the saved model to metrics.json, and
    save its training words with it (what ``evaluate`` counts OOV words against)."""
    from .bmes import format_scores
    from .io import write_json_atomic
    from .runs import prepare_data
    from .zh.segmentation import score_segmentation_run, training_vocabulary, write_training_words

    prepared = prepare_data(cfg, ds)
    write_training_words(results["model_dir"], training_vocabulary(prepared["train"]))
    scores = score_segmentation_run(results["model_dir"], prepared, cfg.task, cfg.decoding)
    for split, result in scores.items():
        print(f"\n{split} (words, as the SIGHAN bakeoffs score them):\n{format_scores(result)}")
    path = Path(cfg.output_dir) / "metrics.json"
    write_json_atomic(path, {**json.loads(path.read_text(encoding="utf-8")), "segmentation": scores})


def _evaluation_data(ns: argparse.Namespace, column: str, model_language: str | None) -> DatasetDict:
    """The data ``evaluate`` scores on: the files given, else the corpus of ``--language`` or of the language
    the model was trained on (recorded in its config); refused when the data's language is not the model's."""
    from .coverage import guess_language
    from .data import load_conll2003
    from .modeling import load_config

    files = from_namespace(DataFiles, ns)
    paths = _split_files(files)
    if ns.language and model_language and ns.language != model_language:
        raise DataFormatError(
            f"--language {ns.language}, but the model in {ns.model} was trained on {model_language} text "
            f"(tokcls_language in its config.json): pass --language {model_language} or leave it out"
        )
    if paths:
        names = list(load_config(ns.model).id2label.values())  # the model's label ids
        ds = load_files(files, column, label_names=names)
        where = ", ".join(paths.values())
    else:
        language = ns.language or model_language
        if language is None:
            raise DataFormatError(
                f"{ns.model}: the model does not record the language it was trained for (it was trained before "
                "the course recorded it): pass --language en (CoNLL-2003) or --language zh (Chinese NER), or "
                "your own files with --validation-file / --test-file"
            )
        if language == "zh":
            from .zh import load_chinese_ner

            try:
                ds = load_chinese_ner(ns.data_dir)
            except DataFormatError as exc:  # e.g. a CoNLL-2003 folder given to a Chinese model
                raise DataFormatError(
                    f"{exc} (the model in {ns.model} was trained on zh text: --data-dir must hold Chinese NER "
                    "files, one character and its tag per line)"
                ) from exc
        else:  # with documents: a model trained with document context reads them
            ds = load_conll2003(ns.data_dir, documents=True)
        where = f"the data of --language {language}" if ns.language else f"the {language} data"
    expected = ns.language or model_language
    first = next(iter(ds.values()))
    found = guess_language(first["tokens"][:200])
    if expected and found != expected:
        raise DataFormatError(
            f"{where} is {found} text, but the model in {ns.model} is to be scored on {expected}: pass "
            f"{expected} data (--data-dir or the file options), or a model trained on {found}"
        )
    return ds


def _evaluate_segmentation(ns: argparse.Namespace) -> int:
    """``evaluate --task cws|cws_pos``: bakeoff scores (word P/R/F1, OOV and IV recall, POS accuracy) of a
    segmentation model on segmented files, or on the bundled corpus without file options."""
    from .bmes import format_scores, is_segmentation_labels, is_typed
    from .data import smoke_subset
    from .io import write_json_atomic
    from .labels import split_tag
    from .modeling import load_config
    from .runs import limit_samples
    from .zh import segmentation as seg

    labels = list(load_config(ns.model).id2label.values())
    if not is_segmentation_labels(labels):
        raise DataFormatError(
            f"the model in {ns.model} predicts {', '.join(labels[:5])}...: it is not a segmentation model "
            "(B-/M-/E-/S- labels); score it with --task ner, pos or chunk"
        )
    if ns.task == "cws_pos" and not is_typed(labels):
        raise DataFormatError(f"the model in {ns.model} was trained for segmentation alone: use --task cws")
    if ns.data_dir:
        raise DataFormatError(
            f"--task {ns.task} reads segmented files: pass --test-file (or --validation-file)"
        )
    paths = _split_files(from_namespace(DataFiles, ns))
    if paths:
        pos_tags = sorted({split_tag(t)[1] for t in labels}) if ns.task == "cws_pos" else None
        ds = seg.load_segmented_files(paths, ns.task, pos_tags, tags_from=f"the model's labels ({ns.model})")
    else:
        ds = seg.load_segmentation()
    scored = [s for s in ds if s != "train"]
    split = ns.split or (scored[0] if paths and len(scored) == 1 else "validation")
    if split not in ds:
        raise DataFormatError(f"there is no {split} split here (splits: {', '.join(ds)})")
    # OOV words: those not in the training words, from --train-file, the model's folder or the bundled corpus
    saved = seg.read_training_words(ns.model)
    if paths.get("train"):
        vocabulary, origin = seg.training_vocabulary(ds["train"]), f"the words of {paths['train']}"
    elif saved is not None:
        vocabulary, origin = saved, f"{seg.TRAINING_WORDS} in the model's folder"
    elif "train" in ds:
        vocabulary, origin = seg.training_vocabulary(ds["train"]), "the bundled corpus's whole training split"
    else:
        vocabulary, origin = None, None
    ds = limit_samples(smoke_subset(ds), None, ns.max_eval_samples)
    column = seg.SEGMENTATION_COLUMNS[ns.task]
    result = seg.evaluate_segmentation(
        ns.model, ds[split], column, vocabulary, decoding=ns.decoding, batch_size=ns.batch_size
    )
    out = {"task": ns.task, "model": ns.model, "split": split, "decoding": ns.decoding,
           "oov_counted_against": origin, split: result}  # fmt: skip
    write_json_atomic(Path(ns.output_dir) / "metrics.json", out)
    print(f"{split} (words, as the SIGHAN bakeoffs score them):\n{format_scores(result)}")
    print(f"OOV words: gold words not in {origin}" if origin else
          "Pass --train-file (the model's training file) to count OOV words")  # fmt: skip
    print(f"Metrics written to {Path(ns.output_dir) / 'metrics.json'}")
    return 0


def cmd_evaluate(ns: argparse.Namespace) -> int:
    from .coverage import check_unknown_words
    from .data import label_names, smoke_subset
    from .evaluation import evaluate_split
    from .io import write_json_atomic
    from .labels import task_column
    from .metrics import format_table
    from .modeling import load_config, load_tokenizer
    from .runs import limit_samples

    if not is_main_process():  # under a launcher the main process evaluates alone: one writer
        return 0
    if ns.task in SEGMENTATION_TASKS:
        return _evaluate_segmentation(ns)
    column = task_column(ns.task)
    model_language = getattr(load_config(ns.model), "tokcls_language", None)
    ds = _evaluation_data(ns, column, model_language)
    paths = _split_files(from_namespace(DataFiles, ns))
    split = ns.split or (next(iter(paths)) if len(paths) == 1 else "validation")
    if split not in ds:
        raise DataFormatError(f"there is no {split} split here (splits: {', '.join(ds)})")
    ds = limit_samples(smoke_subset(ds), None, ns.max_eval_samples)
    names = label_names(ds, column)
    unknown = check_unknown_words(load_tokenizer(ns.model), ds[split]["tokens"])
    result = evaluate_split(
        ns.model, ds[split], column, names, batch_size=ns.batch_size, decoding=ns.decoding
    )
    out = {
        "task": ns.task,
        "model": ns.model,
        "language": ns.language or model_language,
        "split": split,
        "decoding": ns.decoding,
        **unknown,
        split: result,
    }
    write_json_atomic(Path(ns.output_dir) / "metrics.json", out)
    print(f"{split} (word level):\n{format_table(result)}")
    print(f"Words that are [UNK] only: {unknown['unk_share']:.1%}")
    print(f"Metrics written to {Path(ns.output_dir) / 'metrics.json'}")
    return 0


def cmd_predict(ns: argparse.Namespace) -> int:
    from .bmes import is_segmentation_labels
    from .inference import Tagger
    from .predict_files import guess_input_format, predict_file, predict_stream

    tagger = Tagger.from_pretrained(
        ns.model, batch_size=ns.batch_size, decoding=ns.decoding, device=ns.device
    )
    if not ns.text:  # a file or stdin: streamed, line-aligned, with a summary on stderr
        out_fmt = ns.output_format or (
            "conll" if ns.output and guess_input_format(ns.output) == "conll" else "jsonl"
        )
        if ns.output_format is None and is_segmentation_labels(tagger.id2label.values()):
            out_fmt = "words"  # a segmentation model: one line of words per input line
        if ns.input:
            summary = predict_file(tagger, ns.input, ns.output, input_format=ns.input_format,
                                   output_format=out_fmt, encoding=ns.encoding, show_progress=not ns.no_progress)  # fmt: skip
        else:
            summary = predict_stream(tagger, sys.stdin.buffer, sys.stdout, input_format=ns.input_format or "text",
                                     output_format=out_fmt, encoding=ns.encoding, source_name="<stdin>")  # fmt: skip
        print(summary.format(), file=sys.stderr)
        if ns.output:
            print(f"Predictions written to {ns.output}", file=sys.stderr)
        return 0
    for line, sent in zip(ns.text, tagger.tag_text(ns.text)):  # Chinese/Japanese text: one word per character
        if ns.json:
            ents = [e.__dict__ for e in sent.entities]
            record = {"text": line, "words": sent.words, "tags": sent.tags, "entities": ents}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(" ".join(f"{w}/{t}" for w, t in zip(sent.words, sent.tags)))
            for e in sent.entities:
                print(f"  {e.type:<6} {e.start:>4}-{e.end:<4} {e.text!r} ({e.score:.3f})")
    return 0


def cmd_export(ns: argparse.Namespace) -> int:
    from .io import display_path
    from .serving import export_model, folder_bytes

    out = export_model(ns.model, ns.to, ns.output_dir, overwrite=ns.overwrite)
    before, after = folder_bytes(ns.model), folder_bytes(out)
    print(f"Exported {display_path(ns.model)} as {ns.to} to {display_path(out)}: {after / 1e6:.1f} MB on disk "
          f"(the saved model: {before / 1e6:.1f} MB). It runs on the CPU; use it like the model folder, e.g. "
          f"python -m helpers predict --model {display_path(out)} --input FILE --output FILE")  # fmt: skip
    return 0


def cmd_demo(ns: argparse.Namespace) -> int:
    from .demo import launch

    launch(ns.model, port=ns.port, host=ns.host)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m helpers`` with ``argv``; errors in the input are printed and give exit status 2."""
    ns = build_parser().parse_args(argv)
    handler = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict, "export": cmd_export,
               "demo": cmd_demo}[ns.command]  # fmt: skip
    try:
        with quiet_on_other_processes():
            return handler(ns)
    except (TokClsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
