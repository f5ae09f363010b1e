"""The ribbon's entry points: one function per button of `core/buttons.py`, run by RunPython.

Glue only: take the caller's workbook, read the tables the verb needs, call the same library
function as the CLI, write the result sheet, show a message. `xw.Book.caller()` appears nowhere
else. Every error ends as a French message box; its traceback goes to `clausexl.log` beside the
workbook. The number of Excel calls of each button is in docs/excel.md.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import xlwings as xw

from .adapters import french
from .adapters.excel_live import MAX_HIGHLIGHTS, LiveWorkbook
from .adapters.output import protecting_inputs
from .core.bilan_report import fr_decimal
from .core.buttons import BUTTONS
from .core.classeur import Classeur
from .core.contexts.clause import TABLES as CLAUSE_TABLES
from .core.contexts.offres import TABLES as OFFRES_TABLES
from .core.contexts.suivi import TABLES as SUIVI_TABLES
from .core.due import TABLES as DUE_TABLES
from .core.errors import ClausexlError, UnknownItem
from .core.indicators import TABLES as BILAN_TABLES
from .core.matching import TABLES as MATCHING_TABLES
from .verbs.attestations import attestations_classeur
from .verbs.bilan import bilan_classeur, check_year, synthese_rows, synthese_sheet_name, write_funders
from .verbs.clause import clause_classeur
from .verbs.courriers import courriers_classeur, default_month
from .verbs import echeances, rapprocher
from .verbs.documents import Documents, free_path, output_folder
from .verbs.heures import TABLES as HEURES_TABLES
from .verbs.heures import heures_classeur, tableau_de_bord_rows
from .verbs.offres import offres_classeur
from .verbs.valider import REPORT_HEADERS, report_rows, valider_classeur

CONTROLES = "Contrôles"
TABLEAU_DE_BORD = "Tableau de bord"
DASHBOARD_SECTIONS = ("Par marché", "Par entreprise attributaire")
#: The funders' workbook is `Bilan des clauses sociales <année>.xlsx` in the output folder (as in the demo).
FUNDERS_STEM = "Bilan des clauses sociales"
_LABELS = {b.function: b.label for b in BUTTONS}


def entry_point(run: Callable[[LiveWorkbook], str]) -> Callable[[], None]:
    """Run `run` on the caller's workbook and show its message, or the error in French."""

    @functools.wraps(run)
    def entry() -> None:
        live = LiveWorkbook(xw.Book.caller())
        label = _LABELS[run.__name__]
        try:
            with protecting_inputs(live.path):  # the open workbook is never written over
                message = run(live)
        except ClausexlError as err:
            live.log_error(label)
            live.alert(f"{err}", error=True)
        except Exception as err:  # noqa: BLE001 - the edge: never a traceback in front of the user
            log = live.log_error(label)
            live.alert(
                f"« {label} » s'est arrêté sur une erreur inattendue ({type(err).__name__} : {err}).\n\n"
                f"Le détail est dans le fichier {log} : transmettez-le à la personne qui a installé clausexl.",
                error=True,
            )
        else:
            live.alert(message)

    return entry


@entry_point
def verifier_saisie(live: LiveWorkbook) -> str:
    """Vérifier la saisie: the `Contrôles` sheet, the offending cells coloured, the counts."""
    rapport = valider_classeur(live.classeur(), live.path)
    previous = live.rows_below(CONTROLES, REPORT_HEADERS[0])
    summary = f"{rapport.errors} erreur(s), {rapport.warnings} avertissement(s) dans {live.path.name}"
    links = [live.link(f.sheet, f.row, f.column, "Aller à la cellule") for f in rapport.findings]
    rows = [row[:-1] + [link] for row, link in zip(report_rows(rapport), links)]
    live.write_sheet(CONTROLES, [[summary], list(REPORT_HEADERS), *rows], header_row=2)
    coloured = live.highlight(rapport.findings, previous)
    if not rapport.findings:
        return "Aucune erreur, aucun avertissement : la saisie est correcte."
    shown = (f"les {MAX_HIGHLIGHTS} premières cellules en cause sont colorées"
             if coloured == MAX_HIGHLIGHTS else f"{coloured} cellule(s) colorée(s)")
    return (f"{summary}.\n\nLa liste est dans la feuille « {CONTROLES} » (un lien par ligne) ; "
            f"{shown} (rouge : erreur, jaune : avertissement).")


def today() -> dt.date:
    """The reference date of every button (a function, so tests can fix it)."""
    return dt.date.today()


def anchor(live: LiveWorkbook) -> Path:
    """Where the workbook stands for the output and templates folders (its local folder, else home)."""
    return live.folder / live.path.name


def selected_id(live: LiveWorkbook, c: Classeur, table: str, label: str) -> str:
    """The ID on the row the user selected in `table`; otherwise say what to select."""
    row = live.selected_row(table, label)
    frame = c[table]
    ids = frame.loc[frame["_ligne"] == row, "id"]
    if ids.empty or not isinstance(ids.iloc[0], str) or not ids.iloc[0].strip():
        raise UnknownItem(f"La ligne {row} de la feuille « {c.sheet(table)} » n'a pas d'identifiant (colonne ID) : "
                          f"complétez-la ou sélectionnez une autre ligne, puis cliquez de nouveau sur « {label} ».")
    return ids.iloc[0].strip()


def left_out(rejected: int) -> str:
    """The closing sentence when rows were left out of the computation."""
    if not rejected:
        return ""
    return (f"\n\n{rejected} ligne(s) du classeur laissée(s) de côté (valeur obligatoire manquante ou illisible) : "
            "« Vérifier la saisie » les liste.")


def documents_message(result: Documents, what: str) -> str:
    """How many files were written and where, the warnings, the rows left out."""
    folders = sorted({str(p.parent) for p in result.fichiers})
    if result.fichiers:
        text = f"{what} : {len(result.fichiers)} fichier(s) écrit(s) dans le dossier {', '.join(folders)}."
    else:
        text = f"{what} : aucun fichier écrit."
    warnings = "".join(f"\n• {w}" for w in result.avertissements)
    return text + (f"\n\nÀ noter :{warnings}" if warnings else "") + left_out(result.lignes_ignorees)


@entry_point
def a_faire(live: LiveWorkbook) -> str:
    """À faire: the `À faire` sheet (echeances), at today's date."""
    result = echeances.echeances_of(live.classeur(DUE_TABLES), today())
    title = f"À faire au {result.au:%d/%m/%Y}"
    rows = [[title], [f"{len(result.items)} action(s)."], list(echeances.HEADERS), *echeances.sheet_rows(result)]
    live.write_sheet(echeances.SHEET, rows, header_row=3)
    if not result.items:
        return f"Rien à faire au {result.au:%d/%m/%Y}." + left_out(result.rejected)
    kinds = "".join(f"\n• {kind} : {n}" for kind, n in result.counts().items() if n)
    return (f"{len(result.items)} action(s) au {result.au:%d/%m/%Y} :{kinds}\n\nLa liste, par date, est dans "
            f"la feuille « {echeances.SHEET} »." + left_out(result.rejected))


@entry_point
def calculer_heures(live: LiveWorkbook) -> str:
    """Calculer les heures: the `Tableau de bord` sheet (heures), at today's date."""
    result = heures_classeur(live.classeur(HEURES_TABLES), live.path, today())
    rows = tableau_de_bord_rows(result)
    live.write_sheet(TABLEAU_DE_BORD, rows, header_row=_rows_after(rows, DASHBOARD_SECTIONS))
    markets = result.views.marches
    late = int(markets["en_retard"].fillna(False).astype(bool).sum())
    done = fr_decimal(float(markets["heures_realisees"].fillna(0).sum()), 1)
    return (f"{len(markets)} marché(s) au {result.views.au:%d/%m/%Y} : {done} heures réalisées, {late} marché(s) "
            f"en retard.\n\nLe détail par marché et par entreprise est dans la feuille « {TABLEAU_DE_BORD} »."
            + left_out(result.rejected))


@entry_point
def rediger_clause(live: LiveWorkbook) -> str:
    """Rédiger la clause: the clause of the market on the selected row (clause)."""
    c = live.classeur(CLAUSE_TABLES)
    marche = selected_id(live, c, "T_Marches", _LABELS["rediger_clause"])
    result = clause_classeur(c, anchor(live), marche, today=today(), rename_clashes=True)
    return documents_message(result, f"Clause du marché {marche}")


@entry_point
def courriers_suivi(live: LiveWorkbook) -> str:
    """Courriers de suivi: statements and reminders for the month of `Mois de suivi`, else the previous month."""
    c = live.classeur(SUIVI_TABLES)
    result = courriers_classeur(c, anchor(live), today=today(), rename_clashes=True)
    mois = default_month(c.params, today())
    counts = f"{result.extra['releves']} relevé(s), {result.extra['relances']} relance(s)"
    return documents_message(result, f"Courriers de suivi de {french.mois(mois)} ({counts})")


@entry_point
def attestations(live: LiveWorkbook) -> str:
    """Attestations: certificates of the finished markets (attestations)."""
    result = attestations_classeur(live.classeur(SUIVI_TABLES), anchor(live), today=today(), rename_clashes=True)
    return documents_message(result, "Attestations de fin de clause")


@entry_point
def proposer_candidats(live: LiveWorkbook) -> str:
    """Proposer des candidats: the ranked pool for the offer on the selected row (rapprocher)."""
    c = live.classeur(MATCHING_TABLES)
    offre = selected_id(live, c, "T_Offres", _LABELS["proposer_candidats"])
    result = rapprocher.rapprocher_of(c, offre, today())
    notes = rapprocher.sheet_notes(result)
    title = f"Candidats pour l'offre {offre} au {result.result.au:%d/%m/%Y}"
    rows = [[title], *([n] for n in notes), list(rapprocher.HEADERS), *rapprocher.sheet_rows(result)]
    live.write_sheet(rapprocher.SHEET, rows, header_row=len(notes) + 2)
    ranked, aside = len(result.result.candidats), len(result.result.ecartes)
    return (f"Offre {offre} : {ranked} candidat(s) classé(s), {aside} écarté(s) avec leur raison.\n\n"
            f"Le classement et ses raisons sont dans la feuille « {rapprocher.SHEET} » : une aide à la décision, "
            "c'est vous qui choisissez qui proposer." + left_out(result.rejected))


@entry_point
def diffuser_offre(live: LiveWorkbook) -> str:
    """Diffuser l'offre: letters and e-mails for the offer on the selected row (offres), not sent."""
    c = live.classeur(OFFRES_TABLES)
    offre = selected_id(live, c, "T_Offres", _LABELS["diffuser_offre"])
    result = offres_classeur(c, anchor(live), offre, today=today(), rename_clashes=True)
    return documents_message(result, f"Offre {offre} ({result.extra['partenaires']} partenaire(s))")


@entry_point
def synthese_annee(live: LiveWorkbook) -> str:
    """Synthèse de l'année: the `Synthèse <année>` sheet and the funders' workbook (bilan)."""
    c = live.classeur(BILAN_TABLES)
    given = c.params.get("annee_bilan")
    annee = int(given) if given is not None and not pd.isna(given) else today().year
    check_year(annee, "le paramètre « Année du bilan »")
    result = bilan_classeur(c, live.path, annee, today())
    rows = synthese_rows(result)
    sheet = synthese_sheet_name(annee)
    titles = tuple(section.title for section in result.summary.sections)
    headers = {i + 1 for i, r in enumerate(rows) if r[0] == "Indicateur"} | set(_rows_after(rows, titles))
    live.write_sheet(sheet, rows, header_row=sorted(headers))
    funders = write_funders(result, free_path(output_folder(anchor(live), c, None) / f"{FUNDERS_STEM} {annee}.xlsx"))
    return (f"Bilan {annee} : la feuille « {sheet} » est à jour.\n\nLe classeur des financeurs (chiffres "
            f"agrégés, sans données personnelles) est écrit : {funders}" + left_out(result.rejected))


def _rows_after(rows: list[list[Any]], labels: tuple[str, ...]) -> list[int]:
    """Excel rows of the header lines that follow the section titles `labels`."""
    return [i + 2 for i, r in enumerate(rows) if r and r[0] in labels]


@entry_point
def guide(live: LiveWorkbook) -> str:
    """Guide: what each button does, in one message box."""
    from .core.buttons import groups

    lines = ["L'onglet « Clauses sociales » :"]
    for group in groups():
        labels = ", ".join(f"« {b.label} »" for b in BUTTONS if b.group == group)
        lines.append(f"• {group} : {labels}")
    lines.append("")
    lines.append("Chaque bouton lit le classeur ouvert sans modifier vos saisies : les résultats vont dans les "
                 "feuilles Contrôles, À faire, Tableau de bord, Candidats, Synthèse, ou en fichiers dans le dossier "
                 "de sortie (paramètre « Dossier de sortie », sinon le dossier « sorties » à côté du classeur).")
    lines.append(f"En cas d'erreur, le détail est écrit dans {live.folder / 'clausexl.log'}.")
    return "\n".join(lines)
