"""Lesson 3's job packed: ``TrainingArguments`` and ``Trainer`` for a recipe, and ``train``, the end-to-end
train → evaluate → save run. The recipe and ``TrainConfig`` live in helpers.config, the run's data, record
and scoring in helpers.runs (shared with helpers.loop).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from datasets import DatasetDict

from .config import (
    Recipe,
    TrainConfig,
    env_epochs,
    recipe_as_run,
    recipe_for,
    recipe_line,
    require_complete,
)
from .config import with_overrides as with_overrides  # lessons import it from here
from .coverage import check_unknown_words, guess_language
from .data import label_names as dataset_label_names
from .data import smoke_mode
from .decisions import record
from .decoding import DEFAULT_DECODING, logits_to_ids
from .evaluation import sort_by_length
from .io import replace_dir_atomic
from .metrics import make_compute_metrics
from .modeling import load_model, load_tokenizer, resolve_checkpoint
from .precision import distributed_on_cpu, has_cuda, process_rank, resolve_precision
from .runs import (
    SMOKE_MAX_STEPS,
    check_output_dir,
    prepare_data,
    run_record,
    score_and_write,
    tokenize_dataset,
)
from .runs import limit_samples as limit_samples  # lessons import it from here

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments

#: ``adapt_checkpoint(checkpoint, ds, folder) -> (what to load, setup or None)``: see :func:`train`
CheckpointAdapter = Callable[[str, DatasetDict, Path], tuple[str, Callable | None]]


def build_training_args(
    output_dir: str | os.PathLike,
    recipe: Recipe,
    *,
    seed: int = 42,
    epochs: float | None = None,
    max_steps: int | None = None,
    eval_steps: int | None = None,
    **overrides,
) -> TrainingArguments:
    """``TrainingArguments`` with current names (``eval_strategy``, ``train_sampling_strategy``) for a recipe
    whose learning rate and epochs are set (``recipe_for`` decides them from the checkpoint).

    Epochs: ``epochs``, else ``TOKCLS_EPOCHS``, else the recipe's. Evaluates and checkpoints every
    ``eval_steps`` steps if given, else every epoch.
    """
    from transformers import TrainingArguments

    require_complete(recipe)
    strategy = "steps" if eval_steps else "epoch"
    kwargs = dict(
        output_dir=str(output_dir),
        learning_rate=recipe.learning_rate,
        per_device_train_batch_size=recipe.batch_size,
        per_device_eval_batch_size=recipe.eval_batch_size,
        num_train_epochs=epochs if epochs is not None else env_epochs(recipe.epochs),
        max_steps=max_steps if max_steps is not None else -1,
        weight_decay=recipe.weight_decay,
        **precision_arguments(recipe.precision),
        warmup_steps=recipe.warmup_ratio,  # a float below 1 is a fraction of all steps in transformers 5
        lr_scheduler_type=recipe.lr_scheduler,
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
    device = "cpu" if kwargs["use_cpu"] or not has_cuda() else "cuda"
    precision = "bf16" if kwargs["bf16"] else "fp16" if kwargs["fp16"] else "fp32"
    record("training_arguments", device=device, precision=precision, learning_rate=kwargs["learning_rate"])
    return TrainingArguments(**kwargs)


def build_trainer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    tokenized: DatasetDict,
    args: TrainingArguments,
    label_column: str,
    eval_split: str = "validation",
    callbacks: list | None = None,
    decoding: str = DEFAULT_DECODING,
) -> Trainer:
    """A plain ``Trainer`` with dynamic padding and word-level ``compute_metrics`` on ``eval_split``.

    ``decoding`` turns each row's word scores into tags (helpers.decoding) before they are scored.

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
        preprocess_logits_for_metrics=logits_to_ids(names, decoding),
        callbacks=callbacks,
    )


def train(
    cfg: TrainConfig,
    ds: DatasetDict | None = None,
    callbacks: list | None = None,
    setup: Callable[[Trainer], None] | None = None,
    adapt_checkpoint: CheckpointAdapter | None = None,
) -> dict:
    """Fine-tune, evaluate on validation and test at word level, save model + ``metrics.json``.

    ``setup(trainer)`` runs just before training (add callbacks, swap the collator: see benchmarks/).
    ``adapt_checkpoint(checkpoint, ds, folder)`` may first make a copy of the checkpoint fitted to the data in
    ``folder`` and return it with a ``setup`` (the command line extends the vocabulary of an English model
    for Chinese data with it: helpers.zh). Returns the metrics dict (also written to
    ``<output_dir>/metrics.json``), whose ``recipe`` is the recipe as used.
    """
    from transformers import set_seed

    resume_from = check_output_dir(cfg.output_dir, overwrite=cfg.overwrite, resume=cfg.resume)
    ds = prepare_data(cfg, ds)
    names = dataset_label_names(ds, cfg.label_column)
    language = guess_language(ds["train"]["tokens"]) if cfg.language == "auto" else cfg.language
    checkpoint = resolve_checkpoint(cfg.model, language=language)
    load_from, adapted_setup = checkpoint, None
    if adapt_checkpoint is not None:
        adapted = Path(cfg.output_dir) / f"adapted-checkpoint{_rank_suffix()}"  # one folder per process
        load_from, adapted_setup = adapt_checkpoint(checkpoint, ds, adapted)
    tokenizer = load_tokenizer(load_from)
    unknown = check_unknown_words(tokenizer, ds["train"]["tokens"])  # warns when the vocabulary does not fit
    set_seed(cfg.seed)  # the new classification head is drawn now, before Trainer would seed anything
    model = load_model(load_from, names, reinit_head=cfg.reinit_head)
    recipe = recipe_as_run(recipe_for(cfg.recipe, model.config), cfg.epochs)
    # saved with the model: Tagger and `evaluate` read them back
    model.config.tokcls_context_tokens = recipe.context_tokens
    model.config.tokcls_language = language
    if load_from != checkpoint:
        shutil.rmtree(
            load_from, ignore_errors=True
        )  # loaded; model/ keeps weights and tokenizer after training
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
    trainer = build_trainer(
        model, tokenizer, tokenized, args, cfg.label_column, callbacks=callbacks, decoding=cfg.decoding
    )
    batch_sizes = report_batch_sizes(args)
    device, precision = _device_and_precision(args)
    if args.process_index == 0:
        print(
            f"{recipe_line(recipe)}\nRun: Trainer on {device}, precision {precision}, {args.world_size} process(es)"
        )
    record("run", runner="Trainer", device=device, precision=precision, processes=args.world_size)
    for prepare in (adapted_setup, setup):
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
    results = run_record(
        cfg, checkpoint, ds, recipe, model,
        train_seconds=train_seconds, steps=trainer.state.global_step,
        device=device, precision=precision, processes=args.world_size,
    )  # fmt: skip
    results.update(language=language, **unknown, **batch_sizes, log_history=trainer.state.log_history)
    if not trainer.is_world_process_zero():  # under a launcher, the main process saves, scores and writes
        return results
    # the saved model, as `evaluate` loads it (Trainer's may still autocast)
    score_and_write(results, model_dir, ds, cfg, names)
    results["model_dir"] = str(model_dir)
    return results


def precision_arguments(precision: str = "auto") -> dict:
    """The ``TrainingArguments`` a precision setting gives on this machine: ``bf16``/``fp16`` as
    helpers.precision decides (a T4: fp16; an A100: bf16; a CPU: bf16 only where fast), and ``use_cpu``."""
    resolved = resolve_precision(precision)
    # transformers asks for use_cpu=True to autocast bf16 on a CPU, and to join a gloo process group when
    # torchrun starts CPU processes (else each process trains alone and warns "parallel_mode != DISTRIBUTED")
    use_cpu = not has_cuda() and (resolved == "bf16" or distributed_on_cpu())
    return {"bf16": resolved == "bf16", "fp16": resolved == "fp16", "use_cpu": use_cpu}


def _device_and_precision(args: TrainingArguments) -> tuple[str, str]:
    device = "cpu" if args.use_cpu or not has_cuda() else "cuda"
    return device, "bf16" if args.bf16 else "fp16" if args.fp16 else "fp32"


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
