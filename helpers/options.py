"""Command-line options from dataclass fields: each option is declared once, as a field with a help text.

``TrainConfig`` and ``Recipe`` (helpers.training) declare their fields with :func:`option`; helpers.cli turns
every field into an ``argparse`` option with :func:`add_options`, so a new field is a new option, and
``--help`` shows each default once (the field's).
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any


def option(default: Any = dataclasses.MISSING, help: str = "", **metadata: Any) -> Any:
    """A dataclass field with a ``--help`` text; ``choices=(...)``, ``flag="--no-x"``, ``required=True`` also go.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Args:
    ...     epochs: float = option(2.0, "number of epochs")
    """
    return dataclasses.field(default=default, metadata={"help": help, **metadata})


def _scalar_type(hint: Any) -> type | None:
    """``int`` for ``int`` or ``int | None``; None for types an option cannot hold (dicts, dataclasses, ...)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    return hint if hint in (str, int, float, bool) else None


def add_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    cls: type,
    *,
    skip: Iterable[str] = (),
    defaults: Callable[[dataclasses.Field], str] | None = None,
) -> list[str]:
    """Add one ``--field-name`` option per scalar field of dataclass ``cls``; returns the field names added.

    A bool field defaulting to False is a switch (``--resume``), one defaulting to True a ``--no-x`` switch
    (or the field's ``flag``). With ``defaults`` every option defaults to None (meaning "keep the field's value"),
    and ``defaults(field)`` gives the text shown for it in ``--help``.
    """
    hints = typing.get_type_hints(cls)
    added = []
    for f in dataclasses.fields(cls):
        kind = _scalar_type(hints[f.name])
        if f.name in skip or kind is None or not f.init:
            continue
        name = "--" + f.name.replace("_", "-")
        meta = dict(f.metadata)
        help_text = meta.get("help", "")
        kwargs: dict[str, Any] = {"dest": f.name}
        if defaults is not None:
            kwargs["default"] = None
            help_text += f" (default: {defaults(f)})"
            if kind is bool:
                kwargs["action"] = argparse.BooleanOptionalAction
            else:
                kwargs["type"] = kind
        elif kind is bool:
            kwargs["default"] = f.default
            kwargs["action"] = "store_false" if f.default else "store_true"
            if f.default:
                name = meta.get("flag", "--no-" + f.name.replace("_", "-"))
        else:
            required = meta.get("required", False) or f.default is dataclasses.MISSING
            kwargs.update(type=kind, default=None if required else f.default, required=required)
            if not required and f.default is not None:
                help_text += " (default: %(default)s)"
        if "choices" in meta:
            kwargs["choices"] = meta["choices"]
        parser.add_argument(name, help=help_text.strip() or None, **kwargs)
        added.append(f.name)
    return added


def from_namespace(cls: type, namespace: argparse.Namespace, **extra: Any):
    """An instance of ``cls`` from the parsed options that belong to its fields (plus ``extra`` values)."""
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    values = {k: v for k, v in vars(namespace).items() if k in names}
    return cls(**{**values, **extra})
