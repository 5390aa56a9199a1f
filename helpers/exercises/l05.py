"""Lesson 5 exercises: POS token accuracy versus chunk span F1."""

from __future__ import annotations

from collections import Counter

from ..analysis import classify_errors, spans
from ..metrics import span_scores, tag_accuracy
from . import Choice, Right, T, choice, exercise, num

TOY_GOLD = ["B-NP", "I-NP", "B-VP", "O"]


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 5e-4


@exercise(
    "q1",
    expects=T("the coarse POS accuracy (a float between 0 and 1)", "粗粒度词性准确率（0 到 1 之间的浮点数）"),
    hint=T(
        "Cut every gold and every predicted tag to its first two letters (`tag[:2]`), then "
        "`helpers.tag_accuracy(gold, pred)['overall_accuracy']`.",
        "把每个标准标签和每个预测标签都截成前两个字母（`tag[:2]`），再计算 "
        "`helpers.tag_accuracy(gold, pred)['overall_accuracy']`。",
    ),
    solution="""
val_pos_gold = [[names["pos"][i] for i in s] for s in ds["validation"]["pos_tags"]]
answer = helpers.tag_accuracy(
    [[t[:2] for t in s] for s in val_pos_gold], [[t[:2] for t in s] for s in val_pos_pred]
)["overall_accuracy"]
print(f"fine {helpers.tag_accuracy(val_pos_gold, val_pos_pred)['overall_accuracy']:.4f}, coarse {answer:.4f}")
""",
)
def q1(answer, pos_pred, split):
    """Accuracy of predicted POS tag names once tags are cut to their first two letters."""
    names = split.features["pos_tags"].feature.names
    gold = [[names[i] for i in s] for s in split["pos_tags"]]
    pred = [list(s) for s in pos_pred]
    if len(pred) != len(gold):
        return T(
            f"{len(pred)} predicted sentences for {len(gold)} gold sentences.",
            f"预测了 {len(pred)} 个句子，而标准答案有 {len(gold)} 个句子。",
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
            f"{value:.4f} 是细粒度准确率：请把标准标签和预测标签都截成前两个字母。",
        )
    if _close(value, tag_accuracy(gold, cut(pred))["overall_accuracy"]) or _close(
        value, tag_accuracy(cut(gold), pred)["overall_accuracy"]
    ):
        return T(
            "you cut only one side: cut the gold tags and the predicted tags alike.",
            "你只截了一边：标准标签和预测标签都要截。",
        )
    return T(
        f"you have {value:.4f}; the coarse accuracy of these predictions differs.",
        f"你的答案是 {value:.4f}；这些预测的粗粒度准确率与此不同。",
    )


q2 = choice(
    "q2",
    question=T(
        "Why can `label_all_tokens=True` not create extra chunks when the chunker is scored?",
        "为什么 `label_all_tokens=True` 在给组块模型打分时不会凭空多出组块？",
    ),
    choices={
        "a": Choice(
            T(
                "Continuations get I-NP, not B-NP (b_to_i), and scoring reads one prediction per word anyway",
                "后续子词得到的是 I-NP 而不是 B-NP（b_to_i），而且打分时每个词本来就只读一个预测",
            ),
            T(
                "`helpers.b_to_i_map` turns B-X into I-X on continuation subtokens, so training never sees a chunk "
                "open inside a word, and evaluation takes each word's first subtoken only.",
                "`helpers.b_to_i_map` 在后续子词上把 B-X 换成 I-X，所以训练时不会看到在词内部开始的组块；评估时也只取每个词"
                "的第一个子词。",
            ),
        ),
        "b": Choice(
            T("Because chunk tags are never split into subtokens", "因为组块标签从不被切成子词"),
            T(
                "Words are split, whatever their tag; the labels follow the words.",
                "无论标签是什么，词都会被切分；标签跟着词走。",
            ),
        ),
        "c": Choice(
            T("Because chunking is scored with token accuracy", "因为组块分析用词元准确率打分"),
            T(
                "Chunking is scored with span F1 (seqeval), like NER.",
                "组块分析和命名实体识别一样，用片段 F1（seqeval）打分。",
            ),
        ),
    },
    correct="a",
    hint=T("Look at the alignment table of the section on chunk labels.", "看组块标签一节中的对齐表。"),
)


@exercise(
    "q3",
    expects=T(
        "the number of gold chunks with the right type but wrong boundaries (an int)",
        "类型正确但边界错误的标准组块数（整数）",
    ),
    hint=T(
        "`analysis.classify_errors(val_chunk_gold, val_chunk_pred)` gives every span error; right type with wrong "
        "boundaries is the kind 'boundary'.",
        "`analysis.classify_errors(val_chunk_gold, val_chunk_pred)` 给出每个片段错误；类型正确、边界错误的就是 'boundary' 类。",
    ),
    solution="""
from collections import Counter

from helpers import analysis

chunk_errors = Counter(case.kind for case in analysis.classify_errors(val_chunk_gold, val_chunk_pred))
answer = chunk_errors["boundary"]
print(dict(chunk_errors))
""",
)
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


@exercise(
    "q4",
    expects=T("a list of four chunk tags", "由四个组块标签组成的列表"),
    hint=T(
        "Keep three of the four tags right but make both spans wrong: stretch one span over its neighbour.",
        "让四个标签中的三个保持正确，但让两个片段都出错：把一个片段延伸到相邻的片段上。",
    ),
    solution="""
q4_gold = ex.q4.data["gold"]
answer = ["B-NP", "I-NP", "I-NP", "O"]
print(helpers.tag_accuracy([q4_gold], [answer])["overall_accuracy"], helpers.span_scores([q4_gold], [answer])["overall_f1"])
""",
    data={"gold": TOY_GOLD},
)
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
            f"词元准确率是 {accuracy:.2f}：四个标签中至少要有三个与 {TOY_GOLD} 相同。",
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


q5 = choice(
    "q5",
    question=T(
        "A run reports POS accuracy 0.93 and chunk F1 0.90. What can you conclude?",
        "一次运行报告词性准确率 0.93、组块 F1 0.90。能得出什么结论？",
    ),
    choices={
        "a": Choice(
            T("The POS model is the better of the two", "词性模型是两者中更好的那个"),
            T(
                "The two numbers measure different things: a share of words versus a share of exactly right spans.",
                "这两个数衡量的是不同的东西：一个是词的比例，一个是完全正确的片段的比例。",
            ),
        ),
        "b": Choice(
            T(
                "Nothing about which is better: compare each with its own baseline",
                "无法判断哪个更好：应各自与自己的基线比较",
            ),
            T(
                "Accuracy counts words (O-like easy words included); span F1 counts whole chunks. Compare POS "
                "accuracy with POS accuracies, chunk F1 with chunk F1s (and the chunker's word accuracy is "
                "higher than its F1).",
                "准确率数的是词（包括容易的词）；片段 F1 数的是完整的组块。词性准确率应与词性准确率比较，组块 F1 应与组块 F1 "
                "比较（组块模型的词准确率也高于它的 F1）。",
            ),
        ),
        "c": Choice(
            T("The chunker gets 10% of its words wrong", "组块模型有 10% 的词标错了"),
            T(
                "F1 is over spans: one wrong word can break a whole chunk, so far fewer than 10% of words may be wrong.",
                "F1 是按片段计算的：一个词错了就能破坏整个组块，所以标错的词可能远少于 10%。",
            ),
        ),
    },
    correct="b",
    hint=T("What does each metric count: words or spans?", "每个指标数的是什么：词还是片段？"),
)

EXERCISES = [q1, q2, q3, q4, q5]
