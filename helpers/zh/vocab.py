"""Checkpoints that know 字: add the training characters a vocabulary lacks, and let their new rows learn faster.

- :func:`extend_vocabulary`: add the characters of the training data that a checkpoint's vocabulary lacks
  (they would all become ``[UNK]``) with new embedding rows around the mean of the old ones; this is how
  the bundled English MiniLM is made to learn Chinese offline;
- :func:`faster_embeddings`: a ``setup`` for ``helpers.train`` that lets the new embedding rows learn faster;
- :func:`prepare_checkpoint` applies both when ``train`` runs offline on Chinese data.

How many characters a tokenizer turns into ``[UNK]`` is measured by :func:`helpers.coverage.unk_share`.
Alternatives that were measured and not adopted (co-occurrence rows, a character BERT from scratch) are
in ``benchmarks/zh_research.py``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path


def is_cjk(ch: str) -> bool:
    """Whether BERT's pre-tokenizer makes ``ch`` a word of its own (a CJK ideograph): ``is_cjk("字")``."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002ffff"


def missing_characters(tokenizer, sentences: Iterable[Sequence[str]], min_count: int = 1) -> list[str]:
    """Characters of the tokens that the tokenizer maps to ``[UNK]``, most frequent first (ties by code point)."""
    counts = Counter(ch for tokens in sentences for tok in tokens for ch in tok if not ch.isspace())
    unk = tokenizer.unk_token_id
    chars = sorted((c for c, n in counts.items() if n >= min_count), key=lambda c: (-counts[c], c))
    if not chars:
        return []
    enc = tokenizer(chars, add_special_tokens=False)["input_ids"]
    return [c for c, ids in zip(chars, enc) if ids == [unk]]


def vocabulary_pieces(tokenizer, ch: str) -> tuple[str, ...]:
    """The WordPiece entries that make ``ch`` known: its normalised form, plus a continuation piece unless CJK.

    WordPiece looks up the normalised text (an uncased model lower-cases Ⅱ to ⅱ); a CJK character is always
    a word of its own (the BERT pre-tokenizer splits around it), other characters may sit inside a word.
    """
    normalizer = tokenizer.backend_tokenizer.normalizer
    # BertNormalizer also puts spaces around a CJK character
    text = (normalizer.normalize_str(ch) if normalizer is not None else ch).strip()
    if not text:
        return ()
    prefix = getattr(tokenizer.backend_tokenizer.model, "continuing_subword_prefix", "##")
    return (text,) if is_cjk(ch) else (text, prefix + text)


ADDED_ROWS = "tokcls_added_rows"  # config field: [first, end) of the embedding rows extend_vocabulary added


def faster_embeddings(multiplier: float = 10.0):
    """A ``setup(trainer)`` for ``helpers.train``: the embedding rows :func:`extend_vocabulary` added (recorded
    in the model's config) learn ``multiplier`` times the learning rate; every other parameter, the
    checkpoint's own embedding rows included, learns at the recipe's rate. A checkpoint without added rows (a
    Chinese one such as bert-base-chinese) is trained as it is, and that is printed.

    New rows start as noise; at the recipe's rate (3e-4) they would move only a few hundredths in a short run,
    while their values are about 0.05 in size.
    """
    from ..decisions import record

    def setup(trainer) -> None:
        added = getattr(trainer.model.config, ADDED_ROWS, None)
        record(
            "embeddings", added_rows=list(added) if added else None, multiplier=multiplier if added else 1.0
        )
        if not added:
            print(
                "Embeddings: no rows were added to this checkpoint's vocabulary; all learn at the recipe's rate"
            )
            return
        first, end = added
        print(f"Embeddings: the {end - first} added rows learn {multiplier:g} times the recipe's rate")
        weight = trainer.model.get_input_embeddings().weight
        scale_row_updates(trainer.create_optimizer(), weight, slice(first, end), multiplier)

    return setup


def scale_row_updates(optimizer, weight, rows: slice, multiplier: float) -> None:
    """Make every step of ``optimizer`` move ``weight[rows]`` ``multiplier`` times as far as it would: with
    AdamW, whose update is proportional to the learning rate, that is ``multiplier`` times the learning rate
    for those rows only (a parameter group can only set one rate for a whole matrix)."""
    import torch

    before: list = []

    def keep(opt, args, kwargs) -> None:
        before.append(weight.detach()[rows].clone())

    def scale(opt, args, kwargs) -> None:
        old = before.pop()
        with torch.no_grad():
            weight[rows] = old + multiplier * (weight[rows] - old)

    optimizer.register_step_pre_hook(keep)
    optimizer.register_step_post_hook(scale)


def extend_vocabulary(
    checkpoint: str,
    sentences: Iterable[Sequence[str]],
    output_dir: str | os.PathLike,
    *,
    min_count: int = 1,
    seed: int = 0,
) -> str:
    """Copy ``checkpoint`` to ``output_dir`` with the training characters it lacks added to its WordPiece vocabulary.

    New embedding rows are drawn around the mean of the old ones (transformers' ``mean_resizing``).
    Returns ``output_dir``, or ``checkpoint`` itself when no character is missing.
    """
    import json

    import torch
    from transformers import AutoModel

    from ..modeling import load_tokenizer, weights_kwargs

    tokenizer = load_tokenizer(checkpoint)
    missing = missing_characters(tokenizer, sentences, min_count=min_count)
    if not missing:
        return checkpoint
    spec = json.loads(tokenizer.backend_tokenizer.to_str())
    if spec["model"]["type"] != "WordPiece":
        raise ValueError(
            f"{checkpoint}: extend_vocabulary needs a WordPiece tokenizer, not {spec['model']['type']}"
        )
    vocab: dict[str, int] = spec["model"]["vocab"]
    for ch in missing:
        for piece in vocabulary_pieces(tokenizer, ch):
            vocab.setdefault(piece, len(vocab))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(out)
    (out / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    vocab_txt = out / "vocab.txt"
    if vocab_txt.exists():
        vocab_txt.write_text(
            "".join(t + "\n" for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])), "utf-8"
        )
    torch.manual_seed(seed)
    model = AutoModel.from_pretrained(checkpoint, **weights_kwargs(checkpoint))
    first = model.get_input_embeddings().weight.shape[0]
    model.resize_token_embeddings(len(vocab), mean_resizing=True)
    setattr(model.config, ADDED_ROWS, [first, len(vocab)])  # faster_embeddings reads which rows are new
    model.save_pretrained(out, safe_serialization=True)
    return str(out)


def prepare_checkpoint(
    checkpoint: str, sentences: Sequence[Sequence[str]], folder: str | os.PathLike, *, language: str,
    verbose: bool = True,
):  # fmt: skip
    """What ``helpers.train`` loads for ``checkpoint``: for Chinese and the bundled English MiniLM, a copy with the
    training characters added (in ``folder``) and a ``setup`` with :func:`faster_embeddings`; else ``(checkpoint, None)``.
    """
    from ..modeling import bundled_model_path

    if language != "zh" or checkpoint != bundled_model_path():
        return checkpoint, None
    path = extend_vocabulary(checkpoint, sentences, folder)
    if verbose:
        from ..modeling import load_tokenizer

        print(
            f"  vocabulary extended with the training characters: {len(load_tokenizer(path))} entries ({path})"
        )
    return path, faster_embeddings()
