"""The open workbook through xlwings: read tables, write result sheets, colour cells, tell the user.

Every method costs a number of Excel calls that does not depend on the number of rows: a table
is read in one call (its whole range), a result sheet is written in one call, and colouring is
capped at `MAX_HIGHLIGHTS` cells. Values read here are what xlwings gives (floats, `datetime`,
None); they go through the same `RawTable` → `load_classeur` path as the file reader, so typing
and validation are shared. Data sheets are only read; the only writes to them are cell fills.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from ..core import schema
from ..core.cells import is_empty
from ..core.classeur import Classeur, load_classeur
from ..core.errors import UnknownItem
from ..core.exclusion import with_targets
from ..core.findings import Finding
from ..core.raw import MAX_UNREAD_ROWS, RawTable, column_letter, unread_rows
from ..core.sheet_table import table_from_cells
from ..core.text import fold, header_key

#: At most this many cells are coloured (and as many un-coloured) per run: the rest are listed.
MAX_HIGHLIGHTS = 100
FILL_ERROR = "#FFC7CE"
FILL_WARNING = "#FFEB9C"
LOG_NAME = "clausexl.log"
#: Charts whose name starts with this are the program's: replaced at each run, the user's are kept.
CHART_PREFIX = "clausexl – "
CHART_SIZE = (440, 250)  # points: about 7 columns by 17 rows
TITLE = "Clauses sociales"
_FORMULA_START = ("=", "+", "-", "@")
#: How the remote engine's clients send a date cell: `2024-01-31T00:00:00.000Z`.
_ISO_DATETIME = re.compile(r"^-?\d{4}-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12]\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z?$")


def range_cells(rng: Any) -> list[list[Any]]:
    """A range's values as rows of cells, in one Excel call.

    On xlwings' remote engine the raw values are taken and only their date texts turned into
    datetimes, each distinct text once (`remote_cells`); its `.value` tests every cell of the range
    against a date pattern, which was more than half of a button's time on a large workbook. The
    cells then go through the same typing as the file reader's. Other engines: `.value`.
    """
    if rng.sheet.book.app.engine.name == "remote":
        raw = rng.raw_value
        return remote_cells(raw if isinstance(raw, (list, tuple)) else [[raw]])
    cells: list[list[Any]] = rng.options(ndim=2).value
    return cells


def remote_cells(values: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The remote engine's JSON cells as xlwings' `.value` gives them (ISO date text → datetime,
    "" → None), converting each distinct text once and mapping the rows in C."""
    if values and not isinstance(values[0], (list, tuple)):
        values = [values]
    texts = {v for v in set(chain.from_iterable(values)) if type(v) is str}
    converted: dict[str, Any] = {t: _remote_datetime(t) for t in texts if _ISO_DATETIME.match(t)}
    if "" in texts:
        converted[""] = None
    if not converted:
        return [list(row) for row in values]
    get = converted.get  # only text keys: a number or a boolean is never one of them, and stays as is
    return [list(map(get, row, row)) for row in values]


def _remote_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text[:-1] if text.endswith("Z") else text)


class Formula(str):
    """A formula the program builds itself (a link); every other string is written as text."""


@dataclass(frozen=True)
class LiveChart:
    """A native chart the program draws on a result sheet, over cells it wrote there.

    `source` is the block (header row and label column included) as 1-based (first row, first
    column, last row, last column); `anchor` the cell of its top left corner; `kind` an xlwings
    chart type. Its name (and title) starts with CHART_PREFIX, so the next run replaces it.
    """

    title: str
    kind: str
    source: tuple[int, int, int, int]
    anchor: tuple[int, int]

    @property
    def name(self) -> str:
        return f"{CHART_PREFIX}{self.title}"[:255]


@dataclass(frozen=True)
class Cell:
    """A cell to colour: sheet name, 1-based row and column."""

    sheet: str
    row: int
    column: int


class LiveWorkbook:
    """The caller's workbook, with the few operations the entry points need."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.raw: dict[str, RawTable] = {}
        self._sheets: dict[str, Any] | None = None
        self._columns: dict[str, tuple[RawTable, dict[str, int]]] | None = None

    # --- where things are ------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The workbook's full path (just its name when it was never saved)."""
        return Path(self.book.fullname)

    @property
    def folder(self) -> Path:
        """The folder beside the workbook, or the user's home when it has no local folder."""
        path = self.path
        return path.parent if path.is_absolute() and path.parent.is_dir() else Path.home()

    def sheets(self) -> dict[str, Any]:
        """Sheets by folded name (one call per sheet, once per run)."""
        if self._sheets is None:
            self._sheets = {fold(s.name): s for s in self.book.sheets}
        return self._sheets

    # --- reading ---------------------------------------------------------------------------

    def classeur(self, names: Iterable[str] | None = None) -> Classeur:
        """The typed tables `names` (default: all) and the parameters, one read per table."""
        wanted = with_targets(names) if names is not None else [t.name for t in schema.TABLES]
        if schema.PARAMETRES.name not in wanted:
            wanted.insert(0, schema.PARAMETRES.name)
        for name in wanted:
            if name not in self.raw:
                raw = self._read_table(schema.table(name))
                if raw is not None:
                    self.raw[name] = raw
                    self._columns = None
        return load_classeur(self.raw, self.path.name, wanted)

    def _read_table(self, t: schema.Table) -> RawTable | None:
        """The Excel table named `t.name` (on its sheet, else on any sheet), else the sheet's cells."""
        sheets = self.sheets()
        home = sheets.get(fold(t.sheet))
        for sheet in ([home] if home is not None else []) + [s for s in sheets.values() if s is not home]:
            try:
                table = sheet.tables[t.name]
            except KeyError:
                continue
            rng = table.range
            cells = range_cells(rng)
            raw = RawTable(t.name, sheet.name, rng.row, list(cells[0]), [list(r) for r in cells[1:]],
                           "table", rng.column)
            raw.unread = self._unread(sheet, raw)
            return raw
        if home is None:
            return None
        last = home.used_range.last_cell
        cells = range_cells(home.range((1, 1), (last.row, last.column)))
        return table_from_cells(t, home.name, cells)

    def _unread(self, sheet: Any, raw: RawTable) -> dict[int, int]:
        """The rows typed just below the table, outside its range (`RawTable.unread`): the cells under it,
        down to the sheet's last used row (at most MAX_UNREAD_ROWS), read in one more call when there are any."""
        last = raw.header_row + len(raw.rows)
        used = sheet.used_range.last_cell.row
        if used <= last:
            return {}
        first_col, last_col = raw.first_column, raw.first_column + len(raw.headers) - 1
        below = range_cells(sheet.range((last + 1, first_col), (min(used, last + MAX_UNREAD_ROWS), last_col)))
        filled = [(last + 1 + i, first_col + j) for i, row in enumerate(below) for j, v in enumerate(row)
                  if not is_empty(v)]
        return unread_rows(filled, last, first_col, last_col)

    def read_sheet(self, name: str) -> list[list[Any]]:
        """A result sheet's values from A1 (empty when the sheet does not exist)."""
        sheet = self.sheets().get(fold(name))
        if sheet is None:
            return []
        last = sheet.used_range.last_cell
        values: list[list[Any]] = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return values

    def rows_below(self, name: str, first_header: str) -> list[list[Any]]:
        """The rows under the header row (found by its first cell) of a result sheet."""
        cells = self.read_sheet(name)
        for index, row in enumerate(cells[:10]):
            if row and isinstance(row[0], str) and fold(row[0]) == fold(first_header):
                return [list(r) for r in cells[index + 1:]]
        return []

    def selected_row(self, table_name: str, label: str) -> int:
        """The Excel row of `table_name` the user selected; otherwise say what to select."""
        row = self.selection_in(table_name)
        if row is None:
            raw = self.raw.get(table_name)
            sheet_name = raw.sheet if raw is not None else schema.table(table_name).sheet
            raise UnknownItem(
                f"Sélectionnez une cellule de la ligne voulue dans la feuille « {sheet_name} », "
                f"puis cliquez de nouveau sur « {label} »."
            )
        return row

    def selection_in(self, table_name: str) -> int | None:
        """The Excel row of `table_name` the user selected, None when the selection is elsewhere."""
        raw = self.raw.get(table_name)
        sheet_name = raw.sheet if raw is not None else schema.table(table_name).sheet
        selection = self.book.selection
        if selection is None or fold(selection.sheet.name) != fold(sheet_name) or (
            raw is not None and not raw.header_row < selection.row <= raw.header_row + len(raw.rows)
        ):
            return None
        return int(selection.row)

    # --- writing ---------------------------------------------------------------------------

    def write_sheet(self, name: str, rows: Sequence[Sequence[Any]], header_row: int | Sequence[int] = 1) -> None:
        """Replace a result sheet's content with `rows` (created at the end when missing).

        Four calls whatever the number of rows: clear, values, bold header, show the sheet (one
        more per extra header row given: a sheet with sections has a fixed number of them).
        """
        if fold(name) in {fold(t.sheet) for t in schema.TABLES}:
            raise ValueError(f"La feuille de saisie « {name} » n'est jamais réécrite")
        sheet = self.sheets().get(fold(name))
        if sheet is None:
            sheet = self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])
            self.sheets()[fold(name)] = sheet
        sheet.clear()
        if not rows:
            return
        width = max(len(r) for r in rows)
        values = [[_cell(v) for v in r] + [None] * (width - len(r)) for r in rows]
        sheet.range((1, 1)).value = values
        for row in [header_row] if isinstance(header_row, int) else header_row:
            sheet.range((row, 1), (row, width)).font.bold = True
        sheet.activate()

    def number_format(self, name: str, first: tuple[int, int], last: tuple[int, int], pattern: str) -> None:
        """Give a block of a result sheet an Excel number format (one call)."""
        self.sheets()[fold(name)].range(first, last).number_format = pattern

    def replace_charts(self, name: str, charts: Sequence[LiveChart]) -> None:
        """Delete the program's charts on result sheet `name`, then draw `charts` (the user's stay).

        Calls: one per chart already on the sheet (its name is read), one delete per old chart of the
        program, two per new chart (add with type, source, place and size; title): fixed numbers,
        whatever the rows under the charts.
        """
        sheet = self.sheets()[fold(name)]
        for old in reversed([c for c in sheet.charts if c.name.startswith(CHART_PREFIX)]):
            old.delete()  # last first: the positions of the ones before do not move
        width, height = CHART_SIZE
        for chart in charts:
            r1, c1, r2, c2 = chart.source
            drawn = sheet.charts.add(chart_type=chart.kind, source=sheet.range((r1, c1), (r2, c2)),
                                     name=chart.name, anchor=sheet.range(chart.anchor), width=width,
                                     height=height)
            drawn.title = chart.title

    def append_rows(self, name: str, rows: Sequence[Sequence[Any]]) -> tuple[int, int] | None:
        """Write `rows` (in the table's column order) under the last filled row of table `name`.

        One call for the values whatever their number, and one more to stretch the Excel table
        over them when they go past its end. Returns the first and last Excel rows written. The
        table must have been read (`classeur`) in this run: its position comes from that read.
        """
        if not rows:
            return None
        raw = self.raw[name]
        filled = [i for i, r in enumerate(raw.rows) if any(not is_empty(v) for v in r)]
        first = raw.header_row + 1 + (filled[-1] + 1 if filled else 0)
        last = first + len(rows) - 1
        width = len(raw.headers)
        sheet = self.book.sheets[raw.sheet]
        sheet.range((first, raw.first_column)).value = [
            [_cell(v) for v in r] + [None] * (width - len(r)) for r in rows]
        end = raw.header_row + len(raw.rows)
        if raw.found_by == "table" and last > end:
            sheet.tables[name].resize(sheet.range((raw.header_row, raw.first_column),
                                                  (last, raw.first_column + width - 1)))
        return first, last

    def highlight(self, findings: Sequence[Finding], previous: Sequence[Sequence[Any]] = ()) -> int:
        """Un-colour the cells coloured last time, colour the cells of `findings`; both capped.

        `previous` are the rows (sheet, row, column header) of the last `Contrôles` sheet: the
        program's own memory of what it coloured, so the user's fills elsewhere are left alone.
        Returns how many cells were coloured.
        """
        fills: dict[Cell, str] = {}
        for f in findings:
            cell = self._cell_of(f.sheet, f.row, f.column)
            if cell is not None and (fills.get(cell) != FILL_ERROR):
                fills[cell] = FILL_ERROR if f.is_error else FILL_WARNING
        new = list(fills)[:MAX_HIGHLIGHTS]
        old = list(dict.fromkeys(
            c for c in (self._cell_of(*r[:3]) for r in previous if len(r) >= 3) if c is not None
        ))[:MAX_HIGHLIGHTS]
        sheets = self.sheets()
        for cell in old:
            if cell not in fills:
                sheets[fold(cell.sheet)].range((cell.row, cell.column)).color = None
        for cell in new:
            sheets[fold(cell.sheet)].range((cell.row, cell.column)).color = fills[cell]
        return len(new)

    def _cell_of(self, sheet: Any, row: Any, column: Any) -> Cell | None:
        """The cell of a table column at an Excel row, when the sheet and header are known."""
        if not sheet or not column or not isinstance(row, (int, float)) or isinstance(row, bool):
            return None
        if self._columns is None:
            self._columns = {
                fold(raw.sheet): (raw, {header_key(h): raw.first_column + i
                                        for i, h in reversed(list(enumerate(raw.headers)))
                                        if h not in (None, "")})
                for raw in self.raw.values()
            }
        found = self._columns.get(fold(str(sheet)))
        if found is None:
            return None
        raw, columns = found
        position = columns.get(header_key(column))
        if position is None or not raw.header_row < int(row) <= raw.header_row + len(raw.rows):
            return None
        return Cell(raw.sheet, int(row), position)

    def link(self, sheet: str | None, row: int | None, column: str | None, text: str) -> Formula | None:
        """A HYPERLINK formula to a cell of the workbook (None when the cell is unknown)."""
        if not sheet:
            return None
        cell = self._cell_of(sheet, row, column)
        target_row, target_column = (cell.row, cell.column) if cell else (row or 1, 1)
        quoted = "'" + sheet.replace("'", "''") + "'"
        target = f"#{quoted}!{column_letter(target_column)}{target_row}".replace('"', '""')
        return Formula(f'=HYPERLINK("{target}","{text}")')

    # --- telling the user -------------------------------------------------------------------

    def alert(self, message: str, error: bool = False) -> None:
        """A message box (one call)."""
        self.book.app.alert(message, title=TITLE, mode="critical" if error else "info")

    def log_error(self, action: str) -> Path:
        """Append the current traceback to the log beside the workbook (else in the home folder)."""
        path = self.folder / LOG_NAME
        try:
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            path = Path.home() / LOG_NAME
            handler = logging.FileHandler(path, encoding="utf-8")
        logger = logging.getLogger("clausexl.excel")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        try:
            logger.error("%s sur %s\n%s", action, self.path, traceback.format_exc())
        finally:
            logger.removeHandler(handler)
            handler.close()
        return path


def _cell(value: Any) -> Any:
    """A value as Excel should receive it: text never becomes a formula, NaN/NaT become empty."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT is caught by the comparison)
        return None if value != value else value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item"):  # numpy scalar
        return _cell(value.item())
    return value


