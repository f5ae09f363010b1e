"""The funders' workbook (docs/bilan.md): key figures as sentences, tables, native charts.

Lays out a `core.bilan_report.Summary` with XlsxWriter: a first sheet of key figures, one
sheet per theme (tables, each with its chart below it), and the parameters used. Every sheet
prints on A4 fitted to the page width. Text is always written as text, never as a formula.
Last comes the hidden sheet `Données` (core.funders_layout): the unrounded figures another
program (`consolider`) reads back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.bilan_report import Section, Summary, table_rows
from ..core.funders_layout import COLUMNS, DATA_SHEET, data_rows
from ..core.values import CHANGE, COUNT, DATE, DECIMAL, KINDS, POINTS, SHARE, TEXT, ValueKind
from .output import write_atomic
from .sheet_layout import LINE_HEIGHT, lines
from .xlsx_out import OutSheet, Styles, close_into, sheet_title, workbook_in_memory, write_cell, write_sheet

if TYPE_CHECKING:  # XlsxWriter is imported only when a workbook is written
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

KEY_SHEET = "Chiffres clés"
PARAMS_SHEET = "Paramètres"
A4 = 9
CHART_ROWS = 16
CHART_SIZE = {"width": 560, "height": 300}
WIDTHS = (46, 14, 14, 14, 14)


def write_funders_workbook(path: Path, summary: Summary, figures: Mapping[str, Any], force: bool = False) -> Path:
    """A new .xlsx « Bilan des clauses sociales <année> », written atomically.

    `figures` is the JSON object of `bilan --json` (docs/calculs.md §4): it fills the hidden `Données` sheet.
    """
    return write_atomic(Path(path), lambda tmp: _write(tmp, summary, figures), force)


def _write(path: Path, summary: Summary, figures: Mapping[str, Any]) -> None:
    book = workbook_in_memory()
    book.set_properties({"title": summary.title, "author": "clausexl", "created": dt.datetime(2000, 1, 1)})
    styles = _Styles(book)
    _key_sheet(book, styles, summary)
    by_sheet: dict[str, list[Section]] = {}
    for section in summary.sections:
        by_sheet.setdefault(section.sheet, []).append(section)
    for name, sections in by_sheet.items():
        _section_sheet(book, styles, name, sections)
    _params_sheet(book, styles, summary)
    _data_sheet(book, summary, figures)
    close_into(book, path)


def _data_sheet(book: Workbook, summary: Summary, figures: Mapping[str, Any]) -> None:
    """The hidden `Données` sheet: one row per figure, unrounded, for `consolider` (funders_layout)."""
    params = dict(summary.parameters)
    extraction = params.get("Date d'extraction")
    rows = data_rows(figures, _text(params.get("Structure")), summary.annee, _text(params.get("Territoire")),
                     extraction.isoformat() if isinstance(extraction, dt.date) else None)
    ws = write_sheet(book, Styles(book), OutSheet(DATA_SHEET, COLUMNS, rows[1:],
                                                  widths={"Indicateur": 40, "Libellé": 50}))
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.hide()


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


class _Styles:
    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.subtitle = book.add_format({"italic": True, "font_color": "#595959"})
        self.heading = book.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E79"})
        self.sentence = book.add_format({"text_wrap": True, "valign": "top", "font_size": 11})
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.text = book.add_format({"border": 1})
        self.total_text = book.add_format({"border": 1, "bold": True})
        self.numbers = {k: book.add_format({"num_format": k.excel, "border": 1}) for k in KINDS if k is not TEXT}
        self.totals = {k: book.add_format({"num_format": k.excel, "border": 1, "bold": True})
                       for k in KINDS if k is not TEXT}

    def cell(self, kind: ValueKind, total: bool = False) -> Format:
        if kind == TEXT:
            return self.total_text if total else self.text
        return (self.totals if total else self.numbers)[kind]


def _page_setup(ws: Worksheet, landscape: bool = False) -> None:
    """A4, fitted to the width of the page, page numbers in the footer."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&CPage &P / &N")
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)


def _key_sheet(book: Workbook, st: _Styles, summary: Summary) -> None:
    ws = book.add_worksheet(KEY_SHEET)
    _page_setup(ws)
    params = dict(summary.parameters)
    ws.write_string(0, 0, summary.title, st.title)
    who = " – ".join(str(v) for v in (params.get("Structure"), params.get("Territoire")) if v)
    extraction = params.get("Date d'extraction")
    line = f"Données extraites le {DATE.text(extraction)}" if isinstance(extraction, dt.date) else ""
    ws.write_string(1, 0, " · ".join(t for t in (who, line) if t), st.subtitle)
    row = _quality_block(ws, st, summary, 3) + 1
    ws.write_string(row, 0, f"Les chiffres clés en {summary.annee}", st.heading)
    row += 1
    for sentence in summary.sentences:
        _paragraph(ws, row, sentence, st.sentence)
        row += 1
    row += 1
    headers = ("Indicateur", str(summary.annee), str(summary.annee - 1), "Évolution")
    for col, header in enumerate(headers):
        ws.write_string(row, col, header, st.header)
    ws.repeat_rows(row)
    for figure in summary.figures:
        row += 1
        ws.write_string(row, 0, figure.label, st.text)
        write_cell(ws, row, 1, figure.value, st.cell(figure.kind))
        write_cell(ws, row, 2, figure.previous, st.cell(figure.kind))
        change_format = st.numbers[POINTS if figure.kind == SHARE else CHANGE]
        write_cell(ws, row, 3, figure.change, change_format)
    row += 2
    _paragraph(ws, row, "Évolution : variation relative pour les nombres, écart en points pour les parts ; "
                        "vide quand l'année précédente n'a pas d'heures.", st.note)


def _quality_block(ws: Worksheet, st: _Styles, summary: Summary, row: int) -> int:
    """« Qualité des données » on page 1: a funder reading a bilan built on rows in error is told so.
    Returns the next free row."""
    title, *lines = summary.quality or (("Qualité des données",),)
    ws.write_string(row, 0, str(title[0]), st.heading)
    for line in lines:
        row += 1
        if len(line) > 1:
            ws.write_string(row, 0, str(line[0]), st.text)
            write_cell(ws, row, 1, line[1], st.cell(COUNT))
        else:
            _paragraph(ws, row, str(line[0]), st.sentence)
    return row + 2


def _paragraph(ws: Worksheet, row: int, text: str, fmt: Format) -> None:
    """A sentence or a note wrapped across the sheet's columns, its row as tall as its lines: never cut."""
    ws.merge_range(row, 0, row, len(WIDTHS) - 1, text, fmt)
    ws.set_row(row, paragraph_points(text))


def paragraph_points(text: str) -> float:
    """The height of a row holding `text` wrapped across WIDTHS (sheet_layout.lines), with a little air."""
    return LINE_HEIGHT * lines(text, sum(WIDTHS)) + 4


def _section_sheet(book: Workbook, st: _Styles, name: str, sections: list[Section]) -> None:
    """The tables of one theme, each with its note and chart; a table never starts on one page and ends
    on the next, so every printed table has its header row above it (`page_breaks`)."""
    title = sheet_title(name)
    ws = book.add_worksheet(title)
    _page_setup(ws)
    ws.set_h_pagebreaks(page_breaks(sections, fitted_scale(max(len(s.headers) for s in sections))))
    row = 0
    for section in sections:
        ws.write_string(row, 0, section.title, st.heading)
        row += 1
        header_row = row
        for col, header in enumerate(section.headers):
            ws.write_string(row, col, str(header), st.header)
        body = table_rows(section)
        for values in body:
            row += 1
            is_total = section.total and values is body[-1]
            for col, value in enumerate(values):
                write_cell(ws, row, col, value, st.cell(section.kinds[col], is_total))
        row += 1
        if section.note:
            _paragraph(ws, row, section.note, st.note)
            row += 1
        if section.chart is not None and section.rows:
            last_data = header_row + len(section.rows)
            ws.insert_chart(row + 1, 0, _chart(book, title, section, header_row, last_data),
                            {"x_offset": 4, "y_offset": 4})
            row += CHART_ROWS + 1
        row += 1


#: A4 between the margins of `_page_setup` (points): 8,27" − 2 × 0,5" wide, 11,69" − 2 × 0,6" high.
PRINTABLE_WIDTH, PRINTABLE_HEIGHT = 523.0, 755.0
ROW_POINTS = 15.0
#: Of a page's height, what the layout counts on (the rest absorbs differences between Excel and
#: LibreOffice in fonts and rounding).
SAFE_SHARE = 0.95


def fitted_scale(columns: int) -> int:
    """The scale (%) at which Excel prints `columns` columns of WIDTHS (8,43 beyond) fitted to the page's
    width: how much of the sheet one page holds, for `page_breaks`. (LibreOffice, with its own fonts,
    prints a little smaller: a page holds more, and the breaks still fall between tables.)"""
    widths = [*WIDTHS, *([8.43] * max(0, columns - len(WIDTHS)))][:max(columns, len(WIDTHS))]
    points = sum(int(w * 7 + 5) for w in widths) * 0.75  # Excel: a column of w characters is 7w + 5 pixels
    return max(10, min(100, int(PRINTABLE_WIDTH / max(points, CHART_SIZE["width"] * 0.75) * 100)))


def block_rows(section: Section) -> tuple[int, float]:
    """How many rows a section takes on its sheet (`_section_sheet`'s layout) and their height in points:
    heading, header, body and total, note, chart, the blank row after."""
    body = len(table_rows(section))
    rows, points = 2 + body + 1, (2 + body + 1) * ROW_POINTS
    if section.note:
        rows, points = rows + 1, points + paragraph_points(section.note)
    if section.chart is not None and section.rows:
        rows, points = rows + CHART_ROWS + 1, points + (CHART_ROWS + 1) * ROW_POINTS
    return rows, points


def page_breaks(sections: list[Section], scale: int) -> list[int]:
    """The rows (0-based) that start a new printed page: before each table that would not end on the page
    where it starts. A table taller than a page starts a page and runs on."""
    page = PRINTABLE_HEIGHT * SAFE_SHARE / (scale / 100)
    breaks: list[int] = []
    row, used = 0, 0.0
    for section in sections:
        rows, points = block_rows(section)
        if used and used + points > page:
            breaks.append(row)
            used = 0.0
        row, used = row + rows, used + points
    return breaks


def _chart(book: Workbook, sheet: str, section: Section, header_row: int, last_row: int) -> Any:
    """A native chart over the section's rows (total row excluded)."""
    spec = section.chart
    assert spec is not None  # called only for sections that have a chart
    options: dict[str, Any] = {"type": spec.kind}
    if spec.subtype:
        options["subtype"] = spec.subtype
    chart = book.add_chart(options)
    for col in spec.columns:
        series: dict[str, Any] = {
            "name": [sheet, header_row, col],
            "categories": [sheet, header_row + 1, 0, last_row, 0],
            "values": [sheet, header_row + 1, col, last_row, col],
        }
        if spec.kind == "pie":
            series["data_labels"] = {"percentage": True, "category": False}
        chart.add_series(series)
    chart.set_title({"name": spec.title or section.title, "name_font": {"size": 11}})
    if spec.kind != "pie" and len(spec.columns) == 1:
        chart.set_legend({"none": True})
    else:
        chart.set_legend({"position": "bottom"})
    chart.set_size(CHART_SIZE)
    return chart


def _params_sheet(book: Workbook, st: _Styles, summary: Summary) -> None:
    ws = book.add_worksheet(PARAMS_SHEET)
    _page_setup(ws)
    ws.set_column(1, 1, 40)
    ws.write_string(0, 0, "Paramètres utilisés", st.heading)
    ws.write_string(1, 0, "Paramètre", st.header)
    ws.write_string(1, 1, "Valeur", st.header)
    row = 1
    for name, value in summary.parameters:
        row += 1
        ws.write_string(row, 0, name, st.text)
        fmt = st.numbers[DATE] if isinstance(value, dt.date) else st.numbers[DECIMAL] \
            if isinstance(value, float) else st.text
        write_cell(ws, row, 1, value, fmt)
    row += 2
    ws.write_string(row, 0, "Choix de calcul", st.heading)
    for choice in summary.choices:
        row += 1
        _paragraph(ws, row, choice, st.note)
    row += 2
    _paragraph(ws, row, "Ce classeur ne contient que des agrégats : aucun nom, aucune date de naissance, "
                        "aucune adresse de participant.", st.note)
