"""`clausexl init`: a new empty workbook."""

from __future__ import annotations

from pathlib import Path

import click

from .common import force_option, report_written, verb


@click.command("init")
@click.argument("chemin", type=click.Path(path_type=Path, dir_okay=False), metavar="CHEMIN")
@force_option
@verb
def command(chemin: Path, force: bool) -> int:
    """Crée un nouveau classeur vide CHEMIN (.xlsm) à partir du modèle."""
    from ..verbs.init import init

    report_written([init(chemin, force)])
    return 0
