"""Tests for the synthetic CoNLL-2003-style corpus in helpers.synthetic."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from helpers.labels import CHUNK_LABELS, NER_LABELS, POS_LABELS, iob2_violation, split_tag
from helpers.synthetic import DEFAULT_SIZES, SYNTHETIC_NOTICE, generate_corpus

from .conftest import digests_under_hash_seeds

COLUMNS = ("tokens", "pos_tags", "chunk_tags", "ner_tags")


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    """The default corpus, generated once for the module."""
    return generate_corpus()


def entity_strings(records: list[dict]) -> set[tuple[str, str]]:
    """All (type, text) entity spans of some records."""
    found: set[tuple[str, str]] = set()
    for record in records:
        span: list[str] = []
        typ = ""
        for token, tag in [*zip(record["tokens"], record["ner_tags"], strict=True), ("", "O")]:
            prefix, tag_type = split_tag(tag)
            if prefix == "I" and span:
                span.append(token)
                continue
            if span:
                found.add((typ, " ".join(span)))
            span, typ = ([token], tag_type) if prefix == "B" else ([], "")
    return found


def test_same_seed_gives_identical_corpus(corpus: dict[str, list[dict]]) -> None:
    assert generate_corpus(seed=13) == corpus


def test_different_seed_gives_different_corpus(corpus: dict[str, list[dict]]) -> None:
    other = generate_corpus(seed=14)
    for split in DEFAULT_SIZES:
        assert other[split] != corpus[split]


def test_corpus_does_not_depend_on_hash_randomization() -> None:
    local = generate_corpus(sizes={"train": 300, "validation": 60})
    expected = hashlib.sha256(json.dumps(local, sort_keys=True).encode()).hexdigest()
    assert digests_under_hash_seeds(
        "helpers.synthetic", "generate_corpus(sizes={'train': 300, 'validation': 60})"
    ) == {expected}


def test_default_split_sizes(corpus: dict[str, list[dict]]) -> None:
    assert {split: len(records) for split, records in corpus.items()} == {
        "train": 3000,
        "validation": 600,
        "test": 600,
    }
    assert [r["id"] for r in corpus["test"]] == [str(i) for i in range(600)]


def test_custom_sizes_are_honoured() -> None:
    small = generate_corpus(sizes={"train": 5, "validation": 0})
    assert {split: len(records) for split, records in small.items()} == {"train": 5, "validation": 0}


def test_every_tag_is_in_the_label_lists(corpus: dict[str, list[dict]]) -> None:
    for column, labels in (("pos_tags", POS_LABELS), ("chunk_tags", CHUNK_LABELS), ("ner_tags", NER_LABELS)):
        used = {tag for records in corpus.values() for r in records for tag in r[column]}
        assert used <= set(labels), (column, sorted(used - set(labels)))


def test_ner_and_chunk_tags_are_valid_iob2(corpus: dict[str, list[dict]]) -> None:
    for records in corpus.values():
        for r in records:
            assert iob2_violation(r["ner_tags"]) is None, r
            assert iob2_violation(r["chunk_tags"]) is None, r


def test_all_four_entity_types_occur_with_b_and_i_tags(corpus: dict[str, list[dict]]) -> None:
    used = {tag for r in corpus["train"] for tag in r["ner_tags"]}
    assert used == set(NER_LABELS)


def test_train_has_at_least_25_pos_tags_and_8_chunk_types(corpus: dict[str, list[dict]]) -> None:
    pos = {tag for r in corpus["train"] for tag in r["pos_tags"]}
    chunk_types = {split_tag(tag)[1] for r in corpus["train"] for tag in r["chunk_tags"]} - {""}
    assert len(pos) >= 25, sorted(pos)
    assert len(chunk_types) >= 8, sorted(chunk_types)


def test_validation_contains_entity_strings_not_in_train(corpus: dict[str, list[dict]]) -> None:
    train = entity_strings(corpus["train"])
    validation = entity_strings(corpus["validation"])
    unseen = validation - train
    assert len(unseen) >= 0.1 * len(validation)
    assert {typ for typ, _ in unseen} == {"PER", "ORG", "LOC", "MISC"}


def test_splits_contain_different_sentences(corpus: dict[str, list[dict]]) -> None:
    train = {tuple(r["tokens"]) for r in corpus["train"]}
    for split in ("validation", "test"):
        shared = sum(tuple(r["tokens"]) in train for r in corpus[split])
        assert shared < 0.1 * len(corpus[split])


def test_columns_have_equal_lengths(corpus: dict[str, list[dict]]) -> None:
    for records in corpus.values():
        for r in records:
            assert set(r) == {"id", *COLUMNS}
            assert len({len(r[column]) for column in COLUMNS}) == 1
            assert len(r["tokens"]) > 0 and all(isinstance(t, str) and t for t in r["tokens"])


def test_sentence_lengths_and_entity_density_resemble_conll(corpus: dict[str, list[dict]]) -> None:
    lengths = [len(r["tokens"]) for r in corpus["train"]]
    entities = sum(tag.startswith("B-") for r in corpus["train"] for tag in r["ner_tags"])
    all_o = sum(all(tag == "O" for tag in r["ner_tags"]) for r in corpus["train"])
    assert min(lengths) <= 3 and 30 <= max(lengths) <= 45
    assert 11 <= sum(lengths) / len(lengths) <= 17
    assert 5 <= sum(lengths) / entities <= 10
    assert all_o > 0.03 * len(lengths)


def test_notice_says_it_is_not_conll2003() -> None:
    assert "CoNLL-2003" in SYNTHETIC_NOTICE and "not comparable" in SYNTHETIC_NOTICE


def test_default_corpus_generates_in_under_two_seconds() -> None:
    start = time.perf_counter()
    generate_corpus()
    assert time.perf_counter() - start < 2.0
