"""Tests of helpers.hub: offline mode and the fast, cached reachability probe (no outside network used)."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

from helpers import hub
from helpers.hub import hub_available, hub_endpoint, hub_offline

OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    """No offline variable, no endpoint and an empty probe cache, before and after each test."""
    for name in (*OFFLINE_VARIABLES, "HF_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    hub_available.cache_clear()
    yield
    hub_available.cache_clear()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refuse_connections(monkeypatch) -> list:
    """Replace socket.create_connection by a fake that records its calls and refuses them."""
    calls = []

    def fake(address, timeout=None, *args, **kwargs):
        calls.append(address)
        raise ConnectionRefusedError("refused by the test")

    monkeypatch.setattr(socket, "create_connection", fake)
    return calls


@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_hub_offline_reads_hf_hub_offline(monkeypatch, value):
    monkeypatch.setenv("HF_HUB_OFFLINE", value)
    assert hub_offline()


@pytest.mark.parametrize("value", ["0", "false", ""])
def test_hub_offline_false_values_mean_online(monkeypatch, value):
    monkeypatch.setenv("HF_HUB_OFFLINE", value)
    assert not hub_offline()


def test_hub_is_online_without_offline_variables():
    assert not hub_offline()


@pytest.mark.parametrize("name", ["HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"])
def test_other_offline_variables_also_mean_offline(monkeypatch, name):
    monkeypatch.setenv(name, "1")
    assert hub_offline()


def test_hub_available_offline_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("hub_available opened a connection with HF_HUB_OFFLINE=1")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ok, why = hub_available()
    assert not ok
    assert "HF_HUB_OFFLINE" in why


def test_closed_local_endpoint_is_unavailable_quickly_with_a_reason(monkeypatch):
    port = closed_port()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    start = time.monotonic()
    ok, why = hub_available()
    assert time.monotonic() - start < 5
    assert not ok
    assert f"127.0.0.1:{port}" in why


def test_answering_local_endpoint_is_available(monkeypatch):
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):  # any HTTP answer, even 404, means a server is there
            self.send_response(404)
            self.end_headers()

        do_GET = do_HEAD

        def log_message(self, *args):
            pass

    with http.server.HTTPServer(("127.0.0.1", 0), NotFound) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}/")
            ok, why = hub_available()
        finally:
            server.shutdown()
            thread.join()
    assert ok, why


def test_probe_result_is_cached(monkeypatch):
    calls = refuse_connections(monkeypatch)
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.example:8080")
    assert hub_available() == hub_available()
    assert calls == [("mirror.example", 8080)]


def test_a_cleared_probe_cache_probes_again(monkeypatch):
    calls = refuse_connections(monkeypatch)
    hub_available()
    hub_available.cache_clear()
    hub_available()
    assert len(calls) == 2


def test_probe_uses_the_scheme_default_port(monkeypatch):
    calls = refuse_connections(monkeypatch)
    hub_available()
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.example")
    hub_available()
    assert calls == [("huggingface.co", 443), ("mirror.example", 80)]


def test_endpoint_without_host_is_unavailable(monkeypatch):
    calls = refuse_connections(monkeypatch)
    monkeypatch.setenv("HF_ENDPOINT", "not-a-url")
    ok, why = hub_available()
    assert not ok and "'not-a-url'" in why
    assert calls == []


def test_hub_endpoint_defaults_to_huggingface_and_drops_trailing_slash(monkeypatch):
    assert hub_endpoint() == hub.DEFAULT_ENDPOINT == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.com/")
    assert hub_endpoint() == "https://hf-mirror.com"


@pytest.mark.parametrize(("value", "on"), [("1", True), (" TRUE ", True), ("yes", True), ("On", True),
                                           ("0", False), ("false", False), ("", False), ("2", False)])  # fmt: skip
def test_every_boolean_environment_variable_is_parsed_one_way(monkeypatch, value, on):
    from helpers.data import smoke_mode
    from helpers.env import env_flag
    from helpers.exercises import STRICT_ENV, strict

    for name in ("TOKCLS_SMOKE", STRICT_ENV, "HF_HUB_OFFLINE"):
        monkeypatch.setenv(name, value)
    hub.hub_available.cache_clear()
    assert (env_flag("TOKCLS_SMOKE"), smoke_mode(), strict(), hub.hub_offline()) == (on, on, on, on)


def test_no_module_parses_a_boolean_environment_variable_by_hand():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    by_hand = re.compile(r"""in [{(\[]\s*["']1["'],\s*["']true["']""", re.I)  # `in {"1", "true", ...}`
    found = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("helpers", "benchmarks", "notebooks", "tests")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "env.py" and path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert not found, f"parse flags with helpers.env.env_flag: {found}"
