"""`clausexl echeances`: what is due — follow-ups, statements, late markets, contracts ending."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.values import DATE, counted
from .common import au_option, classeur_argument, finish_results, reference_date, verb, workbook_options

if TYPE_CHECKING:
    from ..verbs.echeances import Echeances


@click.command("echeances")
@classeur_argument
@au_option
@workbook_options
@verb
def command(classeur: Path, au: str | None, as_json: bool, sortie: Path | None, force: bool) -> int:
    """Ce qui est à faire à une date : suivis, relevés, marchés en retard, fins de contrat…"""
    from ..verbs.echeances import echeances, write_sheet

    result = echeances(classeur, reference_date(au))
    return finish_results(result, as_json, print_human, write_sheet, sortie, force)


def print_human(result: Echeances) -> None:
    """One line per item, by date, then the counts per kind."""
    from ..core.due import COUNTED

    click.echo(f"À faire au {DATE.cell(result.au)} ({len(result.items)}) :")
    for i in result.items:
        click.echo(f"  {DATE.cell(i.date)}  [{i.etat}] {i.type} — {i.qui}\n      {i.action}")
    counts = ", ".join(counted(n, *COUNTED[kind]) for kind, n in result.counts().items() if n)
    click.echo(counts or "Rien à faire.")
