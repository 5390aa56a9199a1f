"""Prediction on files, streamed: raw text (one document per line), CoNLL tokens or JSON lines in, JSON lines
(words, tags, scores, character offsets, entities) or CoNLL out; for a word-segmentation model (BMES
labels, helpers.bmes) also ``words``: one line of space-separated words (``word/tag`` with POS) per input
line, the format the SIGHAN bakeoffs' scoring script reads.

The input is read line by line and tagged in chunks of documents, so memory stays flat whatever the size of
the file. Output stays line-aligned with the input: a blank line of a text or JSON-lines file gives a blank
output line, a line that is not valid in the input's encoding (or not a JSON object) gives a record
``{"line": N, "error": ...}`` and a notice naming the line, and everything else is still tagged. In CoNLL
files a token line with undecodable bytes is read with U+FFFD in their place, and the notice names it.
Long documents are tagged in overlapping windows by the ``Tagger``.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .bmes import is_typed, words_of
from .errors import DataFormatError
from .io import open_atomic
from .spans import join_words

if TYPE_CHECKING:
    from .inference import TaggedSentence, Tagger

INPUT_FORMATS = ("text", "conll", "jsonl")
OUTPUT_FORMATS = ("jsonl", "conll", "words")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".conll": "conll", ".iob": "conll", ".iob2": "conll",
               ".bio": "conll", ".conllx": "conll"}  # fmt: skip
CHUNK_DOCUMENTS = 512  # documents tagged per call of the Tagger (it sorts and batches them inside)


def guess_input_format(path: str | os.PathLike) -> str:
    """``"jsonl"`` or ``"conll"`` from the extension (.jsonl, .conll, .iob, ...), else ``"text"``."""
    return _EXTENSIONS.get(Path(path).suffix.lower(), "text")


@dataclass
class Item:
    """One unit of the input: a document to tag (``text`` or ``words``), or a line to pass through."""

    line: int  # first line of the item in the input (1-based)
    text: str | None = None  # raw text, split into words by the Tagger (text files, JSON "text")
    words: list[str] | None = None  # pre-split words (CoNLL tokens, JSON "tokens"/"words")
    record: dict | None = None  # the JSON object of the line, kept in the output
    raw: list[str] | None = None  # CoNLL: the token lines as read (their columns are kept)
    passthrough: str | None = None  # a blank line, a -DOCSTART- line: written as is
    error: str | None = None  # why this line could not be read: written as an error record
    document: int = 0  # CoNLL: index of the -DOCSTART- document (context for models trained with it)


@dataclass
class Summary:
    """What a run did: counts, entities per type, lines with problems, time."""

    documents: int = 0
    words: int = 0
    blank_lines: int = 0
    entities: Counter = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "words": self.words,
            "blank_lines": self.blank_lines,
            "entities": dict(sorted(self.entities.items())),
            "error_lines": [n for n, _ in self.errors],
            "seconds": round(self.seconds, 2),
            "documents_per_second": round(self.documents / self.seconds, 1) if self.seconds else None,
        }

    def format(self) -> str:
        types = ", ".join(f"{t} {n}" for t, n in sorted(self.entities.items())) or "none"
        rate = f" ({self.documents / self.seconds:.1f} documents/s)" if self.seconds else ""
        lines = [
            f"Tagged {self.documents} documents, {self.words} words in {self.seconds:.1f} s{rate}",
            f"Entities: {types} (total {sum(self.entities.values())})",
        ]
        if self.blank_lines:
            lines.append(f"Blank lines kept as blank output lines: {self.blank_lines}")
        if self.errors:
            shown = ", ".join(str(n) for n, _ in self.errors[:10]) + (
                ", ..." if len(self.errors) > 10 else ""
            )
            lines.append(f"Lines not tagged (error records written): {len(self.errors)}: line {shown}")
        return "\n".join(lines)


def _decoded_lines(stream: IO[bytes], encoding: str) -> Iterator[tuple[int, str | None, str | None]]:
    """``(line number, text without its line break, None)`` per line, or ``(n, None, why)`` for a line
    that is not valid ``encoding``. Reads one line at a time."""
    for n, raw in enumerate(stream, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf") and encoding.replace("-", "").lower() == "utf8":
            raw = raw[3:]
        raw = raw.rstrip(b"\n").rstrip(b"\r")
        try:
            yield n, raw.decode(encoding), None
        except UnicodeDecodeError as e:
            yield (
                n,
                None,
                f"not valid {encoding} (byte 0x{raw[e.start]:02x} at byte {e.start + 1} of the line)",
            )


def _text_items(lines, source: str) -> Iterator[Item]:
    for n, text, bad in lines:
        if bad:
            yield Item(n, error=bad)
        elif not text.strip():
            yield Item(n, passthrough="")
        else:
            yield Item(n, text=text)


def _jsonl_items(lines, source: str) -> Iterator[Item]:
    for n, text, bad in lines:
        if bad:
            yield Item(n, error=bad)
            continue
        if not text.strip():
            yield Item(n, passthrough="")
            continue
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as e:
            yield Item(n, error=f"invalid JSON: {e}")
            continue
        if not isinstance(obj, dict):
            yield Item(n, error=f"expected a JSON object, found {type(obj).__name__}")
        elif isinstance(obj.get("text"), str):
            yield Item(n, text=obj["text"], record=obj)
        elif isinstance(words := obj.get("tokens", obj.get("words")), list) and all(
            isinstance(w, str) for w in words
        ):
            yield Item(n, words=list(words), record=obj)
        else:
            yield Item(n, error='expected a "text" string or a "tokens" (or "words") list of strings')


def _conll_items(stream: IO[bytes], encoding: str, source: str, notices: list) -> Iterator[Item]:
    """Sentences of a CoNLL file (first column: the word); -DOCSTART- and blank lines pass through."""
    words, raw, first, document = [], [], 0, 0
    for n, raw_line in enumerate(stream, start=1):
        if n == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            raw_line = raw_line[3:]
        raw_line = raw_line.rstrip(b"\n").rstrip(b"\r")
        try:
            line = raw_line.decode(encoding)
        except UnicodeDecodeError:
            line = raw_line.decode(encoding, errors="replace")
            notices.append((n, f"not valid {encoding}: read with U+FFFD in place of the bad bytes"))
        parts = line.split()
        if parts and parts[0] != "-DOCSTART-":
            if not words:
                first = n
            words.append(parts[0])
            raw.append(line)
            continue
        if words:
            yield Item(first, words=words, raw=raw, document=document)
            words, raw = [], []
        if parts:  # -DOCSTART-
            document += 1
        yield Item(n, passthrough=line)
    if words:
        yield Item(first, words=words, raw=raw, document=document)


def read_items(stream: IO[bytes], fmt: str, *, source: str = "<input>", encoding: str = "utf-8",
               notices: list | None = None) -> Iterator[Item]:  # fmt: skip
    """Items of a binary stream in ``fmt`` (``text``, ``conll``, ``jsonl``), read lazily, line by line."""
    if fmt not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {', '.join(INPUT_FORMATS)}, not {fmt!r}")
    notices = notices if notices is not None else []
    if fmt == "conll":
        return _conll_items(stream, encoding, source, notices)
    lines = _decoded_lines(stream, encoding)
    return _text_items(lines, source) if fmt == "text" else _jsonl_items(lines, source)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk, documents = [], 0
    for item in items:
        chunk.append(item)
        documents += item.text is not None or item.words is not None
        if documents >= size:
            yield chunk
            chunk, documents = [], 0
    if chunk:
        yield chunk


def tag_items(tagger: Tagger, items: list[Item]) -> list[TaggedSentence | None]:
    """Tag the documents among ``items`` (one Tagger call each for raw texts and for word lists)."""
    texts = [i for i, it in enumerate(items) if it.text is not None]
    lists = [i for i, it in enumerate(items) if it.words is not None]
    out: list = [None] * len(items)
    for i, tagged in zip(texts, tagger.tag_text([items[i].text for i in texts]) if texts else []):
        out[i] = tagged
    if lists:
        documents = [items[i].document for i in lists] if any(items[i].raw for i in lists) else None
        for i, tagged in zip(lists, tagger.tag_words([items[i].words for i in lists], documents=documents)):
            if tagged.offsets is None:
                tagged.offsets = join_words(tagged.words)[1]
            out[i] = tagged
    return out


def _entities(item: Item, sent: TaggedSentence) -> list[dict]:
    """Entities with character offsets into the record's text and their word span ``[first, end)``."""
    out = []
    if item.text is not None:  # tag_text gave character offsets
        first_word = {a: k for k, (a, _) in enumerate(sent.offsets)}
        end_word = {b: k + 1 for k, (_, b) in enumerate(sent.offsets)}
        for e in sent.entities:
            out.append({**e.__dict__, "words": [first_word[e.start], end_word[e.end]]})
    else:  # tag_words gave word indices: offsets into the words joined with spaces
        for e in sent.entities:
            start, end = sent.offsets[e.start][0], sent.offsets[e.end - 1][1]
            out.append({**e.__dict__, "start": start, "end": end, "words": [e.start, e.end]})
    return out


def _jsonl_record(item: Item, sent: TaggedSentence) -> dict:
    if item.record is not None:  # a JSON line: its own fields, then the predictions
        record = dict(item.record)
    else:  # the input's line number (CoNLL: the sentence's first token line)
        record = {"line": item.line}
    if item.text is None:  # offsets of pre-split words refer to the words joined with spaces
        record.setdefault("text", join_words(sent.words)[0])
    else:
        record.setdefault("text", item.text)
    record.update(
        words=sent.words,
        tags=sent.tags,
        scores=[round(s, 4) for s in sent.scores],
        offsets=[list(o) for o in sent.offsets],
        entities=_entities(item, sent),
    )
    return record


def write_item(out: IO[str], item: Item, sent: TaggedSentence | None, fmt: str, input_format: str) -> None:
    """Write one item's output: a JSON line (or blank / error line), CoNLL lines with the tag appended, or
    (``words``) the words of a segmentation model's tags on one line (blank and unreadable lines: blank)."""
    if fmt == "words":
        if sent is None:
            out.write("\n")
            return
        text = item.text if item.text is not None else join_words(sent.words)[0]
        out.write(words_of(text, sent.tags, sent.offsets, typed=is_typed(sent.tags)).line() + "\n")
        return
    if fmt == "conll":
        if item.passthrough is not None:
            out.write(item.passthrough + "\n")
        elif item.error is not None:
            out.write(f"# line {item.line}: {item.error}\n")
        elif item.raw is not None:  # the input's columns, then the predicted tag (conlleval's layout)
            for line, tag in zip(item.raw, sent.tags):
                sep = "\t" if "\t" in line else " "
                out.write(f"{line}{sep}{tag}\n")
        else:
            out.writelines(f"{w} {t}\n" for w, t in zip(sent.words, sent.tags))
            out.write("\n")
        return
    if item.passthrough is not None:
        if (
            input_format != "conll"
        ):  # blank line in, blank line out; CoNLL's sentence breaks are not documents
            out.write("\n")
        return
    if item.error is not None:
        out.write(json.dumps({"line": item.line, "error": item.error}, ensure_ascii=False) + "\n")
        return
    out.write(json.dumps(_jsonl_record(item, sent), ensure_ascii=False) + "\n")


def predict_stream(
    tagger: Tagger,
    source: IO[bytes],
    out: IO[str],
    *,
    input_format: str = "text",
    output_format: str = "jsonl",
    encoding: str = "utf-8",
    source_name: str = "<input>",
    chunk_documents: int = CHUNK_DOCUMENTS,
    progress=None,
    notice=None,
) -> Summary:
    """Tag every document of ``source`` (binary) and write the results to ``out`` (text), chunk by chunk.

    ``progress`` (e.g. a tqdm bar) gets ``update(bytes read)``; ``notice(message)`` is called for each
    problem line (default: print to stderr). Returns a :class:`Summary`.
    """
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if output_format == "conll" and input_format == "jsonl":
        raise DataFormatError(
            "CoNLL output needs text or CoNLL input; write JSON lines for JSON input", source_name
        )
    notice = notice or (lambda message: print(message, file=sys.stderr))
    notices: list = []
    summary, start = Summary(), time.perf_counter()
    position = source.tell() if source.seekable() else 0
    for chunk in _chunks(read_items(source, input_format, source=source_name, encoding=encoding,
                                    notices=notices), chunk_documents):  # fmt: skip
        for n, why in notices:
            notice(f"{source_name}, line {n}: {why}")
        notices.clear()
        for item, sent in zip(chunk, tag_items(tagger, chunk)):
            if item.error is not None:
                summary.errors.append((item.line, item.error))
                notice(
                    f"{source_name}, line {item.line}: {item.error}; an error record was written in its place"
                )
            elif item.passthrough == "" and input_format != "conll":
                summary.blank_lines += 1
            elif sent is not None:
                summary.documents += 1
                summary.words += len(sent.words)
                summary.entities.update(e.type for e in sent.entities)
            write_item(out, item, sent, output_format, input_format)
        out.flush()
        if progress is not None and source.seekable():
            now = source.tell()
            progress.update(now - position)
            position = now
    for n, why in notices:
        notice(f"{source_name}, line {n}: {why}")
    summary.seconds = time.perf_counter() - start
    return summary


def predict_file(
    tagger: Tagger,
    input_path: str | os.PathLike,
    output_path: str | os.PathLike | None,
    *,
    input_format: str | None = None,
    output_format: str = "jsonl",
    encoding: str = "utf-8",
    chunk_documents: int = CHUNK_DOCUMENTS,
    show_progress: bool = True,
) -> Summary:
    """Tag ``input_path`` into ``output_path`` (None: standard output), streaming, with a progress bar.

    The output file appears only when the run is complete.

    >>> predict_file(Tagger.from_pretrained("runs/ner/model"), "news.txt", "news.jsonl")  # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    input_path = Path(input_path)
    if not input_path.is_file():
        raise FileNotFoundError(f"{input_path}: no such input file")
    fmt = input_format or guess_input_format(input_path)
    size = input_path.stat().st_size
    bar = tqdm(
        total=size, unit="B", unit_scale=True, desc="Tagging", disable=not show_progress, file=sys.stderr
    )
    kwargs = dict(input_format=fmt, output_format=output_format, encoding=encoding,
                  source_name=str(input_path), chunk_documents=chunk_documents, progress=bar,
                  notice=lambda m: bar.write(m, file=sys.stderr))  # fmt: skip
    with open(input_path, "rb") as source, bar:
        if output_path is None:
            return predict_stream(tagger, source, sys.stdout, **kwargs)
        with open_atomic(output_path) as fh:  # the output appears only once the run is complete
            return predict_stream(tagger, source, codecs.getwriter("utf-8")(fh), **kwargs)
