"""Right of access never mixes two people; e-mail headers are checked; typed control characters are
printed escaped."""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.cli import main
from clausexl.core.emails import email_addresses, header_text
from every_output import run
from workbooks import make_workbook


def test_ambiguous_participant_id_is_refused(tmp_path: Path):
    """Two rows with the ID P001: extraire-personne refuses (exit 2, one sentence) and writes nothing."""
    rows = base_rows()
    twin = dict(rows["T_Participants"][0], nom="Diallo", prenom="Camille", adresse="8 rue Thiers")
    rows["T_Participants"].append(twin)
    source = make_workbook(tmp_path, rows)
    for extra in ([], ["--json"], ["--sortie", str(tmp_path / "extrait.xlsx")]):
        result = CliRunner().invoke(main, ["extraire-personne", str(source), "--participant", "P001", *extra])
        assert result.exit_code == 2, result.stdout
        assert "2 lignes" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Diallo" not in result.stdout and "Martin" not in result.stdout
    assert not (tmp_path / "extrait.xlsx").exists()


@pytest.mark.parametrize("text, expected", [
    ("contact@ville.fr", ["contact@ville.fr"]),
    (" a@x.fr ; b@y.org ", ["a@x.fr", "b@y.org"]),
    ("a@x.fr, b@y.org", ["a@x.fr", "b@y.org"]),
    ("a@x.fr\nBcc: espion@z.fr", None),
    ("a@x.fr\r\n", ["a@x.fr"]),
    ("a@x", None),
    ("Julie <a@x.fr>", None),
    ("a@x.fr;;b@y.fr", None),
    ("a@@x.fr", None),
    ("", None),
])
def test_email_addresses(text: str, expected):
    assert email_addresses(text) == expected


def test_header_text_is_one_line():
    assert header_text("Maçon\r\nBcc: x@y.fr\x07") == "Maçon Bcc: x@y.fr"


def test_valider_reports_bad_addresses(tmp_path: Path):
    """A partner's address with a line break, or two addresses glued, are findings of valider."""
    rows = base_rows()
    rows["T_Partenaires"] = [
        {"id": "PA1", "nom": "Mission locale", "type": "Mission locale", "courriel": "ml@x.fr\nBcc: z@y.fr",
         "recoit_offres": "Oui"},
        {"id": "PA2", "nom": "PLIE", "type": "PLIE", "courriel": "plie@x", "recoit_offres": "Oui"},
        {"id": "PA3", "nom": "Cap emploi", "type": "Cap emploi", "courriel": "a@x.fr; b@y.fr", "recoit_offres": "Oui"},
    ]
    source = make_workbook(tmp_path, rows)
    result = CliRunner().invoke(main, ["valider", str(source), "--json"])
    import json

    found = [f for f in json.loads(result.stdout)["constats"] if f["code"] == "courriel-invalide"]
    assert sorted(f["ligne"] for f in found) == [2, 3], found


def test_one_bad_partner_is_reported_the_others_written(tmp_path: Path):
    """offres: a partner whose address would break the headers gets its letter, no e-mail, and a warning;
    the other partners' e-mails are written; a line break in the job title never reaches a header."""
    import copy

    from documents_data import ROWS

    rows = copy.deepcopy(ROWS)
    partners = [p for p in rows["T_Partenaires"] if p.get("recoit_offres") in (True, "Oui")]
    assert len(partners) >= 2
    partners[0]["courriel"] = "ml@x.fr\nBcc: espion@z.fr"
    for offer in rows["T_Offres"]:
        if offer["id"] == "O2018-006":
            offer["poste"] = "Maçon\nBcc: espion@z.fr"
    result, out = run("offres", tmp_path, rows)
    assert result.exit_code in (0, 1), result.stderr
    emls = sorted(out.glob("*.eml"))
    letters = sorted(out.glob("*.docx"))
    with_mail = [p for p in partners if p.get("courriel")]
    assert len(letters) == len(partners) and len(emls) == len(with_mail) - 1
    assert partners[0]["nom"] in result.stdout + result.stderr
    for path in emls:
        msg = email.message_from_bytes(path.read_bytes())
        assert "espion" not in (msg["To"] or "") and msg["Bcc"] is None
        assert "\n" not in msg["Subject"]


def test_control_sequences_are_printed_escaped(tmp_path: Path):
    """A cell holding ESC [ 2 J (clear screen) or a bell is printed as \\u001b…, never raw."""
    rows = base_rows()
    rows["T_Marches"][0]["statut"] = "En cours\x1b[2J\x07"
    source = make_workbook(tmp_path, rows)
    result = CliRunner().invoke(main, ["valider", str(source)], color=True)  # as on a terminal: nothing stripped
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\u001b[2J" in result.stdout, result.stdout


def test_output_cut_by_head_is_quiet_and_the_file_written(tmp_path: Path):
    """`clausexl valider … --rapport r.xlsx | head -1`: no BrokenPipeError, the report is written."""
    import subprocess
    import sys

    rows = base_rows()
    rows["T_Marches"] = rows["T_Marches"] * 300  # many findings (duplicate IDs): far more than a pipe holds
    source = make_workbook(tmp_path, rows)
    src = Path(__file__).resolve().parents[1] / "src"
    report = tmp_path / "r.xlsx"
    proc = subprocess.run(f"{sys.executable} -m clausexl valider {source} --rapport {report} | head -1",
                          shell=True, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})
    assert proc.stderr == "" and report.exists(), proc.stderr


@pytest.mark.parametrize("name", ["x" * 300 + ".xlsx", "sous-dossier-absent/" * 1 + "x" * 260 + ".xlsx"])
def test_names_over_255_bytes_give_one_sentence(tmp_path: Path, name: str):
    source = make_workbook(tmp_path, base_rows())
    result = CliRunner().invoke(main, ["heures", str(source), "--sortie", str(tmp_path / name)])
    assert result.exit_code == 2 and "nom de fichier trop long" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "inattendue" not in result.stderr


@pytest.mark.parametrize("args", [
    ["heures", "{w}", "--au", "0001-01-01"],
    ["anonymiser", "{w}", "--sortie", "{o}/copie.xlsx", "--au", "0001-01-01"],
    ["echeances", "{w}", "--au", "9999-12-31"],
    ["courriers", "{w}", "--mois", "0001-01", "--sortie", "{o}"],
    ["reperer", "{d}", "--classeur", "{w}", "--seuil", "nan"],
    ["reperer", "{d}", "--classeur", "{w}", "--seuil", "inf"],
    ["reperer", "{d}", "--classeur", "{w}", "--seuil", "-1"],
], ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_options_out_of_range_give_one_sentence(tmp_path: Path, args: list[str]):
    """Dates of year 1 or 9999, a threshold nan or inf: one French sentence, exit 2, nothing written."""
    from every_output import decp_file

    source = make_workbook(tmp_path, base_rows())
    out = tmp_path / "sorties"
    argv = [a.format(w=source, o=out, d=decp_file(tmp_path)) for a in args]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Erreur : L'option") and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_infinite_year_in_a_consolider_input(tmp_path: Path):
    """A funders' workbook whose year cell says inf: one sentence naming the file, exit 2."""
    import xlsxwriter

    path = tmp_path / "bilan.xlsx"
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": False})
    ws = book.add_worksheet("Données")
    from clausexl.core.funders_layout import COLUMNS

    for j, h in enumerate(COLUMNS):
        ws.write_string(0, j, h)
    for i, (key, value) in enumerate([("_producteur", "clausexl bilan"), ("_format", 1), ("_annee", 1e308 * 10)], 1):
        ws.write_string(i, 0, key)
        ws.write_string(i, 3, "info")
        ws.write(i, 2, value) if value != float("inf") else ws.write_formula(i, 2, "=1", None, float("inf"))
    book.close()
    result = CliRunner().invoke(main, ["consolider", str(path), str(path)])
    assert result.exit_code == 2 and "bilan.xlsx" in result.stderr and "inattendue" not in result.stderr, result.stderr


def test_demo_on_a_read_only_disk_gives_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A read-only disk (EROFS, simulated: tests run as root) stops demo with the reason in French."""
    import errno
    import os

    real = os.mkdir

    def read_only(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    result = CliRunner().invoke(main, ["demo", "--sortie", str(tmp_path / "demo")])
    assert result.exit_code == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "disque en lecture seule" in last and "inattendue" not in result.stderr, result.stderr
