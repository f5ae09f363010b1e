"""Pivot tables whose cache copies people the anonymised copy removes: dropped from the copy.

A pivot table keeps its own copy of its source rows (the cache: definition with each field's
distinct values, and records), and the sheet shows its result as ordinary cells (a name as a row
label). Rewriting a cache safely is Excel's job, so a cache built on a sheet the copy changes (by
sheet, table or defined name), or holding a removed value whatever its source (`OFFSET(…)`,
`INDIRECT(…)`, `[#All]`…), is removed with every pivot table using it: their parts, relationships
and content types, the workbook's `<pivotCache>` entry, and the cells the table covered. The
facilitator rebuilds it on the copy in two clicks if needed. Slicers, timelines and pivot charts
tie a pivot table to more parts: when one of them is present, the copy is refused instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.errors import WorkbookUnreadable
from . import package_scan
from .package_parts import Package, Relationship, attributes
from .sheet_xml import ref_bounds

WORKBOOK = "xl/workbook.xml"
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_WORKSHEET_SOURCE = re.compile(rb"<" + _PREFIX + rb"worksheetSource\b([^>]*)>")
_PIVOT_CACHE = re.compile(rb"<(" + _PREFIX + rb")pivotCache\b([^>]*?)(?:/>|>.*?</\1pivotCache>)", re.S)
_PIVOT_CACHES = re.compile(rb"<(" + _PREFIX + rb")pivotCaches\b[^>]*?(?:/>|>(.*?)</\1pivotCaches>)", re.S)
_LOCATION = re.compile(rb"<" + _PREFIX + rb"location\b([^>]*)>")
_TIED = ("xl/slicerCaches/", "xl/timelineCaches/", "xl/slicers/", "xl/timelines/")
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Dropped:
    """What dropping pivot caches did: the cells each sheet must empty, and how many tables went."""

    ranges: dict[str, list[Box]]
    tables: int


def drop_personal_pivots(package: Package, parts: Mapping[str, str], edited: set[str], finder: package_scan.Finder,
                         sheet_of: Mapping[str, str], workbook: str) -> Dropped:
    """Remove the pivot caches built on `edited` sheets or holding a removed value, and their tables.

    `sheet_of` maps a table or defined name (casefolded) to its sheet.
    """
    caches = [r for r in package.relationships(WORKBOOK) if r.type == "pivotCacheDefinition" and r.target in package]
    personal = [c for c in caches if _is_personal(package, c, edited, finder, sheet_of)]
    if not personal:
        return Dropped({}, 0)
    _refuse_tied(package, workbook, personal, parts)
    gone = {c.target for c in personal}
    ranges: dict[str, list[Box]] = {}
    tables = 0
    for sheet, member in parts.items():
        if member not in package:
            continue
        drop_ids = []
        for rel in package.relationships(member):
            if rel.type != "pivotTable" or rel.target not in package:
                continue
            if not {r.target for r in package.relationships(rel.target)} & gone:
                continue
            box = _location(package.read(rel.target))
            if box is not None:
                ranges.setdefault(sheet, []).append(box)
            package.remove(rel.target)
            drop_ids.append(rel.id)
            tables += 1
        package.drop_relationships(member, drop_ids)
    for cache in personal:
        for rel in package.relationships(cache.target):
            if rel.type == "pivotCacheRecords":
                package.remove(rel.target)
        package.remove(cache.target)
    ids = {c.id for c in personal}
    package.drop_relationships(WORKBOOK, ids)
    package.write(WORKBOOK, _without_caches(package.read(WORKBOOK), ids))
    return Dropped(ranges, tables)


def _is_personal(package: Package, cache: Relationship, edited: set[str], finder: package_scan.Finder,
                 sheet_of: Mapping[str, str]) -> bool:
    definition = package.read(cache.target)
    for found in _WORKSHEET_SOURCE.finditer(definition):
        attrs = attributes(found.group(1))
        sheet = attrs.get("sheet") or sheet_of.get(attrs.get("name", "").casefold())
        if sheet is not None and sheet.casefold() in {e.casefold() for e in edited}:  # Excel ignores the case
            return True
    records = [r.target for r in package.relationships(cache.target) if r.type == "pivotCacheRecords"]
    return any(_holds(package.read(part), finder) for part in [cache.target, *records] if part in package)


def _holds(xml: bytes, finder: package_scan.Finder) -> bool:
    return any(finder.find(text) is not None for text in package_scan.texts_of(xml))


def _location(pivot_table: bytes) -> Box | None:
    """The cells a pivot table covers, page fields above it included."""
    found = _LOCATION.search(pivot_table)
    if found is None:
        return None
    attrs = attributes(found.group(1))
    bounds = ref_bounds(attrs.get("ref", ""))
    if bounds is None:
        return None
    pages = int(attrs["rowPageCount"]) if attrs.get("rowPageCount", "").isdigit() else 0
    r1, c1, r2, c2 = bounds
    return (max(1, r1 - pages - 1) if pages else r1), c1, r2, c2


def _without_caches(workbook_xml: bytes, ids: set[str]) -> bytes:
    """workbook.xml without the `<pivotCache>` entries of `ids` (and an emptied `<pivotCaches>` removed)."""
    def caches(block: re.Match[bytes]) -> bytes:
        inner = _PIVOT_CACHE.sub(lambda m: b"" if attributes(m.group(2)).get("id") in ids else m.group(0),
                                 block.group(2) or b"")
        if not _PIVOT_CACHE.search(inner):
            return b""
        whole, offset = block.group(0), block.start(0)
        return whole[:block.start(2) - offset] + inner + whole[block.end(2) - offset:]

    return _PIVOT_CACHES.sub(caches, workbook_xml, count=1)


def _refuse_tied(package: Package, workbook: str, personal: list[Relationship], parts: Mapping[str, str]) -> None:
    """Slicers, timelines and pivot charts point into a pivot table: removing it would break them."""
    tied = any(n.startswith(_TIED) for n in package.members()) or any(
        b"pivotSource" in package.read(n) for n in package.members() if n.startswith("xl/charts/chart"))
    if tied:
        raise WorkbookUnreadable(
            f"Le classeur « {workbook} » contient un tableau croisé dynamique construit sur des données que "
            "l'anonymisation efface, relié à un segment, une chronologie ou un graphique croisé dynamique : "
            "supprimez ce tableau croisé dynamique (ou ce segment, cette chronologie, ce graphique), enregistrez "
            "le classeur, puis relancez anonymiser ; rien n'a été écrit."
        )
