"""Lesson 8 says that ``helpers.loop.train_loop`` is its sections 1 to 7 packed into one call; the lesson no
longer retrains to show it. This test runs the lesson's own code cells (read from its source, up to the
cell that saves the model) and then ``train_loop`` with the lesson's configuration, on a tiny model, and
compares the two trained models weight by weight."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow

LESSON = REPO / "notebooks" / "src" / "08_training_loop.py"

DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import torch
    from safetensors.torch import load_file

    lesson, out = Path(sys.argv[1]), Path(sys.argv[2])
    cells, current = [], None
    for line in lesson.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            current = None if ("[markdown]" in line or "colab_install" in line or "exercise=" in line) else []
            if current is not None:
                cells.append(current)
        elif current is not None:
            current.append(line)
    namespace = {}
    for cell in cells:  # the lesson's cells up to the one that saves the trained model (section 7)
        code = "\\n".join(cell)
        exec(compile(code, str(lesson), "exec"), namespace)
        if "save_pretrained(model_dir" in code:
            break
    else:
        raise SystemExit("no cell saves the model: the lesson changed, update this test")

    import helpers
    from helpers import loop

    loop.reset_accelerate_state()  # the cells made an Accelerator in this process
    config = helpers.TrainConfig(
        output_dir="runs/helper", recipe=namespace["recipe"], max_steps=namespace["max_steps"],
        seed=namespace["seed"], save_checkpoints=False,
    )
    result = loop.train_loop(config, namespace["ds"])
    cells_weights = load_file(Path(namespace["model_dir"]) / "model.safetensors")
    helper_weights = load_file(Path(result["model_dir"]) / "model.safetensors")
    same = sorted(cells_weights) == sorted(helper_weights) and all(
        torch.equal(cells_weights[k], helper_weights[k]) for k in cells_weights
    )
    out.write_text(json.dumps({
        "same_weights": same,
        "tensors": len(cells_weights),
        "steps": [namespace["step"], result["global_steps"]],
        "f1": [namespace["history"][-1]["F1"], result["log_history"][-1]["overall_f1"]],
        "recipe": result["recipe"],
    }))
    """
)


@pytest.fixture(scope="module")
def conll_dir(tmp_path_factory):
    from helpers.readers import write_conll
    from helpers.synthetic import generate_corpus

    folder = tmp_path_factory.mktemp("conll")
    for split, records in generate_corpus(seed=3, sizes={"train": 64, "validation": 24, "test": 16}).items():
        write_conll(records, folder / f"{split}.txt")
    return folder


def test_train_loop_trains_the_model_of_the_lessons_cells(tmp_path, tiny_checkpoint, conll_dir):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = dict(
        os.environ, HF_HUB_OFFLINE="1", TOKCLS_SMOKE="1", TOKCLS_MODEL=tiny_checkpoint,
        TOKCLS_DATA_DIR=str(conll_dir), PYTHONPATH=str(REPO), TOKENIZERS_PARALLELISM="false",
    )  # fmt: skip
    run = subprocess.run(
        [sys.executable, str(driver), str(LESSON), str(tmp_path / "result.json")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["steps"][0] == result["steps"][1] > 0
    assert result["same_weights"] and result["tensors"] > 0
    assert result["f1"][0] == result["f1"][1]
