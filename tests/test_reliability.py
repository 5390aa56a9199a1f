"""Reliability guarantees: no hang without network, no network when offline, inputs never written to."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_python(code: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _clean_env(**extra) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TOKCLS_", "TRANSFORMERS_OFFLINE"))
    }
    env.update(extra)
    return env


RESOLVE = """
    import time
    t = time.monotonic()
    from helpers.hub import hub_available
    from helpers.data import load_conll2003, data_source
    from helpers.modeling import resolve_checkpoint
    t = time.monotonic()
    ds = load_conll2003()
    ckpt = resolve_checkpoint()
    print("SOURCE", data_source(ds))
    print("CKPT", ckpt)
    print("SECONDS", round(time.monotonic() - t, 2))
"""


def test_unreachable_hub_falls_back_within_ten_seconds(offline_model_path):
    env = _clean_env(HF_ENDPOINT=f"http://127.0.0.1:{_closed_port()}")
    start = time.monotonic()
    proc = _run_python(RESOLVE, env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seconds = float(proc.stdout.split("SECONDS")[1].split()[0])
    assert seconds < 10, proc.stdout
    assert "synthetic" in proc.stdout and "cannot reach 127.0.0.1" in proc.stdout
    assert "CKPT " + offline_model_path in proc.stdout
    assert time.monotonic() - start < 60


def test_silent_hub_does_not_hang(offline_model_path):
    """A mirror that accepts connections but never answers is given up on after the probe's timeout."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_and_stay_silent():
        server.settimeout(0.5)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_stay_silent, daemon=True)
    thread.start()
    try:
        env = _clean_env(HF_ENDPOINT=f"http://127.0.0.1:{server.getsockname()[1]}")
        proc = _run_python(RESOLVE, env)
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        server.close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "synthetic" in proc.stdout
    assert float(proc.stdout.split("SECONDS")[1].split()[0]) < 10


NO_SOCKETS = """
import socket
def refuse(*a, **k):
    raise AssertionError("network touched in offline mode")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


def test_offline_mode_never_touches_the_network(offline_model_path):
    code = NO_SOCKETS + textwrap.dedent(
        """
        from helpers.data import load_conll2003, data_source
        from helpers.modeling import resolve_checkpoint, load_model, load_tokenizer
        ds = load_conll2003(verbose=False)
        ckpt = resolve_checkpoint(verbose=False)
        load_tokenizer(ckpt)
        load_model(ckpt, ["O", "B-PER", "I-PER"])
        print("OK", data_source(ds))
        """
    )
    proc = _run_python(code, _clean_env(HF_HUB_OFFLINE="1", HF_ENDPOINT=f"http://127.0.0.1:{_closed_port()}"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "OK synthetic" in proc.stdout


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_inputs_are_only_read_never_written(tmp_path, tiny_checkpoint):
    from helpers import TrainConfig, train
    from helpers.data import synthetic_conll
    from helpers.readers import write_conll
    from helpers.training import Recipe

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    corpus = synthetic_conll(seed=5, sizes={"train": 32, "validation": 8, "test": 8})
    for split, ds in corpus.items():
        names = {c: ds.features[c].feature.names for c in ("pos_tags", "chunk_tags", "ner_tags")}
        records = [{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in names}} for r in ds]
        write_conll(records, data_dir / f"{split}.txt")
    before = {"data": _tree_digest(data_dir), "model": _tree_digest(Path(tiny_checkpoint))}
    recipe = Recipe(learning_rate=1e-3, epochs=1, batch_size=8, eval_batch_size=8, warmup_ratio=0.0)
    cfg = TrainConfig(
        data_dir=str(data_dir),
        model=tiny_checkpoint,
        output_dir=str(tmp_path / "out"),
        recipe=recipe,
        max_steps=2,
    )
    train(cfg)
    assert {"data": _tree_digest(data_dir), "model": _tree_digest(Path(tiny_checkpoint))} == before


def test_no_remote_code_and_pickles_only_through_weights_only():
    """Safetensors first; a .bin only through torch.load(weights_only=True) (tests/test_modeling.py)."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "helpers").rglob("*.py"))
    assert "trust_remote_code=True" not in sources and "weights_only=False" not in sources
