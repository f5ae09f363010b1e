"""A copy of a workbook with some cells changed, every other part copied byte for byte.

openpyxl would drop the ribbon relationship, x14 extensions and more (docs/excel.md), so the copy
edits the package itself: only the XML of the sheets holding changed cells, and the shared
strings that no data cell uses any more (blanked in place, so no index moves and no other sheet
is rewritten). vbaProject.bin, customUI, tables, data validations and defined names are untouched.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..core.errors import PersonalDataLeft, WorkbookUnreadable
from . import formula_clean, package_clean, package_scan, pivot_clean
from .output import write_atomic
from .package_parts import Package
from .sheet_cells import CELL, PREFIX, SHARED_STRING, VALUE, edit_sheet, epoch_of
from .sheet_xml import sheet_parts

Edits = Mapping[str, Mapping[tuple[int, int], Any]]  # sheet → (Excel row, 1-based column) → new value
#: sheet → (Excel rows, (first, last) column of the table): cells of these rows outside the table are emptied.
RowsToClear = Mapping[str, tuple[Iterable[int], tuple[int, int]]]
_STRING_ITEM = re.compile(rb"<(" + PREFIX + rb")si\b[^>]*?(?:/>|>.*?</\1si>)", re.S)
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"


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
            epoch = epoch_of(package.read(WORKBOOK))
            finder = package_scan.Finder(removed, kept)
            edited = {sheet for sheet, cells in edits.items() if cells}
            ranges: Mapping[str, list[tuple[int, int, int, int]]] = {}
            if removed:
                pivots = pivot_clean.drop_personal_pivots(package, parts, edited, finder,
                                                          _sheet_of(package, parts), source.name)
                ranges, cleaned.pivot_tables = pivots.ranges, cleaned.pivot_tables + pivots.tables
            orphans: set[int] = set()
            touched: dict[str, set[tuple[int, int]]] = {}
            for sheet in edited | set(clear_rows) | set(ranges):
                member = parts.get(sheet)
                if member is None or member not in package:
                    raise WorkbookUnreadable(_cannot_edit(source, sheet))
                xml, dropped, changed = edit_sheet(package.read(member), edits.get(sheet, {}), epoch,
                                                   clear_rows.get(sheet), ranges.get(sheet, ()))
                package.write(member, xml)
                orphans |= dropped
                touched[sheet] = changed | set(edits.get(sheet, {}))
            if removed:
                dropped, cleaned.formulas = formula_clean.clean_formulas(package, parts, touched, finder, epoch)
                orphans |= dropped
                for sheet, member in parts.items():
                    if member in package:
                        rows = package_clean.personal_rows(edits.get(sheet, {}), clear_rows.get(sheet, ((), (0, 0)))[0])
                        package_clean.clean_sheet(package, member, rows, finder, cleaned)
                package_clean.clean_charts(package, {s for s, cells in touched.items() if cells}, finder, cleaned)
                package_clean.clean_persons(package, WORKBOOK, finder, cleaned)
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
    if leak is not None and not leak.value:
        place, _ = package_scan.where(leak.part, parts, leak.detail)
        raise PersonalDataLeft(
            f"La copie anonymisée ne peut pas être vérifiée : {place} ne peut pas être relu en entier pour s'assurer "
            "qu'il ne garde aucune donnée d'un participant anonymisé ; ouvrez le classeur dans Excel, enregistrez-le "
            "(ou retirez cet élément), puis relancez anonymiser ; rien n'a été écrit."
        )
    if leak is not None:
        place, remedy = package_scan.where(leak.part, parts, leak.detail)
        raise PersonalDataLeft(
            f"La copie anonymisée garderait « {leak.value} », une donnée d'un participant anonymisé, dans "
            f"{place} : {remedy}, enregistrez le classeur, puis relancez anonymiser ; rien n'a été écrit."
        )


def _sheet_of(package: Package, parts: Mapping[str, str]) -> dict[str, str]:
    """Table or defined name (casefolded) → the sheet it covers: where a pivot cache's source lies."""
    found = {name.casefold(): sheet for name, sheet in formula_clean.defined_names(package.read(WORKBOOK)).items()}
    found.update({t.name.casefold(): t.sheet for t in formula_clean.tables_of(package, parts)})
    return found


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


def _shared_indices(xml: bytes) -> set[int]:
    """The shared-string indices the cells of a sheet use."""
    found = set()
    for match in CELL.finditer(xml):
        if SHARED_STRING.search(match.group(2)) and (v := VALUE.search(match.group(3) or b"")):
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
