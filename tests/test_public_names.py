"""Every public function and class of ``helpers`` has a caller outside the tests.

A caller is any mention in the package (its own module included), the lessons, ``notebooks/build.py``,
``benchmarks/`` or the exercise files: a name only tests use is either dead or private.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def public_definitions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
    ]


def test_no_public_function_or_class_is_called_by_tests_only():
    sources = [
        *ROOT.glob("helpers/**/*.py"),
        *ROOT.glob("helpers/exercises/*.toml"),
        *ROOT.glob("benchmarks/*.py"),
        *ROOT.glob("notebooks/src/*.py"),
        ROOT / "notebooks" / "build.py",
    ]
    words = Counter(
        word
        for path in sources
        if "__pycache__" not in path.parts
        for word in re.findall(r"\w+", path.read_text(encoding="utf-8"))
    )
    unused = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(ROOT.glob("helpers/**/*.py"))
        if "__pycache__" not in path.parts and "metric" not in path.parts  # metric/: evaluate.load calls it
        for name in public_definitions(path)
        if words[name] <= 1  # its definition only
    ]
    assert not unused, f"public names that only tests use (make them private or remove them): {unused}"
