"""A demo page for a trained model: ``python -m helpers demo --model runs/ner/model`` (Gradio, ``pip install -e ".[demo]"``).

A text box; the entities highlighted with their types (``HighlightedText``) and listed with their scores; the
words, their subtokens, tags and scores for the curious; examples in English and Chinese (Chinese text is
tagged one character per word, as ``Tagger.tag_text`` does); the checkpoint and its label set. The functions
that turn a text into what the page shows (:func:`analyse`) need no Gradio and are tested on their own. An
empty box, a very long paste or a text the tokenizer cannot read get a message; the server keeps serving.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .coverage import unk_share
from .errors import TokClsError
from .io import display_path

if TYPE_CHECKING:
    from .inference import Tagger

MAX_CHARS = 5000  # longer pastes are cut (at a space where there is one) and the page says so
UNREADABLE_SHARE = 0.5  # a text with more [UNK]-only words than this gets a warning that the tags mean little
EXAMPLES = {
    "en": ["Angela Merkel visited Paris on Monday.", "EU rejects German call to boycott British lamb."],
    "zh": ["张三在北京的清华大学工作。", "李明上周去了上海。"],
}
INSTALL_HINT = 'the demo needs Gradio: pip install -e ".[demo]" (or pip install gradio)'


@dataclass
class Analysis:
    """What the page shows for one text."""

    message: str = ""  # empty box, cut text, unreadable script: shown above the results
    highlighted: dict = field(default_factory=lambda: {"text": "", "entities": []})  # HighlightedText value
    entities: list[list] = field(default_factory=list)  # rows: type, text, start, end, score
    words: list[list] = field(default_factory=list)  # rows: word, subtokens, tag, score


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    return text[: space if space > limit // 2 else limit]


def analyse(tagger: Tagger, text: str | None, max_chars: int = MAX_CHARS) -> Analysis:
    """Tag ``text`` and build what the page shows; problems give a message, never an exception."""
    text = text or ""
    if not text.strip():
        return Analysis(message="Type or paste a sentence (or click an example), then press **Tag**.")
    notes = []
    if len(text) > max_chars:
        text = _cut(text, max_chars)
        notes.append(
            f"The text is long: the demo tags its first {len(text):,} characters (up to {max_chars:,}). "
            "For whole files use `python -m helpers predict --input FILE --output FILE`."
        )
    try:
        (sent,) = tagger.tag_text([text])
    except (TokClsError, ValueError, RuntimeError) as exc:  # the page reports it and keeps serving
        return Analysis(message=f"Could not tag this text: {exc}")
    share, unknown = unk_share(tagger.tokenizer, sent.words)
    if share > UNREADABLE_SHARE:
        shown = " ".join(unknown)
        notes.append(
            f"{share:.0%} of the words are unknown to this model's tokenizer (e.g. {shown}): it has not seen "
            "this script, so its tags mean little here. Use a model trained on this language."
        )
    if not sent.words:
        notes.append("This text has no words to tag (only spaces or symbols the splitter skips).")
    pieces = tagger.tokenizer(sent.words, add_special_tokens=False)["input_ids"] if sent.words else []
    return Analysis(
        message="\n\n".join(notes),
        highlighted={
            "text": text,
            "entities": [{"entity": e.type, "start": e.start, "end": e.end} for e in sent.entities],
        },
        entities=[[e.type, e.text, e.start, e.end, round(e.score, 3)] for e in sent.entities],
        words=[
            [w, " ".join(tagger.tokenizer.convert_ids_to_tokens(ids)), t, round(s, 3)]
            for w, ids, t, s in zip(sent.words, pieces, sent.tags, sent.scores)
        ],
    )


def describe(tagger: Tagger, model_dir: str | os.PathLike) -> str:
    """Markdown naming the checkpoint, how it runs and its label set."""
    from .serving import export_format

    config = tagger.model.config
    labels = ", ".join(f"`{name}`" for _, name in sorted(tagger.id2label.items()))
    kind = export_format(model_dir) or "saved model"
    device = next(tagger.model.parameters()).device.type
    shape = f"{getattr(config, 'model_type', '?')}, {getattr(config, 'num_hidden_layers', '?')} layers, "
    shape += f"hidden size {getattr(config, 'hidden_size', getattr(config, 'dim', '?'))}"
    return (
        f"**Checkpoint:** `{display_path(model_dir)}` ({kind}; {shape}; runs on {device} in {tagger.precision})  \n"
        f"**Label set ({len(tagger.id2label)}):** {labels}"
    )


def build_demo(tagger: Tagger, model_dir: str | os.PathLike, *, max_chars: int = MAX_CHARS):
    """The Gradio ``Blocks`` app of the page (not launched)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # a demo sends nothing anywhere
    import gradio as gr

    language = getattr(tagger.model.config, "tokcls_language", None) or "en"
    examples = EXAMPLES[language] + [e for lang, texts in EXAMPLES.items() if lang != language for e in texts]
    types = sorted({name.split("-", 1)[-1] for name in tagger.id2label.values() if name != "O"})
    palette = ["#fde68a", "#bfdbfe", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc", "#e5e7eb"]
    colours = {t: palette[i % len(palette)] for i, t in enumerate(types)}

    def run(text):
        result = analyse(tagger, text, max_chars)
        return result.message, result.highlighted, result.entities, result.words

    with gr.Blocks(title="Token classification demo") as app:
        gr.Markdown("# Token classification demo\n" + describe(tagger, model_dir))
        box = gr.Textbox(label="Text", lines=3, placeholder="Angela Merkel visited Paris. / 张三在北京工作。",
                         elem_id="text-input")  # fmt: skip
        button = gr.Button("Tag", variant="primary", elem_id="tag-button")
        gr.Examples(examples=[[e] for e in examples], inputs=box, label="Examples (click one)")
        message = gr.Markdown(elem_id="message")
        highlighted = gr.HighlightedText(label="Entities", color_map=colours, show_legend=False,
                                         combine_adjacent=False, elem_id="entities")  # fmt: skip
        table = gr.Dataframe(headers=["type", "text", "start", "end", "score"], label="Entities and scores",
                             interactive=False, elem_id="entity-table")  # fmt: skip
        with gr.Accordion("Words, subtokens and tags", open=False):
            words = gr.Dataframe(headers=["word", "subtokens", "tag", "score"], interactive=False,
                                 elem_id="word-table")  # fmt: skip
        outputs = [message, highlighted, table, words]
        button.click(run, inputs=box, outputs=outputs)
        box.submit(run, inputs=box, outputs=outputs)
    return app


def launch(model_dir: str | os.PathLike, *, port: int | None = None, host: str = "127.0.0.1",
           share: bool = False, max_chars: int = MAX_CHARS, block: bool = True):  # fmt: skip
    """Load the model in ``model_dir`` (saved or exported) and serve the page; returns the app."""
    import importlib.util

    from .errors import ModelConfigError
    from .inference import Tagger

    if importlib.util.find_spec("gradio") is None:
        raise ModelConfigError(INSTALL_HINT)
    if not Path(model_dir, "config.json").is_file():
        raise ModelConfigError(
            f"{model_dir}: holds no saved model (give the folder `train` saved, e.g. runs/ner/model)"
        )
    app = build_demo(Tagger.from_pretrained(str(model_dir)), model_dir, max_chars=max_chars)
    app.queue(default_concurrency_limit=2)
    app.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=not block, quiet=not block
    )
    return app
