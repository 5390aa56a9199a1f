"""Lesson 3 exercises: what the recipes label, and scoring words (not subtokens, not O tokens)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..align import IGNORE_INDEX, align_labels
from ..display import entity_spans
from ..labels import b_to_i_map, split_tag
from ..metrics import predicted_ids, score_word_ids, span_scores
from . import Choice, T, choice, exercise, num


def _names(split, column: str = "ner_tags") -> list[str]:
    return list(split.features[column].feature.names)


@exercise(
    "q1",
    expects=T(
        'a dict {"course": count, "classic": count} of labelled subtokens in the training split',
        '训练集中带标签子词数的字典 {"course": 数量, "classic": 数量}',
    ),
    hint=T(
        "Tokenize with `helpers.tokenize_dataset(ds, tokenizer, 'ner_tags', recipe)` for each recipe and count "
        "the positions of `labels` that are not -100 in the train split.",
        "对每个配方调用 `helpers.tokenize_dataset(ds, tokenizer, 'ner_tags', recipe)` 分词，统计训练集 `labels` 中"
        "不等于 -100 的位置数。",
    ),
    solution="""
classic_tok = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", helpers.CLASSIC_RECIPE)
answer = {
    name: sum(label != -100 for row in data["train"]["labels"] for label in row)
    for name, data in (("course", tokenized), ("classic", classic_tok))
}
print(answer)
""",
)
def q1(answer, tokenizer, split):
    """Labelled positions of the training split under the course and the classic recipe."""
    names = _names(split)
    enc = tokenizer([list(t) for t in split["tokens"]], is_split_into_words=True, truncation=True)
    course = classic = positions = 0
    for i, labels in enumerate(split["ner_tags"]):
        wids = enc.word_ids(i)
        positions += len(wids)
        course += sum(t != IGNORE_INDEX for t in align_labels(wids, labels))
        aligned = align_labels(wids, labels, label_all_tokens=True, b_to_i=b_to_i_map(names))
        classic += sum(t != IGNORE_INDEX for t in aligned)
    got = {k: int(v) for k, v in dict(answer).items()}
    if set(got) != {"course", "classic"}:
        return T('use the keys "course" and "classic".', '请使用键 "course" 和 "classic"。')
    if got == {"course": course, "classic": classic}:
        return None
    if got == {"course": classic, "classic": course}:
        return T(
            "the two counts are swapped: the classic recipe labels continuation subtokens, so it has more.",
            "两个数对调了：经典配方会给后续子词打标签，所以它的数更大。",
        )
    for key, want in (("course", course), ("classic", classic)):
        if got[key] == positions:
            return T(
                f"{key}: {num(positions)} counts every position, [CLS] and [SEP] included; count labels that are "
                "not -100.",
                f"{key}：{num(positions)} 把每个位置都算上了，包括 [CLS] 和 [SEP]；请只数不等于 -100 的标签。",
            )
        if key == "classic" and got[key] == course:
            return T(
                "your classic count equals the course count: tokenize again with helpers.CLASSIC_RECIPE (it sets "
                "label_all_tokens=True for the train split).",
                "你的 classic 计数与 course 相同：请用 helpers.CLASSIC_RECIPE 重新分词（它对训练集设置 "
                "label_all_tokens=True）。",
            )
        if got[key] != want:
            return T(
                f"{key}: you have {num(got[key])}, the train split has {num(want)} labelled subtokens.",
                f"{key}：你的是 {num(got[key])}，训练集中带标签的子词有 {num(want)} 个。",
            )
    return None


@exercise(
    "q2",
    expects=T(
        "a dict {entity type: number of gold entities} for the validation split",
        "验证集的字典 {实体类型: 标准实体数}",
    ),
    hint=T(
        "Count entities over the gold word tags of `ds['validation']` (`analysis.spans(tags)` gives a set of "
        "(type, start, end)); they are the `number` column of the table printed after evaluation.",
        "在 `ds['validation']` 的标准词标签上统计实体（`analysis.spans(tags)` 给出 (type, start, end) 的集合）；"
        "它们就是评估后打印的表格中的 `number` 列。",
    ),
    solution="""
from collections import Counter

support = Counter()
for ids in ds["validation"]["ner_tags"]:
    support.update(typ for typ, start, end in analysis.spans([label_names[i] for i in ids]))
answer = dict(support)
print(answer)
print({typ: row["number"] for typ, row in results["validation"]["per_type"].items()})
""",
)
def q2(answer, tokenizer, split):
    """Word-level support per entity type of a split."""
    names = _names(split)
    got = {k: int(v) for k, v in dict(answer).items()}
    words, subtokens, tagged = Counter(), Counter(), Counter()
    enc = tokenizer([list(t) for t in split["tokens"]], is_split_into_words=True, truncation=True)
    copy = list(range(len(names)))
    for i, ids in enumerate(split["ner_tags"]):
        tags = [names[t] for t in ids]
        words.update(t for t, _, _ in entity_spans(tags))
        tagged.update(split_tag(t)[1] for t in tags if t != "O")
        aligned = align_labels(enc.word_ids(i), ids, label_all_tokens=True, b_to_i=copy)
        subtokens.update(t for t, _, _ in entity_spans([names[t] for t in aligned if t != IGNORE_INDEX]))
    if got == dict(words):
        return None
    for typ in sorted(words, key=lambda t: -words[t]):
        if got.get(typ) == words[typ]:
            continue
        if got.get(typ) == subtokens[typ]:
            return T(
                f"you scored {num(got[typ])} {typ} entities: that is the subtoken count (B- copied to every "
                f"subtoken), words give {num(words[typ])}.",
                f"你统计出 {num(got[typ])} 个 {typ} 实体：这是按子词的计数（B- 被抄到每个子词上），按词计是 "
                f"{num(words[typ])} 个。",
            )
        if got.get(typ) == tagged[typ]:
            return T(
                f"{typ}: {num(got[typ])} is the number of words tagged {typ}; the entities (spans) number "
                f"{num(words[typ])}.",
                f"{typ}：{num(got[typ])} 是带 {typ} 标签的词数；实体（片段）只有 {num(words[typ])} 个。",
            )
        return T(
            f"{typ}: you have {num(got.get(typ, 0))}, the gold words of this split give {num(words[typ])}.",
            f"{typ}：你的是 {num(got.get(typ, 0))}，这个划分的标准词标签给出 {num(words[typ])} 个。",
        )
    extra = sorted(set(got) - set(words))
    return T(f"{extra} are not entity types of this split.", f"{extra} 不是这个划分中的实体类型。")


@exercise(
    "q3",
    expects=T(
        "the word-level overall F1 (a float between 0 and 1)", "词级别的总体 F1（0 到 1 之间的浮点数）"
    ),
    hint=T(
        "In each row, the words are the positions whose label is not -100 (the first subtoken of each word); keep "
        "those positions of `label_ids` and of the predicted ids, then "
        "`helpers.score_word_ids(gold_rows, pred_rows, label_names)['overall_f1']`.",
        "每一行中，词就是标签不为 -100 的位置（每个词的第一个子词）；在 `label_ids` 和预测编号中只保留这些位置，再计算 "
        "`helpers.score_word_ids(gold_rows, pred_rows, label_names)['overall_f1']`。",
    ),
    solution="""
val_pred_ids = helpers.metrics.predicted_ids(val_output.predictions)
val_keep = val_output.label_ids != -100
val_gold_rows = [row[mask].tolist() for row, mask in zip(val_output.label_ids, val_keep)]
val_pred_rows = [row[mask].tolist() for row, mask in zip(val_pred_ids, val_keep)]
answer = helpers.score_word_ids(val_gold_rows, val_pred_rows, label_names)["overall_f1"]
print(f"word-level F1: {answer:.4f}")
""",
)
def q3(answer, output, label_names):
    """Word-level F1 from ``trainer.predict`` output (predictions and label ids of the same rows)."""
    preds = predicted_ids(output.predictions)
    labels = np.asarray(output.label_ids)
    if preds.shape != labels.shape:
        return T(
            f"predictions of shape {preds.shape} for labels of shape {labels.shape}.",
            f"预测的形状是 {preds.shape}，标签的形状却是 {labels.shape}。",
        )
    keep = labels != IGNORE_INDEX
    gold = [row[mask].tolist() for row, mask in zip(labels, keep)]
    pred = [row[mask].tolist() for row, mask in zip(preds, keep)]
    words = score_word_ids(gold, pred, label_names)
    value = float(answer)
    if _close(value, words["overall_f1"]):
        return None
    if _close(value / 100, words["overall_f1"]):
        return T(
            "give F1 as a fraction between 0 and 1, not a percentage.",
            "请把 F1 写成 0 到 1 之间的小数，而不是百分数。",
        )
    if _close(value, words["overall_accuracy"]):
        return T(
            f"{value:.4f} is word accuracy: your F1 counts O tokens, which are most words. Entity F1 scores spans.",
            f"{value:.4f} 是词准确率：你的 F1 把 O 词元也算进去了，而大多数词都是 O。实体 F1 按片段打分。",
        )
    every = (
        [[label_names[int(g)] if g != IGNORE_INDEX else "O" for g in row_g] for row_g in labels],
        [[label_names[int(p)] if 0 <= p < len(label_names) else "O" for p in row_p] for row_p in preds],
    )
    if _close(value, span_scores(*every)["overall_f1"]):
        return T(
            "you scored every position: continuation subtokens, [CLS], [SEP] and padding (label -100) are not "
            "words. Keep the positions whose label is not -100.",
            "你给每个位置都打了分：后续子词、[CLS]、[SEP] 和填充（标签 -100）都不是词。只保留标签不为 -100 的位置。",
        )
    flat_gold = [label_names[t] for s in gold for t in s]
    flat_pred = [label_names[p] for s in pred for p in s]
    hits = sum(g == p and g != "O" for g, p in zip(flat_gold, flat_pred))
    n_gold, n_pred = sum(g != "O" for g in flat_gold), sum(p != "O" for p in flat_pred)
    if _close(value, 2 * hits / (n_gold + n_pred) if n_gold + n_pred else 0.0):
        return T(
            "you compared tags word by word; entity F1 counts an entity as right only when all its words and its "
            "type are right (seqeval on spans).",
            "你是逐词比较标签的；实体 F1 只有在一个实体的所有词和类型都正确时才算对（seqeval 按片段打分）。",
        )
    return T(
        f"you have {value:.4f}; the word-level F1 of these predictions is {'higher' if value < words['overall_f1'] else 'lower'}.",
        f"你的答案是 {value:.4f}；这些预测在词级别的 F1 比它{'高' if value < words['overall_f1'] else '低'}。",
    )


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 5e-4  # learners may round to 4 decimals


q4 = choice(
    "q4",
    question=T(
        "You train on `pos_tags` instead of `ner_tags`. Which headline metric does `compute_metrics` report?",
        "改用 `pos_tags` 而不是 `ner_tags` 训练。`compute_metrics` 报告的主要指标是什么？",
    ),
    choices={
        "a": Choice(
            T("Entity F1, as for NER", "与命名实体识别一样的实体 F1"),
            T(
                "POS tags have no B-/I- prefixes: there are no spans, so span F1 has nothing to count.",
                "词性标签没有 B-/I- 前缀：没有片段，片段 F1 无从计算。",
            ),
        ),
        "b": Choice(
            T("Token accuracy over words", "按词计算的词元准确率"),
            T(
                "Every word has exactly one POS tag and no spans, so the share of words tagged right is the natural "
                "score (`helpers.tag_accuracy`, chosen because the label set is not IOB).",
                "每个词恰好有一个词性标签，也没有片段，所以标对的词所占的比例就是最自然的分数（`helpers.tag_accuracy`，"
                "因为标签集不是 IOB 方案而被选中）。",
            ),
        ),
        "c": Choice(
            T("Subtoken accuracy over every labelled subtoken", "在所有带标签子词上计算的子词准确率"),
            T("The course always scores words, never subtokens.", "本课程始终按词打分，从不按子词打分。"),
        ),
    },
    correct="b",
    hint=T("Does a POS tag set have B- and I- tags?", "词性标签集里有 B- 和 I- 标签吗？"),
)

q5 = choice(
    "q5",
    question=T(
        "With `group_by_length`, Trainer sorts evaluation batches by length. A `compute_metrics` compares "
        "prediction row i with gold sentence i of the dataset. What happens?",
        "开启 `group_by_length` 后，Trainer 会按长度给评估批次排序。某个 `compute_metrics` 把第 i 行预测与数据集中第 i 个"
        "标准句子比较。会发生什么？",
    ),
    choices={
        "a": Choice(
            T("The same F1: order does not matter for a corpus score", "F1 不变：语料级的分数与顺序无关"),
            T(
                "Order does not matter only if each prediction stays paired with its own sentence; reordered "
                "batches break that pairing.",
                "只有每个预测都仍与它自己的句子配对时，顺序才无关紧要；重排的批次破坏了这种配对。",
            ),
        ),
        "b": Choice(
            T(
                "A much lower F1: predictions are compared with the wrong sentences",
                "F1 低得多：预测被拿去和错误的句子比较",
            ),
            T(
                "Batches sorted by length come back in another order, so prediction row i belongs to another "
                "sentence than gold sentence i. The course's `compute_metrics` reads each row's words from that "
                "row's own labels, so the order does not matter.",
                "按长度排序的批次以另一种顺序返回，于是第 i 行预测属于另一个句子，而不是第 i 个标准句子。课程的 "
                "`compute_metrics` 从每一行自己的标签读出这一行的词，所以顺序无关紧要。",
            ),
        ),
        "c": Choice(
            T("An error is raised", "会报错"),
            T(
                "Nothing checks that row i belongs to sentence i; the metric silently scores mismatched pairs "
                "(at most a length check may notice some).",
                "没有任何东西检查第 i 行是否属于第 i 个句子；指标会悄悄地给错配的句子打分（至多长度检查能发现其中一部分）。",
            ),
        ),
    },
    correct="b",
    hint=T("Which prediction row goes with which gold sentence?", "哪一行预测对应哪一个标准句子？"),
)

EXERCISES = [q1, q2, q3, q4, q5]
