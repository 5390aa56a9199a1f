"""Tested helpers for the token-classification course (NER, POS tagging, chunking with 🤗 Transformers).

The notebooks import everything from here; each name is documented where it is defined.
"""

from . import exercises as exercises  # the lessons' checked exercises: helpers.exercises.lesson(n)
from .align import align_labels, count_truncated_words, tokenize_and_align_labels, words_to_predictions
from .config import (
    BASE_RECIPE,
    CLASSIC_RECIPE,
    COURSE_RECIPE,
    Recipe,
    TrainConfig,
    recipe_for,
    with_overrides,
)
from .data import (
    data_source,
    label_names,
    load_conll2003,
    load_token_files,
    records_to_dataset,
    smoke_mode,
    smoke_subset,
    synthetic_conll,
)
from .errors import (
    DataFormatError,
    HubUnavailableError,
    LabelError,
    ModelConfigError,
    OutputDirError,
    TokClsError,
    TokenizerError,
)
from .evaluation import evaluate_split
from .inference import Entity, TaggedSentence, Tagger, split_words
from .labels import CHUNK_LABELS, NER_LABELS, POS_LABELS, b_to_i_map, iob1_to_iob2, iob2_to_iob1, task_column
from .metrics import (
    format_table,
    make_compute_metrics,
    metric_module_path,
    score_word_ids,
    span_scores,
    tag_accuracy,
)
from .modeling import DEFAULT_MODEL, load_model, load_tokenizer, resolve_checkpoint
from .runs import tokenize_dataset
from .training import build_trainer, build_training_args, train

__all__ = [
    "BASE_RECIPE",
    "CHUNK_LABELS",
    "CLASSIC_RECIPE",
    "COURSE_RECIPE",
    "DEFAULT_MODEL",
    "DataFormatError",
    "Entity",
    "HubUnavailableError",
    "LabelError",
    "ModelConfigError",
    "NER_LABELS",
    "OutputDirError",
    "POS_LABELS",
    "Recipe",
    "TaggedSentence",
    "Tagger",
    "TokClsError",
    "TokenizerError",
    "TrainConfig",
    "align_labels",
    "b_to_i_map",
    "build_trainer",
    "build_training_args",
    "recipe_for",
    "count_truncated_words",
    "data_source",
    "evaluate_split",
    "format_table",
    "iob1_to_iob2",
    "iob2_to_iob1",
    "label_names",
    "load_conll2003",
    "load_model",
    "load_token_files",
    "load_tokenizer",
    "make_compute_metrics",
    "metric_module_path",
    "records_to_dataset",
    "resolve_checkpoint",
    "score_word_ids",
    "smoke_mode",
    "smoke_subset",
    "span_scores",
    "split_words",
    "synthetic_conll",
    "tag_accuracy",
    "task_column",
    "tokenize_and_align_labels",
    "tokenize_dataset",
    "train",
    "with_overrides",
    "words_to_predictions",
]
