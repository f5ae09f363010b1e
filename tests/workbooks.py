"""Small fixture workbooks built in code, for data-driven tests.

`make_workbook` writes every table of the schema (empty unless rows are given) with the
parameters' defaults, so a test states only the rows its case is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from clausexl.core import schema

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def make_workbook(folder: Path, rows: Rows | None = None, parameters: Mapping[str, Any] | None = None,
                  name: str = "classeur.xlsx") -> Path:
    """A workbook of the contract at `folder/name` holding `rows` (table name → dicts by column key)."""
    path = Path(folder) / name
    rows = dict(rows or {})
    params = {p.key: p.default for p in schema.PARAMETERS}
    params.update(parameters or {})
    rows["T_Parametres"] = [{"parametre": p.name, "valeur": params[p.key]} for p in schema.PARAMETERS]
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for t in schema.TABLES:
        sheet = book.add_worksheet(t.sheet)
        data = rows.get(t.name, [])
        sheet.add_table(0, 0, max(1, len(data)), len(t.columns) - 1,
                        {"name": t.name, "columns": [{"header": c.label} for c in t.columns]})
        for r, row in enumerate(data, start=1):
            unknown = set(row) - set(t.keys)
            if unknown:
                raise ValueError(f"{t.name}: unknown column keys {sorted(unknown)}")
            for c, col in enumerate(t.columns):
                value = row.get(col.key)
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return path


def d(text: str) -> dt.date:
    """`d("2018-03-12")` — short dates in fixture rows."""
    return dt.date.fromisoformat(text)
