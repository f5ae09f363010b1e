"""`clausexl rapprocher`: the candidate pool ranked for an offer, with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import au_option, classeur_argument, finish_results, reference_date, verb, workbook_options

if TYPE_CHECKING:
    from ..verbs.rapprocher import Candidats


@click.command("rapprocher")
@classeur_argument
@click.option("--offre", required=True, metavar="ID", help="L'offre (colonne ID de la feuille Offres).")
@au_option
@workbook_options
@verb
def command(classeur: Path, offre: str, au: str | None, as_json: bool, sortie: Path | None, force: bool) -> int:
    """Classe les candidats du vivier pour une offre, avec les raisons (vous décidez qui proposer)."""
    from ..verbs.rapprocher import rapprocher, write_sheet

    result = rapprocher(classeur, offre, reference_date(au))
    return finish_results(result, as_json, print_human, write_sheet, sortie, force)


def print_human(result: Candidats) -> None:
    """The offer, then each candidate with their key and reasons."""
    from ..verbs.rapprocher import key_text, sheet_notes

    for line in sheet_notes(result):
        click.echo(line)
    if not result.result.candidats:
        click.echo("Aucun candidat éligible dans le vivier (statut Repéré ou Orienté).")
    for c in result.result.candidats:
        click.echo(f"\n{c.rang:>3}. {c.prenom} {c.nom} ({c.participant}) — {c.statut} — classement {key_text(c.cle)}")
        for reason in c.raisons:
            click.echo(f"       · {reason}")
