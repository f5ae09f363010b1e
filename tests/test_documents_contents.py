"""Each generated document, read back, holds the values it must: hours, amounts, names, articles."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from clausexl.verbs.attestations import attestations
from clausexl.verbs.clause import clause
from clausexl.verbs.courriers import courriers
from clausexl.verbs.offres import offres
from docread import docx_text, table_rows
from documents_data import territory

FACILITATOR = ("Claire Martin", "MEF du Cotentin", "02 33 01 02 03", "clauses@mef-cotentin.example")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return territory(tmp_path_factory.mktemp("territoire"))


@pytest.mark.parametrize("market, article, buyer, expected", [
    ("M2018-004", "L2112-2", "Ville de Cherbourg-en-Cotentin",
     ["condition d'exécution", "834 h d'insertion", "23,8 semaines", "1 000 000,00 € HT", "part de main-d'œuvre 50 %",
      "taux d'insertion 5 %", "coût horaire 30,00 €", "= 833,33 h", "60,00 € par heure", "100,00 € par jour"]),
    ("M2017-010", "L2152-7", "Ville de Cherbourg-en-Cotentin",
     ["critère d'attribution", "pondéré à 10 %", "160 h d'insertion", "50,00 € par heure"]),
    ("M2019-001", "L2113-13", "Ville de Cherbourg-en-Cotentin",
     ["réservé", "structures d'insertion par l'activité économique", "R2113-7", "50 %", "80 h d'insertion"]),
    ("M2019-002", "L2113-12", "Presqu'île Habitat",
     ["réservé", "entreprises adaptées", "R2113-7", "40 h d'insertion"]),
    ("M2019-003", "R2123-1", "Ville de Cherbourg-en-Cotentin",
     ["services d'insertion et de qualification", "56 h d'insertion"]),
])
def test_clause_per_dispositif(workbook, tmp_path, market, article, buyer, expected):
    """The clause of each Dispositif cites its article, the hours and their computation, buyer and facilitator."""
    result = clause(workbook, market, sortie=tmp_path, today=dt.date(2018, 2, 1))
    [path] = result.fichiers
    assert path.name == f"Clause - {market} - {buyer}.docx"
    text = docx_text(path)
    assert f"article {article} du Code de la commande publique" in text
    assert f"Marché {market}" in text and buyer in text
    for value in (*expected, *FACILITATOR):
        assert value in text, value
    assert "réservées aux habitants" not in text  # not an NPNRU market


def test_npnru_clause_reserves_hours_to_qpv_residents(workbook, tmp_path):
    """An NPNRU market's clause reserves the hours to QPV residents; fixed hours are said fixed."""
    text = docx_text(clause(workbook, "M2018-005", sortie=tmp_path).fichiers[0])
    assert "les heures d'insertion de ce marché sont réservées aux habitants des quartiers prioritaires" in text
    assert "seules les heures réalisées par des habitants des QPV sont retenues" in text
    assert "500 h d'insertion" in text and "Ce volume est fixé par le pouvoir adjudicateur." in text


def test_monthly_statements_and_reminders(workbook, tmp_path):
    """June 2018: a statement per running market with its lines and totals, a reminder for the late one and the silent one."""
    result = courriers(workbook, mois=dt.date(2018, 6, 1), sortie=tmp_path, today=dt.date(2018, 7, 3))
    names = sorted(p.name for p in result.fichiers)
    assert names == [
        "Relance 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx", "Relance 2018-06 - M2018-005 - Nettoyage Plus.docx",
        "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx", "Relevé 2018-06 - M2018-005 - Nettoyage Plus.docx",
    ]
    releve = tmp_path / "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx"
    assert table_rows(releve) == [
        ["Personne", "Contrat", "Poste", "Modalité", "Heures du mois", "Heures cumulées"],
        ["Alice Lefèvre", "C1", "Maçon", "Mise à disposition", "130 h", "230 h"],
        ["Bruno Leroy", "C2", "Manœuvre", "Embauche directe", "80 h", "80 h"],
        ["Total", "", "", "", "210 h", "310 h"],
    ]
    text = docx_text(releve)
    for value in ("À l'attention de Paul Durand", "juin 2018", "834 h", "37,2 %", "412,4 h", "524 h", "102,4 h",
                  "Ville de Cherbourg-en-Cotentin", *FACILITATOR):
        assert value in text, value
    assert "RSA" not in text and "RQTH" not in text
    late = docx_text(tmp_path / "Relance 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx")
    assert "il manque 102,4 h" in late and "pas reçu le relevé" not in late
    silent = docx_text(tmp_path / "Relance 2018-06 - M2018-005 - Nettoyage Plus.docx")
    assert "pas reçu le relevé des heures d'insertion de juin 2018" in silent and "10 juillet 2018" in silent
    assert result.to_dict()["releves"] == 2 and result.to_dict()["relances"] == 2


def test_certificates_to_company_and_buyer(workbook, tmp_path):
    """A finished market gets two certificates with hours by modality, participants, rate, opinion and penalty."""
    result = attestations(workbook, sortie=tmp_path, today=dt.date(2018, 2, 1))
    assert sorted(p.name for p in result.fichiers) == [
        "Attestation - M2017-010 - Nettoyage Plus.docx", "Attestation - M2017-010 - Ville de Cherbourg-en-Cotentin.docx"]
    for path in result.fichiers:
        text = docx_text(path)
        for value in ("Nettoyage Plus", "M2017-010", "Entretien des espaces verts", "Ville de Cherbourg-en-Cotentin",
                      "130 h d'insertion", "3,7 semaines", "160 h prévues", "81,2 %", "Nombre de personnes en insertion : 1",
                      "Entreprise très impliquée", "Heures non réalisées : 30 h", "1 500,00 €",
                      "« Entretien des espaces verts » (donneur d'ordre : Ville de Cherbourg-en-Cotentin ; "
                      "Critère d'attribution, du", *FACILITATOR):
            assert value in text, value
        assert table_rows(path)[1:] == [["Embauche directe", "130 h"], ["Total", "130 h"]]


def test_yearly_bilan_per_buyer(workbook, tmp_path):
    """Each buyer's 2018 bilan lists its followed markets with hours owed and done, and counts participants."""
    result = courriers(workbook, annee=2018, sortie=tmp_path, today=dt.date(2019, 1, 10))
    assert sorted(p.name for p in result.fichiers) == [
        "Bilan 2018 - Presqu'île Habitat.docx", "Bilan 2018 - Ville de Cherbourg-en-Cotentin.docx"]
    path = tmp_path / "Bilan 2018 - Ville de Cherbourg-en-Cotentin.docx"
    assert table_rows(path)[1] == ["M2018-004", "Rénovation de l'école Jules-Ferry – lot Gros œuvre",
                                   "Bâtiment Dupont & Fils", "834 h", "310 h", "310 h", "37,2 %", "2"]
    assert "310 h d'insertion dans l'année" in docx_text(path) and "au bénéfice de 2 personnes." in docx_text(path)


def test_offer_letters_and_emails(workbook, tmp_path):
    """One letter per partner receiving offers, one .eml with the letter attached, and no participant data."""
    result = offres(workbook, "O2018-006", sortie=tmp_path, today=dt.date(2018, 8, 1))
    assert sorted(p.name for p in result.fichiers) == [
        "Offre O2018-006 - France Travail Cherbourg.docx", "Offre O2018-006 - France Travail Cherbourg.eml",
        "Offre O2018-006 - Mission locale du Cotentin.docx", "Offre O2018-006 - Mission locale du Cotentin.eml",
        "Offre O2018-006 - PLIE du Cotentin.docx"]
    assert any("PLIE du Cotentin" in w for w in result.avertissements)
    letter = docx_text(tmp_path / "Offre O2018-006 - Mission locale du Cotentin.docx")
    for value in ("Maçon", "F1703", "CDD, durée 6 mois", "35 h par semaine", "3 septembre 2018", "15 août 2018",
                  "Bâtiment Dupont & Fils", "M2018-004", "À l'attention de Julie Bernard", *FACILITATOR):
        assert value in letter, value
    for person in ("Lefèvre", "Leroy", "Petit", "Alice", "Bruno", "Chloé"):
        assert person not in letter
    msg = email.message_from_bytes((tmp_path / "Offre O2018-006 - Mission locale du Cotentin.eml").read_bytes(),
                                   policy=policy.default)
    assert msg["To"] == "ml@example.org" and msg["Subject"] == "Offre d'emploi O2018-006 – Maçon"
    assert msg["X-Unsent"] == "1"
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "Offre O2018-006 - Mission locale du Cotentin.docx"
    body = msg.get_body(("plain",))
    assert body is not None and "Bonjour Julie Bernard" in body.get_content()


def test_an_address_on_two_lines_reads_on_one_inside_a_sentence(tmp_path):
    """« 1 rue de l'Emploi » Alt+Entrée « 50100 Cherbourg-en-Cotentin »: the clause's « Rôle du facilitateur »
    sentence reads « …, 1 rue de l'Emploi, 50100 Cherbourg-en-Cotentin – tél. … » (a line break inside a
    justified sentence stretched its words across the line); the letterhead keeps its two lines. A
    facilitatrice's certificate gives « Avis de la facilitatrice »."""
    from documents_data import territory

    book = territory(tmp_path, {"adresse": "1 rue de l'Emploi\n50100 Cherbourg-en-Cotentin",
                                "fonction": "Facilitatrice des clauses sociales"})
    text = docx_text(clause(book, "M2018-004", sortie=tmp_path / "c").fichiers[0])
    assert "MEF du Cotentin, 1 rue de l'Emploi, 50100 Cherbourg-en-Cotentin – tél. 02 33 01 02 03" in text
    certificate = attestations(book, sortie=tmp_path / "a", today=dt.date(2018, 2, 1)).fichiers[0]
    assert "Avis de la facilitatrice : Entreprise très impliquée" in docx_text(certificate)
