"""The target tag set of benchmarks/zh_transfer.py: People's Daily 1998 POS tags to PER/LOC/ORG/TIME (no training)."""

from __future__ import annotations

from benchmarks.zh_transfer import TARGET_JOINED, TARGET_TAGS
from helpers.data import label_names
from helpers.labels import entity_spans
from helpers.zh import peoples_daily
from helpers.zh.labels import ZH_NER_LABELS

LINE = "１９９７年/t  １２月/t  ３１日/t  ，/w  江/nr  泽民/nr  在/p  北京/ns  会见/v  联合国/nt  代表/n  ，/w  今年/t  中国/ns  上海/ns  。/w"


def _entities(record: dict) -> list[tuple[str, str]]:
    return [(t, "".join(record["tokens"][s:e])) for t, s, e in entity_spans(record["ner_tags"])]


def test_a_run_of_time_words_is_one_TIME_entity_and_places_stay_apart():
    (record,) = peoples_daily.read_pfr_line(LINE, entity_tags=TARGET_TAGS, joined=TARGET_JOINED)
    assert _entities(record) == [
        ("TIME", "1997年12月31日"),
        ("PER", "江泽民"),
        ("LOC", "北京"),
        ("ORG", "联合国"),
        ("TIME", "今年"),
        ("LOC", "中国"),  # consecutive ns words stay two places, as the reader's default tags them
        ("LOC", "上海"),
    ]


def test_the_default_reader_still_has_no_TIME():
    (record,) = peoples_daily.read_pfr_line(LINE)
    assert [t for t, _ in _entities(record)] == ["PER", "LOC", "ORG", "LOC", "LOC"]


def test_target_labels_are_the_peoples_daily_ones_plus_TIME(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_text((LINE + "\n") * 10, encoding="utf-8")
    ds = peoples_daily.peoples_daily_1998(path, entity_tags=TARGET_TAGS, joined=TARGET_JOINED)
    assert label_names(ds, "ner_tags") == [*ZH_NER_LABELS, "B-TIME", "I-TIME"]  # 9 labels: MSRA's head has 7
    assert label_names(peoples_daily.peoples_daily_1998(path), "ner_tags") == ZH_NER_LABELS
