"""Lesson 4 exercises: error kinds, stray I- tags, where the model fails, reading the confusion matrix."""

from __future__ import annotations

from collections import Counter

from ..analysis import classify_errors, confusion
from ..labels import iob1_to_iob2, split_tag
from ..metrics import span_scores
from . import Choice, Right, T, choice, exercise, num


def _kinds(gold, pred) -> Counter:
    return Counter(case.kind for case in classify_errors(gold, pred))


@exercise(
    "q1",
    expects=T("a dict {error kind: count} for the test split", "测试集的字典 {错误类型: 数量}"),
    hint=T(
        "`analysis.classify_errors(test_gold, test_pred)` lists every error; count their `kind`s with a "
        "`collections.Counter`.",
        "`analysis.classify_errors(test_gold, test_pred)` 列出每一个错误；用 `collections.Counter` 统计它们的 `kind`。",
    ),
    solution="""
test_cases = analysis.classify_errors(test_gold, test_pred, ds["test"]["tokens"])
answer = dict(Counter(case.kind for case in test_cases))
print(answer)
print("validation:", dict(Counter(case.kind for case in cases)))
""",
)
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
    for kind in sorted(set(expected) | set(got)):
        if got.get(kind, 0) != expected.get(kind, 0):
            return T(
                f"{kind}: you have {num(got.get(kind, 0))}, the test predictions have {num(expected.get(kind, 0))}.",
                f"{kind}：你的是 {num(got.get(kind, 0))}，测试集预测中有 {num(expected.get(kind, 0))} 个。",
            )
    return None


@exercise(
    "q2",
    expects=T("the repaired predictions: one tag list per sentence", "修正后的预测：每个句子一个标签列表"),
    hint=T(
        "`helpers.iob1_to_iob2(tags)` turns an I-X that does not continue an X span into B-X and leaves the "
        "rest alone; apply it to every predicted sentence.",
        "`helpers.iob1_to_iob2(tags)` 把没有接续 X 片段的 I-X 改成 B-X，其余不变；把它用在每个预测句子上。",
    ),
    solution="""
answer = [helpers.iob1_to_iob2(tags) for tags in pred]
before, after = helpers.span_scores(gold, pred), helpers.span_scores(gold, answer)
print(f"F1 before {before['overall_f1']:.4f}, after {after['overall_f1']:.4f}")
""",
)
def q2(answer, pred, gold):
    """Predictions with stray I- tags turned into B-."""
    answer = [list(s) for s in answer]
    if len(answer) != len(pred):
        return T(
            f"{len(answer)} sentences, but there are {len(pred)} predicted sentences.",
            f"你给了 {len(answer)} 个句子，但预测有 {len(pred)} 个句子。",
        )
    for n, (got, tags) in enumerate(zip(answer, pred)):
        want = iob1_to_iob2(tags)
        if len(got) != len(want):
            return T(
                f"sentence {n}: {len(got)} tags for {len(want)} words.",
                f"第 {n} 句：{len(want)} 个词却有 {len(got)} 个标签。",
            )
        for i, (g, w, t) in enumerate(zip(got, want, tags)):
            if g == w:
                continue
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


@exercise(
    "q3",
    expects=T(
        "a dict {entity length in words: number of missed gold entities}", "字典 {实体词数: 漏检的标准实体数}"
    ),
    hint=T(
        "Keep the rows of `frame` whose `kind` is 'missed'; the length of a gold entity is "
        "`gold_end - gold_start` (the end is exclusive); `value_counts()` counts them.",
        "保留 `frame` 中 `kind` 为 'missed' 的行；标准实体的长度是 `gold_end - gold_start`（不含结束位置）；"
        "`value_counts()` 负责计数。",
    ),
    solution="""
missed = frame[frame["kind"] == "missed"]
answer = (missed["gold_end"] - missed["gold_start"]).value_counts().sort_index().to_dict()
print("missed, by gold length:", answer)
print("spurious, by predicted type:", frame[frame["kind"] == "spurious"]["pred_type"].value_counts().to_dict())
""",
)
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
            "你统计了所有带标准实体的错误（包括类型错误和边界错误）；只保留类型为 'missed' 的。",
        )
    for length in sorted(set(expected) | set(got)):
        if got.get(length, 0) != expected.get(length, 0):
            return T(
                f"entities of {length} word(s): you have {got.get(length, 0)} missed, there are "
                f"{expected.get(length, 0)}.",
                f"{length} 个词的实体：你统计的漏检数是 {got.get(length, 0)}，实际是 {expected.get(length, 0)}。",
            )
    return None


@exercise(
    "q4",
    expects=T('a (gold, predicted) pair such as ("ORG", "LOC")', '一个 (标准, 预测) 对，例如 ("ORG", "LOC")'),
    hint=T(
        "In `counts`, rows are the gold labels and columns the predicted ones; the diagonal counts correct words. "
        "Look for the largest cell off the diagonal.",
        "在 `counts` 中，行是标准标签，列是预测标签；对角线上是预测正确的词。找出对角线之外最大的单元格。",
    ),
    solution="""
off_diagonal = counts.stack()
off_diagonal = off_diagonal[[g != p for g, p in off_diagonal.index]]
answer = off_diagonal.idxmax()
print(answer, off_diagonal.max())
""",
)
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
                f"有 {num(best)} 个标准为 {g} 的词被预测成了 {p}。",
            )
        )
    if cells[(p, g)] == best:
        return T(
            f"rows are gold and columns predicted: you read ({g}, {p}) the wrong way round.",
            f"行是标准标签、列是预测标签：你把 ({g}, {p}) 读反了。",
        )
    top = max(cells, key=cells.get)
    return T(
        f"({g}, {p}) holds {num(cells[(g, p)])} words; the largest cell off the diagonal holds {num(best)} "
        f"(e.g. {top}).",
        f"({g}, {p}) 有 {num(cells[(g, p)])} 个词；对角线之外最大的单元格有 {num(best)} 个词（例如 {top}）。",
    )


q5 = choice(
    "q5",
    question=T(
        "After turning every stray I-X into B-X (exercise 2), why does F1 not change at all?",
        "把所有孤立的 I-X 改成 B-X 之后（练习 2），为什么 F1 一点都没变？",
    ),
    choices={
        "a": Choice(
            T("Because the model never predicts stray I- tags", "因为模型从不预测孤立的 I- 标签"),
            T(
                "It does predict some (count the changed tags); the scores stay the same even so.",
                "它确实会预测一些（数一数改动的标签）；即便如此，分数仍然不变。",
            ),
        ),
        "b": Choice(
            T(
                "conlleval already reads a stray I-X as the start of an X span",
                "conlleval 本来就把孤立的 I-X 当作一个 X 片段的开始",
            ),
            T(
                "conlleval (and seqeval's default mode) opens a span at I-X after O or after another type, exactly "
                "as at B-X: the rewrite changes tags but not one span. Only seqeval's strict mode would differ.",
                "conlleval（以及默认模式下的 seqeval）在 O 或其他类型之后遇到 I-X 时，会像遇到 B-X 一样开始一个片段："
                "改写改变了标签，却没有改变任何片段。只有 seqeval 的严格模式才会有区别。",
            ),
        ),
        "c": Choice(
            T("Because F1 ignores the B-/I- prefixes", "因为 F1 忽略 B-/I- 前缀"),
            T(
                "Prefixes decide where spans start and end, so they matter: `B-PER B-PER` is two entities, "
                "`B-PER I-PER` one.",
                "前缀决定片段从哪里开始、到哪里结束，所以很重要：`B-PER B-PER` 是两个实体，`B-PER I-PER` 是一个。",
            ),
        ),
    },
    correct="b",
    hint=T("How does `analysis.spans` open a span?", "`analysis.spans` 是怎样开始一个片段的？"),
)

EXERCISES = [q1, q2, q3, q4, q5]
