"""Finding a table in a sheet's cells when it is not an Excel table (ListObject).

Both readers (the file reader with calamine, the live xlwings reader) call it when a table is not
an Excel table: the header is the first of the top rows holding every required
header of the schema table. Pure, so both readers can share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .raw import RawTable
from .schema import Table
from .text import header_key

HEADER_SEARCH_ROWS = 10


def table_from_cells(t: Table, sheet: str, cells: Sequence[Sequence[Any]]) -> RawTable:
    """The table `t` in a sheet's values (anchored at A1): header row found, rows below it.

    When no top row holds the required headers, the first row is taken as header so that the
    core names the missing column in its message.
    """
    required = {header_key(c.header) for c in t.columns if c.required}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        keys = {header_key(v) for v in row if v not in (None, "")}
        if required <= keys:
            return RawTable(t.name, sheet, index + 1, list(row), [list(r) for r in cells[index + 1:]], "sheet")
    headers = list(cells[0]) if cells else []
    return RawTable(t.name, sheet, 1, headers, [list(r) for r in cells[1:]], "sheet")
