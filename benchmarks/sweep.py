"""Recipe search: train candidate recipes and record validation F1 against steps and training time.

``python -m benchmarks.sweep [--max-steps N]`` appends to ``benchmarks/results/sweep.json``. The course
default (``helpers.config.COURSE_RECIPE``) was chosen from these curves.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict

from helpers.config import COURSE_RECIPE
from helpers.modeling import resolve_checkpoint

from .common import RESULTS, machine, run_child

CANDIDATES: dict[str, dict] = {
    "lr1e-4": dict(learning_rate=1e-4),
    "lr2e-4": dict(learning_rate=2e-4),
    "lr4e-4": dict(learning_rate=4e-4),
    "lr2e-4_bs32": dict(learning_rate=2e-4, batch_size=32),
    "lr3e-4_bs32": dict(learning_rate=3e-4, batch_size=32),
    "lr4e-4_bs32": dict(learning_rate=4e-4, batch_size=32),
    "lr2e-4_random": dict(learning_rate=2e-4, group_by_length=False),
    "lr2e-4_alltokens": dict(learning_rate=2e-4, label_all_tokens=True),
    "lr2e-4_fp32": dict(learning_rate=2e-4, precision="fp32"),
}
BASE = dict(
    epochs=2.0, batch_size=16, eval_batch_size=64, weight_decay=0.01, warmup_ratio=0.1, group_by_length=True
)
# round 2: levers on top of the course recipe (F1 effects; their step times: benchmarks.steps)
LEVERS = {
    "course": {},
    "course_ctx16": dict(context_tokens=16),
    "course_ctx32": dict(context_tokens=32),
    "course_ctx64": dict(context_tokens=64),
    "course_frozen": dict(freeze_embeddings=True),
    "course_smooth0.1": dict(label_smoothing=0.1),
    "course_3ep": dict(epochs=3.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="candidates to run (default: all of round 1)")
    parser.add_argument("--max-steps", type=int)
    parser.add_argument("--epochs", type=float, default=BASE["epochs"])
    parser.add_argument("--max-train-samples", type=int, help="sweep on the first N training sentences")
    parser.add_argument("--max-eval-samples", type=int)
    parser.add_argument("--eval-every", type=float, default=0.25, help="evaluate every this many epochs")
    args = parser.parse_args()
    out = RESULTS / "sweep.json"
    done = json.loads(out.read_text()) if out.exists() else {"machine": machine(), "runs": {}}
    checkpoint = resolve_checkpoint()
    for name in args.names or [n for n in CANDIDATES if n not in LEVERS]:
        if name in LEVERS:
            recipe = dict(asdict(COURSE_RECIPE), **LEVERS[name])
            recipe["epochs"] = LEVERS[name].get("epochs", args.epochs)
        else:
            recipe = dict(BASE, epochs=args.epochs, **CANDIDATES[name])
        result = run_child(
            {
                "name": name,
                "recipe": recipe,
                "checkpoint": checkpoint,
                "data_dir": os.environ.get("TOKCLS_DATA_DIR"),
                "eval_every_epochs": args.eval_every,
                "max_steps": args.max_steps,
                "max_train_samples": args.max_train_samples,
                "max_eval_samples": args.max_eval_samples,
            }
        )
        subset = f"_n{args.max_train_samples}" if args.max_train_samples else ""
        done["runs"][f"{name}_ep{args.epochs:g}{subset}"] = result
        RESULTS.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(done, indent=1) + "\n")


CANDIDATES.update(LEVERS)

if __name__ == "__main__":
    main()
