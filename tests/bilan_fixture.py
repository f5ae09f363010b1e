"""One small territory whose hours and indicators are computed by hand in the tests.

Edge cases written into the rows (see the comments): a participant with hours in two years, a
contract spanning two years, a market with a typed target beside its computed one, a buyer with
two markets, a company both awardee and employer, a company local by postal code only, an age
of exactly 26 on the start date, a 29 February birthday, a market « En préparation » with no hours.

Hand computations (parameters at their defaults: 35 €/h, 7 %, 40 %, 1600 h per ETP, 60 €/h):
- M1 target 1 000 000 × 50 % × 5 % ÷ 30 = 833.33 → 834 h; M2 typed 600 h (computed
  100 000 × 40 % × 7 % ÷ 35 = 80 h); M3 200 000 × 0.4 × 0.07 ÷ 35 = 160 h; M4 50 000 → 40 h;
  M5 10 000 → 8 h.
- Hours 2018: C1 130 + 90 = 220 (10 training), C2 150 + 150 + 100 = 400, C3 20 + 150 + 35 = 205
  (35 training), C4 100 (50 training), C5 0 → 925 h, of which 830 worked and 95 training.
- Hours 2017: C1 100 + 80 = 180, C5 100 → 280 h.
"""

from __future__ import annotations

from pathlib import Path

from workbooks import d, make_workbook

CONDITION = "Condition d'exécution (L2112-2)"
CRITERE = "Critère d'attribution (L2152-7)"
RESERVE = "Marché réservé SIAE (L2113-13)"
INSERTION = "Marché d'insertion (R2123-1)"
QPV_CODE = "QN05001M"
EXTRACTION = d("2019-03-15")


def _market(id_, buyer, kind, dispositif, amount, start, end, status, awardee=None, **extra):
    return {"id": id_, "donneur_ordre": buyer, "objet": f"Objet {id_}", "type_marche": kind,
            "dispositif": dispositif, "montant_ht": amount, "date_debut": d(start), "date_fin": d(end),
            "statut": status, "attributaire": awardee, **extra}


def _person(id_, nom, prenom, sexe, born, niveau, adresse, **criteria):
    return {"id": id_, "nom": nom, "prenom": prenom, "sexe": sexe, "date_naissance": d(born),
            "niveau_qualification": niveau, "adresse": adresse, "code_postal": "50100",
            "commune": "Cherbourg-en-Cotentin", **{k: "Oui" for k in criteria if k != "qpv"},
            **({"qpv": criteria["qpv"]} if "qpv" in criteria else {})}


def _contract(id_, person, market, employer, modality, kind, start, end=None):
    return {"id": id_, "participant": person, "marche": market, "employeur": employer, "modalite": modality,
            "type_contrat": kind, "date_debut": d(start), "date_fin": d(end) if end else None}


def _hours(contract, month, worked, training=None):
    return {"contrat": contract, "mois": d(month), "heures_travaillees": worked, "heures_formation": training}


ROWS = {
    "T_DonneursOrdre": [
        {"id": "D1", "nom": "Ville de Cherbourg-en-Cotentin", "categorie": "Commune"},
        {"id": "D2", "nom": "Presqu'île Habitat", "categorie": "Bailleur social"},
        {"id": "D3", "nom": "Département de la Manche", "categorie": "Département"},
    ],
    "T_Entreprises": [
        # local by its commune, spelt without hyphens
        {"id": "E1", "raison_sociale": "BTP du Cotentin", "type": "Entreprise classique",
         "commune": "Cherbourg en Cotentin"},
        # local by its postal code only
        {"id": "E2", "raison_sociale": "ETTI Nord", "type": "ETTI", "code_postal": "50100", "commune": "Ailleurs"},
        {"id": "E3", "raison_sociale": "Services de Caen", "type": "Entreprise classique",
         "code_postal": "14000", "commune": "Caen"},
        {"id": "E4", "raison_sociale": "GEIQ BTP Normandie", "type": "GEIQ", "code_postal": "76000",
         "commune": "Rouen"},
        {"id": "E5", "raison_sociale": "Paysages", "type": "Entreprise classique", "commune": "Caen"},
    ],
    "T_Marches": [
        _market("M1", "D1", "Travaux", CONDITION, 1_000_000, "2018-01-01", "2018-12-31", "En cours", "E1",
                part_main_oeuvre=0.5, taux_insertion=0.05, cout_horaire=30, npnru="Oui"),
        # typed target (600) beside the computed one (80); its own penalty rate
        _market("M2", "D1", "Services", CRITERE, 100_000, "2017-07-01", "2018-06-30", "Terminé", "E3",
                heures_prevues=600, penalite=100),
        # en préparation, no hours
        _market("M3", "D2", "Travaux", CONDITION, 200_000, "2018-09-01", "2019-08-31", "En préparation"),
        # abandoned but with hours in 2018: followed all the same
        _market("M4", "D2", "Fournitures", RESERVE, 50_000, "2018-06-01", "2018-12-31", "Abandonné"),
        _market("M5", "D3", "Travaux", INSERTION, 10_000, "2016-01-01", "2016-12-31", "Terminé", "E5"),
    ],
    "T_Participants": [
        # hours in 2017 and 2018; 25 at the start of C1
        _person("P1", "Martin", "Sophie", "F", "1992-05-10", "Infra 3 (sans qualification)", "12 rue des Lilas",
                rsa=1, resident_qpv=1, qpv=QPV_CODE),
        # exactly 26 on the start date of C2
        _person("P2", "Durand", "Paul", "H", "1992-03-01", "3 (CAP, BEP)", "4 impasse du Port",
                deld=1, resident_qpv=1, qpv=QPV_CODE),
        # born 29 February: still 25 on 28 February 2018
        _person("P3", "Petit", "Léa", "F", "1992-02-29", "Infra 3 (sans qualification)", "7 avenue de Paris",
                rsa=1, aah=1),
        _person("P4", "Bernard", "Jean", "H", "1960-06-15", "4 (Bac)", "3 place Napoléon", senior_50=1),
        # hours in 2017 only (a 2018 row of 0 hours)
        _person("P5", "Leroy", "Anne", "F", "1985-01-01", "5 (Bac+2)", "9 rue Victor Hugo", deld=1),
    ],
    "T_Contrats": [
        # spans 2017 and 2018; E2 (ETTI) places for E3
        _contract("C1", "P1", "M2", "E2", "Mise à disposition", "Intérim", "2017-11-01", "2018-02-28"),
        # E1 is both awardee of M1 and employer
        _contract("C2", "P2", "M1", "E1", "Embauche directe", "CDD", "2018-03-01", "2018-05-31"),
        _contract("C3", "P3", "M1", "E1", "Embauche directe", "CDI", "2018-02-28"),
        _contract("C4", "P4", "M4", "E4", "Formation", "Professionnalisation", "2018-09-01", "2018-10-31"),
        _contract("C5", "P5", "M2", "E3", "Embauche directe", "CDD", "2017-08-01", "2017-12-31"),
    ],
    "T_Heures": [
        _hours("C1", "2017-11-01", 100), _hours("C1", "2017-12-01", 80),
        _hours("C1", "2018-01-01", 120, 10), _hours("C1", "2018-02-01", 90),
        _hours("C2", "2018-03-01", 150), _hours("C2", "2018-04-01", 150), _hours("C2", "2018-05-01", 100),
        _hours("C3", "2018-02-01", 20), _hours("C3", "2018-03-01", 150), _hours("C3", "2018-04-01", 0, 35),
        _hours("C4", "2018-09-01", 50, 50), _hours("C4", "2018-10-01", 0),
        _hours("C5", "2017-08-01", 100), _hours("C5", "2018-01-01", 0),
    ],
    "T_Suivi": [
        {"participant": "P1", "echeance": "Fin de contrat", "date": d("2018-02-28"), "situation": "Demandeur d'emploi"},
        {"participant": "P1", "echeance": "Fin de contrat", "date": d("2018-03-01"),
         "situation": "CDD ou intérim de moins de 6 mois"},
        {"participant": "P1", "echeance": "6 mois", "date": d("2018-09-01"), "situation": "CDI"},
        {"participant": "P2", "echeance": "Fin de contrat", "date": d("2018-06-01"),
         "situation": "Toujours en contrat clause"},
        {"participant": "P5", "echeance": "Fin de contrat", "date": d("2018-01-05"), "situation": "Formation qualifiante"},
    ],
    "T_Offres": [{"id": "O1", "marche": "M1", "entreprise": "E1", "poste": "Maçon"}],
    "T_Candidatures": [
        {"offre": "O1", "participant": "P1", "date": d("2018-02-01"), "resultat": "Proposé"},
        {"offre": "O1", "participant": "P2", "date": d("2018-02-15"), "resultat": "Retenu"},
        {"offre": "O1", "participant": "P3", "date": d("2018-02-15"), "resultat": "Non retenu"},
        {"offre": "O1", "participant": "P5", "date": d("2017-07-15"), "resultat": "Désisté"},
    ],
    "T_QPV": [{"code": QPV_CODE, "nom": "Les Provinces", "commune": "Cherbourg-en-Cotentin"}],
    "T_Territoire": [{"commune": "Cherbourg-en-Cotentin", "code_postal": "50100"}],
}
PARAMETERS = {"structure": "MEF du Cotentin", "territoire": "Cotentin"}

#: What must never reach the funders' workbook.
PERSONAL_TEXT = tuple(
    text for p in ROWS["T_Participants"] for text in (p["nom"], p["prenom"], p["adresse"])
)
BIRTH_DATES = tuple(p["date_naissance"] for p in ROWS["T_Participants"])


def territory(folder: Path) -> Path:
    """The fixture workbook written in `folder`."""
    return make_workbook(folder, ROWS, PARAMETERS)
