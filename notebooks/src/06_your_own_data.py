# %% [markdown] lang="en"
# # Lesson 6 — Your own data, offline work and sharing
#
# CoNLL-2003 was our training ground. Real projects bring their own labels (drugs and doses,
# products and prices, ...) in whatever format the annotation tool exported. This lesson builds a
# tiny labelled dataset of its own, writes it in the common file formats, loads it back with one
# call, trains and uses a tagger on it, and then deals with two practical questions: working
# behind a firewall or fully offline, and sharing a model on the Hugging Face Hub.
#
# **After this lesson you will be able to**
#
# - write token-labelled data as CoNLL columns (IOB1 or IOB2), JSON lines and CSV with
#   `helpers.readers`, and read CoNLL-U;
# - load files of any of these formats with `helpers.load_token_files`, and read the label
#   inventory and `ClassLabel` features it builds;
# - recognise the errors a broken file produces (`helpers.DataFormatError` names the file and line);
# - train, evaluate and use a tagger for your own label set (`helpers.train`, `helpers.Tagger`);
# - use a Hub mirror (`HF_ENDPOINT`) or work fully offline (`HF_HUB_OFFLINE=1`, `TOKCLS_MODEL`,
#   `TOKCLS_DATA_DIR`), and check the setup with `helpers.share.hub_status()`;
# - write a model card and push a model to the Hub (`helpers.share.push_model`).
#
# **Prerequisites:** lessons 1–3 (IOB2 tags, alignment, fine-tuning with `Trainer`).
#
# **Time:** about 30 minutes of reading. Running the whole notebook in smoke mode on a 2-core CPU
# took 12 to 22 s while the machine was lightly loaded (with or without `TOKCLS_DATA_DIR`), and up
# to 2 minutes while other jobs kept both cores busy. This lesson does not use CoNLL-2003, so the data source makes no
# difference; and its training has the same 30 steps with or without smoke mode, because the
# dataset is tiny.
# %% [markdown] lang="zh"
# # 第 6 课：使用自己的数据、离线工作与分享模型
#
# CoNLL-2003 是我们的练兵场。真实项目会带来自己的标签（药物和剂量、商品和价格……），格式则取决于标注工具导出了什么。本课先亲手做一个很小的标注数据集，把它写成几种常见的文件格式，再用一次调用加载回来，在上面训练并使用一个标注模型；最后处理两个实际问题：在防火墙后或完全离线的环境中工作，以及把模型分享到 Hugging Face Hub。
#
# **学完本课，你将能够：**
#
# - 用 `helpers.readers` 把词级标注数据写成 CoNLL 列格式（IOB1 或 IOB2）、JSON lines 和 CSV，并读取 CoNLL-U；
# - 用 `helpers.load_token_files` 加载上述任一格式的文件，看懂它建立的标签清单和 `ClassLabel` 特征；
# - 认出格式有误的文件会引发什么错误（`helpers.DataFormatError` 会指明文件和行号）；
# - 为自己的标签集训练、评估并使用标注模型（`helpers.train`、`helpers.Tagger`）；
# - 使用 Hub 镜像（`HF_ENDPOINT`）或完全离线工作（`HF_HUB_OFFLINE=1`、`TOKCLS_MODEL`、`TOKCLS_DATA_DIR`），并用 `helpers.share.hub_status()` 检查当前设置；
# - 编写模型卡片（model card），把模型推送到 Hub（`helpers.share.push_model`）。
#
# **预备知识：** 第 1–3 课（IOB2 标签、对齐（alignment）、用 `Trainer` 微调（fine-tuning））。
#
# **用时：** 阅读约 30 分钟。在 2 核 CPU 上以冒烟模式（smoke mode）运行整个 notebook，机器负载较轻时实测用时 12 到 22 秒（设不设 `TOKCLS_DATA_DIR` 都一样）；有其他任务争用这两个核时，最长用了 2 分钟。本课不使用 CoNLL-2003，所以数据来源不影响结果；由于数据集很小，无论是否开启冒烟模式，训练都是同样的 30 步。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package `helpers` from GitHub; anywhere else
# it does nothing.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会从 GitHub 安装课程配套的 `helpers` 包；在其他环境里它什么也不做。

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
from helpers import hub, readers, share, spans
from helpers.modeling import bundled_model_path
from helpers.training import SMOKE_MAX_STEPS, with_overrides

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()  # lesson 3 explained the model-loading report
transformers.logging.disable_progress_bar()

# %% [markdown] lang="en"
# The configuration of this run: smoke mode, and the checkpoint that will be fine-tuned
# (`TOKCLS_MODEL` if set, else distilbert-base-uncased from the Hub or the local cache, else the
# bundled offline MiniLM). The data are ours, written below; all files go to `runs/06_own_data/`.
# %% [markdown] lang="zh"
# 本次运行的配置：是否处于冒烟模式，以及要微调的检查点（checkpoint）：设置了 `TOKCLS_MODEL` 就用它，否则用 Hub 或本地缓存中的 distilbert-base-uncased，再不行就用课程自带的离线 MiniLM。数据是我们自己的，下面现写；所有文件都放在 `runs/06_own_data/` 下。

# %%
SMOKE = helpers.smoke_mode()
checkpoint = helpers.resolve_checkpoint()
WORK = Path("runs/06_own_data")
DATA = WORK / "data"
DATA.mkdir(parents=True, exist_ok=True)
print("smoke mode:", SMOKE)
print("files go to:", WORK)

# %% [markdown] lang="en"
# ## 1. A small dataset of our own
#
# Our task: find **brands**, **products** and **prices** in short shopping sentences. The three
# entity types give the label set `O`, `B-BRAND`, `I-BRAND`, `B-PRODUCT`, `I-PRODUCT`, `B-PRICE`,
# `I-PRICE` in IOB2, the scheme of lessons 1–3.
#
# We write the sentences in a compact notation: words separated by spaces, a tagged word written
# `word/TAG`, an untagged word meaning `O`. Prices are split like CoNLL-2003 splits them (`$ 24`,
# `89 euros`): that is also how `Tagger.tag_text` will split raw text later. Some brands of the
# validation and test sentences (*Marlow*, *Zephyr*, *Ashgrove*) never occur in training, so the
# scores say something about words the model has not seen.
#
# This is a toy: 36 training sentences, 8 for validation, 8 for test. A real project needs
# hundreds to thousands of annotated sentences, checked by a second annotator.
# %% [markdown] lang="zh"
# ## 1. 自己做一个小数据集
#
# 我们的任务：在简短的购物句子中找出**品牌**（BRAND）、**商品**（PRODUCT）和**价格**（PRICE）。三种实体类型用 IOB2 方案（第 1–3 课用的就是它）得到标签集：`O`、`B-BRAND`、`I-BRAND`、`B-PRODUCT`、`I-PRODUCT`、`B-PRICE`、`I-PRICE`。
#
# 句子用一种紧凑的记法书写：词之间用空格分开，带标签的词写成 `word/TAG`（词/标签），不带标签的词表示 `O`。价格按 CoNLL-2003 的方式切开（`$ 24`、`89 euros`）：后面 `Tagger.tag_text` 切分原始文本时也是这样切的。验证集和测试集中有几个品牌（*Marlow*、*Zephyr*、*Ashgrove*）在训练集里从未出现，这样得到的分数才能说明模型对没见过的词表现如何。
#
# 这只是个玩具：36 个训练句子，验证集和测试集各 8 句。真实项目需要成百上千个标注句子，并由第二位标注者复核。

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
assert [len(r) for r in records.values()] == [36, 8, 8]
assert " ".join(records["train"][0]["ner_tags"]) == "O O O B-BRAND B-PRODUCT I-PRODUCT O B-PRICE I-PRICE O"

# %% [markdown] lang="en"
# Each sentence is now a **record**, the common currency of `helpers.readers`: a dict with an `id`,
# the `tokens`, and one list of string tags per tag column (here only `ner_tags`). Tags are
# strings, not ids: ids are assigned only when the data becomes a `Dataset`.
# %% [markdown] lang="zh"
# 现在每个句子都是一条**记录**（record），这是 `helpers.readers` 通用的数据单位：一个字典，含 `id`、`tokens`，以及每个标签列各一个由字符串标签组成的列表（这里只有 `ner_tags`）。标签是字符串而不是编号：只有当数据变成 `Dataset` 时才会分配编号。

# %% [markdown] lang="en"
# ## 2. Four file formats
#
# Annotation tools and corpora come in a handful of formats. `helpers.readers` reads all of them
# into records and writes most of them (every writer writes atomically: a crash never leaves half a
# file behind).
#
# | format | layout | writer | reader |
# |---|---|---|---|
# | CoNLL columns | one token per line, columns separated by spaces, blank line between sentences | `write_conll` | `read_conll` |
# | CoNLL-U | Universal Dependencies: 10 tab-separated columns, `#` comment lines | `write_conllu` | `read_conllu` |
# | JSON lines | one JSON object per sentence: `{"tokens": [...], "ner_tags": [...]}` | `write_jsonl` | `read_jsonl` |
# | CSV ("long") | a header, then one row per token with its sentence id | `write_csv` | `read_csv` |
#
# **CoNLL in IOB1.** Older CoNLL files (the original CoNLL-2003 release among them) use **IOB1**:
# a span starts with `I-X`, and `B-X` appears only where a span directly follows another span of
# the same type. We write our CoNLL files in IOB1 (`output_scheme="iob1"`) to see the conversion
# work when we read them back. The table shows the first training sentence in both schemes.
# %% [markdown] lang="zh"
# ## 2. 四种文件格式
#
# 标注工具和语料库常用的格式就那么几种。`helpers.readers` 能把它们全部读成记录，并能写出其中大部分（所有写入函数都是原子写入：即使中途崩溃，也不会留下写了一半的文件）。
#
# | 格式 | 布局 | 写入 | 读取 |
# |---|---|---|---|
# | CoNLL 列格式 | 每行一个词元（token），各列用空格分隔，句子之间空一行 | `write_conll` | `read_conll` |
# | CoNLL-U | Universal Dependencies 格式：10 列，用制表符分隔，`#` 开头的是注释行 | `write_conllu` | `read_conllu` |
# | JSON lines | 每个句子一个 JSON 对象：`{"tokens": [...], "ner_tags": [...]}` | `write_jsonl` | `read_jsonl` |
# | CSV（“长”格式） | 一行表头，之后每个词元一行，并带上所属句子的 id | `write_csv` | `read_csv` |
#
# **IOB1 格式的 CoNLL。** 较早的 CoNLL 文件（包括 CoNLL-2003 的原始发布版）使用 **IOB1**：片段以 `I-X` 开始，只有当一个片段紧跟在另一个同类型片段之后时才出现 `B-X`。我们用 IOB1 写 CoNLL 文件（`output_scheme="iob1"`），以便在读回来时看到格式转换的效果。下表给出训练集第一句在两种方案下的标签。

# %%
first = records["train"][0]
iob1 = helpers.iob2_to_iob1(first["ner_tags"])
display(pd.DataFrame({"IOB2": first["ner_tags"], "IOB1": iob1}, index=first["tokens"]).T)
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
# **CoNLL-U** is the format of the Universal Dependencies treebanks. It carries part-of-speech tags
# (column 4, UPOS, and column 5, XPOS) and syntax, not entity spans. So for this format we give the
# first two training sentences their universal POS tags, typed in below, and write them with
# `write_conllu`: it fills the columns we have no values for (lemma, features, syntax) with `_` and
# adds the `# sent_id` and `# text` comments. Reading it back, `read_conllu` keeps the word forms
# (column 2) and the UPOS tags as `pos_tags`, and takes the sentence id from the `# sent_id` comment.
# %% [markdown] lang="zh"
# **CoNLL-U** 是 Universal Dependencies 树库使用的格式。它承载的是词性标签（第 4 列 UPOS 和第 5 列 XPOS）和句法信息，而不是实体片段。所以这里只给训练集的前两句手工标上通用词性标签（UPOS），再用 `write_conllu` 写出：没有值的列（词的原形 lemma、形态特征、句法信息）一律填 `_`，并为每句加上 `# sent_id` 和 `# text` 注释。读回时，`read_conllu` 保留词形（第 2 列），把 UPOS 标签存为 `pos_tags`，并从 `# sent_id` 注释中取得句子 id。

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
# The first lines of each training file. Look at the CoNLL file: the spans start with `I-` (IOB1);
# at the CSV file: one row per token, the sentence id repeated; at the CoNLL-U file: the tabs are
# shown as `\t` here to make them visible.
# %% [markdown] lang="zh"
# 下面是每种格式训练文件的前几行。看 CoNLL 文件：片段以 `I-` 开头（IOB1）；看 CSV 文件：每个词元一行，句子 id 重复出现；看 CoNLL-U 文件：为了能看见制表符，这里把它显示成 `\t`。

# %% tags=["nbval-check-output"]
for fmt in ("conll", "jsonl", "csv", "conllu"):
    path = files[fmt]["train"]
    head = path.read_text(encoding="utf-8").splitlines()[: 2 if fmt == "jsonl" else 8]
    print(f"==> {path.as_posix()} <==")
    print("\n".join(line.replace("\t", "\\t") for line in head), end="\n\n")

# %% [markdown] lang="en"
# ## 3. Loading files back: `helpers.load_token_files`
#
# `helpers.load_token_files({split: path}, format=...)` reads one file per split and returns a
# `DatasetDict` with the columns `id`, `tokens` and, per tag column, a list of `ClassLabel` values
# (printed as `List(ClassLabel(...))`).
# Extra keyword arguments go to the reader:
#
# - CoNLL: `columns` names the columns in order (`None` for a column to skip), and
#   `input_scheme="iob1"` converts IOB1 to IOB2 (the default, `"auto"`, detects the scheme: IOB1
#   when it finds an `I-X` that cannot continue a span; `"iob2"` leaves tags as they are);
# - JSON lines and CSV: `tag_fields` names the tag fields (default: `ner_tags` in JSON lines; in a
#   CSV, the column `ner_tag`, which becomes `ner_tags` in the dataset, the name training expects).
#
# Unless you pass `label_names=`, the **label inventory** is collected over all the splits you
# load: `O` first, then each type's `B-` and `I-` tags, types in alphabetical order. The ids follow
# this order.
# %% [markdown] lang="zh"
# ## 3. 把文件加载回来：`helpers.load_token_files`
#
# `helpers.load_token_files({split: path}, format=...)` 为每个数据划分读取一个文件，返回一个 `DatasetDict`，其中有 `id`、`tokens` 两列，外加每个标签列各一列由 `ClassLabel` 值组成的列表（打印出来是 `List(ClassLabel(...))`）。多余的关键字参数会传给对应的读取函数：
#
# - CoNLL：`columns` 按顺序给各列命名（不需要的列写 `None`），`input_scheme="iob1"` 把 IOB1 转换成 IOB2（默认值 `"auto"` 自动识别方案：发现不可能延续片段的 `I-X` 时按 IOB1 转换；`"iob2"` 则保持标签原样）；
# - JSON lines 和 CSV：`tag_fields` 指定标签字段（JSON lines 默认为 `ner_tags`；CSV 默认读 `ner_tag` 列，在数据集中改名为训练所需的 `ner_tags`）。
#
# 除非传入 `label_names=`，**标签清单**是在加载的所有数据划分上统一收集的：`O` 排在最前，然后是每种类型的 `B-` 和 `I-` 标签，类型按字母顺序排列。标签编号就按这个顺序分配。

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
# The three files with entity tags give the same inventory of seven labels. The CoNLL-U file gives
# UPOS tags: without `O` or prefixes, they are simply sorted by name.
#
# Did the round trip lose anything? The next cell turns every loaded split back into string tags
# and compares it with the records we started from, for all three formats; the IOB1 CoNLL files
# included, since the reader converted them back to IOB2.
# %% [markdown] lang="zh"
# 三个带实体标签的文件得到了同一份七个标签的清单。CoNLL-U 文件给出的是 UPOS 标签：没有 `O` 也没有前缀，所以直接按名称排序。
#
# 写出再读回，有没有丢东西？下一个单元格把每个加载得到的数据划分重新转成字符串标签，与最初的记录逐一比较，三种格式都查；IOB1 的 CoNLL 文件也一样，因为读取函数已经把它们转回了 IOB2。

# %%
for fmt in ("conll", "jsonl", "csv"):
    for split, recs in records.items():
        back = loaded[fmt][split]
        assert back["tokens"] == [r["tokens"] for r in recs], (fmt, split)
        assert [[LABELS[i] for i in s] for s in back["ner_tags"]] == [r["ner_tags"] for r in recs], (
            fmt,
            split,
        )
print("CoNLL (IOB1), JSON lines and CSV all load back to the original tokens and IOB2 tags")

own = loaded["jsonl"]

# %% [markdown] lang="en"
# ### Other tag schemes: BIOES, BILOU and BMES
#
# Many corpora, Chinese and biomedical ones especially, mark spans with more prefixes: **BIOES**
# has `B-` (begin), `I-` (inside), `E-` (end) and `S-` (a single-word span); **BILOU** is the same
# with `L-` for `E-` and `U-` for `S-`; **BMES** writes `M-` (middle) for `I-`. The readers detect
# the scheme of each span column (`input_scheme="auto"`, the default), convert it to IOB2, and say
# what they found in `records.schemes`; `write_conll(..., output_scheme="bioes")` writes it back.
# Below, our training sentences go out in BIOES and come back as the IOB2 tags we started from.
# %% [markdown] lang="zh"
# ### 其他标注方案：BIOES、BILOU 和 BMES
#
# 很多语料库（尤其是中文和生物医学语料）用更多的前缀标记片段（span）：**BIOES** 有 `B-`（开始）、`I-`（内部）、`E-`（结束）和 `S-`（单个词构成的片段）；**BILOU** 与它相同，只是用 `L-` 代替 `E-`、用 `U-` 代替 `S-`；**BMES** 则用 `M-`（中间）代替 `I-`。读取函数会识别每个片段列所用的方案（默认 `input_scheme="auto"`），把它转换成 IOB2，并把识别结果记在 `records.schemes` 里；`write_conll(..., output_scheme="bioes")` 则按原方案写回。下面把训练句子写成 BIOES，再读回来，得到的正是最初的 IOB2 标签。

# %% tags=["nbval-check-output"]
bioes_files = {}
for split, recs in records.items():
    bioes_files[split] = DATA / f"{split}.bioes"
    readers.write_conll(recs, bioes_files[split], columns=("tokens", "ner_tags"), output_scheme="bioes")
print("\n".join(bioes_files["train"].read_text(encoding="utf-8").splitlines()[:10]))

back = readers.read_conll(bioes_files["train"], columns=("tokens", "ner_tags"))
print("\nscheme found:", back.schemes)
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
    assert err.line == 2 and err.field == "ner_tags"

# %% [markdown] lang="en"
# ### Character spans from annotation tools: doccano, Label Studio, CLUENER
#
# Annotation tools do not export words: they export the text and the **character offsets** of each
# entity. doccano writes JSON lines `{"text": ..., "label": [[start, end, type], ...]}` (end
# exclusive), Label Studio a JSON list of tasks, and the Chinese CLUENER corpus
# `{"text": ..., "label": {type: {mention: [[start, end]]}}}` with the end **inclusive**.
# `helpers.spans` cuts the text into words (words and punctuation in spaced text, one word per
# character in Chinese or Japanese text, Latin words and numbers inside it kept whole) and gives
# each span's words IOB2 tags. `spans.write_doccano` writes records back as a doccano export.
# %% [markdown] lang="zh"
# ### 标注工具导出的字符片段：doccano、Label Studio、CLUENER
#
# 标注工具导出的不是词，而是文本以及每个实体的**字符偏移量**。doccano 写出 JSON lines：`{"text": ..., "label": [[start, end, type], ...]}`（不含结束位置）；Label Studio 导出一个由任务组成的 JSON 列表；中文 CLUENER 语料则是 `{"text": ..., "label": {type: {mention: [[start, end]]}}}`，结束位置**包含在内**。`helpers.spans` 先把文本切成词（有空格的文本按词和标点切分；中文、日文文本每个字算一个词，其中夹杂的拉丁字母单词和数字保持完整），再给每个片段覆盖的词打上 IOB2 标签。`spans.write_doccano` 则把记录写回 doccano 的导出格式。

# %% tags=["nbval-check-output"]
export = DATA / "train_doccano.jsonl"
spans.write_doccano(records["train"], export)
print(export.read_text(encoding="utf-8").splitlines()[0])

from_export = readers.read_records(export)  # a .jsonl of texts with spans: read as format "spans"
assert [r["tokens"] for r in from_export] == [r["tokens"] for r in records["train"]]
assert [r["ner_tags"] for r in from_export] == [r["ner_tags"] for r in records["train"]]

text = "我在宜家买了一盏台灯，花了 199 元。"
mentions = {"宜家": "BRAND", "台灯": "PRODUCT", "199 元": "PRICE"}
marked = [(text.index(m), text.index(m) + len(m), typ) for m, typ in mentions.items()]
words, tags = spans.spans_to_tags(text, marked)
print(" ".join(f"{w}/{t}" for w, t in zip(words, tags)))
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
    assert err.line == 1 and "cuts the word 'desk'" in str(err)

# %% [markdown] lang="en"
# ## 4. When a file is broken
#
# Real files break: a stray space adds a column, an export script drops a tag. The readers check
# every line and raise `helpers.DataFormatError` with the file, the line and, where it applies,
# the field, so that you can open the file at the right place. Two typical cases:
#
# 1. a CoNLL file where one line has three columns instead of two;
# 2. a JSON lines file where a sentence has three tokens but two tags.
# %% [markdown] lang="zh"
# ## 4. 文件格式有误时
#
# 真实的文件难免出错：多了一个空格就多出一列，导出脚本漏掉一个标签。读取函数会逐行检查，并抛出 `helpers.DataFormatError`，指明文件、行号以及（如适用）字段名，让你能直接打开文件定位到出错处。下面是两种典型情况：
#
# 1. 一个 CoNLL 文件，其中一行有三列而不是两列；
# 2. 一个 JSON lines 文件，其中一个句子有三个词元却只有两个标签。

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

assert len(messages) == 2
assert str(broken_conll) in messages[0] and "line 2" in messages[0] and "found 3" in messages[0]
assert str(broken_jsonl) in messages[1] and "line 2" in messages[1] and "3 tokens but 2 tags" in messages[1]

# %% [markdown] lang="en"
# Both messages start with `file, line N`, then say what was expected. `DataFormatError` is also a
# `ValueError`, so existing code that catches `ValueError` keeps working. A tag that is not in the
# inventory you passed as `label_names=` raises `helpers.LabelError`, naming the file, the sentence
# and the field.
# %% [markdown] lang="zh"
# 两条消息都以 `file, line N`（文件名和行号）开头，然后说明期望的是什么。`DataFormatError` 同时也是 `ValueError`，所以已有的捕获 `ValueError` 的代码照样有效。如果某个标签不在你通过 `label_names=` 传入的清单里，则会抛出 `helpers.LabelError`，同样指明文件、句子和字段。

# %% [markdown] lang="en"
# ## 5. Train and evaluate on our data
#
# `helpers.train(cfg, ds=own)` runs the whole job of lesson 3 on a `DatasetDict` we pass in:
# tokenize and align, fine-tune, evaluate on the validation and test splits at word level, save the
# model and `metrics.json` under `cfg.output_dir`. `task="ner"` only says which column holds the
# tags (`ner_tags`); the metric (span F1) follows from the IOB2 labels, and the classification head
# gets our seven labels with their names in `id2label`.
#
# With 36 sentences the recipe's defaults would make only a handful of steps, so we adapt it, as
# one does for a small dataset: batches of 8, 6 epochs (5 steps each, 30 in all), and a learning
# rate three times the recipe's. An evaluation and a checkpoint every 15 steps. Smoke mode would
# stop at `SMOKE_MAX_STEPS` steps, which is also 30 here, so the run is the same with or without
# it. `helpers.train` calls `set_seed(cfg.seed)` itself before it creates the model, so the randomly
# initialised classification head, and so the whole run, is the same every time. The scores come from this run; with only 8 test
# sentences, one mistake moves them a lot.
# %% [markdown] lang="zh"
# ## 5. 在我们的数据上训练和评估
#
# `helpers.train(cfg, ds=own)` 在我们传入的 `DatasetDict` 上完成第 3 课的全部流程：分词并对齐、微调、在验证集和测试集上按词评估，再把模型和 `metrics.json` 保存到 `cfg.output_dir`。`task="ner"` 只是说明标签在哪一列（`ner_tags`）；评估指标（片段 F1）由 IOB2 标签决定，分类头则得到我们的七个标签，`id2label` 里存着它们的名字。
#
# 只有 36 个句子，按配方的默认值只能训练寥寥几步，所以我们像处理小数据集时通常那样调整配方：批次（batch）大小 8、训练 6 轮（epoch）（每轮 5 步，共 30 步），学习率是配方的三倍；每 15 步评估一次并保存检查点。冒烟模式会在 `SMOKE_MAX_STEPS` 步停止，这里也是 30，所以开不开冒烟模式，训练都一样。`helpers.train` 在创建模型之前会自己调用 `set_seed(cfg.seed)`，所以随机初始化的分类头、进而整个训练过程每次都完全相同。分数来自本次运行；测试集只有 8 句，错一个就会让分数变化很大。

# %%
recipe = with_overrides(
    helpers.COURSE_RECIPE, batch_size=8, learning_rate=3 * helpers.COURSE_RECIPE.learning_rate
)
cfg = helpers.TrainConfig(
    task="ner", output_dir=str(WORK / "product-ner"), recipe=recipe, epochs=6, eval_steps=15, overwrite=True
)
result = helpers.train(cfg, ds=own)
model_dir = result["model_dir"]

print(f"\n{result['global_steps']} steps; model saved to {model_dir}")
print(f"\ntest (word level):\n{helpers.format_table(result['test'])}")

assert result["global_steps"] == 30 == SMOKE_MAX_STEPS
gold_test = sum(show.count_entities(r["ner_tags"]) for r in records["test"])
assert sum(v["number"] for v in result["test"]["per_type"].values()) == gold_test

# %% [markdown] lang="en"
# ## 6. Tag new sentences
#
# `helpers.Tagger.from_pretrained(model_dir)` loads the saved folder (safetensors weights, config
# with our label names, tokenizer) and `tag_text` splits raw text into words, tags them, and
# returns the entities with character offsets. None of these sentences is in the dataset, and two
# brands (*Halden*, *Pico*) were never seen. The predictions come from this run's small model.
# %% [markdown] lang="zh"
# ## 6. 标注新句子
#
# `helpers.Tagger.from_pretrained(model_dir)` 加载保存好的文件夹（safetensors 权重、带有我们标签名的配置、分词器），`tag_text` 把原始文本切分成词、逐词标注，并返回带字符偏移量的实体。这些句子都不在数据集中，其中两个品牌（*Halden*、*Pico*）模型从未见过。预测结果来自本次运行训练出的小模型。

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
# Note that `$120` was written without a space: `tag_text` splits it into `$` and `120`, the way
# our training data was split. When your data come pre-split in another way (for instance `$120`
# as one token), tag pre-split words with `tagger.tag_words([...])` so that training and use see
# the same words.
# %% [markdown] lang="zh"
# 注意 `$120` 中间没有空格：`tag_text` 会把它切成 `$` 和 `120`，与训练数据的切法一致。如果你的数据是用别的方式预先切好的（比如把 `$120` 当作一个词元），就用 `tagger.tag_words([...])` 标注切好的词，让训练和使用时看到的词保持一致。

# %% [markdown] lang="en"
# ## 7. Behind a firewall, or fully offline
#
# Everything the course downloads comes from the Hugging Face Hub: checkpoints, and CoNLL-2003
# when no local copy is given. Four environment variables decide what happens:
#
# | variable | effect |
# |---|---|
# | `HF_ENDPOINT` | address of a Hub **mirror** to use instead of https://huggingface.co (e.g. your organisation's) |
# | `HF_HUB_OFFLINE=1` | never use the network: only local folders and the local cache |
# | `TOKCLS_MODEL` | a checkpoint id or a **local folder** to fine-tune instead of the default |
# | `TOKCLS_DATA_DIR` | a folder of CoNLL-2003 column files (`train.txt`, `validation.txt`, `test.txt`) |
#
# Set them **before** Python starts (in the shell that launches Jupyter, e.g.
# `export HF_ENDPOINT=https://<mirror>`), or in the very first cell with `os.environ[...] = ...`
# before any import: `huggingface_hub` reads them once, when it is imported. Offline, the course
# falls back without waiting: the model is `TOKCLS_MODEL`, else distilbert from the local cache,
# else the bundled all-MiniLM-L6-v2; the data are `TOKCLS_DATA_DIR`, else the synthetic corpus.
#
# To prepare an offline machine, download a checkpoint on a connected one with
# `hf download distilbert/distilbert-base-uncased --local-dir models/distilbert`, copy the folder
# over and point `TOKCLS_MODEL` at it.
#
# `helpers.share.hub_status()` reports the current setup: endpoint, offline mode, whether the
# endpoint answers (a probe of a few seconds at most, skipped offline), the course variables, and
# `restart_needed` when the variables were changed after `huggingface_hub` was imported. Its
# output depends on your machine.
# %% [markdown] lang="zh"
# ## 7. 在防火墙后或完全离线时
#
# 课程下载的一切都来自 Hugging Face Hub：检查点，以及在没有本地副本时的 CoNLL-2003。四个环境变量决定具体行为：
#
# | 变量 | 作用 |
# |---|---|
# | `HF_ENDPOINT` | 用某个 Hub **镜像**（例如你所在机构的镜像）的地址代替 https://huggingface.co |
# | `HF_HUB_OFFLINE=1` | 完全不联网：只用本地文件夹和本地缓存 |
# | `TOKCLS_MODEL` | 要微调的检查点 id 或**本地文件夹**，代替默认检查点 |
# | `TOKCLS_DATA_DIR` | 存放 CoNLL-2003 列格式文件（`train.txt`、`validation.txt`、`test.txt`）的文件夹 |
#
# 这些变量要在 Python 启动**之前**设置（在启动 Jupyter 的终端里，例如 `export HF_ENDPOINT=https://<mirror>`，其中 `<mirror>` 换成镜像地址），或者在第一个单元格里、任何 import 之前用 `os.environ[...] = ...` 设置：`huggingface_hub` 只在被导入时读取一次。离线时，课程会立即回退而不等待：模型依次取 `TOKCLS_MODEL`、本地缓存中的 distilbert、课程自带的 all-MiniLM-L6-v2；数据依次取 `TOKCLS_DATA_DIR`、合成语料。
#
# 要准备一台离线机器，可以先在能联网的机器上用 `hf download distilbert/distilbert-base-uncased --local-dir models/distilbert` 下载检查点，把文件夹拷过去，再让 `TOKCLS_MODEL` 指向它。
#
# `helpers.share.hub_status()` 报告当前设置：端点地址、是否离线、端点能否连通（最多探测几秒，离线时跳过）、课程用到的环境变量，以及在 `huggingface_hub` 导入后又改动了变量时给出的 `restart_needed`。它的输出取决于你的机器。

# %%
status = share.hub_status()
display(pd.Series(status, name="value").to_frame())
assert status["offline"] == hub.hub_offline()

# %% [markdown] lang="en"
# `TOKCLS_MODEL` accepts any local folder saved with `save_pretrained`, including the one we just
# trained. The next cell sets it for a moment and asks `helpers.resolve_checkpoint()` which
# checkpoint a run would use now; then it restores the previous value.
# %% [markdown] lang="zh"
# `TOKCLS_MODEL` 接受任何用 `save_pretrained` 保存的本地文件夹，包括我们刚训练好的这个。下一个单元格临时设置它，问 `helpers.resolve_checkpoint()` 现在的训练会用哪个检查点，然后恢复原来的值。

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
assert chosen == model_dir

# %% [markdown] lang="en"
# ## 8. Sharing a model on the Hub
#
# A shared model is a Hub repository holding the saved folder: weights, config (with the label
# names), tokenizer files, and a **model card**, the `README.md` that says what the model does,
# what it was trained on, how well it did and where it should not be used. Three steps:
#
# 1. **Write the card.** `helpers.share.write_model_card(model_dir, ...)` writes `README.md` into
#    the folder: YAML metadata that the Hub reads (`pipeline_tag: token-classification`, license,
#    base model), the labels from `config.json`, the scores you pass, and a usage example. This
#    step is local, so we run it here. Edit the text before you publish: only you know the data.
# 2. **Log in** with a token that has write access, created at huggingface.co/settings/tokens:
#    `hf auth login` in a terminal, or `huggingface_hub.login()` in the notebook. Never paste a
#    token into a notebook you share.
# 3. **Push.** `helpers.share.push_model(model_dir, "your-name/model-name", private=True)` creates
#    the repository if needed (private by default) and uploads the folder; before uploading
#    anything it checks its arguments and stops with a clear `HubUnavailableError` when offline
#    mode is on or the endpoint cannot be reached.
#    The transformers way gives the same result without the card: `model.push_to_hub(repo_id,
#    private=True)` and `tokenizer.push_to_hub(repo_id)`. Mirrors are usually read-only: push to
#    the Hub itself.
# %% [markdown] lang="zh"
# ## 8. 在 Hub 上分享模型
#
# 分享出去的模型就是一个 Hub 仓库，里面放着保存好的文件夹：权重、配置（带标签名）、分词器文件，以及一份**模型卡片**，也就是说明模型做什么、用什么数据训练、效果如何、哪些场合不该使用的 `README.md`。分三步：
#
# 1. **编写卡片。** `helpers.share.write_model_card(model_dir, ...)` 在文件夹中写入 `README.md`：Hub 会读取的 YAML 元数据（`pipeline_tag: token-classification`、许可证、基础模型）、取自 `config.json` 的标签、你传入的分数，以及一段用法示例。这一步在本地完成，所以这里直接运行。发布之前请修改其中的文字：数据的情况只有你自己清楚。
# 2. **登录**：使用在 huggingface.co/settings/tokens 创建的、具有写权限的令牌（token），在终端运行 `hf auth login`，或在 notebook 中调用 `huggingface_hub.login()`。千万不要把令牌粘贴进要分享的 notebook。
# 3. **推送。** `helpers.share.push_model(model_dir, "your-name/model-name", private=True)`（换成你的用户名和模型名）会在需要时创建仓库（默认私有）并上传整个文件夹；上传之前它会先检查参数，如果处于离线模式或连不上端点，就停下来并抛出含义清楚的 `HubUnavailableError`。用 transformers 自带的方法也能得到同样的结果，只是没有卡片：`model.push_to_hub(repo_id, private=True)` 和 `tokenizer.push_to_hub(repo_id)`。镜像通常是只读的：请直接推送到 Hub 本身。

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
assert "pipeline_tag: token-classification" in card_text and "`B-PRODUCT`" in card_text

# %% [markdown] lang="en"
# The next cell shows the error you get when you try to push while offline (it does something only
# when offline mode is on, as in the course's CI, and never touches the network).
# %% [markdown] lang="zh"
# 下一个单元格演示在离线状态下尝试推送会得到什么错误（它只在离线模式下才有动作，比如课程的 CI 中，而且绝不会联网）。

# %%
if status["offline"]:
    try:
        share.push_model(model_dir, "your-name/product-ner")
    except share.HubUnavailableError as err:
        print("HubUnavailableError:", err)
else:
    print("Online: push_model would connect to", status["endpoint"])

# %% [markdown] lang="en"
# The last two cells really log in and push, so they need the network and your account. They are
# **switched off**: they do nothing unless you set `SHARE_ON_HUB = True` and put your user name in
# `REPO_ID`. They are also tagged `nbval-skip`, so the course's tests never run them.
# %% [markdown] lang="zh"
# 最后两个单元格会真正登录并推送，因此需要网络和你的账号。它们默认是**关闭**的：除非你设置 `SHARE_ON_HUB = True`，并在 `REPO_ID` 里填上你的用户名，否则什么也不做。它们还带有 `nbval-skip` 标记，课程的测试永远不会运行它们。

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
# `python -m helpers train` trains on files of your own too: `--train-file`, `--validation-file`
# and `--test-file` take any file name, `--format` is guessed from the extension when you leave it
# out, `--columns` names CoNLL columns and `--scheme` (default `auto`) the tag scheme. Without a
# validation file, 10 % of the training file is held out (`--validation-share`), with the run's
# seed, and the command says so. `python -m helpers train --help` lists every option with its
# default. Here we call the same entry point in the notebook, `helpers.cli.main([...])`, which
# saves starting a new Python process; in a terminal you would type the same arguments after
# `python -m helpers`. A few steps are enough to show it working: the scores of these runs mean
# nothing.
#
# First the BIOES files: they are scored with span F1, and each type has the same support as in the
# IOB2 data of section 5, because they hold the same spans.
# %% [markdown] lang="zh"
# ## 9. 在命令行中完成同样的事
#
# `python -m helpers train` 也能在你自己的文件上训练：`--train-file`、`--validation-file` 和 `--test-file` 接受任意文件名；不写 `--format` 时按扩展名推断；`--columns` 为 CoNLL 文件的各列命名，`--scheme`（默认 `auto`）指定标注方案。没有验证集文件时，命令会用本次运行的随机种子从训练文件中留出 10%（`--validation-share`）作为验证集，并打印说明。`python -m helpers train --help` 列出全部选项及其默认值。这里在 notebook 中调用同一个入口 `helpers.cli.main([...])`，省去启动新 Python 进程的时间；在终端中，把同样的参数写在 `python -m helpers` 后面即可。只训练几步就足以演示整个流程：这几次运行的分数没有意义。
#
# 先用 BIOES 文件：评估用的是片段 F1，而且每种类型的支持数（support）与第 5 节的 IOB2 数据相同，因为两者包含的片段完全一样。

# %%
import json

from helpers.cli import main as helpers_cli

FEW_STEPS = ["--batch-size", "8", "--max-steps", "3", "--no-checkpoints", "--overwrite"]
cli_bioes = WORK / "cli-bioes"
files_args = ["--train-file", str(bioes_files["train"]), "--validation-file", str(bioes_files["validation"]),
              "--test-file", str(bioes_files["test"]), "--format", "conll", "--columns", "tokens,ner_tags"]  # fmt: skip
assert helpers_cli(["train", *files_args, "--output-dir", str(cli_bioes), *FEW_STEPS]) == 0

scores = json.loads((cli_bioes / "metrics.json").read_text(encoding="utf-8"))["test"]
supports = {t: s["number"] for t, s in scores["per_type"].items()}
print("test supports (BIOES files):", supports)
assert "overall_f1" in scores
assert supports == {t: s["number"] for t, s in result["test"]["per_type"].items()}

# %% [markdown] lang="en"
# Then the doccano export, with no validation file: watch the line about the held-out share.
# %% [markdown] lang="zh"
# 再用 doccano 导出文件，并且不提供验证集文件：注意输出中关于留出比例的那一行。

# %%
cli_doccano = WORK / "cli-doccano"
assert helpers_cli(["train", "--train-file", str(export), "--output-dir", str(cli_doccano), *FEW_STEPS]) == 0
held_out = json.loads((cli_doccano / "metrics.json").read_text(encoding="utf-8"))["validation"]
assert held_out["words"] > 0 and "per_type" in held_out

# %% [markdown] lang="en"
# ## Summary
#
# - A **record** (`id`, `tokens`, one list of string tags per column) is what every reader returns
#   and every writer takes. `helpers.readers` reads and writes CoNLL columns, CoNLL-U, JSON lines and
#   CSV; CoNLL-U carries POS tags, not entities. Span columns in IOB1, BIOES, BILOU or BMES are
#   detected and converted to IOB2 (`records.schemes` says which), and written back with `output_scheme=`.
# - `helpers.spans` reads the character spans of doccano, Label Studio and CLUENER exports into
#   words and tags (one word per character in Chinese text) and writes doccano exports.
# - `python -m helpers train --train-file ... [--validation-file ...] [--test-file ...]` trains on
#   your files from the command line; `--help` lists every option.
# - `helpers.load_token_files({split: path}, format=..., **reader_options)` builds a `DatasetDict`
#   with `ClassLabel` features; the label inventory is collected over all splits unless you pass
#   `label_names=`. IOB1 files are converted with `input_scheme="iob1"` (or `"auto"`).
# - Broken files raise `helpers.DataFormatError` naming the file and line.
# - `helpers.train(cfg, ds=...)` trains on any `DatasetDict` with a `ner_tags` (or `pos_tags`,
#   `chunk_tags`) column; adapt batch size and epochs to a small dataset.
# - `HF_ENDPOINT` selects a mirror, `HF_HUB_OFFLINE=1` forbids the network, `TOKCLS_MODEL` and
#   `TOKCLS_DATA_DIR` point at local copies; set them before imports and check with
#   `helpers.share.hub_status()`.
# - Share a model with a card: `write_model_card`, log in, `push_model` (private by default).
# %% [markdown] lang="zh"
# ## 小结
#
# - **记录**（`id`、`tokens`，以及每列一个字符串标签列表）是所有读取函数的输出、所有写入函数的输入。`helpers.readers` 能读写 CoNLL 列格式、CoNLL-U、JSON lines 和 CSV；CoNLL-U 承载的是词性标签，而不是实体。IOB1、BIOES、BILOU 或 BMES 方案的片段列会被自动识别并转换成 IOB2（`records.schemes` 记录了原方案），用 `output_scheme=` 可以按原方案写回。
# - `helpers.spans` 把 doccano、Label Studio 和 CLUENER 导出文件中的字符片段读成词和标签（中文文本每个字算一个词），也能写出 doccano 导出格式。
# - `python -m helpers train --train-file ... [--validation-file ...] [--test-file ...]` 在命令行中用你自己的文件训练；`--help` 列出全部选项。
# - `helpers.load_token_files({split: path}, format=..., **reader_options)` 构建带 `ClassLabel` 特征的 `DatasetDict`；除非传入 `label_names=`，标签清单在所有数据划分上统一收集。IOB1 文件用 `input_scheme="iob1"`（或 `"auto"`）转换。
# - 格式有误的文件会抛出 `helpers.DataFormatError`，指明文件和行号。
# - `helpers.train(cfg, ds=...)` 可以在任何带 `ner_tags`（或 `pos_tags`、`chunk_tags`）列的 `DatasetDict` 上训练；数据集很小时要调整批次大小和训练轮数。
# - `HF_ENDPOINT` 选择镜像，`HF_HUB_OFFLINE=1` 禁止联网，`TOKCLS_MODEL` 和 `TOKCLS_DATA_DIR` 指向本地副本；请在 import 之前设置，并用 `helpers.share.hub_status()` 检查。
# - 分享模型时附上卡片：`write_model_card`、登录、`push_model`（默认私有）。

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong and where. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution. The feedback is in the language of this notebook (set `TOKCLS_LANG=en` or `zh` to choose).

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。反馈使用本 notebook 的语言（设置 `TOKCLS_LANG=en` 或 `zh` 可以指定）。

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
# ### Exercise 2: a fixed label inventory
#
# Load the JSON lines files with `label_names={"ner_tags": LABELS + ["B-SHOP", "I-SHOP"]}` and set `answer` to the result. What changes in the features?

# %% [markdown] lang="zh"
# ### 练习 2：固定的标签清单
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
