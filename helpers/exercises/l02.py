"""Lesson 2 exercises: subtokens, label alignment (B-X → I-X on continuations) and truncation."""

from __future__ import annotations

from ..align import IGNORE_INDEX, align_labels, count_truncated_words, tokenize_and_align_labels
from ..labels import CHUNK_LABELS, NER_LABELS, b_to_i_map
from . import T, exercise, first_difference, num

TRUNCATE_AT = 16

CHUNK_SENTENCE = {
    "words": ["Only", "France", "and", "Britain", "backed", "Fischler", "'s", "proposal", "."],
    "tags": ["B-NP", "I-NP", "I-NP", "I-NP", "B-VP", "B-NP", "B-NP", "I-NP", "O"],
}
NER_SENTENCE = {
    "words": ["Fischler", "met", "Zwingmann", "in", "Luxembourg", "."],
    "tags": ["B-PER", "O", "B-PER", "O", "B-LOC", "O"],
}


def _subtoken_counts(tokenizer, words: list[str]) -> dict[str, int]:
    pieces = tokenizer(words, add_special_tokens=False)["input_ids"]
    return {w: len(p) for w, p in zip(words, pieces)}


@exercise("q1")
def q1(answer, tokenizer, split):
    """The ten words of a split with the most subtokens."""
    answer = list(answer)
    vocabulary = sorted({w for sentence in split["tokens"] for w in sentence})
    counts = _subtoken_counts(tokenizer, vocabulary)
    tenth = sorted(counts.values(), reverse=True)[: min(10, len(counts))][-1]
    if len(answer) != min(10, len(counts)):
        return T(f"you gave {len(answer)} words; give ten.", f"你给出了 {len(answer)} 个词；请给出十个。")
    for word in answer:
        if answer.count(word) > 1:
            return T(
                f"{word!r} appears twice: list distinct words.", f"{word!r} 出现了两次：请列出不同的词。"
            )
        if word not in counts:
            return T(f"{word!r} is not a word of this split.", f"{word!r} 不是这个数据划分中的词。")
    by_chars = sorted(vocabulary, key=lambda w: (-len(w), w))[:10]
    short = [w for w in answer if counts[w] < tenth]
    if short:
        word = short[0]
        why = T("", "")
        if set(answer) == set(by_chars):
            why = T(
                " These are the longest words in characters; count subtokens instead.",
                "这些是按字符数最长的词；请改为按子词数计。",
            )
        return (
            T(
                f"{word!r} has {counts[word]} subtokens, but ten words have at least {tenth}.",
                f"{word!r} 只有 {counts[word]} 个子词，而有十个词至少有 {tenth} 个子词。",
            )
            + why
        )
    return None


def _as_ids(labels, names: list[str]) -> list[int]:
    index = {name: i for i, name in enumerate(names)}
    out = []
    for label in labels:
        if label is None or label in (IGNORE_INDEX, str(IGNORE_INDEX)):
            out.append(IGNORE_INDEX)
        elif isinstance(label, str):
            if label not in index:
                raise ValueError(f"{label!r} is not one of the labels {names}")
            out.append(index[label])
        else:
            out.append(int(label))
    return out


def alignment_problem(answer, tokenizer, words, tags, names, *, other_names=None) -> T | None:
    """Feedback on labels for every subtoken (``label_all_tokens=True`` with B-X → I-X), or None if right."""
    enc = tokenizer(list(words), is_split_into_words=True)
    word_ids = enc.word_ids()
    subtokens = tokenizer.convert_ids_to_tokens(enc["input_ids"])
    ids = [names.index(t) for t in tags]
    expected = align_labels(word_ids, ids, label_all_tokens=True, b_to_i=b_to_i_map(names))
    got = _as_ids(list(answer), names)
    if len(got) == len(expected) - 2:
        return T(
            f"you have {len(got)} labels for {len(expected)} subtokens: [CLS] and [SEP] need a label too (-100).",
            f"你给了 {len(got)} 个标签，但有 {len(expected)} 个子词：[CLS] 和 [SEP] 也需要一个标签（-100）。",
        )
    if len(got) != len(expected):
        return T(
            f"you have {len(got)} labels, the sentence has {len(expected)} subtokens: one label per subtoken.",
            f"你给了 {len(got)} 个标签，这句话有 {len(expected)} 个子词：每个子词一个标签。",
        )
    pos = first_difference(got, expected)
    if pos is None:
        return None
    g, e, wid = got[pos], expected[pos], word_ids[pos]
    piece = subtokens[pos]

    def name(i: int) -> str:
        return "-100" if i == IGNORE_INDEX else names[i] if 0 <= i < len(names) else str(i)

    if wid is None:
        return T(
            f"position {pos} is the special token `{piece}`: give it -100, the loss ignores it.",
            f"位置 {pos} 是特殊词元 `{piece}`：给它 -100，损失函数会忽略它。",
        )
    first = pos == 0 or word_ids[pos - 1] != wid
    word_label = names[ids[wid]]
    if not first and g == ids[wid] and e != ids[wid]:
        return T(
            f"the continuation subtoken `{piece}` of a `{word_label}` word got `{word_label}`; it should be "
            f"`{name(e)}` (copying B- makes one word several entities).",
            f"`{word_label}` 词的后续子词 `{piece}` 得到了 `{word_label}`；应当是 `{name(e)}`（照抄 B- 会让一个词"
            "变成好几个实体）。",
        )
    if not first and g == IGNORE_INDEX:
        return T(
            f"the continuation subtoken `{piece}` got -100: here every subtoken is labelled "
            f"(label_all_tokens=True), so it gets `{name(e)}`.",
            f"后续子词 `{piece}` 得到了 -100：这里要给每个子词打标签（label_all_tokens=True），所以它应得到 "
            f"`{name(e)}`。",
        )
    return T(
        f"subtoken `{piece}` (position {pos}, word {words[wid]!r} tagged `{word_label}`): you gave "
        f"`{name(g)}`, expected `{name(e)}`.",
        f"子词 `{piece}`（位置 {pos}，词 {words[wid]!r}，标签 `{word_label}`）：你给的是 `{name(g)}`，应为 "
        f"`{name(e)}`。",
    )


@exercise("q2", data=CHUNK_SENTENCE)
def q2(answer, tokenizer):
    """Chunk labels for every subtoken of a fixed sentence."""
    return alignment_problem(answer, tokenizer, CHUNK_SENTENCE["words"], CHUNK_SENTENCE["tags"], CHUNK_LABELS)


@exercise("q3", fill={"TRUNCATE_AT": TRUNCATE_AT})
def q3(answer, tokenizer, split):
    """Words lost to truncation at ``max_length=16`` in a split."""
    batch = {"tokens": [list(t) for t in split["tokens"]], "ner_tags": [list(t) for t in split["ner_tags"]]}
    enc = tokenize_and_align_labels(batch, tokenizer, max_length=TRUNCATE_AT)
    lengths = [len(t) for t in split["tokens"]]
    lost = sum(count_truncated_words(w, n) for w, n in zip(enc["word_ids"], lengths))
    if isinstance(answer, float) and 0 < answer < 1 and answer != lost:
        return T("that is a share; give the number of words lost.", "这是一个比例；请给出丢失的词数。")
    answer = int(answer)
    if answer == lost:
        return None
    full = tokenizer(batch["tokens"], is_split_into_words=True)
    kept_pieces = sum(sum(w != -1 for w in wids) for wids in enc["word_ids"])
    cut_pieces = sum(len(ids) - 2 for ids in full["input_ids"]) - kept_pieces
    by_words = sum(max(0, n - TRUNCATE_AT) for n in lengths)
    cut_sentences = sum(count_truncated_words(w, n) > 0 for w, n in zip(enc["word_ids"], lengths))
    if answer == cut_pieces:
        return T(
            f"{num(answer)} is the number of subtokens cut off; a word is lost only when none of its subtokens is "
            f"kept: {num(lost)} words.",
            f"{num(answer)} 是被截掉的子词数；只有一个词的子词全部被截掉，它才算丢失：共 {num(lost)} 个词。",
        )
    if answer == by_words:
        return T(
            f"you cut after {TRUNCATE_AT} words, but max_length counts subtokens, [CLS] and [SEP] included.",
            f"你是在第 {TRUNCATE_AT} 个词之后截断的，但 max_length 数的是子词，而且包括 [CLS] 和 [SEP]。",
        )
    if answer == cut_sentences:
        return T(
            f"{num(answer)} sentences are cut; count the words they lose.",
            f"被截断的是 {num(answer)} 个句子；请统计它们丢失的词数。",
        )
    return T(
        f"you have {num(answer)}; with max_length={TRUNCATE_AT} this split loses a different number of words.",
        f"你的答案是 {num(answer)}；在 max_length={TRUNCATE_AT} 时，这个数据划分丢失的词数与此不同。",
    )


@exercise("q4", data=NER_SENTENCE)
def q4(answer, tokenizer):
    """NER labels for every subtoken, aligned by hand."""
    return alignment_problem(answer, tokenizer, NER_SENTENCE["words"], NER_SENTENCE["tags"], NER_LABELS)
