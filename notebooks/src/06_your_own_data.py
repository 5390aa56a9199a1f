# %% [markdown] lang="en"
# # Lesson 6 — Your own data, offline work and sharing
#
# Real projects bring their own labels (drugs and doses, products and prices) in whatever format the
# annotation tool exported. This lesson builds a tiny labelled dataset, writes it in the common file
# formats, loads it back with one call, trains and uses a tagger on it, then covers working offline or
# behind a firewall and sharing a model on the Hugging Face Hub.
#
# **After this lesson you will be able to**
#
# - write token-labelled data as CoNLL columns (IOB1 or IOB2), JSON lines and CSV, and read CoNLL-U
#   and the character spans of annotation tools;
# - load any of these with `helpers.load_token_files` and read the tag set it builds;
# - recognise the errors a broken file produces (`helpers.DataFormatError` names the file and line);
# - train, evaluate and use a tagger for your own tag set;
# - use a Hub mirror or work fully offline, and check the setup with `helpers.share.hub_status()`;
# - write a model card and push a model to the Hub.
#
# **Prerequisites:** lessons 1–3. **Time:** about 30 minutes; the training here is tiny (30 steps).
# %% [markdown] lang="zh"
# # 第 6 课：使用自己的数据、离线工作与分享模型
#
# 真实项目会带来自己的标签（药物和剂量、商品和价格），格式则取决于标注工具导出了什么。本课先做一个很小的标注数据集，写成几种常见的文件格式，一次调用加载回来，在上面训练并使用一个标注模型；然后讲离线或在防火墙后工作，以及把模型分享到 Hugging Face Hub。
#
# **学完本课，你将能够：**
#
# - 把词级标注数据写成 CoNLL 列格式（IOB1 或 IOB2）、JSON lines 和 CSV，并读取 CoNLL-U 以及标注工具导出的字符片段；
# - 用 `helpers.load_token_files` 加载上述任一格式，看懂它建立的标签集；
# - 认出格式有误的文件会引发什么错误（`helpers.DataFormatError` 会指明文件和行号）；
# - 为自己的标签集训练、评估并使用标注模型；
# - 使用 Hub 镜像或完全离线工作，并用 `helpers.share.hub_status()` 检查设置；
# - 编写模型卡片（model card），把模型推送到 Hub。
#
# **预备知识：** 第 1–3 课。**用时：** 约 30 分钟；这里的训练很小（30 步）。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; elsewhere it does nothing.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境里它什么也不做。

# %% colab_install="gpu"

# %%
import os
from pathlib import Path

import datasets
import pandas as pd
import transformers
from IPython.display import HTML, display

import helpers
from helpers import display as show
from helpers import readers, share, spans
from helpers.machine import run_card
from helpers.modeling import bundled_model_path
from helpers.training import with_overrides

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()  # lesson 3 explained the model-loading report
transformers.logging.disable_progress_bar()

# %% [markdown] lang="en"
# The checkpoint that will be fine-tuned (`TOKCLS_MODEL`, else distilbert-base-uncased, else,
# offline, the bundled MiniLM). The data are ours, written below into `runs/06_own_data/`.
# %% [markdown] lang="zh"
# 要微调的检查点（checkpoint）：设置了 `TOKCLS_MODEL` 就用它，否则用 distilbert-base-uncased，离线时用课程自带的 MiniLM。数据是我们自己的，下面现写，放在 `runs/06_own_data/` 下。

# %%
SMOKE = helpers.smoke_mode()
checkpoint = helpers.resolve_checkpoint()
WORK = Path("runs/06_own_data")
DATA = WORK / "data"
DATA.mkdir(parents=True, exist_ok=True)
print("files go to:", WORK)

# %% [markdown] lang="en"
# ## 1. A small dataset of our own
#
# Our task: find **brands**, **products** and **prices** in short shopping sentences, with the IOB2 tag
# set `O`, `B-BRAND`, `I-BRAND`, `B-PRODUCT`, `I-PRODUCT`, `B-PRICE`, `I-PRICE`. A tagged word is written
# `word/TAG`, an untagged one means `O`. Prices are split as CoNLL-2003 splits them (`$ 24`), as
# `Tagger.tag_text` will split raw text later. Some brands of the validation and test sentences
# (*Marlow*, *Zephyr*, *Ashgrove*) never occur in training, so the scores say something about unseen
# words. This is a toy (36 training sentences, 8 validation, 8 test); a real project needs hundreds to
# thousands of sentences, checked by a second annotator.
# %% [markdown] lang="zh"
# ## 1. 自己做一个小数据集
#
# 我们的任务：在简短的购物句子中找出**品牌**（BRAND）、**商品**（PRODUCT）和**价格**（PRICE），IOB2 标签集为 `O`、`B-BRAND`、`I-BRAND`、`B-PRODUCT`、`I-PRODUCT`、`B-PRICE`、`I-PRICE`。带标签的词写成 `word/TAG`，不带标签的词表示 `O`。价格按 CoNLL-2003 的方式切开（`$ 24`），后面 `Tagger.tag_text` 切分原始文本时也是这样切的。验证集和测试集中有几个品牌（*Marlow*、*Zephyr*、*Ashgrove*）在训练集里从未出现，所以分数能说明模型对没见过的词表现如何。这只是个玩具（训练 36 句，验证 8 句，测试 8 句）；真实项目需要成百上千个句子，并由第二位标注者复核。

# %%
SENTENCES = {
    "train": """
I bought a Lumo/B-BRAND desk/B-PRODUCT lamp/I-PRODUCT for $/B-PRICE 24/I-PRICE .
The Kestrel/B-BRAND backpack/B-PRODUCT costs $/B-PRICE 59.99/I-PRICE .
Nordvik/B-BRAND sells its rice/B-PRODUCT cooker/I-PRODUCT for 89/B-PRICE euros/I-PRICE .
Is the Orbita/B-BRAND kettle/B-PRODUCT still $/B-PRICE 35/I-PRICE ?
My new Velora/B-BRAND running/B-PRODUCT shoes/I-PRODUCT were on sale at $/B-PRICE 72/I-PRICE .
Blue/B-BRAND Finch/I-BRAND headphones/B-PRODUCT dropped to $/B-PRICE 45/I-PRICE today .
A Tamsin/B-BRAND yoga/B-PRODUCT mat/I-PRODUCT is cheaper than a gym membership .
We returned the Quillon/B-BRAND air/B-PRODUCT fryer/I-PRODUCT because it was noisy .
The coffee/B-PRODUCT grinder/I-PRODUCT from Brightwave/B-BRAND is worth every cent .
Lumo/B-BRAND also makes a standing/B-PRODUCT desk/I-PRODUCT for 310/B-PRICE dollars/I-PRICE .
Can I get the Kestrel/B-BRAND water/B-PRODUCT bottle/I-PRODUCT in green ?
This phone/B-PRODUCT case/I-PRODUCT by Orbita/B-BRAND cost me 12/B-PRICE euros/I-PRICE .
Velora/B-BRAND cut the price of its trail/B-PRODUCT jacket/I-PRODUCT to $/B-PRICE 99/I-PRICE .
Nobody needs a blender/B-PRODUCT that costs $/B-PRICE 400/I-PRICE .
The Nordvik/B-BRAND wireless/B-PRODUCT mouse/I-PRODUCT stopped working after a week .
Blue/B-BRAND Finch/I-BRAND released a cheaper speaker/B-PRODUCT at 59/B-PRICE euros/I-PRICE .
I paid $/B-PRICE 18.50/I-PRICE for a Tamsin/B-BRAND lunch/B-PRODUCT box/I-PRODUCT .
Brightwave/B-BRAND toasters/B-PRODUCT are back in stock .
Her Quillon/B-BRAND laptop/B-PRODUCT stand/I-PRODUCT was a gift .
Compare the Lumo/B-BRAND and Orbita/B-BRAND kettles/B-PRODUCT before you buy .
The Kestrel/B-BRAND tent/B-PRODUCT sells for 249/B-PRICE dollars/I-PRICE online .
A pair of Velora/B-BRAND socks/B-PRODUCT costs only $/B-PRICE 9/I-PRICE .
Our office ordered ten Nordvik/B-BRAND monitors/B-PRODUCT .
The price of the Tamsin/B-BRAND water/B-PRODUCT filter/I-PRODUCT rose to 39/B-PRICE euros/I-PRICE .
I would not pay $/B-PRICE 150/I-PRICE for an electric/B-PRODUCT toothbrush/I-PRODUCT .
Brightwave/B-BRAND recalled a batch of hair/B-PRODUCT dryers/I-PRODUCT .
Blue/B-BRAND Finch/I-BRAND earbuds/B-PRODUCT fit well and cost $/B-PRICE 29/I-PRICE .
The Quillon/B-BRAND office/B-PRODUCT chair/I-PRODUCT is listed at 189/B-PRICE euros/I-PRICE .
Orbita/B-BRAND makes the best travel/B-PRODUCT mug/I-PRODUCT I have owned .
For $/B-PRICE 65/I-PRICE you get a Lumo/B-BRAND reading/B-PRODUCT light/I-PRODUCT and two bulbs .
Kestrel/B-BRAND hiking/B-PRODUCT boots/I-PRODUCT last for years .
The store sold out of Velora/B-BRAND rain/B-PRODUCT jackets/I-PRODUCT by noon .
A Nordvik/B-BRAND keyboard/B-PRODUCT costs 79/B-PRICE euros/I-PRICE here .
Tamsin/B-BRAND cutting/B-PRODUCT boards/I-PRODUCT are made of bamboo .
He found a used Brightwave/B-BRAND microwave/B-PRODUCT for $/B-PRICE 40/I-PRICE .
The Blue/B-BRAND Finch/I-BRAND radio/B-PRODUCT now costs 55/B-PRICE dollars/I-PRICE .
""",
    "validation": """
My Orbita/B-BRAND thermos/B-PRODUCT keeps tea hot all day .
The Quillon/B-BRAND desk/B-PRODUCT costs $/B-PRICE 220/I-PRICE .
Kestrel/B-BRAND sleeping/B-PRODUCT bags/I-PRODUCT start at 120/B-PRICE euros/I-PRICE .
I saw a Lumo/B-BRAND floor/B-PRODUCT lamp/I-PRODUCT for $/B-PRICE 85/I-PRICE .
Marlow/B-BRAND gloves/B-PRODUCT are warm but expensive .
Nordvik/B-BRAND webcams/B-PRODUCT dropped to 49/B-PRICE dollars/I-PRICE .
A Tamsin/B-BRAND salad/B-PRODUCT bowl/I-PRODUCT makes a nice present .
Brightwave/B-BRAND sold its first kettle/B-PRODUCT for $/B-PRICE 30/I-PRICE .
""",
    "test": """
The Blue/B-BRAND Finch/I-BRAND headphones/B-PRODUCT are now $/B-PRICE 39/I-PRICE .
I ordered a Kestrel/B-BRAND rain/B-PRODUCT cover/I-PRODUCT for 15/B-PRICE euros/I-PRICE .
Zephyr/B-BRAND lunch/B-PRODUCT boxes/I-PRODUCT are sold in packs of three .
Is a Quillon/B-BRAND monitor/B-PRODUCT arm/I-PRODUCT worth $/B-PRICE 60/I-PRICE ?
Lumo/B-BRAND bulbs/B-PRODUCT cost 4/B-PRICE dollars/I-PRICE each .
The Velora/B-BRAND sandals/B-PRODUCT broke after one summer .
Ashgrove/B-BRAND speakers/B-PRODUCT sound better than they look .
We paid $/B-PRICE 210/I-PRICE for a Brightwave/B-BRAND coffee/B-PRODUCT machine/I-PRODUCT .
""",
}

records = {}
for split, block in SENTENCES.items():
    records[split] = []
    for n, line in enumerate(block.strip().splitlines()):
        pairs = [item.rsplit("/", 1) if "/" in item else (item, "O") for item in line.split()]
        tokens, tags = [word for word, _ in pairs], [tag for _, tag in pairs]
        records[split].append({"id": f"{split}-{n}", "tokens": tokens, "ner_tags": tags})

print({split: len(recs) for split, recs in records.items()})
print(records["train"][0])

# %% [markdown] lang="en"
# Each sentence is now a **record**, the common currency of `helpers.readers`: a dict with an `id`,
# the `tokens`, and one list of string tags per tag column; ids are assigned only when the data becomes
# a `Dataset`.
# %% [markdown] lang="zh"
# 现在每个句子都是一条**记录**（record），这是 `helpers.readers` 通用的数据单位：一个字典，含 `id`、`tokens`，以及每个标签列一个由字符串标签组成的列表；只有当数据变成 `Dataset` 时才会分配编号。

# %% [markdown] lang="en"
# ## 2. Four file formats
#
# `helpers.readers` reads these formats into records and writes most of them (atomically: a crash never
# leaves half a file behind).
#
# | format | layout | writer | reader |
# |---|---|---|---|
# | CoNLL columns | one token per line, columns separated by spaces, blank line between sentences | `write_conll` | `read_conll` |
# | CoNLL-U | Universal Dependencies: 10 tab-separated columns, `#` comment lines | `write_conllu` | `read_conllu` |
# | JSON lines | one JSON object per sentence: `{"tokens": [...], "ner_tags": [...]}` | `write_jsonl` | `read_jsonl` |
# | CSV ("long") | a header, then one row per token with its sentence id | `write_csv` | `read_csv` |
#
# We write the CoNLL files in **IOB1** (lesson 1), `output_scheme="iob1"`, to see the conversion work
# when we read them back; the table shows the first sentence in both schemes.
# %% [markdown] lang="zh"
# ## 2. 四种文件格式
#
# `helpers.readers` 能把这几种格式读成记录，并能写出其中大部分（原子写入：即使中途崩溃，也不会留下写了一半的文件）。
#
# | 格式 | 布局 | 写入 | 读取 |
# |---|---|---|---|
# | CoNLL 列格式 | 每行一个词元（token），各列用空格分隔，句子之间空一行 | `write_conll` | `read_conll` |
# | CoNLL-U | Universal Dependencies 格式：10 列，用制表符分隔，`#` 开头的是注释行 | `write_conllu` | `read_conllu` |
# | JSON lines | 每个句子一个 JSON 对象：`{"tokens": [...], "ner_tags": [...]}` | `write_jsonl` | `read_jsonl` |
# | CSV（“长”格式） | 一行表头，之后每个词元一行，并带上所属句子的 id | `write_csv` | `read_csv` |
#
# 我们用 **IOB1**（第 1 课）写 CoNLL 文件（`output_scheme="iob1"`），以便读回时看到转换的效果；下表给出第一句在两种标注体系下的标签。

# %%
first = records["train"][0]
iob1 = helpers.iob2_to_iob1(first["ner_tags"])
display(pd.DataFrame({"IOB2": first["ner_tags"], "IOB1": iob1}, index=first["tokens"]).T)

# %% check="1"
assert [len(r) for r in records.values()] == [36, 8, 8]
assert " ".join(records["train"][0]["ner_tags"]) == "O O O B-BRAND B-PRODUCT I-PRODUCT O B-PRICE I-PRICE O"
assert " ".join(iob1) == "O O O I-BRAND I-PRODUCT I-PRODUCT O I-PRICE I-PRICE O"

# %%
files = {"conll": {}, "jsonl": {}, "csv": {}}
for split, recs in records.items():
    files["conll"][split] = DATA / f"{split}.conll"
    readers.write_conll(recs, files["conll"][split], columns=("tokens", "ner_tags"), output_scheme="iob1")
    files["jsonl"][split] = DATA / f"{split}.jsonl"
    readers.write_jsonl(recs, files["jsonl"][split])
    files["csv"][split] = DATA / f"{split}.csv"
    readers.write_csv(recs, files["csv"][split])  # one row per token; the column is called ner_tag

# %% [markdown] lang="en"
# **CoNLL-U**, the format of the Universal Dependencies treebanks, carries part-of-speech tags and
# syntax, not entity spans. So we give the first two training sentences universal POS tags (UPOS) and
# write them with `write_conllu`, which fills the other columns with `_` and adds `# sent_id` and
# `# text` comments; `read_conllu` keeps the word forms and the UPOS tags as `pos_tags`.
# %% [markdown] lang="zh"
# **CoNLL-U** 是 Universal Dependencies 树库使用的格式，承载的是词性标签和句法信息，而不是实体片段。所以这里只给训练集的前两句标上通用词性标签（UPOS），再用 `write_conllu` 写出：其他列填 `_`，并加上 `# sent_id` 和 `# text` 注释；`read_conllu` 读回词形，并把 UPOS 标签存为 `pos_tags`。

# %%
UPOS = {
    "train-0": "PRON VERB DET PROPN NOUN NOUN ADP SYM NUM PUNCT",
    "train-1": "DET PROPN NOUN VERB SYM NUM PUNCT",
}
pos_records = [
    {"id": r["id"], "tokens": r["tokens"], "pos_tags": UPOS[r["id"]].split()} for r in records["train"][:2]
]
files["conllu"] = {"train": DATA / "train.conllu"}
readers.write_conllu(pos_records, files["conllu"]["train"], tag="upos")
print("wrote", files["conllu"]["train"].as_posix())

# %% [markdown] lang="en"
# The first lines of each training file: the CoNLL spans start with `I-` (IOB1), the CSV repeats the
# sentence id on every row, and the CoNLL-U tabs are shown as `\t`.
# %% [markdown] lang="zh"
# 下面是每种格式训练文件的前几行：CoNLL 文件中的片段以 `I-` 开头（IOB1），CSV 每行都重复句子 id，CoNLL-U 的制表符显示为 `\t`。

# %% tags=["nbval-check-output"]
for fmt in ("conll", "jsonl", "csv", "conllu"):
    path = files[fmt]["train"]
    head = path.read_text(encoding="utf-8").splitlines()[: 2 if fmt == "jsonl" else 8]
    print(f"==> {path.as_posix()} <==")
    print("\n".join(line.replace("\t", "\\t") for line in head), end="\n\n")

# %% [markdown] lang="en"
# ## 3. Loading files back: `helpers.load_token_files`
#
# `helpers.load_token_files({split: path}, format=...)` reads one file per split into a `DatasetDict`
# with `id`, `tokens` and one `List(ClassLabel(...))` column per tag column. Extra keyword arguments go to
# the reader: for CoNLL, `columns` names the columns (`None` skips one) and `input_scheme` is `"iob1"`,
# `"iob2"` or `"auto"` (the default: IOB1 when an `I-X` cannot continue a span); for JSON lines and CSV,
# `tag_fields` names the tag fields (a CSV column `ner_tag` becomes `ner_tags`). Unless you pass
# `label_names=`, the **tag set** is collected over all splits: `O` first, then each type's `B-` and
# `I-`, types in alphabetical order.
# %% [markdown] lang="zh"
# ## 3. 把文件加载回来：`helpers.load_token_files`
#
# `helpers.load_token_files({split: path}, format=...)` 为每个数据划分读取一个文件，返回 `DatasetDict`，含 `id`、`tokens` 两列，以及每个标签列一列 `List(ClassLabel(...))`。多余的关键字参数会传给读取函数：对 CoNLL，`columns` 给各列命名（写 `None` 跳过一列），`input_scheme` 取 `"iob1"`、`"iob2"` 或 `"auto"`（默认：发现不能延续片段的 `I-X` 时按 IOB1 处理）；对 JSON lines 和 CSV，`tag_fields` 指定标签字段（CSV 的 `ner_tag` 列会改名为 `ner_tags`）。除非传入 `label_names=`，**标签集**在所有数据划分上统一收集：`O` 在前，然后是每种类型的 `B-` 和 `I-`，类型按字母顺序排列。

# %%
loaded = {
    "conll": helpers.load_token_files(
        files["conll"], format="conll", columns=("tokens", "ner_tags"), input_scheme="iob1"
    ),
    "jsonl": helpers.load_token_files(files["jsonl"], format="jsonl"),
    "csv": helpers.load_token_files(files["csv"], format="csv"),
    "conllu": helpers.load_token_files(files["conllu"], format="conllu"),
}
print(loaded["conll"])

# %% tags=["nbval-check-output"]
for fmt, dsd in loaded.items():
    column = "pos_tags" if fmt == "conllu" else "ner_tags"
    print(f"{fmt:<7} {column}: {helpers.label_names(dsd, column)}")
print()
print(loaded["jsonl"]["train"].features)

LABELS = ["O", "B-BRAND", "I-BRAND", "B-PRICE", "I-PRICE", "B-PRODUCT", "I-PRODUCT"]

# %% check="1"
assert all(helpers.label_names(loaded[fmt], "ner_tags") == LABELS for fmt in ("conll", "jsonl", "csv"))
assert helpers.label_names(loaded["conllu"], "pos_tags") == [
    "ADP",
    "DET",
    "NOUN",
    "NUM",
    "PRON",
    "PROPN",
    "PUNCT",
    "SYM",
    "VERB",
]

# %% [markdown] lang="en"
# The three files with entity tags give the same tag set of seven labels; the CoNLL-U file gives UPOS
# tags, sorted by name. The next cell compares every loaded split, turned back into string tags, with the
# records we started from, the IOB1 CoNLL files included.
# %% [markdown] lang="zh"
# 三个带实体标签的文件得到了同一个七标签的标签集；CoNLL-U 文件给出的是 UPOS 标签，按名称排序。下一个单元格把每个加载得到的数据划分转回字符串标签，与最初的记录逐一比较，IOB1 的 CoNLL 文件也在其中。

# %%
same_as_written = {
    fmt: all(
        loaded[fmt][split]["tokens"] == [r["tokens"] for r in recs]
        and [[LABELS[i] for i in s] for s in loaded[fmt][split]["ner_tags"]] == [r["ner_tags"] for r in recs]
        for split, recs in records.items()
    )
    for fmt in ("conll", "jsonl", "csv")
}
print("same tokens and IOB2 tags as the records written:", same_as_written)

own = loaded["jsonl"]

# %% check="1"
assert all(same_as_written.values())

# %% [markdown] lang="en"
# ### Other tagging schemes: BIOES, BILOU and BMES
#
# Many corpora, Chinese and biomedical ones especially, use more prefixes: **BIOES** has `B-`, `I-`,
# `E-` (end) and `S-` (a single-word span); **BILOU** writes `L-` and `U-` for `E-` and `S-`; **BMES**
# writes `M-` (middle) for `I-`. The readers detect the scheme of each span column
# (`input_scheme="auto"`), convert it to IOB2 and report it in `records.schemes`;
# `write_conll(..., output_scheme="bioes")` writes it back. Below, our sentences go out in BIOES and come
# back as the IOB2 tags we started from.
# %% [markdown] lang="zh"
# ### 其他标注体系：BIOES、BILOU 和 BMES
#
# 很多语料库（尤其是中文和生物医学语料）用更多的前缀：**BIOES** 有 `B-`、`I-`、`E-`（结束）和 `S-`（单个词构成的片段）；**BILOU** 用 `L-`、`U-` 代替 `E-`、`S-`；**BMES** 用 `M-`（中间）代替 `I-`。读取函数会识别每个片段列的标注体系（`input_scheme="auto"`），转换成 IOB2，并记在 `records.schemes` 里；`write_conll(..., output_scheme="bioes")` 则按它写回。下面把我们的句子写成 BIOES，再读回来，得到的正是最初的 IOB2 标签。

# %% tags=["nbval-check-output"]
bioes_files = {}
for split, recs in records.items():
    bioes_files[split] = DATA / f"{split}.bioes"
    readers.write_conll(recs, bioes_files[split], columns=("tokens", "ner_tags"), output_scheme="bioes")
print("\n".join(bioes_files["train"].read_text(encoding="utf-8").splitlines()[:10]))

back = readers.read_conll(bioes_files["train"], columns=("tokens", "ner_tags"))
print("\nscheme found:", back.schemes)

# %% check="1"
assert back.schemes == {"ner_tags": "bioes"}
assert [r["ner_tags"] for r in back] == [r["ner_tags"] for r in records["train"]]

# %% [markdown] lang="en"
# A broken span is an error that names the file, the line and the field: here `I-PRODUCT` follows a
# single-word brand (`S-BRAND`), so no `PRODUCT` span is open for it to continue.
# %% [markdown] lang="zh"
# 不完整的片段会报错，并指明文件、行号和字段：这里 `I-PRODUCT` 跟在一个单词品牌（`S-BRAND`）之后，前面并没有可以延续的 `PRODUCT` 片段。

# %% tags=["nbval-check-output"]
broken_bioes = DATA / "broken.bioes"
broken_bioes.write_text("Lumo S-BRAND\nlamp I-PRODUCT\nfor O\n\n", encoding="utf-8")
try:
    readers.read_conll(broken_bioes, columns=("tokens", "ner_tags"))
except helpers.DataFormatError as err:
    print(f"DataFormatError: {err}")
    broken_span = err

# %% check="1"
assert broken_span.line == 2 and broken_span.field == "ner_tags"

# %% [markdown] lang="en"
# ### Character spans from annotation tools: doccano, Label Studio, CLUENER
#
# Annotation tools export the text and the **character offsets** of each entity: doccano writes JSON
# lines `{"text": ..., "label": [[start, end, type], ...]}` (end exclusive), Label Studio a JSON list of
# tasks, the Chinese CLUENER corpus `{"text": ..., "label": {type: {mention: [[start, end]]}}}` (end
# **inclusive**). `helpers.spans` cuts the text into words (one word per character in Chinese text,
# Latin words and numbers kept whole) and gives each span's words IOB2 tags; `spans.write_doccano` writes
# records back as a doccano export.
# %% [markdown] lang="zh"
# ### 标注工具导出的字符片段：doccano、Label Studio、CLUENER
#
# 标注工具导出的是文本以及每个实体的**字符偏移量**：doccano 写出 JSON lines `{"text": ..., "label": [[start, end, type], ...]}`（不含结束位置），Label Studio 导出由任务组成的 JSON 列表，中文 CLUENER 语料是 `{"text": ..., "label": {type: {mention: [[start, end]]}}}`（结束位置**包含在内**）。`helpers.spans` 先把文本切成词（中文文本每个字算一个词，其中的拉丁字母单词和数字保持完整），再给每个片段覆盖的词打上 IOB2 标签；`spans.write_doccano` 把记录写回 doccano 的导出格式。

# %% tags=["nbval-check-output"]
export = DATA / "train_doccano.jsonl"
spans.write_doccano(records["train"], export)
print(export.read_text(encoding="utf-8").splitlines()[0])

from_export = readers.read_records(export)  # a .jsonl of texts with spans: read as format "spans"

text = "我在宜家买了一盏台灯，花了 199 元。"
mentions = {"宜家": "BRAND", "台灯": "PRODUCT", "199 元": "PRICE"}
marked = [(text.index(m), text.index(m) + len(m), typ) for m, typ in mentions.items()]
words, tags = spans.spans_to_tags(text, marked)
print(" ".join(f"{w}/{t}" for w, t in zip(words, tags)))

# %% check="1"
assert [r["tokens"] for r in from_export] == [r["tokens"] for r in records["train"]]
assert [r["ner_tags"] for r in from_export] == [r["ner_tags"] for r in records["train"]]
assert words[:3] == ["我", "在", "宜"] and "199" in words

# %% [markdown] lang="en"
# A span must start and end at word boundaries, stay inside the text, not overlap another span and,
# when you pass `types=[...]`, name a known type. Otherwise the reader stops with the file, the
# record's line and the field, as for the other formats:
# %% [markdown] lang="zh"
# 片段必须在词的边界上开始和结束，不能超出文本，不能与其他片段重叠；如果传入了 `types=[...]`，片段的类型还必须在其中。否则读取函数会停下来，并像其他格式一样指出文件、记录所在的行号和字段：

# %% tags=["nbval-check-output"]
cut = DATA / "cut_span.jsonl"
cut.write_text('{"text": "Lumo desk lamp", "label": [[0, 7, "BRAND"]]}\n', encoding="utf-8")
try:
    spans.read_spans(cut)
except helpers.DataFormatError as err:
    print(f"DataFormatError: {err}")
    cut_error = err

# %% check="1"
assert cut_error.line == 1 and "cuts the word 'desk'" in str(cut_error)

# %% [markdown] lang="en"
# ## 4. When a file is broken
#
# Real files break: a stray space adds a column, an export script drops a tag. The readers check every
# line and raise `helpers.DataFormatError` with the file, the line and, where it applies, the field.
# Two typical cases: a CoNLL line with three columns instead of two, and a JSON line with three tokens
# but two tags.
# %% [markdown] lang="zh"
# ## 4. 文件格式有误时
#
# 真实的文件难免出错：多了一个空格就多出一列，导出脚本漏掉一个标签。读取函数逐行检查，抛出 `helpers.DataFormatError`，指明文件、行号以及（如适用）字段。两种典型情况：CoNLL 文件中某一行有三列而不是两列；JSON lines 文件中某个句子有三个词元却只有两个标签。

# %% tags=["nbval-check-output"]
broken_conll = DATA / "broken.conll"
broken_conll.write_text("Lumo B-BRAND\nlamp B-PRODUCT I-PRODUCT\n\n", encoding="utf-8")
broken_jsonl = DATA / "broken.jsonl"
broken_jsonl.write_text(
    '{"tokens": ["Lumo", "lamps"], "ner_tags": ["B-BRAND", "B-PRODUCT"]}\n'
    '{"tokens": ["Kestrel", "tent", "."], "ner_tags": ["B-BRAND", "B-PRODUCT"]}\n',
    encoding="utf-8",
)

messages = []
for path, fmt, kwargs in [
    (broken_conll, "conll", {"columns": ("tokens", "ner_tags")}),
    (broken_jsonl, "jsonl", {}),
]:
    try:
        helpers.load_token_files({"train": path}, format=fmt, **kwargs)
    except helpers.DataFormatError as err:
        print(f"DataFormatError: {err}")
        messages.append(str(err))

# %% check="1"
assert len(messages) == 2
assert str(broken_conll) in messages[0] and "line 2" in messages[0] and "found 3" in messages[0]
assert str(broken_jsonl) in messages[1] and "line 2" in messages[1] and "3 tokens but 2 tags" in messages[1]

# %% [markdown] lang="en"
# Both messages start with `file, line N`, then say what was expected. `DataFormatError` is a
# `ValueError` too. A tag missing from the `label_names=` you passed raises `helpers.LabelError`, naming
# the file, the sentence and the field.
# %% [markdown] lang="zh"
# 两条消息都以 `file, line N`（文件名和行号）开头，然后说明期望的是什么。`DataFormatError` 也是 `ValueError`。如果某个标签不在你传入的 `label_names=` 里，则会抛出 `helpers.LabelError`，指明文件、句子和字段。

# %% [markdown] lang="en"
# ## 5. Train and evaluate on our data
#
# `helpers.train(cfg, ds=own)` runs lesson 3's job on a `DatasetDict` we pass in and saves the model
# and `metrics.json` under `cfg.output_dir`; `task="ner"` names the tag column, the metric follows from
# the IOB2 labels, and the head gets our seven labels in `id2label`. With 36 sentences the recipe's
# defaults would make only a handful of steps, so we adapt it as one does for a small dataset: batches
# of 8, 6 epochs (30 steps), a learning rate three times the recipe's, an evaluation every 15 steps.
# %% [markdown] lang="zh"
# ## 5. 在我们的数据上训练和评估
#
# `helpers.train(cfg, ds=own)` 在我们传入的 `DatasetDict` 上完成第 3 课的全部工作，把模型和 `metrics.json` 保存到 `cfg.output_dir`；`task="ner"` 指明标签列，评估指标由 IOB2 标签决定，分类头得到我们的七个标签，名字存在 `id2label` 里。只有 36 个句子，按配方的默认值只能训练寥寥几步，所以我们像处理小数据集时通常那样调整配方：批次（batch）大小 8、训练 6 轮（共 30 步）、学习率是配方的三倍、每 15 步评估一次。

# %%
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, checkpoint)  # the learning rate and epochs for its width
recipe = with_overrides(recipe, batch_size=8, learning_rate=3 * recipe.learning_rate)
cfg = helpers.TrainConfig(
    task="ner", output_dir=str(WORK / "product-ner"), recipe=recipe, epochs=6, eval_steps=15, overwrite=True
)
card = run_card(checkpoint, epochs=cfg.epochs, sentences=len(own["train"]))
result = helpers.train(cfg, ds=own)
card.finish()
model_dir = result["model_dir"]

print(f"\n{result['global_steps']} steps; model saved to {model_dir}")
print(f"\ntest (word level):\n{helpers.format_table(result['test'])}")

# %% check="1"
from helpers.training import SMOKE_MAX_STEPS

assert result["global_steps"] == 30 == SMOKE_MAX_STEPS
gold_test = sum(show.count_entities(r["ner_tags"]) for r in records["test"])
assert sum(v["number"] for v in result["test"]["per_type"].values()) == gold_test

# %% [markdown] lang="en"
# The table is this run's test score on 8 sentences: one entity more or less found moves F1 by
# several points, so read it as "the pipeline works on our labels", not as a measure of quality.
# `support` counts the gold entities of each type in the test split.
# %% [markdown] lang="zh"
# 这张表是本次运行在 8 个测试句子上的分数：多找到或少找到一个实体，F1 就会变动好几个百分点，所以应把它读作“流水线在我们的标签上能跑通”，而不是质量的度量。`support` 是测试集中每种类型的金标实体数。

# %% [markdown] lang="en"
# ## 6. Tag new sentences
#
# `helpers.Tagger.from_pretrained(model_dir)` loads the saved folder and `tag_text` returns the entities
# with character offsets. None of these sentences is in the dataset, and two brands (*Halden*, *Pico*)
# were never seen.
# %% [markdown] lang="zh"
# ## 6. 标注新句子
#
# `helpers.Tagger.from_pretrained(model_dir)` 加载保存好的文件夹，`tag_text` 返回带字符偏移量的实体。这些句子都不在数据集中，其中两个品牌（*Halden*、*Pico*）模型从未见过。

# %%
tagger = helpers.Tagger.from_pretrained(model_dir)
new_sentences = [
    "The Halden rice cooker is on sale for 64 euros.",
    "Do you think the Orbita headphones are worth $120?",
    "My sister swears by her Pico hiking poles.",
]
for sentence in tagger.tag_text(new_sentences):
    display(HTML(show.highlight_entities(sentence.words, sentence.tags)))
    print([(e.type, e.text, round(e.score, 2)) for e in sentence.entities])

# %% [markdown] lang="en"
# Read each list against its sentence. An unseen brand found correctly means the model learnt where
# brands stand (before a product word, after *the* or *her*) rather than memorising names. A word
# tagged that is no entity at all, a verb in front of a brand for instance, shows what 36 sentences
# cannot teach: most English words never occurred as `O` in training, so the model has no evidence
# against them. The test score of section 5 cannot show this: 8 sentences are too few. Note also that
# `$120`, written without a space, is split by `tag_text` into `$` and `120`, as in our training data;
# if your data are pre-split another way, tag pre-split words with `tagger.tag_words([...])`.
# %% [markdown] lang="zh"
# 对照句子读每个列表。正确找出一个没见过的品牌，说明模型学到的是品牌出现的位置（在商品词之前、在 *the* 或 *her* 之后），而不是背下了名字。如果有一个根本不是实体的词被标了出来（比如品牌前面的动词），就说明了 36 个句子教不会什么：大多数英文词在训练中从没以 `O` 出现过，模型没有证据排除它们。第 5 节的测试分数看不出这一点：8 个句子太少了。另外，不带空格的 `$120` 会被 `tag_text` 切成 `$` 和 `120`，与训练数据一致；如果你的数据是用别的方式预先切好的，就用 `tagger.tag_words([...])` 标注切好的词。

# %% [markdown] lang="en"
# ## 7. Behind a firewall, or fully offline
#
# Everything the course downloads comes from the Hugging Face Hub. Four environment variables decide
# what happens:
#
# | variable | effect |
# |---|---|
# | `HF_ENDPOINT` | address of a Hub **mirror** to use instead of https://huggingface.co |
# | `HF_HUB_OFFLINE=1` | never use the network: only local folders and the local cache |
# | `TOKCLS_MODEL` | a checkpoint id or a **local folder** to fine-tune instead of the default |
# | `TOKCLS_DATA_DIR` | a folder of CoNLL-2003 column files (`train.txt`, `validation.txt`, `test.txt`) |
#
# Set them **before** Python starts (in the shell that launches Jupyter), or in the first cell before
# any import: `huggingface_hub` reads them when it is imported. Offline, the course falls back without
# waiting: the model is `TOKCLS_MODEL`, else distilbert from the local cache, else the bundled MiniLM;
# the data are `TOKCLS_DATA_DIR`, else the synthetic corpus. To prepare an offline machine, run
# `hf download distilbert/distilbert-base-uncased --local-dir models/distilbert` on a connected one, copy
# the folder and point `TOKCLS_MODEL` at it. (Mirrors usable from mainland China are in the Chinese
# README.) `helpers.share.hub_status()` reports the setup, including `restart_needed` when the variables
# changed after `huggingface_hub` was imported; its output depends on your machine.
# %% [markdown] lang="zh"
# ## 7. 在防火墙后或完全离线时
#
# 课程下载的一切都来自 Hugging Face Hub。四个环境变量决定具体行为：
#
# | 变量 | 作用 |
# |---|---|
# | `HF_ENDPOINT` | 用某个 Hub **镜像**的地址代替 https://huggingface.co |
# | `HF_HUB_OFFLINE=1` | 完全不联网：只用本地文件夹和本地缓存 |
# | `TOKCLS_MODEL` | 要微调的检查点 id 或**本地文件夹**，代替默认检查点 |
# | `TOKCLS_DATA_DIR` | 存放 CoNLL-2003 列格式文件（`train.txt`、`validation.txt`、`test.txt`）的文件夹 |
#
# 这些变量要在 Python 启动**之前**设置（在启动 Jupyter 的终端里），或者在第一个单元格里、任何 import 之前设置：`huggingface_hub` 在被导入时读取它们。离线时，课程会立即回退而不等待：模型依次取 `TOKCLS_MODEL`、本地缓存中的 distilbert、自带的 MiniLM；数据依次取 `TOKCLS_DATA_DIR`、合成语料。要准备一台离线机器，先在能联网的机器上运行 `hf download distilbert/distilbert-base-uncased --local-dir models/distilbert`，把文件夹拷过去，再让 `TOKCLS_MODEL` 指向它。（在中国大陆可用的镜像见中文 README。）`helpers.share.hub_status()` 报告当前设置，变量在 `huggingface_hub` 导入之后才改动时会给出 `restart_needed`；它的输出取决于你的机器。

# %%
status = share.hub_status()
display(pd.Series(status, name="value").to_frame())

# %% check="1"
from helpers import hub

assert status["offline"] == hub.hub_offline()

# %% [markdown] lang="en"
# `TOKCLS_MODEL` accepts any local folder saved with `save_pretrained`, including the one we just
# trained: the next cell sets it for a moment, asks `helpers.resolve_checkpoint()`, and restores it.
# %% [markdown] lang="zh"
# `TOKCLS_MODEL` 接受任何用 `save_pretrained` 保存的本地文件夹，包括我们刚训练好的这个：下一个单元格临时设置它，问一下 `helpers.resolve_checkpoint()`，再恢复原来的值。

# %%
previous = os.environ.get("TOKCLS_MODEL")
os.environ["TOKCLS_MODEL"] = model_dir
try:
    chosen = helpers.resolve_checkpoint()
finally:
    if previous is None:
        del os.environ["TOKCLS_MODEL"]
    else:
        os.environ["TOKCLS_MODEL"] = previous
print("a run would fine-tune:", chosen)

# %% check="1"
assert chosen == model_dir

# %% [markdown] lang="en"
# ## 8. Sharing a model on the Hub
#
# A shared model is a Hub repository holding the saved folder and a **model card**, the `README.md` that
# says what the model does, what it was trained on, how well it did and where not to use it:
#
# 1. **Write the card.** `helpers.share.write_model_card(model_dir, ...)` writes YAML metadata the Hub
#    reads (`pipeline_tag: token-classification`, license, base model), the labels from `config.json`,
#    the scores you pass and a usage example. It is local, so we run it here; edit the text before you
#    publish.
# 2. **Log in** with a write token from huggingface.co/settings/tokens: `hf auth login` in a terminal,
#    or `huggingface_hub.login()`. Never paste a token into a notebook you share.
# 3. **Push.** `helpers.share.push_model(model_dir, "your-name/model-name", private=True)` creates the
#    repository (private by default) and uploads the folder, after checking that the Hub is reachable
#    (`HubUnavailableError` otherwise). `model.push_to_hub(repo_id, private=True)` and
#    `tokenizer.push_to_hub(repo_id)` do the same without the card. Mirrors are usually read-only.
# %% [markdown] lang="zh"
# ## 8. 在 Hub 上分享模型
#
# 分享出去的模型就是一个 Hub 仓库，里面放着保存好的文件夹和一份**模型卡片**，即说明模型做什么、用什么数据训练、效果如何、哪些场合不该使用的 `README.md`：
#
# 1. **编写卡片。** `helpers.share.write_model_card(model_dir, ...)` 写入 Hub 会读取的 YAML 元数据（`pipeline_tag: token-classification`、许可证、基础模型）、取自 `config.json` 的标签、你传入的分数和一段用法示例。这一步在本地完成，所以这里直接运行；发布之前请修改其中的文字。
# 2. **登录**：使用在 huggingface.co/settings/tokens 创建的写权限令牌，在终端运行 `hf auth login`，或调用 `huggingface_hub.login()`。千万不要把令牌粘贴进要分享的 notebook。
# 3. **推送。** `helpers.share.push_model(model_dir, "your-name/model-name", private=True)` 创建仓库（默认私有）并上传文件夹，上传之前会检查 Hub 能否连通（否则抛出 `HubUnavailableError`）。`model.push_to_hub(repo_id, private=True)` 和 `tokenizer.push_to_hub(repo_id)` 也能做到，只是没有卡片。镜像通常是只读的。

# %%
base_model = "sentence-transformers/all-MiniLM-L6-v2" if checkpoint == bundled_model_path() else checkpoint
card = share.write_model_card(
    model_dir,
    base_model=base_model,
    metrics={
        "test span F1": result["test"]["overall_f1"],
        "test word accuracy": result["test"]["overall_accuracy"],
    },
    description=(
        "Tags brands (BRAND), products (PRODUCT) and prices (PRICE) in short English shopping sentences. "
        "A teaching toy trained on 36 invented sentences (lesson 6 of the course); scores are on 8 test "
        "sentences. Not for real use."
    ),
)
card_text = card.read_text(encoding="utf-8")
print("\n".join(card_text.splitlines()[:28]))

# %% check="1"
assert "pipeline_tag: token-classification" in card_text and "`B-PRODUCT`" in card_text

# %% [markdown] lang="en"
# The next cell shows the error you get when you push while offline (it acts only in offline mode and
# never touches the network).
# %% [markdown] lang="zh"
# 下一个单元格演示离线时推送会得到什么错误（它只在离线模式下才有动作，绝不会联网）。

# %%
if status["offline"]:
    try:
        share.push_model(model_dir, "your-name/product-ner")
    except share.HubUnavailableError as err:
        print("HubUnavailableError:", err)
else:
    print("Online: push_model would connect to", status["endpoint"])

# %% [markdown] lang="en"
# The last two cells really log in and push, so they need the network and your account: they do
# nothing unless you set `SHARE_ON_HUB = True` and put your user name in `REPO_ID`.
# %% [markdown] lang="zh"
# 最后两个单元格会真正登录并推送，因此需要网络和你的账号：除非你设置 `SHARE_ON_HUB = True`，并在 `REPO_ID` 里填上你的用户名，否则它们什么也不做。

# %% tags=["nbval-skip"]
SHARE_ON_HUB = False  # set to True to log in and push
REPO_ID = "your-name/product-ner"

if SHARE_ON_HUB:
    from huggingface_hub import login

    login()  # asks for a token with write access
    print("pushed:", share.push_model(model_dir, REPO_ID, private=True))
else:
    print("Sharing is switched off: set SHARE_ON_HUB = True and REPO_ID to push the model.")

# %% tags=["nbval-skip"]
if SHARE_ON_HUB:
    from transformers import pipeline

    hub_tagger = pipeline("token-classification", model=REPO_ID, aggregation_strategy="first")
    print(hub_tagger("The Kestrel tent costs $ 249 ."))

# %% [markdown] lang="en"
# ## 9. The same from the command line
#
# `python -m helpers train` trains on files of your own too: `--train-file`, `--validation-file`,
# `--test-file`, `--format` (guessed from the extension), `--columns` for CoNLL columns and `--scheme`
# (default `auto`). Without a validation file, 10 % of the training file is held out with the run's seed,
# and the command says so; `--help` lists every option. Here we call the same entry point,
# `helpers.cli.main([...])`, for three steps only, and print the lines worth reading: the scores of so
# short a run mean nothing. First the BIOES files: their test spans are the same as in section 5, so
# each type has the same support.
# %% [markdown] lang="zh"
# ## 9. 在命令行中完成同样的事
#
# `python -m helpers train` 也能在你自己的文件上训练：`--train-file`、`--validation-file`、`--test-file`、`--format`（按扩展名推断）、为 CoNLL 各列命名的 `--columns`，以及 `--scheme`（默认 `auto`）。没有验证集文件时，命令会用本次运行的随机种子从训练文件中留出 10% 作为验证集，并打印说明；`--help` 列出全部选项。这里调用同一个入口 `helpers.cli.main([...])`，只训练三步，并只打印值得读的几行：这么短的训练，分数没有意义。先用 BIOES 文件：它们的测试集片段与第 5 节相同，所以每种类型的支持数也相同。

# %%
import contextlib
import io
import json

from helpers.cli import main as helpers_cli

FEW_STEPS = ["--batch-size", "8", "--max-steps", "3", "--no-checkpoints", "--overwrite"]
cli_bioes = WORK / "cli-bioes"
files_args = ["--train-file", str(bioes_files["train"]), "--validation-file", str(bioes_files["validation"]),
              "--test-file", str(bioes_files["test"]), "--format", "conll", "--columns", "tokens,ner_tags"]  # fmt: skip
with contextlib.redirect_stdout(io.StringIO()) as log:  # the score tables of a 3-step run mean nothing
    exit_code = helpers_cli(["train", *files_args, "--output-dir", str(cli_bioes), *FEW_STEPS])
print(log.getvalue().splitlines()[0])

scores = json.loads((cli_bioes / "metrics.json").read_text(encoding="utf-8"))["test"]
supports = {t: s["number"] for t, s in scores["per_type"].items()}
print("test supports (BIOES files):", supports)

# %% check="1"
assert exit_code == 0 and "overall_f1" in scores
assert supports == {t: s["number"] for t, s in result["test"]["per_type"].items()}

# %% [markdown] lang="en"
# Then the doccano export, with no validation file: the command says how much it held out.
# %% [markdown] lang="zh"
# 再用 doccano 导出文件，并且不提供验证集文件：命令会说明留出了多少。

# %%
cli_doccano = WORK / "cli-doccano"
doccano_args = ["train", "--train-file", str(export), "--output-dir", str(cli_doccano), *FEW_STEPS]
with contextlib.redirect_stdout(io.StringIO()) as log:
    exit_code = helpers_cli(doccano_args)
said = [line for line in log.getvalue().splitlines() if line.startswith(("Data:", "No --validation"))]
print("\n".join(said))
held_out = json.loads((cli_doccano / "metrics.json").read_text(encoding="utf-8"))["validation"]

# %% check="1"
assert exit_code == 0 and held_out["words"] > 0 and "per_type" in held_out

# %% [markdown] lang="en"
# ## Summary
#
# - A **record** (`id`, `tokens`, one list of string tags per column) is what every reader returns and
#   every writer takes: CoNLL columns, CoNLL-U (POS tags), JSON lines, CSV, and the character spans of
#   doccano, Label Studio and CLUENER. IOB1, BIOES, BILOU and BMES columns are converted to IOB2.
# - `helpers.load_token_files({split: path}, format=...)` builds a `DatasetDict` whose tag set is
#   collected over all splits unless you pass `label_names=`; broken files raise `DataFormatError`.
# - `helpers.train(cfg, ds=...)` trains on any such `DatasetDict`; adapt batch size and epochs to a
#   small dataset. `python -m helpers train --train-file ...` does it from the command line.
# - `HF_ENDPOINT`, `HF_HUB_OFFLINE=1`, `TOKCLS_MODEL` and `TOKCLS_DATA_DIR`, set before imports, decide
#   where models and data come from; `helpers.share.hub_status()` checks them.
# - Share a model with a card: `write_model_card`, log in, `push_model` (private by default).
# %% [markdown] lang="zh"
# ## 小结
#
# - **记录**（`id`、`tokens`，以及每列一个字符串标签列表）是所有读取函数的输出、所有写入函数的输入：CoNLL 列格式、CoNLL-U（词性标签）、JSON lines、CSV，以及 doccano、Label Studio 和 CLUENER 的字符片段。IOB1、BIOES、BILOU 和 BMES 的列会被转换成 IOB2。
# - `helpers.load_token_files({split: path}, format=...)` 构建 `DatasetDict`，除非传入 `label_names=`，标签集在所有数据划分上统一收集；格式有误的文件会抛出 `DataFormatError`。
# - `helpers.train(cfg, ds=...)` 可以在任何这样的 `DatasetDict` 上训练；数据集很小时要调整批次大小和轮数。`python -m helpers train --train-file ...` 在命令行中完成同样的事。
# - `HF_ENDPOINT`、`HF_HUB_OFFLINE=1`、`TOKCLS_MODEL` 和 `TOKCLS_DATA_DIR`（在 import 之前设置）决定模型和数据从哪里来；`helpers.share.hub_status()` 用来检查。
# - 分享模型时附上卡片：`write_model_card`、登录、`push_model`（默认私有）。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(6)

# %% [markdown] lang="en"
# ### Exercise 1: a DRUG/DOSE dataset
#
# Write a dozen sentences such as *Take 200/B-DOSE mg/I-DOSE of ibuprofen/B-DRUG twice a day .*, split them into train, validation and test, save them as CSV files and load them with `helpers.load_token_files`. Set `answer` to the loaded `DatasetDict`. Which label names does it collect? (Training on it, as in section 5, is not checked.)

# %% [markdown] lang="zh"
# ### 练习 1：DRUG/DOSE 数据集
#
# 写十几个这样的句子：*Take 200/B-DOSE mg/I-DOSE of ibuprofen/B-DRUG twice a day .*，把它们划分为训练集、验证集和测试集，保存为 CSV 文件，再用 `helpers.load_token_files` 加载。把 `answer` 设为加载得到的 `DatasetDict`。它收集到了哪些标签名？（像第 5 节那样在上面训练，不自动检查。）

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer)
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: a fixed tag set
#
# Load the JSON lines files with `label_names={"ner_tags": LABELS + ["B-SHOP", "I-SHOP"]}` and set `answer` to the result. What changes in the features?

# %% [markdown] lang="zh"
# ### 练习 2：固定的标签集
#
# 用 `label_names={"ner_tags": LABELS + ["B-SHOP", "I-SHOP"]}` 加载 JSON lines 文件，把 `answer` 设为结果。特征有什么变化？

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, LABELS)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: CoNLL-2003 for an offline machine
#
# Write the splits of `conll` (loaded below) as `train.txt`, `validation.txt` and `test.txt` with four columns (token, POS, chunk, NER) into one folder, and set `answer` to that folder. On the offline machine, `TOKCLS_DATA_DIR` then points to it.

# %% [markdown] lang="zh"
# ### 练习 3：为离线机器准备 CoNLL-2003
#
# 把 `conll`（在下面加载）的各个划分写成四列（词元、词性、组块、命名实体）的 `train.txt`、`validation.txt` 和 `test.txt`，放进同一个文件夹，并把 `answer` 设为这个文件夹。在离线机器上，让 `TOKCLS_DATA_DIR` 指向它即可。

# %%
conll = helpers.smoke_subset(helpers.load_conll2003())

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, conll)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4: a custom column layout
#
# The cell below writes a file whose columns are a word number, the token, its POS tag and its NER tag in IOB1, separated by tabs. Read it with `readers.read_conll` so that the records hold `tokens`, `pos_tags` and `ner_tags` in IOB2, and set `answer` to the records.

# %% [markdown] lang="zh"
# ### 练习 4：自定义的列布局
#
# 下面的单元格写出一个文件，各列依次是词序号、词元、词性标签和 IOB1 格式的命名实体标签，以制表符分隔。用 `readers.read_conll` 读取它，使记录中含有 `tokens`、`pos_tags` 和 IOB2 格式的 `ner_tags`，并把 `answer` 设为这些记录。

# %%
custom_path = DATA / "custom.tsv"
custom_path.write_text(ex.q4.data["text"], encoding="utf-8")
print(custom_path.read_text(encoding="utf-8"))

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): an unknown tag

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：未知的标签

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
