"""The helpers the lessons name do the same job as the calls the lessons write out.

Lesson 3 builds the model, the ``TrainingArguments`` and the ``Trainer`` by hand, then says that
``helpers.train`` does the same in one call; this test holds it to that on a tiny model: same seed, same
data, same recipe give the same logged losses and the same weights.
"""

from __future__ import annotations

import pytest
import torch

import helpers
from helpers.data import synthetic_conll

pytestmark = pytest.mark.slow

RECIPE = helpers.COURSE_RECIPE.__class__(
    learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=16, warmup_ratio=0.1, precision="fp32"
)
STEPS, EVAL_STEPS = 6, 3


@pytest.fixture(scope="module")
def data():
    return synthetic_conll(seed=3, sizes={"train": 48, "validation": 16, "test": 16})


def _lesson_3_by_hand(checkpoint: str, ds, output_dir) -> tuple[list[float], dict]:
    """Lesson 3's cells, in order: load_tokenizer, set_seed, the model with label maps, tokenize_dataset,
    the collator, TrainingArguments written out, Trainer, train."""
    from transformers import (
        AutoModelForTokenClassification,
        DataCollatorForTokenClassification,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    label_names = helpers.label_names(ds, "ner_tags")
    tokenizer = helpers.load_tokenizer(checkpoint)
    id2label = dict(enumerate(label_names))
    set_seed(42)
    model = AutoModelForTokenClassification.from_pretrained(
        checkpoint,
        num_labels=len(label_names),
        id2label=id2label,
        label2id={n: i for i, n in id2label.items()},
    )
    tokenized = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", RECIPE)
    args = TrainingArguments(
        output_dir=str(output_dir),
        learning_rate=RECIPE.learning_rate,
        per_device_train_batch_size=RECIPE.batch_size,
        per_device_eval_batch_size=RECIPE.eval_batch_size,
        num_train_epochs=RECIPE.epochs,
        max_steps=STEPS,
        weight_decay=RECIPE.weight_decay,
        use_cpu=True,
        warmup_steps=RECIPE.warmup_ratio,
        lr_scheduler_type=RECIPE.lr_scheduler,
        train_sampling_strategy="group_by_length",
        eval_strategy="steps",
        eval_steps=EVAL_STEPS,
        save_strategy="no",
        logging_strategy="steps",
        logging_steps=min(50, EVAL_STEPS),
        seed=42,
        data_seed=42,
        report_to="none",
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=tokenized["train"],
        eval_dataset=tokenized["validation"],
        data_collator=DataCollatorForTokenClassification(tokenizer),
        processing_class=tokenizer,
        compute_metrics=helpers.make_compute_metrics(label_names),
    )
    trainer.train()
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    return losses, {name: w.detach().cpu() for name, w in trainer.model.state_dict().items()}


def test_helpers_train_is_lesson_3_written_out(tmp_path, tiny_checkpoint, data, monkeypatch):
    from transformers import AutoModelForTokenClassification

    monkeypatch.delenv("TOKCLS_EPOCHS", raising=False)
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    by_hand_losses, by_hand_weights = _lesson_3_by_hand(tiny_checkpoint, data, tmp_path / "by_hand")
    config = helpers.TrainConfig(
        output_dir=str(tmp_path / "one_call"),
        model=tiny_checkpoint,
        recipe=RECIPE,
        seed=42,
        max_steps=STEPS,
        eval_steps=EVAL_STEPS,
        save_checkpoints=False,
    )
    one_call = helpers.train(config, data)
    losses = [entry["loss"] for entry in one_call["log_history"] if "loss" in entry]
    saved = AutoModelForTokenClassification.from_pretrained(one_call["model_dir"]).state_dict()
    assert losses == by_hand_losses
    different = [name for name, w in by_hand_weights.items() if not torch.equal(w, saved[name])]
    assert not different, f"weights differ after the same job: {different[:5]}"
