"""Lesson 9 exercises: BMES tags of words, word precision/recall/F1 by offsets, OOV recall, standards, Viterbi."""

from __future__ import annotations

from ..bmes import segmentation_scores, word_tags
from . import T, exercise, first_difference

SEGMENTED = {"words": ["中国", "人民", "银行", "发行", "了", "新", "版", "人民币", "。"]}

SCORED = {
    "gold": ["他", "说", "的", "确实", "在理"],
    "predicted": ["他", "说", "的确", "实在", "理"],
}

OOV = {
    "gold": ["李", "明", "在", "北京", "参观", "了", "故宫博物院"],
    "predicted": ["李", "明", "在", "北京", "参观", "了", "故宫", "博物院"],
    "vocabulary": ["在", "北京", "参观", "了", "故宫", "博物院"],
}


@exercise("q1", data=SEGMENTED)
def q1(answer):
    """BMES tags (type W) of a segmented sentence, one per character."""
    expected = word_tags(SEGMENTED["words"])[1]
    chars = "".join(SEGMENTED["words"])
    answer = [str(t) for t in answer]
    if len(answer) != len(expected):
        return T(
            f"you have {len(answer)} tags for {len(expected)} characters: one tag per character, not per word.",
            f"你给出了 {len(answer)} 个标签，但有 {len(expected)} 个字：每个字一个标签，而不是每个词一个。",
        )
    i = first_difference(answer, expected)
    if i is None:
        return None
    got, want = answer[i], expected[i]
    if got.split("-")[0] == want.split("-")[0] and not got.endswith("-W"):
        return T(
            f"character {i} ({chars[i]}): write the type too, {want} (W for word).",
            f"第 {i} 个字（{chars[i]}）：类型也要写上，即 {want}（W 表示词）。",
        )
    if want == "S-W":
        return T(
            f"character {i} ({chars[i]}) is a word of one character: S-W, not {got}.",
            f"第 {i} 个字（{chars[i]}）自己就是一个词：应为 S-W，而不是 {got}。",
        )
    return T(
        f"character {i} ({chars[i]}): {got}, expected {want} (B- starts a word, M- is inside, E- ends it).",
        f"第 {i} 个字（{chars[i]}）：{got}，应为 {want}（B- 开始一个词，M- 在词中，E- 结束它）。",
    )


def _triple(answer) -> tuple[float, float, float] | None:
    try:
        p, r, f = (float(x) for x in answer)
    except (TypeError, ValueError):
        return None
    return p, r, f


@exercise("q2", data=SCORED)
def q2(answer):
    """Word precision, recall and F1 of the predicted segmentation, words matched by their offsets."""
    s = segmentation_scores([SCORED["gold"]], [SCORED["predicted"]])
    want = (s["precision"], s["recall"], s["f1"])
    got = _triple(answer)
    if got is None:
        return T("give three numbers: (precision, recall, f1).", "请给出三个数：(precision, recall, f1)。")
    if all(abs(g - w) <= 1e-3 for g, w in zip(got, want)):
        return None
    if all(abs(g - 100 * w) <= 0.1 for g, w in zip(got, want)):
        return T("give shares between 0 and 1, not percentages.", "请给出 0 到 1 之间的比例，而不是百分数。")
    chars = sum(a == b for a, b in zip("".join(SCORED["gold"]), "".join(SCORED["predicted"])))
    if abs(got[0] - chars / len("".join(SCORED["gold"]))) <= 1e-3:
        return T(
            "that compares characters; the bakeoffs count words: a predicted word is right only when both its "
            "start and its end are those of a gold word.",
            "这是在比较字；评测按词计算：只有起点和终点都与某个金标词相同，预测的词才算对。",
        )
    return T(
        f"you have {got[0]:.3f}, {got[1]:.3f}, {got[2]:.3f}. Write each word as (start, end) in the text and "
        "count the predicted words whose pair is also a gold pair.",
        f"你的结果是 {got[0]:.3f}、{got[1]:.3f}、{got[2]:.3f}。把每个词写成它在文本中的 (起点, 终点)，数一数有多少预测词的"
        "这一对数也出现在金标词中。",
    )


@exercise("q3", data=OOV)
def q3(answer):
    """OOV recall: the share of gold words absent from the vocabulary that the prediction got right."""
    s = segmentation_scores([OOV["gold"]], [OOV["predicted"]], OOV["vocabulary"])
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return T("give one number between 0 and 1.", "请给出一个 0 到 1 之间的数。")
    if abs(value - s["oov_recall"]) <= 1e-3:
        return None
    if abs(value - s["oov_rate"]) <= 1e-3:
        return T(
            f"{value:.3f} is the OOV rate (how many gold words are OOV); the recall asks how many of them were found.",
            f"{value:.3f} 是 OOV 率（金标词中有多少不在词表里）；召回率问的是其中有多少被正确切出。",
        )
    predicted_oov = [w for w in OOV["predicted"] if w not in OOV["vocabulary"]]
    gold_set = set(OOV["gold"])
    if predicted_oov and abs(value - sum(w in gold_set for w in predicted_oov) / len(predicted_oov)) <= 1e-3:
        return T(
            "you started from the predicted words; OOV recall starts from the gold words that are not in the "
            "vocabulary.",
            "你是从预测的词出发的；OOV 召回率要从不在词表中的金标词出发。",
        )
    return T(
        f"you have {value:.3f}. List the gold words not in the vocabulary, then count those the prediction has "
        "with the same start and end.",
        f"你的结果是 {value:.3f}。先列出不在词表中的金标词，再数一数其中有多少被预测出了相同的起点和终点。",
    )
