# %% [markdown] lang="en"
# # Lesson 5 — POS tagging and chunking: same pipeline, other labels
#
# CoNLL-2003 has three tag columns, and so far we have only used `ner_tags`. This lesson trains
# the other two, part-of-speech (POS) tags and chunk tags, with exactly the pipeline of lesson 3,
# and asks what changes and what does not. The short answer: the label column, the number of
# labels and the metric change; the tokenizer, the alignment and the `Trainer` stay as they are.
#
# **After this lesson you will be able to**
#
# - train a POS tagger and a chunker by changing only the label column (`helpers.task_column`);
# - explain why POS is scored with **token accuracy** and chunking with **span F1**, and compute
#   both with `helpers.tag_accuracy` and `helpers.span_scores`;
# - say why `label_all_tokens`' B→I rule matters for chunk tags but does nothing to POS tags;
# - read per-tag and per-chunk-type tables, and compare the three tasks on one table;
# - explain the label ids of CoNLL-2003 that never occur in the data (`#`, ``` `` ```, `B-UCP`, `I-UCP`).
#
# **Prerequisites:** lessons 1–3 (the dataset, subword-label alignment, fine-tuning with `Trainer`).
#
# **Time:** about 25 minutes of reading. Running the whole notebook in smoke mode on a 2-core CPU
# took 38 to 41 s with the real CoNLL-2003 files and 34 s with the synthetic corpus while the
# machine was lightly loaded; while other jobs kept both cores busy it took up to 6 minutes. Without
# smoke mode each of the three trainings runs the full recipe on the whole training split (14,041
# sentences for CoNLL-2003); for scale, the NER training of the benchmark, same recipe, took about
# 3 minutes on the same CPU (`benchmarks/results/recipes.md`), and a GPU is faster. Section 7
# prints a rough estimate of a full run on your machine from the speed it measures. All these times
# come from the small offline model, all-MiniLM-L6-v2 (6 layers, width 384: 10.7 million parameters
# outside the embeddings). The online default, distilbert-base-uncased (6 layers, width 768: 42.5
# million, 4.0 times as many), does about four times the matrix work per token: on a CPU expect each
# training to take three to four times as long (an estimate; we could not run that model offline),
# so use a GPU with it.
# %% [markdown] lang="zh"
# # 第 5 课：词性标注与组块分析——同一条流水线，换一套标签
#
# CoNLL-2003 有三个标签列，到目前为止我们只用了 `ner_tags`。这一课用与第 3 课完全相同的流水线训练另外两列：词性（part of speech，POS）标签和组块（chunk）标签，并弄清楚哪些地方变了、哪些没变。简单地说：标签列、标签个数和评估指标变了；分词器（tokenizer）、对齐（alignment）方式和 `Trainer` 都不变。
#
# **学完本课，你将能够：**
#
# - 只改标签列（`helpers.task_column`），就训练出一个词性标注（part-of-speech tagging）模型和一个组块分析（chunking）模型；
# - 解释为什么词性标注用**词元准确率**（token accuracy）评估、组块分析用**片段 F1**（span F1）评估，并用 `helpers.tag_accuracy` 和 `helpers.span_scores` 分别计算；
# - 说明 `label_all_tokens` 的 B→I 规则为什么对组块标签有影响、对词性标签却毫无作用；
# - 看懂按标签、按组块类型列出的分数表，并把三个任务放在一张表里比较；
# - 解释 CoNLL-2003 中那些在数据里从不出现的标签编号（`#`、``` `` ```、`B-UCP`、`I-UCP`）。
#
# **预备知识：** 第 1–3 课（数据集、子词标签对齐、用 `Trainer` 微调（fine-tuning））。
#
# **用时：** 阅读约 25 分钟。在 2 核 CPU 上以冒烟模式（smoke mode）运行整个 notebook，机器负载较轻时，用真实的 CoNLL-2003 文件实测用时 38 到 41 秒，用合成语料为 34 秒；有其他任务争用这两个核时，最长用了 6 分钟。不开冒烟模式时，三次训练中的每一次都要在整个训练集（CoNLL-2003 有 14,041 个句子）上跑完整的配方；作为参照，基准测试中按同一配方训练 NER 模型，在同样的 CPU 上用了约 3 分钟（见 `benchmarks/results/recipes.md`），GPU 上更快。第 7 节会根据实测速度，粗略估计在你的机器上完整训练需要多久。这些时间都来自离线小模型 all-MiniLM-L6-v2（6 层、宽 384：嵌入层以外有 1070 万个参数）。联网时的默认模型 distilbert-base-uncased（6 层、宽 768：4250 万个参数，是前者的 4.0 倍）每个词元的矩阵运算量约为前者的四倍：在 CPU 上，每次训练的时间预计是原来的三到四倍（这是估算，我们无法离线运行那个模型），所以用它时请使用 GPU。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package `helpers` from GitHub; anywhere else
# it does nothing. In Colab, pick a GPU runtime first (*Runtime → Change runtime type*).
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会从 GitHub 安装课程配套的 `helpers` 包；在其他环境里它什么也不做。在 Colab 中请先选择 GPU 运行时（**代码执行程序 → 更改运行时类型**）。

# %% colab_install="gpu"

# %%
import math
import time

import datasets
import matplotlib.pyplot as plt
import pandas as pd
import transformers
from IPython.display import HTML, display

import helpers
from helpers import display as show
from helpers.training import SMOKE_MAX_STEPS, with_overrides

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set
datasets.disable_progress_bars()  # we train several times: keep the output short
transformers.logging.set_verbosity_error()  # lesson 3 explained the model-loading report
transformers.logging.disable_progress_bar()

# %% [markdown] lang="en"
# The configuration of this run, as in lesson 3: where the data comes from (real CoNLL-2003 files,
# the Hub, or the synthetic stand-in: if it says "synthetic", no score below says anything about
# CoNLL-2003), whether smoke mode is on (a few hundred sentences and `SMOKE_MAX_STEPS` training
# steps per task), and which checkpoint is fine-tuned. We keep `full`, the whole dataset, to count
# tags, and train on `ds`, which is the smoke subset in smoke mode and the whole dataset otherwise.
# %% [markdown] lang="zh"
# 和第 3 课一样，先确定并打印本次运行的配置：数据来自哪里（真实的 CoNLL-2003 文件、Hub，还是合成的替代语料：如果输出写着 “synthetic”，下面的任何分数都不能代表 CoNLL-2003）、是否处于冒烟模式（每个任务只用几百个句子、训练 `SMOKE_MAX_STEPS` 步），以及微调哪个检查点（checkpoint）。`full` 保存完整数据集，用来统计标签；训练用 `ds`：冒烟模式下它是小子集，否则就是完整数据集。

# %%
SMOKE = helpers.smoke_mode()
full = helpers.load_conll2003()
ds = helpers.smoke_subset(full)
checkpoint = helpers.resolve_checkpoint()
tokenizer = helpers.load_tokenizer(checkpoint)

print("data source:", helpers.data_source(ds))
print("smoke mode: ", SMOKE, f"(max {SMOKE_MAX_STEPS} steps per task)" if SMOKE else "")
print({split: len(d) for split, d in ds.items()})

# %% [markdown] lang="en"
# ## 1. One sentence, three tag columns
#
# Every word of CoNLL-2003 carries three tags. Here is the first training sentence with all of
# them (entities are highlighted from the NER tags):
#
# - **POS** (`pos_tags`): the word's grammatical category in the Penn Treebank tag set: `NNP` proper
#   noun, `VBZ` verb in the 3rd person singular present, `JJ` adjective, `DT` determiner, ...
# - **chunk** (`chunk_tags`): flat, non-overlapping phrases (noun phrase `NP`, verb phrase `VP`,
#   prepositional phrase `PP`, ...), written in IOB2 like entities: `B-NP` opens a noun phrase,
#   `I-NP` continues it, `O` is outside any chunk (mostly punctuation).
# - **NER** (`ner_tags`): the entities of lessons 1–3.
# %% [markdown] lang="zh"
# ## 1. 一个句子，三列标签
#
# CoNLL-2003 中的每个词都带三个标签。下面是训练集的第一个句子和它的全部标签（按 NER 标签高亮出实体）：
#
# - **词性**（`pos_tags`）：词的语法类别，使用宾州树库（Penn Treebank）标签集：`NNP` 专有名词、`VBZ` 第三人称单数现在时动词、`JJ` 形容词、`DT` 限定词……
# - **组块**（`chunk_tags`）：扁平、互不重叠的短语（名词短语 `NP`、动词短语 `VP`、介词短语 `PP` 等），和实体一样用 IOB2 书写：`B-NP` 开始一个名词短语，`I-NP` 延续它，`O` 表示不属于任何组块（多为标点）。
# - **命名实体**（`ner_tags`）：第 1–3 课里的实体。

# %%
display(HTML(show.examples_html(full["train"], [0], columns=("pos_tags", "chunk_tags", "ner_tags"))))

# %% [markdown] lang="en"
# ## 2. Three label inventories
#
# The names and their order are those of the Hugging Face Hub's `conll2003`, whatever the data
# source: 47 POS tags, 23 chunk tags, 9 NER tags. The next cell checks that.
# %% [markdown] lang="zh"
# ## 2. 三套标签清单
#
# 无论数据来自哪里，标签名及其顺序都与 Hugging Face Hub 上的 `conll2003` 一致：47 个词性标签、23 个组块标签、9 个命名实体标签。下一个单元格对此做了检查。

# %% tags=["nbval-check-output"]
TASKS = ("pos", "chunk", "ner")
names = {task: helpers.label_names(ds, helpers.task_column(task)) for task in TASKS}
for task in TASKS:
    print(f"{task:<5} {helpers.task_column(task):<10} {len(names[task]):>2} labels: {' '.join(names[task])}")

assert [len(names[t]) for t in TASKS] == [47, 23, 9]
assert names["pos"] == helpers.POS_LABELS and names["chunk"] == helpers.CHUNK_LABELS

# %% [markdown] lang="en"
# Two things to notice:
#
# - The POS tags have **no `B-`/`I-` prefix**. Each word gets one category, and a category never
#   spans several words. `NN|SYM` is one tag (a word the annotators could not decide between noun
#   and symbol), not two.
# - The chunk tags have the same shape as the NER tags, `O` plus `B-X`/`I-X` for eleven chunk
#   types `X`: `ADJP`, `ADVP`, `CONJP`, `INTJ`, `LST`, `NP`, `PP`, `PRT`, `SBAR`, `UCP`, `VP`.
#   A chunk is a span, exactly like an entity.
# %% [markdown] lang="zh"
# 有两点值得注意：
#
# - 词性标签**没有 `B-`/`I-` 前缀**。每个词得到一个类别，一个类别也从不跨越多个词。`NN|SYM` 是一个标签（标注者无法在名词和符号之间做决定的词），不是两个。
# - 组块标签的形式与命名实体标签相同：`O`，加上十一种组块类型 `X` 各自的 `B-X`/`I-X`：`ADJP`、`ADVP`、`CONJP`、`INTJ`、`LST`、`NP`、`PP`、`PRT`、`SBAR`、`UCP`、`VP`。组块就是一个片段（span），和实体一模一样。

# %% [markdown] lang="en"
# ## 3. Labels that never occur
#
# Let us count every tag over all three splits of the full dataset. The bar chart shows the POS
# tags of the training split on a log scale; a tag with no bar never occurs there.
# %% [markdown] lang="zh"
# ## 3. 从不出现的标签
#
# 在完整数据集的三个划分上统计每个标签出现的次数。柱状图以对数刻度显示训练集中的词性标签；没有柱子的标签在训练集里一次也没出现过。

# %%
counts = {}
for task in ("pos", "chunk"):
    column = helpers.task_column(task)
    counts[task] = sum(show.tag_counts(full[split], column) for split in full)
never = {task: [name for name in names[task] if counts[task][name] == 0] for task in ("pos", "chunk")}
print("POS tags that never occur:  ", never["pos"])
print("chunk tags that never occur:", never["chunk"])

assert {"#", "``"} <= set(never["pos"])
assert {"B-UCP", "I-UCP"} <= set(never["chunk"])

train_pos_counts = show.tag_counts(full["train"], "pos_tags")
fig, ax = plt.subplots(figsize=(10, 3))
show.plot_tag_counts(train_pos_counts, ax=ax, title="POS tags in the training split")
plt.show()

# %% [markdown] lang="en"
# In the real CoNLL-2003 files, two POS tags and one chunk type never occur:
#
# | label | what it is | why it is missing |
# |---|---|---|
# | `#` | the pound sign as a word | the Reuters texts write no `#` |
# | ``` `` ``` | an opening double quotation mark | CoNLL-2003 writes every double quotation mark as `"` and tags it `"` |
# | `B-UCP`, `I-UCP` | "unlike coordinated phrase" (e.g. *slowly and with care*) | no such chunk was annotated |
#
# The synthetic corpus, generated from templates, lacks a few more (its list above is longer),
# but these four are missing in both. They are in the label list anyway because the list is the
# *tag set*, fixed once for CoNLL-2003 and shared with the Hub's copy and every model trained on
# it: label id 2 means `#` everywhere. What it costs us:
#
# - The classification head still has one output per label, 47 for POS: the rows for unused tags
#   are never the right answer, so training only pushes their scores down and the model
#   practically never predicts them. The cost is one row of weights per unused label, a negligible
#   part of the model.
# - They never show up in the scores: `tag_accuracy` reports per-tag figures for the gold tags that
#   occur, and seqeval reports the chunk types that occur in the gold or predicted spans.
#
# Could we drop them? Yes, by building our own `ClassLabel` with only the tags seen, but then our
# ids would no longer match CoNLL-2003's everywhere else. Keeping them is the safer default.
# %% [markdown] lang="zh"
# 在真实的 CoNLL-2003 文件中，有两个词性标签和一种组块类型从不出现：
#
# | 标签 | 含义 | 为什么缺席 |
# |---|---|---|
# | `#` | 作为一个词出现的井号 | 路透社的文本里没有 `#` |
# | ``` `` ``` | 左双引号 | CoNLL-2003 把所有双引号都写成 `"`，标签也是 `"` |
# | `B-UCP`、`I-UCP` | “非同类并列短语”（例如 *slowly and with care*） | 没有标注过这种组块 |
#
# 用模板生成的合成语料还会再缺几个（上面打印的列表更长），但这四个在两份数据里都不存在。它们仍然留在标签清单里，因为这份清单是**标签集**：为 CoNLL-2003 一次性定好，与 Hub 上的副本以及所有在它上面训练的模型共用，标签编号 2 在哪里都表示 `#`。这样做的代价是：
#
# - 分类头仍然为每个标签留一个输出，词性标注就是 47 个：未使用标签对应的那几行永远不是正确答案，训练只会压低它们的分数，模型实际上从不预测它们。代价只是每个未使用的标签多一行权重，在整个模型中微不足道。
# - 它们不会出现在评估结果里：`tag_accuracy` 只对标准答案中出现过的标签报告分数，seqeval 只报告标准答案或预测中出现过的组块类型。
#
# 能不能把它们删掉？可以，自己构造一个只含已出现标签的 `ClassLabel` 即可，但那样我们的标签编号就和其他地方的 CoNLL-2003 对不上了。保留它们是更稳妥的默认做法。

# %% [markdown] lang="en"
# ## 4. What changes and what does not
#
# | | NER | POS | chunking |
# |---|---|---|---|
# | label column (`helpers.task_column`) | `ner_tags` | `pos_tags` | `chunk_tags` |
# | number of labels (size of the head) | 9 | 47 | 23 |
# | tag scheme | IOB2 spans | one flat tag per word | IOB2 spans |
# | metric | span F1 (seqeval) | token accuracy, per-tag P/R/F1 | span F1 (seqeval) |
# | tokenizer, `word_ids`, alignment to the first subtoken | same | same | same |
# | `Trainer`, collator, recipe, word-level evaluation | same | same | same |
#
# The words are the same in all three columns, so the tokenized inputs (`input_ids`, `word_ids`)
# are identical; only the aligned `labels` differ. The metric is picked automatically: the word-level
# scorer uses span F1 when every label is `O`, `B-X` or `I-X`, and token accuracy otherwise.
# %% [markdown] lang="zh"
# ## 4. 变了什么，没变什么
#
# | | 命名实体识别 | 词性标注 | 组块分析 |
# |---|---|---|---|
# | 标签列（`helpers.task_column`） | `ner_tags` | `pos_tags` | `chunk_tags` |
# | 标签个数（分类头的大小） | 9 | 47 | 23 |
# | 标注方案 | IOB2 片段 | 每个词一个扁平标签 | IOB2 片段 |
# | 评估指标 | 片段 F1（seqeval） | 词元准确率，以及每个标签的精确率/召回率/F1 | 片段 F1（seqeval） |
# | 分词器、`word_ids`、对齐到首个子词 | 相同 | 相同 | 相同 |
# | `Trainer`、整理器（collator）、配方、按词评估 | 相同 | 相同 | 相同 |
#
# 三列标签对应的是同样的词，所以分词后的输入（`input_ids`、`word_ids`）完全相同，只有对齐后的 `labels` 不同。评估指标会自动选择：如果所有标签都是 `O`、`B-X` 或 `I-X`，按词打分的函数就用片段 F1，否则用词元准确率。

# %% [markdown] lang="en"
# ## 5. `label_all_tokens`: the B→I rule concerns chunks, not POS
#
# Recall lesson 2: by default only the first subtoken of a word is labelled and the others get
# -100. With `label_all_tokens=True` the continuation subtokens get the word's label too, except
# that `B-X` becomes `I-X` (otherwise one word would open several spans).
# `helpers.b_to_i_map(names)` gives, for every label id, the id a continuation subtoken receives.
#
# For chunk tags this matters exactly as for entities: `B-NP` → `I-NP`. For POS tags there is no
# `B-` to turn into anything, so the map is the identity: a continuation subtoken of a noun is
# simply tagged as a noun. The cell checks both, then aligns one made-up example: three words whose
# middle word was split into two subtokens (`word_ids` `[None, 0, 1, 1, 2, None]`).
# %% [markdown] lang="zh"
# ## 5. `label_all_tokens`：B→I 规则针对组块，与词性无关
#
# 回忆第 2 课：默认只给词的首个子词打标签，其余子词得到 -100。设置 `label_all_tokens=True` 时，后续子词也会得到这个词的标签，只是 `B-X` 要换成 `I-X`（否则一个词会开启好几个片段）。`helpers.b_to_i_map(names)` 给出每个标签编号在后续子词上应该换成的编号。
#
# 对组块标签来说，这条规则和对实体一样重要：`B-NP` → `I-NP`。词性标签没有可以替换的 `B-`，所以这个映射是恒等映射：一个名词的后续子词就直接标成名词。下面的单元格检查这两点，然后对齐一个虚构的例子：三个词，中间那个被切成两个子词（`word_ids` 为 `[None, 0, 1, 1, 2, None]`）。

# %%
b_to_i = {task: helpers.b_to_i_map(names[task]) for task in ("pos", "chunk")}
assert b_to_i["pos"] == list(range(len(names["pos"])))  # POS: identity, nothing changes
chunk_id = {name: i for i, name in enumerate(names["chunk"])}
pos_id = {name: i for i, name in enumerate(names["pos"])}
assert b_to_i["chunk"][chunk_id["B-NP"]] == chunk_id["I-NP"]
assert b_to_i["chunk"][chunk_id["I-NP"]] == chunk_id["I-NP"]

word_ids = [None, 0, 1, 1, 2, None]
example = {"pos": ["DT", "NNP", "NN"], "chunk": ["B-NP", "B-NP", "B-VP"]}
ids = {"pos": [pos_id[t] for t in example["pos"]], "chunk": [chunk_id[t] for t in example["chunk"]]}
rows = {}
for task in ("pos", "chunk"):
    for all_tokens in (False, True):
        aligned = helpers.align_labels(word_ids, ids[task], label_all_tokens=all_tokens, b_to_i=b_to_i[task])
        rows[f"{task}, label_all_tokens={all_tokens}"] = show.ids_to_names(aligned, names[task])
aligned_frame = pd.DataFrame(rows, index=[str(w) for w in word_ids]).T
aligned_frame.columns.name = "word_id"
display(aligned_frame)

assert rows["chunk, label_all_tokens=True"] == ["-100", "B-NP", "B-NP", "I-NP", "B-VP", "-100"]
assert rows["pos, label_all_tokens=True"] == ["-100", "DT", "NNP", "NNP", "NN", "-100"]

# %% [markdown] lang="en"
# Read the two `label_all_tokens=True` rows: the second subtoken of word 1 gets `I-NP` in the
# chunk row (it continues the noun phrase that word 1 opened) but plain `NNP` in the POS row.
# %% [markdown] lang="zh"
# 看两行 `label_all_tokens=True`：词 1 的第二个子词在组块这一行得到 `I-NP`（它延续了词 1 开启的名词短语），在词性这一行则就是 `NNP`。

# %% [markdown] lang="en"
# ## 6. Two metrics: token accuracy for POS, span F1 for chunks
#
# **POS: token accuracy.** Every word has exactly one gold tag and gets exactly one predicted tag;
# there are no spans to find, so the natural question is "what share of the words got the right
# tag?". That is token accuracy. To see *which* tags go wrong, `helpers.tag_accuracy` adds, per
# gold tag, precision (of the words predicted as this tag, how many are), recall (of the words that
# are this tag, how many were found) and F1.
#
# **Chunking: span F1.** A chunk is a span like an entity: it is right only if its type *and*
# both boundaries are right. `helpers.span_scores` (seqeval in conlleval mode, as for NER) counts
# whole chunks. Token accuracy would be too kind, as the toy example below shows: one wrong tag
# out of four gives the same 0.75 accuracy in both tasks, but in the chunk row it splits the noun
# phrase *The cat* into two chunks, so one of two gold chunks is found and one of three predicted
# chunks is right: precision 1/3, recall 1/2, F1 0.4.
# %% [markdown] lang="zh"
# ## 6. 两种指标：词性用词元准确率，组块用片段 F1
#
# **词性：词元准确率。** 每个词恰好有一个标准标签，也恰好得到一个预测标签；这里没有片段要找，所以最自然的问题就是“多大比例的词标对了？”，这就是词元准确率（accuracy）。想知道**哪些**标签容易出错，`helpers.tag_accuracy` 还会按每个标准标签给出精确率（precision，预测为该标签的词中有多少真是它）、召回率（recall，真属于该标签的词中找出了多少）和 F1。
#
# **组块：片段 F1。** 组块和实体一样是片段：只有类型和左右边界都对才算对。`helpers.span_scores`（与命名实体识别一样，用 conlleval 模式的 seqeval）按整个组块计数。词元准确率在这里太宽容了，下面的小例子说明了这一点：四个标签错一个，两个任务的准确率都是 0.75；但在组块里，这个错误把名词短语 *The cat* 拆成了两个组块，于是两个标准组块只找到一个，三个预测组块只有一个正确：精确率 1/3，召回率 1/2，F1 为 0.4。

# %%
pos_gold, pos_pred = [["DT", "NN", "VBZ", "."]], [["DT", "NN", "NNS", "."]]
chunk_gold, chunk_pred = [["B-NP", "I-NP", "B-VP", "O"]], [["B-NP", "B-NP", "B-VP", "O"]]

pos_toy = helpers.tag_accuracy(pos_gold, pos_pred)
chunk_toy = helpers.span_scores(chunk_gold, chunk_pred)
print("POS   token accuracy:", pos_toy["overall_accuracy"])
print(pd.DataFrame(pos_toy["per_tag"]).T.astype({"number": int}))
print()
print("chunk token accuracy:", chunk_toy["overall_accuracy"])
print("chunk span P / R / F1:", [round(chunk_toy[f"overall_{k}"], 4) for k in ("precision", "recall", "f1")])

assert pos_toy["overall_accuracy"] == chunk_toy["overall_accuracy"] == 0.75
assert pos_toy["per_tag"]["VBZ"]["recall"] == 0.0
assert abs(chunk_toy["overall_f1"] - 0.4) < 1e-12

# %% [markdown] lang="en"
# You do not have to choose the metric yourself: the word-level scorer behind `Trainer` and
# `helpers.evaluate_split` picks span F1 for IOB label sets and token accuracy for flat ones.
# %% [markdown] lang="zh"
# 指标不需要你自己挑：`Trainer` 和 `helpers.evaluate_split` 背后按词打分的函数会自动判断，标签集是 IOB 形式就用片段 F1，是扁平标签就用词元准确率。

# %% [markdown] lang="en"
# ## 7. Train all three, with one loop
#
# `helpers.train(helpers.TrainConfig(task="pos"))` would do the whole job in one call (train,
# evaluate on validation and test, save the model). Here we spell out its steps once, inside a
# loop, so that you can see where the task enters: only `column` and `label_names` depend on it.
# The tokenizer is loaded once and shared.
#
# Two choices keep the three runs short, and are not part of the recipe:
#
# - In smoke mode we stop after `SMOKE_MAX_STEPS` steps and, as in lesson 3, triple the learning
#   rate so that so short a run learns something; never copy that into a real run.
# - `eval_strategy="no"` and `save_strategy="no"`: no evaluation or checkpoint during training. We
#   evaluate once at the end, at word level, on the validation split.
#
# `transformers.set_seed` before building each model makes the randomly initialised head the same
# on every run, so the numbers below are reproducible on this machine. Each line also extrapolates
# the time of a full run (all training sentences, the recipe's epochs) from this run's speed: a
# rough figure, since it mixes in loading and evaluation, and full-data batches are longer on
# average than those of the smoke subset.
# %% [markdown] lang="zh"
# ## 7. 用一个循环训练三个任务
#
# `helpers.train(helpers.TrainConfig(task="pos"))` 一次调用就能完成全部工作（训练、在验证集和测试集上评估、保存模型）。这里我们在一个循环里把它的步骤逐一写出来，好让你看清任务从哪里进入：只有 `column` 和 `label_names` 取决于任务。分词器只加载一次，三个任务共用。
#
# 有两个选择是为了让三次训练都短一些，它们不属于配方：
#
# - 冒烟模式下训练 `SMOKE_MAX_STEPS` 步就停，并且和第 3 课一样把学习率调成三倍，让这么短的训练也能学到点东西；千万不要把这一点照搬到正式训练中。
# - `eval_strategy="no"` 和 `save_strategy="no"`：训练期间不评估、不保存检查点。最后在验证集上按词评估一次。
#
# 每次构建模型之前调用 `transformers.set_seed`，让随机初始化的分类头每次都一样，所以下面的数字在同一台机器上可以复现。每行输出还会根据本次的速度推算完整训练（全部训练句子、按配方的轮数）所需的时间：这只是粗略的数字，因为其中混入了加载和评估的时间，而且完整数据的批次平均比冒烟子集的更长。

# %%
recipe = helpers.COURSE_RECIPE
if SMOKE:
    recipe = with_overrides(recipe, learning_rate=3 * recipe.learning_rate)

trainers, results, seconds = {}, {}, {}
full_steps = math.ceil(len(full["train"]) / recipe.batch_size) * recipe.epochs
for task in TASKS:
    column = helpers.task_column(task)  # changes with the task
    label_names = names[task]  # changes with the task
    start = time.perf_counter()
    tokenized = helpers.tokenize_dataset(ds, tokenizer, column, recipe)
    transformers.set_seed(42)
    model = helpers.load_model(checkpoint, label_names)  # a head with len(label_names) outputs
    args = helpers.build_training_args(
        f"runs/05_{task}",
        recipe,
        seed=42,
        max_steps=SMOKE_MAX_STEPS if SMOKE else None,
        eval_strategy="no",
        save_strategy="no",
    )
    trainer = helpers.build_trainer(model, tokenizer, tokenized, args, column)
    trainer.train()
    results[task] = helpers.evaluate_split(trainer, ds["validation"], column, label_names)
    trainers[task], seconds[task] = trainer, time.perf_counter() - start
    steps = trainer.state.global_step
    estimate = full_steps * seconds[task] / steps / 60
    print(f"{task}: {model.num_labels} labels, {steps} steps in {seconds[task]:.0f} s", end="")
    print(f" (a full run of {full_steps:.0f} steps: about {estimate:.0f} min here)")

# %% [markdown] lang="en"
# ## 8. POS results: accuracy and per-tag scores
#
# The headline figure for POS is token accuracy on the validation split. Below it, the per-tag
# table for the twelve most frequent gold tags (support = number of validation words with that
# tag). The numbers come from this run and vary with the data and the checkpoint: after a smoke
# run they are far from what a full run reaches. Look for the tags with high support and low
# recall, and ask which tag the model chose instead; frequent tags such as `NNP` usually reach
# good recall first, and the model tends to predict them for everything it is unsure about, which
# lowers their precision.
# %% [markdown] lang="zh"
# ## 8. 词性标注的结果：准确率和各标签分数
#
# 词性标注的核心指标是验证集上的词元准确率。下面是出现最多的十二个标准标签的分数表（支持数 = 验证集中带该标签的词数）。这些数字来自本次运行，会随数据和检查点而变化：冒烟模式训练后的结果远不及完整训练。重点看支持数高、召回率低的标签，并想一想模型把它们标成了什么；`NNP` 这类高频标签的召回率通常最先变好，而模型拿不准时也倾向于预测它们，所以它们的精确率会被拉低。

# %%
pos_result = results["pos"]
print(f"POS token accuracy (validation, this run): {pos_result['overall_accuracy']:.4f}")
per_tag = pd.DataFrame(pos_result["per_tag"]).T.sort_values("number", ascending=False)
per_tag["number"] = per_tag["number"].astype(int)
display(per_tag.head(12).round(3))

assert pos_result["words"] == sum(len(s) for s in ds["validation"]["pos_tags"])
assert set(pos_result["per_tag"]) <= set(names["pos"])

# %% [markdown] lang="en"
# ## 9. Chunking results: span F1 per chunk type
#
# For chunking, `helpers.format_table` prints precision, recall and F1 per chunk type and overall,
# then the word accuracy. Compare the two last lines: the word accuracy is higher than the
# overall F1, for the reason of section 6. `NP`, `VP` and `PP` make up most chunks; rare types have
# a tiny support, so their scores jump around from run to run.
# %% [markdown] lang="zh"
# ## 9. 组块分析的结果：各组块类型的片段 F1
#
# 对组块分析，`helpers.format_table` 按组块类型打印精确率、召回率和 F1，再给出总体分数和词准确率。比较最后两行：词准确率高于总体 F1，原因见第 6 节。`NP`、`VP` 和 `PP` 占了组块的绝大部分；少见类型的支持数很小，它们的分数每次运行都可能大起大落。

# %%
chunk_result = results["chunk"]
print(helpers.format_table(chunk_result))

gold_chunks = sum(show.count_entities([names["chunk"][i] for i in s]) for s in ds["validation"]["chunk_tags"])
assert sum(v["number"] for v in chunk_result["per_type"].values()) == gold_chunks
assert chunk_result["per_type"].get("UCP", {"number": 0})["number"] == 0
assert chunk_result["overall_accuracy"] > chunk_result["overall_f1"]

# %% [markdown] lang="en"
# The last check: the supports add up to the number of gold chunks counted directly from the tags,
# and `UCP`, which never occurs, has no support (it could appear in the table only if the model
# predicted it, with support 0). The word accuracy is above the F1, as section 6 led us to expect.
# %% [markdown] lang="zh"
# 最后的检查：各类型支持数之和等于直接从标签数出来的标准组块数；从不出现的 `UCP` 支持数为 0（只有模型预测了它，它才会以支持数 0 出现在表中）。词准确率高于 F1，正如第 6 节所预料的。

# %% [markdown] lang="en"
# ## 10. The three tasks side by side
#
# One row per task, all from this run: same data, same checkpoint, same recipe, same number of
# steps. The headline metric is accuracy for POS and span F1 for chunking and NER; word accuracy
# is given for all three so that you can see how far apart the two kinds of figure are.
#
# Do not compare the headline figures across tasks as if they measured the same thing: accuracy
# and F1 are different measures, and the tasks have different numbers of labels and different
# amounts of signal per sentence (every word is a POS example; entities are rare).
# %% [markdown] lang="zh"
# ## 10. 三个任务并排比较
#
# 每个任务一行，全部来自本次运行：同样的数据、同样的检查点、同样的配方、同样的训练步数。核心指标：词性标注是准确率，组块分析和命名实体识别是片段 F1；三行都附上词准确率，便于看出这两类数字相差多远。
#
# 不要把不同任务的核心指标当成同一种东西直接比较：准确率和 F1 是不同的度量，而且各任务的标签数不同，每个句子提供的信息量也不同（每个词都是一个词性样本，而实体很稀少）。

# %%
rows = []
for task in TASKS:
    result = results[task]
    flat = "overall_f1" not in result
    rows.append(
        {
            "task": task,
            "label column": helpers.task_column(task),
            "labels": len(names[task]),
            "headline metric": "token accuracy" if flat else "span F1",
            "headline": result["overall_accuracy"] if flat else result["overall_f1"],
            "word accuracy": result["overall_accuracy"],
            "steps": trainers[task].state.global_step,
        }
    )
comparison = pd.DataFrame(rows).set_index("task")
display(comparison.round(4))

assert list(comparison["headline metric"]) == ["token accuracy", "span F1", "span F1"]

# %% [markdown] lang="en"
# ## 11. Tagging a new sentence with both models
#
# `helpers.Tagger` wraps a trained model and its tokenizer (lesson 3); it works for any task. For
# the chunker, its `entities` are the chunks. We print the words with their POS and chunk tags,
# and the sentence in the bracket notation of the CoNLL-2000 chunking task. The tags come from the
# short training of this run, so expect mistakes.
# %% [markdown] lang="zh"
# ## 11. 用两个模型标注一个新句子
#
# `helpers.Tagger` 把训练好的模型和分词器包装在一起（见第 3 课），适用于任何任务。对组块模型来说，它给出的 `entities` 就是各个组块。下面打印每个词的词性和组块标签，再用 CoNLL-2000 组块任务的方括号记法写出整句。这些标签来自本次运行的短暂训练，出错是正常的。

# %%
words = "Heavy rain forced the organisers to cancel Saturday 's final in Madrid .".split()
taggers = {task: helpers.Tagger(trainers[task].model, tokenizer) for task in ("pos", "chunk")}
tagged = {task: tagger.tag_words([words])[0] for task, tagger in taggers.items()}
display(pd.DataFrame({"word": words, "POS": tagged["pos"].tags, "chunk": tagged["chunk"].tags}).T)

bracketed, i = [], 0
for chunk in tagged["chunk"].entities:
    bracketed += words[i : chunk.start] + [f"[{chunk.type} {chunk.text}]"]
    i = chunk.end
print(" ".join(bracketed + words[i:]))

# %% [markdown] lang="en"
# ## Summary
#
# - POS tagging and chunking use the NER pipeline unchanged: same tokenizer, same `word_ids`, same
#   first-subtoken alignment, same `Trainer` and word-level evaluation. What changes is the label
#   column (`helpers.task_column`), the number of labels (the size of the classification head)
#   and the metric.
# - POS tags are flat, one per word: score them with token accuracy and per-tag precision/recall
#   (`helpers.tag_accuracy`). Chunks are IOB2 spans like entities: score them with span F1
#   (`helpers.span_scores`); token accuracy hides broken chunks.
# - With `label_all_tokens`, `B-X` → `I-X` applies to chunk tags; for POS `helpers.b_to_i_map` is
#   the identity.
# - CoNLL-2003's tag sets contain labels that never occur (`#`, ``` `` ```, `B-UCP`, `I-UCP`): they
#   keep label ids compatible with every other copy of the dataset and cost only one row of unused
#   weights each.
# %% [markdown] lang="zh"
# ## 小结
#
# - 词性标注和组块分析原封不动地沿用命名实体识别的流水线：同样的分词器、同样的 `word_ids`、同样的首子词对齐、同样的 `Trainer` 和按词评估。变化的只有标签列（`helpers.task_column`）、标签个数（分类头的大小）和评估指标。
# - 词性标签是扁平的，每个词一个：用词元准确率和各标签的精确率/召回率评估（`helpers.tag_accuracy`）。组块和实体一样是 IOB2 片段：用片段 F1 评估（`helpers.span_scores`）；词元准确率会掩盖被拆散的组块。
# - 使用 `label_all_tokens` 时，`B-X` → `I-X` 作用于组块标签；对词性标签，`helpers.b_to_i_map` 是恒等映射。
# - CoNLL-2003 的标签集中有从不出现的标签（`#`、``` `` ```、`B-UCP`、`I-UCP`）：保留它们能让标签编号与其他所有副本保持一致，代价只是每个标签一行用不上的权重。

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong and where. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution. The feedback is in the language of this notebook (set `TOKCLS_LANG=en` or `zh` to choose).

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。反馈使用本 notebook 的语言（设置 `TOKCLS_LANG=en` 或 `zh` 可以指定）。

# %%
ex = helpers.exercises.lesson(5)

# %% [markdown] lang="en"
# ### Exercise 1: coarse POS
#
# Many applications only need the coarse category (noun, verb, adjective, ...). The cell below tags the validation split with the POS and the chunk models. Cut gold and predicted POS tags to their first two letters (`NNP` → `NN`, `VBZ` → `VB`) and set `answer` to the accuracy. How much higher is it than the fine-grained one?

# %% [markdown] lang="zh"
# ### 练习 1：粗粒度词性
#
# 很多应用只需要粗略的类别（名词、动词、形容词……）。下面的单元格用词性模型和组块模型给验证集打标签。把标准和预测的词性标签都截成前两个字母（`NNP` → `NN`，`VBZ` → `VB`），把 `answer` 设为此时的准确率。它比细粒度的准确率高多少？

# %%
val_words = ds["validation"]["tokens"]
val_pos_pred = [s.tags for s in helpers.Tagger(trainers["pos"].model, tokenizer).tag_words(val_words)]
val_chunk_pred = [s.tags for s in helpers.Tagger(trainers["chunk"].model, tokenizer).tag_words(val_words)]
val_chunk_gold = [[names["chunk"][i] for i in s] for s in ds["validation"]["chunk_tags"]]

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer, val_pos_pred, ds["validation"])
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en" concept="q2"
# ### Exercise 2 (concept): label all subtokens

# %% [markdown] lang="zh" concept="q2"
# ### 练习 2（概念）：给所有子词打标签

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: where do chunks break?
#
# In `val_chunk_pred`, count the gold chunks whose type is right but whose boundaries are not. Set `answer` to that number.

# %% [markdown] lang="zh"
# ### 练习 3：组块在哪里断开？
#
# 在 `val_chunk_pred` 中，统计类型正确但边界不对的标准组块有多少，把 `answer` 设为这个数。

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, val_chunk_gold, val_chunk_pred)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4: right words, wrong chunks
#
# For the gold chunks `ex.q4.data["gold"]` (`B-NP I-NP B-VP O`), write a prediction of four tags with token accuracy 0.75 but span F1 0, and set `answer` to it.

# %% [markdown] lang="zh"
# ### 练习 4：词对了，组块错了
#
# 针对标准组块 `ex.q4.data["gold"]`（`B-NP I-NP B-VP O`），写出一个由四个标签组成的预测，使词元准确率为 0.75 而片段 F1 为 0，并把 `answer` 设为它。

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): accuracy versus F1

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：准确率与 F1

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
