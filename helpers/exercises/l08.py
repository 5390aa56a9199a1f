"""Lesson 8 exercises: effective batch and steps, what plain gather collects, weight decay groups, the step."""

from __future__ import annotations

import math

from . import Choice, T, choice, exercise, num

FULL_TRAIN = 14041  # sentences in CoNLL-2003's training split (the statement of q1 gives it)


def _as_int(value) -> int | None:
    try:
        return int(value) if float(value) == int(value) else None
    except (TypeError, ValueError):
        return None


@exercise(
    "q1",
    expects=T(
        'a dict {"effective_batch": int, "steps_per_epoch": int}',
        '一个字典 {"effective_batch": 整数, "steps_per_epoch": 整数}',
    ),
    hint=T(
        "Each process takes its own batch of 32 in every step. The 14,041 sentences make ceil(14041 / 32) batches, "
        "and the 4 processes share them out, one each per step.",
        "每一步中，每个进程各取一个 32 句的批次。14,041 个句子组成 ceil(14041 / 32) 个批次，由 4 个进程分担，每步每个进程一个。",
    ),
    solution="""
import math

answer = {
    "effective_batch": loop.effective_batch_size(32, 4),
    "steps_per_epoch": math.ceil(math.ceil(14041 / 32) / 4),
}
print(answer)
""",
)
def q1(answer):
    """Effective batch size and optimisation steps per epoch for 4 devices, 32 sentences each, 14,041 sentences."""
    got = dict(answer)
    if set(got) != {"effective_batch", "steps_per_epoch"}:
        return T(
            'use the keys "effective_batch" and "steps_per_epoch".',
            '请使用键 "effective_batch" 和 "steps_per_epoch"。',
        )
    effective, steps = _as_int(got["effective_batch"]), _as_int(got["steps_per_epoch"])
    batches = math.ceil(FULL_TRAIN / 32)
    want_steps = math.ceil(batches / 4)
    if effective != 32 * 4:
        if effective == 32:
            return T(
                "32 is the batch of one device; in one step all 4 devices take a batch each.",
                "32 是单个设备的批次；每一步中 4 个设备各取一个批次。",
            )
        return T(
            f"effective_batch: you have {got['effective_batch']}; it is batch size × number of devices.",
            f"effective_batch：你的是 {got['effective_batch']}；它等于批次大小 × 设备数。",
        )
    if steps == want_steps:
        return None
    if steps == batches:
        return T(
            f"{num(batches)} is the number of batches of one process alone; 4 processes share them.",
            f"{num(batches)} 是单个进程独自训练时的批次数；现在由 4 个进程分担。",
        )
    if steps == FULL_TRAIN // 128:
        return T(
            "round up: the last, incomplete batches still make a step.",
            "要向上取整：最后不满的批次也要走一步。",
        )
    return T(
        f"steps_per_epoch: you have {got['steps_per_epoch']}, one epoch takes {num(want_steps)} steps.",
        f"steps_per_epoch：你的是 {got['steps_per_epoch']}，一个轮次需要 {num(want_steps)} 步。",
    )


@exercise(
    "q2",
    expects=T("an integer: rows collected by plain gather", "一个整数：普通 gather 收集到的行数"),
    hint=T(
        "Every process runs the same number of full batches: count the batches of the split (round up), round that "
        "up to a multiple of 3, and remember that the last batch is filled up to the full batch size.",
        "每个进程都运行同样多个满的批次：先数出这个划分有多少个批次（向上取整），再向上取整到 3 的倍数；别忘了最后一个批次也会被补满到完整的批次大小。",
    ),
    solution="""
import math

batches = math.ceil(len(ds["validation"]) / recipe.eval_batch_size)
answer = 3 * math.ceil(batches / 3) * recipe.eval_batch_size
print(answer, "rows for", len(ds["validation"]), "sentences")
""",
)
def q2(answer, n_sentences: int, batch_size: int, processes: int = 3):
    """Rows that plain ``gather`` collects when ``n_sentences`` are evaluated on ``processes`` processes."""
    got = _as_int(answer)
    per_process = math.ceil(math.ceil(n_sentences / batch_size) / processes)
    want = processes * per_process * batch_size
    if got == want:
        return None
    if got == n_sentences:
        return T(
            f"{num(n_sentences)} is what gather_for_metrics returns; plain gather also returns the copies that "
            "fill the last batches.",
            f"{num(n_sentences)} 是 gather_for_metrics 返回的行数；普通 gather 还会返回补满最后批次的副本。",
        )
    if got == math.ceil(n_sentences / batch_size) * batch_size:
        return T(
            "that fills the last batch, but the number of batches must also be a multiple of the 3 processes.",
            "这样补满了最后一个批次，但批次数还必须是 3 个进程的倍数。",
        )
    return T(
        f"you have {answer}; plain gather collects {'more' if got is not None and got < want else 'fewer'} rows.",
        f"你的答案是 {answer}；普通 gather 收集到的行数比它{'多' if got is not None and got < want else '少'}。",
    )


@exercise(
    "q3",
    expects=T("a set of parameter names", "一个参数名的集合"),
    hint=T(
        "Walk `model.named_modules()`; for each module, `named_parameters(recurse=False)` "
        "gives its own tensors. Keep the ones called `bias` and all tensors of `torch.nn.LayerNorm` modules, with "
        'the full name `f"{module_name}.{name}"`.',
        '遍历 `model.named_modules()`；对每个模块，`named_parameters(recurse=False)` 给出它自己的张量。保留名为 `bias` 的张量和 `torch.nn.LayerNorm` 模块的所有张量，并使用完整的名字 `f"{module_name}.{name}"`。',
    ),
    solution="""
answer = {
    f"{module_name}.{name}"
    for module_name, module in model.named_modules()
    for name, _ in module.named_parameters(recurse=False)
    if name == "bias" or isinstance(module, torch.nn.LayerNorm)
}
print(len(answer), sorted(answer)[:4])
""",
)
def q3(answer, model):
    """Names of the parameters that get no weight decay (biases, LayerNorm weights), as ``parameter_groups``."""
    from ..loop import parameter_groups

    names = {id(p): n for n, p in model.named_parameters()}
    want = {names[id(p)] for p in parameter_groups(model, 0.01)[1]["params"]}
    got = {str(n).removeprefix("module.") for n in answer}
    if got == want:
        return None
    unknown = sorted(got - set(names.values()))
    if unknown:
        return T(
            f"{unknown[:3]} are not parameter names of this model (see model.named_parameters()).",
            f"{unknown[:3]} 不是这个模型的参数名（见 model.named_parameters()）。",
        )
    extra, missing = sorted(got - want), sorted(want - got)
    if extra:
        return T(
            f"{extra[:3]} should be decayed: they are weight matrices, not biases or LayerNorm weights.",
            f"{extra[:3]} 应当做权重衰减：它们是权重矩阵，不是偏置或 LayerNorm 权重。",
        )
    layer_norm = [n for n in missing if not n.endswith("bias")]
    if layer_norm:
        return T(
            f"the LayerNorm weights are missing, e.g. {layer_norm[:2]}.",
            f"缺少 LayerNorm 的权重，例如 {layer_norm[:2]}。",
        )
    return T(f"some biases are missing, e.g. {missing[:2]}.", f"缺少一些偏置，例如 {missing[:2]}。")


q4 = choice(
    "q4",
    question=T(
        "Why does the loop call `accelerator.backward(loss)` rather than `loss.backward()`?",
        "为什么循环里调用的是 `accelerator.backward(loss)`，而不是 `loss.backward()`？",
    ),
    choices={
        "a": Choice(
            T("It averages the loss over all processes first", "它先把所有进程的损失取平均"),
            T(
                "No: each process keeps its own loss. DDP averages the gradients, during the backward pass, with "
                "either call.",
                "不对：每个进程保留自己的损失。DDP 在反向传播中对梯度取平均，用哪种调用都一样。",
            ),
        ),
        "b": Choice(
            T(
                "It scales the loss for fp16 and lets back-ends such as DeepSpeed run their own backward",
                "它在 fp16 时放大损失，并让 DeepSpeed 等后端执行各自的反向传播",
            ),
            T(
                "Right. In fp32 with plain DDP it does the same as loss.backward(); the same code then also works "
                "with fp16, gradient accumulation and DeepSpeed.",
                "正确。在 fp32 和普通 DDP 下，它与 loss.backward() 效果相同；这样同一份代码也能配合 fp16、梯度累积和 DeepSpeed 使用。",
            ),
        ),
        "c": Choice(
            T(
                "Without it, the gradients of the classification head are not computed",
                "不用它，分类头的梯度就不会被计算",
            ),
            T(
                "Every parameter with requires_grad gets a gradient from loss.backward() as well.",
                "用 loss.backward() 时，每个 requires_grad 的参数同样会得到梯度。",
            ),
        ),
    },
    correct="b",
    hint=T(
        "Think of what must happen to a loss in fp16 before its gradients are computed.",
        "想一想：在 fp16 下，计算梯度之前要对损失做什么。",
    ),
)

q5 = choice(
    "q5",
    question=T(
        "A run on 1 GPU used batch size 32 and learning rate 3e-4. You move it to 8 GPUs, 32 sentences per GPU, "
        "and change nothing else. What happens?",
        "一次在 1 块 GPU 上的训练使用批次大小 32、学习率 3e-4。你把它搬到 8 块 GPU 上，每块 GPU 32 个句子，其余不变。会发生什么？",
    ),
    choices={
        "a": Choice(
            T("The same training, 8 times faster", "同样的训练，快 8 倍"),
            T(
                "The batches are not the same: each step now averages 256 sentences, and an epoch has 8 times fewer "
                "steps. The learning-rate schedule sees another run.",
                "批次并不相同：现在每一步在 256 个句子上取平均，一个轮次的步数只有原来的八分之一。学习率调度面对的是另一次训练。",
            ),
        ),
        "b": Choice(
            T(
                "Effective batch 256, 8 times fewer steps per epoch; the learning rate may need raising (with warm-up)",
                "有效批次为 256，每个轮次的步数减少到八分之一；学习率可能需要提高（配合预热）",
            ),
            T(
                "Right. Fewer, smoother steps at the same rate usually learn less per epoch; scaling the rate with "
                "the batch (linearly or by the square root) is a starting point, to be checked on validation data.",
                "正确。步数更少、更平稳，学习率却不变，每个轮次通常学得更少；按批次大小放大学习率（线性或按平方根）是一个起点，还要在验证集上检验。",
            ),
        ),
        "c": Choice(
            T(
                "Each GPU goes through the whole training set: 8 epochs in the time of one",
                "每块 GPU 都过一遍整个训练集：一个轮次的时间里训练了 8 个轮次",
            ),
            T(
                "The prepared data loader gives each process a different eighth of the batches; together they go "
                "through the data once.",
                "准备好的数据加载器给每个进程分配不同的八分之一批次；它们合起来才把数据过一遍。",
            ),
        ),
    },
    correct="b",
    hint=T(
        "How many sentences does one optimisation step average over now?",
        "现在一个优化步是在多少个句子上取平均的？",
    ),
)

EXERCISES = [q1, q2, q3, q4, q5]
