"""Rows in error never reach a figure (docs/calculs.md §0): for each kind of error, the figures of the damaged
workbook equal the figures of the same workbook with the offending rows deleted by hand, and every verb
says what it left out (stderr line, exit 1, `lignes_ecartees`)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bilan_fixture import EXTRACTION, PARAMETERS, ROWS, _contract, _hours, _market
from clausexl.cli import main
from clausexl.core import schema
from clausexl.core.classeur import Classeur, load_classeur
from clausexl.core.exclusion import DEPENDENT, screen
from clausexl.core.raw import RawTable
from clausexl.core.validation import validate
from clausexl.verbs.bilan import bilan_classeur
from clausexl.verbs.heures import heures_classeur
from workbooks import d, make_workbook

AU = d("2019-03-15")
Rows = dict[str, list[dict[str, Any]]]


def classeur_of(rows: Rows) -> Classeur:
    """The workbook of `rows` typed as the readers type it (header in row 1, data from row 2)."""
    raw = {t.name: RawTable(t.name, t.sheet, 1, [c.label for c in t.columns],
                            [[r.get(c.key) for c in t.columns] for r in rows.get(t.name, [])])
           for t in schema.TABLES}
    raw["T_Parametres"] = RawTable("T_Parametres", "Paramètres", 1, ["Paramètre", "Valeur"], [])
    return load_classeur(raw, "test.xlsx")


def figures(rows: Rows) -> tuple[dict[str, Any], dict[str, Any]]:
    """`heures` and `bilan 2018` as JSON objects, without the list of rows left out."""
    c = classeur_of(rows)
    h = heures_classeur(c, Path("test.xlsx"), AU).to_dict()
    b = bilan_classeur(c, Path("test.xlsx"), 2018, EXTRACTION).to_dict()
    h.pop("lignes_ecartees")
    b.pop("lignes_ecartees")
    return h, b


@dataclass(frozen=True)
class Case:
    kind: str
    damage: Callable[[Rows], None]
    left_out: tuple[tuple[str, int, str, str], ...]
    #: The same workbook as the facilitator meant it (default: the fixture, the bad rows deleted).
    meant: Callable[[Rows], None] = lambda rows: None


def add(table: str, *items: dict[str, Any]) -> Callable[[Rows], None]:
    return lambda rows: rows[table].extend(copy.deepcopy(list(items)))


def both(*edits: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def run(rows: Rows) -> None:
        for e in edits:
            e(rows)
    return run


def change(table: str, index: int, **values: Any) -> Callable[[Rows], None]:
    return lambda rows: rows[table][index].update(values)


CONDITION = schema.CONDITION_EXECUTION
CASES = [
    Case("cle-en-double", add("T_Marches", {**ROWS["T_Marches"][0], "id": " m1 ", "montant_ht": 9_000_000}),
         (("Marchés", 7, "ID", "cle-en-double"),)),
    Case("mois-en-double", add("T_Heures", _hours("C2", "2018-03-01", 100)), (("Heures", 16, "Mois", "mois-en-double"),)),
    Case("reference-inconnue",
         both(add("T_Contrats", _contract("C9", "P99", "M1", "E1", "Embauche directe", "CDD", "2018-03-01")),
              add("T_Heures", _hours("C9", "2018-03-01", 80))),
         (("Contrats", 7, "Participant", "reference-inconnue"), ("Heures", 16, "Contrat", DEPENDENT))),
    Case("entreprise supprimée",
         both(add("T_Contrats", _contract("C9", "P1", "M1", "E9", "Embauche directe", "CDD", "2018-03-01")),
              add("T_Heures", _hours("C9", "2018-03-01", 80))),
         (("Contrats", 7, "Employeur", "reference-inconnue"), ("Heures", 16, "Contrat", DEPENDENT))),
    Case("heures-excessives", add("T_Heures", _hours("C3", "2018-05-01", 260)),
         (("Heures", 16, "Heures travaillées", "heures-excessives"),)),
    Case("heures-negatives", add("T_Heures", _hours("C3", "2018-06-01", -5)),
         (("Heures", 16, "Heures travaillées", "heures-negatives"),)),
    Case("dates-inversees",
         both(add("T_Marches", _market("M6", "D1", "Travaux", CONDITION, 100_000, "2018-06-01", "2018-01-01",
                                       "En cours", "E1")),
              add("T_Contrats", _contract("C6", "P1", "M6", "E1", "Embauche directe", "CDD", "2018-06-01")),
              add("T_Heures", _hours("C6", "2018-06-01", 50))),
         (("Marchés", 7, "Date de fin", "dates-inversees"), ("Contrats", 7, "Marché", DEPENDENT),
          ("Heures", 16, "Contrat", DEPENDENT))),
    Case("type-invalide", add("T_Heures", _hours("C3", "2018-07-01", "beaucoup")),
         (("Heures", 16, "Heures travaillées", "type-invalide"),)),
    Case("montant illisible",
         add("T_Marches", _market("M7", "D1", "Travaux", CONDITION, "un million", "2018-01-01", "2018-12-31",
                                  "En cours", "E1")),
         (("Marchés", 7, "Montant HT (€)", "type-invalide"),)),
    Case("date manquante",
         both(add("T_Contrats", {**_contract("C7", "P4", "M1", "E1", "Embauche directe", "CDD", "2018-11-01"),
                                 "date_debut": None}),
              add("T_Heures", _hours("C7", "2018-11-01", 30))),
         (("Contrats", 7, "Date de début", "valeur-obligatoire"), ("Heures", 16, "Contrat", DEPENDENT))),
    Case("cle manquante", add("T_Participants", {**ROWS["T_Participants"][0], "id": None}),
         (("Participants", 7, "ID", "valeur-obligatoire"),)),
    Case("erreur-formule", add("T_Heures", _hours("C3", "2018-08-01", "#REF!")),
         (("Heures", 16, "Heures travaillées", "erreur-formule"),)),
    Case("date-hors-plage", add("T_Heures", _hours("C3", "2150-01-01", 20)),
         (("Heures", 16, "Mois", "date-hors-plage"),)),
    Case("statut hors liste", change("T_Marches", 3, statut="Suspendu"),
         (("Marchés", 5, "Statut", "valeur-hors-liste"), ("Contrats", 5, "Marché", DEPENDENT),
          ("Heures", 12, "Contrat", DEPENDENT), ("Heures", 13, "Contrat", DEPENDENT)),
         meant=lambda rows: (rows["T_Marches"].pop(3), rows["T_Contrats"].pop(3),
                             [rows["T_Heures"].remove(h) for h in list(rows["T_Heures"]) if h["contrat"] == "C4"])),
    # typed in the wrong case or with spaces: read as the key, nothing left out
    Case("identifiant-approche", both(change("T_Contrats", 2, marche="m1"), change("T_Heures", 4, contrat=" c2 ")),
         ()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_damaged_workbook_gives_the_figures_of_the_clean_one(case: Case):
    """Figures of `heures` and `bilan` equal those of the workbook with the bad rows deleted by hand."""
    damaged, meant = copy.deepcopy(ROWS), copy.deepcopy(ROWS)
    case.damage(damaged)
    case.meant(meant)
    assert figures(damaged) == figures(meant)
    screened = screen(classeur_of(damaged))
    assert tuple((r.sheet, r.row, r.column, r.code) for r in screened.left_out) == case.left_out


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_rows_left_out_are_rows_valider_calls_errors(case: Case):
    """`valider` stays the reference: each row left out on its own has an error finding of the same code there."""
    damaged = copy.deepcopy(ROWS)
    case.damage(damaged)
    c = classeur_of(damaged)
    errors = {(f.sheet, f.row, f.column, f.code) for f in validate(c) if f.is_error}
    own = {(r.sheet, r.row, r.column, r.code) for r in screen(c).left_out if r.code != DEPENDENT}
    assert own <= errors


def test_screening_twice_changes_nothing():
    damaged = copy.deepcopy(ROWS)
    CASES[2].damage(damaged)
    once = screen(classeur_of(damaged))
    assert screen(once) is once


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    """The territory with a contract on a participant who does not exist, and its hours."""
    rows = copy.deepcopy(ROWS)
    CASES[2].damage(rows)
    return make_workbook(tmp_path_factory.mktemp("messy"), rows, PARAMETERS)


def run(*args: Any) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("verb", [("heures", "--au", "2019-03-15"), ("bilan", "--annee", "2018")])
def test_cli_says_what_it_left_out(messy: Path, verb: tuple[str, ...]):
    """Exit 1, one French line on stderr with the counts by kind and the pointer to valider, the list in JSON."""
    code, out, err = run(verb[0], messy, *verb[1:], "--json")
    assert code == 1
    assert err.count("\n") == 1 and "2 lignes en erreur laissées de côté" in err
    assert "1 référence à une ligne qui n'existe pas, 1 liée à une ligne écartée" in err
    assert "clausexl valider" in err
    assert json.loads(out)["lignes_ecartees"] == [
        {"feuille": "Contrats", "ligne": 7, "colonne": "Participant", "code": "reference-inconnue"},
        {"feuille": "Heures", "ligne": 16, "colonne": "Contrat", "code": "reference-ecartee"},
    ]


def test_cli_on_a_clean_workbook_says_nothing(tmp_path):
    code, out, err = run("heures", make_workbook(tmp_path, ROWS, PARAMETERS), "--au", "2019-03-15", "--json")
    assert (code, err, json.loads(out)["lignes_ecartees"]) == (0, "", [])
