"""Output workbooks print: landscape where wide, portrait where narrow, fit to width, header rows repeated;
the hours workbook names its months as the bilan does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.adapters.xlsx_out import OutSheet, write_workbook
from clausexl.cli import main
from clausexl.core.values import month_label
from clausexl.verbs.releves import releves
from statements import JUNE, PARAMS, rows
from workbooks import d, make_workbook


def test_hours_month_sheet_uses_the_bilans_month_labels(tmp_path: Path) -> None:
    out = tmp_path / "heures.xlsx"
    result = CliRunner().invoke(main, ["heures", str(make_workbook(tmp_path, base_rows())), "--au", "2018-12-31",
                                       "--sortie", str(out)])
    assert result.exit_code == 0, result.output
    values = list(openpyxl.load_workbook(out)["Mois"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(values) if r[0] == "Mois")
    assert [r[0] for r in values[header + 1:header + 4]] == ["avril 2018", "mai 2018", "juin 2018"]
    assert [r[1] for r in values[header + 1:header + 4]] == [150.0, 151.5, 140.0]
    assert month_label("2018-06") == "juin 2018"  # the bilan's « Heures » sheet uses the same function


def test_landscape_only_where_wide(tmp_path: Path) -> None:
    narrow = OutSheet("Étroite", ("Mois", "Heures"), [["mai 2018", 1.0]])
    wide = OutSheet("Large", [f"Colonne {i}" for i in range(12)], [list(range(12))])
    book = openpyxl.load_workbook(write_workbook(tmp_path / "x.xlsx", [narrow, wide]))
    assert book["Étroite"].page_setup.orientation == "portrait"
    assert book["Large"].page_setup.orientation == "landscape"
    for sheet in book.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows


def test_statement_form_repeats_its_table_header(tmp_path: Path) -> None:
    book = make_workbook(tmp_path, rows(), PARAMS, name="clauses.xlsm")
    form = releves(book, JUNE, sortie=tmp_path / "out").fichiers[0]
    ws = openpyxl.load_workbook(form)["Relevé"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Contrat")
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0


def _three_markets(tmp_path: Path) -> Path:
    """E1 holds M2018-004 (300 h owed, 441,5 h done), M2018-005 (500 h owed, 100 h done) and M2018-006,
    abandoned with 40 h done: one person, three contracts."""
    rows = base_rows()
    rows["T_Marches"][0].update(mode_calcul="Heures fixées", heures_prevues=300)
    market = {**rows["T_Marches"][0], "mode_calcul": "Heures fixées"}
    rows["T_Marches"] += [{**market, "id": "M2018-005", "heures_prevues": 500},
                          {**market, "id": "M2018-006", "heures_prevues": 200, "statut": "Abandonné"}]
    contract = rows["T_Contrats"][0]
    rows["T_Contrats"] += [{**contract, "id": "C002", "marche": "M2018-005", "date_debut": d("2018-07-01"),
                            "date_fin": d("2018-09-30")},
                           {**contract, "id": "C003", "marche": "M2018-006", "date_debut": d("2018-10-01"),
                            "date_fin": d("2018-10-31")}]
    rows["T_Heures"] += [{"contrat": "C002", "mois": d("2018-07-01"), "heures_travaillees": 100.0},
                         {"contrat": "C003", "mois": d("2018-10-01"), "heures_travaillees": 40.0}]
    return make_workbook(tmp_path, rows)


def _table(ws: Any, first: str) -> tuple[list[Any], list[dict[str, Any]]]:
    values = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(values) if r[0] == first)
    return list(values[header]), [dict(zip(values[header], r)) for r in values[header + 1:]]


def test_hours_workbook_names_the_parties_and_adds_up_in_total_rows(tmp_path: Path) -> None:
    out = tmp_path / "heures.xlsx"
    result = CliRunner().invoke(main, ["heures", str(_three_markets(tmp_path)), "--au", "2018-12-31",
                                       "--sortie", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    headers, markets = _table(book["Marchés"], "Marché")
    assert headers[2:6] == ["Donneur d'ordre", "Nom du donneur d'ordre", "Attributaire", "Nom de l'attributaire"]
    assert {(m["Donneur d'ordre"], m["Nom du donneur d'ordre"], m["Attributaire"], m["Nom de l'attributaire"])
            for m in markets[:3]} == {("D1", "Ville de Cherbourg-en-Cotentin", "E1", "Bâtiments du Cotentin")}
    engaged, idle = markets[3:]
    assert engaged["Marché"] == "Total avec obligation"
    assert (engaged["Heures prévues"], engaged["Heures réalisées"], engaged["Reste à réaliser"]) == (800, 541.5, 400)
    assert engaged["Taux de réalisation"] == 0.5  # (300 capped + 100) / 800: 100 % would mean nothing remains
    assert engaged["En retard"] == sum(m["En retard"] == "Oui" for m in markets[:3])
    assert (idle["Marché"], idle["Heures prévues"], idle["Heures réalisées"]) == ("Total sans obligation", 200, 40)
    assert idle["Reste à réaliser"] is None and idle["Taux de réalisation"] is None
    assert book["Marchés"].cell(book["Marchés"].max_row, 1).font.b  # total rows in bold
    _, companies = _table(book["Entreprises"], "ID")
    assert companies[-1]["ID"] == "Total"
    assert (companies[-1]["Heures prévues"], companies[-1]["Taux de réalisation"]) == (800, 0.5)
    assert (companies[-1]["Marchés sans obligation"], companies[-1]["Heures sur ces marchés"]) == (1, 40)
    _, employers = _table(book["Employeurs"], "ID")
    assert employers[-1] | {"Nom": None} == {"ID": "Total", "Nom": None, "Heures": 581.5, "dont travaillées": 581.5,
                                             "dont formation": 0, "Contrats": 3, "Participants": 1, "Marchés": 3}
    _, people = _table(book["Participants"], "Participant")
    assert (people[-1]["Participant"], people[-1]["Heures"], people[-1]["Contrats"]) == ("Total", 581.5, 3)
    _, months = _table(book["Mois"], "Mois")
    assert (months[-1]["Mois"], months[-1]["Heures"]) == ("Total", sum(m["Heures"] for m in months[:-1]))


def test_no_label_is_cut(tmp_path: Path) -> None:
    """Columns as wide as their longest cell (up to 45 characters, then the text wraps and its row grows);
    headers wrap between words, never inside one."""
    long_name = "Chantier d'insertion Les Jardins du Valserein et des Marais de la Saire"
    sheet = OutSheet("Noms", ("ID", "Nom", "Sous-traitance ou co-traitance SIAE"),
                     [["E1", "Bâtiments du Cotentin", 1.5], ["E2", long_name, 2.0]])
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "x.xlsx", [sheet]))["Noms"]
    assert ws.column_dimensions["B"].width >= 45 and ws.cell(3, 2).alignment.wrap_text
    assert ws.row_dimensions[3].height >= 30  # two lines for the long name
    assert ws.column_dimensions["C"].width >= len("co-traitance") + 1 and ws.row_dimensions[1].height >= 45
