"""The project's own error types: every message names the file and line (or row and field)."""

from __future__ import annotations


class TokClsError(Exception):
    """Base class of all errors raised on purpose by ``helpers``."""


class DataFormatError(TokClsError, ValueError):
    """Input data is malformed. ``source``, ``line`` and ``field`` say where; the message says what was expected."""

    def __init__(
        self, message: str, source: str | None = None, line: int | None = None, field: str | None = None
    ):
        self.source, self.line, self.field, self.reason = source, line, field, message
        where = []
        if source is not None:
            where.append(str(source))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class LabelError(TokClsError, ValueError):
    """A label (name or id) is not in the label inventory."""


class ModelConfigError(TokClsError, ValueError):
    """A checkpoint does not fit the task (e.g. its classification head has another number of labels)."""


class TokenizerError(TokClsError, TypeError):
    """The tokenizer cannot do what alignment needs (e.g. it is a slow tokenizer without ``word_ids``)."""


class OutputDirError(TokClsError, FileExistsError):
    """The output directory already holds a run and no overwrite/resume flag was given."""


class HubUnavailableError(TokClsError, RuntimeError):
    """The Hub is needed (e.g. to push a model) but offline mode is on or the endpoint cannot be reached."""


class DeviceError(TokClsError, RuntimeError):
    """The machine cannot run what was asked (e.g. more processes than it has GPUs or CPU cores)."""
