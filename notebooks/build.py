#!/usr/bin/env python
"""Build the English and Chinese lesson notebooks from their bilingual sources.

Each lesson has one jupytext "percent" source ``notebooks/src/NN_name.py``. Code cells are shared;
markdown cells tagged ``lang="en"`` / ``lang="zh"`` go to one language only, untagged markdown to both.
The build writes ``notebooks/en/NN_name.ipynb`` and ``notebooks/zh/NN_name.ipynb``.

Usage::

    python notebooks/build.py                   # rebuild all notebooks, keeping outputs of unchanged code
    python notebooks/build.py --execute [NAME]  # rebuild, then execute (all or the named) notebooks in place
    python notebooks/build.py --check           # exit 1 if any notebook is stale, missing or extra
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
COLAB_REPO = "tokcls-course/tokcls-course"
COLAB_BRANCH = "main"
COLAB_BADGE_SVG = "https://colab.research.google.com/assets/colab-badge.svg"
LANGS = ("en", "zh")
OTHER_LANG = {"en": "zh", "zh": "en"}
COLAB_LABEL = {"en": "Open in Colab", "zh": "在 Colab 中打开"}
OTHER_VERSION_LABEL = {"en": "中文版", "zh": "English version"}
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600
# Source-cell metadata that never reaches the notebooks (our tag plus jupytext bookkeeping).
DROPPED_CELL_METADATA = ("lang", "lines_to_next_cell")
# Notebook metadata produced by execution; treated like outputs (kept by rebuilds, ignored by --check).
EXECUTION_METADATA = ("widgets",)


class SourceError(ValueError):
    """A lesson source breaks the bilingual format rules (message lists ``file:line: problem``)."""


@dataclass
class SourceCell:
    """One cell of a lesson source."""

    cell_type: str
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    line: int | None = None


def _root(root: Path | None) -> Path:
    """Return the repository root to use."""
    return Path(root).resolve() if root is not None else ROOT


def _display(path: Path, root: Path | None = None) -> str:
    """Show ``path`` relative to the repository root when possible."""
    path = Path(path).resolve()
    try:
        return path.relative_to(_root(root)).as_posix()
    except ValueError:
        return str(path)


def src_dir(root: Path | None = None) -> Path:
    """Folder holding the lesson sources."""
    return _root(root) / "notebooks" / "src"


def notebook_path(name: str, lang: str, root: Path | None = None) -> Path:
    """Path of the built notebook for lesson ``name`` in ``lang``."""
    return _root(root) / "notebooks" / lang / f"{name}.ipynb"


def find_sources(root: Path | None = None) -> list[Path]:
    """All lesson sources, sorted by name (files starting with ``_`` or ``.`` are ignored)."""
    folder = src_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if p.is_file() and not p.name.startswith(("_", ".")))


def _cell_start_lines(text: str) -> list[int] | None:
    """1-based first line of each cell jupytext reads from ``text``; None if that cannot be worked out."""
    try:
        from jupytext.formats import get_format_implementation
        from jupytext.header import header_to_metadata_and_cell

        impl = get_format_implementation(".py", "percent")
        lines = text.splitlines()
        _, _, header_cell, pos = header_to_metadata_and_cell(
            lines, impl.header_prefix, impl.header_suffix, impl.extension, True
        )
        starts = [1] if header_cell is not None else []
        fmt = {"extension": ".py", "format_name": "percent"}
        while pos < len(lines):
            _, consumed = impl.cell_reader_class(fmt, "python").read(lines[pos:])
            if consumed <= 0:
                return None
            starts.append(pos + 1)
            pos += consumed
        return starts
    except Exception:  # jupytext internals changed: errors are reported without line numbers
        return None


def parse_source(path: Path | str, root: Path | None = None) -> list[SourceCell]:
    """Read a lesson source and check its language tags; raise SourceError listing every problem.

    ``root`` (default: this repository) only shortens the file names shown in error messages.
    """
    path = Path(path)
    where = _display(path, root)
    text = path.read_text(encoding="utf-8")
    try:
        nb = jupytext.reads(text, fmt="py:percent")
    except Exception as exc:
        raise SourceError(f"{where}: jupytext cannot read this source: {exc}") from exc
    starts = _cell_start_lines(text)
    if starts is None or len(starts) != len(nb.cells):
        starts = [None] * len(nb.cells)
    text_lines = text.splitlines()

    cells: list[SourceCell] = []
    errors: list[str] = []
    for cell, line in zip(nb.cells, starts, strict=True):
        meta = dict(cell.metadata)
        has_header = line is not None and text_lines[line - 1].strip() != ""
        if cell.cell_type == "code" and not cell.source.strip() and not has_header:
            if line is not None or (not cells and set(meta) <= {"lines_to_next_cell"}):
                continue  # blank lines before the first "# %%" marker
        at = f"{where}:{line if line is not None else '?'}"
        if "incorrectly_encoded_metadata" in meta:
            errors.append(
                f"{at}: cannot parse cell options {meta['incorrectly_encoded_metadata']!r} "
                '(write them as key="value", e.g. lang="en")'
            )
        lang = meta.get("lang")
        if lang is not None:
            if cell.cell_type != "markdown":
                errors.append(
                    f"{at}: lang={lang!r} on a {cell.cell_type} cell; only markdown cells take a lang"
                )
            elif lang not in LANGS:
                errors.append(f"{at}: unknown lang {lang!r} (use one of {', '.join(LANGS)})")
        for key in DROPPED_CELL_METADATA:
            meta.pop(key, None)
        cells.append(SourceCell(cell.cell_type, cell.source, meta, lang, line))

    errors.extend(_pairing_errors(cells, where))
    if errors:
        raise SourceError("\n".join(sorted(errors, key=_line_of)))
    return cells


def _line_of(message: str) -> int:
    """Line number in a ``file:line: problem`` message (0 when unknown), for sorting."""
    parts = message.split(":")
    for part in parts[1:]:
        if part.isdigit():
            return int(part)
    return 0


def _pairing_errors(cells: list[SourceCell], where: str) -> list[str]:
    """Each en markdown cell must be directly followed by its zh counterpart."""
    errors = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        at = f"{where}:{cell.line if cell.line is not None else '?'}"
        if cell.cell_type == "markdown" and cell.lang == "en":
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt is not None and nxt.cell_type == "markdown" and nxt.lang == "zh":
                i += 2
                continue
            errors.append(f'{at}: lang="en" markdown cell has no lang="zh" counterpart directly after it')
        elif cell.cell_type == "markdown" and cell.lang == "zh":
            errors.append(f'{at}: lang="zh" markdown cell has no lang="en" counterpart directly before it')
        i += 1
    return errors


def colab_url(name: str, lang: str) -> str:
    """Colab link that opens the built notebook from GitHub."""
    return f"https://colab.research.google.com/github/{COLAB_REPO}/blob/{COLAB_BRANCH}/notebooks/{lang}/{name}.ipynb"


def badge_markdown(name: str, lang: str) -> str:
    """Source of the first cell: Colab badge plus a link to the other language."""
    other = OTHER_LANG[lang]
    return (
        f"[![{COLAB_LABEL[lang]}]({COLAB_BADGE_SVG})]({colab_url(name, lang)})"
        f" &nbsp; [{OTHER_VERSION_LABEL[lang]}](../{other}/{name}.ipynb)"
    )


def assemble_notebook(cells: Sequence[SourceCell], name: str, lang: str) -> nbformat.NotebookNode:
    """Notebook for ``lang`` from parsed source cells (badge first, other-language markdown left out)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = nbformat.from_dict(
        {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}, "tokcls": {"language": lang}}
    )
    out = [nbformat.v4.new_markdown_cell(badge_markdown(name, lang))]
    for cell in cells:
        if cell.cell_type == "markdown" and cell.lang not in (None, lang):
            continue
        meta = copy.deepcopy(cell.metadata)
        if cell.cell_type == "code":
            out.append(nbformat.v4.new_code_cell(cell.source, metadata=meta))
        elif cell.cell_type == "markdown":
            out.append(nbformat.v4.new_markdown_cell(cell.source, metadata=meta))
        else:
            out.append(nbformat.v4.new_raw_cell(cell.source, metadata=meta))
    for index, cell in enumerate(out):
        cell.id = f"{lang}-{index:03d}"
    nb.cells = out
    nbformat.validate(nb)
    return nb


def build_notebook(source_path: Path | str, lang: str) -> nbformat.NotebookNode:
    """Build the ``lang`` notebook (without outputs) for one lesson source."""
    source_path = Path(source_path)
    return assemble_notebook(parse_source(source_path), source_path.stem, lang)


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Sources of the code cells of a notebook, in order."""
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def dumps(nb: nbformat.NotebookNode) -> str:
    """Deterministic file text of a notebook (sorted keys, readable Chinese, trailing newline)."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that; return whether it wrote."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return True


def carry_outputs(new: nbformat.NotebookNode, old: nbformat.NotebookNode) -> int:
    """Copy outputs and execution counts from ``old`` into ``new`` for unchanged code cells.

    The k-th code cell of ``new`` takes the outputs of the k-th code cell of ``old`` when both have the
    same source, so editing markdown never drops outputs while changed code loses its own outputs.
    Returns how many cells got outputs back.
    """
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in new.cells if c.cell_type == "code"]
    carried = 0
    for new_cell, old_cell in zip(new_code, old_code, strict=False):
        if new_cell.source == old_cell.source:
            new_cell.outputs = copy.deepcopy(old_cell.get("outputs", []))
            new_cell.execution_count = old_cell.get("execution_count")
            carried += 1
    if carried:
        for key in EXECUTION_METADATA:
            if key in old.metadata:
                new.metadata[key] = copy.deepcopy(old.metadata[key])
    return carried


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy of ``nb`` without outputs, execution counts and execution metadata."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    for key in EXECUTION_METADATA:
        nb.metadata.pop(key, None)
    return nb


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook file as nbformat v4."""
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def _orphans(names: set[str], root: Path | None) -> list[str]:
    """Problems for built notebooks whose lesson source does not exist."""
    problems = []
    for lang in LANGS:
        folder = _root(root) / "notebooks" / lang
        for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
            if path.stem not in names:
                problems.append(
                    f"{_display(path, root)}: extra notebook, no source notebooks/src/{path.stem}.py"
                )
    return problems


def build_all(check: bool = False, root: Path | None = None, verbose: bool = False) -> list[str]:
    """Build (or with ``check`` only compare) every notebook; return the list of problems found."""
    problems: list[str] = []
    sources = find_sources(root)
    for source in sources:
        name = source.stem
        try:
            cells = parse_source(source, root)
        except SourceError as exc:
            problems.extend(str(exc).splitlines())
            continue
        for lang in LANGS:
            nb = assemble_notebook(cells, name, lang)
            target = notebook_path(name, lang, root)
            shown = _display(target, root)
            existing = None
            if target.is_file():
                try:
                    existing = _read_notebook(target)
                except Exception as exc:
                    if check:
                        problems.append(f"{shown}: cannot read notebook: {exc}")
                        continue
                    print(f"warning: {shown} is unreadable ({exc}); rebuilding it without outputs")
            if check:
                if existing is None:
                    problems.append(f"{shown}: missing (run python notebooks/build.py)")
                elif dumps(strip_outputs(existing)) != dumps(nb) or target.read_text(
                    encoding="utf-8"
                ) != dumps(existing):
                    problems.append(f"{shown}: stale, differs from {_display(source, root)} (rebuild it)")
                continue
            if existing is not None:
                carry_outputs(nb, existing)
            if write_if_changed(target, dumps(nb)) and verbose:
                print(f"wrote {shown}")
        if check:
            problems.extend(_code_mismatch(name, root))
    problems.extend(_orphans({s.stem for s in sources}, root))
    return problems


def _code_mismatch(name: str, root: Path | None) -> list[str]:
    """Problem when the committed en and zh notebooks of a lesson have different code cells."""
    paths = [notebook_path(name, lang, root) for lang in LANGS]
    if not all(p.is_file() for p in paths):
        return []
    try:
        en, zh = (code_cells(_read_notebook(p)) for p in paths)
    except Exception:
        return []  # already reported as unreadable
    if en == zh:
        return []
    return [f"{_display(paths[0], root)} and {_display(paths[1], root)}: code cells differ"]


def resolve_targets(names: Sequence[str], root: Path | None = None) -> list[Path]:
    """Notebook paths for ``names`` (lesson name or unique prefix, optionally ``en/``/``zh/`` or a path)."""
    lessons = [s.stem for s in find_sources(root)]
    if not names:
        return [notebook_path(n, lang, root) for n in lessons for lang in LANGS]
    targets: list[Path] = []
    for raw in names:
        path = Path(raw)
        stem = path.name.removesuffix(".ipynb").removesuffix(".py")
        langs = (path.parent.name,) if path.parent.name in LANGS else LANGS
        matches = [stem] if stem in lessons else [n for n in lessons if n.startswith(stem)]
        if len(matches) != 1:
            found = "no lesson" if not matches else f"several lessons ({', '.join(matches)})"
            raise SystemExit(f"{raw!r} matches {found}")
        targets.extend(notebook_path(matches[0], lang, root) for lang in langs)
    return list(dict.fromkeys(targets))


def execute_notebook(path: Path, timeout: int = CELL_TIMEOUT, kernel_name: str = KERNEL_NAME) -> float:
    """Execute a built notebook in place (cwd = its folder) and save its outputs; return the wall time."""
    from nbclient import NotebookClient

    nb = _read_notebook(path)
    metadata = copy.deepcopy(nb.metadata)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for key in EXECUTION_METADATA:
        metadata.pop(key, None)
        if key in nb.metadata:
            metadata[key] = nb.metadata[key]
    nb.metadata = metadata  # keep the build's metadata (no interpreter-specific language_info)
    write_if_changed(path, dumps(nb))
    return elapsed


def main(argv: Sequence[str] | None = None, root: Path | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only report stale, missing or extra notebooks")
    mode.add_argument("--execute", action="store_true", help="build, then execute notebooks in place")
    parser.add_argument("names", nargs="*", help="with --execute: lessons to execute (default: all)")
    args = parser.parse_args(argv)
    if args.names and not args.execute:
        parser.error("lesson names are only accepted with --execute")

    if args.check:
        problems = build_all(check=True, root=root)
        if problems:
            print("\n".join(problems))
            print(f"{len(problems)} problem(s) found", file=sys.stderr)
            return 1
        print(f"{len(find_sources(root)) * len(LANGS)} notebooks up to date")
        return 0

    problems = build_all(root=root, verbose=True)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if not args.execute:
        return 0

    failed = []
    for path in resolve_targets(args.names, root):
        shown = _display(path, root)
        print(f"executing {shown} ...", flush=True)
        try:
            elapsed = execute_notebook(path)
        except Exception as exc:
            print(f"FAILED {shown}: {exc}", file=sys.stderr, flush=True)
            failed.append(shown)
            continue
        print(f"executed {shown} in {elapsed:.1f}s", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed, not saved: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
