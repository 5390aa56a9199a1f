"""Device, process and numeric-precision decisions: which device there is, how many processes a launch can
start on it, which process this is under a launcher (torchrun, accelerate launch), and where bf16 is worth using.

The rule of a launch (:func:`plan_processes`): one process per GPU where there are GPUs (one GPU, as on Colab:
one process, on that GPU), else CPU processes over gloo, never more than the machine has cores.

The rule of ``precision="auto"``: bf16 only where the hardware computes it natively and fast, fp16 on other
GPUs, fp32 on other CPUs.
- CUDA: bf16 from compute capability 8.0 (Ampere) on. ``torch.cuda.is_bf16_supported()`` is also True on
  older GPUs that only emulate bf16 (a T4, 7.5, is slower in bf16 than in fp16), so it is not asked.
- CPU: bf16 with AMX or AVX512-BF16. On a 2-core AVX512-BF16 CPU without AMX a 1024x384 @ 384x1536 matmul
  ran 2.2x faster in bf16 than in fp32 (6.2 ms vs 2.8 ms), so AVX512-BF16 alone counts as fast.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass

import torch

from .errors import DeviceError

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
NATIVE_BF16_CAPABILITY = (8, 0)


def has_cuda() -> bool:
    """True when a CUDA GPU is usable."""
    return torch.cuda.is_available()


def resolve_device(device: str = "auto") -> str:
    """The device to put a model on: ``"auto"`` is ``"cuda"`` where a GPU is usable, else ``"cpu"``; any other
    name (``"cpu"``, ``"cuda"``, ``"cuda:1"``) is kept, and a GPU asked for where none is usable raises ``DeviceError``.
    """
    if device == "auto":
        return "cuda" if has_cuda() else "cpu"
    if device.startswith("cuda") and not has_cuda():
        raise DeviceError(f"device {device!r} asked for, but no CUDA GPU is usable here: use 'cpu' or 'auto'")
    return device


def cpu_bf16_units() -> list[str]:
    """The units of this CPU that compute bf16 natively (``AMX``, ``AVX512-BF16``); none: bf16 is emulated.

    The one probe: the precision rule and the machine description (helpers.machine) both ask it.
    """
    probes = (("AMX", "_is_amx_tile_supported"), ("AVX512-BF16", "_is_avx512_bf16_supported"))
    # a torch without these probes: none found, so fp32
    return [name for name, probe in probes if getattr(torch.cpu, probe, lambda: False)()]


def fast_bf16_available(device: str | None = None) -> bool:
    """True where bf16 is native and fast: CUDA compute capability >= 8.0, or a CPU with AMX/AVX512-BF16.

    ``device`` (``"cuda"`` or ``"cpu"``) asks about that device; by default the GPU if there is one.
    """
    kind = device or ("cuda" if has_cuda() else "cpu")
    if kind == "cuda":
        return has_cuda() and torch.cuda.get_device_capability() >= NATIVE_BF16_CAPABILITY
    return kind == "cpu" and bool(cpu_bf16_units())


def resolve_precision(precision: str = "auto", device: str | None = None) -> str:
    """``"fp32"``, ``"bf16"`` or ``"fp16"`` for a precision setting on ``device`` (default: GPU if any).

    >>> resolve_precision("fp32")
    'fp32'
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision != "auto":
        return precision
    kind = device or ("cuda" if has_cuda() else "cpu")
    if fast_bf16_available(kind):
        return "bf16"
    return "fp16" if kind == "cuda" else "fp32"


def autocast_dtype(precision: str) -> torch.dtype | None:
    """The autocast dtype of a resolved precision (None for fp32: no autocast)."""
    return {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)


def process_rank() -> int:
    """This process's rank under ``torchrun`` / ``accelerate launch`` (``RANK``), 0 when not launched."""
    return int(os.environ.get("RANK", "0"))


def is_main_process() -> bool:
    """True in the process that prints and writes outputs (rank 0), also before any process group exists."""
    return process_rank() == 0


def quiet_on_other_processes() -> contextlib.AbstractContextManager:
    """Silence prints, progress bars and load reports of every process but the main one (they repeat its)."""
    if is_main_process():
        return contextlib.nullcontext()
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    return contextlib.redirect_stdout(io.StringIO())


def distributed_on_cpu() -> bool:
    """True when launched on several processes without a CUDA GPU: ``Accelerator`` then needs ``cpu=True``
    (``TrainingArguments``: ``use_cpu=True``) to join a gloo process group instead of running alone."""
    from accelerate.utils import parse_flag_from_env

    if parse_flag_from_env("ACCELERATE_USE_CPU"):  # set by `accelerate launch --cpu` and by ``launch``
        return True
    return not torch.cuda.is_available() and int(os.environ.get("WORLD_SIZE", "1")) > 1


def cpu_cores() -> int:
    """CPU cores this process may run on (its affinity where the system says, else all of them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@dataclass(frozen=True)
class ProcessPlan:
    """Where a launch runs: ``processes`` processes on ``device`` (``"cuda"``: one per GPU; ``"cpu"``: gloo), and why."""

    device: str
    processes: int
    reason: str


def plan_processes(num_processes: int | None = None, *, cpu: bool = False) -> ProcessPlan:
    """The processes a launch starts: one per GPU where there are GPUs (at most ``num_processes``; a single GPU
    gives one process, on that GPU), else ``num_processes`` CPU processes (default 1). ``cpu=True`` asks for CPU
    processes beside GPUs. More CPU processes than cores, or fewer than one, raise ``DeviceError``.
    """
    if num_processes is not None and num_processes < 1:
        raise DeviceError(f"num_processes must be 1 or more, not {num_processes}")
    gpus = 0 if cpu else torch.cuda.device_count()
    if gpus:
        processes = min(num_processes or gpus, gpus)
        if num_processes and num_processes > gpus:
            reason = (
                f"{num_processes} processes asked for, but this machine has {gpus} GPU(s): {processes} "
                f"process(es), one per GPU (pass cpu=True for {num_processes} CPU processes instead)"
            )
        else:
            reason = f"{processes} process(es), one per GPU ({gpus} here)"
        return ProcessPlan("cuda", processes, reason)
    cores = cpu_cores()
    processes = num_processes or 1
    if processes > cores:
        raise DeviceError(
            f"num_processes={processes}: this machine has no GPU{' in use' if cpu else ''} and {cores} CPU "
            f"core(s), and a CPU process needs a core of its own; pass num_processes={cores} or fewer, or run "
            "on a machine with that many GPUs"
        )
    why = "cpu=True" if cpu else "no GPU here"
    return ProcessPlan("cpu", processes, f"{processes} CPU process(es) over gloo ({why}, {cores} cores)")
