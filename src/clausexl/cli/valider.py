"""`clausexl valider`: check every entry of the workbook."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.values import after_colon
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    au_option,
    classeur_argument,
    force_option,
    json_option,
    reference_date,
    show,
    verb,
)

if TYPE_CHECKING:
    from ..verbs.valider import Rapport


@click.command("valider")
@classeur_argument
@json_option
@click.option("--rapport", type=click.Path(path_type=Path, dir_okay=False),
              help="Écrit les constats dans un nouveau classeur .xlsx.")
@au_option
@force_option
@verb
def command(classeur: Path, as_json: bool, rapport: Path | None, au: str | None, force: bool) -> int:
    """Contrôle chaque saisie du CLASSEUR (sortie 1 s'il y a des erreurs)."""
    from ..verbs.valider import valider, write_report

    result = valider(classeur, reference_date(au))
    written = [write_report(result, rapport, force)] if rapport else []
    show(result, as_json, print_human, written)
    return EXIT_FINDINGS if result.errors else EXIT_OK


def print_human(result: Rapport) -> None:
    """Findings grouped by sheet, then the counts."""
    for sheet, items in groupby(result.findings, key=lambda f: f.sheet):
        click.echo(f"\n{sheet}")
        for f in items:
            where = f"ligne {f.row}" if f.row else "en-tête"
            column = f", {f.column}" if f.column else ""
            click.echo(f"  [{f.severity.value}] {where}{column} : {after_colon(f.message)} ({f.code})")
    click.echo(
        f"\n{result.source.name} : {result.counts}."
        if result.findings else f"{result.source.name} : aucune erreur, aucun avertissement."
    )
