"""Formulas that copy what the anonymised copy removes: their cached values, and literal texts.

Excel keeps the last value of every formula in the file (`<v>`), so a helper `=Participants!B2` on
another sheet, a `=B2&" "&C2` in a totals area, an age computed from the birth date keep the
person's name or exact date after the cells they read are anonymised. In every sheet:

- a formula whose own text holds a removed value (`="Martin Julie"`) is emptied, like a cell;
- a formula that reads a cell the copy changed — an A1 reference (same sheet or `Sheet!`, whole
  columns and rows included), a structured reference to one of the changed columns of a table
  (`T_Participants[Nom]`, `[@Nom]`, a whole table), a defined name on a changed sheet, or any
  INDIRECT / OFFSET (whose target cannot be read from the text) — loses its cached value but keeps
  its formula, and the workbook is marked to recalculate on opening (`fullCalcOnLoad`), so Excel
  computes it again from the anonymised cells;
- a formula whose cached text holds a removed value (whatever its text) loses its cached value too.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import package_scan
from .package_parts import Package, attributes, unescape_xml
from .sheet_cells import (
    FORMULA,
    PREFIX,
    SHARED_FORMULA,
    SHARED_INDEX,
    edit_sheet,
    rewrite_cells,
    shared_formulas,
    translated,
)
from .sheet_xml import column_number, ref_bounds

Cell = tuple[int, int]
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
_STRING = re.compile(r'"(?:[^"]|"")*"')
_VOLATILE_TARGET = re.compile(r"\b(?:INDIRECT|OFFSET)\s*\(", re.I)
_RANGE = r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?|\$?[A-Z]{1,3}:\$?[A-Z]{1,3}|\$?\d+:\$?\d+"
_QUALIFIED = re.compile(r"(?:'((?:[^']|'')+)'|([^\s'!=(),;&+\-*/^<>\[\]{}\"#@%]+))!(" + _RANGE + r")(?![\w(])")
_LOCAL = re.compile(r"(?<![A-Za-z_\d.!\]'\"$:])(" + _RANGE + r")(?![\w(!\[])")
_TABLE_REF = re.compile(r"(?<![\w.])([A-Za-z_\\][\w.]*)?\[")


@dataclass(frozen=True)
class Table:
    """An Excel table: its sheet, header row, first column and column names (casefolded)."""

    name: str
    sheet: str
    first_row: int
    first_column: int
    last_row: int
    columns: tuple[str, ...]

    def column(self, name: str) -> int | None:
        key = name.strip().casefold()
        return self.first_column + self.columns.index(key) if key in self.columns else None

    def holds(self, cell: Cell) -> bool:
        return self.first_row <= cell[0] <= self.last_row and \
            self.first_column <= cell[1] < self.first_column + len(self.columns)


class Touched:
    """The cells the copy changed, by sheet, for fast range intersection."""

    def __init__(self, cells: Mapping[str, Iterable[Cell]]) -> None:
        self.by_sheet: dict[str, dict[int, list[int]]] = {}
        for sheet, found in cells.items():
            columns: dict[int, list[int]] = {}
            for row, col in found:
                columns.setdefault(col, []).append(row)
            if columns:
                self.by_sheet[sheet.casefold()] = {c: sorted(rows) for c, rows in columns.items()}

    def __bool__(self) -> bool:
        return bool(self.by_sheet)

    def sheet(self, name: str) -> bool:
        return name.casefold() in self.by_sheet

    def meets(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> bool:
        for col, rows in self.by_sheet.get(sheet.casefold(), {}).items():
            if c1 <= col <= c2 and bisect_right(rows, r2) > bisect_left(rows, r1):
                return True
        return False

    def columns(self, sheet: str) -> set[int]:
        return set(self.by_sheet.get(sheet.casefold(), {}))


def _bounds(text: str) -> tuple[int, int, int, int]:
    text = text.replace("$", "")
    first, _, last = text.partition(":")
    last = last or first
    if first.isdigit():  # 2:5, whole rows
        return int(first), 1, int(last), MAX_COLUMN
    if first.isalpha():  # B:D, whole columns
        return 1, column_number(first), MAX_ROW, column_number(last)
    bounds = ref_bounds(text)
    assert bounds is not None
    r1, c1, r2, c2 = bounds
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class Reader:
    """Tells whether a formula of a sheet reads a cell the copy changed."""

    def __init__(self, touched: Touched, tables: Iterable[Table], names: Mapping[str, str]) -> None:
        self.touched = touched
        self.tables = {t.name.casefold(): t for t in tables}
        self.names = [re.compile(r"(?<![\w.])" + re.escape(name) + r"(?![\w.(\[])", re.I)
                      for name, sheet in names.items() if touched.sheet(sheet)]

    def reads_changed(self, formula: str, sheet: str, cell: Cell) -> bool:
        if not self.touched:
            return False
        text = _STRING.sub('""', formula)
        if _VOLATILE_TARGET.search(text):
            return True
        if any(name.search(text) for name in self.names):
            return True
        if self._structured(text, sheet, cell):
            return True
        for quoted, plain, ref in _QUALIFIED.findall(text):
            other = quoted.replace("''", "'") if quoted else plain
            if ":" in other or self.touched.meets(other, *_bounds(ref)):  # Feuil1:Feuil3!A1 spans sheets
                return True
        rest = re.sub(r"\[[^\[\]]*\]", "", _QUALIFIED.sub("", text))  # structured references' column names
        return self.touched.sheet(sheet) and any(self.touched.meets(sheet, *_bounds(m)) for m in _LOCAL.findall(rest))

    def _structured(self, text: str, sheet: str, cell: Cell) -> bool:
        """`T_Participants[Nom]`, `[@Nom]` inside the table, `T_Participants` alone (the whole table)."""
        for table in self.tables.values():
            if not self.touched.sheet(table.sheet):
                continue
            changed = self.touched.columns(table.sheet)
            if re.search(r"(?<![\w.])" + re.escape(table.name) + r"(?![\w.\[(])", text, re.I):
                return True  # the whole table
            position = 0
            while match := _TABLE_REF.search(text, position):
                inside = _bracketed(text, match.end() - 1)
                position = match.end() - 1 + len(inside)  # the brackets inside are this reference's
                owner = self.tables.get((match.group(1) or "").casefold()) if match.group(1) else \
                    next((t for t in self.tables.values() if t.sheet.casefold() == sheet.casefold()
                          and t.holds(cell)), None)
                if owner is not table:
                    continue
                names = [n for n in re.findall(r"\[([^\[\]]*)\]", inside) if not n.startswith("#")]
                shorthand = re.match(r"\[@([^\[\]]+)\]$", inside)
                if shorthand:
                    names.append(shorthand.group(1))
                if not names or re.search(r"\]\s*:\s*\[", inside):
                    return True  # no column named, or a span of columns: read as the whole table
                if any((col := table.column(n.lstrip("@"))) is None or col in changed for n in names):
                    return True
        return False


def _bracketed(text: str, start: int) -> str:
    """`[…]` from `start` (an opening bracket) to its closing one, nested brackets included."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return text[start:]


_TABLE_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?table\b([^>]*)>")
_TABLE_COLUMN = re.compile(rb"<(?:[\w.-]+:)?tableColumn\b([^>]*?)/?>")


def tables_of(package: Package, parts: Mapping[str, str]) -> list[Table]:
    """Every Excel table of the workbook, with its sheet (through the sheets' relationships)."""
    found = []
    for sheet, member in parts.items():
        if member not in package:
            continue
        for rel in package.relationships(member):
            if rel.type != "table" or rel.external or rel.target not in package:
                continue
            xml = package.read(rel.target)
            head = _TABLE_ELEMENT.search(xml)
            if head is None:
                continue
            attrs = attributes(head.group(1))
            bounds = ref_bounds(attrs.get("ref", ""))
            if bounds is None:
                continue
            columns = tuple(attributes(m.group(1)).get("name", "").casefold() for m in _TABLE_COLUMN.finditer(xml))
            for name in {attrs.get("displayName"), attrs.get("name")} - {None, ""}:
                found.append(Table(str(name), sheet, bounds[0], bounds[1], bounds[2], columns))
    return found


_DEFINED_NAME = re.compile(rb"<(?:[\w.-]+:)?definedName\b([^>]*)>([^<]*)</(?:[\w.-]+:)?definedName>")


def defined_names(workbook_xml: bytes) -> dict[str, str]:
    """Defined name → the sheet its formula points to (`'Participants'!$A$1:$Z$9`)."""
    out = {}
    for attrs, formula in _DEFINED_NAME.findall(workbook_xml):
        name = attributes(attrs).get("name", "")
        target = re.match(r"'((?:[^']|'')+)'!|([^'!]+)!", unescape_xml(formula.decode("utf-8", "replace")))
        if name and target:
            out[name] = (target.group(1) or target.group(2)).replace("''", "'")
    return out


WORKBOOK = "xl/workbook.xml"
_HAS_FORMULA = re.compile(rb"<" + PREFIX + rb"f[\s>/]")
_CACHED = re.compile(rb"<(" + PREFIX + rb")v\b[^>]*?(?:/>|>(.*?)</\1v>)", re.S)
_CELL_TYPE = re.compile(rb"""\s+t\s*=\s*["'][^"']*["']""")
_ARRAY = re.compile(rb"""\bt\s*=\s*["']array["']""")
_REF_ATTRIBUTE = re.compile(rb"""\bref\s*=\s*["']([^"']+)["']""")


def clean_formulas(package: Package, parts: Mapping[str, str], touched: Mapping[str, set[Cell]],
                   finder: package_scan.Finder, epoch: dt.date) -> tuple[set[int], int]:
    """Empty or drop the cached value of every formula that copies a removed value, in every sheet.

    Returns the shared-string indices the emptied cells used, and how many formulas were changed.
    """
    reader = Reader(Touched(touched), tables_of(package, parts), defined_names(package.read(WORKBOOK)))
    orphans: set[int] = set()
    count = 0
    recalculate = False
    for sheet, member in parts.items():
        if member not in package:
            continue
        xml = package.read(member)
        if not _HAS_FORMULA.search(xml):
            continue
        empties, drops = _decide(xml, sheet, reader, finder, touched.get(sheet, set()))
        if empties:
            xml, dropped, _ = edit_sheet(xml, dict.fromkeys(empties), epoch)
            orphans |= dropped
        if drops:
            xml = _without_cached_values(xml, drops - empties)
            recalculate = True
        package.write(member, xml)
        count += len(empties | drops)
    if recalculate:
        package.write(WORKBOOK, recalculate_on_load(package.read(WORKBOOK)))
    return orphans, count


def _decide(xml: bytes, sheet: str, reader: Reader, finder: package_scan.Finder,
            skip: set[Cell]) -> tuple[set[Cell], set[Cell]]:
    """(formula cells to empty, formula cells whose cached value goes) of one sheet."""
    shared = shared_formulas(xml)
    empties: set[Cell] = set()
    drops: set[Cell] = set()
    arrays: list[tuple[int, int, int, int]] = []

    def look(row: int, col: int, match: re.Match[bytes]) -> None:
        inner = match.group(3) or b""
        formula = FORMULA.search(inner)
        if formula is None or (row, col) in skip:
            return None
        text = package_scan.unescaped(formula.group(3)) if formula.group(3) else ""
        if not text and SHARED_FORMULA.search(formula.group(2)):
            index = SHARED_INDEX.search(formula.group(2))
            master = shared.get(int(index.group(1))) if index else None
            text = (translated(master, (row, col)) or master.text) if master else ""
        cached = _CACHED.search(inner)
        cached_text = package_scan.unescaped(cached.group(2)) if cached and cached.group(2) else ""
        if text and finder.find(text) is not None:
            empties.add((row, col))
        elif reader.reads_changed(text, sheet, (row, col)) or (cached_text and finder.find(cached_text) is not None):
            drops.add((row, col))
        else:
            return None
        if _ARRAY.search(formula.group(2)) and (ref := _REF_ATTRIBUTE.search(formula.group(2))):
            bounds = ref_bounds(ref.group(1).decode())
            if bounds:  # the other cells of an array formula hold its results with no formula of their own
                arrays.append(bounds)
        return None

    rewrite_cells(xml, lambda n, body: _HAS_FORMULA.search(body) is not None, look)
    if arrays:
        def spilled(row: int, col: int, match: re.Match[bytes]) -> None:
            if any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in arrays) and (row, col) not in skip:
                drops.add((row, col))
            return None

        rewrite_cells(xml, lambda n, body: any(r1 <= n <= r2 for r1, _, r2, _ in arrays), spilled)
    return empties, drops


def _without_cached_values(xml: bytes, cells: set[Cell]) -> bytes:
    """The cells keep their formula but lose their cached value (and its type)."""
    rows = {r for r, _ in cells}

    def strip(row: int, col: int, match: re.Match[bytes]) -> bytes | None:
        if (row, col) not in cells or match.group(3) is None:
            return None
        p = match.group(1)
        return (b"<" + p + b"c" + _CELL_TYPE.sub(b"", match.group(2)) + b">" + _CACHED.sub(b"", match.group(3))
                + b"</" + p + b"c>")

    return rewrite_cells(xml, lambda n, body: n in rows, strip)


_CALC_PR = re.compile(rb"<(" + PREFIX + rb")calcPr\b([^>]*?)(/?)>")
_FULL_CALC = re.compile(rb"""\s+fullCalcOnLoad\s*=\s*["'][^"']*["']""")
_BEFORE_CALC_PR = re.compile(rb"</" + PREFIX + rb"(?:definedNames|externalReferences|functionGroups|sheets)\s*>")


def recalculate_on_load(workbook_xml: bytes) -> bytes:
    """workbook.xml asking Excel to compute every formula when it opens the file (`fullCalcOnLoad`)."""
    found = _CALC_PR.search(workbook_xml)
    if found:
        attrs = _FULL_CALC.sub(b"", found.group(2))
        return (workbook_xml[:found.start()] + b"<" + found.group(1) + b"calcPr" + attrs + b' fullCalcOnLoad="1"'
                + found.group(3) + b">" + workbook_xml[found.end():])
    before = list(_BEFORE_CALC_PR.finditer(workbook_xml))
    if not before:
        return workbook_xml
    at = before[-1].end()
    prefix = re.search(rb"<(" + PREFIX + rb")workbook\b", workbook_xml)
    p = prefix.group(1) if prefix else b""
    return workbook_xml[:at] + b"<" + p + b'calcPr fullCalcOnLoad="1"/>' + workbook_xml[at:]
