"""Lesson 6 exercises: your own files, label inventories, and files with a custom column layout."""

from __future__ import annotations

from pathlib import Path

from ..data import label_names
from ..errors import TokClsError
from ..labels import iob2_to_iob1, iob2_violation, split_tag
from . import Choice, Right, T, choice, exercise

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


@exercise(
    "q1",
    expects=T(
        "the DatasetDict loaded from your CSV files with `helpers.load_token_files`",
        "用 `helpers.load_token_files` 从你的 CSV 文件加载的 DatasetDict",
    ),
    hint=T(
        "Write word/TAG sentences as in section 1, build records with the same loop, write one CSV per split "
        "with `readers.write_csv`, then `helpers.load_token_files(csv_files, format='csv')`.",
        "像第 1 节那样写出 word/TAG 形式的句子，用同样的循环构造记录，用 `readers.write_csv` 为每个划分写一个 CSV "
        "文件，再调用 `helpers.load_token_files(csv_files, format='csv')`。",
    ),
    solution="""
DRUG_SENTENCES = '''
Take 200/B-DOSE mg/I-DOSE of ibuprofen/B-DRUG twice a day .
She was given 5/B-DOSE mg/I-DOSE of warfarin/B-DRUG .
Paracetamol/B-DRUG 500/B-DOSE mg/I-DOSE helps with the fever .
The doctor doubled his metformin/B-DRUG dose to 1000/B-DOSE mg/I-DOSE .
Give the child 10/B-DOSE ml/I-DOSE of amoxicillin/B-DRUG syrup .
Aspirin/B-DRUG 75/B-DOSE mg/I-DOSE is taken once a day .
He stopped taking atorvastatin/B-DRUG last week .
Inject 40/B-DOSE units/I-DOSE of insulin/B-DRUG before dinner .
Two/B-DOSE tablets/I-DOSE of loratadine/B-DRUG are too many .
Omeprazole/B-DRUG 20/B-DOSE mg/I-DOSE before breakfast .
The nurse checked the heparin/B-DRUG drip .
Cetirizine/B-DRUG 10/B-DOSE mg/I-DOSE made her sleepy .
'''
drug_records = []
for n, line in enumerate(DRUG_SENTENCES.strip().splitlines()):
    pairs = [item.rsplit("/", 1) if "/" in item else (item, "O") for item in line.split()]
    drug_records.append({"id": str(n), "tokens": [w for w, _ in pairs], "ner_tags": [t for _, t in pairs]})
drug_splits = {"train": drug_records[:8], "validation": drug_records[8:10], "test": drug_records[10:]}
drug_files = {}
for split, recs in drug_splits.items():
    drug_files[split] = DATA / f"drug_{split}.csv"
    readers.write_csv(recs, drug_files[split])
answer = helpers.load_token_files(drug_files, format="csv")
print(helpers.label_names(answer, "ner_tags"))
""",
)
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


@exercise(
    "q2",
    expects=T(
        "the DatasetDict of the JSON lines files loaded with a fixed `label_names`",
        "用固定的 `label_names` 加载 JSON lines 文件得到的 DatasetDict",
    ),
    hint=T(
        "`helpers.load_token_files(files['jsonl'], format='jsonl', label_names={'ner_tags': LABELS + ['B-SHOP', "
        "'I-SHOP']})`.",
        "`helpers.load_token_files(files['jsonl'], format='jsonl', label_names={'ner_tags': LABELS + ['B-SHOP', "
        "'I-SHOP']})`。",
    ),
    solution="""
answer = helpers.load_token_files(
    files["jsonl"], format="jsonl", label_names={"ner_tags": LABELS + ["B-SHOP", "I-SHOP"]}
)
print(answer["train"].features["ner_tags"])
""",
)
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


@exercise(
    "q3",
    expects=T(
        "the folder (a path) holding train.txt, validation.txt and test.txt",
        "存放 train.txt、validation.txt 和 test.txt 的文件夹（路径）",
    ),
    hint=T(
        "For each split, turn ids into names with `data.features[column].feature.int2str(ids)` and write the records "
        "with `readers.write_conll(records, folder / f'{split}.txt', columns=('tokens', 'pos_tags', 'chunk_tags', "
        "'ner_tags'))`.",
        "对每个划分，用 `data.features[column].feature.int2str(ids)` 把编号转换成名称，再用 "
        "`readers.write_conll(records, folder / f'{split}.txt', columns=('tokens', 'pos_tags', 'chunk_tags', "
        "'ner_tags'))` 写出记录。",
    ),
    solution="""
answer = WORK / "conll2003"
answer.mkdir(parents=True, exist_ok=True)
conll_columns = ("tokens", "pos_tags", "chunk_tags", "ner_tags")
for split, data in conll.items():
    recs = [
        {"tokens": row["tokens"], **{c: data.features[c].feature.int2str(row[c]) for c in conll_columns[1:]}}
        for row in data
    ]
    readers.write_conll(recs, answer / f"{split}.txt", columns=conll_columns)
print(sorted(p.name for p in answer.iterdir()))
""",
)
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
                    j = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                    return T(
                        f"{split}.txt, sentence {i}, word {j}: column {column} differs from the dataset.",
                        f"{split}.txt 第 {i} 句第 {j} 个词：{column} 列与数据集不同。",
                    )
    return None


@exercise(
    "q4",
    expects=T(
        "the records read from the file (a list of dicts with tokens, pos_tags, ner_tags)",
        "从文件读出的记录（包含 tokens、pos_tags、ner_tags 的字典列表）",
    ),
    hint=T(
        "The columns are: a word number, the token, POS, NER in IOB1. `readers.read_conll(path, columns=(None, "
        "'tokens', ...), input_scheme=...)`: None skips a column.",
        "各列依次是：词序号、词元、词性、IOB1 格式的命名实体标签。`readers.read_conll(path, columns=(None, "
        "'tokens', ...), input_scheme=...)`：None 表示跳过这一列。",
    ),
    solution="""
answer = readers.read_conll(custom_path, columns=(None, "tokens", "pos_tags", "ner_tags"), input_scheme="iob1")
print(answer[1])
""",
    data={"text": custom_file_text()},
)
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
            i = next(k for k, (a, b) in enumerate(zip(tags, ner)) if a != b)
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


q5 = choice(
    "q5",
    question=T(
        "You load files with `label_names={'ner_tags': LABELS + ['B-SHOP', 'I-SHOP']}` and one file contains the "
        "tag B-COLOR. What happens?",
        "用 `label_names={'ner_tags': LABELS + ['B-SHOP', 'I-SHOP']}` 加载文件，而其中一个文件包含标签 B-COLOR。"
        "会发生什么？",
    ),
    choices={
        "a": Choice(
            T("B-COLOR is added to the labels", "B-COLOR 被加入标签列表"),
            T(
                "A fixed inventory is fixed: adding labels would shift the ids a trained model relies on.",
                "固定的标签清单就是固定的：添加标签会改变训练好的模型所依赖的编号。",
            ),
        ),
        "b": Choice(
            T("B-COLOR becomes O", "B-COLOR 变成 O"),
            T(
                "Silently dropping a tag would hide a data error; the loader refuses instead.",
                "悄悄丢掉一个标签会掩盖数据错误；加载器会拒绝加载。",
            ),
        ),
        "c": Choice(
            T(
                "A LabelError naming the file, the sentence and the field",
                "抛出 LabelError，指明文件、句子和字段",
            ),
            T(
                "`records_to_dataset` maps every tag through the inventory and raises `helpers.LabelError` with the "
                "source, sentence id and field for a tag it does not know.",
                "`records_to_dataset` 按清单转换每个标签，遇到不认识的标签时抛出 `helpers.LabelError`，并给出来源、句子编号"
                "和字段。",
            ),
        ),
    },
    correct="c",
    hint=T(
        "Try it: write a JSON lines file with a B-COLOR tag and load it.",
        "动手试试：写一个带 B-COLOR 标签的 JSON lines 文件，再加载它。",
    ),
)

EXERCISES = [q1, q2, q3, q4, q5]
