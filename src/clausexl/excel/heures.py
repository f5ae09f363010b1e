"""« Heures » group: Calculer les heures (heures): the dashboard sheet and its two charts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..adapters.excel_live import LiveChart, LiveWorkbook
from ..core.classeur import Classeur
from ..core.hours_views import market_curve
from ..core.values import DATE, HOURS, MONTH, counted
from ..verbs.heures import TABLES as HEURES_TABLES
from ..verbs.heures import Heures, heures_classeur, tableau_de_bord_rows
from . import common
from .common import entry_point, left_out, rows_after

TABLEAU_DE_BORD = "Tableau de bord"
DASHBOARD_SECTIONS = ("Par marché", "Par entreprise attributaire")
MONTHS = "Heures par mois"
MONTH_FORMAT = MONTH.excel
#: Room the two charts take above the tables: rows, and columns each (CHART_SIZE of excel_live).
CHART_ROWS = 18
CHART_COLUMNS = 9


@entry_point
def calculer_heures(live: LiveWorkbook) -> str:
    """Calculer les heures: the `Tableau de bord` sheet (heures) at today's date, with its charts."""
    c = live.classeur(HEURES_TABLES)
    result = heures_classeur(c, live.path, common.today())
    markets = result.views.marches
    chosen = chosen_market(live, c, markets)
    curve = market_curve(c, markets.loc[chosen], result.views.au) if chosen is not None else None
    rows = tableau_de_bord_rows(result)
    charts_at = make_room_for_charts(rows)
    headers = rows_after(rows, DASHBOARD_SECTIONS)
    market_id = None if chosen is None else str(markets.at[chosen, "id"])
    charts, block_headers, month_cells = chart_blocks(rows, result, curve, charts_at, market_id)
    live.write_sheet(TABLEAU_DE_BORD, rows, header_row=headers + block_headers)
    for first, last in month_cells:
        live.number_format(TABLEAU_DE_BORD, first, last, MONTH_FORMAT)
    live.replace_charts(TABLEAU_DE_BORD, charts)
    late = int(markets["en_retard"].fillna(False).astype(bool).sum())
    done = HOURS.bare(float(markets["heures_realisees"].fillna(0).sum()))
    shown = (f"\n\nLa courbe montre le marché {market_id} (sélectionnez une ligne de la feuille "
             "Marchés avant de cliquer pour en voir un autre)." if chosen is not None else "")
    return (f"{counted(len(markets), 'marché')} au {DATE.cell(result.views.au)} : {done} heures réalisées, "
            f"{counted(late, 'marché')} en retard.\n\nLe détail par marché et par entreprise est dans la feuille "
            f"« {TABLEAU_DE_BORD} »." + shown + "".join(f"\n\n{w}" for w in result.warnings)
            + left_out(result.left_out))


def chosen_market(live: LiveWorkbook, c: Classeur, markets: pd.DataFrame) -> Any:
    """The dashboard row of the market selected in `Marchés`, else the first one (late first)."""
    if markets.empty:
        return None
    row = live.selection_in("T_Marches")
    if row is not None:
        frame = c["T_Marches"]
        ids = frame.loc[frame["_ligne"] == row, "id"]
        found = markets.index[markets["id"] == ids.iloc[0]] if not ids.empty else []
        if len(found):
            return found[0]
    return markets.index[0]


def make_room_for_charts(rows: list[list[Any]]) -> int:
    """Empty rows above the first table, where the charts sit (seen first); their first Excel row."""
    at = next(i for i, r in enumerate(rows) if r and r[0] == DASHBOARD_SECTIONS[0])
    width = len(rows[0])
    rows[at:at] = [[None] * width for _ in range(CHART_ROWS)]
    return at + 1


Cells = tuple[tuple[int, int], tuple[int, int]]


def chart_blocks(rows: list[list[Any]], result: Heures, curve: pd.DataFrame | None, charts_at: int,
                 market: str | None) -> tuple[list[LiveChart], list[int], list[Cells]]:
    """Append the charts' data under the dashboard (`rows` grows); the charts, header rows, month cells.

    Two blocks: hours per month (every market), then the chosen market's running total of the hours
    that count (its QPV residents' on an NPNRU market) against its expected hours. The charts sit
    side by side in the empty rows left above the tables. The month column has no header: an empty
    top-left cell is what tells Excel that the first column holds the categories (the months, as
    dates) and not a series.
    """
    width = len(rows[0])
    charts: list[LiveChart] = []
    header_rows: list[int] = []
    months: list[Cells] = []

    def block(title: str, headers: list[str | None], body: list[list[Any]], kind: str, column: int) -> None:
        rows.extend([[None] * width, [title] + [None] * (width - 1), headers + [None] * (width - len(headers))])
        header = len(rows)
        header_rows.append(header)
        rows.extend(r + [None] * (width - len(r)) for r in body)
        if body:
            charts.append(LiveChart(title, kind, (header, 1, len(rows), len(headers)), (charts_at, column)))
            months.append(((header + 1, 1), (len(rows), 1)))

    per_month = result.views.mois
    block(MONTHS, [None, "Heures réalisées"],
          [[pd.Timestamp(f"{m}-01").date(), float(h)] for m, h in zip(per_month["mois"], per_month["heures"])],
          "column_clustered", 1)
    if curve is not None:
        npnru = market is not None and bool(result.views.marches.set_index("id")["npnru"].fillna(False).get(market))
        counted_label = "Heures des habitants des QPV" if npnru else "Heures réalisées"
        block(f"Marché {market} : heures réalisées et attendues (cumul)",
              [None, f"{counted_label} (cumul)", "Heures attendues (cumul)"],
              [[m.date(), float(done), round(float(expected), 1)]
               for m, done, expected in zip(curve["mois"], curve["heures_cumulees"], curve["heures_attendues"])],
              "line_markers", 1 + CHART_COLUMNS)
    return charts, header_rows, months
