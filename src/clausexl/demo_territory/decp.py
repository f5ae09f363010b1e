"""A DECP sample for `reperer`: a few fictitious open-data records around the demo territory.

Why: `reperer` needs open data to read, and real DECP files hold real companies. The buyers are
the demo's buyers by SIRET, so the records fall in the territory: one market with « Clause
sociale » that the workbook does not follow, one works market without clause above the 90 000 €
threshold (575 000 € → 460 possible hours with the default parameters), one below it, and one
of a buyer outside the territory.
"""

from __future__ import annotations

import random

from .records import ROW
from .siret import siret


def decp_sample(rows: dict[str, list[ROW]], seed: int = 2019) -> dict[str, object]:
    """DECP v2 records (`{"marches": {"marche": [...]}}`) whose buyers are the demo's."""
    rng = random.Random(seed)
    buyers = {r["id"]: str(r["siret"]) for r in rows["T_DonneursOrdre"]}
    known = next(str(c["siret"]) for c in rows["T_Entreprises"]
                 if c.get("siret") and c.get("type") == "Entreprise classique")
    unknown, outsider = siret(rng), siret(rng, public=True)
    return {"marches": {"marche": [
        _record("2019DEMO01", buyers["DO03"], "Extension de l'école maternelle de Querville (démonstration)",
                "45214100-1", 640_000, "50960", "2019-10-14", "Clause sociale", known),
        _record("2019DEMO02", buyers["DO02"], "Aménagement de la voie verte des Marettes (démonstration)",
                "45233160-8", 575_000, "50970", "2019-11-04", "Pas de considération sociale", unknown),
        _record("2019DEMO03", buyers["DO01"], "Réfection de la toiture du kiosque (démonstration)",
                "45261000-4", 60_000, "50960", "2019-11-18", "Pas de considération sociale", unknown),
        _record("2019DEMO04", outsider, "Entretien des espaces verts d'une commune voisine (démonstration)",
                "77310000-6", 120_000, "35990", "2019-09-02", "Clause sociale", unknown),
    ]}}


def _record(id_: str, buyer: str, objet: str, cpv: str, montant: int, postal: str, notified: str,
            social: str, holder: str) -> dict[str, object]:
    """One market in the shape of the official v2 example (Marche.json)."""
    return {
        "id": id_, "acheteur": {"id": buyer}, "nature": "Marché", "objet": objet, "codeCPV": cpv,
        "procedure": "Appel d'offres ouvert" if montant >= 90_000 else "Procédure adaptée",
        "lieuExecution": {"code": postal, "typeCode": "Code postal"}, "dureeMois": 12,
        "dateNotification": notified, "datePublicationDonnees": notified, "montant": montant,
        "formePrix": "Forfaitaire", "titulaires": [{"id": holder, "typeIdentifiant": "SIRET"}],
        "considerationsSociales": [social],
        "considerationsEnvironnementales": ["Pas de considération environnementale"], "modifications": [],
    }
