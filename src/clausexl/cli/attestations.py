"""`clausexl attestations`: end-of-clause certificates."""

from __future__ import annotations

from pathlib import Path

import click

from .common import classeur_argument, document_options, reference_date, sortie_dossier_option, verb
from .documents import finish, progress_bar


@click.command("attestations")
@classeur_argument
@click.option("--marche", metavar="ID", help="Un seul marché (défaut : chaque marché terminé).")
@sortie_dossier_option
@document_options
@verb
def command(classeur: Path, marche: str | None, sortie: Path | None, modeles: Path | None, pdf: bool,
            au: str | None, force: bool) -> int:
    """Attestations de réalisation de la clause, à l'entreprise et au donneur d'ordre."""
    from ..verbs.attestations import attestations

    with progress_bar("Attestations") as progress:
        result = attestations(classeur, marche=marche, sortie=sortie, modeles=modeles, force=force, pdf=pdf,
                              today=reference_date(au), progress=progress)
    return finish(result)
