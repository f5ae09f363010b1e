"""`clausexl bilan`: the year's indicators and the funders' workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.values import ValueKind
from .common import (
    EXIT_FINDINGS,
    au_option,
    classeur_argument,
    finish_results,
    force_option,
    json_option,
    reference_date,
    sortie_fichier_option,
    verb,
)

if TYPE_CHECKING:
    from ..verbs.bilan import Bilan


@click.command("bilan")
@classeur_argument
@click.option("--annee", type=int, required=True, metavar="AAAA", help="L'année du bilan (obligatoire).")
@json_option
@sortie_fichier_option
@au_option
@force_option
@verb
def command(classeur: Path, annee: int, as_json: bool, sortie: Path | None, au: str | None, force: bool) -> int:
    """Les indicateurs de l'année du CLASSEUR et, avec --sortie, le classeur des financeurs."""
    from ..verbs.bilan import bilan, write_funders

    result = bilan(classeur, annee, reference_date(au))
    code = finish_results(result, as_json, print_human, write_funders, sortie, force)
    for line in result.warnings:
        click.echo(line, err=True)
    return max(code, EXIT_FINDINGS) if result.warnings else code


def print_human(result: Bilan) -> None:
    """The key sentences, the key figures beside N-1, then the choices made."""
    s = result.summary
    click.echo(f"{s.title}\n")
    for sentence in s.sentences:
        click.echo(f"• {sentence}")
    click.echo(f"\n{'Indicateur':<44} {s.annee:>12} {s.annee - 1:>12}")
    for f in s.figures:
        click.echo(f"{f.label:<44} {_show(f.value, f.kind):>12} {_show(f.previous, f.kind):>12}")
    click.echo("\nChoix de calcul :")
    for choice in s.choices:
        click.echo(f"  · {choice}")


def _show(value: float | int | None, kind: ValueKind) -> str:
    """The figure as its cell in the funders' workbook shows it; « — » when there is none."""
    return kind.cell(value) or "—"
