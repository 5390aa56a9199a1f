# %% [markdown] lang="en"
# # Lesson 3 — Fine-tuning with `Trainer`
#
# Lesson 2 turned words and labels into aligned subtokens. Now we train: a pre-trained encoder gets a
# new classification head and learns to tag every word with one of CoNLL-2003's nine NER labels.
#
# **After this lesson you will be able to**
#
# - build a token classifier whose config carries the label names, and say why its head is random;
# - batch with `DataCollatorForTokenClassification` and write out `TrainingArguments(...)`;
# - score at **word** level, run `Trainer.train()`, `evaluate()` and `predict()`, read the learning curve;
# - save the model as safetensors, use it through `pipeline(...)`, and choose another checkpoint.
#
# **Prerequisites:** lessons 1 and 2. **Time:** about 40 minutes, plus training: minutes on a GPU,
# longer on a CPU.
# %% [markdown] lang="zh"
# # 第 3 课：用 `Trainer` 微调模型
#
# 第 2 课把词和标签变成了对齐（alignment）后的子词（subword）。这一课开始训练：给预训练编码器接上一个新的分类头，让它学会给每个词打上 CoNLL-2003 九个命名实体识别（NER）标签中的一个。
#
# **学完本课，你将能够：**
#
# - 构建一个配置里带标签名的词元分类模型，并说明它的分类头为什么是随机的；
# - 用 `DataCollatorForTokenClassification` 组成批次（batch），按训练配方（recipe）写出 `TrainingArguments(...)`；
# - 按**词**评分，运行 `Trainer.train()`、`evaluate()` 和 `predict()`，读懂学习曲线；
# - 以 safetensors 格式保存模型，通过 `pipeline(...)` 使用它，并会选择别的检查点。
#
# **预备知识：** 第 1、2 课。**用时：** 约 40 分钟，另加训练时间：GPU 上几分钟，CPU 上更久。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; elsewhere it does nothing. In Colab,
# choose a GPU runtime (*Runtime → Change runtime type*) first: training is much faster there.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境里它什么也不做。在 Colab 中请先选择 GPU 运行时（**代码执行程序 → 更改运行时类型**）：训练会快得多。

# %% colab_install="gpu"

# %%
import inspect
from pathlib import Path

import matplotlib.pyplot as plt
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
from helpers.machine import run_card
from helpers.training import SMOKE_MAX_STEPS

show.inline_plots()  # figures appear in the notebook even where MPLBACKEND=Agg is set

# %% [markdown] lang="en"
# Data and checkpoint as in lessons 1 and 2 (if the loader says "synthetic", no score here says anything
# about CoNLL-2003). Section 12 discusses which checkpoint to choose.
# %% [markdown] lang="zh"
# 和第 1、2 课一样准备数据和检查点（如果加载函数说的是“synthetic”，这里的分数都不代表 CoNLL-2003）。选哪个检查点，第 12 节会讨论。

# %%
SMOKE = helpers.smoke_mode()
full = helpers.load_conll2003()
ds = helpers.smoke_subset(full)
checkpoint = helpers.resolve_checkpoint()

print("checkpoint: ", checkpoint)
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

# %% [markdown] lang="en"
# `AutoModelForTokenClassification.from_pretrained` builds the checkpoint's pre-trained encoder plus
# a new classification layer with `num_labels=9` outputs. Pass `id2label` and `label2id` too: they
# are saved in the config, and without them every pipeline and saved model says `LABEL_0 … LABEL_8`.
#
# Loading prints a **load report**:
#
# | status | keys | meaning |
# |---|---|---|
# | `MISSING` | `classifier.weight`, `classifier.bias` | needed but not in the checkpoint: **created with random values** |
# | `UNEXPECTED` | e.g. `pooler.dense.*` | in the checkpoint but unused by a token classifier: dropped |
#
# Both are expected here. `set_seed(42)` comes first because the head's random values are drawn when
# the model is created, before `Trainer` (which also seeds) exists.
# %% [markdown] lang="zh"
# `AutoModelForTokenClassification.from_pretrained` 构建检查点里预训练好的编码器，再加一个有 `num_labels=9` 个输出的新分类层。还要传入 `id2label` 和 `label2id`：它们保存在配置里，没有它们，每个 pipeline 和保存下来的模型都只会写着 `LABEL_0 … LABEL_8`。
#
# 加载时会打印一份**加载报告**：
#
# | 状态 | 参数名 | 含义 |
# |---|---|---|
# | `MISSING` | `classifier.weight`、`classifier.bias` | 模型需要、检查点里没有：**用随机值新建** |
# | `UNEXPECTED` | 例如 `pooler.dense.*` | 检查点里有、词元分类模型用不到：丢弃 |
#
# 这两种情况在这里都在意料之中。先调用 `set_seed(42)`，是因为分类头的随机值在创建模型时就抽取了，那时还没有 `Trainer`（它也会设置随机种子）。

# %%
tokenizer = helpers.load_tokenizer(checkpoint)
id2label = dict(enumerate(label_names))
label2id = {name: i for i, name in id2label.items()}

set_seed(42)
model = AutoModelForTokenClassification.from_pretrained(
    checkpoint, num_labels=len(label_names), id2label=id2label, label2id=label2id
)

print(model.config.id2label)

# %% [markdown] lang="en"
# Later lessons call `helpers.load_model(checkpoint, label_names)`: the same call, plus a clear error
# when a checkpoint already has a head for another number of labels, and `use_safetensors=True`
# (weights are never loaded from pickle files). From the same seed it draws the same head.
# %% [markdown] lang="zh"
# 后面几课调用 `helpers.load_model(checkpoint, label_names)`：同样的调用，另外在检查点已带有标签数不同的分类头时给出清楚的报错，并传入 `use_safetensors=True`（绝不从 pickle 文件加载权重）。从同一个随机种子出发，它抽出的分类头相同。

# %%
print(inspect.getsource(helpers.load_model))

# %% check="1"
assert label_names == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
assert model.config.id2label == dict(enumerate(label_names))
assert model.config.label2id == {name: i for i, name in enumerate(label_names)}
set_seed(42)
same = helpers.load_model(checkpoint, label_names)
assert torch.equal(same.classifier.weight, model.classifier.weight)
assert same.config.id2label == model.config.id2label
del same

# %% [markdown] lang="en"
# ### Why the head is new
#
# The checkpoint turns subtokens into context-aware vectors but has never seen our labels; a token
# classifier adds one linear layer, the **head**, mapping each vector to nine scores. The checkpoint's
# weight file holds no `classifier` tensor (the cell opens it), so the head is random until training.
# %% [markdown] lang="zh"
# ### 为什么分类头是新的
#
# 检查点会把子词变成结合上下文的向量，但从没见过我们的标签；词元分类模型加了一个线性层，即**分类头**，把每个向量映射成九个分数。检查点的权重文件里没有任何 `classifier` 张量（下面的单元格打开了它），所以分类头在训练之前是随机的。

# %%
weights_file = cached_file(checkpoint, "model.safetensors")
with safe_open(weights_file, framework="pt") as f:
    stored_keys = list(f.keys())
head = {name: tuple(p.shape) for name, p in model.named_parameters() if name.startswith("classifier")}

print("tensors in the checkpoint file:", len(stored_keys))
print("classifier tensors in the file:", [k for k in stored_keys if "classifier" in k])
print("new head:", head)

# %% check="1"
assert not any("classifier" in k for k in stored_keys)
assert head["classifier.weight"] == (len(label_names), model.config.hidden_size)

# %% [markdown] lang="en"
# ## 2. Tokenize and align every split
#
# `helpers.tokenize_dataset` is lesson 2's `Dataset.map` call. Besides the model inputs and the aligned
# `labels`, it keeps two columns for word-level scoring: the gold word labels `ner_tags` and the
# `word_ids`. Only the training split follows the recipe's `label_all_tokens`; validation and test
# label the first subtoken of each word only, so their `labels` mark exactly the words that are scored.
# %% [markdown] lang="zh"
# ## 2. 把每个数据划分切分为子词并对齐
#
# `helpers.tokenize_dataset` 就是第 2 课的 `Dataset.map` 调用。除了模型输入和对齐后的 `labels`，它还为按词评分保留两列：词级别的金标（gold）标签 `ner_tags` 和 `word_ids`。只有训练集遵循配方中的 `label_all_tokens`；验证集和测试集只给每个词的第一个子词打标签，所以它们的 `labels` 恰好标出要评分的那些词。

# %%
tokenized = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", helpers.COURSE_RECIPE)
columns = tokenized["train"].column_names
print(columns)

# %% check="1"
assert {"input_ids", "attention_mask", "labels", "word_ids", "ner_tags"} <= set(columns)

# %% [markdown] lang="en"
# ## 3. Batches: `DataCollatorForTokenClassification` and dynamic padding
#
# A batch is one rectangular tensor. The **data collator** pads each batch to the length of *its*
# longest sentence (dynamic padding), so short batches stay short, and it pads `labels` with
# **-100**, which the loss ignores. Below, two sentences of different lengths: both rows now have the
# longer length, the `attention_mask` is 0 on padding, and the shorter row's `labels` end in -100.
# (`Trainer` drops the two word-level columns before collating; here we leave them out ourselves.)
# %% [markdown] lang="zh"
# ## 3. 组批：`DataCollatorForTokenClassification` 与动态填充
#
# 一个批次是一个规整的矩形张量。**数据整理器（data collator）**只把每个批次填充到**这个批次**里最长句子的长度（动态填充），短句组成的批次依旧很短；它还用 **-100** 填充 `labels`，损失函数会忽略这个值。下面把两个长度不同的句子组成一批：两行都变成了较长的长度，填充位置的 `attention_mask` 为 0，较短那一行的 `labels` 以 -100 结尾。（`Trainer` 在组批前会删掉两列词级别的数据；这里我们自己把它们留在外面。）

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

# %% check="1"
assert collator.label_pad_token_id == -100
assert batch["input_ids"].shape == (2, max(lengths[first], lengths[second]))
assert (batch["labels"][short_row, short_len:] == -100).all()
assert (batch["attention_mask"][short_row, short_len:] == 0).all()

# %% [markdown] lang="en"
# ## 4. `TrainingArguments`, one by one
#
# We write every setting out, with the values of the course recipe `helpers.COURSE_RECIPE`, a small
# dataclass whose fields were chosen by measurement against the classic Hugging Face notebook's
# settings, `helpers.CLASSIC_RECIPE` (`benchmarks/README.md` has the comparison). That measurement
# used the offline 384-wide MiniLM, and a learning rate that suits a small encoder is too high for a
# larger one, so `helpers.recipe_for(recipe, model.config)` gives encoders of hidden size 768 or more
# `helpers.BASE_RECIPE`: learning rate 5e-5 and 3 epochs, the top of the range the BERT paper
# recommends (2e-5 to 5e-5, 2 to 4 epochs), taken from that paper, not measured here.
# `save_strategy="no"`: we save the final model ourselves in section 10. The table after the cell
# says what each argument does.
# %% [markdown] lang="zh"
# ## 4. 逐项理解 `TrainingArguments`
#
# 我们把每个设置都写出来，取值来自课程配方 `helpers.COURSE_RECIPE`：一个小 dataclass，它的字段是与 Hugging Face 经典 notebook 的设置 `helpers.CLASSIC_RECIPE` 对比实测后选定的（对比见 `benchmarks/README.zh.md`）。那次测量用的是离线的 MiniLM（隐藏维度 384），适合小编码器的学习率对大模型来说太高，所以 `helpers.recipe_for(recipe, model.config)` 给隐藏维度不小于 768 的编码器返回 `helpers.BASE_RECIPE`：学习率 5e-5、训练 3 轮，取的是 BERT 论文推荐范围（2e-5 到 5e-5，2 到 4 轮）的上端，依据那篇论文，并未在这里实测。`save_strategy="no"`：最终模型由我们在第 10 节自己保存。单元格后面的表格说明每个参数的作用。

# %%
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, model.config)  # BASE_RECIPE for 768-wide encoders
if SMOKE:  # TOKCLS_SMOKE=1, a test run of a few dozen steps: a higher rate so that they learn something
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

# %% [markdown] lang="en"
# | argument | why |
# |---|---|
# | `learning_rate` | AdamW's step size, small for a pre-trained encoder |
# | `per_device_train_batch_size` | sentences per step (per GPU): larger runs more efficiently, smaller fits in less memory |
# | `per_device_eval_batch_size` | no gradients in evaluation, so bigger batches |
# | `num_train_epochs` / `max_steps` | passes over the training set; a positive `max_steps` overrides them |
# | `weight_decay` | mild regularisation (AdamW's decoupled decay) |
# | `bf16` / `fp16` / `use_cpu` | mixed precision from `precision="auto"`: bf16 where the hardware runs it natively (GPUs of compute capability 8.0+, CPUs with AMX or AVX512-BF16), fp16 on other GPUs, else fp32; on a CPU, `use_cpu=True` lets transformers autocast to bf16. The values depend on your machine |
# | `warmup_steps` | the rate rises from 0 first, so the random head does not shake the encoder; below 1, a fraction of all steps |
# | `lr_scheduler_type` | then the rate decays linearly to 0 |
# | `train_sampling_strategy` | `"group_by_length"` batches similar lengths, so padding stays small; evaluation and prediction rows come back reordered too (section 9) |
# | `eval_strategy` / `eval_steps` | evaluate every `eval_steps` steps |
# | `save_strategy` | resumable checkpoints; `"no"` here |
# | `logging_strategy` / `logging_steps` | how often the loss is logged: the learning curve |
# | `seed` / `data_seed` | `Trainer` seeds the generators **when it is created** (hence our own `set_seed` before the head); `data_seed` fixes the batch order |
# | `report_to` | `"none"`: no logging service is contacted |
#
# The later lessons call `helpers.build_training_args(output_dir, recipe, ...)`, which writes this
# same call.
# %% [markdown] lang="zh"
# | 参数 | 为什么 |
# |---|---|
# | `learning_rate` | AdamW 的步长，预训练过的编码器用较小的值 |
# | `per_device_train_batch_size` | 每步（每块 GPU）的句子数：大则算得更有效率，小则更省内存 |
# | `per_device_eval_batch_size` | 评估不需要梯度，批次可以更大 |
# | `num_train_epochs` / `max_steps` | 把训练集过几遍；`max_steps` 大于 0 时覆盖轮次 |
# | `weight_decay` | 轻度正则化（AdamW 的解耦权重衰减） |
# | `bf16` / `fp16` / `use_cpu` | 混合精度，来自 `precision="auto"`：硬件原生支持时用 bf16（计算能力 8.0 及以上的 GPU，支持 AMX 或 AVX512-BF16 的 CPU），其他 GPU 用 fp16，否则用 fp32；在 CPU 上，`use_cpu=True` 让 transformers 能自动转为 bf16。取值取决于你的机器 |
# | `warmup_steps` | 学习率先从 0 升高，免得随机的分类头扰乱编码器；小于 1 时表示占总步数的比例 |
# | `lr_scheduler_type` | 随后学习率线性衰减到 0 |
# | `train_sampling_strategy` | `"group_by_length"` 把长度相近的句子放进同一批次，填充很少；评估和预测返回的行也会被重排（第 9 节） |
# | `eval_strategy` / `eval_steps` | 每 `eval_steps` 步评估一次 |
# | `save_strategy` | 可续训的检查点；这里为 `"no"` |
# | `logging_strategy` / `logging_steps` | 多久记录一次损失，即学习曲线 |
# | `seed` / `data_seed` | `Trainer` 在**被创建时**设置随机种子（所以抽取分类头之前要自己调用 `set_seed`）；`data_seed` 固定批次顺序 |
# | `report_to` | `"none"`：不连接任何日志服务 |
#
# 后面几课调用 `helpers.build_training_args(output_dir, recipe, ...)`，它写出的正是这个调用。

# %% check="1"
assert args.learning_rate == recipe.learning_rate and args.warmup_steps == recipe.warmup_ratio < 1
assert args.eval_strategy == "steps" and args.eval_steps == eval_steps
same_args = helpers.build_training_args(
    "runs/lesson3/checkpoints",
    recipe,
    seed=42,
    max_steps=SMOKE_MAX_STEPS if SMOKE else None,
    eval_steps=eval_steps,
    save_strategy="no",
)
assert not [name for name in shown if getattr(same_args, name) != getattr(args, name)]

# %% [markdown] lang="en"
# ## 5. Scoring words, not subtokens
#
# CoNLL-2003 results are defined per **word** (conlleval: an entity is correct only when its type and
# both ends match), but the model predicts per **subtoken**. The bridge is lesson 2's rule: keep each
# word's first subtoken (`helpers.words_to_predictions`) and score the words with seqeval in conlleval
# mode (`helpers.span_scores`). Scoring subtokens measures something else: below, a *perfect* model
# scored per subtoken against the classic notebook's labels (`B-` copied to every piece) loses points,
# because the gold then counts a split name as several entities; and subtoken scores of two models
# with different vocabularies cannot be compared.
# %% [markdown] lang="zh"
# ## 5. 按词打分，而不是按子词
#
# CoNLL-2003 的结果是按**词**定义的（conlleval：类型和两端都对上，实体才算正确），模型却是按**子词**预测。桥梁是第 2 课的规则：取每个词第一个子词的预测（`helpers.words_to_predictions`），再用 conlleval 模式的 seqeval（`helpers.span_scores`）给词打分。按子词打分量的是另一回事：下面一个**完美**的模型，若按子词、以经典 notebook 的标签（`B-` 照抄给每个子词）为金标来打分，就会丢分，因为金标把一个被切开的人名算成了好几个实体；而且词表不同的两个模型，子词分数无法比较。

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

# %% check="1"
assert by_word["overall_f1"] == 1.0
assert by_subtoken["overall_f1"] < 1.0

# %% [markdown] lang="en"
# `Trainer` calls `compute_metrics(eval_pred)` after each evaluation with the logits and labels of every
# row, and logs what it returns with an `eval_` prefix. `helpers.make_compute_metrics(label_names)`, below,
# reads each row's words from its own labels (in evaluation splits only first subtokens carry one), so rows
# may come in any order, as `group_by_length` returns them.
# %% [markdown] lang="zh"
# `Trainer` 每次评估后都用每一行的 logits 和标签调用 `compute_metrics(eval_pred)`，并给它返回的数字加上 `eval_` 前缀记录下来。下面的 `helpers.make_compute_metrics(label_names)` 从每一行自己的标签读出这一行的词（评估用的划分里只有首个子词带标签），所以各行以任何顺序到来都可以，`group_by_length` 返回的正是重排过的行。

# %%
print(inspect.getsource(helpers.make_compute_metrics))
compute_metrics = helpers.make_compute_metrics(label_names)

# %% [markdown] lang="en"
# ## 6. The `Trainer`
#
# `Trainer` wires together the model, the arguments, the training and validation splits, the collator,
# the tokenizer as **`processing_class=`** (saved next to the model; it replaced `tokenizer=`), and our
# `compute_metrics`.
# %% [markdown] lang="zh"
# ## 6. `Trainer`
#
# `Trainer` 把模型、训练参数、训练集和验证集、数据整理器、作为 **`processing_class=`** 传入的分词器（随模型一起保存；它取代了旧参数 `tokenizer=`）以及我们的 `compute_metrics` 连在一起。

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
# `trainer.train()` runs the loop: batches from the collator, forward pass, loss (cross-entropy over
# the positions whose label is not -100), backward pass, an AdamW step, the scheduler's new rate, and
# an evaluation every `eval_steps` steps. The table that updates while it runs shows the training loss
# and the validation scores; the cell then prints the steps, the time and the epochs of this run.
#
# On a CPU that other programs keep busy, PyTorch's threads wait for each other and training can slow
# down several times; starting Jupyter with `OMP_NUM_THREADS=1` often helps.
# %% [markdown] lang="zh"
# ## 7. 训练
#
# `trainer.train()` 执行训练循环：由整理器组批、前向计算、损失（只在标签不为 -100 的位置上计算交叉熵）、反向传播、AdamW 更新一步、调度器给出新的学习率，并每 `eval_steps` 步评估一次。运行时不断刷新的表格显示训练损失和验证集分数；单元格随后打印本次运行的步数、用时和轮数。
#
# 如果 CPU 被其他程序占着，PyTorch 的各个线程会互相等待，训练可能慢好几倍；这时用 `OMP_NUM_THREADS=1` 启动 Jupyter 往往有帮助。

# %%
card = run_card(checkpoint, epochs=args.num_train_epochs, sentences=len(tokenized["train"]))
train_output = trainer.train()
card.finish()
steps = trainer.state.global_step
seconds = train_output.metrics["train_runtime"]
print(f"{steps} steps in {seconds:.0f} s ({seconds / steps:.2f} s per step, evaluations included)")
print(f"epochs: {trainer.state.epoch:.2f} completed of the {trainer.state.num_train_epochs} planned")

# %% [markdown] lang="en"
# ## 8. The learning curve
#
# `trainer.state.log_history` holds one dict per logged training step (`loss`, `learning_rate`) and one
# per evaluation (`eval_loss`, `eval_overall_f1`, per-type scores);
# `helpers.analysis.log_history_frame` merges them into one row per step, and `plot_learning_curve`
# draws the training loss (left axis) and the validation F1 (right axis).
# %% [markdown] lang="zh"
# ## 8. 学习曲线
#
# `trainer.state.log_history` 中，每个记录训练的步一条（`loss`、`learning_rate`），每次评估一条（`eval_loss`、`eval_overall_f1`、各类型的分数）；`helpers.analysis.log_history_frame` 把它们合并成每步一行，`plot_learning_curve` 画出训练损失（左轴）和验证集 F1（右轴）。

# %%
history = analysis.log_history_frame(trainer.state.log_history)
display(history[["epoch", "loss", "learning_rate", "eval_loss", "eval_overall_f1"]].round(4))
analysis.plot_learning_curve(history, title=f"Lesson 3: {steps} steps")
plt.show()

# %% check="1"
evaluated_at = set(history["eval_overall_f1"].dropna().index)
assert set(range(eval_steps, steps + 1, eval_steps)) <= evaluated_at, evaluated_at

# %% [markdown] lang="en"
# Read the `eval_overall_f1` column from its first value to its last. A pre-trained encoder finds
# many entities early, so the first evaluation may already be high; what the remaining steps buy is
# the difference to the last value. If the last evaluations barely move, more epochs would buy
# little; if the training loss keeps falling while validation F1 drops, the model is overfitting; if
# both stay flat, the learning rate is probably too small. The `learning_rate` column shows the
# warm-up and the linear decay.
# %% [markdown] lang="zh"
# 从第一个值到最后一个值读一遍 `eval_overall_f1` 列。预训练过的编码器很早就能找出许多实体，所以第一次评估可能就已经很高；其余步数换来的是它与最后一个值之间的差。如果最后几次评估几乎不动，再加轮次也收获不大；如果训练损失一直下降而验证集 F1 反而下滑，就是过拟合；如果两者都是平的，多半是学习率太小。`learning_rate` 列显示了预热和线性衰减。

# %% [markdown] lang="en"
# ## 9. Evaluate on validation and test with `Trainer`
#
# `trainer.evaluate()` runs one more evaluation of the validation split and returns its numbers. The
# **validation** set is the one we look at while developing (the recipe was chosen on it); nothing here
# stops training early on it, so the model we keep is the one of the last step. The **test** set is
# kept for the final figure.
# %% [markdown] lang="zh"
# ## 9. 用 `Trainer` 在验证集和测试集上评估
#
# `trainer.evaluate()` 在验证集上再评估一次，返回各项数字。**验证集**是开发过程中查看的（配方就是在它上面选出来的）；这里不会根据它提前停止训练，留下来的是最后一步的模型。**测试集**留给最终的那个数字。

# %%
val_metrics = trainer.evaluate()
print({k: round(v, 4) for k, v in val_metrics.items() if k.startswith("eval_overall")})

# %% [markdown] lang="en"
# For the test set, `trainer.predict(tokenized["test"])` returns `predictions` (logits), `label_ids`
# and `metrics`. We turn the predictions into word-level scores ourselves:
#
# 1. `argmax` over the last axis gives one label id per subtoken.
# 2. **Mind the order.** `group_by_length` reorders prediction rows too: pair predictions with
#    `label_ids`, never with the dataset's rows.
# 3. In each row, the positions whose label is not -100 are the words: gold tags and one prediction each.
# 4. A word lost to truncation has no position but still counts as a **miss**.
# %% [markdown] lang="zh"
# 对测试集，`trainer.predict(tokenized["test"])` 返回 `predictions`（logits）、`label_ids` 和 `metrics`。我们自己把预测变成按词的分数：
#
# 1. 在最后一维上取 `argmax`，每个子词得到一个标签编号。
# 2. **注意顺序。** `group_by_length` 也会重排预测的各行：要把预测与 `label_ids` 配对，绝不要与数据集的行配对。
# 3. 在每一行中，标签不为 -100 的位置就是各个词：金标标签和每词一个预测。
# 4. 因截断丢失的词没有位置，但仍算作**漏检**。

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

keep = label_ids != -100
gold_words = [row[mask].tolist() for row, mask in zip(label_ids, keep)]
pred_words = [row[mask].tolist() for row, mask in zip(pred_ids, keep)]
lost = sum(
    helpers.count_truncated_words(w, len(g)) for w, g in zip(test_rows["word_ids"], test_rows["ner_tags"])
)
test_scores = helpers.score_word_ids(gold_words, pred_words, label_names)
print(f"words scored: {test_scores['words']}, words lost to truncation (misses): {lost}")
print(helpers.format_table(test_scores))

# %% check="1"
for labels, wids in zip(test_rows["labels"], test_rows["word_ids"]):
    starts = [i for i, w in enumerate(wids) if w >= 0 and (i == 0 or wids[i - 1] != w)]
    assert [i for i, lab in enumerate(labels) if lab != -100] == starts
assert lost == 0 and test_scores["words"] == sum(len(tags) for tags in ds["test"]["ner_tags"])
assert abs(test_scores["overall_f1"] - test_output.metrics["test_overall_f1"]) < 1e-9

# %% [markdown] lang="en"
# The first line shows how many rows `Trainer` returned out of order: pairing them with the dataset
# by index would have compared most predictions with the wrong sentence. The table is the word-level
# score of this run, the same figure `compute_metrics` reported in `test_output.metrics`. Read the
# per-type rows against `overall`: the types with the lowest F1 pull the total down, and `support`
# says how much each weighs (lesson 4 looks at the errors behind them).
#
# How much of a difference between two runs is real? The benchmark trained the course recipe with
# seeds 42, 43 and 44 on the same data (`benchmarks/results/recipes.md`, all-MiniLM-L6-v2 on a
# CPU): test F1 0.8583, 0.8554 and 0.8546, a spread of 0.4 points from the seed alone (classic
# recipe: 0.8310, 0.8280, 0.8311). A gap of that size between this run and another one is noise,
# not a finding; read the comparisons of lessons 5 and 8 the same way. The benchmark took each word's
# best tag, as the table above does; section 10's scores add what constrained decoding gains.
# %% [markdown] lang="zh"
# 第一行显示 `Trainer` 返回的行中有多少不在原位：如果按下标与数据集配对，大多数预测都会与错误的句子比较。表格是本次运行按词计算的分数，与 `compute_metrics` 在 `test_output.metrics` 中报告的数字相同。对照 `overall` 读各类型的行：F1 最低的类型把总分往下拉，`support` 说明每种类型占多大分量（第 4 课会看这些错误背后的原因）。
#
# 两次运行之间的差别有多少是真的？基准测试用随机种子 42、43、44 在同样的数据上训练了课程配方（`benchmarks/results/recipes.md`，CPU 上的 all-MiniLM-L6-v2）：测试集 F1 为 0.8583、0.8554 和 0.8546，仅随机种子就造成 0.4 个百分点的差别（经典配方：0.8310、0.8280、0.8311）。本次运行与另一次运行之间这么大的差距只是噪声，不能算作发现；第 5 课和第 8 课中的比较也要这样看。基准测试给每个词取得分最高的标签，和上面的表格一样；第 10 节的分数还包含了约束解码带来的提升。

# %% [markdown] lang="en"
# ## 10. Save the model, score it, use it again
#
# `trainer.save_model(folder)` writes the weights as `model.safetensors` (loading it cannot run code,
# unlike pickled `.bin` files), the config with our `id2label`, and the tokenizer files: that folder
# is all anyone needs to use the model.
# %% [markdown] lang="zh"
# ## 10. 保存模型、评分并重新使用
#
# `trainer.save_model(folder)` 把权重写成 `model.safetensors`（与 pickle 格式的 `.bin` 文件不同，加载它不会执行代码），并写入带有 `id2label` 的配置和分词器文件：有了这个文件夹，任何人都能使用这个模型。

# %%
model_dir = Path("runs/lesson3/model")
trainer.save_model(str(model_dir))
saved = sorted(p.name for p in model_dir.iterdir())
print(saved)

# %% check="1"
assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(saved)
assert not any(name.endswith((".bin", ".pt")) and name != "training_args.bin" for name in saved)

# %% [markdown] lang="en"
# The course scores its final figures with `helpers.evaluate_split(model, split, label_column)`: it
# takes the **untokenized** split, tags its words with `helpers.Tagger` (lesson 4), which reads
# sentences longer than the model's limit in overlapping windows, and counts a word that still gets no
# prediction as a miss. Given a saved folder, it runs the model in fp32 whatever precision training
# used, so a saved model scores the same on every machine. By default it also decodes with
# constraints: each sentence gets the best tag sequence IOB2 allows (never `I-ORG` after `O`; lesson 9
# explains it), not each word's best tag on its own.
# %% [markdown] lang="zh"
# 课程的最终分数由 `helpers.evaluate_split(model, split, label_column)` 计算：它接收**未切分**的数据划分，用 `helpers.Tagger`（第 4 课）标注其中的词；`Tagger` 用相互重叠的窗口读取超过模型长度上限的句子，仍然得不到预测的词算作漏检。传入保存好的文件夹时，无论训练用的是什么精度，它都用 fp32 运行模型，所以保存下来的模型在每台机器上得到的分数都相同。它默认还做约束解码：给每个句子取 IOB2 允许的最好的标签序列（`O` 后面绝不会出现 `I-ORG`，第 9 课会细讲），而不是让每个词各取自己分数最高的标签。

# %%
results = {}
for split in ("validation", "test"):
    results[split] = helpers.evaluate_split(model_dir, ds[split], "ner_tags")
    print(f"== {split} ==\n{helpers.format_table(results[split])}\n")
trainer_f1, split_f1 = val_metrics["eval_overall_f1"], results["validation"]["overall_f1"]
print(f"validation F1: Trainer ({precision}) {trainer_f1:.4f}, evaluate_split (fp32) {split_f1:.4f}")

# %% check="1"
for split in ("validation", "test"):
    gold_tags = [[label_names[i] for i in s] for s in ds[split]["ner_tags"]]
    n_entities = sum(len(analysis.spans(s)) for s in gold_tags)
    assert results[split]["words"] == sum(len(s) for s in gold_tags)
    assert sum(v["number"] for v in results[split]["per_type"].values()) == n_entities

# %% [markdown] lang="en"
# Compare the last line's two validation figures. `Trainer` scored in the training precision and took
# each word's best tag; `evaluate_split` ran in fp32 and decoded with constraints. A word whose two best
# labels are nearly tied can flip, and a repaired span can turn an error into a hit, so the two figures
# differ: the last line shows by how much in this run. Then compare the validation and test tables: on
# CoNLL-2003 the test split is the harder one, and the benchmark's runs show the same gap.
# %% [markdown] lang="zh"
# 对比最后一行的两个验证集数字：`Trainer` 按训练时的数值精度评分，每个词取分数最高的标签；`evaluate_split` 用 fp32 运行，并做约束解码。最好的两个标签几乎打平的词可能翻转，修复后的片段也可能把一个错误变成命中，所以两个数字不同，这次运行相差多少，看最后一行。再对比验证集和测试集两张表：在 CoNLL-2003 上测试集更难，基准测试的各次运行也有同样的差距。

# %% [markdown] lang="en"
# The 🤗 `pipeline` loads the folder like any Hub model. With `aggregation_strategy="simple"` it
# merges subtokens and adjacent `B-`/`I-` tags into entity groups with a type, a score and character
# offsets; thanks to `id2label` they are called `PER`, `LOC`, ... We tag a test sentence and print its
# gold entities above the model's (lesson 4 compares the aggregation strategies).
#
# With the real CoNLL-2003 files this is the first test sentence, a football headline, and its gold
# labels are worth a look: *CHINA*, the national team, is tagged `B-PER`, while *JAPAN* in the same
# headline is `B-LOC`. A model that says `LOC` for *CHINA* is counted wrong: some of every model's
# "errors" on CoNLL-2003 are errors of the gold labels.
# %% [markdown] lang="zh"
# 🤗 `pipeline` 可以像加载 Hub 上的模型一样加载这个文件夹。设置 `aggregation_strategy="simple"` 后，它把子词以及相邻的 `B-`/`I-` 标签合并成实体组，每组带有类型、分数和字符偏移；多亏了 `id2label`，它们叫 `PER`、`LOC` 等。我们标注一个测试集句子，把它的金标实体打印在模型给出的实体上方（第 4 课会比较各种聚合策略）。
#
# 如果用的是真实的 CoNLL-2003 文件，这就是测试集的第一句，一条足球新闻的标题，它的金标标签值得细看：指国家队的 *CHINA* 被标成了 `B-PER`，同一个标题里的 *JAPAN* 则是 `B-LOC`。把 *CHINA* 标成 `LOC` 的模型会被判错：在 CoNLL-2003 上，每个模型的“错误”里都有一部分其实是金标标签的错误。

# %%
ner = pipeline("token-classification", model=str(model_dir), aggregation_strategy="simple")
example = next(s for s in ds["test"] if sum(t % 2 == 1 for t in s["ner_tags"]) >= 2)  # odd ids are B- tags
text = " ".join(example["tokens"])
print(text)
gold_tags = [label_names[i] for i in example["ner_tags"]]
print("gold:", [(" ".join(example["tokens"][a:b]), kind) for kind, a, b in analysis.spans(gold_tags)])
entities = ner(text)
display(pd.DataFrame(entities, columns=["entity_group", "word", "start", "end", "score"]))

# %% check="1"
assert ner.model.config.id2label == dict(enumerate(label_names))
assert all(e["entity_group"] in {"PER", "ORG", "LOC", "MISC"} for e in entities)

# %% [markdown] lang="en"
# ## 11. The same job in one call
#
# Everything above (load, tokenize, build the model, the arguments and the `Trainer`, train, evaluate,
# save) is what `helpers.train(helpers.TrainConfig(...))` does in one call; a test
# (`tests/test_lesson_jobs.py`) checks that it logs the same losses and ends with the same weights as
# the cells above. On the command line the same job is
#
# ```bash
# python -m helpers train --task ner
# ```
#
# It prints the per-type tables, saves the model to `runs/ner/model` and writes `metrics.json` (with
# the log history); `--help` lists the options (`--model`, `--epochs`, `--recipe classic`, ...), and
# `make run` calls it with the defaults.
# %% [markdown] lang="zh"
# ## 11. 一次调用完成同样的工作
#
# 上面的全部步骤（加载、切分、构建模型、训练参数和 `Trainer`、训练、评估、保存）就是 `helpers.train(helpers.TrainConfig(...))` 一次调用所做的事；有一个测试（`tests/test_lesson_jobs.py`）检查它记录的损失和最后的权重与上面各单元格的相同。在命令行上，同样的工作是：
#
# ```bash
# python -m helpers train --task ner
# ```
#
# 它打印各类型的表格，把模型保存到 `runs/ner/model`，并写出 `metrics.json`（含训练日志）；`--help` 列出所有选项（`--model`、`--epochs`、`--recipe classic` 等），`make run` 用默认设置调用它。

# %% [markdown] lang="en"
# ## 12. Choosing a checkpoint
#
# The checkpoint is one string (`TOKCLS_MODEL`, or `model=` in `TrainConfig`); the code above does not
# change with it. What the string buys:
#
# **Cased or uncased.** distilbert-base-uncased, the classic notebook's choice and this course's online
# default (kept so that figures compare with that notebook), lower-cases every word before the model
# sees it (lesson 2). For English NER that throws away a strong cue: a capital letter in mid-sentence
# usually starts a name. The next cell counts the test entities that lower-casing makes look like
# ordinary words of the training split: entities with a word that occurs outside entities in training
# only in another letter case (*Labour* the party, *labour* the noun).
# %% [markdown] lang="zh"
# ## 12. 选择检查点
#
# 检查点只是一个字符串（`TOKCLS_MODEL`，或 `TrainConfig` 中的 `model=`），上面的代码不随它改变。这个字符串决定了什么：
#
# **区分大小写与否。** 经典 notebook 选用、也是本课程联网时默认的 distilbert-base-uncased（保留它是为了能与那个 notebook 的数字对照）会在模型看到之前把每个词都转成小写（第 2 课）。对英文命名实体识别来说，这丢掉了一条很强的线索：句中出现的大写字母通常是名字的开头。下一个单元格统计测试集中有多少实体在转成小写后看起来就像训练集里的普通词：实体中有词在训练集里只以另一种大小写出现在实体之外（政党 *Labour* 与名词 *labour*）。

# %%
tags_of = {split: [[label_names[i] for i in s] for s in ds[split]["ner_tags"]] for split in ("train", "test")}
case_only = analysis.case_only_entities(
    ds["train"]["tokens"], tags_of["train"], ds["test"]["tokens"], tags_of["test"]
)
print(f"test entities: {case_only.entities}")
print(f"  with a word seen outside entities in training only in another case: {case_only.some_word}")
print(f"  every word of the entity so: {case_only.every_word}, e.g. {case_only.examples}")

# %% [markdown] lang="en"
# Read the two counts against the first line: for these entities an uncased model has one cue fewer
# (for the second count, it sees only ordinary words). Context still settles many of them, so the
# counts bound the cost rather than measure it. A cased checkpoint (`distilbert/distilbert-base-cased`,
# `google-bert/bert-base-cased`) keeps the cue.
#
# **Small or base.** Size buys accuracy for time. The BERT paper reports CoNLL-2003 test F1 92.4 for
# BERT-base and 92.8 for BERT-large, three times its size; the DistilBERT paper reports keeping 97% of
# BERT's language understanding with 40% fewer parameters, 60% faster. The offline MiniLM is smaller
# still (6 layers of width 384): good for learning on a CPU, not for the best score.
#
# **Multilingual.** XLM-R (`FacebookAI/xlm-roberta-base`, `-large`) was pre-trained on 2.5 TB of
# CommonCrawl text in 100 languages; its paper reports 2.4 F1 points over multilingual BERT on NER.
# Choose it for text that is not English or mixes languages; lesson 7 uses Chinese checkpoints.
#
# **Newer English encoders.** RoBERTa (`FacebookAI/roberta-base`) is BERT pre-trained longer on more
# text, with a byte-level BPE vocabulary. DeBERTa-v3 (`microsoft/deberta-v3-base`: 86M backbone
# parameters, a 128K vocabulary) reports MNLI accuracy 90.6 on its model card against 87.6 for
# RoBERTa-base. ModernBERT (`answerdotai/ModernBERT-base`: 22 layers, 149M parameters) reads up to
# 8,192 tokens and was trained on 2 trillion tokens of English and code. These are the authors'
# figures, mostly on tasks other than NER: measure on your data before you switch (on a GPU,
# `python -m benchmarks.recipes --model <checkpoint>`).
#
# **What changes in the code.** The name, and two details: byte-level BPE tokenizers such as RoBERTa's
# accept `is_split_into_words=True` only when created with `add_prefix_space=True`
# (`helpers.load_tokenizer` passes it; with `AutoTokenizer.from_pretrained` write it yourself), and
# `helpers.recipe_for` gives encoders of hidden size 768 or more the base recipe.
# %% [markdown] lang="zh"
# 对照第一行读这两个数：它们是不区分大小写的模型比区分大小写的模型少一条线索的实体（第二个数是它看来完全由普通词组成的实体）。上下文仍能判定其中许多，所以这个数是代价的上限，而不是代价本身。区分大小写的检查点（`distilbert/distilbert-base-cased`、`google-bert/bert-base-cased`）保留了这条线索，代码的其他部分一概不变。
#
# **小模型与 base 模型。** 模型越大越准，也越慢。BERT 论文报告的 CoNLL-2003 测试集 F1：BERT-base 为 92.4，三倍大的 BERT-large 为 92.8；DistilBERT 论文报告参数减少 40%、速度快 60%，保留了 BERT 97% 的语言理解能力。离线的 MiniLM 更小（6 层、隐藏维度 384）：适合在 CPU 上学习，不适合追求最高分。
#
# **多语言模型。** XLM-R（`FacebookAI/xlm-roberta-base`、`-large`）在 100 种语言、2.5 TB 的 CommonCrawl 文本上预训练；它的论文报告在命名实体识别上比多语言 BERT 高 2.4 个 F1 点。文本不是英文或混有多种语言时选它；第 7 课使用中文检查点。
#
# **较新的英文编码器。** RoBERTa（`FacebookAI/roberta-base`）是用更多文本、更长时间预训练的 BERT，词表是字节级 BPE。DeBERTa-v3（`microsoft/deberta-v3-base`：主干参数 8600 万，词表 12.8 万）在模型卡片上报告 MNLI 准确率 90.6，RoBERTa-base 为 87.6。ModernBERT（`answerdotai/ModernBERT-base`：22 层，1.49 亿参数）最多能读 8,192 个词元，在 2 万亿个英文和代码词元上训练。这些是作者自己的数字，大多不是命名实体识别任务上的：换模型之前先在你的数据上实测（有 GPU 时用 `python -m benchmarks.recipes --model <检查点>`）。
#
# **代码里要改什么。** 名字，外加两处细节：RoBERTa 这类字节级 BPE 分词器只有在创建时传入 `add_prefix_space=True`，才接受 `is_split_into_words=True`（`helpers.load_tokenizer` 会传；用 `AutoTokenizer.from_pretrained` 时要自己写上）；`helpers.recipe_for` 给隐藏维度不小于 768 的编码器使用 base 配方。

# %% [markdown] lang="en"
# ## Summary
#
# - `AutoModelForTokenClassification.from_pretrained(checkpoint, num_labels=, id2label=, label2id=)`
#   gives a token classifier with label names; its head is new and random, so `set_seed` first.
# - `DataCollatorForTokenClassification` pads each batch to its longest sentence, labels with -100.
# - `TrainingArguments` in transformers 5: `eval_strategy`, `processing_class`, `warmup_steps` below 1
#   as a ratio, `train_sampling_strategy="group_by_length"` (evaluation rows come back reordered).
# - Score words, never subtokens; read each returned row's words from its own labels.
# - `trainer.save_model` writes safetensors, the config with label names and the tokenizer.
# - Seeds alone move test F1 by a few tenths of a point; cased checkpoints keep a cue uncased ones drop.

# %% [markdown] lang="zh"
# ## 小结
#
# - `AutoModelForTokenClassification.from_pretrained(checkpoint, num_labels=, id2label=, label2id=)` 得到一个带标签名的词元分类模型；它的分类头是新的、随机的，所以先调用 `set_seed`。
# - `DataCollatorForTokenClassification` 把每个批次填充到其中最长句子的长度，标签用 -100 填充。
# - transformers 5 的 `TrainingArguments`：`eval_strategy`、`processing_class`、小于 1 的 `warmup_steps` 表示比例、`train_sampling_strategy="group_by_length"`（评估返回的行会被重排）。
# - 按词打分，绝不按子词；从每个返回行自己的标签读出它的词。
# - `trainer.save_model` 写出 safetensors 权重、带标签名的配置和分词器。
# - 仅随机种子就会让测试集 F1 变动零点几个百分点；区分大小写的检查点保留了不区分大小写的检查点丢掉的线索。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.

# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(3)

# %% [markdown] lang="en"
# ### Exercise 1: what the classic recipe labels
#
# Tokenize `ds` again with `helpers.CLASSIC_RECIPE` (it labels continuation subtokens of the training split). Set `answer` to `{"course": n, "classic": m}`, the number of labelled subtokens (label not -100) in the training split under each recipe.

# %% [markdown] lang="zh"
# ### 练习 1：经典配方给哪些子词打标签
#
# 用 `helpers.CLASSIC_RECIPE` 重新把 `ds` 切分为子词（它会给训练集的后续子词打标签）。把 `answer` 设为 `{"course": n, "classic": m}`，即两种配方下训练集中带标签（标签不为 -100）的子词数。

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer, tokenizer, ds["train"])
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: the support, in words
#
# Count the gold entities of each type in the validation split, at word level. Set `answer` to a dict such as `{"PER": ..., "LOC": ...}`; it must equal the `support` column of the validation table printed in section 10.

# %% [markdown] lang="zh"
# ### 练习 2：按词计的支持数
#
# 在词级别上统计验证集中每种类型的金标实体数。把 `answer` 设为一个字典，例如 `{"PER": ..., "LOC": ...}`；它应当与第 10 节打印的验证集表格中的 `support` 列相同。

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

# %% [markdown] lang="en" concept="q4"
# ### Exercise 4 (concept): part-of-speech tagging

# %% [markdown] lang="zh" concept="q4"
# ### 练习 4（概念）：词性标注

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): why the row's own labels?

# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：为什么要用每一行自己的标签？

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown] lang="en"
# ### Going further (not checked)
#
# - Train with `helpers.CLASSIC_RECIPE` and draw both learning curves on one axis with `analysis.plot_learning_curve(..., ax=ax)`.
# - Repeat the lesson for `"pos_tags"` and plot `metric="eval_overall_accuracy"`.
# - Give each sentence its document as context: `helpers.training.with_overrides(recipe, context_tokens=32)`, with the data loaded by `helpers.load_conll2003(documents=True)`; a headline is then read with the report below it. `benchmarks/README.md` says what this and the other levers measured.

# %% [markdown] lang="zh"
# ### 延伸练习（不自动检查）
#
# - 用 `helpers.CLASSIC_RECIPE` 训练，用 `analysis.plot_learning_curve(..., ax=ax)` 把两条学习曲线画在同一张图上。
# - 对 `"pos_tags"` 重做本课，画图时用 `metric="eval_overall_accuracy"`。
# - 让每个句子带上所在文档的上下文：`helpers.training.with_overrides(recipe, context_tokens=32)`，数据用 `helpers.load_conll2003(documents=True)` 加载；这样标题会和它下面的报道一起被读到。这一手段及其他几种的实测结果见 `benchmarks/README.zh.md`。
