"""Document context: neighbours from the same document only, within budget, labels -100 on context words."""

from __future__ import annotations

import json

import pytest

from helpers.align import IGNORE_INDEX
from helpers.context import add_context, document_ids, neighbours
from helpers.readers import read_conll

SENTENCES = [["a", "b"], ["c", "d", "e"], ["f"], ["g", "h"]]
COUNTS = [[1, 1], [1, 2, 1], [1], [1, 1]]


def test_neighbours_stop_at_a_document_boundary():
    got = neighbours(SENTENCES, COUNTS, [0, 0, 0, 1], each_side=2, budget=100)
    assert got[2] == (["e"], [])  # "d" (2 subtokens) would pass the side's 2; sentence 3 is another document
    assert got[3] == ([], [])


def test_neighbours_take_whole_words_up_to_each_side():
    got = neighbours(SENTENCES, COUNTS, [0, 0, 0, 0], each_side=2, budget=100)
    assert got[0] == ([], ["c"])  # c (1) + d (2) > 2
    assert got[1] == (["a", "b"], ["f", "g"])


def test_neighbours_share_what_the_budget_leaves_after_the_sentence():
    got = neighbours(SENTENCES, COUNTS, [0, 0, 0, 0], each_side=10, budget=6)
    assert got[1] == (["b"], ["f"])  # 4 subtokens of its own leave 1 on each side


def test_add_context_labels_only_the_centre_sentence(tiny_checkpoint):
    from datasets import Dataset

    from helpers.modeling import load_tokenizer

    tok = load_tokenizer(tiny_checkpoint)
    split = Dataset.from_dict(
        {"tokens": [["the", "cat"], ["a", "dog"], ["the", "bird"]], "ner_tags": [[1, 0], [0, 2], [3, 0]],
         "document": [0, 0, 1]}
    )  # fmt: skip
    out = add_context(split, tok, "ner_tags", each_side=8)
    assert out[0]["tokens"] == ["the", "cat", "a", "dog"]
    assert out[0]["ner_tags"] == [1, 0, IGNORE_INDEX, IGNORE_INDEX]
    assert out[1]["ner_tags"] == [IGNORE_INDEX, IGNORE_INDEX, 0, 2]
    assert out[2]["tokens"] == ["the", "bird"]  # alone in its document


def test_read_conll_numbers_docstart_documents(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("-DOCSTART- O\n\nA O\n\nB O\n\n-DOCSTART- O\n\nC O\n", encoding="utf-8")
    records = read_conll(path, ("tokens", "ner_tags"), documents=True)
    assert [r["document"] for r in records] == [0, 0, 1]
    assert "document" not in read_conll(path, ("tokens", "ner_tags"))[0]


def test_a_split_without_documents_is_one_stream():
    from datasets import Dataset

    assert document_ids(Dataset.from_dict({"tokens": [["a"], ["b"]]})) == [0, 0]


def test_tagger_without_context_ignores_documents(tiny_checkpoint):
    from helpers.inference import Tagger

    tagger = Tagger.from_pretrained(tiny_checkpoint, precision="fp32")
    assert tagger.context_tokens == 0  # the checkpoint was not trained with context
    words = [["the", "cat", "sat"], ["a", "dog"]]
    plain = tagger.tag_words(words)
    assert [s.scores for s in tagger.tag_words(words, documents=[0, 0])] == [s.scores for s in plain]


def test_tagger_with_context_changes_only_what_context_can_change(tiny_checkpoint):
    from helpers.inference import Tagger

    tagger = Tagger.from_pretrained(tiny_checkpoint, precision="fp32", context_tokens=16)
    words = [["the", "cat", "sat"], ["a", "dog"], ["the", "bird"]]
    alone = tagger.tag_words(words, documents=[0, 1, 2])  # each its own document: no context at all
    assert [s.scores for s in alone] == [s.scores for s in tagger.tag_words(words)]
    together = tagger.tag_words(words, documents=[0, 0, 0])
    assert [len(s.tags) for s in together] == [3, 2, 2]
    assert [s.scores for s in together] != [s.scores for s in alone]  # the neighbours reached the model


@pytest.mark.slow
def test_train_with_context_saves_it_and_evaluate_scores_identically(tmp_path, tiny_checkpoint, monkeypatch):
    from helpers.cli import main
    from helpers.data import synthetic_conll
    from helpers.readers import write_conll

    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    folder = tmp_path / "conll"
    folder.mkdir()
    cols = ("pos_tags", "chunk_tags", "ner_tags")
    for split, ds in synthetic_conll(seed=3, sizes={"train": 24, "validation": 12, "test": 6}).items():
        names = {c: ds.features[c].feature.names for c in cols}
        recs = [{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in cols}} for r in ds]
        write_conll(recs, folder / f"{split}.txt")
    out = tmp_path / "run"
    assert main(["train", "--data-dir", str(folder), "--model", tiny_checkpoint, "--output-dir", str(out),
                 "--epochs", "1", "--context-tokens", "8", "--no-checkpoints"]) == 0  # fmt: skip
    assert json.loads((out / "model" / "config.json").read_text())["tokcls_context_tokens"] == 8
    ev = tmp_path / "eval"
    assert (
        main(["evaluate", "--data-dir", str(folder), "--model", str(out / "model"), "--output-dir", str(ev)])
        == 0
    )
    assert (
        json.loads((ev / "metrics.json").read_text())["validation"]
        == json.loads((out / "metrics.json").read_text())["validation"]
    )
