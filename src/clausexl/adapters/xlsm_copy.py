"""A copy of a workbook with some cells changed, every other part copied byte for byte.

openpyxl would drop the ribbon relationship, x14 extensions and more (docs/excel.md), so the copy
edits the package itself: only the XML of the sheets holding changed cells, and the shared
strings that no data cell uses any more (blanked in place, so no index moves and no other sheet
is rewritten). vbaProject.bin, customUI, tables, data validations and defined names are untouched.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

from ..core import schema
from ..core.errors import PersonalDataLeft, WorkbookUnreadable
from ..core.raw import column_letter
from . import package_clean, package_scan
from .output import write_atomic
from .package_parts import Package
from .sheet_xml import CELL_REF, column_number, sheet_parts

Edits = Mapping[str, Mapping[tuple[int, int], Any]]  # sheet → (Excel row, 1-based column) → new value
#: sheet → (Excel rows, (first, last) column of the table): cells of these rows outside the table are emptied.
RowsToClear = Mapping[str, tuple[Iterable[int], tuple[int, int]]]
# The XML may be written with a namespace prefix (`<x:c>`) and either quote: both are matched.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_CELL = re.compile(rb"<(" + _PREFIX + rb")c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.S)
_STYLE = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_SHARED = re.compile(rb"""\bt\s*=\s*["']s["']""")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v>\s*(\d+)\s*</" + _PREFIX + rb"v>")
_STRING_ITEM = re.compile(rb"<(" + _PREFIX + rb")si\b[^>]*?(?:/>|>.*?</\1si>)", re.S)
SHARED_STRINGS = "xl/sharedStrings.xml"


def copy_with_edits(source: Path, destination: Path, edits: Edits, skip_counting: Iterable[str] = (),
                    force: bool = False, clear_rows: RowsToClear | None = None,
                    removed: Iterable[str] = (), kept: Iterable[str] = (),
                    cleaned: package_clean.Cleaned | None = None) -> Path:
    """Write `destination`: `source` with the cells of `edits` replaced (str, date, number or None).

    Shared strings only the replaced cells used are blanked (the names must not survive in the
    package); references from sheets in `skip_counting` (result sheets) do not keep them alive.
    Cells of `clear_rows` outside their table (a helper formula's cached value, a note typed beside
    the row) are emptied too. When `removed` values are given (an anonymised copy), what holds them
    outside the cells is cleaned as well (package_clean: notes, links, authors, properties; counted
    in `cleaned`), and before the copy is renamed into place every part of the written file is
    scanned for them (package_scan; `kept` are texts other cells still hold): one left anywhere and
    the copy is refused, saying where it is and what to remove.
    """
    source, destination = Path(source), Path(destination)
    if destination.resolve() == source.resolve():
        raise WorkbookUnreadable(f"La copie doit être un autre fichier que le classeur « {source.name} ».")
    parts = sheet_parts(source)
    clear_rows = clear_rows or {}
    removed = list(removed)
    cleaned = cleaned if cleaned is not None else package_clean.Cleaned()
    try:
        with zipfile.ZipFile(source) as zipped:
            package = Package(zipped)
            edited = {sheet for sheet, cells in edits.items() if cells}
            refuse_pivot_caches(zipped, source.name, edited)
            epoch = _epoch(package.read("xl/workbook.xml"))
            orphans: set[int] = set()
            for sheet in edited | set(clear_rows):
                member = parts.get(sheet)
                if member is None or member not in package:
                    raise WorkbookUnreadable(_cannot_edit(source, sheet))
                xml, dropped, _ = edit_sheet(package.read(member), edits.get(sheet, {}), epoch, clear_rows.get(sheet))
                package.write(member, xml)
                orphans |= dropped
            finder = package_scan.Finder(removed, kept)
            if removed:
                for sheet, member in parts.items():
                    if member in package:
                        rows = package_clean.personal_rows(edits.get(sheet, {}), clear_rows.get(sheet, ((), (0, 0)))[0])
                        package_clean.clean_sheet(package, member, rows, finder, cleaned)
                package_clean.clean_persons(package, "xl/workbook.xml", finder, cleaned)
                package_clean.clean_properties(package, finder, cleaned)
            if orphans and SHARED_STRINGS in package:
                skipped = {parts[s] for s in skip_counting if s in parts}
                for member in set(parts.values()) - skipped:
                    if member in package:
                        orphans -= _shared_indices(package.read(member))
                package.write(SHARED_STRINGS, blank_strings(package.read(SHARED_STRINGS), orphans))

            def write_and_check(tmp: Path) -> None:
                _write(package, tmp)
                if removed:
                    refuse_leaks(tmp, finder, parts)

            return write_atomic(destination, write_and_check, force)
    except (zipfile.BadZipFile, KeyError, EOFError) as err:
        raise WorkbookUnreadable(
            f"Le classeur « {source.name} » ne peut pas être copié (fichier endommagé ou enregistré dans un format "
            "que clausexl ne sait pas modifier sans risque) : ouvrez-le dans Excel, enregistrez-le au format "
            "« Classeur Excel (prenant en charge les macros) », puis relancez."
        ) from err


def _cannot_edit(source: Path, sheet: str) -> str:
    return (f"La feuille « {sheet} » du classeur « {source.name} » est enregistrée d'une façon que clausexl ne sait "
            "pas modifier sans risque (feuille introuvable dans le fichier) : ouvrez le "
            "classeur dans Excel, enregistrez-le, puis relancez ; rien n'a été écrit.")


def refuse_leaks(copy: Path, finder: package_scan.Finder, parts: Mapping[str, str]) -> None:
    """Read back the written copy, part by part: a removed value still there stops everything."""
    with zipfile.ZipFile(copy) as written:
        leak = package_scan.first_leak({n: written.read(n) for n in written.namelist()}, finder)
    if leak is not None:
        place, remedy = package_scan.where(leak.part, parts)
        raise PersonalDataLeft(
            f"La copie anonymisée garderait « {leak.value} », une donnée d'un participant anonymisé, dans "
            f"{place} : {remedy}, enregistrez le classeur, puis relancez anonymiser ; rien n'a été écrit."
        )


_PIVOT_CACHE = re.compile(r"xl/pivotCache/pivotCacheDefinition\d*\.xml$")
_WORKSHEET_SOURCE = re.compile(rb"<(?:\w+:)?worksheetSource\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\b(sheet|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def refuse_pivot_caches(package: zipfile.ZipFile, workbook: str, edited: set[str]) -> None:
    """Stop when a pivot table's cache copies a sheet whose cells the copy changes.

    A pivot cache keeps its own copy of the source rows (names, addresses): blanking the cells
    would leave them in the cache, and rewriting a cache safely is Excel's job, not ours.
    """
    if not edited:
        return
    sheet_of_table = {t.name.casefold(): t.sheet for t in schema.TABLES}
    defined = _defined_names(package.read("xl/workbook.xml"))
    for member in sorted(n for n in package.namelist() if _PIVOT_CACHE.match(n)):
        for attrs in _WORKSHEET_SOURCE.findall(package.read(member)):
            found = {k.decode(): unescape_xml((v or w).decode("utf-8")) for k, v, w in _ATTRIBUTE.findall(attrs)}
            sheet = found.get("sheet") or sheet_of_table.get(found.get("name", "").casefold()) \
                or defined.get(found.get("name", "").casefold())
            if sheet in edited:
                raise WorkbookUnreadable(
                    f"Le classeur « {workbook} » contient un tableau croisé dynamique construit sur la feuille "
                    f"« {sheet} » : son cache garde une copie des données personnelles que l'anonymisation doit "
                    "effacer. Supprimez ce tableau croisé dynamique (ou construisez-le sur une autre feuille), "
                    "enregistrez le classeur, puis relancez anonymiser."
                )


def _defined_names(workbook_xml: bytes) -> dict[str, str]:
    """Defined name (casefolded) → the sheet its formula points to (`'Participants'!$A$1:$Z$9`)."""
    out = {}
    for name, formula in re.findall(rb'<definedName\b[^>]*\bname="([^"]*)"[^>]*>([^<]*)</definedName>',
                                    workbook_xml):
        target = re.match(r"'((?:[^']|'')+)'!|([^'!]+)!", unescape_xml(formula.decode("utf-8")))
        if target:
            out[unescape_xml(name.decode("utf-8")).casefold()] = (target.group(1) or target.group(2)).replace("''", "'")
    return out


def unescape_xml(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _write(package: zipfile.ZipFile | Package, tmp: Path, changed: Mapping[str, bytes] | None = None) -> None:
    """The new package is zipped in memory, then written in one plain write (a full disk cannot
    leave a half-closed ZipFile behind, whose clean-up would print a stray traceback)."""
    if isinstance(package, Package):
        source, changed, removed = package.source, package.changed, package.removed
    else:
        source, changed, removed = package, changed or {}, set()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename in removed:
                continue
            if info.filename in changed:
                target.writestr(info, changed[info.filename])
            else:
                with source.open(info) as src, target.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    tmp.write_bytes(buffer.getvalue())


_ROW = re.compile(rb"<(" + _PREFIX + rb")row\b([^>]*?)(?:/>|>(.*?)</\1row>)", re.S)
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_FORMULA = re.compile(rb"<(" + _PREFIX + rb")f\b([^>]*?)(?:/>|>(.*?)</\1f>)", re.S)
_SHARED_FORMULA = re.compile(rb"""\bt\s*=\s*["']shared["']""")
_SHARED_INDEX = re.compile(rb"""\bsi\s*=\s*["'](\d+)["']""")
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
        number_match = _ROW_NUMBER.search(match.group(2))
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
        return whole[:match.start(3) - offset] + _CELL.sub(one_cell, body) + whole[match.end(3) - offset:]

    return _ROW.sub(one_row, xml)


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
        if _SHARED.search(attrs) and (v := _VALUE.search(inner)):
            dropped.add(int(v.group(1)))
        changed.add((row, col))
        return new_cell(address(row, col), _STYLE.search(attrs), value, epoch, match.group(1))

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
        formula = _FORMULA.search(match.group(3) or b"")
        if formula and _SHARED_FORMULA.search(formula.group(2)) and formula.group(3):
            index = _SHARED_INDEX.search(formula.group(2))
            if index is not None:
                found[int(index.group(1))] = SharedFormula((row, col), unescape_xml(formula.group(3).decode()))

    rewrite_cells(xml, lambda n, body: b"shared" in body, look)
    return found


def unshare(xml: bytes, shared: Mapping[int, SharedFormula], changed: set[Cell]) -> bytes:
    """Every cell of a shared formula whose master was changed gets the formula as its own text."""
    broken = {si: f for si, f in shared.items() if f.cell in changed}
    if not broken:
        return xml
    from openpyxl.formula.translate import Translator  # only for the rare sheet that needs it

    def own(row: int, col: int, match: re.Match[bytes]) -> bytes | None:
        inner = match.group(3) or b""
        formula = _FORMULA.search(inner)
        if not formula or not _SHARED_FORMULA.search(formula.group(2)):
            return None
        index = _SHARED_INDEX.search(formula.group(2))
        master = broken.get(int(index.group(1))) if index else None
        if master is None:
            return None
        origin = address(*master.cell).decode()
        text = Translator("=" + master.text, origin=origin).translate_formula(address(row, col).decode())[1:]
        p = formula.group(1)
        own_formula = b"<" + p + b"f>" + escape(text).encode("utf-8") + b"</" + p + b"f>"
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


def _epoch(workbook_xml: bytes) -> dt.date:
    """Day 0 of the workbook's serial dates (1900 system, or 1904 on old Mac workbooks)."""
    if re.search(rb"""date1904\s*=\s*["'](1|true)["']""", workbook_xml):
        return dt.date(1904, 1, 1)
    return dt.date(1899, 12, 30)


def _shared_indices(xml: bytes) -> set[int]:
    """The shared-string indices the cells of a sheet use."""
    found = set()
    for match in _CELL.finditer(xml):
        if _SHARED.search(match.group(2)) and (v := _VALUE.search(match.group(3) or b"")):
            found.add(int(v.group(1)))
    return found


def blank_strings(xml: bytes, indices: set[int]) -> bytes:
    """sharedStrings.xml with the items at `indices` emptied in place (indices keep their place)."""
    if not indices:
        return xml
    counter = iter(range(1 << 62))

    def blank(match: re.Match[bytes]) -> bytes:
        p = match.group(1)
        return b"<" + p + b"si><" + p + b"t></" + p + b"t></" + p + b"si>" if next(counter) in indices \
            else match.group(0)

    return _STRING_ITEM.sub(blank, xml)
