"""`clausexl extraire-personne`: everything held on one participant (right of access)."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.values import counted
from .common import classeur_argument, force_option, json_option, print_json, report_left_out, report_written, verb


@click.command("extraire-personne")
@classeur_argument
@click.option("--participant", required=True, metavar="ID", help="L'ID du participant (feuille Participants).")
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False), metavar="F.xlsx",
              help="Écrit un classeur .xlsx (nouveau fichier) : une feuille par tableau.")
@json_option
@force_option
@verb
def command(classeur: Path, participant: str, sortie: Path | None, as_json: bool, force: bool) -> int:
    """Tout ce que le CLASSEUR contient sur un participant (droit d'accès)."""
    from ..verbs.extraire_personne import extraire_personne, presented, write_extrait

    extrait = extraire_personne(classeur, participant)
    written = [write_extrait(extrait, sortie, force)] if sortie else []
    if as_json:
        print_json(extrait.to_dict())
    elif not sortie:
        for sheet, (headers, rows) in extrait.sheets.items():
            click.echo(f"\n{sheet} ({counted(len(rows), 'ligne')})")
            for row in rows:
                click.echo("  " + " ; ".join(f"{h} : {presented(extrait, sheet, h, v)}"
                                             for h, v in zip(headers, row) if v is not None))
    report_written(written, to_stderr=as_json)
    return report_left_out(extrait.left_out)
