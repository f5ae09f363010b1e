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


def totals(path_or_result) -> dict[str, Any]:
    return path_or_result.network.totals()


def test_a_bilan_with_itself_doubles_counts_and_keeps_shares(tmp_path: Path):
    """Consolidating a bilan with itself doubles every count, hour and ETP, and keeps every share and parameter."""
    one = funders_workbook(tmp_path, "bilan.xlsx", FIGURES)
    result = consolider([one, one])
    single = {f.key: f.value for f in layout.figures_of(FIGURES)}
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


def test_demo_bilan_with_itself(tmp_path: Path):
    """The demo's 2018 bilan (once `bilan` is on this branch), written with `data_rows` and consolidated with
    itself: every count doubles and every share stays."""
    bilan = pytest.importorskip("clausexl.verbs.bilan")
    from clausexl.verbs.demo import WORKBOOK_NAME, demo

    demo(tmp_path / "demo")
    figures = bilan.bilan(tmp_path / "demo" / WORKBOOK_NAME, 2018).to_dict()
    path = funders_workbook(tmp_path, "demo.xlsx", figures, "Démo")
    t = consolider([path, path]).network.totals()
    for f in layout.figures_of(figures):
        if f.type in layout.RECOMPUTED:
            if not t[f.denominator]:
                assert t[f.key] is None, f.key  # a share over nothing is left empty
            else:  # bilan may round what it prints (4 decimals for shares, 2 for ratios)
                assert t[f.key] == pytest.approx(f.value, abs=0.005), f.key
        else:
            expected = 2 * f.value if f.type in layout.SUMMED else f.value
            assert t[f.key] == (pytest.approx(expected) if expected is not None else None), f.key
