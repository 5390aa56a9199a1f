"""Prediction on files (helpers.predict_files and ``python -m helpers predict --input/--output``): streamed,
line-aligned, problem lines named; and ``predict`` puts the model on the GPU when there is one."""

from __future__ import annotations

import io
import json

import pytest
import torch

from helpers.cli import main
from helpers.inference import Tagger
from helpers.labels import NER_LABELS
from helpers.predict_files import Item, predict_file, predict_stream, read_items

from .conftest import build_tiny_checkpoint


@pytest.fixture(scope="module")
def ner_checkpoint(tmp_path_factory) -> str:
    """A tiny BERT (64 positions) whose 9-label head names the CoNLL-2003 NER labels."""
    torch.manual_seed(0)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-ner"), labels=NER_LABELS))


@pytest.fixture(scope="module")
def tagger(ner_checkpoint) -> Tagger:
    return Tagger.from_pretrained(ner_checkpoint, batch_size=4, device="cpu")


def run(tagger, data: bytes, **kwargs) -> tuple[list[str], object, list[str]]:
    """Output lines, summary and notices of ``predict_stream`` on ``data``."""
    out, notices = io.StringIO(), []
    summary = predict_stream(tagger, io.BytesIO(data), out, notice=notices.append, **kwargs)
    return out.getvalue().split("\n")[:-1], summary, notices


def test_blank_input_line_gives_blank_output_line(tagger):
    lines, summary, _ = run(tagger, b"peter said paris .\n\n\nthe eu .\n")
    assert len(lines) == 4 and lines[1] == lines[2] == ""
    assert json.loads(lines[3])["text"] == "the eu ." and summary.blank_lines == 2


def test_undecodable_line_is_named_and_nothing_else_is_lost(tagger):
    lines, summary, notices = run(tagger, b"peter said paris .\n\xff\xfe oops\nthe eu .\n")
    assert json.loads(lines[1]) == {"line": 2, "error": "not valid utf-8 (byte 0xff at byte 1 of the line)"}
    assert [json.loads(x)["text"] for x in (lines[0], lines[2])] == ["peter said paris .", "the eu ."]
    assert notices and "line 2" in notices[0] and summary.documents == 2 and summary.errors[0][0] == 2


def test_offsets_slice_the_input_text(tagger):
    text = "  Peter Blackburn said (Paris), 张三在北京。"
    (line,), _, _ = run(tagger, text.encode() + b"\n")
    record = json.loads(line)
    assert [text[a:b] for a, b in record["offsets"]] == record["words"]
    assert all(text[e["start"] : e["end"]] == e["text"] for e in record["entities"])


def test_long_document_gets_one_tag_per_word_through_windows(tagger):
    words = ["peter", "said", "paris", "."] * 60  # far beyond the model's 64 positions
    (line,), _, _ = run(tagger, " ".join(words).encode() + b"\n")
    record = json.loads(line)
    assert record["words"] == words and len(record["tags"]) == len(words)


def test_summary_counts_the_entities_written(tagger):
    lines, summary, _ = run(tagger, b"peter blackburn said paris .\nangela merkel london\n")
    written = [e["type"] for x in lines for e in json.loads(x)["entities"]]
    assert summary.documents == 2 and sorted(summary.entities.elements()) == sorted(written)


def test_conll_in_conll_out_appends_the_predicted_tag(tagger):
    data = b"-DOCSTART- -X- O O\n\npeter NNP B-NP B-PER\nparis NNP I-NP B-LOC\n\nthe DT B-NP O\n"
    lines, summary, _ = run(tagger, data, input_format="conll", output_format="conll")
    assert lines[:2] == ["-DOCSTART- -X- O O", ""] and lines[4] == ""
    assert [x.split()[:4] for x in lines[2:4]] == [
        ["peter", "NNP", "B-NP", "B-PER"],
        ["paris", "NNP", "I-NP", "B-LOC"],
    ]
    assert all(len(x.split()) == 5 and x.split()[4] in NER_LABELS for x in (lines[2], lines[3], lines[5]))
    assert summary.documents == 2


def test_conll_token_with_bad_bytes_is_tagged_and_named(tagger):
    lines, _, notices = run(tagger, b"peter\nbl\xffckburn\n", input_format="conll", output_format="conll")
    assert lines[1].startswith("bl\ufffdckburn ") and "line 2" in notices[0]


def test_json_lines_keep_their_fields_and_bad_lines_become_error_records(tagger):
    data = b'{"id": 7, "text": "peter said"}\nnot json\n\n{"id": 8, "tokens": ["the", "eu"]}\n'
    lines, summary, notices = run(tagger, data, input_format="jsonl")
    first, bad, blank, last = lines
    assert json.loads(first)["id"] == 7 and json.loads(first)["words"] == ["peter", "said"]
    assert json.loads(bad)["line"] == 2 and "invalid JSON" in json.loads(bad)["error"] and blank == ""
    assert json.loads(last)["id"] == 8 and json.loads(last)["words"] == ["the", "eu"]
    assert summary.errors[0][0] == 2 and "line 2" in notices[0]


def test_output_of_the_first_chunk_is_written_before_the_rest_is_read(tagger):
    """Streaming: with chunks of 2 documents, the first output arrives after 2 input lines, not at the end."""
    read = []

    class Lines(io.BytesIO):
        def __iter__(self):
            for n, line in enumerate(io.BytesIO(self.getvalue()), start=1):
                read.append(n)
                yield line

    class Out(io.StringIO):
        first_write_after: int | None = None

        def write(self, text):
            if self.first_write_after is None:
                self.first_write_after = len(read)
            return super().write(text)

    out = Out()
    predict_stream(tagger, Lines(b"peter\n" * 10), out, chunk_documents=2, notice=lambda m: None)
    assert out.first_write_after == 2 and len(read) == 10


def test_read_items_is_lazy():
    source = io.BytesIO(b"a\nb\n")
    items = read_items(source, "text")
    assert next(items) == Item(1, text="a") and source.tell() < len(source.getvalue()) + 1


def test_predict_command_writes_a_file_and_a_summary(tmp_path, ner_checkpoint, capsys):
    src, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    src.write_bytes(b"peter said paris .\n\nthe eu .\n")
    assert main(["predict", "--model", ner_checkpoint, "--input", str(src), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").split("\n")[1] == ""
    assert "Tagged 2 documents" in capsys.readouterr().err


def test_missing_input_file_is_a_clear_error(tmp_path, ner_checkpoint, capsys):
    assert main(["predict", "--model", ner_checkpoint, "--input", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: no such input file" in capsys.readouterr().err


def test_predict_file_output_appears_only_when_complete(tmp_path, tagger, monkeypatch):
    src, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    src.write_text("peter\n" * 5, encoding="utf-8")
    monkeypatch.setattr(Tagger, "tag_text", lambda self, texts: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        predict_file(tagger, src, out, show_progress=False)
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


# --------------------------------------------------------------------------------------------------
# issue 21, item 7: predict uses the GPU when there is one (a faked CUDA device: no GPU needed)


def test_predict_puts_the_model_on_the_gpu_when_there_is_one(ner_checkpoint, monkeypatch, capsys):
    moved = []
    real_to = torch.nn.Module.to

    def fake_to(self, *args, **kwargs):  # record the move, stay on the CPU (this torch may have no CUDA)
        moved.append(str(args[0]) if args else str(kwargs.get("device")))
        return real_to(self, "cpu")

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.nn.Module, "to", fake_to)
    assert main(["predict", "--model", ner_checkpoint, "--json", "peter said paris ."]) == 0
    assert "cuda" in moved
    assert json.loads(capsys.readouterr().out.strip())["words"] == ["peter", "said", "paris", "."]


def test_predict_device_cpu_keeps_the_model_on_the_cpu(ner_checkpoint, monkeypatch, capsys):
    moved = []
    real_to = torch.nn.Module.to
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(
        torch.nn.Module, "to", lambda self, *a, **k: moved.append(str(a[0])) or real_to(self, "cpu")
    )
    assert main(["predict", "--model", ner_checkpoint, "--device", "cpu", "peter"]) == 0
    assert "cuda" not in moved


def test_entities_of_pre_split_words_give_character_offsets_into_the_record_text(tagger):
    lines, _, _ = run(
        tagger, b'{"tokens": ["peter", "blackburn", "said", "paris"]}\n' * 3, input_format="jsonl"
    )
    for record in map(json.loads, lines):
        for e in record["entities"]:
            assert record["text"][e["start"] : e["end"]] == e["text"]
            assert " ".join(record["words"][e["words"][0] : e["words"][1]]) == e["text"]
