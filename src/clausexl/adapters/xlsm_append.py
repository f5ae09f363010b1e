"""A copy of a workbook with rows appended to one Excel table, every other part copied byte for byte.

Like `xlsm_copy` (anonymiser), the package is edited, not re-saved: only the sheet holding the
table, the table part (its range grows) and nothing else change, so the VBA project, the ribbon,
styles, defined names and the other sheets stay identical. New cells take the style of their
column (date and number formats) and text is written as inline text, never as a formula. The
data validations that covered the table's last row are stretched over the new rows.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..core.errors import WorkbookUnreadable
from ..core.raw import column_letter
from .output import write_atomic
from .package_parts import part_target
from .sheet_cells import epoch_of, new_cell
from .sheet_xml import CELL_REF, column_number, sheet_parts
from .xlsm_copy import _write

NewRow = Mapping[int, Any]  # 1-based sheet column → value (str, date, number or None)
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
_ROW = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_HAS_VALUE = re.compile(rb"<v>|<is>|<f\b")
_COL = re.compile(rb"<col\b([^>]*)/>")
_ATTR = re.compile(rb'\b(min|max|style)="(\d+)"')
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def copy_with_rows(source: Path, destination: Path, sheet: str, table: str | None, first_column: int,
                   header_row: int, width: int, rows: Sequence[NewRow], force: bool = False) -> Path:
    """Write `destination`: `source` with `rows` appended under the last filled row of the table.

    `table` is the ListObject's name (None when the data is a plain range under a header).
    """
    source, destination = Path(source), Path(destination)
    if destination.resolve() == source.resolve():
        raise WorkbookUnreadable(f"La copie doit être un autre fichier que le classeur « {source.name} ».")
    parts = sheet_parts(source)
    member = parts[sheet]
    with zipfile.ZipFile(source) as package:
        changed: dict[str, bytes] = {}
        if rows:
            xml = package.read(member)
            columns = range(first_column, first_column + width)
            start = max(header_row, last_filled_row(xml, columns)) + 1
            end = start + len(rows) - 1
            table_part = _table_part(package, member, table) if table else None
            old_end = header_row
            if table_part is not None:
                changed[table_part], old_end = grow_table(package.read(table_part), end)
            epoch = epoch_of(package.read("xl/workbook.xml"))
            changed[member] = append_rows(xml, rows, start, columns, epoch, old_end)
        return write_atomic(destination, lambda tmp: _write(package, tmp, changed), force)


def last_filled_row(xml: bytes, columns: range) -> int:
    """The last row holding a value in one of `columns` (0 when none), looked for from the end."""
    for match in _rows_backwards(xml, 0):
        for cell in _CELL.finditer(match.group(0)):
            ref = CELL_REF.search(cell.group(1))
            if ref and column_number(ref.group(1).decode()) in columns and _HAS_VALUE.search(cell.group(2) or b""):
                return int(match.group(1))
    return 0


def _rows_backwards(xml: bytes, down_to: int) -> Iterator[re.Match[bytes]]:
    """The `<row>` elements from the last one up, while their number is at least `down_to`.

    Rows are in order in sheetData: a sheet of 400 000 rows is not scanned to reach its end.
    """
    end = xml.rfind(b"</sheetData>")
    while end > 0:
        start = xml.rfind(b"<row ", 0, end)
        if start < 0:
            return
        match = _ROW.match(xml, start)
        if match is None or int(match.group(1)) < down_to:
            return
        yield match
        end = start


def append_rows(xml: bytes, rows: Sequence[NewRow], start: int, columns: range, epoch: dt.date,
                old_end: int) -> bytes:
    """The sheet XML with `rows` written from row `start` (cells outside the table's columns kept)."""
    styles = column_styles(xml)
    new: dict[int, bytes] = {}
    for offset, values in enumerate(rows):
        number = start + offset
        cells = []
        for col in columns:
            value = values.get(col)
            if value is None or value == "":
                continue
            style = styles.get(col)
            style_match = re.match(rb"(\d+)", style) if style else None
            cells.append((col, new_cell(_address(number, col).encode(), style_match, value, epoch)))
        new[number] = b"".join(c for _, c in cells)
    existing = {int(m.group(1)): m for m in _rows_backwards(xml, start)}
    body = xml
    # Rows already present in the range (blank table rows, cells beside the table) are merged, in place.
    for number in sorted(set(new) & set(existing), reverse=True):
        match = existing[number]
        kept = [c.group(0) for c in _CELL.finditer(match.group(0))
                if (ref := CELL_REF.search(c.group(1))) and column_number(ref.group(1).decode()) not in columns]
        merged = _sorted_cells([*kept, new[number]])
        body = body[:match.start()] + f'<row r="{number}">'.encode() + merged + b"</row>" + body[match.end():]
    missing = [n for n in sorted(new) if n not in existing]
    if missing:
        body = _insert_rows(body, {n: f'<row r="{n}">'.encode() + new[n] + b"</row>" for n in missing})
    end = start + len(rows) - 1
    return _stretch(body, columns, old_end, end)


def _sorted_cells(cells: list[bytes]) -> bytes:
    found = []
    for chunk in cells:
        for c in _CELL.finditer(chunk):
            ref = CELL_REF.search(c.group(1))
            found.append((column_number(ref.group(1).decode()) if ref else 0, c.group(0)))
    return b"".join(c for _, c in sorted(found, key=lambda x: x[0]))


def _insert_rows(xml: bytes, rows: dict[int, bytes]) -> bytes:
    """Put each new `<row>` before the first existing row with a greater number (sheetData stays ordered)."""
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + b"".join(rows[n] for n in sorted(rows)) + b"</sheetData>")
    later = sorted(_rows_backwards(xml, min(rows)), key=lambda m: m.start())
    pieces, cursor, pending = [], 0, sorted(rows)
    for match in later:
        before = []
        while pending and pending[0] < int(match.group(1)):
            before.append(rows[pending.pop(0)])
        if before:
            pieces += [xml[cursor:match.start()], *before]
            cursor = match.start()
    close = xml.rindex(b"</sheetData>")
    pieces += [xml[cursor:close], *(rows[n] for n in pending), xml[close:]]
    return b"".join(pieces)


def column_styles(xml: bytes) -> dict[int, bytes]:
    """1-based column → the style index its `<col>` gives (number and date formats)."""
    styles: dict[int, bytes] = {}
    for match in _COL.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        if b"style" in attrs:
            for col in range(int(attrs[b"min"]), int(attrs[b"max"]) + 1):
                styles[col] = attrs[b"style"]
    return styles


def _stretch(xml: bytes, columns: range, old_end: int, end: int) -> bytes:
    """Dimension and data validations over the new rows: a validation ending on the table's last row follows it."""
    def dimension(match: re.Match[bytes]) -> bytes:
        ref = match.group(1).decode()
        m = _RANGE.match(ref)
        if not m:
            return match.group(0)
        last_col = m.group(3) or m.group(1)
        last_row = int(m.group(4) or m.group(2))
        if end <= last_row and column_number(last_col) >= columns[-1]:
            return match.group(0)
        col = max(column_number(last_col), columns[-1])
        return f'<dimension ref="{m.group(1)}{m.group(2)}:{column_letter(col)}{max(end, last_row)}"/>'.encode()

    def sqref(match: re.Match[bytes]) -> bytes:
        out = []
        for token in match.group(2).decode().split():
            m = _RANGE.match(token)
            if m and old_end and int(m.group(4) or m.group(2)) == old_end and end > old_end \
                    and column_number(m.group(1)) in columns:
                token = f"{m.group(1)}{m.group(2)}:{m.group(3) or m.group(1)}{end}"
            out.append(token)
        return match.group(1) + " ".join(out).encode() + b'"'

    xml = re.sub(rb'<dimension ref="([^"]*)"/>', dimension, xml, count=1)
    return re.sub(rb'(<dataValidation\b[^>]*?\bsqref=")([^"]*)"', sqref, xml)


def _table_part(package: zipfile.ZipFile, sheet_member: str, name: str) -> str | None:
    """The zip member of the table `name` among the sheet's table parts."""
    folder, base = posixpath.split(sheet_member)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in package.namelist():
        return None
    rels = ElementTree.fromstring(package.read(rels_name))
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        if rel.get("Type") != _TABLE_REL:
            continue
        target = part_target(folder, rel.get("Target", ""))
        if target in package.namelist() and re.search(
                rb'\bname="' + re.escape(name.encode()) + rb'"', package.read(target)):
            return target
    return None


def grow_table(xml: bytes, end: int) -> tuple[bytes, int]:
    """The table part with its range (and autofilter) reaching row `end`; and its old last row."""
    match = re.search(rb'<table\b[^>]*?\bref="([^"]*)"', xml)
    if match is None:
        return xml, 0
    m = _RANGE.match(match.group(1).decode())
    if m is None:
        return xml, 0
    old_end = int(m.group(4) or m.group(2))
    if end <= old_end:
        return xml, old_end
    old = match.group(1)
    new = f"{m.group(1)}{m.group(2)}:{m.group(3) or m.group(1)}{end}".encode()
    return xml.replace(b'ref="' + old + b'"', b'ref="' + new + b'"'), old_end


def _address(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"
