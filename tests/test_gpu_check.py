"""benchmarks/gpu_check.py (make gpu-check) refuses clearly where there is no GPU, before doing anything."""

from __future__ import annotations

import torch

from benchmarks import gpu_check


def test_gpu_check_refuses_without_a_gpu_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    out = tmp_path / "gpu_check.json"
    assert gpu_check.main(["--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "gpu-check needs a CUDA GPU, and none is usable here" in err and "make gpu-check" in err
    assert not out.exists()


def test_gpu_check_steps_are_the_lessons_jobs():
    assert gpu_check.STEPS == ("train", "loop", "predict")
