"""Tests for the generated Chinese NER corpus in helpers.zh.synthetic."""

from __future__ import annotations

import hashlib
import json

import pytest

from helpers.labels import iob2_violation, split_tag
from helpers.spans import join_words, split_words
from helpers.zh.labels import ZH_NER_LABELS
from helpers.zh.synthetic import DEFAULT_SIZES_ZH, generate_chinese_corpus, held_out_names

from .conftest import digests_under_hash_seeds

# sha256 of generate_chinese_corpus(sizes={"train": 50}) as the first generator made it (git history)
PLAIN_DIGEST = "daf8aa469439e87a881e5b9aaf96d703f733c7717f22f022eb2b68033840a14c"


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return generate_chinese_corpus()


def entity_texts(records: list[dict], etype: str | None = None) -> set[str]:
    """Entity strings (tokens joined without spaces) of some records, optionally of one type."""
    found: set[str] = set()
    for rec in records:
        cur: list[str] = []
        cur_type = ""
        for tok, tag in [*zip(rec["tokens"], rec["ner_tags"], strict=True), ("", "O")]:
            prefix, typ = split_tag(tag)
            if prefix == "I":
                cur.append(tok)
                continue
            if cur and (etype is None or cur_type == etype):
                found.add("".join(cur))
            cur, cur_type = ([tok], typ) if prefix == "B" else ([], "")
    return found


def test_same_seed_gives_identical_corpus(corpus) -> None:
    assert generate_chinese_corpus(seed=13) == corpus


def test_different_seed_gives_different_corpus(corpus) -> None:
    assert generate_chinese_corpus(seed=14)["train"] != corpus["train"]


def test_corpus_does_not_depend_on_hash_randomization() -> None:
    local = generate_chinese_corpus(sizes={"train": 200, "test": 50})
    expected = hashlib.sha256(json.dumps(local, sort_keys=True).encode()).hexdigest()
    assert digests_under_hash_seeds(
        "helpers.zh.synthetic", "generate_chinese_corpus(sizes={'train': 200, 'test': 50})"
    ) == {expected}


def test_default_split_sizes_are_thousands_of_sentences(corpus) -> None:
    assert {s: len(r) for s, r in corpus.items()} == DEFAULT_SIZES_ZH
    assert DEFAULT_SIZES_ZH["train"] >= 3000


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="'test'"):
        generate_chinese_corpus(sizes={"test": -1})


def test_tags_are_iob2_with_people_daily_label_names(corpus) -> None:
    for rec in corpus["train"] + corpus["test"]:
        assert set(rec["ner_tags"]) <= set(ZH_NER_LABELS)
        assert iob2_violation(rec["ner_tags"]) is None, rec


def test_every_entity_type_occurs_often(corpus) -> None:
    tags = [t for rec in corpus["train"] for t in rec["ner_tags"]]
    for etype in ("PER", "LOC", "ORG"):
        assert tags.count(f"B-{etype}") > 500, etype


def test_cjk_tokens_are_single_characters(corpus) -> None:
    tokens = {tok for rec in corpus["train"] for tok in rec["tokens"]}
    assert all(len(t) == 1 for t in tokens if any("\u4e00" <= ch <= "\u9fff" for ch in t))


def test_latin_words_and_numbers_stay_whole_tokens(corpus) -> None:
    tokens = {tok for rec in corpus["train"] for tok in rec["tokens"]}
    assert {"iPhone", "OpenAI"} <= tokens
    assert any(t.isdigit() and len(t) == 4 for t in tokens)  # a year such as 2024 in "2024年"


def test_tokens_are_the_words_tag_text_would_split_the_sentence_into(corpus) -> None:
    for rec in corpus["test"][:200]:
        text, _ = join_words(rec["tokens"])
        assert [w for w, _, _ in split_words(text)] == rec["tokens"], text


def test_held_out_places_and_orgs_never_occur_in_train(corpus) -> None:
    held = held_out_names()
    train_entities = entity_texts(corpus["train"])
    for pool in ("cities", "countries", "companies", "universities"):
        assert held[pool], pool
        assert not held[pool] & train_entities, pool


def test_held_out_given_name_characters_never_occur_in_train_names(corpus) -> None:
    chars = {ch for name in entity_texts(corpus["train"], "PER") for ch in name}
    held = held_out_names()["given"]
    assert held and not held & chars


def test_test_split_contains_names_unseen_in_train(corpus) -> None:
    train = entity_texts(corpus["train"])
    test = entity_texts(corpus["test"])
    unseen = test - train
    assert len(unseen) / len(test) > 0.3
    assert held_out_names()["famous"] & entity_texts(corpus["test"], "PER")


def test_recurring_names_recur_in_train(corpus) -> None:
    names = [n for rec in corpus["train"] for n in entity_texts([rec], "PER")]
    assert max(names.count(n) for n in set(names)) >= 10


def test_default_generator_reproduces_the_first_version_of_the_corpus() -> None:
    # digest of generate_chinese_corpus(sizes={"train": 50}) before the varied generator existed
    plain = generate_chinese_corpus(sizes={"train": 50})
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert digest == PLAIN_DIGEST
