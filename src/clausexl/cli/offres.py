"""`clausexl offres`: an offer's letters and e-mails to partners, optionally sent."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.values import counted
from .common import EXIT_FINDINGS, classeur_argument, document_options, reference_date, sortie_dossier_option, verb
from .documents import finish, progress_bar


@click.command("offres")
@classeur_argument
@click.option("--offre", required=True, metavar="ID", help="L'offre à diffuser.")
@sortie_dossier_option
@click.option("--envoyer", is_flag=True, help="Envoie aussi les courriels par le serveur SMTP des paramètres.")
@document_options
@verb
def command(classeur: Path, offre: str, sortie: Path | None, envoyer: bool, modeles: Path | None, pdf: bool,
            au: str | None, force: bool) -> int:
    """Lettre et courriel (.eml, lettre jointe) à chaque partenaire qui reçoit les offres."""
    from ..verbs.offres import offres

    with progress_bar("Offres") as progress:
        result = offres(classeur, offre, sortie=sortie, modeles=modeles, force=force, pdf=pdf, envoyer=envoyer,
                        today=reference_date(au), progress=progress)
    code = finish(result)
    sent = result.extra.get("envois")
    if sent is None:
        return code
    ok = [s for s in sent if s["envoye"]]
    click.echo(f"Envoi : {counted(len(ok), 'courriel envoyé', 'courriels envoyés')}, "
               f"{counted(len(sent) - len(ok), 'échec')}.")
    for s in sent:
        if not s["envoye"]:
            click.echo(f"  Échec pour {s['destinataire']} <{s['adresse']}> : {s['erreur']}", err=True)
    return code or (EXIT_FINDINGS if len(ok) < len(sent) else 0)
