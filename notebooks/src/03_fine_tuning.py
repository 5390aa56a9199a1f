# %% [markdown] lang="en"
# # Lesson 3 — Fine-tuning with `Trainer`
#
# In lesson 2 we turned words and their labels into subtokens and aligned labels. Now we train:
# a pre-trained encoder gets a new classification head and learns to tag every word of a
# sentence with one of CoNLL-2003's nine NER labels.
#
# **After this lesson you will be able to**
#
# - build a token-classification model whose config carries the label names (`id2label`), and
#   explain why its classification head starts from random weights;
# - batch sentences of different lengths with `DataCollatorForTokenClassification` (dynamic
#   padding, labels padded with -100);
# - read every `TrainingArguments` setting of the course recipe, with the names transformers 5 uses;
# - score a model at **word** level during training, and say why scoring subtokens is wrong;
# - train with `Trainer`, plot a learning curve, evaluate on the validation and test sets;
# - save the model in safetensors format and use it again through `pipeline(...)`.
#
# **Prerequisites:** lessons 1 and 2 (the dataset, tokenizers, `word_ids`, label alignment).
#
# **Time:** about 30 minutes of reading. Running the whole notebook took about 20 s on a 2-core CPU
# in smoke mode with the real CoNLL-2003 files (about 16 s with the synthetic corpus). A full run on the
# same 2-core CPU, offline with the bundled all-MiniLM-L6-v2, all 14,041 training sentences and one epoch
# (`TOKCLS_EPOCHS=1`), took about 2 minutes for the whole notebook and printed a word-level F1 of 0.879 on
# validation and 0.834 on test (`python -m benchmarks.lesson_run 03 --epochs 1`, which saves the executed
# notebook in `benchmarks/results/`); the recipe's two epochs take about twice the training time. A
# Colab GPU is faster still (we have not timed it); section 8 prints an estimate for your machine.
# %% [markdown] lang="zh"
# # 第 3 课 — 用 `Trainer` 微调模型
#
# 第 2 课把词和词的标签变成了子词（subword）和对齐（alignment）后的标签。这一课开始训练：给预训练
# 编码器接上一个新的分类头，让它学会给句子里的每个词打上 CoNLL-2003 九个命名实体识别（named-entity
# recognition，NER）标签中的一个。
#
# **学完本课，你将能够：**
#
# - 构建一个词元（token）分类模型，让它的配置里带着标签名（`id2label`），并解释为什么它的分类头是随机初始化的；
# - 用 `DataCollatorForTokenClassification` 把长短不一的句子组成批次（batch）：动态填充（padding），
#   标签用 -100 填充；
# - 逐项看懂课程配方（recipe）里的 `TrainingArguments`，并使用 transformers 5 中的新参数名；
# - 在训练过程中按**词**评估模型，并说明为什么不能按子词打分；
# - 用 `Trainer` 训练，画出学习曲线，在验证集和测试集上评估；
# - 以 safetensors 格式保存模型，再通过 `pipeline(...)` 加载使用。
#
# **预备知识：** 第 1、2 课（数据集、分词器（tokenizer）、`word_ids`、标签对齐）。
#
# **用时：** 阅读约 30 分钟。在 2 核 CPU 上以冒烟模式、用真实的 CoNLL-2003 文件运行整个 notebook，实测用时
# 约 20 秒（使用合成语料时约 16 秒）。在同一台 2 核 CPU 上完整运行（离线使用自带的 all-MiniLM-L6-v2，全部
# 14,041 个训练句子，训练 1 个轮次（epoch），即 `TOKCLS_EPOCHS=1`），整个 notebook 约 2 分钟跑完，打印出的词级
# F1 在验证集上为 0.879、在测试集上为 0.834（命令是 `python -m benchmarks.lesson_run 03 --epochs 1`，执行后的
# notebook 保存在 `benchmarks/results/`）；按配方训练 2 个轮次，训练时间约为两倍。Colab 的 GPU 还要更快（我们
# 没有测过）；第 8 节会根据实测速度估算在你的机器上需要多久。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package `helpers` from GitHub; anywhere else
# it does nothing. In Colab, choose a GPU runtime (*Runtime → Change runtime type*) before you
# run it: training is much faster there.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元会从 GitHub 安装课程配套的 `helpers` 包；在其他环境里它什么也不做。
# 在 Colab 中运行之前，请先选择 GPU 运行时（*代码执行程序 → 更改运行时类型*）：训练会快得多。

# %%
import subprocess
import sys

if "google.colab" in sys.modules:
    package = "tokcls-helpers[offline] @ git+https://github.com/tokcls-course/tokcls-course"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)

# %%
import inspect
import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from safetensors import safe_open
from transformers import DataCollatorForTokenClassification, pipeline, set_seed
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
# 下一个单元确定本次运行的全部配置并打印出来：
#
# - **数据**：`helpers.load_conll2003()` 优先读取 CoNLL 文件夹（`TOKCLS_DATA_DIR`），其次是 Hugging Face
#   Hub，都不行时用一个生成的*合成*语料，它只是模仿 CoNLL-2003（见第 1 课）。如果输出里出现 “synthetic”，
#   本 notebook 中的任何分数都不能代表 CoNLL-2003 上的表现。
# - **冒烟模式**（`TOKCLS_SMOKE=1`）：`helpers.smoke_subset` 只保留每个数据划分的前几百个句子，训练也只跑
#   几十步。CI 就是这样运行每一课的。不开冒烟模式时，数据一条不少，训练轮数按配方来；设置了 `TOKCLS_EPOCHS`
#   时按它来（例如 `TOKCLS_EPOCHS=1`，完整训练的时间减半）。
# - **检查点（checkpoint）**：`helpers.resolve_checkpoint()` 优先用你设置的 `TOKCLS_MODEL`，其次是
#   `distilbert/distilbert-base-uncased`（来自 Hub 或本地缓存），离线时用课程自带的小模型
#   all-MiniLM-L6-v2。两个默认模型都是不区分大小写的 BERT 类编码器，词表是同一套 WordPiece。

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

# %%
# NBVAL_CHECK_OUTPUT
label_names = helpers.label_names(ds, "ner_tags")
print(label_names)
assert label_names == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

# %% [markdown] lang="en"
# `helpers.load_model(checkpoint, label_names)` calls
# `AutoModelForTokenClassification.from_pretrained` with `num_labels=9` and, just as important,
# `id2label` / `label2id`. These two maps are saved with the model's config. Without them the
# config would say `LABEL_0 … LABEL_8`, and every pipeline, every saved model and every colleague
# would have to guess what `LABEL_3` means. The cell checks that the model's map is exactly the
# dataset's label list.
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
# `helpers.load_model(checkpoint, label_names)` 会调用 `AutoModelForTokenClassification.from_pretrained`，
# 传入 `num_labels=9`，同样重要的是还传入 `id2label` / `label2id`。这两张映射表随模型配置一起保存。
# 没有它们，配置里只会写着 `LABEL_0 … LABEL_8`，之后每个 pipeline、每个保存下来的模型、每位同事都得去猜
# `LABEL_3` 是什么意思。下面的单元会检查模型的映射与数据集的标签列表完全一致。
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
# 这个单元先调用了 `set_seed(42)`。分类头的随机值是在创建模型的那一刻抽取的，那时 `Trainer` 还不存在（它也会设置
# 随机种子，但要等它被创建时才设置）。少了这一行，两次运行会从不同的分类头出发，最后得到不同的分数。

# %%
set_seed(42)
tokenizer = helpers.load_tokenizer(checkpoint)
model = helpers.load_model(checkpoint, label_names)

print(model.config.id2label)
assert model.config.id2label == dict(enumerate(label_names))
assert model.config.label2id == {name: i for i, name in enumerate(label_names)}

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
# 这个检查点是作为语言模型预训练的：它会把子词变成结合上下文的向量（MiniLM 的隐藏维度是 384，DistilBERT
# 是 768），但从没见过我们的九个标签。词元分类模型在编码器之上加了一个线性层，即**分类头**，把每个向量映射成
# 九个分数。我们可以亲自验证加载报告：打开检查点的权重文件，找找有没有 `classifier` 开头的权重。一个也没有，
# 所以分类头那 9 × 隐藏维度 个权重在训练之前都是随机的。这就是模型必须先微调（fine-tuning）、预测才有意义
# 的原因，也是训练最初几步主要在“教”分类头的原因。

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
# Lesson 2 built this step by hand; `helpers.tokenize_dataset` applies it to all splits with
# `Dataset.map`. Each sentence gets `input_ids`, `attention_mask` (and `token_type_ids` for BERT
# models), `labels` aligned to subtokens (first subtoken of a word gets its label, the rest -100),
# and two columns kept for word-level scoring: the gold word labels `ner_tags` and the `word_ids`
# of every subtoken.
# %% [markdown] lang="zh"
# 第 2 课手工完成了这一步；`helpers.tokenize_dataset` 用 `Dataset.map` 把它应用到所有数据划分上。
# 每个句子得到 `input_ids`、`attention_mask`（BERT 类模型还有 `token_type_ids`）、对齐到子词的
# `labels`（每个词的第一个子词拿到该词的标签，其余为 -100），以及为按词评估保留的两列：
# 词级别的标准答案 `ner_tags`，和每个子词的 `word_ids`。

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
# 句子长短不一，而一个批次必须是一个规整的矩形张量。**数据整理器（data collator）**在组成每个批次时，
# 只把句子填充到*这个批次*里最长句子的长度（动态填充），而不是把整个数据集填充到同一个全局长度。短句组成的
# 批次依旧很短，能省下大量计算。对词元分类，整理器还会填充 `labels`，而且用 **-100** 填充：损失函数会忽略这个值，
# 所以填充位置永远不会被当成 “O” 来计分。
#
# 下面把两个长度不同的句子整理成一个批次。请看：形状（两行都变成了较长的长度）、`attention_mask`
# （填充位置为 0），以及较短那一行 `labels` 的末尾。两列词级别的数据没有放进去：模型不接收它们，
# `Trainer` 在组批之前也会自动删掉这类列。

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
# `helpers.build_training_args(output_dir, recipe, ...)` turns a `Recipe` into `TrainingArguments`.
# `helpers.COURSE_RECIPE` is the course's default recipe; `helpers.CLASSIC_RECIPE` holds the
# settings of the classic Hugging Face notebook (lower learning rate, three epochs, continuation
# subtokens labelled, full fp32 precision). The two are compared, measured, in `benchmarks/` (see
# `benchmarks/RESULTS.md`).
#
# In smoke mode we stop after `SMOKE_MAX_STEPS` optimisation steps and evaluate every 10 steps, so
# the learning curve has a few points. With so few steps, warm-up and decay keep the learning rate
# far below its peak most of the time, and at the recipe's rate the model is still predicting "O"
# for every word when the run ends. So, **in smoke mode only**, we triple the learning rate
# (`helpers.training.with_overrides`); never copy that into a real run. We also pass
# `save_strategy="no"`: by default the recipe
# writes a checkpoint (model + optimizer state) at every evaluation so that a long run can be
# resumed, which is wasted disk time in a short demo; we save the final model ourselves in
# section 10. The cell prints the value of each argument; the table below says why.
# %% [markdown] lang="zh"
# ## 4. 逐项理解 `TrainingArguments`
#
# `helpers.build_training_args(output_dir, recipe, ...)` 把一个 `Recipe`（训练配方）变成 `TrainingArguments`。
# `helpers.COURSE_RECIPE` 是本课程的默认配方；`helpers.CLASSIC_RECIPE` 是 Hugging Face 经典 notebook
# 的设置（学习率更低、训练三轮、连续子词也打标签、全程 fp32 精度）。两者的实测对比在 `benchmarks/` 中（见
# `benchmarks/RESULTS.md`）。
#
# 冒烟模式下，我们在 `SMOKE_MAX_STEPS` 个优化步后停止，并且每 10 步评估一次，让学习曲线有几个点可画。步数这么少，
# 预热和衰减让学习率在大部分时间里都远低于峰值；按配方的学习率，训练结束时模型仍然把每个词都预测成 “O”。所以**仅在
# 冒烟模式下**，我们把学习率调成三倍（`helpers.training.with_overrides`）；真正训练时千万别照搬。我们还传入了
# `save_strategy="no"`：配方默认在每次评估时都写一个检查点（模型加优化器状态），以便长时间的训练能
# 断点续训；在短小的演示里这纯属浪费磁盘时间。最终模型我们会在第 10 节自己保存。下面的单元打印每个参数的值，
# 再下面的表格说明为什么这样设。

# %%
recipe = helpers.COURSE_RECIPE
if SMOKE:
    recipe = helpers.training.with_overrides(recipe, learning_rate=3 * recipe.learning_rate)
eval_steps = 10 if SMOKE else 200
args = helpers.build_training_args(
    "runs/lesson3/checkpoints",
    recipe,
    seed=42,
    max_steps=SMOKE_MAX_STEPS if SMOKE else None,
    eval_steps=eval_steps,
    save_strategy="no",
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
    "logging_steps",
    "seed",
    "data_seed",
    "report_to",
]
values = [getattr(args, name) for name in shown]
values = [f"{v:g}" if isinstance(v, float) else str(getattr(v, "value", v)) for v in values]
display(pd.DataFrame({"value": values}, index=pd.Index(shown, name="argument")))

assert args.learning_rate == recipe.learning_rate
assert args.warmup_steps == recipe.warmup_ratio < 1
assert args.train_sampling_strategy == "group_by_length"
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
# | `bf16` / `fp16` / `use_cpu` | mixed precision, from the recipe's `precision="auto"`: bf16 where the hardware runs it fast (recent GPUs, CPUs with AMX or AVX512-BF16), fp16 on other GPUs, else plain fp32. Matrix products then run in 16 bits while the weights stay in fp32: faster, less memory, same quality for fine-tuning. On a CPU, `use_cpu=True` is what lets transformers autocast to bf16. The values printed above depend on your machine |
# | `warmup_steps` | the learning rate rises linearly from 0 during the first steps, so the random head does not push large, noisy gradients into the pre-trained encoder. **In transformers 5 a value below 1 is a fraction of all steps** (the old `warmup_ratio` is gone) |
# | `lr_scheduler_type` | after warm-up the rate decays linearly to 0 at the last step |
# | `train_sampling_strategy` | `"group_by_length"` (transformers 5's name for the old `group_by_length=True`) puts sentences of similar length in the same batch, so dynamic padding adds little padding: faster, same result in expectation |
# | `eval_strategy` / `eval_steps` | when to evaluate: every `eval_steps` steps here, else every epoch (the old name was `evaluation_strategy`) |
# | `save_strategy` | when to write checkpoints; `"no"` in this lesson, see above |
# | `logging_steps` | how often the training loss is logged; this feeds the learning curve |
# | `seed` / `data_seed` | fix the head's random initialisation, dropout and the order of batches: the run is repeatable |
# | `report_to` | `"none"` (stored as an empty list): no logging service (TensorBoard, W&B, ...) is contacted |
#
# One more name changed in transformers 5 and appears in the next cell: `Trainer` takes the
# tokenizer as **`processing_class=`** (formerly `tokenizer=`), and uses it to save the tokenizer
# next to the model.
# %% [markdown] lang="zh"
# | 参数 | 为什么 |
# |---|---|
# | `learning_rate` | AdamW 的步长。新分类头是随机的，编码器也要随之调整，所以微调使用较小的学习率；课程配方的学习率是实测选定的（见 `benchmarks/`），冒烟模式下再乘以 3（见上文） |
# | `per_device_train_batch_size` | 每个优化步（每块 GPU）用多少个句子。批次越大，梯度越平稳，矩阵乘法也越大，GPU 和 CPU 都算得更有效率；批次越小，越省内存。课程配方用 32：在 2 核 CPU 上，它每秒训练的词元数约为 16 时的 1.5 到 1.8 倍，F1 略低一点（见 `benchmarks/results/recipes.md` 和 `recipes_bs16.md`） |
# | `per_device_eval_batch_size` | 评估不需要梯度，因此可以用更大的批次 |
# | `num_train_epochs` | 把训练集完整过几遍。编码器已经预训练过，几轮就够了 |
# | `max_steps` | 大于 0 时，训练到这么多步就停止，并覆盖轮次设置（冒烟模式使用；-1 表示按轮次训练） |
# | `weight_decay` | 对权重做轻度正则化（AdamW 的解耦权重衰减） |
# | `bf16` / `fp16` / `use_cpu` | 混合精度，由配方的 `precision="auto"` 决定：硬件能高效运行 bf16 时用 bf16（较新的 GPU，以及支持 AMX 或 AVX512-BF16 的 CPU），其他 GPU 上用 fp16，否则用普通的 fp32。此时矩阵乘法以 16 位计算，权重仍保存为 fp32：更快、更省内存，对微调的效果没有影响。在 CPU 上，要设置 `use_cpu=True`，transformers 才会自动转为 bf16 计算。上面打印的值取决于你的机器 |
# | `warmup_steps` | 最初若干步里学习率从 0 线性升高，免得随机初始化的分类头把又大又嘈杂的梯度灌进预训练好的编码器。**在 transformers 5 中，小于 1 的值表示占总步数的比例**（旧参数 `warmup_ratio` 已被移除） |
# | `lr_scheduler_type` | 预热结束后，学习率线性衰减，到最后一步降为 0 |
# | `train_sampling_strategy` | `"group_by_length"`（即旧版 `group_by_length=True` 在 transformers 5 中的新写法）把长度相近的句子放进同一批次，动态填充几乎不用补位：更快，期望结果不变 |
# | `eval_strategy` / `eval_steps` | 何时评估：这里每 `eval_steps` 步一次，否则每轮一次（旧名是 `evaluation_strategy`） |
# | `save_strategy` | 何时写检查点；本课设为 `"no"`，原因见上文 |
# | `logging_steps` | 每隔多少步记录一次训练损失；学习曲线就来自这些记录 |
# | `seed` / `data_seed` | 固定分类头的随机初始化、dropout 和批次顺序：同样的运行可以复现 |
# | `report_to` | `"none"`（存为空列表）：不连接任何日志服务（TensorBoard、W&B 等） |
#
# 还有一个名字在 transformers 5 中变了，见下一个单元：`Trainer` 通过 **`processing_class=`**（以前叫
# `tokenizer=`）接收分词器，保存模型时会把分词器一并存下。

# %% [markdown] lang="en"
# ## 5. The `Trainer`
#
# `helpers.build_trainer` wires everything together: the model, the arguments, the training and
# validation splits, `processing_class=tokenizer`, the data collator and a word-level
# `compute_metrics` (next section). It returns a small subclass of `Trainer`, shown below.
#
# Why a subclass? With `train_sampling_strategy="group_by_length"`, transformers also reorders the
# *evaluation* set by length. Our `compute_metrics` receives only the predictions, in Trainer's
# order, and must line them up with the gold words and `word_ids` it holds, in the dataset's
# order. If the orders differ, every prediction is compared with the wrong sentence and the score
# is garbage, silently. `WordLevelTrainer` therefore evaluates in the dataset's order (a
# `SequentialSampler`); `build_trainer` sorts the validation set by length once, beforehand, so
# evaluation still pads little.
# %% [markdown] lang="zh"
# ## 5. `Trainer`
#
# `helpers.build_trainer` 把所有部件连在一起：模型、训练参数、训练集和验证集、`processing_class=tokenizer`、
# 数据整理器，以及一个按词计分的 `compute_metrics`（见下一节）。它返回 `Trainer` 的一个小子类，源码如下。
#
# 为什么要子类？设置 `train_sampling_strategy="group_by_length"` 后，transformers 也会按长度重排*评估*集。
# 而我们的 `compute_metrics` 只拿到按 Trainer 顺序排列的预测，必须把它们与自己手里按数据集顺序存放的
# 标准答案和 `word_ids` 一一对上。顺序一旦不同，每条预测都会和错误的句子比较，分数毫无意义，而且不会报错。
# 所以 `WordLevelTrainer` 按数据集原本的顺序评估（`SequentialSampler`）；`build_trainer` 事先把验证集按长度
# 排好一次序，评估时依然很少需要填充。

# %%
trainer = helpers.build_trainer(model, tokenizer, tokenized, args, "ner_tags")
print(type(trainer).__name__, "is a", type(trainer).__mro__[1].__name__)
print(inspect.getsource(helpers.training._word_level_trainer_class))

# %% [markdown] lang="en"
# ## 6. Scoring words, not subtokens
#
# CoNLL-2003 results are defined per **word**: the conlleval script reads one tag per word and
# counts an entity as correct only when its type and both boundaries match. The model, however,
# predicts one tag per **subtoken**. `helpers.make_compute_metrics` bridges the two: for each
# sentence it keeps the prediction of each word's first subtoken (`helpers.words_to_predictions`)
# and scores the word tags with seqeval in conlleval mode (`helpers.span_scores`).
#
# Scoring subtokens directly looks simpler but measures something else. The tiny example below
# takes a *perfect* model: its tag for every word is right. At word level it scores 1.0. Scored
# per subtoken against the labels the classic notebook produced (every subtoken copies its word's
# label, `B-` included), the same model loses points: a word split into two pieces, like *Nadim*
# below, becomes `B-PER B-PER`, which is two entities in the gold, while the perfect prediction
# `B-PER I-PER` is one. The subtoken score also depends on the tokenizer, so two models with
# different vocabularies could not even be compared.
# %% [markdown] lang="zh"
# ## 6. 按词打分，而不是按子词
#
# CoNLL-2003 的结果是按**词**定义的：conlleval 脚本每个词读一个标签，只有类型和左右边界都对上，一个实体才算
# 正确。可模型是给每个**子词**做预测。`helpers.make_compute_metrics` 在两者之间架了一座桥：对每个句子，
# 只取每个词第一个子词的预测（`helpers.words_to_predictions`），再用 conlleval 模式的 seqeval
# （`helpers.span_scores`）给词标签打分。
#
# 直接按子词打分看似简单，量出来的却是另一回事。下面的小例子假设有一个*完美*的模型：每个词的标签都对。按词
# 打分，它得 1.0。若按子词打分、并以经典 notebook 生成的标签为标准答案（每个子词照抄所在词的标签，`B-` 也照抄），
# 同一个模型就会丢分：一个被切成两段的词（例如下面的 *Nadim*）变成 `B-PER B-PER`，在标准答案里算作两个实体，
# 而完美的预测 `B-PER I-PER` 只算一个。此外，子词分数还取决于分词器，词表不同的两个模型根本无法比较。

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
# This is the `compute_metrics` that `build_trainer` installed. `Trainer` hands it the predicted
# ids (`preprocess_logits_for_metrics=helpers.metrics.argmax_logits` keeps only the argmax, not
# all logits, to save memory), and it returns flat numbers such as `overall_f1` and `PER_f1`,
# which `Trainer` logs with an `eval_` prefix.
# %% [markdown] lang="zh"
# 下面就是 `build_trainer` 装上的 `compute_metrics`。`Trainer` 把预测的标签编号交给它
# （`preprocess_logits_for_metrics=helpers.metrics.argmax_logits` 只保留 argmax，不保留全部 logits，以节省内存），
# 它返回 `overall_f1`、`PER_f1` 这样的扁平数值，`Trainer` 记录时会加上 `eval_` 前缀。

# %%
print(inspect.getsource(helpers.make_compute_metrics))

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
# come from this run and vary with the data and the checkpoint.
#
# A tip for CPUs: PyTorch runs one worker thread per core, and the threads wait for each other at
# every operation. If other programs keep the cores busy, training can become several times slower
# than it should be. Starting Jupyter with `OMP_NUM_THREADS=1` then often helps.
# %% [markdown] lang="zh"
# ## 7. 训练
#
# `trainer.train()` 执行训练循环：由整理器组批、前向计算、损失（只在标签不为 -100 的位置上计算交叉熵）、
# 反向传播、AdamW 更新一步、调度器给出新的学习率，并且每 `eval_steps` 步评估一次。运行时不断刷新的表格显示
# 训练损失和验证集上的分数。
#
# 冒烟模式下，这只是在几百个句子上的一次迷你训练：损失会下降，F1 却很低，离完整训练的水平差得远，因为模型才刚
# 开始学习。这些数字来自本次运行，会随数据和检查点而变化。
#
# 关于 CPU 的一个提示：PyTorch 为每个核心开一个工作线程，每做一步运算，线程之间都要互相等待。如果其他程序
# 占着这些核心，训练可能比正常情况慢好几倍。这时用 `OMP_NUM_THREADS=1` 启动 Jupyter 往往会有帮助。

# %%
train_output = trainer.train()
steps = trainer.state.global_step
seconds = train_output.metrics["train_runtime"]
print(f"{steps} steps in {seconds:.0f} s ({seconds / steps:.2f} s per step, evaluations included)")

# %% [markdown] lang="en"
# ## 8. How long would a full run take here?
#
# From the speed just measured we can estimate a full run of the recipe on *this* machine. It is a
# rough figure (evaluation time is mixed in, the full corpus's sentences differ in length from the
# smoke subset's, and other programs running on the machine slow it down), but it tells you whether
# a full run here is a matter of minutes or of hours.
# %% [markdown] lang="zh"
# ## 8. 在这台机器上完整训练要多久？
#
# 根据刚测得的速度，可以估算在*这台*机器上按配方完整训练一遍要多久。这只是粗略估计（其中混入了评估时间，
# 完整语料的句子长度分布和冒烟子集不同，机器上同时运行的其他程序也会拖慢速度），但足以告诉你：在这里完整
# 训练一遍，是几分钟的事，还是几个小时的事。

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
# `trainer.state.log_history` 是一个字典列表：每个记录训练的步一条（`loss`、`learning_rate` 等），每次评估一条
# （`eval_loss`、`eval_overall_f1`、各类型的分数）。`helpers.analysis.log_history_frame` 把它们合并成每步一行，
# `plot_learning_curve` 画出训练损失（左轴）和验证集 F1（右轴）。
#
# 怎么看：损失应当下降；F1 通常会先在 0 附近停留一段时间（模型先学到大多数词是 “O”），然后随着实体被找出来
# 而上升。如果训练损失一直下降而验证集 F1 反而下滑，说明过拟合了；如果两条线都是平的，多半是学习率太小。

# %%
history = analysis.log_history_frame(trainer.state.log_history)
display(history[["epoch", "loss", "learning_rate", "eval_loss", "eval_overall_f1"]].round(4))
analysis.plot_learning_curve(history, title=f"Lesson 3: {steps} steps")
plt.show()

evaluated_at = set(history["eval_overall_f1"].dropna().index)
assert set(range(eval_steps, steps + 1, eval_steps)) <= evaluated_at, evaluated_at

# %% [markdown] lang="en"
# ## 10. Evaluate on validation and test, at word level
#
# `helpers.evaluate_split` predicts a split, keeps one prediction per word and scores it;
# `helpers.format_table` prints precision, recall, F1 and support (the number of gold entities)
# per type. Two checks make sure nothing was lost: every word of the split was scored, and the
# supports add up to the number of gold entities counted directly from the tags. A word cut off by
# truncation would be scored as a miss and reported under the table, never silently dropped.
#
# The **validation** set is the one we look at while developing (it chose when to stop and which
# recipe to use); the **test** set is kept for the final, honest figure.
# %% [markdown] lang="zh"
# ## 10. 在验证集和测试集上按词评估
#
# `helpers.evaluate_split` 对一个数据划分做预测，每个词保留一个预测并打分；`helpers.format_table` 按实体类型
# 打印精确率（precision）、召回率（recall）、F1 和支持数（标准答案中的实体个数）。两项检查确保没有遗漏：该划分的每个词都被计了分；
# 各类型支持数之和等于直接从标签数出来的标准实体数。被截断（truncation）掉的词会记为漏检，并在表格下方报告，
# 绝不会被悄悄丢掉。
#
# **验证集**是开发过程中反复查看的（用它决定何时停止、选哪个配方）；**测试集**留给最终那个诚实的数字。

# %%
results = {}
for split in ("validation", "test"):
    results[split] = helpers.evaluate_split(trainer, tokenized[split], label_names, "ner_tags")
    print(f"== {split} ==\n{helpers.format_table(results[split])}\n")

    gold_tags = [[label_names[i] for i in s] for s in ds[split]["ner_tags"]]
    n_entities = sum(len(analysis.spans(s)) for s in gold_tags)
    assert results[split]["words"] == sum(len(s) for s in gold_tags)
    assert sum(v["number"] for v in results[split]["per_type"].values()) == n_entities

# %% [markdown] lang="en"
# ## 11. Save the model and use it again
#
# `trainer.save_model(folder)` writes the weights as `model.safetensors` (a safe format: loading it
# cannot run code, unlike pickled `.bin` files), the config with our `id2label`, and, because we
# passed `processing_class`, the tokenizer files. That folder is all anyone needs to use the model.
# %% [markdown] lang="zh"
# ## 11. 保存模型并重新使用
#
# `trainer.save_model(folder)` 把权重写成 `model.safetensors`（一种安全格式：与 pickle 格式的 `.bin` 文件不同，
# 加载它不会执行任何代码），写入带有 `id2label` 的配置，而且因为我们传了 `processing_class`，分词器文件也一并保存。
# 有了这个文件夹，任何人都可以使用这个模型。

# %%
model_dir = Path("runs/lesson3/model")
trainer.save_model(str(model_dir))
saved = sorted(p.name for p in model_dir.iterdir())
print(saved)
assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(saved)
assert not any(name.endswith((".bin", ".pt")) and name != "training_args.bin" for name in saved)

# %% [markdown] lang="en"
# The 🤗 `pipeline` loads the folder like any Hub model. With `aggregation_strategy="simple"` it
# merges subtokens and adjacent `B-`/`I-` tags into entity groups, each with a type, a score and
# character offsets into the text. Thanks to `id2label`, the groups are called `PER`, `LOC`, ...
# rather than `LABEL_1`. We tag a sentence from the test set; after a smoke run the list may be
# short or even empty, which is expected from a model that has trained for a few dozen steps.
# Lesson 4 compares the aggregation strategies and the course's own `helpers.Tagger`.
# %% [markdown] lang="zh"
# 🤗 `pipeline` 可以像加载 Hub 上的模型一样加载这个文件夹。设置 `aggregation_strategy="simple"` 后，它会把
# 子词以及相邻的 `B-`/`I-` 标签合并成实体组，每组带有类型、分数和在原文中的字符偏移。多亏了 `id2label`，
# 实体组的名字是 `PER`、`LOC` 等，而不是 `LABEL_1`。我们用测试集里的一个句子来试；冒烟训练之后，结果列表
# 可能很短甚至为空，对一个只训练了几十步的模型来说这很正常。第 4 课会比较不同的聚合策略，以及课程自己的
# `helpers.Tagger`。

# %%
ner = pipeline("token-classification", model=str(model_dir), aggregation_strategy="simple")
example = next(s for s in ds["test"] if sum(t % 2 == 1 for t in s["ner_tags"]) >= 2)  # odd ids are B- tags
text = " ".join(example["tokens"])
print(text)
entities = ner(text)
display(pd.DataFrame(entities, columns=["entity_group", "word", "start", "end", "score"]))

assert ner.model.config.id2label == dict(enumerate(label_names))
assert all(e["entity_group"] in {"PER", "ORG", "LOC", "MISC"} for e in entities)

# %% [markdown] lang="en"
# ## 12. The same job in one command
#
# Everything above (load, tokenize, train, evaluate on validation and test, save) is what
# `helpers.train(helpers.TrainConfig(...))` does, and what the command line runs:
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
# ## 12. 一条命令完成同样的工作
#
# 上面的全部步骤（加载、分词、训练、在验证集和测试集上评估、保存）就是 `helpers.train(helpers.TrainConfig(...))`
# 做的事，也就是命令行执行的内容：
#
# ```bash
# python -m helpers train --task ner
# ```
#
# 它会打印各实体类型的表格，把模型保存到 `runs/ner/model`，并写出 `metrics.json`（里面有训练日志，之后也能画
# 学习曲线）。`--help` 列出所有选项（`--model`、`--epochs`、`--recipe classic`、`--max-train-samples`、
# `--eval-steps`、`--overwrite` 等）。`make run` 用默认设置调用的也是这个任务。

# %% [markdown] lang="en"
# ## Summary
#
# - `load_model(checkpoint, label_names)` gives a token classifier with `id2label`/`label2id`; its
#   `classifier` head is new (MISSING in the load report) and random until trained.
# - `DataCollatorForTokenClassification` pads each batch to its own longest sentence and pads the
#   labels with -100, which the loss ignores.
# - transformers 5 names: `eval_strategy`, `processing_class`, `warmup_steps` below 1 as a ratio,
#   `train_sampling_strategy="group_by_length"`; the course's `WordLevelTrainer` keeps evaluation in
#   dataset order so that predictions line up with the gold words.
# - Score words (first subtoken per word, seqeval in conlleval mode), never subtokens.
# - `trainer.state.log_history` holds the learning curve; `trainer.save_model` writes safetensors,
#   the config with label names and the tokenizer, ready for `pipeline(...)`.
#
# ## Exercises
#
# 1. **Classic recipe.** Train with `helpers.CLASSIC_RECIPE` instead (build new arguments, a new
#    model and a new trainer; tokenize again, since that recipe labels continuation subtokens) and
#    draw both learning curves on one axis. *Hint:* pass `ax=` to `plot_learning_curve`; compare
#    with the measured results in `benchmarks/RESULTS.md`.
# 2. **Part-of-speech tagging.** Repeat the lesson for `"pos_tags"`. Which metric does
#    `compute_metrics` now report, and why not entity F1? *Hint:* `helpers.label_names(ds, "pos_tags")`;
#    plot with `metric="eval_overall_accuracy"`.
# 3. **Why keep the order?** Build a plain `transformers.Trainer` with the same arguments and the
#    *unsorted* validation split, evaluate it, and compare with `trainer.evaluate()`.
#    *Hint:* with `group_by_length` the plain trainer reorders evaluation batches, so its F1 compares
#    predictions with the wrong sentences.
#
# <details><summary>Solution sketch for exercise 1</summary>
#
# ```python
# classic_tok = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", helpers.CLASSIC_RECIPE)
# classic_args = helpers.build_training_args(
#     "runs/lesson3/classic", helpers.CLASSIC_RECIPE, max_steps=SMOKE_MAX_STEPS if SMOKE else None,
#     eval_steps=eval_steps, save_strategy="no",
# )
# set_seed(42)
# classic = helpers.build_trainer(
#     helpers.load_model(checkpoint, label_names), tokenizer, classic_tok, classic_args, "ner_tags"
# )
# classic.train()
# ax = analysis.plot_learning_curve(history, title="course vs classic")
# analysis.plot_learning_curve(analysis.log_history_frame(classic.state.log_history), ax=ax)
# ```
#
# </details>
# %% [markdown] lang="zh"
# ## 小结
#
# - `load_model(checkpoint, label_names)` 得到一个带 `id2label`/`label2id` 的词元分类模型；它的 `classifier`
#   分类头是新建的（加载报告里的 MISSING），训练之前是随机的。
# - `DataCollatorForTokenClassification` 把每个批次填充到该批次最长句子的长度，并用 -100 填充标签，损失函数会忽略它。
# - transformers 5 的新名字：`eval_strategy`、`processing_class`、小于 1 时表示比例的 `warmup_steps`、
#   `train_sampling_strategy="group_by_length"`；课程的 `WordLevelTrainer` 让评估保持数据集顺序，预测才能与标准答案
#   的词对齐。
# - 按词打分（每个词取第一个子词，conlleval 模式的 seqeval），绝不按子词打分。
# - `trainer.state.log_history` 里就是学习曲线；`trainer.save_model` 写出 safetensors 权重、带标签名的配置和分词器，
#   可以直接交给 `pipeline(...)` 使用。
#
# ## 练习
#
# 1. **经典配方。** 改用 `helpers.CLASSIC_RECIPE` 训练（重新构建训练参数、模型和 trainer；还要重新分词，因为这个
#    配方会给连续子词打标签），把两条学习曲线画在同一张图上。*提示：* 给 `plot_learning_curve` 传 `ax=`；并与
#    `benchmarks/RESULTS.md` 中的实测结果对照。
# 2. **词性标注（part-of-speech tagging）。** 对 `"pos_tags"` 重做本课。`compute_metrics` 现在报告的是哪个指标？
#    为什么不是实体 F1？*提示：* `helpers.label_names(ds, "pos_tags")`；画图时用 `metric="eval_overall_accuracy"`。
# 3. **为什么要保持顺序？** 用同样的参数和*未排序*的验证集构建一个普通的 `transformers.Trainer`，评估它，再与
#    `trainer.evaluate()` 比较。*提示：* 开启 `group_by_length` 后，普通 trainer 会重排评估批次，它算出的 F1
#    是拿预测去和错误的句子比较。
#
# <details><summary>练习 1 的参考思路</summary>
#
# ```python
# classic_tok = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", helpers.CLASSIC_RECIPE)
# classic_args = helpers.build_training_args(
#     "runs/lesson3/classic", helpers.CLASSIC_RECIPE, max_steps=SMOKE_MAX_STEPS if SMOKE else None,
#     eval_steps=eval_steps, save_strategy="no",
# )
# set_seed(42)
# classic = helpers.build_trainer(
#     helpers.load_model(checkpoint, label_names), tokenizer, classic_tok, classic_args, "ner_tags"
# )
# classic.train()
# ax = analysis.plot_learning_curve(history, title="course vs classic")
# analysis.plot_learning_curve(analysis.log_history_frame(classic.state.log_history), ax=ax)
# ```
#
# </details>
