"""Checkpoint weights load through the safe path only: safetensors, or a .bin through torch.load(weights_only=True)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from helpers.errors import ModelConfigError
from helpers.modeling import load_model, load_saved_model, weights_kwargs

from .conftest import build_tiny_checkpoint

LABELS = ["O", "B-PER", "I-PER"]


def bin_only(folder: Path, **kw) -> Path:
    """A tiny checkpoint whose weights are ``pytorch_model.bin`` only, as many Chinese checkpoints ship."""
    from safetensors.torch import load_file

    ckpt = build_tiny_checkpoint(folder, **kw)
    state = load_file(ckpt / "model.safetensors")
    (ckpt / "model.safetensors").unlink()
    torch.save(state, ckpt / "pytorch_model.bin")
    return ckpt


def test_a_bin_only_checkpoint_loads_through_weights_only_with_a_note(tmp_path, capsys):
    ckpt = bin_only(tmp_path / "bin")
    assert weights_kwargs(str(ckpt)) == {"use_safetensors": False, "weights_only": True}
    model = load_model(str(ckpt), LABELS)
    assert model.config.id2label[1] == "B-PER"
    out = capsys.readouterr().out
    assert "ships only pytorch_model.bin" in out and "torch.load(weights_only=True)" in out


def test_a_saved_bin_only_model_loads_for_tagging(tmp_path):
    ckpt = bin_only(tmp_path / "bin-head", num_labels=3)
    assert load_saved_model(ckpt, device="cpu").config.num_labels == 3


class NotAStateDict:
    """Pickling an instance of this class records a global that weights_only loading refuses to import."""


def test_a_bin_that_is_a_pickled_object_is_refused_naming_the_file(tmp_path):
    ckpt = bin_only(tmp_path / "pickled")
    torch.save({"model": NotAStateDict()}, ckpt / "pytorch_model.bin")
    with pytest.raises(
        ModelConfigError, match=r"pytorch_model\.bin: torch\.load\(weights_only=True\) cannot read it"
    ):
        load_model(str(ckpt), LABELS)


def test_a_bin_that_holds_no_state_dict_is_refused_naming_the_file(tmp_path):
    ckpt = bin_only(tmp_path / "list")
    torch.save([torch.zeros(2)], ckpt / "pytorch_model.bin")
    with pytest.raises(ModelConfigError, match=r"pytorch_model\.bin: holds a list, not a state dict"):
        load_model(str(ckpt), LABELS)


def test_a_folder_without_loadable_weights_names_what_it_holds(tmp_path):
    ckpt = build_tiny_checkpoint(tmp_path / "tf")
    (ckpt / "model.safetensors").rename(ckpt / "tf_model.h5")
    with pytest.raises(
        ModelConfigError, match=r"no weights this course can load .*tf_model\.h5.*save_pretrained"
    ):
        load_model(str(ckpt), LABELS)


@pytest.mark.slow
def test_the_command_line_trains_from_a_bin_only_checkpoint(tmp_path, monkeypatch):
    from helpers.cli import main
    from helpers.readers import write_conll
    from helpers.synthetic import generate_corpus

    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    ckpt = bin_only(tmp_path / "bin")
    data = tmp_path / "data"
    data.mkdir()
    for split, records in generate_corpus(seed=3, sizes={"train": 16, "validation": 8, "test": 8}).items():
        write_conll(records, data / f"{split}.txt")
    code = main(["train", "--model", str(ckpt), "--data-dir", str(data), "--output-dir", str(tmp_path / "run"),
                 "--max-steps", "1", "--no-checkpoints"])  # fmt: skip
    assert code == 0
    assert json.loads((tmp_path / "run" / "metrics.json").read_text())["global_steps"] == 1
