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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

from ..core import schema
from ..core.errors import PersonalDataLeft, WorkbookUnreadable
from . import package_scan
from .output import write_atomic
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
                    removed: Iterable[str] = (), kept: Iterable[str] = ()) -> Path:
    """Write `destination`: `source` with the cells of `edits` replaced (str, date, number or None).

    Shared strings only the replaced cells used are blanked (the names must not survive in the
    package); references from sheets in `skip_counting` (result sheets) do not keep them alive.
    Cells of `clear_rows` outside their table (a helper formula's cached value, a note typed beside
    the row) are emptied too. Before the copy is renamed into place, every part of the written file
    is scanned for the `removed` values (package_scan; `kept` are texts other cells still hold):
    one left anywhere and the copy is refused, saying where it is and what to remove.
    """
    source, destination = Path(source), Path(destination)
    if destination.resolve() == source.resolve():
        raise WorkbookUnreadable(f"La copie doit être un autre fichier que le classeur « {source.name} ».")
    parts = sheet_parts(source)
    clear_rows = clear_rows or {}
    try:
        with zipfile.ZipFile(source) as package:
            refuse_pivot_caches(package, source.name, {sheet for sheet, cells in edits.items() if cells})
            epoch = _epoch(package.read("xl/workbook.xml"))
            changed: dict[str, bytes] = {}
            orphans: set[int] = set()
            for sheet in {s for s, cells in edits.items() if cells} | set(clear_rows):
                member = parts.get(sheet)
                if member is None or member not in package.namelist():
                    raise WorkbookUnreadable(_cannot_edit(source, sheet))
                try:
                    changed[member], dropped = edit_sheet(package.read(member), edits.get(sheet, {}), epoch,
                                                          clear_rows.get(sheet))
                except UncertainSheet as err:
                    raise WorkbookUnreadable(_cannot_edit(source, sheet)) from err
                orphans |= dropped
            if orphans and SHARED_STRINGS in package.namelist():
                skipped = {parts[s] for s in skip_counting if s in parts}
                for member in set(parts.values()) - skipped:
                    if member in package.namelist():
                        orphans -= _shared_indices(changed.get(member) or package.read(member))
                changed[SHARED_STRINGS] = blank_strings(package.read(SHARED_STRINGS), orphans)
            finder = package_scan.Finder(removed, kept)

            def write_and_check(tmp: Path) -> None:
                _write(package, tmp, changed)
                refuse_leaks(tmp, finder, parts)

            return write_atomic(destination, write_and_check, force)
    except (zipfile.BadZipFile, KeyError, EOFError) as err:
        raise WorkbookUnreadable(
            f"Le classeur « {source.name} » ne peut pas être copié (fichier endommagé ou enregistré dans un format "
            "que clausexl ne sait pas modifier sans risque) : ouvrez-le dans Excel, enregistrez-le au format "
            "« Classeur Excel (prenant en charge les macros) », puis relancez."
        ) from err


class UncertainSheet(ValueError):
    """A sheet's XML holds cells whose address cannot be known (no `r=`): editing it would be a guess."""


def _cannot_edit(source: Path, sheet: str) -> str:
    return (f"La feuille « {sheet} » du classeur « {source.name} » est enregistrée d'une façon que clausexl ne sait "
            "pas modifier sans risque (cellules sans adresse, ou feuille introuvable dans le fichier) : ouvrez le "
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


def _write(package: zipfile.ZipFile, tmp: Path, changed: Mapping[str, bytes]) -> None:
    """The new package is zipped in memory, then written in one plain write (a full disk cannot
    leave a half-closed ZipFile behind, whose clean-up would print a stray traceback)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in package.infolist():
            if info.filename in changed:
                target.writestr(info, changed[info.filename])
            else:
                with package.open(info) as src, target.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    tmp.write_bytes(buffer.getvalue())


def edit_sheet(xml: bytes, cells: Mapping[tuple[int, int], Any], epoch: dt.date,
               clear: tuple[Iterable[int], tuple[int, int]] | None = None) -> tuple[bytes, set[int]]:
    """The sheet XML with `cells` replaced, and the shared-string indices the old cells used.

    `clear` = (rows, (first, last) column): cells of those rows outside the columns are emptied.
    A cell without an address (`r=`, optional in the format) makes the edit a guess: UncertainSheet.
    """
    dropped: set[int] = set()
    rows, (first, last) = (set(clear[0]), clear[1]) if clear else (set(), (0, 0))

    def replace(match: re.Match[bytes]) -> bytes:
        prefix, attrs = match.group(1), match.group(2)
        ref = CELL_REF.search(attrs)
        if ref is None:
            raise UncertainSheet()
        key = (int(ref.group(2)), column_number(ref.group(1).decode()))
        if key in cells:
            value = cells[key]
            if value is None and not (match.group(3) or b"").strip():
                return match.group(0)  # already empty: the bytes stay as they were
        elif key[0] in rows and not first <= key[1] <= last and match.group(3):
            value = None
        else:
            return match.group(0)
        if _SHARED.search(attrs) and (v := _VALUE.search(match.group(3) or b"")):
            dropped.add(int(v.group(1)))
        return new_cell(ref.group(1) + ref.group(2), _STYLE.search(attrs), value, epoch, prefix)

    return _CELL.sub(replace, xml), dropped


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
