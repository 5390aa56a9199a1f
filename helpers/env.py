"""The one parser of boolean environment variables (``TOKCLS_SMOKE``, ``HF_HUB_OFFLINE``, ``CI``, ...).

A flag is on when its value is 1, true, yes or on (any case, spaces ignored); unset, empty or anything else
is off. Every module and test that reads a switch asks :func:`env_flag`, so ``TOKCLS_SMOKE=true`` means the
same everywhere.
"""

from __future__ import annotations

import os

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


def env_flag(*names: str) -> bool:
    """True when the first of ``names`` that is set (non-empty) says 1, true, yes or on (any case).

    >>> import os; os.environ["TOKCLS_EXAMPLE"] = " Yes "; env_flag("TOKCLS_EXAMPLE")
    True
    """
    value = next((os.environ[n] for n in names if os.environ.get(n)), "")
    return value.strip().lower() in TRUE_VALUES
