"""Run one lesson notebook for real (no smoke mode) and keep what it printed, with timings.

    python -m benchmarks.lesson_run 03 --epochs 1     # lesson 3 on the whole training split, one epoch

The executed copy goes to ``benchmarks/results/lessonNN_full.ipynb`` (the committed notebooks keep their
smoke-mode outputs) and a summary to ``lessonNN_full.json``: total and per-cell wall time, the
environment (data folder, checkpoint, epochs) and the text of the cells that print scores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from helpers.io import write_json_atomic, write_text_atomic

from .common import RESULTS, machine

REPO = Path(__file__).resolve().parents[1]
SCORE_MARKERS = ("overall", "steps in", "full run:", "data source:", "checkpoint:")


def _cell_seconds(cell) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = dt.datetime.fromisoformat
    return round((parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds(), 1)


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append("".join(out["text"]))
        elif "data" in out and "text/plain" in out["data"] and "text/html" not in out["data"]:
            parts.append("".join(out["data"]["text/plain"]))
    return "".join(parts)


def run(lesson: str, lang: str = "en", epochs: float | None = None, timeout: int = 7200) -> dict:
    """Execute ``notebooks/<lang>/<lesson>*.ipynb`` without smoke mode in a scratch folder; return the summary."""
    import nbformat
    from nbclient import NotebookClient

    matches = sorted((REPO / "notebooks" / lang).glob(f"{lesson}*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"{lesson!r} matches {len(matches)} notebooks in notebooks/{lang}")
    source = matches[0]
    os.environ.pop("TOKCLS_SMOKE", None)  # the kernel inherits this environment
    if epochs is not None:
        os.environ["TOKCLS_EPOCHS"] = str(epochs)
    nb = nbformat.read(source, as_version=4)
    workdir = REPO / "runs" / f"lesson{lesson}_full"
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    t = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()  # fmt: skip
    wall = time.perf_counter() - t
    stem = f"lesson{lesson}_full"
    write_text_atomic(RESULTS / f"{stem}.ipynb", nbformat.writes(nb))
    cells = [c for c in nb.cells if c.cell_type == "code"]
    timed = sorted(((_cell_seconds(c), i) for i, c in enumerate(cells)), key=lambda x: -(x[0] or 0))
    summary = {
        "command": f"python -m benchmarks.lesson_run {lesson}" + (f" --epochs {epochs:g}" if epochs else ""),
        "notebook": str(source.relative_to(REPO)),
        "started": started,
        "machine": machine(),
        "environment": {
            k: os.environ.get(k)
            for k in ("TOKCLS_DATA_DIR", "TOKCLS_MODEL", "TOKCLS_EPOCHS", "HF_HUB_OFFLINE", "OMP_NUM_THREADS")
        },  # fmt: skip
        "wall_seconds": round(wall, 1),
        "slowest_cells": [{"code_cell": i, "seconds": s} for s, i in timed[:5]],
        "printed": [text for c in cells if any(m in (text := _text(c)) for m in SCORE_MARKERS)],
    }
    write_json_atomic(RESULTS / f"{stem}.json", summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("lesson", help="lesson number, e.g. 03")
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    parser.add_argument("--epochs", type=float, help="sets TOKCLS_EPOCHS for the run")
    args = parser.parse_args(argv)
    summary = run(args.lesson, args.lang, args.epochs)
    print(f"{summary['notebook']}: {summary['wall_seconds']} s")
    for text in summary["printed"]:
        print(text.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
