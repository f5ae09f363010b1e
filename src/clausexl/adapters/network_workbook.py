"""Funders' workbooks read back (their hidden `Données` sheet) and the network's workbook written.

Only the `Données` sheet of each file is opened: the figures travel, nothing else does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import python_calamine as calamine

from ..core.consolidation import ConsolidationRefused, Line, Network, quality_sentence, yes_count
from ..core.funders_layout import (
    COLUMNS,
    DATA_SHEET,
    FORMAT_VERSION,
    INFO_LABELS,
    KIND_OF_TYPE,
    PRODUCER_CONSOLIDER,
    FundersData,
    LayoutError,
    parse_data_rows,
)
from ..core.text import fold
from ..core.values import counted
from .output import write_atomic
from .sheet_layout import row_height
from .workbook_reader import open_workbook, refuse_far_cells
from .xlsx_out import OutSheet, Styles, close_into, workbook_in_memory, write_cell, write_sheet

if TYPE_CHECKING:  # XlsxWriter is imported only when a workbook is written
    from xlsxwriter.workbook import Workbook

TOTAL = "Total réseau"


def read_funders(path: Path) -> FundersData:
    """The figures of one funders' workbook; a file without a valid `Données` sheet is refused."""
    path = Path(path)
    book = open_workbook(path)
    try:
        sheets = {fold(s): s for s in book.sheet_names}
        refuse_far_cells(path, {sheets[fold(DATA_SHEET)]} if fold(DATA_SHEET) in sheets else set())
        if fold(DATA_SHEET) not in sheets:
            raise ConsolidationRefused(
                f"Le fichier « {path.name} » n'a pas de feuille « {DATA_SHEET} » : ce n'est pas un classeur des "
                "financeurs produit par clausexl bilan."
            )
        rows = book.get_sheet_by_name(sheets[fold(DATA_SHEET)]).to_python(skip_empty_area=False)
    except calamine.CalamineError as err:
        raise ConsolidationRefused(f"Le fichier « {path.name} » ne peut pas être lu (fichier endommagé).") from err
    finally:
        book.close()
    try:
        return parse_data_rows(rows, path.name)
    except LayoutError as err:
        raise ConsolidationRefused(str(err)) from err


def write_network(network: Network, datasets: list[FundersData], destination: Path, force: bool = False) -> Path:
    """A new workbook: the key figures by structure and for the network, the structures, the data sheet."""
    return write_atomic(Path(destination), lambda tmp: _write(tmp, network, datasets), force)


def _write(path: Path, network: Network, datasets: list[FundersData]) -> None:
    book = workbook_in_memory()
    book.set_properties({"title": f"Bilan des clauses sociales {network.year} — réseau",
                         "comments": PRODUCER_CONSOLIDER})
    styles = Styles(book)
    _key_figures(book, styles, network)
    write_sheet(book, styles, OutSheet(
        "Structures", ("Structure", "Fichier", "Territoire", "Date d'extraction"),
        [[name, source, d.territory, d.extraction]
         for name, source, d in zip(network.structures, network.sources, datasets)],
        title=f"Structures consolidées ({len(datasets)})", widths={"Structure": 36, "Fichier": 36}))
    data = write_sheet(book, styles, OutSheet(DATA_SHEET, COLUMNS, data_rows(network)))
    data.hide()
    close_into(book, path)


def data_rows(network: Network) -> list[list[object]]:
    """The network's own `Données` rows (producer `clausexl consolider`), totals as values."""
    info: list[list[object]] = [
        ["_producteur", INFO_LABELS["_producteur"], PRODUCER_CONSOLIDER, "info", None, None],
        ["_format", INFO_LABELS["_format"], FORMAT_VERSION, "info", None, None],
        ["_annee", INFO_LABELS["_annee"], network.year, "info", None, None],
        ["_structure", INFO_LABELS["_structure"], f"Réseau ({len(network.structures)} structures)", "info", None, None],
    ]
    return info + [[ln.key, ln.label, ln.total, ln.type, ln.numerator, ln.denominator] for ln in network.lines]


#: The width of a structure's column on the key figures: its name wraps inside, on as many lines as it needs.
STRUCTURE_WIDTH = 22.0


def _key_figures(book: Workbook, styles: Styles, network: Network) -> None:
    ws = book.add_worksheet("Chiffres clés")
    ws.write_string(0, 0, f"Bilan des clauses sociales {network.year} — réseau de "
                          f"{counted(len(network.structures), 'structure')}", styles.title)
    ws.write_string(1, 0, "Comptes et heures additionnés ; chaque part est recalculée : somme des numérateurs "
                          "÷ somme des dénominateurs.", styles.note)
    ws.write_string(2, 0, "Chiffres agrégés seulement : aucune donnée personnelle.", styles.note)
    headers = ["Indicateur", *network.structures, TOTAL]
    widths = [48.0, *(STRUCTURE_WIDTH for _ in network.structures), 16.0]
    for i, text in enumerate([quality_sentence(network), *network.alerts], start=3):
        _wrapped_note(ws, styles, i, text, widths)  # on the table's width: the page stays the table's
    header_row = 4 + len(network.alerts)
    for c, (header, width) in enumerate(zip(headers, widths)):
        ws.write_string(header_row, c, header, styles.header)
        ws.set_column(c, c, width)
    height = row_height(list(zip(headers, widths)))  # a structure's long name wraps, whole
    if height:
        ws.set_row(header_row, height)
    section_style = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    row, section = header_row + 1, None
    for line in network.lines:
        top = line.key.split(".")[0]
        if "." in line.key and top != section:
            ws.write_string(row, 0, line.label.split(" — ")[0], section_style)
            row += 1
        section = top if "." in line.key else None
        label = line.label.split(" — ", 1)[1] if "." in line.key and " — " in line.label else line.label
        ws.write_string(row, 0, label)
        fmt = styles.number(KIND_OF_TYPE.get(line.type))
        for c, value in enumerate((*line.values, line.total), start=1):
            _figure(ws, row, c, line, value, fmt, is_total=c == len(headers) - 1)
        row += 1
    ws.freeze_panes(header_row + 1, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)


def _wrapped_note(ws: Any, styles: Styles, row: int, text: str, widths: list[float]) -> None:
    """A note merged across the table's columns, wrapped, its row as tall as its lines."""
    ws.merge_range(row, 0, row, len(widths) - 1, text, styles.wrapped_note)
    height = row_height([(text, sum(widths))])
    if height:
        ws.set_row(row, height)


def _figure(ws: Any, row: int, col: int, line: Line, value: float | None, fmt: Any, is_total: bool) -> None:
    if line.type == "oui_non":
        text = None if value is None else ("Oui" if value else "Non")
        if is_total and value is None and any(v is not None for v in line.values):
            text = yes_count(line)
        write_cell(ws, row, col, text)
        return
    write_cell(ws, row, col, value, fmt)
