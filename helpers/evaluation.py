"""Word-level evaluation with one rule for every caller: ``train``, ``python -m helpers evaluate``, lessons.

A split is scored from its words with a ``Tagger``: sentences longer than the model's limit are tagged in
overlapping windows (stride), so no word is lost; a model trained with document context reads each sentence
with its neighbours, as it was trained; a word that still gets no prediction (the tokenizer gave
it no subtoken) counts as a miss. Trainers and model folders are run in fp32 (``EVAL_PRECISION``), whatever
the recipe trained in, so a model gets the same scores on every machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

from .context import document_ids
from .data import label_names as dataset_label_names
from .decoding import DEFAULT_DECODING, invalid_sentences
from .errors import LabelError
from .inference import Tagger
from .metrics import score_word_ids

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import Trainer

ModelLike = Union[Tagger, "Trainer", str, os.PathLike]
EVAL_BATCH_SIZE = 32
EVAL_PRECISION = "fp32"


def sort_by_length(ds: Dataset) -> Dataset:
    """Order a tokenized split by length (longest first): evaluation then pads far less; scores are unchanged."""
    lengths = [len(ids) for ids in ds["input_ids"]]
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return ds.select(order)


def as_tagger(model: ModelLike, batch_size: int = EVAL_BATCH_SIZE, decoding: str | None = None) -> Tagger:
    """A ``Tagger`` for a Tagger (as is, unless another ``decoding`` is asked for), a Trainer (its model and
    tokenizer) or a saved model folder (put on the GPU if there is one). The latter two run in
    ``EVAL_PRECISION``; a trained Trainer's model may still autocast to bf16/fp16 inside (accelerate wraps
    its ``forward``), which is why ``train`` scores its saved folder. ``decoding``: helpers.decoding.
    """
    if isinstance(model, Tagger):
        if decoding is None or decoding == model.decoding:
            return model
        return Tagger(
            model.model, model.tokenizer, batch_size=model.batch_size, max_length=model.max_length,
            stride=model.stride, precision=model.precision, context_tokens=model.context_tokens,
            decoding=decoding,
        )  # fmt: skip
    decoding = decoding or DEFAULT_DECODING
    if isinstance(model, (str, os.PathLike)):
        return Tagger.from_pretrained(
            str(model), device="auto", batch_size=batch_size, precision=EVAL_PRECISION, decoding=decoding
        )
    if hasattr(model, "model") and hasattr(model, "processing_class"):
        return Tagger(
            model.model, model.processing_class, batch_size=batch_size, precision=EVAL_PRECISION,
            decoding=decoding,
        )  # fmt: skip
    raise TypeError(f"cannot evaluate a {type(model).__name__}: pass a Tagger, a Trainer or a model folder")


def evaluate_split(
    model: ModelLike,
    split: Dataset,
    label_column: str,
    label_names: Sequence[str] | None = None,
    *,
    batch_size: int = EVAL_BATCH_SIZE,
    decoding: str | None = None,
) -> dict:
    """Scores of one split at word level (per type/tag and overall, words, unscored-word count, decoding, and
    how many sentences got tags their scheme does not allow: ``invalid_sentences``, 0 with constrained).

    ``split`` has the words (``tokens``) and gold ids in ``label_column``; ``label_names`` default to its
    ClassLabel names. ``model`` is a Tagger, a Trainer or a saved model folder. ``decoding``: ``argmax`` or
    ``constrained`` (helpers.decoding; None: a Tagger's own, else ``DEFAULT_DECODING``).
    """
    if "tokens" not in split.column_names:
        raise ValueError(
            f"evaluate_split needs the words of each sentence (a 'tokens' column); this split has "
            f"{split.column_names}: pass the untokenized split, e.g. ds['validation']"
        )
    names = list(label_names) if label_names is not None else dataset_label_names(split, label_column)
    index = {name: i for i, name in enumerate(names)}
    tagger = as_tagger(model, batch_size, decoding)
    unknown = set(tagger.id2label.values()) - set(index)
    if unknown:
        raise LabelError(
            f"the model predicts {sorted(unknown)}, which are not labels of {label_column!r}: {names}"
        )
    # a model trained with document context is scored with it (documents from the split, see helpers.context)
    tagged = tagger.tag_words(split["tokens"], documents=document_ids(split))
    # a word the tokenizer gives no subtoken has score 0.0 (a real prediction has a probability > 0)
    pred = [[index[t] if sc > 0 else -1 for t, sc in zip(s.tags, s.scores)] for s in tagged]
    result = score_word_ids(split[label_column], pred, names)
    result["decoding"] = tagger.decoding
    result["invalid_sentences"] = invalid_sentences([s.tags for s in tagged], names)  # argmax's broken spans
    return result
