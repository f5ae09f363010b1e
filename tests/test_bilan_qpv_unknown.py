"""The bilan never counts a participant « Hors QPV » silently: participants of the year whose QPV code is not
in the QPV sheet (valider: qpv-inconnu, an error) are said, with their NPNRU hours, in the key sentences, on
stderr, in `alertes` and in the funders' workbook; the yearly letters to buyers say it for NPNRU markets."""

from __future__ import annotations

import json

import openpyxl
import pytest

from test_hours_qpv_unknown import ROWS, WARNING, run
from workbooks import d, make_workbook

# P1 (QN050001M, known) 120 h and P2 (QN050009M, wrong digit) 80 h on NPNRU market N1 in 2026.
BILAN_SENTENCE = ("Attention : 1 participant dont le code QPV n'est pas dans la feuille QPV est compté hors QPV, "
                  "et ses 80\u00a0h sur des marchés NPNRU hors des heures des habitants des QPV ; corrigez-le "
                  "(clausexl valider : qpv-inconnu).")


def test_bilan_says_who_is_counted_outside_qpv_and_why(tmp_path):
    path = make_workbook(tmp_path, ROWS)
    sortie = tmp_path / "financeurs.xlsx"
    out = run("bilan", path, "--annee", 2026, "--au", "31/12/2026", "--json", "--sortie", sortie)
    assert out.exit_code == 1, out.output
    data = json.loads(out.stdout)
    assert (data["participants"], data["qpv"], data["part_qpv"]) == (2, 1, 0.5)
    assert (data["npnru"]["heures"], data["npnru"]["heures_residents_qpv"]) == (200, 120)
    assert data["alertes"] == [BILAN_SENTENCE]
    assert "alertes" not in data["tableaux"]
    assert BILAN_SENTENCE in out.stderr
    cells = [c for ws in openpyxl.load_workbook(sortie) for row in ws.iter_rows(values_only=True) for c in row]
    assert BILAN_SENTENCE in cells

    human = run("bilan", path, "--annee", 2026, "--au", "31/12/2026")
    assert human.exit_code == 1
    assert f"• {BILAN_SENTENCE}" in human.stdout


def test_without_npnru_hours_only_the_people_are_said(tmp_path):
    rows = {**ROWS, "T_Marches": [{**ROWS["T_Marches"][0], "npnru": False}],
            "T_Participants": [*ROWS["T_Participants"],
                               {**ROWS["T_Participants"][1], "id": "P3", "nom": "Petit", "qpv": "QX"}],
            "T_Contrats": [*ROWS["T_Contrats"], {**ROWS["T_Contrats"][1], "id": "C3", "participant": "P3"}],
            "T_Heures": [*ROWS["T_Heures"], {"contrat": "C3", "mois": d("2026-03-01"), "heures_travaillees": 10}]}
    data = json.loads(run("bilan", make_workbook(tmp_path, rows), "--annee", 2026, "--au", "31/12/2026",
                          "--json").stdout)
    assert data["alertes"] == ["Attention : 2 participants dont le code QPV n'est pas dans la feuille QPV sont "
                               "comptés hors QPV ; corrigez-les (clausexl valider : qpv-inconnu)."]


def test_known_codes_and_an_empty_qpv_sheet_say_nothing_more(tmp_path):
    known = {**ROWS, "T_QPV": [*ROWS["T_QPV"], {"code": "QN050009M", "nom": "Octeville", "commune": "Cherbourg"}]}
    out = run("bilan", make_workbook(tmp_path / "a", known), "--annee", 2026, "--au", "31/12/2026", "--json")
    assert (out.exit_code, json.loads(out.stdout)["alertes"], "Attention" in out.stderr) == (0, [], False)
    # An empty QPV sheet: `non_renseigne` already says the QPV figures are not known; no second warning.
    out = run("bilan", make_workbook(tmp_path / "b", {**ROWS, "T_QPV": []}), "--annee", 2026, "--au", "31/12/2026",
              "--json")
    data = json.loads(out.stdout)
    assert (data["qpv"], data["alertes"], "qpv" in data["non_renseigne"]) == (None, [], True)


def test_yearly_letters_to_buyers_say_it_for_npnru_markets(tmp_path):
    from clausexl.verbs.courriers import courriers

    result = courriers(make_workbook(tmp_path, ROWS), annee=2026, sortie=tmp_path / "out", today=d("2027-01-15"))
    assert result.fichiers
    assert WARNING in result.avertissements


@pytest.mark.usefixtures("remote_engine")  # tests/excel_demo.py: runs on 31/12/2019
def test_the_synthese_button_says_it_in_the_sheet_and_the_message(tmp_path):
    import clausexl.excel as excel
    from excel_payload import alert, run, written

    path = make_workbook(tmp_path, ROWS, {"annee_bilan": 2026}, name="demo.xlsx")
    book = run(path, excel.synthese_annee)
    assert BILAN_SENTENCE in [row[0] for row in written(book, "Synthèse 2026")]
    assert BILAN_SENTENCE in alert(book)[0]
