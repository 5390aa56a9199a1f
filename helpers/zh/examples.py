"""Hand-written Chinese sentences with their entities, shipped as data files, and their annotation-tool export.

``data/hand_written_dev.txt`` (60 sentences: lesson 7's annotation export, looked at while choosing the
offline model) and ``data/hand_written_test.txt`` (108 held-out sentences, scored only by
``python -m benchmarks.chinese``) hold one sentence a line as ``text|TYPE:mention,mention|TYPE:...``;
every occurrence of a listed mention is an entity, ``#`` starts a comment line.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from ..errors import DataFormatError

#: which set -> its data file inside this package
EXAMPLE_FILES = {"dev": "hand_written_dev.txt", "test": "hand_written_test.txt"}


def _parse_line(line: str, n: int, source: str, lineno: int) -> dict:
    def fail(message: str) -> DataFormatError:
        return DataFormatError(message, source=source, line=lineno)

    text, *groups = line.split("|")
    spans: list[tuple[int, int, str]] = []
    for group in groups:
        typ, sep, mentions = group.partition(":")
        if not sep or not typ or not mentions:
            raise fail(f"expected TYPE:mention,... after '|', got {group!r}")
        for mention in mentions.split(","):
            start = text.find(mention)
            if start < 0:
                raise fail(f"{mention!r} is not in {text!r}")
            while start >= 0:
                span = (start, start + len(mention), typ)
                clash = [s for s in spans if s[0] < span[1] and span[0] < s[1]]
                if clash:
                    raise fail(f"{span} overlaps {clash} in {text!r}")
                spans.append(span)
                start = text.find(mention, start + 1)
    return {"id": str(n), "text": text, "spans": sorted(spans)}


def _parse_annotated(lines: str, source: str) -> list[dict]:
    """Sentences in the ``text|TYPE:mention,...`` convention as ``{"id", "text", "spans"}`` (ids count sentences)."""
    out = []
    for lineno, line in enumerate(lines.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            out.append(_parse_line(line.strip(), len(out), source, lineno))
    return out


def example_annotations(which: str = "dev") -> list[dict]:
    """Hand-written Chinese sentences as ``{"id", "text", "spans": [(start, end_exclusive, type)]}``.

    ``"dev"``: the 60 sentences of the lesson's annotation export (a development set: looked at while choosing
    the offline model); ``"test"``: a separate held-out set, scored only by ``python -m benchmarks.chinese``.
    """
    if which not in EXAMPLE_FILES:
        raise ValueError(f"which must be one of {sorted(EXAMPLE_FILES)}, not {which!r}")
    name = EXAMPLE_FILES[which]
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return _parse_annotated(text, f"helpers/zh/data/{name}")


def example_records(which: str = "dev") -> list[dict]:
    """:func:`example_annotations` as word-level records (``id, tokens, ner_tags``), split as ``tag_text`` splits."""
    from ..spans import spans_to_tags

    out = []
    for rec in example_annotations(which):
        tokens, tags = spans_to_tags(rec["text"], rec["spans"])
        out.append({"id": rec["id"], "tokens": tokens, "ner_tags": tags})
    return out


def write_example_export(path: str | os.PathLike, layout: str = "cluener") -> Path:
    """Write :func:`example_annotations` as a CLUENER (inclusive ends) or doccano (exclusive ends) JSONL export."""
    if layout not in ("cluener", "doccano"):
        raise ValueError(f"layout must be 'cluener' or 'doccano', not {layout!r}")
    rows = []
    for rec in example_annotations("dev"):
        if layout == "doccano":
            row = {"id": int(rec["id"]), "text": rec["text"], "label": [list(s) for s in rec["spans"]]}
        else:
            label: dict[str, dict[str, list[list[int]]]] = {}
            for start, end, typ in rec["spans"]:
                label.setdefault(typ, {}).setdefault(rec["text"][start:end], []).append([start, end - 1])
            row = {"text": rec["text"], "label": label}
        rows.append(json.dumps(row, ensure_ascii=False) + "\n")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(rows), encoding="utf-8")
    return path
