"""Sending offers through a real local SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from clausexl.cli import main
from clausexl.core.errors import InvalidOption
from clausexl.verbs.offres import offres
from documents_data import territory

#: Before the offer's reply date (15/08/2018): the offer may still be sent.
BEFORE_DEADLINE = dt.date(2018, 7, 3)

REFUSED = "ft@example.org"


class Mailbox:
    """Keeps every message received; refuses one recipient."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def smtp_params(port: int) -> dict:
    return {"smtp_serveur": "127.0.0.1", "smtp_port": port, "smtp_tls": False,
            "smtp_expediteur": "clauses@mef-cotentin.example"}


def test_each_partner_receives_one_message_and_refusals_are_reported(tmp_path, smtp_server):
    """Every partner with an address gets exactly one message with the letter; a refused one is reported."""
    box, port = smtp_server
    wb = territory(tmp_path, smtp_params(port))
    result = offres(wb, "O2018-006", sortie=tmp_path / "out", envoyer=True, today=BEFORE_DEADLINE)
    sent = {s["adresse"]: s for s in result.extra["envois"]}
    assert set(sent) == {"ml@example.org", REFUSED}
    assert sent["ml@example.org"]["envoye"] is True
    assert sent[REFUSED]["envoye"] is False and "550" in sent[REFUSED]["erreur"]
    assert [rcpt for rcpt, _ in box.messages] == [["ml@example.org"]]
    msg = email.message_from_bytes(box.messages[0][1], policy=policy.default)
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "Offre O2018-006 - Mission locale du Cotentin.docx"
    assert attachment.get_content()[:2] == b"PK"


def test_cli_prints_the_summary_and_exits_1_on_a_failure(tmp_path, smtp_server):
    """The CLI says what was sent and what failed, and exits 1 when a message could not go."""
    _, port = smtp_server
    wb = territory(tmp_path, smtp_params(port))
    result = CliRunner().invoke(main, ["offres", str(wb), "--offre", "O2018-006", "--au", "03/07/2018", "--sortie", str(tmp_path / "o"),
                                       "--envoyer"])
    assert result.exit_code == 1, result.output
    assert "Envoi : 1 courriel envoyé, 1 échec." in result.stdout
    assert f"<{REFUSED}>" in result.stderr


def test_unreachable_server_fails_every_message_without_crashing(tmp_path):
    """A server nobody listens on: every message is reported failed, the files are still written."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    wb = territory(tmp_path, smtp_params(port))
    result = offres(wb, "O2018-006", sortie=tmp_path / "out", envoyer=True, today=BEFORE_DEADLINE)
    assert [s["envoye"] for s in result.extra["envois"]] == [False, False]
    assert all("injoignable" in s["erreur"] for s in result.extra["envois"])
    assert len(list((tmp_path / "out").glob("*.eml"))) == 2


def test_password_comes_from_the_environment_only(tmp_path, monkeypatch):
    """With a SMTP user but no CLAUSEXL_SMTP_MOT_DE_PASSE, the verb stops before writing, naming the variable."""
    monkeypatch.delenv("CLAUSEXL_SMTP_MOT_DE_PASSE", raising=False)
    wb = territory(tmp_path, {**smtp_params(2525), "smtp_utilisateur": "mef"})
    with pytest.raises(InvalidOption, match="CLAUSEXL_SMTP_MOT_DE_PASSE"):
        offres(wb, "O2018-006", sortie=tmp_path / "out", envoyer=True, today=BEFORE_DEADLINE)
    assert not (tmp_path / "out").exists()


def test_sending_needs_a_server_in_the_parameters(tmp_path):
    """--envoyer without « Serveur SMTP » stops before anything is written."""
    wb = territory(tmp_path)
    with pytest.raises(InvalidOption, match="Serveur SMTP"):
        offres(wb, "O2018-006", sortie=tmp_path / "out", envoyer=True, today=BEFORE_DEADLINE)
    assert not (tmp_path / "out").exists()


def test_each_message_sent_is_the_offers_diffusion_date_in_the_journal(tmp_path, smtp_server):
    """The journal beside the workbook: a letter and an e-mail per partner, « Offre envoyée » only when it left."""
    _, port = smtp_server
    wb = territory(tmp_path, smtp_params(port))
    result = offres(wb, "O2018-006", sortie=tmp_path / "out", envoyer=True, today=BEFORE_DEADLINE)
    lines = (wb.parent / "Journal clausexl.csv").read_text(encoding="utf-8-sig").splitlines()
    sent = [line.split(";") for line in lines if ";Offre envoyée;" in line]
    assert [(s[0], s[6]) for s in sent] == [("2018-07-03", "O2018-006")]  # the refused address is not diffused
    assert result.extra["date_de_diffusion"] == "2018-07-03"
