"""Tests of helpers.io: atomic writes leave either the old or the new result, and no temporary files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from helpers import io as hio
from helpers.io import replace_dir_atomic, write_json_atomic, write_text_atomic


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# --------------------------------------------------------------------------------------------------
# write_text_atomic, write_json_atomic


def test_write_text_atomic_creates_the_file_and_its_folder(tmp_path):
    path = write_text_atomic(tmp_path / "out" / "a.txt", "héllo\n")
    assert path.read_text(encoding="utf-8") == "héllo\n"
    assert listing(tmp_path / "out") == ["a.txt"]


def test_write_text_atomic_replaces_content_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old and longer")
    write_text_atomic(path, "new")
    assert path.read_text() == "new"
    assert listing(tmp_path) == ["a.txt"]


def test_failed_write_keeps_old_content_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("old")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(hio.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"
    assert listing(tmp_path) == ["a.txt"]


def test_write_json_atomic_writes_pretty_utf8_json(tmp_path):
    path = write_json_atomic(tmp_path / "m.json", {"f1": 0.5, "语言": "中文"})
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {"f1": 0.5, "语言": "中文"}
    assert "中文" in text and text.endswith("}\n") and "\n  " in text


def test_write_json_atomic_replaces_content_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "m.json"
    write_json_atomic(path, {"run": 1})
    write_json_atomic(path, {"run": 2})
    assert json.loads(path.read_text()) == {"run": 2}
    assert listing(tmp_path) == ["m.json"]


def test_written_file_has_the_usual_permissions(tmp_path, umask_022):
    path = write_text_atomic(tmp_path / "a.txt", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# --------------------------------------------------------------------------------------------------
# replace_dir_atomic


def fill_with(name: str, text: str):
    def fill(folder: Path) -> None:
        (folder / name).write_text(text)

    return fill


def test_replace_dir_atomic_creates_a_new_folder(tmp_path):
    target = replace_dir_atomic(tmp_path / "model", fill_with("weights", "new"))
    assert (target / "weights").read_text() == "new"
    assert listing(tmp_path) == ["model"]


def test_replace_dir_atomic_swaps_the_whole_folder(tmp_path):
    target = tmp_path / "model"
    target.mkdir()
    (target / "stale").write_text("old")
    replace_dir_atomic(target, fill_with("weights", "new"))
    assert listing(target) == ["weights"]
    assert listing(tmp_path) == ["model"]  # no temporary or .old folder left


def test_failing_fill_keeps_the_old_folder_and_leaves_no_temp_folder(tmp_path):
    target = tmp_path / "model"
    target.mkdir()
    (target / "weights").write_text("old")

    def fill(folder: Path) -> None:
        (folder / "weights").write_text("half")
        raise RuntimeError("killed while saving")

    with pytest.raises(RuntimeError, match="killed while saving"):
        replace_dir_atomic(target, fill)
    assert (target / "weights").read_text() == "old"
    assert listing(target) == ["weights"]
    assert listing(tmp_path) == ["model"]


def test_failing_fill_without_old_folder_creates_nothing(tmp_path):
    def fill(folder: Path) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        replace_dir_atomic(tmp_path / "model", fill)
    assert listing(tmp_path) == []


def test_replaced_folder_has_the_usual_permissions(tmp_path, umask_022):
    target = replace_dir_atomic(tmp_path / "model", fill_with("weights", "new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_display_path_shortens_site_packages(tmp_path):
    from helpers.io import display_path

    path = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "pkg" / "model"
    assert display_path(path) == str(Path("<site-packages>", "pkg", "model"))


def test_display_path_is_relative_near_the_working_folder(tmp_path, monkeypatch):
    from helpers.io import display_path

    (tmp_path / "repo" / "notebooks").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo" / "notebooks")
    assert display_path(tmp_path / "shared" / "data") == str(Path("..", "..", "shared", "data"))


def test_display_path_abbreviates_the_home_folder_far_away(tmp_path, monkeypatch):
    from helpers.io import display_path

    deep = tmp_path / "a" / "b" / "c" / "d" / "e"
    deep.mkdir(parents=True)
    home = tmp_path / "home" / "learner"
    monkeypatch.chdir(deep)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path / "elsewhere"))
    assert display_path(home / ".cache" / "hf") == str(Path("~", ".cache", "hf"))


def test_display_path_leaves_relative_paths_alone():
    from helpers.io import display_path

    assert display_path("runs/ner/model") == "runs/ner/model"


def test_package_file_finds_a_shipped_file_without_importing_its_package(tmp_path, monkeypatch):
    from helpers.textfiles import package_file

    package = tmp_path / "loud_package"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('imported')\n", encoding="utf-8")
    (package / "data" / "corpus.txt").write_text("字 O\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert package_file("loud_package", "data", "corpus.txt") == package / "data" / "corpus.txt"
    assert package_file("loud_package", "data", "missing.txt") is None
    assert package_file("no_such_package_anywhere", "x.txt") is None
