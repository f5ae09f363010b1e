"""What a reader hands to the core: a table's header and cell values, untyped.

Both the file reader (python-calamine) and the live Excel reader (xlwings) produce these,
so typing and validation are written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawTable:
    """A table as found in the workbook.

    `header_row` is the Excel row number of the header, so data row i (0-based) is Excel row
    `header_row + 1 + i`. Cell values are what the reader gives: str, float, int, bool,
    date/datetime, or None/"" for an empty cell; a formula error is its text ("#REF!").
    """

    name: str
    sheet: str
    header_row: int
    headers: list[Any]
    rows: list[list[Any]]
    found_by: str = "table"
    first_column: int = 1
    notes: list[str] = field(default_factory=list)
    #: Excel row → first filled column (1-based) of the rows typed just below an Excel table, within its
    #: columns, that its range does not hold: they are not read (finding `ligne-hors-tableau`).
    unread: dict[int, int] = field(default_factory=dict)

    def excel_row(self, index: int) -> int:
        return self.header_row + 1 + index


#: At most this many rows typed below a table are reported (a paste of more is grown into the table at once).
MAX_UNREAD_ROWS = 10_000


def unread_rows(cells: Iterable[tuple[int, int]], last_row: int, first_column: int,
                last_column: int) -> dict[int, int]:
    """Row → first filled column of the rows typed directly below a table's `last_row`, within its
    columns: from the row under it down to the first row with nothing in those columns."""
    first: dict[int, int] = {}
    for row, col in cells:
        if row > last_row and first_column <= col <= last_column and col < first.get(row, col + 1):
            first[row] = col
    block: dict[int, int] = {}
    row = last_row + 1
    while row in first and len(block) < MAX_UNREAD_ROWS:
        block[row] = first[row]
        row += 1
    return block


def column_letter(number: int) -> str:
    """1 → A, 27 → AA: spelling a cell reference, only for links and highlights pointing into a sheet."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
