"""The « Relevés » buttons through xlwings' remote engine: forms written, and the import appended to
T_Heures of the open workbook in one write whatever the number of rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import clausexl.excel.common as common
from clausexl.excel import releves as buttons
from clausexl.verbs.releves import releves
from excel_payload import actions, alert, enable_remote_engine, run, sheet_index, written
from statements import JUNE, PARAMS, fill, form_of, rows
from workbooks import d, make_workbook

RECEIVED = Path("sorties") / "Relevés reçus"


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    enable_remote_engine(monkeypatch)
    monkeypatch.setattr(common, "today", lambda: d("2026-07-08"))


def many_contracts(count: int) -> dict:
    """The statements' territory with `count` more contracts of company E2 (K100…) running in June."""
    data = rows()
    data["T_Contrats"] += [
        {"id": f"K{100 + i}", "participant": "P3", "marche": "M2", "employeur": "E2", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2026-06-01")} for i in range(count)]
    return data


def book_with_returns(tmp_path: Path, extra: int) -> Path:
    path = make_workbook(tmp_path, many_contracts(extra), {**PARAMS, "mois_suivi": JUNE}, name="clauses.xlsx")
    made = releves(path, JUNE, sortie=tmp_path / "formulaires", today=d("2026-07-01")).fichiers
    received = tmp_path / RECEIVED
    received.mkdir(parents=True)
    fill(form_of(made, "E1"), {"K1": (35, 4, "RAS")}, to=received / "E1.xlsx")
    fill(form_of(made, "E2"), {"K3": (120, None, None), **{f"K{100 + i}": (10 + i, None, None) for i in range(extra)}},
         to=received / "E2.xlsx")
    (received / "scan.pdf").write_bytes(b"%PDF")
    return path


def heures_writes(book: Any) -> list[dict[str, Any]]:
    return [a for a in actions(book, "setValues") if a["sheet_position"] == sheet_index(book, "Heures")]


def test_import_appends_the_accepted_rows_in_one_write(tmp_path: Path) -> None:
    path = book_with_returns(tmp_path, 0)
    book = run(path, buttons.importer_releves)
    (write,) = heures_writes(book)
    assert write["start_row"] + 1 == 4  # under the two rows of May
    assert write["values"] == [
        ["K1", "2026-06-01", 35.0, 4.0, "Relevé entreprise", "E1.xlsx : RAS"],
        ["K3", "2026-06-01", 120.0, "", "Relevé entreprise", "E2.xlsx"],
    ]
    (resize,) = actions(book, "resizeTable")
    assert resize["args"][1] == "$A$1:$F$5"  # the table now ends on the last row written
    report = written(book, "Relevés importés")
    assert [r[0] for r in report[:6]] == [
        "Import des relevés : 2 lignes ajoutées", "Qualité des données",
        "1 ligne du classeur en erreur a été écartée : les chiffres ci-dessous ne la comptent pas.",
        "Valeur obligatoire vide : 1", "Le contrôle du classeur (clausexl valider, bouton « Vérifier la saisie ») la "
        "montre.", "Fichier"]
    assert report[5] == ["Fichier", "Ligne", "Statut", "Contrat", "Personne", "Mois", "Détail"]
    assert [r[:6] for r in report[6:]] == [
        ["E1.xlsx", 11, "acceptée", "K1", "Loïc Clément", "juin 2026"],
        ["E1.xlsx", 12, "vide", "K2", "Julie Garnier", "juin 2026"],
        ["E2.xlsx", 11, "acceptée", "K3", "Nicolas Dubois", "juin 2026"],
        ["scan.pdf", "", "non lu", "", "", ""],
    ]
    text, mode = alert(book)
    assert mode == "info"
    assert text == (f"3 fichiers lus dans « {tmp_path / RECEIVED} » : 2 lignes ajoutées à la feuille Heures "
                    "(lignes 4 à 5) : vérifiez-les, puis enregistrez le classeur (ou fermez-le sans enregistrer pour "
                    "annuler).\n\n0 déjà présente, 0 refusée, 0 en conflit, 1 vide, 1 fichier non lu : "
                    "le détail est dans la feuille « Relevés importés ».\n\nAttention : 1 ligne en erreur laissée de "
                    "côté (valeur obligatoire vide : 1) ; aucun chiffre, document ni liste ne la compte. Lancez « clausexl "
                    "valider » (ou « Vérifier la saisie ») pour la voir et la corriger.")
    # Data sheets other than Heures are never written; Heures only by the one append.
    assert [a["func"] for a in book.json()["actions"]] == [
        "setValues", "resizeTable", "addSheet", "sheetClear", "setValues", "setFontProperty", "activateSheet", "alert"]
    assert (tmp_path / "Journal clausexl.csv").read_text(encoding="utf-8-sig").count("Import de relevé") == 3


def test_one_write_whatever_the_number_of_rows(tmp_path: Path) -> None:
    few = run(book_with_returns(tmp_path / "few", 0), buttons.importer_releves)
    many = run(book_with_returns(tmp_path / "many", 60), buttons.importer_releves)
    assert len(heures_writes(few)) == len(heures_writes(many)) == 1
    assert len(heures_writes(many)[0]["values"]) == 62
    assert [a["func"] for a in few.json()["actions"]] == [a["func"] for a in many.json()["actions"]]


def test_import_without_received_files_says_where_to_put_them(tmp_path: Path) -> None:
    path = make_workbook(tmp_path, rows(), PARAMS, name="clauses.xlsx")
    book = run(path, buttons.importer_releves)
    text, mode = alert(book)
    assert mode == "critical"
    assert text == (f"Déposez les relevés renvoyés par les entreprises (classeurs, CSV) dans le dossier "
                    f"« {tmp_path / RECEIVED} », puis cliquez de nouveau sur « Importer des relevés ».")
    assert (tmp_path / RECEIVED).is_dir() and not heures_writes(book)


def test_releves_a_remplir_writes_the_forms_of_the_month(tmp_path: Path) -> None:
    path = make_workbook(tmp_path, rows(), {**PARAMS, "mois_suivi": JUNE}, name="clauses.xlsx")
    book = run(path, buttons.releves_a_remplir)
    names = sorted(p.name for p in (tmp_path / "sorties").iterdir())
    assert names == ["Relevé à remplir 2026-06 - E1 - Bâtiments Martin SARL.xlsx",
                     "Relevé à remplir 2026-06 - E2 - Routes de l'Ouest.xlsx",
                     "Relevé à remplir 2026-06 - E3 - Tremplin Intérim.xlsx"]
    text, _ = alert(book)
    assert text.startswith(f"Relevés à remplir de juin 2026 : 3 fichiers écrits dans le dossier {tmp_path / 'sorties'}.")
