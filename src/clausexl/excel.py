"""The ribbon's entry points: one function per button of `core/buttons.py`, run by RunPython.

Glue only: take the caller's workbook, read the tables the verb needs, call the same library
function as the CLI, write the result sheet, show a message. `xw.Book.caller()` appears nowhere
else. Every error ends as a French message box; its traceback goes to `clausexl.log` beside the
workbook. The number of Excel calls of each button is in docs/excel.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import xlwings as xw

from .adapters.excel_live import MAX_HIGHLIGHTS, LiveWorkbook
from .core.buttons import BUTTONS
from .core.errors import ClausexlError
from .verbs.valider import REPORT_HEADERS, report_rows, valider_classeur

CONTROLES = "Contrôles"
_LABELS = {b.function: b.label for b in BUTTONS}
_VERBS = {b.function: b.verb for b in BUTTONS}


def entry_point(run: Callable[[LiveWorkbook], str]) -> Callable[[], None]:
    """Run `run` on the caller's workbook and show its message, or the error in French."""

    @functools.wraps(run)
    def entry() -> None:
        live = LiveWorkbook(xw.Book.caller())
        label = _LABELS[run.__name__]
        try:
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


def _not_wired(live: LiveWorkbook, function: str) -> str:
    """Buttons whose verb has not landed in this version: say how to get the result meanwhile."""
    raise ClausexlError(
        f"Le bouton « {_LABELS[function]} » n'est pas encore relié dans cette version de clausexl : "
        f"lancez « clausexl {_VERBS[function]} » sur le classeur en attendant."
    )


@entry_point
def a_faire(live: LiveWorkbook) -> str:
    """À faire: the `À faire` sheet (echeances)."""
    return _not_wired(live, "a_faire")


@entry_point
def calculer_heures(live: LiveWorkbook) -> str:
    """Calculer les heures: the `Tableau de bord` sheet (heures)."""
    return _not_wired(live, "calculer_heures")


@entry_point
def rediger_clause(live: LiveWorkbook) -> str:
    """Rédiger la clause: the clause of the market on the selected row (clause)."""
    return _not_wired(live, "rediger_clause")


@entry_point
def courriers_suivi(live: LiveWorkbook) -> str:
    """Courriers de suivi: statements and reminders for the month of `Mois de suivi` (courriers)."""
    return _not_wired(live, "courriers_suivi")


@entry_point
def attestations(live: LiveWorkbook) -> str:
    """Attestations: certificates of the finished markets (attestations)."""
    return _not_wired(live, "attestations")


@entry_point
def proposer_candidats(live: LiveWorkbook) -> str:
    """Proposer des candidats: the ranked pool for the offer on the selected row (rapprocher)."""
    return _not_wired(live, "proposer_candidats")


@entry_point
def diffuser_offre(live: LiveWorkbook) -> str:
    """Diffuser l'offre: letters and e-mails for the offer on the selected row (offres)."""
    return _not_wired(live, "diffuser_offre")


@entry_point
def synthese_annee(live: LiveWorkbook) -> str:
    """Synthèse de l'année: the `Synthèse <année>` sheet and the funders' workbook (bilan)."""
    return _not_wired(live, "synthese_annee")


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
                 "feuilles Contrôles, À faire, Tableau de bord, Synthèse, ou en fichiers dans le dossier "
                 "de sortie (paramètre « Dossier de sortie », sinon le dossier « sorties » à côté du classeur).")
    lines.append(f"En cas d'erreur, le détail est écrit dans {live.folder / 'clausexl.log'}.")
    return "\n".join(lines)
