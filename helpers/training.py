"""Recipes, TrainingArguments, Trainer, and the end-to-end train → evaluate → save job."""

from __future__ import annotations

import math
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from datasets import DatasetDict

from .align import tokenize_and_align_labels
from .context import add_context
from .coverage import check_unknown_words, guess_language
from .data import data_source, load_conll2003, smoke_mode, smoke_subset
from .data import label_names as dataset_label_names
from .errors import OutputDirError
from .evaluation import as_tagger, evaluate_split, sort_by_length
from .io import replace_dir_atomic, write_json_atomic
from .labels import b_to_i_map, task_column
from .metrics import argmax_logits, make_compute_metrics
from .modeling import load_model, load_tokenizer, resolve_checkpoint
from .options import option
from .precision import distributed_on_cpu, has_cuda, process_rank, resolve_precision

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


@dataclass(frozen=True)
class Recipe:
    """Hyper-parameters of a fine-tuning run. ``COURSE_RECIPE`` is the measured default, ``CLASSIC_RECIPE``
    the classic notebook's settings (see benchmarks/)."""

    # each field is a command-line option too: helpers/cli.py builds them from these (helpers.options)
    learning_rate: float = option(3e-4, "peak learning rate")
    epochs: float = option(2.0, "number of epochs")
    batch_size: int = option(32, "training batch size per device")
    eval_batch_size: int = option(64, "evaluation batch size per device")
    weight_decay: float = option(0.01, "AdamW weight decay")
    warmup_ratio: float = option(0.1, "share of the steps with a rising learning rate")
    label_all_tokens: bool = option(False, "label continuation subtokens too (B-X → I-X)")
    group_by_length: bool = option(True, "batch sentences of similar length together")
    lr_scheduler: str = option("linear", "learning-rate schedule (transformers' names)")
    max_length: int | None = option(None, "truncate inputs to N subtokens (None: the model's limit)")
    # levers measured in benchmarks/ (python -m benchmarks.sweep): see benchmarks/results/
    context_tokens: int = option(0, "subtokens of document context on each side of a sentence (0: none)")
    freeze_embeddings: bool = option(
        False, "keep the word-embedding matrix fixed (not with an extended vocabulary)"
    )
    label_smoothing: float = option(0.0, "label smoothing of the loss (transformers' label_smoothing_factor)")
    torch_compile: bool = option(False, "compile the model with torch.compile (inductor)")
    # "auto": see helpers.precision (bf16 where native and fast, fp16 on other GPUs)
    precision: str = option("auto", "compute precision", choices=("auto", "fp32", "bf16", "fp16"))


COURSE_RECIPE = Recipe()
CLASSIC_RECIPE = Recipe(
    learning_rate=2e-5,
    epochs=3.0,
    batch_size=16,
    eval_batch_size=16,
    weight_decay=0.01,
    warmup_ratio=0.0,
    label_all_tokens=True,
    group_by_length=False,
    precision="fp32",
)
# Base-size encoders (distilbert-base, bert-base: hidden size 768), where COURSE_RECIPE was never measured: the
# top of the BERT paper's fine-tuning range (learning rate 5e-5 of {2,3,5}e-5, 3 epochs of {2,3,4}); the rest
# (batch 32, warm-up, length grouping, first-subtoken labels, bf16 where fast) as in the course recipe.
BASE_RECIPE = replace(COURSE_RECIPE, learning_rate=5e-5, epochs=3.0)
BASE_WIDTH = 768
SMOKE_MAX_STEPS = 30


def recipe_for(recipe: Recipe, model_config) -> Recipe:
    """The recipe a run uses: ``recipe`` as given, except the untouched default ``COURSE_RECIPE`` (measured on a
    384-wide encoder), which becomes ``BASE_RECIPE`` for a model of hidden size ``BASE_WIDTH`` or more."""
    width = getattr(model_config, "hidden_size", 0) or 0
    if recipe is COURSE_RECIPE and width >= BASE_WIDTH:
        print(f"Recipe: BASE_RECIPE for a {width}-wide encoder (learning rate {BASE_RECIPE.learning_rate:g}, "
              f"{BASE_RECIPE.epochs:g} epochs); COURSE_RECIPE was measured on a 384-wide one")  # fmt: skip
        return BASE_RECIPE
    return recipe


@dataclass
class TrainConfig:
    """Everything one run needs; unset fields are resolved (data, model) when the run starts."""

    # each field is a command-line option too: helpers/cli.py builds them from these (helpers.options)
    task: str = option("ner", "which tag column to learn", choices=("ner", "pos", "chunk"))
    data_dir: str | None = option(None, "folder of CoNLL files (None: TOKCLS_DATA_DIR, the Hub, synthetic)")
    model: str | None = option(None, "checkpoint id or folder (None: TOKCLS_MODEL, the language's default)")
    language: str = option("auto", "language of the data: picks the checkpoint", choices=("auto", "en", "zh"))
    output_dir: str | None = option(None, "folder for the model and metrics.json (None: runs/<task>)")
    recipe: Recipe = field(default_factory=lambda: COURSE_RECIPE)
    epochs: float | None = option(None, "number of epochs (None: TOKCLS_EPOCHS, else the recipe's)")
    max_train_samples: int | None = option(None, "train on the first N sentences only")
    max_eval_samples: int | None = option(None, "evaluate on the first N sentences of each split only")
    seed: int = option(42, "random seed (head initialisation, shuffling, hold-out split)")
    eval_steps: int | None = option(None, "evaluate and checkpoint every N steps instead of every epoch")
    max_steps: int | None = option(None, "stop after N optimizer steps")
    overwrite: bool = option(False, "replace an existing output folder")
    resume: bool = option(False, "continue from the last checkpoint in the output folder")
    reinit_head: bool = option(False, "replace a classification head of another size")
    # False: only the final model is saved (no optimizer snapshots, ~3x the model's size each; no resume)
    save_checkpoints: bool = option(
        True, "save the final model only, no checkpoints (less disk; no --resume)", flag="--no-checkpoints"
    )
    # more TrainingArguments, e.g. {"logging_steps": 10}; they win over the recipe's
    training_args: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.output_dir is None:
            self.output_dir = f"runs/{self.task}"

    @property
    def label_column(self) -> str:
        return task_column(self.task)


def tokenize_dataset(
    ds: DatasetDict, tokenizer: PreTrainedTokenizerBase, label_column: str, recipe: Recipe = COURSE_RECIPE
) -> DatasetDict:
    """Tokenize and align every split, keeping the gold word labels and ``word_ids`` for word-level scoring.

    Only ``train`` follows ``recipe.label_all_tokens``: evaluation splits label the first subtoken of each
    word, so their ``labels`` mark exactly the words that ``make_compute_metrics`` scores. With
    ``recipe.context_tokens`` every sentence is tokenized with its document context (labels -100 there).
    """
    names = dataset_label_names(ds, label_column)
    keep = {label_column}
    if recipe.context_tokens:
        ds = DatasetDict(
            {
                split: add_context(d, tokenizer, label_column, recipe.context_tokens, recipe.max_length)
                for split, d in ds.items()
            }
        )
    return DatasetDict(
        {
            split: d.map(
                tokenize_and_align_labels,
                batched=True,
                remove_columns=[c for c in d.column_names if c not in keep],
                fn_kwargs={
                    "tokenizer": tokenizer,
                    "label_column": label_column,
                    "label_all_tokens": recipe.label_all_tokens and split == "train",
                    "b_to_i": b_to_i_map(names),
                    "num_labels": len(names),
                    "max_length": recipe.max_length,
                    "allow_ignore_index": bool(recipe.context_tokens),
                },
                desc=f"Tokenizing and aligning labels ({split})",
            )
            for split, d in ds.items()
        }
    )


def env_epochs(default: float) -> float:
    """``TOKCLS_EPOCHS`` if set (a positive number, e.g. ``1`` for a shorter full run), else ``default``."""
    raw = os.environ.get("TOKCLS_EPOCHS", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"TOKCLS_EPOCHS must be a positive number of epochs, not {raw!r}")
    return value


def build_training_args(
    output_dir: str | os.PathLike,
    recipe: Recipe = COURSE_RECIPE,
    *,
    seed: int = 42,
    epochs: float | None = None,
    max_steps: int | None = None,
    eval_steps: int | None = None,
    **overrides,
) -> TrainingArguments:
    """``TrainingArguments`` with current names (``eval_strategy``, ``train_sampling_strategy``) for a recipe.

    Epochs: ``epochs``, else ``TOKCLS_EPOCHS``, else the recipe's. Evaluates and checkpoints every
    ``eval_steps`` steps if given, else every epoch.
    """
    from transformers import TrainingArguments

    strategy = "steps" if eval_steps else "epoch"
    precision = resolve_precision(recipe.precision)
    kwargs = dict(
        output_dir=str(output_dir),
        learning_rate=recipe.learning_rate,
        per_device_train_batch_size=recipe.batch_size,
        per_device_eval_batch_size=recipe.eval_batch_size,
        num_train_epochs=epochs if epochs is not None else env_epochs(recipe.epochs),
        max_steps=max_steps if max_steps is not None else -1,
        weight_decay=recipe.weight_decay,
        bf16=precision == "bf16",
        use_cpu=_use_cpu(precision),
        fp16=precision == "fp16",
        warmup_steps=recipe.warmup_ratio,  # a float below 1 is a fraction of all steps in transformers 5
        lr_scheduler_type=recipe.lr_scheduler,
        label_smoothing_factor=recipe.label_smoothing,
        torch_compile=recipe.torch_compile,
        train_sampling_strategy="group_by_length" if recipe.group_by_length else "random",
        eval_strategy=strategy,
        save_strategy=strategy,
        eval_steps=eval_steps,
        save_steps=eval_steps,
        logging_strategy="steps",
        logging_steps=max(1, min(50, eval_steps or 50)),
        save_total_limit=2,
        seed=seed,
        data_seed=seed,
        report_to="none",
        dataloader_pin_memory=has_cuda(),
        ddp_find_unused_parameters=False,  # a token classifier uses every parameter; True costs an extra pass
        disable_tqdm=not os.isatty(2) and "JPY_PARENT_PID" not in os.environ,
    )
    kwargs.update(overrides)
    return TrainingArguments(**kwargs)


def build_trainer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    tokenized: DatasetDict,
    args: TrainingArguments,
    label_column: str,
    eval_split: str = "validation",
    callbacks: list | None = None,
) -> Trainer:
    """A plain ``Trainer`` with dynamic padding and word-level ``compute_metrics`` on ``eval_split``.

    ``compute_metrics`` scores each evaluation row from its own labels, so Trainer may order evaluation
    batches as it likes (it sorts them by length under ``group_by_length``).
    """
    from transformers import DataCollatorForTokenClassification, Trainer

    if label_column not in tokenized["train"].column_names:
        raise ValueError(f"the tokenized splits have no {label_column!r} column: tokenize them for that task")
    names = list(model.config.id2label.values())
    eval_ds = sort_by_length(tokenized[eval_split]) if eval_split in tokenized else None
    return Trainer(
        model=model,
        args=args,
        train_dataset=tokenized["train"],
        eval_dataset=eval_ds,
        processing_class=tokenizer,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=None),
        compute_metrics=make_compute_metrics(names),
        preprocess_logits_for_metrics=argmax_logits,
        callbacks=callbacks,
    )


def check_output_dir(output_dir: str | os.PathLike, *, overwrite: bool, resume: bool) -> Path | None:
    """Refuse to reuse a non-empty output folder unless asked; return the last checkpoint to resume from."""
    out = Path(output_dir)
    if not out.exists() or not any(out.iterdir()):
        return None
    if resume:
        from transformers.trainer_utils import get_last_checkpoint

        last = get_last_checkpoint(str(out))
        print(f"Resuming from {last}" if last else f"No checkpoint in {out}: starting from scratch")
        return Path(last) if last else None
    if overwrite:
        return None
    raise OutputDirError(
        f"output folder {out} already holds files; pass --resume to continue its last checkpoint or "
        "--overwrite to replace it"
    )


def _environment() -> dict:
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "machine": platform.machine(),
        "cpu_threads": torch.get_num_threads(),
        "device": "cuda" if has_cuda() else "cpu",
    }


def train(
    cfg: TrainConfig,
    ds: DatasetDict | None = None,
    callbacks: list | None = None,
    setup: Callable[[Trainer], None] | None = None,
) -> dict:
    """Fine-tune, evaluate on validation and test at word level, save model + ``metrics.json``.

    ``setup(trainer)`` runs just before training (add callbacks, swap the collator: see benchmarks/).
    Returns the metrics dict (also written to ``<output_dir>/metrics.json``).
    """
    from transformers import set_seed

    resume_from = check_output_dir(cfg.output_dir, overwrite=cfg.overwrite, resume=cfg.resume)
    if ds is None:
        from .zh.ner import load_chinese_ner

        if cfg.language == "zh":
            ds = load_chinese_ner(cfg.data_dir)
        else:  # document boundaries only matter, and are only read, for document context
            ds = load_conll2003(cfg.data_dir, documents=cfg.recipe.context_tokens > 0)
    ds = smoke_subset(ds)
    ds = limit_samples(ds, cfg.max_train_samples, cfg.max_eval_samples)
    names = dataset_label_names(ds, cfg.label_column)
    language = guess_language(ds["train"]["tokens"]) if cfg.language == "auto" else cfg.language
    checkpoint = resolve_checkpoint(cfg.model, language=language)
    # offline Chinese: the bundled English MiniLM gets the training characters added to its vocabulary
    from .zh.vocab import prepare_checkpoint

    extended = Path(cfg.output_dir) / f"vocab-extended{_rank_suffix()}"  # one folder per process
    load_from, vocab_setup = prepare_checkpoint(
        checkpoint, ds["train"]["tokens"], extended, language=language
    )
    tokenizer = load_tokenizer(load_from)
    unknown = check_unknown_words(tokenizer, ds["train"]["tokens"])  # warns when the vocabulary does not fit
    set_seed(cfg.seed)  # the new classification head is drawn now, before Trainer would seed anything
    model = load_model(load_from, names, reinit_head=cfg.reinit_head)
    recipe = recipe_for(cfg.recipe, model.config)
    model.config.tokcls_context_tokens = recipe.context_tokens  # saved: Tagger and evaluate read it back
    if load_from != checkpoint:
        shutil.rmtree(extended)  # weights and tokenizer are loaded; model/ keeps both after training
    if recipe.freeze_embeddings:
        freeze_word_embeddings(model, extended=load_from != checkpoint)
    tokenized = tokenize_dataset(ds, tokenizer, cfg.label_column, recipe)
    args = build_training_args(
        cfg.output_dir,
        recipe,
        seed=cfg.seed,
        epochs=cfg.epochs,
        max_steps=cfg.max_steps or (SMOKE_MAX_STEPS if smoke_mode() else None),
        eval_steps=cfg.eval_steps,
        **({} if cfg.save_checkpoints else {"save_strategy": "no"}),
        **cfg.training_args,
    )
    trainer = build_trainer(model, tokenizer, tokenized, args, cfg.label_column, callbacks=callbacks)
    batch_sizes = report_batch_sizes(args)
    for prepare in (vocab_setup, setup):
        if prepare is not None:
            prepare(trainer)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    train_seconds = time.perf_counter() - start
    model_dir = Path(cfg.output_dir) / "model"

    def _save(tmp: Path) -> None:
        trainer.model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)

    if trainer.is_world_process_zero():
        replace_dir_atomic(model_dir, _save)
    results = run_record(cfg, checkpoint, ds, recipe, train_seconds, trainer.state.global_step)
    results.update(language=language, **unknown, **batch_sizes, log_history=trainer.state.log_history)
    if not trainer.is_world_process_zero():  # under a launcher, the main process saves, scores and writes
        return results
    tagger = as_tagger(model_dir)  # the saved model, as `evaluate` loads it (Trainer's may still autocast)
    for split in ("validation", "test"):
        if split in ds:
            results[split] = evaluate_split(tagger, ds[split], cfg.label_column, names)
    write_json_atomic(Path(cfg.output_dir) / "metrics.json", results)
    results["model_dir"] = str(model_dir)
    return results


def freeze_word_embeddings(model: PreTrainedModel, *, extended: bool = False) -> None:
    """Keep the word-embedding matrix fixed: its gradient and AdamW update (a third of a small model's
    parameters) are skipped. Not done when the vocabulary was extended: the new rows must learn."""
    if extended:
        print("Word embeddings not frozen: the vocabulary was extended and its new rows must be trained")
        return
    model.get_input_embeddings().weight.requires_grad_(False)


def run_record(
    cfg: TrainConfig, checkpoint: str, ds: DatasetDict, recipe: Recipe, train_seconds: float, steps: int
) -> dict:
    """The head of every run's ``metrics.json`` (``train`` and ``helpers.loop.train_loop``): what ran, on what."""
    return {
        "task": cfg.task,
        "checkpoint": checkpoint,
        "data": data_source(ds),
        "recipe": asdict(recipe),
        "seed": cfg.seed,
        "train_sentences": len(ds["train"]),
        "train_seconds": round(train_seconds, 1),
        "global_steps": steps,
        "environment": _environment(),
    }


def _use_cpu(precision: str) -> bool:
    # transformers asks for use_cpu=True to autocast bf16 on a CPU, and to join a gloo process group when
    # torchrun starts CPU processes (else each process trains alone and warns "parallel_mode != DISTRIBUTED")
    return not has_cuda() and (precision == "bf16" or distributed_on_cpu())


def _rank_suffix() -> str:
    return f"-rank{process_rank()}" if process_rank() else ""


def report_batch_sizes(args: TrainingArguments) -> dict:
    """Print (main process only) and return the per-device and effective batch size of a run."""
    effective = args.per_device_train_batch_size * args.world_size * args.gradient_accumulation_steps
    if args.process_index == 0:
        print(
            f"Batch size: {args.per_device_train_batch_size} per device x {args.world_size} process(es) x "
            f"{args.gradient_accumulation_steps} accumulation step(s) = {effective} sentences per step"
        )
    return {
        "num_processes": args.world_size,
        "per_device_batch_size": args.per_device_train_batch_size,
        "effective_batch_size": effective,
    }


def limit_samples(ds: DatasetDict, max_train: int | None, max_eval: int | None) -> DatasetDict:
    """Keep the first ``max_train`` training and ``max_eval`` evaluation sentences (None keeps all)."""
    out = {}
    for split, d in ds.items():
        n = max_train if split == "train" else max_eval
        out[split] = d.select(range(min(n, len(d)))) if n else d
    return DatasetDict(out)


def with_overrides(recipe: Recipe, **changes) -> Recipe:
    """A copy of ``recipe`` with some fields changed (``None`` values are ignored); ``recipe`` itself if none is."""
    changes = {k: v for k, v in changes.items() if v is not None}
    return replace(recipe, **changes) if changes else recipe
