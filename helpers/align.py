"""Subword-label alignment: word labels to subtoken labels for training, subtoken predictions back to words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import LabelError, TokenizerError

IGNORE_INDEX = (
    -100
)  # positions with this label are ignored by the loss (special tokens, continuation subtokens)
NO_WORD = -1  # stored in the ``word_ids`` column for special tokens (Arrow columns prefer ints to None)


def require_fast_tokenizer(tokenizer) -> None:
    """Raise ``TokenizerError`` unless the tokenizer is a fast one (only those give ``word_ids``)."""
    if not getattr(tokenizer, "is_fast", False):
        raise TokenizerError(
            f"{type(tokenizer).__name__} is a slow (Python) tokenizer: alignment needs word_ids(), which only "
            "fast tokenizers provide. Load it with AutoTokenizer.from_pretrained(name) (use_fast is the default) "
            "or pick a checkpoint that ships a tokenizer.json."
        )


def align_labels(
    word_ids: Sequence[int | None],
    word_labels: Sequence[int],
    *,
    label_all_tokens: bool = False,
    b_to_i: Sequence[int] | None = None,
) -> list[int]:
    """Labels for one tokenized sentence: the first subtoken of each word gets the word's label.

    Special tokens get -100. Continuation subtokens get -100, or with ``label_all_tokens`` the word's label
    with ``B-X`` turned into ``I-X`` via ``b_to_i`` (see ``labels.b_to_i_map``).

    >>> align_labels([None, 0, 0, 1, None], [1, 0], label_all_tokens=True, b_to_i=[0, 2, 2])
    [-100, 1, 2, 0, -100]
    """
    out: list[int] = []
    previous = None
    for wid in word_ids:
        if wid is None or wid == NO_WORD:
            out.append(IGNORE_INDEX)
        elif wid != previous:
            out.append(int(word_labels[wid]))
        elif label_all_tokens and word_labels[wid] != IGNORE_INDEX:
            label = int(word_labels[wid])
            out.append(b_to_i[label] if b_to_i is not None else label)
        else:
            out.append(IGNORE_INDEX)
        previous = wid
    return out


def tokenize_and_align_labels(
    examples: Mapping[str, list],
    tokenizer,
    *,
    label_column: str = "ner_tags",
    label_all_tokens: bool = False,
    b_to_i: Sequence[int] | None = None,
    num_labels: int | None = None,
    max_length: int | None = None,
    allow_ignore_index: bool = False,
) -> dict[str, list]:
    """Batched ``Dataset.map`` function: tokenize pre-split words and align their labels.

    Adds ``labels`` (see ``align_labels``) and ``word_ids`` (-1 for special tokens), and truncates to
    ``max_length`` (default: the model's limit). ``num_labels`` checks label ids are in range; -100 passes
    only with ``allow_ignore_index`` (the context words of ``helpers.context``).
    """
    require_fast_tokenizer(tokenizer)
    if label_all_tokens and b_to_i is None:
        raise ValueError("label_all_tokens=True needs b_to_i (helpers.labels.b_to_i_map(label_names))")
    enc = tokenizer(
        examples["tokens"],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length or min(tokenizer.model_max_length, 512),
    )
    all_labels, all_word_ids = [], []
    for i, word_labels in enumerate(examples[label_column]):
        if num_labels is not None:
            for lab in word_labels:
                if not 0 <= lab < num_labels and not (allow_ignore_index and lab == IGNORE_INDEX):
                    ident = examples["id"][i] if "id" in examples else i
                    raise LabelError(
                        f"sentence {ident!r}, field {label_column!r}: label id {lab} is out of range "
                        f"[0, {num_labels - 1}]"
                    )
        wids = enc.word_ids(i)
        all_labels.append(align_labels(wids, word_labels, label_all_tokens=label_all_tokens, b_to_i=b_to_i))
        all_word_ids.append([NO_WORD if w is None else w for w in wids])
    enc["labels"] = all_labels
    enc["word_ids"] = all_word_ids
    return enc


def subtoken_counts(tokenizer, sentences: Sequence[Sequence[str]]) -> list[list[int]]:
    """How many subtokens the tokenizer gives each word of each pre-split sentence (special tokens left out)."""
    if not sentences:
        return []
    enc = tokenizer(
        [list(s) for s in sentences], is_split_into_words=True, add_special_tokens=False, verbose=False
    )  # no "sequence too long" warning: callers window or budget long sentences themselves
    out = []
    for i, words in enumerate(sentences):
        counts = [0] * len(words)
        for wid in enc.word_ids(i):
            if wid is not None:
                counts[wid] += 1
        out.append(counts)
    return out


def words_to_predictions(
    pred_ids: Sequence[int], word_ids: Sequence[int | None], num_words: int
) -> list[int]:
    """One prediction per word, taken from its first subtoken; words cut off by truncation get -1.

    >>> words_to_predictions([0, 5, 6, 3, 0], [None, 0, 0, 1, None], 3)
    [5, 3, -1]
    """
    out = [-1] * num_words
    previous = None
    for pos, wid in enumerate(word_ids):
        if wid is None or wid == NO_WORD:
            previous = None
            continue
        if wid != previous and out[wid] == -1:
            out[wid] = int(pred_ids[pos])
        previous = wid
    return out


def count_truncated_words(word_ids: Sequence[int | None], num_words: int) -> int:
    """How many of a sentence's ``num_words`` words have no subtoken left after truncation."""
    seen = {w for w in word_ids if w is not None and w != NO_WORD}
    return num_words - len(seen)
