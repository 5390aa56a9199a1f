"""The span metric itself: seqeval in its default (conlleval) mode, entity scores per type and overall.

The one implementation behind ``helpers.metrics.span_scores`` and the ``evaluate`` module beside it, which
``evaluate`` copies into its cache together with this file. So: standard library and seqeval only.
"""

import warnings

from seqeval.metrics import accuracy_score, classification_report


def seqeval_report(references, predictions, zero_division=0) -> dict:
    """``{type: {precision, recall, f1, number}, overall_precision, overall_recall, overall_f1, overall_accuracy}``.

    ``references`` and ``predictions`` are lists of IOB tag lists, one tag per word.
    """
    references = [list(s) for s in references]
    predictions = [list(s) for s in predictions]
    with warnings.catch_warnings():  # seqeval averages empty arrays when there are no entities at all
        warnings.simplefilter("ignore", RuntimeWarning)
        report = classification_report(references, predictions, output_dict=True, zero_division=zero_division)
    result = {}
    for name, scores in sorted(report.items()):
        if not name.endswith(" avg"):
            result[name] = {
                "precision": float(scores["precision"]),
                "recall": float(scores["recall"]),
                "f1": float(scores["f1-score"]),
                "number": int(scores["support"]),
            }
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    result["overall_precision"] = float(micro["precision"])
    result["overall_recall"] = float(micro["recall"])
    result["overall_f1"] = float(micro["f1-score"])
    result["overall_accuracy"] = float(accuracy_score(references, predictions))
    return result
