"""Working with the Hugging Face Hub: where it is (mirror, offline), and sharing a trained model with a card.

Nothing here touches the network unless asked to: ``hub_status(probe=False)`` and ``write_model_card`` are
local, ``push_model`` checks its arguments and the offline switches before it connects.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import hub
from .env import env_flag
from .errors import HubUnavailableError
from .io import write_text_atomic

#: files of a training run that do not belong in a shared model repository
PUSH_IGNORE = ["checkpoint-*", "checkpoint-*/**", ".*", "runs/**", "*.tmp"]


def _imported_hub_settings() -> tuple[str, bool]:
    """Endpoint and offline flag that ``huggingface_hub`` read from the environment when it was imported."""
    from huggingface_hub import constants

    return constants.ENDPOINT.rstrip("/"), bool(constants.HF_HUB_OFFLINE)


def hub_status(probe: bool = True) -> dict:
    """Where Hub traffic goes and whether it can: endpoint (``HF_ENDPOINT`` mirror or not), offline mode,
    reachability (probed once, within seconds, only if ``probe`` and not offline), the course's
    ``TOKCLS_MODEL``/``TOKCLS_DATA_DIR``, and ``restart_needed`` when variables changed after import."""
    endpoint = hub.hub_endpoint()
    offline = hub.hub_offline()
    if offline:
        reachable, reason = None, "offline mode: the network is not used"
    elif probe:
        reachable, reason = hub.hub_available()
    else:
        reachable, reason = None, "not probed (probe=False)"
    imported_endpoint, imported_offline = _imported_hub_settings()
    env_offline = env_flag("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")  # as huggingface_hub reads them
    restart_needed = imported_endpoint != endpoint or imported_offline != env_offline
    if restart_needed:
        advice = (
            "HF_ENDPOINT or HF_HUB_OFFLINE changed after huggingface_hub was imported: restart the kernel "
            "(or set the variables before any import) so that every library sees the same settings"
        )
    elif offline:
        advice = (
            "offline: the model comes from TOKCLS_MODEL, the local cache or the bundled MiniLM; the data from "
            "TOKCLS_DATA_DIR or the synthetic corpus"
        )
    elif reachable is False:
        advice = "the Hub cannot be reached: set HF_ENDPOINT to a mirror, or HF_HUB_OFFLINE=1 to stop trying"
    else:
        advice = "models and datasets are downloaded from the endpoint when they are not in the cache"
    from huggingface_hub import constants

    return {
        "endpoint": endpoint,
        "mirror": endpoint != hub.DEFAULT_ENDPOINT,
        "offline": offline,
        "offline_variables": hub.offline_variables_set(),
        "reachable": reachable,
        "reason": reason,
        "tokcls_model": os.environ.get("TOKCLS_MODEL") or None,
        "tokcls_data_dir": os.environ.get("TOKCLS_DATA_DIR") or None,
        "cache_dir": str(constants.HF_HUB_CACHE),
        "restart_needed": restart_needed,
        "advice": advice,
    }


def check_repo_id(repo_id: str) -> str:
    """Return ``repo_id`` if it is a valid Hub model id (``"name"`` or ``"user/name"``), else raise ValueError."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    if not isinstance(repo_id, str) or not repo_id.strip():
        raise ValueError(f"repo_id must be a non-empty string like 'your-name/conll-ner', not {repo_id!r}")
    if repo_id.count("/") > 1:
        raise ValueError(f"repo_id {repo_id!r} has more than one '/': use 'your-name/model-name'")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise ValueError(f"repo_id {repo_id!r} is not a valid Hub repository id: {exc}") from None
    return repo_id


def check_model_dir(model_dir: str | os.PathLike) -> Path:
    """Return ``model_dir`` as a Path if it holds a saved model (``config.json`` and ``*.safetensors``)."""
    folder = Path(model_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"model folder {folder} does not exist (train and save a model first)")
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a saved model folder: it has no config.json")
    if not any(folder.glob("*.safetensors")):
        raise FileNotFoundError(f"{folder} has no *.safetensors weights (save with save_pretrained)")
    return folder


def push_model(
    model_dir: str | os.PathLike,
    repo_id: str,
    private: bool = True,
    *,
    commit_message: str = "Upload token-classification model",
    token: str | None = None,
) -> str:
    """Upload a saved model folder (weights, config, tokenizer, README.md card) to a Hub repository.

    Creates the repository if needed (private by default) and returns the commit URL. Raises
    ``HubUnavailableError`` without connecting when ``HF_HUB_OFFLINE`` is set or the endpoint is unreachable.
    """
    check_repo_id(repo_id)
    if not isinstance(private, bool):
        raise TypeError(f"private must be True or False, not {private!r}")
    folder = check_model_dir(model_dir)
    if hub.hub_offline():
        raise HubUnavailableError(
            "cannot push to the Hub: offline mode is on ("
            + ", ".join(hub.offline_variables_set())
            + "=1). Unset it and restart the kernel, then log in with `hf auth login`."
        )
    ok, why = hub.hub_available()
    if not ok:
        raise HubUnavailableError(f"cannot push to the Hub at {hub.hub_endpoint()}: {why}")
    from huggingface_hub import HfApi

    api = HfApi(endpoint=hub.hub_endpoint(), token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    info = api.upload_folder(
        repo_id=repo_id,
        folder_path=str(folder),
        repo_type="model",
        commit_message=commit_message,
        ignore_patterns=PUSH_IGNORE,
    )
    return str(getattr(info, "commit_url", info))


def _metric_lines(metrics: Mapping[str, float]) -> list[str]:
    return [f"| {name} | {value:.4f} |" for name, value in metrics.items()]


def write_model_card(
    model_dir: str | os.PathLike,
    *,
    base_model: str | None = None,
    datasets: Sequence[str] = (),
    language: str = "en",
    license: str = "apache-2.0",
    metrics: Mapping[str, float] | None = None,
    description: str = "",
) -> Path:
    """Write ``README.md`` (a ``huggingface_hub.ModelCard``: YAML metadata, labels, scores, usage) into a
    saved model folder.

    Labels come from the folder's ``config.json``; ``metrics`` (e.g. ``{"test overall_f1": 0.91}``) are
    listed as given, so say in ``description`` what data and split they come from.
    """
    from huggingface_hub import ModelCard, ModelCardData

    folder = Path(model_dir)
    config_path = folder / "config.json"
    if not config_path.is_file():
        raise FileNotFoundError(f"{folder} is not a saved model folder: it has no config.json")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    labels = [config["id2label"][k] for k in sorted(config.get("id2label", {}), key=int)]
    data = ModelCardData(
        base_model=base_model if base_model and not Path(base_model).exists() else None,
        datasets=list(datasets) or None,
        language=language,
        library_name="transformers",
        license=license,
        pipeline_tag="token-classification",
        tags=["token-classification"],
    )
    name = folder.resolve().parent.name if folder.name == "model" else folder.resolve().name
    lines = [f"# {name}", ""]
    if description:
        lines += [description, ""]
    if base_model:
        lines += [f"Fine-tuned from `{base_model}` for token classification.", ""]
    lines += ["## Labels", "", ", ".join(f"`{label}`" for label in labels), ""]
    if metrics:
        lines += ["## Evaluation", "", "| metric | value |", "|---|---|", *_metric_lines(metrics), ""]
    lines += [
        "## How to use",
        "",
        "```python",
        "from transformers import pipeline",
        "",
        'tagger = pipeline("token-classification", model="<repo_id>", aggregation_strategy="first")',
        'tagger("Text to tag.")',
        "```",
        "",
        "## Limitations",
        "",
        "Scores hold for data like the evaluation data only; check the model on your own texts before use.",
        "",
    ]
    card = ModelCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines))
    return write_text_atomic(folder / "README.md", str(card))
