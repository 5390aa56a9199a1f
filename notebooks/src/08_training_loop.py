# %% [markdown] lang="en"
# # Lesson 8 — Your own training loop, and training on many devices
#
# `Trainer` (lesson 3) runs the training loop for us, until we need something it does not do: a loss of
# our own, two optimizers, a curriculum, a model that is not a 🤗 model. Then we write the loop ourselves.
# 🤗 **Accelerate** keeps it short and lets the *same* code run on a CPU, one GPU, eight GPUs or several
# machines. This lesson rewrites lesson 3's job as a plain PyTorch loop, compares it with `Trainer`, and
# runs it on two processes.
#
# **After this lesson you will be able to**
#
# - create an `Accelerator` and say what `accelerator.prepare(...)` does to a model, an optimizer, data
#   loaders and a scheduler;
# - write the training step and say why each line is there;
# - set up AdamW with weight decay on the right parameters and a linear warm-up schedule;
# - evaluate at word level on several processes with `gather_for_metrics`, and say why plain `gather`
#   would score some sentences twice;
# - save a model from the main process only;
# - run the same function on two processes and work out what changes: effective batch size, steps,
#   learning rate.
#
# **Prerequisites:** lesson 3. **Time:** about 40 minutes, plus the training runs (sections 6, 8 and 9
# print their own times).
# %% [markdown] lang="zh"
# # 第 8 课：自己写训练循环，并在多个设备上训练
#
# `Trainer`（第 3 课）替我们执行训练循环，直到我们需要它做不到的事：自己的损失函数、两个优化器、课程学习（curriculum learning）、一个不是 🤗 模型的模型。这时就得自己写循环。🤗 **Accelerate** 让这个循环保持简短，并让**同一份**代码既能在 CPU 上跑，也能在一块 GPU、八块 GPU 或多台机器上跑。本课把第 3 课的任务改写成普通的 PyTorch 循环，与 `Trainer` 比较，然后在两个进程上运行它。
#
# **学完本课，你将能够：**
#
# - 创建 `Accelerator`，并说出 `accelerator.prepare(...)` 对模型、优化器、数据加载器和学习率调度器分别做了什么；
# - 写出训练的一步，并说明每一行为什么存在；
# - 为 AdamW 正确选择做权重衰减的参数，并配置线性预热的学习率调度；
# - 用 `gather_for_metrics` 在多个进程上按词评估，并解释为什么普通的 `gather` 会把一些句子算两遍；
# - 只在主进程上保存模型；
# - 在两个进程上运行同一个函数，并算出哪些东西随之改变：有效批次大小、步数、学习率。
#
# **预备知识：** 第 3 课。**用时：** 约 40 分钟，另加训练时间（第 6、8、9 节会打印各自的用时）。

# %% [markdown] lang="en"
# ## 0. Setup
#
# In Google Colab the next cell installs the course package; anywhere else it does nothing.
# %% [markdown] lang="zh"
# ## 0. 准备
#
# 在 Google Colab 中，下一个单元格会安装课程配套的包；在其他环境里它什么也不做。

# %% colab_install="gpu"

# %%
import inspect
import json
import math
import time
from pathlib import Path

import pandas as pd
import torch
from accelerate import Accelerator
from IPython.display import display
from torch.utils.data import DataLoader
from transformers import DataCollatorForTokenClassification, get_linear_schedule_with_warmup, set_seed

import helpers
from helpers import loop
from helpers.evaluation import sort_by_length
from helpers.precision import resolve_precision
from helpers.training import SMOKE_MAX_STEPS, env_epochs, with_overrides

# %% [markdown] lang="en"
# The configuration is lesson 3's: the same data, checkpoint and recipe.
# %% [markdown] lang="zh"
# 配置与第 3 课相同：同样的数据、检查点（checkpoint）和训练配方。

# %%
SMOKE = helpers.smoke_mode()
ds = helpers.smoke_subset(helpers.load_conll2003())
checkpoint = helpers.resolve_checkpoint()
label_names = helpers.label_names(ds, "ner_tags")
recipe = helpers.COURSE_RECIPE
if SMOKE:  # TOKCLS_SMOKE=1, a test run of a few dozen steps: a higher rate so that they learn something
    recipe = with_overrides(recipe, learning_rate=3 * recipe.learning_rate)
max_steps = SMOKE_MAX_STEPS // 2 if SMOKE else None  # a test run trains four models: half the steps
seed = 42

print("checkpoint: ", checkpoint)
print({split: len(d) for split, d in ds.items()})
print(f"learning rate {recipe.learning_rate:g}, batch size {recipe.batch_size}, max steps {max_steps}")

# %% [markdown] lang="en"
# ## 1. The `Accelerator`
#
# An `Accelerator` looks at how the program was started and sets it up: this process's device (`cpu`,
# `cuda:0`, ...), how many processes there are, which one is the *main* process, and the mixed precision.
# Started as a notebook, there is one process and `distributed_type` is `NO`; started by a launcher on four
# GPUs, the same line gives four processes, each with its GPU. `mixed_precision` follows the recipe's
# `precision="auto"` (lesson 3), and Accelerate runs the forward pass under `torch.autocast`.
# %% [markdown] lang="zh"
# ## 1. `Accelerator`
#
# `Accelerator` 查看程序是怎么启动的，并据此准备好一切：本进程用哪个设备（`cpu`、`cuda:0` 等）、一共有几个进程、哪一个是**主**进程、用什么混合精度。像现在这样在 notebook 中启动时，只有一个进程，`distributed_type` 为 `NO`；由启动器在四块 GPU 上启动时，同一行代码会得到四个进程，各用一块 GPU。`mixed_precision` 沿用配方的 `precision="auto"`（第 3 课），Accelerate 在 `torch.autocast` 下执行前向计算。

# %%
precision = resolve_precision(recipe.precision)
accelerator = Accelerator(mixed_precision={"fp32": "no", "bf16": "bf16", "fp16": "fp16"}[precision])

print("device:          ", accelerator.device)
print("processes:       ", accelerator.num_processes)
print("this process:    ", accelerator.process_index, "(main)" if accelerator.is_main_process else "")
print("distributed type:", accelerator.distributed_type.value)
print("mixed precision: ", accelerator.mixed_precision)

# %% check="1"
assert accelerator.num_processes == 1 and accelerator.is_main_process

# %% [markdown] lang="en"
# ## 2. Data loaders
#
# `Trainer` built its data loaders itself; now we build them from lesson 3's tokenized splits. The gold
# word labels `ner_tags` and the `word_ids` stay out of the batches (they are for scoring, and the model
# would reject them). `DataCollatorForTokenClassification` pads each batch and pads `labels` with -100.
#
# - The **training** loader shuffles with its own seeded `torch.Generator`: the same batch order every run.
# - The **evaluation** loaders keep the order of splits sorted by length (less padding, as in lesson 3).
#   They get a generator too: without one, a `DataLoader` draws a seed from PyTorch's global generator,
#   the one that draws dropout masks, so evaluating would change the training that follows.
# %% [markdown] lang="zh"
# ## 2. 数据加载器
#
# `Trainer` 会自己构建数据加载器（data loader），现在由我们用第 3 课切分好的各数据划分来建。词级别的金标（gold）标签 `ner_tags` 和 `word_ids` 不放进批次（batch）：它们是评分用的，而且模型会拒绝这些参数。`DataCollatorForTokenClassification` 为每个批次做填充（padding），并用 -100 填充 `labels`。
#
# - **训练**加载器用它自己的、设定了种子的 `torch.Generator` 打乱顺序：每次运行的批次顺序都一样。
# - **评估**加载器保持按长度排好序的数据划分的顺序（填充更少，与第 3 课相同）。它们也各配一个生成器：没有生成器时，`DataLoader` 会从 PyTorch 的全局生成器取种子，而 dropout 掩码也来自它，于是评估一次就会改变之后的训练。

# %%
tokenizer = helpers.load_tokenizer(checkpoint)
tokenized = helpers.tokenize_dataset(ds, tokenizer, "ner_tags", recipe)
for split in ("validation", "test"):
    tokenized[split] = sort_by_length(tokenized[split])

columns = [c for c in tokenized["train"].column_names if c not in ("ner_tags", "word_ids")]
collator = DataCollatorForTokenClassification(tokenizer)
train_loader = DataLoader(
    tokenized["train"].select_columns(columns),
    batch_size=recipe.batch_size,
    shuffle=True,
    collate_fn=collator,
    generator=torch.Generator().manual_seed(seed),
)
eval_loaders = {
    split: DataLoader(
        tokenized[split].select_columns(columns),
        batch_size=recipe.eval_batch_size,
        collate_fn=collator,
        generator=torch.Generator(),
    )
    for split in ("validation", "test")
}

print("model inputs:", columns)
batch = next(iter(eval_loaders["validation"]))
print({name: tuple(t.shape) for name, t in batch.items()})

# %% check="1"
assert "word_ids" not in batch and (batch["labels"] == -100).any()

# %% [markdown] lang="en"
# ## 3. Model, optimizer and learning-rate schedule
#
# The model is lesson 3's, with `set_seed` first so that the new head starts the same in every run.
#
# **AdamW with weight decay on the right parameters.** Weight decay pulls weights towards zero, a mild
# regularisation of the large matrices; it makes no sense for biases or LayerNorm weights, so `Trainer` puts
# those in a second group without decay. `helpers.loop.parameter_groups` does the same; the cell prints the
# two groups.
#
# **Linear warm-up, then linear decay.** `get_linear_schedule_with_warmup` raises the learning rate from 0
# over the first `warmup_ratio` of the steps, then lowers it to 0 at the last one. It needs the number of
# steps, known once the training loader is prepared (next section).
# %% [markdown] lang="zh"
# ## 3. 模型、优化器和学习率调度
#
# 模型与第 3 课相同；先调用 `set_seed`，让新分类头每次都从同样的权重开始。
#
# **只对该衰减的参数做权重衰减的 AdamW。** 权重衰减把权重往 0 拉，是对大矩阵的温和正则化；它对偏置和 LayerNorm 的权重毫无意义，所以 `Trainer` 把它们放进不做衰减的第二个参数组。`helpers.loop.parameter_groups` 做的是同一件事；下面的单元格打印这两个参数组。
#
# **先线性预热，再线性衰减。** `get_linear_schedule_with_warmup` 在前 `warmup_ratio` 的步数里把学习率从 0 升到峰值，然后在最后一步降到 0。它需要知道总步数，而总步数要等训练加载器准备好之后（下一节）才知道。

# %%
set_seed(seed)
model = helpers.load_model(checkpoint, label_names)
groups = loop.parameter_groups(model, recipe.weight_decay)
optimizer = torch.optim.AdamW(groups, lr=recipe.learning_rate)

names = {id(p): n for n, p in model.named_parameters()}
for group in groups:
    sample = [names[id(p)] for p in group["params"]][:3]
    print(f"weight decay {group['weight_decay']}: {len(group['params'])} tensors, e.g. {sample}")

# %% check="1"
assert "classifier.bias" in {names[id(p)] for p in groups[1]["params"]}
assert "classifier.weight" in {names[id(p)] for p in groups[0]["params"]}

# %% [markdown] lang="en"
# ## 4. `accelerator.prepare`
#
# One call hands every training object to Accelerate, which returns wrapped versions of them:
#
# | object | what `prepare` does |
# |---|---|
# | model | moves it to this process's device; on several processes wraps it in `DistributedDataParallel` (DDP), which averages the gradients of all processes during the backward pass; with mixed precision runs its forward pass under autocast |
# | optimizer | makes its steps work with mixed precision (skips a step whose fp16 gradients overflowed) |
# | data loaders | put each batch on the device; on N processes, give each process every N-th batch, so that together they go through the data once per epoch |
# | scheduler | steps it once per real optimizer step |
#
# The scheduler is made after `prepare` because its number of steps depends on the prepared loader: `len(train_loader)` is the number of batches *this process* sees per epoch.
# %% [markdown] lang="zh"
# ## 4. `accelerator.prepare`
#
# 只需一次调用，就能把所有训练对象交给 Accelerate，它返回包装过的版本：
#
# | 对象 | `prepare` 做了什么 |
# |---|---|
# | 模型 | 移到本进程的设备上；多进程时用 `DistributedDataParallel`（DDP）包装，它会在反向传播中把所有进程的梯度取平均；使用混合精度时在 autocast 下执行前向计算 |
# | 优化器 | 让它的每一步都能配合混合精度（fp16 梯度溢出时跳过这一步） |
# | 数据加载器 | 把每个批次放到设备上；在 N 个进程上，每个进程每 N 个批次取一个，合起来每个轮次正好把数据过一遍 |
# | 调度器 | 保证每个真正执行的优化器步只让它走一步 |
#
# 调度器在 `prepare` 之后才创建，因为它的步数取决于准备好的加载器：`len(train_loader)` 是**本进程**每个轮次看到的批次数。

# %%
model, optimizer, train_loader, val_loader, test_loader = accelerator.prepare(
    model, optimizer, train_loader, eval_loaders["validation"], eval_loaders["test"]
)
steps_per_epoch = len(train_loader)
if max_steps:
    total_steps = max_steps
else:
    total_steps = math.ceil(env_epochs(recipe.epochs)) * steps_per_epoch
epochs = math.ceil(total_steps / steps_per_epoch)
scheduler = get_linear_schedule_with_warmup(
    optimizer, num_warmup_steps=math.ceil(recipe.warmup_ratio * total_steps), num_training_steps=total_steps
)
scheduler = accelerator.prepare(scheduler)

effective_batch = loop.effective_batch_size(recipe.batch_size, accelerator.num_processes)
print(f"{steps_per_epoch} batches per epoch; {total_steps} steps in {epochs} epoch(s)")
print(f"batch size {recipe.batch_size} per device, {effective_batch} effective")
print("model device:", next(model.parameters()).device)

# %% [markdown] lang="en"
# ## 5. Evaluation on every process: `gather_for_metrics`
#
# We write evaluation before training, and run it on the untrained model (its head is random, so its F1
# is near 0). The steps:
#
# 1. `model.eval()` and `torch.no_grad()`: no dropout, no gradients.
# 2. The predicted label id of each subtoken is the argmax of the logits.
# 3. On N processes each process predicted only its own batches. `accelerator.gather_for_metrics(...)`
#    collects the predictions of all processes in the order of the dataset, after `pad_across_processes`
#    has padded them to a common length (with -100, which belongs to no word).
# 4. Back to words: `helpers.words_to_predictions` and `helpers.score_word_ids`, as in lesson 3.
#
# **Why `gather_for_metrics` and not `gather`?** On N processes every process must run the same number
# of batches: a collective operation such as `gather` waits until all take part. When the sentences do not
# divide evenly, the data loader fills the last batches with sentences from the *start* of the dataset.
# Plain `gather` returns those copies too, so some sentences would be scored twice and the score would
# change with the number of devices; `gather_for_metrics` drops them. Section 9 counts both.
# %% [markdown] lang="zh"
# ## 5. 在每个进程上评估：`gather_for_metrics`
#
# 我们先写评估，再写训练，并先用未训练的模型跑一遍评估（分类头是随机的，所以 F1 接近 0）。步骤如下：
#
# 1. `model.eval()` 和 `torch.no_grad()`：不用 dropout，不计算梯度。
# 2. 每个子词的预测标签编号是 logits 的 argmax。
# 3. 在 N 个进程上，每个进程只预测了属于自己的批次。`accelerator.gather_for_metrics(...)` 按数据集的顺序收集所有进程的预测；在此之前，`pad_across_processes` 把它们填充到相同长度（用 -100 填充，不属于任何词）。
# 4. 回到词：像第 3 课那样用 `helpers.words_to_predictions` 和 `helpers.score_word_ids`。
#
# **为什么用 `gather_for_metrics` 而不是 `gather`？** 在 N 个进程上，每个进程都必须运行同样多的批次：`gather` 这样的集合通信操作要等所有进程都参与才会完成。句子数不能被整除时，数据加载器会用数据集**开头**的句子把最后的批次补满。普通的 `gather` 连这些副本也一起返回，于是有些句子会被算两遍，分数就会随设备数量而变；`gather_for_metrics` 会把它们丢掉。第 9 节会把两者都数一遍。

# %%
model.eval()
rows = []
for batch in val_loader:
    with torch.no_grad():
        logits = model(**batch).logits
    predictions = accelerator.pad_across_processes(logits.argmax(-1), dim=1, pad_index=-100)
    rows.extend(accelerator.gather_for_metrics(predictions).tolist())

validation = tokenized["validation"]
word_predictions = [
    helpers.words_to_predictions(row, word_ids, len(gold))
    for row, word_ids, gold in zip(rows, validation["word_ids"], validation["ner_tags"])
]
untrained = helpers.score_word_ids(validation["ner_tags"], word_predictions, label_names)
print(f"{len(rows)} predictions for {len(validation)} sentences")
print(helpers.format_table(untrained))

# %% check="1"
assert len(rows) == len(validation)

# %% [markdown] lang="en"
# The same steps are packaged as `helpers.loop.predict_words` and `helpers.loop.evaluate_loop` (which adds the sentence count and, for section 9, how many rows plain `gather` would have returned). The training loop below calls `evaluate_loop` after every epoch.
# %% [markdown] lang="zh"
# 同样的步骤被打包成了 `helpers.loop.predict_words` 和 `helpers.loop.evaluate_loop`（后者还记录句子数，以及普通 `gather` 会返回多少行，供第 9 节使用）。下面的训练循环在每个轮次之后调用 `evaluate_loop`。

# %%
print(inspect.getsource(loop.predict_words))

# %% [markdown] lang="en"
# ## 6. The training loop
#
# Every step of the loop does what `Trainer` did for us in lesson 3:
#
# | line | why |
# |---|---|
# | `model.train()` | dropout on again (evaluation switched it off) |
# | `loss = model(**batch).loss` | a 🤗 model given `labels` returns the cross-entropy over positions whose label is not -100 |
# | `accelerator.backward(loss)` | instead of `loss.backward()`: with fp16 it scales the loss so small gradients do not round to zero; on several processes DDP averages the gradients during this call |
# | `accelerator.clip_grad_norm_(..., 1.0)` | limits the norm of all gradients together to 1.0, as `Trainer` does by default (`max_grad_norm`) |
# | `optimizer.step()`, `scheduler.step()`, `optimizer.zero_grad()` | update the weights, move the learning rate along its schedule, clear the gradients (PyTorch would add them up) |
#
# After each epoch the loop evaluates on validation and keeps one row of history; it stops after
# `total_steps` steps. `accelerator.print` prints on the main process only. Read the history table as
# lesson 3's learning curve: the F1 of each epoch, and the loss of its last batch.
# %% [markdown] lang="zh"
# ## 6. 训练循环
#
# 循环的每一步都在做第 3 课中 `Trainer` 替我们做的事：
#
# | 代码 | 为什么 |
# |---|---|
# | `model.train()` | 重新打开 dropout（评估时关掉了它） |
# | `loss = model(**batch).loss` | 传入 `labels` 的 🤗 模型会返回在标签不为 -100 的位置上计算的交叉熵 |
# | `accelerator.backward(loss)` | 代替 `loss.backward()`：使用 fp16 时它会放大损失，免得很小的梯度被舍入成 0；多进程时，DDP 在这次调用中把梯度取平均 |
# | `accelerator.clip_grad_norm_(..., 1.0)` | 把所有梯度合起来的范数限制在 1.0 以内，与 `Trainer` 的默认设置（`max_grad_norm`）相同 |
# | `optimizer.step()`、`scheduler.step()`、`optimizer.zero_grad()` | 更新权重，让学习率沿调度曲线前进一步，清空梯度（否则 PyTorch 会把它们累加起来） |
#
# 每个轮次结束后，循环在验证集上评估一次，记下一行历史记录；它在 `total_steps` 步后停止。`accelerator.print` 只在主进程上打印。像读第 3 课的学习曲线那样读这张历史表：每个轮次的 F1，以及该轮次最后一个批次的损失。

# %%
history = []
step = 0
start = time.perf_counter()
for epoch in range(epochs):
    model.train()
    for batch in train_loader:
        loss = model(**batch).loss
        accelerator.backward(loss)
        accelerator.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        if step >= total_steps:
            break
    scores = loop.evaluate_loop(accelerator, model, val_loader, validation, label_names, "ner_tags")
    history.append({"epoch": epoch + 1, "step": step, "loss": loss.item(), "F1": scores["overall_f1"]})
    accelerator.print(
        f"epoch {epoch + 1}: step {step}, loss {loss.item():.4f}, F1 {scores['overall_f1']:.4f}"
    )
    if step >= total_steps:
        break
loop_seconds = time.perf_counter() - start

display(pd.DataFrame(history).set_index("epoch").round(4))

# %% check="1"
assert step == total_steps

# %% [markdown] lang="en"
# The last evaluation of the loop is the final score on the validation set; the test set is scored once, at the end.
# %% [markdown] lang="zh"
# 循环中的最后一次评估就是验证集上的最终分数；测试集只在最后评估一次。

# %%
cells_result = {
    "validation": scores,
    "test": loop.evaluate_loop(accelerator, model, test_loader, tokenized["test"], label_names, "ner_tags"),
}
for split, result in cells_result.items():
    print(f"== {split} ==\n{helpers.format_table(result)}\n")

# %% check="1"
for split, result in cells_result.items():
    assert result["sentences"] == len(ds[split])

# %% [markdown] lang="en"
# ## 7. Saving from the main process
#
# On N processes there are N identical copies of the model, and N processes writing the same files at
# once can leave a broken folder behind. So:
#
# - `accelerator.wait_for_everyone()` lets every process finish its step first;
# - only `accelerator.is_main_process` writes;
# - `accelerator.unwrap_model(model)` returns the 🤗 model inside the DDP (and autocast) wrappers: only it
#   has `save_pretrained`, and its weight names carry no `module.` prefix.
#
# `helpers.loop.save_model` does these steps, writing to a temporary folder renamed at the end, so that a
# killed run never leaves half a model.
# %% [markdown] lang="zh"
# ## 7. 由主进程保存
#
# 在 N 个进程上有 N 份相同的模型副本；N 个进程同时写同一批文件，可能留下一个损坏的文件夹。所以：
#
# - `accelerator.wait_for_everyone()` 让每个进程先完成手头的一步；
# - 只有 `accelerator.is_main_process` 为真的进程写文件；
# - `accelerator.unwrap_model(model)` 取出 DDP（以及 autocast）包装里面的 🤗 模型：只有它才有 `save_pretrained`，而且它的权重名不带 `module.` 前缀。
#
# `helpers.loop.save_model` 完成这些步骤，先写到一个临时文件夹，最后再重命名，因此即使训练被强行终止，也不会留下半个模型。

# %%
model_dir = Path("runs/lesson8/cells/model")
accelerator.wait_for_everyone()
if accelerator.is_main_process:
    accelerator.unwrap_model(model).save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
accelerator.wait_for_everyone()

saved = sorted(p.name for p in model_dir.iterdir())
print(saved)

# %% check="1"
assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(saved)
assert json.loads((model_dir / "config.json").read_text())["id2label"]["1"] == "B-PER"

# %% [markdown] lang="en"
# ## 8. The helper: `helpers.loop.train_loop`
#
# Sections 1 to 7 are what `helpers.loop.train_loop(cfg, ds)` does, in the same order, with the same seeds. It takes lesson 3's `helpers.TrainConfig`, prints only on the main process, and writes the model and a `metrics.json` like `helpers.train`'s (plus the number of processes and the per-device and effective batch sizes). Its source is in `helpers/loop.py`; the beginning of the training part is printed below.
#
# Run on one process with the same configuration, it must give exactly the scores of the cells above: the same head, the same batches, the same dropout masks. (On a GPU, some kernels, such as the backward pass of the embeddings, add numbers up in an order that changes from run to run, so the last digits may differ; there the cell only checks that the scores are close.)
# %% [markdown] lang="zh"
# ## 8. 辅助函数：`helpers.loop.train_loop`
#
# 第 1 到 7 节就是 `helpers.loop.train_loop(cfg, ds)` 所做的事，顺序相同，随机种子也相同。它接收第 3 课的 `helpers.TrainConfig`，只在主进程上打印，写出模型和一个与 `helpers.train` 格式相同的 `metrics.json`（另外记录进程数、每个设备的批次大小和有效批次大小）。源码在 `helpers/loop.py` 中；下面打印其中训练部分的开头。
#
# 用同样的配置在一个进程上运行，它必须给出与上面各单元格完全相同的分数：同样的分类头、同样的批次、同样的 dropout 掩码。（在 GPU 上，有些算子（例如词嵌入的反向传播）每次运行时累加的顺序都不同，最后几位数字可能有差别；所以在 GPU 上这个单元格只检查分数是否接近。）

# %%
source = inspect.getsource(loop.train_loop)
print(source[source.index("    history: list") : source.index("    train_seconds")])

config = helpers.TrainConfig(
    output_dir="runs/lesson8/one", recipe=recipe, max_steps=max_steps, seed=seed, overwrite=True
)
one = loop.train_loop(config, ds)
if accelerator.device.type == "cpu":
    for split in ("validation", "test"):
        assert one[split] == cells_result[split], split
else:  # some GPU kernels add up in a different order from run to run: the last digits may differ
    assert abs(one["validation"]["overall_f1"] - cells_result["validation"]["overall_f1"]) < 0.05
print(
    "validation F1, cells and helper:",
    cells_result["validation"]["overall_f1"],
    one["validation"]["overall_f1"],
)

# %% [markdown] lang="en"
# ### Compared with lesson 3's `Trainer`
#
# Now the same job with `helpers.train`, lesson 3's `Trainer`, on the same data with the same recipe and
# number of steps: AdamW with the same parameter groups, the same warm-up and decay, clipping at 1.0 and
# the same precision. Read the table against lesson 3's seed spread: a gap of a few tenths of a point in
# F1 is what another seed gives; a larger one means the two trainings are not equivalent. Where they
# differ, look first at how each draws its batches. `Trainer` groups sentences of similar length
# (`group_by_length`), so its batches carry little padding; a loader that shuffles at random mixes short
# and long sentences and computes many padded positions, which costs time (the `train seconds` column),
# and different batches also lead the two trainings along different paths.
# %% [markdown] lang="zh"
# ### 与第 3 课的 `Trainer` 比较
#
# 现在用 `helpers.train`，也就是第 3 课的 `Trainer`，在同样的数据上、用同样的配方和步数完成同一个任务：同样的 AdamW 参数分组、同样的预热和衰减、1.0 的梯度裁剪和同样的精度。对照第 3 课的随机种子波动读这张表：F1 相差零点几个百分点，换一个随机种子就会出现；差得更多，说明两次训练并不等价。两者有差别时，先看各自怎样抽取批次。`Trainer` 把长度相近的句子放进同一批次（`group_by_length`），批次里的填充很少；完全随机打乱的加载器会把长短句子混在一起，计算许多填充位置，这要花时间（`train seconds` 列），而批次不同也会让两次训练走上不同的路径。

# %%
trainer_config = helpers.TrainConfig(
    output_dir="runs/lesson8/trainer",
    recipe=recipe,
    max_steps=max_steps,
    seed=seed,
    overwrite=True,
    save_checkpoints=False,
)
with_trainer = helpers.train(trainer_config, ds=ds)
loop.reset_accelerate_state()  # Trainer made an Accelerator in this process; the launch below needs none

runs = {"loop (cells)": {**cells_result, "global_steps": step, "train_seconds": loop_seconds}}
runs.update({"helpers.loop.train_loop": one, "Trainer (helpers.train)": with_trainer})
comparison = pd.DataFrame.from_dict(
    {
        name: {
            "steps": r["global_steps"],
            "train seconds": round(r["train_seconds"], 1),
            "validation F1": r["validation"]["overall_f1"],
            "validation accuracy": r["validation"]["overall_accuracy"],
            "test F1": r["test"]["overall_f1"],
        }
        for name, r in runs.items()
    },
    orient="index",
)
display(comparison.round(4))

# %% check="1"
assert with_trainer["global_steps"] == one["global_steps"]
assert with_trainer["validation"]["words"] == one["validation"]["words"]

# %% [markdown] lang="en"
# ## 9. The same function on two processes
#
# `accelerate.notebook_launcher(function, args, num_processes=N)` starts N processes from the notebook,
# each running `function(*args)` with its own `Accelerator`, which now finds N processes and its own rank.
# The processes are *forked* from the notebook's, so they inherit what it has loaded (our dataset).
#
# - On a machine with N GPUs, each process gets a GPU and they talk over NCCL. CUDA must not have been
#   used in the notebook before the launch: restart the kernel and run the setup cells and the launch only.
# - On a CPU, the processes talk over **gloo**, PyTorch's CPU back-end: slow (two processes share the
#   cores), but exactly the code that runs on GPUs, a good way to test a multi-GPU program on a laptop.
# - On Colab's single GPU, `notebook_launcher` runs the function in the notebook's process.
#
# `helpers.loop.launch` calls `notebook_launcher` with a free port and chooses CPU processes when there
# are fewer GPUs than processes.
#
# **What changes with two processes.** Each process takes `batch_size` sentences per step, so the
# *effective* batch is `batch_size × processes` (× gradient-accumulation steps) and an epoch has half as
# many steps; to see as many sentences as the one-process run, we give it half the steps. The recipe's
# learning rate was tuned for the one-process batch; a common rule for larger batches is to raise it in
# proportion (or by the square root), with warm-up, and check on validation. We keep it, so this is
# another training, not the same one faster. The launched processes print to the terminal that runs
# Jupyter; we read the `metrics.json` the main process wrote.
# %% [markdown] lang="zh"
# ## 9. 在两个进程上运行同一个函数
#
# `accelerate.notebook_launcher(function, args, num_processes=N)` 从 notebook 中启动 N 个进程，每个进程用自己的 `Accelerator` 运行 `function(*args)`，这时它会发现一共有 N 个进程，以及自己的编号（rank）。这些进程是从 notebook 的进程**复制（fork）**出来的，所以继承了它已经加载的内容（我们的数据集）。
#
# - 在有 N 块 GPU 的机器上，每个进程分到一块 GPU，进程之间通过 NCCL 通信。启动之前 notebook 中不能用过 CUDA：请重启内核，只运行准备单元格和启动单元格。
# - 在 CPU 上，进程之间通过 PyTorch 的 CPU 后端 **gloo** 通信：很慢（两个进程共用核心），但运行的代码与 GPU 上完全相同，很适合在自己的电脑上测试多 GPU 程序。
# - 在 Colab 的单块 GPU 上，`notebook_launcher` 直接在 notebook 的进程里运行这个函数。
#
# `helpers.loop.launch` 用一个空闲端口调用 `notebook_launcher`；GPU 数量少于进程数时改用 CPU 进程。
#
# **两个进程时有什么变化。** 每个进程每一步取 `batch_size` 个句子，所以**有效**批次大小是 `batch_size × 进程数`（有梯度累积时再乘以累积步数），一个轮次的步数减半；为了与单进程运行看到同样多的句子，我们只给它一半的步数。配方中的学习率是按单进程的批次调好的；对更大的批次，常见的做法是按比例（或按平方根）提高学习率，配合预热，再在验证集上检验。我们保持学习率不变，所以这是另一次训练，而不是同一次训练跑得更快。被启动的进程把输出打印到运行 Jupyter 的终端；我们读取主进程写出的 `metrics.json`。

# %%
processes = 2
two_config = helpers.TrainConfig(
    output_dir="runs/lesson8/two",
    recipe=recipe,
    max_steps=max_steps // processes if max_steps else None,
    seed=seed,
    overwrite=True,
)
start = time.perf_counter()
loop.launch(loop.train_loop, two_config, ds, num_processes=processes)
print(f"launch and training took {time.perf_counter() - start:.0f} s")

two = json.loads(Path("runs/lesson8/two/metrics.json").read_text())
print(f"{two['num_processes']} processes, {two['global_steps']} steps, batch size")
print(f"{two['per_device_batch_size']} per device, {two['effective_batch_size']} effective")
print(helpers.format_table(two["validation"]))

# %% check="1"
assert two["effective_batch_size"] == two["per_device_batch_size"] * two["num_processes"]

# %% [markdown] lang="en"
# ### Every sentence scored once
#
# Below: the validation sentences, the number scored, and the rows plain `gather` collected over the same
# evaluation, copies of the padded last batches included. Then we evaluate the model the two processes
# saved *here, on one process*: the same counts, and the same F1 up to rounding (each process padded its
# own batches, and in bf16 another batch shape can flip a near-tie). With `gather`, the two-process
# figures would count some sentences twice.
# %% [markdown] lang="zh"
# ### 每个句子只算一次
#
# 下面依次是验证集的句子数、被评分的句子数，以及在同一次评估中普通 `gather` 收集到的行数（包括补满最后批次时复制的句子）。然后我们**在这里用一个进程**评估两个进程保存的模型：计数相同，F1 也只在舍入误差范围内有差别（每个进程各自填充自己的批次，在 bf16 下换一种批次形状就可能让几乎打平的两个标签翻转）。如果用的是 `gather`，两个进程得出的数字会把一些句子算两遍。

# %%
print("validation sentences:        ", len(ds["validation"]))
print("scored (gather_for_metrics): ", two["validation"]["sentences"])
print("rows plain gather collected: ", two["validation"]["rows_plain_gather"])

loop.reset_accelerate_state()
here = loop.evaluate_saved(
    "runs/lesson8/two/model", ds["validation"], "ner_tags", None, recipe.eval_batch_size
)
same = {k: v for k, v in here.items() if k not in ("rows_plain_gather", "num_processes")}
theirs = {k: v for k, v in two["validation"].items() if k != "rows_plain_gather"}
print(f"F1 on 1 process: {here['overall_f1']:.4f}, on {two['num_processes']}: {theirs['overall_f1']:.4f}")

# %% check="1"
assert two["validation"]["sentences"] == len(ds["validation"])
assert two["validation"]["rows_plain_gather"] >= len(ds["validation"])
assert same["words"] == theirs["words"]  # every word scored once, on 1 process and on 2
types = [t for t, v in same.items() if isinstance(v, dict) and "number" in v]  # LOC, MISC, ORG, PER
assert [same[t]["number"] for t in types] == [theirs[t]["number"] for t in types]
# each process pads its own batches, and other batch shapes round a logit differently (bf16, GPUs)
assert abs(here["overall_f1"] - theirs["overall_f1"]) < 0.005

# %% [markdown] lang="en"
# ## 10. Many devices from the command line
#
# Long runs on several GPUs are started from a terminal. The course's command line runs under both
# launchers: only the main process prints and writes, the per-device and effective batch sizes are
# printed, every sentence is scored once, and `--resume` continues from the last checkpoint:
#
# ```bash
# torchrun --standalone --nproc_per_node=2 -m helpers train --task ner --output-dir runs/ner2
# accelerate launch --multi_gpu --num_processes 2 -m helpers train --task ner --output-dir runs/ner2
# ```
#
# Without GPUs both start CPU processes over gloo (`--multi_gpu` means one process per device; do not add
# `--cpu`, which asks for a single process or MPI). Several machines, `accelerate config` for DDP, FSDP and
# DeepSpeed, and a measured comparison of one and two CPU processes are in `benchmarks/README.md`.
# %% [markdown] lang="zh"
# ## 10. 在命令行上使用多个设备
#
# 在多块 GPU 上长时间训练，要从终端启动。课程的命令行在两种启动器下都能运行：只有主进程打印和写文件；程序会打印每个设备的批次大小和有效批次大小；评估时每个句子只算一次；`--resume` 从最后一个检查点继续训练：
#
# ```bash
# torchrun --standalone --nproc_per_node=2 -m helpers train --task ner --output-dir runs/ner2
# accelerate launch --multi_gpu --num_processes 2 -m helpers train --task ner --output-dir runs/ner2
# ```
#
# 没有 GPU 时，两条命令都会启动通过 gloo 通信的 CPU 进程（`--multi_gpu` 的意思是每个设备一个进程；不要加 `--cpu`，它要求的是单个进程或 MPI）。多台机器的用法、用 `accelerate config` 配置 DDP、FSDP 和 DeepSpeed，以及单个与两个 CPU 进程的实测对比，见 `benchmarks/README.zh.md`。

# %% [markdown] lang="en"
# ## Summary
#
# - `Accelerator()` finds out how the program was started; `prepare` moves and wraps the model (DDP on several processes), the optimizer, the data loaders (one shard of the batches per process) and the scheduler.
# - The step: `loss = model(**batch).loss`, `accelerator.backward(loss)`, `clip_grad_norm_`, `optimizer.step()`, `scheduler.step()`, `optimizer.zero_grad()`.
# - AdamW without weight decay on biases and LayerNorm weights; a linear warm-up schedule whose length is computed from the *prepared* loader.
# - Evaluate with `pad_across_processes` + `gather_for_metrics`, which drops the copies that fill the last batches; plain `gather` would score them twice.
# - Save with `wait_for_everyone`, `unwrap_model(model).save_pretrained(...)` on the main process only.
# - On N processes the effective batch is N times larger and an epoch has N times fewer steps; reconsider the learning rate.
# %% [markdown] lang="zh"
# ## 小结
#
# - `Accelerator()` 弄清程序是怎样启动的；`prepare` 移动并包装模型（多进程时用 DDP）、优化器、数据加载器（每个进程分到一份批次）和调度器。
# - 一步训练：`loss = model(**batch).loss`、`accelerator.backward(loss)`、`clip_grad_norm_`、`optimizer.step()`、`scheduler.step()`、`optimizer.zero_grad()`。
# - AdamW 不对偏置和 LayerNorm 权重做权重衰减；线性预热调度的长度根据**准备好之后**的加载器计算。
# - 用 `pad_across_processes` + `gather_for_metrics` 评估，它会丢掉补满最后批次的副本；普通的 `gather` 会把它们算两遍。
# - 保存时先 `wait_for_everyone`，只在主进程上调用 `unwrap_model(model).save_pretrained(...)`。
# - 在 N 个进程上，有效批次扩大到 N 倍，一个轮次的步数减少到 N 分之一；要重新考虑学习率。

# %% [markdown] lang="en"
# ## Exercises
#
# As in lesson 1: replace the `...` of `answer = ...`, run the cell, then its check cell; `.hint()` and `.solution()` help.
# %% [markdown] lang="zh"
# ## 练习
#
# 与第 1 课相同：把 `answer = ...` 中的 `...` 换成你的代码并运行，再运行它的检查单元格；`.hint()` 和 `.solution()` 可以帮忙。

# %%
ex = helpers.exercises.lesson(8)

# %% [markdown] lang="en"
# ### Exercise 1: steps on four GPUs
#
# The full CoNLL-2003 training split has 14,041 sentences. You train on 4 GPUs with a batch size of 32 per device. Set `answer` to a dict with the effective batch size and the number of optimisation steps in one epoch: `{"effective_batch": ..., "steps_per_epoch": ...}`.
# %% [markdown] lang="zh"
# ### 练习 1：四块 GPU 上的步数
#
# 完整的 CoNLL-2003 训练集有 14,041 个句子。你在 4 块 GPU 上训练，每个设备的批次大小为 32。把 `answer` 设为一个字典，给出有效批次大小和一个轮次中的优化步数：`{"effective_batch": ..., "steps_per_epoch": ...}`。

# %% exercise="q1"
answer = ...

# %%
ex.q1.check(answer)
# ex.q1.hint()
# ex.q1.solution()

# %% [markdown] lang="en"
# ### Exercise 2: what plain `gather` collects
#
# The validation split of this notebook is evaluated on **3** processes with the recipe's evaluation batch size (`recipe.eval_batch_size`). How many prediction rows would plain `accelerator.gather` collect over the whole evaluation? Compute it from `len(ds["validation"])` and the batch size, then compare your reasoning with what section 9 measured on 2 processes (`two["validation"]["rows_plain_gather"]`).
# %% [markdown] lang="zh"
# ### 练习 2：普通 `gather` 收集到什么
#
# 在 **3** 个进程上用配方的评估批次大小（`recipe.eval_batch_size`）评估本 notebook 的验证集。整个评估过程中，普通的 `accelerator.gather` 会收集到多少行预测？请根据 `len(ds["validation"])` 和批次大小算出来，再用同样的思路核对第 9 节在 2 个进程上实测的数字（`two["validation"]["rows_plain_gather"]`）。

# %% exercise="q2"
answer = ...

# %%
ex.q2.check(answer, len(ds["validation"]), recipe.eval_batch_size)
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown] lang="en"
# ### Exercise 3: no weight decay
#
# Without `helpers.loop.parameter_groups`, find the names of the parameters of `model` that get **no** weight decay: every bias and every tensor of a `torch.nn.LayerNorm` layer. Set `answer` to the set of their names, as `model.named_parameters()` spells them. (On several processes you would ask `accelerator.unwrap_model(model)`: the DDP wrapper adds a `module.` prefix.)
# %% [markdown] lang="zh"
# ### 练习 3：不做权重衰减的参数
#
# 不借助 `helpers.loop.parameter_groups`，找出 `model` 中**不**做权重衰减的参数名：所有偏置，以及 `torch.nn.LayerNorm` 层的所有张量。把 `answer` 设为这些名字的集合，写法与 `model.named_parameters()` 给出的一致。（在多个进程上，应当对 `accelerator.unwrap_model(model)` 做这件事：DDP 包装会加上 `module.` 前缀。）

# %% exercise="q3"
answer = ...

# %%
ex.q3.check(answer, model)
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown] lang="en" concept="q4"
# ### Exercise 4 (concept): `accelerator.backward`
# %% [markdown] lang="zh" concept="q4"
# ### 练习 4（概念）：`accelerator.backward`

# %% exercise="q4"
answer = ...

# %%
ex.q4.check(answer)
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown] lang="en" concept="q5"
# ### Exercise 5 (concept): eight GPUs, same settings
# %% [markdown] lang="zh" concept="q5"
# ### 练习 5（概念）：八块 GPU，设置不变

# %% exercise="q5"
answer = ...

# %%
ex.q5.check(answer)
# ex.q5.hint()
# ex.q5.solution()
