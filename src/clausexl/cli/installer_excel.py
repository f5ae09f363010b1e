"""`clausexl installer-excel`: point the workbook's buttons to this PC's Python, then check the rest."""

from __future__ import annotations

from pathlib import Path

import click

from ..verbs.installer_excel import Check, installer_excel, verifier
from .common import EXIT_FINDINGS, EXIT_OK, classeur_argument, force_option, verb


@click.command("installer-excel")
@classeur_argument
@click.option("--utilisateur/--dossier-du-classeur", default=None,
              help="Écrit dans votre fichier xlwings.conf personnel (par défaut sur Mac), ou dans celui à côté "
                   "du classeur (par défaut sous Windows).")
@click.option("--verifier", "check_only", is_flag=True,
              help="Fait seulement les vérifications, sans rien écrire.")
@force_option
@verb
def command(classeur: Path, utilisateur: bool | None, check_only: bool, force: bool) -> int:
    """Inscrit le Python de ce PC dans le fichier xlwings.conf lu par le CLASSEUR (jamais dans le classeur),
    puis vérifie ce qui peut l'être avant le premier clic (sortie 1 si une vérification échoue)."""
    if not check_only:
        done = installer_excel(classeur, utilisateur, force)
        if done.changed:
            click.echo(f"Python de ce PC inscrit dans « {done.path} » : {done.key} = {done.interpreter}")
        else:
            click.echo(f"« {done.path} » désigne déjà ce Python ({done.interpreter}) : rien à changer.")
        click.echo()
    checks = verifier(classeur, utilisateur)
    click.echo("Vérifications :")
    for check in checks:
        click.echo(checklist_line(check))
    if all(c.ok for c in checks):
        click.echo("\nOuvrez le classeur dans Excel, activez les macros et cliquez sur « Vérifier la saisie » "
                   "dans l'onglet « Clauses sociales ».")
        return EXIT_OK
    return EXIT_FINDINGS


def checklist_line(check: Check) -> str:
    """`  [OK] …` or `  [À FAIRE] … → fix` (plain characters: every Windows console shows them)."""
    return f"  [OK] {check.text}" if check.ok else f"  [À FAIRE] {check.text} → {check.fix}"
