"""Word-level metrics: span F1 with seqeval (conlleval mode) for NER/chunking, token accuracy for POS."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from seqeval.metrics import accuracy_score, classification_report

from .align import words_to_predictions
from .labels import is_iob_scheme

TRUNCATED = "<truncated>"  # prediction placeholder for a word the model never saw (flat tag sets)


def span_scores(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict:
    """Entity-level precision/recall/F1 per type and overall (micro), as conlleval computes them.

    >>> span_scores([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]])["overall_f1"]
    1.0
    """
    _check_lengths(y_true, y_pred)
    with warnings.catch_warnings():  # seqeval averages empty arrays when there are no entities at all
        warnings.simplefilter("ignore", RuntimeWarning)
        report = classification_report(
            [list(s) for s in y_true], [list(s) for s in y_pred], output_dict=True, zero_division=0
        )
    per_type = {
        name: {
            "precision": float(v["precision"]),
            "recall": float(v["recall"]),
            "f1": float(v["f1-score"]),
            "number": int(v["support"]),
        }
        for name, v in report.items()
        if not name.endswith(" avg")
    }
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
    return {
        "overall_precision": float(micro["precision"]),
        "overall_recall": float(micro["recall"]),
        "overall_f1": float(micro["f1-score"]),
        "overall_accuracy": float(accuracy_score([list(s) for s in y_true], [list(s) for s in y_pred])),
        "per_type": dict(sorted(per_type.items())),
    }


def tag_accuracy(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict:
    """Token accuracy, and precision/recall/F1/support per tag, for flat tag sets such as POS."""
    _check_lengths(y_true, y_pred)
    gold = [t for s in y_true for t in s]
    pred = [p for s in y_pred for p in s]
    correct = Counter(g for g, p in zip(gold, pred) if g == p)
    n_gold, n_pred = Counter(gold), Counter(pred)
    per_tag = {}
    for tag in sorted(n_gold):
        p = correct[tag] / n_pred[tag] if n_pred[tag] else 0.0
        r = correct[tag] / n_gold[tag]
        per_tag[tag] = {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "number": n_gold[tag],
        }
    return {"overall_accuracy": sum(correct.values()) / len(gold) if gold else 0.0, "per_tag": per_tag}


def word_metrics(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], label_names: Sequence[str]
) -> dict:
    """``span_scores`` for IOB label sets (NER, chunking), ``tag_accuracy`` for flat ones (POS)."""
    return span_scores(y_true, y_pred) if is_iob_scheme(label_names) else tag_accuracy(y_true, y_pred)


def score_word_ids(
    gold: Sequence[Sequence[int]], pred: Sequence[Sequence[int]], label_names: Sequence[str]
) -> dict:
    """Score word label ids; a prediction of -1 (word lost to truncation) counts as a miss, never dropped."""
    iob = is_iob_scheme(label_names)
    missing = "O" if iob else TRUNCATED
    y_true = [[label_names[g] for g in s] for s in gold]
    y_pred = [[label_names[p] if p >= 0 else missing for p in s] for s in pred]
    result = word_metrics(y_true, y_pred, label_names)
    result["truncated_words"] = sum(p < 0 for s in pred for p in s)
    result["words"] = sum(len(s) for s in gold)
    return result


def flatten_metrics(result: dict) -> dict[str, float]:
    """Flat ``{name: number}`` view for Trainer logs: ``overall_f1``, ``PER_f1``, ``PER_number``, ..."""
    flat = {k: v for k, v in result.items() if not isinstance(v, dict)}
    for group in ("per_type", "per_tag"):
        for name, scores in result.get(group, {}).items():
            for key, value in scores.items():
                flat[f"{name}_{key}"] = value
    return flat


def argmax_logits(logits, labels):
    """``preprocess_logits_for_metrics`` for Trainer: keep predicted ids only, not all logits."""
    if isinstance(logits, tuple):
        logits = logits[0]
    return logits.argmax(dim=-1)


def make_compute_metrics(
    eval_dataset, label_names: Sequence[str], label_column: str = "ner_tags", per_type: bool = True
) -> Callable:
    """A ``compute_metrics`` for Trainer that scores words, not subtokens.

    ``eval_dataset`` is the tokenized evaluation set (in Trainer's order) with ``word_ids`` and the gold word
    labels in ``label_column``; Trainer passes predictions in the same order.
    """
    gold = eval_dataset[label_column]
    word_ids = eval_dataset["word_ids"]

    def compute_metrics(eval_pred) -> dict[str, float]:
        preds = eval_pred.predictions
        if isinstance(preds, tuple):
            preds = preds[0]
        preds = np.asarray(preds)
        if preds.ndim == 3:
            preds = preds.argmax(-1)
        if len(preds) != len(gold):
            raise ValueError(f"{len(preds)} predictions for {len(gold)} evaluation sentences")
        pred_words = [words_to_predictions(p, w, len(g)) for p, w, g in zip(preds, word_ids, gold)]
        result = score_word_ids(gold, pred_words, label_names)
        if not per_type:
            result.pop("per_type", None)
            result.pop("per_tag", None)
        return flatten_metrics(result)

    return compute_metrics


def format_table(result: dict) -> str:
    """A readable table of per-type (or per-tag) scores and the overall line."""
    rows = result.get("per_type") or result.get("per_tag") or {}
    width = max([len(n) for n in rows] + [7])
    lines = [f"{'':<{width}}  precision  recall      f1  support"]
    for name, s in rows.items():
        lines.append(
            f"{name:<{width}}  {s['precision']:9.4f}  {s['recall']:6.4f}  {s['f1']:6.4f}  {s['number']:7d}"
        )
    if "overall_f1" in result:
        total = sum(s["number"] for s in rows.values())
        lines.append(
            f"{'overall':<{width}}  {result['overall_precision']:9.4f}  {result['overall_recall']:6.4f}  "
            f"{result['overall_f1']:6.4f}  {total:7d}"
        )
    lines.append(f"word accuracy: {result['overall_accuracy']:.4f}")
    if result.get("truncated_words"):
        lines.append(f"words lost to truncation (scored as misses): {result['truncated_words']}")
    return "\n".join(lines)


def _check_lengths(y_true, y_pred) -> None:
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} gold sentences but {len(y_pred)} predicted")
    for i, (t, p) in enumerate(zip(y_true, y_pred)):
        if len(t) != len(p):
            raise ValueError(f"sentence {i}: {len(t)} gold tags but {len(p)} predicted")


def metric_module_path() -> str:
    """Path of the project's ``evaluate`` metric module: ``evaluate.load(metric_module_path())`` works offline."""
    from pathlib import Path

    return str(Path(__file__).parent / "metric" / "tokcls_seqeval.py")
