"""A small territory for the monthly loop, and a company clerk filling in a statement form (openpyxl)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

from workbooks import d

JUNE, MAY = d("2026-06-01"), d("2026-05-01")
PARAMS = {"structure": "Maison de l'emploi du Pays d'Aubrelle", "facilitateur": "Hélène Quesnel",
          "telephone": "02 99 00 41 27", "courriel": "clauses@example.org"}


# Fixture rows are alike across test modules on purpose (the duplicates tool pairs them with
# documents_data.py): each test module states its own small territory, in full.
def rows() -> dict:
    person = {"sexe": "F", "date_naissance": d("1990-01-01"), "niveau_qualification": "4 (Bac)"}
    return {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville d'Aubrelle", "categorie": "Commune"}],
        "T_Marches": [
            {"id": "M1", "donneur_ordre": "D1", "objet": "Groupe scolaire", "type_marche": "Travaux",
             "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 1_000_000, "date_debut": d("2026-01-01"),
             "date_fin": d("2027-12-31"), "attributaire": "E1", "statut": "En cours"},
            {"id": "M2", "donneur_ordre": "D1", "objet": "Voirie", "type_marche": "Travaux",
             "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500_000, "date_debut": d("2026-01-01"),
             "date_fin": d("2027-12-31"), "attributaire": "E2", "statut": "En cours"},
        ],
        "T_Entreprises": [
            {"id": "E1", "raison_sociale": "Bâtiments Martin SARL", "type": "Entreprise classique"},
            {"id": "E2", "raison_sociale": "Routes de l'Ouest", "type": "Entreprise classique"},
            {"id": "E3", "raison_sociale": "Tremplin Intérim", "type": "ETTI"},
        ],
        "T_Participants": [
            {"id": "P1", "nom": "Clément", "prenom": "Loïc", "rsa": "Oui", **person, "sexe": "H"},
            {"id": "P2", "nom": "Garnier", "prenom": "Julie", "rqth": "Oui", **person},
            {"id": "P3", "nom": "Dubois", "prenom": "Nicolas", "deld": "Oui", **person, "sexe": "H"},
            {"id": "P4", "nom": "Petit", "prenom": "Ana", "deld": "Oui", **person},
            {"id": "P5", "nom": "Roux", "prenom": "Inès", "deld": "Oui", **person},
        ],
        "T_Contrats": [
            {"id": "K1", "participant": "P1", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
             "type_contrat": "CDD", "poste": "Maçon", "date_debut": d("2026-02-01")},
            {"id": "K2", "participant": "P2", "marche": "M1", "employeur": "E3", "modalite": "Mise à disposition",
             "type_contrat": "Intérim", "poste": "Manœuvre", "date_debut": d("2026-03-01")},
            {"id": "K3", "participant": "P3", "marche": "M2", "employeur": "E2", "modalite": "Embauche directe",
             "type_contrat": "CDI", "poste": "Ouvrier VRD", "date_debut": d("2026-01-15")},
            {"id": "K4", "participant": "P4", "marche": "M2", "employeur": "E2", "modalite": "Embauche directe",
             "type_contrat": "CDD", "poste": "Ouvrier VRD", "date_debut": d("2026-01-15"), "date_fin": d("2026-04-30")},
            # Date de début missing: a row in error, left out of every form (a blank Modalité would not be).
            {"id": "K5", "participant": "P5", "marche": "M1", "employeur": "E1", "type_contrat": "CDD",
             "modalite": "Embauche directe"},
        ],
        "T_Heures": [
            {"contrat": "K1", "mois": MAY, "heures_travaillees": 100, "source": "Relevé entreprise"},
            {"contrat": "K3", "mois": MAY, "heures_travaillees": 140, "heures_formation": 7},
        ],
    }


def form_of(files: list[Path], company: str) -> Path:
    return next(p for p in files if f" - {company} - " in p.name)


def fill(path: Path, values: dict[str, tuple], new: Sequence[tuple] = (), to: Path | None = None) -> Path:
    """Type hours as a company would: contract → (worked, training, comment); new lines (first, last, worked)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Relevé"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Contrat")
    col = {ws.cell(header, j).value: j for j in range(1, 12)}
    free = []
    for r in range(header + 1, ws.max_row + 1):
        contract = ws.cell(r, 1).value
        if contract in values:
            for name, value in zip(("Heures travaillées", "Heures de formation", "Commentaire"), values[contract]):
                ws.cell(r, col[name]).value = value
        elif contract == "Nouvelle personne":
            free.append(r)
    for r, (first, last, worked) in zip(free, new):
        ws.cell(r, col["Prénom"]).value, ws.cell(r, col["Nom"]).value = first, last
        ws.cell(r, col["Heures travaillées"]).value = worked
    target = to or path
    wb.save(target)
    return target


