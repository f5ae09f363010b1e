"""Output workbooks (reports, tables) written with XlsxWriter.

Every text cell is written as text, never as a formula (`strings_to_formulas` off), so a
value typed `=HYPERLINK(...)` in the facilitator's workbook stays harmless in what we send.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.values import KINDS, ValueKind
from .output import write_atomic

if TYPE_CHECKING:  # XlsxWriter is imported only when a workbook is written
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass
class OutSheet:
    """A sheet of rows under a header; `formats` maps a column header to the kind of its values."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: dict[str, ValueKind] = field(default_factory=dict)
    title: str | None = None
    notes: Sequence[str] = ()
    links: Sequence[str | None] | None = None
    link_column: str | None = None
    widths: dict[str, float] = field(default_factory=dict)
    #: column header → the values offered as a drop-down list in that column (data validation)
    choices: dict[str, Sequence[str]] = field(default_factory=dict)


def sheet_title(name: str) -> str:
    """A valid sheet name: no []:*?/\\ and at most 31 characters."""
    return _INVALID_TITLE.sub("-", name).strip("'")[:31] or "Feuille"


def write_workbook(path: Path, sheets: Sequence[OutSheet], force: bool = False) -> Path:
    """A new .xlsx holding `sheets`, written atomically."""
    return write_atomic(Path(path), lambda tmp: _write(tmp, sheets), force)


def _write(path: Path, sheets: Sequence[OutSheet]) -> None:
    book = workbook_in_memory()
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    styles = Styles(book)
    for spec in sheets:
        write_sheet(book, styles, spec)
    close_into(book, path)


def workbook_in_memory() -> Workbook:
    """An XlsxWriter workbook built wholly in memory; `close_into` writes its bytes.

    XlsxWriter otherwise writes each part into the system temporary folder (where a full disk or
    a stop leaves them, personal data included) and zips straight into the file (whose half-closed
    ZipFile then prints a stray traceback when the disk is full). In memory, nothing touches the
    disk but one plain write of the finished bytes into write_atomic's temporary file.
    """

    import xlsxwriter

    return xlsxwriter.Workbook(io.BytesIO(), {**WORKBOOK_OPTIONS, "in_memory": True})


def close_into(book: Workbook, path: Path) -> None:
    """Finish `book` (from `workbook_in_memory`) and write its bytes to `path`."""
    book.close()
    path.write_bytes(book.filename.getvalue())


class Styles:
    """The few cell formats output sheets share, created once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.note = book.add_format({"italic": True, "font_color": "#595959"})
        self.link = book.add_format({"font_color": "blue", "underline": 1})
        self._by_kind = {kind: book.add_format({"num_format": kind.excel}) for kind in KINDS}

    def number(self, kind: ValueKind | None) -> Format | None:
        """The cell format of `kind` (its Excel number format, core/values.py); None for none."""
        return self._by_kind.get(kind) if kind else None


def write_sheet(book: Workbook, styles: Styles, spec: OutSheet) -> Worksheet:
    ws = book.add_worksheet(sheet_title(spec.name))
    row = 0
    if spec.title:
        ws.write_string(row, 0, spec.title, styles.title)
        row += 1
    for note in spec.notes:
        ws.write_string(row, 0, note, styles.note)
        row += 1
    if row:
        row += 1
    header_row = row
    for c, header in enumerate(spec.headers):
        ws.write_string(header_row, c, str(header), styles.header)
        ws.set_column(c, c, column_width(spec, header))
    lines = max((len(textwrap.wrap(str(h), max(1, int(column_width(spec, h)) - 1))) for h in spec.headers), default=1)
    if lines > 1:  # a wrapped header gets its height (LibreOffice, unlike Excel, keeps the default one)
        ws.set_row(header_row, 15 * lines)
    fmts = [styles.number(spec.formats.get(h)) for h in spec.headers]
    link_col = list(spec.headers).index(spec.link_column) if spec.link_column in spec.headers else None  # type: ignore[arg-type]
    for r, values in enumerate(spec.rows, start=header_row + 1):
        for c, value in enumerate(values):
            if link_col == c and spec.links and spec.links[r - header_row - 1]:
                ws.write_url(r, c, spec.links[r - header_row - 1], styles.link, string=str(value))
            else:
                write_cell(ws, r, c, value, fmts[c])
    for header, values in spec.choices.items():
        if header in spec.headers:
            c = list(spec.headers).index(header)
            ws.data_validation(header_row + 1, c, header_row + max(len(spec.rows), 1), c,
                               {"validate": "list", "source": list(values)})
    ws.freeze_panes(header_row + 1, 0)
    if spec.headers:
        ws.autofilter(header_row, 0, header_row + max(len(spec.rows), 1), len(spec.headers) - 1)
    if printed_width(spec) > PORTRAIT_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    return ws


#: The width (in Excel character units) an A4 portrait page shows at 100 %: wider tables print landscape
#: (fit to the page's width either way, so a wide table shrinks less).
PORTRAIT_WIDTH = 95


def column_width(spec: OutSheet, header: str) -> float:
    """A column's width: the one `spec` gives, else its header's length (within 10 and 45)."""
    return spec.widths.get(header, max(10, min(45, len(str(header)) + 4)))


def printed_width(spec: OutSheet) -> float:
    """The width of the sheet's columns, as `write_sheet` sets them."""
    return sum(column_width(spec, h) for h in spec.headers)


def write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """One value with the right writer: text stays text, dates become Excel dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Oui" if value else "Non", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    elif hasattr(value, "to_pydatetime"):
        if value != value:
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_datetime(row, col, value.to_pydatetime(), fmt)
    elif hasattr(value, "item"):
        write_cell(ws, row, col, value.item(), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
