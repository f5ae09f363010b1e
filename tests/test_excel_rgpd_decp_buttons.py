"""« Données personnelles » and « Repérer les marchés » through xlwings' remote engine.

Each button must give what the CLI gives (same rows in the same files) and say where the file is;
its Excel calls (a message box) do not depend on the number of rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import python_calamine

from clausexl.demo_territory import demo_parameters, demo_rows
from clausexl.excel import common, donnees_personnelles, marches
from clausexl.verbs.anonymiser import anonymiser
from clausexl.verbs.extraire_personne import extraire_personne, write_extrait
from clausexl.verbs.reperer import reperer, write_reperage
from excel_payload import actions, alert, payload, run
from workbooks import TableRows, d, make_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "decp"
BUYER = "21750001630040"  # Marche.json's buyer
AWARDEE = "55204599900869"
LATER = dt.date(2030, 1, 1)  # every demo participant's retention period is over by then


pytestmark = pytest.mark.usefixtures("remote_engine")  # tests/excel_demo.py


def values(path: Path) -> dict[str, list[list[Any]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def hex_utf16(text: str) -> str:
    """What `HexUtf16` of Ruban.bas gives: each UTF-16 code unit as 4 upper-case hex digits."""
    return text.encode("utf-16-be").hex().upper()


def only_a_message(book: Any) -> bool:
    return [a["func"] for a in book.json()["actions"]] == ["alert"]


# --- Extraire une personne -----------------------------------------------------------------------

def test_extraire_personne_writes_the_cli_extract_of_the_selected_participant(demo: Path, tmp_path: Path) -> None:
    """The participant of the selected row of `Participants`: the CLI's extract, in the output folder."""
    person = demo_rows()["T_Participants"][3]["id"]
    book = run(demo, donnees_personnelles.extraire_personne, payload(demo, "Participants", "B5"))
    written = tmp_path / "sorties" / f"Extrait - {person}.xlsx"
    reference = write_extrait(extraire_personne(demo, person), tmp_path / "cli.xlsx")
    assert values(written) == values(reference)
    text, mode = alert(book)
    assert mode == "info" and only_a_message(book)
    assert text.startswith(f"Tout ce que le classeur contient sur le participant {person} :\n• Participants : 1 ligne\n")
    assert f"Fichier écrit : {written}\n\nIl contient des données personnelles" in text
    run(demo, donnees_personnelles.extraire_personne, payload(demo, "Participants", "B5"))
    assert written.with_name(f"Extrait - {person} (2).xlsx").exists()


def test_extraire_personne_needs_a_participant_row(demo: Path, tmp_path: Path) -> None:
    """A selection outside `Participants`: what to select, nothing written."""
    book = run(demo, donnees_personnelles.extraire_personne, payload(demo, "Marchés", "B3"))
    assert alert(book) == ("Sélectionnez une cellule de la ligne voulue dans la feuille « Participants », puis "
                           "cliquez de nouveau sur « Extraire une personne ».", "critical")
    assert not (tmp_path / "sorties").exists()


# --- Anonymiser ----------------------------------------------------------------------------------

def test_anonymiser_writes_the_cli_copy_beside_the_workbook(demo: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy is beside the workbook, named with the date, equal to the CLI's; the workbook is untouched."""
    monkeypatch.setattr(common, "today", lambda: LATER)
    before = demo.read_bytes()
    book = run(demo, donnees_personnelles.anonymiser)
    copy = tmp_path / "demo - anonymisé au 2030-01-01.xlsx"
    reference = anonymiser(demo, tmp_path / "cli" / "copie.xlsx", LATER)
    assert values(copy) == values(reference.destination) and len(reference.participants) > 0
    assert demo.read_bytes() == before
    text, mode = alert(book)
    assert mode == "info" and only_a_message(book)
    n = len(reference.participants)
    assert text.startswith(f"{n} participant{'s' if n > 1 else ''} anonymisé{'s' if n > 1 else ''} dans la copie")
    assert f"La copie est écrite à côté du classeur : {copy}\n\n" in text
    assert "les saisies non enregistrées n'y sont pas" in text
    again = run(demo, donnees_personnelles.anonymiser)
    assert f"{copy.with_name('demo - anonymisé au 2030-01-01 (2).xlsx')}" in alert(again)[0]


def test_anonymiser_needs_a_saved_workbook(demo: Path, tmp_path: Path) -> None:
    """A workbook never saved (Excel calls it « Classeur1 »): say to save it, write nothing."""
    data = payload(demo)
    data["book"]["name"] = "Classeur1"
    text, mode = alert(run(demo, donnees_personnelles.anonymiser, data))
    assert mode == "critical" and text.startswith("Le classeur doit être enregistré dans un dossier de ce PC")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.xlsx"]


# --- Repérer les marchés -------------------------------------------------------------------------

def territory(folder: Path, markets: int = 1) -> Path:
    """A buyer known by SIRET (Marche.json's), its awardee, and `markets` followed markets."""
    rows: TableRows = {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Paris", "categorie": "Commune", "siret": BUYER}],
        "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâtisseurs SA", "type": "Entreprise classique",
                           "siret": AWARDEE}],
        "T_Marches": [{"id": f"M{i:05d}", "donneur_ordre": "D1", "objet": "Voirie", "type_marche": "Travaux",
                       "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500000,
                       "date_debut": d("2024-01-01"), "date_fin": d("2024-12-31"), "attributaire": "E1",
                       "statut": "En cours"} for i in range(markets)],
    }
    folder.mkdir(parents=True, exist_ok=True)
    return make_workbook(folder, rows)


def entry_with_path(decp: Path) -> Any:
    """The button as the VBA callback calls it, with the chosen file's encoded path."""
    return lambda: marches.reperer_marches(hex_utf16(str(decp)))


def test_reperer_marches_writes_the_cli_list_for_the_chosen_file(tmp_path: Path) -> None:
    """A DECP file whose name has accents, a quote, spaces and `|`: the CLI's list, in the output folder."""
    classeur = territory(tmp_path)
    decp = Path(shutil.copy(SAMPLES / "Marche.json", tmp_path / "Marchés d'Île | 2024.json"))
    book = run(classeur, entry_with_path(decp))
    written = tmp_path / "sorties" / "Repérage - Marchés d'Île 2024.xlsx"
    reference = write_reperage(reperer(decp, classeur), tmp_path / "cli.xlsx")
    assert values(written) == values(reference)
    text, mode = alert(book)
    assert mode == "info" and only_a_message(book)
    assert text == ("Marchés d'Île | 2024.json : 1 enregistrement lu.\n"
                    "• Avec considération sociale, non suivis dans le classeur : 1\n"
                    "• Sans considération sociale, au-dessus du seuil : 0\n"
                    "• Déjà suivis : 0\n\n"
                    f"La liste à revoir est écrite : {written}\nSaisissez Oui dans la colonne « À importer » "
                    "pour les marchés à reprendre, enregistrez la liste, puis cliquez de nouveau sur « Repérer les "
                    "marchés » et choisissez-la : ces marchés seront ajoutés à la feuille Marchés.")


def test_reperer_marches_on_a_missing_file(tmp_path: Path) -> None:
    """The chosen file vanished meanwhile: one French sentence, nothing written."""
    classeur = territory(tmp_path)
    text, mode = alert(run(classeur, entry_with_path(tmp_path / "absent.json")))
    assert mode == "critical" and "absent.json" in text
    assert not (tmp_path / "sorties").exists()


@pytest.mark.parametrize("text", ["C:\\Users\\Hélène\\Données DECP\\decp 2024.json", "/Users/zoé/😀 d'été.json"])
def test_the_path_survives_the_vba_encoding(text: str) -> None:
    """Accents, spaces, quotes and characters outside the BMP (surrogate pairs in VBA) come back whole."""
    assert str(marches.path_from_vba(hex_utf16(text))) == text


def test_a_garbled_path_is_one_sentence() -> None:
    with pytest.raises(Exception, match="Le chemin du fichier choisi n'a pas pu être lu"):
        marches.path_from_vba("00E")


# --- number of Excel calls -----------------------------------------------------------------------

def people(count: int) -> dict[str, list[dict[str, Any]]]:
    """The demo's tables with `count` participants (copies of the first one)."""
    rows = demo_rows()
    base = rows["T_Participants"][0]
    rows["T_Participants"] = [{**base, "id": f"P{i:05d}"} for i in range(count)]
    rows["T_Contrats"] = [{**rows["T_Contrats"][0], "id": f"C{i:05d}", "participant": f"P{i:05d}"}
                          for i in range(count)]
    rows["T_Heures"], rows["T_Suivi"], rows["T_Candidatures"] = [], [], []
    return rows


@pytest.mark.parametrize("button", ["extraire_personne", "anonymiser", "reperer_marches"])
def test_number_of_excel_actions_does_not_grow_with_rows(tmp_path: Path, button: str) -> None:
    """10 rows or 10 000 rows (participants, or followed markets): the same single message box."""
    def shape(size: int) -> list[tuple[Any, ...]]:
        folder = tmp_path / str(size)
        if button == "reperer_marches":
            path = territory(folder, size)
            book = run(path, entry_with_path(SAMPLES / "Marche.json"))
        else:
            folder.mkdir()
            path = make_workbook(folder, people(size), demo_parameters(), name="classeur.xlsx")
            book = run(path, getattr(donnees_personnelles, button), payload(path, "Participants", "A3"))
        (message,) = actions(book, "alert")
        assert message["args"][3] == "info", message["args"][0]
        return [(a["func"], a["sheet_position"]) for a in book.json()["actions"]]

    assert shape(10) == shape(10_000) == [("alert", None)]
