"""`clausexl rapprocher`: the candidate pool ranked for an offer, with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    au_option,
    classeur_argument,
    force_option,
    json_option,
    reference_date,
    report_left_out,
    show,
    sortie_fichier_option,
    verb,
)

if TYPE_CHECKING:
    from ..verbs.rapprocher import Candidats


@click.command("rapprocher")
@classeur_argument
@click.option("--offre", required=True, metavar="ID", help="L'offre (colonne ID de la feuille Offres).")
@au_option
@json_option
@sortie_fichier_option
@force_option
@verb
def command(classeur: Path, offre: str, au: str | None, as_json: bool, sortie: Path | None, force: bool) -> int:
    """Classe les candidats du vivier pour une offre, avec les raisons (vous décidez qui proposer)."""
    from ..verbs.rapprocher import rapprocher, write_sheet

    result = rapprocher(classeur, offre, reference_date(au))
    written = [write_sheet(result, sortie, force)] if sortie else []
    show(result, as_json, print_human, written)
    return report_left_out(result.left_out)


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
