"""The online code paths, exercised without the internet: a fake Hub answer and a local mirror."""

from __future__ import annotations

import time

import pytest
from datasets import ClassLabel, Dataset, DatasetDict, Features, Sequence, Value

from helpers import data as data_module
from helpers import hub, modeling
from helpers.labels import CONLL2003_LABELS

from .conftest import run_against_empty_mirror


@pytest.fixture(autouse=True)
def fresh_probe(monkeypatch):
    for var in (
        "HF_HUB_OFFLINE",
        "HF_DATASETS_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "TOKCLS_DATA_DIR",
        "TOKCLS_MODEL",
    ):
        monkeypatch.delenv(var, raising=False)
    hub.hub_available.cache_clear()
    yield
    hub.hub_available.cache_clear()


def _hub_like_split(n: int) -> Dataset:
    features = Features(
        {
            "id": Value("string"),
            "tokens": Sequence(Value("string")),
            **{c: Sequence(ClassLabel(names=names)) for c, names in CONLL2003_LABELS.items()},
        }
    )
    rows = {"id": [str(i) for i in range(n)], "tokens": [["EU", "rejects"]] * n}
    rows |= {"pos_tags": [[22, 42]] * n, "chunk_tags": [[11, 21]] * n, "ner_tags": [[3, 0]] * n}
    return Dataset.from_dict(rows, features=features)


def test_hub_parquet_export_is_loaded_with_hub_label_names(monkeypatch, capsys):
    calls = []

    def fake_load_dataset(name, revision=None, **kw):
        calls.append((name, revision))
        return DatasetDict(
            {"train": _hub_like_split(3), "validation": _hub_like_split(2), "test": _hub_like_split(2)}
        )

    import datasets

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    monkeypatch.setattr(data_module, "hub_available", lambda: (True, "test"))
    ds = data_module.load_conll2003()
    assert calls == [("eriktks/conll2003", "refs/convert/parquet")]
    assert data_module.label_names(ds, "ner_tags") == CONLL2003_LABELS["ner_tags"]
    assert list(ds["train"].features) == ["id", "tokens", "pos_tags", "chunk_tags", "ner_tags"]
    assert "Hub" in data_module.data_source(ds) and "from the Hugging Face Hub" in capsys.readouterr().out


def test_mirror_from_hf_endpoint_is_asked_then_fallback_is_announced():
    code = (
        "from helpers.data import load_conll2003, data_source; print('SOURCE', data_source(load_conll2003()))"
    )
    start = time.monotonic()
    proc, paths = run_against_empty_mirror(code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "SOURCE synthetic" in proc.stdout and "loading eriktks/conll2003 failed" in proc.stdout
    assert any("eriktks/conll2003" in p for p in paths), paths
    assert time.monotonic() - start < 60


def test_reachable_hub_resolves_to_the_classic_checkpoint(monkeypatch, capsys):
    monkeypatch.setattr(modeling, "hub_available", lambda: (True, "test"))
    assert modeling.resolve_checkpoint() == "distilbert/distilbert-base-uncased"
    assert "from the Hugging Face Hub" in capsys.readouterr().out


def test_tokcls_model_overrides_everything(monkeypatch):
    monkeypatch.setenv("TOKCLS_MODEL", "/some/local/folder")
    assert modeling.resolve_checkpoint(verbose=False) == "/some/local/folder"
