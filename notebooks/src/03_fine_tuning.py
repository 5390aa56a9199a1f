# %% [markdown] lang="en"
# # Lesson 3 — Fine-tuning with `Trainer`
#
# In lesson 2 we turned words and their labels into subtokens and aligned labels. Now we train:
# a pre-trained encoder gets a new classification head and learns to tag every word of a
# sentence with one of CoNLL-2003's nine NER labels.
#
# **After this lesson you will be able to**
#
# - build a token-classification model with `AutoModelForTokenClassification.from_pretrained`, its
#   config carrying the label names (`id2label`), and explain why its classification head starts
#   from random weights;
# - batch sentences of different lengths with `DataCollatorForTokenClassification` (dynamic
#   padding, labels padded with -100);
# - write `TrainingArguments(...)` out for the course recipe and say what every setting does;
# - score a model at **word** level during training, and say why scoring subtokens is wrong;
# - build a `Trainer`, call `train()`, `evaluate()` and `predict()`, plot a learning curve, and turn
#   predictions into word-level scores yourself;
# - save the model in safetensors format and use it again through `pipeline(...)`;
# - check that `helpers.train` does the same job in one call.
#
# **Prerequisites:** lessons 1 and 2 (the dataset, tokenizers, `word_ids`, label alignment).
#
# **Time:** about 40 minutes of reading. The notebook trains twice: once step by step with `Trainer`,
# and once more in section 12 with `helpers.train`, to show that both give the same model. Each
# training is a few dozen steps in smoke mode, on a few hundred sentences (about 20 s per training on a
# lightly loaded 2-core CPU). Without smoke mode each one is the full recipe on all 14,041 training
# sentences: with the bundled all-MiniLM-L6-v2 that took about 3 minutes on the same CPU in the
# benchmark (`benchmarks/results/recipes.md`), so expect twice that for the notebook, and three to four
# times as much with the online default distilbert-base-uncased (4.0 times the parameters outside the
# embeddings). Use a GPU for full runs; section 8 prints an estimate for your machine.
# %% [markdown] lang="zh"
# # 第 3 课：用 `Trainer` 微调模型
#
# 第 2 课把词和词的标签变成了子词（subword）和对齐（alignment）后的标签。这一课开始训练：给预训练编码器接上一个新的分类头，让它学会给句子里的每个词打上 CoNLL-2003 九个命名实体识别（named-entity recognition，NER）标签中的一个。
#
# **学完本课，你将能够：**
#
# - 用 `AutoModelForTokenClassification.from_pretrained` 构建一个词元（token）分类模型，让它的配置里带着标签名（`id2label`），并解释为什么它的分类头是随机初始化的；
# - 用 `DataCollatorForTokenClassification` 把长短不一的句子组成批次（batch）：动态填充（padding），标签用 -100 填充；
# - 按课程配方（recipe）完整写出 `TrainingArguments(...)`，并说清每个设置的作用；
# - 在训练过程中按**词**评估模型，并说明为什么不能按子词打分；
# - 构建 `Trainer`，调用 `train()`、`evaluate()` 和 `predict()`，画出学习曲线，并亲手把预测变成按词计算的分数；
# - 以 safetensors 格式保存模型，再通过 `pipeline(...)` 加载使用；
# - 验证 `helpers.train` 一次调用就完成同样的工作。
#
# **预备知识：** 第 1、2 课（数据集、分词器（tokenizer）、`word_ids`、标签对齐）。
#
# **用时：** 阅读约 40 分钟。本 notebook 训练两次：一次用 `Trainer` 一步步来，第 12 节再用 `helpers.train` 训练一次，以证明两者得到同一个模型。冒烟模式下每次训练只在几百个句子上跑几十步（在负载较轻的 2 核 CPU 上每次约 20 秒）。不开冒烟模式时，每次都按完整配方在全部 14,041 个训练句子上训练：在基准测试中，自带的 all-MiniLM-L6-v2 在同样的 CPU 上用了约 3 分钟（见 `benchmarks/results/recipes.md`），所以整个 notebook 预计要两倍的时间；换成联网时的默认模型 distilbert-base-uncased（嵌入层以外的参数是前者的 4.0 倍），时间预计还要乘以三到四。完整训练请使用 GPU；第 8 节会根据实测速度估算在你的机器上需要多久。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package `helpers` from GitHub; anywhere else
# it does nothing. In Colab, choose a GPU runtime (*Runtime → Change runtime type*) before you
# run it: training is much faster there.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会从 GitHub 安装课程配套的 `helpers` 包；在其他环境里它什么也不做。在 Colab 中运行之前，请先选择 GPU 运行时（**代码执行程序 → 更改运行时类型**）：训练会快得多。

# %% colab_install="gpu"

# %%
import inspect
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from IPython.display import display
from safetensors import safe_open
from transformers import (
    AutoModelForTokenClassification,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
    pipeline,
    set_seed,
)
from transformers.utils import cached_file

import helpers
from helpers import analysis
from helpers import display as show
from helpers.training import SMOKE_MAX_STEPS

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set

# %% [markdown] lang="en"
# The next cell fixes the whole configuration of this run and prints it:
#
# - **data**: `helpers.load_conll2003()` takes a folder of CoNLL files (`TOKCLS_DATA_DIR`), else the
#   Hugging Face Hub, else a generated *synthetic* corpus that only imitates CoNLL-2003 (lesson 1).
#   If the printout says "synthetic", no score in this notebook says anything about CoNLL-2003.
# - **smoke mode** (`TOKCLS_SMOKE=1`): `helpers.smoke_subset` keeps the first few hundred sentences
#   of each split and we will train for a few dozen steps only. CI runs every lesson this way.
#   Without it, nothing is cut, and training runs for the recipe's epochs, or for `TOKCLS_EPOCHS`
#   if you set it (e.g. `TOKCLS_EPOCHS=1` for a full run that takes half as long).
# - **checkpoint**: `helpers.resolve_checkpoint()` picks `TOKCLS_MODEL` if you set it, else
#   `distilbert/distilbert-base-uncased` (Hub or local cache), else, offline, the small
#   all-MiniLM-L6-v2 bundled with the course. Both defaults are uncased BERT-style encoders with the
#   same WordPiece vocabulary.
# %% [markdown] lang="zh"
# 下一个单元格确定本次运行的全部配置并打印出来：
#
# - **数据**：`helpers.load_conll2003()` 优先读取 CoNLL 文件夹（`TOKCLS_DATA_DIR`），其次是 Hugging Face Hub，都不行时用一个生成的合成语料，它只是模仿 CoNLL-2003（见第 1 课）。如果输出里出现 “synthetic”，本 notebook 中的任何分数都不能代表 CoNLL-2003 上的表现。
# - **冒烟模式**（`TOKCLS_SMOKE=1`）：`helpers.smoke_subset` 只保留每个数据划分的前几百个句子，训练也只跑几十步。CI 就是这样运行每一课的。不开冒烟模式时，数据一条不少，训练轮数按配方来；设置了 `TOKCLS_EPOCHS` 时按它来（例如 `TOKCLS_EPOCHS=1`，完整训练的时间减半）。
# - **检查点（checkpoint）**：`helpers.resolve_checkpoint()` 优先用你设置的 `TOKCLS_MODEL`，其次是 `distilbert/distilbert-base-uncased`（来自 Hub 或本地缓存），离线时用课程自带的小模型 all-MiniLM-L6-v2。两个默认模型都是不区分大小写的 BERT 类编码器，词表是同一套 WordPiece。

# %%
SMOKE = helpers.smoke_mode()
full = helpers.load_conll2003()
ds = helpers.smoke_subset(full)
checkpoint = helpers.resolve_checkpoint()

print("data source:", helpers.data_source(ds))
print("checkpoint: ", checkpoint)
print("smoke mode: ", SMOKE)
print({split: len(d) for split, d in ds.items()})

# %% [markdown] lang="en"
# ## 1. A model that knows the label names
#
# The labels are stored as ids 0–8 in the dataset; their names live in the `ClassLabel` feature.
# %% [markdown] lang="zh"
# ## 1. 让模型知道标签名
#
# 数据集里的标签存的是编号 0–8，名字保存在 `ClassLabel` 特征里。

# %% tags=["nbval-check-output"]
label_names = helpers.label_names(ds, "ner_tags")
print(label_names)
assert label_names == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

# %% [markdown] lang="en"
# The model is built with `AutoModelForTokenClassification.from_pretrained`: the pre-trained
# encoder of the checkpoint plus a new classification layer with `num_labels=9` outputs. Just as
# important are `id2label` and `label2id`. These two maps are saved with the model's config.
# Without them the config would say `LABEL_0 … LABEL_8`, and every pipeline, every saved model and
# every colleague would have to guess what `LABEL_3` means. The cell checks that the model's map is
# exactly the dataset's label list. (`helpers.load_tokenizer`, seen in lesson 2, is
# `AutoTokenizer.from_pretrained` with two guards.)
#
# Loading prints a **load report** (look for `LOAD REPORT` in the output). Read it:
#
# | status | keys | meaning |
# |---|---|---|
# | `MISSING` | `classifier.weight`, `classifier.bias` | the model needs them but the checkpoint does not have them: they were **created with random values** |
# | `UNEXPECTED` | e.g. `pooler.dense.*` (depends on the checkpoint) | the checkpoint has them but a token classifier does not use them: they are dropped |
#
# Both are expected here and not errors.
#
# The cell calls `set_seed(42)` first. The head's random values are drawn at the moment the model
# is created, before `Trainer` exists (it seeds the random generators too, but only when it is
# built). Without this line two runs would start from different heads and end with different scores.
# %% [markdown] lang="zh"
# 模型用 `AutoModelForTokenClassification.from_pretrained` 构建：检查点里预训练好的编码器，加上一个有 `num_labels=9` 个输出的新分类层。同样重要的是 `id2label` 和 `label2id`。这两张映射表随模型配置一起保存。没有它们，配置里只会写着 `LABEL_0 … LABEL_8`，之后每个 pipeline、每个保存下来的模型、每位同事都得去猜 `LABEL_3` 是什么意思。下面的单元格会检查模型的映射与数据集的标签列表完全一致。（第 2 课见过的 `helpers.load_tokenizer` 就是加了两道保护的 `AutoTokenizer.from_pretrained`。）
#
# 加载时会打印一份**加载报告**（在输出里找 `LOAD REPORT`）。它的含义是：
#
# | 状态 | 参数名 | 含义 |
# |---|---|---|
# | `MISSING` | `classifier.weight`、`classifier.bias` | 模型需要、检查点里却没有：它们是**用随机值新建的** |
# | `UNEXPECTED` | 例如 `pooler.dense.*`（取决于检查点） | 检查点里有、词元分类模型却用不到：直接丢弃 |
#
# 这两种情况在这里都在意料之中，并不是错误。
#
# 这个单元格先调用了 `set_seed(42)`。分类头的随机值是在创建模型的那一刻抽取的，那时 `Trainer` 还不存在（它也会设置随机种子，但要等它被创建时才设置）。少了这一行，两次运行会从不同的分类头出发，最后得到不同的分数。

# %%
tokenizer = helpers.load_tokenizer(checkpoint)
id2label = dict(enumerate(label_names))
label2id = {name: i for i, name in id2label.items()}

set_seed(42)
model = AutoModelForTokenClassification.from_pretrained(
    checkpoint, num_labels=len(label_names), id2label=id2label, label2id=label2id
)

print(model.config.id2label)
assert model.config.id2label == dict(enumerate(label_names))
assert model.config.label2id == {name: i for i, name in enumerate(label_names)}

# %% [markdown] lang="en"
# The later lessons build their models with `helpers.load_model(checkpoint, label_names)`. Here is
# its source: the same call, plus a clear error when a checkpoint already has a classification head
# for another number of labels, and `use_safetensors=True` (weights are never loaded from pickle
# files). The cell checks that, from the same seed, it draws exactly the same head.
# %% [markdown] lang="zh"
# 后面几课用 `helpers.load_model(checkpoint, label_names)` 构建模型。下面是它的源代码：同样的调用，另外在检查点已经带有一个标签数不同的分类头时给出清楚的报错，并且传入 `use_safetensors=True`（绝不从 pickle 文件加载权重）。下面的单元格检查：从同一个随机种子出发，它抽出的分类头完全相同。

# %%
print(inspect.getsource(helpers.load_model))
set_seed(42)
same = helpers.load_model(checkpoint, label_names)
assert torch.equal(same.classifier.weight, model.classifier.weight)
assert same.config.id2label == model.config.id2label
del same

# %% [markdown] lang="en"
# ### Why the head is new
#
# The checkpoint was pre-trained as a language model: it knows how to turn subtokens into
# context-aware vectors (hidden size 384 for MiniLM, 768 for DistilBERT), but it has never seen
# our nine labels. A token classifier adds one linear layer, the **head**, that maps each vector
# to nine scores. We can verify the load report ourselves: open the checkpoint's weight file and
# look for any `classifier` weight. There is none, so the head's 9 × hidden weights are random
# until training. This is why the model must be fine-tuned before its predictions mean anything,
# and why the first steps of training mostly teach the head.
# %% [markdown] lang="zh"
# ### 为什么分类头是新的
#
# 这个检查点是作为语言模型预训练的：它会把子词变成结合上下文的向量（MiniLM 的隐藏维度是 384，DistilBERT 是 768），但从没见过我们的九个标签。词元分类模型在编码器之上加了一个线性层，即**分类头**，把每个向量映射成九个分数。我们可以亲自验证加载报告：打开检查点的权重文件，找找有没有 `classifier` 开头的权重。一个也没有，所以分类头那 9 × 隐藏维度 个权重在训练之前都是随机的。这就是模型必须先微调（fine-tuning）、预测才有意义的原因，也是训练最初几步主要在“教”分类头的原因。

# %%
weights_file = cached_file(checkpoint, "model.safetensors")
with safe_open(weights_file, framework="pt") as f:
    stored_keys = list(f.keys())
head = {name: tuple(p.shape) for name, p in model.named_parameters() if name.startswith("classifier")}

print("tensors in the checkpoint file:", len(stored_keys))
print("classifier tensors in the file:", [k for k in stored_keys if "classifier" in k])
print("new head:", head)
assert not any("classifier" in k for k in stored_keys)
assert head["classifier.weight"] == (len(label_names), model.config.hidden_size)

# %% [markdown] lang="en"
# ## 2. Tokenize and align every split
#
# Lesson 2 built this step by hand and showed that `helpers.tokenize_dataset` gives the same
# result; here it tokenizes all splits with `Dataset.map`. Each sentence gets `input_ids`,
# `attention_mask` (and `token_type_ids` for BERT models), `labels` aligned to subtokens, and two
# columns kept for word-level scoring: the gold word labels `ner_tags` and the `word_ids` of every
# subtoken. Only the training split follows the recipe's `label_all_tokens`; the validation and test
# splits always label the first subtoken of each word and give -100 to every other position, so
# their `labels` mark exactly the words that are scored.
# %% [markdown] lang="zh"
# ## 2. 对每个数据划分分词并对齐
#
# 第 2 课手工完成了这一步，并验证了 `helpers.tokenize_dataset` 得到的结果完全相同；这里用它借助 `Dataset.map` 处理所有数据划分。每个句子得到 `input_ids`、`attention_mask`（BERT 类模型还有 `token_type_ids`）、对齐到子词的 `labels`，以及为按词评估保留的两列：词级别的标准答案 `ner_tags`，和每个子词的 `word_ids`。只有训练集遵循配方中的 `label_all_tokens`；验证集和测试集总是只给每个词的第一个子词打标签，其他位置一律为 -100，所以它们的 `labels` 恰好标出了要评分的那些词。

# %%
tokenized = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", helpers.COURSE_RECIPE)
columns = tokenized["train"].column_names
print(columns)
assert {"input_ids", "attention_mask", "labels", "word_ids", "ner_tags"} <= set(columns)

# %% [markdown] lang="en"
# ## 3. Batches: `DataCollatorForTokenClassification` and dynamic padding
#
# Sentences have different lengths, but a batch is one rectangular tensor. The **data collator**
# pads each batch, when it is formed, to the length of *its* longest sentence (dynamic padding),
# instead of padding the whole dataset to one global length. Short batches stay short, which saves
# a lot of computation. For token classification the collator also pads `labels`, and it pads
# them with **-100**, the value the loss ignores, so padding positions never count as "O".
#
# Below we collate two sentences of different lengths. Look at the shapes (both rows now have the
# longer length), the `attention_mask` (0 on padding) and the end of the shorter row's `labels`.
# The two word-level columns are left out: the model does not take them, and `Trainer` drops
# such columns itself before collating.
# %% [markdown] lang="zh"
# ## 3. 组批：`DataCollatorForTokenClassification` 与动态填充
#
# 句子长短不一，而一个批次必须是一个规整的矩形张量。**数据整理器（data collator）**在组成每个批次时，只把句子填充到**这个批次**里最长句子的长度（动态填充），而不是把整个数据集填充到同一个全局长度。短句组成的批次依旧很短，能省下大量计算。对词元分类，整理器还会填充 `labels`，而且用 **-100** 填充：损失函数会忽略这个值，所以填充位置永远不会被当成 “O” 来计分。
#
# 下面把两个长度不同的句子整理成一个批次。请看：形状（两行都变成了较长的长度）、`attention_mask`（填充位置为 0），以及较短那一行 `labels` 的末尾。两列词级别的数据没有放进去：模型不接收它们，`Trainer` 在组批之前也会自动删掉这类列。

# %%
collator = DataCollatorForTokenClassification(tokenizer)
model_columns = [c for c in tokenized["train"].column_names if c not in ("ner_tags", "word_ids")]
lengths = [len(ids) for ids in tokenized["train"]["input_ids"][:20]]
first = 0
second = next(i for i, n in enumerate(lengths) if n != lengths[first])
features = [{c: tokenized["train"][i][c] for c in model_columns} for i in (first, second)]
batch = collator(features)

print("lengths before padding:", [lengths[first], lengths[second]])
for name, tensor in batch.items():
    print(f"{name:15} {tuple(tensor.shape)}")
short_row = 0 if lengths[first] < lengths[second] else 1
short_len = min(lengths[first], lengths[second])
print("labels of the shorter row:", batch["labels"][short_row].tolist())

assert collator.label_pad_token_id == -100
assert batch["input_ids"].shape == (2, max(lengths[first], lengths[second]))
assert (batch["labels"][short_row, short_len:] == -100).all()
assert (batch["attention_mask"][short_row, short_len:] == 0).all()

# %% [markdown] lang="en"
# ## 4. `TrainingArguments`, one by one
#
# `TrainingArguments` holds every setting of a training run. We write it out in full, with the
# values of the course recipe, `helpers.COURSE_RECIPE`: a small frozen dataclass whose fields
# (`learning_rate`, `batch_size`, `epochs`, ...) were chosen by measurement against the settings of
# the classic Hugging Face notebook, `helpers.CLASSIC_RECIPE` (lower learning rate, three epochs,
# continuation subtokens labelled, fp32). The measured comparison is in
# `benchmarks/results/recipes.md` and in the README's section "Results: classic recipe vs course
# recipe".
#
# That measurement was made on the offline checkpoint, a 6-layer, 384-wide MiniLM, and a learning rate
# that suits a small encoder is too high for a larger one. So the cell asks
# `helpers.recipe_for(helpers.COURSE_RECIPE, model.config)`: for an encoder of hidden size 768 or more
# (DistilBERT, BERT-base: the online default) it returns `helpers.BASE_RECIPE`, which keeps the course
# settings but takes learning rate 5e-5 and 3 epochs, the top of the fine-tuning range the BERT paper
# recommends (learning rate 2e-5 to 5e-5, 2 to 4 epochs). That choice is taken from published evidence,
# not measured here; on a GPU, `python -m benchmarks.recipes --model <checkpoint>` measures it for any
# checkpoint.
#
# In smoke mode we stop after `SMOKE_MAX_STEPS` optimisation steps and evaluate every 10 steps, so
# the learning curve has a few points. With so few steps, warm-up and decay keep the learning rate
# far below its peak most of the time, and at the recipe's rate the model is still predicting "O"
# for every word when the run ends. So, **in smoke mode only**, we triple the learning rate
# (`helpers.training.with_overrides`); never copy that into a real run. We also pass
# `save_strategy="no"`: a long run would write a checkpoint (model + optimizer state) now and then so
# that it can be resumed, which is wasted disk time in a short demo; we save the final model
# ourselves in section 11. The table below the cell says what each argument does.
# %% [markdown] lang="zh"
# ## 4. 逐项理解 `TrainingArguments`
#
# `TrainingArguments` 保存一次训练的全部设置。我们把它完整地写出来，取值来自课程配方 `helpers.COURSE_RECIPE`：这是一个小小的不可变 dataclass，它的字段（`learning_rate`、`batch_size`、`epochs` 等）是与 Hugging Face 经典 notebook 的设置 `helpers.CLASSIC_RECIPE`（学习率更低、训练三轮、后续子词也打标签、fp32）对比实测后选定的。实测对比见 `benchmarks/results/recipes.md`，以及 README 中 “Results: classic recipe vs course recipe” 一节（中文 README 的“结果：经典配方与本课程配方对比”）。
#
# 不过这次测量用的是离线检查点，一个 6 层、隐藏维度 384 的 MiniLM；适合小编码器的学习率，对大模型来说太高了。所以单元格里调用的是 `helpers.recipe_for(helpers.COURSE_RECIPE, model.config)`：对隐藏维度不小于 768 的编码器（DistilBERT、BERT-base，也就是联网时的默认模型），它返回 `helpers.BASE_RECIPE`，其余设置与课程配方相同，只把学习率改为 5e-5、训练 3 轮，取的是 BERT 论文推荐的微调范围（学习率 2e-5 到 5e-5，2 到 4 轮）的上端。这个选择依据的是已发表的结果，并没有在这里实测；有 GPU 的话，可以用 `python -m benchmarks.recipes --model <检查点>` 对任意检查点实测。
#
# 冒烟模式下，我们在 `SMOKE_MAX_STEPS` 个优化步后停止，并且每 10 步评估一次，让学习曲线有几个点可画。步数这么少，预热和衰减让学习率在大部分时间里都远低于峰值；按配方的学习率，训练结束时模型仍然把每个词都预测成 “O”。所以**仅在冒烟模式下**，我们把学习率调成三倍（`helpers.training.with_overrides`）；真正训练时千万别照搬。我们还传入了 `save_strategy="no"`：长时间的训练会不时写一个检查点（模型加优化器状态），以便断点续训；在短小的演示里这纯属浪费磁盘时间。最终模型我们会在第 11 节自己保存。单元格下面的表格说明每个参数的作用。

# %%
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, model.config)  # BASE_RECIPE for 768-wide encoders
if SMOKE:
    recipe = helpers.training.with_overrides(recipe, learning_rate=3 * recipe.learning_rate)
eval_steps = 10 if SMOKE else 200
precision = helpers.precision.resolve_precision(recipe.precision)  # "bf16", "fp16" or "fp32" here

args = TrainingArguments(
    output_dir="runs/lesson3/checkpoints",
    learning_rate=recipe.learning_rate,
    per_device_train_batch_size=recipe.batch_size,
    per_device_eval_batch_size=recipe.eval_batch_size,
    num_train_epochs=helpers.training.env_epochs(recipe.epochs),  # TOKCLS_EPOCHS, else the recipe's
    max_steps=SMOKE_MAX_STEPS if SMOKE else -1,
    weight_decay=recipe.weight_decay,
    bf16=precision == "bf16",
    fp16=precision == "fp16",
    use_cpu=precision == "bf16" and not torch.cuda.is_available(),
    warmup_steps=recipe.warmup_ratio,
    lr_scheduler_type=recipe.lr_scheduler,
    train_sampling_strategy="group_by_length",
    eval_strategy="steps",
    eval_steps=eval_steps,
    save_strategy="no",
    logging_strategy="steps",
    logging_steps=min(50, eval_steps),
    seed=42,
    data_seed=42,
    report_to="none",
)
shown = [
    "learning_rate",
    "per_device_train_batch_size",
    "per_device_eval_batch_size",
    "num_train_epochs",
    "max_steps",
    "weight_decay",
    "bf16",
    "fp16",
    "use_cpu",
    "warmup_steps",
    "lr_scheduler_type",
    "train_sampling_strategy",
    "eval_strategy",
    "eval_steps",
    "save_strategy",
    "logging_strategy",
    "logging_steps",
    "seed",
    "data_seed",
    "report_to",
]
values = [getattr(args, name) for name in shown]
values = [f"{v:g}" if isinstance(v, float) else str(getattr(v, "value", v)) for v in values]
display(pd.DataFrame({"value": values}, index=pd.Index(shown, name="argument")))

assert args.learning_rate == recipe.learning_rate and args.warmup_steps == recipe.warmup_ratio < 1
assert args.eval_strategy == "steps" and args.eval_steps == eval_steps

# %% [markdown] lang="en"
# | argument | why |
# |---|---|
# | `learning_rate` | step size of AdamW. The new head starts random and the encoder must adapt, so fine-tuning uses small rates; the course recipe's rate was chosen by measurement (`benchmarks/`), and smoke mode triples it (see above) |
# | `per_device_train_batch_size` | sentences per optimisation step (per GPU). Larger batches give smoother gradients and bigger matrix products, which GPUs and CPUs run more efficiently; smaller ones fit in less memory. The course uses 32: on a 2-core CPU it trained roughly 1.5 to 1.8 times as many tokens per second as 16, for a slightly lower F1 (`benchmarks/results/recipes.md` and `recipes_bs16.md`) |
# | `per_device_eval_batch_size` | evaluation needs no gradients, so it can use bigger batches |
# | `num_train_epochs` | passes over the training set. A few epochs are enough: the encoder is pre-trained |
# | `max_steps` | if positive, stops after this many steps and overrides the epochs (used in smoke mode; -1 means "use the epochs") |
# | `weight_decay` | mild regularisation of the weights (AdamW's decoupled decay) |
# | `bf16` / `fp16` / `use_cpu` | mixed precision, from the recipe's `precision="auto"`, which `helpers.precision.resolve_precision` turns into what this machine runs well: bf16 where the hardware computes it natively and fast (GPUs of compute capability 8.0 or more, CPUs with AMX or AVX512-BF16), fp16 on other GPUs, else plain fp32. Matrix products then run in 16 bits while the weights stay in fp32: faster, less memory, same quality for fine-tuning. On a CPU, `use_cpu=True` is what lets transformers autocast to bf16. The values printed above depend on your machine |
# | `warmup_steps` | the learning rate rises linearly from 0 during the first steps, so the random head does not push large, noisy gradients into the pre-trained encoder. A value below 1 is a fraction of all steps; this reading came with transformers 5, which then removed the old `warmup_ratio` |
# | `lr_scheduler_type` | after warm-up the rate decays linearly to 0 at the last step |
# | `train_sampling_strategy` | `"group_by_length"` puts sentences of similar length in the same batch, so dynamic padding adds little padding: faster, same result in expectation. It replaced `group_by_length=True` during transformers 5. Note that transformers also applies it to *evaluation* and *prediction* batches: their rows come back reordered by length, not in the dataset's order (section 10 shows what that means) |
# | `eval_strategy` / `eval_steps` | when to evaluate: every `eval_steps` steps here (`"epoch"` would evaluate after each epoch). `eval_strategy` is not new in transformers 5: it replaced `evaluation_strategy` in 4.41 (2024), and transformers 5 no longer accepts the old name |
# | `save_strategy` | when to write checkpoints; `"no"` in this lesson, see above |
# | `logging_strategy` / `logging_steps` | how often the training loss is logged; this feeds the learning curve |
# | `seed` | `Trainer` seeds Python, NumPy and PyTorch with it **when it is created**: dropout and everything else drawn after that point is repeatable. The head was drawn before, when the model was created, which is why section 1 calls `set_seed(42)` itself |
# | `data_seed` | seeds the sampler that orders the training batches, so the batches come in the same order in every run |
# | `report_to` | `"none"` (stored as an empty list): no logging service (TensorBoard, W&B, ...) is contacted |
#
# `helpers.build_training_args(output_dir, recipe, ...)` writes this same call for the later
# lessons. The next cell checks that it gives the same value for every argument above.
# %% [markdown] lang="zh"
# | 参数 | 为什么 |
# |---|---|
# | `learning_rate` | AdamW 的步长。新分类头是随机的，编码器也要随之调整，所以微调使用较小的学习率；课程配方的学习率是实测选定的（见 `benchmarks/`），冒烟模式下再乘以 3（见上文） |
# | `per_device_train_batch_size` | 每个优化步（每块 GPU）用多少个句子。批次越大，梯度越平稳，矩阵乘法也越大，GPU 和 CPU 都算得更有效率；批次越小，越省内存。课程配方用 32：在 2 核 CPU 上，它每秒训练的词元数约为 16 时的 1.5 到 1.8 倍，F1 略低一点（见 `benchmarks/results/recipes.md` 和 `recipes_bs16.md`） |
# | `per_device_eval_batch_size` | 评估不需要梯度，因此可以用更大的批次 |
# | `num_train_epochs` | 把训练集完整过几遍。编码器已经预训练过，几轮就够了 |
# | `max_steps` | 大于 0 时，训练到这么多步就停止，并覆盖轮次设置（冒烟模式使用；-1 表示按轮次训练） |
# | `weight_decay` | 对权重做轻度正则化（AdamW 的解耦权重衰减） |
# | `bf16` / `fp16` / `use_cpu` | 混合精度，来自配方的 `precision="auto"`，由 `helpers.precision.resolve_precision` 换算成这台机器上合适的精度：硬件原生且高效支持 bf16 时用 bf16（计算能力 8.0 及以上的 GPU，以及支持 AMX 或 AVX512-BF16 的 CPU），其他 GPU 上用 fp16，否则用普通的 fp32。此时矩阵乘法以 16 位计算，权重仍保存为 fp32：更快、更省内存，对微调的效果没有影响。在 CPU 上，要设置 `use_cpu=True`，transformers 才会自动转为 bf16 计算。上面打印的值取决于你的机器 |
# | `warmup_steps` | 最初若干步里学习率从 0 线性升高，免得随机初始化的分类头把又大又嘈杂的梯度灌进预训练好的编码器。小于 1 的值表示占总步数的比例；这种用法是 transformers 5 引入的，随后旧参数 `warmup_ratio` 被移除 |
# | `lr_scheduler_type` | 预热结束后，学习率线性衰减，到最后一步降为 0 |
# | `train_sampling_strategy` | `"group_by_length"` 把长度相近的句子放进同一批次，动态填充几乎不用补位：更快，期望结果不变。它是在 transformers 5 系列中取代 `group_by_length=True` 的。注意 transformers 对**评估**和**预测**的批次也这样做：返回的各行按长度重排过，不再是数据集原来的顺序（第 10 节会说明这意味着什么） |
# | `eval_strategy` / `eval_steps` | 何时评估：这里每 `eval_steps` 步一次（设为 `"epoch"` 则每轮结束时评估）。`eval_strategy` 并不是 transformers 5 的新名字：它在 4.41（2024 年）取代了 `evaluation_strategy`，transformers 5 已不再接受旧名 |
# | `save_strategy` | 何时写检查点；本课设为 `"no"`，原因见上文 |
# | `logging_strategy` / `logging_steps` | 每隔多少步记录一次训练损失；学习曲线就来自这些记录 |
# | `seed` | `Trainer` 在**被创建时**用它给 Python、NumPy 和 PyTorch 设置随机种子：dropout 以及此后抽取的一切随机数都可以复现。分类头是在更早创建模型时抽取的，所以第 1 节要自己调用 `set_seed(42)` |
# | `data_seed` | 给决定训练批次顺序的采样器设置种子，每次运行批次的顺序都一样 |
# | `report_to` | `"none"`（存为空列表）：不连接任何日志服务（TensorBoard、W&B 等） |
#
# 后面几课用 `helpers.build_training_args(output_dir, recipe, ...)` 写出同样的调用。下一个单元格检查它给上面每个参数的值都相同。

# %%
same_args = helpers.build_training_args(
    "runs/lesson3/checkpoints",
    recipe,
    seed=42,
    max_steps=SMOKE_MAX_STEPS if SMOKE else None,
    eval_steps=eval_steps,
    save_strategy="no",
)
differ = [name for name in shown if getattr(same_args, name) != getattr(args, name)]
print("arguments that differ:", differ)
assert not differ

# %% [markdown] lang="en"
# ## 5. Scoring words, not subtokens
#
# CoNLL-2003 results are defined per **word**: the conlleval script reads one tag per word and
# counts an entity as correct only when its type and both boundaries match. The model, however,
# predicts one tag per **subtoken**. The bridge is the rule of lesson 2: keep the prediction of each
# word's first subtoken (`helpers.words_to_predictions`) and score the word tags with seqeval in
# conlleval mode (`helpers.span_scores`).
#
# Scoring subtokens directly looks simpler but measures something else. The tiny example below
# takes a *perfect* model: its tag for every word is right. At word level it scores 1.0. Scored
# per subtoken against the labels the classic notebook produced (every subtoken copies its word's
# label, `B-` included), the same model loses points: a word split into two pieces, like *Nadim*
# below, becomes `B-PER B-PER`, which is two entities in the gold, while the perfect prediction
# `B-PER I-PER` is one. The subtoken score also depends on the tokenizer, so two models with
# different vocabularies could not even be compared.
# %% [markdown] lang="zh"
# ## 5. 按词打分，而不是按子词
#
# CoNLL-2003 的结果是按**词**定义的：conlleval 脚本每个词读一个标签，只有类型和左右边界都对上，一个实体才算正确。可模型是给每个**子词**做预测。桥梁就是第 2 课的规则：只取每个词第一个子词的预测（`helpers.words_to_predictions`），再用 conlleval 模式的 seqeval（`helpers.span_scores`）给词标签打分。
#
# 直接按子词打分看似简单，量出来的却是另一回事。下面的小例子假设有一个**完美**的模型：每个词的标签都对。按词打分，它得 1.0。若按子词打分、并以经典 notebook 生成的标签为标准答案（每个子词照抄所在词的标签，`B-` 也照抄），同一个模型就会丢分：一个被切成两段的词（例如下面的 *Nadim*）变成 `B-PER B-PER`，在标准答案里算作两个实体，而完美的预测 `B-PER I-PER` 只算一个。此外，子词分数还取决于分词器，词表不同的两个模型根本无法比较。

# %%
words = ["Nadim", "Ladki", "visited", "Reykjavik"]
word_tags = ["B-PER", "I-PER", "O", "B-LOC"]
word_label_ids = [label_names.index(t) for t in word_tags]
encoding = tokenizer(words, is_split_into_words=True)
word_ids = encoding.word_ids()

classic_gold = helpers.align_labels(word_ids, word_label_ids, label_all_tokens=True)  # B- copied
perfect_pred = helpers.align_labels(
    word_ids, word_label_ids, label_all_tokens=True, b_to_i=helpers.b_to_i_map(label_names)
)
inside = [i for i, w in enumerate(word_ids) if w is not None]
frame = pd.DataFrame(
    {
        "subtoken": [tokenizer.convert_ids_to_tokens(encoding["input_ids"][i]) for i in inside],
        "word": [word_ids[i] for i in inside],
        "classic gold": [label_names[classic_gold[i]] for i in inside],
        "perfect prediction": [label_names[perfect_pred[i]] for i in inside],
    }
)
display(frame)

word_pred = helpers.words_to_predictions(perfect_pred, word_ids, len(words))
by_word = helpers.span_scores([word_tags], [[label_names[i] for i in word_pred]])
by_subtoken = helpers.span_scores([frame["classic gold"].tolist()], [frame["perfect prediction"].tolist()])
print(f"word-level F1:     {by_word['overall_f1']:.3f}")
print(f"subtoken-level F1: {by_subtoken['overall_f1']:.3f}")
assert by_word["overall_f1"] == 1.0
assert by_subtoken["overall_f1"] < 1.0

# %% [markdown] lang="en"
# During training, `Trainer` calls a `compute_metrics(eval_pred)` function after each evaluation.
# It receives the predictions (`eval_pred.predictions`, logits) and the labels
# (`eval_pred.label_ids`) of every evaluation row, padded to one length, and returns a dict of
# numbers, which `Trainer` logs with an `eval_` prefix. `helpers.make_compute_metrics(label_names)`
# builds the word-level one, shown below. It reads the words of each row from the row's own labels:
# in the validation split only the first subtoken of each word carries a label, so the positions
# whose label is not -100 are exactly the words, and comparing argmax predictions with the labels
# there is the first-subtoken rule. A row that describes itself this way can come in any order,
# which matters because, with `group_by_length`, `Trainer` reorders evaluation rows by length. (A
# word cut off by truncation has no position left in its row, so this function cannot see it;
# `helpers.evaluate_split`, in section 10, works from the words and never loses one.)
# %% [markdown] lang="zh"
# 训练过程中，`Trainer` 每次评估之后都会调用一个 `compute_metrics(eval_pred)` 函数。它拿到每个评估行的预测（`eval_pred.predictions`，即 logits）和标签（`eval_pred.label_ids`），都已填充到同一长度；它返回一个由数字组成的字典，`Trainer` 记录时给每个名字加上 `eval_` 前缀。`helpers.make_compute_metrics(label_names)` 构建按词计分的版本，源代码如下。它从每一行自己的标签中读出这一行的词：验证集里只有每个词的第一个子词带标签，所以标签不为 -100 的位置恰好就是那些词，在这些位置上比较 argmax 预测与标签，正是“取首个子词”的规则。像这样自己说明自己的行，以任何顺序到来都没关系；这一点很重要，因为开启 `group_by_length` 后，`Trainer` 会按长度重排评估行。（被截断的词在它所在的行里已经没有位置，这个函数看不到它；第 10 节的 `helpers.evaluate_split` 从词出发，一个词也不会丢。）

# %%
print(inspect.getsource(helpers.make_compute_metrics))
compute_metrics = helpers.make_compute_metrics(label_names)

# %% [markdown] lang="en"
# ## 6. The `Trainer`
#
# `Trainer` wires everything together: the model, the arguments, the training and validation
# splits, the data collator, the tokenizer as **`processing_class=`** (it is saved next to the
# model; `processing_class` replaced the old `tokenizer=` argument in transformers 4.46 (2024), and
# transformers 5 removed `tokenizer=`), and our `compute_metrics`.
# %% [markdown] lang="zh"
# ## 6. `Trainer`
#
# `Trainer` 把所有部件连在一起：模型、训练参数、训练集和验证集、数据整理器、作为 **`processing_class=`** 传入的分词器（保存模型时它会一并保存；`processing_class` 在 transformers 4.46（2024 年）中取代了旧参数 `tokenizer=`，transformers 5 删除了 `tokenizer=`），以及我们的 `compute_metrics`。

# %%
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["validation"],
    data_collator=collator,
    processing_class=tokenizer,
    compute_metrics=compute_metrics,
)
print(
    f"{type(trainer).__name__}: {len(trainer.train_dataset)} training rows, {len(trainer.eval_dataset)} for evaluation"
)

# %% [markdown] lang="en"
# ## 7. Train
#
# `trainer.train()` runs the loop: batches from the collator, forward pass, loss (cross-entropy
# over the positions whose label is not -100), backward pass, an AdamW step, the scheduler's new
# learning rate, and an evaluation every `eval_steps` steps. The table that updates while it runs
# shows the training loss and the validation scores.
#
# In smoke mode this is a tiny run on a few hundred sentences: expect a falling loss and a low F1,
# far from what a full run reaches, since the model has only just started to learn. The numbers
# come from this run and vary with the data and the checkpoint. The progress bar ends with
# "Epoch a/b". In a full run b is the number of epochs of the recipe. In smoke mode `max_steps`
# decides instead: `Trainer` plans as many passes over the smoke subset as those steps need, which is
# b, and a is the number of passes completed, so a smoke run of a 2-epoch recipe may well end at
# "Epoch 2/3". The cell prints the exact figures of this run.
#
# A tip for CPUs: PyTorch runs one worker thread per core, and the threads wait for each other at
# every operation. If other programs keep the cores busy, training can become several times slower
# than it should be. Starting Jupyter with `OMP_NUM_THREADS=1` then often helps.
# %% [markdown] lang="zh"
# ## 7. 训练
#
# `trainer.train()` 执行训练循环：由整理器组批、前向计算、损失（只在标签不为 -100 的位置上计算交叉熵）、反向传播、AdamW 更新一步、调度器给出新的学习率，并且每 `eval_steps` 步评估一次。运行时不断刷新的表格显示训练损失和验证集上的分数。
#
# 冒烟模式下，这只是在几百个句子上的一次迷你训练：损失会下降，F1 却很低，离完整训练的水平差得远，因为模型才刚开始学习。这些数字来自本次运行，会随数据和检查点而变化。进度条最后显示 “Epoch a/b”。完整训练时，b 就是配方的轮数。冒烟模式下则由 `max_steps` 决定：`Trainer` 计划在冒烟子集上过足够多遍来跑完这些步，这个遍数就是 b，而 a 是已经完成的遍数，所以配方写的是 2 轮，冒烟训练结束时却很可能显示 “Epoch 2/3”。下面的单元格打印本次运行的确切数字。
#
# 关于 CPU 的一个提示：PyTorch 为每个核心开一个工作线程，每做一步运算，线程之间都要互相等待。如果其他程序占着这些核心，训练可能比正常情况慢好几倍。这时用 `OMP_NUM_THREADS=1` 启动 Jupyter 往往会有帮助。

# %%
train_output = trainer.train()
steps = trainer.state.global_step
seconds = train_output.metrics["train_runtime"]
print(f"{steps} steps in {seconds:.0f} s ({seconds / steps:.2f} s per step, evaluations included)")
print(f"epochs: {trainer.state.epoch:.2f} completed of the {trainer.state.num_train_epochs} planned")

# %% [markdown] lang="en"
# ## 8. How long would a full run take here?
#
# From the speed just measured we can estimate a full run of the recipe on *this* machine. It is a
# rough figure (evaluation time is mixed in, the full corpus's sentences differ in length from the
# smoke subset's, and other programs running on the machine slow it down), but it tells you whether
# a full run here is a matter of minutes or of hours. A GPU runtime makes it much shorter.
# %% [markdown] lang="zh"
# ## 8. 在这台机器上完整训练要多久？
#
# 根据刚测得的速度，可以估算在**这台**机器上按配方完整训练一遍要多久。这只是粗略估计（其中混入了评估时间，完整语料的句子长度分布和冒烟子集不同，机器上同时运行的其他程序也会拖慢速度），但足以告诉你：在这里完整训练一遍，是几分钟的事，还是几个小时的事。换成 GPU 运行时会快得多。

# %%
n_train, epochs = len(full["train"]), args.num_train_epochs  # the recipe's, or TOKCLS_EPOCHS
full_steps = math.ceil(n_train / args.per_device_train_batch_size) * epochs
print(f"full run: {n_train} sentences x {epochs:g} epochs = {full_steps:.0f} steps")
print(f"estimated at this run's speed: about {full_steps * seconds / steps / 60:.0f} minutes")

# %% [markdown] lang="en"
# ## 9. The learning curve
#
# `trainer.state.log_history` is a list of dicts: one per logged training step (`loss`,
# `learning_rate`, ...) and one per evaluation (`eval_loss`, `eval_overall_f1`, per-type scores).
# `helpers.analysis.log_history_frame` merges them into one row per step, and
# `plot_learning_curve` draws the training loss (left axis) and the validation F1 (right axis).
#
# How to read it: the loss should fall; F1 usually stays near 0 for a while (the model first learns
# that most words are "O") and then climbs as entities are found. If the training loss keeps
# falling while validation F1 drops, the model is overfitting; if both are flat, the learning rate
# is probably too small.
# %% [markdown] lang="zh"
# ## 9. 学习曲线
#
# `trainer.state.log_history` 是一个字典列表：每个记录训练的步一条（`loss`、`learning_rate` 等），每次评估一条（`eval_loss`、`eval_overall_f1`、各类型的分数）。`helpers.analysis.log_history_frame` 把它们合并成每步一行，`plot_learning_curve` 画出训练损失（左轴）和验证集 F1（右轴）。
#
# 怎么看：损失应当下降；F1 通常会先在 0 附近停留一段时间（模型先学到大多数词是 “O”），然后随着实体被找出来而上升。如果训练损失一直下降而验证集 F1 反而下滑，说明过拟合了；如果两条线都是平的，多半是学习率太小。

# %%
history = analysis.log_history_frame(trainer.state.log_history)
display(history[["epoch", "loss", "learning_rate", "eval_loss", "eval_overall_f1"]].round(4))
analysis.plot_learning_curve(history, title=f"Lesson 3: {steps} steps")
plt.show()

evaluated_at = set(history["eval_overall_f1"].dropna().index)
assert set(range(eval_steps, steps + 1, eval_steps)) <= evaluated_at, evaluated_at

# %% [markdown] lang="en"
# ## 10. Evaluate on validation and test with `Trainer`
#
# `trainer.evaluate()` runs one more evaluation of the validation split, with our
# `compute_metrics`, and returns its numbers (`eval_overall_f1`, `eval_PER_f1`, ...).
#
# The **validation** set is the one we look at while developing: the course recipe was chosen on
# it (`benchmarks/`), and it is what the learning curve shows. Nothing in this course stops
# training early on it (there is no early stopping and no `load_best_model_at_end`): the model we
# keep is the one of the last step. The **test** set is kept for the final figure.
# %% [markdown] lang="zh"
# ## 10. 用 `Trainer` 在验证集和测试集上评估
#
# `trainer.evaluate()` 用我们的 `compute_metrics` 在验证集上再评估一次，返回各项数字（`eval_overall_f1`、`eval_PER_f1` 等）。
#
# **验证集**是开发过程中反复查看的：课程配方是在它上面选出来的（见 `benchmarks/`），学习曲线显示的也是它。本课程不会根据验证集提前停止训练（没有早停，也没有 `load_best_model_at_end`）：留下来的是最后一步的模型。**测试集**留给最终的那个数字。

# %%
val_metrics = trainer.evaluate()
print({k: round(v, 4) for k, v in val_metrics.items() if k.startswith("eval_overall")})

# %% [markdown] lang="en"
# For the test set, `trainer.predict(tokenized["test"])` returns a `PredictionOutput` with three
# fields: `predictions` (one row of logits per sentence, padded), `label_ids` (the labels of the
# same rows) and `metrics` (our `compute_metrics` on them, with a `test_` prefix). We turn the
# predictions into word-level scores ourselves, in view:
#
# 1. `argmax` over the last axis gives one predicted label id per subtoken.
# 2. **Mind the order.** With `group_by_length`, `Trainer` reorders prediction rows by length too, so
#    row *i* of `predictions` is in general **not** sentence *i* of the split. Never zip the
#    predictions with the dataset's rows; use `label_ids`, which come in the same order as the
#    predictions. The cell shows how many rows are out of place.
# 3. In each row, the positions whose label is not -100 are the first subtokens of the words, the
#    same positions that `word_ids` marks as the start of a new word (the cell checks it on the
#    dataset's rows). The labels there are the gold word tags, and the predictions there are one
#    prediction per word.
# 4. A word lost to truncation has no position in its row. It must still count as a **miss** (a
#    gold word with no prediction), never be dropped: we count the lost words from `word_ids` and
#    report them. On CoNLL-2003 none is lost at this length (lesson 2), and the cell checks that every
#    gold word was scored.
# %% [markdown] lang="zh"
# 对测试集，`trainer.predict(tokenized["test"])` 返回一个 `PredictionOutput`，有三个字段：`predictions`（每个句子一行 logits，已填充）、`label_ids`（同样这些行的标签）和 `metrics`（我们的 `compute_metrics` 在这些行上的结果，名字带 `test_` 前缀）。我们自己一步步把预测变成按词的分数：
#
# 1. 在最后一维上取 `argmax`，每个子词得到一个预测的标签编号。
# 2. **注意顺序。** 开启 `group_by_length` 后，`Trainer` 也会按长度重排预测的各行，所以 `predictions` 的第 *i* 行一般**不是**数据集的第 *i* 个句子。绝不要把预测和数据集的行直接配对；要用 `label_ids`，它和预测的顺序完全一致。下面的单元格会显示有多少行不在原来的位置上。
# 3. 在每一行中，标签不为 -100 的位置就是各个词的第一个子词，也就是 `word_ids` 标出新词开始的那些位置（单元格在数据集的行上检查这一点）。这些位置上的标签是词的标准标签，这些位置上的预测就是每个词一个预测。
# 4. 被截断丢掉的词在它那一行里没有位置。它仍然必须算作**漏检**（一个没有预测的标准词），绝不能丢掉：我们从 `word_ids` 数出丢失的词并报告出来。在 CoNLL-2003 上，这个长度下一个词也不会丢（见第 2 课），单元格会检查每个标准词都参与了评分。

# %%
test_output = trainer.predict(tokenized["test"])
pred_ids = test_output.predictions.argmax(-1)
label_ids = test_output.label_ids
test_rows = tokenized["test"]

moved = sum(
    out[: len(lab)].tolist() != lab or bool((out[len(lab) :] != -100).any())
    for out, lab in zip(label_ids, test_rows["labels"])
)
print(f"{len(pred_ids)} rows, of which {moved} are not the dataset's row with the same index")

for labels, wids in zip(test_rows["labels"], test_rows["word_ids"]):
    starts = [i for i, w in enumerate(wids) if w >= 0 and (i == 0 or wids[i - 1] != w)]
    assert [i for i, lab in enumerate(labels) if lab != -100] == starts

keep = label_ids != -100
gold_words = [row[mask].tolist() for row, mask in zip(label_ids, keep)]
pred_words = [row[mask].tolist() for row, mask in zip(pred_ids, keep)]
lost = sum(
    helpers.count_truncated_words(w, len(g)) for w, g in zip(test_rows["word_ids"], test_rows["ner_tags"])
)
test_scores = helpers.score_word_ids(gold_words, pred_words, label_names)
print(f"words scored: {test_scores['words']}, words lost to truncation (misses): {lost}")
print(helpers.format_table(test_scores))

assert lost == 0 and test_scores["words"] == sum(len(tags) for tags in ds["test"]["ner_tags"])
assert abs(test_scores["overall_f1"] - test_output.metrics["test_overall_f1"]) < 1e-9

# %% [markdown] lang="en"
# ## 11. Save the model, score it, use it again
#
# `trainer.save_model(folder)` writes the weights as `model.safetensors` (a safe format: loading it
# cannot run code, unlike pickled `.bin` files), the config with our `id2label`, and, because we
# passed `processing_class`, the tokenizer files. That folder is all anyone needs to use the model.
# %% [markdown] lang="zh"
# ## 11. 保存模型、评分并重新使用
#
# `trainer.save_model(folder)` 把权重写成 `model.safetensors`（一种安全格式：与 pickle 格式的 `.bin` 文件不同，加载它不会执行任何代码），写入带有 `id2label` 的配置，而且因为我们传了 `processing_class`，分词器文件也一并保存。有了这个文件夹，任何人都可以使用这个模型。

# %%
model_dir = Path("runs/lesson3/model")
trainer.save_model(str(model_dir))
saved = sorted(p.name for p in model_dir.iterdir())
print(saved)
assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(saved)
assert not any(name.endswith((".bin", ".pt")) and name != "training_args.bin" for name in saved)

# %% [markdown] lang="en"
# The test scores of section 10 are those that `compute_metrics` reported in `test_output.metrics`
# (the last line of that cell checks it). Had a word been lost, they would not be: `compute_metrics`
# and that cell only see the words left in the rows. That is why the course scores its final figures
# with `helpers.evaluate_split(model, split, label_column)`: it takes the **untokenized** split, tags
# its words with `helpers.Tagger` (lesson 4), which reads sentences longer than the model's limit in
# overlapping windows, and counts a word that still gets no prediction as a miss. Given the saved
# folder, it loads the model afresh and runs it in fp32, whatever precision training used, so a
# saved model gets the same scores on every machine; with bf16 training, its figures may therefore
# differ from `Trainer`'s in the last digits. (The model inside a `Trainer` that trained in bf16
# keeps autocasting to bf16, which is why we score the folder.) Two checks make sure nothing was
# lost: every word of the split was scored, and the supports add up to the number of gold entities
# counted directly from the tags.
# %% [markdown] lang="zh"
# 第 10 节算出的测试集分数，就是 `compute_metrics` 在 `test_output.metrics` 里报告的分数（那个单元格的最后一行检查了这一点）。如果有词丢失，两者就不一样了：`compute_metrics` 和那个单元格都只能看到行里剩下的词。所以课程的最终分数由 `helpers.evaluate_split(model, split, label_column)` 计算：它接收**未分词**的数据划分，用 `helpers.Tagger`（第 4 课）标注其中的词；`Tagger` 用相互重叠的窗口读取超过模型长度上限的句子，仍然得不到预测的词算作漏检。传入保存好的文件夹时，它重新加载模型，并且无论训练用的是什么精度，都用 fp32 运行，所以一个保存下来的模型在每台机器上得到的分数都相同；因此在 bf16 训练时，它的数字与 `Trainer` 的可能在最后几位上有差别。（以 bf16 训练过的 `Trainer` 里的模型仍会自动转成 bf16 计算，所以我们对文件夹评分。）两项检查确保没有遗漏：该划分的每个词都被计了分；各类型支持数之和等于直接从标签数出来的标准实体数。

# %%
results = {}
for split in ("validation", "test"):
    results[split] = helpers.evaluate_split(model_dir, ds[split], "ner_tags")
    print(f"== {split} ==\n{helpers.format_table(results[split])}\n")

    gold_tags = [[label_names[i] for i in s] for s in ds[split]["ner_tags"]]
    n_entities = sum(len(analysis.spans(s)) for s in gold_tags)
    assert results[split]["words"] == sum(len(s) for s in gold_tags)
    assert sum(v["number"] for v in results[split]["per_type"].values()) == n_entities
trainer_f1, split_f1 = val_metrics["eval_overall_f1"], results["validation"]["overall_f1"]
print(f"validation F1: Trainer ({precision}) {trainer_f1:.4f}, evaluate_split (fp32) {split_f1:.4f}")

# %% [markdown] lang="en"
# The 🤗 `pipeline` loads the folder like any Hub model. With `aggregation_strategy="simple"` it
# merges subtokens and adjacent `B-`/`I-` tags into entity groups, each with a type, a score and
# character offsets into the text. Thanks to `id2label`, the groups are called `PER`, `LOC`, ...
# rather than `LABEL_1`. We tag a sentence from the test set and print its gold entities next to
# the model's; after a smoke run the model's list may be short or even empty, which is expected from
# a model that has trained for a few dozen steps. Lesson 4 compares the aggregation strategies and
# the course's own `helpers.Tagger`.
#
# With the real CoNLL-2003 files this is the first test sentence, a football headline, and its gold
# labels are worth a look: *CHINA* is tagged `B-PER`, a person, although it is the Chinese national
# team, and *JAPAN* in the same headline is `B-LOC`. The gold labels of CoNLL-2003 contain such
# errors. A model that tags *CHINA* as `LOC` is counted wrong here; some of every model's "errors"
# on CoNLL-2003 are errors of the gold labels.
# %% [markdown] lang="zh"
# 🤗 `pipeline` 可以像加载 Hub 上的模型一样加载这个文件夹。设置 `aggregation_strategy="simple"` 后，它会把子词以及相邻的 `B-`/`I-` 标签合并成实体组，每组带有类型、分数和在原文中的字符偏移。多亏了 `id2label`，实体组的名字是 `PER`、`LOC` 等，而不是 `LABEL_1`。我们用测试集里的一个句子来试，并把它的标准实体和模型给出的实体并列打印；冒烟训练之后，模型给出的列表可能很短甚至为空，对一个只训练了几十步的模型来说这很正常。第 4 课会比较不同的聚合策略，以及课程自己的 `helpers.Tagger`。
#
# 如果用的是真实的 CoNLL-2003 文件，这就是测试集的第一句，一条足球新闻的标题，它的标准标签值得细看：*CHINA* 被标成了 `B-PER`（人名），而它其实指中国国家队；同一个标题里的 *JAPAN* 则是 `B-LOC`。CoNLL-2003 的标准标签里有这样的错误。把 *CHINA* 标成 `LOC` 的模型在这里会被判错；在 CoNLL-2003 上，每个模型的“错误”里都有一部分其实是标准标签的错误。

# %%
ner = pipeline("token-classification", model=str(model_dir), aggregation_strategy="simple")
example = next(s for s in ds["test"] if sum(t % 2 == 1 for t in s["ner_tags"]) >= 2)  # odd ids are B- tags
text = " ".join(example["tokens"])
print(text)
gold_tags = [label_names[i] for i in example["ner_tags"]]
print("gold:", [(" ".join(example["tokens"][a:b]), kind) for kind, a, b in analysis.spans(gold_tags)])
entities = ner(text)
display(pd.DataFrame(entities, columns=["entity_group", "word", "start", "end", "score"]))

assert ner.model.config.id2label == dict(enumerate(label_names))
assert all(e["entity_group"] in {"PER", "ORG", "LOC", "MISC"} for e in entities)

# %% [markdown] lang="en"
# ## 12. The same job in one call
#
# Everything above (load, tokenize, build the model, the arguments and the `Trainer`, train,
# evaluate on validation and test, save) is what `helpers.train(helpers.TrainConfig(...))` does in
# one call, and what the command line runs. The cell proves it: it runs `helpers.train` with the same
# checkpoint, data, recipe and seed, then checks that the two runs logged the same training losses,
# ended with **exactly the same weights**, and give the same validation and test scores. (It trains
# a second time, so in a full run it doubles the training time of this notebook. On a GPU, where some
# kernels add numbers in a varying order, "the same" means equal up to a small rounding tolerance.)
# %% [markdown] lang="zh"
# ## 12. 一次调用完成同样的工作
#
# 上面的全部步骤（加载、分词、构建模型、训练参数和 `Trainer`、训练、在验证集和测试集上评估、保存）就是 `helpers.train(helpers.TrainConfig(...))` 一次调用所做的事，也是命令行执行的内容。下面的单元格证明这一点：它用同样的检查点、数据、配方和随机种子运行 `helpers.train`，再检查两次运行记录的训练损失相同、最后的权重**完全相同**，验证集和测试集上的分数也相同。（它要再训练一次，所以完整运行时本 notebook 的训练时间会翻倍。在 GPU 上，有些计算核心做加法的顺序每次不同，所以那里的“相同”是指在很小的舍入误差范围内相等。）

# %%
config = helpers.TrainConfig(
    output_dir="runs/lesson3/helpers",
    model=checkpoint,
    recipe=recipe,
    seed=42,
    eval_steps=eval_steps,
    save_checkpoints=False,
    overwrite=True,
)
one_call = helpers.train(config, ds)

# A CPU repeats the job to the last bit. A GPU may add numbers in a varying order (atomic additions in some
# kernels), so there two runs of one job differ by rounding, and we allow a small tolerance.
tol = 0.0 if not torch.cuda.is_available() else 1e-2
helper_losses = [entry["loss"] for entry in one_call["log_history"] if "loss" in entry]
lesson_losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
saved_weights = AutoModelForTokenClassification.from_pretrained(one_call["model_dir"]).state_dict()
print("training losses, helpers.train:", helper_losses)
print("training losses, this lesson:  ", lesson_losses)
assert np.allclose(helper_losses, lesson_losses, rtol=tol, atol=0)
for name, weight in trainer.model.state_dict().items():
    assert torch.allclose(weight.cpu(), saved_weights[name], rtol=0, atol=tol), name
for split in ("validation", "test"):
    assert abs(one_call[split]["overall_f1"] - results[split]["overall_f1"]) <= tol, split
    assert tol or one_call[split] == results[split], split
print(
    "same losses, same weights, same validation and test scores",
    "(exactly)" if tol == 0 else f"(within {tol})",
)

# %% [markdown] lang="en"
# On the command line the same job is
#
# ```bash
# python -m helpers train --task ner
# ```
#
# It prints the per-type tables, saves the model to `runs/ner/model` and writes `metrics.json`
# (with the log history, so you can draw the learning curve later). `--help` lists the options
# (`--model`, `--epochs`, `--recipe classic`, `--max-train-samples`, `--eval-steps`, `--overwrite`, ...).
# `make run` calls the same job with the defaults.
# %% [markdown] lang="zh"
# 在命令行上，同样的工作是：
#
# ```bash
# python -m helpers train --task ner
# ```
#
# 它会打印各实体类型的表格，把模型保存到 `runs/ner/model`，并写出 `metrics.json`（里面有训练日志，之后也能画学习曲线）。`--help` 列出所有选项（`--model`、`--epochs`、`--recipe classic`、`--max-train-samples`、`--eval-steps`、`--overwrite` 等）。`make run` 用默认设置调用的也是这个任务。

# %% [markdown] lang="en"
# ## Summary
#
# - `AutoModelForTokenClassification.from_pretrained(checkpoint, num_labels=, id2label=, label2id=)`
#   gives a token classifier with label names; its `classifier` head is new (MISSING in the load
#   report) and random until trained, so call `set_seed` before creating it.
# - `DataCollatorForTokenClassification` pads each batch to its own longest sentence and pads the
#   labels with -100, which the loss ignores.
# - `TrainingArguments` in transformers 5 knows only the current names: `eval_strategy` (since 4.41)
#   and `processing_class` for `Trainer` (since 4.46); `warmup_steps` below 1 is a ratio and
#   `train_sampling_strategy="group_by_length"` groups by length, training and evaluation batches alike.
# - Score words (first subtoken per word, seqeval in conlleval mode), never subtokens; rows that come
#   back from `evaluate`/`predict` may be reordered, so read each row's words from its own labels.
# - `trainer.state.log_history` holds the learning curve; `trainer.save_model` writes safetensors,
#   the config with label names and the tokenizer, ready for `pipeline(...)`.
# - `helpers.train(helpers.TrainConfig(...))` is this whole lesson in one call: same seed, same
#   weights, same scores.

# %% [markdown] lang="zh"
# ## 小结
#
# - `AutoModelForTokenClassification.from_pretrained(checkpoint, num_labels=, id2label=, label2id=)` 得到一个带标签名的词元分类模型；它的 `classifier` 分类头是新建的（加载报告里的 MISSING），训练之前是随机的，所以创建之前要先调用 `set_seed`。
# - `DataCollatorForTokenClassification` 把每个批次填充到该批次最长句子的长度，并用 -100 填充标签，损失函数会忽略它。
# - transformers 5 的 `TrainingArguments` 只认当前的参数名：`eval_strategy`（4.41 起）以及 `Trainer` 的 `processing_class`（4.46 起）；小于 1 的 `warmup_steps` 表示比例；`train_sampling_strategy="group_by_length"` 按长度分组，训练批次和评估批次都是如此。
# - 按词打分（每个词取第一个子词，conlleval 模式的 seqeval），绝不按子词打分；`evaluate`/`predict` 返回的行可能被重排，所以要从每一行自己的标签读出它的词。
# - `trainer.state.log_history` 里就是学习曲线；`trainer.save_model` 写出 safetensors 权重、带标签名的配置和分词器，可以直接交给 `pipeline(...)` 使用。
# - `helpers.train(helpers.TrainConfig(...))` 一次调用就完成本课的全部工作：同样的随机种子，同样的权重，同样的分数。

# %% [markdown] lang="en"
# ## Exercises
#
# Each exercise has an answer cell and a check cell. Replace the `...` of `answer = ...` with your code, run it, then run the check cell: it tells you whether the answer is right and, if not, what is wrong and where. `ex.q1.hint()` prints a hint and `ex.q1.solution()` the reference solution. The feedback is in the language of this notebook (set `TOKCLS_LANG=en` or `zh` to choose).

# %% [markdown] lang="zh"
# ## 练习
#
# 每个练习都有一个作答单元格和一个检查单元格。把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行检查单元格：它会告诉你答案对不对；如果不对，还会指出错在哪里。`ex.q1.hint()` 打印提示，`ex.q1.solution()` 打印参考答案。反馈使用本 notebook 的语言（设置 `TOKCLS_LANG=en` 或 `zh` 可以指定）。

# %%
ex = helpers.exercises.lesson(3)

# %% [markdown] lang="en"
# ### Exercise 1: what the classic recipe labels
#
# Tokenize `ds` again with `helpers.CLASSIC_RECIPE` (it labels continuation subtokens of the training split). Set `answer` to `{"course": n, "classic": m}`, the number of labelled subtokens (label not -100) in the training split under each recipe.

# %% [markdown] lang="zh"
# ### 练习 1：经典配方给哪些子词打标签
#
# 用 `helpers.CLASSIC_RECIPE` 重新对 `ds` 分词（它会给训练集的后续子词打标签）。把 `answer` 设为 `{"course": n, "classic": m}`，即两种配方下训练集中带标签（标签不为 -100）的子词数。

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer, tokenizer, ds["train"])
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: the support, in words
#
# Count the gold entities of each type in the validation split, at word level. Set `answer` to a dict such as `{"PER": ..., "LOC": ...}`; it must equal the `number` column of the scores printed above.

# %% [markdown] lang="zh"
# ### 练习 2：按词计的支持数
#
# 在词级别上统计验证集中每种类型的标准实体数。把 `answer` 设为一个字典，例如 `{"PER": ..., "LOC": ...}`；它应当与上面打印的分数表中的 `number` 列相同。

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, tokenizer, ds["validation"])
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: word-level F1 by hand
#
# The cell below predicts the validation split. From `val_output.predictions` and `val_output.label_ids`, compute the word-level overall F1 yourself (one prediction per word, seqeval on spans) and set `answer` to it.

# %% [markdown] lang="zh"
# ### 练习 3：手工计算词级别 F1
#
# 下面的单元格对验证集做预测。根据 `val_output.predictions` 和 `val_output.label_ids` 自己算出词级别的总体 F1（每个词一个预测，用 seqeval 按片段打分），并把 `answer` 设为它。

# %%
val_output = trainer.predict(tokenized["validation"])

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, val_output, label_names)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en"
# ### Exercise 4 (concept): part-of-speech tagging
#
# You repeat this lesson for `pos_tags` instead of `ner_tags`. Which headline metric does `compute_metrics` report?
#
# - (a) Entity F1, as for NER
# - (b) Token accuracy over words
# - (c) Subtoken accuracy over every labelled subtoken
#
# Answer with a letter, e.g. `answer = "a"`.

# %% [markdown] lang="zh"
# ### 练习 4（概念）：词性标注
#
# 把本课改用 `pos_tags` 而不是 `ner_tags` 重做一遍。`compute_metrics` 报告的主要指标是什么？
#
# - （a）与命名实体识别一样的实体 F1
# - （b）按词计算的词元准确率
# - （c）在所有带标签子词上计算的子词准确率
#
# 用字母作答，例如 `answer = "a"`。

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en"
# ### Exercise 5 (concept): why the row's own labels?
#
# With `group_by_length`, Trainer sorts evaluation batches by length. A `compute_metrics` compares prediction row i with gold sentence i of the dataset. What happens?
#
# - (a) The same F1: order does not matter for a corpus score
# - (b) A much lower F1: predictions are compared with the wrong sentences
# - (c) An error is raised
#
# Answer with a letter, e.g. `answer = "a"`.

# %% [markdown] lang="zh"
# ### 练习 5（概念）：为什么要用每一行自己的标签？
#
# 开启 `group_by_length` 后，Trainer 会按长度给评估批次排序。某个 `compute_metrics` 把第 i 行预测与数据集中第 i 个标准句子比较。会发生什么？
#
# - （a）F1 不变：语料级的分数与顺序无关
# - （b）F1 低得多：预测被拿去和错误的句子比较
# - （c）会报错
#
# 用字母作答，例如 `answer = "a"`。

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown] lang="en"
# ### Going further (not checked)
#
# - Train with `helpers.CLASSIC_RECIPE` (new arguments, a new model, the tokenization of exercise 1) and draw both learning curves on one axis with `analysis.plot_learning_curve(..., ax=ax)`; compare with the measured results in `benchmarks/results/recipes.md`.
# - Repeat the lesson for `"pos_tags"` and plot `metric="eval_overall_accuracy"`.
# - Give every sentence its document as context: `helpers.training.with_overrides(recipe, context_tokens=32)` feeds up to 32 subtokens of the neighbouring sentences of the same CoNLL-2003 document on each side, labelled -100 so that only the sentence itself is learnt and scored (`helpers.context`; load the data with `helpers.load_conll2003(documents=True)` to keep the `-DOCSTART-` boundaries). A headline such as "JAPAN GET LUCKY WIN" is then read with the match report below it. The benchmark's tables (`benchmarks/results/recipes.md`, README) say what this and the other levers measured (frozen embeddings, `torch.compile`, label smoothing) cost and bring.

# %% [markdown] lang="zh"
# ### 延伸练习（不自动检查）
#
# - 用 `helpers.CLASSIC_RECIPE` 训练（新的训练参数、新的模型、练习 1 的分词结果），用 `analysis.plot_learning_curve(..., ax=ax)` 把两条学习曲线画在同一张图上；并与 `benchmarks/results/recipes.md` 中的实测结果对照。
# - 对 `"pos_tags"` 重做本课，画图时用 `metric="eval_overall_accuracy"`。
# - 让每个句子带上所在文档的上下文：`helpers.training.with_overrides(recipe, context_tokens=32)` 会在句子两侧各加入同一篇 CoNLL-2003 文档中相邻句子的最多 32 个子词，这些上下文的标签是 -100，所以模型只学习、只评分句子本身（见 `helpers.context`；用 `helpers.load_conll2003(documents=True)` 加载数据，才能保留 `-DOCSTART-` 标出的文档边界）。这样，像 “JAPAN GET LUCKY WIN” 这样的标题就会和它下面的比赛报道一起被读到。这一手段以及其他几种（冻结词嵌入、`torch.compile`、标签平滑）的实测代价和收益，见基准测试的表格（`benchmarks/results/recipes.md` 和 README）。
