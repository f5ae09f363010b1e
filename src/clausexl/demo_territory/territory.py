"""The invented agglomeration: communes, QPV, buyers and their rows."""

from __future__ import annotations

import random
from datetime import date

from .names import address, contact, phone
from .records import ROW
from .siret import siret

TERRITOIRE = "Communauté d'agglomération du Pays d'Aubrelle"
CENTRE = "Aubrelle-sur-Mer"
#: Communes of the agglomeration (invented names and postal codes).
COMMUNES: tuple[tuple[str, str], ...] = (
    ("Aubrelle-sur-Mer", "50960"),
    ("Querville", "50960"),
    ("Les Marettes", "50970"),
    ("Saint-Aimé-des-Landes", "50970"),
    ("Brévanne", "50980"),
    ("Hautecôte", "50980"),
    ("Valserein", "50990"),
    ("Le Moustier-d'Aubrelle", "50990"),
)
#: Communes outside the territory, for companies and a few participants.
COMMUNES_EXTERIEURES: tuple[tuple[str, str], ...] = (
    ("Rocheval", "35990"),
    ("Kerlédan", "29990"),
    ("Pont-Audry", "27990"),
    ("Villebrune-sur-Odine", "14990"),
    ("Montclar-la-Lande", "53990"),
    ("Saint-Ermel-des-Prés", "44990"),
)
#: QPV of the territory: 2015 codes (until 2023) and their 2024 successors.
QPVS: tuple[tuple[str, str, str, date, date | None], ...] = (
    ("QP050091", "Les Genêts", "Aubrelle-sur-Mer", date(2015, 1, 1), date(2023, 12, 31)),
    ("QP050092", "Le Val-Fleuri – Les Hauts de Brême", "Aubrelle-sur-Mer", date(2015, 1, 1),
     date(2023, 12, 31)),
    ("QP050093", "La Croix-Blanche", "Querville", date(2015, 1, 1), date(2023, 12, 31)),
    ("QN05091I", "Les Genêts", "Aubrelle-sur-Mer", date(2024, 1, 1), None),
    ("QN05092M", "Le Val-Fleuri – Les Hauts de Brême", "Aubrelle-sur-Mer", date(2024, 1, 1), None),
    ("QN05093M", "La Croix-Blanche", "Querville", date(2024, 1, 1), None),
)
QPV_STREETS: dict[str, tuple[str, ...]] = {
    "QP050091": ("rue des Genêts", "allée des Iris", "place des Capucines", "rue des Bleuets"),
    "QP050092": ("avenue du Val-Fleuri", "rue de la Brême", "square des Hortensias"),
    "QP050093": ("rue de la Croix-Blanche", "allée des Tilleuls", "rue du Lavoir"),
}


BUYERS: tuple[tuple[str, str, str, str], ...] = (
    ("DO01", "Ville d'Aubrelle-sur-Mer", "Commune", "Aubrelle-sur-Mer"),
    ("DO02", TERRITOIRE, "EPCI", "Aubrelle-sur-Mer"),
    ("DO03", "Commune de Querville", "Commune", "Querville"),
    ("DO04", "Commune des Marettes", "Commune", "Les Marettes"),
    ("DO05", "Commune de Brévanne", "Commune", "Brévanne"),
    ("DO06", "Commune de Saint-Aimé-des-Landes", "Commune", "Saint-Aimé-des-Landes"),
    ("DO07", "Département – Agence technique du Pays d'Aubrelle", "Département", "Aubrelle-sur-Mer"),
    ("DO08", "Habitat des Rivages, office public de l'habitat", "Bailleur social", "Aubrelle-sur-Mer"),
    ("DO09", "Aubrelle Logement SA d'HLM", "Bailleur social", "Aubrelle-sur-Mer"),
    ("DO10", "Centre hospitalier d'Aubrelle-sur-Mer", "Établissement de santé", "Aubrelle-sur-Mer"),
    ("DO11", "SPL Aubrelle Aménagement", "SEM ou SPL", "Aubrelle-sur-Mer"),
    ("DO12", "Région – Direction des lycées", "Région", "Rocheval"),
    ("DO13", "Syndicat mixte du port d'Aubrelle", "État ou établissement public", "Aubrelle-sur-Mer"),
    ("DO14", "EHPAD Les Tilleuls", "Établissement de santé", "Brévanne"),
    ("DO15", "Commune de Hautecôte", "Commune", "Hautecôte"),
    ("DO16", "Syndicat intercommunal des eaux du Valserein", "Autre", "Valserein"),
    ("DO17", "Énergies Côtières SAS", "Entreprise privée", "Valserein"),
)


def postal(commune: str) -> str:
    """The invented postal code of a commune, inside or outside the territory."""
    return dict(COMMUNES + COMMUNES_EXTERIEURES)[commune]


def buyer_rows(rng: random.Random) -> list[ROW]:
    """T_DonneursOrdre: the buyers with a public SIRET (but the private one) and a contact."""
    rows = []
    for bid, nom, categorie, commune in BUYERS:
        name_of_contact, mail = contact(rng, "example.org")
        rows.append({
            "id": bid, "nom": nom, "categorie": categorie,
            "siret": siret(rng, public=categorie != "Entreprise privée"),
            "adresse": address(rng, rng.choice(("place de la Mairie", "rue de la République",
                                                "avenue de la Gare", "rue du Port"))),
            "code_postal": postal(commune), "commune": commune,
            "contact": name_of_contact, "courriel": mail, "telephone": phone(rng),
        })
    return rows
