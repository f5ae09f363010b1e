"""`clausexl demo`: a fictitious territory's workbook and every verb run on it."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.values import counted
from .common import verb


@click.command("demo")
@click.option("--sortie", type=click.Path(path_type=Path, file_okay=False),
              help="Dossier de la démonstration (défaut : un nouveau dossier clausexl-demo-AAAAMMJJ-HHMMSS).")
@verb
def command(sortie: Path | None) -> int:
    """Construit le classeur d'un territoire fictif et lance chaque verbe dessus."""
    from ..verbs.demo import demo

    run = demo(sortie, progress=lambda step: click.echo(f"… {step}", err=True))
    click.echo(f"Démonstration dans « {run.folder} » :")
    for title, summary in run.steps:
        click.echo(f"  {title:<18} {summary}")
    click.echo(f"{counted(len(run.files), 'fichier écrit', 'fichiers écrits')} :")
    for path in run.files:
        click.echo(f"  {path}")
    return 0
