"""The JSON an xlwings VBA client sends for a workbook, built from a real file, for remote-engine tests.

Same shape as `RunRemote` in xlwings' `addin/Remote.bas` (0.37.8): `client`, `version`, `book`
(name, active sheet index, selection), `names`, and per sheet `name`, `values` (the used range
anchored at A1, dates as ISO text, empty cells null), `pictures`, `tables` (addresses with `$`),
and `charts` (the Office.js client's field, which xlwings' remote engine reads for `sheet.charts`;
the buttons run on desktop Excel, where xlwings asks Excel for them).
The book name is the full path, which is what the desktop engine gives as `fullname`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import python_calamine
import xlwings as xw
from xlsxwriter.utility import xl_rowcol_to_cell

from clausexl.core import schema


def enable_remote_engine(monkeypatch: Any) -> None:
    """Make xlwings' remote engine available for one test, under the noncommercial licence key.

    xlwings registers its engines when it is imported, and without a key it leaves the remote
    engine out; so the key is set for this test only and the engine registered the same way.
    """
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    if "remote" not in xw.engines.engines_by_name:
        engine = Engine(impl=_xlremote.engine)
        monkeypatch.setattr(xw.engines, "engines", [*xw.engines.engines, engine])
        monkeypatch.setitem(xw.engines.engines_by_name, "remote", engine)
    monkeypatch.setattr(xw.Book, "_mock_caller", None, raising=False)


def payload(path: Path, active_sheet: str | None = None, selection: str | None = None) -> dict[str, Any]:
    """What the VBA client would send for the workbook at `path` with that sheet and cell selected."""
    book = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in book.sheet_names}
    for name in book.table_names or []:
        t = book.get_table_by_name(name)
        assert t.start is not None and t.end is not None, name
        tables[t.sheet].append(_table(name, t.start, t.end))
    sheets = [
        {"name": name, "values": _values(book.get_sheet_by_name(name).to_python(skip_empty_area=False)),
         "pictures": [], "tables": tables[name], "charts": []}
        for name in book.sheet_names
    ]
    active = book.sheet_names.index(active_sheet) if active_sheet else 0
    book.close()
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": str(path), "active_sheet_index": active, "selection": selection},
        "names": [],
        "sheets": sheets,
    }


def _table(name: str, start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    """A ListObject as Remote.bas describes it; calamine gives the data body's 0-based corners."""
    header = start[0] - 1

    def address(r1: int, c1: int, r2: int, c2: int) -> str:
        return f"{xl_rowcol_to_cell(r1, c1, True, True)}:{xl_rowcol_to_cell(r2, c2, True, True)}"

    return {
        "name": name,
        "range_address": address(header, start[1], end[0], end[1]),
        "header_row_range_address": address(header, start[1], header, end[1]),
        "data_body_range_address": address(start[0], start[1], end[0], end[1]),
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
    }


def _values(rows: list[list[Any]]) -> list[list[Any]]:
    """Cells as the VBA JSON converter writes them."""
    if not rows or not any(any(v not in ("", None) for v in r) for r in rows):
        return [[]]
    return [[_json(v) for v in r] for r in rows]


def _json(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def actions(book: Any, func: str | None = None) -> list[dict[str, Any]]:
    """The actions the entry point queued (only those of `func` when given)."""
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def run(path: Path, entry: Any, data: dict[str, Any] | None = None) -> Any:
    """Run `entry` as if clicked in the workbook at `path`; return the book holding the actions."""
    book = xw.Book(json=data or payload(path))
    book.set_mock_caller()
    entry()
    return book


def sheet_index(book: Any, name: str) -> int:
    return [s.name for s in book.sheets].index(name)


def alert(book: Any) -> tuple[str, str]:
    """The message box text and mode (the last action of every run)."""
    (last,) = actions(book, "alert")
    assert book.json()["actions"][-1] is last
    return last["args"][0], last["args"][3]


def written(book: Any, sheet: str) -> list[list[Any]]:
    """The values the run wrote to `sheet` (in one action)."""
    (values,) = [a for a in actions(book, "setValues") if a["sheet_position"] == sheet_index(book, sheet)]
    return values["values"]


def coloured(book: Any) -> dict[tuple[str, int, int], str | None]:
    """(sheet, Excel row, Excel column) → fill colour set by the run."""
    names = [s.name for s in book.sheets]
    return {
        (names[a["sheet_position"]], a["start_row"] + 1, a["start_column"] + 1): a["args"][0]
        for a in actions(book, "setRangeColor")
    }


DATA_SHEETS = {t.sheet for t in schema.TABLES}
REWRITING = {"setValues", "sheetClear", "sheetClearContents", "rangeClear", "rangeClearContents", "sheetDelete"}


def data_sheets_untouched(book: Any) -> bool:
    """No action wrote to or cleared a data sheet (fills are allowed)."""
    names = [s.name for s in book.sheets]
    return not [a for a in book.json()["actions"]
                if a["func"] in REWRITING and names[a["sheet_position"]] in DATA_SHEETS]
