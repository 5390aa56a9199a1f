"""One description of the machine (runs, benchmarks, the notebook build) and the run card lessons print."""

from __future__ import annotations

import torch

from helpers import machine as m


def test_machine_line_names_cpu_cores_torch_and_gpu():
    info = {"cpu": "Some CPU", "cores": 2, "torch": "2.13.0"}
    assert m.machine_line(info) == "Some CPU, 2 cores, torch 2.13.0, no GPU"
    assert m.machine_line({**info, "gpu": "NVIDIA T4"}).endswith("NVIDIA T4")


def test_machine_records_the_cpu_bf16_units_the_precision_rule_uses(monkeypatch):
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    assert m.machine()["cpu_bf16_units"] == "AVX512-BF16"


def test_benchmarks_and_the_notebook_build_use_the_same_description():
    from benchmarks import common

    assert common.machine is m.machine


def test_run_card_prints_checkpoint_device_precision_epochs_and_sentences(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    card = m.run_card("distilbert/distilbert-base-uncased", epochs=3, sentences=14041)
    out = capsys.readouterr().out
    assert "checkpoint  distilbert/distilbert-base-uncased" in out
    assert "device      cpu, fp32 (" in out and "cores, torch" in out
    assert "epochs      3\n" in out and "14,041 training sentences" in out
    assert "wall time" not in out and card.seconds is None


def test_finishing_the_card_prints_the_wall_time(capsys):
    card = m.run_card("m", epochs=0.5, sentences=10, device="cpu", precision="fp32", verbose=False)
    assert card.finish() is None  # a cell ending with it shows no bare number
    seconds = card.seconds
    assert capsys.readouterr().out == f"  wall time   {seconds:.1f} s\n" and seconds >= 0
    assert "epochs      0.5" in str(card)


def test_a_finished_runs_seconds_give_a_complete_card(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    m.run_card(str(tmp_path / "model"), epochs=1, sentences=5, device="cpu", precision="bf16", seconds=12.34)
    out = capsys.readouterr().out
    assert "checkpoint  model\n" in out  # a path is shown relative, never as this machine's absolute path
    assert "cpu, bf16" in out and "wall time   12.3 s" in out
