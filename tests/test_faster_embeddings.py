"""Lesson 7's faster embeddings: only the rows added to a vocabulary learn faster, never a whole pretrained matrix."""

from __future__ import annotations

import json

import pytest
import torch

from helpers.zh.vocab import ADDED_ROWS, extend_vocabulary, faster_embeddings, scale_row_updates

SENTENCES = [["北", "京", "是", "首", "都"], ["王", "小", "明"]]


def one_adamw_step(rows: slice | None, multiplier: float = 10.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights before and after one AdamW step of a small embedding, with ``rows`` scaled (None: plain)."""
    torch.manual_seed(0)
    emb = torch.nn.Embedding(6, 4)
    optimizer = torch.optim.AdamW(emb.parameters(), lr=1e-2, weight_decay=0.0)
    if rows is not None:
        scale_row_updates(optimizer, emb.weight, rows, multiplier)
    before = emb.weight.detach().clone()
    emb(torch.tensor([0, 1, 2, 3, 4, 5])).pow(2).sum().backward()
    optimizer.step()
    return before, emb.weight.detach().clone()


def test_added_rows_move_multiplier_times_as_far_and_the_others_as_far_as_without():
    before, plain = one_adamw_step(None)
    _, scaled = one_adamw_step(slice(4, 6))
    assert torch.allclose(scaled[:4], plain[:4])  # the checkpoint's own rows: the recipe's rate
    assert torch.allclose(scaled[4:] - before[4:], 10 * (plain[4:] - before[4:]))


def test_extend_vocabulary_records_which_rows_it_added(tmp_path, tiny_checkpoint):
    out = extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    config = json.loads((tmp_path / "ext" / "config.json").read_text())
    first, end = config[ADDED_ROWS]
    assert out == str(tmp_path / "ext") and end - first == 8 and first == config["vocab_size"] - 8


class FakeTrainer:
    """What the setup uses of a Trainer: its model, and ``create_optimizer`` (counted)."""

    def __init__(self, model):
        self.model, self.created = model, 0

    def create_optimizer(self):
        self.created += 1
        return torch.optim.AdamW(self.model.parameters(), lr=1e-3)


def test_a_checkpoint_without_added_rows_keeps_the_recipes_optimizer(tiny_checkpoint, capsys):
    """bert-base-chinese and the like: nothing was added, so no parameter learns faster than the recipe says."""
    from helpers.modeling import load_model

    trainer = FakeTrainer(load_model(tiny_checkpoint, ["O", "B-PER", "I-PER"]))
    faster_embeddings(10.0)(trainer)
    assert trainer.created == 0
    assert "no rows were added" in capsys.readouterr().out


@pytest.mark.slow
def test_with_a_trainer_only_the_added_rows_learn_ten_times_faster(tmp_path, tiny_checkpoint):
    from datasets import DatasetDict

    from helpers.config import Recipe
    from helpers.data import records_to_dataset
    from helpers.modeling import load_model, load_tokenizer
    from helpers.runs import tokenize_dataset
    from helpers.training import build_trainer, build_training_args

    path = extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    labels = {"ner_tags": ["O", "B-LOC", "I-LOC"]}
    records = [
        {"id": str(i), "tokens": s, "ner_tags": ["B-LOC"] + ["I-LOC"] * (len(s) - 1)}
        for i, s in enumerate(SENTENCES)
    ]
    ds = DatasetDict(
        train=records_to_dataset(records, labels), validation=records_to_dataset(records, labels)
    )
    tokenizer = load_tokenizer(path)
    tokenized = tokenize_dataset(ds, tokenizer, "ner_tags")
    recipe = Recipe(
        learning_rate=1e-2, epochs=1, batch_size=2, warmup_ratio=0.0, precision="fp32", group_by_length=False
    )

    def step(setup) -> tuple[torch.Tensor, torch.Tensor]:
        torch.manual_seed(0)
        model = load_model(path, labels["ner_tags"])
        before = model.get_input_embeddings().weight.detach().clone()
        args = build_training_args(
            tmp_path / "out", recipe, max_steps=1, save_strategy="no", eval_strategy="no"
        )
        trainer = build_trainer(model, tokenizer, tokenized, args, "ner_tags")
        if setup:
            setup(trainer)
        trainer.train()
        return before, model.get_input_embeddings().weight.detach().clone()

    before, plain = step(None)
    _, faster = step(faster_embeddings(10.0))
    first, end = json.loads((tmp_path / "ext" / "config.json").read_text())[ADDED_ROWS]
    assert torch.allclose(faster[:first], plain[:first], atol=1e-7)
    moved = (plain[first:end] - before[first:end]).abs().sum()
    assert moved > 0
    assert torch.allclose(
        faster[first:end] - before[first:end], 10 * (plain[first:end] - before[first:end]), atol=1e-6
    )
