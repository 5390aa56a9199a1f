"""CPU serving exports (helpers.serving, ``python -m helpers export``): each loads back into a Tagger, gives the
fp32 model's scores (ONNX) or close to them (int8), and a folder without a model is refused clearly."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors import safe_open

from helpers.cli import main
from helpers.data import synthetic_conll
from helpers.errors import ModelConfigError, OutputDirError
from helpers.inference import Tagger
from helpers.labels import NER_LABELS
from helpers.readers import write_conll
from helpers.serving import INT8_FILE, _load_int8, _quantize_dynamic, export_format, export_model

from .conftest import build_tiny_checkpoint

SENTENCES = [
    ["peter", "blackburn", "said", "paris", "."],
    ["eu"] * 70,
    ["the"],
    ["london", "club", "won"] * 3,
]


@pytest.fixture(scope="module")
def ner_model(tmp_path_factory) -> str:
    torch.manual_seed(0)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("tiny-ner"), labels=NER_LABELS))


@pytest.fixture(scope="module")
def reference(ner_model):
    return Tagger.from_pretrained(ner_model, device="cpu", precision="fp32").tag_words(SENTENCES)


@pytest.fixture(scope="module")
def exports(ner_model, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("exports")
    return {fmt: str(export_model(ner_model, fmt, root / fmt)) for fmt in ("int8", "onnx", "onnx-int8")}


def _max_score_gap(a, b) -> float:
    return max(abs(x - y) for s, t in zip(a, b) for x, y in zip(s.scores, t.scores))


def test_onnx_export_gives_the_fp32_scores_at_any_batch_and_length(exports, reference):
    tagged = Tagger.from_pretrained(exports["onnx"], batch_size=3).tag_words(SENTENCES)
    assert [s.tags for s in tagged] == [s.tags for s in reference]
    assert _max_score_gap(tagged, reference) < 1e-4


@pytest.mark.parametrize("fmt", ["int8", "onnx-int8"])
def test_int8_exports_give_one_tag_per_word_close_to_fp32(exports, reference, fmt):
    tagged = Tagger.from_pretrained(exports[fmt]).tag_words(SENTENCES)
    assert [len(s.tags) for s in tagged] == [len(s) for s in SENTENCES]
    assert _max_score_gap(tagged, reference) < 0.02


def test_int8_export_stores_int8_weights_and_loads_them_exactly(exports, ner_model):
    from transformers import AutoConfig, AutoModelForTokenClassification

    folder = exports["int8"]
    with safe_open(f"{folder}/{INT8_FILE}", "pt") as f:
        dtypes = {f.get_tensor(k).dtype for k in f.keys() if k.endswith(".int8_weight")}
    assert dtypes == {torch.int8}
    quantized = _quantize_dynamic(AutoModelForTokenClassification.from_pretrained(ner_model).eval())
    loaded = _load_int8(__import__("pathlib").Path(folder), AutoConfig.from_pretrained(folder))
    ids = torch.tensor([[2, 7, 8, 9, 3]])
    with torch.inference_mode():
        assert torch.equal(quantized(input_ids=ids).logits, loaded(input_ids=ids).logits)


def test_export_folder_names_its_format_and_keeps_config_and_tokenizer(exports):
    for fmt, folder in exports.items():
        assert export_format(folder) == fmt
        assert Tagger.from_pretrained(folder).id2label[1] == NER_LABELS[1]


def test_export_of_a_folder_without_a_model_is_refused_clearly(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelConfigError, match="empty: holds no saved model"):
        export_model(tmp_path / "empty", "int8", tmp_path / "out")
    with pytest.raises(ModelConfigError, match="no such folder"):
        export_model(tmp_path / "missing", "onnx", tmp_path / "out")


def test_export_of_an_export_is_refused(exports, tmp_path):
    with pytest.raises(ModelConfigError, match="already an export"):
        export_model(exports["int8"], "onnx", tmp_path / "again")


def test_export_does_not_replace_a_folder_with_files_unless_told(ner_model, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    with pytest.raises(OutputDirError, match="--overwrite"):
        export_model(ner_model, "int8", tmp_path / "out")
    export_model(ner_model, "int8", tmp_path / "out", overwrite=True)
    assert export_format(tmp_path / "out") == "int8" and not (tmp_path / "out" / "keep.txt").exists()


def test_export_command_reports_a_missing_model_with_exit_status_2(tmp_path, capsys):
    assert (
        main(["export", "--model", str(tmp_path), "--to", "int8", "--output-dir", str(tmp_path / "o")]) == 2
    )
    assert "holds no saved model" in capsys.readouterr().err


def test_export_command_then_predict_and_evaluate_load_the_export(ner_model, tmp_path, capsys):
    out = tmp_path / "int8"
    assert main(["export", "--model", ner_model, "--to", "int8", "--output-dir", str(out)]) == 0
    assert "MB on disk" in capsys.readouterr().out
    assert main(["predict", "--model", str(out), "--json", "peter said paris ."]) == 0
    assert json.loads(capsys.readouterr().out.strip())["words"] == ["peter", "said", "paris", "."]
    test = synthetic_conll(seed=3, sizes={"train": 1, "validation": 1, "test": 8})["test"]
    names = test.features["ner_tags"].feature.names
    write_conll([{"tokens": r["tokens"], "ner_tags": [names[i] for i in r["ner_tags"]]} for r in test],
                tmp_path / "test.conll", columns=("tokens", "ner_tags"))  # fmt: skip
    args = ["evaluate", "--model", str(out), "--test-file", str(tmp_path / "test.conll"), "--columns",
            "tokens,ner_tags", "--output-dir", str(tmp_path / "ev")]  # fmt: skip
    assert main(args) == 0
    assert json.loads((tmp_path / "ev" / "metrics.json").read_text())["test"]["words"] == sum(
        map(len, test["tokens"])
    )


def test_serving_report_names_only_the_variants_that_meet_both_targets():
    from benchmarks.serving import meets_targets, report

    def row(name, f1, sps):
        return {"variant": name, "runs_in": name, "f1": f1, "sentences_per_second": sps, "size_mb": 10,
                "peak_rss_mb": 100, "f1_change_points": round(100 * (f1 - 0.85), 2),
                "speedup_vs_fp32_tagger": sps / 100, "speedup_vs_pipeline_one_sentence": sps / 50}  # fmt: skip

    result = {
        "variants": [row("fp32", 0.85, 100), row("int8", 0.849, 300), row("onnx-int8", 0.84, 400)],
        "pipeline": {"runs_in": "fp32", "sentences_per_second": 50, "size_mb": 10},
        "targets": {"f1_within_points": 0.3, "speedup_vs_pipeline_one_sentence": 5.0},
        "machine": {"cpu": "x", "cores": 2, "torch": "t", "torch_threads": 1}, "sentences": 10,
        "timed_sentences": 10, "rounds": 1, "data": "d", "model": "m", "command": "c", "started": "s",
    }  # fmt: skip
    assert meets_targets(result) == ["int8"]  # fp32 is 2x the pipeline; onnx-int8 loses 1 point
    assert report(result).count("\n|") == 5  # header rule, 3 variants, the pipeline
