"""What python-calamine does not tell: formula errors, circular formulas, and cells typed below a table.

calamine returns "" for a cell whose cached value is a formula error (`t="e"`), a circular
formula has a plain cached value (often 0), and an Excel table's range says nothing of the rows
typed just under it that it did not absorb. All must become findings (docs/classeur.md), so the
sheets the verb reads are scanned once more, as raw XML, streaming: a sheet without `t="e"` or
`<f` in it costs one decompression and a byte search, nothing else — inflated straight with zlib,
without copying the chunks or checking the CRC again (calamine read the same member and checks it).
Only a sheet where one of the two marks appears is parsed cell by cell; only the last chunks of a
sheet, when its last cell is below its tables, are parsed for the cells below them.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from xml.etree import ElementTree

from ..core.cells import CIRCULAR
from .package_parts import part_target

_CHUNK = 1 << 20
_PACKED_CHUNK = 1 << 17  # ~1 MiB of XML once inflated: small buffers, no large allocations
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
MAX_EDGES = 1_000_000
_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
#: A cell's address attribute (`r="B12"`), as Excel writes it and as other writers may (spaces, single quotes).
CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_ERROR_ATTR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_A1 = re.compile(r"(?<![A-Za-z_!\]'\"])\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?(?![\w(!])")

Cell = tuple[int, int]  # (Excel row, 1-based column)


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → zip member of its XML (transitional or Strict Open XML: namespaces are not compared)."""
    with zipfile.ZipFile(path) as package:
        book = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter() if _local(r.tag) == "Relationship"}
    parts = {}
    for sheet in (e for e in book.iter() if _local(e.tag) == "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
        target = targets.get(rel_id, "")
        parts[sheet.get("name", "")] = part_target("xl", target)
    return parts


#: More cells than this in one sheet's used range (rows × columns) is not a facilitator's table but a
#: stray cell far away (XFD1048576): the reader would try to allocate them all.
MAX_CELLS = 100_000_000
#: An address that may make the used range large: a column from CR (the 96th: 95 columns × 1 048 576 rows
#: stay below MAX_CELLS) or a row from 1 000 000. A literal start, `r="`, lets the regex engine skip ahead
#: (about 3 ms per MB of sheet XML); other spellings (`r='…'`, `r = "…"`) are looked for only in the
#: chunks where they appear.
_FAR = re.compile(rb'r="(?:[A-Z]{3}|C[R-Z]|[D-Z][A-Z]|[A-Z]?\d{7})')
_FAR_ANY = re.compile(rb"""\br\s*=\s*["'](?:[A-Z]{3}|C[R-Z]|[D-Z][A-Z]|[A-Z]?\d{7})""")
_LAST_ROW = re.compile(rb"""row\b[^>]*?\br\s*=\s*["'](\d+)["']""")
_ANY_REF = re.compile(rb"""<(?:\w+:)?(?:c|row)\b[^>]*?\br\s*=\s*["']([A-Z]{0,3})(\d+)["']""")
_TABLE = re.compile(rb"""<(?:\w+:)?table\b([^>]*)>""")
_TABLE_ATTR = re.compile(rb"""\b(name|displayName|ref)\s*=\s*["']([^"']*)["']""")
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def far_cell(path: Path, sheets: Iterable[str]) -> tuple[str, str] | None:
    """(sheet, cell) of a cell so far from A1 that the sheet's used range would exceed MAX_CELLS.

    Every sheet is read through (inflated chunk by chunk): a byte search per chunk finds the
    addresses that could make the range large (_FAR), and only the chunks holding one have their
    addresses read. The declared `<dimension>` is not trusted: the reader does not allocate from it.
    The reader itself (RawTables) does this in its background scan instead (sheet_scan), so large
    sheets cost no extra pass; this is for readers of small files (a network's funders' workbooks,
    companies' statement forms).
    """
    parts = sheet_parts(path)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for sheet in sheets:
            member = parts.get(sheet)
            if member is None or member not in names:
                continue
            far = FarCells()
            with package.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    far.feed(chunk)
            if (cell := far.cell()) is not None:
                return sheet, cell
    return None


class FarCells:
    """Fed a sheet's XML chunk by chunk: the address that makes its used range exceed MAX_CELLS."""

    def __init__(self) -> None:
        self.rows = self.cols = 1
        self.far = ""
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        body = self.tail + chunk
        last = _LAST_ROW.search(body, max(body.rfind(b"row "), 1) - 1)
        if last:  # rows come in order: the chunk's last row is its largest
            self.rows = max(self.rows, int(last.group(1)))
        other_spelling = b"r='" in body or b"r =" in body or b"r= " in body
        if _FAR.search(body) or (other_spelling and _FAR_ANY.search(body)):
            for letters, number in _ANY_REF.findall(body):
                r, c = int(number), column_number(letters.decode()) if letters else 1
                if r > self.rows or c > self.cols:
                    self.rows, self.cols = max(self.rows, r), max(self.cols, c)
                    self.far = f"{letters.decode()}{number.decode()}"
        self.tail = body[-64:]

    def cell(self) -> str | None:
        return self.far if self.rows * self.cols > MAX_CELLS else None


def ref_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """"B2:P40" → (first row, first column, last row, last column); None when not a range."""
    m = _RANGE.match(ref.strip())
    if not m:
        return None
    c1, r1 = column_number(m.group(1)), int(m.group(2))
    c2, r2 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return r1, c1, r2, c2


def table_sheets(path: Path) -> dict[str, str]:
    """Excel table name (and display name) → the sheet holding it, through the sheets' relationships."""
    found: dict[str, str] = {}
    parts = sheet_parts(path)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for sheet, member in parts.items():
            for attrs in _table_parts(package, member, names):
                for key in ("name", "displayName"):
                    if attrs.get(key):
                        found[attrs[key]] = sheet
    return found


Bounds = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based, header included)


def tables_of(package: zipfile.ZipFile, member: str, names: set[str]) -> dict[str, Bounds]:
    """The Excel tables of the sheet at `member`, by name, with their range as the file declares it."""
    found = {}
    for attrs in _table_parts(package, member, names):
        bounds = ref_bounds(attrs.get("ref", ""))
        if bounds is not None:
            found[attrs.get("displayName") or attrs.get("name", "")] = bounds
    return found


def _table_parts(package: zipfile.ZipFile, member: str, names: set[str]) -> list[dict[str, str]]:
    """The attributes (name, displayName, ref…) of the table parts the sheet at `member` relates to."""
    folder, base = posixpath.split(member)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in names:
        return []
    try:
        relationships = list(ElementTree.fromstring(package.read(rels)).iter())
    except ElementTree.ParseError:
        return []  # its tables are then read by their sheet and header, like renamed ones
    found = []
    for rel in relationships:
        if _local(rel.tag) != "Relationship" or not rel.get("Type", "").endswith("/table"):
            continue
        target = part_target(folder, rel.get("Target", ""))
        head = _TABLE.search(package.read(target)[:65536]) if target in names else None
        if head is not None:
            found.append({k.decode(): v.decode("utf-8", "replace") for k, v in _TABLE_ATTR.findall(head.group(1))})
    return found


def unusable_tables(path: Path) -> set[str]:
    """Names of the tables whose range cannot be read as a table: reversed, header only, or huge
    (the reader panics or allocates it all); they are read from their sheet by their header."""
    bad: set[str] = set()
    with zipfile.ZipFile(path) as package:
        for member in package.namelist():
            if not member.startswith("xl/tables/") or not member.endswith(".xml"):
                continue
            found = _TABLE.search(package.read(member)[:65536])
            if not found:
                continue
            attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _TABLE_ATTR.findall(found.group(1))}
            bounds = ref_bounds(attrs.get("ref", ""))
            if bounds is None or bounds[2] <= bounds[0] or bounds[3] < bounds[1] or \
                    (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1) > MAX_CELLS:
                bad.update(attrs[k] for k in ("name", "displayName") if attrs.get(k))
    return bad


def _local(tag: str) -> str:
    """`{namespace}name` → `name`."""
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML found: the cells to read differently, a far cell, and the filled
    cells below its Excel tables, within their columns (rows typed under a table whose range did not grow)."""

    odd: dict[Cell, str]
    far: str | None
    below: tuple[Cell, ...] = ()
    #: The sheet's Excel tables by name, with their range as the file declares it (header and totals included).
    tables: Mapping[str, Bounds] = field(default_factory=dict)


def sheet_scan(path: Path, sheet: str) -> SheetScan:
    """The sheet's error cells and circular formulas (→ their text, CIRCULAR), its far cell, and the cells
    typed below its tables.

    One streaming pass inflates the sheet (zlib releases the GIL: the reader's other thread reads
    meanwhile), looking for the marks of an error or a formula and for far addresses, and keeping its
    last chunks; only a sheet with a mark is read again, cell by cell.
    """
    member = sheet_parts(path).get(sheet)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        if member is None or member not in names:
            return SheetScan({}, None)
        tables = tables_of(package, member, names)
        below = _Below(list(tables.values())) if tables else None
        marked, far = _pass(path, package.getinfo(member), below)
        cells: dict[Cell, str] = {}
        if marked:
            below = _Below(list(tables.values())) if tables else None  # the exact scan reads from the start
            errors, formulas, far = _scan(package, member, below)
            cells = dict.fromkeys(circular_cells(formulas), CIRCULAR)
            cells.update(errors)
        under = tuple(below.finish(partial(_chunks, package, member))) if below is not None else ()
    return SheetScan(cells, far, under, tables)


#: A cell holding something: a value (`<v>`) or an inline text (`<is><t>`) that is not empty.
_FILLED = re.compile(rb"<v>[^<]|<t\b[^>]*>[^<]")
#: At most this many filled cells below the tables of one sheet are kept (a paste of thousands of rows is
#: reported by its first rows: the facilitator grows the table once for all of them).
MAX_BELOW = 100_000


class _Below:
    """The filled cells of a sheet below its tables and within their columns, from the end of its XML.

    Rows come in order, so cells below the tables are at the end: while the sheet streams by, only
    its last chunks are kept (references, no copy); at the end, one backward search finds the last
    cell's row, and only when it is past the tables are those chunks parsed. Should the cells below
    fill more than the chunks kept (a paste of tens of thousands of rows), the sheet is read again
    for them (`rescan`).
    """

    KEEP = 3

    def __init__(self, tables: Sequence[Bounds]) -> None:
        self.tables = tables
        self.after = min(b[2] for b in tables)
        self.recent: deque[bytes] = deque(maxlen=self.KEEP)
        self.whole = True  # every chunk so far is kept: the tail is the whole sheet

    def feed(self, text: bytes) -> None:
        if len(self.recent) == self.KEEP:
            self.whole = False
        self.recent.append(text)

    def finish(self, rescan: Callable[[], Iterator[bytes]]) -> list[Cell]:
        """The cells below the tables; `rescan` gives the sheet's XML again when the chunks kept do not
        reach back to the tables' last row."""
        tail = b"".join(self.recent)
        self.recent.clear()
        last = tail.rfind(b"<c ")
        if last >= 0:
            ref = CELL_REF.search(tail, last, last + 256)
            if ref is None or int(ref.group(2)) <= self.after:
                return []  # the sheet's last cell is within the tables: nothing below them
            first = CELL_REF.search(tail, tail.find(b"<c "))
            if self.whole or (first is not None and int(first.group(2)) <= self.after):
                return self._cells(tail)
        elif self.whole:
            return []  # a sheet without a cell
        cells: list[Cell] = []
        carry = b""
        for chunk in rescan():
            data = carry + chunk
            cut = data.rfind(b"<c ")
            cells += self._cells(data[:cut] if cut > 0 else b"")
            carry = data[cut:] if cut > 0 else data
            if len(cells) >= MAX_BELOW:
                return cells[:MAX_BELOW]
        return cells + self._cells(carry)

    def _cells(self, body: bytes) -> list[Cell]:
        found = []
        for match in _CELL.finditer(body):
            ref = CELL_REF.search(match.group(1))
            if ref is None or int(ref.group(2)) <= self.after or not _FILLED.search(match.group(3) or b""):
                continue
            row, col = int(ref.group(2)), column_number(ref.group(1).decode())
            if any(row > end and first <= col <= last_col for first_row, first, end, last_col in self.tables):
                found.append((row, col))
        return found[:MAX_BELOW]


def _chunks(package: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's XML, inflated chunk by chunk."""
    with package.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _pass(path: Path, info: zipfile.ZipInfo, below: _Below | None = None) -> tuple[bool, str | None]:
    """(whether the member's XML holds an error cell or a formula, its far cell), inflated chunk by chunk,
    each chunk also kept by `below`. A mark ends the pass early (the exact scan reads the sheet again, far
    cells and cells below the tables included)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        return True, None  # let the exact scan (zipfile) read it, or say why it cannot
    far = FarCells()
    with path.open("rb") as handle:
        handle.seek(info.header_offset)
        fields = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
        if fields[0] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"{info.filename}: en-tête local illisible")
        handle.seek(fields[9] + fields[10], 1)
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left, edge = info.compress_size, b""
        while left > 0:
            packed = handle.read(min(_PACKED_CHUNK, left))
            if not packed:
                raise EOFError(info.filename)
            left -= len(packed)
            text = inflate.decompress(packed) if inflate is not None else packed
            if _marked(text) or _marked(edge + text[:8]):
                return True, None
            far.feed(text)
            if below is not None:
                below.feed(text)
            edge = text[-8:] if text else edge
    return False, far.cell()


def _marked(text: bytes) -> bool:
    """An error cell (`t="e"`) or a formula element (`<f>`, `<f …>`, `<f/>`; not the `<formula1>` of a
    list's data validation, which every sheet of the contract holds once)."""
    if b't="e"' in text:
        return True
    # "f" is rare in a sheet's XML (no tag of the cells holds it) while "<" starts every tag: looking
    # for the "f" is a memchr over the chunk, twice as fast as looking for "<f".
    at = text.find(b"f")
    while at >= 0:
        if at and text[at - 1] == 0x3C and text[at + 1:at + 2] in (b">", b" ", b"/"):
            return True
        at = text.find(b"f", at + 1)
    return False


def _scan(package: zipfile.ZipFile, member: str,
          below: _Below | None = None) -> tuple[dict[Cell, str], dict[Cell, str], str | None]:
    """Error cells, formula cells and the far cell of one sheet, read in chunks cut between two cells (each
    chunk also kept by `below`)."""
    errors: dict[Cell, str] = {}
    formulas: dict[Cell, str] = {}
    far = FarCells()
    tail = b""
    with package.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            far.feed(chunk)
            if below is not None and chunk:
                below.feed(chunk)
            buffer = tail + chunk
            if not chunk:
                cut = len(buffer)
            else:
                cut = buffer.rfind(b"<c ")
                if cut <= 0:
                    tail = buffer
                    continue
            body, tail = buffer[:cut], buffer[cut:]
            if b't="e"' in body or b"<f" in body:
                _cells_of(body, errors, formulas)
            if not chunk:
                return errors, formulas, far.cell()


def _cells_of(body: bytes, errors: dict[Cell, str], formulas: dict[Cell, str]) -> None:
    for match in _CELL.finditer(body):
        attrs, inner = match.group(1), match.group(3) or b""
        ref = CELL_REF.search(attrs)
        if ref is None:
            continue
        cell = (int(ref.group(2)), column_number(ref.group(1).decode()))
        if _ERROR_ATTR.search(attrs):
            value = _VALUE.search(inner)
            errors[cell] = value.group(1).decode("utf-8", "replace") if value else "#N/A"
        formula = _FORMULA.search(inner)
        if formula is not None and formula.group(1):
            formulas[cell] = formula.group(1).decode("utf-8", "replace")


def column_number(letters: str) -> int:
    """"A" → 1, "AB" → 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def circular_cells(formulas: dict[Cell, str]) -> set[Cell]:
    """Formula cells that depend on themselves through same-sheet A1 references (a cycle).

    A reference only matters when it reaches another formula cell, so a range is intersected with
    the formula cells (by column, then by row with bisect) instead of being listed cell by cell:
    2 000 formulas over whole columns cost their matches, not billions of cells. The graph stops
    growing at MAX_EDGES dependencies (cycles beyond are not looked for).
    """
    if not formulas:
        return set()
    by_column: dict[int, list[int]] = {}
    for r, c in sorted(formulas):
        by_column.setdefault(c, []).append(r)
    columns = sorted(by_column)
    graph: dict[Cell, list[Cell]] = {}
    budget = MAX_EDGES
    for cell, text in formulas.items():
        edges: list[Cell] = []
        for r1, c1, r2, c2 in _references(text) if budget > 0 else ():
            for c in columns[bisect_left(columns, c1):bisect_right(columns, c2)]:
                rows = by_column[c]
                edges.extend((r, c) for r in rows[bisect_left(rows, r1):bisect_right(rows, r2)])
        graph[cell] = edges[:max(budget, 0)]
        budget -= len(edges)
    return _in_cycles(graph)


def _references(formula: str) -> Iterator[tuple[int, int, int, int]]:
    """Same-sheet references of a formula as ranges (first row, first column, last row, last column)."""
    # Text between quotes and other sheets' references are not this sheet's cells.
    formula = re.sub(r'"[^"]*"', '""', formula)
    formula = re.sub(r"(?:'[^']*'|[\w.]+)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", "", formula)
    for m in _A1.finditer(formula):
        c1, r1 = column_number(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            yield (r1, c1, r1, c1)
            continue
        c2, r2 = column_number(m.group(3)), int(m.group(4))
        yield (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def _in_cycles(graph: dict[Cell, list[Cell]]) -> set[Cell]:
    """Cells on a cycle (Tarjan's strongly connected components, iterative)."""
    index: dict[Cell, int] = {}
    low: dict[Cell, int] = {}
    on_stack: set[Cell] = set()
    stack: list[Cell] = []
    result: set[Cell] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    result.update(component)
    return result
