"""« Bilan » group: Synthèse de l'année (bilan): the summary sheet and the funders' workbook."""

from __future__ import annotations

import pandas as pd

from ..adapters.excel_live import LiveWorkbook
from ..core.indicators import TABLES as BILAN_TABLES
from ..verbs.bilan import bilan_classeur, check_year, synthese_rows, synthese_sheet_name, write_funders
from ..verbs.documents import free_path, output_folder
from . import common
from .common import anchor, entry_point, left_out, rows_after

#: The funders' workbook is `Bilan des clauses sociales <année>.xlsx` in the output folder (as in the demo).
FUNDERS_STEM = "Bilan des clauses sociales"


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
    funders = write_funders(result, free_path(output_folder(anchor(live), c, None) / f"{FUNDERS_STEM} {annee}.xlsx"))
    return (f"Bilan {annee} : la feuille « {sheet} » est à jour.\n\nLe classeur des financeurs (chiffres "
            f"agrégés, sans données personnelles) est écrit : {funders}" + left_out(result.rejected))
