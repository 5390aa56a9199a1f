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
# **Prerequisites:** lesson 3. **Time:** about 40 minutes, plus the training runs (sections 6 and 9 print
# their own times).
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
# **预备知识：** 第 3 课。**用时：** 约 40 分钟，另加训练时间（第 6、9 节会打印各自的用时）。

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
from helpers.machine import run_card
from helpers.precision import resolve_precision
from helpers.training import SMOKE_MAX_STEPS, env_epochs, limit_samples, with_overrides

# %% [markdown] lang="en"
# The configuration is lesson 3's: the same data, checkpoint and recipe.
# %% [markdown] lang="zh"
# 配置与第 3 课相同：同样的数据、检查点（checkpoint）和训练配方。

# %%
SMOKE = helpers.smoke_mode()
ds = helpers.smoke_subset(helpers.load_conll2003())
checkpoint = helpers.resolve_checkpoint()
label_names = helpers.label_names(ds, "ner_tags")
recipe = helpers.recipe_for(helpers.COURSE_RECIPE, checkpoint)  # the learning rate and epochs for its width
recipe = with_overrides(recipe, group_by_length=False)  # section 2's loader shuffles at random
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
# | scheduler | steps it with the optimizer (not when the optimizer skipped a step): once per process at each optimizer step, because it assumes a schedule sized for one process that sees every batch |
#
# The scheduler is made after `prepare` because its number of steps depends on the prepared loader: `len(train_loader)` is the number of batches *this process* sees per epoch, which is the number of optimizer steps per epoch. The prepared scheduler steps once per process at each of them, so we give it both lengths, warm-up and total, in its own steps: multiplied by `accelerator.num_processes`. The learning rate then follows the same curve, step for step, on one process or on eight (sized in optimizer steps, a two-process run would reach a learning rate of 0 halfway through). `helpers.loop.schedule_for_prepare` does the same for any of transformers' schedules.
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
# | 调度器 | 跟着优化器走（优化器跳过的步它也跳过）：每个优化器步走“进程数”那么多步，因为它假定调度是按一个看到全部批次的进程来设定的 |
#
# 调度器在 `prepare` 之后才创建，因为它的步数取决于准备好的加载器：`len(train_loader)` 是**本进程**每个轮次看到的批次数，也就是每个轮次的优化器步数。准备好的调度器在每个优化器步上走“进程数”那么多步，所以预热步数和总步数都要按它自己的步数给出：乘以 `accelerator.num_processes`。这样，无论一个进程还是八个进程，学习率都一步一步沿着同一条曲线变化（如果按优化器步数设定，两个进程的训练在一半时学习率就降到 0 了）。`helpers.loop.schedule_for_prepare` 对 transformers 的任何调度都这样做。

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
processes = accelerator.num_processes  # the prepared scheduler steps this many times per optimizer step
scheduler = get_linear_schedule_with_warmup(
    optimizer,
    num_warmup_steps=math.ceil(recipe.warmup_ratio * total_steps) * processes,
    num_training_steps=total_steps * processes,
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
card = run_card(checkpoint, epochs=epochs, sentences=len(ds["train"]))
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
card.finish(loop_seconds)

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
# Sections 1 to 7 are what `helpers.loop.train_loop(cfg, ds)` does, in the same order, with the same seeds. It takes lesson 3's `helpers.TrainConfig`, prints only on the main process, and writes the model and a `metrics.json` like `helpers.train`'s (plus the number of processes and the per-device and effective batch sizes). Its source is in `helpers/loop.py`; the training part is printed below.
#
# Run on one process with the same configuration, it trains exactly the model of the cells above: the same head, the same batches, the same dropout masks, so the same weights. We do not train it a second time here to show that: `tests/test_lesson08_loop.py` runs this lesson's cells and `train_loop` on a tiny model and compares the weights. Two things it adds: a setting it does not implement (`resume`, checkpoints, document context) is refused with an error instead of being ignored, and the scores in its `metrics.json` are those of the saved model by `helpers.evaluate_split`, the rule `helpers.train` uses (every word scored, long sentences in windows); the loop's own evaluations after each epoch are in its `log_history`.
# %% [markdown] lang="zh"
# ## 8. 辅助函数：`helpers.loop.train_loop`
#
# 第 1 到 7 节就是 `helpers.loop.train_loop(cfg, ds)` 所做的事，顺序相同，随机种子也相同。它接收第 3 课的 `helpers.TrainConfig`，只在主进程上打印，写出模型和一个与 `helpers.train` 格式相同的 `metrics.json`（另外记录进程数、每个设备的批次大小和有效批次大小）。源码在 `helpers/loop.py` 中；下面打印其中的训练部分。
#
# 用同样的配置在一个进程上运行，它训练出的正是上面各单元格训练出的模型：同样的分类头、同样的批次、同样的 dropout 掩码，因此权重也相同。为了说明这一点，我们不在这里再训练一遍：`tests/test_lesson08_loop.py` 在一个很小的模型上运行本课的单元格和 `train_loop`，并比较两者的权重。它多做了两件事：它没有实现的设置（`resume`、检查点、文档上下文）会报错，而不是被悄悄忽略；它的 `metrics.json` 中的分数是用 `helpers.evaluate_split` 给保存下来的模型打的分，与 `helpers.train` 的规则相同（每个词都计分，长句分窗口处理）；循环自己在每个轮次之后的评估结果记录在 `log_history` 中。

# %%
source = inspect.getsource(loop.train_loop)
print(source[source.index("    history: list") : source.index("    train_seconds")])

# %% [markdown] lang="en"
# ### Compared with lesson 3's `Trainer`
#
# Now the same job with `helpers.train`, which is lesson 3's `Trainer`: the same data, recipe, steps, optimiser settings and precision, and the same scoring (`helpers.evaluate_split` on the saved model). The scores are close but not identical: `Trainer` draws its own random order of the training sentences, so the two models see different batches. Read the table against lesson 3's seed spread: a gap of a few tenths of a point in F1 is what another seed gives, so it says nothing about either way of training; compare also the `train seconds` column.
# %% [markdown] lang="zh"
# ### 与第 3 课的 `Trainer` 比较
#
# 现在用 `helpers.train`，也就是第 3 课的 `Trainer`，完成同一个任务：数据、配方、步数、优化器设置和精度都相同，打分方式也相同（用 `helpers.evaluate_split` 给保存下来的模型打分）。分数接近但不完全相同：`Trainer` 自己随机决定训练句子的顺序，所以两个模型看到的批次不同。对照第 3 课的随机种子波动读这张表：F1 相差零点几个百分点，换一个随机种子就会出现，说明不了哪种训练方式更好；也比较一下 `train seconds` 列。

# %%
trainer_config = helpers.TrainConfig(
    output_dir="runs/lesson8/trainer",
    recipe=recipe,
    max_steps=max_steps,
    seed=seed,
    overwrite=True,
    save_checkpoints=False,
)
card = run_card(checkpoint, epochs=epochs, sentences=len(ds["train"]))
with_trainer = helpers.train(trainer_config, ds=ds)
card.finish()

cells_scores = {
    split: helpers.evaluate_split(str(model_dir), ds[split], "ner_tags") for split in ("validation", "test")
}
runs = {
    "loop (cells)": {**cells_scores, "global_steps": step, "train_seconds": loop_seconds},
    "Trainer (helpers.train)": with_trainer,
}
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
assert with_trainer["global_steps"] == step
assert with_trainer["validation"]["words"] == cells_scores["validation"]["words"]

# %% [markdown] lang="en"
# ## 9. The same function on two processes
#
# `accelerate.notebook_launcher(function, args, num_processes=N)` starts N processes from the notebook, each running `function(*args)`. Each process creates its own `Accelerator`, which now finds N processes and its own rank. The processes are started by *forking* the notebook's process, so they inherit what the notebook has loaded (our dataset, for one). `helpers.loop.launch` calls it with a free network port after deciding what the machine can host, and prints that decision:
#
# - **Several GPUs:** one process per GPU; they talk over NCCL. CUDA must not have been used in the notebook before the launch, or the forked processes cannot use it. This notebook used it in sections 1 to 8, so on such a machine launch from a fresh kernel (the setup cells, then the launch) or from a terminal (section 10).
# - **One GPU, as on Colab:** one process, in the notebook's own process, on the GPU. Two processes cannot share one GPU.
# - **No GPU, or `cpu=True`:** CPU processes that talk over **gloo**, PyTorch's CPU back-end, each with its share of the cores; more processes than cores are refused.
#
# **What runs here.** So that every learner runs two processes, whatever the machine, this section is a CPU demonstration: `cpu=True`, on the first 2,000 training and 500 validation sentences, for one epoch, which keeps each run to minutes on a laptop or on Colab's CPU. It runs exactly the code that runs on GPUs.
#
# **A comparison that means something.** We train twice on the CPU, on the same sentences: one process with batches of 32, then two processes with 16 each. Both take 32 sentences per optimisation step (the *effective* batch size is `batch_size × processes`), make the same number of steps, follow the same learning-rate schedule (section 4), and see the same sentences at every step (the two processes take turns at the batches of one shuffled order). They are still two computations, not one: a single process averages the loss over all labelled subtokens of the 32 sentences, while each of two processes averages over its 16 and DDP averages the two gradients, which weighs the subtokens a little differently; and each process draws its own dropout masks. Expect validation scores close to each other, not identical. Had we kept 32 sentences per process, the two-process run would take half the steps with a batch twice as large: another training, whose learning rate would need re-tuning (exercise 5).
#
# The launched processes print to the terminal that runs Jupyter, not always into the notebook; we read the `metrics.json` the main process wrote. (On a CPU, this version of Accelerate announces "Launching training on 2 CUDAs" all the same; the processes themselves report `cpu` and `MULTI_CPU`.)
# %% [markdown] lang="zh"
# ## 9. 在两个进程上运行同一个函数
#
# `accelerate.notebook_launcher(function, args, num_processes=N)` 从 notebook 中启动 N 个进程，每个进程都运行 `function(*args)`。每个进程创建自己的 `Accelerator`，它这时会发现一共有 N 个进程，以及自己的编号（rank）。这些进程是通过**复制（fork）** notebook 的进程启动的，所以会继承 notebook 已经加载的内容（例如我们的数据集）。`helpers.loop.launch` 先判断这台机器能容纳多少个进程，再用一个空闲的网络端口调用它，并打印它的判断：
#
# - **多块 GPU：** 每块 GPU 一个进程，进程之间通过 NCCL 通信。启动之前，notebook 中不能用过 CUDA，否则复制出来的进程无法再使用它。本 notebook 在第 1 到 8 节用过 CUDA，所以在这样的机器上，请从一个新的内核启动（先运行准备单元格，再运行启动单元格），或者从终端启动（第 10 节）。
# - **一块 GPU（例如 Colab）：** 一个进程，就在 notebook 自己的进程里，在这块 GPU 上运行。两个进程不能共用一块 GPU。
# - **没有 GPU，或者指定 `cpu=True`：** 通过 PyTorch 的 CPU 后端 **gloo** 通信的多个 CPU 进程，每个进程分到一部分 CPU 核心；进程数多于核心数时会报错。
#
# **这里运行的是什么。** 为了让每位学习者无论用什么机器都能运行两个进程，本节是一个 CPU 演示：`cpu=True`，使用前 2,000 个训练句子和 500 个验证句子，训练一个轮次，在笔记本电脑或 Colab 的 CPU 上每次训练只需几分钟。它运行的代码与 GPU 上完全相同。
#
# **有意义的比较。** 我们在 CPU 上用同样的句子训练两次：一次是一个进程、批次大小 32，一次是两个进程、每个进程 16。两次训练每个优化步都用 32 个句子（**有效**批次大小是 `batch_size × 进程数`），步数相同，学习率调度相同（第 4 节），每一步看到的句子也相同（两个进程轮流取同一个打乱顺序中的批次）。但它们仍然是两次不同的计算：一个进程对 32 个句子中所有带标签的子词求平均损失，而两个进程各自对自己的 16 个句子求平均，再由 DDP 把两份梯度取平均，子词的权重因此略有不同；此外，每个进程各自生成 dropout 掩码。可以预期两次训练的验证集分数很接近，但不会完全相同。如果每个进程仍取 32 个句子，两个进程的训练步数就会减半、批次翻倍：那是另一次训练，学习率需要重新调整（练习 5）。
#
# 被启动的进程会把输出打印到运行 Jupyter 的终端里，不一定出现在 notebook 中；我们读取主进程写出的 `metrics.json`。（在 CPU 上，这个版本的 Accelerate 照样会打印 “Launching training on 2 CUDAs”；各进程自己报告的是 `cpu` 和 `MULTI_CPU`。）

# %%
demo = limit_samples(ds, 2000, 500)  # a CPU demonstration: minutes, not hours
demo_runs = {}
for processes in (1, 2):
    demo_config = helpers.TrainConfig(
        output_dir=f"runs/lesson8/cpu-{processes}",
        recipe=with_overrides(recipe, batch_size=recipe.batch_size // processes),  # 32 sentences per step
        epochs=1,
        max_steps=max_steps,
        seed=seed,
        overwrite=True,
        save_checkpoints=False,
    )
    start = time.perf_counter()
    loop.launch(loop.train_loop, demo_config, demo, num_processes=processes, cpu=True)
    demo_runs[processes] = json.loads(Path(demo_config.output_dir, "metrics.json").read_text())
    demo_runs[processes]["wall_seconds"] = time.perf_counter() - start

two = demo_runs[2]
display(
    pd.DataFrame.from_dict(
        {
            f"{n} process(es)": {
                "batch per process": r["per_device_batch_size"],
                "effective batch": r["effective_batch_size"],
                "steps": r["global_steps"],
                "validation F1": r["validation"]["overall_f1"],
                "validation accuracy": r["validation"]["overall_accuracy"],
                "train seconds": r["train_seconds"],
                "launch + train seconds": round(r["wall_seconds"], 1),
            }
            for n, r in demo_runs.items()
        },
        orient="index",
    ).round(4)
)

# %% check="1"
assert two["num_processes"] == 2 and demo_runs[1]["num_processes"] == 1
assert two["effective_batch_size"] == demo_runs[1]["effective_batch_size"]
assert two["global_steps"] == demo_runs[1]["global_steps"]

# %% [markdown] lang="en"
# ### Every sentence scored once
#
# Read `train seconds` too. Where two processes share the cores one process had to itself, as on the 2-core CPU of the run card, they gain no compute and add a gradient exchange at every step, so they are not faster; more processes pay off when each brings its own GPU.
#
# After its epoch, `train_loop` evaluated the validation sentences on both processes together (`gather_for_metrics`, section 5). Below: the number of sentences that evaluation scored, and the number of rows plain `gather` collected over the same evaluation, the copies that fill the last batches included. Had the loop used `gather`, the two-process figures would count some sentences twice, and a model's score would change with the number of devices. (`tests/test_loop.py` checks that a saved model gets exactly the same scores from this evaluation on one and on two processes.)
# %% [markdown] lang="zh"
# ### 每个句子只算一次
#
# 也看一下 `train seconds` 列。两个进程如果分用原本由一个进程独占的那些核（例如运行卡片上的 2 核 CPU），就得不到更多算力，每一步还要多交换一次梯度，所以并不会更快；每个进程各有一块 GPU 时，多进程才划算。
#
# 一个轮次结束后，`train_loop` 在两个进程上一起评估了验证集（`gather_for_metrics`，见第 5 节）。下面给出这次评估打分的句子数，以及在同一次评估中普通 `gather` 收集到的行数（包括补满最后批次时复制的句子）。如果循环用的是 `gather`，两个进程得出的数字会把一些句子算两遍，模型的分数就会随设备数量而变。（`tests/test_loop.py` 检查同一个保存下来的模型用这种评估在一个进程和两个进程上得到完全相同的分数。）

# %%
last = two["log_history"][-1]
print("validation sentences:        ", len(demo["validation"]))
print("scored (gather_for_metrics): ", last["sentences"])
print("rows plain gather collected: ", last["rows_plain_gather"])

# %% check="1"
assert last["sentences"] == len(demo["validation"])
assert last["rows_plain_gather"] >= len(demo["validation"])

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
# The validation split of this notebook is evaluated on **3** processes with the recipe's evaluation batch size (`recipe.eval_batch_size`). How many prediction rows would plain `accelerator.gather` collect over the whole evaluation? Compute it from `len(ds["validation"])` and the batch size, then check your reasoning against what section 9 measured on 2 processes for its `len(demo["validation"])` sentences (`last["rows_plain_gather"]`).
# %% [markdown] lang="zh"
# ### 练习 2：普通 `gather` 收集到什么
#
# 在 **3** 个进程上用配方的评估批次大小（`recipe.eval_batch_size`）评估本 notebook 的验证集。整个评估过程中，普通的 `accelerator.gather` 会收集到多少行预测？请根据 `len(ds["validation"])` 和批次大小算出来，再用同样的思路核对第 9 节在 2 个进程上对 `len(demo["validation"])` 个句子实测的数字（`last["rows_plain_gather"]`）。

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
