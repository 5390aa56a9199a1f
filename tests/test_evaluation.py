"""One evaluation rule: `train` and `evaluate` score a saved model identically, long sentences included."""

from __future__ import annotations

import json

import pytest

from helpers.cli import main
from helpers.data import synthetic_conll
from helpers.readers import write_conll

from .conftest import WORDS

pytestmark = pytest.mark.slow

COLUMNS = ("pos_tags", "chunk_tags", "ner_tags")
# 70 words that are single subtokens of the tiny checkpoint: with [CLS]/[SEP] past its limit of 64
LONG = [w for w in WORDS if w.isalpha()][:35] * 2


@pytest.fixture(scope="module")
def conll_dir(tmp_path_factory):
    """Tiny CoNLL files whose validation split ends with one sentence longer than the model's limit."""
    folder = tmp_path_factory.mktemp("conll")
    corpus = synthetic_conll(seed=5, sizes={"train": 40, "validation": 12, "test": 12})
    for split, ds in corpus.items():
        names = {c: ds.features[c].feature.names for c in COLUMNS}
        records = [{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in COLUMNS}} for r in ds]
        if split == "validation":
            tags = ["B-PER" if i % 7 == 0 else "O" for i in range(len(LONG))]
            records.append({"tokens": LONG, "pos_tags": ["NN"] * len(LONG), "chunk_tags": ["O"] * len(LONG),
                            "ner_tags": tags})  # fmt: skip
        write_conll(records, folder / f"{split}.txt")
    return folder


@pytest.fixture(scope="module")
def trained(tmp_path_factory, conll_dir, tiny_checkpoint):
    """Output folder of `python -m helpers train` (one step, outside smoke mode) on those files."""
    out = tmp_path_factory.mktemp("trained") / "run"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("TOKCLS_SMOKE", raising=False)
        code = main(["train", "--data-dir", str(conll_dir), "--model", tiny_checkpoint, "--output-dir", str(out),
                     "--max-train-samples", "8", "--epochs", "1"])  # fmt: skip
    assert code == 0
    return out


def test_train_and_evaluate_report_identical_validation_metrics(tmp_path, conll_dir, trained, monkeypatch):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    ev = tmp_path / "eval"
    assert main(["evaluate", "--data-dir", str(conll_dir), "--model", str(trained / "model"),
                 "--output-dir", str(ev)]) == 0  # fmt: skip
    from_train = json.loads((trained / "metrics.json").read_text())["validation"]
    from_evaluate = json.loads((ev / "metrics.json").read_text())["validation"]
    assert from_evaluate == from_train
    assert from_train["truncated_words"] == 0  # the long sentence was windowed: every word scored


def test_long_sentence_is_scored_word_by_word(conll_dir, trained):
    from helpers.data import load_conll_folder
    from helpers.evaluation import evaluate_split

    validation = load_conll_folder(conll_dir)["validation"]
    result = evaluate_split(str(trained / "model"), validation, "ner_tags")
    assert result["words"] == sum(len(t) for t in validation["tokens"])
    assert result["per_type"]["PER"]["number"] >= len(range(0, len(LONG), 7))


def test_a_tokenized_split_is_refused_with_a_hint(tiny_checkpoint):
    from helpers.evaluation import evaluate_split
    from helpers.modeling import load_tokenizer
    from helpers.training import tokenize_dataset

    ds = synthetic_conll(seed=5, sizes={"train": 4, "validation": 2, "test": 2})
    tokenized = tokenize_dataset(ds, load_tokenizer(tiny_checkpoint), "ner_tags")
    with pytest.raises(ValueError, match="untokenized split"):
        evaluate_split("unused", tokenized["validation"], "ner_tags")


def test_predict_word_ids_keeps_the_split_order_under_length_grouping(tmp_path, conll_dir, trained):
    from dataclasses import replace

    import numpy as np
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from helpers.data import load_conll2003
    from helpers.evaluation import predict_word_ids
    from helpers.training import COURSE_RECIPE, build_trainer, build_training_args, tokenize_dataset

    recipe = replace(COURSE_RECIPE, precision="fp32", eval_batch_size=4)
    assert recipe.group_by_length  # the case where trainer.predict reorders its rows
    model_dir = trained / "model"
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
    tokenized = tokenize_dataset(load_conll2003(conll_dir), tokenizer, "ner_tags", recipe)
    args = build_training_args(tmp_path, recipe)
    trainer = build_trainer(model, tokenizer, tokenized, args, "ner_tags")
    split = tokenized["validation"]
    got = predict_word_ids(trainer, split, "ner_tags")
    for row, words in zip(split, got):
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([row["input_ids"]])).logits[0]
        best = logits.argmax(-1).numpy()
        wid = row["word_ids"]  # special tokens are stored as -1 (or None)
        firsts = [i for i, w in enumerate(wid) if w is not None and w >= 0 and (i == 0 or wid[i - 1] != w)]
        assert words[: len(firsts)] == [int(x) for x in np.asarray(best)[firsts]]
