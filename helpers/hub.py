"""Network policy: when to try the Hugging Face Hub, and a fast reachability probe so nothing hangs."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from functools import lru_cache
from urllib.parse import urlparse

from .env import env_flag

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 3.0


OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


def _network_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError,)  # Hub, datasets and urllib errors, timeouts
    try:
        import httpx  # huggingface_hub's client: its transport errors are not OSErrors
    except ImportError:  # pragma: no cover - huggingface_hub depends on httpx
        return errors
    return (*errors, httpx.HTTPError)


#: what a failing download raises when the network or the Hub is not available (fall back on these only)
NETWORK_ERRORS = _network_errors()


def offline_variables_set() -> list[str]:
    """The offline switches (``HF_HUB_OFFLINE``, ``HF_DATASETS_OFFLINE``, ``TRANSFORMERS_OFFLINE``) that are on."""
    return [v for v in OFFLINE_VARIABLES if env_flag(v)]


def hub_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` (or ``HF_DATASETS_OFFLINE``/``TRANSFORMERS_OFFLINE``) forbids the network."""
    return bool(offline_variables_set())


def hub_endpoint() -> str:
    """The Hub (or mirror) address in use: ``HF_ENDPOINT`` or https://huggingface.co."""
    return os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")


@lru_cache(maxsize=8)
def _probe(endpoint: str, timeout: float) -> tuple[bool, str]:
    """One HTTP HEAD request: any HTTP answer (even 404) means the Hub or mirror is there."""
    parsed = urlparse(endpoint)
    if not parsed.hostname or parsed.scheme not in ("http", "https"):
        return False, f"HF_ENDPOINT {endpoint!r} is not an http(s) address"
    start = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(endpoint + "/", method="HEAD"), timeout=timeout):
            pass
    except urllib.error.HTTPError:
        pass  # the server answered
    except (OSError, ValueError) as exc:  # URLError, timeouts and refused connections are OSErrors
        reason = getattr(exc, "reason", exc)
        return False, f"cannot reach {parsed.hostname}:{parsed.port or parsed.scheme} ({reason})"
    return True, f"{parsed.hostname} answered in {time.monotonic() - start:.2f}s"


def hub_available(timeout: float = PROBE_TIMEOUT_S) -> tuple[bool, str]:
    """Whether to try the Hub now, and why. Never touches the network when offline mode is set.

    The endpoint is asked once per process (the answer is cached; ``hub_available.cache_clear()`` forgets it, e.g.
    after the network came back); each network step waits at most ``timeout`` s.
    """
    if hub_offline():
        return False, "HF_HUB_OFFLINE=1: the network is not used"
    return _probe(hub_endpoint(), timeout)


hub_available.cache_clear = _probe.cache_clear  # type: ignore[attr-defined]  # as on an lru_cache function
