"""The machine a run used, described one way: for ``metrics.json``, benchmark results, the notebook build,
and the run card a training lesson prints before it trains.

    >>> card = run_card("distilbert/distilbert-base-uncased", epochs=3, sentences=14041)  # doctest: +SKIP
    Run card
      checkpoint  distilbert/distilbert-base-uncased
      device      cpu, fp32 (AMD EPYC 7B13, 2 cores, torch 2.13.0, no GPU)
      epochs      3
      sentences   14,041 training sentences
    >>> card.finish()  # doctest: +SKIP
      wall time   212.4 s
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """Hardware and library versions: what every run, benchmark result and executed notebook records."""
    import datasets
    import torch
    import transformers

    from .precision import cpu_bf16_units

    info = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
        "cpu_bf16_units": " + ".join(cpu_bf16_units()) or "none",
    }
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
    return info


def machine_line(info: dict | None = None) -> str:
    """:func:`machine` in one line: ``"AMD EPYC 7B13, 2 cores, torch 2.13.0, no GPU"``."""
    info = machine() if info is None else info
    return f"{info['cpu']}, {info['cores']} cores, torch {info['torch']}, {info.get('gpu', 'no GPU')}"


@dataclass
class RunCard:
    """What a training run is about to do, printed first; :meth:`finish` adds the wall time when it is done."""

    checkpoint: str
    device: str
    precision: str
    epochs: float
    sentences: int
    machine: str
    started: float = field(default_factory=time.perf_counter, repr=False)
    seconds: float | None = None

    def lines(self) -> list[str]:
        from .io import display_path

        epochs = f"{self.epochs:g}" if isinstance(self.epochs, (int, float)) else str(self.epochs)
        out = [
            "Run card",
            f"  checkpoint  {display_path(self.checkpoint)}",
            f"  device      {self.device}, {self.precision} ({self.machine})",
            f"  epochs      {epochs}",
            f"  sentences   {self.sentences:,} training sentences",
        ]
        if self.seconds is not None:
            out.append(f"  wall time   {self.seconds:.1f} s")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def finish(self, seconds: float | None = None) -> None:
        """Record (``self.seconds``) and print the wall time since the card was made (or ``seconds``, e.g. a
        run's own figure). Returns nothing, so that a notebook cell ending with it shows no bare number."""
        self.seconds = round(time.perf_counter() - self.started if seconds is None else seconds, 1)
        print(self.lines()[-1])


def run_card(
    checkpoint: str,
    *,
    epochs: float,
    sentences: int,
    device: str = "auto",
    precision: str = "auto",
    seconds: float | None = None,
    verbose: bool = True,
) -> RunCard:
    """Print the run card of a training run (checkpoint, device and precision, epochs, training sentences) and
    start its clock; ``card.finish()`` prints the wall time. ``seconds`` (e.g. a finished run's
    ``train_seconds``) gives a complete card at once. Device and precision ``"auto"`` are resolved by the
    rule training uses (helpers.precision); the machine line is :func:`machine_line`.
    """
    from .precision import has_cuda, resolve_precision

    kind = ("cuda" if has_cuda() else "cpu") if device == "auto" else device
    card = RunCard(
        checkpoint=str(checkpoint),
        device=kind,
        precision=resolve_precision(precision, kind.split(":")[0]),
        epochs=epochs,
        sentences=sentences,
        machine=machine_line(),
        seconds=None if seconds is None else round(seconds, 1),
    )
    if verbose:
        print(card)
    return card
