"""Device, precision and process decisions on faked machines: a T4, an A100, one GPU asked for two
processes, no GPU. Nothing here needs a GPU: torch's device queries are replaced."""

from __future__ import annotations

import os

import pytest
import torch

from helpers import loop, precision
from helpers.errors import DeviceError
from helpers.training import precision_arguments


def fake_gpus(monkeypatch, count: int, capability: tuple[int, int] = (8, 0)) -> None:
    """``count`` CUDA devices of a compute capability; like real ones they all claim bf16 support."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: count > 0)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: count)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)


def fake_cores(monkeypatch, cores: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)


@pytest.fixture
def launched(monkeypatch):
    """Replace accelerate's launcher: record what ``loop.launch`` asks of it, and the environment it runs in."""
    import accelerate

    calls = []

    def fake_launcher(function, args=(), num_processes=None, **kw):
        calls.append({"num_processes": num_processes, "cpu": os.environ.get("ACCELERATE_USE_CPU")})

    monkeypatch.setattr(accelerate, "notebook_launcher", fake_launcher)
    return calls


def test_t4_trains_in_fp16_not_bf16(monkeypatch):
    fake_gpus(monkeypatch, 1, (7, 5))
    assert precision_arguments("auto") == {"bf16": False, "fp16": True, "use_cpu": False}
    assert loop.accelerator_settings(None, "auto") == {"cpu": False, "mixed_precision": "fp16"}


def test_a100_trains_in_bf16(monkeypatch):
    fake_gpus(monkeypatch, 1, (8, 0))
    assert precision_arguments("auto") == {"bf16": True, "fp16": False, "use_cpu": False}
    assert loop.accelerator_settings(None, "auto") == {"cpu": False, "mixed_precision": "bf16"}


def test_without_a_gpu_the_cpu_decides_and_trainer_is_told_to_use_it(monkeypatch):
    fake_gpus(monkeypatch, 0)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    assert precision_arguments("auto") == {"bf16": True, "fp16": False, "use_cpu": True}
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    assert precision_arguments("auto") == {"bf16": False, "fp16": False, "use_cpu": False}
    assert loop.accelerator_settings(None, "auto") == {"cpu": False, "mixed_precision": "no"}


def test_one_gpu_asked_for_two_processes_runs_one_process_on_the_gpu(monkeypatch, launched, capsys):
    """Colab: one GPU. The function runs here, on the GPU (no CPU flag), and the learner is told why."""
    fake_gpus(monkeypatch, 1, (7, 5))
    ran = []
    plan = loop.launch(lambda x: ran.append((x, os.environ.get("ACCELERATE_USE_CPU"))), 5, num_processes=2)
    assert (plan.device, plan.processes) == ("cuda", 1)
    assert ran == [(5, None)] and launched == []  # in this process, not forked
    out = capsys.readouterr().out
    assert "2 processes asked for, but this machine has 1 GPU(s): 1 process(es), one per GPU" in out


def test_two_gpus_get_one_process_each(monkeypatch, launched):
    fake_gpus(monkeypatch, 2)
    plan = loop.launch(print, "x", num_processes=2)
    assert (plan.device, plan.processes) == ("cuda", 2)
    assert launched == [{"num_processes": 2, "cpu": None}]


def test_no_gpu_runs_cpu_processes_over_gloo(monkeypatch, launched):
    fake_gpus(monkeypatch, 0)
    fake_cores(monkeypatch, 2)
    plan = loop.launch(print, "x", num_processes=2)
    assert (plan.device, plan.processes) == ("cpu", 2)
    assert launched == [{"num_processes": 2, "cpu": "true"}]


def test_cpu_processes_can_be_asked_for_beside_a_gpu(monkeypatch, launched):
    fake_gpus(monkeypatch, 1)
    fake_cores(monkeypatch, 4)
    plan = loop.launch(print, "x", num_processes=2, cpu=True)
    assert (plan.device, plan.processes) == ("cpu", 2) and launched[0]["cpu"] == "true"


def test_more_cpu_processes_than_cores_are_refused_by_name(monkeypatch, launched):
    fake_gpus(monkeypatch, 0)
    fake_cores(monkeypatch, 2)
    with pytest.raises(DeviceError, match=r"num_processes=3: .* 2 CPU core\(s\).*num_processes=2 or fewer"):
        loop.launch(print, "x", num_processes=3)
    assert launched == []


def test_fewer_than_one_process_is_refused():
    with pytest.raises(DeviceError, match="num_processes must be 1 or more, not 0"):
        precision.plan_processes(0)


def test_a_gpu_asked_for_where_there_is_none_is_refused(monkeypatch):
    fake_gpus(monkeypatch, 0)
    assert precision.resolve_device("auto") == "cpu"
    with pytest.raises(DeviceError, match="'cuda' asked for, but no CUDA GPU is usable here"):
        precision.resolve_device("cuda")


def test_auto_device_is_the_gpu_where_there_is_one(monkeypatch):
    fake_gpus(monkeypatch, 1)
    assert precision.resolve_device("auto") == "cuda" and precision.resolve_device("cpu") == "cpu"
