"""Your own training loop with 🤗 Accelerate: the lesson-3 job without ``Trainer``, on one or many devices.

``train_loop(cfg)`` runs in one process when called directly, and on N processes (GPUs, or CPU processes
talking over gloo) when handed to ``launch`` / ``accelerate.notebook_launcher`` or started by
``torchrun`` / ``accelerate launch``. Only the main process prints and writes files.
"""

from __future__ import annotations

import math
import os
import socket
import time
from collections.abc import Sequence
from pathlib import Path

from datasets import Dataset, DatasetDict

from .align import words_to_predictions
from .io import replace_dir_atomic, write_json_atomic
from .metrics import format_table, score_word_ids
from .precision import distributed_on_cpu, quiet_on_other_processes

MAX_GRAD_NORM = 1.0  # gradient clipping, as Trainer does by default
WORD_COLUMNS = ("word_ids",)  # kept for word-level scoring; the model does not take them


def model_columns(tokenized: Dataset, label_column: str) -> list[str]:
    """Columns of a tokenized split that the model takes (drops the gold word labels and ``word_ids``)."""
    return [c for c in tokenized.column_names if c != label_column and c not in WORD_COLUMNS]


def build_dataloaders(
    tokenized: DatasetDict,
    tokenizer,
    label_column: str,
    batch_size: int,
    eval_batch_size: int,
    seed: int = 42,
) -> dict:
    """A shuffled training ``DataLoader`` and, per other split, one that keeps the split's order.

    Batches are padded per batch by ``DataCollatorForTokenClassification`` (labels with -100).
    """
    import torch
    from torch.utils.data import DataLoader
    from transformers import DataCollatorForTokenClassification

    collator = DataCollatorForTokenClassification(tokenizer)
    loaders = {}
    for split, data in tokenized.items():
        data = data.select_columns(model_columns(data, label_column))
        if split == "train":
            generator = torch.Generator().manual_seed(seed)
            loaders[split] = DataLoader(
                data, batch_size=batch_size, shuffle=True, collate_fn=collator, generator=generator
            )
        else:  # its own generator: evaluating draws nothing from the global RNG that dropout uses
            loaders[split] = DataLoader(
                data, batch_size=eval_batch_size, collate_fn=collator, generator=torch.Generator()
            )
    return loaders


def parameter_groups(model, weight_decay: float) -> list[dict]:
    """AdamW groups: weight decay on weight matrices, none on biases and LayerNorm weights (as Trainer)."""
    import torch

    no_decay = set()
    for module_name, module in model.named_modules():
        for name, _ in module.named_parameters(recurse=False):
            full = f"{module_name}.{name}" if module_name else name
            if isinstance(module, torch.nn.LayerNorm) or name == "bias":
                no_decay.add(full)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    return [
        {"params": [p for n, p in params if n not in no_decay], "weight_decay": weight_decay},
        {"params": [p for n, p in params if n in no_decay], "weight_decay": 0.0},
    ]


def effective_batch_size(per_device: int, num_processes: int, accumulation_steps: int = 1) -> int:
    """Sentences per optimisation step over all devices: ``per_device × processes × accumulation``."""
    return per_device * num_processes * accumulation_steps


def predict_words(accelerator, model, loader, tokenized_split: Dataset, label_column: str) -> dict:
    """Predict a split on every process and gather one prediction per word, each sentence exactly once.

    Returns ``{"pred": [[label id per word], ...], "rows_gather": n}`` where ``rows_gather`` is how many
    rows plain ``accelerator.gather`` would have collected (more than the split when the last batch was padded).
    """
    import torch

    model.eval()
    rows: list[list[int]] = []
    rows_gather = 0
    for batch in loader:
        with torch.no_grad():
            logits = model(**batch).logits
        pred = accelerator.pad_across_processes(logits.argmax(-1), dim=1, pad_index=-100)
        rows.extend(accelerator.gather_for_metrics(pred).tolist())
        rows_gather += int(accelerator.gather(torch.tensor([len(pred)], device=pred.device)).sum())
    if len(rows) != len(tokenized_split):
        raise RuntimeError(f"gathered {len(rows)} predictions for {len(tokenized_split)} sentences")
    gold = tokenized_split[label_column]
    pred = [words_to_predictions(r, w, len(g)) for r, w, g in zip(rows, tokenized_split["word_ids"], gold)]
    return {"pred": pred, "rows_gather": rows_gather}


def evaluate_loop(
    accelerator, model, loader, tokenized_split: Dataset, label_names: Sequence[str], label_column: str
) -> dict:
    """Word-level scores of one split (``score_word_ids``), plus the ``sentences`` scored."""
    out = predict_words(accelerator, model, loader, tokenized_split, label_column)
    result = score_word_ids(tokenized_split[label_column], out["pred"], label_names)
    result["sentences"] = len(out["pred"])
    result["rows_plain_gather"] = out["rows_gather"]
    return result


def save_model(accelerator, model, tokenizer, folder: str | os.PathLike) -> Path:
    """Save the unwrapped model (safetensors) and tokenizer from the main process only; all processes wait."""
    folder = Path(folder)
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:

        def _fill(tmp: Path) -> None:
            accelerator.unwrap_model(model).save_pretrained(tmp, safe_serialization=True)
            tokenizer.save_pretrained(tmp)

        replace_dir_atomic(folder, _fill)
    accelerator.wait_for_everyone()
    return folder


def _accelerator(cpu: bool | None, precision: str = "fp32"):
    from accelerate import Accelerator

    from .precision import resolve_precision

    cpu = distributed_on_cpu() if cpu is None else cpu
    mixed = {"fp32": "no", "bf16": "bf16", "fp16": "fp16"}[
        resolve_precision(precision, "cpu" if cpu else None)
    ]
    return Accelerator(cpu=cpu, mixed_precision=mixed)


def _prepare_data(cfg, ds: DatasetDict | None):
    from .data import load_conll2003, smoke_subset
    from .training import limit_samples

    ds = ds if ds is not None else load_conll2003(cfg.data_dir)
    ds = smoke_subset(ds)
    return limit_samples(ds, cfg.max_train_samples, cfg.max_eval_samples)


def train_loop(cfg, ds: DatasetDict | None = None, *, cpu: bool | None = None) -> dict:
    """Fine-tune with a plain PyTorch loop under ``Accelerator``, score words each epoch, save the model.

    ``cfg`` is a ``helpers.TrainConfig`` (``resume`` is not supported here); works on one process or under a
    launcher (``cpu=None``: CPU processes when there is no GPU). Writes ``<output_dir>/model`` and ``<output_dir>/metrics.json`` (main process) and returns the
    metrics on every process.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup, set_seed

    from .data import label_names as dataset_label_names
    from .data import smoke_mode
    from .evaluation import sort_by_length
    from .modeling import load_model, load_tokenizer, resolve_checkpoint
    from .training import (
        SMOKE_MAX_STEPS,
        check_output_dir,
        env_epochs,
        recipe_for,
        run_record,
        tokenize_dataset,
    )

    if cfg.resume:
        raise ValueError("train_loop does not resume; use helpers.train (Trainer) for --resume")
    accelerator = _accelerator(cpu, cfg.recipe.precision)
    say = accelerator.print
    check_output_dir(cfg.output_dir, overwrite=cfg.overwrite, resume=False)
    accelerator.wait_for_everyone()  # every process has checked the folder before the main one writes to it

    # the main process fills the datasets cache first, the others reuse it
    with accelerator.main_process_first(), quiet_on_other_processes():
        ds = _prepare_data(cfg, ds)
        names = dataset_label_names(ds, cfg.label_column)
        checkpoint = resolve_checkpoint(cfg.model)
        tokenizer = load_tokenizer(checkpoint)
        tokenized = tokenize_dataset(ds, tokenizer, cfg.label_column, cfg.recipe)
        for split in tokenized:
            if split != "train":
                tokenized[split] = sort_by_length(tokenized[split])  # less padding; same scores
        set_seed(cfg.seed)  # same head on every process (DDP also broadcasts the weights of process 0)
        model = load_model(checkpoint, names, reinit_head=cfg.reinit_head)

    recipe = recipe_for(cfg.recipe, model.config)
    loaders = build_dataloaders(
        tokenized, tokenizer, cfg.label_column, recipe.batch_size, recipe.eval_batch_size, cfg.seed
    )
    optimizer = torch.optim.AdamW(parameter_groups(model, recipe.weight_decay), lr=recipe.learning_rate)
    eval_splits = [s for s in ("validation", "test") if s in loaders]
    model, optimizer, train_loader, *eval_loaders = accelerator.prepare(
        model, optimizer, loaders["train"], *(loaders[s] for s in eval_splits)
    )
    eval_loader = dict(zip(eval_splits, eval_loaders))

    max_steps = cfg.max_steps or (SMOKE_MAX_STEPS if smoke_mode() else None)
    steps_per_epoch = len(train_loader)  # after prepare: batches of *this* process
    if max_steps:
        total_steps, epochs = max_steps, math.ceil(max_steps / steps_per_epoch)
    else:
        epochs = math.ceil(cfg.epochs if cfg.epochs is not None else env_epochs(recipe.epochs))
        total_steps = epochs * steps_per_epoch
    scheduler = get_linear_schedule_with_warmup(
        optimizer,
        num_warmup_steps=math.ceil(recipe.warmup_ratio * total_steps),
        num_training_steps=total_steps,
    )
    # prepare() wraps the scheduler so that it steps once per optimizer step
    scheduler = accelerator.prepare(scheduler)
    effective = effective_batch_size(recipe.batch_size, accelerator.num_processes)
    say(
        f"{accelerator.num_processes} process(es) on {accelerator.device.type} "
        f"({accelerator.state.distributed_type.value}, precision {accelerator.mixed_precision}): "
        f"batch size {recipe.batch_size} per device, {effective} effective; "
        f"{total_steps} steps ({steps_per_epoch} per epoch)"
    )

    history: list[dict] = []
    step = 0
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        for batch in train_loader:
            loss = model(**batch).loss
            accelerator.backward(loss)
            accelerator.clip_grad_norm_(model.parameters(), MAX_GRAD_NORM)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step >= total_steps:
                break
        mean_loss = accelerator.gather(loss.detach().float().reshape(1)).mean().item()  # last batch only
        scores = evaluate_loop(
            accelerator, model, eval_loader["validation"], tokenized["validation"], names, cfg.label_column
        )
        row = {"epoch": epoch + 1, "step": step, "loss": round(mean_loss, 4)}
        row.update({k: v for k, v in scores.items() if k.startswith("overall_")})
        history.append(row)
        say(
            f"epoch {epoch + 1}: step {step}, loss {mean_loss:.4f}, "
            f"validation F1 {scores.get('overall_f1', float('nan')):.4f}, "
            f"accuracy {scores['overall_accuracy']:.4f}"
        )
        if step >= total_steps:
            break
    train_seconds = time.perf_counter() - start

    model_dir = save_model(accelerator, model, tokenizer, Path(cfg.output_dir) / "model")
    results = run_record(cfg, checkpoint, ds, recipe, train_seconds, step)
    results.update(num_processes=accelerator.num_processes, per_device_batch_size=recipe.batch_size,
                   effective_batch_size=effective, log_history=history)  # fmt: skip
    for split in eval_splits:
        results[split] = evaluate_loop(
            accelerator, model, eval_loader[split], tokenized[split], names, cfg.label_column
        )
        say(f"\n{split} ({checkpoint}, word level):\n{format_table(results[split])}")
    if accelerator.is_main_process:
        write_json_atomic(Path(cfg.output_dir) / "metrics.json", results)
        say(f"\nModel saved to {model_dir}; metrics written to {Path(cfg.output_dir) / 'metrics.json'}")
    accelerator.wait_for_everyone()
    results["model_dir"] = str(model_dir)
    return results


def evaluate_saved(
    model_dir: str | os.PathLike,
    split: Dataset,
    label_column: str,
    output_dir: str | os.PathLike | None = None,
    batch_size: int = 64,
    cpu: bool | None = None,
) -> dict:
    """Score a saved model on a raw split with the loop's evaluation, on one process or under a launcher.

    Writes ``<output_dir>/metrics.json`` from the main process if ``output_dir`` is given.
    """
    from transformers import AutoModelForTokenClassification

    from .data import label_names as dataset_label_names
    from .evaluation import sort_by_length
    from .modeling import load_tokenizer
    from .training import tokenize_dataset

    accelerator = _accelerator(cpu)
    with accelerator.main_process_first(), quiet_on_other_processes():
        tokenizer = load_tokenizer(str(model_dir))
        names = dataset_label_names(split, label_column)
        model = AutoModelForTokenClassification.from_pretrained(str(model_dir), use_safetensors=True)
        tokenized = sort_by_length(
            tokenize_dataset(DatasetDict({"eval": split}), tokenizer, label_column)["eval"]
        )
    loader = build_dataloaders(
        DatasetDict({"eval": tokenized}), tokenizer, label_column, batch_size, batch_size
    )
    model, loader = accelerator.prepare(model, loader["eval"])
    result = evaluate_loop(accelerator, model, loader, tokenized, names, label_column)
    result["num_processes"] = accelerator.num_processes
    if output_dir is not None and accelerator.is_main_process:
        write_json_atomic(Path(output_dir) / "metrics.json", result)
    accelerator.wait_for_everyone()
    return result


def free_port() -> int:
    """A TCP port on this machine that nothing listens on now (for the processes' rendezvous)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(function, *args, num_processes: int = 2) -> None:
    """Run ``function(*args)`` on ``num_processes`` processes with ``accelerate.notebook_launcher``.

    One process per GPU where there are that many GPUs, else CPU processes over gloo. Call it where CUDA has
    not been used yet; an ``Accelerator`` of an earlier one-process run in this Python process is forgotten.
    """
    import torch
    from accelerate import notebook_launcher
    from accelerate.utils import patch_environment

    reset_accelerate_state()
    on_cpu = {} if torch.cuda.device_count() >= num_processes else {"accelerate_use_cpu": "true"}
    with patch_environment(**on_cpu):
        notebook_launcher(function, args=args, num_processes=num_processes, use_port=str(free_port()))


def reset_accelerate_state() -> None:
    """Forget the ``Accelerator`` of an earlier one-process run in this Python process, so a launch can start."""
    from accelerate.state import AcceleratorState, GradientState

    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()
