"""Rows in error never reach a figure (docs/calculs.md §0): for each kind of error, the figures of the damaged
workbook equal the figures of the same workbook with the offending rows deleted by hand, and every verb
says what it left out (stderr line, exit 1, `lignes_ecartees`)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
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
    meant: Callable[[Rows], object] = lambda rows: None


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
                             rows.update(T_Heures=[h for h in rows["T_Heures"] if h["contrat"] != "C4"]))),
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
    assert "(référence à une ligne qui n'existe pas : 1, liée à une ligne écartée : 1)" in err
    assert "clausexl valider" in err
    assert json.loads(out)["lignes_ecartees"] == [
        {"feuille": "Contrats", "ligne": 7, "colonne": "Participant", "code": "reference-inconnue"},
        {"feuille": "Heures", "ligne": 16, "colonne": "Contrat", "code": "reference-ecartee"},
    ]


def test_cli_on_a_clean_workbook_says_nothing(tmp_path):
    code, out, err = run("heures", make_workbook(tmp_path, ROWS, PARAMETERS), "--au", "2019-03-15", "--json")
    assert (code, err, json.loads(out)["lignes_ecartees"]) == (0, "", [])


# --- « Non renseigné »: every breakdown adds up to its headline -----------------------------------

BREAKDOWNS = {
    "participants": ("participants_par_sexe", "participants_par_tranche_age", "participants_par_qualification"),
    "contrats": ("contrats_par_type", "contrats_par_modalite"),
    "marches_suivis": ("marches_par_type", "marches_par_dispositif"),
    "entreprises_engagees": ("entreprises_par_type",),
    "donneurs_ordre": ("donneurs_ordre_par_categorie",),
    "heures": ("heures_par_type_marche", "heures_par_dispositif"),
}


def blank_descriptive_rows() -> Rows:
    """The territory with one blank (or off-list) descriptive value of each kind: no row is left out."""
    rows = copy.deepcopy(ROWS)
    change("T_Participants", 1, sexe=None)(rows)
    change("T_Participants", 2, niveau_qualification="Bac pro")(rows)
    change("T_Participants", 3, date_naissance=None)(rows)
    change("T_Marches", 0, dispositif=None)(rows)
    change("T_Marches", 3, type_marche="Travaux publics")(rows)
    change("T_Contrats", 1, modalite=None)(rows)
    change("T_Contrats", 2, type_contrat=None)(rows)
    change("T_Entreprises", 3, type=None)(rows)
    change("T_DonneursOrdre", 1, categorie=None)(rows)
    return rows


def assert_breakdowns_add_up(data: dict[str, Any]) -> None:
    tables = data["tableaux"]
    for year, details in ((data, tables), (data["annee_precedente"], tables["annee_precedente"])):
        if year is None:
            continue
        for whole, keys in BREAKDOWNS.items():
            for key in keys:
                parts = year[key] if key in year else details[key]
                assert round(sum(parts.values()), 2) == year[whole], (year["annee"], key, parts, year[whole])
        assert round(sum(m["heures"] for m in details["heures_par_mois"].values()), 2) == year["heures"]
        for echeance in year["sorties"].values():
            assert set(echeance) >= {"Non échu", "Sans information"}


def test_blank_descriptive_values_are_counted_not_dropped():
    """A participant with a blank Sexe is still a beneficiary, counted « Non renseigné »; nothing is left out."""
    c = classeur_of(blank_descriptive_rows())
    result = bilan_classeur(c, Path("test.xlsx"), 2018, EXTRACTION)
    assert result.left_out == ()
    data = json.loads(json.dumps(result.to_dict()))
    assert data["participants"] == 4
    assert data["tableaux"]["participants_par_sexe"] == {"F": 2, "H": 1, "Non renseigné": 1}
    assert data["tableaux"]["participants_par_qualification"]["Non renseigné"] == 1
    assert data["tableaux"]["participants_par_tranche_age"]["Non renseigné"] == 1
    assert data["contrats_par_modalite"]["Non renseigné"] == 1
    assert data["contrats_par_type"]["Non renseigné"] == 1
    assert data["marches_par_dispositif"]["Non renseigné"] == 1
    assert data["marches_par_type"]["Non renseigné"] == 1
    assert "Non renseigné" not in data["criteres"]
    assert_breakdowns_add_up(data)
    same = figures(ROWS)[1]
    assert (data["participants"], data["heures"], data["contrats"]) == (same["participants"], same["heures"],
                                                                      same["contrats"])


def test_breakdowns_add_up_on_the_fixture():
    c = classeur_of(ROWS)
    data = json.loads(json.dumps(bilan_classeur(c, Path("test.xlsx"), 2018, EXTRACTION).to_dict()))
    assert "Non renseigné" not in data["tableaux"]["participants_par_sexe"]
    assert_breakdowns_add_up(data)


def test_breakdowns_add_up_on_the_demo(demo_run):
    from clausexl.verbs.bilan import bilan

    workbook = next(Path(demo_run.folder).glob("*.xlsm"))
    for year in (2017, 2018):
        assert_breakdowns_add_up(json.loads(json.dumps(bilan(workbook, year, EXTRACTION).to_dict())))


def test_funders_tables_add_up_and_say_the_data_quality(tmp_path):
    """In the funders' summary every counted table totals its headline, « Non renseigné » included, and
    page 1 carries the « Qualité des données » block."""
    import openpyxl

    from clausexl.verbs.bilan import write_funders

    rows = blank_descriptive_rows()
    CASES[1].damage(rows)
    result = bilan_classeur(classeur_of(rows), Path("test.xlsx"), 2018, EXTRACTION)
    s = result.summary
    sexes = next(x for x in s.sections if x.title == "Participants par sexe")
    assert [r[:2] for r in sexes.rows] == [("Femmes", 2), ("Hommes", 1), ("Non renseigné", 1)]
    assert sum(r[2] for r in sexes.rows) == 1.0
    for section in s.sections:
        if section.headers[1:] == ("Nombre", "Part") and section.title != "Participants par sexe":
            whole = sum(r[1] for r in section.rows)
            assert all(r[2] is None or abs(r[2] - r[1] / whole) < 1e-9 for r in section.rows), section.title
    path = write_funders(result, tmp_path / "Bilan 2018.xlsx")
    first = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in first.iter_rows(values_only=True) for c in row if c is not None]
    assert "Qualité des données" in cells
    assert "Mois saisi deux fois" in cells and 1 in cells


# --- documents and lists: built on the clean rows only ---------------------------------------------

DOCUMENT_CASES = [c for c in CASES if c.kind in ("reference-inconnue", "mois-en-double", "heures-excessives",
                                                   "dates-inversees", "identifiant-approche")]


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=[c.kind for c in DOCUMENT_CASES])
def test_documents_and_lists_ignore_rows_in_error(case: Case, tmp_path: Path):
    """Statements, reminders, buyers' bilans, certificates, the to-do list and the ranking of the damaged
    workbook say word for word what those of the clean workbook say; each says what it left out."""
    damaged, meant = copy.deepcopy(ROWS), copy.deepcopy(ROWS)
    case.damage(damaged)
    case.meant(meant)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (bad, bad_left), (good, _) = (documents_of(damaged, tmp_path / "a", d("2018-06-10")),
                                  documents_of(meant, tmp_path / "b", d("2018-06-10")))
    assert bad["documents"] and bad["documents"] == good["documents"]
    assert bad["echeances"] == good["echeances"] and bad["rapprocher"] == good["rapprocher"]
    expected = [{"feuille": s, "ligne": r, "colonne": col, "code": code} for s, r, col, code in case.left_out]
    assert [[x.to_dict() for x in left] for left in bad_left[:3]] == [expected] * 3


def test_extraire_personne_gives_rows_in_error_and_marks_them(tmp_path: Path):
    """Right of access: the person's rows in error are given too (found ignoring case), marked, and said."""
    rows = copy.deepcopy(ROWS)
    rows["T_Contrats"].append(_contract("C8", "p1 ", "M9", "E1", "Embauche directe", "CDD", "2018-03-01"))
    rows["T_Heures"].append(_hours("C8", "2018-03-01", 20))
    source = make_workbook(tmp_path, rows, PARAMETERS)
    code, out, err = run("extraire-personne", source, "--participant", "p1", "--json")
    assert code == 1 and "clausexl valider" in err
    data = json.loads(out)
    assert data["participant"] == "P1"
    contracts = data["feuilles"]["Contrats"]
    assert [(x["ID"], x["Écartée des chiffres"]) for x in contracts] == [("C1", None), ("C8", "reference-inconnue")]
    assert data["lignes_ecartees"] == [
        {"feuille": "Contrats", "ligne": 7, "colonne": "Marché", "code": "reference-inconnue"},
        {"feuille": "Heures", "ligne": 16, "colonne": "Contrat", "code": "reference-ecartee"},
    ]
    assert run("extraire-personne", source, "--participant", "p1", "--sortie", tmp_path / "P1.xlsx")[0] == 1
    first = openpyxl.load_workbook(tmp_path / "P1.xlsx").worksheets[0]
    assert ("Qualité des données : 2 lignes du classeur en erreur ont été écartées (référence à une ligne qui "
            "n'existe pas : 1, liée à une ligne écartée : 1). Elles sont données ici, marquées dans la colonne "
            "« Écartée des chiffres ».") in [c.value for row in first.iter_rows() for c in row]


# --- property: rows in error injected into valid workbooks change no figure ------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MONTHS = [d(f"2018-{m:02d}-01") for m in range(1, 13)]


@st.composite
def valid_rows(draw) -> Rows:
    """A small valid territory: 1–3 markets, 1–4 people, a contract each, some months of hours."""
    n_markets, n_people = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    rows: Rows = {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune"}],
        "T_Entreprises": [{"id": "E1", "raison_sociale": "BTP", "type": "Entreprise classique"},
                          {"id": "E2", "raison_sociale": "ETTI", "type": "ETTI"}],
        "T_Marches": [_market(f"M{i}", "D1", draw(st.sampled_from(schema.TYPES_MARCHE)), CONDITION,
                              draw(st.integers(10_000, 2_000_000)), "2018-01-01", "2018-12-31", "En cours", "E1")
                      for i in range(1, n_markets + 1)],
        "T_Participants": [{"id": f"P{i}", "nom": "Nom", "prenom": "Prénom", "sexe": draw(st.sampled_from("FH")),
                            "date_naissance": draw(st.dates(d("1960-01-01"), d("2002-12-31"))),
                            "niveau_qualification": draw(st.sampled_from(schema.NIVEAUX_QUALIFICATION)),
                            "rsa": "Oui"} for i in range(1, n_people + 1)],
        "T_Contrats": [], "T_Heures": [],
    }
    for i in range(1, n_people + 1):
        market = f"M{draw(st.integers(1, n_markets))}"
        rows["T_Contrats"].append(_contract(f"C{i}", f"P{i}", market, draw(st.sampled_from(["E1", "E2"])),
                                            draw(st.sampled_from(schema.MODALITES)), "CDD", "2018-01-01"))
        for month in draw(st.lists(st.sampled_from(MONTHS[:10]), unique=True, max_size=6)):
            rows["T_Heures"].append({"contrat": f"C{i}", "mois": month,
                                     "heures_travaillees": draw(st.integers(0, 150)),
                                     "heures_formation": draw(st.sampled_from([None, 0, 7.5, 35]))})
    return rows


def _injections(rows: Rows) -> st.SearchStrategy:
    contracts = [c["id"] for c in rows["T_Contrats"]]
    month = st.sampled_from(MONTHS)
    contract = st.sampled_from(contracts)
    return st.one_of(
        st.builds(lambda c, m, h: ("T_Heures", [_hours(c, m.isoformat(), h)]), contract, month,
                  st.integers(251, 400)),                                       # more than 250 h
        st.builds(lambda c, m, h: ("T_Heures", [_hours(c, m.isoformat(), -h)]), contract, month,
                  st.integers(1, 50)),                                          # negative hours
        st.builds(lambda c, m: ("T_Heures", [_hours(c, m.isoformat(), "beaucoup")]), contract, month),
        st.builds(lambda c, m: ("T_Heures", [_hours(c, m.isoformat(), "#N/A")]), contract, month),
        st.builds(lambda c, m: ("T_Heures", [_hours(c, m.isoformat(), 10)]), contract, month)
        .filter(lambda x: any(h["contrat"] == x[1][0]["contrat"] and h["mois"] == x[1][0]["mois"]
                              for h in rows["T_Heures"])),                      # a month entered twice
        st.builds(lambda who, m, h: ("T_Contrats+", [_contract("CX", who, "M1", "E1", schema.MODALITES[0], "CDD",
                                                               "2018-01-01"), _hours("CX", m.isoformat(), h)]),
                  st.sampled_from(["P99", "p1", None]), month, st.integers(1, 150)),  # unknown / missing person
        st.builds(lambda m, h: ("T_Marches+", [m, h]), month, st.integers(1, 150)),   # end before start
    )


def _inject(rows: Rows, injection: tuple[str, list[Any]], n: int) -> None:
    table, items = injection
    if table == "T_Heures":
        rows["T_Heures"].extend(items)
    elif table == "T_Contrats+":
        contract, hours = copy.deepcopy(items)
        if contract["participant"] == "p1":
            contract["participant"] = "P1"  # a known person: make the contract wrong another way
            contract["date_fin"] = d("2017-01-01")
        contract["id"] = hours["contrat"] = f"CX{n}"
        rows["T_Contrats"].append(contract)
        rows["T_Heures"].append(hours)
    else:
        month, hours = items
        rows["T_Marches"].append(_market(f"MX{n}", "D1", "Travaux", CONDITION, 100_000, "2018-06-01", "2018-01-01",
                                         "En cours", "E1"))
        rows["T_Contrats"].append(_contract(f"CM{n}", "P1", f"MX{n}", "E1", schema.MODALITES[0], "CDD", "2018-01-01"))
        rows["T_Heures"].append(_hours(f"CM{n}", month.isoformat(), hours))


def _figures(rows: Rows) -> tuple[dict[str, Any], dict[str, Any], int]:
    c = classeur_of(rows)
    h = heures_classeur(c, Path("t.xlsx"), d("2018-12-31")).to_dict()
    b = bilan_classeur(c, Path("t.xlsx"), 2018, EXTRACTION).to_dict()
    left = len(h.pop("lignes_ecartees"))
    assert len(b.pop("lignes_ecartees")) == left
    return h, b, left


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(st.data())
def test_injected_rows_in_error_change_no_figure(data):
    """`heures` and `bilan` on the damaged workbook give exactly the figures of the valid one."""
    rows = data.draw(valid_rows())
    damaged = copy.deepcopy(rows)
    injections = data.draw(st.lists(_injections(rows), min_size=1, max_size=4))
    for n, injection in enumerate(injections):
        _inject(damaged, injection, n)
    clean_h, clean_b, clean_left = _figures(rows)
    bad_h, bad_b, bad_left = _figures(damaged)
    assert clean_left == 0 and bad_left >= len(injections)
    assert bad_h == clean_h
    assert bad_b == clean_b


def test_network_workbook_adds_up_the_rows_left_out(tmp_path: Path):
    """Each structure's funders' workbook carries its count of rows left out; the network's first sheet says it."""
    import openpyxl

    from clausexl.adapters.network_workbook import read_funders, write_network
    from clausexl.core.consolidation import consolidate
    from clausexl.verbs.bilan import write_funders

    paths = []
    for name, damage in (("A", CASES[2].damage), ("B", lambda rows: None)):
        rows = copy.deepcopy(ROWS)
        damage(rows)
        result = bilan_classeur(classeur_of(rows), Path(f"{name}.xlsx"), 2018, EXTRACTION)
        paths.append(write_funders(result, tmp_path / f"Bilan {name}.xlsx"))
    datasets = [read_funders(p) for p in paths]
    network = consolidate(datasets, [p.name for p in paths])
    assert network.line("lignes_ecartees").values == (2, 0) and network.line("lignes_ecartees").total == 2
    out = write_network(network, datasets, tmp_path / "Réseau.xlsx")
    first = openpyxl.load_workbook(out).worksheets[0]
    assert "Qualité des données : 2 lignes en erreur écartées" in first.cell(4, 1).value


def test_ids_given_in_options_are_read_as_people_type_them(tmp_path: Path):
    """`--marche m1 ` finds M1 and `--offre o1` finds O1, as references in the sheets do."""
    from clausexl.verbs.clause import clause_classeur
    from clausexl.verbs.rapprocher import rapprocher_of

    c = classeur_of(ROWS)
    written = clause_classeur(c, tmp_path / "classeur.xlsx", " m1 ", sortie=tmp_path, today=d("2018-06-10"))
    assert [p.name for p in written.fichiers] == ["Clause - M1 - Ville de Cherbourg-en-Cotentin.docx"]
    assert rapprocher_of(c, "o1", d("2018-06-10")).result.offre.id == "O1"


@pytest.mark.parametrize("button", ["calculer_heures", "synthese_annee", "a_faire"])
def test_buttons_say_what_they_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, button: str):
    """A button clicked on a workbook with rows in error ends its message with the CLI's line."""
    import clausexl.excel as excel
    from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows
    from clausexl.excel import common
    from excel_payload import alert, enable_remote_engine
    from excel_payload import run as click

    enable_remote_engine(monkeypatch)
    monkeypatch.setattr(common, "today", lambda: REF_DATE)
    rows = demo_rows()
    first = rows["T_Heures"][0]
    rows["T_Heures"].append({**first, "heures_travaillees": 300.0})  # a month twice, and over 250 h
    path = make_workbook(tmp_path, rows, demo_parameters(), name="demo.xlsx")
    text, _ = alert(click(path, getattr(excel, button)))
    assert text.endswith("Attention : 1 ligne en erreur laissée de côté (plus de 250 heures dans un mois : 1) ; aucun chiffre, "
                         "document ni liste ne la compte. Lancez « clausexl valider » (ou « Vérifier la saisie ») "
                         "pour la voir et la corriger.")


def test_reperer_says_what_it_left_out(tmp_path: Path):
    """reperer reads the markets too: a market typed twice is left out and said, in JSON, on stderr and on
    the first sheet of the review workbook."""
    rows = copy.deepcopy(ROWS)
    CASES[0].damage(rows)  # a second market « m1 » of 9 000 000 €
    classeur = make_workbook(tmp_path, rows, PARAMETERS)
    decp_file = Path(__file__).resolve().parents[2] / "shared" / "data" / "decp" / "Marche.json"
    code, out, err = run("reperer", decp_file, "--classeur", classeur, "--departement", "35", "--json",
                         "--sortie", tmp_path / "reperage.xlsx")
    assert code == 1
    assert json.loads(out)["lignes_ecartees"] == [
        {"feuille": "Marchés", "ligne": 7, "colonne": "ID", "code": "cle-en-double"}]
    assert "1 ligne en erreur laissée de côté" in err and "clausexl valider" in err
    first = openpyxl.load_workbook(tmp_path / "reperage.xlsx").worksheets[0]
    texts = [c.value for row in first.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Qualité des données" in texts
    assert any(t.startswith("1 ligne du classeur en erreur a été écartée") for t in texts)


# --- property: rows in error injected change no document nor list -----------------------------------

def _with_offer(rows: Rows) -> Rows:
    """The territory with an open offer on M1 and a partner who receives offers (for offres and rapprocher)."""
    rows = copy.deepcopy(rows)
    rows["T_Offres"] = [{"id": "O1", "marche": "M1", "entreprise": "E1", "poste": "Maçon", "statut": "Ouverte",
                         "date_debut": d("2019-03-01")}]
    rows["T_Partenaires"] = [{"id": "PA1", "nom": "Mission locale", "type": schema.TYPES_PARTENAIRE[0],
                              "courriel": "contact@ml.example.org", "recoit_offres": "Oui"}]
    return rows


def documents_of(rows: Rows, folder: Path, today: dt.date, every_verb: bool = False,
                 ) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Every document verb and list on `rows`: file names with their text, the lists as JSON; and the rows
    each result says it left out (courriers twice and attestations first). `every_verb` adds offres (offer
    O1), releves and the clause of every market but the MX ones."""
    from clausexl.verbs.attestations import attestations_classeur
    from clausexl.verbs.clause import clause_classeur
    from clausexl.verbs.courriers import courriers_classeur
    from clausexl.verbs.echeances import echeances_of
    from clausexl.verbs.offres import offres_classeur
    from clausexl.verbs.rapprocher import rapprocher_of
    from clausexl.verbs.releves import releves_classeur
    from docread import docx_text

    c = classeur_of(rows)
    source = folder / "classeur.xlsx"
    results = [
        courriers_classeur(c, source, mois=d("2018-05-01"), sortie=folder / "mai", today=today),
        courriers_classeur(c, source, annee=2018, sortie=folder / "bilans", today=today),
        attestations_classeur(c, source, sortie=folder / "attestations", today=today),
    ]
    if every_verb:
        results += [
            offres_classeur(c, source, "O1", sortie=folder / "offres", today=today),
            releves_classeur(c, source, d("2018-05-01"), sortie=folder / "releves", today=today),
            *(clause_classeur(c, source, m["id"], sortie=folder / "clauses", today=today)
              for m in rows["T_Marches"] if not m["id"].startswith("MX")),
        ]
    texts = {p.relative_to(folder).as_posix(): docx_text(p) if p.suffix == ".docx" else _form_cells(p)
             for r in results for p in r.fichiers if p.suffix in (".docx", ".xlsx")}
    due, ranked = echeances_of(c, today), rapprocher_of(c, "O1", today)
    lists = {"echeances": {**due.to_dict(), "lignes_ecartees": None},
             "rapprocher": {**ranked.to_dict(), "lignes_ecartees": None}}
    return {"documents": texts, **lists}, [*(r.left_out for r in results), due.left_out, ranked.left_out]


def _form_cells(path: Path) -> list[list[Any]]:
    """A statement form's cells, without its « Qualité des données » line (it counts the rows left out)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    return [r for r in cells if not (r and str(r[0]).startswith("Qualité des données"))]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(st.data())
def test_injected_rows_in_error_change_no_document_nor_list(data):
    """courriers (statements, reminders, buyers' bilans), attestations, offres, releves, clause, echeances and
    rapprocher on the damaged workbook write word for word what they write on the valid one, and each says
    it left out at least the rows injected."""
    import tempfile

    rows = _with_offer(data.draw(valid_rows()))
    damaged = copy.deepcopy(rows)
    injections = data.draw(st.lists(_injections(rows), min_size=1, max_size=3))
    for n, injection in enumerate(injections):
        _inject(damaged, injection, n)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a").mkdir()
        (Path(folder) / "b").mkdir()
        clean, clean_left = documents_of(rows, Path(folder) / "a", d("2019-02-11"), every_verb=True)
        bad, bad_left = documents_of(damaged, Path(folder) / "b", d("2019-02-11"), every_verb=True)
    assert clean["documents"] and bad == clean
    assert not any(clean_left) and min(len(left) for left in bad_left) >= len(injections)
