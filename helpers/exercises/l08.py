"""Lesson 8 exercises: effective batch and steps, what plain gather collects, weight decay groups, the step."""

from __future__ import annotations

import math

from . import T, exercise, num

FULL_TRAIN = 14041  # sentences in CoNLL-2003's training split (the statement of q1 gives it)


def _as_int(value) -> int | None:
    try:
        return int(value) if float(value) == int(value) else None
    except (TypeError, ValueError):
        return None


@exercise("q1")
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


@exercise("q2")
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


@exercise("q3")
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
