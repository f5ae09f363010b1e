"""Letters at the edges: missing months named per contract, NPNRU hours that count, offers that may not go."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.due import due_items
from clausexl.core.errors import Refused
from clausexl.core.exclusion import screen
from clausexl.core.month_contracts import contracts_without_month
from clausexl.core.releves import forms
from clausexl.verbs.courriers import courriers
from clausexl.verbs.offres import offres
from docread import docx_text, table_rows
from documents_data import PARAMS, ROWS
from workbooks import d, make_workbook

QPV = {"code": "QN05001M", "nom": "Les Provinces", "commune": "Cherbourg-en-Cotentin"}


def _person(id_, nom, prenom, **extra):
    return {"id": id_, "nom": nom, "prenom": prenom, "sexe": "F", "date_naissance": d("1990-01-01"),
            "niveau_qualification": "3 (CAP, BEP)", **extra}


def _contract(id_, person, market, start):
    return {"id": id_, "participant": person, "marche": market, "employeur": "E3" if market == "M2018-005" else "E1",
            "modalite": "Embauche directe", "type_contrat": "CDD", "poste": "Peintre", "date_debut": d(start)}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    rows = copy.deepcopy(ROWS)
    rows["T_QPV"] = [QPV]
    rows["T_Participants"] += [_person("P4", "Diallo", "Awa", qpv="QN05001M"), _person("P5", "Moreau", "Eve"),
                               _person("P6", "Roux", "Hugo")]
    rows["T_Contrats"] += [_contract("C4", "P4", "M2018-005", "2018-05-02"),
                           _contract("C5", "P5", "M2018-005", "2018-05-02"),
                           # on M2018-004, active in June, no row for June while C1 and C2 have theirs
                           _contract("C6", "P6", "M2018-004", "2018-06-04")]
    rows["T_Heures"] += [
        {"contrat": "C4", "mois": d("2018-05-01"), "heures_travaillees": 30},
        {"contrat": "C4", "mois": d("2018-06-01"), "heures_travaillees": 40},
        {"contrat": "C5", "mois": d("2018-05-01"), "heures_travaillees": 60},  # no June row for C5
    ]
    rows["T_Offres"] += [
        {"id": "O2018-007", "marche": "M2018-005", "entreprise": "E3", "poste": "Peintre", "type_contrat": "CDD",
         "date_limite": d("2018-08-15"), "statut": "Ouverte"},
        {"id": "O2018-008", "marche": "M2018-004", "entreprise": "E1", "poste": "Coffreur", "statut": "Pourvue"},
    ]
    return make_workbook(tmp_path_factory.mktemp("edges"), rows, PARAMS)


@pytest.fixture(scope="module")
def june(workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("juin")
    courriers(workbook, mois=dt.date(2018, 6, 1), sortie=out, today=dt.date(2018, 7, 3))
    return out


def test_statement_names_every_person_and_never_prints_0_h_for_a_missing_month(june):
    rows = table_rows(june / "Relevé 2018-06 - M2018-005 - Nettoyage Plus.docx")
    assert rows[1:] == [["Awa Diallo", "C4", "Peintre", "Embauche directe", "40 h", "70 h"],
                        ["Eve Moreau", "C5", "Peintre", "Embauche directe", "non reçu", "60 h"],
                        ["Total", "", "", "", "40 h", "130 h"]]


def test_a_missing_contract_gets_a_reminder_even_when_others_have_their_hours(june):
    """M2018-004: C1 and C2 sent June, C6 did not → a reminder naming C6 (as echeances does)."""
    text = docx_text(june / "Relance 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx")
    assert "les heures d'insertion de juin 2018 du contrat C6 de ce marché" in text
    statement = docx_text(june / "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx")
    assert "du contrat C6" in statement


def test_npnru_letters_count_qpv_residents_hours_with_all_hours_beside(june):
    """M2018-005 (NPNRU, 500 h): 130 h done, of which Awa's 70 h (QPV) count: 14 % of the target."""
    text = docx_text(june / "Relevé 2018-06 - M2018-005 - Nettoyage Plus.docx")
    assert "Heures réalisées à la fin de juin 2018 : 130 h, dont 70 h par des habitants des QPV, " \
           "seules retenues pour ce marché NPNRU, soit 14,0 % de l'objectif." in text
    assert "Reste à réaliser : 430 h." in text


def test_buyer_bilan_shows_qpv_hours_of_npnru_markets(workbook, tmp_path):
    courriers(workbook, annee=2018, sortie=tmp_path, today=dt.date(2019, 1, 15))
    path = tmp_path / "Bilan 2018 - Presqu'île Habitat.docx"
    assert table_rows(path)[1][5] == "130 h (dont 70 h QPV)"
    assert table_rows(path)[1][6] == "14,0 %"
    assert "seules les heures des habitants des quartiers prioritaires (QPV) comptent" in docx_text(path)


def test_npnru_offer_names_the_neighbourhoods(workbook, tmp_path):
    result = offres(workbook, "O2018-007", sortie=tmp_path, today=dt.date(2018, 7, 3))
    text = docx_text(result.fichiers[0])
    assert "Les candidats doivent donc habiter l'un de ces quartiers : Les Provinces (QN05001M)." in text
    # no orphan label: the offer has neither place nor profile
    assert "Lieu :" not in text and "Profil recherché" not in text


@pytest.mark.parametrize(("offer", "today", "message"), [
    ("O2018-008", dt.date(2018, 7, 3), "L'offre « O2018-008 » est « Pourvue » : elle n'est plus diffusée."),
    ("O2018-007", dt.date(2018, 8, 16), "La date limite de réponse de l'offre « O2018-007 » (15/08/2018) est "
                                        "passée : changez la colonne « Date limite de réponse »"),
])
def test_offers_that_may_not_go_are_refused_and_nothing_is_written(workbook, tmp_path, offer, today, message):
    with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        offres(workbook, offer, sortie=tmp_path / "out", today=today)
    assert not (tmp_path / "out").exists()


# --- documents a facilitator can sign ---------------------------------------------------------

def test_a_running_market_gets_an_interim_certificate_without_penalty(workbook, tmp_path):
    from clausexl.verbs.attestations import attestations

    result = attestations(workbook, marche="M2018-004", sortie=tmp_path, today=dt.date(2018, 7, 3))
    assert len(result.fichiers) == 2
    text = docx_text(result.fichiers[0])
    assert "Attestation intermédiaire au 3 juillet 2018" in text
    assert "a réalisé, au 3 juillet 2018, 310 h d'insertion" in text
    assert "pénalité" not in text.lower() and "salutations" not in text
    assert "Fait à Cherbourg-en-Cotentin, le 3 juillet 2018." in text


@pytest.mark.parametrize(("market", "message"), [
    ("M2019-001", "Le marché « M2019-001 » est « En préparation » : il ne porte pas d'obligation"),
])
def test_a_market_without_obligation_gets_no_certificate(workbook, tmp_path, market, message):
    from clausexl.verbs.attestations import attestations

    with pytest.raises(Refused, match=message):
        attestations(workbook, marche=market, sortie=tmp_path / "out", today=dt.date(2018, 7, 3))
    assert not (tmp_path / "out").exists()


def test_french_that_reads_right(tmp_path):
    """The facilitator's title and place come from the parameters; lot, company and Dispositif are not doubled."""
    from clausexl.verbs.attestations import attestations
    from clausexl.verbs.clause import clause

    rows = copy.deepcopy(ROWS)
    rows["T_Marches"][0]["lot"] = "Lot 2"
    book = make_workbook(tmp_path, rows, {**PARAMS, "fonction": "Facilitatrice des clauses sociales",
                                          "lieu": "Valognes"})
    text = docx_text(clause(book, "M2018-004", sortie=tmp_path / "c", today=dt.date(2018, 1, 5)).fichiers[0])
    assert "Rénovation de l'école Jules-Ferry – Lot 2" in text and "lot Lot" not in text
    assert "Fondement : Condition d'exécution, article L2112-2 du Code de la commande publique." in text
    assert "Claire Martin, facilitatrice des clauses sociales" in text
    certificate = docx_text(attestations(book, marche="M2017-010", sortie=tmp_path / "a",
                                         today=dt.date(2018, 2, 1)).fichiers[0])
    assert "Je soussignée Claire Martin, facilitatrice des clauses sociales" in certificate
    assert "atteste que Nettoyage Plus, titulaire" in certificate
    assert "Fait à Valognes, le 1er février 2018." in certificate
    assert "Facilitatrice des clauses sociales, MEF du Cotentin" in certificate
    letter = docx_text(offres(book, "O2018-006", sortie=tmp_path / "o", today=dt.date(2018, 7, 3)).fichiers[0])
    assert "Bâtiment Dupont & Fils (Tourlaville) recrute" in letter and "L'entreprise Bâtiment" not in letter
    assert "Valognes, le 3 juillet 2018" in docx_text(
        courriers(book, mois=dt.date(2018, 6, 1), sortie=tmp_path / "r", today=dt.date(2018, 7, 3)).fichiers[0])


def test_signatures_never_stand_alone_on_a_page(june):
    """Every paragraph from the closing sentence to the signature keeps with the next one."""
    import docx

    doc = docx.Document(str(june / "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx"))
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Je reste à votre disposition"))
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[start - 1:-1])


def test_no_orphan_punctuation_when_the_facilitator_is_not_filled_in(tmp_path):
    """A new workbook whose Paramètres are still empty: the certificate reads without « , , » nor « – » alone."""
    from clausexl.verbs.attestations import attestations

    book = make_workbook(tmp_path, ROWS, {})
    text = docx_text(attestations(book, marche="M2017-010", sortie=tmp_path / "a",
                                  today=dt.date(2018, 2, 1)).fichiers[0])
    assert "Je soussigné, facilitateur des clauses sociales, atteste que Nettoyage Plus" in text
    assert ", ," not in text and "\n – \n" not in text and "Facilitateur des clauses sociales\n" in text


def test_forms_letters_and_to_do_list_share_one_rule_for_a_missing_month(tmp_path):
    """C5 and C6 lack June: on the forms, in the reminders and on the to-do list alike; C7, on a market
    still En préparation, is asked for nowhere (no obligation yet)."""
    rows = copy.deepcopy(ROWS)
    rows["T_Participants"] += [_person("P5", "Moreau", "Eve"), _person("P6", "Roux", "Hugo"),
                               _person("P7", "Blanc", "Inès")]
    rows["T_Contrats"] += [_contract("C5", "P5", "M2018-005", "2018-05-02"),
                           _contract("C6", "P6", "M2018-004", "2018-06-04"),
                           _contract("C7", "P7", "M2019-001", "2018-06-04")]
    c = screen(read_classeur(make_workbook(tmp_path, rows, PARAMS)))
    june = dt.date(2018, 6, 1)
    assert sorted(contracts_without_month(c, june)["id"]) == ["C5", "C6"]
    assert "C7" not in {line.contrat for f in forms(c, june) for line in f.lignes}
    todo = [i for i in due_items(c, dt.date(2018, 7, 3)) if i.type == "Relevé d'heures manquant"]
    assert sorted(i.reference for i in todo) == ["M2018-004 · C6", "M2018-005 · C5"]
    out = tmp_path / "juin"
    courriers(make_workbook(tmp_path / "b", rows, PARAMS), mois=june, sortie=out, today=dt.date(2018, 7, 3))
    for market, contract in (("M2018-004 - Bâtiment Dupont & Fils", "C6"), ("M2018-005 - Nettoyage Plus", "C5")):
        assert f"du contrat {contract} de ce marché" in docx_text(out / f"Relance 2018-06 - {market}.docx")
    assert not any("M2019-001" in p.name for p in out.iterdir())


def test_missing_contracts_and_positions_agree_with_their_count():
    from clausexl.core.contexts.suivi import of_contracts
    from clausexl.core.values import counted

    assert of_contracts(["C5"]) == "du contrat C5" and of_contracts(["C5", "C6"]) == "des contrats C5, C6"
    assert of_contracts([]) == ""
    assert (counted(1, "poste"), counted(2, "poste")) == ("1 poste", "2 postes")  # offre.postes in the e-mail
