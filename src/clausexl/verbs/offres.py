"""offres: an offer's letter to each partner receiving offers, an .eml per partner, optional sending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..adapters.mail import DOCX_TYPE, SmtpSettings, build_message, send_all, split_subject
from ..adapters.output import refuse_clashes, write_files_atomic
from ..adapters.workbook_reader import read_classeur
from ..core.classeur import Classeur
from ..core.contexts import offres as ctx
from ..core.emails import email_addresses, header_text
from ..core.errors import InvalidOption
from ..core.exclusion import asked_id, screen
from ..core.journal import OFFRE_COURRIEL, OFFRE_ENVOYEE, document_entries, document_entry
from .documents import (
    Documents,
    Journal,
    Progress,
    contact_warning,
    note,
    output_folder,
    planned_paths,
    render_all,
    templates_for,
    with_pdf,
)


def offres(classeur: Path, offre: str, *, sortie: Path | None = None, modeles: Path | None = None,
           force: bool = False, pdf: bool = False, envoyer: bool = False, today: dt.date | None = None,
           progress: Progress | None = None) -> Documents:
    """Letters `Offre <ID> - <partenaire>.docx`, e-mails `.eml` (letter attached), sent when `envoyer`."""
    return offres_classeur(read_classeur(classeur, ctx.TABLES), classeur, offre, sortie=sortie, modeles=modeles,
                           force=force, pdf=pdf, envoyer=envoyer, today=today, progress=progress)


# The document verbs' calling convention, alike clause_classeur and attestations_classeur on purpose (the
# command and the button call each the same way); the bodies part after the ID and the date.
def offres_classeur(c: Classeur, classeur: Path, offre: str, *, sortie: Path | None = None,
                    modeles: Path | None = None, force: bool = False, pdf: bool = False, envoyer: bool = False,
                    today: dt.date | None = None, progress: Progress | None = None,
                    rename_clashes: bool = False) -> Documents:
    """The same on a workbook already read; `classeur` places the output and templates folders.

    Rows in error are left out (docs/calculs.md §0) and listed in the result."""
    c = screen(c)
    offre = asked_id(c, "T_Offres", offre)
    today = today or dt.date.today()
    specs = ctx.offer_letters(c, offre, today)
    settings = SmtpSettings.from_params(c.params) if envoyer else None
    sender = settings.sender if settings else (c.params.get("smtp_expediteur") or c.params.get("courriel") or "")
    if sender and email_addresses(str(sender)) is None:
        raise InvalidOption(f"L'adresse d'expéditeur « {header_text(str(sender))} » (paramètres « Expéditeur » ou "
                            "« Courriel ») n'est pas une adresse valide : corrigez-la, aucun courriel n'a été écrit.")
    templates = templates_for(classeur, c, modeles)
    paths = planned_paths(specs, output_folder(classeur, c, sortie), rename_clashes=rename_clashes)
    with_mail = [bool(s.context["partenaire"]["courriel"]) for s in specs]
    emls = [p.with_suffix(".eml") for p, m in zip(paths, with_mail) if m]
    refuse_clashes([*paths, *emls, *([p.with_suffix(".pdf") for p in paths] if pdf else [])], force)
    result = Documents(left_out=c.left_out)
    letters = render_all(specs, paths, templates, progress)
    messages = []
    for spec, (path, data), has_mail in zip(specs, letters, with_mail):
        if not has_mail:
            result.avertissements.append(f"Le partenaire « {spec.context['partenaire']['nom']} » n'a pas de "
                                         "courriel : seule la lettre est produite.")
            continue
        addresses = email_addresses(str(spec.context["partenaire"]["courriel"]))
        if addresses is None:  # one partner's typo never stops the others' e-mails
            result.avertissements.append(
                f"Le courriel du partenaire « {spec.context['partenaire']['nom']} » (« "
                f"{header_text(str(spec.context['partenaire']['courriel']))} ») n'est pas une adresse valide : seule "
                "la lettre est produite ; corrigez-le (valider le signale).")
            continue
        subject, body = split_subject(templates.render_text(ctx.MAIL, spec.context),
                                      f"Offre d'emploi {offre} : {spec.context['offre']['poste']}")
        msg = build_message(sender, ", ".join(addresses), subject, body, [(path.name, data, DOCX_TYPE)])
        messages.append((spec.context["partenaire"]["nom"], path.with_suffix(".eml"), msg, spec))
    files = with_pdf(letters, pdf, result) + [(eml, bytes(msg)) for _, eml, msg, _ in messages]
    result.fichiers = write_files_atomic(files, force)
    contact_warning(specs, result)
    result.extra = {"offre": offre, "partenaires": len(specs)}
    if not specs:
        result.avertissements.append("Aucun partenaire n'a « Reçoit les offres » à Oui : aucune lettre produite.")
    if settings is not None:
        sent = send_all(settings, [(name, msg) for name, _, msg, _ in messages])
        result.extra["envois"] = [s.__dict__ for s in sent]
    else:
        sent = []
    # The journal: each letter and e-mail written; each e-mail sent is the offer's Date de diffusion.
    entries = document_entries("offres", specs, [p for p, _ in letters], today)
    entries += [document_entry("offres", spec, eml, today, OFFRE_COURRIEL) for _, eml, _, spec in messages]
    entries += [document_entry("offres", spec, eml, today, OFFRE_ENVOYEE)
                for (_, eml, _, spec), s in zip(messages, sent) if s.envoye]
    note(Journal(classeur, "offres", today), entries, result)
    if any(s.envoye for s in sent):
        result.extra["date_de_diffusion"] = today.isoformat()
    return result
