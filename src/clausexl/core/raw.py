"""What a reader hands to the core: a table's header and cell values, untyped.

Both the file reader (python-calamine) and the live Excel reader (xlwings) produce these,
so typing and validation are written once.
"""

from __future__ import annotations

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

    def excel_row(self, index: int) -> int:
        return self.header_row + 1 + index


def column_letter(number: int) -> str:
    """1 → A, 27 → AA: spelling a cell reference, only for links and highlights pointing into a sheet."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
