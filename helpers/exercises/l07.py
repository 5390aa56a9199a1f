"""Lesson 7 exercises: BMES tags, unknown characters, character offsets, NFKC and traditional characters."""

from __future__ import annotations

from ..labels import split_tag, to_iob2
from . import Choice, T, choice, exercise

BMES_SENTENCE = {
    "chars": list("欧阳娜娜在上海交通大学读书"),
    "tags": ["B-PER", "M-PER", "M-PER", "E-PER", "O", "B-ORG", "M-ORG", "M-ORG", "M-ORG", "M-ORG", "E-ORG", "O", "O"],
}  # fmt: skip

SPAN_TEXT = {
    "text": "记者从华为获悉，张伟已于2024年抵达深圳。",
    "mentions": {"ORG": ["华为"], "PER": ["张伟"], "LOC": ["深圳"]},
}


@exercise(
    "q1",
    expects=T("a list of IOB2 tags, one per character", "IOB2 标签列表，每个字一个"),
    hint=T(
        "In BMES, B- opens an entity, M- and E- continue it, S- is a one-character entity. In IOB2 only B- and I- "
        "exist. `helpers.labels.to_iob2(tags, 'bmes')` does it for you.",
        "在 BMES 中，B- 开始一个实体，M- 和 E- 延续它，S- 是单字实体。IOB2 只有 B- 和 I-。"
        "`helpers.labels.to_iob2(tags, 'bmes')` 可以直接完成转换。",
    ),
    solution="""
answer = to_iob2(ex.q1.data["tags"], "bmes")
print(list(zip(ex.q1.data["chars"], answer)))
""",
    data=BMES_SENTENCE,
)
def q1(answer):
    """The BMES tags of the sentence in IOB2."""
    expected = to_iob2(BMES_SENTENCE["tags"], "bmes")
    answer = list(answer)
    if len(answer) != len(expected):
        return T(
            f"you have {len(answer)} tags for {len(expected)} characters.",
            f"你给出了 {len(answer)} 个标签，但有 {len(expected)} 个字。",
        )
    for i, (got, want) in enumerate(zip(answer, expected)):
        if split_tag(str(got))[0] in ("M", "E", "S"):
            return T(
                f"character {i} ({BMES_SENTENCE['chars'][i]}) still has {got}: IOB2 has no M-, E- or S- "
                "(M-/E- become I-, S- becomes B-).",
                f"第 {i} 个字（{BMES_SENTENCE['chars'][i]}）仍是 {got}：IOB2 没有 M-、E-、S-（M-/E- 变成 I-，S- 变成 B-）。",
            )
        if got != want:
            return T(
                f"character {i} ({BMES_SENTENCE['chars'][i]}): {got}, expected {want}.",
                f"第 {i} 个字（{BMES_SENTENCE['chars'][i]}）：{got}，应为 {want}。",
            )
    return None


def _unk_occurrence_share(tokenizer, split) -> tuple[float, float]:
    chars = [ch for tokens in split["tokens"] for tok in tokens for ch in tok if not ch.isspace()]
    distinct = sorted(set(chars))
    ids = tokenizer(distinct, add_special_tokens=False)["input_ids"]
    unknown = {c for c, i in zip(distinct, ids) if i == [tokenizer.unk_token_id]}
    return sum(c in unknown for c in chars) / len(chars), len(unknown) / len(distinct)


@exercise(
    "q2",
    expects=T(
        "a number between 0 and 1: the share of character occurrences that become [UNK]",
        "0 到 1 之间的数：变成 [UNK] 的字（按出现次数计）所占的比例",
    ),
    hint=T(
        "Collect every character of `ds['train']['tokens']` (a Latin word counts letter by letter), tokenize them "
        "with `tokenizer(chars, add_special_tokens=False)`, and count those whose ids are `[tokenizer.unk_token_id]`.",
        "收集 `ds['train']['tokens']` 中的每一个字（英文单词按字母计），用 `tokenizer(chars, add_special_tokens=False)` "
        "分词，数一数 id 为 `[tokenizer.unk_token_id]` 的有多少。",
    ),
    solution="""
chars = [ch for tokens in ds["train"]["tokens"] for tok in tokens for ch in tok]
ids = tokenizer(chars, add_special_tokens=False)["input_ids"]
answer = sum(pieces == [tokenizer.unk_token_id] for pieces in ids) / len(chars)
print(f"{answer:.1%} of the training characters become [UNK]")
""",
)
def q2(answer, tokenizer, split):
    """The share of training character occurrences the tokenizer maps to [UNK]."""
    occurrences, distinct = _unk_occurrence_share(tokenizer, split)
    value = float(answer)
    if abs(value - occurrences) <= 1e-3:
        return None
    if abs(value - distinct) <= 1e-3 and abs(distinct - occurrences) > 1e-3:
        return T(
            f"{value:.3f} is the share of distinct characters; count every occurrence ({occurrences:.1%} expected "
            "is what the model meets in training).",
            f"{value:.3f} 是不同字所占的比例；请按出现次数计（模型在训练中实际遇到的比例）。",
        )
    if abs(value - occurrences * 100) <= 0.1:
        return T(
            "give a share between 0 and 1, not a percentage.", "请给出 0 到 1 之间的比例，而不是百分数。"
        )
    return T(
        f"you have {value:.4f}; count the characters whose token ids are exactly [unk_token_id].",
        f"你的结果是 {value:.4f}；请统计 token id 恰好是 [unk_token_id] 的字。",
    )


def _expected_spans() -> list[list]:
    text = SPAN_TEXT["text"]
    out = []
    for typ, mentions in SPAN_TEXT["mentions"].items():
        for mention in mentions:
            start = text.find(mention)
            out.append([start, start + len(mention), typ])
    return sorted(out)


@exercise(
    "q3",
    expects=T(
        "a list of [start, end, type] (doccano layout, end exclusive), sorted by start",
        "由 [起点, 终点, 类型] 组成、按起点排序的列表（doccano 格式，终点不含在内）",
    ),
    hint=T(
        "`text.find(mention)` gives the start; the end is start + len(mention). "
        "Check with `text[start:end] == mention`.",
        "`text.find(mention)` 给出起点；终点是 start + len(mention)。用 `text[start:end] == mention` 检查。",
    ),
    solution="""
text, mentions = ex.q3.data["text"], ex.q3.data["mentions"]
answer = []
for typ, names in mentions.items():
    for name in names:
        start = text.find(name)
        answer.append([start, start + len(name), typ])
answer.sort()
print(answer, [text[s:e] for s, e, _ in answer])
""",
    data=SPAN_TEXT,
)
def q3(answer):
    """Doccano spans of the mentions in the text."""
    text = SPAN_TEXT["text"]
    expected = _expected_spans()
    got = sorted([int(s), int(e), str(t)] for s, e, t in answer)
    if got == expected:
        return None
    if sorted([s, e + 1, t] for s, e, t in got) == expected:
        return T(
            "your ends are inclusive (CLUENER's layout); doccano's end is exclusive: text[start:end] is the mention.",
            "你的终点是包含在内的（CLUENER 的格式）；doccano 的终点不含在内：text[start:end] 就是提及本身。",
        )
    for s, e, t in got:
        if [s, e, t] not in expected:
            return T(
                f"[{s}, {e}, {t!r}] slices {text[s:e]!r}, which is not a {t} mention.",
                f"[{s}, {e}, {t!r}] 切出的是 {text[s:e]!r}，它不是 {t} 提及。",
            )
    return T(
        f"{len(expected) - len(got)} mention(s) are missing.", f"缺少 {len(expected) - len(got)} 个提及。"
    )


q4 = choice(
    "q4",
    question=T(
        "Which text changes its length under `unicodedata.normalize('NFKC', text)`, so that entity offsets "
        "computed after normalising no longer fit the original?",
        "哪一段文本在 `unicodedata.normalize('NFKC', text)` 之后长度会改变，使得规范化后算出的实体偏移量不再对应原文？",
    ),
    choices={
        "a": Choice(
            T("ＩＢＭ２０２４年", "ＩＢＭ２０２４年"),
            T(
                "Full-width letters and digits become half-width, one character each: the length stays 8.",
                "全角字母和数字变成半角，仍是一个字符对应一个字符：长度还是 8。",
            ),
        ),
        "b": Choice(
            T("华为……发布会", "华为……发布会"),
            T(
                "Right: each … (one character) becomes ... (three), so every offset after it moves.",
                "对：每个“…”（一个字符）变成“...”（三个字符），它后面的所有偏移量都会移动。",
            ),
        ),
        "c": Choice(
            T("臺灣大學", "臺灣大學"),
            T(
                "NFKC does not convert traditional characters to simplified ones; that takes OpenCC or similar.",
                "NFKC 不会把繁体字转换成简体字；这需要 OpenCC 之类的工具。",
            ),
        ),
    },
    correct="b",
    hint=T(
        "Try each one in a cell: compare len(text) before and after.",
        "在单元格里逐个试一试：比较前后的 len(text)。",
    ),
)

q5 = choice(
    "q5",
    question=T(
        "The offline model (bundled MiniLM, vocabulary extended with the training characters of the generated "
        "corpus) tokenizes 臺灣大學 as [UNK] [UNK] 大 [UNK]. Why?",
        "离线模型（自带的 MiniLM，词表扩充了生成语料训练集中的字）把“臺灣大學”切成 [UNK] [UNK] 大 [UNK]。为什么？",
    ),
    choices={
        "a": Choice(
            T("The tokenizer cannot split traditional characters", "分词器切分不了繁体字"),
            T(
                "It splits them like any CJK character (one per token); the ids are the problem, not the split.",
                "它像处理任何汉字一样切分繁体字（每个字一个词元）；问题出在 id 上，而不是切分。",
            ),
        ),
        "b": Choice(
            T(
                "Only characters of the training data were added, and the training data is simplified",
                "只加入了训练数据中的字，而训练数据是简体字",
            ),
            T(
                "Right: extend_vocabulary adds what the training data contains; 大 was already in the English "
                "vocabulary. Convert traditional text to simplified before tagging, or train on both.",
                "对：extend_vocabulary 只加入训练数据中出现的字；“大”本来就在英文词表里。标注前先把繁体转成简体，或者在两种写法的数据上训练。",
            ),
        ),
        "c": Choice(
            T("NFKC normalisation removed them", "NFKC 规范化把它们删掉了"),
            T(
                "Neither the tokenizer nor the course applies NFKC, and NFKC keeps these characters.",
                "分词器和课程都没有做 NFKC 规范化，而且 NFKC 也会保留这些字。",
            ),
        ),
    },
    correct="b",
    hint=T("Which characters did `extend_vocabulary` add?", "`extend_vocabulary` 加入了哪些字？"),
)

EXERCISES = [q1, q2, q3, q4, q5]
