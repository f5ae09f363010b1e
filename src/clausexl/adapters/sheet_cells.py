"""Cells of a sheet's XML, edited in place: found by position, replaced, and formulas kept working.

The sheet is not parsed into a tree (a 90 MB sheet would not fit in memory, and everything not
edited must stay byte for byte): rows and cells are found with regular expressions that accept
any namespace prefix and either quote, and only the rows asked for have their cells looked at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from ..core.raw import column_letter
from .package_parts import unescape_xml
from .sheet_xml import CELL_REF, column_number

# The XML may be written with a namespace prefix (`<x:c>`) and either quote: both are matched.
PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
CELL = re.compile(rb"<(" + PREFIX + rb")c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.S)
STYLE = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
SHARED_STRING = re.compile(rb"""\bt\s*=\s*["']s["']""")
VALUE = re.compile(rb"<" + PREFIX + rb"v>\s*(\d+)\s*</" + PREFIX + rb"v>")

ROW = re.compile(rb"<(" + PREFIX + rb")row\b([^>]*?)(?:/>|>(.*?)</\1row>)", re.S)
ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
FORMULA = re.compile(rb"<(" + PREFIX + rb")f\b([^>]*?)(?:/>|>(.*?)</\1f>)", re.S)
SHARED_FORMULA = re.compile(rb"""\bt\s*=\s*["']shared["']""")
SHARED_INDEX = re.compile(rb"""\bsi\s*=\s*["'](\d+)["']""")
Cell = tuple[int, int]  # (Excel row, 1-based column)
#: change(row, column, the cell's match) → the cell's new bytes, or None to keep it as it is.
CellChange = Callable[[int, int, "re.Match[bytes]"], "bytes | None"]


def rewrite_cells(xml: bytes, want_row: Callable[[int, bytes], bool], change: CellChange) -> bytes:
    """The sheet XML with `change` applied to every cell of the rows `want_row(number, row XML)` picks.

    A row or a cell may omit its address (`r=`, optional in the format): it then follows the one
    before it, as the format says, so a sheet written that way is edited by position, not refused.
    Rows not picked are copied as they are, without looking at their cells.
    """
    last_row = 0

    def one_row(match: re.Match[bytes]) -> bytes:
        nonlocal last_row
        number_match = ROW_NUMBER.search(match.group(2))
        number = last_row = int(number_match.group(1)) if number_match else last_row + 1
        body = match.group(3)
        if not body or not want_row(number, body):
            return match.group(0)
        last_column = 0

        def one_cell(cell: re.Match[bytes]) -> bytes:
            nonlocal last_column
            ref = CELL_REF.search(cell.group(2))
            last_column = column_number(ref.group(1).decode()) if ref else last_column + 1
            new = change(number, last_column, cell)
            return cell.group(0) if new is None else new

        whole, offset = match.group(0), match.start(0)
        return whole[:match.start(3) - offset] + CELL.sub(one_cell, body) + whole[match.end(3) - offset:]

    return ROW.sub(one_row, xml)


def address(row: int, column: int) -> bytes:
    return (column_letter(column) + str(row)).encode()


def edit_sheet(xml: bytes, cells: Mapping[Cell, Any], epoch: dt.date,
               clear: tuple[Iterable[int], tuple[int, int]] | None = None,
               ranges: Iterable[tuple[int, int, int, int]] = ()) -> tuple[bytes, set[int], set[Cell]]:
    """The sheet XML with `cells` replaced; the shared-string indices the old cells used; the cells changed.

    `clear` = (rows, (first, last) column): cells of those rows outside the columns are emptied, and
    so is every cell inside `ranges` (first row, first column, last row, last column). A formula
    shared with other cells (Excel's « fill down ») whose cell is replaced is first given back to
    each of the other cells as its own formula, so they keep computing.
    """
    dropped: set[int] = set()
    changed: set[Cell] = set()
    rows, (first, last) = (set(clear[0]), clear[1]) if clear else (set(), (0, 0))
    boxes = list(ranges)
    wanted = {r for r, _ in cells} | rows

    def in_boxes(row: int, col: int) -> bool:
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in boxes)

    def want(number: int, body: bytes) -> bool:
        return number in wanted or any(r1 <= number <= r2 for r1, _, r2, _ in boxes)

    def replace(row: int, col: int, match: re.Match[bytes]) -> bytes | None:
        inner = match.group(3) or b""
        if (row, col) in cells:
            value = cells[(row, col)]
            if value is None and not inner.strip():
                return None  # already empty: the bytes stay as they were
        elif inner.strip() and ((row in rows and not first <= col <= last) or in_boxes(row, col)):
            value = None
        else:
            return None
        attrs = match.group(2)
        if SHARED_STRING.search(attrs) and (v := VALUE.search(inner)):
            dropped.add(int(v.group(1)))
        changed.add((row, col))
        return new_cell(address(row, col), STYLE.search(attrs), value, epoch, match.group(1))

    shared = shared_formulas(xml)
    edited = rewrite_cells(xml, want, replace)
    if shared:
        edited = unshare(edited, shared, changed)
    return edited, dropped, changed


@dataclass(frozen=True)
class SharedFormula:
    """The first cell of a group of cells sharing one formula (`<f t="shared" si=…>`), and its text."""

    cell: Cell
    text: str


def shared_formulas(xml: bytes) -> dict[int, SharedFormula]:
    """Shared formula index → the cell that holds its text (its « master »)."""
    found: dict[int, SharedFormula] = {}
    if b"shared" not in xml:
        return found

    def look(row: int, col: int, match: re.Match[bytes]) -> None:
        formula = FORMULA.search(match.group(3) or b"")
        if formula and SHARED_FORMULA.search(formula.group(2)) and formula.group(3):
            index = SHARED_INDEX.search(formula.group(2))
            if index is not None:
                found[int(index.group(1))] = SharedFormula((row, col), unescape_xml(formula.group(3).decode()))

    rewrite_cells(xml, lambda n, body: b"shared" in body, look)
    return found


def translated(master: SharedFormula, cell: Cell) -> str | None:
    """The shared formula's text as it reads in `cell` (its relative references moved); None when the
    text cannot be read as a formula (a damaged file)."""
    from openpyxl.formula.tokenizer import TokenizerError
    from openpyxl.formula.translate import Translator, TranslatorError

    origin = address(*master.cell).decode()
    try:
        text: str = Translator("=" + master.text, origin=origin).translate_formula(address(*cell).decode())
    except (TokenizerError, TranslatorError, ValueError, IndexError):
        return None
    return text[1:]


def unshare(xml: bytes, shared: Mapping[int, SharedFormula], changed: set[Cell]) -> bytes:
    """Every cell of a shared formula whose master was changed gets the formula as its own text."""
    broken = {si: f for si, f in shared.items() if f.cell in changed}
    if not broken:
        return xml
    def own(row: int, col: int, match: re.Match[bytes]) -> bytes | None:
        inner = match.group(3) or b""
        formula = FORMULA.search(inner)
        if not formula or not SHARED_FORMULA.search(formula.group(2)):
            return None
        index = SHARED_INDEX.search(formula.group(2))
        master = broken.get(int(index.group(1))) if index else None
        if master is None:
            return None
        text = translated(master, (row, col))
        p = formula.group(1)  # a formula that cannot be read keeps only its last value
        own_formula = b"" if text is None else b"<" + p + b"f>" + escape(text).encode("utf-8") + b"</" + p + b"f>"
        start, end = formula.span()
        whole, offset = match.group(0), match.start(3)
        inner = inner[:start] + own_formula + inner[end:]
        return whole[:offset - match.start(0)] + inner + whole[match.end(3) - match.start(0):]

    return rewrite_cells(xml, lambda n, body: b"shared" in body, own)


def new_cell(ref: bytes, style: re.Match[bytes] | None, value: Any, epoch: dt.date, prefix: bytes = b"") -> bytes:
    """One `<c>` element holding `value`, keeping the cell's style (its number format)."""
    c, p = prefix + b"c", prefix
    head = b"<" + c + b' r="' + ref + b'"' + (b' s="' + style.group(1) + b'"' if style else b"")
    if value is None or value == "":
        return head + b"/>"
    if isinstance(value, str):
        text = escape(value).encode("utf-8")
        return (head + b' t="inlineStr"><' + p + b"is><" + p + b't xml:space="preserve">' + text
                + b"</" + p + b"t></" + p + b"is></" + c + b">")
    if hasattr(value, "year"):
        value = (dt.date(value.year, value.month, value.day) - epoch).days
    return head + b"><" + p + b"v>" + repr(float(value)).removesuffix(".0").encode() + b"</" + p + b"v></" + c + b">"


def epoch_of(workbook_xml: bytes) -> dt.date:
    """Day 0 of the workbook's serial dates (1900 system, or 1904 on old Mac workbooks)."""
    if re.search(rb"""date1904\s*=\s*["'](1|true)["']""", workbook_xml):
        return dt.date(1904, 1, 1)
    return dt.date(1899, 12, 30)
