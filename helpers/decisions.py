"""What a run decided from its checkpoint and its machine, kept where checks can read it.

The functions that decide (the recipe from the checkpoint's width, the precision and device of a run, the
processes of a launch, the embedding learning rate of new vocabulary rows) print their decision and call
:func:`record`, which appends it as one JSON line to the file named by ``TOKCLS_DECISIONS_LOG`` when that is
set (main process only). The rehearsal of the online path (``make rehearse-smoke``) reads that file.
"""

from __future__ import annotations

import json
import os

from .precision import is_main_process

DECISIONS_LOG = "TOKCLS_DECISIONS_LOG"


def record(kind: str, **fields) -> dict:
    """Append ``{"kind": kind, **fields}`` to ``$TOKCLS_DECISIONS_LOG`` (if set, main process only); return it."""
    entry = {"kind": kind, **fields}
    path = os.environ.get(DECISIONS_LOG)
    if path and is_main_process():
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return entry


def read(path: str | os.PathLike) -> list[dict]:
    """The decisions recorded in ``path``, oldest first (an absent file holds none)."""
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []
