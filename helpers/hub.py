"""Network policy: when to try the Hugging Face Hub, and a fast reachability probe so nothing hangs."""

from __future__ import annotations

import os
import socket
import time
from functools import lru_cache
from urllib.parse import urlparse

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 3.0


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def hub_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` (or ``HF_DATASETS_OFFLINE``/``TRANSFORMERS_OFFLINE``) forbids the network."""
    return any(
        _truthy(os.environ.get(v)) for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def hub_endpoint() -> str:
    """The Hub (or mirror) address in use: ``HF_ENDPOINT`` or https://huggingface.co."""
    return os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")


@lru_cache(maxsize=8)
def _probe(endpoint: str, timeout: float) -> tuple[bool, str]:
    parsed = urlparse(endpoint)
    host = parsed.hostname
    if not host:
        return False, f"HF_ENDPOINT {endpoint!r} has no host"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True, f"reached {host}:{port} in {time.monotonic() - start:.2f}s"
    except OSError as exc:
        return False, f"cannot reach {host}:{port} ({exc.__class__.__name__}: {exc})"


def hub_available(timeout: float = PROBE_TIMEOUT_S) -> tuple[bool, str]:
    """Whether to try the Hub now, and why. Never touches the network when offline mode is set.

    A TCP connection to the endpoint is attempted once per process (cached), within ``timeout`` seconds.
    """
    if hub_offline():
        return False, "HF_HUB_OFFLINE=1: the network is not used"
    return _probe(hub_endpoint(), timeout)


def reset_probe_cache() -> None:
    """Forget earlier reachability results (for tests, or after the network came back)."""
    _probe.cache_clear()
