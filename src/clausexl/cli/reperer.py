"""`clausexl reperer`: markets of the territory found in the public-procurement open data (DECP)."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import InvalidOption
from ..core.values import AMOUNT, HOURS
from ..verbs.reperer import Reperage, reperer, write_reperage
from .common import EXIT_FINDINGS, EXIT_OK, force_option, json_option, parse_date_option, show, verb


@click.command("reperer")
@click.argument("decp", type=click.Path(path_type=Path, dir_okay=False), metavar="DECP.json")
@click.option("--classeur", type=click.Path(path_type=Path), required=True, help="Le classeur du territoire.")
@click.option("--departement", "departements", multiple=True, metavar="CODE",
              help="Garde aussi les marchés exécutés dans ce département "
                   "(répétable : --departement 50 --departement 14).")
@click.option("--seuil", type=float, default=90000, show_default=True, metavar="EUROS",
              help="Montant HT (€) à partir duquel un marché sans clause est signalé.")
@click.option("--depuis", metavar="AAAA-MM-JJ", help="Seulement les marchés notifiés à partir de cette date.")
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False), help="Écrit la liste à revoir (.xlsx).")
@json_option
@force_option
@verb
def command(decp: Path, classeur: Path, departements: tuple[str, ...], seuil: float, depuis: str | None,
            sortie: Path | None, as_json: bool, force: bool) -> int:
    """Repère dans un fichier DECP les marchés du territoire à suivre.

    Sortie 1 si des enregistrements sont illisibles.
    """
    if not 0 <= seuil < 1e15:  # nan and inf fail this test too
        raise InvalidOption(f"L'option --seuil attend un montant en euros (0 ou plus), pas « {seuil} ».")
    result = reperer(decp, classeur, departements, seuil, parse_date_option(depuis, "--depuis"))
    written = [write_reperage(result, sortie, force)] if sortie else []
    show(result, as_json, print_human, written)
    return EXIT_FINDINGS if result.tally.malformed else EXIT_OK


def print_human(r: Reperage) -> None:
    n = r.counts()
    click.echo(f"{r.source.name} : {n['enregistrements']} enregistrement(s) lu(s), "
               f"{n['concessions']} concession(s) ignorée(s), {n['hors_territoire']} hors du territoire.")
    click.echo(f"  Avec considération sociale, non suivis : {n['clauses_non_suivies']}")
    for c in r.a_suivre[:10]:
        click.echo(f"    {c.uid} — {c.objet} — {AMOUNT.text(float(c.montant))}")
    click.echo(f"  Sans considération sociale, au-dessus du seuil : {n['sans_clause']}")
    for c in r.sans_clause[:10]:
        click.echo(f"    {c.uid} — {c.objet} — {AMOUNT.text(float(c.montant))} — "
                   f"{HOURS.text(float(c.heures_possibles or 0))} possibles")
    click.echo(f"  Déjà suivis dans le classeur : {n['deja_suivis']} ; doublons : {n['doublons']}")
    if n["illisibles"]:
        click.echo(f"Attention : {n['illisibles']} enregistrement(s) du territoire illisible(s) laissé(s) de côté "
                   "(détail avec --sortie ou --json).", err=True)
