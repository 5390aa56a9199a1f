"""The command line: train → evaluate → predict on a tiny local corpus with a tiny model."""

from __future__ import annotations

import json

import pytest

from helpers.cli import main
from helpers.data import synthetic_conll
from helpers.readers import write_conll

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def conll_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conll")
    corpus = synthetic_conll(seed=11, sizes={"train": 40, "validation": 12, "test": 12})
    for split, ds in corpus.items():
        cols = ("pos_tags", "chunk_tags", "ner_tags")
        names = {c: ds.features[c].feature.names for c in cols}
        write_conll([{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in cols}} for r in ds],
                    folder / f"{split}.txt")  # fmt: skip
    return folder


def test_train_evaluate_predict_round_trip(tmp_path, conll_dir, tiny_checkpoint, capsys, monkeypatch):
    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    out = tmp_path / "run"
    assert (
        main(["train", "--data-dir", str(conll_dir), "--model", tiny_checkpoint, "--output-dir", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "validation" in printed and "overall" in printed and "Model saved to" in printed
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["validation"]["words"] == sum(len(t) for t in synthetic_conll(
        seed=11, sizes={"train": 40, "validation": 12, "test": 12})["validation"]["tokens"])  # fmt: skip

    ev = tmp_path / "eval"
    assert main(["evaluate", "--data-dir", str(conll_dir), "--model", str(out / "model"), "--split", "test",
                 "--output-dir", str(ev)]) == 0  # fmt: skip
    assert json.loads((ev / "metrics.json").read_text())["test"]["truncated_words"] == 0

    assert main(["predict", "--model", str(out / "model"), "--json", "Peter Blackburn said Paris ."]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["words"] == ["Peter", "Blackburn", "said", "Paris", "."] and len(line["tags"]) == 5


def test_pos_task_reports_accuracy(tmp_path, conll_dir, tiny_checkpoint, monkeypatch):
    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    out = tmp_path / "pos"
    assert main(["train", "--task", "pos", "--data-dir", str(conll_dir), "--model", tiny_checkpoint,
                 "--output-dir", str(out)]) == 0  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    assert "per_tag" in metrics["validation"] and "overall_f1" not in metrics["validation"]


def test_missing_data_dir_is_a_clear_error(tmp_path, capsys):
    code = main(["train", "--data-dir", str(tmp_path / "nope"), "--output-dir", str(tmp_path / "o")])
    assert code == 2
    assert "nope" in capsys.readouterr().err


def test_refuses_to_overwrite_an_output_dir(tmp_path, capsys):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "x").write_text("keep")
    assert main(["train", "--output-dir", str(tmp_path / "o")]) == 2
    assert "--overwrite" in capsys.readouterr().err
