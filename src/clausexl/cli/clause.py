"""`clausexl clause`: the clause of a market."""

from __future__ import annotations

from pathlib import Path

import click

from .common import classeur_argument, document_options, reference_date, sortie_dossier_option, verb
from .documents import finish


@click.command("clause")
@classeur_argument
@click.option("--marche", required=True, metavar="ID", help="Le marché (ou lot) dont rédiger la clause.")
@sortie_dossier_option
@document_options
@verb
def command(classeur: Path, marche: str, sortie: Path | None, modeles: Path | None, pdf: bool, au: str | None,
            force: bool) -> int:
    """Rédige la clause sociale du marché --marche, selon son Dispositif (datée du jour, ou de --au)."""
    from ..verbs.clause import clause

    return finish(clause(classeur, marche, sortie=sortie, modeles=modeles, force=force, pdf=pdf,
                         today=reference_date(au)))
