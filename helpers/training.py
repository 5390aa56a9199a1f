"""Recipes, TrainingArguments, Trainer, and the end-to-end train → evaluate → save job."""

from __future__ import annotations

import json
import math
import os
import platform
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from datasets import DatasetDict

from .align import tokenize_and_align_labels
from .data import label_names as dataset_label_names
from .data import smoke_mode
from .errors import OutputDirError
from .io import replace_dir_atomic, write_json_atomic
from .labels import b_to_i_map, task_column
from .metrics import argmax_logits, make_compute_metrics


@dataclass(frozen=True)
class Recipe:
    """Hyper-parameters of a fine-tuning run. ``COURSE_RECIPE`` is the measured default, ``CLASSIC_RECIPE``
    the classic notebook's settings (see benchmarks/)."""

    learning_rate: float = 3e-4
    epochs: float = 2.0
    batch_size: int = 32
    eval_batch_size: int = 64
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    label_all_tokens: bool = False
    group_by_length: bool = True
    lr_scheduler: str = "linear"
    max_length: int | None = None
    precision: str = "auto"  # "auto": bf16 where the hardware runs it fast, else fp16 on GPU, else fp32


def fast_bf16_available() -> bool:
    """True on GPUs with bf16 and on CPUs with AVX512-BF16 or AMX, where bf16 matmuls beat fp32."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except AttributeError:  # older torch without these probes: stay in fp32
        return False


def resolve_precision(precision: str = "auto") -> str:
    """``"fp32"``, ``"bf16"`` or ``"fp16"`` for a recipe's precision setting on this machine."""
    import torch

    if precision not in ("auto", "fp32", "bf16", "fp16"):
        raise ValueError(f"precision must be auto, fp32, bf16 or fp16, not {precision!r}")
    if precision != "auto":
        return precision
    if fast_bf16_available():
        return "bf16"
    return "fp16" if torch.cuda.is_available() else "fp32"


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
SMOKE_MAX_STEPS = 30


@dataclass
class TrainConfig:
    """Everything one run needs; unset fields are resolved (data, model) when the run starts."""

    task: str = "ner"
    data_dir: str | None = None
    model: str | None = None
    output_dir: str = "runs/ner"
    recipe: Recipe = field(default_factory=lambda: COURSE_RECIPE)
    epochs: float | None = None
    max_train_samples: int | None = None
    max_eval_samples: int | None = None
    seed: int = 42
    eval_steps: int | None = None
    max_steps: int | None = None
    overwrite: bool = False
    resume: bool = False
    reinit_head: bool = False
    # False: only the final model is saved (no optimizer snapshots, ~3x the model's size each; no resume)
    save_checkpoints: bool = True

    @property
    def label_column(self) -> str:
        return task_column(self.task)


def tokenize_dataset(
    ds: DatasetDict, tokenizer, label_column: str, recipe: Recipe = COURSE_RECIPE
) -> DatasetDict:
    """Tokenize and align every split, keeping the gold word labels and ``word_ids`` for word-level scoring."""
    names = dataset_label_names(ds, label_column)
    keep = {label_column}
    return ds.map(
        tokenize_and_align_labels,
        batched=True,
        remove_columns=[c for c in next(iter(ds.values())).column_names if c not in keep],
        fn_kwargs={
            "tokenizer": tokenizer,
            "label_column": label_column,
            "label_all_tokens": recipe.label_all_tokens,
            "b_to_i": b_to_i_map(names),
            "num_labels": len(names),
            "max_length": recipe.max_length,
        },
        desc="Tokenizing and aligning labels",
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
):
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
        use_cpu=precision == "bf16" and not _has_cuda(),  # transformers asks for this to autocast bf16 on CPU
        fp16=precision == "fp16",
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
        dataloader_pin_memory=_has_cuda(),
        disable_tqdm=not os.isatty(2) and "JPY_PARENT_PID" not in os.environ,
    )
    kwargs.update(overrides)
    return TrainingArguments(**kwargs)


def _word_level_trainer_class():
    from torch.utils.data import SequentialSampler
    from transformers import Trainer

    class WordLevelTrainer(Trainer):
        """Trainer whose evaluation keeps the dataset's order.

        With ``train_sampling_strategy="group_by_length"`` transformers also shuffles evaluation batches by
        length, and predictions would no longer line up with the gold words that ``compute_metrics`` holds.
        """

        def _get_eval_sampler(self, eval_dataset):
            return SequentialSampler(eval_dataset) if eval_dataset is not None else None

    return WordLevelTrainer


def sort_by_length(ds):
    """Order a tokenized split by length (longest first): evaluation then pads far less; scores are unchanged."""
    lengths = [len(ids) for ids in ds["input_ids"]]
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return ds.select(order)


def build_trainer(
    model,
    tokenizer,
    tokenized: DatasetDict,
    args,
    label_column: str,
    eval_split: str = "validation",
    callbacks=None,
):
    """A ``Trainer`` with dynamic padding and word-level ``compute_metrics`` on ``eval_split``."""
    from transformers import DataCollatorForTokenClassification

    names = list(model.config.id2label.values())
    eval_ds = sort_by_length(tokenized[eval_split]) if eval_split in tokenized else None
    return _word_level_trainer_class()(
        model=model,
        args=args,
        train_dataset=tokenized["train"],
        eval_dataset=eval_ds,
        processing_class=tokenizer,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=None),
        compute_metrics=make_compute_metrics(eval_ds, names, label_column) if eval_ds is not None else None,
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


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _environment() -> dict:
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "machine": platform.machine(),
        "cpu_threads": torch.get_num_threads(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
    }


def train(cfg: TrainConfig, ds: DatasetDict | None = None, callbacks: list | None = None) -> dict:
    """Fine-tune, evaluate on validation and test at word level, save model + ``metrics.json``.

    Returns the metrics dict (also written to ``<output_dir>/metrics.json``).
    """
    from transformers import set_seed

    from .data import data_source, load_conll2003, smoke_subset
    from .evaluation import evaluate_split
    from .modeling import load_model, load_tokenizer, resolve_checkpoint

    resume_from = check_output_dir(cfg.output_dir, overwrite=cfg.overwrite, resume=cfg.resume)
    ds = ds if ds is not None else load_conll2003(cfg.data_dir)
    ds = smoke_subset(ds)
    ds = limit_samples(ds, cfg.max_train_samples, cfg.max_eval_samples)
    names = dataset_label_names(ds, cfg.label_column)
    checkpoint = resolve_checkpoint(cfg.model)
    tokenizer = load_tokenizer(checkpoint)
    set_seed(cfg.seed)  # the new classification head is drawn now, before Trainer would seed anything
    model = load_model(checkpoint, names, reinit_head=cfg.reinit_head)
    tokenized = tokenize_dataset(ds, tokenizer, cfg.label_column, cfg.recipe)
    args = build_training_args(
        cfg.output_dir,
        cfg.recipe,
        seed=cfg.seed,
        epochs=cfg.epochs,
        max_steps=cfg.max_steps or (SMOKE_MAX_STEPS if smoke_mode() else None),
        eval_steps=cfg.eval_steps,
        **({} if cfg.save_checkpoints else {"save_strategy": "no"}),
    )
    trainer = build_trainer(model, tokenizer, tokenized, args, cfg.label_column, callbacks=callbacks)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    train_seconds = time.perf_counter() - start
    model_dir = Path(cfg.output_dir) / "model"

    def _save(tmp: Path) -> None:
        trainer.model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)

    replace_dir_atomic(model_dir, _save)
    results = {
        "task": cfg.task,
        "checkpoint": checkpoint,
        "data": data_source(ds),
        "recipe": asdict(cfg.recipe),
        "seed": cfg.seed,
        "train_sentences": len(ds["train"]),
        "train_seconds": round(train_seconds, 1),
        "global_steps": trainer.state.global_step,
        "environment": _environment(),
        "log_history": trainer.state.log_history,
    }
    for split in ("validation", "test"):
        if split in tokenized:
            results[split] = evaluate_split(trainer, tokenized[split], names, cfg.label_column)
    write_json_atomic(Path(cfg.output_dir) / "metrics.json", results)
    results["model_dir"] = str(model_dir)
    return results


def limit_samples(ds: DatasetDict, max_train: int | None, max_eval: int | None) -> DatasetDict:
    """Keep the first ``max_train`` training and ``max_eval`` evaluation sentences (None keeps all)."""
    out = {}
    for split, d in ds.items():
        n = max_train if split == "train" else max_eval
        out[split] = d.select(range(min(n, len(d)))) if n else d
    return DatasetDict(out)


def load_metrics(output_dir: str | os.PathLike) -> dict:
    """Read ``metrics.json`` written by ``train`` or ``evaluate``."""
    return json.loads((Path(output_dir) / "metrics.json").read_text(encoding="utf-8"))


def with_overrides(recipe: Recipe, **changes) -> Recipe:
    """A copy of ``recipe`` with some fields changed (``None`` values are ignored)."""
    return replace(recipe, **{k: v for k, v in changes.items() if v is not None})
