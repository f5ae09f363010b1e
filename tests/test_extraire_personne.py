"""extraire-personne reads as the person would: French dates, names beside IDs, a workbook that prints."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.cli import main
from workbooks import d, make_workbook


def person_workbook(tmp_path: Path) -> Path:
    rows = base_rows()
    rows["T_Entreprises"].append({"id": "E2", "raison_sociale": "GEIQ des Rivages", "type": "GEIQ"})
    rows["T_Offres"] = [{"id": "O1", "marche": "M2018-004", "entreprise": "E2", "poste": "Maçon VRD"}]
    rows["T_Candidatures"] = [{"offre": "O1", "participant": "P001", "date": d("2018-03-01"), "resultat": "Retenu"}]
    rows["T_Suivi"] = [{"participant": "P001", "echeance": "6 mois", "date": d("2018-12-31"), "situation": "CDI"}]
    return make_workbook(tmp_path, rows)


def test_lines_show_french_dates_and_names_beside_ids(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extraire-personne", str(person_workbook(tmp_path)), "--participant", "P001"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Date de naissance : 17 mai 1990" in out
    assert ("Marché : M2018-004 ; Objet du marché : Réhabilitation de l'école ; "
            "Acheteur : Ville de Cherbourg-en-Cotentin ; Employeur : E1 ; Nom de l'employeur : Bâtiments du Cotentin"
            in out)
    assert "Date de début : 1er avril 2018 ; Date de fin : 30 juin 2018" in out
    assert ("Contrat : C001 ; Objet du marché : Réhabilitation de l'école ; Acheteur : Ville de Cherbourg-en-Cotentin ; "
            "Employeur : Bâtiments du Cotentin ; Mois : mai 2018 ; Heures travaillées : 151,5\u00a0h" in out)
    assert "Offre : O1 ; Poste de l'offre : Maçon VRD ; Entreprise de l'offre : GEIQ des Rivages" in out
    assert "Date : 1er mars 2018" in out and "Date : 31 décembre 2018" in out
    assert "00:00:00" not in out and not re.search(r"\d{4}-\d{2}-\d{2}", out)


def test_a_market_lot_reads_lot_n(tmp_path: Path) -> None:
    """A lot typed « 2 » reads « Objet — lot 2 » beside the market ID (never a bare « — 2 »)."""
    rows = base_rows()
    rows["T_Marches"][0]["lot"] = "2"
    out = CliRunner().invoke(main, ["extraire-personne", str(make_workbook(tmp_path, rows)), "--participant", "P001"])
    assert "Objet du marché : Réhabilitation de l'école — lot 2 ;" in out.output


# Alike test_output_printing.py's tests in shape only: run a command with --sortie, open what it wrote.
def test_workbook_prints_with_dates_formatted_and_names(tmp_path: Path) -> None:
    target = tmp_path / "P001.xlsx"
    result = CliRunner().invoke(main, ["extraire-personne", str(person_workbook(tmp_path)), "--participant", "P001",
                                       "--sortie", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    first = [c.value for row in book.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Qualité des données : aucune ligne écartée, toutes les lignes du classeur sont comptées." in first
    contrats = book["Contrats"]
    rows = list(contrats.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == "ID")
    names = [c.value for c in rows[header]]
    assert names[names.index("Marché"):names.index("Marché") + 5] == [
        "Marché", "Objet du marché", "Acheteur", "Employeur", "Nom de l'employeur"]
    values = dict(zip(names, rows[header + 1]))
    assert values["Objet du marché"].value == "Réhabilitation de l'école"
    assert values["Acheteur"].value == "Ville de Cherbourg-en-Cotentin"
    assert values["Nom de l'employeur"].value == "Bâtiments du Cotentin"
    assert values["Date de début"].value == dt.datetime(2018, 4, 1)
    assert values["Date de début"].number_format == "dd/mm/yyyy"
    heures = book["Heures"]
    hrows = list(heures.iter_rows(values_only=False))
    hheader = next(i for i, r in enumerate(hrows) if r[0].value == "Contrat")
    mois = [c.value for c in hrows[hheader]].index("Mois")
    assert hrows[hheader + 1][mois].number_format == "mm/yyyy"
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToHeight == 0
        # one page wide (None: 1, the default), or a very wide table over pages side by side, its first column
        # repeated on each (sheet_layout.pages_wide)
        assert sheet.page_setup.fitToWidth in (None, 1) or sheet.print_title_cols == "$A:$A"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows  # the header row repeated on every printed page
    assert contrats.column_dimensions["G"].width >= 30  # a name column, wide enough for a market's object


def test_a_cell_typed_vrai_reads_oui(tmp_path: Path) -> None:
    """A criterion typed VRAI (a boolean cell, not the list's « Oui ») reads « Oui » for the person."""
    rows = base_rows()
    rows["T_Participants"][0].update(rsa=True, rqth=False)
    result = CliRunner().invoke(main, ["extraire-personne", str(make_workbook(tmp_path, rows)), "--participant",
                                       "P001"])
    assert "RSA : Oui" in result.output and "RQTH : Non" in result.output
    assert "True" not in result.output and "False" not in result.output


def test_the_persons_hours_add_up_in_a_total_row(tmp_path: Path) -> None:
    target = tmp_path / "P001.xlsx"
    result = CliRunner().invoke(main, ["extraire-personne", str(person_workbook(tmp_path)), "--participant", "P001",
                                       "--sortie", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(target)["Heures"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Contrat")
    worked = list(rows[header]).index("Heures travaillées")
    body, total = rows[header + 1:-1], rows[-1]
    assert total[0] == "Total" and total[worked] == sum(r[worked] or 0 for r in body) > 0
    contracts = list(openpyxl.load_workbook(target)["Contrats"].iter_rows(values_only=True))
    assert any("Heures hebdomadaires" in r for r in contracts)
    assert "Total" not in [r[0] for r in contracts]  # weekly hours are a schedule, not hours to add up
