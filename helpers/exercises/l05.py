"""Lesson 5 exercises: POS token accuracy versus chunk span F1."""

from __future__ import annotations

from collections import Counter

from ..analysis import classify_errors, spans
from ..metrics import span_scores, tag_accuracy
from . import Right, T, exercise, num

TOY_GOLD = ["B-NP", "I-NP", "B-VP", "O"]


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 5e-4


@exercise("q1")
def q1(answer, pos_pred, split):
    """Accuracy of predicted POS tag names once tags are cut to their first two letters."""
    names = split.features["pos_tags"].feature.names
    gold = [[names[i] for i in s] for s in split["pos_tags"]]
    pred = [list(s) for s in pos_pred]
    if len(pred) != len(gold):
        return T(
            f"{len(pred)} predicted sentences for {len(gold)} gold sentences.",
            f"预测了 {len(pred)} 个句子，而金标有 {len(gold)} 个句子。",
        )

    def cut(sentences, width=2):
        return [[t[:width] for t in s] for s in sentences]

    coarse = tag_accuracy(cut(gold), cut(pred))["overall_accuracy"]
    fine = tag_accuracy(gold, pred)["overall_accuracy"]
    value = float(answer)
    if _close(value, coarse):
        return Right(T(f"{coarse - fine:+.4f} over the fine tags.", f"比细粒度标签高 {coarse - fine:+.4f}。"))
    if _close(value / 100, coarse):
        return T("give the accuracy as a fraction, not a percentage.", "请把准确率写成小数，而不是百分数。")
    if _close(value, fine):
        return T(
            f"{value:.4f} is the fine-grained accuracy: cut both gold and predicted tags to their first two letters.",
            f"{value:.4f} 是细粒度准确率：请把金标标签和预测标签都截成前两个字母。",
        )
    if _close(value, tag_accuracy(gold, cut(pred))["overall_accuracy"]) or _close(
        value, tag_accuracy(cut(gold), pred)["overall_accuracy"]
    ):
        return T(
            "you cut only one side: cut the gold tags and the predicted tags alike.",
            "你只截了一边：金标标签和预测标签都要截。",
        )
    return T(
        f"you have {value:.4f}; the coarse accuracy of these predictions differs.",
        f"你的答案是 {value:.4f}；这些预测的粗粒度准确率与此不同。",
    )


@exercise("q3")
def q3(answer, chunk_gold, chunk_pred):
    """Gold chunks of the right type whose boundaries are wrong."""
    kinds = Counter(c.kind for c in classify_errors(chunk_gold, chunk_pred))
    value = int(answer)
    if value == kinds["boundary"]:
        return None
    if value == kinds["boundary"] + kinds["boundary_and_type"]:
        return T(
            "you also counted chunks whose type is wrong too ('boundary_and_type'); keep the right type only.",
            "你把类型也错了的组块（'boundary_and_type'）也算进去了；只保留类型正确的。",
        )
    if value == sum(kinds.values()):
        return T(f"{num(value)} is the number of all span errors.", f"{num(value)} 是全部片段错误的数量。")
    if value == kinds["missed"]:
        return T(
            "that is the number of missed chunks (no overlapping prediction at all).",
            "这是漏检组块的数量（完全没有重叠的预测）。",
        )
    return T(
        f"you have {num(value)}; these predictions have a different number of boundary errors.",
        f"你的答案是 {num(value)}；这些预测中边界错误的数量与此不同。",
    )


@exercise("q4", data={"gold": TOY_GOLD})
def q4(answer):
    """A chunk prediction with token accuracy 0.75 and span F1 0 against ``TOY_GOLD``."""
    answer = list(answer)
    if len(answer) != len(TOY_GOLD):
        return T(f"give {len(TOY_GOLD)} tags, one per word.", f"请给出 {len(TOY_GOLD)} 个标签，每个词一个。")
    accuracy = tag_accuracy([TOY_GOLD], [answer])["overall_accuracy"]
    f1 = span_scores([TOY_GOLD], [answer])["overall_f1"]
    if accuracy < 0.75:
        return T(
            f"token accuracy is {accuracy:.2f}: at least three of the four tags must match {TOY_GOLD}.",
            f"逐词准确率是 {accuracy:.2f}：四个标签中至少要有三个与 {TOY_GOLD} 相同。",
        )
    if f1 > 0:
        right = sorted(spans(TOY_GOLD) & spans(answer))
        return T(
            f"span F1 is {f1:.2f}: the span(s) {right} (type, start, end) are still predicted exactly.",
            f"片段 F1 是 {f1:.2f}：片段 {right}（type, start, end）仍被完全预测对了。",
        )
    return Right(
        T(
            f"accuracy {accuracy:.2f} but span F1 0: one wrong tag can break every span.",
            f"准确率 {accuracy:.2f}，片段 F1 却是 0：一个错误的标签就能破坏所有片段。",
        )
    )
