"""The demo page's logic (helpers.demo.analyse) without a browser: what it shows, and bad input answered with a
message instead of an exception; ``python -m helpers demo`` without Gradio says what to install."""

from __future__ import annotations

import importlib.util

import pytest
import torch

from helpers.cli import main
from helpers.demo import MAX_CHARS, analyse, build_demo
from helpers.inference import Tagger
from helpers.labels import NER_LABELS

from .conftest import build_tiny_checkpoint


@pytest.fixture(scope="module")
def ner_model(tmp_path_factory) -> str:
    torch.manual_seed(0)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-ner"), labels=NER_LABELS))


@pytest.fixture(scope="module")
def tagger(ner_model) -> Tagger:
    return Tagger.from_pretrained(ner_model, device="cpu")


def test_highlighted_entities_are_the_taggers(tagger):
    text = "peter blackburn said paris . london club won"
    shown = analyse(tagger, text)
    (expected,) = tagger.tag_text(text)
    assert shown.highlighted["text"] == text and shown.message == ""
    assert [(e["entity"], text[e["start"] : e["end"]]) for e in shown.highlighted["entities"]] == [
        (e.type, e.text) for e in expected.entities
    ]
    assert [row[4] for row in shown.entities] == [round(e.score, 3) for e in expected.entities]


def test_words_view_lists_subtokens_tag_and_score(tagger):
    rows = analyse(tagger, "blackburn said").words
    assert [r[0] for r in rows] == ["blackburn", "said"] and rows[1][1] == "said"
    assert all(r[2] in NER_LABELS and 0 < r[3] <= 1 for r in rows)


def test_chinese_text_is_one_word_per_character(tagger):
    assert [r[0] for r in analyse(tagger, "张三在北京").words] == ["张", "三", "在", "北", "京"]


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_empty_box_asks_for_text(tagger, text):
    shown = analyse(tagger, text)
    assert "Type or paste" in shown.message and shown.entities == [] and shown.highlighted["entities"] == []


def test_long_paste_is_cut_and_said(tagger):
    shown = analyse(tagger, "peter said paris . " * 1100)  # about 20,000 characters
    assert len(shown.highlighted["text"]) <= MAX_CHARS and "first" in shown.message
    assert len(shown.words) > 100


def test_unseen_script_gets_a_warning(tagger):
    shown = analyse(
        tagger, "გამარჯობა მსოფლიო ეს არის ტექსტი"
    )  # Georgian: nothing of it is in the vocabulary
    assert "unknown to this model's tokenizer" in shown.message and len(shown.words) == 5


def test_a_failing_model_gives_a_message_not_an_exception(tagger, monkeypatch):
    monkeypatch.setattr(Tagger, "tag_text", lambda self, texts: (_ for _ in ()).throw(RuntimeError("boom")))
    assert analyse(tagger, "peter").message == "Could not tag this text: boom"


def test_demo_page_builds_with_the_examples_and_label_set(tagger, ner_model):
    pytest.importorskip("gradio", reason="the demo extra is not installed: pip install -e '.[demo]'")
    app = build_demo(tagger, ner_model)
    config = app.get_config_file()
    texts = " ".join(str(c.get("props", {}).get("value", "")) for c in config["components"])
    assert "B-PER" in texts and "Checkpoint" in texts


def test_demo_command_without_gradio_says_what_to_install(ner_model, monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "gradio" else real(name, *a)
    )
    assert main(["demo", "--model", ner_model]) == 2
    assert 'pip install -e ".[demo]"' in capsys.readouterr().err


def test_demo_command_names_a_folder_without_a_model(tmp_path, capsys):
    assert main(["demo", "--model", str(tmp_path)]) == 2
    assert "holds no saved model" in capsys.readouterr().err
