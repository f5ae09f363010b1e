"""Document contexts turned into text just before rendering, with the French presentation of core/values.py.

Spaces inside numbers are no-break spaces, so Word never splits an amount at a line end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..core.contexts import Shown
from ..core.values import DATE, NUMBER


def to_text(value: Any) -> Any:
    """A context with every typed value turned into its French text (None becomes '')."""
    if isinstance(value, Shown):
        return value.kind.text(value.valeur)
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return {k: to_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_text(v) for v in value]
    if isinstance(value, float):
        return NUMBER.bare(value)
    if isinstance(value, dt.date):
        return DATE.text(value)
    return value
