"""The monthly loop on real files: forms generated, filled in as a company would, imported into a copy.

Companies fill the forms with openpyxl (a clerk types « 35h », leaves a row blank, adds a person,
sends last month's form); other files are a plain company spreadsheet, a CSV export, a photo.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from clausexl.adapters.statement_files import read_statement
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.cli import main
from clausexl.core.releves import forms
from clausexl.verbs.importer_releves import importer_releves
from clausexl.verbs.releves import releves
from statements import JUNE, MAY, PARAMS, fill, form_of, rows
from workbooks import d, make_workbook


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_workbook(tmp_path, rows(), PARAMS, name="clauses.xlsm")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- statements to fill ---------------------------------------------------------------------

def test_one_protected_form_per_company_with_its_contracts(book: Path, tmp_path: Path) -> None:
    out = releves(book, JUNE, sortie=tmp_path / "out")
    names = sorted(p.name for p in out.fichiers)
    assert names == ["Relevé à remplir 2026-06 - E1 - Bâtiments Martin SARL.xlsx",
                     "Relevé à remplir 2026-06 - E2 - Routes de l'Ouest.xlsx",
                     "Relevé à remplir 2026-06 - E3 - Tremplin Intérim.xlsx"]
    assert [(r.sheet, r.code) for r in out.left_out] == [("Contrats", "valeur-obligatoire")]  # K5, no start date
    wb = openpyxl.load_workbook(form_of(out.fichiers, "E1"))
    assert wb["clausexl"].sheet_state == "veryHidden"
    assert [tuple(r) for r in wb["clausexl"].values] == [
        ("clausexl-releve", 1), ("Entreprise", "E1"), ("Mois", "2026-06"), ("Feuille", "Relevé"),
        ("Contrat", "K1"), ("Contrat", "K2")]
    ws = wb["Relevé"]
    assert ws.protection.sheet and not ws.protection.password
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Relevé mensuel des heures d'insertion — juin 2026" in texts
    assert any("Hélène Quesnel" in t and "clauses@example.org" in t and "02 99 00 41 27" in t for t in texts)
    assert any("avant le 10/07/2026" in t for t in texts)
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Contrat")
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1, max_row=header + 2)]
    assert lines == [
        ["K1", "Loïc", "Clément", "Maçon", "M1", "Groupe scolaire", "Ville d'Aubrelle", "Bâtiments Martin SARL",
         None, None, None],
        ["K2", "Julie", "Garnier", "Manœuvre", "M1", "Groupe scolaire", "Ville d'Aubrelle", "Tremplin Intérim",
         None, None, None],
    ]
    # Only the hours, the comment and the new-person lines are editable.
    unlocked = {(r, c) for r in range(1, ws.max_row + 1) for c in range(1, 12) if not ws.cell(r, c).protection.locked}
    contract_rows = {header + 1, header + 2}
    new_rows = set(range(header + 3, header + 8))
    assert {ws.cell(r, 1).value for r in new_rows} == {"Nouvelle personne"}
    assert unlocked == {(r, c) for r in contract_rows for c in (9, 10, 11)} | {
        (r, c) for r in new_rows for c in (2, 3, 4, 5, 9, 10, 11)}
    [validation] = ws.data_validations.dataValidation
    assert (validation.type, validation.operator or "between", validation.formula1, validation.formula2) == (
        "decimal", "between", "0", "250")
    assert str(validation.sqref) == f"I{header + 1}:J{header + 7}"


def test_forms_never_carry_a_criterion(book: Path, tmp_path: Path) -> None:
    out = releves(book, JUNE, sortie=tmp_path / "out")
    for path in out.fichiers:
        with zipfile.ZipFile(path) as package:
            text = b"".join(package.read(n) for n in package.namelist()).decode("utf-8", "replace")
        for word in ("RSA", "RQTH", "DELD", "1990"):
            assert word not in text, (path.name, word)


def test_one_company_and_unknown_company(book: Path, tmp_path: Path) -> None:
    out = releves(book, JUNE, entreprise="E2", sortie=tmp_path / "out")
    assert [p.name for p in out.fichiers] == ["Relevé à remplir 2026-06 - E2 - Routes de l'Ouest.xlsx"]
    c = read_classeur(book)
    assert [line.contrat for line in forms(c, JUNE, "E2")[0].lignes] == ["K3"]  # K4 ended in April
    result = CliRunner().invoke(main, ["releves", str(book), "--mois", "2026-06", "--entreprise", "E9",
                                       "--sortie", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "L'entreprise « E9 » n'existe pas" in result.output


def test_cli_writes_forms_and_refuses_to_overwrite(book: Path, tmp_path: Path) -> None:
    args = ["releves", str(book), "--mois", "2026-06", "--sortie", str(tmp_path / "out")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 1, first.output  # K5 left out
    assert "3 relevés à remplir pour juin 2026 (4 contrats)." in first.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "existe déjà" in again.output


# --- import -------------------------------------------------------------------------------

@pytest.fixture
def returned(book: Path, tmp_path: Path) -> Path:
    """What came back for June: three forms, last month's form, a CSV, a spreadsheet, a photo."""
    made = releves(book, JUNE, sortie=tmp_path / "out").fichiers
    back = tmp_path / "retours"
    back.mkdir()
    fill(form_of(made, "E1"), {"K1": ("35h", None, "heures sup. comprises")}, new=[("Nicolas", "Dubois", 20)],
         to=back / "E1 juin.xlsx")  # K2 left blank; a person who is not E1's
    fill(form_of(made, "E2"), {"K3": (120, 7.5, None)}, to=back / "E2 juin.xlsx")
    fill(form_of(made, "E3"), {"K2": (300, None, None)}, to=back / "E3 juin.xlsx")
    may = releves(book, MAY, entreprise="E1", sortie=tmp_path / "mai").fichiers[0]
    fill(may, {"K1": (90, None, None)}, to=back / "E1 mai.xlsx")  # last month's form, other hours
    (back / "Routes de l'Ouest export.csv").write_text(
        "Nom;Prénom;Mois;Heures travaillées;Heures de formation\nDubois;Nicolas;06/2026;120;7,5\n"
        "Inconnue;Marie;06/2026;35;\n", encoding="utf-8")
    sheet = openpyxl.Workbook()
    sheet.active.append(["Salarié", "Contrat", "Mois", "Heures travaillées"])
    sheet.active.append(["Julie Garnier", "K2", d("2026-06-01"), 151.67])
    sheet.active.append(["Julie Garnier", "K2", d("2026-01-01"), 10])  # before the contract
    sheet.active.append(["Julie Garnier", "K2", "06/2026", 150])  # the same month again, other hours
    sheet.save(back / "Tremplin heures.xlsx")
    other = openpyxl.Workbook()
    other.active.append(["Facture", "Montant"])
    other.save(back / "facture.xlsx")
    (back / "scan.pdf").write_bytes(b"%PDF-1.4 not a statement")
    return back


def lines_of(done, name: str) -> list[tuple]:
    report = next(f for f in done.result.fichiers if f.fichier == name)
    return [(r.ligne, r.statut, r.contrat, r.personne) for r in report.lignes]


def report_of(done, name: str):
    return next(f for f in done.result.fichiers if f.fichier == name)


def test_import_reports_every_line(book: Path, returned: Path, tmp_path: Path) -> None:
    before = digest(book)
    done = importer_releves(book, [returned], tmp_path / "copie.xlsm")
    assert digest(book) == before
    names = [f.fichier for f in done.result.fichiers]
    assert names == sorted(p.name for p in returned.iterdir())
    header = 10  # the forms' header row
    e1 = report_of(done, "E1 juin.xlsx")
    assert (e1.genre, e1.entreprise, e1.mois) == ("relevé clausexl", "E1", JUNE)
    assert lines_of(done, "E1 juin.xlsx") == [
        (header + 1, "acceptée", "K1", "Loïc Clément"),
        (header + 2, "vide", "K2", "Julie Garnier"),
        (header + 3, "refusée", "", "Nicolas Dubois"),
    ]
    k1, blank, stranger = e1.lignes
    assert k1.message == ("35\u00a0h travaillées pour juin 2026. Attention : « 35h » est saisi comme texte ; il a été lu "
                          "comme 35 : saisissez-le comme un nombre.")
    assert blank.message.startswith("Aucune heure saisie")
    assert stranger.message.startswith("« Nicolas Dubois » n'a aucun contrat chez l'entreprise E1")
    assert e1.summary() == "1 acceptée, 1 refusée, 0 déjà présente, 1 vide"
    assert lines_of(done, "E2 juin.xlsx") == [(header + 1, "acceptée", "K3", "Nicolas Dubois")]
    [too_many] = report_of(done, "E3 juin.xlsx").lignes
    assert (too_many.statut, too_many.message) == (
        "refusée", "300 heures en un mois dépassent le maximum de 250 : corrigez le relevé.")
    may, _ = report_of(done, "E1 mai.xlsx").lignes
    assert (may.statut, may.mois) == ("conflit", MAY)
    assert may.message.startswith("La feuille Heures a déjà 100\u00a0h travaillées pour le contrat K1 en mai 2026 (ligne 2)"
                                  " ; ce relevé dit 90\u00a0h travaillées. Rien n'est remplacé")
    csv = report_of(done, "Routes de l'Ouest export.csv")
    assert (csv.genre, csv.entreprise) == ("CSV", "E2")  # the company named in the file name
    assert [(r.ligne, r.statut, r.contrat) for r in csv.lignes] == [(2, "déjà présente", "K3"), (3, "refusée", "")]
    assert csv.lignes[0].message == ("Le fichier « E2 juin.xlsx » donne déjà les mêmes heures pour ce contrat et ce "
                                     "mois : ligne ignorée.")
    assert "« Marie Inconnue » n'a aucun contrat chez l'entreprise E2" in csv.lignes[1].message
    plain = report_of(done, "Tremplin heures.xlsx")
    assert [(r.ligne, r.statut, r.contrat) for r in plain.lignes] == [
        (2, "acceptée", "K2"), (3, "refusée", "K2"), (4, "conflit", "K2")]
    assert plain.lignes[2].message == ("La ligne 2 de ce fichier donne 151,67\u00a0h travaillées pour le contrat K2 en juin "
                                       "2026 ; cette ligne dit 150\u00a0h travaillées. Seule la première est importée : "
                                       "vérifiez avec l'entreprise.")
    assert plain.entreprise is None
    assert plain.lignes[1].message == ("Heures saisies pour 01/2026, hors des dates du contrat K2 (03/2026 – en cours) "
                                       ": vérifiez le mois ou les dates du contrat.")
    assert report_of(done, "facture.xlsx").probleme.startswith("Aucune feuille n'a les colonnes d'un relevé")
    assert report_of(done, "scan.pdf").probleme.startswith("Ce n'est pas un relevé lisible (un PDF)")
    assert len(done.result.rows) == 3


def test_copy_holds_the_accepted_rows_and_every_other_part_unchanged(book: Path, returned: Path,
                                                                      tmp_path: Path) -> None:
    copy = importer_releves(book, [returned], tmp_path / "copie.xlsm").destination
    h = read_classeur(copy, ["T_Heures"])["T_Heures"]
    got = [(r["contrat"], r["mois"].date(), r["heures_travaillees"],
            None if r["heures_formation"] != r["heures_formation"] else r["heures_formation"], r["source"],
            r["commentaire"]) for r in h.to_dict("records")]
    nan = None
    assert got[:2] == [("K1", MAY, 100.0, nan, "Relevé entreprise", None), ("K3", MAY, 140.0, 7.0, None, None)]
    assert got[2:] == [
        ("K1", JUNE, 35.0, nan, "Relevé entreprise", "E1 juin.xlsx : heures sup. comprises"),
        ("K3", JUNE, 120.0, 7.5, "Relevé entreprise", "E2 juin.xlsx"),
        ("K2", JUNE, 151.67, nan, "Relevé entreprise", "Tremplin heures.xlsx"),
    ]
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
        assert {"xl/vbaProject.bin", "customUI/customUI14.xml", "_rels/.rels"} <= set(a.namelist())
    assert changed == {"xl/worksheets/sheet7.xml", "xl/tables/table7.xml"}
    with zipfile.ZipFile(copy) as b:
        assert b'ref="A1:F6"' in b.read("xl/tables/table7.xml")
        sheet = b.read("xl/worksheets/sheet7.xml")
    assert b'sqref="E2:E6"' in sheet  # the Source drop-down follows the new rows
    result = CliRunner().invoke(main, ["valider", str(copy)])
    assert "Heures" not in result.output, result.output


def test_importing_twice_changes_nothing(book: Path, returned: Path, tmp_path: Path) -> None:
    first = importer_releves(book, [returned], tmp_path / "copie.xlsm").destination
    again = importer_releves(first, [returned], tmp_path / "copie2.xlsm")
    assert again.result.rows == []
    statuses = {r.statut for f in again.result.fichiers for r in f.lignes}
    assert statuses == {"déjà présente", "refusée", "vide", "conflit"}
    assert [r.statut for r in report_of(again, "E1 juin.xlsx").lignes] == ["déjà présente", "vide", "refusée"]
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(again.destination) as b:
        assert all(a.read(n) == b.read(n) for n in a.namelist())


def test_month_option_refuses_other_months_forms(book: Path, returned: Path, tmp_path: Path) -> None:
    done = importer_releves(book, [returned / "E1 mai.xlsx", returned / "E2 juin.xlsx"], tmp_path / "c.xlsm",
                            mois=JUNE)
    assert report_of(done, "E1 mai.xlsx").probleme.startswith("Relevé de mai 2026, alors que l'import porte sur juin")
    assert [r.statut for r in report_of(done, "E2 juin.xlsx").lignes] == ["acceptée"]


def test_cli_report_and_exit_code(book: Path, returned: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copie.xlsm"
    result = CliRunner().invoke(main, ["importer-releves", str(book), str(returned), "--sortie", str(copy)])
    assert result.exit_code == 1, result.output  # rows refused, files not read
    out = result.output
    assert "« E1 juin.xlsx » (relevé clausexl, E1, 06/2026) : 1 acceptée, 1 refusée, 0 déjà présente, 1 vide" \
           in out
    assert "  ligne 11 · K1 · Loïc Clément — acceptée : 35\u00a0h travaillées pour juin 2026. Attention" in out
    assert "« scan.pdf » (non lu) : ce n'est pas un relevé lisible (un PDF)" in out
    assert "3 lignes ajoutées à la feuille Heures de la copie." in out
    again = CliRunner().invoke(main, ["importer-releves", str(book), str(returned), "--sortie", str(copy)])
    assert again.exit_code == 2 and "existe déjà" in again.output
    wrong = CliRunner().invoke(main, ["importer-releves", str(book), str(returned), "--sortie", str(tmp_path / "c.xlsx")])
    assert wrong.exit_code == 2 and "extension du classeur" in wrong.output


def test_a_form_is_recognised_whatever_its_name(book: Path, tmp_path: Path) -> None:
    made = releves(book, JUNE, entreprise="E2", sortie=tmp_path / "out").fichiers[0]
    renamed = fill(made, {"K3": (10, None, None)}, to=tmp_path / "scan0001.xlsx")
    incoming = read_statement(renamed)
    assert (incoming.genre, incoming.entreprise, incoming.mois) == ("relevé clausexl", "E2", JUNE)


def test_the_reminder_points_to_the_form(book: Path, tmp_path: Path) -> None:
    from clausexl.verbs.courriers import courriers
    from docread import docx_text

    out = courriers(book, mois=JUNE, sortie=tmp_path / "courriers", today=d("2026-07-15"))
    reminder = next(p for p in out.fichiers if p.name.startswith("Relance 2026-06 - M1"))
    assert "Le relevé à remplir est joint à ce courrier (« Relevé à remplir 2026-06 - E1 - Bâtiments Martin " \
           "SARL.xlsx »)" in docx_text(reminder)


def test_import_leaves_out_the_rows_valider_calls_errors_and_says_so(book: Path, tmp_path: Path) -> None:
    """The one rule (exclusion.screen): a contract in error (K5, no start date) takes no hours, with why;
    a contract ID typed in another case (« k1 ») is K1; the rows left out are counted like in every verb."""
    back = tmp_path / "retours"
    back.mkdir()
    sheet = openpyxl.Workbook()
    sheet.active.append(["Contrat", "Mois", "Heures travaillées"])
    sheet.active.append(["K5", "06/2026", 70])
    sheet.active.append([" k1 ", "06/2026", 35])
    sheet.save(back / "heures.xlsx")
    copy = tmp_path / "copie.xlsm"
    result = CliRunner().invoke(main, ["importer-releves", str(book), str(back), "--sortie", str(copy), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["lignes_ecartees"] == [{"feuille": "Contrats", "ligne": 6, "colonne": "Date de début",
                                        "code": "valeur-obligatoire"}]
    k5, k1 = data["fichiers"][0]["lignes"]
    assert (k5["statut"], k5["contrat"], k5["message"]) == (
        "refusée", "K5", "Le contrat K5 a une erreur dans la feuille Contrats (ligne 6 : valeur obligatoire vide) : "
                         "corrigez-la (clausexl valider) puis réimportez.")
    assert (k1["statut"], k1["contrat"]) == ("acceptée", "K1")
    assert "Attention : 1 ligne en erreur laissée de côté (valeur obligatoire vide : 1)" in result.stderr
    h = read_classeur(copy, ["T_Heures"])["T_Heures"]
    assert h["contrat"].tolist() == ["K1", "K3", "K1"] and h["heures_travaillees"].tolist() == [100, 140, 35]


def test_import_grows_the_table_of_a_workbook_saved_by_another_tool(book: Path, tmp_path: Path) -> None:
    """A workbook once saved by openpyxl names its table parts by absolute paths (`/xl/tables/table7.xml`,
    where Excel writes `../tables/table7.xml`): the imported rows still go inside T_Heures, not under it
    (where every verb would leave them out as `ligne-hors-tableau`)."""
    resaved = tmp_path / "resaved.xlsm"
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb.save(resaved)
    with zipfile.ZipFile(resaved) as z:
        assert b'Target="/xl/tables/' in z.read("xl/worksheets/_rels/sheet7.xml.rels")
    made = releves(resaved, JUNE, entreprise="E2", sortie=tmp_path / "out").fichiers[0]
    back = fill(made, {"K3": (120, None, None)}, to=tmp_path / "E2 juin.xlsx")
    copy = importer_releves(resaved, [back], tmp_path / "copie.xlsm").destination
    h = read_classeur(copy, ["T_Heures"])["T_Heures"]
    assert h["contrat"].tolist() == ["K1", "K3", "K3"] and h["heures_travaillees"].tolist() == [100, 140, 120]
    result = CliRunner().invoke(main, ["valider", str(copy), "--json"])
    assert [f["code"] for f in json.loads(result.stdout)["constats"] if f["feuille"] == "Heures"] == []


def test_an_address_typed_on_two_lines_is_one_line_of_the_form(tmp_path: Path) -> None:
    """« 3 rue du Port » Alt+Entrée « 50430 Lessay »: the « À renvoyer à » line of the form keeps it on one
    line, « 3 rue du Port, 50430 Lessay » (a line break printed over the next line of the sheet)."""
    book = make_workbook(tmp_path, rows(), {**PARAMS, "adresse": "3 rue du Port\n50430 Lessay"}, name="c.xlsm")
    made = releves(book, JUNE, entreprise="E2", sortie=tmp_path / "out").fichiers[0]
    line = openpyxl.load_workbook(made)["Relevé"]["A3"].value
    assert line == ("À renvoyer à : Hélène Quesnel, Maison de l'emploi du Pays d'Aubrelle — 02 99 00 41 27 · "
                    "clauses@example.org · 3 rue du Port, 50430 Lessay")
