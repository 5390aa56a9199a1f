"""Tests of helpers.decoding: valid-span (constrained) decoding against per-word argmax."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.decoding import check_decoding, decode, label_scheme, logits_to_ids, transitions, viterbi
from helpers.labels import NER_LABELS, POS_LABELS

BMES = ["B-W", "M-W", "E-W", "S-W"]
BMES_POS = [f"{p}-{t}" for t in ("n", "v") for p in "BMES"]
BIOES = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]


def probs(rows: list[list[float]]) -> np.ndarray:
    return np.log(np.asarray(rows))


def tags(ids, names):
    return [names[i] for i in ids]


def test_I_after_O_that_argmax_writes_is_repaired():
    names = ["O", "B-LOC", "I-LOC"]
    # word 1: O slightly above B-LOC; word 2: I-LOC clearly best. Argmax: O I-LOC (invalid in IOB2)
    lp = probs([[0.5, 0.4, 0.1], [0.1, 0.1, 0.8]])
    assert tags(decode(lp, names, "argmax"), names) == ["O", "I-LOC"]
    assert tags(decode(lp, names, "constrained"), names) == ["B-LOC", "I-LOC"]


def test_I_of_another_type_after_B_is_repaired():
    names = NER_LABELS
    lp = np.full((2, len(names)), np.log(0.01))
    lp[0, names.index("B-ORG")] = np.log(0.9)
    lp[1, names.index("I-LOC")] = np.log(0.6)
    lp[1, names.index("I-ORG")] = np.log(0.3)
    assert tags(decode(lp, names, "argmax"), names) == ["B-ORG", "I-LOC"]
    assert tags(decode(lp, names, "constrained"), names) == ["B-ORG", "I-ORG"]


def test_bmes_middle_without_begin_is_repaired():
    lp = probs([[0.3, 0.5, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1]])  # argmax M-W E-W: a word with no start
    assert tags(decode(lp, BMES, "argmax"), BMES) == ["M-W", "E-W"]
    assert tags(decode(lp, BMES, "constrained"), BMES) == ["B-W", "E-W"]


def test_bmes_sentence_cannot_end_inside_a_word():
    lp = probs([[0.1, 0.1, 0.1, 0.7], [0.6, 0.2, 0.1, 0.1]])  # argmax S-W B-W: the last word never closes
    assert tags(decode(lp, BMES, "constrained"), BMES)[-1] in ("E-W", "S-W")


def test_bmes_per_pos_keeps_one_type_inside_a_word():
    lp = np.full((2, len(BMES_POS)), np.log(0.01))
    lp[0, BMES_POS.index("B-n")] = np.log(0.8)
    lp[1, BMES_POS.index("E-v")] = np.log(0.5)
    lp[1, BMES_POS.index("E-n")] = np.log(0.4)
    assert tags(decode(lp, BMES_POS, "constrained"), BMES_POS) == ["B-n", "E-n"]


def test_flat_tag_set_is_left_to_argmax():
    assert label_scheme(POS_LABELS) is None and transitions(POS_LABELS) is None
    lp = np.random.default_rng(0).normal(size=(5, len(POS_LABELS)))
    assert decode(lp, POS_LABELS, "constrained") == list(lp.argmax(-1))


def test_schemes_are_read_from_label_names():
    assert label_scheme(NER_LABELS) == "iob2"
    assert label_scheme(BIOES) == "bioes"
    assert label_scheme(BMES) == "bioes"
    assert label_scheme(["O", "B-PER", "I-PER", "L-PER", "U-PER"]) == "bioes"


def test_empty_sentence_decodes_to_nothing():
    assert decode(np.zeros((0, 3)), ["O", "B-X", "I-X"], "constrained") == []


def test_unknown_decoding_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="argmax, constrained"):
        check_decoding("beam")


LABEL_SETS = [NER_LABELS, BIOES, BMES, BMES_POS]


@st.composite
def scored_sentences(draw):
    names = draw(st.sampled_from(LABEL_SETS))
    n = draw(st.integers(min_value=1, max_value=12))
    logits = draw(
        arrays(np.float64, (n, len(names)), elements=st.floats(-8, 8, allow_nan=False, allow_infinity=False))
    )
    return names, logits


@settings(max_examples=200, deadline=None)
@given(case=scored_sentences())
def test_constrained_output_is_always_valid(case):
    names, logits = case
    assert transitions(names).is_valid(decode(logits, names, "constrained"))


@settings(max_examples=200, deadline=None)
@given(case=scored_sentences())
def test_constrained_equals_argmax_when_argmax_is_valid(case):
    names, logits = case
    best = decode(logits, names, "argmax")
    rules = transitions(names)
    top2 = np.sort(logits, -1)[:, -2:]
    untied = np.all(top2[:, 1] - top2[:, 0] > 1e-9)  # a tie may pick another, equally good label
    if rules.is_valid(best) and untied:
        assert decode(logits, names, "constrained") == best


@settings(max_examples=100, deadline=None)
@given(case=scored_sentences())
def test_viterbi_finds_the_best_valid_sequence_by_brute_force(case):
    import itertools

    names, logits = case
    logits = logits[:4]
    rules = transitions(names)
    lp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    best = max(
        (seq for seq in itertools.product(range(len(names)), repeat=len(lp)) if rules.is_valid(seq)),
        key=lambda seq: sum(lp[t, i] for t, i in enumerate(seq)),
    )
    got = viterbi(lp, rules)
    assert np.isclose(sum(lp[t, i] for t, i in enumerate(got)), sum(lp[t, i] for t, i in enumerate(best)))


def test_trainer_preprocess_decodes_only_the_labelled_positions():
    names = ["O", "B-LOC", "I-LOC"]
    logits = torch.log(torch.tensor([[[0.5, 0.4, 0.1], [0.1, 0.1, 0.8], [0.1, 0.1, 0.8]]]))
    labels = torch.tensor([[0, 2, -100]])  # the third position is a continuation subtoken
    assert logits_to_ids(names, "argmax")(logits, labels).tolist() == [[0, 2, 2]]
    assert logits_to_ids(names, "constrained")(logits, labels).tolist() == [[1, 2, 2]]


@pytest.fixture(scope="module")
def ner_checkpoint(tmp_path_factory) -> str:
    from transformers import AutoModelForTokenClassification

    from .conftest import build_tiny_checkpoint

    torch.manual_seed(0)
    folder = build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-ner"), num_labels=len(NER_LABELS))
    model = AutoModelForTokenClassification.from_pretrained(folder)
    model.config.id2label = dict(enumerate(NER_LABELS))
    model.config.label2id = {name: i for i, name in enumerate(NER_LABELS)}
    model.save_pretrained(folder)
    return str(folder)


def test_evaluate_split_records_the_decoding_it_used(ner_checkpoint):
    from helpers.data import records_to_dataset
    from helpers.evaluation import evaluate_split

    split = records_to_dataset(
        [{"tokens": ["john", "smith", "said"], "ner_tags": ["B-PER", "I-PER", "O"]}], {"ner_tags": NER_LABELS}
    )
    for decoding in ("argmax", "constrained"):
        result = evaluate_split(ner_checkpoint, split, "ner_tags", decoding=decoding)
        assert result["decoding"] == decoding


@pytest.mark.slow
def test_command_line_records_and_applies_the_decoding(tmp_path, tiny_checkpoint, capsys, monkeypatch):
    import json

    from helpers.cli import main
    from helpers.data import synthetic_conll
    from helpers.readers import write_conll

    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    corpus = synthetic_conll(seed=11, sizes={"train": 30, "validation": 8, "test": 8})
    cols = ("pos_tags", "chunk_tags", "ner_tags")
    for split, ds in corpus.items():
        names = {c: ds.features[c].feature.names for c in cols}
        write_conll([{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in cols}} for r in ds],
                    tmp_path / f"{split}.txt")  # fmt: skip
    out, ev = tmp_path / "run", tmp_path / "eval"
    assert main(["train", "--data-dir", str(tmp_path), "--model", tiny_checkpoint,
                 "--output-dir", str(out), "--decoding", "constrained"]) == 0  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["decoding"] == metrics["validation"]["decoding"] == "constrained"
    assert main(["evaluate", "--data-dir", str(tmp_path), "--model", str(out / "model"), "--split", "test",
                 "--output-dir", str(ev), "--decoding", "constrained"]) == 0  # fmt: skip
    assert json.loads((ev / "metrics.json").read_text())["test"]["decoding"] == "constrained"
    capsys.readouterr()
    text = "Peter Blackburn said Paris . John Smith of Reuters"
    assert main(["predict", "--model", str(out / "model"), "--json", "--decoding", "constrained", text]) == 0
    predicted = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["tags"]
    assert transitions(NER_LABELS).is_valid([NER_LABELS.index(t) for t in predicted])


def test_span_scores_read_bmes_middle_tags_as_inside_a_word():
    from helpers.metrics import span_scores

    gold = [["B-W", "M-W", "E-W", "S-W"]]
    assert span_scores(gold, gold)["overall_f1"] == 1.0
    # one three-character word read as such, not as a two-character word plus a stray tag
    assert span_scores(gold, [["B-W", "M-W", "E-W", "B-W"]])["overall_precision"] == 1.0


def test_invalid_sentences_counts_what_constrained_decoding_repairs():
    from helpers.decoding import invalid_sentences

    names = ["O", "B-LOC", "I-LOC"]
    assert invalid_sentences([["O", "I-LOC"], ["B-LOC", "I-LOC"], ["I-LOC"]], names) == 2
    assert invalid_sentences([["NN", "VB"]], ["NN", "VB"]) == 0  # a flat tag set has no invalid sequence
