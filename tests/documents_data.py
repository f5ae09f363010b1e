"""A small territory for the document tests, with figures computed by hand in the comments."""

from __future__ import annotations

from pathlib import Path

from workbooks import TableRows, d, make_workbook

PARAMS = {
    "structure": "MEF du Cotentin", "facilitateur": "Claire Martin", "telephone": "02 33 01 02 03",
    "courriel": "clauses@mef-cotentin.example", "adresse": "1 rue de l'Emploi, 50100 Cherbourg-en-Cotentin",
    "territoire": "Cherbourg-en-Cotentin",
}

MARKET = {"type_marche": "Services", "statut": "En préparation"}
ROWS: TableRows = {
    "T_DonneursOrdre": [
        {"id": "D1", "nom": "Ville de Cherbourg-en-Cotentin", "categorie": "Commune", "contact": "Service achats",
         "adresse": "10 place Napoléon", "code_postal": "50100", "commune": "Cherbourg-en-Cotentin"},
        {"id": "D2", "nom": "Presqu'île Habitat", "categorie": "Bailleur social"},
    ],
    "T_Entreprises": [
        {"id": "E1", "raison_sociale": "Bâtiment Dupont & Fils", "siret": "73282932000074",
         "type": "Entreprise classique", "contact": "Marc Dupont", "commune": "Tourlaville"},
        {"id": "E2", "raison_sociale": "ETTI Cotentin Intérim", "type": "ETTI"},
        {"id": "E3", "raison_sociale": "Nettoyage Plus", "type": "Entreprise classique", "contact": "Léa Roux"},
    ],
    "T_Marches": [
        # 1 000 000 × 50 % × 5 % ÷ 30 = 833,33 → 834 h; expected at 30/06/2018: 834 × 180/364 = 412,4 h
        {"id": "M2018-004", "donneur_ordre": "D1", "objet": "Rénovation de l'école Jules-Ferry", "lot": "Gros œuvre",
         "type_marche": "Travaux", "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 1_000_000,
         "part_main_oeuvre": 0.5, "taux_insertion": 0.05, "cout_horaire": 30, "date_debut": d("2018-01-01"),
         "date_fin": d("2018-12-31"), "attributaire": "E1", "referent": "Paul Durand", "statut": "En cours"},
        {"id": "M2018-005", "donneur_ordre": "D2", "objet": "Réhabilitation des Provinces", "type_marche": "Travaux",
         "dispositif": "Condition d'exécution (L2112-2)", "npnru": True, "montant_ht": 300_000,
         "mode_calcul": "Heures fixées", "heures_prevues": 500, "date_debut": d("2018-03-01"),
         "date_fin": d("2019-02-28"), "attributaire": "E3", "statut": "En cours"},
        # 200 000 × 40 % × 7 % ÷ 35 = 160 h; done 130 h; penalty 30 h × 50 € = 1 500 €
        {"id": "M2017-010", "donneur_ordre": "D1", "objet": "Entretien des espaces verts",
         "dispositif": "Critère d'attribution (L2152-7)", "montant_ht": 200_000, "ponderation": 0.1,
         "date_debut": d("2017-01-01"), "date_fin": d("2017-12-31"), "attributaire": "E3", "penalite": 50,
         "statut": "Terminé", "avis": "Entreprise très impliquée dans l'accueil des personnes.",
         "type_marche": "Services"},
        # 100 000 × 40 % × 7 % ÷ 35 = 80 h
        {**MARKET, "id": "M2019-001", "donneur_ordre": "D1", "objet": "Nettoyage des locaux",
         "dispositif": "Marché réservé SIAE (L2113-13)", "montant_ht": 100_000, "date_debut": d("2019-01-01"),
         "date_fin": d("2019-12-31")},
        {**MARKET, "id": "M2019-002", "donneur_ordre": "D2", "objet": "Conditionnement de fournitures",
         "dispositif": "Marché réservé EA-ESAT (L2113-12)", "montant_ht": 50_000, "date_debut": d("2019-01-01"),
         "date_fin": d("2019-12-31")},
        {**MARKET, "id": "M2019-003", "donneur_ordre": "D1", "objet": "Chantier d'insertion des berges",
         "dispositif": "Marché d'insertion (R2123-1)", "montant_ht": 70_000, "date_debut": d("2019-01-01"),
         "date_fin": d("2019-12-31")},
    ],
    "T_Participants": [
        {"id": "P1", "nom": "Lefèvre", "prenom": "Alice", "sexe": "F", "date_naissance": d("1990-04-02"),
         "niveau_qualification": "3 (CAP, BEP)", "rsa": True},
        {"id": "P2", "nom": "Leroy", "prenom": "Bruno", "sexe": "H", "date_naissance": d("1965-09-20"),
         "niveau_qualification": "Infra 3 (sans qualification)", "rqth": True},
        {"id": "P3", "nom": "Petit", "prenom": "Chloé", "sexe": "F", "date_naissance": d("1998-01-15"),
         "niveau_qualification": "4 (Bac)", "deld": True},
    ],
    "T_Contrats": [
        {"id": "C1", "participant": "P1", "marche": "M2018-004", "employeur": "E2", "modalite": "Mise à disposition",
         "type_contrat": "Intérim", "poste": "Maçon", "date_debut": d("2018-05-02")},
        {"id": "C2", "participant": "P2", "marche": "M2018-004", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "poste": "Manœuvre", "date_debut": d("2018-06-01")},
        {"id": "C3", "participant": "P3", "marche": "M2017-010", "employeur": "E3", "modalite": "Embauche directe",
         "type_contrat": "CDD", "poste": "Agent d'entretien", "date_debut": d("2017-03-01"),
         "date_fin": d("2017-04-30")},
    ],
    "T_Heures": [
        {"contrat": "C1", "mois": d("2018-05-01"), "heures_travaillees": 100},
        {"contrat": "C1", "mois": d("2018-06-01"), "heures_travaillees": 120, "heures_formation": 10},
        {"contrat": "C2", "mois": d("2018-06-01"), "heures_travaillees": 80},
        {"contrat": "C3", "mois": d("2017-03-01"), "heures_travaillees": 70},
        {"contrat": "C3", "mois": d("2017-04-01"), "heures_travaillees": 50, "heures_formation": 10},
    ],
    "T_Offres": [
        {"id": "O2018-006", "marche": "M2018-004", "entreprise": "E1", "poste": "Maçon", "code_rome": "F1703",
         "type_contrat": "CDD", "nombre_postes": 2, "duree": "6 mois", "heures_hebdo": 35,
         "date_debut": d("2018-09-03"), "lieu": "Cherbourg-en-Cotentin",
         "profil": "Première expérience du bâtiment appréciée", "date_limite": d("2018-08-15"), "statut": "Ouverte"},
    ],
    "T_Partenaires": [
        {"id": "PA1", "nom": "Mission locale du Cotentin", "type": "Mission locale", "contact": "Julie Bernard",
         "courriel": "ml@example.org", "recoit_offres": True},
        {"id": "PA2", "nom": "France Travail Cherbourg", "type": "France Travail", "courriel": "ft@example.org",
         "recoit_offres": True},
        {"id": "PA3", "nom": "Cap emploi Manche", "type": "Cap emploi", "courriel": "cap@example.org",
         "recoit_offres": False},
        {"id": "PA4", "nom": "PLIE du Cotentin", "type": "PLIE", "recoit_offres": True},
    ],
}


def territory(folder: Path, parameters: dict[str, object] | None = None) -> Path:
    """The fixture workbook in `folder`."""
    return make_workbook(folder, ROWS, {**PARAMS, **(parameters or {})})
