"""Output workbooks (reports, tables) written with XlsxWriter.

Every text cell is written as text, never as a formula (`strings_to_formulas` off), so a
value typed `=HYPERLINK(...)` in the facilitator's workbook stays harmless in what we send.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.values import KINDS, ValueKind
from .output import write_atomic
from .sheet_layout import LANDSCAPE_WIDTH, PORTRAIT_WIDTH, column_width, pages_wide, row_height, text_length

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
    #: Total rows written in bold under `rows`, outside the filter (sorting never moves them)
    totals: Sequence[Sequence[Any]] = ()


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
        self.wrapped_note = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True,
                                             "valign": "top"})
        self._by_kind = {kind: book.add_format({"num_format": kind.excel, "valign": "top"}) for kind in KINDS}
        self._plain = book.add_format({"valign": "top"})
        self._wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._wrap_by_kind = {kind: book.add_format({"num_format": kind.excel, "text_wrap": True, "valign": "top"})
                              for kind in KINDS}
        self.total_text = book.add_format({"bold": True, "top": 1})
        self._total_by_kind = {kind: book.add_format({"num_format": kind.excel, "bold": True, "top": 1})
                               for kind in KINDS}

    def number(self, kind: ValueKind | None, wrap: bool = False) -> Format:
        """The cell format of `kind` (its Excel number format, core/values.py), at the top of the cell (so a row
        with a wrapped cell reads across), wrapping text when asked."""
        if wrap:
            return self._wrap_by_kind.get(kind, self._wrap) if kind else self._wrap
        return self._by_kind.get(kind, self._plain) if kind else self._plain

    def total(self, kind: ValueKind | None) -> Format:
        """The format of a total row's cell: bold, a rule above, the number format of `kind`."""
        return self._total_by_kind.get(kind, self.total_text) if kind else self.total_text


def write_sheet(book: Workbook, styles: Styles, spec: OutSheet) -> Worksheet:
    """One table under its title and notes, laid out to print (sheet_layout): every label whole."""
    ws = book.add_worksheet(sheet_title(spec.name))
    widths = column_widths(spec)
    # A sheet printed over pages side by side repeats its first column on each: the title and the notes
    # start in the second, so that no piece of them is cut on the pages that follow.
    first = 1 if pages_wide(sum(widths)) > 1 and len(widths) > 1 else 0
    span = _note_span(spec, widths[first:])
    row = 0
    if spec.title:
        ws.write_string(row, first, spec.title, styles.title)
        row += 1
    for note in spec.notes:
        _write_note(ws, styles, row, first, note, span)
        row += 1
    if row:
        row += 1
    header_row = row
    for c, header in enumerate(spec.headers):
        ws.write_string(header_row, c, str(header), styles.header)
        ws.set_column(c, c, widths[c])
    height = row_height([(str(h), w) for h, w in zip(spec.headers, widths)])
    if height:
        ws.set_row(header_row, height)
    kinds = [spec.formats.get(h) for h in spec.headers]
    wrapped = [_needs_wrap(spec.rows, c, widths[c]) for c in range(len(spec.headers))]
    fmts = [styles.number(k, wrap) for k, wrap in zip(kinds, wrapped)]
    link_col = list(spec.headers).index(spec.link_column) if spec.link_column in spec.headers else None  # type: ignore[arg-type]
    for r, values in enumerate(spec.rows, start=header_row + 1):
        for c, value in enumerate(values):
            if link_col == c and spec.links and spec.links[r - header_row - 1]:
                ws.write_url(r, c, spec.links[r - header_row - 1], styles.link, string=str(value))
            else:
                write_cell(ws, r, c, value, fmts[c])
        if any(wrapped):
            height = row_height([(values[c], widths[c]) for c in range(min(len(values), len(widths))) if wrapped[c]])
            if height:
                ws.set_row(r, height)
    last_row = header_row + len(spec.rows)
    totals = [styles.total(k) for k in kinds]
    for r, values in enumerate(spec.totals, start=last_row + 1):
        for c in range(len(spec.headers)):
            write_cell(ws, r, c, values[c] if c < len(values) else None, totals[c])
    for header, values in spec.choices.items():
        if header in spec.headers:
            c = list(spec.headers).index(header)
            ws.data_validation(header_row + 1, c, header_row + max(len(spec.rows), 1), c,
                               {"validate": "list", "source": list(values)})
    ws.freeze_panes(header_row + 1, 0)
    if spec.headers:
        ws.autofilter(header_row, 0, header_row + max(len(spec.rows), 1), len(spec.headers) - 1)
    _page_setup(ws, max(sum(widths), sum(widths[:first]) + sum(span)), header_row)
    return ws


def column_widths(spec: OutSheet) -> list[float]:
    """Each column's width: as `spec.widths` says, else from its header and its cells (sheet_layout)."""
    body = [*spec.rows, *spec.totals]  # a sum wider than its column would show « ### »
    columns = list(zip(*body)) if body else [()] * len(spec.headers)
    return [float(spec.widths[h]) if h in spec.widths
            else column_width(str(h), columns[c] if c < len(columns) else (), spec.formats.get(h))
            for c, h in enumerate(spec.headers)]


#: Width (characters) of a column whose width is not set: notes wider than the table spread over these.
DEFAULT_WIDTH = 8.43
#: Notes wrap in at least this width, even over a narrower table.
NOTE_WIDTH = 80


def _note_span(spec: OutSheet, widths: Sequence[float]) -> list[float]:
    """The widths of the columns a note is merged across: the table's first page, at least NOTE_WIDTH."""
    if not spec.notes:
        return []
    target = min(max(sum(widths), NOTE_WIDTH), LANDSCAPE_WIDTH)
    span: list[float] = []
    for width in [*widths, *([DEFAULT_WIDTH] * 20)]:
        if sum(span) >= target:
            break
        span.append(width)
    return span


def _write_note(ws: Worksheet, styles: Styles, row: int, first: int, note: str, span: Sequence[float]) -> None:
    """A note wrapped over the columns of `span` from column `first`, its row as tall as its lines."""
    if len(span) > 1:
        ws.merge_range(row, first, row, first + len(span) - 1, note, styles.wrapped_note)
    else:
        ws.write_string(row, first, note, styles.wrapped_note)
    height = row_height([(note, sum(span))])
    if height:
        ws.set_row(row, height)


def _needs_wrap(rows: Sequence[Sequence[Any]], col: int, width: float) -> bool:
    """Whether some text of column `col` is longer than the column is wide."""
    return any(isinstance(r[col], str) and text_length(r[col]) > width - 1 for r in rows if col < len(r))


def _page_setup(ws: Worksheet, width: float, header_row: int) -> None:
    """A4; portrait when narrow, landscape when wide; fitted to the page's width, or to as many pages side by
    side as keep it legible (the first column then repeats on each); the header row repeats on every page."""
    ws.set_paper(9)
    if width > PORTRAIT_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    wide = pages_wide(width)
    ws.fit_to_pages(wide, 0)
    if wide > 1:
        ws.repeat_columns(0)
    ws.repeat_rows(header_row)
    ws.set_footer("&CPage &P / &N")


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
