"""Word-level metrics: span F1 with seqeval (conlleval mode) for NER/chunking, token accuracy for POS."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import classification_report

from .align import IGNORE_INDEX
from .labels import bioes_names, is_iob_scheme
from .metric.span_metric import seqeval_report

TRUNCATED = "<truncated>"  # prediction placeholder for a word the model never saw (flat tag sets)


def span_scores(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict:
    """Entity-level precision/recall/F1 per type and overall (micro), as conlleval computes them.

    >>> span_scores([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]])["overall_f1"]
    1.0
    """
    _check_lengths(y_true, y_pred)
    # BMES/BILOU tags as BIOES, which seqeval reads (it would take M-X for no tag at all)
    report = seqeval_report([bioes_names(s) for s in y_true], [bioes_names(s) for s in y_pred])
    overall = {k: v for k, v in report.items() if k.startswith("overall_")}
    return {**overall, "per_type": {k: v for k, v in report.items() if not k.startswith("overall_")}}


def tag_accuracy(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict:
    """Token accuracy, and precision/recall/F1/support per gold tag, for flat tag sets such as POS."""
    _check_lengths(y_true, y_pred)
    gold = [t for s in y_true for t in s]
    pred = [p for s in y_pred for p in s]
    tags = sorted(set(gold))
    report = classification_report(gold, pred, labels=tags, output_dict=True, zero_division=0) if tags else {}
    per_tag = {
        tag: {
            "precision": float(report[tag]["precision"]),
            "recall": float(report[tag]["recall"]),
            "f1": float(report[tag]["f1-score"]),
            "number": int(report[tag]["support"]),
        }
        for tag in tags
    }
    correct = sum(g == p for g, p in zip(gold, pred))
    return {"overall_accuracy": correct / len(gold) if gold else 0.0, "per_tag": per_tag}


def word_metrics(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], label_names: Sequence[str]
) -> dict:
    """``span_scores`` for IOB label sets (NER, chunking), ``tag_accuracy`` for flat ones (POS)."""
    return span_scores(y_true, y_pred) if is_iob_scheme(label_names) else tag_accuracy(y_true, y_pred)


def score_word_ids(
    gold: Sequence[Sequence[int]], pred: Sequence[Sequence[int]], label_names: Sequence[str]
) -> dict:
    """Score word label ids; a prediction of -1 (a word that could not be scored) counts as a miss."""
    missing = "O" if is_iob_scheme(label_names) else TRUNCATED
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


def predicted_ids(predictions) -> np.ndarray:
    """Predicted label ids from what a model or Trainer returns: logits or ids, alone or first in a tuple."""
    if isinstance(predictions, tuple):
        predictions = predictions[0]
    if hasattr(predictions, "logits"):
        predictions = predictions.logits
    if hasattr(predictions, "detach"):  # a torch tensor: argmax where it lives, keep only the ids
        return (predictions.argmax(-1) if predictions.ndim == 3 else predictions).detach().cpu().numpy()
    predictions = np.asarray(predictions)
    return predictions.argmax(-1) if predictions.ndim == 3 else predictions


def make_compute_metrics(label_names: Sequence[str], per_type: bool = True) -> Callable:
    """A ``compute_metrics`` for Trainer that scores words, not subtokens, on any split, in any order.

    Each row's words are the positions its ``labels`` mark (not -100): ``tokenize_dataset`` labels only the
    first subtoken of every word in evaluation splits, so a row scores itself and Trainer's order (with
    ``group_by_length`` it sorts evaluation batches too) does not matter. Words beyond the model's limit are
    not in the row; ``evaluation.evaluate_split`` windows long sentences and scores every word.
    """

    def compute_metrics(eval_pred) -> dict[str, float]:
        preds = predicted_ids(eval_pred.predictions)
        labels = np.asarray(eval_pred.label_ids)
        if preds.shape != labels.shape:
            raise ValueError(f"predictions of shape {preds.shape} for labels of shape {labels.shape}")
        keep = labels != IGNORE_INDEX
        gold = [row[mask].tolist() for row, mask in zip(labels, keep)]
        pred = [row[mask].tolist() for row, mask in zip(preds, keep)]
        result = score_word_ids(gold, pred, label_names)
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
        lines.append(f"words lost to truncation or without a subtoken (misses): {result['truncated_words']}")
    return "\n".join(lines)


def _check_lengths(y_true, y_pred) -> None:
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} gold sentences but {len(y_pred)} predicted")
    for i, (t, p) in enumerate(zip(y_true, y_pred)):
        if len(t) != len(p):
            raise ValueError(f"sentence {i}: {len(t)} gold tags but {len(p)} predicted")


def metric_module_path() -> str:
    """Path of the project's ``evaluate`` metric module: ``evaluate.load(metric_module_path())`` works offline."""
    return str(Path(__file__).parent / "metric" / "tokcls_seqeval.py")
