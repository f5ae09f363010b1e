"""Trades: the posts, ROME codes, company-name words and CPV code of each kind of work."""

from __future__ import annotations

TRADES: dict[str, tuple[tuple[str, str], ...]] = {
    "go": (("Maçon", "F1703"), ("Coffreur-bancheur", "F1701"), ("Manœuvre gros œuvre", "F1704"),
           ("Maçon", "F1703")),
    "demolition": (("Ouvrier de démolition", "F1704"), ("Manœuvre", "F1704"),
                   ("Opérateur de désamiantage", "F1704")),
    "second": (("Peintre en bâtiment", "F1606"), ("Plaquiste", "F1604"),
               ("Menuisier poseur", "F1607"), ("Aide-électricien", "F1602"),
               ("Aide-plombier chauffagiste", "F1603"), ("Façadier-isolateur", "F1611")),
    "tp": (("Ouvrier VRD", "F1702"), ("Canalisateur", "F1705"), ("Manœuvre TP", "F1704"),
           ("Ouvrier VRD", "F1702")),
    "proprete": (("Agent de propreté", "K2204"), ("Agent de nettoyage urbain", "K2303")),
    "ev": (("Ouvrier paysagiste", "A1203"), ("Agent d'entretien des espaces verts", "A1203")),
    "collecte": (("Ripeur", "K2303"), ("Agent de déchèterie", "K2304")),
    "restauration": (("Commis de cuisine", "G1602"), ("Agent de restauration", "G1603")),
    "transport": (("Conducteur de car", "N4103"), ("Accompagnateur de transport scolaire", "N4103")),
    "bureau": (("Enquêteur", "M1401"), ("Agent administratif", "M1602")),
    "logistique": (("Préparateur de commandes", "N1103"), ("Agent de pose de signalisation", "F1702")),
    "maintenance": (("Agent d'entretien des bâtiments", "I1203"), ("Agent polyvalent", "I1203")),
    "conditionnement": (("Opérateur de conditionnement", "H3301"),),
}
TRADE_WORDS: dict[str, tuple[str, ...]] = {
    "go": ("Bâtiments", "Maçonnerie", "Constructions"),
    "demolition": ("Démolition", "Désamiantage et Démolition"),
    "second": ("Peinture", "Menuiseries", "Électricité", "Plomberie Chauffage", "Isolation",
               "Plâtrerie"),
    "tp": ("Travaux Publics", "Terrassements", "Routes et Réseaux"),
    "proprete": ("Propreté", "Nettoyage Services"),
    "ev": ("Paysages", "Jardins et Espaces Verts"),
    "collecte": ("Environnement Services", "Collecte et Recyclage"),
    "restauration": ("Restauration Collective",),
    "transport": ("Cars", "Transports"),
    "bureau": ("Études et Enquêtes", "Archives Services"),
    "logistique": ("Signalisation", "Équipements Urbains"),
    "maintenance": ("Multiservices", "Maintenance"),
}
PLACE_WORDS = (
    "du Littoral", "de l'Ouest", "Côtiers", "des Rivages", "du Bocage", "de la Baie",
    "Atlantique", "des Trois Caps", "Marins", "de la Presqu'île", "du Valserein",
)
CPV: dict[str, str] = {
    "go": "45262522", "demolition": "45111100", "second": "45450000", "tp": "45233140",
    "proprete": "90910000", "ev": "77310000", "collecte": "90511000", "restauration": "55321000",
    "transport": "60112000", "bureau": "79311000", "logistique": "34992000",
    "maintenance": "50700000", "conditionnement": "79823000",
}
