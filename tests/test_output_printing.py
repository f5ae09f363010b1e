"""Output workbooks print: landscape where wide, portrait where narrow, fit to width, header rows repeated;
the hours workbook names its months as the bilan does."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.adapters.xlsx_out import OutSheet, write_workbook
from clausexl.cli import main
from clausexl.core.values import month_label
from clausexl.verbs.releves import releves
from statements import JUNE, PARAMS, rows
from workbooks import make_workbook


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
