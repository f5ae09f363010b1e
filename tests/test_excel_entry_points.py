"""The ribbon's entry points, run on Linux through xlwings' remote engine.

A payload like the one the VBA client sends is built from a real workbook file; the entry point
runs on `xw.Book(json=payload)` as its `Book.caller()`, and the test reads what it would have done
in Excel from the book's queued actions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

import clausexl.excel as excel
from clausexl.adapters.excel_live import FILL_ERROR, FILL_WARNING, MAX_HIGHLIGHTS
from clausexl.core import schema
from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows
from clausexl.excel import common, saisie
from clausexl.verbs.valider import REPORT_HEADERS, report_rows, valider
from excel_payload import actions, alert, coloured, data_sheets_untouched, enable_remote_engine, payload, run, written
from workbooks import d, make_workbook

BUYER = {"nom": "Ville de Cherbourg", "categorie": schema.CATEGORIES_DONNEUR[0]}


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The remote engine needs a licence key; the noncommercial one is set for tests only. The button's
    day is the demo's."""
    enable_remote_engine(monkeypatch)
    monkeypatch.setattr(common, "today", lambda: REF_DATE)


# --- Vérifier la saisie --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("demo"), demo_rows(), demo_parameters(), name="demo.xlsx")


def errors_rows(buyers: int) -> dict[str, list[dict[str, Any]]]:
    """`buyers` valid buyers, then one buyer without a name and one market with an unknown buyer."""
    rows = [{"id": f"D{i:05d}", **BUYER} for i in range(1, buyers + 1)]
    rows.append({"id": "D99999", "categorie": schema.CATEGORIES_DONNEUR[0]})
    market = {
        "id": "M2018-001", "donneur_ordre": "D00000", "objet": "Voirie", "type_marche": "Travaux",
        "dispositif": schema.CONDITION_EXECUTION, "montant_ht": 100000, "date_debut": d("2018-01-01"),
        "date_fin": d("2018-12-31"), "statut": "En préparation", "heures_prevues": 500,
    }
    return {"T_DonneursOrdre": rows, "T_Marches": [market]}


def test_verifier_saisie_writes_what_valider_finds_on_the_demo(demo: Path) -> None:
    """On the demo, `Contrôles` holds exactly the CLI's findings (live reader = file reader)."""
    book = run(demo, excel.verifier_saisie)
    rapport = valider(demo, REF_DATE)
    rows = written(book, "Contrôles")
    assert rows[0][0] == f"{rapport.counts} dans demo.xlsx"
    assert rows[1] == list(REPORT_HEADERS)
    expected = [r[:-1] for r in report_rows(rapport)]
    assert [[v if v != "" else None for v in r[:-1]] for r in rows[2:]] == expected
    assert data_sheets_untouched(book)


def test_verifier_saisie_on_a_workbook_with_errors(tmp_path: Path) -> None:
    """Each finding is listed with a link, its cell is coloured, and the message gives the counts."""
    path = make_workbook(tmp_path, errors_rows(3))
    book = run(path, excel.verifier_saisie)
    rows = written(book, "Contrôles")
    assert rows[0][0] == "2 erreurs, 0 avertissement dans classeur.xlsx"
    assert [r[:5] for r in rows[2:]] == [
        ["Donneurs d'ordre", 5, "Nom", "valeur-obligatoire", "erreur"],
        ["Marchés", 2, "Donneur d'ordre", "reference-inconnue", "erreur"],
    ]
    assert rows[2][7] == '=HYPERLINK("#\'Donneurs d\'\'ordre\'!B5","Aller à la cellule")'
    assert rows[3][7] == '=HYPERLINK("#\'Marchés\'!B2","Aller à la cellule")'
    assert coloured(book) == {("Donneurs d'ordre", 5, 2): FILL_ERROR, ("Marchés", 2, 2): FILL_ERROR}
    text, mode = alert(book)
    assert mode == "info"
    assert text == (
        "2 erreurs, 0 avertissement dans classeur.xlsx.\n\nLa liste est dans la feuille « Contrôles » "
        "(un lien par ligne) ; 2 cellules colorées (rouge : erreur, jaune : avertissement)."
    )
    assert data_sheets_untouched(book)


def test_verifier_saisie_uncolours_what_it_coloured_last_time(tmp_path: Path) -> None:
    """Cells listed in the previous `Contrôles` and now correct lose their fill; others keep theirs."""
    path = make_workbook(tmp_path, errors_rows(3))
    data = payload(path)
    previous = [["ancien résumé"], list(REPORT_HEADERS),
                ["Donneurs d'ordre", 2, "Nom", "valeur-obligatoire", "erreur", None, "…", None],
                ["Marchés", 2, "Donneur d'ordre", "reference-inconnue", "erreur", None, "…", None]]
    (controles,) = [s for s in data["sheets"] if s["name"] == "Contrôles"]
    controles["values"] = previous
    book = run(path, excel.verifier_saisie, data)
    assert coloured(book) == {
        ("Donneurs d'ordre", 2, 2): None,
        ("Donneurs d'ordre", 5, 2): FILL_ERROR,
        ("Marchés", 2, 2): FILL_ERROR,
    }


def test_warnings_are_yellow_and_a_clean_workbook_says_so(tmp_path: Path) -> None:
    """A warning colours its cell yellow; no finding at all gives the all-clear message."""
    rows = {"T_DonneursOrdre": [{"id": "D1", **BUYER, "code_postal": "501"}]}
    book = run(make_workbook(tmp_path, rows, name="avert.xlsx"), excel.verifier_saisie)
    assert coloured(book) == {("Donneurs d'ordre", 2, 6): FILL_WARNING}
    clean = run(make_workbook(tmp_path, {"T_DonneursOrdre": [{"id": "D1", **BUYER}]}), excel.verifier_saisie)
    assert alert(clean) == ("Aucune erreur, aucun avertissement : la saisie est correcte.", "info")
    assert written(clean, "Contrôles")[2:] == []


def test_colouring_is_capped(tmp_path: Path) -> None:
    """Past MAX_HIGHLIGHTS offending cells, only the first ones are coloured and the message says so."""
    rows = [{"id": f"D{i}", "categorie": schema.CATEGORIES_DONNEUR[0]} for i in range(MAX_HIGHLIGHTS + 20)]
    book = run(make_workbook(tmp_path, {"T_DonneursOrdre": rows}), excel.verifier_saisie)
    assert len(actions(book, "setRangeColor")) == MAX_HIGHLIGHTS
    assert len(written(book, "Contrôles")) == 2 + MAX_HIGHLIGHTS + 20
    assert f"les {MAX_HIGHLIGHTS} premières cellules en cause sont colorées" in alert(book)[0]


def test_number_of_excel_actions_does_not_grow_with_rows(tmp_path: Path) -> None:
    """10 rows or 10 000 rows: the same actions, in the same order (only the values differ)."""
    small = run(make_workbook(tmp_path, errors_rows(10), name="petit.xlsx"), excel.verifier_saisie)
    large = run(make_workbook(tmp_path, errors_rows(10_000), name="grand.xlsx"), excel.verifier_saisie)
    shape = [(a["func"], a["sheet_position"], a["args"][0] if a["func"] == "setRangeColor" else None)
             for a in small.json()["actions"]]
    assert len(shape) == 7  # clear, values, bold header, show sheet, 2 fills, message
    assert [(a["func"], a["sheet_position"], a["args"][0] if a["func"] == "setRangeColor" else None)
            for a in large.json()["actions"]] == shape
    assert coloured(large) == {("Donneurs d'ordre", 10_002, 2): FILL_ERROR, ("Marchés", 2, 2): FILL_ERROR}


# --- errors --------------------------------------------------------------------------------------

def test_a_missing_table_is_a_french_message_and_a_log(tmp_path: Path) -> None:
    """A workbook without the Marchés sheet: the message says what to fix, the traceback is logged."""
    path = make_workbook(tmp_path, {})
    data = payload(path)
    data["sheets"] = [s for s in data["sheets"] if s["name"] != "Marchés"]
    book = run(path, excel.verifier_saisie, data)
    text, mode = alert(book)
    assert mode == "critical"
    assert text.startswith("Le classeur « classeur.xlsx » n'a pas le tableau T_Marches (feuille « Marchés »)")
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    log = (tmp_path / "clausexl.log").read_text("utf-8")
    assert "Vérifier la saisie" in log and "MissingTable" in log and "Traceback" in log


def test_an_unexpected_error_names_the_log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug shows no traceback: a French message naming the log file, which holds the traceback."""
    def broken(*args: Any) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(saisie, "valider_classeur", broken)
    path = make_workbook(tmp_path, {})
    text, mode = alert(run(path, excel.verifier_saisie))
    log = tmp_path / "clausexl.log"
    assert mode == "critical"
    assert text == (
        "« Vérifier la saisie » s'est arrêté sur une erreur inattendue (ZeroDivisionError : division by zero)."
        f"\n\nLe détail est dans le fichier {log} : transmettez-le à la personne qui a installé clausexl."
    )
    assert "ZeroDivisionError" in log.read_text("utf-8")


# --- the live reader -----------------------------------------------------------------------------

def test_a_sheet_without_excel_table_is_read_from_its_cells(tmp_path: Path) -> None:
    """When the Marchés sheet holds no ListObject, its header is found in the cells: same findings."""
    path = make_workbook(tmp_path, errors_rows(3))
    data = payload(path)
    for sheet in data["sheets"]:
        if sheet["name"] == "Marchés":
            sheet["tables"] = []
    book = run(path, excel.verifier_saisie, data)
    assert [r[:5] for r in written(book, "Contrôles")[2:]] == [
        ["Donneurs d'ordre", 5, "Nom", "valeur-obligatoire", "erreur"],
        ["Marchés", 2, "Donneur d'ordre", "reference-inconnue", "erreur"],
    ]


def test_selected_row_of_a_table(tmp_path: Path) -> None:
    """A cell selected in a row of the table gives that row; a selection elsewhere says what to select."""
    from clausexl.adapters.excel_live import LiveWorkbook
    from clausexl.core.errors import UnknownItem

    path = make_workbook(tmp_path, errors_rows(3))
    live = LiveWorkbook(xw.Book(json=payload(path, active_sheet="Marchés", selection="D2")))
    live.classeur(["T_Marches"])
    assert live.selected_row("T_Marches", "Rédiger la clause") == 2
    elsewhere = LiveWorkbook(xw.Book(json=payload(path, active_sheet="Marchés", selection="D7")))
    elsewhere.classeur(["T_Marches"])
    with pytest.raises(UnknownItem, match="Sélectionnez une cellule de la ligne voulue dans la feuille « Marchés »"):
        elsewhere.selected_row("T_Marches", "Rédiger la clause")


def test_remote_cells_are_what_xlwings_value_gives(demo: Path) -> None:
    """The button path reads the remote engine's raw values and converts only their date texts,
    each distinct one once: every data sheet of the demo comes out cell for cell as `.value` gives it."""
    from clausexl.adapters.excel_live import range_cells, remote_cells

    book = xw.Book(json=payload(demo))
    for sheet in book.sheets:
        if sheet.name not in {t.sheet for t in schema.TABLES}:
            continue
        last = sheet.used_range.last_cell
        rng = sheet.range((1, 1), (last.row, last.column))
        assert range_cells(rng) == rng.options(ndim=2).value, sheet.name
    assert remote_cells([["2024-01-31T00:00:00.000Z", "", 1.0, True, "texte", None]]) == [
        [dt.datetime(2024, 1, 31), None, 1.0, True, "texte", None]]
