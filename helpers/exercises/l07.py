"""Lesson 7 exercises: BMES tags, unknown characters, character offsets, NFKC and traditional characters."""

from __future__ import annotations

from ..labels import split_tag, to_iob2
from . import T, exercise, first_difference

BMES_SENTENCE = {
    "chars": list("欧阳娜娜在上海交通大学读书"),
    "tags": ["B-PER", "M-PER", "M-PER", "E-PER", "O", "B-ORG", "M-ORG", "M-ORG", "M-ORG", "M-ORG", "E-ORG", "O", "O"],
}  # fmt: skip

SPAN_TEXT = {
    "text": "记者从华为获悉，张伟已于2024年抵达深圳。",
    "mentions": {"ORG": ["华为"], "PER": ["张伟"], "LOC": ["深圳"]},
}


@exercise("q1", data=BMES_SENTENCE)
def q1(answer):
    """The BMES tags of the sentence in IOB2."""
    expected = to_iob2(BMES_SENTENCE["tags"], "bmes")
    answer = list(answer)
    if len(answer) != len(expected):
        return T(
            f"you have {len(answer)} tags for {len(expected)} characters.",
            f"你给出了 {len(answer)} 个标签，但有 {len(expected)} 个字。",
        )
    i = first_difference(answer, expected)
    if i is None:
        return None
    got, want = answer[i], expected[i]
    if split_tag(str(got))[0] in ("M", "E", "S"):
        return T(
            f"character {i} ({BMES_SENTENCE['chars'][i]}) still has {got}: IOB2 has no M-, E- or S- "
            "(M-/E- become I-, S- becomes B-).",
            f"第 {i} 个字（{BMES_SENTENCE['chars'][i]}）仍是 {got}：IOB2 没有 M-、E-、S-（M-/E- 变成 I-，S- 变成 B-）。",
        )
    return T(
        f"character {i} ({BMES_SENTENCE['chars'][i]}): {got}, expected {want}.",
        f"第 {i} 个字（{BMES_SENTENCE['chars'][i]}）：{got}，应为 {want}。",
    )


def _unk_occurrence_share(tokenizer, split) -> tuple[float, float]:
    chars = [ch for tokens in split["tokens"] for tok in tokens for ch in tok if not ch.isspace()]
    distinct = sorted(set(chars))
    ids = tokenizer(distinct, add_special_tokens=False)["input_ids"]
    unknown = {c for c, i in zip(distinct, ids) if i == [tokenizer.unk_token_id]}
    return sum(c in unknown for c in chars) / len(chars), len(unknown) / len(distinct)


@exercise("q2")
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


@exercise("q3", data=SPAN_TEXT)
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
