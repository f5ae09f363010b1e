"""An empty reference table (Territoire, QPV) makes its figures unknown, never « 0 % »."""

from __future__ import annotations

import copy

import openpyxl
import pytest
from click.testing import CliRunner

from bilan_fixture import EXTRACTION, PARAMETERS, ROWS
from clausexl.cli import main
from clausexl.core import funders_layout as layout
from clausexl.verbs.bilan import bilan, write_funders
from workbooks import make_workbook


@pytest.fixture(scope="module")
def empty_references(tmp_path_factory):
    rows = copy.deepcopy(ROWS)
    rows["T_Territoire"], rows["T_QPV"] = [], []
    return make_workbook(tmp_path_factory.mktemp("vides"), rows, PARAMETERS)


def test_json_gives_null_with_the_reason(empty_references):
    data = bilan(empty_references, 2018, EXTRACTION).to_dict()
    assert (data["entreprises_locales"], data["part_entreprises_locales"], data["qpv"], data["part_qpv"]) == (
        None, None, None, None)
    assert data["non_renseigne"] == {"entreprises_locales": "la feuille Territoire est vide",
                                     "qpv": "la feuille QPV est vide"}
    assert (data["npnru"]["heures"], data["npnru"]["heures_residents_qpv"], data["npnru"]["objectif_atteint"]) == (
        605, None, None)
    # the figures that do not need a reference table are unchanged (same as test_indicators)
    assert (data["participants"], data["entreprises_engagees"], data["criteres"]["RSA"]["nombre"]) == (4, 4, 2)


def test_filled_reference_tables_give_figures_and_no_reason(tmp_path):
    data = bilan(make_workbook(tmp_path, ROWS, PARAMETERS), 2018, EXTRACTION).to_dict()
    assert (data["entreprises_locales"], data["part_entreprises_locales"], data["qpv"]) == (2, 0.5, 2)
    assert data["non_renseigne"] == {}


def test_sentences_and_funders_workbook_say_not_known(empty_references, tmp_path):
    result = bilan(empty_references, 2018, EXTRACTION)
    sentences = result.summary.sentences
    assert ("4 entreprises engagées en tant qu'attributaires ou pour la mise à disposition ; entreprises locales : "
            "non renseigné — la feuille Territoire est vide.") in sentences
    assert any(s.endswith("; habitants d'un quartier prioritaire : non renseigné — la feuille QPV est vide.")
               for s in sentences)
    assert not any("0 locale" in s or "0 habitant" in s for s in sentences)
    book = openpyxl.load_workbook(write_funders(result, tmp_path / "Bilan 2018.xlsx"))
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Non renseigné (la feuille Territoire est vide)" in texts
    rows = [[c.value for c in r] for r in book["Données"].iter_rows()]
    values = {f.key: f.value for f in layout.parse_data_rows(rows, "Bilan 2018.xlsx").figures}
    assert values["entreprises_locales"] is None and values["part_entreprises_locales"] is None
    assert values["entreprises_engagees"] == 4


def test_cli_says_not_known(empty_references):
    out = CliRunner().invoke(main, ["bilan", str(empty_references), "--annee", "2018"])
    assert out.exit_code == 0, out.output
    assert "entreprises locales : non renseigné — la feuille Territoire est vide" in out.output


def test_participants_without_sex_birth_date_or_level_are_said(tmp_path):
    """Sexe, date of birth and qualification blank (valider: errors; the rows kept, « Non renseigné »): the
    shares are over all the year's participants, so the bilan says who lacks what — in `alertes`, its key
    sentences and on stderr (exit 1)."""
    rows = copy.deepcopy(ROWS)
    rows["T_Participants"][0]["sexe"] = None  # P1, a woman: 1 woman of 4 instead of 2
    rows["T_Participants"][1]["date_naissance"] = None
    rows["T_Participants"][3]["date_naissance"] = None
    path = make_workbook(tmp_path, rows, PARAMETERS)
    result = bilan(path, 2018, EXTRACTION)
    data = result.to_dict()
    assert (data["femmes"], data["participants"], data["tableaux"]["participants_par_sexe"]["Non renseigné"]) == (
        1, 4, 1)
    sentence = ("Attention : des participants de l'année ont des valeurs non renseignées (sexe : 1, date de "
                "naissance : 2) ; ils sont comptés « Non renseigné » dans les tableaux et dans le total sur lequel "
                "les parts (femmes, moins de 26 ans, sans qualification) sont calculées ; corrigez-les (clausexl "
                "valider : valeur-obligatoire).")
    assert data["alertes"] == [sentence]
    assert sentence in result.summary.sentences
    out = CliRunner().invoke(main, ["bilan", str(path), "--annee", "2018", "--au", "31/12/2018"])
    assert out.exit_code == 1 and sentence in out.stderr
    one = copy.deepcopy(ROWS)
    one["T_Participants"][0]["sexe"] = None
    assert bilan(make_workbook(tmp_path / "un", one, PARAMETERS), 2018, EXTRACTION).to_dict()["alertes"] == [
        "Attention : 1 participant de l'année a une valeur non renseignée (sexe) ; il est compté « Non renseigné » "
        "dans les tableaux et dans le total sur lequel les parts (femmes, moins de 26 ans, sans qualification) "
        "sont calculées ; corrigez-le (clausexl valider : valeur-obligatoire)."]
    assert bilan(make_workbook(tmp_path / "plein", ROWS, PARAMETERS), 2018, EXTRACTION).to_dict()["alertes"] == []
