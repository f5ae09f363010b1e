"""`clausexl importer-releves`: statements sent back by companies, checked, into a copy of the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.values import MONTH, after_colon, attention, counted
from .common import (
    EXIT_FINDINGS,
    classeur_argument,
    force_option,
    json_option,
    parse_month_option,
    print_json,
    report_left_out,
    report_written,
    verb,
)

if TYPE_CHECKING:
    from ..core.releves_import import ImportResult


@click.command("importer-releves")
@classeur_argument
@click.argument("fichiers", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FICHIER_OU_DOSSIER…")
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False), required=True, metavar="COPIE.xlsm",
              help="La copie du classeur avec les heures importées (nouveau fichier ; le classeur donné n'est pas "
                   "modifié).")
@click.option("--mois", metavar="AAAA-MM", help="Refuse les relevés clausexl d'un autre mois.")
@json_option
@force_option
@verb
def command(classeur: Path, fichiers: tuple[Path, ...], sortie: Path, mois: str | None, as_json: bool,
            force: bool) -> int:
    """Importe les relevés renvoyés par les entreprises (relevés à remplir, tableaux, CSV) : chaque ligne
    est contrôlée comme par « valider », puis ajoutée à la feuille Heures d'une copie du CLASSEUR."""
    from ..verbs.importer_releves import importer_releves

    done = importer_releves(classeur, fichiers, sortie, mois=parse_month_option(mois), force=force)
    if as_json:
        print_json(done.to_dict())
    else:
        print_report(done.result)
        added = counted(len(done.result.rows), "ligne ajoutée", "lignes ajoutées")
        click.echo(f"{added} à la feuille Heures de la copie.")
    for warning in done.avertissements:
        click.echo(attention(warning), err=True)
    report_written([done.destination], to_stderr=as_json)
    left_out = report_left_out(done.result.left_out)
    return EXIT_FINDINGS if done.result.problems else left_out


def print_report(result: ImportResult) -> None:
    """Per file: one summary line, then every row that was not simply accepted (and accepted ones with a warning)."""
    from ..core.releves_import import ACCEPTEE

    for report in result.fichiers:
        what = ", ".join(x for x in (report.genre, report.entreprise,
                                     MONTH.cell(report.mois) if report.mois else None) if x)
        click.echo(f"« {report.fichier} » ({what}) : {after_colon(report.summary())}")
        for line in report.lignes:
            if line.statut == ACCEPTEE and "Attention" not in line.message:
                continue
            who = "".join(f" · {x}" for x in (line.contrat, line.personne) if x)
            click.echo(f"  ligne {line.ligne}{who} — {line.statut} : {after_colon(line.message)}")
