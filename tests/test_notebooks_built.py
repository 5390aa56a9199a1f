"""The committed en/zh notebooks match their bilingual sources, and the notebook builder works."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_build() -> ModuleType:
    """Import notebooks/build.py (not a package) as a module."""
    name = "tokcls_notebook_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "notebooks" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()

SOURCE = """\
# %% [markdown] lang="en"
# # Lesson 9 — Demo
#
# English text.
# %% [markdown] lang="zh"
# # 第 9 课 — 演示
#
# 中文内容。
# %%
x = 1
print(x)

# %% [markdown]
# Shared: `x` / 共享
# %% tags=["nbval-skip"]
print(x + 1)
# %% [markdown] lang="en" tags=["note"]
# The end.
# %% [markdown] lang="zh" tags=["note"]
# 结束。
"""


def _write(root: Path, name: str, text: str) -> Path:
    """Write a lesson source under ``root``/notebooks/src and return its path."""
    path = root / "notebooks" / "src" / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    """Markdown sources of a notebook without the Colab badge cell."""
    return [c.source for c in nb.cells[1:] if c.cell_type == "markdown"]


def _fake_outputs(path: Path) -> None:
    """Give every code cell of the notebook at ``path`` an output, as if it had been executed."""
    nb = nbformat.read(path, as_version=4)
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out {count}\n")]
    path.write_text(build.dumps(nb), encoding="utf-8")


# ---------------------------------------------------------------- the repository's own notebooks


def test_repository_notebooks_up_to_date() -> None:
    problems = build.build_all(check=True)
    assert not problems, "notebooks out of date (run python notebooks/build.py):\n" + "\n".join(problems)


def test_repository_en_zh_code_cells_identical() -> None:
    mismatched = []
    for source in build.find_sources():
        paths = [build.notebook_path(source.stem, lang) for lang in build.LANGS]
        if not all(p.is_file() for p in paths):
            continue  # reported as missing by test_repository_notebooks_up_to_date
        en, zh = (build.code_cells(nbformat.read(p, as_version=4)) for p in paths)
        if en != zh:
            mismatched.append(source.stem)
    assert not mismatched, f"en and zh code cells differ: {mismatched}"


# ---------------------------------------------------------------- parser


def test_parse_source_reads_lang_tags_and_lines(tmp_path: Path) -> None:
    cells = build.parse_source(_write(tmp_path, "09_demo", SOURCE))
    assert [(c.cell_type, c.lang, c.line) for c in cells] == [
        ("markdown", "en", 1),
        ("markdown", "zh", 5),
        ("code", None, 9),
        ("markdown", None, 13),
        ("code", None, 15),
        ("markdown", "en", 17),
        ("markdown", "zh", 19),
    ]
    assert cells[2].source == "x = 1\nprint(x)"
    assert all("lang" not in c.metadata and "lines_to_next_cell" not in c.metadata for c in cells)


def test_blank_lines_before_first_marker_are_ignored(tmp_path: Path) -> None:
    cells = build.parse_source(_write(tmp_path, "09_demo", "\n\n" + SOURCE))
    assert cells[0].lang == "en" and cells[0].line == 3


def test_unpaired_en_cell_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    text = '# %% [markdown] lang="en"\n# Hello\n# %%\nx = 1\n# %% [markdown] lang="zh"\n# 你好\n'
    path = _write(tmp_path, "09_bad", text)
    with pytest.raises(build.SourceError) as err:
        build.parse_source(path)
    message = str(err.value)
    assert "09_bad.py:1:" in message and 'lang="en"' in message
    assert "09_bad.py:5:" in message  # the zh cell has lost its partner too


def test_en_cell_at_end_without_zh_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_bad", SOURCE + '# %% [markdown] lang="en"\n# Orphan\n')
    with pytest.raises(build.SourceError, match=r"09_bad\.py:21: .*no lang=\"zh\""):
        build.parse_source(path)


def test_zh_before_en_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_bad", '# %% [markdown] lang="zh"\n# 你好\n# %% [markdown] lang="en"\n# Hi\n')
    with pytest.raises(build.SourceError, match=r"09_bad\.py:1: .*zh"):
        build.parse_source(path)


def test_unknown_lang_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_bad", '# %%\nx = 1\n# %% [markdown] lang="fr"\n# Bonjour\n')
    with pytest.raises(build.SourceError, match=r"09_bad\.py:3: unknown lang 'fr'"):
        build.parse_source(path)


def test_lang_on_code_cell_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_bad", '# %% lang="en"\nx = 1\n')
    with pytest.raises(build.SourceError, match=r"09_bad\.py:1: .*only markdown"):
        build.parse_source(path)


def test_unquoted_lang_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_bad", "# %% [markdown] lang=en\n# Hi\n")
    with pytest.raises(build.SourceError, match=r"09_bad\.py:1: cannot parse cell options"):
        build.parse_source(path)


# ---------------------------------------------------------------- builder


def test_lang_split_and_shared_cells(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    en = build.build_notebook(path, "en")
    zh = build.build_notebook(path, "zh")
    assert _markdown(en) == ["# Lesson 9 — Demo\n\nEnglish text.", "Shared: `x` / 共享", "The end."]
    assert _markdown(zh) == ["# 第 9 课 — 演示\n\n中文内容。", "Shared: `x` / 共享", "结束。"]
    assert build.code_cells(en) == build.code_cells(zh) == ["x = 1\nprint(x)", "print(x + 1)"]
    assert [c.cell_type for c in en.cells] == [c.cell_type for c in zh.cells]


def test_metadata_kept_lang_and_jupytext_stripped(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    for lang in build.LANGS:
        nb = build.build_notebook(path, lang)
        assert nb.nbformat == 4 and nb.nbformat_minor == 5
        assert nb.metadata == {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "tokcls": {"language": lang},
        }
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].metadata == {}
        assert code[1].metadata == {"tags": ["nbval-skip"]}
        assert nb.cells[-1].metadata == {"tags": ["note"]}
        for cell in nb.cells:
            assert "lang" not in cell.metadata and "lines_to_next_cell" not in cell.metadata
        assert [c.id for c in nb.cells] == [f"{lang}-{i:03d}" for i in range(len(nb.cells))]
        nbformat.validate(nb)


def test_colab_badge_and_language_link(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    en, zh = build.build_notebook(path, "en"), build.build_notebook(path, "zh")
    base = f"https://colab.research.google.com/github/{build.COLAB_REPO}/blob/main/notebooks"
    assert build.COLAB_REPO == "tokcls-course/tokcls-course"
    assert en.cells[0].cell_type == "markdown" and zh.cells[0].cell_type == "markdown"
    assert f"({base}/en/09_demo.ipynb)" in en.cells[0].source
    assert "Open in Colab" in en.cells[0].source
    assert "[中文版](../zh/09_demo.ipynb)" in en.cells[0].source
    assert f"({base}/zh/09_demo.ipynb)" in zh.cells[0].source
    assert "在 Colab 中打开" in zh.cells[0].source
    assert "[English version](../en/09_demo.ipynb)" in zh.cells[0].source


def test_build_all_writes_deterministic_readable_files(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    assert build.build_all(root=tmp_path) == []
    en_path = build.notebook_path("09_demo", "en", tmp_path)
    zh_path = build.notebook_path("09_demo", "zh", tmp_path)
    first = en_path.read_bytes(), zh_path.read_bytes()
    en_path.unlink()
    zh_path.unlink()
    assert build.build_all(root=tmp_path) == []
    assert (en_path.read_bytes(), zh_path.read_bytes()) == first
    text = zh_path.read_text(encoding="utf-8")
    assert "中文内容" in text and text.endswith("}\n")
    assert "jupytext" not in text
    assert json.loads(text)["nbformat_minor"] == 5
    assert build.build_all(check=True, root=tmp_path) == []


def test_outputs_carried_over_for_unchanged_cells(tmp_path: Path) -> None:
    source = _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    en_path = build.notebook_path("09_demo", "en", tmp_path)
    _fake_outputs(en_path)
    executed = en_path.read_bytes()

    build.build_all(root=tmp_path)  # nothing changed: byte-identical
    assert en_path.read_bytes() == executed
    assert build.build_all(check=True, root=tmp_path) == []  # outputs are ignored by the check

    # text-only edit, including a new markdown pair: outputs survive
    source.write_text(
        SOURCE.replace("English text.", "Better English text.").replace(
            "# %% tags=",
            '# %% [markdown] lang="en"\n# More.\n# %% [markdown] lang="zh"\n# 更多。\n# %% tags=',
        ),
        encoding="utf-8",
    )
    build.build_all(root=tmp_path)
    nb = nbformat.read(en_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2]
    assert [c.outputs[0].text for c in code] == ["out 1\n", "out 2\n"]
    assert "Better English text." in _markdown(nb)[0]

    # changed code: that cell loses its outputs, the unchanged one keeps them
    source.write_text(source.read_text(encoding="utf-8").replace("print(x + 1)", "print(x + 2)"), "utf-8")
    build.build_all(root=tmp_path)
    code = [c for c in nbformat.read(en_path, as_version=4).cells if c.cell_type == "code"]
    assert code[0].outputs[0].text == "out 1\n" and code[0].execution_count == 1
    assert code[1].outputs == [] and code[1].execution_count is None


def test_check_reports_stale_missing_extra_and_mismatch(tmp_path: Path) -> None:
    source = _write(tmp_path, "09_demo", SOURCE)
    assert build.build_all(check=True, root=tmp_path) == [
        "notebooks/en/09_demo.ipynb: missing (run python notebooks/build.py)",
        "notebooks/zh/09_demo.ipynb: missing (run python notebooks/build.py)",
    ]
    build.build_all(root=tmp_path)
    source.write_text(SOURCE.replace("English text.", "Changed."), encoding="utf-8")
    problems = build.build_all(check=True, root=tmp_path)
    assert len(problems) == 1 and problems[0].startswith("notebooks/en/09_demo.ipynb: stale")

    build.build_all(root=tmp_path)
    extra = build.notebook_path("10_gone", "zh", tmp_path)
    extra.write_text("{}", encoding="utf-8")
    zh_path = build.notebook_path("09_demo", "zh", tmp_path)
    nb = nbformat.read(zh_path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").source = "x = 2\nprint(x)"
    zh_path.write_text(build.dumps(nb), encoding="utf-8")
    problems = build.build_all(check=True, root=tmp_path)
    assert any(p.startswith("notebooks/zh/09_demo.ipynb: stale") for p in problems)
    assert any("code cells differ" in p for p in problems)
    assert any(p.startswith("notebooks/zh/10_gone.ipynb: extra") for p in problems)


def test_check_reports_bad_source(tmp_path: Path) -> None:
    _write(tmp_path, "09_bad", '# %% [markdown] lang="en"\n# Hi\n')
    problems = build.build_all(check=True, root=tmp_path)
    assert problems == [
        'notebooks/src/09_bad.py:1: lang="en" markdown cell has no lang="zh" counterpart directly after it'
    ]


def test_empty_source_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notebooks" / "src").mkdir(parents=True)
    assert build.find_sources(tmp_path) == []
    assert build.build_all(root=tmp_path) == []
    assert build.build_all(check=True, root=tmp_path) == []
    assert build.main(["--check"], root=tmp_path) == 0
    assert "0 notebooks up to date" in capsys.readouterr().out


def test_cli_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    assert build.main(["--check"], root=tmp_path) == 1
    assert "missing" in capsys.readouterr().out
    assert build.main([], root=tmp_path) == 0
    assert build.main(["--check"], root=tmp_path) == 0
    assert "2 notebooks up to date" in capsys.readouterr().out


def test_resolve_targets(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    _write(tmp_path, "10_other", SOURCE)
    nbdir = tmp_path / "notebooks"
    assert build.resolve_targets(["09_demo"], tmp_path) == [
        nbdir / "en/09_demo.ipynb",
        nbdir / "zh/09_demo.ipynb",
    ]
    assert build.resolve_targets(["zh/10"], tmp_path) == [nbdir / "zh/10_other.ipynb"]
    assert build.resolve_targets(["notebooks/en/09_demo.ipynb"], tmp_path) == [nbdir / "en/09_demo.ipynb"]
    assert len(build.resolve_targets([], tmp_path)) == 4
    with pytest.raises(SystemExit):
        build.resolve_targets(["nope"], tmp_path)


def test_execute_runs_in_notebook_folder(tmp_path: Path) -> None:
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    _write(tmp_path, "09_run", "# %%\nimport os\n\nprint(os.path.basename(os.getcwd()))\n")
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_run", "zh", tmp_path)
    build.execute_notebook(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].outputs[0].text == "zh\n"
    assert nb.metadata["language_info"] == {"name": "python"}
    assert build.build_all(check=True, root=tmp_path) == []
    before = path.read_bytes()
    build.build_all(root=tmp_path)
    assert path.read_bytes() == before
