"""`clausexl heures` and `clausexl bilan` from the command line: JSON, files, exit codes, agreement."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from bilan_fixture import territory
from clausexl.cli import main
from clausexl.verbs.heures import heures
from workbooks import d


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return territory(tmp_path_factory.mktemp("cli"))


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_heures_json_equals_library(workbook):
    """`heures --json` prints the library's object, with the keys of docs/calculs.md §4."""
    code, out, _ = run("heures", workbook, "--au", "2018-12-31", "--json")
    assert code == 0
    data = json.loads(out)
    assert data == json.loads(json.dumps(heures(workbook, d("2018-12-31")).to_dict()))
    first = data["marches"][0]
    assert first["id"] == "M1" and first["en_retard"] is True
    assert {"id", "heures_prevues", "heures_calculees", "heures_realisees", "heures_travaillees",
            "heures_formation", "taux", "reste", "attendu_a_date", "en_retard", "penalite"} <= set(first)
    assert {"entreprises", "employeurs", "participants", "donneurs_ordre", "mois"} <= set(data)
    assert data["mois"][0] == {"mois": "2017-08", "heures": 100.0, "heures_travaillees": 100.0,
                               "heures_formation": 0.0}
    m5 = next(m for m in data["marches"] if m["id"] == "M2")
    assert (m5["heures_prevues"], m5["heures_calculees"]) == (600.0, 80.0)


def test_heures_and_bilan_agree(workbook):
    """Hours by market for --annee 2018 sum to the bilan's hours of 2018, and by month too."""
    _, out_h, _ = run("heures", workbook, "--annee", "2018", "--json")
    _, out_b, _ = run("bilan", workbook, "--annee", "2018", "--json")
    h, b = json.loads(out_h), json.loads(out_b)
    assert sum(m["heures_realisees"] for m in h["marches"]) == b["heures"] == 925
    assert sum(m["heures"] for m in h["mois"]) == b["heures"]
    # P5 has a 2018 row of 0 h: listed by heures, not a participant of the year
    assert sum(p["heures"] > 0 for p in h["participants"]) == b["participants"]


def test_bilan_json(workbook):
    """`bilan --json` prints numbers (not strings), the extraction date and the choices made."""
    code, out, _ = run("bilan", workbook, "--annee", "2018", "--json")
    data = json.loads(out)
    assert code == 0
    assert isinstance(data["participants"], int) and isinstance(data["part_femmes"], float)
    assert data["annee_precedente"]["annee"] == 2017
    assert data["choix"][0].startswith("ETP = heures ÷ 1\u00a0600")
    assert "date_extraction" in data and "tableaux" in data


def test_heures_writes_one_sheet_per_view(workbook, tmp_path):
    """`heures --sortie` writes a workbook with one sheet per view, late markets first."""
    out = tmp_path / "heures.xlsx"
    code, _, _ = run("heures", workbook, "--au", "2018-12-31", "--sortie", out)
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Marchés", "Entreprises", "Employeurs", "Participants", "Donneurs d'ordre", "Mois"]
    ids = [row[0] for row in book["Marchés"].iter_rows(values_only=True)]
    assert ids[ids.index("Marché") + 1] == "M1"


def test_bilan_sortie_json_lists_files_on_stderr(workbook, tmp_path):
    """With --json and --sortie, stdout stays one JSON object and the file is listed on stderr."""
    out = tmp_path / "bilan.xlsx"
    code, stdout, stderr = run("bilan", workbook, "--annee", "2018", "--json", "--sortie", out)
    assert code == 0 and out.exists()
    json.loads(stdout)
    assert str(out) in stderr


@pytest.mark.parametrize("args", [
    ("bilan", "{wb}"),  # --annee is required
    ("bilan", "{wb}", "--annee", "1800"),
    ("heures", "{wb}", "--au", "31-12-2018"),
    ("heures", "{tmp}/absent.xlsx"),
])
def test_cannot_proceed_exit_2(workbook, tmp_path, args):
    """A bad option or an unreadable file stops with exit code 2."""
    code, _, _ = run(*(a.format(wb=workbook, tmp=tmp_path) for a in args))
    assert code == 2


def test_existing_output_needs_force(workbook, tmp_path):
    """An existing --sortie is refused (exit 2) unless --force is given."""
    out = tmp_path / "b.xlsx"
    out.write_bytes(b"x")
    assert run("bilan", workbook, "--annee", "2018", "--sortie", out)[0] == 2
    assert out.read_bytes() == b"x"
    assert run("bilan", workbook, "--annee", "2018", "--sortie", out, "--force")[0] == 0


def test_human_output(workbook):
    """Without --json, bilan prints the key sentences and heures the markets."""
    _, out, _ = run("bilan", workbook, "--annee", "2018")
    assert "4 bénéficiaires ont réalisé 925 heures d'insertion" in out.replace("\u00a0", " ")
    _, out, _ = run("heures", workbook, "--au", "2018-12-31")
    assert "M1" in out and "EN RETARD" in out


def test_demo_heures_and_bilan_agree(tmp_path):
    """On the demo workbook, hours by market and by month for 2018 sum to the bilan's 28 900 h of 2018."""
    from clausexl.adapters.workbook_build import build_workbook
    from clausexl.demo_territory import demo_parameters, demo_rows

    path = tmp_path / "demo.xlsm"
    build_workbook(path, demo_rows(), demo_parameters())
    h = json.loads(run("heures", path, "--annee", "2018", "--json")[1])
    b = json.loads(run("bilan", path, "--annee", "2018", "--json")[1])
    assert round(sum(m["heures_realisees"] for m in h["marches"]), 2) == b["heures"] == 28900
    assert round(sum(m["heures"] for m in h["mois"]), 2) == b["heures"]
    assert sum(p["heures"] > 0 for p in h["participants"]) == b["participants"] == 146
