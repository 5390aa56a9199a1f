"""From per-word label scores to tags: ``argmax`` per word, or ``constrained`` (valid spans only).

Argmax picks each word's best label on its own, so it can write ``I-LOC`` right after ``O``, or ``E-n``
with no ``B-n`` before it: tag sequences no annotator writes. ``constrained`` decoding is a Viterbi pass
over the per-word log-probabilities that only allows the transitions of the tag scheme (no training
change): the valid sequence with the highest total log-probability. Where argmax is already valid it is
that sequence itself.

Schemes, read from the label names (BMES is BIOES with ``M`` for ``I``, BILOU with ``L``/``U`` for ``E``/``S``):

- IOB2 (``B-X``/``I-X``/``O``): ``I-X`` only after ``B-X`` or ``I-X``, never first;
- BIOES/BMES/BILOU: after ``B-X`` or ``I-X`` (``M-X``) only ``I-X`` or ``E-X``; elsewhere only ``O``,
  ``B-Y``, ``S-Y``; the first tag opens or is outside a span, the last one closes it or is outside;
- flat tag sets (POS tags without prefixes): nothing to constrain, argmax.

IOB1 label sets look like IOB2 ones; the course's readers convert IOB1 files to IOB2 before training,
so a model's ``B-``/``I-`` labels are read as IOB2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .labels import is_span_scheme, split_tag

DECODINGS: tuple[str, ...] = ("argmax", "constrained")
#: what ``train``, ``evaluate``, ``Tagger`` and ``predict`` use unless told otherwise: constrained won on every
#: seed of every task ``python -m benchmarks.decoding`` measured (CoNLL-2003, MSRA, People's Daily segmentation;
#: benchmarks/results/decoding.md)
DEFAULT_DECODING = "constrained"
_BIOES = {"M": "I", "L": "E", "U": "S"}


@dataclass(frozen=True)
class Transitions:
    """Which labels may start a sentence, follow each other (``allowed[prev, cur]``) and end a sentence."""

    scheme: str
    start: np.ndarray  # bool [L]
    allowed: np.ndarray  # bool [L, L]
    end: np.ndarray  # bool [L]

    def is_valid(self, ids: Sequence[int]) -> bool:
        """True if the label-id sequence obeys the scheme (an empty one does)."""
        if not len(ids):
            return True
        ok = self.start[ids[0]] and self.end[ids[-1]]
        return bool(ok and all(self.allowed[a, b] for a, b in zip(ids, ids[1:])))


def check_decoding(decoding: str) -> str:
    """``decoding`` itself if it is one of ``DECODINGS``, else a ``ValueError`` that lists them."""
    if decoding not in DECODINGS:
        raise ValueError(f"decoding must be one of {', '.join(DECODINGS)}, not {decoding!r}")
    return decoding


def _prefix(label: str) -> tuple[str, str]:
    prefix, typ = split_tag(label)
    return _BIOES.get(prefix, prefix), typ


def label_scheme(label_names: Sequence[str]) -> str | None:
    """``"iob2"`` or ``"bioes"`` (BMES, BILOU included) for span label sets, None for flat ones (POS).

    >>> label_scheme(["O", "B-PER", "I-PER"]), label_scheme(["B-n", "M-n", "E-n", "S-n"]), label_scheme(["NN"])
    ('iob2', 'bioes', None)
    """
    if not is_span_scheme(label_names):
        return None
    return "bioes" if {_prefix(t)[0] for t in label_names} & {"E", "S"} else "iob2"


def transitions(label_names: Sequence[str]) -> Transitions | None:
    """The allowed starts, transitions and ends of a label set's scheme (None: a flat tag set)."""
    scheme = label_scheme(label_names)
    if scheme is None:
        return None
    parts = [_prefix(t) for t in label_names]
    n = len(parts)
    allowed = np.zeros((n, n), dtype=bool)
    for i, (pp, pt) in enumerate(parts):
        for j, (cp, ct) in enumerate(parts):
            if scheme == "iob2":
                allowed[i, j] = cp != "I" or (pp in ("B", "I") and pt == ct)
            elif pp in ("B", "I"):  # an open span goes on or closes, with its own type
                allowed[i, j] = cp in ("I", "E") and ct == pt
            else:
                allowed[i, j] = cp in ("O", "B", "S")
    if scheme == "iob2":
        start = np.array([p != "I" for p, _ in parts])
        end = np.ones(n, dtype=bool)
    else:
        start = np.array([p in ("O", "B", "S") for p, _ in parts])
        end = np.array([p in ("O", "E", "S") for p, _ in parts])
    return Transitions(scheme, start, allowed, end)


def viterbi(log_probs: np.ndarray, rules: Transitions) -> list[int]:
    """The label ids of the valid sequence with the highest summed log-probability (``log_probs``: [words, labels]).

    >>> rules = transitions(["O", "B-LOC", "I-LOC"])
    >>> viterbi(np.log([[0.6, 0.1, 0.3], [0.1, 0.2, 0.7]]), rules)  # argmax would say O I-LOC
    [1, 2]
    """
    log_probs = np.asarray(log_probs, dtype=np.float64)
    steps = log_probs.shape[0]
    if steps == 0:
        return []
    blocked = np.where(rules.allowed, 0.0, -np.inf)
    score = log_probs[0] + np.where(rules.start, 0.0, -np.inf)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, steps):
        candidates = score[:, None] + blocked  # [previous label, this label]
        back[t] = candidates.argmax(0)
        score = candidates[back[t], np.arange(log_probs.shape[1])] + log_probs[t]
    score = score + np.where(rules.end, 0.0, -np.inf)
    path = [int(score.argmax())]
    for t in range(steps - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """Log-probabilities over the last axis of logits (numerically stable)."""
    scores = np.asarray(scores, dtype=np.float64)
    shifted = scores - scores.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def decode(log_probs: np.ndarray, label_names: Sequence[str], decoding: str = DEFAULT_DECODING) -> list[int]:
    """Label ids for one sentence's words: argmax per word, or the best valid sequence (``constrained``).

    ``log_probs`` are per-word log-probabilities (or logits: the best valid sequence of log-softmaxed
    logits is taken), shape [words, labels]. A flat label set is always decoded by argmax.
    """
    check_decoding(decoding)
    log_probs = np.asarray(log_probs)
    rules = transitions(label_names) if decoding == "constrained" else None
    if rules is None or log_probs.shape[0] == 0:
        return [int(i) for i in log_probs.argmax(-1)] if log_probs.shape[0] else []
    return viterbi(log_softmax(log_probs), rules)


def logits_to_ids(label_names: Sequence[str], decoding: str = DEFAULT_DECODING):
    """``preprocess_logits_for_metrics`` for Trainer: predicted ids only (not all logits) per subtoken.

    With ``constrained``, the words of each row (the subtokens whose label is not -100: the first subtoken
    of every word in evaluation splits) are decoded together as one valid sequence; other positions keep
    their argmax, which nothing scores.
    """
    check_decoding(decoding)
    rules = transitions(label_names) if decoding == "constrained" else None

    def preprocess(logits, labels):
        if isinstance(logits, tuple):
            logits = logits[0]
        ids = logits.argmax(dim=-1)
        if rules is None:
            return ids
        import torch

        log_probs = torch.log_softmax(logits.float(), dim=-1).cpu().numpy()
        keep = (labels != -100).cpu().numpy()
        out = ids.cpu().numpy().copy()
        for row in range(out.shape[0]):
            positions = np.flatnonzero(keep[row])
            if len(positions):
                out[row, positions] = viterbi(log_probs[row, positions], rules)
        return torch.as_tensor(out, device=ids.device)

    return preprocess


def invalid_sentences(tag_lists: Sequence[Sequence[str]], label_names: Sequence[str]) -> int:
    """How many tag sequences break the scheme of ``label_names`` (0 for a flat tag set): what constrained
    decoding repairs. Tags outside ``label_names`` (a word with no prediction) are left out of the check.

    >>> invalid_sentences([["O", "I-LOC"], ["B-LOC", "I-LOC"]], ["O", "B-LOC", "I-LOC"])
    1
    """
    rules = transitions(label_names)
    if rules is None:
        return 0
    index = {name: i for i, name in enumerate(label_names)}
    return sum(not rules.is_valid([index[t] for t in tags if t in index]) for tags in tag_lists)
