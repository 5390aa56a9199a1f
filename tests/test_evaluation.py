"""One evaluation rule: `train` and `evaluate` score a saved model identically, long sentences included."""

from __future__ import annotations

import json

import pytest

from helpers.cli import main
from helpers.data import synthetic_conll
from helpers.readers import write_conll

from .conftest import WORDS

pytestmark = pytest.mark.slow

COLUMNS = ("pos_tags", "chunk_tags", "ner_tags")
# 70 words that are single subtokens of the tiny checkpoint: with [CLS]/[SEP] past its limit of 64
LONG = [w for w in WORDS if w.isalpha()][:35] * 2


@pytest.fixture(scope="module")
def conll_dir(tmp_path_factory):
    """Tiny CoNLL files whose validation split ends with one sentence longer than the model's limit."""
    folder = tmp_path_factory.mktemp("conll")
    corpus = synthetic_conll(seed=5, sizes={"train": 40, "validation": 12, "test": 12})
    for split, ds in corpus.items():
        names = {c: ds.features[c].feature.names for c in COLUMNS}
        records = [{"tokens": r["tokens"], **{c: [names[c][i] for i in r[c]] for c in COLUMNS}} for r in ds]
        if split == "validation":
            tags = ["B-PER" if i % 7 == 0 else "O" for i in range(len(LONG))]
            records.append({"tokens": LONG, "pos_tags": ["NN"] * len(LONG), "chunk_tags": ["O"] * len(LONG),
                            "ner_tags": tags})  # fmt: skip
        write_conll(records, folder / f"{split}.txt")
    return folder


@pytest.fixture(scope="module")
def trained(tmp_path_factory, conll_dir, tiny_checkpoint):
    """Output folder of `python -m helpers train` (one step, outside smoke mode) on those files."""
    out = tmp_path_factory.mktemp("trained") / "run"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("TOKCLS_SMOKE", raising=False)
        code = main(["train", "--data-dir", str(conll_dir), "--model", tiny_checkpoint, "--output-dir", str(out),
                     "--max-train-samples", "8", "--epochs", "1"])  # fmt: skip
    assert code == 0
    return out


def test_train_and_evaluate_report_identical_validation_metrics(tmp_path, conll_dir, trained, monkeypatch):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    ev = tmp_path / "eval"
    assert main(["evaluate", "--data-dir", str(conll_dir), "--model", str(trained / "model"),
                 "--output-dir", str(ev)]) == 0  # fmt: skip
    from_train = json.loads((trained / "metrics.json").read_text())["validation"]
    from_evaluate = json.loads((ev / "metrics.json").read_text())["validation"]
    assert from_evaluate == from_train
    assert from_train["truncated_words"] == 0  # the long sentence was windowed: every word scored


def test_long_sentence_is_scored_word_by_word(conll_dir, trained):
    from helpers.data import load_conll_folder
    from helpers.evaluation import evaluate_split

    validation = load_conll_folder(conll_dir)["validation"]
    result = evaluate_split(str(trained / "model"), validation, "ner_tags")
    assert result["words"] == sum(len(t) for t in validation["tokens"])
    assert result["per_type"]["PER"]["number"] >= len(range(0, len(LONG), 7))


def test_a_tokenized_split_is_refused_with_a_hint(tiny_checkpoint):
    from helpers.evaluation import evaluate_split
    from helpers.modeling import load_tokenizer
    from helpers.runs import tokenize_dataset

    ds = synthetic_conll(seed=5, sizes={"train": 4, "validation": 2, "test": 2})
    tokenized = tokenize_dataset(ds, load_tokenizer(tiny_checkpoint), "ner_tags")
    with pytest.raises(ValueError, match="untokenized split"):
        evaluate_split("unused", tokenized["validation"], "ner_tags")


def _model_with_language(tmp_path, trained, language):
    """A copy of the trained model whose config records ``language`` (None: recorded nothing, an older model)."""
    import shutil

    folder = tmp_path / f"model-{language}"
    shutil.copytree(trained / "model", folder)
    config = json.loads((folder / "config.json").read_text())
    config.pop("tokcls_language", None)
    if language:
        config["tokcls_language"] = language
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def test_training_records_the_language_in_the_saved_config(trained):
    assert json.loads((trained / "model" / "config.json").read_text())["tokcls_language"] == "en"


def test_a_chinese_model_is_not_scored_on_english_data(tmp_path, conll_dir, trained, monkeypatch, capsys):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    model = _model_with_language(tmp_path, trained, "zh")
    args = [
        "evaluate",
        "--model",
        str(model),
        "--output-dir",
        str(tmp_path / "ev"),
        "--data-dir",
        str(conll_dir),
    ]
    assert main(args) == 2
    assert "was trained on zh text: --data-dir must hold Chinese NER files" in capsys.readouterr().err
    assert not (tmp_path / "ev" / "metrics.json").exists()


def test_an_english_model_is_not_scored_on_chinese_files(tmp_path, trained, capsys):
    chinese = tmp_path / "zh.txt"
    chinese.write_text("".join(f"{c} O\n" for c in "北京是中国的首都") + "\n", encoding="utf-8")
    args = ["evaluate", "--model", str(trained / "model"), "--output-dir", str(tmp_path / "ev"),
            "--validation-file", str(chinese), "--columns", "tokens,ner_tags"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "is zh text, but the model" in err and "to be scored on en" in err


def test_a_language_other_than_the_models_is_refused(tmp_path, trained, capsys):
    args = [
        "evaluate",
        "--model",
        str(trained / "model"),
        "--output-dir",
        str(tmp_path / "ev"),
        "--language",
        "zh",
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--language zh, but the model" in err and "pass --language en" in err


def test_a_model_that_records_no_language_asks_for_it(tmp_path, conll_dir, trained, monkeypatch, capsys):
    monkeypatch.delenv("TOKCLS_SMOKE", raising=False)
    model = _model_with_language(tmp_path, trained, None)
    out = str(tmp_path / "ev")
    assert main(["evaluate", "--model", str(model), "--output-dir", out, "--data-dir", str(conll_dir)]) == 2
    assert "pass --language en (CoNLL-2003) or --language zh" in capsys.readouterr().err
    args = [
        "evaluate",
        "--model",
        str(model),
        "--output-dir",
        out,
        "--data-dir",
        str(conll_dir),
        "--language",
        "en",
    ]
    assert main(args) == 0
    assert json.loads((tmp_path / "ev" / "metrics.json").read_text())["language"] == "en"
