#!/usr/bin/env python
"""Build the English and Chinese lesson notebooks from their bilingual sources.

Each lesson is one jupytext percent script ``notebooks/src/NN_name.py``. Code cells are shared; markdown
cells tagged ``lang="en"`` / ``lang="zh"`` go to one language, untagged markdown to both. One empty code
cell tagged ``colab_install="cpu"`` (or ``"gpu"`` for a lesson that trains) marks where the build writes
the Colab install cell; ``"gpu"`` also adds a GPU-runtime advice under the Colab badge.

Cell options (``# %% key="value"``): ``exercise="q1"`` marks a learner's answer cell; ``check="1"`` a code
cell that guards the lesson (asserts): left out of the en/zh notebooks, kept in the check variant;
``concept="q4"`` on a markdown cell (its heading) appends the concept question of the lesson's TOML file
(``helpers/exercises/lNN.toml``), so lesson and TOML cannot drift.

The check variant (``--check-variant DIR``): every lesson in English with its check cells and the reference
solutions in its answer cells; CI executes it, once per lesson.

Every executed code cell records in its metadata (``tokcls_inputs``) a hash of the code cells up to and
including it: an output whose recorded hash differs from the current code is stale, and ``--check`` fails.

Usage::

    python notebooks/build.py                       # rebuild, keeping the outputs of unchanged code cells
    python notebooks/build.py --check               # exit 1 if a notebook is stale, missing or extra
    python notebooks/build.py --list-stale          # list outputs made by other code than the cells above them
    python notebooks/build.py --execute [NAME ...]  # rebuild, then execute notebooks in place
    python notebooks/build.py --execute --full      # execute en only, carry its outputs into zh
    python notebooks/build.py --check-variant DIR   # the check variant CI executes (English, solutions, checks)
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
REPO_SLUG = "tokcls-course/tokcls-course"  # the one place the GitHub repository is named
BRANCH = "main"
GITHUB_NOTEBOOKS = f"https://github.com/{REPO_SLUG}/blob/{BRANCH}/notebooks"
COLAB_NOTEBOOKS = f"https://colab.research.google.com/github/{REPO_SLUG}/blob/{BRANCH}/notebooks"
COLAB_BADGE_SVG = "https://colab.research.google.com/assets/colab-badge.svg"
LANGS = ("en", "zh")
OTHER_LANG = {"en": "zh", "zh": "en"}
HEADER_TEXT = {
    "en": {
        "colab": "Open in Colab",
        "other": "中文版",
        "gpu": "**GPU:** this lesson trains a model. In Colab, choose *Runtime → Change runtime type → GPU* "
        "before you run it; a CPU works too, only more slowly.",
    },
    "zh": {
        "colab": "在 Colab 中打开",
        "other": "English version",
        "gpu": "**GPU：** 本课要训练模型。在 Colab 中运行之前，请先选择 GPU 运行时（代码执行程序 → 更改运行时类型 → GPU）；用 CPU 也能运行，只是慢一些。",
    },
}
INSTALL_CODE = (
    "import sys\n\n"
    'if "google.colab" in sys.modules:  # elsewhere the course package is installed already\n'
    f'    %pip install "tokcls-helpers[offline] @ git+https://github.com/{REPO_SLUG}"'
)
RUNTIMES = ("cpu", "gpu")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
CELL_TIMEOUT = 6 * 3600  # seconds per cell: a full-data training on a CPU can take hours
# Notebook metadata written by execution: kept by rebuilds, ignored by --check (like outputs).
EXECUTION_METADATA = ("widgets", "tokcls_run")
# Code-cell metadata written by execution: the hash of the code cells that produced the cell's outputs.
INPUTS_KEY = "tokcls_inputs"
# Cell options the build consumes (they do not reach the notebooks).
BUILD_OPTIONS = ("colab_install", "check", "concept")
# Cells whose output is in the learner's language (exercise feedback): not carried from en into zh.
LANGUAGE_DEPENDENT_CALLS = (".check(", ".hint(", ".solution(")
UNPAIRED = 'lang="{}" markdown cell has no lang="{}" counterpart directly {} it'
MARKER = re.compile(r"^\s*#\s*%%(%*\s.*|\s*)$")  # a jupytext percent cell marker line
NEW_CELL = {
    "code": nbformat.v4.new_code_cell,
    "markdown": nbformat.v4.new_markdown_cell,
    "raw": nbformat.v4.new_raw_cell,
}


class SourceError(ValueError):
    """A lesson source breaks the format rules; the message lists ``file:line: problem`` lines."""


@dataclass
class SourceCell:
    """One cell of a lesson source, with the line of its ``# %%`` marker."""

    cell_type: str
    source: str
    metadata: dict[str, Any]
    lang: str | None
    line: int


def _display(path: Path, root: Path | None = None) -> str:
    """``path`` relative to the repository root when it lies inside it."""
    path, base = Path(path).resolve(), Path(root or ROOT).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def notebook_path(name: str, lang: str, root: Path | None = None) -> Path:
    """Path of the built notebook of lesson ``name`` in ``lang``."""
    return Path(root or ROOT) / "notebooks" / lang / f"{name}.ipynb"


def find_sources(root: Path | None = None) -> list[Path]:
    """All lesson sources, sorted by name (names starting with ``_`` or ``.`` are ignored)."""
    folder = Path(root or ROOT) / "notebooks" / "src"
    return sorted(p for p in folder.glob("*.py") if p.is_file() and not p.name.startswith(("_", ".")))


def _cell_errors(cell: Any) -> list[str]:
    """Problems with one cell's options."""
    meta, kind, errors = cell.metadata, cell.cell_type, []
    if "incorrectly_encoded_metadata" in meta:
        bad = meta["incorrectly_encoded_metadata"]
        errors.append(f'cannot parse cell options {bad!r} (write them as key="value", e.g. lang="en")')
    lang = meta.get("lang")
    if lang is not None and kind != "markdown":
        errors.append(f"lang={lang!r} on a {kind} cell; only markdown cells take a lang")
    elif lang is not None and lang not in LANGS:
        errors.append(f"unknown lang {lang!r} (use one of {', '.join(LANGS)})")
    runtime = meta.get("colab_install")
    if runtime is not None and (kind != "code" or runtime not in RUNTIMES or cell.source.strip()):
        errors.append('write the install cell as an empty code cell: # %% colab_install="cpu" (or "gpu")')
    if kind == "code" and runtime is None and "pip install" in cell.source:
        errors.append("install packages only in the # %% colab_install cell, which the build writes")
    if "exercise" in meta and kind != "code":
        errors.append(f"exercise={meta['exercise']!r} on a {kind} cell; only code cells are answers")
    check = meta.get("check")
    if check is not None and (kind != "code" or check != "1" or "exercise" in meta or runtime is not None):
        errors.append(f'check={check!r}: write a check cell as a code cell of its own: # %% check="1"')
    concept = meta.get("concept")
    if concept is not None and (kind != "markdown" or lang is None):
        errors.append(
            f'concept={concept!r}: only a lang="en"/"zh" markdown cell (its heading) takes a concept'
        )
    return errors


def parse_source(path: Path | str, root: Path | None = None) -> list[SourceCell]:
    """Read a lesson source and check its cells; raise SourceError listing every problem.

    ``root`` (default: this repository) only shortens the file names shown in error messages.
    """
    where, text = _display(Path(path), root), Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [number for number, line in enumerate(lines, 1) if MARKER.match(line)]
    if any(line.strip() for line in lines[: (starts or [len(lines) + 1])[0] - 1]):
        raise SourceError(f"{where}:1: text before the first '# %%' cell marker")
    nb_cells = jupytext.reads(text, fmt="py:percent").cells
    if len(nb_cells) == len(starts) + 1 and not nb_cells[0].source.strip():
        nb_cells = nb_cells[1:]  # blank lines before the first marker
    if len(nb_cells) != len(starts):
        raise SourceError(
            f"{where}: jupytext reads {len(nb_cells)} cells, but there are {len(starts)} markers"
        )

    errors, cells = [], []
    for cell, line in zip(nb_cells, starts, strict=True):
        errors += [(line, message) for message in _cell_errors(cell)]
        meta = {k: v for k, v in cell.metadata.items() if k not in ("lang", "lines_to_next_cell")}
        lang = cell.metadata.get("lang") if cell.cell_type == "markdown" else None
        cells.append(SourceCell(cell.cell_type, cell.source, meta, lang, line))
    langs = [None, *(c.lang for c in cells), None]
    for i, cell in enumerate(cells, 1):
        if cell.lang == "en" and langs[i + 1] != "zh":
            errors.append((cell.line, UNPAIRED.format("en", "zh", "after")))
        if cell.lang == "zh" and langs[i - 1] != "en":
            errors.append((cell.line, UNPAIRED.format("zh", "en", "before")))
    for i, cell in enumerate(cells):
        if cell.lang == "en" and i + 1 < len(cells) and cells[i + 1].lang == "zh":
            concepts = (cell.metadata.get("concept"), cells[i + 1].metadata.get("concept"))
            if concepts[0] != concepts[1]:
                errors.append(
                    (cell.line, f"concept {concepts[0]!r} in en but {concepts[1]!r} in its zh cell")
                )
    installs = [c.line for c in cells if "colab_install" in c.metadata]
    if len(installs) != 1:
        needed = 'a lesson needs one: # %% colab_install="gpu" (or "cpu")'
        errors.append(((installs or [1])[-1], f"{len(installs)} install cells; {needed}"))
    if errors:
        raise SourceError("\n".join(f"{where}:{line}: {message}" for line, message in sorted(errors)))
    return cells


def header_markdown(name: str, lang: str, gpu: bool) -> str:
    """First cell: Colab badge, absolute link to the other language, GPU advice for lessons that train."""
    text = HEADER_TEXT[lang]
    header = (
        f"[![{text['colab']}]({COLAB_BADGE_SVG})]({COLAB_NOTEBOOKS}/{lang}/{name}.ipynb)"
        f" &nbsp; [{text['other']}]({GITHUB_NOTEBOOKS}/{OTHER_LANG[lang]}/{name}.ipynb)"
    )
    return header + (f"\n\n{text['gpu']}" if gpu else "")


def concept_markdown(name: str, key: str, lang: str) -> str:
    """The concept question ``key`` of lesson ``name`` as its notebook shows it (from ``helpers/exercises/lNN.toml``)."""
    from helpers.exercises import ChoiceExercise, lesson

    exercise = getattr(lesson(int(name.split("_")[0])), key, None)
    if not isinstance(exercise, ChoiceExercise):
        raise ValueError(f"concept={key!r}: lesson {name} has no concept question {key} in its TOML file")
    return exercise.markdown(lang)


def cell_ids(cells: Sequence[Any], lang: str) -> list[str]:
    """Ids that stay when other cells are inserted or removed: a hash of the cell's type and source (and of its
    language: the en and zh notebooks have their own), numbered where two cells are identical."""
    seen: dict[str, int] = {}
    ids = []
    for cell in cells:
        digest = hashlib.sha1(f"{lang}\n{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        ids.append(digest if seen[digest] == 1 else f"{digest}-{seen[digest]}")
    return ids


def assemble_notebook(
    cells: Sequence[SourceCell],
    name: str,
    lang: str,
    solution: Callable[[str], str] | None = None,
    *,
    checks: bool = False,
    concept: Callable[[str, str, str], str] = concept_markdown,
) -> nbformat.NotebookNode:
    """Notebook for ``lang``. The check variant: ``solution`` (exercise id -> code) fills the answer cells and
    ``checks`` keeps the check cells, which the learner's notebooks leave out."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    gpu = any(c.metadata.get("colab_install") == "gpu" for c in cells)
    out = [nbformat.v4.new_markdown_cell(header_markdown(name, lang, gpu))]
    for cell in cells:
        if cell.lang not in (None, lang) or ("check" in cell.metadata and not checks):
            continue
        meta = {k: copy.deepcopy(v) for k, v in cell.metadata.items() if k not in BUILD_OPTIONS}
        source = cell.source
        if cell.metadata.get("colab_install"):
            source = INSTALL_CODE
        elif solution is not None and "exercise" in meta:
            source = solution(meta["exercise"])
        elif "concept" in cell.metadata:
            try:
                body = concept(name, cell.metadata["concept"], lang)
            except ValueError as exc:
                raise SourceError(f"notebooks/src/{name}.py:{cell.line}: {exc}") from None
            source = f"{source.rstrip()}\n\n{body}"
        out.append(NEW_CELL[cell.cell_type](source, metadata=meta))
    for cell, cell_id in zip(out, cell_ids(out, lang)):
        cell.id = cell_id
    nb = nbformat.v4.new_notebook(cells=out, metadata={"kernelspec": dict(KERNELSPEC)})
    nb.metadata.update({"language_info": {"name": "python"}, "tokcls": {"language": lang}})
    nb.nbformat_minor = 5
    nbformat.validate(nb)
    return nb


def build_notebook(source_path: Path | str, lang: str) -> nbformat.NotebookNode:
    """The ``lang`` notebook (without outputs) of one lesson source."""
    return assemble_notebook(parse_source(source_path), Path(source_path).stem, lang)


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Sources of a notebook's code cells, in order."""
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def dumps(nb: nbformat.NotebookNode) -> str:
    """Deterministic file text of a notebook (sorted keys, readable Chinese, final newline)."""
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it holds exactly that already; return whether it wrote."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def _read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook file; a broken one raises ValueError naming the file."""
    try:
        return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except ValueError as exc:  # invalid JSON (nbformat's NotJSONError is a ValueError too)
        raise ValueError(f"{path}: cannot read this notebook ({exc}); delete it and rebuild") from exc


def language_dependent(cell: nbformat.NotebookNode) -> bool:
    """True for a cell whose output is in the notebook's language (an exercise answer or feedback call)."""
    return "exercise" in cell.metadata or any(call in cell.source for call in LANGUAGE_DEPENDENT_CALLS)


def inputs_hashes(nb: nbformat.NotebookNode) -> list[str]:
    """For each code cell, a hash of the sources of the code cells up to and including it: what its outputs
    depend on. Recorded at execution (``INPUTS_KEY``), compared by ``--check``."""
    digest, out = hashlib.sha256(), []
    for source in code_cells(nb):
        digest.update(source.encode() + b"\0")
        out.append(digest.copy().hexdigest()[:16])
    return out


def stale_outputs(nb: nbformat.NotebookNode) -> tuple[list[int], list[int]]:
    """Code cells (0-based among code cells) whose outputs an earlier version of the cells up to them made
    (recorded hash differs), and cells with outputs but no record (executed before hashes were recorded)."""
    stale, unrecorded = [], []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for k, (cell, expected) in enumerate(zip(code, inputs_hashes(nb))):
        if not cell.get("outputs"):
            continue
        recorded = cell.metadata.get(INPUTS_KEY)
        if recorded is None:
            unrecorded.append(k)
        elif recorded != expected:
            stale.append(k)
    return stale, unrecorded


def carry_outputs(
    new: nbformat.NotebookNode, old: nbformat.NotebookNode, skip: Callable[[Any], bool] = lambda cell: False
) -> int:
    """Give code cells of ``new`` the outputs of the ``old`` code cells with identical source, matched in order,
    with the hash of the code that made them (so ``--check`` sees when a cell above changed).

    Inserting, removing or editing one cell only loses that cell's outputs. Cells for which ``skip`` is
    true get none. Returns how many cells got outputs.
    """
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in new.cells if c.cell_type == "code"]
    matcher = difflib.SequenceMatcher(None, code_cells(old), code_cells(new), autojunk=False)
    pairs = [
        (old_code[b.a + k], new_code[b.b + k]) for b in matcher.get_matching_blocks() for k in range(b.size)
    ]
    pairs = [(src, dst) for src, dst in pairs if not skip(dst)]
    for src, dst in pairs:
        dst.outputs, dst.execution_count = copy.deepcopy(src.outputs), src.execution_count
        if INPUTS_KEY in src.metadata:
            dst.metadata[INPUTS_KEY] = src.metadata[INPUTS_KEY]
    for key in EXECUTION_METADATA if pairs else ():
        if key in old.metadata:
            new.metadata[key] = copy.deepcopy(old.metadata[key])
    return len(pairs)


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy of ``nb`` without outputs, execution counts and execution metadata."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop(INPUTS_KEY, None)
    for key in EXECUTION_METADATA:
        nb.metadata.pop(key, None)
    return nb


def _first_line(cell: Any) -> str:
    line = next((x for x in cell.source.splitlines() if x.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def stale_report(nb: nbformat.NotebookNode, shown: str, unrecorded: bool = False) -> list[str]:
    """One line per code cell of ``nb`` whose outputs are stale (and, with ``unrecorded``, have no record)."""
    stale, missing = stale_outputs(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    lines = [
        f"{shown}: code cell {k + 1} ({_first_line(code[k])!r}): stale output, a cell up to it changed "
        "since it ran (re-run the lesson: make notebooks-full LESSONS=NN)"
        for k in stale
    ]
    if unrecorded:
        lines += [
            f"{shown}: code cell {k + 1} ({_first_line(code[k])!r}): output without a record of the code "
            "that made it (executed before records were kept)"
            for k in missing
        ]
    return lines


def build_all(check: bool = False, root: Path | None = None, verbose: bool = False) -> list[str]:
    """Build (with ``check``: only compare, and report stale outputs) every notebook; return the problems found."""
    problems: list[str] = []
    sources = find_sources(root)
    for source in sources:
        try:
            cells = parse_source(source, root)
        except SourceError as exc:
            problems += str(exc).splitlines()
            continue
        for lang in LANGS:
            nb, target = assemble_notebook(cells, source.stem, lang), notebook_path(source.stem, lang, root)
            shown = _display(target, root)
            text = target.read_text(encoding="utf-8") if target.is_file() else None
            if check and text is None:
                problems.append(f"{shown}: missing (run python notebooks/build.py)")
            elif check and (dumps(strip_outputs(_read(target))) != dumps(nb) or dumps(_read(target)) != text):
                problems.append(f"{shown}: stale, differs from {_display(source, root)} (rebuild it)")
            elif check:
                problems += stale_report(_read(target), shown)
            elif not check:
                if text is not None:
                    carry_outputs(nb, _read(target))
                if _write_if_changed(target, dumps(nb)) and verbose:
                    print(f"wrote {shown}")
    lessons = {s.stem for s in sources}
    for lang in LANGS:
        for path in sorted((Path(root or ROOT) / "notebooks" / lang).glob("*.ipynb")):
            if path.stem not in lessons:
                problems.append(
                    f"{_display(path, root)}: extra notebook, no source notebooks/src/{path.stem}.py"
                )
    return problems


def write_check_variant(
    folder: Path, root: Path | None = None, solution_source: Callable | None = None
) -> list[Path]:
    """Write the check variant of every lesson: English, check cells kept, answer cells holding the reference
    solutions, and the committed English outputs of the other cells (what nbval compares the cells tagged
    ``nbval-check-output`` with). CI executes these, once per lesson: the en and zh notebooks have the same
    code cells but these (tested), so executing them again would catch nothing more.

    ``solution_source(lesson_number, exercise_id)`` gives the code (default: ``helpers.exercises``'s).
    """
    written = []
    for source in find_sources(root):
        cells, name = parse_source(source, root), source.stem
        if solution_source is None and any("exercise" in c.metadata for c in cells):
            from helpers.exercises import solution_source
        number = int(name.split("_")[0])
        nb = assemble_notebook(cells, name, "en", lambda qid, n=number: solution_source(n, qid), checks=True)
        committed = notebook_path(name, "en", root)
        if committed.is_file():  # nbval compares the cells tagged nbval-check-output with these outputs
            carry_outputs(nb, _read(committed), skip=language_dependent)
        _write_if_changed(Path(folder) / f"{name}.ipynb", dumps(nb))
        written.append(Path(folder) / f"{name}.ipynb")
    return written


def resolve_targets(names: Sequence[str], root: Path | None = None) -> list[Path]:
    """Notebooks for ``names`` (a lesson name or unique prefix, optionally ``en/``/``zh/`` or a path); all if none."""
    lessons = [s.stem for s in find_sources(root)]
    targets = []
    for raw in names or lessons:
        path = Path(raw)
        stem = path.name.removesuffix(".ipynb").removesuffix(".py")
        matches = [stem] if stem in lessons else [n for n in lessons if n.startswith(stem)]
        if len(matches) != 1:
            raise SystemExit(f"{raw!r} matches {'no lesson' if not matches else ', '.join(matches)}")
        langs = (path.parent.name,) if path.parent.name in LANGS else LANGS
        targets += [notebook_path(matches[0], lang, root) for lang in langs]
    return list(dict.fromkeys(targets))


def machine_paths(folder: Path) -> list[tuple[str, str]]:
    """(absolute prefix, what to show instead) for the paths of this machine, longest first.

    Outputs name files through libraries we do not control (transformers' load report, the Hub cache); a
    committed notebook shows them relative to its folder, or under ``<site-packages>``, ``<tmp>``, ``~``.
    """
    import sysconfig
    import tempfile

    pairs = {sysconfig.get_paths()["purelib"]: "<site-packages>", tempfile.gettempdir(): "<tmp>"}
    for level in (ROOT, ROOT.parent):
        pairs[str(level)] = os.path.relpath(level, folder)
    data = os.environ.get("TOKCLS_DATA_DIR")
    if data:  # where this machine keeps CoNLL-2003: the learner's copy is elsewhere, or the Hub's
        for form in (str(Path(data).resolve()), os.path.relpath(Path(data).resolve(), folder)):
            pairs[form] = "$TOKCLS_DATA_DIR"
    pairs.setdefault(str(Path.home()), "~")
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def scrub_outputs(nb: nbformat.NotebookNode, pairs: list[tuple[str, str]]) -> None:
    """Replace machine paths (see ``machine_paths``) in every text output of ``nb``, in place."""

    def scrub(text: str) -> str:
        for prefix, shown in pairs:
            text = text.replace(prefix + "/", shown + "/").replace(prefix, shown)
        return text

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = scrub(out["text"])
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    out["data"][mime] = scrub(value)
            if "traceback" in out:
                out["traceback"] = [scrub(line) for line in out["traceback"]]


def execute_notebook(path: Path, record: dict[str, Any]) -> float:
    """Execute a built notebook in place (cwd: its folder) and save it; return the wall time in seconds.

    ``record`` (e.g. the machine) and the wall time replace the notebook's ``tokcls_run`` metadata.
    """
    from nbclient import NotebookClient

    nb = _read(path)
    metadata = copy.deepcopy(nb.metadata)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None  # other work on the machine slows a run
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    scrub_outputs(nb, machine_paths(path.parent))
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, inputs in zip(code, inputs_hashes(nb)):
        cell.metadata[INPUTS_KEY] = inputs  # what made its outputs: --check compares it with the code
    metadata.pop("widgets", None)
    if "widgets" in nb.metadata:
        metadata["widgets"] = nb.metadata["widgets"]
    metadata["tokcls_run"] = {**record, "wall_s": round(seconds, 1)}
    if load is not None:  # the 1-minute load average when the run started and when it ended
        metadata["tokcls_run"]["load"] = [round(load, 1), round(os.getloadavg()[0], 1)]
    nb.metadata = metadata  # the build's metadata, no interpreter-specific language_info
    _write_if_changed(path, dumps(nb))
    return seconds


def execute_all(names: Sequence[str], root: Path | None = None, full: bool = False) -> list[str]:
    """Execute the named notebooks (default: all) in place; return those that failed.

    Each notebook's ``tokcls_run`` metadata records the machine, epochs, smoke mode and wall time. ``full``:
    execute only en and carry its outputs into zh (language-dependent cells stay empty there).
    """
    from helpers.data import smoke_mode
    from helpers.machine import machine_line

    targets = resolve_targets(names, root)
    record = {
        "machine": machine_line(),
        "epochs": os.environ.get("TOKCLS_EPOCHS", "recipe"),
        "smoke": smoke_mode(),
    }
    print(f"running on {record['machine']}; epochs: {record['epochs']}; smoke mode: {record['smoke']}")
    if full:
        targets = list(dict.fromkeys(notebook_path(p.stem, "en", root) for p in targets))
    failed, times = [], {}
    for path in targets:
        shown = _display(path, root)
        print(f"executing {shown} ...")
        try:
            times[shown] = execute_notebook(path, record)
        except Exception as exc:  # a failing cell: report it, keep the committed notebook
            print(f"FAILED {shown}: {exc}", file=sys.stderr)
            failed.append(shown)
            continue
        if full:
            zh = notebook_path(path.stem, "zh", root)
            nb = strip_outputs(_read(zh))
            carry_outputs(nb, _read(path), skip=language_dependent)
            _write_if_changed(zh, dumps(nb))
        print(f"executed {shown} in {times[shown]:.0f} s{' (outputs carried into zh)' if full else ''}")
    print("wall time per notebook:", ", ".join(f"{Path(k).stem} {v:.0f} s" for k, v in times.items()))
    return failed


def main(argv: Sequence[str] | None = None, root: Path | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    if hasattr(sys.stdout, "reconfigure"):  # show the progress of long runs in logs as it happens
        sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only report stale, missing or extra notebooks")
    mode.add_argument("--execute", action="store_true", help="build, then execute notebooks in place")
    mode.add_argument(
        "--list-stale", action="store_true", help="list outputs made by other code (or with no record of it)"
    )
    mode.add_argument(
        "--check-variant", metavar="DIR", type=Path, help="write the check variant CI executes into DIR"
    )
    parser.add_argument(
        "--full", action="store_true", help="with --execute: record the run, carry en outputs into zh"
    )
    parser.add_argument("names", nargs="*", help="with --execute: lessons to execute (default: all)")
    args = parser.parse_args(argv)
    if (args.names or args.full) and not args.execute:
        parser.error("lesson names and --full are only accepted with --execute")

    if args.check_variant is not None:
        for path in write_check_variant(args.check_variant, root):
            print(f"wrote {_display(path, root)}")
        return 0
    if args.list_stale:
        lines = [
            line
            for target in resolve_targets([], root)
            if target.is_file()
            for line in stale_report(_read(target), _display(target, root), unrecorded=True)
        ]
        print("\n".join(lines) if lines else "no stale outputs")
        print(f"{len(lines)} code cell(s) to re-run (make notebooks-full)", file=sys.stderr)
        return 0
    problems = build_all(check=args.check, root=root, verbose=not args.check)
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(find_sources(root)) * len(LANGS)} notebooks up to date")
    if not args.execute:
        return 0
    failed = execute_all(args.names, root, full=args.full)
    if failed:
        print(f"{len(failed)} notebook(s) failed, not saved: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
