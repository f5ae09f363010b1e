"""A copy of a workbook with some cells changed, every other part copied byte for byte.

openpyxl would drop the ribbon relationship, x14 extensions and more (docs/excel.md), so the copy
edits the package itself: only the XML of the sheets holding changed cells, and the shared
strings that no data cell uses any more (blanked in place, so no index moves and no other sheet
is rewritten). vbaProject.bin, customUI, tables, data validations and defined names are untouched.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

from ..core import schema
from ..core.errors import WorkbookUnreadable
from .output import write_atomic
from .sheet_xml import column_number, sheet_parts

Edits = Mapping[str, Mapping[tuple[int, int], Any]]  # sheet → (Excel row, 1-based column) → new value
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_SHARED = re.compile(rb'\bt="s"')
_VALUE = re.compile(rb"<v>(\d+)</v>")
_SHARED_REF = re.compile(rb'<c\b[^>]*?\bt="s"[^>]*>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>(\d+)</v>')
_STRING_ITEM = re.compile(rb"<si>.*?</si>|<si/>", re.S)
SHARED_STRINGS = "xl/sharedStrings.xml"


def copy_with_edits(source: Path, destination: Path, edits: Edits, skip_counting: Iterable[str] = (),
                    force: bool = False) -> Path:
    """Write `destination`: `source` with the cells of `edits` replaced (str, date, number or None).

    Shared strings only the replaced cells used are blanked (the names must not survive in the
    package); references from sheets in `skip_counting` (result sheets) do not keep them alive.
    """
    source, destination = Path(source), Path(destination)
    if destination.resolve() == source.resolve():
        raise WorkbookUnreadable(f"La copie doit être un autre fichier que le classeur « {source.name} ».")
    parts = sheet_parts(source)
    with zipfile.ZipFile(source) as package:
        refuse_pivot_caches(package, source.name, {sheet for sheet, cells in edits.items() if cells})
        epoch = _epoch(package.read("xl/workbook.xml"))
        changed: dict[str, bytes] = {}
        orphans: set[int] = set()
        for sheet, cells in edits.items():
            if cells:
                member = parts[sheet]
                changed[member], dropped = edit_sheet(package.read(member), cells, epoch)
                orphans |= dropped
        if orphans and SHARED_STRINGS in package.namelist():
            skipped = {parts[s] for s in skip_counting if s in parts}
            for member in set(parts.values()) - skipped:
                orphans -= _shared_indices(changed.get(member) or package.read(member))
            changed[SHARED_STRINGS] = blank_strings(package.read(SHARED_STRINGS), orphans)
        return write_atomic(destination, lambda tmp: _write(package, tmp, changed), force)


_PIVOT_CACHE = re.compile(r"xl/pivotCache/pivotCacheDefinition\d*\.xml$")
_WORKSHEET_SOURCE = re.compile(rb"<(?:\w+:)?worksheetSource\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(sheet|name)="([^"]*)"')


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
            found = {k.decode(): unescape_xml(v.decode("utf-8")) for k, v in _ATTRIBUTE.findall(attrs)}
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


def _write(package: zipfile.ZipFile, tmp: Path, changed: Mapping[str, bytes]) -> None:
    with zipfile.ZipFile(tmp, "w") as target:
        for info in package.infolist():
            if info.filename in changed:
                target.writestr(info, changed[info.filename])
            else:
                with package.open(info) as src, target.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)


def edit_sheet(xml: bytes, cells: Mapping[tuple[int, int], Any], epoch: dt.date) -> tuple[bytes, set[int]]:
    """The sheet XML with `cells` replaced, and the shared-string indices the old cells used."""
    dropped: set[int] = set()

    def replace(match: re.Match[bytes]) -> bytes:
        attrs = match.group(1)
        ref = _REF.search(attrs)
        if ref is None:
            return match.group(0)
        key = (int(ref.group(2)), column_number(ref.group(1).decode()))
        if key not in cells:
            return match.group(0)
        if _SHARED.search(attrs) and (v := _VALUE.search(match.group(2) or b"")):
            dropped.add(int(v.group(1)))
        return new_cell(ref.group(1) + ref.group(2), _STYLE.search(attrs), cells[key], epoch)

    return _CELL.sub(replace, xml), dropped


def new_cell(ref: bytes, style: re.Match[bytes] | None, value: Any, epoch: dt.date) -> bytes:
    """One `<c>` element holding `value`, keeping the cell's style (its number format)."""
    head = b'<c r="' + ref + b'"' + (b' s="' + style.group(1) + b'"' if style else b"")
    if value is None or value == "":
        return head + b"/>"
    if isinstance(value, str):
        text = escape(value).encode("utf-8")
        return head + b' t="inlineStr"><is><t xml:space="preserve">' + text + b"</t></is></c>"
    if hasattr(value, "year"):
        value = (dt.date(value.year, value.month, value.day) - epoch).days
    return head + b"><v>" + repr(float(value)).removesuffix(".0").encode() + b"</v></c>"


def _epoch(workbook_xml: bytes) -> dt.date:
    """Day 0 of the workbook's serial dates (1900 system, or 1904 on old Mac workbooks)."""
    if re.search(rb'date1904="(1|true)"', workbook_xml):
        return dt.date(1904, 1, 1)
    return dt.date(1899, 12, 30)


def _shared_indices(xml: bytes) -> set[int]:
    return {int(i) for i in _SHARED_REF.findall(xml)}


def blank_strings(xml: bytes, indices: set[int]) -> bytes:
    """sharedStrings.xml with the items at `indices` emptied in place (indices keep their place)."""
    if not indices:
        return xml
    counter = iter(range(1 << 62))

    def blank(match: re.Match[bytes]) -> bytes:
        return b"<si><t></t></si>" if next(counter) in indices else match.group(0)

    return _STRING_ITEM.sub(blank, xml)
