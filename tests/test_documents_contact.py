"""Letters from a fresh workbook: no orphan « Tél. », a warning naming the empty parameters; ended contracts."""

from __future__ import annotations

import copy
import datetime as dt

import docx
import pytest

from clausexl.verbs.courriers import courriers
from clausexl.verbs.offres import offres
from docread import docx_text, table_rows
from documents_data import PARAMS, ROWS
from workbooks import d, make_workbook

JUNE, TODAY = dt.date(2018, 6, 1), dt.date(2018, 7, 3)
STATEMENT = "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx"


def _head(path):
    """The paragraphs before the recipient's (right-aligned) block: the letterhead as printed."""
    paragraphs = docx.Document(str(path)).paragraphs
    return [p.text for p in paragraphs[:paragraphs.index(next(p for p in paragraphs if p.alignment is not None))]]


def _signature(path):
    return docx.Document(str(path)).paragraphs[-1].text


def test_empty_parameters_print_nothing_and_are_named_once(tmp_path):
    book = make_workbook(tmp_path, ROWS, {})
    result = courriers(book, mois=JUNE, sortie=tmp_path / "r", today=TODAY)
    letter = tmp_path / "r" / STATEMENT
    assert _head(letter) == []
    assert _signature(letter) == "Facilitateur des clauses sociales"
    assert "Tél." not in docx_text(letter)
    warnings = [w for w in result.avertissements if "feuille Paramètres" in w]
    assert warnings == ["Dans la feuille Paramètres, les paramètres « Structure », « Facilitateur », « Téléphone », "
                        "« Courriel », « Adresse » sont vides : l'en-tête et la signature des documents s'en "
                        "passent ; renseignez-les avant d'envoyer."]


@pytest.mark.parametrize(("given", "head", "contact"), [
    ({"telephone": "03 20 00 00 00"}, ["Tél. 03 20 00 00 00"], "03 20 00 00 00"),
    ({"courriel": "a@b.fr"}, ["a@b.fr"], "a@b.fr"),
    ({"telephone": "03 20 00 00 00", "courriel": "a@b.fr"}, ["Tél. 03 20 00 00 00 – a@b.fr"], "03 20 00 00 00 – a@b.fr"),
])
def test_each_part_prints_only_with_its_value(tmp_path, given, head, contact):
    book = make_workbook(tmp_path, ROWS, {"facilitateur": "Claire Martin", **given})
    result = courriers(book, mois=JUNE, sortie=tmp_path / "r", today=TODAY)
    letter = tmp_path / "r" / STATEMENT
    assert _head(letter) == head
    assert _signature(letter) == f"Claire Martin\nFacilitateur des clauses sociales\n{contact}"
    assert any("« Structure »" in w and "« Adresse »" in w and "Claire" not in w for w in result.avertissements)


def test_a_filled_in_workbook_gets_no_warning_and_offers_warn_too(tmp_path):
    full = make_workbook(tmp_path, ROWS, PARAMS, name="plein.xlsx")
    result = courriers(full, mois=JUNE, sortie=tmp_path / "r", today=TODAY)
    assert not [w for w in result.avertissements if "feuille Paramètres" in w]
    assert _head(tmp_path / "r" / STATEMENT) == [
        "MEF du Cotentin", "1 rue de l'Emploi, 50100 Cherbourg-en-Cotentin",
        "Tél. 02 33 01 02 03 – clauses@mef-cotentin.example"]
    empty = make_workbook(tmp_path, ROWS, {"structure": "MEF du Cotentin"}, name="vide.xlsx")
    letters = offres(empty, "O2018-006", sortie=tmp_path / "o", today=TODAY)
    assert [w for w in letters.avertissements if "feuille Paramètres" in w] == [
        "Dans la feuille Paramètres, les paramètres « Facilitateur », « Téléphone », « Courriel », « Adresse » "
        "sont vides : l'en-tête et la signature des documents s'en passent ; renseignez-les avant d'envoyer."]


def test_a_contract_ended_before_the_month_says_so_and_keeps_its_hours(tmp_path):
    """C7 ended on 31 May with 45 h: the June statement says « terminé le 31 mai 2018 », not « 0 h »."""
    rows = copy.deepcopy(ROWS)
    rows["T_Contrats"].append({"id": "C7", "participant": "P3", "marche": "M2018-004", "employeur": "E1",
                               "modalite": "Embauche directe", "type_contrat": "CDD", "poste": "Peintre",
                               "date_debut": d("2018-05-02"), "date_fin": d("2018-05-31")})
    rows["T_Heures"].append({"contrat": "C7", "mois": d("2018-05-01"), "heures_travaillees": 45})
    book = make_workbook(tmp_path, rows, PARAMS)
    courriers(book, mois=JUNE, sortie=tmp_path / "r", today=TODAY)
    lines = table_rows(tmp_path / "r" / STATEMENT)
    ended = [r for r in lines if r[1] == "C7"]
    assert ended == [[ended[0][0], "C7", "Peintre", "Embauche directe", "terminé le 31 mai 2018", "45 h"]]
    assert lines[-1] == ["Total", "", "", "", "210 h", "355 h"]


def test_the_command_line_warns_on_stderr_and_exits_0(tmp_path):
    from click.testing import CliRunner

    from clausexl.cli import main

    book = make_workbook(tmp_path, ROWS, {**PARAMS, "adresse": None})
    out = CliRunner().invoke(main, ["attestations", str(book), "--sortie", str(tmp_path / "a")])
    assert out.exit_code == 0, out.output
    assert out.stderr.count("feuille Paramètres") == 1
    assert ("Attention : dans la feuille Paramètres, le paramètre « Adresse » est vide : l'en-tête et la signature "
            "des documents s'en passent ; renseignez-le avant d'envoyer.") in out.stderr


def _recipient(path):
    """The right-aligned paragraphs of the addressee's block and the date line, as printed."""
    paragraphs = docx.Document(str(path)).paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.alignment is not None)
    date = next(i for i, p in enumerate(paragraphs) if ", le " in p.text or p.text.startswith("Le "))
    return [p.text for p in paragraphs[first:date + 1]]


def test_the_addressee_block_has_no_gap_for_a_missing_contact_or_address(tmp_path):
    """A partner with a contact but no address, one with neither: only the lines they have, then one blank
    line and the date (no empty line where the contact, the street or the town would be)."""
    book = make_workbook(tmp_path, ROWS, PARAMS)
    offres(book, "O2018-006", sortie=tmp_path / "o", today=TODAY)
    date = "Cherbourg-en-Cotentin, le 3 juillet 2018"
    assert _recipient(tmp_path / "o" / "Offre O2018-006 - Mission locale du Cotentin.docx") == [
        "Mission locale du Cotentin", "À l'attention de Julie Bernard", "", date]
    assert _recipient(tmp_path / "o" / "Offre O2018-006 - France Travail Cherbourg.docx") == [
        "France Travail Cherbourg", "", date]


def test_no_reminder_for_a_month_that_is_not_over(tmp_path):
    """June asked on 15 June: the statements (hours received so far), no reminder — the companies cannot have
    sent June's hours yet — and a warning that says so; on the month's last day the reminders are written."""
    book = make_workbook(tmp_path, ROWS, PARAMS)
    after = courriers(book, mois=JUNE, sortie=tmp_path / "apres", today=TODAY)
    reminders = [p.name for p in after.fichiers if p.name.startswith("Relance")]
    assert reminders and after.extra["relances"] == len(reminders)
    early = courriers(book, mois=JUNE, sortie=tmp_path / "avant", today=dt.date(2018, 6, 15))
    assert [p.name for p in early.fichiers if p.name.startswith("Relance")] == []
    assert early.extra["relances"] == 0
    assert sorted(p.name for p in early.fichiers) == sorted(p.name for p in after.fichiers if p.name not in reminders)
    n = len(reminders)
    assert (f"Juin 2018 n'est pas fini au 15 juin 2018 : {n} relance{'s' if n > 1 else ''} non écrite"
            f"{'s' if n > 1 else ''} (les entreprises ne peuvent pas encore avoir envoyé toutes les heures du mois) "
            "; les relevés montrent les heures reçues à ce jour.") in early.avertissements
    last_day = courriers(book, mois=JUNE, sortie=tmp_path / "fin", today=dt.date(2018, 6, 30))
    assert len([p for p in last_day.fichiers if p.name.startswith("Relance")]) == n
