"""`clausexl reperer`: markets of the territory found in the public-procurement open data (DECP)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core import l2112
from ..core.errors import InvalidOption
from ..core.values import AMOUNT, COUNT, HOURS, agreed, attention, counted
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    force_option,
    json_option,
    parse_date_option,
    report_left_out,
    show,
    verb,
)

if TYPE_CHECKING:
    from ..verbs.reperer import Reperage


@click.command("reperer")
@click.argument("decp", type=click.Path(path_type=Path, dir_okay=False), metavar="DECP")
@click.option("--classeur", type=click.Path(path_type=Path), required=True, help="Le classeur du territoire.")
@click.option("--departement", "departements", multiple=True, metavar="CODE",
              help="Garde aussi les marchés exécutés dans ce département, en plus de ceux du paramètre "
                   "« Départements repérés » (répétable : --departement 50 --departement 14).")
@click.option("--seuil", type=float, default=None, metavar="EUROS",
              help="Montant HT (€) à partir duquel un marché sans clause est listé, au lieu des seuils européens "
                   "de l'article L2112-2-1 (table datée).")
@click.option("--depuis", metavar="AAAA-MM-JJ", help="Seulement les marchés notifiés à partir de cette date.")
@click.option("--jusqu-au", "jusqu_au", metavar="AAAA-MM-JJ",
              help="Seulement les marchés notifiés jusqu'à cette date.")
@click.option("--part-nationale", type=float, default=None, metavar="POURCENT",
              help=f"Part nationale de référence des marchés avec considération sociale, au lieu des paramètres "
                   f"du classeur (défaut : {l2112.NATIONAL_REFERENCE.share * 100:.1f}).".replace(".", ",", 1))
@click.option("--source-nationale", metavar="TEXTE", help="Source de cette part (défaut : OECP).")
@click.option("--annee-nationale", type=int, metavar="AAAA", help="Année de cette part.")
@click.option("--importer", "uids", multiple=True, metavar="REFERENCE",
              help="Référence DECP d'un marché à préparer pour la feuille Marchés (répétable ; défaut : tous les "
                   "marchés listés).")
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False),
              help="Écrit le classeur de repérage (.xlsx).")
@json_option
@force_option
@verb
def command(decp: Path, classeur: Path, departements: tuple[str, ...], seuil: float | None, depuis: str | None,
            jusqu_au: str | None, part_nationale: float | None, source_nationale: str | None,
            annee_nationale: int | None, uids: tuple[str, ...], sortie: Path | None, as_json: bool,
            force: bool) -> int:
    """Repère dans un fichier DECP (JSON, parquet ou CSV) les marchés du territoire.

    Listes à revoir, diagnostic par acheteur, lignes pour la feuille Marchés ; sortie 1 si des enregistrements
    sont illisibles ou le fichier interrompu.
    """
    if seuil is not None and not 0 <= seuil < 1e15:  # nan and inf fail this test too
        raise InvalidOption(f"L'option --seuil attend un montant en euros (0 ou plus), pas « {seuil} ».")
    if part_nationale is not None and not 0 <= part_nationale <= 100:
        raise InvalidOption(
            f"L'option --part-nationale attend un pourcentage entre 0 et 100, pas « {part_nationale:g} ».")
    given = (part_nationale, source_nationale, annee_nationale)
    reference = l2112.national_reference(part_nationale / 100 if part_nationale is not None else None,
                                         source_nationale, annee_nationale) if given != (None,) * 3 else None
    since, until = parse_date_option(depuis, "--depuis"), parse_date_option(jusqu_au, "--jusqu-au")
    from ..adapters.decp_early import begin  # a parquet or CSV file starts being read now…

    early = begin(decp, classeur, departements)
    from ..verbs.reperer import NoTerritory, reperer, write_reperage  # …while pandas is imported with the verb

    try:
        result = reperer(decp, classeur, departements, seuil, since, until, reference, early)
    except NoTerritory as err:
        raise InvalidOption(f"{err} En ligne de commande, l'option --departement 50 convient aussi.") from None
    chosen = uids or None
    if chosen:
        result.spotted(chosen)  # an unknown reference is a bad option before anything is written
    written = [write_reperage(result, sortie, force, chosen)] if sortie else []
    show(result, as_json, print_human, written)
    left_out = report_left_out(result.left_out)
    for alert in result.alertes:
        click.echo(alert, err=True)
    return EXIT_FINDINGS if result.tally.malformed or result.tally.interrupted or left_out or result.alertes \
        else EXIT_OK


def print_human(r: Reperage) -> None:
    n = r.counts()
    click.echo(f"{r.source.name} : {counted(n['enregistrements'], 'enregistrement lu', 'enregistrements lus')}, "
               f"{counted(n['concessions'], 'concession ignorée', 'concessions ignorées')}, "
               f"{COUNT.cell(n['hors_territoire'])} hors du territoire.")
    click.echo(f"  Avec considération sociale, non suivis : {n['clauses_non_suivies']}")
    for c in r.a_suivre[:10]:
        click.echo(f"    {c.uid} — {c.objet} — {AMOUNT.text(float(c.montant))}")
    click.echo(f"  Sans considération sociale, au-dessus du seuil : {n['sans_clause']}")
    for c in r.sans_clause[:10]:
        alert = f" — {l2112.WARNING}" if c.alerte_l2112 else ""
        click.echo(f"    {c.uid} — {c.objet} — {AMOUNT.text(float(c.montant))} — "
                   f"{HOURS.text(float(c.heures_possibles or 0))} possibles{alert}")
    click.echo(f"  Déjà suivis dans le classeur : {n['deja_suivis']} ; doublons : {n['doublons']}")
    if n["alertes_l2112"]:
        concerned = counted(n['alertes_l2112'], "marché probablement concerné", "marchés probablement concernés")
        click.echo(f"  {concerned} par l'article L2112-2-1 sans "
                   "considération sociale : dérogation à documenter ?")
    if n["illisibles"]:
        unread = counted(n['illisibles'], "enregistrement du territoire illisible",
                         "enregistrements du territoire illisibles")
        click.echo(f"Attention : {unread} {agreed(n['illisibles'], 'laissé')} de côté "
                   "(détail avec --sortie ou --json).", err=True)
    if r.tally.interrupted:
        click.echo(attention(r.tally.interrupted), err=True)
