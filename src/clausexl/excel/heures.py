"""« Heures » group: Calculer les heures (heures)."""

from __future__ import annotations

from ..adapters.excel_live import LiveWorkbook
from ..core.values import DATE, HOURS, counted
from ..verbs.heures import TABLES as HEURES_TABLES
from ..verbs.heures import heures_classeur, tableau_de_bord_rows
from . import common
from .common import entry_point, left_out, rows_after

TABLEAU_DE_BORD = "Tableau de bord"
DASHBOARD_SECTIONS = ("Par marché", "Par entreprise attributaire")


@entry_point
def calculer_heures(live: LiveWorkbook) -> str:
    """Calculer les heures: the `Tableau de bord` sheet (heures), at today's date."""
    result = heures_classeur(live.classeur(HEURES_TABLES), live.path, common.today())
    rows = tableau_de_bord_rows(result)
    live.write_sheet(TABLEAU_DE_BORD, rows, header_row=rows_after(rows, DASHBOARD_SECTIONS))
    markets = result.views.marches
    late = int(markets["en_retard"].fillna(False).astype(bool).sum())
    done = HOURS.bare(float(markets["heures_realisees"].fillna(0).sum()))
    return (f"{counted(len(markets), 'marché')} au {DATE.cell(result.views.au)} : {done} heures réalisées, "
            f"{counted(late, 'marché')} en retard.\n\nLe détail par marché et par entreprise est dans la feuille "
            f"« {TABLEAU_DE_BORD} »."
            + left_out(result.rejected))
