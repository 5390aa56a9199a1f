"""Tests of helpers.labels: label inventories and IOB tag-scheme utilities."""

from __future__ import annotations

import pytest

from helpers.labels import (
    CHUNK_LABELS,
    NER_LABELS,
    POS_LABELS,
    TagSchemeError,
    b_to_i_map,
    detect_scheme,
    entity_spans,
    from_iob2,
    iob1_to_iob2,
    iob2_to_iob1,
    iob2_violation,
    is_span_scheme,
    split_tag,
    task_column,
    to_iob2,
)

# --------------------------------------------------------------------------------------------------
# IOB1 -> IOB2


def test_iob1_span_after_O_opens_with_B():
    assert iob1_to_iob2(["O", "I-PER", "I-PER", "O"]) == ["O", "B-PER", "I-PER", "O"]


def test_iob1_span_at_sentence_start_opens_with_B():
    assert iob1_to_iob2(["I-LOC", "O"]) == ["B-LOC", "O"]


def test_iob1_adjacent_same_type_spans_keep_their_B():
    # IOB1: "I-PER I-PER B-PER" is two PER spans, the second marked by B- because it touches the first
    assert iob1_to_iob2(["I-PER", "I-PER", "B-PER"]) == ["B-PER", "I-PER", "B-PER"]


def test_iob1_type_change_opens_a_new_span():
    assert iob1_to_iob2(["I-ORG", "I-LOC"]) == ["B-ORG", "B-LOC"]


def test_iob2_input_is_unchanged_by_iob1_to_iob2():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]
    assert iob1_to_iob2(tags) == tags


# --------------------------------------------------------------------------------------------------
# IOB2 -> IOB1


def test_iob2_span_after_O_starts_with_I_in_iob1():
    assert iob2_to_iob1(["O", "B-PER", "I-PER"]) == ["O", "I-PER", "I-PER"]


def test_iob2_adjacent_same_type_spans_keep_B_in_iob1():
    assert iob2_to_iob1(["B-PER", "I-PER", "B-PER"]) == ["I-PER", "I-PER", "B-PER"]


def test_iob2_span_after_other_type_starts_with_I_in_iob1():
    assert iob2_to_iob1(["B-ORG", "B-LOC"]) == ["I-ORG", "I-LOC"]


def test_iob2_to_iob1_and_back_is_identity():
    tags = ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG", "I-ORG", "O", "B-MISC"]
    assert iob1_to_iob2(iob2_to_iob1(tags)) == tags


# --------------------------------------------------------------------------------------------------
# iob2_violation


def test_valid_iob2_has_no_violation():
    assert iob2_violation(["B-PER", "I-PER", "O", "B-LOC"]) is None


def test_I_after_O_is_a_violation_at_its_index():
    assert iob2_violation(["O", "O", "I-PER"]) == 2


def test_I_at_sentence_start_is_a_violation():
    assert iob2_violation(["I-PER"]) == 0


def test_I_of_other_type_is_a_violation():
    assert iob2_violation(["B-ORG", "I-LOC"]) == 1


def test_first_violation_is_reported():
    assert iob2_violation(["B-PER", "I-LOC", "O", "I-ORG"]) == 1


# --------------------------------------------------------------------------------------------------
# b_to_i_map


def test_b_to_i_map_sends_conll_ner_B_to_its_I():
    mapping = b_to_i_map(NER_LABELS)
    assert NER_LABELS[mapping[NER_LABELS.index("B-PER")]] == "I-PER"
    assert [NER_LABELS[j] for j in mapping] == [
        "O", "I-PER", "I-PER", "I-ORG", "I-ORG", "I-LOC", "I-LOC", "I-MISC", "I-MISC",
    ]  # fmt: skip


def test_b_to_i_map_is_identity_for_pos():
    assert b_to_i_map(POS_LABELS) == list(range(len(POS_LABELS)))


def test_b_to_i_map_keeps_B_without_matching_I():
    assert b_to_i_map(["O", "B-X"]) == [0, 1]


# --------------------------------------------------------------------------------------------------
# is_span_scheme, split_tag, task_column


def test_ner_and_chunk_labels_are_an_iob_scheme():
    assert is_span_scheme(NER_LABELS)
    assert is_span_scheme(CHUNK_LABELS)


def test_pos_labels_are_not_an_iob_scheme():
    assert not is_span_scheme(POS_LABELS)


def test_empty_label_list_is_not_an_iob_scheme():
    assert not is_span_scheme([])


def test_split_tag_of_B_tag():
    assert split_tag("B-PER") == ("B", "PER")


def test_split_tag_of_O():
    assert split_tag("O") == ("O", "")


def test_split_tag_of_flat_tag_has_no_prefix():
    assert split_tag("NNP") == ("", "NNP")


def test_split_tag_keeps_hyphens_in_the_type():
    assert split_tag("I-B-X") == ("I", "B-X")


def test_task_column_maps_tasks_to_columns():
    assert [task_column(t) for t in ("ner", "pos", "chunk")] == ["ner_tags", "pos_tags", "chunk_tags"]


def test_unknown_task_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="'srl'"):
        task_column("srl")


def test_label_inventory_sizes_match_conll2003():
    assert (len(NER_LABELS), len(POS_LABELS), len(CHUNK_LABELS)) == (9, 47, 23)


# --------------------------------------------------------------------------------------------------
# BIOES, BILOU, BMES: detection, conversion to and from IOB2

IOB2 = ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "B-X"]


def test_bioes_labels_are_a_span_scheme():
    assert is_span_scheme(["O", "B-PER", "I-PER", "E-PER", "S-PER"])


def test_bmes_and_bilou_labels_are_a_span_scheme():
    assert is_span_scheme(["O", "B-PER", "M-PER", "E-PER", "S-PER"])
    assert is_span_scheme(["O", "B-PER", "I-PER", "L-PER", "U-PER"])


def test_labels_mixing_flat_and_span_tags_are_not_a_span_scheme():
    assert not is_span_scheme(["O", "B-PER", "NN"])


def test_split_tag_reads_bilou_and_bmes_prefixes():
    assert [split_tag(t)[0] for t in ("L-PER", "U-PER", "M-PER", "E-PER", "S-PER")] == list("LUMES")


@pytest.mark.parametrize(
    ("tags", "scheme"),
    [
        (["S-PER", "O", "B-LOC", "E-LOC"], "bioes"),
        (["U-PER", "O", "B-LOC", "L-LOC"], "bilou"),
        (["S-PER", "B-LOC", "M-LOC", "E-LOC"], "bmes"),
        (["I-PER", "O"], "iob1"),
        (["B-PER", "I-PER", "O"], "iob2"),
    ],
)
def test_detect_scheme_from_prefixes(tags, scheme):
    assert detect_scheme([tags]) == scheme


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "bioes", "bilou", "bmes"])
def test_from_iob2_then_to_iob2_is_identity(scheme):
    assert to_iob2(from_iob2(IOB2, scheme), scheme) == IOB2


def test_bioes_single_and_end_tags_from_iob2():
    assert from_iob2(IOB2, "bioes") == ["B-PER", "I-PER", "E-PER", "O", "S-LOC", "B-LOC", "E-LOC", "S-X"]


def test_bmes_uses_m_for_inside():
    assert from_iob2(["B-LOC", "I-LOC", "I-LOC"], "bmes") == ["B-LOC", "M-LOC", "E-LOC"]


def test_end_without_begin_is_a_scheme_error_at_its_index():
    with pytest.raises(TagSchemeError, match="B-PER") as error:
        to_iob2(["O", "E-PER"], "bioes")
    assert error.value.index == 1


def test_inside_after_another_type_is_a_scheme_error_in_bioes():
    with pytest.raises(TagSchemeError) as error:
        to_iob2(["B-PER", "I-LOC", "E-LOC"], "bioes")
    assert error.value.index == 1


def test_unclosed_bioes_span_is_a_scheme_error():
    with pytest.raises(TagSchemeError, match="not closed") as error:
        to_iob2(["B-PER", "I-PER"], "bioes")
    assert error.value.index == 1


def test_unknown_prefix_is_a_scheme_error_naming_the_tag():
    with pytest.raises(TagSchemeError, match="'X-PER'"):
        to_iob2(["O", "X-PER"], "iob2")


def test_bioes_prefix_in_an_iob_file_is_a_scheme_error():
    with pytest.raises(TagSchemeError, match="not a valid IOB2 tag"):
        to_iob2(["S-PER"], "iob2")


# --------------------------------------------------------------------------------------------------
# entity_spans: the one span function


def test_entity_spans_keep_single_word_entities_of_bioes():
    assert entity_spans(["S-PER", "O", "B-LOC", "E-LOC"]) == [("PER", 0, 1), ("LOC", 2, 4)]


def test_entity_spans_read_bilou_like_bioes():
    assert entity_spans(["U-PER", "B-LOC", "L-LOC"]) == entity_spans(["S-PER", "B-LOC", "E-LOC"])


def test_entity_spans_of_iob2_and_its_bioes_form_agree():
    assert entity_spans(IOB2) == entity_spans(from_iob2(IOB2, "bioes"))


def test_stray_inside_tag_opens_a_span_like_conlleval():
    assert entity_spans(["O", "I-ORG", "I-ORG"]) == [("ORG", 1, 3)]


def test_flat_tags_form_no_entities():
    assert entity_spans(["NN", "VBZ"]) == []
