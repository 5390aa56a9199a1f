"""Train one recipe while recording validation F1 against training wall time, throughput and padding.

Run as a child process (``python -m benchmarks.harness CONFIG.json OUT.json``) so that peak memory is the
recipe's own.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from transformers import DataCollatorForTokenClassification, TrainerCallback

from helpers.config import Recipe, TrainConfig
from helpers.data import load_conll2003
from helpers.io import display_path, write_json_atomic
from helpers.precision import resolve_precision
from helpers.runs import limit_samples
from helpers.training import train

# levers measured here that are not Recipe fields (not adopted): set through TrainingArguments and setup=
LEVERS = ("freeze_embeddings", "label_smoothing", "torch_compile")


class CountingCollator(DataCollatorForTokenClassification):
    """Dynamic padding that also counts real and padded token positions of every training batch."""

    real_tokens = 0
    padded_tokens = 0
    counting = True  # switched off around evaluations by CurveRecorder

    def __call__(self, features, return_tensors=None):
        batch = super().__call__(features, return_tensors)
        if self.counting:
            mask = batch["attention_mask"]
            self.real_tokens += int(mask.sum())
            self.padded_tokens += int(mask.numel())
        return batch


class CurveRecorder(TrainerCallback):
    """Training wall time (evaluation excluded) at every evaluation, with the word-level F1 it gave."""

    def __init__(self, collator: CountingCollator):
        self.collator = collator
        self.start = None
        self.eval_seconds = 0.0
        self.curve = []
        self._eval_started = None
        self.train_seconds_at_end = 0.0

    def on_train_begin(self, args, state, control, **kw):
        self.start = time.perf_counter()

    def on_step_end(self, args, state, control, **kw):
        self._eval_started = time.perf_counter()
        if control.should_evaluate:
            self.collator.counting = False

    def on_evaluate(self, args, state, control, metrics=None, **kw):
        self.collator.counting = True
        now = time.perf_counter()
        self.eval_seconds += now - (self._eval_started or now)
        self.curve.append(
            {
                "step": state.global_step,
                "epoch": round(state.epoch or 0, 3),
                "train_seconds": round(now - self.start - self.eval_seconds, 2),
                "f1": metrics.get("eval_overall_f1"),
            }
        )

    def on_train_end(self, args, state, control, **kw):
        self.collator.counting = False
        self.train_seconds_at_end = time.perf_counter() - self.start - self.eval_seconds


def non_embedding_params(model) -> int:
    """Parameters outside the embedding tables (what 6·N·tokens counts)."""
    return sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)


def run(config: dict) -> dict:
    """Train and evaluate one recipe as described by ``config`` with ``helpers.train``; returns the measurements.

    ``train`` does the job; a ``setup`` hook swaps in the counting collator and adds the curve recorder.
    """
    settings = dict(config["recipe"])
    levers = {name: settings.pop(name) for name in LEVERS if name in settings}
    recipe = Recipe(**settings)
    training_args = {"logging_steps": 50, "disable_tqdm": True}
    if levers.get("label_smoothing"):
        training_args["label_smoothing_factor"] = levers["label_smoothing"]
    if levers.get("torch_compile"):
        training_args["torch_compile"] = True
    ds = load_conll2003(config.get("data_dir"), verbose=False, documents=recipe.context_tokens > 0)
    ds = limit_samples(ds, config.get("max_train_samples"), config.get("max_eval_samples"))
    steps_per_epoch = -(-len(ds["train"]) // recipe.batch_size)
    cfg = TrainConfig(
        model=config["checkpoint"],
        output_dir=config["output_dir"],
        recipe=recipe,
        seed=config.get("seed", 42),
        eval_steps=max(1, int(steps_per_epoch * config.get("eval_every_epochs", 0.25))),
        max_steps=config.get("max_steps"),
        overwrite=True,
        save_checkpoints=False,
        training_args=training_args,
    )
    seen = {}

    def setup(trainer) -> None:
        collator = CountingCollator(trainer.processing_class)
        trainer.data_collator = collator
        seen.update(trainer=trainer, collator=collator, recorder=CurveRecorder(collator))
        trainer.add_callback(seen["recorder"])
        if levers.get("freeze_embeddings"):  # its gradient and AdamW update are skipped
            trainer.model.get_input_embeddings().weight.requires_grad_(False)

    metrics = train(cfg, ds=ds, setup=setup)
    trainer, collator, recorder = seen["trainer"], seen["collator"], seen["recorder"]
    train_seconds = recorder.train_seconds_at_end
    model = trainer.model
    layers, hidden = model.config.num_hidden_layers, model.config.hidden_size
    lengths = [len(x) for x in trainer.train_dataset["input_ids"]]
    epochs_run = trainer.state.epoch or 0
    # useful training FLOPs: 6·N per real token, plus attention (QK^T and AV, fwd+bwd) over real lengths
    attn = 12 * layers * hidden * sum(n * n for n in lengths) * epochs_run
    useful_flops = 6 * non_embedding_params(model) * collator.real_tokens + attn
    return {
        "name": config["name"],
        "seed": cfg.seed,
        "recipe": {**metrics["recipe"], **levers},  # as used: the width decided what the recipe left open
        "precision": resolve_precision(recipe.precision),
        "checkpoint": display_path(config["checkpoint"]),
        "train_sentences": len(ds["train"]),
        "steps": trainer.state.global_step,
        "epochs": round(epochs_run, 3),
        "train_seconds": round(train_seconds, 1),
        "eval_seconds": round(recorder.eval_seconds, 1),
        "curve": recorder.curve,
        "real_tokens": collator.real_tokens,
        "computed_tokens": collator.padded_tokens,
        "computed_tokens_per_step": round(collator.padded_tokens / max(1, trainer.state.global_step)),
        "hidden_size": hidden,
        "intermediate_size": model.config.intermediate_size,
        "padding_fraction": round(1 - collator.real_tokens / max(1, collator.padded_tokens), 4),
        "tokens_per_second": round(collator.real_tokens / train_seconds, 1),
        "useful_tflops": round(useful_flops / train_seconds / 1e12, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "validation": metrics["validation"],
        "test": metrics["test"],
    }


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[0]).read_text())
    result = run(config)
    write_json_atomic(argv[1], result)
    print(f"{config['name']}: val F1 {result['validation']['overall_f1']:.4f} in {result['train_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
