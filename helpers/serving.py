"""CPU serving: export a saved model to ONNX or int8, and load the export back as a model a ``Tagger`` runs.

Three exports of a folder that ``train`` saved (``runs/ner/model``), each a folder with the config, the
tokenizer and a ``tokcls_export.json`` that names the format:

- ``onnx``: the graph for ONNX Runtime (``torch.onnx.export``), fp32 weights, batch and length dynamic;
- ``onnx-int8``: that graph with its matrix weights quantized to int8 per output channel by ONNX Runtime's
  dynamic quantization (activations are quantized on the fly, batch by batch);
- ``int8``: PyTorch dynamic int8 quantization of every ``nn.Linear`` (per output channel); the int8 weights
  and their scales are stored in safetensors and rebuilt into the quantized modules when loaded.

``Tagger.from_pretrained`` loads any of them (it dispatches here through :func:`export_format`), and so do
``python -m helpers evaluate`` and ``predict``. All three run on the CPU. ``python -m helpers export`` makes them;
``benchmarks/serving.py`` measures F1, speed, size and memory of each against the fp32 model.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import warnings
from pathlib import Path

from .errors import ModelConfigError, OutputDirError
from .io import display_path, replace_dir_atomic, write_json_atomic
from .modeling import PICKLE_FILES, SAFETENSORS_FILES

EXPORT_FORMATS = ("onnx", "onnx-int8", "int8")
MARKER = "tokcls_export.json"
ONNX_FILE = "model.onnx"
INT8_FILE = "model_int8.safetensors"
_INT8 = ".int8_weight"  # suffixes of the stored tensors of a quantized linear layer
_SCALES = ".int8_scales"
_ZERO = ".int8_zero_points"


def export_format(path: str | os.PathLike) -> str | None:
    """The export format of a folder written by :func:`export_model` (``"onnx"``, ...), None for anything else."""
    marker = Path(path) / MARKER
    if not marker.is_file():
        return None
    try:
        fmt = json.loads(marker.read_text(encoding="utf-8")).get("format")
    except (ValueError, AttributeError):
        raise ModelConfigError(
            f"{marker}: not valid JSON with a 'format' field; export the model again"
        ) from None
    if fmt not in EXPORT_FORMATS:
        raise ModelConfigError(f"{marker}: unknown format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    return fmt


def folder_bytes(path: str | os.PathLike) -> int:
    """Bytes of all files under ``path`` (size on disk of a saved or exported model)."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _check_source(model_dir: Path) -> None:
    """A clear error unless ``model_dir`` holds a saved token-classification model (config and weights)."""
    if not model_dir.is_dir():
        raise ModelConfigError(
            f"{model_dir}: no such folder (give the folder `train` saved, e.g. runs/ner/model)"
        )
    if export_format(model_dir):
        raise ModelConfigError(f"{model_dir}: this is already an export; export the original model folder")
    weights = [n for n in (*SAFETENSORS_FILES, *PICKLE_FILES) if (model_dir / n).is_file()]
    if not (model_dir / "config.json").is_file() or not weights:
        raise ModelConfigError(
            f"{model_dir}: holds no saved model (expected config.json and model.safetensors, as "
            "`python -m helpers train` writes into OUTPUT/model)"
        )
    arch = json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("architectures") or []
    if not any(a.endswith("ForTokenClassification") for a in arch):
        raise ModelConfigError(
            f"{model_dir}: its config names {arch or 'no architecture'}, not a token-classification model"
        )


def _quantize_dynamic(model):
    """``model`` with every ``nn.Linear`` replaced by a dynamic int8 one, weights quantized per output channel."""
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # torch.ao.quantization announces its move to torchao on every call
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)


def _quantized_linears(model) -> dict:
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return {name: m for name, m in model.named_modules() if isinstance(m, DynamicLinear)}


def _int8_state(model) -> dict:
    """Tensors that store a dynamically quantized model: int8 weights, scales and zero points of each linear
    layer, everything else (embeddings, layer norms, biases) as it is."""
    state = {}
    linears = _quantized_linears(model)
    for name, m in linears.items():
        w = m.weight()
        state[name + _INT8] = w.int_repr().contiguous()
        state[name + _SCALES] = w.q_per_channel_scales().float().contiguous()
        state[name + _ZERO] = w.q_per_channel_zero_points().contiguous()
        if m.bias() is not None:
            state[name + ".bias"] = m.bias().detach().contiguous()
    for key, value in model.state_dict().items():
        if not any(key.startswith(name + ".") for name in linears):
            state[key] = value.contiguous()
    return state


def _export_int8(model, out: Path) -> None:
    from safetensors.torch import save_file

    save_file(_int8_state(_quantize_dynamic(model)), str(out / INT8_FILE))


def _load_int8(folder: Path, config):
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForTokenClassification

    state = load_file(str(folder / INT8_FILE))
    linears = {k[: -len(_INT8)] for k in state if k.endswith(_INT8)}
    stored = {k: v for k, v in state.items() if not any(k.startswith(name + ".") for name in linears)}
    model = AutoModelForTokenClassification.from_config(config)
    missing, unexpected = model.load_state_dict(stored, strict=False)
    missing = [k for k in missing if not any(k.startswith(name + ".") for name in linears)]
    if missing or unexpected or set(_quantized_linears(model := _quantize_dynamic(model))) != linears:
        raise ModelConfigError(
            f"{folder / INT8_FILE}: does not fit its config.json (missing {missing[:5]}, unexpected "
            f"{unexpected[:5]}); export the model again"
        )
    for name, m in _quantized_linears(model).items():
        scales, zero = state[name + _SCALES].double(), state[name + _ZERO]
        real = (state[name + _INT8].float() - zero[:, None]) * scales[
            :, None
        ]  # re-quantizes to the same int8
        qweight = torch.quantize_per_channel(real.float(), scales, zero, 0, torch.qint8)
        m.set_weight_bias(qweight, state.get(name + ".bias"))
    return model.eval()


def _export_onnx(model, tokenizer, out: Path, quantize: bool) -> None:
    import torch

    sample = tokenizer([["Angela", "Merkel", "visited", "Paris", "."], ["EU", "rejects"]],
                       is_split_into_words=True, padding=True, return_tensors="pt")  # fmt: skip
    accepted = set(inspect.signature(model.forward).parameters)
    names = [k for k in sample if k in accepted]
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    target = out / ("model_fp32.onnx" if quantize else ONNX_FILE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (), str(target), kwargs={k: sample[k] for k in names}, input_names=names,
            output_names=["logits"], dynamic_shapes={k: {0: batch, 1: length} for k in names},
            dynamo=True, external_data=False, verbose=False,
        )  # fmt: skip
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # it advises pre-processing the graph first; measured without it
        try:
            quantize_dynamic(str(target), str(out / ONNX_FILE), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.setLevel(level)
        target.unlink()


def export_model(
    model_dir: str | os.PathLike, to: str, output_dir: str | os.PathLike, *, overwrite: bool = False
) -> Path:
    """Export the saved model in ``model_dir`` to ``output_dir`` as ``to`` (``"onnx"``, ``"onnx-int8"`` or
    ``"int8"``); the folder then loads with ``Tagger.from_pretrained(output_dir)``.

    >>> export_model("runs/ner/model", "int8", "runs/ner/int8")  # doctest: +SKIP
    """
    from .modeling import load_saved_model, load_tokenizer

    if to not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {to!r}")
    source, out = Path(model_dir), Path(output_dir)
    _check_source(source)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise OutputDirError(f"output folder {out} already holds files; pass --overwrite to replace it")
    if to.startswith("onnx"):
        _require("onnxruntime", "onnxruntime onnx onnxscript")
    model = load_saved_model(
        source, device="cpu"
    )  # the one loader: safetensors, or .bin through the safe path
    tokenizer = load_tokenizer(str(source))

    def fill(tmp: Path) -> None:
        model.config.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if to == "int8":
            _export_int8(model, tmp)
        else:
            _export_onnx(model, tokenizer, tmp, quantize=to == "onnx-int8")
        import torch

        write_json_atomic(
            tmp / MARKER,
            {"format": to, "source": display_path(source), "torch": torch.__version__, "runs_on": "cpu"},
        )

    replace_dir_atomic(out, fill)
    return out


def _require(module: str, install: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModelConfigError(
            f"this needs {module}, which is not installed: pip install {install} "
            '(or pip install -e ".[serve]")'
        )


class OnnxTokenClassifier:
    """An ONNX Runtime session that answers like a transformers token-classification model:
    ``model(input_ids=..., attention_mask=...).logits``; ``config`` is the saved model's.

    ``parameters()`` yields one empty CPU tensor so that code asking for a model's device gets ``cpu``.
    """

    def __init__(self, path: str | os.PathLike, config, threads: int | None = None):
        import onnxruntime as ort
        import torch

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.config = config
        self._device_probe = torch.empty(0)

    def parameters(self):
        yield self._device_probe

    def eval(self) -> OnnxTokenClassifier:
        return self

    def to(self, device) -> OnnxTokenClassifier:
        """Stays on the CPU (the export runs with ONNX Runtime's CPU provider); asking for a GPU is an error."""
        if str(device).split(":")[0] not in ("cpu",):
            raise ModelConfigError("an ONNX export runs on the CPU here; load the original model for a GPU")
        return self

    def __call__(self, **inputs):
        import torch
        from transformers.modeling_outputs import TokenClassifierOutput

        missing = [n for n in self.input_names if n not in inputs]
        if missing:
            raise ModelConfigError(f"the ONNX model needs inputs {missing} that the tokenizer did not give")
        feed = {n: inputs[n].cpu().numpy() for n in self.input_names}
        (logits,) = self.session.run(["logits"], feed)
        return TokenClassifierOutput(logits=torch.from_numpy(logits))


def load_exported(path: str | os.PathLike):
    """``(model, tokenizer)`` of an export folder; the model runs on the CPU whatever the format."""
    from transformers import AutoConfig

    from .modeling import load_tokenizer

    folder = Path(path)
    fmt = export_format(folder)
    if fmt is None:
        raise ModelConfigError(f"{folder}: not an export (no {MARKER}); load it with Tagger.from_pretrained")
    config = AutoConfig.from_pretrained(folder)
    if fmt == "int8":
        model = _load_int8(folder, config)
    else:
        _require("onnxruntime", "onnxruntime")
        import torch

        model = OnnxTokenClassifier(folder / ONNX_FILE, config, threads=torch.get_num_threads())  # as torch
    return model, load_tokenizer(str(folder))
