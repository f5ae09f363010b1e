"""`clausexl guide`: the facilitator's user guide (HTML), in the browser."""

from __future__ import annotations

import click

from ..guide import GUIDE, open_guide
from .common import verb


@click.command("guide")
@click.option("--chemin", is_flag=True, help="Affiche seulement le chemin du guide, sans ouvrir le navigateur.")
@verb
def command(chemin: bool) -> int:
    """Ouvre le guide du facilitateur (installation, mois, bilan, documents, données personnelles, messages)."""
    if not chemin and open_guide():
        click.echo(f"Guide ouvert dans le navigateur : {GUIDE}")
    else:
        click.echo(str(GUIDE))
    return 0
