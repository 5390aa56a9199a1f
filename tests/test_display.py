"""Tests for helpers.display: tag colouring, HTML tables, corpus statistics, alignment tables and plots."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers import display as hd  # noqa: E402
from helpers.data import records_to_dataset  # noqa: E402
from helpers.labels import NER_LABELS  # noqa: E402
from helpers.modeling import load_tokenizer  # noqa: E402

NER = {"ner_tags": NER_LABELS}


def ner_ids(tags: str) -> list[int]:
    """Label ids of space-separated NER tag names."""
    return [NER_LABELS.index(t) for t in tags.split()]


@pytest.fixture
def split():
    """Two tiny sentences with three entities (one of two words)."""
    records = [
        {"tokens": ["Peter", "Blackburn", "said"], "ner_tags": ["B-PER", "I-PER", "O"]},
        {"tokens": ["EU", "rejects", "German", "call"], "ner_tags": ["B-ORG", "O", "B-MISC", "O"]},
    ]
    return records_to_dataset(records, NER)


@pytest.fixture(scope="module")
def tokenizer(tiny_checkpoint):
    """Fast WordPiece tokenizer of the tiny test checkpoint (unknown words split into characters)."""
    return load_tokenizer(tiny_checkpoint)


def test_entity_spans_have_exclusive_ends():
    assert hd.entity_spans(["B-PER", "I-PER", "O", "B-LOC"]) == [("PER", 0, 2), ("LOC", 3, 4)]


def test_stray_inside_tag_opens_an_entity():
    assert hd.entity_spans(["O", "I-ORG", "I-ORG"]) == [("ORG", 1, 3)]


def test_adjacent_begin_tags_count_as_separate_entities():
    assert hd.count_entities(["B-PER", "B-PER", "B-PER"]) == 3


def test_ids_to_names_shows_ignored_positions_as_minus_100():
    assert hd.ids_to_names([-100, 1, 0], NER_LABELS) == ["-100", "B-PER", "O"]


def test_tag_color_depends_on_entity_type_not_prefix():
    assert hd.tag_color("B-LOC") == hd.tag_color("I-LOC") == hd.ENTITY_COLORS["LOC"]


def test_tag_color_is_none_for_outside_and_flat_tags():
    assert hd.tag_color("O") is None and hd.tag_color("NNP") is None


def test_unknown_entity_type_gets_the_other_colour():
    assert hd.tag_color("B-DATE") == hd.OTHER_COLOR


def test_highlight_wraps_the_whole_entity_once():
    out = hd.highlight_entities(["Peter", "Blackburn", "said"], ["B-PER", "I-PER", "O"])
    assert out.count("<span") == 1 and "Peter Blackburn <sub" in out


def test_highlight_escapes_html_in_words():
    out = hd.highlight_entities(["<b>", "&"], ["O", "O"])
    assert "&lt;b&gt;" in out and "&amp;" in out and "<b>" not in out


def test_highlight_marks_entities_missing_from_the_reference():
    out = hd.highlight_entities(["Paris", "Hilton"], ["B-LOC", "O"], reference=["B-PER", "I-PER"])
    assert "dashed" in out
    assert "dashed" not in hd.highlight_entities(["Paris"], ["B-LOC"], reference=["B-LOC"])


def test_highlight_rejects_length_mismatch():
    with pytest.raises(ValueError, match="2 words but 1 tags"):
        hd.highlight_entities(["a", "b"], ["O"])


def test_highlight_boxes_single_word_bioes_entities():
    assert ">PER</sub>" in hd.highlight_entities(["Ann", "ran"], ["S-PER", "O"])


def test_tags_table_has_a_row_per_tag_sequence_plus_words():
    out = hd.tags_table_html(["a", "b"], {"ner": ["O", "B-PER"], "pos": ["DT", "NN"]})
    assert out.count("<tr>") == 3


def test_tags_table_rejects_rows_of_the_wrong_length():
    with pytest.raises(ValueError, match="row 'ner'"):
        hd.tags_table_html(["a", "b"], {"ner": ["O"]})


def test_examples_html_shows_tag_names_not_ids(split):
    out = hd.examples_html(split, [1], columns=["ner_tags"])
    assert "B-ORG" in out and "#1" in out and "Blackburn" not in out


def test_tag_counts_follow_label_order_and_keep_zeros(split):
    counts = hd.tag_counts(split, "ner_tags")
    assert list(counts.index) == NER_LABELS
    assert counts["O"] == 3 and counts["I-LOC"] == 0 and counts.sum() == 7


def test_sentence_lengths_count_words(split):
    assert hd.sentence_lengths(split) == [3, 4]


def test_entity_lengths_are_in_words(split):
    frame = hd.entity_lengths(split)
    assert frame.values.tolist() == [["PER", 2], ["ORG", 1], ["MISC", 1]]


def test_alignment_frame_first_subtoken_strategy_ignores_continuations(tokenizer):
    frame = hd.alignment_frame(tokenizer, ["zw", "said"], ner_ids("B-PER O"), NER_LABELS)
    assert frame["subtoken"].tolist() == ["[CLS]", "z", "##w", "said", "[SEP]"]
    assert frame["word_id"].tolist() == [None, 0, 0, 1, None]
    assert frame["first subtoken"].tolist() == ["-100", "B-PER", "-100", "O", "-100"]


def test_alignment_frame_all_subtokens_turns_begin_into_inside(tokenizer):
    frame = hd.alignment_frame(tokenizer, ["zw", "said"], ner_ids("B-PER O"), NER_LABELS)
    assert frame["all subtokens"].tolist() == ["-100", "B-PER", "I-PER", "O", "-100"]


def test_alignment_frame_classic_column_copies_begin(tokenizer):
    frame = hd.alignment_frame(tokenizer, ["zw", "said"], ner_ids("B-PER O"), NER_LABELS, classic=True)
    assert frame["all, B copied"].tolist() == ["-100", "B-PER", "B-PER", "O", "-100"]


def test_alignment_frame_truncates_to_max_length(tokenizer):
    frame = hd.alignment_frame(
        tokenizer, ["said", "said", "said"], ner_ids("O O O"), NER_LABELS, max_length=4
    )
    assert frame["word_id"].tolist() == [None, 0, 1, None]


def test_style_alignment_greys_ignored_cells(tokenizer):
    frame = hd.alignment_frame(tokenizer, ["said"], ner_ids("O"), NER_LABELS)
    assert hd.IGNORED_COLOR in hd.style_alignment(frame).to_html()


def test_copying_begin_tags_inflates_subtoken_entity_counts(tokenizer):
    records = [{"tokens": ["zw", "said"], "ner_tags": ["B-PER", "O"]}]
    counts = hd.entity_counts_by_strategy(records_to_dataset(records, NER), tokenizer)
    assert counts == {
        "words": 1,
        "first subtoken": 1,
        "all subtokens (B→I)": 1,
        "all subtokens (B copied)": 2,
    }


def test_word_ids_for_display_turns_minus_one_into_none():
    assert hd.word_ids_for_display([-1, 0, 0, 1, -1]) == [None, 0, 0, 1, None]


def test_plot_tag_counts_draws_one_bar_per_label(split):
    ax = hd.plot_tag_counts(hd.tag_counts(split, "ner_tags"))
    assert len(ax.patches) == len(NER_LABELS)


def test_length_histogram_pools_lengths_above_max_len():
    ax = hd.plot_length_histogram({"a": [1, 2, 50]}, xlabel="words", max_len=5)
    assert ax.get_xlabel() == "words (>= 5 pooled)"


def test_inline_plots_does_nothing_outside_a_notebook_kernel():
    import matplotlib

    backend = matplotlib.get_backend()
    assert hd.inline_plots() is None  # None: an import cell ending with the call prints no bare value
    assert matplotlib.get_backend() == backend
