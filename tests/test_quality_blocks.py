"""« Qualité des données » (docs/calculs.md §0) on the result sheets the buttons write in Excel and on the
statement forms, from the one function (`exclusion.quality_rows`): the counts by kind, or « aucune ligne
écartée ». Buttons through xlwings' remote engine, on the demo and on the demo with a row in error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import python_calamine

import clausexl.excel as excel
from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows
from clausexl.verbs.releves import releves
from excel_payload import payload, run, written
from statements import JUNE, PARAMS, rows
from workbooks import make_workbook

pytestmark = pytest.mark.usefixtures("remote_engine")  # tests/excel_demo.py

CLEAN = ["Qualité des données", "Aucune ligne écartée : toutes les lignes du classeur sont comptées."]
MESSY = ["Qualité des données",
         "1 ligne du classeur en erreur a été écartée : les chiffres ci-dessous ne la comptent pas.",
         "Identifiant en double : 1",
         "Le contrôle du classeur (clausexl valider, bouton « Vérifier la saisie ») la montre."]


@pytest.fixture(scope="module")
def messy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with its first participant typed twice (the later row is an error: left out), which every
    one of these buttons reads."""
    data = demo_rows()
    data["T_Participants"].append({**data["T_Participants"][0]})
    return make_workbook(tmp_path_factory.mktemp("messy"), data, demo_parameters(), name="demo.xlsx")


def first_cells(rows: list[list[Any]], count: int) -> list[Any]:
    return [r[0] for r in rows[:count]]


def offer_row(path: Path) -> dict[str, Any]:
    """The payload with the row of the demo's fifth offer selected (an open offer with candidates)."""
    return payload(path, active_sheet="Offres", selection="C6")


@pytest.mark.parametrize(("kind", "expected"), [("clean", CLEAN), ("messy", MESSY)])
def test_result_sheets_carry_the_block_under_their_title(demo: Path, messy_file: Path, kind: str,
                                                         expected: list[str]) -> None:
    path = demo if kind == "clean" else messy_file
    block = len(expected)
    dashboard = written(run(path, excel.calculer_heures), "Tableau de bord")
    assert first_cells(dashboard, 1 + block)[1:] == expected
    to_do = written(run(path, excel.a_faire), "À faire")
    assert first_cells(to_do, 2 + block)[2:] == expected
    assert to_do[2 + block][0] == "Pour le"  # then the table's header
    candidates = [r[0] for r in written(run(path, excel.proposer_candidats, offer_row(path)), "Candidats")]
    at = candidates.index("Qualité des données")
    assert candidates[at:at + block] == expected and candidates[at + block] == "Rang"


def test_statement_forms_say_what_was_left_out(tmp_path: Path) -> None:
    """On the line under the contact: the counts, and what a company does when one of its people is missing."""
    clean = rows()
    clean["T_Contrats"].pop()  # K5, whose start date is missing
    for name, data in (("propre", clean), ("avec-erreur", rows())):
        (tmp_path / name).mkdir()
        path = make_workbook(tmp_path / name, data, {**PARAMS, "mois_suivi": JUNE}, name="clauses.xlsx")
        made = releves(path, JUNE, sortie=tmp_path / name / "formulaires", today=REF_DATE).fichiers
        for form in made:
            book = python_calamine.CalamineWorkbook.from_path(str(form))
            line = book.get_sheet_by_name("Relevé").to_python()[3][0]
            if name == "propre":
                assert line == "Qualité des données : aucune ligne écartée, toutes les lignes du classeur sont comptées."
            else:
                assert line == ("Qualité des données : 1 ligne du classeur en erreur a été écartée (valeur obligatoire "
                                "vide : 1). Si une personne de votre entreprise manque dans la liste, remplissez pour "
                                "elle une ligne « Nouvelle personne ».")
