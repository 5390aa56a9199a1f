"""Lesson 4 exercises: error kinds, stray I- tags, where the model fails, reading the confusion matrix."""

from __future__ import annotations

from collections import Counter

from ..analysis import classify_errors, confusion
from ..labels import iob1_to_iob2, split_tag
from ..metrics import span_scores
from . import Right, T, exercise, first_difference, first_wrong_count, num


def _kinds(gold, pred) -> Counter:
    return Counter(case.kind for case in classify_errors(gold, pred))


@exercise("q1")
def q1(answer, split, pred):
    """Error kinds of predicted tags on a split."""
    names = split.features["ner_tags"].feature.names
    gold = [[names[i] for i in s] for s in split["ner_tags"]]
    if len(pred) != len(gold):
        return T(
            f"{len(pred)} predicted sentences for {len(gold)} test sentences.",
            f"预测了 {len(pred)} 个句子，而测试集有 {len(gold)} 个句子。",
        )
    expected = _kinds(gold, pred)
    got = {k: int(v) for k, v in dict(answer).items() if v}
    if got == dict(expected):
        return None
    if all(isinstance(v, float) and v <= 1 for v in dict(answer).values()):
        return T("these look like shares; give counts.", "这些看起来是比例；请给出数量。")
    return first_wrong_count(got, expected, T("the test predictions have {}", "测试集预测中有 {} 个"))


@exercise("q2")
def q2(answer, pred, gold):
    """Predictions with stray I- tags turned into B-."""
    answer = [list(s) for s in answer]
    if len(answer) != len(pred):
        return T(
            f"{len(answer)} sentences, but there are {len(pred)} predicted sentences.",
            f"你给了 {len(answer)} 个句子，但预测有 {len(pred)} 个句子。",
        )
    repaired = [iob1_to_iob2(tags) for tags in pred]
    n = first_difference(answer, repaired)
    if n is not None:
        got, want, tags = answer[n], repaired[n], pred[n]
        if len(got) != len(want):
            return T(
                f"sentence {n}: {len(got)} tags for {len(want)} words.",
                f"第 {n} 句：{len(want)} 个词却有 {len(got)} 个标签。",
            )
        i = first_difference(got, want)  # not None: the sentence differs and its length is right
        g, w, t = got[i], want[i], tags[i]
        prev = tags[i - 1] if i else "O"
        if g == t:
            return T(
                f"sentence {n}, word {i}: {t} after {prev} is still there; it should be {w}.",
                f"第 {n} 句第 {i} 个词：{prev} 之后的 {t} 还在；应改为 {w}。",
            )
        return T(
            f"sentence {n}, word {i}: you changed {t} (after {prev}) into {g}; it continues a "
            f"{split_tag(t)[1]} span, so keep {w}.",
            f"第 {n} 句第 {i} 个词：你把（{prev} 之后的）{t} 改成了 {g}；它接续一个 {split_tag(t)[1]} 片段，"
            f"应保留 {w}。",
        )
    before, after = span_scores(gold, pred)["overall_f1"], span_scores(gold, answer)["overall_f1"]
    changed = sum(a != b for s, p in zip(answer, pred) for a, b in zip(s, p))
    return Right(
        T(
            f"{changed} tags changed; F1 {before:.4f} before and {after:.4f} after.",
            f"改动了 {changed} 个标签；F1 修正前 {before:.4f}，修正后 {after:.4f}。",
        )
    )


@exercise("q3")
def q3(answer, gold, pred):
    """Missed gold entities by their length in words."""
    cases = classify_errors(gold, pred)
    expected = Counter(c.gold[2] - c.gold[1] for c in cases if c.kind == "missed")
    got = {int(k): int(v) for k, v in dict(answer).items() if v}
    if got == dict(expected):
        return None
    if got == {k + 1: v for k, v in expected.items()}:
        return T(
            "your lengths are one too long: gold_end is exclusive, so the length is gold_end - gold_start.",
            "你的长度都多了 1：gold_end 不包含在实体内，长度就是 gold_end - gold_start。",
        )
    with_gold = Counter(c.gold[2] - c.gold[1] for c in cases if c.gold is not None)
    if got == dict(with_gold):
        return T(
            "you counted every error that has a gold entity (wrong type and boundary errors too); keep the "
            "kind 'missed' only.",
            "你统计了所有带金标实体的错误（包括类型错误和边界错误）；只保留类型为 'missed' 的。",
        )
    for length in sorted(set(expected) | set(got)):
        if got.get(length, 0) != expected.get(length, 0):
            return T(
                f"entities of {length} word(s): you have {got.get(length, 0)} missed, there are "
                f"{expected.get(length, 0)}.",
                f"{length} 个词的实体：你统计的漏检数是 {got.get(length, 0)}，实际是 {expected.get(length, 0)}。",
            )
    return None


@exercise("q4")
def q4(answer, gold, pred):
    """The largest off-diagonal cell of the word confusion matrix (rows gold, columns predicted)."""
    types = sorted({split_tag(t)[1] for s in list(gold) + list(pred) for t in s} - {""})
    table = confusion(gold, pred, labels=[*types, "O"], normalize=False)
    g, p = (str(x) for x in answer)
    if g not in table.index or p not in table.columns:
        return T(
            f"use the labels of the matrix: {list(table.index)}.",
            f"请使用矩阵中的标签：{list(table.index)}。",
        )
    if g == p:
        return T(
            f"({g}, {p}) is on the diagonal: it counts {num(int(table.loc[g, p]))} words predicted correctly.",
            f"({g}, {p}) 在对角线上：它统计的是 {num(int(table.loc[g, p]))} 个预测正确的词。",
        )
    cells = {(a, b): int(table.loc[a, b]) for a in table.index for b in table.columns if a != b}
    best = max(cells.values())
    if cells[(g, p)] == best:
        return Right(
            T(
                f"{num(best)} gold {g} words were predicted as {p}.",
                f"有 {num(best)} 个金标为 {g} 的词被预测成了 {p}。",
            )
        )
    if cells[(p, g)] == best:
        return T(
            f"rows are gold and columns predicted: you read ({g}, {p}) the wrong way round.",
            f"行是金标标签、列是预测标签：你把 ({g}, {p}) 读反了。",
        )
    top = max(cells, key=cells.get)
    return T(
        f"({g}, {p}) holds {num(cells[(g, p)])} words; the largest cell off the diagonal holds {num(best)} "
        f"(e.g. {top}).",
        f"({g}, {p}) 有 {num(cells[(g, p)])} 个词；对角线之外最大的单元格有 {num(best)} 个词（例如 {top}）。",
    )
