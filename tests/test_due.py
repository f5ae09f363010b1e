"""What is due: each kind of item appears exactly when due and disappears once the workbook records it."""

from __future__ import annotations

import copy

import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core import due
from clausexl.core.due import TABLES, due_items
from workbooks import TableRows, d, make_workbook

SANS = "Infra 3 (sans qualification)"
BASE: TableRows = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Cherbourg", "categorie": "Commune"}],
    "T_Entreprises": [{"id": "E1", "raison_sociale": "BTP Cotentin", "type": "Entreprise classique"}],
    "T_Marches": [
        {"id": "M1", "donneur_ordre": "D1", "objet": "Rénovation école", "type_marche": "Travaux",
         "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500_000, "mode_calcul": "Heures fixées",
         "heures_prevues": 1000, "date_debut": d("2018-01-01"), "date_fin": d("2018-12-31"),
         "attributaire": "E1", "statut": "En cours"},
        {"id": "M2", "donneur_ordre": "D1", "objet": "Voirie", "type_marche": "Travaux",
         "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 300_000,
         "date_debut": d("2018-09-01"), "date_fin": d("2019-06-30"), "statut": "En préparation"},
    ],
    "T_Participants": [
        {"id": "P1", "nom": "Martin", "prenom": "Léa", "sexe": "F", "date_naissance": d("1990-05-01"),
         "niveau_qualification": "3 (CAP, BEP)", "deld": True, "date_eligibilite": d("2017-12-01"),
         "statut": "En poste"},
        {"id": "P2", "nom": "Durand", "prenom": "Paul", "sexe": "H", "date_naissance": d("1985-02-01"),
         "niveau_qualification": "4 (Bac)", "rsa": True, "date_eligibilite": d("2016-07-01"), "statut": "Repéré"},
        {"id": "P3", "nom": "Petit", "prenom": "Inès", "sexe": "F", "date_naissance": d("1999-09-09"),
         "niveau_qualification": SANS, "jeune_26": True, "statut": "Orienté"},
        {"id": "P4", "nom": "Moreau", "prenom": "Luc", "sexe": "H", "date_naissance": d("1970-01-01"),
         "niveau_qualification": SANS, "deld": True, "date_eligibilite": d("2016-01-01"), "statut": "En poste"},
        {"id": "P5", "nom": "Roux", "prenom": "Anne", "sexe": "F", "date_naissance": d("1960-01-01"),
         "niveau_qualification": SANS, "deld": True, "date_eligibilite": d("2012-03-01"),
         "date_rgpd": d("2012-02-01"), "statut": "Sorti du dispositif"},
        {"id": "P6", "nom": "Anonyme", "prenom": "Anonyme", "sexe": "H", "date_naissance": d("1960-01-01"),
         "niveau_qualification": SANS, "deld": True, "date_eligibilite": d("2010-01-01"),
         "statut": "Sorti du dispositif"},
    ],
    "T_Contrats": [
        {"id": "C1", "participant": "P1", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2018-01-01"), "date_fin": d("2018-06-30")},
    ],
    "T_Heures": [
        {"contrat": "C1", "mois": d("2018-01-01"), "heures_travaillees": 150},
        {"contrat": "C1", "mois": d("2018-02-01"), "heures_travaillees": 150},
    ],
}


def variant(**tables) -> dict:
    """BASE with rows appended to (or, for a callable, rewritten in) some tables."""
    rows = copy.deepcopy(BASE)
    for name, extra in tables.items():
        rows[name] = extra(rows.get(name, [])) if callable(extra) else rows.get(name, []) + extra
    return rows


def listed(c, au: str, kind: str) -> list[tuple[str, str]]:
    return [(i.date.isoformat(), i.reference) for i in due_items(c, d(au)) if i.type == kind]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return read_classeur(make_workbook(tmp_path_factory.mktemp("due"), BASE), TABLES)


@pytest.mark.parametrize("au, kind, expected", [
    # follow-ups: end of the last contract (30/06/2018), +6 and +12 months, kept a year after their date
    ("2018-06-29", due.SUIVI, []),
    ("2018-06-30", due.SUIVI, [("2018-06-30", "P1 · C1")]),
    ("2018-12-29", due.SUIVI, [("2018-06-30", "P1 · C1")]),
    ("2018-12-30", due.SUIVI, [("2018-06-30", "P1 · C1"), ("2018-12-30", "P1 · C1")]),
    ("2019-07-01", due.SUIVI, [("2018-12-30", "P1 · C1"), ("2019-06-30", "P1 · C1")]),
    ("2019-12-31", due.SUIVI, [("2019-06-30", "P1 · C1")]),
    # contracts ending within 30 days
    ("2018-05-30", due.FIN_CONTRAT, []),
    ("2018-05-31", due.FIN_CONTRAT, [("2018-06-30", "P1 · C1")]),
    ("2018-06-30", due.FIN_CONTRAT, []),
    # last month's statement, due before the 10th
    ("2018-03-05", due.RELEVE, []),
    ("2018-04-05", due.RELEVE, [("2018-04-10", "M1 · C1")]),
    ("2018-07-15", due.RELEVE, [("2018-07-10", "M1 · C1")]),
    ("2018-08-01", due.RELEVE, []),
    # late markets: 300 h done; 80 % of 1 000 h × elapsed share
    ("2018-03-01", due.RETARD, []),
    ("2018-07-01", due.RETARD, [("2018-07-01", "M1")]),
    # markets starting within 60 days without an offer
    ("2018-07-02", due.RECRUTEMENT, []),
    ("2018-07-03", due.RECRUTEMENT, [("2018-09-01", "M2")]),
    ("2018-09-01", due.RECRUTEMENT, []),
    # eligibility of the pool: 24 months, or never recorded
    ("2018-06-30", due.ELIGIBILITE, [("2018-06-30", "P3")]),
    ("2018-07-01", due.ELIGIBILITE, [("2018-07-01", "P2"), ("2018-07-01", "P3")]),
    # retention: 5 years after the follow-up (or the last date known for people never placed)
    ("2017-02-28", due.DONNEES, []),
    ("2017-03-01", due.DONNEES, [("2017-03-01", "P5")]),
    ("2024-06-29", due.DONNEES, [("2017-03-01", "P5"), ("2021-01-01", "P4"), ("2021-07-01", "P2")]),
    ("2024-06-30", due.DONNEES, [("2017-03-01", "P5"), ("2021-01-01", "P4"), ("2021-07-01", "P2"),
                                 ("2024-06-30", "P1")]),
])
def test_appears_when_due(base, au, kind, expected):
    """Each kind lists exactly the items whose date has come (or is near, for the forward-looking kinds)."""
    assert listed(base, au, kind) == expected


RECORDED = [
    ("end-of-contract situation recorded",
     variant(T_Suivi=[{"participant": "P1", "echeance": "Fin de contrat", "date": d("2018-07-02"),
                       "situation": "CDI"}]), {},
     "2018-12-30", due.SUIVI, [("2018-12-30", "P1 · C1")]),
    ("a follow-up older than the last contract does not count",
     variant(T_Suivi=[{"participant": "P1", "echeance": "6 mois", "date": d("2017-05-01"),
                       "situation": "CDI"}]), {},
     "2018-12-30", due.SUIVI, [("2018-06-30", "P1 · C1"), ("2018-12-30", "P1 · C1")]),
    ("a running contract means no follow-up yet",
     variant(T_Contrats=[{"id": "C2", "participant": "P1", "marche": "M1", "employeur": "E1",
                          "modalite": "Embauche directe", "type_contrat": "CDI", "date_debut": d("2018-07-01")}]), {},
     "2018-12-30", due.SUIVI, []),
    ("a follow-up period of 6 months stops at 6 mois",
     variant(), {"duree_suivi": 6},
     "2019-07-01", due.SUIVI, [("2018-12-30", "P1 · C1")]),
    ("the June statement arrived",
     variant(T_Heures=[{"contrat": "C1", "mois": d("2018-06-01"), "heures_travaillees": 100}]), {},
     "2018-07-15", due.RELEVE, []),
    ("hours caught up: no longer late",
     variant(T_Heures=[{"contrat": "C1", "mois": d(f"2018-0{m}-01"), "heures_travaillees": 100}
                       for m in range(3, 7)]), {},
     "2018-07-15", due.RETARD, []),
    ("an open offer for the market",
     variant(T_Offres=[{"id": "O1", "marche": "M2", "entreprise": "E1", "poste": "Maçon", "statut": "Ouverte"}]), {},
     "2018-07-03", due.RECRUTEMENT, []),
    ("a cancelled offer does not count",
     variant(T_Offres=[{"id": "O1", "marche": "M2", "entreprise": "E1", "poste": "Maçon", "statut": "Annulée"}]), {},
     "2018-07-03", due.RECRUTEMENT, [("2018-09-01", "M2")]),
    ("eligibility checked again",
     variant(T_Participants=lambda rows: [{**r, "date_eligibilite": d("2018-06-15")} if r["id"] in ("P2", "P3")
                                          else r for r in rows]), {},
     "2018-07-01", due.ELIGIBILITE, []),
    ("data anonymised",
     variant(T_Participants=lambda rows: [{**r, "nom": "Anonyme", "prenom": "Anonyme"} if r["id"] == "P5"
                                          else r for r in rows]), {},
     "2017-03-01", due.DONNEES, []),
]


@pytest.mark.parametrize("rows, params, au, kind, expected", [r[1:] for r in RECORDED], ids=[r[0] for r in RECORDED])
def test_disappears_once_recorded(tmp_path, rows, params, au, kind, expected):
    """Recording what was done (a follow-up, hours, an offer, a new eligibility date…) removes the item."""
    c = read_classeur(make_workbook(tmp_path, rows, params), TABLES)
    assert listed(c, au, kind) == expected


def test_list_sorted_with_state_and_sentences(base):
    """The whole list is sorted by date, says whether each item is late, and names who it is for."""
    items = due_items(base, d("2018-07-03"))
    assert [(i.date.isoformat(), i.type, i.reference, i.etat) for i in items] == [
        ("2017-03-01", due.DONNEES, "P5", "En retard"),
        ("2018-06-30", due.SUIVI, "P1 · C1", "En retard"),
        ("2018-07-01", due.ELIGIBILITE, "P2", "En retard"),
        ("2018-07-03", due.RETARD, "M1", "Aujourd'hui"),
        ("2018-07-03", due.ELIGIBILITE, "P3", "Aujourd'hui"),
        ("2018-07-10", due.RELEVE, "M1 · C1", "À venir"),
        ("2018-09-01", due.RECRUTEMENT, "M2", "À venir"),
    ]
    assert [i.qui for i in items] == ["Anne Roux (P5)", "Léa Martin (P1)", "Paul Durand (P2)", "BTP Cotentin (E1)",
                                      "Inès Petit (P3)", "BTP Cotentin (E1)", "Ville de Cherbourg"]
    assert items[1].action == ("Recueillir la situation à la fin du contrat (contrat C1 terminé le 30/06/2018) "
                               "et la saisir dans Suivi, échéance « Fin de contrat ».")
    assert items[3].action == ("Relancer l'entreprise : 300\u00a0h réalisées pour 502,75\u00a0h attendues à date "
                               "(objectif 1\u00a0000\u00a0h) sur le marché M1.")
    assert items[5].action == ("Obtenir le relevé d'heures de juin 2018 du marché M1 (contrat C1) ; "
                               "relancer l'entreprise s'il n'arrive pas.")
