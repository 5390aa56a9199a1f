"""Batched inference: tag pre-split words or raw text, one tag per word, long inputs in overlapping windows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .align import require_fast_tokenizer, subtoken_counts
from .context import neighbours
from .decoding import DEFAULT_DECODING, check_decoding, transitions, viterbi
from .labels import entity_spans
from .precision import autocast_dtype, resolve_precision
from .spans import join_words, split_words


@dataclass(frozen=True)
class Entity:
    """An entity span: type, character offsets ``[start, end)`` in the text (or word offsets), text, mean score."""

    type: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class TaggedSentence:
    """Words with one tag and one score each, and the entities they form."""

    words: list[str]
    tags: list[str]
    scores: list[float]
    entities: list[Entity] = field(default_factory=list)
    offsets: list[tuple[int, int]] | None = None  # character offsets of words when tagging raw text
    # per-word log-probabilities over the labels (None for a word without prediction): Tagger(keep_log_probs=True)
    log_probs: list | None = None


def plan_windows(counts: Sequence[int], budget: int, stride: int) -> list[tuple[int, int]]:
    """Word windows ``[start, end)`` whose subtoken counts fit ``budget``, overlapping by about ``stride`` subtokens.

    Every word falls in at least one window and each window starts at a word boundary.
    """
    n, windows, start = len(counts), [], 0
    while start < n:
        end, used = start, 0
        while end < n and used + counts[end] <= budget:
            used += counts[end]
            end += 1
        end = max(end, start + 1)  # a single word longer than the budget still gets its own window
        windows.append((start, end))
        if end >= n:
            break
        back, overlap = end, 0
        while back - 1 > start and overlap + counts[back - 1] <= stride:
            back -= 1
            overlap += counts[back]
        while back < end and overlap + counts[end] > budget:  # the next word must fit after the overlap
            overlap -= counts[back]
            back += 1
        start = max(back, start + 1)
    return windows


def best_window(windows: Sequence[tuple[int, int]], n_words: int) -> list[int]:
    """For every word, the index of the window in which it sits farthest from an edge."""
    best, margin = [0] * n_words, [-1] * n_words
    for w, (start, end) in enumerate(windows):
        for k in range(start, end):
            m = min(k - start, end - 1 - k)
            if m > margin[k]:
                best[k], margin[k] = w, m
    return best


def group_entities(tags: Sequence[str], scores: Sequence[float]) -> list[tuple[str, int, int, float]]:
    """Entity spans (:func:`helpers.labels.entity_spans`, any scheme) as ``(type, first_word, end_word, mean_score)``.

    >>> [e[:3] for e in group_entities(["S-PER", "O", "B-LOC", "E-LOC"], [1.0] * 4)]
    [('PER', 0, 1), ('LOC', 2, 4)]
    """
    return [(typ, s, e, sum(scores[s:e]) / (e - s)) for typ, s, e in entity_spans(tags)]


class Tagger:
    """Tag sentences with a token-classification model, in batches, without losing words to truncation.

    >>> tagger = Tagger.from_pretrained("runs/ner/model")  # doctest: +SKIP
    >>> tagger.tag_text("Angela Merkel visited Paris.")[0].entities  # doctest: +SKIP

    ``decoding="constrained"`` gives each sentence the best tag sequence its scheme allows (no ``I-X`` after
    ``O``, no BMES word without a start or an end) instead of each word's best tag: see helpers.decoding.
    """

    def __init__(
        self,
        model,
        tokenizer,
        *,
        batch_size: int = 32,
        max_length: int | None = None,
        stride: int = 32,
        precision: str = "auto",
        context_tokens: int | None = None,
        decoding: str = DEFAULT_DECODING,
        keep_log_probs: bool = False,
    ):
        require_fast_tokenizer(tokenizer)
        # what actually runs, on the model's device: "auto" is bf16 autocast where bf16 is native and fast
        self.precision = resolve_precision(precision, next(model.parameters()).device.type)
        self.model, self.tokenizer = model.eval(), tokenizer
        self.batch_size = batch_size
        limit = min(tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", 512), 512)
        self.max_length = min(max_length or limit, limit)
        self.budget = self.max_length - tokenizer.num_special_tokens_to_add()
        self.stride = min(stride, self.budget // 2)
        self.id2label = model.config.id2label
        # "constrained": each sentence's tags are the best valid sequence of its scheme (helpers.decoding)
        self.decoding = check_decoding(decoding)
        names = [self.id2label[i] for i in range(len(self.id2label))]
        self._rules = transitions(names) if decoding == "constrained" else None
        # each TaggedSentence also carries its words' log-probabilities: decode them another way without a second pass
        self.keep_log_probs = keep_log_probs
        # document context (helpers.context): what the model was trained with, unless told otherwise
        trained = getattr(model.config, "tokcls_context_tokens", 0) or 0
        self.context_tokens = trained if context_tokens is None else context_tokens

    @classmethod
    def from_pretrained(cls, path: str, *, device: str = "auto", **kwargs) -> Tagger:
        """Load a saved model folder (``model.safetensors`` + tokenizer) and wrap it; ``device="auto"`` puts it
        on the GPU when there is one. An export (helpers.serving: ONNX, int8) runs on the CPU, in fp32 inputs."""
        from .modeling import load_saved_model, load_tokenizer
        from .serving import export_format, load_exported

        if export_format(path):
            model, tokenizer = load_exported(path)
            return cls(model, tokenizer, **{"precision": "fp32", **kwargs})
        # the one loader of a saved model (safetensors, or .bin through the safe path; device choice)
        return cls(load_saved_model(path, device=device), load_tokenizer(path), **kwargs)

    def tag_words(
        self, sentences: Sequence[Sequence[str]], documents: Sequence | None = None
    ) -> list[TaggedSentence]:
        """One tag and score per word for each pre-split sentence (words the tokenizer drops get ``O``, 0.0).

        ``documents`` (one id per sentence) marks consecutive sentences of one document: with
        ``context_tokens > 0`` each sentence is then read with its neighbours as context (helpers.context).
        """
        import torch

        sentences = [list(s) for s in sentences]
        counts = subtoken_counts(self.tokenizer, sentences)
        context = [([], [])] * len(sentences)
        if documents is not None and self.context_tokens > 0:
            context = neighbours(sentences, counts, list(documents), self.context_tokens, self.budget)
        pieces = []  # (sentence, window index, window start, words with context, context words before, after)
        owners = []
        for i, (words, cnt) in enumerate(zip(sentences, counts)):
            windows = plan_windows(cnt, self.budget, self.stride)
            owners.append((windows, best_window(windows, len(words))))
            left, right = context[i] if len(windows) == 1 else ([], [])
            pieces += [
                (i, w, start, [*left, *words[start:end], *right], len(left), len(right))
                for w, (start, end) in enumerate(windows)
            ]
        # longest last, by subtokens (context words counted as one each): batches of alike lengths pad little
        size = [sum(counts[i][start : start + len(p) - a - b]) + a + b for i, _, start, p, a, b in pieces]
        order = sorted(range(len(pieces)), key=size.__getitem__)
        results = {}
        device = next(self.model.parameters()).device
        dtype = autocast_dtype(self.precision)
        autocast = torch.autocast(device.type, dtype=dtype, enabled=dtype is not None)
        with torch.inference_mode(), autocast:
            for b in range(0, len(order), self.batch_size):
                batch = [pieces[j] for j in order[b : b + self.batch_size]]
                enc = self.tokenizer(
                    [p[3] for p in batch], is_split_into_words=True, truncation=True,
                    max_length=self.max_length, padding=True, return_tensors="pt",
                )  # fmt: skip
                logits = self.model(**{k: v.to(device) for k, v in enc.items()}).logits
                probs = logits.float().softmax(-1).cpu()
                wanted = self._rules is not None or self.keep_log_probs
                log_probs = probs.clamp_min(1e-30).log().numpy() if wanted else None
                best_p, best_id = probs.max(-1)
                best_p, best_id = best_p.tolist(), best_id.tolist()  # Python lists: fast per-item access
                for row, (i, w, start, piece, before, after) in enumerate(batch):
                    prev, own = None, len(piece) - after
                    for pos, wid in enumerate(enc.word_ids(row)):
                        if wid is not None and wid != prev and before <= wid < own:
                            scored = (best_id[row][pos], best_p[row][pos])
                            if log_probs is not None:  # the whole distribution, for the Viterbi pass
                                scored += (log_probs[row, pos],)
                            results[(i, w, start + wid - before)] = scored
                        prev = wid
        out = []
        for i, words in enumerate(sentences):
            windows, best = owners[i]
            tags, scores = [], []
            found = [results.get((i, best[k], k)) for k in range(len(words))]
            kept = [None if hit is None else hit[2] for hit in found] if self.keep_log_probs else None
            if self._rules is not None:
                found = self._constrained(found)
            for hit in found:
                tags.append(self.id2label[hit[0]] if hit is not None else "O")
                scores.append(hit[1] if hit is not None else 0.0)
            ents = [
                Entity(t, s, e, join_words(words[s:e])[0], round(sc, 4))
                for t, s, e, sc in group_entities(tags, scores)
            ]
            out.append(TaggedSentence(words, tags, scores, ents, log_probs=kept))
        return out

    def _constrained(self, found: list) -> list:
        """Per-word ``(label id, probability, log-probabilities)`` replaced by the best valid sequence's ids.

        A word with no prediction (no subtoken) stays unpredicted (``O``, 0.0) and is read as ``O`` by the
        Viterbi pass, so the tags around it stay valid.
        """
        import numpy as np

        outside = next((i for i, t in self.id2label.items() if t == "O"), None)
        rows = []
        for hit in found:
            if hit is not None:
                rows.append(hit[2])
            else:
                row = np.full(len(self.id2label), -1e4 if outside is not None else 0.0)
                if outside is not None:
                    row[outside] = 0.0
                rows.append(row)
        if not rows:
            return found
        ids = viterbi(np.stack(rows), self._rules)
        return [None if hit is None else (k, float(np.exp(hit[2][k]))) for hit, k in zip(found, ids)]

    def tag_text(self, texts: str | Sequence[str]) -> list[TaggedSentence]:
        """Split raw texts into words, tag them, and give entities with character offsets into each text.

        Words come from :func:`helpers.spans.split_words`: Chinese/Japanese characters are one word each,
        Latin words and numbers stay whole; ``text[e.start:e.end] == e.text`` for every entity.
        """
        if isinstance(texts, str):
            texts = [texts]
        split = [split_words(t) for t in texts]
        tagged = self.tag_words([[w for w, _, _ in s] for s in split])
        for text, words, sent in zip(texts, split, tagged):
            sent.offsets = [(a, b) for _, a, b in words]
            sent.entities = [
                Entity(
                    e.type,
                    words[e.start][1],
                    words[e.end - 1][2],
                    text[words[e.start][1] : words[e.end - 1][2]],
                    e.score,
                )
                for e in sent.entities
            ]
        return tagged
