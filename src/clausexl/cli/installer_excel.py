"""`clausexl installer-excel`: point the workbook's buttons to this PC's Python."""

from __future__ import annotations

from pathlib import Path

import click

from .common import classeur_argument, force_option, verb


@click.command("installer-excel")
@classeur_argument
@click.option("--utilisateur", is_flag=True,
              help="Écrit dans votre fichier xlwings.conf personnel plutôt qu'à côté du classeur.")
@force_option
@verb
def command(classeur: Path, utilisateur: bool, force: bool) -> int:
    """Inscrit le Python de ce PC dans le fichier xlwings.conf lu par le CLASSEUR (jamais dans le classeur)."""
    from ..verbs.installer_excel import installer_excel

    done = installer_excel(classeur, utilisateur, force)
    if done.changed:
        click.echo(f"Python de ce PC inscrit dans « {done.path} » : {done.key} = {done.interpreter}")
    else:
        click.echo(f"« {done.path} » désigne déjà ce Python ({done.interpreter}) : rien à changer.")
    click.echo("Ouvrez le classeur dans Excel, activez les macros et cliquez sur un bouton de l'onglet "
               "« Clauses sociales ».")
    return 0
