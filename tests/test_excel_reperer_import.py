"""« Repérer les marchés » end to end through xlwings' remote engine: a DECP file gives the review list; that
list, saved with « Oui » on some markets, appends them to T_Marches and the buyers they need to
T_DonneursOrdre — one write per table, under the rows already there, IDs after every ID typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from clausexl.core import schema
from clausexl.core.departements import departements_parameter
from clausexl.core.errors import InvalidOption
from clausexl.core.raw import column_letter
from clausexl.excel import marches
from clausexl.verbs.reperer import IMPORT, lignes_a_importer
from excel_payload import actions, alert, run, sheet_index
from test_decp import AWARDEE, BUYER
from test_decp_shapes import STATE, consolidated_rows, write_parquet
from test_excel_rgpd_decp_buttons import hex_utf16
from workbooks import d, make_workbook

pytestmark = pytest.mark.usefixtures("remote_engine")  # tests/excel_demo.py

LIST_NAME = "Repérage - decp.xlsx"


def workbook(folder: Path, parameters: dict[str, Any] | None = None, followed: tuple[str, ...] = ()) -> Path:
    """Ville de Paris by SIRET, a buyer without SIRET, the awardee; one market typed as M2026-004 (IDs go
    after it), and markets already followed by their Référence DECP."""
    markets = [{"id": "M2026-004", "donneur_ordre": "D1", "objet": "Voirie", "type_marche": "Travaux",
                "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500000, "date_debut": d("2026-01-01"),
                "date_fin": d("2026-12-31"), "attributaire": "E1", "statut": "En cours"}]
    markets += [{**markets[0], "id": f"M{i}", "reference_decp": ref} for i, ref in enumerate(followed)]
    folder.mkdir(parents=True, exist_ok=True)
    return make_workbook(folder, {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Paris", "categorie": "Commune", "siret": BUYER},
                            {"id": "D2", "nom": "Sans SIRET", "categorie": "Commune"}],
        "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâtisseurs SA", "type": "Entreprise classique",
                           "siret": AWARDEE}],
        "T_Marches": markets,
    }, {"departements_reperage": "50", **(parameters or {})})


def click(classeur: Path, chosen: Path) -> Any:
    """The button as the VBA callback calls it, after the file `chosen` was picked in the dialog."""
    return run(classeur, lambda: marches.reperer_marches(hex_utf16(str(chosen))))


def mark(liste: Path, references: dict[str, str]) -> None:
    """Type « Oui » in « À importer » on the rows of `references` (sheet → reference), save as Excel would."""
    book = openpyxl.load_workbook(liste)
    for reference, sheet in references.items():
        ws = book[sheet]
        header = next(r for r in range(1, 20) if ws.cell(r, 1).value == IMPORT)
        column = next(c for c in range(1, 30) if ws.cell(header, c).value == "Référence DECP")
        row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, column).value == reference)
        ws.cell(row, 1).value = "Oui"
    book.save(liste)


def writes(book: Any, sheet: str) -> list[dict[str, Any]]:
    return [a for a in actions(book, "setValues") if a["sheet_position"] == sheet_index(book, sheet)]


@pytest.fixture
def listed(tmp_path: Path) -> tuple[Path, Path]:
    """The workbook and the review list its first click wrote, from a consolidated parquet file."""
    classeur = workbook(tmp_path)
    parquet = write_parquet(tmp_path, consolidated_rows())
    text, mode = alert(click(classeur, parquet))
    liste = tmp_path / "sorties" / LIST_NAME
    assert mode == "info", text
    assert text.endswith(f"La liste à revoir est écrite : {liste}\nSaisissez Oui dans la colonne « À importer » pour "
                         "les marchés à reprendre, enregistrez la liste, puis cliquez de nouveau sur « Repérer les "
                         "marchés » et choisissez-la : ces marchés seront ajoutés à la feuille Marchés.\n\n"
                         "Attention : 1 enregistrement du territoire illisible, laissé de côté (feuilles "
                         "« Lecture » et « Illisibles » de la liste).")
    return classeur, liste


def test_the_saved_list_appends_its_oui_markets_and_their_new_buyer(listed: tuple[Path, Path]) -> None:
    """Two markets marked Oui: one write to Marchés (under its last row, IDs after M2026-004), one write to
    Donneurs d'ordre for the State buyer it did not know; the message says what was added and where."""
    classeur, liste = listed
    mark(liste, {f"{BUYER}W1": "Clauses non suivies", f"{STATE}E1": "Sans clause"})
    book = click(classeur, liste)
    text, mode = alert(book)
    assert mode == "info", text
    assert [a["func"] for a in book.json()["actions"]] == ["setValues", "resizeTable", "setValues", "resizeTable",
                                                           "alert"]
    (buyers,) = writes(book, "Donneurs d'ordre")
    assert buyers["start_row"] + 1 == 4  # under D1 and D2
    assert buyers["values"] == [["D3", "Préfecture", "État ou établissement public", STATE] + [""] * 6]
    (markets,) = writes(book, "Marchés")
    assert markets["start_row"] + 1 == 3  # under M2026-004
    headers = list(schema.MARCHES.keys)
    rows = [dict(zip(headers, r)) for r in markets["values"]]
    assert [(r["id"], r["donneur_ordre"], r["objet"], r["dispositif"], r["attributaire"], r["statut"],
             r["montant_ht"], r["date_debut"], r["reference_decp"]) for r in rows] == [
        ("M2026-005", "D1", "Groupe scolaire (avenant)", "Condition d'exécution (L2112-2)", "E1", "En cours",
         850000.0, "2026-09-15", f"{BUYER}W1"),
        ("M2026-006", "D3", "Gardiennage", "", "E1", "En préparation", 150000.0, "2026-09-01", f"{STATE}E1"),
    ]
    resized = [a["args"][1] for a in actions(book, "resizeTable")]
    assert resized == ["$A$1:$J$4", f"$A$1:${column_letter(len(headers))}$4"]
    assert text == (
        f"Marchés marqués Oui dans « {LIST_NAME} » : 2.\n"
        "• 2 ajoutés à la feuille Marchés (lignes 3 à 4) : M2026-005 Groupe scolaire (avenant); "
        "M2026-006 Gardiennage\n"
        "• 1 donneur d'ordre ajouté à la feuille Donneurs d'ordre (ligne 4) : D3 Préfecture\n"
        "\nComplétez le Dispositif et l'Attributaire des marchés « En préparation », vérifiez les lignes "
        "(« Vérifier la saisie »), puis enregistrez le classeur (ou fermez-le sans enregistrer pour annuler).")


def test_rows_are_the_library_rows_and_the_same_whatever_their_number(listed: tuple[Path, Path],
                                                                       tmp_path: Path) -> None:
    """The button appends exactly `lignes_a_importer`'s rows; one write per table for one market or all."""
    classeur, liste = listed
    library = lignes_a_importer(tmp_path / "decp.parquet", classeur, [f"{BUYER}W1", f"{BUYER}S1", f"{STATE}E1"])
    mark(liste, {f"{BUYER}W1": "Clauses non suivies", f"{BUYER}S1": "Sans clause", f"{STATE}E1": "Sans clause"})
    book = click(classeur, liste)
    (markets,) = writes(book, "Marchés")
    assert [r[0] for r in markets["values"]] == [m["id"] for m in library.marches] == [
        "M2026-005", "M2026-006", "M2026-007"]
    assert [r[-3] for r in markets["values"]] == [m["reference_decp"] for m in library.marches]
    assert len(writes(book, "Donneurs d'ordre")) == 1


def test_a_market_already_in_the_sheet_is_not_added_twice(tmp_path: Path) -> None:
    """The list was imported, the workbook saved: choosing the list again adds nothing and says why."""
    first = workbook(tmp_path / "avant")
    parquet = write_parquet(tmp_path, consolidated_rows())
    click(first, parquet)
    liste = tmp_path / "avant" / "sorties" / LIST_NAME
    mark(liste, {f"{BUYER}W1": "Clauses non suivies"})
    after = workbook(tmp_path / "apres", followed=(f"{BUYER}W1",))
    book = click(after, liste)
    text, mode = alert(book)
    assert mode == "info" and [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert text == (f"Marchés marqués Oui dans « {LIST_NAME} » : 1.\n"
                    f"• 1 déjà dans la feuille Marchés, non ajouté : {BUYER}W1\n"
                    "\nRien n'a été ajouté au classeur.")


def test_a_list_without_oui_says_what_to_do(listed: tuple[Path, Path]) -> None:
    classeur, liste = listed
    book = click(classeur, liste)
    text, mode = alert(book)
    assert mode == "critical" and [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert text == (f"Aucun marché n'est marqué Oui dans la colonne « À importer » de « {LIST_NAME} » : saisissez "
                    "Oui sur les lignes des marchés à reprendre, enregistrez la liste, puis choisissez-la de nouveau.")


def test_a_list_whose_decp_file_moved(listed: tuple[Path, Path], tmp_path: Path) -> None:
    classeur, liste = listed
    mark(liste, {f"{BUYER}W1": "Clauses non suivies"})
    (tmp_path / "decp.parquet").rename(tmp_path / "ailleurs.parquet")
    text, mode = alert(click(classeur, liste))
    assert mode == "critical"
    assert text.startswith(f"La liste « {LIST_NAME} » a été faite avec le fichier DECP « {tmp_path / 'decp.parquet'} »")


def test_another_workbook_is_not_a_list(tmp_path: Path) -> None:
    """An .xlsx that « Repérer les marchés » did not write (the facilitator's own table): one sentence."""
    classeur = workbook(tmp_path)
    other = make_workbook(tmp_path, {}, name="autre.xlsx")
    text, mode = alert(click(classeur, other))
    assert mode == "critical"
    assert text.startswith("Le fichier « autre.xlsx » n'est pas une liste écrite par « Repérer les marchés » :")


def test_without_territory_the_button_says_where_to_set_it_in_excel(tmp_path: Path) -> None:
    """No buyer SIRET, no commune, no département: the message names the sheets, never a CLI option."""
    classeur = make_workbook(tmp_path, {"T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune"}]})
    parquet = write_parquet(tmp_path, consolidated_rows())
    text, mode = alert(click(classeur, parquet))
    assert mode == "critical" and "--" not in text
    assert text == ("Le classeur « classeur.xlsx » ne dit pas quel est le territoire : aucun donneur d'ordre n'a de "
                    "SIRET (feuille Donneurs d'ordre), la feuille Territoire n'a aucune commune et le paramètre "
                    "« Départements repérés » de la feuille Paramètres est vide. Complétez l'un des trois (par "
                    "exemple 50 dans ce paramètre pour les marchés de la Manche).")


def test_the_departement_parameter_is_the_territory(tmp_path: Path) -> None:
    """« Départements repérés » = 50: the Manche's markets of buyers the workbook does not know are listed."""
    classeur = make_workbook(tmp_path, {"T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune"}]},
                             {"departements_reperage": "50 ; 14"})
    parquet = write_parquet(tmp_path, consolidated_rows())
    text, mode = alert(click(classeur, parquet))
    assert mode == "info", text
    assert "• Sans considération sociale, au-dessus du seuil : 1\n" in text  # the State's market in the Manche


@pytest.mark.parametrize("value, expected", [
    (None, ()), ("50", ("50",)), ("50, 14 ; 2a", ("50", "14", "2A")), ("5 974", ("05", "974")), ("50,50", ("50",)),
])
def test_departements_parameter(value: Any, expected: tuple[str, ...]) -> None:
    assert departements_parameter(value) == expected


@pytest.mark.parametrize("value", ["Manche", "50100", "50, 1x"])
def test_a_wrong_departement_parameter_is_one_sentence(value: str) -> None:
    with pytest.raises(InvalidOption, match="n'est pas un code de département"):
        departements_parameter(value)


def test_the_national_reference_of_the_diagnostic_is_a_parameter(tmp_path: Path) -> None:
    """« Part nationale de référence (%) », its source and year, in Paramètres: the button's diagnostic compares
    each buyer with them; the CLI's --part-nationale replaces them; empty, the OECP's 18,7 % of 2023."""
    import json

    import python_calamine
    from click.testing import CliRunner

    from clausexl.cli import main

    classeur = workbook(tmp_path, {"part_nationale": 0.127, "source_nationale": "OECP, collectivités",
                                   "annee_nationale": 2023})
    parquet = write_parquet(tmp_path, consolidated_rows())
    alert(click(classeur, parquet))
    rows = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "sorties" / LIST_NAME)).get_sheet_by_name(
        "Diagnostic").to_python()
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Acheteur")
    assert rows[header + 1][rows[header].index("Référence nationale")] == pytest.approx(0.127)
    notes = [" ".join(map(str, r)) for r in rows[:header]]  # a wide sheet's notes start in its second column
    assert any("12,7\u00a0%" in n and "OECP, collectivités, 2023" in n for n in notes)

    def cli(*options: str) -> dict[str, Any]:
        res = CliRunner().invoke(main, ["reperer", str(parquet), "--classeur", str(classeur), "--json", *options])
        data: dict[str, Any] = json.loads(res.stdout)["reference_nationale"]
        return data

    assert cli() == {"part": pytest.approx(0.127), "source": "OECP, collectivités", "annee": 2023}
    assert cli("--part-nationale", "30") == {"part": pytest.approx(0.30), "source": "donnée par l'utilisateur",
                                             "annee": 2023}
    empty = workbook(tmp_path / "vide")
    res = CliRunner().invoke(main, ["reperer", str(parquet), "--classeur", str(empty), "--json"])
    assert json.loads(res.stdout)["reference_nationale"]["part"] == pytest.approx(0.187)
