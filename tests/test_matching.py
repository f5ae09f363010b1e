"""Matching: the pool ranked for an offer, the key and reasons of every rank, and the proposal figures."""

from __future__ import annotations

import re

import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.candidatures import latest_results
from clausexl.core.errors import UnknownItem
from clausexl.core.matching import TABLES, rank_candidates
from workbooks import TableRows, d, make_workbook

AU = d("2019-03-15")
CHERBOURG = "Cherbourg-en-Cotentin"


def person(pid: str, **values) -> dict:
    """A pool member who meets the DELD criterion, checked in June 2018, with the values given."""
    row = {"id": pid, "nom": f"Nom{pid}", "prenom": f"Prénom{pid}", "sexe": "F", "date_naissance": d("1990-01-01"),
           "niveau_qualification": "3 (CAP, BEP)", "deld": True, "date_eligibilite": d("2018-06-01"),
           "statut": "Repéré", "metiers": "F1703", "commune": CHERBOURG, "disponible_le": d("2019-03-01")}
    row.update(values)
    return row


QPV = {"qpv": "QN05001M", "resident_qpv": True}
ROWS: TableRows = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune"}],
    "T_Entreprises": [{"id": "E1", "raison_sociale": "BTP Cotentin", "type": "Entreprise classique",
                       "commune": CHERBOURG},
                      {"id": "E2", "raison_sociale": "Atelier adapté", "type": "EA", "commune": "Valognes"}],
    "T_QPV": [{"code": "QN05001M", "nom": "Les Provinces", "commune": CHERBOURG}],
    "T_Marches": [
        {"id": "M1", "donneur_ordre": "D1", "objet": "Rénovation", "type_marche": "Travaux",
         "dispositif": "Condition d'exécution (L2112-2)", "npnru": True, "montant_ht": 1_000_000,
         "date_debut": d("2019-01-01"), "date_fin": d("2019-12-31"), "attributaire": "E1", "statut": "En cours"},
        {"id": "M2", "donneur_ordre": "D1", "objet": "Entretien espaces verts", "type_marche": "Services",
         "dispositif": "Marché réservé EA-ESAT (L2113-12)", "montant_ht": 100_000,
         "date_debut": d("2019-01-01"), "date_fin": d("2019-12-31"), "attributaire": "E2", "statut": "En cours"},
    ],
    "T_Offres": [
        {"id": "O1", "marche": "M1", "entreprise": "E1", "poste": "Maçon", "code_rome": "F1703", "lieu": CHERBOURG,
         "date_debut": d("2019-04-01"), "statut": "Ouverte"},
        {"id": "O2", "marche": "M1", "entreprise": "E1", "poste": "Maçon VRD", "code_rome": "F1703",
         "statut": "Ouverte"},
        {"id": "O3", "marche": "M1", "entreprise": "E1", "poste": "Coffreur", "code_rome": "F1703",
         "statut": "Pourvue"},
        {"id": "O4", "marche": "M2", "entreprise": "E2", "poste": "Jardinier", "code_rome": "A1203",
         "date_debut": d("2019-04-01"), "statut": "Ouverte"},
    ],
    "T_Participants": [
        person("P01", **QPV),
        person("P02", commune="Valognes", permis_b=True, vehicule=True),
        person("P03", commune="Valognes", permis_b=True, **QPV),
        person("P04", disponible_le=d("2019-05-01"), **QPV),
        person("P05", disponible_le=None, **QPV),
        person("P06", metiers="F1702; F1701", **QPV),
        person("P07", metiers="A1203", **QPV),
        person("P08", **QPV),
        person("P09", **QPV),
        person("P10", commune="Valognes"),
        person("P11", statut="Orienté", sexe="H", **QPV),
        person("P12", **QPV),
        person("P13", deld=False),
        person("P14", date_eligibilite=d("2016-01-01")),
        person("P15", statut="En poste", **QPV),
        person("P16", statut="Orienté", deld=False, autre_critere="Sortant de détention", date_eligibilite=None,
               **QPV),
        person("P17", **QPV),
    ],
    "T_Contrats": [
        {"id": "C1", "participant": "P11", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2019-02-01")},
    ],
    "T_Candidatures": [
        {"offre": "O1", "participant": "P08", "date": d("2019-03-10"), "resultat": "Proposé"},
        {"offre": "O2", "participant": "P09", "date": d("2019-03-01"), "resultat": "Entretien"},
        {"offre": "O3", "participant": "P12", "date": d("2019-02-20"), "resultat": "Retenu"},
        {"offre": "O2", "participant": "P17", "date": d("2019-02-01"), "resultat": "Proposé"},
        {"offre": "O2", "participant": "P17", "date": d("2019-02-15"), "resultat": "Non retenu"},
        {"offre": "O1", "participant": "P01", "date": d("2018-12-01"), "resultat": "Désisté"},
    ],
}
# P01's old "Désisté" row for O1 would put them last: keep the main case free of it.
MAIN_ROWS = {**ROWS, "T_Candidatures": ROWS["T_Candidatures"][:-1]}

#: (participant, key (propositions, metier, acces, disponibilite, public)), best first — by hand.
EXPECTED = [
    ("P01", (0, 0, 0, 0, 0)),
    ("P16", (0, 0, 0, 0, 0)),
    ("P17", (0, 0, 0, 0, 0)),
    ("P02", (0, 0, 0, 0, 1)),
    ("P05", (0, 0, 0, 1, 0)),
    ("P04", (0, 0, 0, 2, 0)),
    ("P03", (0, 0, 1, 0, 0)),
    ("P10", (0, 0, 2, 0, 1)),
    ("P06", (0, 1, 0, 0, 0)),
    ("P07", (0, 2, 0, 0, 0)),
    ("P09", (1, 0, 0, 0, 0)),
    ("P08", (2, 0, 0, 0, 0)),
    ("P11", (2, 0, 0, 0, 0)),
    ("P12", (2, 0, 0, 0, 0)),
]


@pytest.fixture(scope="module")
def classeur(tmp_path_factory):
    return read_classeur(make_workbook(tmp_path_factory.mktemp("m"), MAIN_ROWS), TABLES)


def test_ranking_order_and_keys(classeur):
    """Fourteen eligible people come out in the hand-worked order, each with the key that explains it."""
    result = rank_candidates(classeur, "O1", AU)
    assert [(c.participant, c.cle) for c in result.candidats] == EXPECTED
    assert [c.rang for c in result.candidats] == list(range(1, 15))


# One assertion per reason, alike on purpose: each line is the French sentence a facilitator reads.
def test_reasons_of_each_level(classeur):
    """Each rank carries one French sentence per level, saying what decided it."""
    by_id = {c.participant: c.raisons for c in rank_candidates(classeur, "O1", AU).candidats}
    assert by_id["P01"] == (
        "Aucune proposition en cours, pas en poste.",
        "Recherche le métier de l'offre (F1703).",
        "Habite dans la commune du poste (Cherbourg-en-Cotentin).",
        "Disponible dès le 01/03/2019, avant le début du poste (01/04/2019).",
        "Réside en QPV, public attendu sur ce marché NPNRU.",
    )
    assert by_id["P02"][2] == "A le permis B et un véhicule."
    assert by_id["P02"][4] == "Ne réside pas en QPV alors que le marché est NPNRU."
    assert by_id["P03"][2] == "A le permis B mais pas de véhicule."
    assert by_id["P10"][2] == "Ni permis B ni véhicule, habite hors de la commune du poste (Valognes) : trajet à vérifier."
    assert by_id["P04"][3] == "Disponible seulement le 01/05/2019, après le début du poste (01/04/2019)."
    assert by_id["P05"][3] == "Disponibilité non saisie : à vérifier."
    assert by_id["P06"][1] == "Recherche un métier du même domaine F17 (F1702, F1701)."
    assert by_id["P07"][1] == "Recherche d'autres métiers (A1203)."
    assert by_id["P09"][0] == "Proposée sur l'offre O2 le 01/03/2019, en attente (Entretien)."
    assert by_id["P08"][0] == "Déjà proposée pour cette offre le 10/03/2019 (résultat : Proposé)."
    assert by_id["P11"][0] == "En poste : contrat C1 en cours."
    assert by_id["P12"][0] == "Retenue sur l'offre O3 le 20/02/2019."
    assert by_id["P17"][0] == "Aucune proposition en cours, pas en poste."
    assert by_id["P16"][4] == ("Réside en QPV, public attendu sur ce marché NPNRU. "
                               "Date d'éligibilité non saisie : à vérifier avant de proposer.")


def test_left_out_of_the_pool(classeur):
    """No criterion or an eligibility older than 24 months leaves a person out, with the reason; En poste is not in the pool."""
    result = rank_candidates(classeur, "O1", AU)
    assert [(e.participant, e.raison[:30]) for e in result.ecartes] == [
        ("P13", "Aucun critère d'éligibilité sa"),
        ("P14", "Éligibilité vérifiée le 01/01/"),
    ]
    assert "P15" not in {c.participant for c in result.candidats}


def test_any_earlier_proposal_for_the_offer_puts_last(tmp_path):
    """A person who once withdrew from this offer ("Désisté") is still ranked after everyone free."""
    c = read_classeur(make_workbook(tmp_path, ROWS), TABLES)
    order = [x.participant for x in rank_candidates(c, "O1", AU).candidats]
    assert order.index("P01") > order.index("P09")
    assert order[-4:] == ["P01", "P08", "P11", "P12"]


def test_reserved_market_public_never_names_sensitive_criteria(tmp_path):
    """On an EA-ESAT reserved market the disabled worker ranks first, and no reason names RQTH, RSA, AAH or ASS."""
    rows = {**ROWS, "T_Participants": [
        person("P01", metiers="A1203", rsa=True, commune="Valognes"),
        person("P02", metiers="A1203", rqth=True, aah=True, commune="Valognes"),
        person("P03", metiers="A1203", ass=True, commune="Valognes"),
    ], "T_Candidatures": []}
    result = rank_candidates(read_classeur(make_workbook(tmp_path, rows), TABLES), "O4", AU)
    assert [(c.participant, c.cle[4]) for c in result.candidats] == [("P02", 0), ("P01", 1), ("P03", 1)]
    assert result.candidats[0].raisons[4] == "Relève du public du marché réservé aux EA et ESAT."
    text = " ".join(r for c in result.candidats for r in c.raisons)
    assert not re.search(r"\b(RSA|RQTH|AAH|ASS)\b", text, re.IGNORECASE)


def test_unknown_offer(classeur):
    """An offer ID that does not exist cannot proceed, with a sentence naming it."""
    with pytest.raises(UnknownItem, match="O99"):
        rank_candidates(classeur, "O99", AU)


def test_latest_result_of_each_proposal(tmp_path):
    """Where each person stands on each offer: the latest row of each (offre, participant) pair."""
    c = read_classeur(make_workbook(tmp_path, ROWS), TABLES)
    latest = latest_results(c)
    assert {(r.offre, r.participant): r.resultat for r in latest.itertuples()} == {
        ("O1", "P08"): "Proposé", ("O2", "P09"): "Entretien", ("O3", "P12"): "Retenu",
        ("O2", "P17"): "Non retenu", ("O1", "P01"): "Désisté"}
