"""The facilitator's network: employment services, SIAE and associations."""

from __future__ import annotations

import random

from .names import address, contact
from .records import ROW, Company
from .territory import CENTRE, COMMUNES, postal


def partner_rows(rng: random.Random, intermediaries: dict[str, Company]) -> list[ROW]:
    """T_Partenaires: the employment services and SIAE the facilitator sends offers to."""
    specs = (
        ("France Travail Aubrelle-sur-Mer", "France Travail", "Oui"),
        ("Mission locale du Pays d'Aubrelle", "Mission locale", "Oui"),
        ("Cap emploi – antenne d'Aubrelle", "Cap emploi", "Oui"),
        ("PLIE du Pays d'Aubrelle", "PLIE", "Oui"),
        ("Département – Service insertion", "Département", "Oui"),
        (intermediaries["ETTI"].raison_sociale, "SIAE", "Oui"),
        ("Chantier d'insertion Les Jardins du Valserein", "SIAE", "Oui"),
        (intermediaries["GEIQ"].raison_sociale, "GEIQ", "Oui"),
        ("Centre social des Genêts", "Autre", "Oui"),
        ("Association Mobilité Solidaire", "Autre", "Non"),
    )
    rows = []
    for i, (nom, kind, recoit) in enumerate(specs, 1):
        name_of_contact, mail = contact(rng, "example.org")
        commune = CENTRE if i % 3 else rng.choice(COMMUNES)[0]
        rows.append({"id": f"PA{i:02d}", "nom": nom, "type": kind,
                     "contact": name_of_contact, "courriel": mail,
                     "adresse": address(rng), "code_postal": postal(commune),
                     "commune": commune, "recoit_offres": recoit})
    return rows
