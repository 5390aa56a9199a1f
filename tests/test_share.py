"""helpers.share: Hub status, model cards and pushing, all without the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import hub, share

HUB_VARIABLES = ("HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


@pytest.fixture(autouse=True)
def clean_hub_env(monkeypatch):
    """Each test starts online, on the default endpoint, with huggingface_hub seeing the same, and no probe."""
    from huggingface_hub import constants

    for name in (*HUB_VARIABLES, "TOKCLS_MODEL", "TOKCLS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(constants, "ENDPOINT", hub.DEFAULT_ENDPOINT)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)

    def no_network(endpoint, timeout):
        raise AssertionError(f"the network was probed ({endpoint})")

    monkeypatch.setattr(hub, "_probe", no_network)


@pytest.fixture
def model_dir(tmp_path) -> Path:
    """A folder that looks like a saved model (config with labels, a weights file)."""
    folder = tmp_path / "run" / "model"
    folder.mkdir(parents=True)
    config = {"model_type": "bert", "id2label": {"0": "O", "1": "B-DRUG", "2": "I-DRUG"}}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"not really weights")
    return folder


def fake_probe(ok: bool, why: str):
    """A stand-in for hub.hub_available that answers without the network."""
    return lambda timeout=hub.PROBE_TIMEOUT_S: (ok, why)


class FailingApi:
    """Stands in for HfApi where no Hub call may happen."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("HfApi was used")


def test_hub_status_reports_mirror_endpoint(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example.org/")
    status = share.hub_status(probe=False)
    assert status["endpoint"] == "https://hf-mirror.example.org"
    assert status["mirror"] is True


def test_hub_status_default_endpoint_is_not_a_mirror():
    status = share.hub_status(probe=False)
    assert status["endpoint"] == "https://huggingface.co"
    assert status["mirror"] is False


def test_hub_status_offline_does_not_probe(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    status = share.hub_status(probe=True)  # the autouse fixture fails the test if a probe happens
    assert status["offline"] is True
    assert status["offline_variables"] == ["HF_HUB_OFFLINE"]
    assert status["reachable"] is None


def test_hub_status_without_probe_leaves_reachability_unknown():
    status = share.hub_status(probe=False)
    assert status["reachable"] is None
    assert "not probed" in status["reason"]


def test_hub_status_unreachable_endpoint_gives_reason_and_advice(monkeypatch):
    monkeypatch.setattr(hub, "hub_available", fake_probe(False, "cannot reach x:443"))
    status = share.hub_status(probe=True)
    assert status["reachable"] is False
    assert status["reason"] == "cannot reach x:443"
    assert "HF_ENDPOINT" in status["advice"]


def test_hub_status_reports_course_variables(monkeypatch):
    monkeypatch.setenv("TOKCLS_MODEL", "/models/minilm")
    monkeypatch.setenv("TOKCLS_DATA_DIR", "/data/conll2003")
    status = share.hub_status(probe=False)
    assert status["tokcls_model"] == "/models/minilm"
    assert status["tokcls_data_dir"] == "/data/conll2003"


def test_hub_status_flags_restart_when_endpoint_set_after_import(monkeypatch):
    # huggingface_hub was "imported" with the default endpoint (see the fixture)
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example.org")
    status = share.hub_status(probe=False)
    assert status["restart_needed"] is True
    assert "restart the kernel" in status["advice"]


def test_hub_status_flags_restart_when_offline_set_after_import(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert share.hub_status(probe=False)["restart_needed"] is True


def test_hub_status_no_restart_when_settings_agree():
    assert share.hub_status(probe=False)["restart_needed"] is False


def test_push_model_offline_raises_clear_error_without_connecting(monkeypatch, model_dir):
    import huggingface_hub

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub, "HfApi", FailingApi)
    with pytest.raises(share.HubUnavailableError, match="offline mode is on \\(HF_HUB_OFFLINE=1\\)"):
        share.push_model(model_dir, "someone/drug-ner")


def test_push_model_offline_error_is_a_tokcls_error(monkeypatch, model_dir):
    from helpers.errors import TokClsError

    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    with pytest.raises(TokClsError):
        share.push_model(model_dir, "someone/drug-ner")


def test_push_model_unreachable_endpoint_names_it(monkeypatch, model_dir):
    import huggingface_hub

    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example.org")
    monkeypatch.setattr(hub, "hub_available", fake_probe(False, "cannot reach it"))
    monkeypatch.setattr(huggingface_hub, "HfApi", FailingApi)
    with pytest.raises(share.HubUnavailableError, match="https://hf-mirror.example.org: cannot reach it"):
        share.push_model(model_dir, "someone/drug-ner")


@pytest.mark.parametrize("bad", ["", "a/b/c", "has space/model", "user/--bad--", None])
def test_push_model_rejects_invalid_repo_id(model_dir, bad):
    with pytest.raises(ValueError, match="repo_id"):
        share.push_model(model_dir, bad)


def test_push_model_checks_repo_id_before_offline_mode(monkeypatch, model_dir):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ValueError, match="repo_id"):
        share.push_model(model_dir, "a/b/c")


def test_push_model_rejects_non_bool_private(model_dir):
    with pytest.raises(TypeError, match="private"):
        share.push_model(model_dir, "someone/drug-ner", private="no")


def test_push_model_rejects_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        share.push_model(tmp_path / "nowhere", "someone/drug-ner")


def test_push_model_rejects_folder_without_config(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"x")
    with pytest.raises(FileNotFoundError, match="config.json"):
        share.push_model(tmp_path, "someone/drug-ner")


def test_push_model_rejects_folder_without_safetensors(model_dir):
    (model_dir / "model.safetensors").unlink()
    (model_dir / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(FileNotFoundError, match="safetensors"):
        share.push_model(model_dir, "someone/drug-ner")


def test_push_model_creates_private_repo_and_uploads_folder(monkeypatch, model_dir):
    import huggingface_hub

    calls = []

    class RecordingApi:
        def __init__(self, endpoint=None, token=None):
            calls.append(("init", endpoint, token))

        def create_repo(self, repo_id, **kwargs):
            calls.append(("create_repo", repo_id, kwargs["private"], kwargs["exist_ok"]))

        def upload_folder(self, **kwargs):
            calls.append(("upload_folder", kwargs["repo_id"], kwargs["folder_path"]))

            class Info:
                commit_url = "https://huggingface.co/someone/drug-ner/commit/abc"

            return Info()

    monkeypatch.setattr(hub, "hub_available", fake_probe(True, "reached"))
    monkeypatch.setattr(huggingface_hub, "HfApi", RecordingApi)
    url = share.push_model(model_dir, "someone/drug-ner")
    assert url == "https://huggingface.co/someone/drug-ner/commit/abc"
    assert calls == [
        ("init", "https://huggingface.co", None),
        ("create_repo", "someone/drug-ner", True, True),
        ("upload_folder", "someone/drug-ner", str(model_dir)),
    ]


def test_write_model_card_has_metadata_labels_and_metrics(model_dir):
    path = share.write_model_card(
        model_dir, base_model="distilbert/distilbert-base-uncased", metrics={"test overall_f1": 0.5}
    )
    text = path.read_text(encoding="utf-8")
    assert path == model_dir / "README.md"
    assert text.startswith("---\n")
    assert "pipeline_tag: token-classification" in text
    assert "base_model: distilbert/distilbert-base-uncased" in text
    assert "`O`, `B-DRUG`, `I-DRUG`" in text
    assert "| test overall_f1 | 0.5000 |" in text


def test_write_model_card_titles_model_folder_by_its_run(model_dir):
    text = share.write_model_card(model_dir).read_text(encoding="utf-8")
    assert "\n# run\n" in text


def test_write_model_card_leaves_local_base_model_out_of_metadata(model_dir, tmp_path):
    text = share.write_model_card(model_dir, base_model=str(tmp_path)).read_text(encoding="utf-8")
    assert "base_model:" not in text


def test_write_model_card_needs_a_model_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        share.write_model_card(tmp_path)
