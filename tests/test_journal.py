"""The journal beside the workbook: what was sent, and the reminders `echeances` derives from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausexl.adapters import journal
from clausexl.cli import main
from clausexl.verbs.courriers import courriers
from clausexl.verbs.echeances import echeances
from clausexl.verbs.importer_releves import importer_releves
from clausexl.verbs.offres import offres
from clausexl.verbs.releves import releves
from statements import JUNE, PARAMS, fill, form_of, rows
from workbooks import d, make_workbook


@pytest.fixture
def book(tmp_path: Path) -> Path:
    data = rows()
    data["T_Partenaires"] = [
        {"id": "PA1", "nom": "Mission locale", "type": "Mission locale", "courriel": "ml@example.org",
         "recoit_offres": "Oui"}]
    data["T_Offres"] = [{"id": "O1", "marche": "M1", "entreprise": "E1", "poste": "Maçon", "statut": "Ouverte"}]
    return make_workbook(tmp_path, data, PARAMS, name="clauses.xlsm")


def lines(folder: Path) -> list[list[str]]:
    text = (folder / "Journal clausexl.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text.lstrip("\ufeff").splitlines()]


def reminders(path: Path, au: dt.date) -> list[tuple]:
    return [(i.date, i.etat, i.qui, i.action, i.reference) for i in echeances(path, au).items
            if i.type == "Relance de relevé"]


def test_forms_imports_and_letters_are_journaled(book: Path, tmp_path: Path) -> None:
    made = releves(book, JUNE, sortie=tmp_path / "out", today=d("2026-07-01")).fichiers
    assert lines(tmp_path) == [
        ["Date", "Verbe", "Document", "Mois", "Marché", "Destinataire", "Offre", "Fichier", "Lignes"],
        ["2026-07-01", "releves", "Relevé à remplir", "2026-06", "", "E1", "", made[0].name, ""],
        ["2026-07-01", "releves", "Relevé à remplir", "2026-06", "", "E2", "", made[1].name, ""],
        ["2026-07-01", "releves", "Relevé à remplir", "2026-06", "", "E3", "", made[2].name, ""],
    ]
    back = fill(form_of(made, "E2"), {"K3": (120, None, None)}, to=tmp_path / "E2 juin.xlsx")
    importer_releves(book, [back, tmp_path / "photo.jpg"], tmp_path / "copie.xlsm", today=d("2026-07-08"))
    assert lines(tmp_path)[4:] == [
        ["2026-07-08", "importer-releves", "Import de relevé", "2026-06", "", "E2", "", "E2 juin.xlsx", "1"],
        ["2026-07-08", "importer-releves", "Import de relevé", "", "", "", "", "photo.jpg", "0"],
    ]
    courriers(tmp_path / "copie.xlsm", mois=JUNE, sortie=tmp_path / "courriers", today=d("2026-07-12"))
    kinds = [(ln[1], ln[2], ln[4], ln[5]) for ln in lines(tmp_path)[6:]]
    assert kinds == [("courriers", "Relevé mensuel", "M1", "E1"), ("courriers", "Relevé mensuel", "M2", "E2"),
                     ("courriers", "Relance", "M1", "E1")]


def test_a_statement_not_back_is_a_reminder_then_a_second_one(book: Path, tmp_path: Path) -> None:
    made = releves(book, JUNE, sortie=tmp_path / "out", today=d("2026-07-01")).fichiers
    # Before: the plain « relevé manquant » items; once asked, they are followed as reminders instead.
    assert reminders(book, d("2026-07-05")) == [
        (d("2026-07-11"), "À venir", "Bâtiments Martin SARL (E1)",
         "Relance à faire : le relevé de juin 2026 (demandé le 01/07/2026) n'est pas revenu pour les contrats "
         "K1, K2 ; joindre le relevé à remplir.", "E1 · 2026-06"),
        (d("2026-07-11"), "À venir", "Routes de l'Ouest (E2)",
         "Relance à faire : le relevé de juin 2026 (demandé le 01/07/2026) n'est pas revenu pour le contrat "
         "K3 ; joindre le relevé à remplir.", "E2 · 2026-06"),
        (d("2026-07-11"), "À venir", "Tremplin Intérim (E3)",
         "Relance à faire : le relevé de juin 2026 (demandé le 01/07/2026) n'est pas revenu pour le contrat "
         "K2 ; joindre le relevé à remplir.", "E3 · 2026-06"),
    ]
    assert not [i for i in echeances(book, d("2026-07-05")).items if i.type == "Relevé d'heures manquant"]
    back = fill(form_of(made, "E2"), {"K3": (120, None, None)}, to=tmp_path / "E2 juin.xlsx")
    copy = importer_releves(book, [back], tmp_path / "copie.xlsm", today=d("2026-07-08")).destination
    assert [r[2] for r in reminders(copy, d("2026-07-12"))] == ["Bâtiments Martin SARL (E1)", "Tremplin Intérim (E3)"]
    assert reminders(copy, d("2026-07-12"))[0][:2] == (d("2026-07-11"), "En retard")
    courriers(copy, mois=JUNE, sortie=tmp_path / "courriers", today=d("2026-07-12"))  # the reminder to E1 (M1)
    e1, e3 = sorted(reminders(copy, d("2026-07-25")), key=lambda r: r[4])
    assert e3[:2] == (d("2026-07-11"), "En retard")  # E3 was not reminded (the reminder goes to the awardee)
    assert e1 == (d("2026-07-22"), "En retard", "Bâtiments Martin SARL (E1)",
                  "2e relance à faire : le relevé de juin 2026 (demandé le 01/07/2026, relancé le 12/07/2026) n'est "
                  "pas revenu pour les contrats K1, K2 ; joindre le relevé à remplir.", "E1 · 2026-06")


def test_the_delay_is_a_parameter(tmp_path: Path) -> None:
    path = make_workbook(tmp_path, rows(), {**PARAMS, "relance_releves": 3}, name="clauses.xlsx")
    releves(path, JUNE, entreprise="E2", sortie=tmp_path / "out", today=d("2026-07-01"))
    assert [r[:2] for r in reminders(path, d("2026-07-02"))] == [(d("2026-07-04"), "À venir")]


def test_offres_notes_each_letter_and_e_mail(book: Path, tmp_path: Path) -> None:
    offres(book, "O1", sortie=tmp_path / "offres", today=d("2026-07-03"))
    assert [(ln[0], ln[1], ln[2], ln[4], ln[5], ln[6], ln[7]) for ln in lines(tmp_path)[1:]] == [
        ("2026-07-03", "offres", "Offre (lettre)", "M1", "PA1", "O1", "Offre O1 - Mission locale.docx"),
        ("2026-07-03", "offres", "Offre (courriel)", "M1", "PA1", "O1", "Offre O1 - Mission locale.eml"),
    ]


def test_a_journal_line_that_cannot_be_read_is_skipped(book: Path, tmp_path: Path) -> None:
    releves(book, JUNE, entreprise="E2", sortie=tmp_path / "out", today=d("2026-07-01"))
    with (tmp_path / "Journal clausexl.csv").open("a", encoding="utf-8") as f:
        f.write("pas une date;releves;Relevé à remplir;2026-06;;E1;;x;\r\n")
    assert [e.destinataire for e in journal.read(book)] == ["E2"]


def test_cli_echeances_reads_the_journal(book: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["releves", str(book), "--mois", "2026-06", "--entreprise", "E2",
                                       "--sortie", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    shown = CliRunner().invoke(main, ["echeances", str(book), "--au", "2099-01-01", "--json"])
    assert "Relance à faire : le relevé de juin 2026" in shown.output
