"""Tests of helpers.labels: label inventories and IOB tag-scheme utilities."""

from __future__ import annotations

import pytest

from helpers.labels import (
    CHUNK_LABELS,
    NER_LABELS,
    POS_LABELS,
    b_to_i_map,
    entity_types,
    iob1_to_iob2,
    iob2_to_iob1,
    iob2_violation,
    is_iob_scheme,
    split_tag,
    task_column,
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
# is_iob_scheme, split_tag, entity_types, task_column


def test_ner_and_chunk_labels_are_an_iob_scheme():
    assert is_iob_scheme(NER_LABELS)
    assert is_iob_scheme(CHUNK_LABELS)


def test_pos_labels_are_not_an_iob_scheme():
    assert not is_iob_scheme(POS_LABELS)


def test_empty_label_list_is_not_an_iob_scheme():
    assert not is_iob_scheme([])


def test_split_tag_of_B_tag():
    assert split_tag("B-PER") == ("B", "PER")


def test_split_tag_of_O():
    assert split_tag("O") == ("O", "")


def test_split_tag_of_flat_tag_has_no_prefix():
    assert split_tag("NNP") == ("", "NNP")


def test_split_tag_keeps_hyphens_in_the_type():
    assert split_tag("I-B-X") == ("I", "B-X")


def test_entity_types_in_first_seen_order():
    assert entity_types(NER_LABELS) == ["PER", "ORG", "LOC", "MISC"]


def test_entity_types_of_pos_is_empty():
    assert entity_types(POS_LABELS) == []


def test_task_column_maps_tasks_to_columns():
    assert [task_column(t) for t in ("ner", "pos", "chunk")] == ["ner_tags", "pos_tags", "chunk_tags"]


def test_unknown_task_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="'srl'"):
        task_column("srl")


def test_label_inventory_sizes_match_conll2003():
    assert (len(NER_LABELS), len(POS_LABELS), len(CHUNK_LABELS)) == (9, 47, 23)
