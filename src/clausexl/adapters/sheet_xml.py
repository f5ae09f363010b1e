"""What python-calamine does not tell: formula errors and circular formulas in data cells.

calamine returns "" for a cell whose cached value is a formula error (`t="e"`), and a circular
formula has a plain cached value (often 0). Both must become findings (docs/classeur.md), so the
sheets the verb reads are scanned once more, as raw XML, streaming: a sheet without `t="e"` or
`<f` in it costs one decompression and a byte search, nothing else.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from ..core.cells import CIRCULAR
_CHUNK = 1 << 20
_MAX_RANGE_CELLS = 10_000
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ERROR_ATTR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_A1 = re.compile(r"(?<![A-Za-z_!\]'\"])\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?(?![\w(!])")

Cell = tuple[int, int]  # (Excel row, 1-based column)


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → zip member of its XML."""
    with zipfile.ZipFile(path) as package:
        book = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
    return parts


def odd_cells(path: Path, sheets: Iterable[str]) -> dict[str, dict[Cell, str]]:
    """Per sheet, the cells to read differently: error cells → their text, circular formulas → CIRCULAR."""
    wanted = set(sheets)
    found: dict[str, dict[Cell, str]] = {}
    parts = sheet_parts(path)
    with zipfile.ZipFile(path) as package:
        for name in wanted:
            member = parts.get(name)
            if member is None or member not in package.namelist():
                continue
            errors, formulas = _scan(package, member)
            cells = dict.fromkeys(circular_cells(formulas), CIRCULAR)
            cells.update(errors)
            if cells:
                found[name] = cells
    return found


def _scan(package: zipfile.ZipFile, member: str) -> tuple[dict[Cell, str], dict[Cell, str]]:
    """Error cells and formula cells of one sheet, read in chunks cut between two cells."""
    errors: dict[Cell, str] = {}
    formulas: dict[Cell, str] = {}
    tail = b""
    with package.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
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
                return errors, formulas


def _cells_of(body: bytes, errors: dict[Cell, str], formulas: dict[Cell, str]) -> None:
    for match in _CELL.finditer(body):
        attrs, inner = match.group(1), match.group(3) or b""
        ref = _REF_ATTR.search(attrs)
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
    """Formula cells that depend on themselves through same-sheet A1 references (a cycle)."""
    if not formulas:
        return set()
    graph = {cell: [d for d in _references(text) if d in formulas] for cell, text in formulas.items()}
    return _in_cycles(graph)


def _references(formula: str) -> Iterator[Cell]:
    # Text between quotes and other sheets' references are not this sheet's cells.
    formula = re.sub(r'"[^"]*"', '""', formula)
    formula = re.sub(r"(?:'[^']*'|[\w.]+)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", "", formula)
    for m in _A1.finditer(formula):
        c1, r1 = column_number(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            yield (r1, c1)
            continue
        c2, r2 = column_number(m.group(3)), int(m.group(4))
        rows, cols = range(min(r1, r2), max(r1, r2) + 1), range(min(c1, c2), max(c1, c2) + 1)
        if len(rows) * len(cols) <= _MAX_RANGE_CELLS:
            yield from ((r, c) for r in rows for c in cols)


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
