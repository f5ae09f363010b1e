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
