"""The Chinese levers measured and not adopted, kept runnable in benchmarks/zh_research.py."""

from __future__ import annotations

import hashlib
import json

import pytest
from datasets import Dataset

from benchmarks import zh_research
from helpers import modeling
from helpers.zh.synthetic import generate_chinese_corpus, held_out_names

#: digest of generate_chinese_corpus(sizes={"train": 50}, varied=True) when the varied generator was in helpers
VARIED_DIGEST = "b978c78a5aef04d7d791a0b9dac02d49416692439d0b4aac02f00166e0dd7211"
SENTENCES = [["张", "三", "在", "北", "京"], ["李", "四", "去", "上", "海"], ["张", "三", "好"]]


# 省 and 市 share their contexts, as do 说 and 讲; the two pairs share none
USAGE = (
    [[a, b, "在", "北", "京"] for a in ("省", "市") for b in ("里", "内")] * 5
    + [["他", a, "好", "了"] for a in ("说", "讲")] * 5
    + [["孤"]]
)


def _cosine(u, v) -> float:
    import numpy as np

    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def test_characters_used_alike_get_similar_cooccurrence_vectors():
    targets = ["省", "市", "说", "讲", "孤"]
    vectors = zh_research.cooccurrence_vectors(USAGE, targets, dim=4, window=2)
    assert vectors.shape == (5, 4)
    same, other = _cosine(vectors[0], vectors[1]), _cosine(vectors[0], vectors[2])
    assert same > 0.9 and same > other + 0.5, (same, other)
    assert _cosine(vectors[2], vectors[3]) > 0.9
    assert not vectors[4].any()  # 孤 is a sentence of its own: no context, no vector


def test_cooccurrence_init_puts_new_rows_as_far_from_the_centre_as_old_ones(tiny_checkpoint, tmp_path):
    from transformers import AutoModel

    old = AutoModel.from_pretrained(tiny_checkpoint).get_input_embeddings().weight.detach()
    path = zh_research.extend_with_cooccurrence(tiny_checkpoint, USAGE, tmp_path / "ext")
    new = AutoModel.from_pretrained(path).get_input_embeddings().weight.detach()
    assert (new[: old.shape[0]] == old).all()
    tok = modeling.load_tokenizer(path)
    row = {ch: new[tok.convert_tokens_to_ids(ch)].numpy() for ch in ("省", "市", "说")}
    assert _cosine(row["省"] - old.mean(0).numpy(), row["市"] - old.mean(0).numpy()) > 0.9
    radius = (old - old.mean(0)).norm(dim=1).mean()
    distance = (new[tok.convert_tokens_to_ids("说")] - old.mean(0)).norm()
    assert abs(distance - radius) < 1e-3 * radius


def test_character_bert_vocabulary_comes_from_the_training_data(tmp_path):
    path = zh_research.character_bert(SENTENCES, tmp_path / "cb", hidden_size=32, layers=1)
    tok = modeling.load_tokenizer(path)
    assert tok.tokenize("张三去北京") == ["张", "三", "去", "北", "京"]
    assert tok.tokenize("王") == ["[UNK]"]


def test_masking_replaces_only_cjk_characters_and_keeps_tags():
    tokens = ["张", "伟", "在", "iPhone", "2024", "，", "北", "京"] * 50
    ds = Dataset.from_dict({"tokens": [tokens], "ner_tags": [[0] * len(tokens)]})
    masked = zh_research.mask_characters(ds, 0.3, seed=1)[0]
    changed = [(a, b) for a, b in zip(tokens, masked["tokens"]) if a != b]
    assert 0.2 < len(changed) / (6 * 50) < 0.4  # six of the eight tokens are CJK characters
    assert {b for _, b in changed} == {"[UNK]"} and all(len(a) == 1 and a not in "，" for a, _ in changed)
    assert masked["ner_tags"] == ds[0]["ner_tags"]
    assert zh_research.mask_characters(ds, 0.3, seed=1)[0] == masked


def test_masking_share_outside_zero_to_one_is_refused():
    ds = Dataset.from_dict({"tokens": [["张"]]})
    with pytest.raises(ValueError, match="share"):
        zh_research.mask_characters(ds, 1.0)


def test_varied_generator_reproduces_the_corpus_it_gave_inside_helpers():
    varied = generate_chinese_corpus(sizes={"train": 50}, variant=zh_research.VARIED)
    digest = hashlib.sha256(json.dumps(varied, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert digest == VARIED_DIGEST


def test_foreign_names_are_held_out_of_train_only_with_the_varied_generator():
    assert "foreign" not in held_out_names()
    assert held_out_names(variant=zh_research.VARIED)["foreign"]


def entity_texts(records: list[dict], etype: str) -> set[str]:
    from helpers.labels import entity_spans

    return {
        "".join(r["tokens"][s:e]) for r in records for t, s, e in entity_spans(r["ner_tags"]) if t == etype
    }


@pytest.fixture(scope="module")
def varied() -> dict[str, list[dict]]:
    return generate_chinese_corpus(sizes={"train": 3000}, variant=zh_research.VARIED)


def test_varied_corpus_has_entity_free_and_multi_clause_sentences(varied) -> None:
    train = varied["train"]
    entity_free = [r for r in train if set(r["ner_tags"]) == {"O"}]
    assert 0.1 < len(entity_free) / len(train) < 0.3
    clauses = [r["tokens"].count("，") for r in train]
    assert sum(c >= 2 for c in clauses) / len(train) > 0.15
    plain = generate_chinese_corpus(sizes={"train": 3000})["train"]
    chars = {t for r in train for t in r["tokens"]}
    assert len(chars) > len({t for r in plain for t in r["tokens"]}) + 100  # more of real text's characters


def test_varied_corpus_tags_foreign_names_sites_and_city_bodies(varied) -> None:
    per, loc, org = (entity_texts(varied["train"], t) for t in ("PER", "LOC", "ORG"))
    assert any("·" in name for name in per)
    assert any(name.endswith("火车站") for name in loc)
    assert any(name.endswith("人民医院") for name in org)
