"""The echeances and rapprocher commands: JSON equal to the library, sheets written, errors as exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from clausexl.cli import main
from clausexl.verbs.echeances import echeances
from clausexl.verbs.rapprocher import HEADERS as CANDIDATS_HEADERS
from clausexl.verbs.rapprocher import rapprocher
from test_due import BASE
from test_matching import MAIN_ROWS
from workbooks import d, make_workbook


@pytest.fixture(scope="module")
def due_book(tmp_path_factory):
    return make_workbook(tmp_path_factory.mktemp("cli"), BASE)


@pytest.fixture(scope="module")
def pool_book(tmp_path_factory):
    return make_workbook(tmp_path_factory.mktemp("cli"), MAIN_ROWS)


def run(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_echeances_json_equals_library(due_book):
    """`echeances --json` prints the library's result: counts per kind and the items by date."""
    out = run("echeances", due_book, "--au", "2018-07-03", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data == echeances(due_book, d("2018-07-03")).to_dict()
    assert data["nombre"] == 7
    assert data["par_type"]["Éligibilité à vérifier"] == 2
    assert data["echeances"][0] == {
        "date": "2017-03-01", "type": "Données à anonymiser", "etat": "En retard", "qui": "Anne Roux (P5)",
        "reference": "P5", "action": "Anonymiser les données personnelles (clausexl anonymiser) : la durée de "
                                     "conservation de 5 ans après la fin du suivi est dépassée.",
    }


def test_echeances_counts_agree_with_their_number(due_book):
    """The closing line counts each kind in French: « 2 éligibilités à vérifier », « 1 relevé… »."""
    out = run("echeances", due_book, "--au", "2018-07-03")
    last = out.stdout.strip().splitlines()[-1]
    assert "2 éligibilités à vérifier" in last
    assert "1 personne dont les données sont à anonymiser" in last
    assert "2 éligibilité à vérifier" not in last


def test_echeances_sheet(due_book, tmp_path):
    """`--sortie` writes the `À faire` sheet: real dates, one row per item, in the list's order."""
    dest = tmp_path / "a-faire.xlsx"
    out = run("echeances", due_book, "--au", "2018-07-03", "--sortie", dest)
    assert out.exit_code == 0, out.output
    assert "Relevé d'heures manquant" in out.stdout and str(dest) in out.stdout
    ws = load_workbook(dest)["À faire"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(("Pour le", "État", "Type", "À faire", "Pour qui", "Références"))
    body = rows[header + 1:]
    assert [(r[0].date().isoformat(), r[5]) for r in body] == [
        ("2017-03-01", "P5"), ("2018-06-30", "P1 · C1"), ("2018-07-01", "P2"), ("2018-07-03", "M1"),
        ("2018-07-03", "P3"), ("2018-07-10", "M1 · C1"), ("2018-09-01", "M2")]
    again = run("echeances", due_book, "--au", "2018-07-03", "--sortie", dest)
    assert again.exit_code == 2 and "--force" in again.stderr


def test_rapprocher_json_equals_library(pool_book):
    """`rapprocher --json` prints the ranking with keys and reasons, and who was left out."""
    out = run("rapprocher", pool_book, "--offre", "O1", "--au", "2019-03-15", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data == rapprocher(pool_book, "O1", d("2019-03-15")).to_dict()
    assert data["criteres"] == ["propositions", "metier", "acces", "disponibilite", "public"]
    assert [c["participant"] for c in data["candidats"]][:4] == ["P01", "P16", "P17", "P02"]
    assert data["candidats"][3]["cle"] == {"propositions": 0, "metier": 0, "acces": 0, "disponibilite": 0,
                                           "public": 1}
    assert [e["participant"] for e in data["ecartes"]] == ["P13", "P14"]
    assert data["offre"]["npnru"] is True


def test_rapprocher_human_and_sheet(pool_book, tmp_path):
    """The text output lists every rank with its reasons; `--sortie` writes the `Candidats` sheet."""
    dest = tmp_path / "candidats.xlsx"
    out = run("rapprocher", pool_book, "--offre", "O1", "--au", "2019-03-15", "--sortie", dest)
    assert out.exit_code == 0, out.output
    assert "  1. PrénomP01 NomP01 (P01)" in out.stdout
    assert "· Recherche un métier du même domaine F17 (F1702, F1701)." in out.stdout
    ws = load_workbook(dest)["Candidats"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(CANDIDATS_HEADERS)
    assert [(r[0], r[1], r[10]) for r in rows[header + 1:header + 4]] == [
        (1, "P01", "0-0-0-0-0"), (2, "P16", "0-0-0-0-0"), (3, "P17", "0-0-0-0-0")]
    assert len(rows) - header - 1 == 14


@pytest.mark.parametrize("args, message", [
    (("rapprocher", "{book}", "--offre", "O99"), "L'offre « O99 » n'existe pas"),
    (("echeances", "{book}", "--au", "31/02/2019"), "--au attend une date JJ/MM/AAAA (ou AAAA-MM-JJ), pas « 31/02/2019 »"),
    (("echeances", "{missing}"), "n'existe pas"),
])
def test_cannot_proceed(pool_book, tmp_path, args, message):
    """An unknown offer, a bad date or a missing file stops with one French sentence and exit 2."""
    values = {"book": pool_book, "missing": tmp_path / "absent.xlsm"}
    out = run(*(a.format(**values) for a in args))
    assert out.exit_code == 2
    assert message in out.stderr and "Traceback" not in out.output


def test_empty_workbook(tmp_path):
    """On a workbook with no rows both verbs succeed with nothing to list."""
    book = make_workbook(tmp_path, {"T_Entreprises": [{"id": "E1", "raison_sociale": "X", "type": "EA"}],
                                    "T_Offres": [{"id": "O1", "entreprise": "E1", "poste": "Agent"}]})
    assert json.loads(run("echeances", book, "--json").stdout)["nombre"] == 0
    data = json.loads(run("rapprocher", book, "--offre", "O1", "--json").stdout)
    assert data["candidats"] == [] and data["ecartes"] == []
    assert "L'offre n'a pas de code ROME : saisissez-le pour comparer les métiers." in data["notes"]


def test_rows_left_out_give_exit_1(tmp_path):
    """A contract row missing a required value is left out, counted on stderr, exit 1."""
    rows = {**BASE, "T_Contrats": BASE["T_Contrats"] + [{"id": "C9", "participant": "P1"}]}
    out = run("echeances", make_workbook(tmp_path, rows), "--au", "2018-07-03")
    assert out.exit_code == 1
    assert "1 ligne en erreur laissée de côté (valeur obligatoire vide : 1)" in out.stderr
