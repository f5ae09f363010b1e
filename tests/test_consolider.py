"""consolider: funders' workbooks of several structures added up, shares recomputed, nothing personal read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import python_calamine as calamine
import xlsxwriter
from click.testing import CliRunner

from clausexl.cli import main
from clausexl.core import funders_layout as layout
from clausexl.verbs.consolider import consolider
from workbooks import TableRows, d

FIGURES = {
    "annee": 2018, "participants": 146, "heures": 28900.5, "heures_travaillees": 27000.5, "heures_formation": 1900,
    "etp": 18.06, "heures_par_etp": 1600, "femmes": 22, "part_femmes": 22 / 146,
    "criteres": {"RSA": {"nombre": 66, "part": 66 / 146}, "DELD": {"nombre": 0, "part": 0.0}},
    "marches_suivis": 30, "marches_par_type": {"Travaux": 17, "Services": 13}, "part_marches_travaux": 17 / 30,
    "entreprises_engagees": 29, "entreprises_locales": 15, "part_entreprises_locales": 15 / 29,
    "sorties": {"6 mois": {"Emploi durable": 3, "Non échu": 0}},
    "npnru": {"heures_prevues": 1000, "heures": 800, "heures_residents_qpv": 200, "part_residents_qpv": 0.25,
              "objectif_atteint": True},
    "annee_precedente": None,
}
SECOND = {
    "annee": 2018, "participants": 54, "heures": 100, "heures_travaillees": 100, "heures_formation": 0, "etp": 0.06,
    "heures_par_etp": 1607, "femmes": 28, "part_femmes": 28 / 54,
    "criteres": {"RSA": {"nombre": 4, "part": 4 / 54}, "DELD": {"nombre": 0, "part": 0.0}},
    "marches_suivis": 10, "marches_par_type": {"Travaux": 3, "Services": 7}, "part_marches_travaux": 0.3,
    "entreprises_engagees": 1, "entreprises_locales": 1, "part_entreprises_locales": 1.0,
    "sorties": {"6 mois": {"Emploi durable": 1, "Non échu": 2}},
    "npnru": {"heures_prevues": 0, "heures": 0, "heures_residents_qpv": 0, "part_residents_qpv": None,
              "objectif_atteint": False},
    "annee_precedente": None,
}


def funders_workbook(folder: Path, name: str, figures: dict[str, Any], structure: str | None = "MDE Cotentin",
                     year: int = 2018, producer: str = layout.PRODUCER_BILAN, with_data: bool = True) -> Path:
    """A funders' workbook as bilan writes it: a visible sheet with a participant's name, and the hidden
    `Données` sheet of the layout contract."""
    path = folder / name
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    visible = book.add_worksheet("Chiffres clés")
    visible.write_string(0, 0, "Dupont Jeanne, née le 01/02/1990")  # must never travel
    if with_data:
        ws = book.add_worksheet(layout.DATA_SHEET)
        for r, row in enumerate(layout.data_rows(figures, structure, year, "Cotentin", "2019-01-15", producer)):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        ws.hide()
    book.close()
    return path


def totals(path_or_result: Any) -> dict[str, Any]:
    return path_or_result.network.totals()


def test_a_bilan_with_itself_doubles_counts_and_keeps_shares(tmp_path: Path):
    """Consolidating a bilan with itself doubles every count, hour and ETP, and keeps every share and parameter."""
    one = funders_workbook(tmp_path, "bilan.xlsx", FIGURES)
    result = consolider([one, one])
    single: dict[str, Any] = {f.key: f.value for f in layout.figures_of(FIGURES)}
    t = totals(result)
    assert result.network.structures == ("MDE Cotentin", "MDE Cotentin (2)")
    for f in layout.figures_of(FIGURES):
        if f.type in layout.SUMMED:
            assert t[f.key] == pytest.approx(2 * single[f.key]), f.key
        elif f.type == "part":
            assert t[f.key] == pytest.approx(single[f.key]), f.key
        else:
            assert t[f.key] == single[f.key], f.key
    assert t["participants"] == 292 and t["heures"] == 57801


def test_two_structures_share_is_summed_ratio_not_mean(tmp_path: Path):
    """Shares are recomputed from summed numerators and denominators: women 50 of 200 = 25 %, not the mean of
    15.1 % and 51.9 %; a parameter that differs has no network value; Oui and Non give « 1 sur 2 »."""
    a = funders_workbook(tmp_path, "a.xlsx", FIGURES, "MDE Cotentin")
    b = funders_workbook(tmp_path, "b.xlsx", SECOND, "PLIE Saint-Lô")
    result = consolider([a, b])
    t = totals(result)
    assert result.network.structures == ("MDE Cotentin", "PLIE Saint-Lô")
    assert (t["participants"], t["femmes"], t["part_femmes"]) == (200, 50, 0.25)
    assert t["criteres.RSA.part"] == pytest.approx(70 / 200)
    assert t["part_marches_travaux"] == pytest.approx(20 / 40)
    assert t["part_entreprises_locales"] == pytest.approx(16 / 30)
    assert t["npnru.part_residents_qpv"] == pytest.approx(200 / 800)
    assert t["criteres.DELD.part"] == 0
    assert t["heures_par_etp"] is None
    assert t["npnru.objectif_atteint"] is None
    assert result.network.line("npnru.part_residents_qpv").values == (0.25, None)


def test_output_workbook_has_columns_per_structure_and_is_itself_readable(tmp_path: Path):
    """The network's workbook: one column per structure plus the total; its hidden Données sheet reads back
    with producer `clausexl consolider`; no text of the structures' other sheets is copied."""
    a = funders_workbook(tmp_path, "a.xlsx", FIGURES, "MDE Cotentin")
    b = funders_workbook(tmp_path, "b.xlsx", SECOND, "PLIE Saint-Lô")
    out = tmp_path / "reseau.xlsx"
    res = CliRunner().invoke(main, ["consolider", str(a), str(b), "--sortie", str(out)])
    assert res.exit_code == 0, res.output
    book = calamine.CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Chiffres clés", "Structures", layout.DATA_SHEET]
    rows = book.get_sheet_by_name("Chiffres clés").to_python()
    assert rows[4] == ["Indicateur", "MDE Cotentin", "PLIE Saint-Lô", "Total réseau"]
    by_label = {r[0]: r[1:] for r in rows[5:]}
    assert by_label["Participants"] == [146, 54, 200]
    assert by_label["Part de femmes"][2] == 0.25
    assert by_label["objectif atteint"] == ["Oui", "Non", "1 sur 2"]
    data = layout.parse_data_rows(book.get_sheet_by_name(layout.DATA_SHEET).to_python(), "reseau.xlsx")
    assert (data.producer, data.year) == (layout.PRODUCER_CONSOLIDER, 2018)
    assert {f.key: f.value for f in data.figures}["participants"] == 200
    everything = [str(v) for s in book.sheet_names for r in book.get_sheet_by_name(s).to_python() for v in r]
    assert not any("Dupont" in v for v in everything)


@pytest.mark.parametrize("case, expected", [
    ("year", "pas sur la même année"),
    ("producer", "pas par « clausexl bilan »"),
    ("no-data", "n'a pas de feuille « Données »"),
    ("version", "version du format"),
])
def test_refused_inputs(tmp_path: Path, case: str, expected: str):
    """Files of another year, made by another program, without the data sheet or of a newer format: exit 2."""
    a = funders_workbook(tmp_path, "a.xlsx", FIGURES)
    if case == "year":
        b = funders_workbook(tmp_path, "b.xlsx", SECOND | {"annee": 2019}, year=2019)
    elif case == "producer":
        b = funders_workbook(tmp_path, "b.xlsx", SECOND, producer=layout.PRODUCER_CONSOLIDER)
    elif case == "no-data":
        b = funders_workbook(tmp_path, "b.xlsx", SECOND, with_data=False)
    else:
        b = funders_workbook(tmp_path, "b.xlsx", SECOND)
        book = xlsxwriter.Workbook(str(b))
        ws = book.add_worksheet(layout.DATA_SHEET)
        rows = layout.data_rows(SECOND, "X", 2018)
        rows[2][2] = layout.FORMAT_VERSION + 1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        book.close()
    res = CliRunner().invoke(main, ["consolider", str(a), str(b), "--sortie", str(tmp_path / "r.xlsx")])
    assert res.exit_code == 2
    assert expected in res.output
    assert "b.xlsx" in res.output
    assert not (tmp_path / "r.xlsx").exists()


def test_cli_json_agrees_with_library(tmp_path: Path):
    """`consolider --json` prints the library's dict."""
    a = funders_workbook(tmp_path, "a.xlsx", FIGURES)
    res = CliRunner().invoke(main, ["consolider", str(a), str(a), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout) == json.loads(json.dumps(consolider([a, a]).to_dict()))


def test_layout_round_trip_and_declared_shares():
    """Rows written by `data_rows` read back identically, and every share names its numerator and denominator."""
    rows = layout.data_rows(FIGURES, "MDE", 2018)
    data = layout.parse_data_rows(rows, "x.xlsx")
    assert (data.producer, data.year, data.structure) == (layout.PRODUCER_BILAN, 2018, "MDE")
    assert [f.row() for f in data.figures] == [f.row() for f in layout.figures_of(FIGURES)]
    keys = {f.key for f in data.figures}
    for f in data.figures:
        if f.type == "part":
            assert {f.numerator, f.denominator} <= keys, f.key
    assert layout.share_terms("annee_precedente.criteres.RSA.part") == (
        "annee_precedente.criteres.RSA.nombre", "annee_precedente.participants")
    assert layout.share_terms("tableaux.annee_precedente.embauches_par_offre") == (
        "tableaux.annee_precedente.embauches", "tableaux.annee_precedente.offres_avec_candidatures")


def test_demo_bilan_with_itself(demo_run):
    """The funders' workbook `bilan` wrote for the demo's 2018, consolidated with itself: every count, hour and
    ETP doubles exactly, every share and ratio stays exactly (values are unrounded), a share over nothing
    stays empty."""
    from clausexl.verbs.bilan import bilan
    from clausexl.verbs.demo import AS_OF, DEMO_YEAR, WORKBOOK_NAME

    path = demo_run.folder / f"Bilan des clauses sociales {DEMO_YEAR}.xlsx"
    figures = bilan(demo_run.folder / WORKBOOK_NAME, DEMO_YEAR, extraction=AS_OF).to_dict()
    result = consolider([path, path])
    t = result.network.totals()
    assert result.network.structures == (DEMO_STRUCTURE, f"{DEMO_STRUCTURE} (2)")
    expected = layout.figures_of(figures)
    assert {f.key for f in expected} == set(t)
    for f in expected:
        if f.type in layout.RECOMPUTED:
            assert f.denominator is not None, f.key
            if not t[f.denominator]:
                assert f.value is None and t[f.key] is None, f.key  # a share over nothing is left empty
            else:
                assert t[f.key] == pytest.approx(f.value, rel=1e-12), f.key
        elif f.type in layout.SUMMED:
            assert f.value is not None, f.key
            assert t[f.key] == pytest.approx(2 * f.value, rel=1e-12), f.key
        else:
            assert t[f.key] == f.value, f.key
    assert (t["participants"], t["heures"]) == (292, 57800)


DEMO_STRUCTURE = "Maison de l'emploi et de la formation du Pays d'Aubrelle"


# --- Two small territories, through the real bilan -----------------------------------------------

# Rows alike test_hours_edges.py's in shape only: each test module states its own territory, in full.
#: A second structure, 2018: 3 participants (1 woman, no RSA), one followed works market of a local
#: company, 300 h (280 worked, 20 training), no NPNRU market, no job offer.
SAINT_LO: TableRows = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Saint-Lô", "categorie": "Commune"}],
    "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâtiments du Saint-Lois", "type": "Entreprise classique",
                       "code_postal": "50000", "commune": "Saint-Lô"}],
    "T_Marches": [{"id": "M1", "donneur_ordre": "D1", "objet": "Réhabilitation du centre culturel",
                   "type_marche": "Travaux", "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500_000,
                   "date_debut": d("2018-01-01"), "date_fin": d("2018-12-31"), "statut": "En cours",
                   "attributaire": "E1"}],
    "T_Participants": [
        {"id": "Q1", "nom": "Lemoine", "prenom": "Claire", "sexe": "F", "date_naissance": d("1990-01-01"),
         "niveau_qualification": "4 (Bac)"},
        {"id": "Q2", "nom": "Marie", "prenom": "Louis", "sexe": "H", "date_naissance": d("1980-06-01"),
         "niveau_qualification": "Infra 3 (sans qualification)"},
        {"id": "Q3", "nom": "Hamel", "prenom": "Théo", "sexe": "H", "date_naissance": d("1999-09-01"),
         "niveau_qualification": "Infra 3 (sans qualification)"},
    ],
    "T_Contrats": [
        {"id": "K1", "participant": "Q1", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2018-03-01"), "date_fin": d("2018-08-31")},
        {"id": "K2", "participant": "Q2", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2018-04-01"), "date_fin": d("2018-06-30")},
        {"id": "K3", "participant": "Q3", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDI", "date_debut": d("2018-05-01"), "date_fin": None},
    ],
    "T_Heures": [
        {"contrat": "K1", "mois": d("2018-03-01"), "heures_travaillees": 100},
        {"contrat": "K1", "mois": d("2018-04-01"), "heures_travaillees": 80, "heures_formation": 20},
        {"contrat": "K2", "mois": d("2018-04-01"), "heures_travaillees": 70},
        {"contrat": "K3", "mois": d("2018-05-01"), "heures_travaillees": 30},
    ],
    "T_Territoire": [{"commune": "Saint-Lô", "code_postal": "50000"}],
}


def test_two_territories_through_bilan(tmp_path: Path):
    """Funders' workbooks written by `bilan` for two small territories are accepted by `consolider`, and the
    network total is the hand sum: counts and hours summed, each share the summed numerator over the summed
    denominator, a ratio empty in one structure (no offer) recomputed from the other."""
    from bilan_fixture import EXTRACTION, territory
    from clausexl.verbs.bilan import bilan, write_funders
    from workbooks import make_workbook

    cotentin = write_funders(bilan(territory(tmp_path / "a"), 2018, EXTRACTION), tmp_path / "a.xlsx")
    saint_lo_book = make_workbook(tmp_path / "b", SAINT_LO, {"structure": "PLIE du Saint-Lois",
                                                             "territoire": "Saint-Lois"})
    saint_lo = write_funders(bilan(saint_lo_book, 2018, EXTRACTION), tmp_path / "b.xlsx")
    result = consolider([cotentin, saint_lo])
    n = result.network
    t = n.totals()
    assert n.structures == ("MEF du Cotentin", "PLIE du Saint-Lois")
    assert [d.territory for d in result.datasets] == ["Cotentin", "Saint-Lois"]
    # Cotentin (bilan_fixture): 4 participants, 925 h (95 training), 2 women, 2 RSA, 3 markets of which
    # 1 works, 4 companies of which 2 local, 1 hire for 1 offer. Saint-Lô: see SAINT_LO.
    assert n.line("participants").values == (4, 3)
    assert (t["participants"], t["heures"], t["heures_formation"], t["femmes"]) == (7, 1225, 115, 3)
    assert (t["marches_suivis"], t["marches_par_type.Travaux"], t["entreprises_engagees"]) == (4, 2, 5)
    assert t["etp"] == pytest.approx(1225 / 1600)
    assert t["part_femmes"] == pytest.approx(3 / 7)  # not the mean of 1/2 and 1/3
    assert t["criteres.RSA.part"] == pytest.approx(2 / 7)
    assert t["part_marches_travaux"] == pytest.approx(2 / 4)
    assert t["part_entreprises_locales"] == pytest.approx(3 / 5)
    assert t["part_sans_qualification"] == pytest.approx(4 / 7)
    assert n.line("tableaux.embauches_par_offre").values == (1, None)
    assert t["tableaux.embauches_par_offre"] == 1
    assert n.line("npnru.part_residents_qpv").values == (pytest.approx(400 / 605), None)
    assert t["npnru.part_residents_qpv"] == pytest.approx(400 / 605)


def test_alerts_travel_in_the_data_sheet():
    """A bilan's « Attention » sentences (`alertes`) are `_alerte.N` info rows, read back in order."""
    alert = "Attention : 1 participant dont le code QPV n'est pas dans la feuille QPV est compté hors QPV."
    rows = layout.data_rows({**FIGURES, "alertes": [alert, "Attention : une autre."]}, "MDE", 2018)
    assert [r[:4] for r in rows[7:9]] == [["_alerte.1", "Alerte", alert, "info"],
                                           ["_alerte.2", "Alerte", "Attention : une autre.", "info"]]
    assert layout.parse_data_rows(rows, "x.xlsx").alerts == (alert, "Attention : une autre.")
    assert layout.parse_data_rows(layout.data_rows(FIGURES, "MDE", 2018), "x.xlsx").alerts == ()


def test_consolider_says_each_structures_alerts_and_rows_left_out(tmp_path: Path):
    """Two bilans through the real `bilan`: one counts a participant « Hors QPV » for a QPV code missing from
    its QPV sheet and left a row in error out; `consolider` says both, naming the structure, on stderr (exit
    1), in `alertes` and on the network's first sheet — like `bilan` does for one structure."""
    from clausexl.verbs.bilan import bilan, write_funders
    from test_hours_qpv_unknown import ROWS
    from workbooks import make_workbook

    messy = {**ROWS, "T_Heures": [*ROWS["T_Heures"], {"contrat": "C9", "mois": d("2026-02-01"),
                                                      "heures_travaillees": 10}]}  # a deleted contract
    havres = make_workbook(tmp_path / "a", messy, {"structure": "MDE des Havres"})
    clean = make_workbook(tmp_path / "b", {**ROWS, "T_Participants": ROWS["T_Participants"][:1],
                                           "T_Contrats": ROWS["T_Contrats"][:1], "T_Heures": ROWS["T_Heures"][:1]},
                          {"structure": "PLIE du Val"})
    a = write_funders(bilan(havres, 2026, d("2026-12-31")), tmp_path / "a.xlsx")
    b = write_funders(bilan(clean, 2026, d("2026-12-31")), tmp_path / "b.xlsx")
    sentence = ("Attention (MDE des Havres) : 1 participant dont le code QPV n'est pas dans la feuille QPV est "
                "compté hors QPV, et ses 80\u00a0h sur des marchés NPNRU hors des heures des habitants des QPV ; "
                "corrigez-le (clausexl valider : qpv-inconnu).")
    left_out = ("Attention : 1 ligne en erreur écartée des chiffres (MDE des Havres : 1, PLIE du Val : 0) ; "
                "chaque structure la voit avec « clausexl valider ».")
    out = CliRunner().invoke(main, ["consolider", str(a), str(b), "--json", "--sortie", str(tmp_path / "r.xlsx")])
    assert out.exit_code == 1, out.output
    assert json.loads(out.stdout)["alertes"] == [sentence]
    assert out.stderr.splitlines()[-2:] == [left_out, sentence]
    rows = [r[0] for r in calamine.load_workbook(tmp_path / "r.xlsx").get_sheet_by_name("Chiffres clés").to_python()]
    assert sentence in rows[:6] and rows[rows.index(sentence) + 1] == "Indicateur"
    quiet = CliRunner().invoke(main, ["consolider", str(b), str(b)])
    assert (quiet.exit_code, quiet.stderr) == (0, "")
