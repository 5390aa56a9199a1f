"""Word-level sequence labelling metric (seqeval, conlleval mode) as an offline-loadable `evaluate` module.

`evaluate` copies this file and the local module it imports (`span_metric.py`) into its cache, so neither
may import `helpers`; the computation itself is `span_metric.seqeval_report`, shared with `helpers.metrics`.
"""

import datasets
import evaluate

from .span_metric import seqeval_report

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
        return seqeval_report(references, predictions, zero_division=zero_division)
