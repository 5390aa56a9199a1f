"""Lesson 3 exercises: what the recipes label, and scoring words (not subtokens, not O tokens)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..align import IGNORE_INDEX, align_labels
from ..display import entity_spans
from ..labels import b_to_i_map, split_tag
from ..metrics import predicted_ids, score_word_ids, span_scores
from . import T, exercise, num, wrong_count


def _names(split, column: str = "ner_tags") -> list[str]:
    return list(split.features[column].feature.names)


@exercise("q1")
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
                "你的 classic 计数与 course 相同：请用 helpers.CLASSIC_RECIPE 重新切分为子词（它对训练集设置 "
                "label_all_tokens=True）。",
            )
        if got[key] != want:
            return wrong_count(
                key,
                got[key],
                want,
                T("the train split has {} labelled subtokens", "训练集中带标签的子词有 {} 个"),
            )
    return None


@exercise("q2")
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
        return wrong_count(
            typ,
            got.get(typ, 0),
            words[typ],
            T("the gold words of this split give {}", "这个划分的金标词标签给出 {} 个"),
        )
    extra = sorted(set(got) - set(words))
    return T(f"{extra} are not entity types of this split.", f"{extra} 不是这个划分中的实体类型。")


@exercise("q3")
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
            f"{value:.4f} 是逐词准确率：你的 F1 把 O 词元也算进去了，而大多数词都是 O。实体 F1 按片段打分。",
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
