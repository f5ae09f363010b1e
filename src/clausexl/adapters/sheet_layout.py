"""How an output sheet prints: column widths from what the cells hold, wrapped lines, pages wide.

Widths are in Excel character units (the width of a « 0 » in the default font). The estimates
are deliberately a little generous: a column slightly too wide costs nothing, a label cut in
the middle is what the reader of a printed table cannot recover.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Sequence
from typing import Any

from ..core.values import NUMBER, ValueKind

#: Narrowest and widest column chosen from the cells (a wider text wraps inside the widest).
MIN_WIDTH, MAX_WIDTH = 10, 45
#: What one A4 landscape page shows at 100 % (margins of 0,7"); the widest a sheet may be while still
#: printed on one page wide (about 60 %, the smallest print still read without a magnifier); and what a
#: page shows when a wider sheet is spread over several pages side by side (about 75 %).
LANDSCAPE_WIDTH = 140
MAX_FITTED_WIDTH = 230
PAGE_OF_WIDE_SHEET = 185
#: What an A4 portrait page shows at 100 %: narrower sheets print portrait.
PORTRAIT_WIDTH = 95
#: The height of one line of text (points) in the default 11-point font.
LINE_HEIGHT = 15


def text_length(value: Any, kind: ValueKind | None = None) -> int:
    """How many characters `value` takes once formatted in a cell (as `kind` shows it, when given)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if kind is not None and not isinstance(value, str):
        try:
            return len(kind.cell(value)) + 1
        except (TypeError, ValueError):
            return len(str(value))
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        return 3
    if isinstance(value, (int, float)):
        return len(NUMBER.cell(value)) + 1
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "to_pydatetime"):
        return 10
    return len(str(value))


def column_width(header: str, values: Sequence[Any], kind: ValueKind | None = None) -> float:
    """Wide enough for the longest cell (within MIN_WIDTH–MAX_WIDTH) and for the header's longest word."""
    longest_word = max((len(w) for w in str(header).split()), default=0)
    longest_value = max((text_length(v, kind) for v in values), default=0)
    return float(max(MIN_WIDTH, longest_word + 2, min(MAX_WIDTH, longest_value + 2)))


def lines(text: str, width: float) -> int:
    """The lines `text` takes when wrapped in a column `width` wide (at least 1)."""
    usable = max(1, int(width) - 1)
    return max(1, sum(len(textwrap.wrap(part, usable)) or 1 for part in str(text).splitlines() or [""]))


def row_height(texts: Sequence[tuple[Any, float]]) -> float | None:
    """The height of a row whose wrapped cells are (value, column width); None when one line is enough."""
    most = max((lines(str(v), w) for v, w in texts if isinstance(v, str) and v), default=1)
    return LINE_HEIGHT * most + 2 if most > 1 else None


def pages_wide(width: float) -> int:
    """Pages side by side a sheet `width` wide prints on: one up to MAX_FITTED_WIDTH, then as many as keep
    each page at about 75 %."""
    return 1 if width <= MAX_FITTED_WIDTH else math.ceil(width / PAGE_OF_WIDE_SHEET)
