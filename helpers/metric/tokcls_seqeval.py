"""Word-level sequence labelling metric (seqeval, conlleval mode) as an offline-loadable `evaluate` module.

Self-contained on purpose: `evaluate` copies this file into its cache and rewrites package imports, so it
cannot import `helpers`; tests check it against `helpers.metrics.span_scores` and seqeval directly.
"""

import datasets
import evaluate
from seqeval.metrics import accuracy_score, classification_report

_DESCRIPTION = """Entity-level precision, recall and F1 per type and overall (micro average), and token accuracy,
computed with seqeval in its default mode, which reproduces the conlleval script. Inputs are lists of IOB tag
strings, one list per sentence and one tag per word (not per subword)."""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of lists of predicted tags, one per word.
    references: list of lists of gold tags, one per word.
Returns:
    overall_precision, overall_recall, overall_f1, overall_accuracy, and for every entity type a dict with
    precision, recall, f1 and number (the gold support).
Example:
    >>> metric = evaluate.load("helpers/metric/tokcls_seqeval.py")
    >>> metric.compute(predictions=[["B-PER", "I-PER", "O"]], references=[["B-PER", "I-PER", "O"]])["overall_f1"]
    1.0
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class TokclsSeqeval(evaluate.Metric):
    """seqeval in conlleval mode, loadable without the network."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {
                    "predictions": datasets.Sequence(datasets.Value("string")),
                    "references": datasets.Sequence(datasets.Value("string")),
                }
            ),
        )

    def _compute(self, predictions, references, zero_division=0):
        report = classification_report(references, predictions, output_dict=True, zero_division=zero_division)
        result = {}
        for name, scores in report.items():
            if name.endswith(" avg"):
                continue
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
