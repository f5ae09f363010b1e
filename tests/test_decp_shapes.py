"""reperer on every DECP shape (consolidated parquet and CSV, JSON variants), the L2112-2-1 check, the
per-buyer diagnostic and the rows ready for T_Marches."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import python_calamine as calamine
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from clausexl.cli import main
from clausexl.core import decp, l2112
from clausexl.core.decp_report import total
from clausexl.verbs.reperer import lignes_a_importer, reperer
from test_decp import AWARDEE, BUYER, market, write_decp
from test_decp import classeur as classeur  # the fixture, used by name
from workbooks import d

STATE = "11000001500017"     # a State buyer (SIREN starting with 1), unknown to the workbook
LOCAL = "21500129100019"     # a commune of the Manche, unknown to the workbook


def consolidated_rows() -> list[dict]:
    """Consolidated DECP rows: one per market × holder × modification, as the national parquet has them."""
    base: dict[str, object] = {"acheteur_nom": "Ville de Paris", "acheteur_categorie": "Commune", "acheteur_departement_code": "75",
            "lieuExecution_code": "75001", "lieuExecution_typeCode": "Code postal", "codeCPV": "45233140-2",
            "type": "Marché", "procedure": "Appel d'offres ouvert", "dureeMois": 12, "titulaire_typeIdentifiant": "SIRET",
            "modification_id": None}
    rows: list[dict[str, object]] = [
        # A works market with a clause: two holders, then a modification that changes the amount.
        {"uid": f"{BUYER}W1", "id": "W1", "acheteur_id": BUYER, "objet": "Groupe scolaire", "montant": 800000.0,
         "dateNotification": "2026-09-15", "considerationsSociales": "Clause sociale, Critère social",
         "titulaire_id": AWARDEE, "donneesActuelles": False},
        {"uid": f"{BUYER}W1", "id": "W1", "acheteur_id": BUYER, "objet": "Groupe scolaire", "montant": 800000.0,
         "dateNotification": "2026-09-15", "considerationsSociales": "Clause sociale, Critère social",
         "titulaire_id": "81223113200026", "donneesActuelles": False},
        {"uid": f"{BUYER}W1", "id": "W1", "acheteur_id": BUYER, "objet": "Groupe scolaire (avenant)",
         "montant": 850000.0, "dateNotification": "2026-11-02", "considerationsSociales": "Clause sociale, Critère social",
         "titulaire_id": AWARDEE, "donneesActuelles": True, "modification_id": "1"},
        # Services of 250 000 € by a commune after 22/08/2026, no consideration: L2112-2-1 probable.
        {"uid": f"{BUYER}S1", "id": "S1", "acheteur_id": BUYER, "objet": "Nettoyage des écoles", "montant": 250000.0,
         "dateNotification": "2026-10-01", "considerationsSociales": "Sans objet", "codeCPV": "90910000-9",
         "titulaire_id": AWARDEE, "donneesActuelles": True},
        # Services of 200 000 €: under the 216 000 € threshold of local authorities.
        {"uid": f"{BUYER}S2", "id": "S2", "acheteur_id": BUYER, "objet": "Espaces verts", "montant": 200000.0,
         "dateNotification": "2026-10-01", "considerationsSociales": "NC", "codeCPV": "77310000-6",
         "titulaire_id": AWARDEE, "donneesActuelles": True},
        # The State's 150 000 € services, executed in the Manche: above the State's 140 000 €.
        {"uid": f"{STATE}E1", "id": "E1", "acheteur_id": STATE, "acheteur_nom": "Préfecture",
         "acheteur_categorie": "État", "acheteur_departement_code": "50", "objet": "Gardiennage", "montant": 150000.0,
         "dateNotification": "2026-09-01", "considerationsSociales": "CDL", "codeCPV": "79710000-4",
         "lieuExecution_code": "50100", "titulaire_id": AWARDEE, "donneesActuelles": True},
        # An absurd amount in the territory (Manche commune).
        {"uid": f"{LOCAL}X1", "id": "X1", "acheteur_id": LOCAL, "acheteur_nom": "Commune de Cherbourg",
         "acheteur_categorie": None, "acheteur_departement_code": "50", "objet": "Voirie", "montant": 3e12,
         "dateNotification": "2026-09-01", "considerationsSociales": "Pas de considération sociale",
         "lieuExecution_code": "50100", "titulaire_id": AWARDEE, "donneesActuelles": True},
        # Elsewhere: never read past the filter.
        {"uid": "99999999999999Z1", "id": "Z1", "acheteur_id": "99999999999999", "acheteur_departement_code": "13",
         "objet": "Ailleurs", "montant": 1e6, "dateNotification": "2026-09-01", "considerationsSociales": "Sans objet",
         "lieuExecution_code": "13001", "titulaire_id": AWARDEE, "donneesActuelles": True},
    ]
    return [{**base, **r} for r in rows]


def write_parquet(folder: Path, rows: list[dict], name: str = "decp.parquet") -> Path:
    path = folder / name
    pl.DataFrame(rows).write_parquet(path)
    return path


def write_csv(folder: Path, rows: list[dict], separator: str = ",", encoding: str = "utf-8",
              name: str = "decp.csv") -> Path:
    path = folder / name
    text = pl.DataFrame(rows).write_csv(separator=separator)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    return write_parquet(tmp_path, consolidated_rows())


def test_parquet_one_market_per_uid_filtered_on_the_territory(classeur: Path, parquet: Path):
    """One market per uid: the current row's attributes, the earliest notification, both holders; the
    other territory's row never leaves the filter; the absurd amount is counted, not used."""
    r = reperer(parquet, classeur, departements=("50",))
    n = r.counts()
    assert (n["enregistrements"], n["hors_territoire"], n["lignes_fusionnees"], n["illisibles"]) == (8, 1, 2, 1)
    assert r.tally.malformed == {"montant aberrant (négatif ou d'au moins 100 milliards d'euros)": 1}
    [w] = r.a_suivre
    assert (w.uid, w.objet, w.montant, w.date_notification) == (
        f"{BUYER}W1", "Groupe scolaire (avenant)", Decimal("850000.0"), dt.date(2026, 9, 15))
    assert w.titulaires == (AWARDEE, "81223113200026")
    assert w.considerations == ("Clause sociale", "Critère social")
    assert {c.id: c.alerte_l2112 for c in r.sans_clause} == {"S1": True, "E1": True}
    assert [c.id for c in r.tally.candidates if c.kind == decp.SOUS_SEUIL] == ["S2"]
    assert r.kind == "parquet"


def test_csv_in_another_separator_and_encoding_reads_like_the_parquet(classeur: Path, parquet: Path, tmp_path: Path):
    """The CSV twin, with « ; » and in Windows-1252 (a spreadsheet's export), gives the same result."""
    rows = consolidated_rows()
    csv = write_csv(tmp_path, rows, ";", "cp1252")
    a, b = reperer(parquet, classeur, departements=("50",)), reperer(csv, classeur, departements=("50",))
    assert b.kind == "csv"
    assert b.to_dict() | {"fichier": "", "format": ""} == a.to_dict() | {"fichier": "", "format": ""}


@pytest.mark.parametrize(("row", "missing"), [
    ({"uid": "1", "id": "1", "objet": "x"}, "les colonnes « acheteur_id », « montant », « dateNotification »"),
    ({"uid": "1", "id": "1", "objet": "x", "acheteur_id": "1", "dateNotification": "2026-01-01"},
     "la colonne « montant »"),
])
def test_parquet_without_needed_columns_is_one_sentence(classeur: Path, tmp_path: Path, row: dict, missing: str):
    path = write_parquet(tmp_path, [row])
    res = CliRunner().invoke(main, ["reperer", str(path), "--classeur", str(classeur)])
    assert res.exit_code == 2
    assert f"« {path.name} » n'a pas {missing} des DECP consolidées" in res.stderr
    assert "Traceback" not in res.output


@pytest.mark.parametrize("content", [b"\x00\x01binaire", b"nom;prenom\nA;B\n", b"", b"PAR1 tronque"])
def test_unknown_or_broken_shapes_are_one_sentence(classeur: Path, tmp_path: Path, content: bytes):
    path = tmp_path / "decp.dat"
    path.write_bytes(content)
    res = CliRunner().invoke(main, ["reperer", str(path), "--classeur", str(classeur)])
    assert res.exit_code == 2
    assert res.stderr.startswith("Erreur : ") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.output


@pytest.mark.parametrize("doc", [
    [market("A", 300000, considerations=["Clause sociale"])],                   # a bare list
    market("A", 300000, considerations=["Clause sociale"]),                     # one market alone
    {"marches": {"marche": [market("A", 300000) | {
        "considerationsSociales": {"considerationSociale": ["Clause sociale"]}}]}},  # v2, XML-shaped field
    {"marches": [market("A", 300000, considerations=["Clause sociale"])]},     # v1 package
])
def test_json_shapes_recognised_by_content(classeur: Path, tmp_path: Path, doc):
    path = tmp_path / "decp.txt"  # the name says nothing
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = reperer(path, classeur)
    assert [(c.id, c.considerations) for c in r.a_suivre] == [("A", ("Clause sociale",))]


@pytest.mark.parametrize("value, expected", [
    (["Clause sociale", "Marché réservé"], ("Clause sociale", "Marché réservé")),
    ({"considerationSociale": ["Critère social"]}, ("Critère social",)),
    ("Clause sociale, Critère social", ("Clause sociale", "Critère social")),
    ("Sans objet", ()), ("NC", ()), ("CDL", ()), ("", ()),
    ("Pas de considération sociale", ("Pas de considération sociale",)),
])
def test_three_encodings_of_social_considerations(value, expected):
    assert decp.social_considerations(value) == expected


@pytest.mark.parametrize("day, category, kind, expected", [
    (d("2025-06-01"), l2112.COLLECTIVITE, "Services", 221000), (d("2025-06-01"), l2112.ETAT, "Fournitures", 143000),
    (d("2025-06-01"), l2112.RESEAU, "Services", 443000), (d("2025-06-01"), l2112.COLLECTIVITE, "Travaux", 5538000),
    (d("2026-09-01"), l2112.COLLECTIVITE, "Services", 216000), (d("2027-12-31"), l2112.ETAT, "Services", 140000),
    (d("2026-01-01"), l2112.RESEAU, "Prestations intellectuelles", 432000),
    (d("2026-01-01"), l2112.RESEAU, "Travaux", 5404000),
])
def test_dated_thresholds(day, category, kind, expected):
    assert l2112.threshold(day, category, kind) == expected


def test_law_applies_from_its_date_and_seuil_overrides_the_list(classeur: Path, tmp_path: Path):
    """Notified before 22/08/2026: listed above the threshold but no L2112-2-1 warning; --seuil lowers the
    list's threshold, never the law's."""
    records = [market("BEFORE", 300000, cpv="90910000-9", dateNotification="2026-08-21"),
               market("AFTER", 300000, cpv="90910000-9", dateNotification="2026-08-22"),
               market("SMALL", 100000, cpv="90910000-9", dateNotification="2026-09-01")]
    r = reperer(write_decp(tmp_path, records), classeur)
    assert {c.id: c.alerte_l2112 for c in r.sans_clause} == {"BEFORE": False, "AFTER": True}
    low = reperer(write_decp(tmp_path, records, name="b.json"), classeur, seuil=90000)
    assert {c.id: c.alerte_l2112 for c in low.sans_clause} == {"BEFORE": False, "AFTER": True, "SMALL": False}
    res = CliRunner().invoke(main, ["reperer", str(tmp_path / "b.json"), "--classeur", str(classeur)])
    assert f"{BUYER}AFTER" in res.output and l2112.WARNING in res.output


def test_diagnostic_per_buyer_adds_up(classeur: Path, parquet: Path):
    """Each buyer's line, buyers with markets first (the workbook's first), then the workbook's without;
    the total is the sum and its share is recomputed; hours are those of markets without a consideration (docs/calculs.md §1)."""
    r = reperer(parquet, classeur, departements=("50",))
    lines = r.diagnostic()
    by_name = {line.nom: line for line in lines}
    paris, state, none = by_name["Ville de Paris"], by_name["Préfecture"], by_name["Sans SIRET"]
    assert (paris.donneur_ordre, paris.marches, paris.avec_consideration, paris.par_type["Critère social"]) == (
        "D1", 3, 1, 1)
    assert (paris.sans_consideration, paris.sans_au_dessus_seuil, paris.alertes_l2112) == (2, 1, 1)
    assert paris.heures_possibles == 200 + 160  # 250 000 and 200 000 × 40 % × 7 % ÷ 35
    assert paris.part == pytest.approx(1 / 3)
    assert (state.categorie, state.marches, state.alertes_l2112) == (l2112.ETAT, 1, 1)
    assert (none.marches, none.part) == (0, None)
    assert [line.nom for line in lines] == ["Ville de Paris", "Préfecture", "Sans SIRET"]  # without markets last
    t = total(lines)
    assert (t.marches, t.avec_consideration, t.heures_possibles) == (4, 1, 480)
    assert t.part == 0.25


def test_review_workbook_has_the_diagnostic_chart_and_rows_for_the_marches_sheet(classeur: Path, parquet: Path,
                                                                                  tmp_path: Path):
    out = tmp_path / "reperage.xlsx"
    res = CliRunner().invoke(main, ["reperer", str(parquet), "--classeur", str(classeur), "--departement", "50",
                                    "--sortie", str(out), "--part-nationale", "12.7", "--json"])
    assert res.exit_code == 1, res.output  # the absurd amount
    data = json.loads(res.stdout)
    assert data["reference_nationale"]["part"] == pytest.approx(0.127)
    assert data["diagnostic"][-1]["acheteur"] == "Total du territoire"
    import re
    import zipfile
    chart = zipfile.ZipFile(out).read("xl/charts/chart1.xml").decode()
    diag = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Diagnostic").to_python()
    first = next(i for i, row in enumerate(diag) if row and row[0] == "Acheteur") + 2  # Excel row of the first buyer
    # only the buyers with markets (Ville de Paris, Préfecture), not « Sans SIRET » who has none
    assert f"<c:f>Diagnostic!$A${first}:$A${first + 1}</c:f>" in chart
    assert [diag[first - 1 + k][0] for k in range(3)] == ["Ville de Paris", "Préfecture", "Sans SIRET"]
    assert re.search(r'<c:max val="1.1"/>', chart) and "Part des marchés avec une considération sociale" in chart
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert f'<brk id="{first + 4}"' in sheet  # printed on its own page: a break above the chart (2 rows under)
    rows = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Pour la feuille Marchés").to_python()
    header = next(i for i, row in enumerate(rows) if row and row[0] == "ID")
    table = [dict(zip(rows[header], row)) for row in rows[header + 1:]]
    assert [(t["ID"], t["Donneur d'ordre"], t["Référence DECP"], t["Dispositif"]) for t in table] == [
        ("M2026-001", "D1", f"{BUYER}W1", "Condition d'exécution (L2112-2)"),
        ("M2026-002", "D1", f"{BUYER}S1", ""), ("M2026-003", "D3", f"{STATE}E1", "")]
    buyers = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Donneurs à créer").to_python()
    assert buyers[-1][:4] == ["D3", "Préfecture", "État ou établissement public", STATE]


def test_library_rows_for_the_button(classeur: Path, parquet: Path):
    """`lignes_a_importer`: the chosen markets as T_Marches rows (schema keys), buyers matched or created."""
    rows = lignes_a_importer(parquet, classeur, [f"{BUYER}W1"], ("50",))
    [m] = rows.marches
    assert (m["id"], m["donneur_ordre"], m["attributaire"], m["statut"], m["date_debut"], m["date_fin"]) == (
        "M2026-001", "D1", "E1", "En cours", dt.date(2026, 9, 15), dt.date(2027, 9, 14))
    assert m["montant_ht"] == 850000 and m["motif_derogation"] is None and rows.donneurs == []
    with pytest.raises(Exception, match="absent"):
        lignes_a_importer(parquet, classeur, ["INCONNU"], ("50",))


@pytest.mark.parametrize("amount, notified, today, category, expected", [
    (250000, None, dt.date(2026, 9, 1), "Commune", True),            # drafted after the law, above 216 000 €
    (250000, None, dt.date(2026, 8, 21), "Commune", False),          # before the law
    (200000, None, dt.date(2026, 9, 1), "Commune", False),           # below
    (150000, None, dt.date(2026, 9, 1), "État ou établissement public", True),  # the State's 140 000 €
    (250000, dt.datetime(2026, 1, 5), dt.date(2026, 9, 1), "Commune", False),   # notified before the law
])
def test_clause_cites_l2112_2_1_above_the_threshold(amount, notified, today, category, expected):
    from clausexl.core.contexts.clause import above_european_threshold

    row = {"montant_ht": amount, "type_marche": "Services", "date_notification": notified}
    assert above_european_threshold(row, {"categorie": category, "siret": None}, today) is expected


def test_clause_template_cites_the_article():
    """The clause templates hold the sentence citing L2112-2-1 under its condition."""
    import zipfile

    xml = zipfile.ZipFile("templates/clause_condition_execution.docx").read("word/document.xml").decode()
    assert "{% if marche.l2112_2_1 %}, et article L2112-2-1" in xml


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12)
FIELDS = ("id", "acheteur", "objet", "montant", "dateNotification", "lieuExecution", "considerationsSociales",
          "titulaires", "nature", "codeCPV", "dureeMois")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=len(FIELDS)), st.booleans())
def test_any_record_is_classified_or_counted_malformed(record, ours):
    """Whatever a record holds, it is a candidate, a reason to leave it out, or Malformed — never another error."""
    if ours:
        record["acheteur"] = {"id": BUYER}
    territory = decp.Territory({BUYER: "D1"}, frozenset({"50"}), frozenset(), frozenset(), {},
                               {"part_main_oeuvre": 0.4, "taux_insertion": 0.07, "cout_horaire": 35, "arrondi": 1})
    try:
        outcome = decp.classify(record, territory)
    except decp.Malformed as err:
        assert err.reason
    else:
        assert isinstance(outcome, (str, decp.Candidate))
