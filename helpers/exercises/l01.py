"""Lesson 1 exercises: reading tags, entities and the IOB schemes."""

from __future__ import annotations

from collections import Counter

from ..display import entity_spans
from ..labels import iob2_to_iob1, split_tag
from . import T, exercise, first_difference, first_wrong_count, num

SENTENCE = 111  # index in the validation split of the sentence to decode (q1)

IOB1_SENTENCES = (
    (["New", "York", "Yankees", "beat", "Boston", "Red", "Sox"], "B-ORG I-ORG I-ORG O B-ORG I-ORG I-ORG"),
    (["he", "told", "Kohl", "Yeltsin", "agreed"], "O O B-PER B-PER O"),
)


def _names(split, column: str = "ner_tags") -> list[str]:
    return list(split.features[column].feature.names)


def _entities(words, tags) -> list[tuple[str, str]]:
    return [(typ, " ".join(words[s:e])) for typ, s, e in entity_spans(tags)]


def _type_problem(typ) -> T | None:
    if not isinstance(typ, str):
        return T(
            f"the type {typ!r} is not a string such as 'PER'.", f"类型 {typ!r} 不是 'PER' 这样的字符串。"
        )
    prefix, bare = split_tag(typ)
    if prefix in ("B", "I"):
        return T(
            f"write the entity type without its prefix: {bare!r}, not {typ!r}.",
            f"实体类型不要带前缀：写 {bare!r}，而不是 {typ!r}。",
        )
    return None


@exercise("q1", fill={"SENTENCE": SENTENCE})
def q1(answer, split):
    """The entities of one validation sentence, as (type, text) pairs."""
    row = split[SENTENCE]
    words, tags = row["tokens"], [_names(split)[i] for i in row["ner_tags"]]
    expected = _entities(words, tags)
    types = {split_tag(name)[1] for name in _names(split)} - {""}
    answer = list(answer)
    if len(answer) == len(words) and all(isinstance(a, str) for a in answer):
        return T(
            "that is one tag per word; group the tags into entities: (type, words) pairs.",
            "这是每个词一个标签；请把标签组合成实体：(类型, 词) 对。",
        )
    pairs = []
    for item in answer:
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            return T(f"{item!r} is not a (type, words) pair.", f"{item!r} 不是一个 (类型, 词) 对。")
        typ, text = item
        text = " ".join(text) if isinstance(text, (list, tuple)) else text
        if text in types and typ not in types:
            return T(
                f"put the type first: ({text!r}, {typ!r}), not ({typ!r}, {text!r}).",
                f"类型放在前面：写 ({text!r}, {typ!r})，而不是 ({typ!r}, {text!r})。",
            )
        problem = _type_problem(typ)
        if problem:
            return problem
        pairs.append((typ, text))
    by_text = {text: typ for typ, text in expected}
    for typ, text in pairs:
        if text in by_text and by_text[text] != typ:
            return T(
                f"{text!r} is a {by_text[text]} entity, not {typ}.",
                f"{text!r} 是 {by_text[text]} 实体，不是 {typ}。",
            )
        if (typ, text) not in expected:
            return T(
                f"({typ!r}, {text!r}) is not an entity of sentence {SENTENCE}; "
                f"an entity's words run from its B- tag through the I- tags that follow.",
                f"({typ!r}, {text!r}) 不是第 {SENTENCE} 句中的实体；一个实体从 B- 标签开始，包括紧随其后的 I- 标签。",
            )
    missing = [e for e in expected if e not in pairs]
    if missing:
        typ, text = missing[0]
        return T(
            f"{len(missing)} entity(ies) missing, e.g. {text!r} ({typ}).",
            f"漏掉了 {len(missing)} 个实体，例如 {text!r}（{typ}）。",
        )
    if len(pairs) != len(expected):
        return T("an entity is listed twice.", "有实体被列了两次。")
    return None


@exercise("q2")
def q2(answer, split):
    """The longest entity (in words) of a split."""
    typ, words = answer
    words = words.split() if isinstance(words, str) else list(words)
    problem = _type_problem(typ)
    if problem:
        return problem
    names = _names(split)
    longest, by_chars, found = 0, (0, None), False
    for tokens, ids in zip(split["tokens"], split["ner_tags"]):
        for t, s, e in entity_spans([names[i] for i in ids]):
            longest = max(longest, e - s)
            chars = len(" ".join(tokens[s:e]))
            if chars > by_chars[0]:
                by_chars = (chars, tokens[s:e])
            found = found or (t == typ and tokens[s:e] == words)
    if not found:
        return T(
            f"{' '.join(words)!r} is not a {typ} entity of this split.",
            f"{' '.join(words)!r} 不是这个数据划分中的 {typ} 实体。",
        )
    if len(words) < longest:
        extra = (
            T(" That one is the longest in characters; count words.", "它是按字符数最长的；请按词数计。")
            if words == by_chars[1]
            else T("", "")
        )
        return (
            T(
                f"{' '.join(words)!r} has {len(words)} words; the longest entity has {longest}.",
                f"{' '.join(words)!r} 有 {len(words)} 个词；最长的实体有 {longest} 个词。",
            )
            + extra
        )
    return None


@exercise("q3")
def q3(answer):
    """IOB1 tags written by hand for two sentences."""
    if len(answer) != len(IOB1_SENTENCES):
        return T("give two tag lists, one per sentence.", "请给出两个标签列表，每句一个。")
    for n, ((words, iob2), tags) in enumerate(zip(IOB1_SENTENCES, answer), start=1):
        tags = tags.split() if isinstance(tags, str) else list(tags)
        iob2 = iob2.split()
        expected = iob2_to_iob1(iob2)
        if len(tags) != len(words):
            return T(
                f"sentence {n} has {len(words)} words but you wrote {len(tags)} tags.",
                f"第 {n} 句有 {len(words)} 个词，你却写了 {len(tags)} 个标签。",
            )
        if tags == iob2 and iob2 != expected:
            return T(
                f"sentence {n} is written in IOB2 (every entity opens with B-); IOB1 opens with I-.",
                f"第 {n} 句写成了 IOB2（每个实体都以 B- 开始）；IOB1 以 I- 开始。",
            )
        i = first_difference(tags, expected)
        if i is not None:
            got, want = tags[i], expected[i]
            why = (
                T(
                    "it starts an entity right after one of the same type",
                    "它紧跟在同类型实体之后开始一个新实体",
                )
                if want.startswith("B-")
                else T("IOB1 uses B- only between two touching entities", "IOB1 只在两个相邻实体之间使用 B-")
            )
            return T(
                f"sentence {n}, word {i + 1} {words[i]!r}: you wrote {got}, IOB1 needs {want} ({why.en}).",
                f"第 {n} 句第 {i + 1} 个词 {words[i]!r}：你写的是 {got}，IOB1 应为 {want}（{why.zh}）。",
            )
    return None


@exercise("q4")
def q4(answer, ds):
    """Entities per type in the validation split."""
    answer = dict(answer)
    for key in answer:
        if key == "O":
            return T(
                "'O' is not an entity type: it marks words outside entities.",
                "'O' 不是实体类型：它标记实体之外的词。",
            )
        problem = _type_problem(key)
        if problem:
            return problem

    def counts(split):
        names, entities, words = _names(split), Counter(), Counter()
        for ids in split["ner_tags"]:
            tags = [names[i] for i in ids]
            entities.update(t for t, _, _ in entity_spans(tags))
            words.update(split_tag(t)[1] for t in tags if t != "O")
        return entities, words

    expected, tagged_words = counts(ds["validation"])
    if answer == dict(expected):
        return None
    if answer == dict(tagged_words):
        typ = max(expected, key=lambda t: tagged_words[t] - expected[t])
        return T(
            f"you counted words: {num(answer[typ])} words are tagged {typ} (B- or I-), but they form "
            f"{num(expected[typ])} {typ} entities.",
            f"你数的是词：有 {num(answer[typ])} 个词带 {typ} 标签（B- 或 I-），但它们只构成 {num(expected[typ])} 个 "
            f"{typ} 实体。",
        )
    for other in ("train", "test"):
        if other in ds and answer == dict(counts(ds[other])[0]):
            return T(
                f"these are the counts of the {other} split, not validation.",
                f"这是 {other} 划分的计数，不是验证集的。",
            )
    return first_wrong_count(answer, expected, T("the validation split has {}", "验证集中有 {} 个"))
