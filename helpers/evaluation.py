"""Word-level evaluation of a trained model on a tokenized split."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .align import words_to_predictions
from .metrics import score_word_ids


def predict_word_ids(trainer, tokenized_split, label_column: str) -> list[list[int]]:
    """One predicted label id per word (first subtoken); -1 for words lost to truncation."""
    saved, trainer.compute_metrics = trainer.compute_metrics, None  # it is bound to the validation split
    try:
        output = trainer.predict(tokenized_split)
    finally:
        trainer.compute_metrics = saved
    preds = output.predictions
    preds = np.asarray(preds[0] if isinstance(preds, tuple) else preds)
    if preds.ndim == 3:
        preds = preds.argmax(-1)
    word_ids = tokenized_split["word_ids"]
    n_words = [len(w) for w in tokenized_split[label_column]]
    return [words_to_predictions(p, w, n) for p, w, n in zip(preds, word_ids, n_words)]


def evaluate_split(trainer, tokenized_split, label_names: Sequence[str], label_column: str) -> dict:
    """Scores of one split at word level (per type/tag and overall, plus truncated-word count)."""
    from .training import sort_by_length

    split = sort_by_length(tokenized_split)  # less padding; the order does not change any score
    pred = predict_word_ids(trainer, split, label_column)
    return score_word_ids(split[label_column], pred, label_names)


def evaluate_with_tagger(tagger, split, label_column: str, label_names: Sequence[str]) -> dict:
    """Score a raw (untokenized) split with a ``Tagger``: long sentences are windowed, so no word is lost."""
    index = {name: i for i, name in enumerate(label_names)}
    tagged = tagger.tag_words(split["tokens"])
    pred = [[index.get(t, -1) for t in s.tags] for s in tagged]
    return score_word_ids(split[label_column], pred, label_names)
