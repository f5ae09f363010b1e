"""`clausexl releves`: the month's statements to fill, one protected .xlsx per company."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.values import MONTH, counted
from .common import classeur_argument, force_option, parse_month_option, sortie_dossier_option, verb
from .documents import finish


@click.command("releves")
@classeur_argument
@click.option("--mois", metavar="AAAA-MM", required=True, help="Le mois dont les heures sont demandées.")
@click.option("--entreprise", metavar="ID", help="Le relevé d'une seule entreprise (son ID).")
@sortie_dossier_option
@force_option
@verb
def command(classeur: Path, mois: str, entreprise: str | None, sortie: Path | None, force: bool) -> int:
    """Relevés à remplir : un classeur protégé par entreprise, à lui envoyer pour le mois donné."""
    from ..verbs.releves import releves

    month = parse_month_option(mois)
    result = releves(classeur, month, entreprise=entreprise, sortie=sortie, force=force)
    click.echo(f"{counted(len(result.fichiers), 'relevé')} à remplir pour {MONTH.text(month)} "
               f"({counted(result.extra['contrats'], 'contrat')}).")
    return finish(result)
