"""The import contracts of pyproject.toml (checked by ``lint-imports`` in ``make lint``) catch what they forbid.

The package itself is checked by ``make lint``; here a copy of it gets one forbidden import per contract, and
every contract must report it. ``cli.py`` must not reach into private names of other modules.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLANTED = {  # file of the copy -> a line that breaks one contract
    "metrics.py": "from .zh import labels as _planted_zh",  # generic code imports the Chinese leaf
    "loop.py": "from . import training as _planted_training",  # the own loop imports the Trainer module
    "evaluation.py": "from .training import train as _planted_train",  # evaluation imports training (a cycle too)
    "readers.py": "from .synthetic import generate_corpus as _planted_generator",  # a reader imports a generator
}


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    env = {"PATH": str(lint.parent), "PYTHONPATH": str(cwd), "HOME": str(cwd)}
    return subprocess.run(
        [str(lint), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_contract_reports_a_planted_forbidden_import(tmp_path):
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for name, line in PLANTED.items():
        path = tmp_path / "helpers" / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    run = lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    out = " ".join(run.stdout.split())  # rich wraps long contract names
    assert "0 kept, 5 broken" in out, out
    assert "helpers.metrics -> helpers.zh.labels" in out
    assert "helpers.readers -> helpers.synthetic" in out


def _private_imports(path: Path, package: str = "helpers") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(package)):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_cli_uses_no_private_name_of_another_module():
    assert _private_imports(ROOT / "helpers" / "cli.py") == []
