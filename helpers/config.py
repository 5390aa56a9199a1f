"""What a training run is told: the recipe (hyper-parameters), the one rule that completes it from the
checkpoint (:func:`recipe_for`), and ``TrainConfig``. Used alike by ``helpers.train`` (Trainer),
``helpers.loop.train_loop`` (Accelerate), the command line and the lessons.

The rule: a recipe field left at ``None`` (the learning rate and the epochs of ``COURSE_RECIPE``) is decided
by the checkpoint's hidden size, every field given a value is used as given. So ``COURSE_RECIPE`` trains the
384-wide offline MiniLM at its measured 3e-4 and a 768-wide DistilBERT at 5e-5, and
``with_overrides(COURSE_RECIPE, batch_size=8)`` changes the batch size and nothing else on either.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, replace

from .decisions import record
from .decoding import DECODINGS, DEFAULT_DECODING
from .labels import TASK_COLUMNS, task_column
from .options import option

BASE_WIDTH = 768
#: the fields the checkpoint's width decides when a recipe leaves them at None
SIZE_FIELDS = ("learning_rate", "epochs")
# measured on the 384-wide offline encoder (benchmarks/: python -m benchmarks.recipes)
SMALL_VALUES = {"learning_rate": 3e-4, "epochs": 2.0}
# base-size encoders (distilbert-base, bert-base: hidden size 768), where the course values were never measured:
# the top of the BERT paper's fine-tuning range (learning rate 5e-5 of {2,3,5}e-5, 3 epochs of {2,3,4})
BASE_VALUES = {"learning_rate": 5e-5, "epochs": 3.0}


@dataclass(frozen=True)
class Recipe:
    """Hyper-parameters of a fine-tuning run. ``COURSE_RECIPE`` is the measured default (its learning rate and
    epochs follow the checkpoint's width: :func:`recipe_for`), ``CLASSIC_RECIPE`` the classic notebook's."""

    # each field is a command-line option too: helpers/cli.py builds them from these (helpers.options)
    learning_rate: float | None = option(None, "peak learning rate (None: by the checkpoint's width)")
    epochs: float | None = option(None, "number of epochs (None: by the checkpoint's width)")
    batch_size: int = option(32, "training batch size per device")
    eval_batch_size: int = option(64, "evaluation batch size per device")
    weight_decay: float = option(0.01, "AdamW weight decay")
    warmup_ratio: float = option(0.1, "share of the steps with a rising learning rate")
    label_all_tokens: bool = option(False, "label continuation subtokens too (B-X → I-X)")
    group_by_length: bool = option(True, "batch sentences of similar length together")
    lr_scheduler: str = option("linear", "learning-rate schedule (transformers' names)")
    max_length: int | None = option(None, "truncate inputs to N subtokens (None: the model's limit)")
    # a lever measured in benchmarks/ (python -m benchmarks.sweep): see benchmarks/results/
    context_tokens: int = option(0, "subtokens of document context on each side of a sentence (0: none)")
    # "auto": see helpers.precision (bf16 where native and fast, fp16 on other GPUs)
    precision: str = option("auto", "compute precision", choices=("auto", "fp32", "bf16", "fp16"))


COURSE_RECIPE = Recipe()
BASE_RECIPE = Recipe(**BASE_VALUES)
CLASSIC_RECIPE = Recipe(
    learning_rate=2e-5,
    epochs=3.0,
    batch_size=16,
    eval_batch_size=16,
    weight_decay=0.01,
    warmup_ratio=0.0,
    label_all_tokens=True,
    group_by_length=False,
    precision="fp32",
)


def hidden_size(model) -> int:
    """Hidden size of a model, its config, or a checkpoint id/folder (read from its ``config.json``); 0 if unknown."""
    config = getattr(model, "config", model)
    if isinstance(model, (str, os.PathLike)):
        from .modeling import load_config

        config = load_config(str(model))
    for name in ("hidden_size", "dim", "d_model"):
        width = getattr(config, name, None)
        if isinstance(width, int):
            return width
    return 0


def recipe_for(recipe: Recipe, model, *, verbose: bool = True) -> Recipe:
    """The recipe a run uses on ``model`` (a model, its config, or a checkpoint id/folder): the fields of ``recipe``
    that are None are decided by the width, base-size values (5e-5, 3 epochs) from ``BASE_WIDTH`` on, else the
    values measured on a 384-wide encoder (3e-4, 2 epochs); every other field is kept as given. Prints what
    it decided.

    >>> from types import SimpleNamespace
    >>> recipe_for(with_overrides(COURSE_RECIPE, batch_size=8), SimpleNamespace(hidden_size=768),
    ...            verbose=False).learning_rate
    5e-05
    """
    width = hidden_size(model)
    size = "base" if width >= BASE_WIDTH else "small"
    values = BASE_VALUES if size == "base" else SMALL_VALUES
    decided = {name: values[name] for name in SIZE_FIELDS if getattr(recipe, name) is None}
    used = replace(recipe, **decided)
    if verbose and decided:
        chosen = ", ".join(f"{k} {v:g}" for k, v in decided.items())
        why = (
            f"base-size values for a {width}-wide encoder; the course values were measured on a 384-wide one"
            if size == "base"
            else f"the values measured on a 384-wide encoder; this one is {width or 'of unknown'} wide"
        )
        print(f"Recipe: {chosen} ({why}); the other fields as given")
    record("recipe", hidden_size=width, size=size, decided=decided, recipe=asdict(used))
    return used


def recipe_line(recipe: Recipe) -> str:
    """The recipe a run uses, in one printed line: ``Recipe used: learning_rate 5e-05, epochs 3, ...``."""
    return "Recipe used: " + ", ".join(
        f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in asdict(recipe).items()
    )


def recipe_decisions(given: Recipe, used: Recipe, model) -> dict:
    """What ``metrics.json`` says about the recipe rule: the width, and which fields it decided (with their values)."""
    width = hidden_size(model)
    decided = {n: getattr(used, n) for n in SIZE_FIELDS if getattr(given, n) is None}
    return {"hidden_size": width, "size": "base" if width >= BASE_WIDTH else "small", "decided": decided}


def require_complete(recipe: Recipe) -> Recipe:
    """``recipe`` itself if every field has a value; else a ValueError saying to decide it from the checkpoint."""
    missing = [name for name in SIZE_FIELDS if getattr(recipe, name) is None]
    if missing:
        raise ValueError(
            f"the recipe leaves {', '.join(missing)} to the checkpoint: decide them first with "
            "recipe = helpers.recipe_for(recipe, model)  (a model, its config, or the checkpoint)"
        )
    return recipe


def with_overrides(recipe: Recipe, **changes) -> Recipe:
    """A copy of ``recipe`` with some fields changed (``None`` values are ignored); ``recipe`` itself if none is."""
    changes = {k: v for k, v in changes.items() if v is not None}
    return replace(recipe, **changes) if changes else recipe


def recipe_as_run(recipe: Recipe, epochs: float | None = None) -> Recipe:
    """``recipe`` with the epochs a run trains for: ``epochs`` if given, else ``TOKCLS_EPOCHS``, else its own
    (what ``Recipe used:`` prints and ``metrics.json`` records)."""
    return with_overrides(recipe, epochs=epochs if epochs is not None else env_epochs(recipe.epochs))


def env_epochs(default: float) -> float:
    """``TOKCLS_EPOCHS`` if set (a positive number, e.g. ``1`` for a shorter full run), else ``default``."""
    raw = os.environ.get("TOKCLS_EPOCHS", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"TOKCLS_EPOCHS must be a positive number of epochs, not {raw!r}")
    return value


@dataclass
class TrainConfig:
    """Everything one run needs; unset fields are resolved (data, model, recipe) when the run starts."""

    # each field is a command-line option too: helpers/cli.py builds them from these (helpers.options)
    task: str = option(
        "ner",
        "which tag column to learn (cws, cws_pos: Chinese word segmentation, + POS)",
        choices=tuple(TASK_COLUMNS),
    )
    data_dir: str | None = option(None, "folder of CoNLL files (None: TOKCLS_DATA_DIR, the Hub, synthetic)")
    model: str | None = option(None, "checkpoint id or folder (None: TOKCLS_MODEL, the language's default)")
    language: str = option("auto", "language of the data: picks the checkpoint", choices=("auto", "en", "zh"))
    output_dir: str | None = option(None, "folder for the model and metrics.json (None: runs/<task>)")
    recipe: Recipe = field(default_factory=lambda: COURSE_RECIPE)
    epochs: float | None = option(None, "number of epochs (None: TOKCLS_EPOCHS, else the recipe's)")
    max_train_samples: int | None = option(None, "train on the first N sentences only")
    max_eval_samples: int | None = option(None, "evaluate on the first N sentences of each split only")
    seed: int = option(42, "random seed (head initialisation, shuffling, hold-out split)")
    eval_steps: int | None = option(None, "evaluate and checkpoint every N steps instead of every epoch")
    max_steps: int | None = option(None, "stop after N optimizer steps")
    overwrite: bool = option(False, "replace an existing output folder")
    resume: bool = option(False, "continue from the last checkpoint in the output folder")
    reinit_head: bool = option(False, "replace a classification head of another size")
    decoding: str = option(
        DEFAULT_DECODING,
        "tags from scores: argmax per word, or constrained (valid spans only)",
        choices=DECODINGS,
    )
    # False: only the final model is saved (no optimizer snapshots, ~3x the model's size each; no resume)
    save_checkpoints: bool = option(
        True, "save the final model only, no checkpoints (less disk; no --resume)", flag="--no-checkpoints"
    )
    # more TrainingArguments, e.g. {"logging_steps": 10}; they win over the recipe's
    training_args: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.output_dir is None:
            self.output_dir = f"runs/{self.task}"

    @property
    def label_column(self) -> str:
        return task_column(self.task)
