"""Your own training loop with 🤗 Accelerate: the lesson-3 job without ``Trainer``, on one or many devices.

``train_loop(cfg)`` runs in one process when called directly, and on N processes (GPUs, or CPU processes
talking over gloo) when handed to ``launch`` / ``accelerate.notebook_launcher`` or started by
``torchrun`` / ``accelerate launch``. Only the main process prints and writes files. It takes the same
``TrainConfig`` as ``helpers.train``, completes the recipe by the same rule (helpers.config.recipe_for),
and scores and writes ``metrics.json`` with the same function (helpers.runs.score_and_write); a setting it
does not implement is refused, never ignored.
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
from .config import TrainConfig, recipe_as_run, recipe_for, recipe_line
from .decisions import record
from .io import replace_dir_atomic
from .metrics import format_table, score_word_ids
from .precision import (
    ProcessPlan,
    cpu_cores,
    distributed_on_cpu,
    plan_processes,
    quiet_on_other_processes,
    resolve_precision,
)

MAX_GRAD_NORM = 1.0  # gradient clipping, as Trainer does by default
WORD_COLUMNS = ("word_ids",)  # kept for word-level scoring; the model does not take them
MIXED_PRECISION = {"fp32": "no", "bf16": "bf16", "fp16": "fp16"}  # our names -> Accelerator(mixed_precision=)


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
    *,
    group_by_length: bool = False,
    num_processes: int = 1,
) -> dict:
    """A shuffled training ``DataLoader`` and, per other split, one that keeps the split's order.

    With ``group_by_length`` the training order is transformers' ``LengthGroupedSampler`` (as Trainer's), drawn
    for the whole step (``batch_size × num_processes`` sentences), so that one optimisation step sees the same
    sentences whatever the number of processes. Batches are padded per batch by
    ``DataCollatorForTokenClassification`` (labels with -100).
    """
    import torch
    from torch.utils.data import DataLoader
    from transformers import DataCollatorForTokenClassification
    from transformers.trainer_pt_utils import LengthGroupedSampler

    collator = DataCollatorForTokenClassification(tokenizer)
    loaders = {}
    for split, data in tokenized.items():
        data = data.select_columns(model_columns(data, label_column))
        if split == "train":
            generator = torch.Generator().manual_seed(seed)
            if group_by_length:
                lengths = [len(ids) for ids in data["input_ids"]]
                sampler = LengthGroupedSampler(
                    batch_size * num_processes, lengths=lengths, generator=generator
                )
                loaders[split] = DataLoader(data, batch_size=batch_size, sampler=sampler, collate_fn=collator)
            else:
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


def schedule_for_prepare(
    optimizer, total_steps: int, warmup_ratio: float, num_processes: int, name: str = "linear"
):
    """A learning-rate schedule over ``total_steps`` optimizer steps, sized for ``accelerator.prepare``.

    The prepared scheduler steps ``num_processes`` times per optimizer step (Accelerate assumes a schedule
    sized for one process that sees every batch), so warm-up and length are counted in those steps: the
    learning rate then follows the one-process curve step for step, on any number of processes.
    """
    from transformers import get_scheduler

    warmup = math.ceil(warmup_ratio * total_steps)
    return get_scheduler(
        name,
        optimizer,
        num_warmup_steps=warmup * num_processes,
        num_training_steps=total_steps * num_processes,
    )


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
    """Word-level scores of one tokenized split on every process (``score_word_ids``), plus the
    ``sentences`` scored and the rows plain ``gather`` would have collected (``rows_plain_gather``)."""
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


def accelerator_settings(cpu: bool | None = None, precision: str = "auto") -> dict:
    """``Accelerator`` arguments for a run: ``cpu`` (None: CPU processes when launched without a GPU) and
    ``mixed_precision`` from the recipe's precision on that device (helpers.precision)."""
    cpu = distributed_on_cpu() if cpu is None else cpu
    return {
        "cpu": cpu,
        "mixed_precision": MIXED_PRECISION[resolve_precision(precision, "cpu" if cpu else None)],
    }


def unsupported_settings(cfg: TrainConfig) -> list[str]:
    """The settings of ``cfg`` that ``train_loop`` does not implement, each with what to do instead.

    (``decoding`` is implemented: the final scores in ``metrics.json`` use it; the per-epoch log is argmax.)
    """
    problems = []
    if cfg.resume:
        problems.append("resume: train_loop does not resume; use helpers.train (Trainer) for --resume")
    if cfg.save_checkpoints:
        problems.append(
            "save_checkpoints=True: train_loop saves the final model only; pass save_checkpoints=False "
            "(--no-checkpoints), or use helpers.train for checkpoints"
        )
    if cfg.training_args:
        problems.append(
            f"training_args {sorted(cfg.training_args)}: TrainingArguments are Trainer's (helpers.train)"
        )
    if cfg.recipe.context_tokens:
        problems.append("recipe.context_tokens: document context is implemented by helpers.train only")
    return problems


def train_loop(cfg: TrainConfig, ds: DatasetDict | None = None, *, cpu: bool | None = None) -> dict:
    """Fine-tune with a plain PyTorch loop under ``Accelerator``, score words every epoch (or every
    ``cfg.eval_steps`` steps), save the model, and score it for ``metrics.json`` as ``helpers.train`` does.

    ``cfg`` is a ``helpers.TrainConfig``; a setting the loop does not implement raises ``ValueError`` (see
    :func:`unsupported_settings`). Works on one process or under a launcher (``cpu=None``: CPU processes when
    there is no GPU). Writes ``<output_dir>/model`` and ``<output_dir>/metrics.json`` (main process) and
    returns the metrics on every process.
    """
    import torch
    from accelerate import Accelerator
    from transformers import set_seed

    from .coverage import guess_language
    from .data import label_names as dataset_label_names
    from .data import smoke_mode
    from .evaluation import sort_by_length
    from .modeling import load_model, load_tokenizer, resolve_checkpoint
    from .runs import SMOKE_MAX_STEPS, check_output_dir, prepare_data, run_record, score_and_write
    from .runs import tokenize_dataset as tokenize

    problems = unsupported_settings(cfg)
    if problems:
        raise ValueError("train_loop does not implement: " + "; ".join(problems))
    accelerator = Accelerator(**accelerator_settings(cpu, cfg.recipe.precision))
    say = accelerator.print
    check_output_dir(cfg.output_dir, overwrite=cfg.overwrite, resume=False)
    accelerator.wait_for_everyone()  # every process has checked the folder before the main one writes to it

    # the main process fills the datasets cache first, the others reuse it
    with accelerator.main_process_first(), quiet_on_other_processes():
        ds = prepare_data(cfg, ds)
        names = dataset_label_names(ds, cfg.label_column)
        language = guess_language(ds["train"]["tokens"]) if cfg.language == "auto" else cfg.language
        checkpoint = resolve_checkpoint(cfg.model, language=language)
        tokenizer = load_tokenizer(checkpoint)
        set_seed(cfg.seed)  # same head on every process (DDP also broadcasts the weights of process 0)
        model = load_model(checkpoint, names, reinit_head=cfg.reinit_head)
        recipe = recipe_as_run(recipe_for(cfg.recipe, model.config), cfg.epochs)
        tokenized = tokenize(ds, tokenizer, cfg.label_column, recipe)
        for split in tokenized:
            if split != "train":
                tokenized[split] = sort_by_length(tokenized[split])  # less padding; same scores
    model.config.tokcls_context_tokens = 0  # saved with the model: Tagger and `evaluate` read them back
    model.config.tokcls_language = language

    processes = accelerator.num_processes
    loaders = build_dataloaders(
        tokenized, tokenizer, cfg.label_column, recipe.batch_size, recipe.eval_batch_size, cfg.seed,
        group_by_length=recipe.group_by_length, num_processes=processes,
    )  # fmt: skip
    optimizer = torch.optim.AdamW(parameter_groups(model, recipe.weight_decay), lr=recipe.learning_rate)
    eval_splits = [s for s in ("validation", "test") if s in loaders]
    model, optimizer, train_loader, *eval_loaders = accelerator.prepare(
        model, optimizer, loaders["train"], *(loaders[s] for s in eval_splits)
    )
    eval_loader = dict(zip(eval_splits, eval_loaders))

    max_steps = cfg.max_steps or (SMOKE_MAX_STEPS if smoke_mode() else None)
    steps_per_epoch = len(
        train_loader
    )  # after prepare: batches of *this* process = optimizer steps per epoch
    if max_steps:
        total_steps, epochs = max_steps, math.ceil(max_steps / steps_per_epoch)
    else:
        epochs = math.ceil(recipe.epochs)
        total_steps = epochs * steps_per_epoch
    scheduler = schedule_for_prepare(
        optimizer, total_steps, recipe.warmup_ratio, processes, recipe.lr_scheduler
    )
    scheduler = accelerator.prepare(scheduler)  # steps `processes` times per optimizer step: sized for that
    effective = effective_batch_size(recipe.batch_size, processes)
    device, precision = (
        accelerator.device.type,
        {"no": "fp32"}.get(accelerator.mixed_precision, accelerator.mixed_precision),
    )
    say(
        f"{processes} process(es) on {device} ({accelerator.state.distributed_type.value}, "
        f"precision {precision}): batch size {recipe.batch_size} per device, {effective} effective; "
        f"{total_steps} steps ({steps_per_epoch} per epoch)"
    )
    say(recipe_line(recipe))
    record("run", runner="train_loop", device=device, precision=precision, processes=processes)

    history: list[dict] = []

    def evaluate(epoch: int, step: int, loss) -> None:
        mean_loss = accelerator.gather(loss.detach().float().reshape(1)).mean().item()  # last batch only
        scores = evaluate_loop(
            accelerator, model, eval_loader["validation"], tokenized["validation"], names, cfg.label_column
        )
        row = {
            "epoch": epoch,
            "step": step,
            "loss": round(mean_loss, 4),
            "learning_rate": scheduler.get_last_lr()[0],
        }
        row.update(
            {
                k: v
                for k, v in scores.items()
                if k.startswith("overall_") or k in ("sentences", "rows_plain_gather")
            }
        )
        history.append(row)
        say(
            f"epoch {epoch}: step {step}, loss {mean_loss:.4f}, "
            f"validation F1 {scores.get('overall_f1', float('nan')):.4f}, "
            f"accuracy {scores['overall_accuracy']:.4f}"
        )
        model.train()

    step = 0
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        for batch in train_loader:
            loss = model(**batch).loss
            accelerator.backward(loss)
            accelerator.clip_grad_norm_(model.parameters(), MAX_GRAD_NORM)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if cfg.eval_steps and step % cfg.eval_steps == 0 and "validation" in eval_loader:
                evaluate(epoch, step, loss)
            if step >= total_steps:
                break
        if not cfg.eval_steps and "validation" in eval_loader:
            evaluate(epoch, step, loss)
        if step >= total_steps:
            break
    train_seconds = time.perf_counter() - start

    model_dir = save_model(accelerator, model, tokenizer, Path(cfg.output_dir) / "model")
    results = run_record(
        cfg, checkpoint, ds, recipe, accelerator.unwrap_model(model),
        train_seconds=train_seconds, steps=step, device=device, precision=precision, processes=processes,
    )  # fmt: skip
    results.update(
        language=language, per_device_batch_size=recipe.batch_size, effective_batch_size=effective,
        log_history=history,
    )  # fmt: skip
    if accelerator.is_main_process:  # the saved model scored as `helpers.train` scores its own
        score_and_write(results, model_dir, ds, cfg, names)
        for split in eval_splits:
            say(f"\n{split} ({checkpoint}, word level):\n{format_table(results[split])}")
        say(f"\nModel saved to {model_dir}; metrics written to {Path(cfg.output_dir) / 'metrics.json'}")
    accelerator.wait_for_everyone()
    results["model_dir"] = str(model_dir)
    return results


def free_port() -> int:
    """A TCP port on this machine that nothing listens on now (for the processes' rendezvous)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(function, *args, num_processes: int | None = None, cpu: bool = False) -> ProcessPlan:
    """Run ``function(*args)`` on the processes this machine can host (``helpers.precision.plan_processes``).

    One process per GPU where there are GPUs, at most ``num_processes``: on one GPU (Colab) that is one
    process, run here in the notebook's process, on the GPU. Without a GPU, or with ``cpu=True``,
    ``num_processes`` CPU processes over gloo, each with its share of the cores; more than the cores raise
    ``DeviceError``. Prints and returns the plan. Several processes are forked by
    ``accelerate.notebook_launcher``: call it where CUDA has not been used yet; an ``Accelerator`` of an
    earlier one-process run in this Python process is forgotten first.
    """
    from accelerate import notebook_launcher
    from accelerate.utils import patch_environment

    plan = plan_processes(num_processes, cpu=cpu)
    print(f"Launch: {plan.reason}")
    record("launch", device=plan.device, processes=plan.processes, asked=num_processes, cpu=cpu)
    reset_accelerate_state()
    on_cpu = {"accelerate_use_cpu": "true"} if plan.device == "cpu" else {}
    with patch_environment(**on_cpu):
        if plan.processes == 1:
            function(*args)  # what notebook_launcher does for one process, whatever device
        else:
            threads = max(1, cpu_cores() // plan.processes) if plan.device == "cpu" else None
            notebook_launcher(
                _with_threads(function, threads),
                args=args,
                num_processes=plan.processes,
                use_port=str(free_port()),
            )
    return plan


def _with_threads(function, threads: int | None):
    """``function`` run with ``threads`` CPU threads per process (processes that share the cores do not
    oversubscribe them); ``function`` itself when ``threads`` is None."""
    if threads is None:
        return function

    def run(*args):
        import torch

        torch.set_num_threads(threads)
        return function(*args)

    return run


def reset_accelerate_state() -> None:
    """Forget the ``Accelerator`` of an earlier one-process run in this Python process, so a launch can start."""
    from accelerate.state import AcceleratorState, GradientState

    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()


__all__ = [
    "accelerator_settings",
    "build_dataloaders",
    "effective_batch_size",
    "evaluate_loop",
    "launch",
    "parameter_groups",
    "predict_words",
    "save_model",
    "schedule_for_prepare",
    "train_loop",
    "unsupported_settings",
]
