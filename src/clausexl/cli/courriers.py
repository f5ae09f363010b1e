"""`clausexl courriers`: monthly statements and reminders, or the yearly bilan to each buyer."""

from __future__ import annotations

from pathlib import Path

import click

from .common import classeur_argument, document_options, parse_month_option, reference_date, sortie_dossier_option, verb
from .documents import finish, progress_bar


@click.command("courriers")
@classeur_argument
@click.option("--mois", metavar="AAAA-MM",
              help="Le mois des relevés et relances (défaut : paramètre « Mois de suivi », sinon le mois précédent).")
@click.option("--annee", type=int, metavar="N", help="Les bilans de l'année N à chaque donneur d'ordre.")
@sortie_dossier_option
@document_options
@verb
def command(classeur: Path, mois: str | None, annee: int | None, sortie: Path | None, modeles: Path | None,
            pdf: bool, au: str | None, force: bool) -> int:
    """Relevés mensuels et relances aux entreprises ; avec --annee, bilans aux donneurs d'ordre."""
    from ..verbs.courriers import courriers

    with progress_bar("Courriers") as progress:
        result = courriers(classeur, mois=parse_month_option(mois), annee=annee, sortie=sortie, modeles=modeles,
                           force=force, pdf=pdf, today=reference_date(au), progress=progress)
    return finish(result)
