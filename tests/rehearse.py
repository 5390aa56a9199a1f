"""Rehearse the learner's online path offline: every training lesson, in smoke mode, with ``TOKCLS_MODEL``
pointing at a local stand-in of its online default (tests/standins.py), and the decisions checked.

    python -m tests.rehearse            # 2-layer stand-ins (make rehearse-smoke)
    python -m tests.rehearse --full     # the real layer counts, 6 and 12 (make rehearse)
    python -m tests.rehearse 07 08      # some lessons only
    python -m tests.rehearse --nbval    # every lesson once under nbval, as make test runs it (make nbval-check)

Each lesson runs as CI runs it (its check variant, written by notebooks/build.py) with
``TOKCLS_DECISIONS_LOG`` set; what the run decided is then checked against the online path's rule. With
``--nbval`` the lessons run under pytest's nbval (the cells tagged ``nbval-check-output`` compared with the
committed outputs, which depend on no model), the lessons that train none with the default checkpoint:

- recipe: a 768-wide encoder gets the base-size learning rate (5e-5, at most 3x that in a smoke-mode or
  small-data adaptation), never the 384-wide course rate;
- device and precision: the GPU where there is one, else the CPU; the precision ``auto`` gives there;
- processes: one per Trainer run; lesson 8's launches run the processes they were asked for on the CPU;
- embedding learning rate: a Chinese checkpoint's own embedding rows never learn faster.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "rehearsal"
#: the training lessons and the online default each one uses
LESSONS = {"03": "distilbert", "04": "distilbert", "05": "distilbert", "06": "distilbert", "07": "bert-chinese",
           "08": "distilbert", "09": "bert-chinese"}  # fmt: skip
BASE_LEARNING_RATE = 5e-5


def standins(full: bool) -> dict[str, Path]:
    """The stand-in checkpoints, built once per layer setting under build/rehearsal/."""
    from tests.standins import BUILDERS

    folder = WORK / ("standins-full" if full else "standins-2")
    paths = {}
    for name, build in BUILDERS.items():
        path = folder / name
        if not (path / "config.json").is_file():
            build(path, layers=None if full else 2)
        paths[name] = path
    return paths


def lesson_notebooks(names: list[str]) -> dict[str, Path]:
    """The check variant of each lesson (as CI executes it), written by notebooks/build.py."""
    out = WORK / "notebooks"
    subprocess.run([sys.executable, "notebooks/build.py", "--check-variant", str(out)], cwd=REPO, check=True)
    found = {}
    for name in names:
        matches = sorted(out.glob(f"{name}_*.ipynb"))
        if not matches:
            raise SystemExit(f"no check variant of lesson {name} in {out}")
        found[name] = matches[0]
    return found


def execute(notebook: Path, env: dict) -> float:
    """Run a notebook in its folder with ``env``; its seconds. A failing cell raises with the cell shown."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    saved = dict(os.environ)
    os.environ.update(env)
    start = time.perf_counter()
    try:
        client = NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    nbformat.write(nb, notebook.with_suffix(".rehearsed.ipynb"))
    return time.perf_counter() - start


STRICT = (
    "TOKCLS_EXERCISES_STRICT"  # a wrong or missing exercise answer raises (the answers are the solutions)
)
NBVAL = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout=300", "--durations=5"]  # fmt: skip


def execute_nbval(notebook: Path, env: dict) -> float:
    """Run one notebook under nbval in its folder with ``env`` added; its seconds. A failure raises SystemExit.

    Its output is printed when it ends, in one piece, so that lessons run side by side stay readable.
    """
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, *NBVAL, notebook.name],
        cwd=notebook.parent,
        env={**os.environ, STRICT: "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    print(run.stdout, end="", flush=True)
    if run.returncode:
        raise SystemExit(f"nbval failed on {notebook.name} (exit {run.returncode})")
    return time.perf_counter() - start


def threads_each(jobs: int) -> dict[str, str]:
    """Thread limits for one of ``jobs`` lessons run side by side: the cores shared out, at least one each
    (PyTorch's threads would otherwise wait on each other across the lessons)."""
    if jobs <= 1:
        return {}
    return {"OMP_NUM_THREADS": str(max(1, (os.cpu_count() or 1) // jobs))}


def check(lesson: str, standin: str, decisions: list[dict]) -> list[str]:
    """What the lesson's run decided that the online path's rule forbids (empty: all as it should be)."""
    import torch

    from helpers.precision import resolve_precision

    problems = []
    device = "cuda" if torch.cuda.is_available() else "cpu"
    recipes = [d for d in decisions if d["kind"] == "recipe"]
    if not recipes:
        problems.append("no recipe was decided from the checkpoint (recipe_for was not called)")
    for d in recipes:
        rate = d["recipe"]["learning_rate"]
        if d["hidden_size"] != 768 or d["size"] != "base":
            problems.append(
                f"recipe decided for width {d['hidden_size']} ({d['size']}), not the 768-wide stand-in"
            )
        if not BASE_LEARNING_RATE * 0.999 <= rate <= 3 * BASE_LEARNING_RATE * 1.001:
            problems.append(
                f"learning rate {rate:g} on a 768-wide encoder (base: {BASE_LEARNING_RATE:g}, at most 3x)"
            )
    for d in (d for d in decisions if d["kind"] == "training_arguments"):
        if not d["learning_rate"] <= 3 * BASE_LEARNING_RATE * 1.001:
            problems.append(
                f"TrainingArguments with learning rate {d['learning_rate']:g} on a 768-wide encoder"
            )
        if d["device"] != device or d["precision"] != resolve_precision("auto", device):
            problems.append(f"TrainingArguments on {d['device']} in {d['precision']} (expected {device})")
    for d in (d for d in decisions if d["kind"] == "run"):
        expected = {"device": device, "precision": resolve_precision("auto", device)}
        if d["runner"] == "Trainer":
            expected["processes"] = 1
        for key, value in expected.items():
            if d[key] != value and not (key == "device" and d.get("processes", 1) > 1):
                problems.append(f"{d['runner']} ran with {key} {d[key]!r}, expected {value!r}")
    launches = [d for d in decisions if d["kind"] == "launch"]
    for d in launches:
        if d["asked"] and d["processes"] != d["asked"] and d["device"] == "cpu":
            problems.append(f"launch asked for {d['asked']} CPU processes and ran {d['processes']}")
    if lesson == "08" and sorted(d["processes"] for d in launches) != [1, 2]:
        problems.append(
            f"lesson 8 should launch 1 and 2 processes, launched {[d['processes'] for d in launches]}"
        )
    for d in (d for d in decisions if d["kind"] == "embeddings"):
        if standin == "bert-chinese" and d["multiplier"] != 1.0 and not d["added_rows"]:
            problems.append("a Chinese checkpoint's own embedding rows were given a faster learning rate")
        if d["multiplier"] != 1.0 and not d["added_rows"]:
            problems.append(f"embedding multiplier {d['multiplier']} without added rows")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help=f"lesson numbers (default: {' '.join(LESSONS)})")
    parser.add_argument("--full", action="store_true", help="stand-ins at the real layer counts (6 and 12)")
    parser.add_argument(
        "--nbval", action="store_true", help="every lesson once under nbval (make nbval-check)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="with --nbval: lessons run side by side (default: 1)"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or (args.jobs > 1 and not args.nbval):
        parser.error("--jobs takes a positive number, and more than 1 only with --nbval")
    every = sorted(p.name.split("_")[0] for p in (REPO / "notebooks" / "src").glob("[0-9]*.py"))
    known = every if args.nbval else list(LESSONS)
    asked = args.lessons or known
    unknown = sorted(set(asked) - set(known))
    if unknown:
        raise SystemExit(f"not a lesson to run here: {', '.join(unknown)} (choose from {', '.join(known)})")
    names = [n for n in asked if n in LESSONS]
    WORK.mkdir(parents=True, exist_ok=True)
    models = standins(args.full)
    notebooks = lesson_notebooks(asked if args.nbval else names)
    run = execute_nbval if args.nbval else execute
    threads = threads_each(args.jobs)
    from helpers.decisions import DECISIONS_LOG, read

    def lesson(name: str) -> dict:
        """Run one lesson; its row (seconds, and for a training lesson what it decided and the problems)."""
        if name not in LESSONS:  # a lesson that trains nothing: the default checkpoint, nothing to check
            seconds = run(notebooks[name], {"TOKCLS_SMOKE": "1", "HF_HUB_OFFLINE": "1", **threads})
            row = {"lesson": name, "checkpoint": "default", "seconds": round(seconds)}
            print(json.dumps(row), flush=True)
            return row
        log = WORK / f"decisions-{name}.jsonl"
        log.unlink(missing_ok=True)
        env = {"TOKCLS_MODEL": str(models[LESSONS[name]]), "TOKCLS_SMOKE": "1", "HF_HUB_OFFLINE": "1",
               DECISIONS_LOG: str(log), "TOKENIZERS_PARALLELISM": "false", **threads}  # fmt: skip
        seconds = run(notebooks[name], env)
        decisions = read(log)
        problems = check(name, LESSONS[name], decisions)
        rates = sorted({d["recipe"]["learning_rate"] for d in decisions if d["kind"] == "recipe"})
        runs = sorted(
            {
                f"{d['runner']} {d['device']} {d['precision']} x{d['processes']}"
                for d in decisions
                if d["kind"] == "run"
            }
        )
        launches = [f"{d['processes']} on {d['device']}" for d in decisions if d["kind"] == "launch"]
        embeddings = [
            f"x{d['multiplier']:g} rows {d['added_rows']}" for d in decisions if d["kind"] == "embeddings"
        ]
        row = {"lesson": name, "stand-in": LESSONS[name], "seconds": round(seconds), "learning rates": rates,
               "runs": runs, "launches": launches, "embeddings": embeddings, "problems": problems}  # fmt: skip
        print(json.dumps(row), flush=True)
        return row

    order = asked if args.nbval else names
    if args.jobs == 1:
        rows = [lesson(name) for name in order]
    else:  # side by side; a failing lesson raises SystemExit from its thread, and so here
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            rows = list(pool.map(lesson, order))
    failed = any(row.get("problems") for row in rows)
    (WORK / "summary.json").write_text(json.dumps(rows, indent=2) + "\n")
    print("rehearsal:", "FAILED" if failed else "every decision as the online path's rule says")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
