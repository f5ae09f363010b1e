"""« Bilan » group: Synthèse de l'année (bilan): the summary sheet and the funders' workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..adapters.excel_live import LiveChart, LiveWorkbook
from ..core.bilan_report import Section
from ..core.indicators import TABLES as BILAN_TABLES
from ..verbs.bilan import bilan_classeur, check_year, synthese_rows, synthese_sheet_name, write_funders
from ..verbs.documents import free_path, output_folder
from . import common
from .common import anchor, entry_point, left_out, rows_after

#: The funders' workbook is `Bilan des clauses sociales <année>.xlsx` in the output folder (as in the demo).
FUNDERS_STEM = "Bilan des clauses sociales"
#: The funders' workbook's chart kinds (XlsxWriter type, subtype) as xlwings chart types.
CHART_TYPES = {("column", None): "column_clustered", ("column", "stacked"): "column_stacked",
               ("bar", None): "bar_clustered", ("bar", "stacked"): "bar_stacked", ("pie", None): "pie"}
#: Charts two by two right of the tables, each taking this many rows and columns.
CHART_ROWS, CHART_COLUMNS = 18, 9


@entry_point
def synthese_annee(live: LiveWorkbook) -> str:
    """Synthèse de l'année: the `Synthèse <année>` sheet and the funders' workbook (bilan)."""
    c = live.classeur(BILAN_TABLES)
    today = common.today()
    given = c.params.get("annee_bilan")
    annee = int(given) if given is not None and not pd.isna(given) else today.year
    check_year(annee, "le paramètre « Année du bilan »")
    result = bilan_classeur(c, live.path, annee, today)
    rows = synthese_rows(result)
    sheet = synthese_sheet_name(annee)
    titles = tuple(section.title for section in result.summary.sections)
    headers = {i + 1 for i, r in enumerate(rows) if r[0] == "Indicateur"} | set(rows_after(rows, titles))
    live.write_sheet(sheet, rows, header_row=sorted(headers))
    live.replace_charts(sheet, section_charts(result.summary.sections, rows))
    funders = write_funders(result, free_path(output_folder(anchor(live), c, None) / f"{FUNDERS_STEM} {annee}.xlsx"))
    return (f"Bilan {annee} : la feuille « {sheet} » est à jour.\n\nLe classeur des financeurs (chiffres "
            f"agrégés, sans données personnelles) est écrit : {funders}" + "".join(f"\n\n{w}" for w in result.warnings)
            + left_out(result.left_out))


def section_charts(sections: Sequence[Section], rows: list[list[Any]]) -> list[LiveChart]:
    """The charts of the funders' workbook (same sections, kinds and titles), over the sheet's tables.

    A section's chart covers its label column and value columns 1..n (the core declares them
    contiguous), from its header row down to its last row, the total row left out. The charts
    stand in a grid of two columns right of the tables, in the order of the sections.
    """
    width = len(rows[0]) if rows else 1
    charts: list[LiveChart] = []
    at = 0
    for section in sections:  # in sheet order: each title is looked for after the previous one
        at = next(i for i in range(at, len(rows)) if rows[i] and rows[i][0] == section.title)
        header = at + 2
        spec = section.chart
        if spec is None or not section.rows:
            continue
        position = len(charts)
        charts.append(LiveChart(
            spec.title or section.title, CHART_TYPES[(spec.kind, spec.subtype)],
            (header, 1, header + len(section.rows), 1 + max(spec.columns)),
            (1 + (position // 2) * CHART_ROWS, width + 2 + (position % 2) * CHART_COLUMNS)))
    return charts
