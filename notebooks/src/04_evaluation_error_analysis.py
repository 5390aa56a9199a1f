# %% [markdown] lang="en"
# # Lesson 4 — Evaluation and error analysis
#
# One F1 number says how good a model is, not what it gets wrong. In this lesson we take a
# trained NER model apart: which entity types it handles, which labels it confuses, which kinds
# of span errors it makes, and how it behaves on new text, long texts included.
#
# **After this lesson you will be able to**
#
# - read a per-type precision / recall / F1 table and say what each column counts;
# - draw and read a confusion matrix of word labels;
# - sort span errors into precise kinds (wrong type, boundary, both, missed, spurious) and check
#   that they add up to the F1 score;
# - show gold and predicted entities side by side in highlighted text;
# - tag new text with `pipeline(...)` (and choose an `aggregation_strategy`) or with the course's
#   `helpers.Tagger`, which tags texts of any length without dropping a word;
# - compute the same scores with the 🤗 `evaluate` library, offline.
#
# **Prerequisites:** lesson 3 (training with `Trainer`, word-level scoring).
#
# **Time:** about 30 minutes of reading. Running the whole notebook took about 24 s on a 2-core CPU
# in smoke mode with the real CoNLL-2003 files (about 18 s with the synthetic corpus). Without smoke
# mode the notebook first trains a full model with the course recipe: in the benchmark that training
# took about 3 minutes on the same 2-core CPU (`benchmarks/results/recipes.md`), and less on a GPU.
# These times were measured with the small offline model, all-MiniLM-L6-v2 (6 layers, width 384:
# 10.7 million parameters outside the embeddings). The online default, distilbert-base-uncased
# (6 layers, width 768: 42.5 million outside the embeddings, 4.0 times as many), does about four
# times the matrix work per token; expect three to four times the training time on a CPU, some 9 to
# 12 minutes instead of 3 (an estimate: that model needs the Hub, which our test machine cannot
# reach). With that model, use a GPU.
# %% [markdown] lang="zh"
# # 第 4 课：评估与错误分析
#
# 一个 F1 数字只说明模型有多好，却不说明它错在哪里。这一课我们把一个训练好的命名实体识别（named-entity recognition，NER）模型拆开来看：它擅长哪些实体类型，会混淆哪些标签，犯的是哪几类片段（span）错误，以及面对新文本（包括很长的文本）时表现如何。
#
# **学完本课，你将能够：**
#
# - 读懂按实体类型列出的精确率（precision）/ 召回率（recall）/ F1 表格，说清每一列数的是什么；
# - 画出并读懂词标签的混淆矩阵；
# - 把片段错误精确地分成几类（类型错误、边界错误、两者兼有、漏检、误检），并验证它们与 F1 分数对得上；
# - 在高亮显示的文本中并排展示标准答案和预测的实体；
# - 用 `pipeline(...)`（并选择合适的 `aggregation_strategy`）或课程的 `helpers.Tagger` 对新文本做推理（inference），后者能处理任意长度的文本而不丢掉任何一个词；
# - 离线使用 🤗 `evaluate` 库算出同样的分数。
#
# **预备知识：** 第 3 课（用 `Trainer` 训练、按词评估）。
#
# **用时：** 阅读约 30 分钟。在 2 核 CPU 上以冒烟模式、用真实的 CoNLL-2003 文件运行整个 notebook，实测用时约 24 秒（使用合成语料时约 18 秒）。不开冒烟模式时，本 notebook 会先按课程配方训练一个完整模型：在基准测试中，这一训练在同样的 2 核 CPU 上用了约 3 分钟（见 `benchmarks/results/recipes.md`），在 GPU 上会更短。这些时间是用离线小模型 all-MiniLM-L6-v2 测得的（6 层、宽 384：嵌入层以外有 1070 万个参数）。联网时的默认模型 distilbert-base-uncased（6 层、宽 768：嵌入层以外有 4250 万个参数，是前者的 4.0 倍）每个词元的矩阵运算量约为前者的四倍；在 CPU 上，训练时间预计是前者的三到四倍，大约 9 到 12 分钟而不是 3 分钟（这是估算：那个模型要从 Hub 下载，我们的测试机器连不上 Hub）。用这个模型时，请使用 GPU。

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
from collections import Counter

import evaluate
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from transformers import pipeline

import helpers
from helpers import analysis
from helpers import display as show
from helpers.inference import plan_windows

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set

# %% [markdown] lang="en"
# The configuration of this run: where the data comes from (a CoNLL folder via `TOKCLS_DATA_DIR`,
# the Hub, or the synthetic stand-in, whose scores say nothing about CoNLL-2003), whether smoke
# mode is on, and which checkpoint is fine-tuned.
# %% [markdown] lang="zh"
# 本次运行的配置：数据来自哪里（通过 `TOKCLS_DATA_DIR` 指定的 CoNLL 文件夹、Hub，或者合成的替代语料——在它上面得到的分数不代表 CoNLL-2003），是否开启冒烟模式，以及微调（fine-tuning）的是哪个检查点（checkpoint）。

# %%
SMOKE = helpers.smoke_mode()
ds = helpers.smoke_subset(helpers.load_conll2003())
checkpoint = helpers.resolve_checkpoint()
label_names = helpers.label_names(ds, "ner_tags")

print("data source:", helpers.data_source(ds))
print("checkpoint: ", checkpoint)
print("smoke mode: ", SMOKE)

# %% [markdown] lang="en"
# ## 1. A model to analyse
#
# `helpers.train` runs the whole job of lesson 3 in one call: tokenize, fine-tune, evaluate the
# validation and test sets at word level, save the model to `<output_dir>/model` and the scores
# to `metrics.json`. It returns the same scores as a dict. (If you ran lesson 3 you could load its
# `runs/lesson3/model` instead; training here keeps this notebook self-contained.)
#
# As in lesson 3, smoke mode trains for a few dozen steps only, with a tripled learning rate so
# the model learns something in that time. Such a model is weak, which suits this lesson: it
# makes plenty of errors to study. Every number below comes from this run.
#
# There is no `set_seed` call here: `helpers.train` calls `set_seed(config.seed)` itself (42 by
# default) right before it creates the model, so the new head's random values, and the whole run,
# are the same every time (lesson 3 proved it).
# %% [markdown] lang="zh"
# ## 1. 准备一个待分析的模型
#
# `helpers.train` 一次调用就完成第 3 课的全部工作：分词、微调、在验证集和测试集上按词评估、把模型保存到 `<output_dir>/model`、把分数写入 `metrics.json`。它也把这些分数以字典形式返回。（如果你运行过第 3 课，也可以直接加载 `runs/lesson3/model`；在这里重新训练，是为了让本 notebook 能独立运行。）
#
# 和第 3 课一样，冒烟模式只训练几十步，并把学习率调成三倍，好让模型在这么短的时间里学到点东西。这样的模型很弱，反倒正合本课之用：它犯的错误足够多，值得研究。下面的每个数字都来自本次运行。
#
# 这里没有调用 `set_seed`：`helpers.train` 在创建模型之前会自己调用 `set_seed(config.seed)`（默认是 42），所以新分类头的随机值以及整个训练过程每次都一样（第 3 课验证过这一点）。

# %%
recipe = helpers.COURSE_RECIPE
if SMOKE:
    recipe = helpers.training.with_overrides(recipe, learning_rate=3 * recipe.learning_rate)
config = helpers.TrainConfig(output_dir="runs/lesson4", model=checkpoint, recipe=recipe, overwrite=True)
results = helpers.train(config, ds)
print("model saved to", results["model_dir"])

# %% [markdown] lang="en"
# ## 2. Scores per entity type
#
# For each type, with entities counted as conlleval does (an entity is correct only if its type
# *and* both boundaries match the gold):
#
# | column | counts | question it answers |
# |---|---|---|
# | `precision` | correct predicted entities / all predicted entities | when the model says "ORG", how often is it right? |
# | `recall` | correct predicted entities / all gold entities | of the real ORGs, how many did it find? |
# | `f1` | harmonic mean of the two | one number that is high only if both are |
# | `number` | gold entities of that type (the *support*) | how much evidence is behind the row? |
#
# The `overall` row is the micro average: all types pooled, so frequent types weigh more. A type
# with small support (often MISC in a smoke subset) has noisy scores; look at `number` before
# drawing conclusions.
# %% [markdown] lang="zh"
# ## 2. 各实体类型的分数
#
# 对每种类型，按 conlleval 的方式计数（只有类型**和**左右边界都与标准答案一致，一个实体才算正确）：
#
# | 列 | 计算方式 | 回答的问题 |
# |---|---|---|
# | `precision`（精确率） | 预测正确的实体数 / 预测出的实体总数 | 模型说 “ORG” 时，有多大把握是对的？ |
# | `recall`（召回率） | 预测正确的实体数 / 标准答案中的实体总数 | 真正的 ORG 里，它找出了多少？ |
# | `f1` | 两者的调和平均 | 只有两者都高时才高的一个综合数字 |
# | `number` | 该类型在标准答案中的实体数（即支持数） | 这一行背后有多少证据？ |
#
# `overall` 行是微平均（micro average）：把所有类型合在一起算，所以出现得多的类型权重大。支持数小的类型（冒烟子集里常常是 MISC）分数波动很大；下结论之前先看看 `number`。

# %%
splits = ("validation", "test")
scores = pd.concat({split: analysis.per_type_frame(results[split]) for split in splits}, axis=1)
display(scores.round(3))

val = ds["validation"]
gold = [[label_names[i] for i in sentence] for sentence in val["ner_tags"]]
n_gold = sum(len(analysis.spans(tags)) for tags in gold)
assert scores[("validation", "number")]["overall"] == n_gold

# %% [markdown] lang="en"
# ## 3. Word-level predictions
#
# For the rest of the analysis we need the predicted tag of every validation word. We load the
# saved model into `helpers.Tagger` (section 7 explains it) and tag the pre-split sentences:
# one tag per word, from the word's first subtoken, exactly the convention used for scoring.
# Rescoring these tags gives the scores of section 2, up to rounding. Both runs pick their numeric
# precision for the hardware, and the cell prints what each one used: `Trainer` evaluates in the
# precision it trained in, and the `Tagger` records in `tagger.precision` what it runs (with its
# default `precision="auto"`: bf16 where the hardware computes bf16 natively and fast, fp16 on other
# GPUs, else fp32). Even with the same precision, the two put sentences into batches differently,
# which changes the last bits of a few sums. For a barely trained model, whose best two labels are
# often nearly tied, that rounding can flip a few words. A large gap would mean a bug (misaligned
# words, for example), so the cell checks that the two F1 values are close.
# %% [markdown] lang="zh"
# ## 3. 逐词的预测
#
# 后面的分析需要验证集中每个词的预测标签。我们把保存的模型装进 `helpers.Tagger`（第 7 节会详细介绍），对已经分好词的句子做标注：每个词一个标签，取自该词的第一个子词（subword），与评估时的约定完全一致。用这些标签重新打分，得到的就是第 2 节的分数，只差舍入误差。两者都会根据硬件选择数值精度，下面的单元格把各自实际用的精度打印出来：`Trainer` 评估时沿用训练时的精度；`Tagger` 把它实际运行的精度记在 `tagger.precision` 里（默认 `precision="auto"`：硬件原生且高效支持 bf16 时用 bf16，其他 GPU 上用 fp16，否则用 fp32）。即使精度相同，两者组批的方式也不同，少数求和的最后几位会因此不同。对一个刚训练没多久的模型来说，排在前两位的标签常常几乎打平，这点舍入误差就可能让少数几个词的预测翻转。差距若很大，就说明有 bug（比如词没有对齐），所以这个单元格会检查两个 F1 值足够接近。

# %%
tagger = helpers.Tagger.from_pretrained(results["model_dir"])
tagged = tagger.tag_words(val["tokens"])
pred = [sentence.tags for sentence in tagged]
rescored = helpers.span_scores(gold, pred)

print("Trainer precision (training and evaluation):", helpers.precision.resolve_precision(recipe.precision))
print("Tagger precision:", tagger.precision)
print(f"validation F1 reported by train(): {results['validation']['overall_f1']:.4f}")
print(f"validation F1 of the tagger's tags: {rescored['overall_f1']:.4f} ({tagger.precision})")
assert [len(p) for p in pred] == [len(g) for g in gold]
assert abs(rescored["overall_f1"] - results["validation"]["overall_f1"]) < 0.02

# %% [markdown] lang="en"
# ## 4. Confusion matrix of word labels
#
# A confusion matrix counts, for every word, the pair (gold label, predicted label). We merge
# `B-X` and `I-X` into `X`, so the rows and columns are the four entity types and `O`, and we
# normalise each row to sum to 1. How to read it:
#
# - the **diagonal** is the share of each type's words that got the right type (a word-level recall);
# - the **`O` column** holds words of an entity that the model left outside any entity;
# - the **`O` row** holds ordinary words that the model put inside an entity;
# - any other off-diagonal cell is a **type confusion**, e.g. ORG words tagged as LOC (club names
#   that are also city names are a classic).
#
# It is a word-level view: it cannot show boundary errors between two entities of the same type
# (`B-PER B-PER` instead of `B-PER I-PER` looks perfect here). The span analysis of the next
# section covers that.
# %% [markdown] lang="zh"
# ## 4. 词标签的混淆矩阵
#
# 混淆矩阵对每个词统计一对（标准标签，预测标签）。我们把 `B-X` 和 `I-X` 合并为 `X`，于是行和列就是四种实体类型加上 `O`，并把每一行归一化，使其和为 1。读法如下：
#
# - **对角线**：每种类型的词里，类型预测正确的比例（一种词级别的召回率）；
# - **`O` 列**：本属于实体、却被模型排除在任何实体之外的词；
# - **`O` 行**：普通的词，却被模型放进了某个实体；
# - 其他非对角线格子都是**类型混淆**，例如把 ORG 的词标成 LOC（与城市同名的球队就是典型）。
#
# 这是词级别的视角：同一类型的两个实体之间的边界错误它看不出来（`B-PER B-PER` 代替 `B-PER I-PER`，在这里看起来完全正确）。下一节的片段分析会弥补这一点。

# %%
types = ["PER", "ORG", "LOC", "MISC"]
matrix = analysis.confusion(gold, pred, labels=types + ["O"])
counts = analysis.confusion(gold, pred, labels=types + ["O"], normalize=False)
analysis.plot_confusion(matrix, title="Validation words (rows: gold, normalised)")
plt.show()
display(counts)

assert counts.to_numpy().sum() == sum(len(g) for g in gold)
assert np.allclose(matrix[counts.sum(axis=1) > 0].sum(axis=1), 1.0)

# %% [markdown] lang="en"
# ## 5. Kinds of span errors
#
# Scores are computed on **spans** (conlleval style). A span is a maximal run of words of one
# entity type: it opens at `B-X`, or at an `I-X` that does not continue an `X` span, and closes
# where the next span opens or at `O`. `helpers.analysis.spans(tags)` returns the spans of a
# sentence as `(type, start, end)`, `end` exclusive.
#
# For each sentence, a gold span and a predicted span with the same type, start and end are a
# **correct** entity (a true positive). Every other gold span is a false negative and every other
# predicted span a false positive. `helpers.analysis.classify_errors` pairs them up: each remaining
# gold span takes at most one remaining predicted span that **overlaps** it (sharing at least one
# word), preferring the same boundaries, then the same type, then the largest overlap. That gives
# five kinds of error:
#
# | kind | definition | example (gold → predicted) | counts as |
# |---|---|---|---|
# | `wrong_type` | same start and end, different type | `[Chelsea]ORG` → `[Chelsea]LOC` | 1 FN + 1 FP |
# | `boundary` | overlapping, same type, different start or end | `[New York City]LOC` → `[New York]LOC` | 1 FN + 1 FP |
# | `boundary_and_type` | overlapping, different type and boundaries | `[West Indian]MISC` → `[West]LOC` | 1 FN + 1 FP |
# | `missed` | gold span with no remaining overlapping prediction | `[Chelsea]ORG` → nothing | 1 FN |
# | `spurious` | predicted span left unpaired | nothing → `[Monday]PER` | 1 FP |
#
# Note the last column: a type or boundary error costs **twice**, once in recall and once in
# precision. That is why a model that finds nearly every entity but slightly misplaces its edges
# can still have a low F1. The cell checks that the kinds add up exactly to the false negatives
# and false positives behind the scores of section 3.
# %% [markdown] lang="zh"
# ## 5. 片段错误的类型
#
# 分数是在**片段**上计算的（conlleval 的方式）。片段是同一实体类型的一段极长连续词：它开始于 `B-X`，或开始于一个并非接续 `X` 片段的 `I-X`；在下一个片段开始处或遇到 `O` 时结束。`helpers.analysis.spans(tags)` 以 `(type, start, end)` 的形式返回一个句子的所有片段，`end` 不包含在内。
#
# 在每个句子中，类型、起点、终点都相同的一个标准片段和一个预测片段，构成一个**正确**的实体（真正例）。其余每个标准片段都是一个假反例（FN），其余每个预测片段都是一个假正例（FP）。`helpers.analysis.classify_errors` 把它们配对：每个剩下的标准片段，最多与一个和它**重叠**（至少共享一个词）的剩余预测片段配对，优先选边界相同的，其次选类型相同的，再其次选重叠最多的。由此得到五类错误：
#
# | 类型 | 定义 | 例子（标准答案 → 预测） | 计为 |
# |---|---|---|---|
# | `wrong_type`（类型错误） | 起点终点都相同，类型不同 | `[Chelsea]ORG` → `[Chelsea]LOC` | 1 个 FN + 1 个 FP |
# | `boundary`（边界错误） | 有重叠，类型相同，起点或终点不同 | `[New York City]LOC` → `[New York]LOC` | 1 个 FN + 1 个 FP |
# | `boundary_and_type`（边界和类型都错） | 有重叠，类型和边界都不同 | `[West Indian]MISC` → `[West]LOC` | 1 个 FN + 1 个 FP |
# | `missed`（漏检） | 标准片段没有可配对的重叠预测 | `[Chelsea]ORG` → 无 | 1 个 FN |
# | `spurious`（误检） | 没配上对的预测片段 | 无 → `[Monday]PER` | 1 个 FP |
#
# 注意最后一列：类型错误或边界错误要付**两次**代价，召回率一次、精确率一次。所以一个几乎找到了所有实体、只是边界略有偏差的模型，F1 依然可能很低。下面的单元格会检查：各类错误之和恰好等于第 3 节分数背后的假反例和假正例。

# %%
cases = analysis.classify_errors(gold, pred, val["tokens"])
summary = analysis.error_summary(cases, examples=2)
with pd.option_context("display.max_colwidth", None):
    display(summary.round({"share": 3}))

n_pred = sum(len(analysis.spans(tags)) for tags in pred)
kinds = Counter(case.kind for case in cases)
paired = kinds["wrong_type"] + kinds["boundary"] + kinds["boundary_and_type"]
print(f"gold entities {n_gold}, predicted {n_pred}, correct {n_gold - paired - kinds['missed']}")
assert analysis.error_counts_consistent(cases, rescored, n_gold, n_pred)

# %% [markdown] lang="en"
# Which types does the model mix up? Among the errors that involve two types, count the pairs
# (gold type → predicted type). `analysis.cases_frame` turns the cases into a table that pandas
# can group.
# %% [markdown] lang="zh"
# 模型把哪些类型搞混了？在涉及两种类型的错误里，统计（标准类型 → 预测类型）这样的组合。`analysis.cases_frame` 把错误列表变成一张 pandas 可以分组统计的表。

# %%
frame = analysis.cases_frame(cases)
mixed = frame[frame["kind"].isin(["wrong_type", "boundary_and_type"])]
pairs = mixed.groupby(["gold_type", "pred_type"]).size().rename("errors")
display(pairs.sort_values(ascending=False).head(6))

# %% [markdown] lang="en"
# ## 6. Gold and predicted entities side by side
#
# Numbers point at problems; examples explain them. `analysis.compare_html` shows the gold
# entities (left) beside the predicted ones (right), coloured by type; a **dashed red border**
# marks a span that has no exact twin on the other side, i.e. a false negative on the left or a
# false positive on the right. Here are the first validation sentences that contain an error.
# %% [markdown] lang="zh"
# ## 6. 并排查看标准实体和预测实体
#
# 数字指出问题所在，例子才能解释问题。`analysis.compare_html` 把标准实体（左）和预测实体（右）并排显示，按类型着色；**红色虚线框**标出在另一侧找不到完全相同片段的实体，也就是左侧的假反例、右侧的假正例。下面是验证集中最先出现错误的几个句子。

# %%
with_errors = sorted({case.sentence for case in cases})[:5]
display(HTML(analysis.compare_html([(val["tokens"][i], gold[i], pred[i]) for i in with_errors])))

# %% [markdown] lang="en"
# ## 7. Inference on new sentences
#
# ### With `pipeline`
#
# The 🤗 token-classification pipeline works on raw text and returns one dict per entity (or per
# subtoken). Its `aggregation_strategy` decides how subtoken predictions become entities:
#
# | strategy | what you get |
# |---|---|
# | `"none"` | one item per subtoken, with its raw `B-`/`I-` label: `##kel` appears on its own |
# | `"simple"` | works on subtokens and knows nothing of words: a subtoken joins the group before it only if it has the same type **and** an `I-` tag. A `B-` tag always opens a new group, so a word whose continuation subtoken got `B-PER` (`fis` `B-PER`, `##ch` `B-PER`) is **split** into two entities, `fis` and `ch`; a continuation with another type or `O` splits it too |
# | `"first"` | works on words: each word takes the label of its **first subtoken**, then words are grouped. This is the convention we train and score with |
# | `"max"` | each word takes the label of its highest-scoring subtoken (`"average"` averages the scores instead) |
#
# `"first"`, `"max"` and `"average"` never split a word; they need a fast tokenizer, which every
# model of this course has. Compare the four outputs below on the same sentences (the smoke model
# makes mistakes, which is what makes the strategies differ). A model trained with first-subtoken
# labels never learned anything for continuation subtokens (their label was -100), so what it
# predicts there is arbitrary; `"simple"` reads those predictions, `"first"` ignores them.
#
# **Text without spaces** (Chinese, tagged character by character, lesson 7) needs care. How the
# pipeline finds words depends on the tokenizer. With a WordPiece tokenizer (`##` continuations, as
# in BERT models, bert-base-chinese included) a token is part of the previous word only when it is a
# `##` piece; each Chinese character is a token of its own, so every character is a "word", and
# `"first"` gives the same groups as `"simple"`, while it still keeps a Latin word or a number inside
# the Chinese text whole. Prefer `"first"` there. Tokenizers without such a marker (byte-level BPE as
# in RoBERTa, SentencePiece as in XLM-R) make the pipeline guess instead: a token with no space
# before it continues the previous word. On text without spaces that glues a whole run of characters
# into one "word", which `"first"` then labels with its first character's tag. With those
# tokenizers use `"simple"`, or tag characters yourself as lesson 7 does.
# %% [markdown] lang="zh"
# ## 7. 对新句子做推理
#
# ### 使用 `pipeline`
#
# 🤗 的词元（token）分类 pipeline 直接处理原始文本，每个实体（或每个子词）返回一个字典。它的 `aggregation_strategy` 决定子词的预测如何变成实体：
#
# | 策略 | 得到的结果 |
# |---|---|
# | `"none"` | 每个子词一项，带原始的 `B-`/`I-` 标签：`##kel` 会单独出现 |
# | `"simple"` | 以子词为单位，完全不管词的边界：一个子词只有在类型相同**并且**标签是 `I-` 时，才并入前面的组。`B-` 标签总是开启一个新组，所以如果一个词的后续子词被预测成 `B-PER`（`fis` 为 `B-PER`、`##ch` 为 `B-PER`），这个词就会被**拆成**两个实体 `fis` 和 `ch`；后续子词被预测成别的类型或 `O` 时，也会把词拆开 |
# | `"first"` | 以词为单位：每个词取其**第一个子词**的标签，再把词合并成实体。这正是我们训练和评估时采用的约定 |
# | `"max"` | 每个词取得分最高的那个子词的标签（`"average"` 则对分数取平均） |
#
# `"first"`、`"max"` 和 `"average"` 从不拆开一个词；它们需要快速分词器（fast tokenizer），本课程的每个模型都有。比较下面四种策略在同样句子上的输出（冒烟模型会出错，正因如此各策略的差别才显现出来）。用只标首个子词的方式训练的模型，从没在后续子词上学过任何东西（它们的标签是 -100），所以它在那里的预测是随意的；`"simple"` 会读这些预测，`"first"` 则忽略它们。
#
# **没有空格的文本**（例如逐字标注的中文，见第 7 课）需要格外小心。pipeline 怎样找出词，取决于分词器。对 WordPiece 分词器（用 `##` 表示后续子词，BERT 类模型都是这样，包括 bert-base-chinese），只有 `##` 开头的词元才算前一个词的一部分；每个汉字都是单独的词元，所以每个字都是一个“词”，`"first"` 给出的分组与 `"simple"` 相同，同时还能让夹在中文里的英文单词或数字保持完整。这种情况下优先用 `"first"`。没有这种标记的分词器（RoBERTa 的字节级 BPE、XLM-R 的 SentencePiece）会让 pipeline 改用猜测：前面没有空格的词元就算是前一个词的延续。在没有空格的文本上，这会把一整串汉字粘成一个“词”，`"first"` 再给它整个打上第一个字的标签。用这类分词器时请用 `"simple"`，或者像第 7 课那样自己逐字标注。

# %%
sentences = [
    "Angela Merkel met Emmanuel Macron in Paris on Monday.",
    "Shares of Lufthansa rose in Frankfurt after the European Commission approved the deal.",
    "Blackburn Rovers beat Manchester United at Ewood Park.",
]
rows = {}
for strategy in ("none", "simple", "first", "max"):
    ner = pipeline("token-classification", model=results["model_dir"], aggregation_strategy=strategy)
    for n, output in enumerate(ner(sentences)):
        found = [f"{e['word']}:{e.get('entity_group', e.get('entity'))}" for e in output]
        rows[(n, strategy)] = " | ".join(found)
with pd.option_context("display.max_colwidth", None):
    display(pd.Series(rows, name="entities").rename_axis(["sentence", "strategy"]).to_frame())

# %% [markdown] lang="en"
# ### With `helpers.Tagger`
#
# `helpers.Tagger` is the course's inference class. `tag_text` splits raw text into words and
# punctuation, tags them in batches and returns, for each text, a `TaggedSentence`: the words,
# **exactly one tag and one score per word** (first subtoken, as in training), the character
# `offsets` of each word, and the `entities`, each with its type, character `start`/`end` in the
# original text, text and mean score. `tag_words` does the same for sentences that are already
# split into words (that is what section 3 used). The cell checks that each entity's offsets
# point at its text.
# %% [markdown] lang="zh"
# ### 使用 `helpers.Tagger`
#
# `helpers.Tagger` 是课程自己的推理类。`tag_text` 把原始文本切分成词和标点，按批次标注，为每段文本返回一个 `TaggedSentence`：其中有所有的词，**每个词恰好一个标签和一个分数**（与训练时一样取第一个子词），每个词的字符偏移 `offsets`，以及 `entities`：每个实体带有类型、在原文中的字符位置 `start`/`end`、文本和平均分数。`tag_words` 对已经分好词的句子做同样的事（第 3 节用的就是它）。下面的单元格会检查每个实体的偏移确实指向它的文本。

# %%
for text, sentence in zip(sentences, tagger.tag_text(sentences)):
    print(" ".join(f"{w}/{t}" for w, t in zip(sentence.words, sentence.tags)))
    for e in sentence.entities:
        print(f"    {e.type:<5} {e.start:>3}-{e.end:<3} {e.text!r} (score {e.score:.2f})")
    assert len(sentence.tags) == len(sentence.words) == len(sentence.offsets)
    assert all(text[e.start : e.end] == e.text for e in sentence.entities)

# %% [markdown] lang="en"
# ## 8. Long texts: windows, not truncation
#
# An encoder reads at most `max_length` subtokens (512 for both default checkpoints). What happens
# to a longer text? The pipeline, by default, **truncates**: it tags the first 512 subtokens and
# silently returns nothing for the rest (it accepts a `stride=` argument to process overlapping
# chunks instead, which you must remember to pass). `helpers.Tagger` always splits long inputs
# into **windows** of whole words that fit the model, overlapping by about `stride` subtokens, and
# takes each word's tag from the window in which that word is farthest from an edge, where it has
# the most context on both sides. No word is ever dropped.
#
# We build a 600-word text (a sentence repeated), far over the limit, and check both.
# %% [markdown] lang="zh"
# ## 8. 长文本：分窗口，而不是截断
#
# 编码器一次最多读入 `max_length` 个子词（两个默认检查点都是 512）。更长的文本会怎样？pipeline 默认会**截断**（truncation）：只标注前 512 个子词，其余部分悄无声息地什么也不返回（它接受一个 `stride=` 参数来处理相互重叠的分块，但你得记得传）。`helpers.Tagger` 则总是把长输入切成若干由完整的词组成、长度不超过模型上限的**窗口**，相邻窗口约重叠 `stride` 个子词；每个词的标签取自它离窗口边缘最远的那个窗口，在那里它两侧的上下文最多。任何一个词都不会被丢掉。
#
# 我们构造一段 600 个词的文本（把一句话重复多次），远远超过上限，然后分别检查两者。

# %%
long_text = " ".join(["Angela Merkel met Emmanuel Macron in Paris on Monday ."] * 60)
words = [w for w, _, _ in helpers.split_words(long_text)]
subtokens = tagger.tokenizer(words, is_split_into_words=True, add_special_tokens=False).word_ids()
print(f"{len(words)} words, {len(subtokens)} subtokens, model limit {tagger.max_length}")

per_word = Counter(subtokens)
windows = plan_windows([per_word[i] for i in range(len(words))], tagger.budget, tagger.stride)
print("Tagger windows (word ranges):", windows)

long_tagged = tagger.tag_text(long_text)[0]
print(f"Tagger: {len(long_tagged.tags)} tags for {len(long_tagged.words)} words")
assert len(words) == 600 and len(subtokens) > tagger.max_length
assert len(long_tagged.tags) == len(long_tagged.words) == 600

ner = pipeline("token-classification", model=results["model_dir"], aggregation_strategy="first")
reach = max((e["end"] for e in ner(long_text)), default=0)
print(f"pipeline without stride: last entity ends at character {reach} of {len(long_text)}")

# %% [markdown] lang="en"
# ## 9. The same scores with 🤗 `evaluate`
#
# Many scripts compute NER scores with `evaluate.load("seqeval")`, which downloads the metric's
# code from the Hub. The course ships its own metric module, so it works offline:
# `evaluate.load(helpers.metric_module_path())`. It wraps the same seqeval computation (conlleval
# mode) and returns the familiar layout (`overall_f1`, and one dict per type). The cell checks
# that it agrees exactly with `helpers.span_scores` on our predictions.
# %% [markdown] lang="zh"
# ## 9. 用 🤗 `evaluate` 得到同样的分数
#
# 很多脚本用 `evaluate.load("seqeval")` 计算 NER 分数，这需要从 Hub 下载评估指标的代码。课程自带了一个评估模块，离线也能用：`evaluate.load(helpers.metric_module_path())`。它封装的是同一套 seqeval 计算（conlleval 模式），返回大家熟悉的格式（`overall_f1`，以及每种类型一个字典）。下面的单元格检查它与 `helpers.span_scores` 在我们的预测上完全一致。

# %%
metric = evaluate.load(helpers.metric_module_path())
via_evaluate = metric.compute(predictions=pred, references=gold)
print({k: round(v, 4) for k, v in via_evaluate.items() if k.startswith("overall")})

for key in ("overall_precision", "overall_recall", "overall_f1", "overall_accuracy"):
    assert via_evaluate[key] == rescored[key], key
for entity_type, type_scores in rescored["per_type"].items():
    assert via_evaluate[entity_type] == type_scores, entity_type

# %% [markdown] lang="en"
# ## Summary
#
# - Read per-type scores with their support; the overall row is a micro average.
# - A row-normalised confusion matrix of word labels shows type confusions and words lost to `O`,
#   but not boundary errors within one type.
# - Span errors fall into five precisely defined kinds; type and boundary errors count as both a
#   false negative and a false positive, and the kinds add up to the scores.
# - For raw text, prefer `aggregation_strategy="first"` (the training convention; for text without
#   spaces, only with a WordPiece tokenizer) or use `helpers.Tagger`: one tag per word, character
#   offsets, and windows instead of truncation.
# - `evaluate.load(helpers.metric_module_path())` gives the seqeval scores offline.

# %% [markdown] lang="zh"
# ## 小结
#
# - 看各类型的分数时要结合支持数；`overall` 行是微平均。
# - 按行归一化的词标签混淆矩阵能显示类型混淆和被归入 `O` 的词，但看不出同一类型内部的边界错误。
# - 片段错误分为五类，各有精确定义；类型错误和边界错误既是假反例又是假正例，各类错误加起来与分数完全对得上。
# - 处理原始文本时，优先用 `aggregation_strategy="first"`（与训练约定一致；对没有空格的文本，只在 WordPiece 分词器上这样做），或者用 `helpers.Tagger`：每个词一个标签，带字符偏移，用窗口代替截断。
# - `evaluate.load(helpers.metric_module_path())` 可以离线算出 seqeval 的分数。

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong and where. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution. The feedback is in the language of this notebook (set `TOKCLS_LANG=en` or `zh` to choose).

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。反馈使用本 notebook 的语言（设置 `TOKCLS_LANG=en` 或 `zh` 可以指定）。

# %%
ex = helpers.exercises.lesson(4)

# %% [markdown] lang="en"
# ### Exercise 1: the test set
#
# The cell below tags the test split. Classify its errors with `analysis.classify_errors` as above and set `answer` to the count of each kind, e.g. `{"missed": ..., "spurious": ...}`. Is the mix the same as on validation?

# %% [markdown] lang="zh"
# ### 练习 1：测试集
#
# 下面的单元格对测试集打标签。像上面那样用 `analysis.classify_errors` 给它的错误分类，把 `answer` 设为每类错误的数量，例如 `{"missed": ..., "spurious": ...}`。错误类型的分布和验证集一样吗？

# %%
test_gold = [[label_names[i] for i in s] for s in ds["test"]["ner_tags"]]
test_pred = [s.tags for s in tagger.tag_words(ds["test"]["tokens"])]

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer, ds["test"], test_pred)
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: fix stray `I-` tags
#
# Post-process the validation predictions `pred` so that an `I-X` that does not continue an `X` span becomes `B-X`. Set `answer` to the repaired predictions and compare the F1 before and after.

# %% [markdown] lang="zh"
# ### 练习 2：修正孤立的 `I-` 标签
#
# 对验证集的预测 `pred` 做后处理：凡是没有接续 `X` 片段的 `I-X` 都改成 `B-X`。把 `answer` 设为修正后的预测，并比较修正前后的 F1。

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, pred, gold)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: where does the model fail?
#
# Group the `missed` errors of `frame` by the length in words of the gold entity. Set `answer` to a dict `{length: count}`. Then do the same for the `spurious` ones by predicted type (not checked).

# %% [markdown] lang="zh"
# ### 练习 3：模型栽在哪里？
#
# 把 `frame` 中的 `missed` 错误按标准实体的词数分组。把 `answer` 设为字典 `{长度: 数量}`。然后把 `spurious` 错误按预测类型分组（不自动检查）。

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, gold, pred)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4: read the confusion matrix
#
# In `counts` (rows gold, columns predicted, word counts), which cell off the diagonal is the largest? Set `answer` to its `(gold, predicted)` pair, e.g. `("ORG", "LOC")`.

# %% [markdown] lang="zh"
# ### 练习 4：读混淆矩阵
#
# 在 `counts`（行是标准标签，列是预测标签，数值是词数）中，对角线之外哪个单元格最大？把 `answer` 设为它的 `(标准, 预测)` 对，例如 `("ORG", "LOC")`。

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer, gold, pred)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): why F1 does not move

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：为什么 F1 纹丝不动

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
