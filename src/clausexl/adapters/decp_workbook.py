"""The DECP review workbook: output sheets (xlsx_out) plus native charts over some of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from .output import write_atomic
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


def write_with_charts(path: Path, sheets: Sequence[OutSheet], charts: Sequence[Chart], force: bool = False) -> Path:
    """A new .xlsx holding `sheets` and, beside the named ones, their charts; written atomically."""
    def write(tmp: Path) -> None:
        book = workbook_in_memory()
        book.set_properties({"created": dt.datetime(2000, 1, 1)})
        styles = Styles(book)
        for spec in sheets:
            ws = write_sheet(book, styles, spec)
            for chart in (c for c in charts if c.sheet == spec.name):
                header_row = (1 if spec.title else 0) + len(spec.notes)
                header_row += 1 if header_row else 0
                ws.insert_chart(header_row + len(spec.rows) + 2, 0, _chart(book, spec, chart, header_row),
                                {"x_scale": 2.2, "y_scale": 1.4})
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
                     "line": {"color": "#C00000", "dash_type": "dash"}, "marker": {"type": "none"}})
    bars.combine(line)
    bars.set_title({"name": chart.title, "name_font": {"size": 11}})
    bars.set_y_axis({"num_format": "0 %", "min": 0})
    bars.set_legend({"position": "bottom"})
    return bars
