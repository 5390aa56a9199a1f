"""Lesson 6 exercises: your own files, label inventories, and files with a custom column layout."""

from __future__ import annotations

from pathlib import Path

from ..data import label_names
from ..errors import TokClsError
from ..labels import iob2_to_iob1, iob2_violation, split_tag
from . import Right, T, exercise, first_difference

MIN_SENTENCES = 12

# q4: a file with the columns  index, token, POS, NER (IOB1), tab-separated. Kept here in IOB2.
CUSTOM_SENTENCES = [
    ("Lufthansa shares rose in Frankfurt .", "NNP NNS VBD IN NNP .", "B-ORG O O O B-LOC O"),
    ("He told Kohl Yeltsin agreed .", "PRP VBD NNP NNP VBD .", "O O B-PER B-PER O O"),
    ("The European Commission met in Brussels .", "DT NNP NNP VBD IN NNP .", "O B-ORG I-ORG O O B-LOC O"),
]


def custom_file_text() -> str:
    """The q4 file: ``index<TAB>token<TAB>POS<TAB>NER`` with NER in IOB1, a blank line after each sentence."""
    blocks = []
    for words, pos, ner in CUSTOM_SENTENCES:
        rows = zip(words.split(), pos.split(), iob2_to_iob1(ner.split()))
        blocks.append("\n".join(f"{i}\t{w}\t{p}\t{n}" for i, (w, p, n) in enumerate(rows, start=1)))
    return "\n\n".join(blocks) + "\n"


def _ner_names(dsd) -> list[str]:
    return label_names(dsd, "ner_tags")


@exercise("q1")
def q1(answer):
    """A DRUG/DOSE dataset loaded from CSV files."""
    names = _ner_names(answer)
    n = sum(len(split) for split in answer.values())
    if n < MIN_SENTENCES:
        return T(
            f"{n} sentences: write at least {MIN_SENTENCES}.", f"只有 {n} 个句子：至少写 {MIN_SENTENCES} 个。"
        )
    if len(answer) < 2 or "train" not in answer:
        return T(
            f"split the sentences into train and validation (and test); you have {list(answer)}.",
            f"请把句子划分为训练集和验证集（以及测试集）；你现在有 {list(answer)}。",
        )
    types = {split_tag(t)[1] for t in names} - {""}
    for wanted in ("DRUG", "DOSE"):
        if wanted not in types:
            near = [t for t in types if t.upper() == wanted]
            if near:
                return T(
                    f"the type is spelled {near[0]!r}: tags are case-sensitive, use {wanted}.",
                    f"类型写成了 {near[0]!r}：标签区分大小写，请用 {wanted}。",
                )
            return T(
                f"no {wanted} entity: the collected labels are {names}.",
                f"没有 {wanted} 实体：收集到的标签是 {names}。",
            )
    for split, data in answer.items():
        for i, ids in enumerate(data["ner_tags"]):
            tags = [names[t] for t in ids]
            bad = iob2_violation(tags)
            if bad is not None:
                return T(
                    f"{split}, sentence {i}, word {data['tokens'][i][bad]!r}: {tags[bad]} does not continue an entity; "
                    "in IOB2 an entity opens with B-.",
                    f"{split} 第 {i} 句的词 {data['tokens'][i][bad]!r}：{tags[bad]} 没有接续任何实体；IOB2 中实体以 B- 开始。",
                )
    return Right(T(f"labels collected: {names}.", f"收集到的标签：{names}。"))


@exercise("q2")
def q2(answer, labels):
    """The lesson's JSON lines files loaded with a label inventory that adds SHOP."""
    wanted = [*labels, "B-SHOP", "I-SHOP"]
    names = _ner_names(answer)
    if names == wanted:
        return Right(
            T(
                "the two SHOP labels are in the features (ids 7 and 8) though no sentence uses them.",
                "两个 SHOP 标签出现在特征中（编号 7 和 8），尽管没有句子用到它们。",
            )
            if len(labels) == 7
            else T(
                "the SHOP labels are in the features though no sentence uses them.",
                "SHOP 标签出现在特征中，尽管没有句子用到它们。",
            )
        )
    if names == list(labels):
        return T(
            "these are the collected labels: pass label_names={'ner_tags': LABELS + ['B-SHOP', 'I-SHOP']}.",
            "这是自动收集到的标签：请传入 label_names={'ner_tags': LABELS + ['B-SHOP', 'I-SHOP']}。",
        )
    if sorted(names) == sorted(wanted):
        return T(
            f"the labels are in another order ({names}); the ids follow the list you pass, so keep LABELS first.",
            f"标签的顺序不同（{names}）；编号按你传入的列表排列，所以请把 LABELS 放在前面。",
        )
    return T(
        f"the ner_tags labels are {names}; expected {wanted}.", f"ner_tags 的标签是 {names}；应为 {wanted}。"
    )


@exercise("q3")
def q3(answer, dsd):
    """A folder of CoNLL-2003 files that loads back to ``dsd``."""
    from ..data import load_conll_folder

    folder = Path(answer)
    for split in dsd:
        if not (folder / f"{split}.txt").is_file():
            return T(f"{folder / f'{split}.txt'} does not exist.", f"{folder / f'{split}.txt'} 不存在。")
    try:
        back = load_conll_folder(folder)
    except (TokClsError, ValueError) as err:
        return T(
            f"the folder does not load as CoNLL-2003 (token POS chunk NER): {err}",
            f"这个文件夹不能按 CoNLL-2003（词元 词性 组块 命名实体）加载：{err}",
        )
    for split, data in dsd.items():
        if split not in back:
            return T(f"{split}.txt was not found by the loader.", f"加载器没有找到 {split}.txt。")
        mine = back[split]
        if len(mine) != len(data):
            return T(
                f"{split}.txt has {len(mine)} sentences, the dataset {len(data)}.",
                f"{split}.txt 有 {len(mine)} 个句子，数据集有 {len(data)} 个。",
            )
        for column in ("tokens", "pos_tags", "chunk_tags", "ner_tags"):
            for i, (a, b) in enumerate(zip(mine[column], data[column])):
                if a != b:
                    j = first_difference(a, b)
                    return T(
                        f"{split}.txt, sentence {i}, word {j}: column {column} differs from the dataset.",
                        f"{split}.txt 第 {i} 句第 {j} 个词：{column} 列与数据集不同。",
                    )
    return None


@exercise("q4", data={"text": custom_file_text()})
def q4(answer):
    """Records read from the custom-layout file of ``custom_file_text()``."""
    records = list(answer)
    if len(records) != len(CUSTOM_SENTENCES):
        return T(
            f"{len(records)} records; the file has {len(CUSTOM_SENTENCES)} sentences (blank lines separate them).",
            f"得到 {len(records)} 条记录；文件中有 {len(CUSTOM_SENTENCES)} 个句子（以空行分隔）。",
        )
    for n, (record, (words, pos, ner)) in enumerate(zip(records, CUSTOM_SENTENCES)):
        words, pos, ner = words.split(), pos.split(), ner.split()
        tokens = list(record.get("tokens", []))
        if tokens and all(t.isdigit() for t in tokens):
            return T(
                "your tokens are the word numbers of the first column: skip that column with None.",
                "你的 tokens 是第一列的词序号：请用 None 跳过这一列。",
            )
        if tokens != words:
            return T(
                f"sentence {n}: tokens {tokens}, expected {words}.",
                f"第 {n} 句：tokens 是 {tokens}，应为 {words}。",
            )
        tags = list(record.get("ner_tags", []))
        if (
            tags == pos
            or list(record.get("pos_tags", [])) == ner
            or list(record.get("pos_tags", [])) == iob2_to_iob1(ner)
        ):
            return T(
                "ner_tags and pos_tags are swapped: POS is the third column, NER the fourth.",
                "ner_tags 和 pos_tags 对调了：第三列是词性，第四列是命名实体。",
            )
        if tags == iob2_to_iob1(ner) and tags != ner:
            i = first_difference(tags, ner)
            return T(
                f"sentence {n}, word {words[i]!r} keeps {tags[i]}: the file is IOB1; pass input_scheme='iob1' to get "
                f"IOB2 ({ner[i]}).",
                f"第 {n} 句的词 {words[i]!r} 仍是 {tags[i]}：文件是 IOB1 格式；请传入 input_scheme='iob1' 以得到 "
                f"IOB2（{ner[i]}）。",
            )
        if tags != ner:
            return T(
                f"sentence {n}: ner_tags {tags}, expected {ner}.",
                f"第 {n} 句：ner_tags 是 {tags}，应为 {ner}。",
            )
        if list(record.get("pos_tags", [])) != pos:
            return T(f"sentence {n}: pos_tags should be {pos}.", f"第 {n} 句：pos_tags 应为 {pos}。")
    return None
