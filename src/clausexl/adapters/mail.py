"""E-mails for job offers: .eml files a mail client opens as drafts, and sending through SMTP.

The SMTP password comes from the environment (CLAUSEXL_SMTP_MOT_DE_PASSE), never from the workbook.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import Any

from ..core.emails import header_text
from ..core.errors import ClausexlError, InvalidOption
from ..core.schema import SMTP_PASSWORD_ENV

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
SUBJECT_PREFIX = "objet :"


def split_subject(body: str, default: str) -> tuple[str, str]:
    """A body whose first line is `Objet : …` gives the subject; the rest is the body."""
    first, _, rest = body.partition("\n")
    if first.strip().casefold().startswith(SUBJECT_PREFIX):
        return first.split(":", 1)[1].strip(), rest.lstrip("\n")
    return default, body


def build_message(sender: str, to: str, subject: str, body: str,
                  attachments: Sequence[tuple[str, bytes, tuple[str, str]]]) -> EmailMessage:
    """One message, marked as a draft (X-Unsent) so a mail client opens it ready to send."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = header_text(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    for filename, data, (maintype, subtype) in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: bool
    user: str | None
    sender: str
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SmtpSettings:
        """The settings of T_Parametres and the password of the environment; missing ones cannot proceed."""
        host, sender = params.get("smtp_serveur"), params.get("smtp_expediteur") or params.get("courriel")
        if not host or not sender:
            raise InvalidOption("Pour envoyer les offres, renseignez les paramètres « Serveur SMTP » et "
                                "« Expéditeur » (feuille Paramètres).")
        tls = bool(params.get("smtp_tls"))
        port = int(params.get("smtp_port") or (587 if tls else 25))
        user = params.get("smtp_utilisateur") or None
        password = os.environ.get(SMTP_PASSWORD_ENV) or None
        if user and not password:
            raise InvalidOption(f"Le paramètre « Utilisateur SMTP » est rempli mais la variable d'environnement "
                                f"{SMTP_PASSWORD_ENV} est vide : définissez-la avec le mot de passe du compte.")
        return cls(str(host), port, tls, user, str(sender), password)


@dataclass(frozen=True)
class Sent:
    """What happened to one message."""

    destinataire: str
    adresse: str
    envoye: bool
    erreur: str = ""


def send_all(settings: SmtpSettings, messages: Sequence[tuple[str, EmailMessage]]) -> list[Sent]:
    """Send each (recipient name, message); a refused recipient is reported and the others still go."""
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException) as err:
        reason = f"serveur {settings.host}:{settings.port} injoignable ({err})"
        return [Sent(name, str(m["To"]), False, reason) for name, m in messages]
    results = []
    with server:
        if settings.user:
            try:
                server.login(settings.user, settings.password or "")
            except smtplib.SMTPException as err:
                raise ClausexlError(f"Le serveur SMTP {settings.host} refuse l'identification de "
                                    f"« {settings.user} » : {err}.") from err
        for name, msg in messages:
            try:
                refused = server.send_message(msg)
                results.append(Sent(name, str(msg["To"]), not refused, _reason(refused)))
            except smtplib.SMTPRecipientsRefused as err:
                results.append(Sent(name, str(msg["To"]), False, _reason(err.recipients)))
            except (smtplib.SMTPException, OSError) as err:
                results.append(Sent(name, str(msg["To"]), False, str(err)))
    return results


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.tls and settings.port == 465:
        return smtplib.SMTP_SSL(settings.host, settings.port, context=ssl.create_default_context(), timeout=30)
    server = smtplib.SMTP(settings.host, settings.port, timeout=30)
    if settings.tls:
        server.starttls(context=ssl.create_default_context())
    return server


def _reason(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr} refusé ({code} {msg.decode(errors='replace')})" for addr, (code, msg) in refused.items())
