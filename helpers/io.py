"""Output: atomic file and folder writes (a killed process never leaves half a result), ``printer``, and
``display_path`` (paths as they may be printed in committed notebooks and results)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def printer(verbose: bool) -> Callable[..., None]:
    """``print`` when ``verbose``, else a stand-in that prints nothing (the package's ``verbose=`` switch)."""
    return print if verbose else (lambda *args, **kwargs: None)


def display_path(path: str | os.PathLike) -> str:
    """A path as it may be shown: relative to the working folder when at most three levels up, else with the
    site-packages, temporary or home folder abbreviated, so no machine's layout leaks into outputs.

    ``display_path(Path.home() / "data")`` is ``"~/data"`` (unless the working folder is close to it).
    """
    text = str(path)
    if not os.path.isabs(text):
        return text
    p = Path(text)
    parts = p.parts
    if "site-packages" in parts:
        return str(Path("<site-packages>", *parts[parts.index("site-packages") + 1 :]))
    try:
        rel = os.path.relpath(p, Path.cwd())
    except ValueError:  # another drive on Windows
        rel = None
    if rel is not None and not rel.startswith(os.path.join(*[os.pardir] * 4)):
        return rel
    for prefix, shown in ((Path(tempfile.gettempdir()), "<tmp>"), (Path.home(), "~")):
        if p.is_relative_to(prefix):
            return str(Path(shown, p.relative_to(prefix)))
    return p.name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write that appears at ``path`` only when the block ends without an error (written
    beside it, fsynced, renamed over it), so it can be streamed. A file that exists keeps its permissions."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # binary: no newline translation, the same bytes on every system
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600 files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically (:func:`open_atomic`)."""
    with open_atomic(path) as fh:
        fh.write(text.encode("utf-8"))
    return Path(path)


def write_json_atomic(path: str | os.PathLike, data) -> Path:
    """``write_text_atomic`` of pretty-printed JSON (UTF-8, keys in insertion order)."""
    return write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def replace_dir_atomic(target: str | os.PathLike, fill: Callable[[Path], None]) -> Path:
    """Let ``fill`` write a folder in a temporary place, then swap it in for ``target`` by renaming.

    The old folder (if any) is removed only after the new one is in place.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        fill(tmp)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
