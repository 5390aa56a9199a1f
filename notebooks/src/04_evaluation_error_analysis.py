# %% [markdown] lang="en"
# # Lesson 4 — Evaluation and error analysis
#
# One F1 number says how good a model is, not what it gets wrong. This lesson takes a trained NER
# model apart: which types it handles, which labels it confuses, which kinds of span errors it makes,
# and how it behaves on new and long texts.
#
# **After this lesson you will be able to**
#
# - read a per-type precision / recall / F1 table and say what each column counts;
# - read a confusion matrix of word labels;
# - sort span errors into kinds (wrong type, boundary, both, missed, spurious) that add up to the score;
# - show gold and predicted entities side by side;
# - tag new text with `pipeline(...)` (choosing an `aggregation_strategy`) or with `helpers.Tagger`,
#   which tags texts of any length without dropping a word;
# - compute the same scores with 🤗 `evaluate`, offline;
# - build a demo page with Gradio and put it on a Hub Space.
#
# **Prerequisites:** lesson 3. **Time:** about 30 minutes, plus one training run of the recipe
# (minutes on a GPU).
# %% [markdown] lang="zh"
# # 第 4 课：评估与错误分析
#
# 一个 F1 数字只说明模型有多好，说明不了它错在哪里。本课把一个训练好的命名实体识别模型拆开来看：它擅长哪些类型、混淆哪些标签、犯哪几类片段错误，以及面对新文本和长文本时表现如何。
#
# **学完本课，你将能够：**
#
# - 读懂按类型列出的精确率 / 召回率 / F1 表，说清每一列统计的是什么；
# - 读懂词标签的混淆矩阵（confusion matrix）；
# - 把片段错误分成几类（类型错误、边界错误、两者皆错、漏检、误检），各类之和正好对应分数；
# - 把金标（gold）实体与预测实体并排展示；
# - 用 `pipeline(...)`（并选择 `aggregation_strategy`）或 `helpers.Tagger` 标注新文本，后者能标注任意长度的文本且不丢一个词；
# - 离线用 🤗 `evaluate` 算出同样的分数；
# - 用 Gradio 搭一个演示页面，并把它放到 Hub Space 上。
#
# **预备知识：** 第 3 课。**用时：** 约 30 分钟，另加按配方训练一次（GPU 上几分钟）。

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
from collections import Counter

import evaluate
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from transformers import pipeline

import helpers
from helpers import analysis
from helpers import display as show
from helpers.config import env_epochs
from helpers.decoding import invalid_sentences
from helpers.inference import plan_windows
from helpers.machine import run_card

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set

# %% [markdown] lang="en"
# The data (if the loader says "synthetic", no score here says anything about CoNLL-2003) and the
# checkpoint that is fine-tuned.
# %% [markdown] lang="zh"
# 数据（如果加载函数说的是“synthetic”，这里的分数都不代表 CoNLL-2003）和要微调（fine-tuning）的检查点（checkpoint）。

# %%
SMOKE = helpers.smoke_mode()
ds = helpers.smoke_subset(helpers.load_conll2003())
checkpoint = helpers.resolve_checkpoint()
label_names = helpers.label_names(ds, "ner_tags")

print("checkpoint: ", checkpoint)

# %% [markdown] lang="en"
# ## 1. A model to analyse
#
# `helpers.train` runs lesson 3's whole job in one call: tokenize, fine-tune, score validation and
# test at word level, save the model to `<output_dir>/model` and the scores to `metrics.json`. It
# calls `set_seed(config.seed)` (42 by default) before creating the model, so the run repeats
# exactly. (If you ran lesson 3 you could load `runs/lesson3/model` instead.) Every number below
# comes from this run.
# %% [markdown] lang="zh"
# ## 1. 要分析的模型
#
# `helpers.train` 一次调用完成第 3 课的全部工作：切分为子词、微调、按词评估验证集和测试集，把模型保存到 `<output_dir>/model`，分数写入 `metrics.json`。它在创建模型之前调用 `set_seed(config.seed)`（默认 42），所以每次运行结果相同。（如果运行过第 3 课，也可以改为加载 `runs/lesson3/model`。）下面的每个数字都来自这次运行。

# %%
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, checkpoint)  # the learning rate and epochs for its width
if SMOKE:  # TOKCLS_SMOKE=1, a test run of a few dozen steps: a higher rate so that they learn something
    recipe = helpers.training.with_overrides(recipe, learning_rate=3 * recipe.learning_rate)
config = helpers.TrainConfig(output_dir="runs/lesson4", model=checkpoint, recipe=recipe, overwrite=True)
card = run_card(checkpoint, epochs=env_epochs(recipe.epochs), sentences=len(ds["train"]))
results = helpers.train(config, ds)
card.finish()
print("model saved to", results["model_dir"])

# %% [markdown] lang="en"
# ## 2. Scores per entity type
#
# Entities are counted as conlleval does (correct only if the type *and* both boundaries match):
#
# | column | counts | question it answers |
# |---|---|---|
# | `precision` | correct predicted / all predicted entities | when the model says "ORG", how often is it right? |
# | `recall` | correct predicted / all gold entities | of the real ORGs, how many did it find? |
# | `f1` | harmonic mean of the two | high only if both are |
# | `number` | gold entities of that type (the *support*) | how much evidence is behind the row? |
#
# The `overall` row is the micro average: all types pooled, so frequent types weigh more.
# %% [markdown] lang="zh"
# ## 2. 各实体类型的分数
#
# 按 conlleval 的方式计数（类型**和**左右边界都对上，实体才算正确）：
#
# | 列 | 计算方式 | 回答的问题 |
# |---|---|---|
# | `precision`（精确率） | 预测正确的实体数 / 预测出的实体总数 | 模型说“ORG”时，有多大把握是对的？ |
# | `recall`（召回率） | 预测正确的实体数 / 金标实体总数 | 真正的 ORG 里，它找出了多少？ |
# | `f1` | 两者的调和平均 | 只有两者都高时才高 |
# | `number` | 该类型的金标实体数（即支持数） | 这一行背后有多少证据？ |
#
# `overall` 行是微平均（micro average）：所有类型合在一起算，出现得多的类型权重大。

# %%
splits = ("validation", "test")
scores = pd.concat({split: analysis.per_type_frame(results[split]) for split in splits}, axis=1)
display(scores.round(3))

val = ds["validation"]
gold = [[label_names[i] for i in sentence] for sentence in val["ner_tags"]]
n_gold = sum(len(analysis.spans(tags)) for tags in gold)

# %% check="1"
assert scores[("validation", "number")]["overall"] == n_gold

# %% [markdown] lang="en"
# Read the table by rows, then across the two splits. The type with the lowest F1 and a large
# `number` is where the model loses most; compare its precision and recall to see whether it misses
# entities or invents them. Then compare validation with test type by type: the test split of
# CoNLL-2003 is harder, and the types whose F1 drops most between the two are the ones that
# generalise worst to new articles. A type with a small `number` has noisy scores.
# %% [markdown] lang="zh"
# 先按行读，再跨两个划分对比。F1 最低且 `number` 较大的类型，是模型丢分最多的地方；对比它的精确率和召回率，看它是漏掉了实体还是编造了实体。再逐类型对比验证集和测试集：CoNLL-2003 的测试集更难，两者之间 F1 下降最多的类型，就是对新文章泛化得最差的类型。`number` 小的类型，分数波动大。

# %% [markdown] lang="en"
# ## 3. Word-level predictions
#
# The rest of the analysis needs the predicted tag of every validation word. We load the saved model
# into `helpers.Tagger` (section 7) and tag the pre-split sentences: one tag per word, from its first
# subtoken, the convention used for scoring. Rescoring these tags comes close to section 2's
# validation F1 without always matching it (compare the last two lines): `train()` scored the saved
# model with `evaluate_split`, which runs it in fp32 (lesson 3), while the `Tagger` runs in the
# precision the hardware suggests (the second line), and a lower precision can flip a word whose two
# best labels are nearly tied. The first line is the precision training ran in.
# %% [markdown] lang="zh"
# ## 3. 按词的预测
#
# 后面的分析需要每个验证集词的预测标签。我们把保存的模型加载进 `helpers.Tagger`（第 7 节），标注预先切好的句子：每个词一个标签，取自它的第一个子词，与评分的约定一致。对这些标签重新评分，得到的验证集 F1 与第 2 节很接近，但不一定完全相同（对比最后两行）：`train()` 用 `evaluate_split` 给保存的模型评分，以 fp32 运行（第 3 课）；`Tagger` 则按硬件适合的数值精度运行（第二行），精度较低时，最好的两个标签几乎打平的词可能翻转。第一行是训练时用的数值精度。

# %%
tagger = helpers.Tagger.from_pretrained(results["model_dir"])
tagged = tagger.tag_words(val["tokens"])
pred = [sentence.tags for sentence in tagged]
rescored = helpers.span_scores(gold, pred)

print("Trainer precision (training and evaluation):", helpers.precision.resolve_precision(recipe.precision))
print("Tagger precision:", tagger.precision)
print(f"validation F1 reported by train(): {results['validation']['overall_f1']:.4f}")
print(f"validation F1 of the tagger's tags: {rescored['overall_f1']:.4f} ({tagger.precision})")

# %% check="1"
assert [len(p) for p in pred] == [len(g) for g in gold]
assert abs(rescored["overall_f1"] - results["validation"]["overall_f1"]) < 0.02

# %% [markdown] lang="en"
# ## 4. Confusion matrix of word labels
#
# A confusion matrix counts, for every word, the pair (gold label, predicted label), with `B-X` and
# `I-X` merged into `X` and each row normalised to sum to 1:
#
# - the **diagonal** is the share of each type's words that got the right type;
# - the **`O` column** holds entity words the model left outside any entity;
# - the **`O` row** holds ordinary words the model put inside an entity;
# - other off-diagonal cells are **type confusions**.
#
# It cannot show boundary errors between two entities of one type (`B-PER B-PER` for `B-PER I-PER`
# looks perfect here); section 5 covers those.
# %% [markdown] lang="zh"
# ## 4. 词标签的混淆矩阵
#
# 混淆矩阵为每个词统计一对（金标标签，预测标签），其中 `B-X` 和 `I-X` 合并为 `X`，每一行归一化为和为 1：
#
# - **对角线**是每种类型的词被判对类型的比例；
# - **`O` 列**是被模型留在实体之外的实体词；
# - **`O` 行**是被模型放进实体里的普通词；
# - 其他非对角单元格是**类型混淆**。
#
# 它看不出同一类型两个实体之间的边界错误（把 `B-PER I-PER` 标成 `B-PER B-PER`，在这里看起来完全正确）；第 5 节会讨论这些。

# %%
types = ["PER", "ORG", "LOC", "MISC"]
matrix = analysis.confusion(gold, pred, labels=types + ["O"])
counts = analysis.confusion(gold, pred, labels=types + ["O"], normalize=False)
analysis.plot_confusion(matrix, title="Validation words (rows: gold, normalised)")
plt.show()
display(counts)

# %% check="1"
import numpy as np

assert counts.to_numpy().sum() == sum(len(g) for g in gold)
assert np.allclose(matrix[counts.sum(axis=1) > 0].sum(axis=1), 1.0)

# %% [markdown] lang="en"
# Read the plot for rates and the table for counts. The lowest diagonal cell is the type whose words
# the model recognises least; its largest off-diagonal cell says where they go (to `O`: missed; to
# another type: confused). The `O` row is small as a share but not as a count, since `O` words are the
# vast majority: compare its cells with the `O` column to see whether this model errs more towards
# inventing or towards missing entity words.
# %% [markdown] lang="zh"
# 看图读比例，看表读数量。对角线上最低的那一格，是模型最认不出的类型；这一行里最大的非对角单元格说明这些词去了哪里（去了 `O`：漏掉；去了别的类型：混淆）。`O` 行按比例很小，按数量却不小，因为 `O` 词占绝大多数：把它与 `O` 列对比，看这个模型更倾向于编造实体词还是漏掉实体词。

# %% [markdown] lang="en"
# ## 5. Kinds of span errors
#
# Scores are computed on **spans**: a maximal run of words of one entity type, opening at `B-X` or at
# an `I-X` that does not continue an `X` span. `helpers.analysis.spans(tags)` returns a sentence's
# spans as `(type, start, end)`, `end` exclusive. A gold and a predicted span with the same type, start
# and end are a **correct** entity; every other gold span is a false negative (FN), every other
# predicted span a false positive (FP). `helpers.analysis.classify_errors` pairs each remaining gold
# span with at most one remaining predicted span that **overlaps** it (same boundaries first, then same
# type, then the largest overlap), giving five kinds:
#
# | kind | definition | example (gold → predicted) | counts as |
# |---|---|---|---|
# | `wrong_type` | same start and end, different type | `[Chelsea]ORG` → `[Chelsea]LOC` | 1 FN + 1 FP |
# | `boundary` | overlapping, same type, other start or end | `[New York City]LOC` → `[New York]LOC` | 1 FN + 1 FP |
# | `boundary_and_type` | overlapping, other type and boundaries | `[West Indian]MISC` → `[West]LOC` | 1 FN + 1 FP |
# | `missed` | gold span with no overlapping prediction left | `[Chelsea]ORG` → nothing | 1 FN |
# | `spurious` | predicted span left unpaired | nothing → `[Monday]PER` | 1 FP |
#
# A type or boundary error costs **twice**, in recall and in precision, so a model that finds nearly
# every entity but misplaces edges can still have a low F1.
# %% [markdown] lang="zh"
# ## 5. 片段错误的类型
#
# 分数是在**片段**上计算的：同一实体类型的一个极大连续段，开始于 `B-X`，或开始于一个并非接续 `X` 片段的 `I-X`。`helpers.analysis.spans(tags)` 以 `(type, start, end)` 的形式返回一个句子的片段，`end` 不包含在内。类型、起点、终点都相同的一个金标片段和一个预测片段构成一个**正确**的实体；其余每个金标片段都是假反例（FN），其余每个预测片段都是假正例（FP）。`helpers.analysis.classify_errors` 让每个剩下的金标片段最多与一个和它**重叠**的剩余预测片段配对（先选边界相同的，再选类型相同的，再选重叠最多的），得到五类错误：
#
# | 类型 | 定义 | 例子（金标 → 预测） | 计为 |
# |---|---|---|---|
# | `wrong_type`（类型错误） | 起点终点都相同，类型不同 | `[Chelsea]ORG` → `[Chelsea]LOC` | 1 个 FN + 1 个 FP |
# | `boundary`（边界错误） | 有重叠，类型相同，起点或终点不同 | `[New York City]LOC` → `[New York]LOC` | 1 个 FN + 1 个 FP |
# | `boundary_and_type`（两者皆错） | 有重叠，类型和边界都不同 | `[West Indian]MISC` → `[West]LOC` | 1 个 FN + 1 个 FP |
# | `missed`（漏检） | 金标片段没有剩下的重叠预测 | `[Chelsea]ORG` → 无 | 1 个 FN |
# | `spurious`（误检） | 没配上对的预测片段 | 无 → `[Monday]PER` | 1 个 FP |
#
# 类型错误或边界错误要付**两次**代价，召回率一次、精确率一次，所以一个几乎找到了所有实体、只是边界有偏差的模型，F1 依然可能很低。

# %%
cases = analysis.classify_errors(gold, pred, val["tokens"])
summary = analysis.error_summary(cases, examples=2)
with pd.option_context("display.max_colwidth", None):
    display(summary.round({"share": 3}))

n_pred = sum(len(analysis.spans(tags)) for tags in pred)
kinds = Counter(case.kind for case in cases)
paired = kinds["wrong_type"] + kinds["boundary"] + kinds["boundary_and_type"]
print(f"gold entities {n_gold}, predicted {n_pred}, correct {n_gold - paired - kinds['missed']}")

# %% check="1"
assert analysis.error_counts_consistent(cases, rescored, n_gold, n_pred)

# %% [markdown] lang="en"
# The kinds add up exactly to the false negatives and positives behind the score (from the last
# line's counts, precision is correct / predicted and recall correct / gold: the figures section 9
# prints for these tags). Read the `share` column from the top: the
# first kind is what to fix first. Then read its examples, and remember which errors cost twice. On
# CoNLL-2003, `wrong_type` errors often come from sports reports, where a team is named after its
# town or county (an ORG in the gold) and the model says LOC; `spurious` examples are worth checking
# against the gold, which misses some names (lesson 3 showed a gold error).
# %% [markdown] lang="zh"
# 各类错误之和恰好等于分数背后的假反例和假正例（由最后一行的数字算出精确率 = 正确数 / 预测数、召回率 = 正确数 / 金标数，正是第 9 节为这些标签打印的数字）。从上往下读 `share` 列：排在第一的类型最先要解决。再看它的例子，并记住哪些错误要付两次代价。在 CoNLL-2003 上，`wrong_type` 错误常常来自体育报道：球队以所在城市或郡命名（金标是 ORG），模型却说 LOC；`spurious` 的例子值得对照金标核对，因为金标也漏标了一些名字（第 3 课展示过一个金标错误）。

# %% [markdown] lang="en"
# Which types does the model mix up? Among the errors that involve two types, count the pairs (gold
# type → predicted type) with `analysis.cases_frame` and pandas. The top pairs are the confusions the
# matrix of section 4 showed, now counted as entities.
# %% [markdown] lang="zh"
# 模型混淆哪些类型？在涉及两种类型的错误中，用 `analysis.cases_frame` 和 pandas 统计（金标类型 → 预测类型）的对数。排在前面的几对，就是第 4 节矩阵显示的混淆，这次按实体计数。

# %%
frame = analysis.cases_frame(cases)
mixed = frame[frame["kind"].isin(["wrong_type", "boundary_and_type"])]
pairs = mixed.groupby(["gold_type", "pred_type"]).size().rename("errors")
display(pairs.sort_values(ascending=False).head(6))

# %% [markdown] lang="en"
# ## 6. Gold and predicted entities side by side
#
# `analysis.compare_html` shows the gold entities (left) beside the predicted ones (right), coloured by
# type; a **dashed red border** marks a span with no exact twin on the other side (a false negative on
# the left, a false positive on the right). Here are the first validation sentences with an error:
# look for the kinds of section 5 in them.
# %% [markdown] lang="zh"
# ## 6. 并排查看金标实体和预测实体
#
# `analysis.compare_html` 把金标实体（左）和预测实体（右）并排显示，按类型着色；**红色虚线框**标出在另一侧找不到完全相同片段的实体（左侧的假反例、右侧的假正例）。下面是验证集中最先出现错误的几个句子：在其中找找第 5 节的那几类错误。

# %%
with_errors = sorted({case.sentence for case in cases})[:5]
display(HTML(analysis.compare_html([(val["tokens"][i], gold[i], pred[i]) for i in with_errors])))

# %% [markdown] lang="en"
# ## 7. Inference on new sentences
#
# ### With `pipeline`
#
# The 🤗 token-classification pipeline works on raw text. Its `aggregation_strategy` decides how
# subtoken predictions become entities:
#
# | strategy | what you get |
# |---|---|
# | `"none"` | one item per subtoken, with its raw `B-`/`I-` label |
# | `"simple"` | groups subtokens, knowing nothing of words: a subtoken joins the group before it only with the same type **and** an `I-` tag, so a continuation subtoken predicted `B-PER`, another type or `O` **splits** its word |
# | `"first"` | each word takes the label of its **first subtoken**, then words are grouped: the convention we train and score with |
# | `"max"` | each word takes its highest-scoring subtoken's label (`"average"` averages the scores) |
#
# `"first"`, `"max"` and `"average"` never split a word (they need a fast tokenizer). A model trained
# with first-subtoken labels learned nothing for continuation subtokens, so what it predicts there is
# arbitrary: `"simple"` reads those predictions, `"first"` ignores them. For text without spaces
# (Chinese, lesson 7), `"first"` groups as expected only with a WordPiece tokenizer (`##` pieces, as in
# bert-base-chinese); with byte-level BPE or SentencePiece the pipeline glues a run of characters into
# one "word", so use `"simple"` there or tag characters as lesson 7 does.
# %% [markdown] lang="zh"
# ## 7. 对新句子做推理
#
# ### 使用 `pipeline`
#
# 🤗 的词元分类 pipeline 直接处理原始文本。它的 `aggregation_strategy` 决定子词的预测如何变成实体：
#
# | 策略 | 得到的结果 |
# |---|---|
# | `"none"` | 每个子词一项，带原始的 `B-`/`I-` 标签 |
# | `"simple"` | 以子词为单位分组，不管词的边界：子词只有在类型相同**并且**是 `I-` 标签时才并入前一组，所以后续子词被预测成 `B-PER`、别的类型或 `O` 时，它所在的词会被**拆开** |
# | `"first"` | 每个词取其**第一个子词**的标签，再把词合并成实体：这正是我们训练和评分的约定 |
# | `"max"` | 每个词取得分最高的子词的标签（`"average"` 对分数取平均） |
#
# `"first"`、`"max"` 和 `"average"` 从不拆开一个词（它们需要快速分词器）。用只标首个子词的方式训练的模型，从没在后续子词上学过东西，它在那里的预测是随意的：`"simple"` 会读这些预测，`"first"` 则忽略它们。对没有空格的文本（中文，第 7 课），只有 WordPiece 分词器（像 bert-base-chinese 那样用 `##` 表示后续子词）才能让 `"first"` 按预期分组；用字节级 BPE 或 SentencePiece 时，pipeline 会把一串汉字粘成一个“词”，那时请用 `"simple"`，或者像第 7 课那样逐字标注。

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
# Compare the rows of each sentence. `none` shows the subtokens the others group. Where every
# subtoken of a word got a label consistent with its first one, `simple`, `first` and `max` print the
# same entities; a row that differs marks a word whose continuation subtokens the model labelled
# otherwise. In this run that is *Ewood* in sentence 2: `none` shows `##wood` labelled `B-LOC`, so
# `simple` cuts the word in two (`e`, `##wood park`), while `first` and `max` keep `ewood park`. Rows
# that agree mean the model is consistent on that sentence, not that the strategies are equivalent.
# %% [markdown] lang="zh"
# 逐句对比各行。`none` 显示了其他策略要分组的子词。如果一个词的每个子词得到的标签都与第一个子词一致，`simple`、`first` 和 `max` 就给出相同的实体；某一行不同，说明模型给某个词的后续子词打了别的标签。本次运行中，这样的词是第 2 句里的 Ewood：`none` 显示 `##wood` 被标成了 `B-LOC`，于是 `simple` 把这个词切成两段（`e` 和 `##wood park`），`first` 和 `max` 则保留完整的 `ewood park`。各行相同只说明模型在那一句上前后一致，并不说明这些策略等价。

# %% [markdown] lang="en"
# ### With `helpers.Tagger`
#
# `helpers.Tagger` is the course's inference class. `tag_text` splits raw text into words, tags them in
# batches and returns, per text, a `TaggedSentence`: the words, **one tag and one score per word**
# (first subtoken, as in training), each word's character `offsets`, and the `entities` with their
# type, character `start`/`end`, text and mean score. `tag_words` does the same for pre-split
# sentences (section 3 used it).
# %% [markdown] lang="zh"
# ### 使用 `helpers.Tagger`
#
# `helpers.Tagger` 是本课程的推理类。`tag_text` 把原始文本切成词，成批标注，为每段文本返回一个 `TaggedSentence`：词、**每个词一个标签和一个分数**（取自首个子词，与训练一致）、每个词的字符偏移 `offsets`，以及 `entities`，每个实体带有类型、字符位置 `start`/`end`、文本和平均分数。`tag_words` 对预先切好词的句子做同样的事（第 3 节用的就是它）。

# %%
for sentence in tagger.tag_text(sentences):
    print(" ".join(f"{w}/{t}" for w, t in zip(sentence.words, sentence.tags)))
    for e in sentence.entities:
        print(f"    {e.type:<5} {e.start:>3}-{e.end:<3} {e.text!r} (score {e.score:.2f})")

# %% check="1"
for text, sentence in zip(sentences, tagger.tag_text(sentences)):
    assert len(sentence.tags) == len(sentence.words) == len(sentence.offsets)
    assert all(text[e.start : e.end] == e.text for e in sentence.entities)

# %% [markdown] lang="en"
# ## 8. Long texts: windows, not truncation
#
# An encoder reads at most `max_length` subtokens (the model limit printed below). The pipeline, by
# default, **truncates** a longer text and silently returns nothing for the rest (its `stride=`
# argument processes overlapping chunks, if you remember to pass it). `helpers.Tagger` always splits
# long inputs into **windows** of whole words, overlapping by about `stride` subtokens, and takes each
# word's tag from the window where it has most context on both sides. We build a 600-word text, far
# over the limit, and try both.
# %% [markdown] lang="zh"
# ## 8. 长文本：用窗口，而不是截断
#
# 编码器一次最多读 `max_length` 个子词（下面打印的模型上限）。pipeline 默认会把更长的文本**截断**，对其余部分悄无声息地什么也不返回（它的 `stride=` 参数可以处理相互重叠的片段，前提是你记得传）。`helpers.Tagger` 总是把长输入切成由完整的词组成的**窗口**，相邻窗口重叠约 `stride` 个子词，每个词的标签取自它两侧上下文最多的那个窗口。我们构造一段远超上限的 600 词文本，两种方法都试一试。

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

ner = pipeline("token-classification", model=results["model_dir"], aggregation_strategy="first")
reach = max((e["end"] for e in ner(long_text)), default=0)
print(f"pipeline without stride: last entity ends at character {reach} of {len(long_text)}")

# %% check="1"
assert len(words) == 600 and len(subtokens) > tagger.max_length
assert len(long_tagged.tags) == len(long_tagged.words) == 600

# %% [markdown] lang="en"
# The window ranges overlap, and together they cover all 600 words: the `Tagger` returns a tag for
# each. The pipeline's last entity ends well before the last character: the same sentence repeats to
# the end, so every entity after that point was cut off without a warning in the results (the
# tokenizer's length message is the only trace).
# %% [markdown] lang="zh"
# 各窗口的词范围相互重叠，合起来覆盖全部 600 个词：`Tagger` 给每个词都返回了标签。pipeline 的最后一个实体结束的位置远在最后一个字符之前：同一个句子一直重复到结尾，所以那之后的每个实体都被截掉了，结果里没有任何提示（分词器关于长度的提示是唯一的痕迹）。

# %% [markdown] lang="en"
# ## 9. The same scores with 🤗 `evaluate`
#
# `evaluate.load("seqeval")` downloads the metric's code from the Hub. The course ships its own metric
# module, so it works offline: `evaluate.load(helpers.metric_module_path())` wraps the same seqeval
# computation (conlleval mode), returns the familiar layout (`overall_f1`, one dict per type), and
# gives exactly the scores of section 3 (compare the printed figures).
# %% [markdown] lang="zh"
# ## 9. 用 🤗 `evaluate` 得到同样的分数
#
# `evaluate.load("seqeval")` 会从 Hub 下载评估指标的代码。课程自带了一个评估指标模块，所以离线也能用：`evaluate.load(helpers.metric_module_path())` 封装的是同样的 seqeval 计算（conlleval 模式），返回熟悉的格式（`overall_f1`，每种类型一个字典），分数与第 3 节完全相同（对比打印出的数字）。

# %%
metric = evaluate.load(helpers.metric_module_path())
via_evaluate = metric.compute(predictions=pred, references=gold)
print({k: round(v, 4) for k, v in via_evaluate.items() if k.startswith("overall")})

# %% check="1"
for key in ("overall_precision", "overall_recall", "overall_f1", "overall_accuracy"):
    assert via_evaluate[key] == rescored[key], key
for entity_type, type_scores in rescored["per_type"].items():
    assert via_evaluate[entity_type] == type_scores, entity_type

# %% [markdown] lang="en"
# ## 10. A demo page
#
# Gradio turns a model into a page where anyone can type a sentence: `gr.Blocks` lays out the page and
# `gr.HighlightedText` shows a text with spans `{"entity", "start", "end"}`, which the `Tagger`'s
# entities provide. The page calls the function below on every click.
# %% [markdown] lang="zh"
# ## 10. 演示页面
#
# Gradio 能把模型变成一个谁都能输入句子的页面：`gr.Blocks` 负责布局，`gr.HighlightedText` 显示一段文本及其中的片段（span）`{"entity", "start", "end"}`，这些正是 `Tagger` 的实体所提供的。页面每次点击都调用下面的函数。


# %%
def highlight(text):
    (sentence,) = tagger.tag_text(text)
    spans = [{"entity": e.type, "start": e.start, "end": e.end} for e in sentence.entities]
    return {"text": text, "entities": spans}


print(highlight("Angela Merkel visited Paris on Monday."))

# %% check="1"
demo_value = highlight("Angela Merkel visited Paris on Monday.")
(demo_sentence,) = tagger.tag_text(demo_value["text"])
assert [demo_value["text"][s["start"] : s["end"]] for s in demo_value["entities"]] == [
    e.text for e in demo_sentence.entities
]

# %%
try:
    import gradio as gr
except ImportError:  # the course's "demo" extra installs it
    gr = None
    print("Gradio is not installed: install the gradio package to build the page")

if gr is not None:
    with gr.Blocks(title="NER demo") as page:
        box = gr.Textbox(label="Text", value="Angela Merkel visited Paris on Monday.")
        button = gr.Button("Tag")
        shown = gr.HighlightedText(label="Entities")
        gr.Examples(["EU rejects German call to boycott British lamb.", "张三在北京工作。"], inputs=box)
        button.click(highlight, inputs=box, outputs=shown)

# %% [markdown] lang="en"
# The next cell serves the page once you set `SHOW_PAGE = True`. `python -m helpers demo --model
# runs/lesson4/model` serves a fuller one (scores, subtokens, examples, label set, messages for bad input).
#
# **On a Hub Space:** create a Gradio Space, add `app.py` (these cells, with
# `helpers.Tagger.from_pretrained("<you>/<model>")` for a model pushed as in lesson 6, ending in
# `page.launch()`) and a `requirements.txt` naming the course package; a push builds and serves it.
# %% [markdown] lang="zh"
# 设置 `SHOW_PAGE = True` 后，下一个单元格会启动这个页面。`python -m helpers demo --model runs/lesson4/model` 提供一个更完整的页面（分数、子词、示例、标签集，以及对错误输入的提示）。
#
# **放到 Hub Space 上：** 新建一个 Gradio Space，加入 `app.py`（即这几个单元格，用 `helpers.Tagger.from_pretrained("<you>/<model>")` 加载按第 6 课推送的模型，末尾调用 `page.launch()`）和写明课程包的 `requirements.txt`；推送后它会自动构建并提供页面。

# %% tags=["nbval-skip"]
SHOW_PAGE = False  # set to True to serve the page here

if SHOW_PAGE and gr is not None:
    page.launch()

# %% [markdown] lang="en"
# ## Summary
#
# - Read per-type scores with their support; the overall row is a micro average.
# - A confusion matrix of word labels shows type confusions and words lost to `O`, not boundary errors.
# - Span errors fall into five kinds; type and boundary errors cost twice; the kinds add up to the score.
# - For raw text prefer `aggregation_strategy="first"` (for text without spaces, only with a WordPiece
#   tokenizer) or `helpers.Tagger`: one tag per word, character offsets, windows instead of truncation.
# - `evaluate.load(helpers.metric_module_path())` gives the seqeval scores offline.
# - `gr.HighlightedText` shows the `Tagger`'s entities on a demo page; `python -m helpers demo` serves one.

# %% [markdown] lang="zh"
# ## 小结
#
# - 按类型读分数时要看支持数；overall 行是微平均。
# - 词标签的混淆矩阵显示类型混淆和被判为 `O` 的词，但显示不了边界错误。
# - 片段错误分为五类；类型错误和边界错误要付两次代价；各类之和正好对应分数。
# - 对原始文本，优先用 `aggregation_strategy="first"`（对没有空格的文本，仅限 WordPiece 分词器），或者用 `helpers.Tagger`：每个词一个标签、字符偏移、用窗口代替截断。
# - `evaluate.load(helpers.metric_module_path())` 离线给出 seqeval 分数。
# - `gr.HighlightedText` 在演示页面上显示 `Tagger` 的实体；`python -m helpers demo` 直接提供这样的页面。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

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
# The tagger above decodes with constraints, so its tags never break IOB2. Tagged word by word (`decoding="argmax"`, each word's best tag on its own, as `Trainer` scored), they can: the cell below tags the validation set that way. Post-process `argmax_pred` so that an `I-X` that does not continue an `X` span becomes `B-X`. Set `answer` to the repaired predictions and compare the F1 before and after.

# %% [markdown] lang="zh"
# ### 练习 2：修正孤立的 `I-` 标签
#
# 上面的标注器使用约束解码，它给出的标签不会违反 IOB2。逐词取最优标签（`decoding="argmax"`，每个词各自取得分最高的标签，和 `Trainer` 评分时一样）就可能违反：下面的单元格用这种方式标注验证集。对 `argmax_pred` 做后处理：凡是没有接续 `X` 片段的 `I-X` 都改成 `B-X`。把 `answer` 设为修正后的预测，并比较修正前后的 F1。

# %%
argmax_tagger = helpers.Tagger.from_pretrained(results["model_dir"], decoding="argmax")
argmax_pred = [s.tags for s in argmax_tagger.tag_words(val["tokens"])]
broken = invalid_sentences(argmax_pred, label_names)
print(f"{broken} of {len(argmax_pred)} validation sentences break IOB2 when tagged with argmax")

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, argmax_pred, gold)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: where does the model fail?
#
# Group the `missed` errors of `frame` by the length in words of the gold entity. Set `answer` to a dict `{length: count}`. Then do the same for the `spurious` ones by predicted type (not checked).

# %% [markdown] lang="zh"
# ### 练习 3：模型栽在哪里？
#
# 把 `frame` 中的 `missed` 错误按金标实体的词数分组。把 `answer` 设为字典 `{长度: 数量}`。然后把 `spurious` 错误按预测类型分组（不自动检查）。

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
# 在 `counts`（行是金标标签，列是预测标签，数值是词数）中，对角线之外哪个单元格最大？把 `answer` 设为它的 `(金标, 预测)` 对，例如 `("ORG", "LOC")`。

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
