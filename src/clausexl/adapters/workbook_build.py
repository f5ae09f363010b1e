"""Build the facilitator's workbook from the schema: tables, lists, formats, parameters, macros.

One function writes both the committed `workbook/clauses.xlsm` (with its VBA project and ribbon)
and the small `.xlsx` fixtures of the tests, so a fixture has exactly the layout of the real file.
Cell positions are computed from the schema; nothing here names an A1 address by hand.

Run ``python -m clausexl.adapters.workbook_build [CHEMIN]`` to regenerate the committed file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clausexl.adapters import workbook_macros
from clausexl.core import schema
from clausexl.core.schema import Kind, Table

from ..core.values import COLUMN_KINDS
from .output import usual_mode

LISTS_SHEET = "Listes"
XLWINGS_CONF_SHEET = "xlwings.conf"
#: Settings that are the same on every PC (key in column A from A1, value in column B: the layout
#: xlwings' GetConfigFromSheet reads). The interpreter path differs per PC and is deliberately
#: absent: an entry here would override the xlwings.conf file beside the workbook.
XLWINGS_SETTINGS: tuple[tuple[str, str | bool], ...] = (
    # The installed clausexl must answer, never a stray .py beside the workbook; this also spares
    # xlwings from mapping a OneDrive/SharePoint URL to a local folder. Compared as text by xlwings.
    ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
    # A fresh Python per click: no lingering COM server, an upgraded clausexl is used at once.
    ("USE UDF SERVER", False),
    ("SHOW CONSOLE", False),
)
RESULT_NOTE = "Feuille de résultats : réécrite à chaque exécution, n'y saisissez rien."
TABLE_STYLE = "Table Style Medium 2"
#: Fixed document properties, so that two builds are byte-identical.
PROPERTIES = {
    "title": "Suivi des clauses sociales",
    "author": "clausexl",
    "comments": "Classeur généré par clausexl (python -m clausexl.adapters.workbook_build)",
    "created": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
}

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


class _Formats:
    """One XlsxWriter format per column kind, created once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._by_kind = {kind: book.add_format({"num_format": value.excel}) for kind, value in COLUMN_KINDS.items()}
        self.date = self._by_kind[Kind.DATE]
        self.note = book.add_format({"italic": True, "font_color": "#595959"})
        self.list_header = book.add_format({"bold": True})

    def of(self, kind: Kind) -> Format | None:
        return self._by_kind.get(kind)


def build_workbook(
    path: Path,
    rows: Rows | None = None,
    parameters: Mapping[str, Any] | None = None,
    rebuild_vba: bool = False,
) -> None:
    """Write the workbook at `path` (atomically); `.xlsm` also gets the VBA project and the ribbon.

    `rows` maps a table name to row dicts keyed by column key; `parameters` overrides defaults of
    T_Parametres by `Parameter.key`. Values are written as given (a string stays text even when it
    starts with "="), so tests can build exactly the awkward cells they need. The VBA project is
    the packaged one, unless `rebuild_vba` assembles it anew from the sources (build time).
    """
    path = Path(path)
    macro = path.suffix.lower() == ".xlsm"
    data = _write_package(_table_rows(rows or {}, parameters or {}), macro, rebuild_vba)
    _replace_atomically(path, data)


def _write_package(rows: dict[str, Sequence[Mapping[str, Any]]], macro: bool, rebuild_vba: bool) -> bytes:
    """The package bytes: XlsxWriter for the sheets, then the ribbon part for a macro workbook."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )
    book.set_properties(PROPERTIES)
    formats = _Formats(book)
    for table in schema.TABLES:
        _write_table(book.add_worksheet(table.sheet), table, rows.get(table.name, ()), formats)
    for name in schema.RESULT_SHEETS:
        book.add_worksheet(name).write_string(0, 0, RESULT_NOTE, formats.note)
    _write_lists(book, formats)
    _write_xlwings_conf(book.add_worksheet(XLWINGS_CONF_SHEET))
    if macro:
        if rebuild_vba:
            from .vba_project import build_vba_project  # pyOpenVBA: a build-time dependency only

            vba = build_vba_project([sheet.name for sheet in book.worksheets()])
        else:
            vba = workbook_macros.packaged_vba_project()
        book.add_vba_project(io.BytesIO(vba), is_stream=True)
    book.close()
    if macro:
        return workbook_macros.add_ribbon(output.getvalue())
    return output.getvalue()


def _table_rows(rows: Rows, parameters: Mapping[str, Any]) -> dict[str, Sequence[Mapping[str, Any]]]:
    """Rows per table, checked against the schema; T_Parametres defaults to the PARAMETERS rows."""
    unknown_tables = set(rows) - set(schema.TABLES_BY_NAME)
    if unknown_tables:
        raise ValueError(f"Tables inconnues du schéma : {', '.join(sorted(unknown_tables))}")
    unknown_parameters = set(parameters) - set(schema.PARAMETERS_BY_KEY)
    if unknown_parameters:
        raise ValueError(f"Paramètres inconnus : {', '.join(sorted(unknown_parameters))}")
    if schema.PARAMETRES.name in rows and parameters:
        raise ValueError("Donnez soit les lignes de T_Parametres, soit des paramètres, pas les deux")
    result = dict(rows)
    if schema.PARAMETRES.name not in result:
        result[schema.PARAMETRES.name] = [
            {"parametre": p.name, "valeur": parameters.get(p.key, p.default), "commentaire": p.comment or None}
            for p in schema.PARAMETERS
        ]
    for name, table_rows in result.items():
        keys = set(schema.table(name).keys)
        for number, row in enumerate(table_rows, start=1):
            extra = set(row) - keys
            if extra:
                raise ValueError(f"{name}, ligne {number} : colonnes inconnues {', '.join(sorted(extra))}")
    return result


def _write_table(sheet: Worksheet, table: Table, rows: Sequence[Mapping[str, Any]], formats: _Formats) -> None:
    """Header, data, Excel table, widths, frozen header and drop-down lists of one table."""
    columns = table.columns
    column_formats = [formats.of(c.kind) for c in columns]
    places = {c.key: (col, column_formats[col]) for col, c in enumerate(columns)}
    parameter_formats = {p.name: formats.of(p.kind) for p in schema.PARAMETERS}
    for index, row in enumerate(rows, start=1):
        for key, value in row.items():
            if value is None:
                continue
            col, cell_format = places[key]
            if table is schema.PARAMETRES and key == "valeur":
                cell_format = parameter_formats.get(str(row.get("parametre")), cell_format)
            _write_value(sheet, index, col, value, cell_format, formats)
    last_row = max(len(rows), 1)
    sheet.add_table(0, 0, last_row, len(columns) - 1, {
        "name": table.name,
        "style": TABLE_STYLE,
        "columns": [
            {"header": c.label, **({"format": f} if f is not None else {})}
            for c, f in zip(columns, column_formats)
        ],
    })
    for col, (column, cell_format) in enumerate(zip(columns, column_formats)):
        sheet.set_column(col, col, column.width, cell_format)
        source = schema.list_source_of(column)
        if source is not None:
            sheet.data_validation(1, col, last_row, col, {
                "validate": "list",
                "source": f"={source.name}",
                "error_title": "Valeur hors liste",
                "error_message": f"« {column.header} » : choisissez une valeur dans la liste.",
            })
    sheet.freeze_panes(1, 0)


def _write_value(sheet: Worksheet, row: int, col: int, value: Any, cell_format: Format | None,
                 formats: _Formats) -> None:
    """Write one cell as what it is: text stays text, numbers and dates are real Excel values."""
    kind = type(value)
    if kind is str:
        sheet.write_string(row, col, value, cell_format)
    elif kind is float or kind is int:
        sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (dt.date, dt.datetime)):
        if cell_format is not formats.of(Kind.DATE) and cell_format is not formats.of(Kind.MONTH):
            cell_format = formats.date
        sheet.write_datetime(row, col, value, cell_format)
    elif isinstance(value, str):
        sheet.write_string(row, col, str(value), cell_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, cell_format)
    else:
        raise TypeError(f"Valeur de type {type(value).__name__} non prise en charge : {value!r}")


def _write_lists(book: Workbook, formats: _Formats) -> None:
    """The hidden `Listes` sheet: one column per drop-down list, each under its defined name."""
    sheet = book.add_worksheet(LISTS_SHEET)
    for col, source in enumerate(schema.list_sources()):
        sheet.write_string(0, col, source.name, formats.list_header)
        for row, value in enumerate(source.values, start=1):
            sheet.write_string(row, col, value)
        sheet.set_column(col, col, max(len(v) for v in source.values) + 2)
        cells = xl_range_abs(1, col, len(source.values), col)
        book.define_name(source.name, f"={quote_sheetname(LISTS_SHEET)}!{cells}")
    sheet.hide()


def _write_xlwings_conf(sheet: Worksheet) -> None:
    """The shared xlwings settings, on a hidden sheet.

    Hidden, not very hidden: xlwings' VBA finds it through `Workbook.Sheets("xlwings.conf")`, which
    holds hidden sheets too (xlwings' own `release` command hides it the same way), and a support
    person can still show it (right click on a tab › Afficher).
    """
    for row, (key, value) in enumerate(XLWINGS_SETTINGS):
        sheet.write_string(row, 0, key)
        if isinstance(value, bool):
            sheet.write_boolean(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
    sheet.set_column(0, 0, 30)
    sheet.hide()


def _replace_atomically(path: Path, data: bytes) -> None:
    """Write beside the target then rename, so a failed build never leaves half a workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, usual_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_path() -> Path:
    """`workbook/clauses.xlsm` at the root of the checkout this module lives in."""
    return Path(__file__).resolve().parents[3] / "workbook" / "clauses.xlsm"


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the committed workbook (or write one at the given path)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a in ("-h", "--help") for a in args):
        print("usage : python -m clausexl.adapters.workbook_build [CHEMIN]", file=sys.stderr)
        return 2
    target = Path(args[0]) if args else default_path()
    build_workbook(target, rebuild_vba=True)
    print(f"Classeur écrit : {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
