"""What every training run does around the training itself, whichever loop trains (``helpers.train`` with
``Trainer``, ``helpers.loop.train_loop`` with Accelerate): its data, its output folder, its record, and
its scores, so that both write the same ``metrics.json`` by the same rule.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from datasets import DatasetDict

from .align import tokenize_and_align_labels
from .config import COURSE_RECIPE, Recipe, TrainConfig, recipe_decisions, with_overrides
from .context import add_context
from .data import data_source, load_conll2003, smoke_subset
from .data import label_names as dataset_label_names
from .errors import OutputDirError
from .evaluation import evaluate_split
from .io import write_json_atomic
from .labels import b_to_i_map

SMOKE_MAX_STEPS = 30


def limit_samples(ds: DatasetDict, max_train: int | None, max_eval: int | None) -> DatasetDict:
    """Keep the first ``max_train`` training and ``max_eval`` evaluation sentences (None keeps all)."""
    out = {}
    for split, d in ds.items():
        n = max_train if split == "train" else max_eval
        out[split] = d.select(range(min(n, len(d)))) if n else d
    return DatasetDict(out)


def prepare_data(cfg: TrainConfig, ds: DatasetDict | None = None) -> DatasetDict:
    """The splits a run trains and scores on: ``ds``, else CoNLL-2003 (``cfg.data_dir``, the Hub, synthetic),
    cut to smoke size in smoke mode and to ``cfg.max_train_samples`` / ``cfg.max_eval_samples``."""
    if ds is None:
        if cfg.language == "zh":
            raise ValueError(
                "language='zh' needs its data passed in: ds = helpers.zh.load_chinese_ner(data_dir) "
                "(python -m helpers train --language zh does this)"
            )
        # document boundaries only matter, and are only read, for document context
        ds = load_conll2003(cfg.data_dir, documents=cfg.recipe.context_tokens > 0)
    ds = smoke_subset(ds)
    return limit_samples(ds, cfg.max_train_samples, cfg.max_eval_samples)


def tokenize_dataset(
    ds: DatasetDict, tokenizer, label_column: str, recipe: Recipe = COURSE_RECIPE
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


def environment(device: str) -> dict:
    """The machine a run used (helpers.machine) and the device it trained on (``cuda`` or ``cpu``)."""
    from .machine import machine

    return {**machine(), "device": device}


def run_record(
    cfg: TrainConfig,
    checkpoint: str,
    ds: DatasetDict,
    recipe: Recipe,
    model,
    *,
    train_seconds: float,
    steps: int,
    device: str,
    precision: str,
    processes: int,
) -> dict:
    """The head of every run's ``metrics.json``: what ran, on what, with which recipe (as used, and what the
    checkpoint's width decided in it), device, precision and processes."""
    return {
        "task": cfg.task,
        "checkpoint": checkpoint,
        "data": data_source(ds),
        "recipe": asdict(recipe),
        "recipe_rule": recipe_decisions(with_overrides(cfg.recipe, epochs=cfg.epochs), recipe, model),
        "seed": cfg.seed,
        "decoding": cfg.decoding,
        "train_sentences": len(ds["train"]),
        "train_seconds": round(train_seconds, 1),
        "global_steps": steps,
        "device": device,
        "precision": precision,
        "num_processes": processes,
        "environment": environment(device),
    }


def score_and_write(
    results: dict, model_dir: str | os.PathLike, ds: DatasetDict, cfg: TrainConfig, names: list[str]
) -> dict:
    """Score the saved model on validation and test (``helpers.evaluation.evaluate_split``: words, windows,
    the run's decoding) into ``results`` and write ``<output_dir>/metrics.json``. Main process only."""
    for split in ("validation", "test"):
        if split in ds:
            results[split] = evaluate_split(
                str(model_dir), ds[split], cfg.label_column, names, decoding=cfg.decoding
            )
    write_json_atomic(Path(cfg.output_dir) / "metrics.json", results)
    return results
