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


def faster_embeddings(multiplier: float = 10.0):
    """A ``setup(trainer)`` for ``helpers.train``: the input embeddings learn ``multiplier`` times the learning rate.

    New rows added by :func:`extend_vocabulary` start as noise; at the recipe's rate (3e-4) they would move
    only a few hundredths in a short run, while their values are about 0.05 in size.
    """
    import torch

    def setup(trainer) -> None:
        model, args = trainer.model, trainer.args
        embeddings = model.get_input_embeddings().weight
        decay = set(trainer.get_decay_parameter_names(model))
        rest = [(n, p) for n, p in model.named_parameters() if p.requires_grad and p is not embeddings]
        groups = [
            {"params": [embeddings], "lr": args.learning_rate * multiplier, "weight_decay": 0.0},
            {"params": [p for n, p in rest if n in decay], "weight_decay": args.weight_decay},
            {"params": [p for n, p in rest if n not in decay], "weight_decay": 0.0},
        ]
        trainer.optimizer = torch.optim.AdamW(groups, lr=args.learning_rate)

    return setup


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

    from ..modeling import load_tokenizer

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
    model = AutoModel.from_pretrained(checkpoint, use_safetensors=True)
    model.resize_token_embeddings(len(vocab), mean_resizing=True)
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
