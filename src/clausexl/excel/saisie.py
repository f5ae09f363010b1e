"""« Saisie » group: Vérifier la saisie (valider) and À faire (echeances)."""

from __future__ import annotations

from ..adapters import journal as journal_file
from ..adapters.excel_live import MAX_HIGHLIGHTS, LiveWorkbook
from ..core.due import TABLES as DUE_TABLES
from ..core.exclusion import quality_lines
from ..core.values import DATE, counted
from ..verbs import echeances
from ..verbs.valider import REPORT_HEADERS, report_rows, valider_classeur
from . import common
from .common import anchor, entry_point, left_out

CONTROLES = "Contrôles"


@entry_point
def verifier_saisie(live: LiveWorkbook) -> str:
    """Vérifier la saisie: the `Contrôles` sheet, the offending cells coloured, the counts."""
    rapport = valider_classeur(live.classeur(), live.path, common.today())
    previous = live.rows_below(CONTROLES, REPORT_HEADERS[0])
    summary = f"{rapport.counts} dans {live.path.name}"
    links = [live.link(f.sheet, f.row, f.column, "Aller à la cellule") for f in rapport.findings]
    rows = [[*row[:-1], link] for row, link in zip(report_rows(rapport), links)]
    live.write_sheet(CONTROLES, [[summary], list(REPORT_HEADERS), *rows], header_row=2)
    coloured = live.highlight(rapport.findings, previous)
    if not rapport.findings:
        return "Aucune erreur, aucun avertissement : la saisie est correcte."
    shown = (f"les {MAX_HIGHLIGHTS} premières cellules en cause sont colorées"
             if coloured == MAX_HIGHLIGHTS else counted(coloured, "cellule colorée", "cellules colorées"))
    return (f"{summary}.\n\nLa liste est dans la feuille « {CONTROLES} » (un lien par ligne) ; "
            f"{shown} (rouge : erreur, jaune : avertissement).")


@entry_point
def a_faire(live: LiveWorkbook) -> str:
    """À faire: the `À faire` sheet (echeances), at today's date."""
    result = echeances.echeances_of(live.classeur(DUE_TABLES), common.today(), journal_file.read(anchor(live)))
    title = f"À faire au {DATE.cell(result.au)}"
    notes = [f"{counted(len(result.items), 'action')}.", *quality_lines(result.left_out)]
    rows = [[title], *([n] for n in notes), list(echeances.HEADERS), *echeances.sheet_rows(result)]
    live.write_sheet(echeances.SHEET, rows, header_row=len(notes) + 2)
    if not result.items:
        return f"Rien à faire au {DATE.cell(result.au)}." + left_out(result.left_out)
    kinds = "".join(f"\n• {kind} : {n}" for kind, n in result.counts().items() if n)
    return (f"{counted(len(result.items), 'action')} au {DATE.cell(result.au)} :{kinds}\n\nLa liste, par date, "
            "est dans "
            f"la feuille « {echeances.SHEET} »." + left_out(result.left_out))
