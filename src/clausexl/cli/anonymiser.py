"""`clausexl anonymiser`: a copy of the workbook without the personal data past the retention period."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.values import DATE, counted
from .common import (
    au_option,
    classeur_argument,
    force_option,
    json_option,
    print_json,
    reference_date,
    report_written,
    verb,
)


@click.command("anonymiser")
@classeur_argument
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False), required=True, metavar="COPIE.xlsm",
              help="La copie anonymisée (nouveau fichier ; le classeur donné n'est pas modifié).")
@au_option
@json_option
@force_option
@verb
def command(classeur: Path, sortie: Path, au: str | None, as_json: bool, force: bool) -> int:
    """Écrit une copie du CLASSEUR où les participants dont le suivi a pris fin depuis plus que la
    durée de conservation sont anonymisés (noms, adresse, date de naissance exacte ; les ID restent)."""
    from ..verbs.anonymiser import anonymiser

    result = anonymiser(classeur, sortie, reference_date(au), force)
    if as_json:
        print_json(result.to_dict())
    else:
        click.echo(f"{counted(len(result.participants), 'participant anonymisé', 'participants anonymisés')} "
                   "dans la copie "
                   f"(fin du suivi plus ancienne que la durée de conservation au {DATE.cell(result.au)}).")
        if (also := result.cleaned_sentence()) is not None:
            click.echo(also)
    report_written([result.destination], to_stderr=as_json)
    return 0
