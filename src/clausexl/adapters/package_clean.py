"""Cleaning what an anonymised copy would otherwise keep outside the cells: notes, links, authors.

A removed value can sit where no cell edit reaches: a cell note (and its threaded comment, and
the shape Excel draws for it), a `mailto:` link on the person's cell, the name of a comment's
author, the document's title. Each is removed from the copy when it sits on a row the copy
anonymises or when its text holds a removed value (package_scan.Finder): a note or a link goes
as a whole (its relationship too); an author's or a property's text is blanked. The written
copy is still scanned for every removed value afterwards (xlsm_copy.refuse_leaks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import package_scan
from .package_parts import Package, Relationship, attributes
from .sheet_xml import ref_bounds

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
Cell = tuple[int, int]


def _elements(name: bytes) -> re.Pattern[bytes]:
    """`<name …/>` or `<name …>…</name>`, any prefix; group 2 = attributes, group 3 = content."""
    return re.compile(rb"<(" + _PREFIX + rb")" + name + rb"\b([^>]*?)(?:/>|>(.*?)</\1" + name + rb">)", re.S)


_HYPERLINK = _elements(b"hyperlink")
_HYPERLINKS = _elements(b"hyperlinks")
_COMMENT = _elements(b"comment")
_THREADED = _elements(b"threadedComment")
_SHAPE = _elements(b"shape")
_AUTHOR = _elements(b"author")
_PERSON = _elements(b"person")
_VML_ROW = re.compile(rb"<(?:\w+:)?Row>\s*(\d+)\s*<")
_VML_COLUMN = re.compile(rb"<(?:\w+:)?Column>\s*(\d+)\s*<")
_NOTE_SHAPE = re.compile(rb"""ObjectType\s*=\s*["']Note["']""")
_TEXT_NODE = re.compile(rb">([^<]+)<")
ANONYME = "Anonyme"
PROPERTIES = ("docProps/core.xml", "docProps/custom.xml")


@dataclass
class Cleaned:
    """What the copy removed besides cells, for the facilitator's report."""

    notes: int = 0
    links: int = 0
    formulas: int = 0
    pivot_tables: int = 0
    charts: int = 0  # chart series whose drawn values were dropped
    texts: int = 0  # authors' names, document properties
    where: list[str] = field(default_factory=list)


def holds(fragment: bytes, finder: package_scan.Finder) -> bool:
    """Whether any text or attribute value of an XML fragment holds a removed value."""
    return any(finder.find(text) is not None for text in package_scan.texts_of(fragment))


def _cell(ref: str) -> Cell | None:
    bounds = ref_bounds(ref)
    return (bounds[0], bounds[1]) if bounds else None


def _on_rows(ref: str, rows: set[int]) -> bool:
    bounds = ref_bounds(ref)
    return bounds is not None and any(bounds[0] <= r <= bounds[2] for r in rows)


def clean_sheet(package: Package, member: str, rows: set[int], finder: package_scan.Finder,
                cleaned: Cleaned) -> None:
    """Notes, threaded comments and hyperlinks of one sheet on `rows` or holding a removed value."""
    rels = package.relationships(member)
    _clean_notes(package, member, rels, rows, finder, cleaned)
    _clean_links(package, member, rels, rows, finder, cleaned)
    _clean_headers(package, member, finder, cleaned)


def _parts(package: Package, rels: list[Relationship], kind: str) -> list[str]:
    return [r.target for r in rels if r.type == kind and not r.external and r.target in package]


def _clean_notes(package: Package, member: str, rels: list[Relationship], rows: set[int],
                 finder: package_scan.Finder, cleaned: Cleaned) -> None:
    notes = _parts(package, rels, "comments")
    threads = _parts(package, rels, "threadedComment")
    drawings = _parts(package, rels, "vmlDrawing")
    gone: set[Cell] = set()
    for part in notes + threads:  # a note (or a reply of its thread) that is personal takes the whole note
        for match in (_COMMENT if part in notes else _THREADED).finditer(package.read(part)):
            ref = attributes(match.group(2)).get("ref", "")
            if (cell := _cell(ref)) and (cell[0] in rows or holds(match.group(3) or b"", finder)):
                gone.add(cell)
    for part in drawings:
        for match in _SHAPE.finditer(package.read(part)):
            cell = _shape_cell(match.group(0))
            if cell and holds(match.group(0), finder):
                gone.add(cell)
    if not gone:
        return
    for part in notes:
        package.write(part, _without(package.read(part), _COMMENT, lambda m: _cell(
            attributes(m.group(2)).get("ref", "")) in gone))
        package.write(part, _blank_authors(package.read(part), finder, cleaned))
    for part in threads:
        package.write(part, _without(package.read(part), _THREADED, lambda m: _cell(
            attributes(m.group(2)).get("ref", "")) in gone))
    for part in drawings:
        package.write(part, _without(package.read(part), _SHAPE, lambda m: _shape_cell(m.group(0)) in gone))
    cleaned.notes += len(gone)


def _shape_cell(shape: bytes) -> Cell | None:
    """The cell a note's shape belongs to (VML counts rows and columns from 0)."""
    if not _NOTE_SHAPE.search(shape):
        return None
    row, column = _VML_ROW.search(shape), _VML_COLUMN.search(shape)
    return (int(row.group(1)) + 1, int(column.group(1)) + 1) if row and column else None


def _without(xml: bytes, pattern: re.Pattern[bytes], drop: Callable[[re.Match[bytes]], bool]) -> bytes:
    return pattern.sub(lambda m: b"" if drop(m) else m.group(0), xml)


def _blank_authors(xml: bytes, finder: package_scan.Finder, cleaned: Cleaned) -> bytes:
    """A note's author named like an anonymised person becomes « Anonyme » (the index of authors stays)."""
    def author(match: re.Match[bytes]) -> bytes:
        if not holds(match.group(0), finder):
            return match.group(0)
        cleaned.texts += 1
        p = match.group(1)
        return b"<" + p + b"author>" + ANONYME.encode() + b"</" + p + b"author>"

    return _AUTHOR.sub(author, xml)


def _clean_links(package: Package, member: str, rels: list[Relationship], rows: set[int],
                 finder: package_scan.Finder, cleaned: Cleaned) -> None:
    """Hyperlinks on `rows` or whose address, text or tip holds a removed value (`mailto:julie.martin@…`)."""
    targets = {r.id: r for r in rels if r.type == "hyperlink"}
    personal_targets = {r.id for r in targets.values() if finder.find(r.target) is not None}
    xml = package.read(member)
    dropped_ids: set[str] = set()
    removed = 0

    def link(match: re.Match[bytes]) -> bytes:
        nonlocal removed
        attrs = attributes(match.group(2))
        if _on_rows(attrs.get("ref", ""), rows) or attrs.get("id") in personal_targets or holds(match.group(0), finder):
            removed += 1
            if attrs.get("id"):
                dropped_ids.add(attrs["id"])
            return b""
        return match.group(0)

    def block(match: re.Match[bytes]) -> bytes:
        inner = _HYPERLINK.sub(link, match.group(3) or b"")
        return b"" if not _HYPERLINK.search(inner) else match.group(0)[:match.start(3) - match.start(0)] + inner + \
            match.group(0)[match.end(3) - match.start(0):]

    if b"hyperlink" in xml:
        package.write(member, _HYPERLINKS.sub(block, xml))
    still_used = {attributes(m.group(2)).get("id") for m in _HYPERLINK.finditer(package.read(member))}
    package.drop_relationships(member, (dropped_ids | personal_targets) - still_used)
    cleaned.links += removed + len(personal_targets - dropped_ids - still_used)


_HEADER_FOOTER = _elements(b"(?:odd|even|first)(?:Header|Footer)")


def _clean_headers(package: Package, member: str, finder: package_scan.Finder, cleaned: Cleaned) -> None:
    """A printed page's header or footer naming an anonymised person (`Suivi de Julie Martin`) is emptied."""
    xml = package.read(member)
    if b"Header" not in xml and b"Footer" not in xml:
        return

    def header(match: re.Match[bytes]) -> bytes:
        if not holds(match.group(0), finder):
            return match.group(0)
        cleaned.texts += 1
        return b""

    package.write(member, _HEADER_FOOTER.sub(header, xml))


def clean_persons(package: Package, workbook: str, finder: package_scan.Finder, cleaned: Cleaned) -> None:
    """Threaded comments' people (`xl/persons/person.xml`) named like an anonymised person: « Anonyme »."""
    def value(match: re.Match[bytes]) -> bytes:
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        if finder.find(package_scan.unescaped(raw)) is None:
            return match.group(0)
        cleaned.texts += 1
        return match.group(1) + b'"' + ANONYME.encode() + b'"'

    for part in _parts(package, package.relationships(workbook), "person"):
        package.write(part, _PERSON.sub(lambda m: _ATTRIBUTE_VALUE.sub(value, m.group(0)), package.read(part)))


_ATTRIBUTE_VALUE = re.compile(rb"""(\b[\w.:-]+\s*=\s*)(?:"([^"]*)"|'([^']*)')""")


def clean_properties(package: Package, finder: package_scan.Finder, cleaned: Cleaned) -> None:
    """Document properties (title, subject, keywords, custom ones) holding a removed value are emptied."""
    for part in PROPERTIES:
        if part not in package:
            continue

        def text(match: re.Match[bytes]) -> bytes:
            if finder.find(package_scan.unescaped(match.group(1))) is None:
                return match.group(0)
            cleaned.texts += 1
            return b"><"

        package.write(part, _TEXT_NODE.sub(text, package.read(part)))


_CHART_REF = _elements(b"(?:strRef|numRef|multiLvlStrRef)")
_CHART_CACHE = _elements(b"(?:strCache|numCache|multiLvlStrCache)")
_CHART_FORMULA = re.compile(rb"<(" + _PREFIX + rb")f\b[^>]*>(.*?)</\1f>", re.S)


def clean_charts(package: Package, edited: set[str], finder: package_scan.Finder, cleaned: Cleaned) -> None:
    """A chart keeps the values it draws (`<c:strCache>`, `<c:numCache>`): the series reading a changed
    sheet, or whose cache holds a removed value, lose their cache; Excel redraws from the cells on opening."""
    sheets = [re.escape(name.encode()) for name in edited]
    reads = re.compile(rb"(?:^|[^\w.])'?(?:" + b"|".join(sheets) + rb")'?!") if sheets else None
    for part in [n for n in package.members() if n.startswith("xl/charts/") and n.endswith(".xml")]:
        def series(match: re.Match[bytes]) -> bytes:
            formula = _CHART_FORMULA.search(match.group(3) or b"")
            text = package_scan.unescaped(formula.group(2)).encode() if formula else b""
            if not (reads is not None and reads.search(text)) and not holds(match.group(0), finder):
                return match.group(0)
            cleaned.charts += 1
            return _CHART_CACHE.sub(b"", match.group(0))

        package.write(part, _CHART_REF.sub(series, package.read(part)))


def personal_rows(cells: Iterable[Cell], rows: Iterable[int] = ()) -> set[int]:
    """The rows a sheet's edits touch: a note or a link on them is about the person."""
    return {r for r, _ in cells} | set(rows)
