# %% [markdown] lang="en"
# # Lesson 5 — POS tagging and chunking: same pipeline, other labels
#
# CoNLL-2003 has three tag columns; so far we used `ner_tags`. This lesson trains the other two,
# part-of-speech (POS) and chunk tags, with lesson 3's pipeline. What changes: the label column, the
# number of labels and the metric. What does not: the tokenizer, the alignment and the `Trainer`.
#
# **After this lesson you will be able to**
#
# - train a POS tagger and a chunker by changing only the label column (`helpers.task_column`);
# - say why POS is scored with **word accuracy** and chunking with **span F1** (`helpers.tag_accuracy`,
#   `helpers.span_scores`);
# - say why `label_all_tokens`' B→I rule matters for chunk tags and not for POS tags;
# - read per-tag and per-chunk tables, and compare the three tasks;
# - explain the CoNLL-2003 label ids that never occur in the data.
#
# **Prerequisites:** lessons 1–3. **Time:** about 25 minutes, plus three training runs of the recipe
# (section 7 prints their times and its run card the machine).
# %% [markdown] lang="zh"
# # 第 5 课：词性标注与组块分析——同一条流水线，换一套标签
#
# CoNLL-2003 有三个标签列，到目前为止我们只用了 `ner_tags`。这一课用第 3 课的流水线训练另外两列：词性（part of speech，POS）标签和组块（chunk）标签。变的是标签列、标签个数和评估指标；不变的是分词器（tokenizer）、对齐（alignment）方式和 `Trainer`。
#
# **学完本课，你将能够：**
#
# - 只改标签列（`helpers.task_column`），训练出词性标注（part-of-speech tagging）模型和组块分析（chunking）模型；
# - 说明为什么词性标注用**逐词准确率**、组块分析用**片段 F1**（span F1）评估（`helpers.tag_accuracy`、`helpers.span_scores`）；
# - 说明 `label_all_tokens` 的 B→I 规则为什么对组块标签有影响、对词性标签没有；
# - 看懂按标签、按组块类型列出的分数表，并比较三个任务；
# - 解释 CoNLL-2003 中那些在数据里从不出现的标签编号。
#
# **预备知识：** 第 1–3 课。**用时：** 约 25 分钟，另加按配方训练三次（第 7 节打印每次的用时，所用机器见那里的运行卡片（run card））。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; elsewhere it does nothing. In Colab, pick a
# GPU runtime first (*Runtime → Change runtime type*).
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境里它什么也不做。在 Colab 中请先选择 GPU 运行时（**代码执行程序 → 更改运行时类型**）。

# %% colab_install="gpu"

# %%
import time

import datasets
import matplotlib.pyplot as plt
import pandas as pd
import transformers
from IPython.display import HTML, display

import helpers
from helpers import display as show
from helpers.config import env_epochs
from helpers.machine import run_card
from helpers.training import SMOKE_MAX_STEPS, with_overrides

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set
datasets.disable_progress_bars()  # we train several times: keep the output short
transformers.logging.set_verbosity_error()  # lesson 3 explained the model-loading report
transformers.logging.disable_progress_bar()

# %% [markdown] lang="en"
# The data and the checkpoint, as in lesson 3 (if the loader says "synthetic", no score below says
# anything about CoNLL-2003). We keep `full`, the whole dataset, to count tags, and train on `ds`. The
# cell prints the data and checkpoint found, then the sentences per split.
# %% [markdown] lang="zh"
# 和第 3 课一样准备数据和检查点（如果加载函数说的是“synthetic”，下面的任何分数都不代表 CoNLL-2003）。`full` 保存完整数据集，用来统计标签；训练用 `ds`。单元格打印找到的数据和检查点，再打印每个划分的句子数。

# %%
SMOKE = helpers.smoke_mode()
full = helpers.load_conll2003()
ds = helpers.smoke_subset(full)
checkpoint = helpers.resolve_checkpoint()
tokenizer = helpers.load_tokenizer(checkpoint)

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
# ## 2. Three tag sets
#
# Whatever the data source, the names and their order are those of the Hub's `conll2003`: 47 POS tags,
# 23 chunk tags, 9 NER tags.
# %% [markdown] lang="zh"
# ## 2. 三套标签集
#
# 无论数据来自哪里，标签名及其顺序都与 Hub 上的 `conll2003` 一致：47 个词性标签、23 个组块标签、9 个命名实体标签。

# %% tags=["nbval-check-output"]
TASKS = ("pos", "chunk", "ner")
names = {task: helpers.label_names(ds, helpers.task_column(task)) for task in TASKS}
for task in TASKS:
    print(f"{task:<5} {helpers.task_column(task):<10} {len(names[task]):>2} labels: {' '.join(names[task])}")

# %% check="1"
assert [len(names[t]) for t in TASKS] == [47, 23, 9]
assert names["pos"] == helpers.POS_LABELS and names["chunk"] == helpers.CHUNK_LABELS

# %% [markdown] lang="en"
# Two things to notice:
#
# - POS tags have **no `B-`/`I-` prefix**: one category per word, never spanning several words.
#   `NN|SYM` is one tag (noun or symbol, undecided), not two.
# - Chunk tags have the shape of NER tags: `O` plus `B-X`/`I-X` for eleven chunk types (`ADJP`,
#   `ADVP`, `CONJP`, `INTJ`, `LST`, `NP`, `PP`, `PRT`, `SBAR`, `UCP`, `VP`). A chunk is a span.
# %% [markdown] lang="zh"
# 有两点值得注意：
#
# - 词性标签**没有 `B-`/`I-` 前缀**：每个词一个类别，从不跨越多个词。`NN|SYM` 是一个标签（名词还是符号，未能确定），不是两个。
# - 组块标签的形式与命名实体标签相同：`O`，加上十一种组块类型（`ADJP`、`ADVP`、`CONJP`、`INTJ`、`LST`、`NP`、`PP`、`PRT`、`SBAR`、`UCP`、`VP`）各自的 `B-X`/`I-X`。组块就是一个片段（span）。

# %% [markdown] lang="en"
# ## 3. Labels that never occur
#
# We count every tag over the three splits of the full dataset; the chart shows the POS tags of the
# training split on a log scale (no bar: never seen).
# %% [markdown] lang="zh"
# ## 3. 从不出现的标签
#
# 在完整数据集的三个划分上统计每个标签；柱状图以对数刻度显示训练集中的词性标签（没有柱子：从未出现）。

# %%
counts = {}
for task in ("pos", "chunk"):
    column = helpers.task_column(task)
    counts[task] = sum(show.tag_counts(full[split], column) for split in full)
never = {task: [name for name in names[task] if counts[task][name] == 0] for task in ("pos", "chunk")}
print("POS tags that never occur:  ", never["pos"])
print("chunk tags that never occur:", never["chunk"])

train_pos_counts = show.tag_counts(full["train"], "pos_tags")
fig, ax = plt.subplots(figsize=(10, 3))
show.plot_tag_counts(train_pos_counts, ax=ax, title="POS tags in the training split")
plt.show()

# %% check="1"
assert {"#", "``"} <= set(never["pos"])
assert {"B-UCP", "I-UCP"} <= set(never["chunk"])

# %% [markdown] lang="en"
# In the real CoNLL-2003 files the chart runs from `NNP`, the tallest bar, down to `NN|SYM` and `LS`,
# a handful of words each; two POS tags and one chunk type never occur (the two printed lists):
#
# | label | what it is | why it is missing |
# |---|---|---|
# | `#` | the pound sign as a word | the Reuters texts write no `#` |
# | ``` `` ``` | an opening double quotation mark | CoNLL-2003 writes every double quotation mark as `"` |
# | `B-UCP`, `I-UCP` | "unlike coordinated phrase" (*slowly and with care*) | no such chunk was annotated |
#
# (The synthetic corpus lacks a few more.) They stay in the tag set, fixed once for CoNLL-2003 and
# shared with every copy and model: label id 2 means `#` everywhere. They cost one row of head weights
# each, which training only pushes down (they are never the right answer); and the score tables list
# only tags and chunk types that occur (section 9 has no `UCP` row). Dropping them would break the
# compatibility of the ids.
# %% [markdown] lang="zh"
# 在真实的 CoNLL-2003 文件中，柱状图从最高的 `NNP` 一直降到只有寥寥几个词的 `NN|SYM` 和 `LS`；有两个词性标签和一种组块类型从不出现（见打印出的两个列表）：
#
# | 标签 | 含义 | 为什么缺席 |
# |---|---|---|
# | `#` | 作为一个词出现的井号 | 路透社的文本里没有 `#` |
# | ``` `` ``` | 左双引号 | CoNLL-2003 把所有双引号都写成 `"` |
# | `B-UCP`、`I-UCP` | “非同类并列短语”（*slowly and with care*） | 没有标注过这种组块 |
#
# （合成语料还会再缺几个。）它们留在标签集里：标签集为 CoNLL-2003 一次性定好，与所有副本和模型共用，标签编号 2 在哪里都表示 `#`。代价是每个标签在分类头里多一行权重；它们永远不是正确答案，训练只会把它们的分数往下压；分数表也只列出出现过的标签和组块类型（第 9 节没有 `UCP` 这一行）。删掉它们会破坏编号的兼容性。

# %% [markdown] lang="en"
# ## 4. What changes and what does not
#
# | | NER | POS | chunking |
# |---|---|---|---|
# | label column (`helpers.task_column`) | `ner_tags` | `pos_tags` | `chunk_tags` |
# | number of labels (size of the head) | 9 | 47 | 23 |
# | tagging scheme | IOB2 spans | one flat tag per word | IOB2 spans |
# | metric | span F1 (seqeval) | word accuracy, per-tag P/R/F1 | span F1 (seqeval) |
# | tokenizer, `word_ids`, first-subtoken alignment | same | same | same |
# | `Trainer`, collator, recipe, word-level evaluation | same | same | same |
#
# The words are the same in the three columns, so the model inputs are identical; only the aligned
# `labels` differ.
# %% [markdown] lang="zh"
# ## 4. 变了什么，没变什么
#
# | | 命名实体识别 | 词性标注 | 组块分析 |
# |---|---|---|---|
# | 标签列（`helpers.task_column`） | `ner_tags` | `pos_tags` | `chunk_tags` |
# | 标签个数（分类头的大小） | 9 | 47 | 23 |
# | 标注体系 | IOB2 片段 | 每个词一个扁平标签 | IOB2 片段 |
# | 评估指标 | 片段 F1（seqeval） | 逐词准确率，以及每个标签的精确率/召回率/F1 | 片段 F1（seqeval） |
# | 分词器、`word_ids`、对齐到首个子词 | 相同 | 相同 | 相同 |
# | `Trainer`、整理器（collator）、配方、按词评估 | 相同 | 相同 | 相同 |
#
# 三列标签对应的是同样的词，所以模型输入完全相同，只有对齐后的 `labels` 不同。

# %% [markdown] lang="en"
# ## 5. `label_all_tokens`: the B→I rule concerns chunks, not POS
#
# With `label_all_tokens=True` continuation subtokens get their word's label, with `B-X` turned into
# `I-X` (lesson 2); `helpers.b_to_i_map(names)` gives the id a continuation receives. For chunks this
# matters as for entities (`B-NP` → `I-NP`); POS tags have no `B-`, so the map is the identity. Below,
# three words whose middle word is split into two subtokens (`word_ids` `[None, 0, 1, 1, 2, None]`).
# %% [markdown] lang="zh"
# ## 5. `label_all_tokens`：B→I 规则针对组块，与词性无关
#
# 设置 `label_all_tokens=True` 时，后续子词得到所在词的标签，只是 `B-X` 换成 `I-X`（第 2 课）；`helpers.b_to_i_map(names)` 给出后续子词应得的编号。对组块来说，这和对实体一样重要（`B-NP` → `I-NP`）；词性标签没有 `B-`，所以这个映射是恒等映射。下面是三个词，中间那个被切成两个子词（`word_ids` 为 `[None, 0, 1, 1, 2, None]`）。

# %%
b_to_i = {task: helpers.b_to_i_map(names[task]) for task in ("pos", "chunk")}
chunk_id = {name: i for i, name in enumerate(names["chunk"])}
pos_id = {name: i for i, name in enumerate(names["pos"])}

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

# %% check="1"
assert b_to_i["pos"] == list(range(len(names["pos"])))  # POS: identity, nothing changes
assert b_to_i["chunk"][chunk_id["B-NP"]] == chunk_id["I-NP"]
assert b_to_i["chunk"][chunk_id["I-NP"]] == chunk_id["I-NP"]
assert rows["chunk, label_all_tokens=True"] == ["-100", "B-NP", "B-NP", "I-NP", "B-VP", "-100"]
assert rows["pos, label_all_tokens=True"] == ["-100", "DT", "NNP", "NNP", "NN", "-100"]

# %% [markdown] lang="en"
# Read the two `label_all_tokens=True` rows: the second subtoken of word 1 gets `I-NP` in the
# chunk row (it continues the noun phrase that word 1 opened) but plain `NNP` in the POS row. In the
# two `False` rows it gets `-100` instead, which the loss ignores.
# %% [markdown] lang="zh"
# 看两行 `label_all_tokens=True`：词 1 的第二个子词在组块这一行得到 `I-NP`（它延续了词 1 开启的名词短语），在词性这一行则就是 `NNP`。在两行 `False` 里，它得到的是 `-100`，损失函数会忽略它。

# %% [markdown] lang="en"
# ## 6. Two metrics: word accuracy for POS, span F1 for chunks
#
# **POS: word accuracy.** Every word has one gold tag and gets one predicted tag; with no spans to find,
# the question is "what share of the words got the right tag?". `helpers.tag_accuracy` adds per-tag
# precision, recall and F1, to see *which* tags go wrong.
#
# **Chunking: span F1.** A chunk, like an entity, is right only if its type *and* both boundaries are;
# `helpers.span_scores` counts whole chunks. Word accuracy would be too kind: below, one wrong tag of
# four gives 0.75 accuracy in both tasks, but in the chunk row it splits *The cat* into two chunks, so
# one of two gold chunks is found and one of three predicted chunks is right (F1 0.4).
# %% [markdown] lang="zh"
# ## 6. 两种指标：词性用逐词准确率，组块用片段 F1
#
# **词性：逐词准确率。** 每个词有一个金标（gold）标签，也得到一个预测标签；没有片段要找，所以问题就是“多大比例的词标对了？”。`helpers.tag_accuracy` 还给出每个标签的精确率、召回率和 F1，用来看**哪些**标签容易出错。
#
# **组块：片段 F1。** 组块和实体一样，只有类型和左右边界都对才算对；`helpers.span_scores` 按整个组块计数。逐词准确率在这里太宽容：下面四个标签错一个，两个任务的准确率都是 0.75；但在组块这一行，这个错误把 *The cat* 拆成了两个组块，于是两个金标组块只找到一个，三个预测组块只有一个正确（F1 为 0.4）。

# %%
pos_gold, pos_pred = [["DT", "NN", "VBZ", "."]], [["DT", "NN", "NNS", "."]]
chunk_gold, chunk_pred = [["B-NP", "I-NP", "B-VP", "O"]], [["B-NP", "B-NP", "B-VP", "O"]]

pos_toy = helpers.tag_accuracy(pos_gold, pos_pred)
chunk_toy = helpers.span_scores(chunk_gold, chunk_pred)
print("POS   word accuracy:", pos_toy["overall_accuracy"])
print(pd.DataFrame(pos_toy["per_tag"]).T.astype({"number": int}))
print()
print("chunk word accuracy:", chunk_toy["overall_accuracy"])
print("chunk span P / R / F1:", [round(chunk_toy[f"overall_{k}"], 4) for k in ("precision", "recall", "f1")])

# %% check="1"
assert pos_toy["overall_accuracy"] == chunk_toy["overall_accuracy"] == 0.75
assert pos_toy["per_tag"]["VBZ"]["recall"] == 0.0
assert abs(chunk_toy["overall_f1"] - 0.4) < 1e-12

# %% [markdown] lang="en"
# The POS table has one row per gold tag: `VBZ`, the missed one, scores 0, and the wrong guess `NNS`
# has no row. The scorer behind `Trainer` and `helpers.evaluate_split` picks the metric for you: span
# F1 for IOB tag sets, word accuracy for flat ones.
# %% [markdown] lang="zh"
# 词性的分数表每个金标标签一行：被漏掉的 `VBZ` 得 0，错猜的 `NNS` 没有自己的一行。`Trainer` 和 `helpers.evaluate_split` 背后的打分函数会替你选择指标：IOB 形式的标签集用片段 F1，扁平标签用逐词准确率。

# %% [markdown] lang="en"
# ## 7. Train all three, with one loop
#
# `helpers.train(helpers.TrainConfig(task="pos"))` would do the whole job in one call. Here its steps
# are spelt out in a loop, to show where the task enters: only `column` and `label_names` depend on it.
# `eval_strategy="no"` and `save_strategy="no"` skip evaluation and checkpoints during training (we
# evaluate once, at the end); `set_seed` before each model makes the run repeatable.
# %% [markdown] lang="zh"
# ## 7. 用一个循环训练三个任务
#
# `helpers.train(helpers.TrainConfig(task="pos"))` 一次调用就能完成全部工作。这里把它的步骤写在一个循环里，好看清任务从哪里进入：只有 `column` 和 `label_names` 取决于任务。`eval_strategy="no"` 和 `save_strategy="no"` 让训练期间不评估、不保存检查点（最后评估一次）；每次构建模型之前调用 `set_seed`，让整次运行可以复现。

# %%
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, checkpoint)  # the learning rate and epochs for its width
if SMOKE:  # TOKCLS_SMOKE=1, a test run of a few dozen steps: a higher rate so that they learn something
    recipe = with_overrides(recipe, learning_rate=3 * recipe.learning_rate)

card = run_card(checkpoint, epochs=env_epochs(recipe.epochs), sentences=len(ds["train"]))  # each task
trainers, results, seconds = {}, {}, {}
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
    print(f"{task}: {model.num_labels} labels, {trainer.state.global_step} steps in {seconds[task]:.0f} s")
card.finish()  # all three tasks

# %% [markdown] lang="en"
# ## 8. POS results: accuracy and per-tag scores
#
# Section 7 printed the recipe, the run card and, per task, a loss table, labels, steps and seconds:
# the same steps for all three, not the same seconds. Each loss falls, from the highest start for POS
# (47 labels), with a drop at step 500, in the second epoch. `wall time` covers all three tasks.
#
# The headline figure for POS is word accuracy on validation; below it, the per-tag table for the
# twelve most frequent gold tags (`number` = validation words with that tag).
# %% [markdown] lang="zh"
# ## 8. 词性标注的结果：准确率和各标签分数
#
# 第 7 节打印了训练配方、运行卡片，以及每个任务的损失表、标签数、步数和秒数：三个任务步数相同，用时不同。每一列损失都在下降，词性标注（47 个标签）起点最高；到第 500 步，即第二个轮次里，又降了一截。`wall time` 涵盖全部三个任务。
#
# 词性标注的核心指标是验证集上的逐词准确率；下面是出现最多的十二个金标标签的分数表（`number` = 验证集中带该标签的词数）。

# %%
pos_result = results["pos"]
print(f"POS word accuracy (validation, this run): {pos_result['overall_accuracy']:.4f}")
per_tag = pd.DataFrame(pos_result["per_tag"]).T.sort_values("number", ascending=False)
per_tag["number"] = per_tag["number"].astype(int)
display(per_tag.head(12).round(3))

# %% check="1"
assert pos_result["words"] == sum(len(s) for s in ds["validation"]["pos_tags"])
assert set(pos_result["per_tag"]) <= set(names["pos"])

# %% [markdown] lang="en"
# Read `number` with `recall`: in this run the two largest rows, `NNP` and `NN` (recall 0.918 and
# 0.901), miss the most words, `JJ` (F1 0.856) and `VBN` (0.869) score lowest, and punctuation and
# function words (`,`, `.`, `DT`, `IN`) are nearly always right. The weak tags share word forms with
# others (adjective or noun, participle or past tense), but only a confusion matrix (lesson 4) shows
# what a word was mistaken for. Precision well below recall, as for `CD` (0.942 against 0.991), marks a
# tag the model gives too often.
# %% [markdown] lang="zh"
# 把 `number` 和 `recall` 放在一起看：在本次运行中，最大的两行 `NNP` 和 `NN`（召回率 0.918 和 0.901）漏掉的词最多，`JJ`（F1 0.856）和 `VBN`（0.869）得分最低，标点和虚词（`,`、`.`、`DT`、`IN`）几乎总是对的。这些弱项都和别的标签共用词形（形容词还是名词，过去分词还是过去式），但一个词被错标成了什么，只有混淆矩阵（第 4 课）看得出来。精确率明显低于召回率，比如 `CD`（0.942 对 0.991），说明模型给这个标签给得太多。

# %% [markdown] lang="en"
# ## 9. Chunking results: span F1 per chunk type
#
# `helpers.format_table` prints precision, recall and F1 per chunk type and overall, then the word
# accuracy.
# %% [markdown] lang="zh"
# ## 9. 组块分析的结果：各组块类型的片段 F1
#
# `helpers.format_table` 按组块类型打印精确率、召回率和 F1，再给出总体分数和逐词准确率。

# %%
chunk_result = results["chunk"]
print(helpers.format_table(chunk_result))

# %% check="1"
gold_chunks = sum(show.count_entities([names["chunk"][i] for i in s]) for s in ds["validation"]["chunk_tags"])
assert sum(v["number"] for v in chunk_result["per_type"].values()) == gold_chunks
assert chunk_result["per_type"].get("UCP", {"number": 0})["number"] == 0
assert chunk_result["overall_accuracy"] > chunk_result["overall_f1"]

# %% [markdown] lang="en"
# Compare the last two lines: word accuracy is above the overall F1, for the reason of section 6. Then
# read the `support` column: `NP`, `VP` and `PP` make up most chunks and carry the overall score. In
# this run the rare types `CONJP`, `INTJ` and `LST` (10, 31 and 3 chunks) score 0: not one was found.
# `ADJP` (F1 0.6064) is the weakest of the rest, and `UCP`, never in the gold, has no row.
# %% [markdown] lang="zh"
# 对比最后两行：逐词准确率高于总体 F1，原因见第 6 节。再看 `support` 列：`NP`、`VP` 和 `PP` 占了组块的绝大部分，决定了总体分数。在本次运行中，少见类型 `CONJP`、`INTJ` 和 `LST`（分别有 10、31 和 3 个组块）得分为 0：一个也没找到。其余类型里最弱的是 `ADJP`（F1 0.6064）；`UCP` 在金标中从不出现，表中没有这一行。

# %% [markdown] lang="en"
# ## 10. The three tasks side by side
#
# One row per task, same data, checkpoint, recipe and steps. Do not compare headlines
# across tasks as if they measured the same thing: the measures differ, and so do the numbers of labels
# and the signal per sentence (every word is a POS example; entities are rare).
# %% [markdown] lang="zh"
# ## 10. 三个任务并排比较
#
# 每个任务一行，数据、检查点、配方和步数都相同。不要把不同任务的核心指标当成同一种东西比较：度量不同，标签数和每个句子提供的信息量也不同（每个词都是一个词性样本，实体却很稀少）。

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
            "headline metric": "word accuracy" if flat else "span F1",
            "headline": result["overall_accuracy"] if flat else result["overall_f1"],
            "word accuracy": result["overall_accuracy"],
            "steps": trainers[task].state.global_step,
        }
    )
comparison = pd.DataFrame(rows).set_index("task")
display(comparison.round(4))

# %% check="1"
assert list(comparison["headline metric"]) == ["word accuracy", "span F1", "span F1"]

# %% [markdown] lang="en"
# Read the `word accuracy` column against `headline`: for POS they are the same number; for chunking
# and NER the gap between the two is what span scoring adds, largest for NER (0.9802 against 0.9060),
# where most words are `O` and a tagger that gets them right already scores high per word. A
# difference of a few tenths of a point between two runs of one task is within what the seed alone
# moves (lesson 3).
# %% [markdown] lang="zh"
# 对照 `headline` 读 `word accuracy` 列：词性标注的两列是同一个数；对组块分析和命名实体识别，两者之差就是按片段打分带来的严格程度，命名实体识别的差距最大（0.9802 对 0.9060），因为大多数词都是 `O`，把它们标对就已经能拿到很高的逐词准确率。同一任务两次运行之间零点几个百分点的差别，在仅随机种子就会造成的波动之内（第 3 课）。

# %% [markdown] lang="en"
# ## 11. Tagging a new sentence with both models
#
# `helpers.Tagger` (lesson 4) works for any task; for the chunker, its `entities` are the chunks. We
# print each word's POS and chunk tags, and the sentence in the bracket notation of the CoNLL-2000
# chunking task.
# %% [markdown] lang="zh"
# ## 11. 用两个模型标注一个新句子
#
# `helpers.Tagger`（第 4 课）适用于任何任务；对组块模型来说，它的 `entities` 就是各个组块。下面打印每个词的词性和组块标签，再用 CoNLL-2000 组块任务的方括号记法写出整句。

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
# Check the brackets against the CoNLL-2000 conventions: *to* belongs to the verb phrase
# (`[VP to cancel]`), a preposition is a phrase of its own (`[PP in]`), and a possessive *'s* closes the
# noun phrase before it (`[NP Saturday 's] [NP final]`). This run keeps the first two but opens the
# next noun phrase with *'s* (`[NP Saturday] [NP 's final]`): one misplaced boundary, two missed and
# two wrong chunks. The POS row tags *'s* right but *final*, a noun here, `JJ`.
# %% [markdown] lang="zh"
# 对照 CoNLL-2000 的约定检查这些方括号：*to* 属于动词短语（`[VP to cancel]`），介词单独成一个短语（`[PP in]`），所有格 *'s* 结束它前面的名词短语（`[NP Saturday 's] [NP final]`）。本次运行符合前两条，却让 *'s* 开启了下一个名词短语（`[NP Saturday] [NP 's final]`）：只错了一个边界，就有两个组块漏检、两个组块误检。词性那一行把 *'s* 标对了，却把这里作名词用的 *final* 标成了 `JJ`。

# %% [markdown] lang="en"
# ## Summary
#
# - POS tagging and chunking use the NER pipeline unchanged; the label column, the number of labels
#   and the metric change.
# - POS tags are flat: score them with word accuracy and per-tag scores (`helpers.tag_accuracy`).
#   Chunks are IOB2 spans: score them with span F1 (`helpers.span_scores`); word accuracy hides broken
#   chunks.
# - With `label_all_tokens`, `B-X` → `I-X` applies to chunk tags; for POS the map is the identity.
# - Labels that never occur stay in the tag set, keeping ids compatible at the cost of unused weights.
# %% [markdown] lang="zh"
# ## 小结
#
# - 词性标注和组块分析原封不动地沿用命名实体识别的流水线；变的是标签列、标签个数和评估指标。
# - 词性标签是扁平的：用逐词准确率和各标签的分数评估（`helpers.tag_accuracy`）。组块是 IOB2 片段：用片段 F1 评估（`helpers.span_scores`）；逐词准确率会掩盖被拆散的组块。
# - 使用 `label_all_tokens` 时，`B-X` → `I-X` 作用于组块标签；对词性标签，这个映射是恒等映射。
# - 从不出现的标签留在标签集里，保持编号兼容，代价是一些用不上的权重。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(5)

# %% [markdown] lang="en"
# ### Exercise 1: coarse POS
#
# Many applications only need the coarse category (noun, verb, adjective, ...). The cell below tags the validation split with the POS and the chunk models. Cut gold and predicted POS tags to their first two letters (`NNP` → `NN`, `VBZ` → `VB`) and set `answer` to the accuracy. How much higher is it than the fine-grained one?

# %% [markdown] lang="zh"
# ### 练习 1：粗粒度词性
#
# 很多应用只需要粗略的类别（名词、动词、形容词……）。下面的单元格用词性模型和组块模型给验证集打标签。把金标和预测的词性标签都截成前两个字母（`NNP` → `NN`，`VBZ` → `VB`），把 `answer` 设为此时的准确率。它比细粒度的准确率高多少？

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
# 在 `val_chunk_pred` 中，统计类型正确但边界不对的金标组块有多少，把 `answer` 设为这个数。

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, val_chunk_gold, val_chunk_pred)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4: right words, wrong chunks
#
# For the gold chunks `ex.q4.data["gold"]` (`B-NP I-NP B-VP O`), write a prediction of four tags with word accuracy 0.75 but span F1 0, and set `answer` to it.

# %% [markdown] lang="zh"
# ### 练习 4：词对了，组块错了
#
# 针对金标组块 `ex.q4.data["gold"]`（`B-NP I-NP B-VP O`），写出一个由四个标签组成的预测，使逐词准确率为 0.75 而片段 F1 为 0，并把 `answer` 设为它。

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
