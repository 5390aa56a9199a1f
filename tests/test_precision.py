"""helpers.precision: bf16 only where the device computes it natively and fast, decided on faked devices."""

from __future__ import annotations

import pytest
import torch

from helpers import precision


def fake_gpu(monkeypatch, capability: tuple[int, int]) -> None:
    """A CUDA device of the given compute capability, which (like real ones) claims bf16 support."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)


def fake_cpu(monkeypatch, *, avx512_bf16: bool, amx: bool) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: avx512_bf16)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: amx)


def test_t4_gets_fp16_although_it_claims_bf16(monkeypatch):
    fake_gpu(monkeypatch, (7, 5))
    assert precision.resolve_precision("auto") == "fp16"


@pytest.mark.parametrize("capability", [(8, 0), (9, 0)])
def test_ampere_and_newer_gpus_get_bf16(monkeypatch, capability):
    fake_gpu(monkeypatch, capability)
    assert precision.resolve_precision("auto") == "bf16"


def test_cpu_with_amx_gets_bf16(monkeypatch):
    fake_cpu(monkeypatch, avx512_bf16=False, amx=True)
    assert precision.resolve_precision("auto") == "bf16"


def test_cpu_with_avx512_bf16_only_gets_bf16(monkeypatch):
    # measured: a 1024x384 @ 384x1536 matmul runs about 2x faster in bf16 on such a CPU (module docstring)
    fake_cpu(monkeypatch, avx512_bf16=True, amx=False)
    assert precision.resolve_precision("auto") == "bf16"


def test_cpu_without_bf16_instructions_gets_fp32(monkeypatch):
    fake_cpu(monkeypatch, avx512_bf16=False, amx=False)
    assert precision.resolve_precision("auto") == "fp32"


def test_a_model_on_the_cpu_is_judged_by_the_cpu_even_beside_a_gpu(monkeypatch):
    fake_gpu(monkeypatch, (7, 5))
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    assert precision.resolve_precision("auto", device="cpu") == "fp32"


def test_explicit_precision_is_kept(monkeypatch):
    fake_cpu(monkeypatch, avx512_bf16=False, amx=False)
    assert precision.resolve_precision("bf16") == "bf16"


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="not 'half'"):
        precision.resolve_precision("half")


def test_tagger_exposes_the_precision_it_runs_in(monkeypatch, tiny_checkpoint):
    from helpers.inference import Tagger
    from helpers.modeling import load_model, load_tokenizer

    fake_cpu(monkeypatch, avx512_bf16=False, amx=False)
    model = load_model(tiny_checkpoint, ["O", "B-PER", "I-PER"])
    tokenizer = load_tokenizer(tiny_checkpoint)
    assert Tagger(model, tokenizer).precision == "fp32"
    assert Tagger(model, tokenizer, precision="bf16").precision == "bf16"
