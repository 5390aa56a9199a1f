"""The command line on your own files, and its options built from the configuration dataclasses."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from helpers.cli import build_parser, main, train_config
from helpers.config import CLASSIC_RECIPE, Recipe, TrainConfig
from helpers.labels import from_iob2
from helpers.readers import write_conll
from helpers.spans import write_doccano

WORDS = "john smith said paris germany world cup".split()
FAST = ["--max-steps", "3", "--no-checkpoints", "--batch-size", "8"]


def sentences(n: int) -> list[dict]:
    """Small NER sentences with one- and two-word entities, in IOB2."""
    out = []
    for i in range(n):
        tokens = ["john", "smith", "said", WORDS[3 + i % 4]]
        tags = ["B-PER", "I-PER", "O", "B-LOC" if i % 2 else "B-MISC"]
        out.append({"id": str(i), "tokens": tokens, "ner_tags": tags})
    return out


def metrics(folder) -> dict:
    return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# options from the dataclasses (no training)


def test_train_without_options_gives_the_default_config():
    cfg, files = train_config(build_parser().parse_args(["train"]))
    assert cfg == TrainConfig() and files.train_file is None


def test_every_scalar_config_field_is_an_option():
    ns = vars(build_parser().parse_args(["train"]))
    assert {f.name for f in fields(TrainConfig) if f.name not in ("recipe", "training_args")} <= set(ns)
    assert {f.name for f in fields(Recipe)} <= set(ns)


def test_recipe_options_override_the_chosen_recipe_only_where_given():
    ns = build_parser().parse_args(
        ["train", "--recipe", "classic", "--learning-rate", "1e-3", "--label-all-tokens"]
    )
    recipe = train_config(ns)[0].recipe
    assert (recipe.learning_rate, recipe.batch_size, recipe.label_all_tokens) == (
        1e-3,
        CLASSIC_RECIPE.batch_size,
        True,
    )


def test_kept_flags_still_work():
    args = [
        "train",
        "--no-checkpoints",
        "--resume",
        "--overwrite",
        "--max-train-samples",
        "5",
        "--task",
        "pos",
    ]
    cfg, _ = train_config(build_parser().parse_args(args))
    assert (cfg.save_checkpoints, cfg.resume, cfg.overwrite, cfg.max_train_samples) == (False, True, True, 5)
    assert cfg.output_dir == "runs/pos"


def test_help_shows_each_default_once(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert text.count("(default: 42)") == 1
    assert (
        text.count(f"course 0.0003 below 768 wide, base 5e-05; classic {CLASSIC_RECIPE.learning_rate}") == 1
    )


# --------------------------------------------------------------------------------------------------
# training and evaluating on files (tiny model, a few steps)

slow = pytest.mark.slow


@slow
def test_two_column_conll_file_with_any_name_trains_and_writes_span_metrics(
    tmp_path, tiny_checkpoint, capsys
):
    write_conll(sentences(20), tmp_path / "my_tweets.tags", ("tokens", "ner_tags"))
    out = tmp_path / "run"
    args = [
        "train",
        "--train-file",
        str(tmp_path / "my_tweets.tags"),
        "--format",
        "conll",
        "--model",
        tiny_checkpoint,
    ]
    assert main([*args, "--output-dir", str(out), *FAST]) == 0
    assert "holding out 10% of the training file" in capsys.readouterr().out
    result = metrics(out)["validation"]
    assert set(result["per_type"]) <= {"PER", "LOC", "MISC"} and "overall_f1" in result
    assert (
        sum(t["number"] for t in result["per_type"].values()) == 2 * result["words"] // 4
    )  # 2 entities a sentence


@pytest.fixture(scope="module")
def doccano_run(tmp_path_factory, tiny_checkpoint):
    """A model trained from the command line on a doccano export (a few steps), and its folder."""
    folder = tmp_path_factory.mktemp("doccano")
    write_doccano(sentences(16), folder / "export.jsonl")
    code = main(["train", "--train-file", str(folder / "export.jsonl"), "--model", tiny_checkpoint,
                 "--output-dir", str(folder / "run"), *FAST])  # fmt: skip
    return code, folder / "run"


@slow
def test_doccano_export_trains(doccano_run):
    code, run = doccano_run
    assert code == 0 and "per_type" in metrics(run)["validation"]


@slow
def test_bioes_file_is_scored_with_the_spans_of_its_iob2_form(tmp_path, doccano_run):
    records = sentences(12)
    write_conll(records, tmp_path / "test.iob2", ("tokens", "ner_tags"))
    bioes = [{**r, "ner_tags": from_iob2(r["ner_tags"], "bioes")} for r in records]
    write_conll(bioes, tmp_path / "test.bioes", ("tokens", "ner_tags"))
    assert "S-LOC" in (tmp_path / "test.bioes").read_text(encoding="utf-8")
    model = str(doccano_run[1] / "model")
    for name in ("test.iob2", "test.bioes"):
        assert main(["evaluate", "--test-file", str(tmp_path / name), "--format", "conll", "--model", model,
                     "--output-dir", str(tmp_path / name.replace(".", "_"))]) == 0  # fmt: skip
    iob2, bioes_scores = metrics(tmp_path / "test_iob2")["test"], metrics(tmp_path / "test_bioes")["test"]
    supports = {t: s["number"] for t, s in bioes_scores["per_type"].items()}
    assert (
        supports == {t: s["number"] for t, s in iob2["per_type"].items()} == {"PER": 12, "LOC": 6, "MISC": 6}
    )
    assert bioes_scores == iob2


@slow
def test_evaluate_reports_the_unk_share(tmp_path, doccano_run, capsys):
    write_conll(
        [{"tokens": ["张", "三", "said"], "ner_tags": ["B-PER", "I-PER", "O"]}],
        tmp_path / "zh.txt",
        ("tokens", "ner_tags"),
    )
    args = ["evaluate", "--test-file", str(tmp_path / "zh.txt"), "--model", str(doccano_run[1] / "model")]
    assert main([*args, "--output-dir", str(tmp_path / "ev")]) == 0
    assert metrics(tmp_path / "ev")["unk_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert "[UNK]" in capsys.readouterr().out


@slow
def test_predict_tags_chinese_text_per_character(doccano_run, capsys):
    text = "张三在Paris工作"
    assert main(["predict", "--model", str(doccano_run[1] / "model"), "--json", text]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["words"] == ["张", "三", "在", "Paris", "工", "作"]
    assert all(text[e["start"] : e["end"]] == e["text"] for e in line["entities"])
