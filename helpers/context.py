"""Document context: the neighbouring sentences of the same document as extra input, labels on the centre only.

A sentence of CoNLL-2003 is often a headline or a fragment ("LONDON 1996-08-30"); the sentences around it
say whether "Jordan" is a person or a country. With ``context_tokens=N`` each sentence is fed with up to N
subtokens of the words before it and N after it, taken from the same document only; the context words get
the label -100, so the loss and the scores count the centre sentence alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .align import IGNORE_INDEX, subtoken_counts

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedTokenizerBase


def document_ids(split: Dataset) -> list:
    """One document id per sentence: the ``document`` column (from ``-DOCSTART-`` lines) if the split has one,
    else one stream (the Hub's CoNLL-2003 export keeps the sentence order but not the boundaries)."""
    if "document" in split.column_names:
        return list(split["document"])
    return [0] * len(split)


def _walk(sentences, counts, documents, i: int, step: int):
    """(word, subtoken count) pairs going away from sentence ``i`` (step -1: backwards), inside its document."""
    j = i + step
    while 0 <= j < len(sentences) and documents[j] == documents[i]:
        order = range(len(sentences[j]) - 1, -1, -1) if step < 0 else range(len(sentences[j]))
        for k in order:
            yield sentences[j][k], counts[j][k]
        j += step


def neighbours(
    sentences: Sequence[Sequence[str]],
    counts: Sequence[Sequence[int]],
    documents: Sequence,
    each_side: int,
    budget: int,
) -> list[tuple[list[str], list[str]]]:
    """For every sentence, the words just before and just after it in its document, at most ``each_side``
    subtokens each and never more than ``budget`` subtokens with the sentence itself (whole words only)."""
    out = []
    for i, own in enumerate(counts):
        side = min(each_side, (budget - sum(own)) // 2)
        sides = []
        for step in (-1, 1):
            words, used = [], 0
            for word, n in _walk(sentences, counts, documents, i, step) if side > 0 else ():
                if used + n > side:
                    break
                used += n
                words.append(word)
            sides.append(words[::-1] if step < 0 else words)
        out.append((sides[0], sides[1]))
    return out


def add_context(
    split: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    label_column: str,
    each_side: int,
    max_length: int | None = None,
) -> Dataset:
    """``tokens`` and ``label_column`` of a split with the context words added around each sentence, labelled
    -100 (ignored by the loss and by word-level scoring)."""
    from datasets import Dataset

    limit = max_length or min(tokenizer.model_max_length, 512)
    budget = limit - tokenizer.num_special_tokens_to_add()
    sentences = split["tokens"]
    counts = subtoken_counts(tokenizer, sentences)
    rows: dict[str, list] = {"tokens": [], label_column: []}
    for words, labels, (left, right) in zip(
        sentences,
        split[label_column],
        neighbours(sentences, counts, document_ids(split), each_side, budget),
    ):
        rows["tokens"].append([*left, *words, *right])
        rows[label_column].append([IGNORE_INDEX] * len(left) + list(labels) + [IGNORE_INDEX] * len(right))
    return Dataset.from_dict(rows)
