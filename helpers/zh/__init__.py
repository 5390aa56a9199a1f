"""The Chinese leaf of the package: Chinese corpora, the Chinese tag set, checkpoints that know 字.

Nothing generic imports this package; the CLI (``--language zh``) and the Chinese lessons call it.
Inside it, corpus readers (:mod:`.msra`, :mod:`.peoples_daily`) and the generator (:mod:`.synthetic`)
depend only on :mod:`.labels` and generic modules; :mod:`.ner` chooses among them; :mod:`.vocab` makes a
checkpoint know 字; :mod:`.examples` reads the hand-written sentences shipped in ``data/``.

    >>> from helpers import zh
    >>> ds = zh.load_chinese_ner()  # prints which of its five sources it used
"""

from .examples import example_annotations, example_records, write_example_export
from .labels import ZH_LABELS, ZH_NER_LABELS
from .ner import HUB_DATASET_ZH, load_chinese_folder, load_chinese_ner, synthetic_chinese
from .vocab import extend_vocabulary, faster_embeddings, missing_characters, prepare_checkpoint

__all__ = [
    "HUB_DATASET_ZH",
    "ZH_LABELS",
    "ZH_NER_LABELS",
    "example_annotations",
    "example_records",
    "extend_vocabulary",
    "faster_embeddings",
    "load_chinese_folder",
    "load_chinese_ner",
    "missing_characters",
    "prepare_checkpoint",
    "synthetic_chinese",
    "write_example_export",
]
