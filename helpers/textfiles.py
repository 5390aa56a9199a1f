"""Plumbing shared by the file readers: reading and decoding text, line splitting, short reprs, JSON lines,
data files that packages ship.

Every problem is a :class:`helpers.errors.DataFormatError` naming the file and the line.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .errors import DataFormatError

PathLike = str | os.PathLike[str]


def package_file(package: str, *parts: str) -> Path | None:
    """A file inside an installed package, found without importing it (an import may load models), or None."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.is_file() else None


def source_name(path: PathLike) -> str:
    """The name errors give a file: the path as written (or ``str`` of another object)."""
    return os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)


def split_lines(text: str) -> list[str]:
    """Split on ``\\n``, ``\\r\\n`` and ``\\r`` only, so line numbers match what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_text(path: PathLike, source: str, encoding: str) -> str:
    """Read and decode a whole file; drop a BOM; turn decoding problems into DataFormatError."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode(encoding)
    except LookupError:
        raise DataFormatError(f"unknown encoding {encoding!r}", source) from None
    except UnicodeDecodeError as e:
        line = len(split_lines(data[: e.start].decode(encoding, errors="replace")))
        raise DataFormatError(
            f"the file is not valid {encoding} (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "if it is Latin-1, read it with encoding='latin-1'",
            source,
            line,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


class RecordList(list):
    """The records a reader returns; ``schemes`` maps each span column to the scheme it was read in."""

    schemes: dict[str, str]

    def __init__(self, records: Iterable[dict] = (), schemes: Mapping[str, str] | None = None):
        super().__init__(records)
        self.schemes = dict(schemes or {})


def short(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters so a huge input cannot flood a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_lines(path: PathLike, source: str, encoding: str = "utf-8") -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-blank line of a JSON Lines file; anything else is an error."""
    for lineno, line in enumerate(split_lines(read_text(path, source, encoding)), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as e:
            raise DataFormatError(f"invalid JSON: {e}", source, lineno) from None
        if not isinstance(obj, dict):
            raise DataFormatError(
                f"expected a JSON object per line (JSON Lines), found {type(obj).__name__}", source, lineno
            )
        yield lineno, obj
