"""Does the checkpoint fit the data's language? The share of words its tokenizer can only turn into ``[UNK]``.

An English vocabulary on Chinese data maps most characters to ``[UNK]``: the model cannot tell them apart
and learns next to nothing (F1 near 0). :func:`check_unknown_words` warns before training starts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from .spans import UNSPACED

UNK_WARN_SHARE = 0.05  # warn when more than this share of the words are all [UNK]
_UNSPACED_CHAR = re.compile(f"[{UNSPACED}]")


def unk_share(tokenizer, words: Iterable[str], examples: int = 3) -> tuple[float, list[str]]:
    """Share of ``words`` (occurrences) that the tokenizer turns into ``[UNK]`` only, and the most frequent of them.

    A tokenizer without an unknown token (byte-level BPE) gives ``(0.0, [])``.
    """
    counts = Counter(w for w in words if w.strip())
    unk = getattr(tokenizer, "unk_token_id", None)
    if not counts or unk is None:
        return 0.0, []
    distinct = list(counts)
    ids = tokenizer(distinct, add_special_tokens=False)["input_ids"]
    unknown = [w for w, seq in zip(distinct, ids) if seq and all(i == unk for i in seq)]
    share = sum(counts[w] for w in unknown) / sum(counts.values())
    return share, sorted(unknown, key=lambda w: -counts[w])[:examples]


def guess_language(sentences: Iterable[Sequence[str]]) -> str:
    """``"zh"`` when most characters of the words are Chinese/Japanese (unspaced scripts), else ``"en"``."""
    total = unspaced = 0
    for words in sentences:
        for word in words:
            total += len(word)
            unspaced += len(_UNSPACED_CHAR.findall(word))
    return "zh" if total and unspaced / total > 0.5 else "en"


def unk_warning(share: float, examples: Sequence[str], threshold: float = UNK_WARN_SHARE) -> str | None:
    """The warning text for an ``unk_share`` result above ``threshold``, else None."""
    if share <= threshold:
        return None
    shown = ", ".join(repr(w) for w in examples)
    return (
        f"WARNING: {share:.1%} of the words become [UNK] with this tokenizer (e.g. {shown}): the model cannot "
        "tell them apart and will learn little. Use a checkpoint whose vocabulary covers this language, "
        "e.g. --language zh (bert-base-chinese) for Chinese, or --model <checkpoint>."
    )


def check_unknown_words(tokenizer, sentences: Iterable[Sequence[str]], *, verbose: bool = True) -> dict:
    """Measure ``unk_share`` over sentences of words, print the warning if it is too high; returns the figures."""
    share, examples = unk_share(tokenizer, (w for words in sentences for w in words))
    message = unk_warning(share, examples)
    if message and verbose:
        print(message)
    return {"unk_share": round(share, 4), "unk_examples": examples}
