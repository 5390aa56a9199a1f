"""Every public function and class of ``helpers`` has a caller outside the tests.

A caller is any mention in the package (its own module included), the lessons, ``notebooks/build.py``,
``benchmarks/`` or the exercise files: a name only tests use is either dead or private.
"""

from __future__ import annotations

import ast
import re
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
    texts = {p: p.read_text(encoding="utf-8") for p in sources if "__pycache__" not in p.parts}
    unused = []
    for path in sorted(ROOT.glob("helpers/**/*.py")):
        if "__pycache__" in path.parts or "metric" in path.parts:  # metric/: evaluate.load(path) calls it
            continue
        for name in public_definitions(path):
            mention = re.compile(rf"\b{re.escape(name)}\b")
            uses = sum(len(mention.findall(text)) for text in texts.values()) - 1  # less its definition
            if uses == 0:
                unused.append(f"{path.relative_to(ROOT)}: {name}")
    assert not unused, f"public names that only tests use (make them private or remove them): {unused}"
