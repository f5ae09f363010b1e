"""The DECP review workbook: output sheets (xlsx_out) plus native charts over some of them, written with
custom properties that say which DECP file it lists; and read back (the markets marked for import)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import xlsxwriter

from .output import note_input, write_atomic
from .xlsx_out import OutSheet, Styles, close_into, sheet_title, workbook_in_memory, write_sheet


@dataclass(frozen=True)
class Chart:
    """Bars of one column per row (first `rows` rows), with another column drawn as a line over them."""

    sheet: str
    title: str
    category: str
    bars: str
    line: str
    rows: int


def write_with_charts(path: Path, sheets: Sequence[OutSheet], charts: Sequence[Chart], force: bool = False,
                      properties: Mapping[str, str] | None = None) -> Path:
    """A new .xlsx holding `sheets` and, beside the named ones, their charts; written atomically.

    `properties` become the file's custom document properties (what a later run needs to know of it)."""
    def write(tmp: Path) -> None:
        book = workbook_in_memory()
        book.set_properties({"created": dt.datetime(2000, 1, 1)})
        for name, value in (properties or {}).items():
            book.set_custom_property(name, value)
        styles = Styles(book)
        for spec in sheets:
            ws = write_sheet(book, styles, spec)
            for chart in (c for c in charts if c.sheet == spec.name):
                header_row = (1 if spec.title else 0) + len(spec.notes)
                header_row += 1 if header_row else 0
                below = header_row + len(spec.rows) + 2
                ws.insert_chart(below, 0, _chart(book, spec, chart, header_row),
                                {"x_scale": min(2.0, 1.2 + 0.05 * chart.rows), "y_scale": 1.6})
                ws.set_h_pagebreaks([below])  # printed on a page of its own, never cut by a page break
        close_into(book, tmp)

    return write_atomic(Path(path), write, force)


def _chart(book: xlsxwriter.Workbook, spec: OutSheet, chart: Chart, header_row: int) -> Any:
    name = sheet_title(spec.name)
    col = {h: i for i, h in enumerate(spec.headers)}
    first, last = header_row + 1, header_row + chart.rows
    categories = [name, first, col[chart.category], last, col[chart.category]]
    bars = book.add_chart({"type": "column"})
    bars.add_series({"name": [name, header_row, col[chart.bars]], "categories": categories,
                     "values": [name, first, col[chart.bars], last, col[chart.bars]],
                     "data_labels": {"value": True, "num_format": "0 %"}})
    line = book.add_chart({"type": "line"})
    line.add_series({"name": [name, header_row, col[chart.line]], "categories": categories,
                     "values": [name, first, col[chart.line], last, col[chart.line]],
                     "line": {"color": "#C00000", "dash_type": "dash"},
                     # a tick at each bar: one buyer alone still shows the reference (a line needs two points)
                     "marker": {"type": "dash", "size": 9, "border": {"color": "#C00000"},
                                "fill": {"color": "#C00000"}}})
    bars.combine(line)
    bars.set_title({"name": chart.title, "name_font": {"size": 11}})
    bars.set_y_axis({"num_format": "0 %", "min": 0, "max": 1.1, "major_unit": 0.2,  # room for « 100 % » above a bar
                     "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    bars.set_legend({"position": "bottom"})
    return bars


_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"


def read_review(path: Path, sheets: Sequence[str]) -> tuple[dict[str, str], dict[str, list[list[Any]]]]:
    """The custom properties of an .xlsx and the cells of its sheets `sheets` (those it has).

    Raises ValueError when the file is not a readable .xlsx; an .xlsx without custom properties gives {}."""
    import python_calamine

    note_input(path)
    try:
        with zipfile.ZipFile(path) as package:
            xml = package.read("docProps/custom.xml") if "docProps/custom.xml" in package.namelist() else b""
        properties = {p.get("name", ""): "".join(p.itertext()) for p in ElementTree.fromstring(xml).iter(_CUSTOM)
                      } if xml else {}
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        cells = {name: book.get_sheet_by_name(name).to_python() for name in sheets if name in book.sheet_names}
    except (zipfile.BadZipFile, ElementTree.ParseError, python_calamine.CalamineError, OSError) as err:
        raise ValueError(str(err)) from err
    return properties, cells
