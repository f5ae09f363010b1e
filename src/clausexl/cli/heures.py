"""`clausexl heures`: hours per market, company, employer, participant, buyer and month."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.values import DATE, HOURS, SHARE, counted
from .common import EXIT_FINDINGS, au_option, classeur_argument, finish_results, reference_date, verb, workbook_options

if TYPE_CHECKING:
    from ..verbs.heures import Heures


@click.command("heures")
@classeur_argument
@au_option
@click.option("--annee", type=int, metavar="AAAA", help="Ne compte que les heures des mois de cette année.")
@workbook_options
@verb
def command(classeur: Path, au: str | None, annee: int | None, as_json: bool, sortie: Path | None,
            force: bool) -> int:
    """Heures prévues, réalisées, reste, attendu et retard de chaque marché du CLASSEUR."""
    from ..verbs.heures import heures, write_heures

    result = heures(classeur, reference_date(au), annee)
    code = finish_results(result, as_json, print_human, write_heures, sortie, force)
    for line in result.warnings:
        click.echo(line, err=True)
    return max(code, EXIT_FINDINGS) if result.warnings else code


def print_human(result: Heures) -> None:
    """Markets late first, then the totals."""
    data = result.to_dict()
    scope = f"année {data['annee']}" if data["annee"] else f"au {DATE.cell(result.views.au)}"
    click.echo(f"Heures par marché ({scope}) :")
    engaged = [m for m in data["marches"] if m["engage"]]
    for m in engaged:
        late = "  EN RETARD" if m["en_retard"] else ""
        rate = SHARE.cell(m["taux"]) or "—"
        npnru = f"  (NPNRU : {HOURS.text(m['heures_comptees'])} de résidents QPV)" if m["npnru"] else ""
        click.echo(f"  {m['id']:<14} {HOURS.cell(m['heures_realisees']):>10} / {HOURS.cell(m['heures_prevues']):>10} h"
                   f"  {rate:>8}  reste {HOURS.text(m['reste'])}{late}{npnru}")
    idle = [m for m in data["marches"] if not m["engage"]]
    if idle:
        click.echo("Sans obligation (En préparation ou Abandonné) :")
        for m in idle:
            click.echo(f"  {m['id']:<14} {HOURS.cell(m['heures_realisees']):>10} h  {m['statut']}")
    total = sum(m["heures_realisees"] for m in data["marches"])
    late = sum(m["en_retard"] for m in data["marches"])
    click.echo(f"\n{counted(len(engaged), 'marché')} avec obligation, {counted(len(idle), 'marché')} sans, "
               f"{HOURS.bare(total)} {'heure réalisée' if total < 2 else 'heures réalisées'}, "
               f"{counted(late, 'marché')} en retard.")
    for choice in data["choix"]:
        click.echo(f"  · {choice}")
