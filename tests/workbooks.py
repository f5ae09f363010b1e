"""Small fixture workbooks built in code, for data-driven tests.

`make_workbook` writes every table of the schema (empty unless rows are given) with the
parameters' defaults, through the same build as the real workbook, so a test states only
the rows its case is about.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from clausexl.adapters.sheet_xml import sheet_parts
from clausexl.adapters.workbook_build import build_workbook

Rows = Mapping[str, Sequence[Mapping[str, Any]]]
#: The rows a test module declares and then copies or edits: table name → list of dicts by column key.
TableRows = dict[str, list[dict[str, Any]]]


def make_workbook(folder: Path, rows: Rows | None = None, parameters: Mapping[str, Any] | None = None,
                  name: str = "classeur.xlsx") -> Path:
    """A workbook of the contract at `folder/name` holding `rows` (table name → dicts by column key)."""
    path = Path(folder) / name
    build_workbook(path, rows or {}, parameters or {})
    return path


def d(text: str) -> dt.date:
    """`d("2018-03-12")` — short dates in fixture rows."""
    return dt.date.fromisoformat(text)


def repackaged(source: Path, out: Path, change: Callable[[dict[str, bytes], dict[str, str]], None]) -> Path:
    """A copy of the workbook `source` whose package `change(members, sheet → member)` edited in place."""
    parts = sheet_parts(source)
    with zipfile.ZipFile(source) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    change(members, parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out
