"""The reader's fast paths hand every odd cell to the slow parsers: same values, same findings.

The typing of large tables goes column by column through one comprehension each, and falls back
to the cell-by-cell parsers only where a cell is not of the expected type; these cases pin that
the fallback still sees every odd cell, wherever it sits in the column.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.cells import CIRCULAR
from workbooks import d, make_workbook

CE = "Condition d'exécution (L2112-2)"


def market(i: int, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": f"M{i}", "donneur_ordre": "D1", "objet": "Voirie", "type_marche": "Travaux", "dispositif": CE,
        "montant_ht": 100_000, "date_debut": d("2018-01-01"), "date_fin": d("2018-12-31"),
        "attributaire": "E1", "statut": "En cours",
    }
    row.update(changes)
    return row


MARKETS = [
    market(1),
    {},  # a blank row inside the table: skipped, the next rows keep their Excel row numbers
    market(2, date_debut="15/03/2018", npnru="oui", taux_insertion=5, type_marche="travaux"),
    market(3, date_debut=dt.date(2150, 1, 1), npnru="#N/A", montant_ht="#REF!", objet="#DIV/0!"),
    market(4, date_debut=43160, npnru="Peut-être", montant_ht="1 000,50", type_marche="Travaux publics"),
    market(5, npnru=" n ", date_fin="#VALUE!"),
]


def read(tmp_path):
    path = make_workbook(tmp_path, {"T_Marches": MARKETS})
    classeur = read_classeur(path, ["T_Marches"])
    found = {(f.code, f.row, f.column) for f in classeur.findings if f.sheet == "Marchés"}
    return classeur["T_Marches"], found


def test_odd_cells_are_read_as_before(tmp_path):
    """Text dates, serial numbers, folded Oui/Non and list values are read; the blank row is skipped."""
    frame, _ = read(tmp_path)
    assert frame["id"].tolist() == ["M1", "M2", "M3", "M4", "M5"]
    assert frame["_ligne"].tolist() == [2, 4, 5, 6, 7]
    starts = frame["date_debut"].tolist()
    assert starts[0] == pd.Timestamp("2018-01-01")
    assert starts[1] == pd.Timestamp("2018-03-15")
    assert pd.isna(starts[2])  # 2150: out of range
    assert starts[3] == pd.Timestamp("2018-03-01")  # serial 43160
    assert frame["npnru"].tolist() == [False, True, False, False, False]
    assert frame["type_marche"].tolist() == ["Travaux", "Travaux", "Travaux", None, "Travaux"]
    assert frame["taux_insertion"].iloc[1] == 0.05
    amounts = frame["montant_ht"].to_numpy()
    assert amounts[0] == 100_000 and np.isnan(amounts[2]) and amounts[3] == 1000.5
    assert frame["objet"].iloc[2] is None
    assert pd.isna(frame["date_fin"].iloc[4])


def test_odd_cells_give_their_findings(tmp_path):
    """Each odd cell gives its finding at its own Excel row, after the skipped blank row."""
    _, found = read(tmp_path)
    assert found >= {
        ("texte-converti", 4, "Date de début"),
        ("pourcentage-sur-100", 4, "Taux d'insertion (%)"),
        ("date-hors-plage", 5, "Date de début"),
        ("erreur-formule", 5, "NPNRU"),
        ("erreur-formule", 5, "Montant HT (€)"),
        ("erreur-formule", 5, "Objet"),
        ("valeur-hors-liste", 6, "NPNRU"),
        ("texte-converti", 6, "Montant HT (€)"),
        ("valeur-hors-liste", 6, "Type de marché"),
        ("erreur-formule", 7, "Date de fin"),
    }
    assert not {f for f in found if f[1] in (2, 3)}


def test_formula_marks_ignore_list_validations():
    """A sheet is parsed cell by cell only when it holds an error cell or a formula element — not for
    the `<formula1>` of the drop-down lists every sheet of the contract carries."""
    from clausexl.adapters.sheet_xml import _marked

    assert not _marked(b'<dataValidation type="list"><formula1>Listes!$A$2:$A$9</formula1></dataValidation>')
    assert _marked(b'<c r="A2"><f>1+1</f><v>2</v></c>')
    assert _marked(b'<c r="A2"><f t="shared" ref="A2:A9" si="0">B2</f></c>')
    assert _marked(b'<c r="A3"><f t="shared" si="0"/></c>')
    assert _marked(b'<c r="A2" t="e"><v>#N/A</v></c>')
    assert not _marked(b'<c r="A2" t="inlineStr"><is><t>Heures de formation faites, fin</t></is></c>')
    assert _marked(b'<t>offre f</t></is></c><c r="B2"><f>A2</f></c>')


@pytest.mark.parametrize("chunk", [5, 64, 1 << 17])
def test_marks_found_across_inflated_chunks(tmp_path, monkeypatch, chunk):
    """The mark that sends a sheet to the exact scan is found wherever the zip's chunks cut it."""
    import xlsxwriter

    from clausexl.adapters import sheet_xml

    path = tmp_path / "marques.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Feuille")
    for row in range(300):
        sheet.write_row(row, 0, [f"ligne {row}", row * 1.5])
    sheet.write_formula(300, 1, "=1/0", None, "#DIV/0!")
    sheet.write_formula(301, 0, "=A302", None, 0)
    book.close()
    monkeypatch.setattr(sheet_xml, "_PACKED_CHUNK", chunk)
    assert sheet_xml.sheet_scan(path, "Feuille").odd == {(301, 2): "#DIV/0!", (302, 1): CIRCULAR}


def test_a_list_value_typed_without_its_brackets_reads_as_the_one_it_names(tmp_path):
    """« Condition d'exécution » (typed, or pasted from a buyer's document) is « Condition d'exécution
    (L2112-2) », « 4 » is « 4 (Bac) »: counted under their value, no error; a value naming none stays one."""
    from bad_workbooks import base_rows
    from clausexl.core.validation import validate

    rows = base_rows()
    rows["T_Marches"][0]["dispositif"] = "condition d'execution"
    rows["T_Participants"][0]["niveau_qualification"] = "4"
    c = read_classeur(make_workbook(tmp_path, rows))
    assert c["T_Marches"]["dispositif"].iloc[0] == "Condition d'exécution (L2112-2)"
    assert c["T_Participants"]["niveau_qualification"].iloc[0] == "4 (Bac)"
    assert [f.code for f in validate(c) if f.code == "valeur-hors-liste"] == []
    rows["T_Marches"][0]["dispositif"] = "Marché réservé"  # SIAE or EA-ESAT: names none
    findings = validate(read_classeur(make_workbook(tmp_path / "b", rows)))
    assert [(f.code, f.column) for f in findings if f.code == "valeur-hors-liste"] == [
        ("valeur-hors-liste", "Dispositif")]


def test_a_date_copied_from_a_letter_is_read_with_a_warning(tmp_path):
    """« 12 mars 2018 », « 1er avril 2018 » typed as text: read as those dates, with `texte-converti`, like
    « 12/03/2018 »; « 31 février 2018 » is no date."""
    from bad_workbooks import base_rows
    from clausexl.core.validation import validate

    rows = base_rows()
    rows["T_Contrats"][0]["date_debut"] = "1er avril 2018"
    rows["T_Marches"][0]["date_notification"] = "12 mars 2018"
    c = read_classeur(make_workbook(tmp_path, rows))
    assert c["T_Contrats"]["date_debut"].iloc[0] == pd.Timestamp("2018-04-01")
    assert c["T_Marches"]["date_notification"].iloc[0] == pd.Timestamp("2018-03-12")
    found = [(f.code, f.column) for f in validate(c) if f.code in ("texte-converti", "type-invalide")]
    assert found == [("texte-converti", "Date de notification"), ("texte-converti", "Date de début")]
    rows["T_Contrats"][0]["date_debut"] = "31 février 2018"
    bad = validate(read_classeur(make_workbook(tmp_path / "b", rows)))
    assert ("type-invalide", "Date de début") in [(f.code, f.column) for f in bad]


def test_an_id_typed_with_spaces_around_it_is_said(tmp_path):
    """« P001 » typed « P001 » plus a space in the Participants sheet: read as P001 (its contracts find it),
    with `identifiant-approche` on the ID cell, as a reference typed so gets."""
    from bad_workbooks import base_rows
    from clausexl.core.validation import validate

    rows = base_rows()
    rows["T_Participants"][0]["id"] = "P001 "
    c = read_classeur(make_workbook(tmp_path, rows))
    assert c["T_Participants"]["id"].iloc[0] == "P001"
    found = [(f.code, f.sheet, f.row, f.column, f.message) for f in validate(c)
             if f.code in ("identifiant-approche", "reference-inconnue")]
    assert found == [("identifiant-approche", "Participants", 2, "ID",
                      "L'identifiant « P001  » a des espaces autour : il est lu « P001 » ; corrigez la saisie.")]
