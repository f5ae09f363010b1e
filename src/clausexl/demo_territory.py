"""A fictitious territory with three years (2017-2019) of social-clause activity.

Why: the facilitator (and every test, template and screenshot of the project) needs a workbook
that looks like real work without holding a single real person. The agglomeration, its communes,
its buyers and companies are invented; people's names are common French first and last names
combined at random; phones are ``02 99 00 xx xx`` and e-mails live on ``example.org`` /
``example.fr``.  Everything is drawn from ``random.Random(seed)``, so a seed always gives the
same rows.

Year 2018 is calibrated on the key figures of a real facilitator's 2018 activity (146
participants, 28 900 hours, 30 markets of which 55 % works, 14 buyers, 29 companies, about half
of them local) with the definitions of calculs.md §3; 2017 is smaller and 2019 larger. The
reference date is 31 December 2019: statuses are consistent with it and a few things are left
due on that day (follow-ups at 6 months not yet recorded, a running market behind schedule, open
job offers).

Pure Python: the outer dict maps each table name of the schema (except ``T_Parametres``) to rows
keyed by the schema's column keys; :func:`demo_parameters` gives the ``T_Parametres`` values.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from clausexl.core import schema as S

REF_DATE = date(2019, 12, 31)
"""The demo's "today": statuses, follow-ups and offers are consistent with this date."""

CALIBRATED_YEAR = 2018
TARGET_PARTICIPANTS_2018 = 146
TARGET_HOURS_2018 = 28_900
TARGET_YOUNG_2018 = 37  # 25.3 % of 146
TARGET_NO_QUALIFICATION_2018 = 37  # 25.3 %
TARGET_RSA_2018 = 66  # 45.2 %
TARGET_SENIORS_2018 = 19
POOL_SIZE = 25

ROW = dict[str, object]

# --- The territory -------------------------------------------------------------------------

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
STREETS = (
    "rue du Port", "rue de la Mairie", "rue des Écoles", "avenue de la Gare", "rue des Mouettes",
    "chemin des Prés-Salés", "rue du Moulin", "impasse des Ajoncs", "rue de la Plage",
    "route de Valserein", "rue des Cormorans", "place du Marché", "rue des Forges",
    "boulevard de la Mer", "rue du Calvaire", "allée des Chênes", "rue des Goélands",
)

PRENOMS_F = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Céline", "Julie",
    "Aurélie", "Émilie", "Laura", "Camille", "Sarah", "Léa", "Manon", "Chloé", "Inès", "Yasmine",
    "Fatima", "Amandine", "Élodie", "Christine", "Valérie", "Karine", "Stéphanie", "Mélanie",
    "Océane", "Jessica", "Aïcha", "Nadia", "Sophie", "Audrey", "Morgane", "Anaïs", "Lucie",
)
PRENOMS_H = (
    "Jean", "Pierre", "Nicolas", "Julien", "Thomas", "Kévin", "Anthony", "Sébastien", "David",
    "Mickaël", "Christophe", "Stéphane", "Romain", "Maxime", "Alexandre", "Lucas", "Hugo", "Dylan",
    "Mohamed", "Karim", "Yanis", "Florian", "Jérôme", "Franck", "Patrick", "Thierry", "Pascal",
    "Ludovic", "Bruno", "Mamadou", "Enzo", "Théo", "Mathieu", "Loïc", "Cédric", "Samir",
)
NOMS = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Marie", "Lemoine", "Lebrun", "Lecomte",
    "Hamon", "Le Gall", "Lemaître", "Jacquet", "Renaud", "Hébert", "Leclerc", "Benali", "Diallo",
    "Traoré", "Haddad", "Lebreton", "Duval", "Lemonnier", "Hervieu", "Lecoq", "Marais", "Quesnel",
)

# --- Buyers (ID, Nom, Catégorie, Commune) ------------------------------------------------------

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

# --- Trades: postes and ROME codes a market of that trade employs ------------------------------

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

# --- The market plan ---------------------------------------------------------------------------
# (group, buyer, type, dispositif, trade, operation, objet, lot, npnru, same awardee as plan #)
# group "A": activity in 2017 only; "B": the 30 markets followed in 2018; "C": new in 2019;
# "X": one abandoned, one in preparation (no awardee, no hours).

T, SV, F, PI = S.TYPES_MARCHE
CE, CA, SIAE, EA, INS = S.DISPOSITIFS
GS = "Construction du groupe scolaire des Marettes"
EMB = "Réhabilitation de 64 logements, résidence Les Embruns"
URG = "Restructuration du service des urgences"
NPNRU_OP = "Renouvellement urbain du quartier des Genêts (NPNRU)"

PLAN: tuple[tuple, ...] = (
    # --- B: followed in 2018 (17 works, 10 services, 1 supplies, 2 intellectual services)
    ("B", "DO04", T, CE, "go", GS, "Construction du groupe scolaire", "Lot 01 – Gros œuvre", False, None),
    ("B", "DO04", T, CE, "second", GS, "Construction du groupe scolaire", "Lot 04 – Menuiseries extérieures", False, None),
    ("B", "DO04", T, CE, "second", GS, "Construction du groupe scolaire", "Lot 07 – Plâtrerie, isolation", False, None),
    ("B", "DO04", T, CE, "second", GS, "Construction du groupe scolaire", "Lot 10 – Peinture, revêtements de sols", False, None),
    ("B", "DO08", T, CE, "second", EMB, "Réhabilitation thermique", "Lot 02 – Isolation thermique par l'extérieur", False, None),
    ("B", "DO08", T, CE, "second", EMB, "Réhabilitation thermique", "Lot 05 – Plomberie, chauffage, ventilation", False, None),
    ("B", "DO09", T, CE, "go", None, "Construction de 24 logements locatifs sociaux, rue des Mouettes", None, False, None),
    ("B", "DO01", T, CE, "tp", None, "Réfection de la voirie et des trottoirs du quartier du Port", None, False, None),
    ("B", "DO01", T, CA, "second", None, "Rénovation énergétique du gymnase des Salines", None, False, None),
    ("B", "DO02", T, CE, "tp", None, "Aménagement du pôle d'échanges multimodal de la gare", None, False, None),
    ("B", "DO02", T, CE, "tp", None, "Extension de la station d'épuration de Brévanne", None, False, 9),
    ("B", "DO10", T, CE, "go", URG, "Restructuration des urgences", "Lot 01 – Gros œuvre, démolition", False, None),
    ("B", "DO10", T, CE, "second", URG, "Restructuration des urgences", "Lot 06 – Électricité courants forts et faibles", False, None),
    ("B", "DO11", T, CE, "tp", "ZAC des Prés-Salés", "Viabilisation de la ZAC des Prés-Salés, tranche 1", None, False, 7),
    ("B", "DO08", T, CE, "demolition", NPNRU_OP, "Désamiantage et démolition de la barre Iris", None, True, None),
    ("B", "DO03", T, CE, "go", None, "Rénovation de la salle des fêtes de Querville", None, False, 0),
    ("B", "DO12", T, CA, "go", None, "Restructuration de l'internat du lycée professionnel des Marettes", None, False, None),
    ("B", "DO01", SV, SIAE, "proprete", None, "Nettoyage des plages et du front de mer", None, False, None),
    ("B", "DO02", SV, SIAE, "ev", None, "Entretien des espaces verts des zones d'activités", None, False, None),
    ("B", "DO02", SV, INS, "ev", None, "Marché d'insertion : entretien des sentiers du littoral", None, False, 18),
    ("B", "DO01", SV, EA, "ev", None, "Entretien des espaces verts des cimetières", None, False, None),
    ("B", "DO02", SV, CE, "collecte", None, "Collecte des déchets ménagers et assimilés", None, False, None),
    ("B", "DO10", SV, CE, "proprete", None, "Nettoyage des locaux du centre hospitalier", None, False, None),
    ("B", "DO14", SV, CE, "restauration", None, "Restauration collective de l'EHPAD", None, False, None),
    ("B", "DO05", SV, CE, "maintenance", None, "Entretien des bâtiments communaux (accord-cadre à bons de commande)", None, False, None),
    ("B", "DO13", SV, CE, "maintenance", None, "Gardiennage et entretien du port de plaisance", None, False, 22),
    ("B", "DO06", SV, CA, "transport", None, "Transport scolaire et périscolaire", None, False, None),
    ("B", "DO07", F, CE, "logistique", None, "Fourniture et pose de signalisation routière", None, False, None),
    ("B", "DO02", PI, CE, "bureau", None, "Étude de mobilité et enquête ménages-déplacements", None, False, None),
    ("B", "DO07", PI, CE, "bureau", None, "Numérisation des archives départementales", None, False, None),
    # --- A: activity in 2017 only
    ("A", "DO01", T, CE, "second", None, "Réfection des toitures de l'école du Centre", None, False, None),
    ("A", "DO02", T, CE, "tp", None, "Aménagement de la voie verte du Valserein", None, False, 7),
    ("A", "DO08", T, CE, "second", None, "Remplacement des menuiseries, résidence Les Goélands", None, False, 1),
    ("A", "DO16", T, CE, "tp", None, "Renouvellement des réseaux d'eau potable, secteur nord", None, False, None),
    ("A", "DO03", T, CE, "go", None, "Construction d'un local technique communal", None, False, None),
    ("A", "DO01", SV, CE, "proprete", None, "Nettoyage des bâtiments scolaires", None, False, 22),
    ("A", "DO10", SV, CE, "proprete", None, "Blanchisserie et entretien du linge", None, False, None),
    ("A", "DO02", SV, CE, "collecte", None, "Tri des encombrants de la déchèterie de Querville", None, False, None),
    # --- C: new in 2019
    ("C", "DO08", T, CE, "go", NPNRU_OP, "Réhabilitation de 96 logements, îlot Capucines", "Lot 01 – Gros œuvre", True, None),
    ("C", "DO08", T, CE, "second", NPNRU_OP, "Réhabilitation de 96 logements, îlot Capucines", "Lot 03 – Menuiseries, serrurerie", True, None),
    ("C", "DO01", T, CE, "tp", NPNRU_OP, "Aménagement des espaces publics des Genêts", None, True, 7),
    ("C", "DO01", T, CA, "go", None, "Construction de la maison de santé pluriprofessionnelle", None, False, None),
    ("C", "DO15", T, CE, "second", None, "Rénovation de l'école de Hautecôte", None, False, None),
    ("C", "DO16", T, CE, "tp", None, "Renouvellement des réseaux d'eau potable, secteur sud", None, False, None),
    ("C", "DO17", T, CE, "go", None, "Construction du centre de maintenance du parc éolien", None, False, None),
    ("C", "DO02", T, CE, "go", None, "Réhabilitation de la piscine intercommunale", None, False, None),
    ("C", "DO09", T, CE, "go", None, "Construction de 18 logements, rue des Cormorans", None, False, 6),
    ("C", "DO07", T, CE, "tp", None, "Reconstruction du pont de la Brême", None, False, None),
    ("C", "DO11", T, CE, "tp", "ZAC des Prés-Salés", "Viabilisation de la ZAC des Prés-Salés, tranche 2", None, False, 9),
    ("C", "DO04", T, CE, "second", None, "Extension du restaurant scolaire", None, False, None),
    ("C", "DO02", SV, SIAE, "collecte", None, "Collecte sélective des textiles et des encombrants", None, False, 18),
    ("C", "DO01", SV, INS, "proprete", None, "Marché d'insertion : propreté des quartiers", None, False, 17),
    ("C", "DO10", SV, EA, "conditionnement", None, "Mise sous pli et conditionnement", None, False, None),
    ("C", "DO14", SV, CE, "proprete", None, "Entretien des locaux de l'EHPAD", None, False, 22),
    ("C", "DO06", SV, CE, "ev", None, "Entretien des espaces verts communaux", None, False, None),
    ("C", "DO13", SV, CA, "maintenance", None, "Maintenance des équipements portuaires", None, False, None),
    ("C", "DO12", F, CE, "logistique", None, "Fourniture et installation de mobilier scolaire", None, False, None),
    ("C", "DO02", PI, CE, "bureau", NPNRU_OP, "Enquête sociale préalable au relogement", None, False, None),
    # --- X: abandoned (dates in 2018) and in preparation (2020)
    ("X", "DO05", T, CE, "go", None, "Construction d'un boulodrome couvert", None, False, None),
    ("X", "DO08", T, CE, "demolition", NPNRU_OP, "Démolition de l'îlot Bleuets", None, True, None),
)
LATE_MARKET = "Réhabilitation de la piscine intercommunale"
HEURES_FIXEES = {"Marché d'insertion : entretien des sentiers du littoral",
                 "Marché d'insertion : propreté des quartiers"}
PRORATA = "Entretien des bâtiments communaux (accord-cadre à bons de commande)"
HEURES_TYPED = {"Construction du groupe scolaire", "Collecte des déchets ménagers et assimilés",
                "Restructuration des urgences", "Réhabilitation de 96 logements, îlot Capucines"}
#: Plan indices of the group B classic awardees located in the territory (8 of 22; the SIAE,
#: the EA and the four intermediaries are local too: 15 local companies of 29 in 2018).
LOCAL_B = {1, 3, 5, 7, 8, 21, 23, 24}

# --- Internal records ----------------------------------------------------------------------


@dataclass
class _Company:
    id: str
    raison_sociale: str
    type: str
    local: bool
    trade: str | None = None
    row: ROW = field(default_factory=dict)


@dataclass
class _Market:
    plan: int
    group: str
    buyer: str
    type: str
    dispositif: str
    trade: str
    operation: str | None
    objet: str
    lot: str | None
    npnru: bool
    start: date
    end: date
    status: str
    awardee: _Company | None = None
    rate: float = 0.0  # planned hours per year of activity
    id: str = ""


@dataclass
class _Contract:
    market: _Market
    employer: _Company
    modalite: str
    type: str
    poste: str
    rome: str
    start: date
    end: date | None
    hebdo: float
    hours: dict[date, list[float]] = field(default_factory=dict)  # month -> [worked, training]
    person: _Person | None = None
    id: str = ""


@dataclass
class _Person:
    contracts: list[_Contract] = field(default_factory=list)
    id: str = ""

    @property
    def first_start(self) -> date:
        return min(c.start for c in self.contracts)

    @property
    def last_end(self) -> date:
        return max(c.end or REF_DATE for c in self.contracts)


# --- Small helpers -------------------------------------------------------------------------


def luhn_is_valid(digits: str) -> bool:
    """Luhn checksum, as used by SIREN and SIRET numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _with_check_digit(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn_is_valid(prefix + d))


def _siret(rng: random.Random, public: bool = False) -> str:
    """A 14-digit SIRET whose SIREN and SIRET both pass the Luhn check."""
    while True:
        head = ("2" + rng.choice("0145")) if public else str(rng.randint(3, 8)) + str(rng.randint(0, 9))
        siren = _with_check_digit(head + "".join(str(rng.randint(0, 9)) for _ in range(6)))
        if siren != "356000000":
            break
    nic = f"000{rng.randint(1, 9)}"
    return _with_check_digit(siren + nic)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _phone(rng: random.Random) -> str:
    return f"02 99 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _person_name(rng: random.Random, sexe: str | None = None) -> tuple[str, str, str]:
    sexe = sexe or rng.choice(S.SEXES)
    prenom = rng.choice(PRENOMS_F if sexe == "F" else PRENOMS_H)
    return rng.choice(NOMS), prenom, sexe


def _email(prenom: str, nom: str, domain: str) -> str:
    return f"{_ascii(prenom)}.{_ascii(nom)}@{domain}"


def _address(rng: random.Random, street: str | None = None) -> str:
    return f"{rng.randint(1, 48)} {street or rng.choice(STREETS)}"


def _postal(commune: str) -> str:
    return dict(COMMUNES + COMMUNES_EXTERIEURES)[commune]


def add_months(d: date, n: int) -> date:
    """Same day n months later (clamped to the month's last day)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _months(start: date, end: date) -> list[date]:
    """First days of the months from start's month to end's month, inclusive."""
    out, cur = [], date(start.year, start.month, 1)
    while cur <= end:
        out.append(cur)
        cur = add_months(cur, 1)
    return out


def age_at(birth: date, when: date) -> int:
    """Whole years at `when` (calculs.md §3: minus one before the birthday)."""
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _weighted(rng: random.Random, options: dict) -> object:
    return rng.choices(list(options), weights=list(options.values()))[0]


def _overlap_days(a0: date, a1: date, b0: date, b1: date) -> int:
    return max(0, (min(a1, b1) - max(a0, b0)).days + 1)


# --- Companies -----------------------------------------------------------------------------


class _Companies:
    """Creates companies with unique names, SIRET and an address local or not."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.all: list[_Company] = []
        self.names: set[str] = set()

    def add(self, name: str, kind: str, local: bool, trade: str | None = None) -> _Company:
        rng = self.rng
        company = _Company(f"E{len(self.all) + 1:03d}", name, kind, local, trade)
        commune = rng.choice(COMMUNES[:6])[0] if local else rng.choice(COMMUNES_EXTERIEURES)[0]
        nom, prenom, _ = _person_name(rng)
        company.row = {
            "id": company.id, "raison_sociale": name, "siret": _siret(rng), "type": kind,
            "adresse": _address(rng, rng.choice(("ZA des Prés-Salés", "rue des Forges",
                                                  "ZI du Moulin", "rue de l'Industrie"))),
            "code_postal": _postal(commune), "commune": commune,
            "contact": f"{prenom} {nom}", "courriel": _email(prenom, nom, "example.fr"),
            "telephone": _phone(rng),
        }
        self.all.append(company)
        self.names.add(name)
        return company

    def classic(self, trade: str, local: bool) -> _Company:
        rng = self.rng
        while True:
            if rng.random() < 0.25:
                name = f"{rng.choice(('Entreprise', 'Établissements'))} {rng.choice(NOMS)} " \
                       f"{rng.choice(('SAS', 'SARL'))}"
            else:
                name = f"{rng.choice(TRADE_WORDS[trade])} {rng.choice(PLACE_WORDS)} " \
                       f"{rng.choice(('SAS', 'SARL', 'SA', 'EURL'))}"
            if name not in self.names:
                return self.add(name, "Entreprise classique", local, trade)


# --- Markets -------------------------------------------------------------------------------


def _market_dates(rng: random.Random, group: str, plan: int) -> tuple[date, date]:
    """Dates per group: A ends in 2017, B overlaps 2018, C starts in 2019, X abandoned/prepared."""
    if group == "A":
        start = _rand_date(rng, date(2017, 1, 9), date(2017, 6, 30))
        return start, min(add_months(start, rng.randint(4, 10)), date(2017, 12, 15))
    if group == "B":
        if plan % 5 in (0, 2):  # about 12 started in 2017
            start = _rand_date(rng, date(2017, 2, 1), date(2017, 10, 31))
            end = add_months(start, rng.randint(10, 24))
        else:
            start = _rand_date(rng, date(2018, 1, 8), date(2018, 10, 15))
            end = add_months(start, rng.randint(4, 20))
        return start, max(end, date(2018, 3, 1))
    if group == "C":
        start = _rand_date(rng, date(2019, 1, 7), date(2019, 9, 30))
        return start, add_months(start, rng.randint(5, 24))
    if plan == len(PLAN) - 2:  # abandoned
        return date(2018, 4, 16), date(2018, 12, 21)
    return date(2020, 4, 6), date(2021, 9, 30)


def _status(group: str, plan: int, end: date) -> str:
    if group == "X":
        return "Abandonné" if plan == len(PLAN) - 2 else "En préparation"
    return "Terminé" if end < REF_DATE else "En cours"


def _build_markets(rng: random.Random, companies: _Companies) -> list[_Market]:
    markets: list[_Market] = []
    for i, (group, buyer, kind, dispositif, trade, operation, objet, lot, npnru, same) \
            in enumerate(PLAN):
        start, end = _market_dates(rng, group, i)
        if operation and lot:  # lots of one operation share their dates
            sibling = next((m for m in markets if m.operation == operation and m.objet == objet), None)
            if sibling:
                start, end = sibling.start, sibling.end
        m = _Market(i, group, buyer, kind, dispositif, trade, operation, objet, lot, npnru,
                    start, end, _status(group, i, end))
        if group != "X":
            m.awardee = markets[same].awardee if same is not None else _awardee(rng, companies, m)
        markets.append(m)
    return markets


def _awardee(rng: random.Random, companies: _Companies, m: _Market) -> _Company:
    """The awardee: an SIAE, EA or ESAT for reserved markets, else a classic company."""
    local = m.plan in LOCAL_B if m.group == "B" else rng.random() < 0.5
    if m.dispositif in (SIAE, INS):
        if m.trade == "ev":
            return companies.add("Chantier d'insertion Les Jardins du Valserein", "ACI", True)
        return companies.add("Régie de quartier des Genêts", "Régie de quartier", True)
    if m.dispositif == EA:
        if m.group == "C":
            return companies.add("ESAT Les Ateliers de Brévanne", "ESAT", True)
        return companies.add("Atelier adapté du Pays d'Aubrelle", "EA", True)
    if m.group != "B" and rng.random() < 0.3:
        same_trade = [c for c in companies.all if c.trade == m.trade]
        if same_trade:
            return rng.choice(same_trade)
    return companies.classic(m.trade, local)


def _active_window(m: _Market) -> tuple[date, date]:
    return m.start, min(m.end, REF_DATE)


def _plan_rates(rng: random.Random, markets: list[_Market]) -> None:
    """Yearly hours per market, scaled so that group B gives the 2018 hours of the seed."""
    for m in markets:
        if m.group == "X":
            continue
        if m.dispositif in (SIAE, INS, EA):
            m.rate = rng.uniform(1500, 2600)
        elif m.type == T:
            m.rate = rng.uniform(700, 2000)
        elif m.type == SV:
            m.rate = rng.uniform(600, 1600)
        else:
            m.rate = rng.uniform(200, 450)
    y0, y1 = date(CALIBRATED_YEAR, 1, 1), date(CALIBRATED_YEAR, 12, 31)
    planned = sum(m.rate * _overlap_days(*_active_window(m), y0, y1) / 365
                  for m in markets if m.group == "B")
    scale = TARGET_HOURS_2018 * 0.97 / planned
    for m in markets:
        m.rate *= scale * (1.2 if m.group == "C" else 1.0)  # 2019 grows
        if m.objet == LATE_MARKET:
            m.rate *= 0.5


# --- Contracts and hours -------------------------------------------------------------------

DURATIONS = {0.5: 28, 1: 28, 2: 20, 3: 10, 4: 6, 6: 5, 9: 2, 12: 1}  # months → weight
WEEKLY = {35: 60, 28: 8, 24: 10, 30: 8, 20: 8, 17.5: 6}


def _employment(rng: random.Random, m: _Market, intermediaries: dict[str, _Company]) \
        -> tuple[_Company, str, str]:
    """Employer, modalité and contract type: the awardee hires, or an SIAE/GEIQ places people."""
    aw = m.awardee
    assert aw is not None
    if aw.type in ("ACI", "Régie de quartier"):
        return aw, "Embauche directe", "CDDI"
    if aw.type in ("EA", "ESAT"):
        return aw, "Embauche directe", "CDD" if aw.type == "EA" else "Autre"
    choice = _weighted(rng, {"direct": 40, "ETTI": 22, "AI": 12 if m.type != T else 5,
                             "GEIQ": 10 if m.type == T else 2, "EI": 8, "formation": 3})
    if choice == "direct":
        return aw, "Embauche directe", _weighted(rng, {"CDD": 70, "CDI": 8, "Apprentissage": 7,
                                                       "Professionnalisation": 7, "CDI inclusion": 3})
    if choice == "ETTI":
        return intermediaries["ETTI"], "Mise à disposition", "Intérim"
    if choice == "AI":
        return intermediaries["AI"], "Mise à disposition", "CDDI"
    if choice == "GEIQ":
        return intermediaries["GEIQ"], "Mise à disposition", "Professionnalisation"
    if choice == "EI":
        return intermediaries["EI"], "Sous-traitance ou co-traitance SIAE", "CDDI"
    return aw, "Formation", "Professionnalisation"


def _fill_hours(rng: random.Random, c: _Contract) -> None:
    """One row per month inside the contract (up to the reference date), 20–151 h worked."""
    last = min(c.end or REF_DATE, REF_DATE)
    training_contract = c.type in ("Professionnalisation", "Apprentissage")
    for month in _months(c.start, last):
        days = _days_in_month(month.year, month.month)
        covered = _overlap_days(c.start, last, month, month.replace(day=days))
        worked = c.hebdo * 52 / 12 * covered / days * rng.uniform(0.82, 1.0)
        worked = int(min(151, max(20, round(worked))))
        training = 0
        if c.modalite == "Formation":
            training, worked = rng.randint(40, 70), min(worked, rng.randint(20, 60))
        elif training_contract and rng.random() < 0.8:
            training = rng.randint(14, 35)
        elif rng.random() < 0.04:
            training = rng.choice((7, 14))
        c.hours[month] = [worked, training]


def _build_contracts(rng: random.Random, markets: list[_Market],
                     intermediaries: dict[str, _Company]) -> list[_Contract]:
    contracts: list[_Contract] = []
    for m in markets:
        if m.group == "X":
            continue
        w0, w1 = _active_window(m)
        budget = m.rate * ((w1 - w0).days + 1) / 365
        done = 0.0
        while done < budget:
            months = _weighted(rng, DURATIONS)
            length = max(12, int(months * 30.4) - rng.randint(0, 6))
            latest = min(m.end, REF_DATE) - timedelta(days=min(length, 20))
            start = _rand_date(rng, m.start, max(m.start, latest))
            end = min(start + timedelta(days=length), m.end)
            employer, modalite, kind = _employment(rng, m, intermediaries)
            if end >= REF_DATE and kind in ("CDI", "CDI inclusion"):
                end_or_none: date | None = None
            else:
                end_or_none = end
            poste, rome = rng.choice(TRADES[m.trade])
            c = _Contract(m, employer, modalite, kind, poste, rome, start, end_or_none,
                          _weighted(rng, WEEKLY))
            _fill_hours(rng, c)
            done += sum(sum(v) for v in c.hours.values())
            contracts.append(c)
    _ensure_intermediaries_in_2018(contracts, intermediaries)
    return contracts


def _ensure_intermediaries_in_2018(contracts: list[_Contract],
                                   intermediaries: dict[str, _Company]) -> None:
    """Each intermediary places someone in 2018, so that it is counted among the 29 companies."""
    for kind, company in intermediaries.items():
        if any(c.employer is company and _has_hours_in(c, CALIBRATED_YEAR) for c in contracts):
            continue
        c = next(c for c in contracts if c.market.group == "B" and c.employer is c.market.awardee
                 and c.market.awardee.type == "Entreprise classique"
                 and _has_hours_in(c, CALIBRATED_YEAR))
        c.employer = company
        c.modalite = "Sous-traitance ou co-traitance SIAE" if kind == "EI" else "Mise à disposition"
        c.type = {"ETTI": "Intérim", "AI": "CDDI", "GEIQ": "Professionnalisation", "EI": "CDDI"}[kind]


def _has_hours_in(c: _Contract, year: int) -> bool:
    return any(m.year == year and sum(v) > 0 for m, v in c.hours.items())


# --- Participants --------------------------------------------------------------------------


def _assign_people(rng: random.Random, contracts: list[_Contract]) -> list[_Person]:
    """Hand contracts to people: a person back from a recent contract is sometimes hired again."""
    people: list[_Person] = []
    for c in sorted(contracts, key=lambda c: (c.start, c.market.plan)):
        free = [p for p in people
                if timedelta(days=7) < c.start - p.last_end < timedelta(days=330)]
        if free and rng.random() < 0.18:
            person = rng.choice(free)
        else:
            person = _Person()
            people.append(person)
        person.contracts.append(c)
        c.person = person
    _calibrate_people(rng, people, contracts)
    return people


def _in_year(p: _Person, year: int) -> bool:
    return any(_has_hours_in(c, year) for c in p.contracts)


def _calibrate_people(rng: random.Random, people: list[_Person],
                      contracts: list[_Contract]) -> None:
    """Merge or split careers until exactly TARGET_PARTICIPANTS_2018 people have 2018 hours."""
    while (n := sum(_in_year(p, CALIBRATED_YEAR) for p in people)) != TARGET_PARTICIPANTS_2018:
        cohort = [p for p in people if _in_year(p, CALIBRATED_YEAR)]
        if n > TARGET_PARTICIPANTS_2018:
            singles = [p for p in cohort if len(p.contracts) == 1]
            rng.shuffle(singles)
            for a in singles:
                c = a.contracts[0]
                hosts = [b for b in cohort if b is not a and all(
                    (o.end or REF_DATE) + timedelta(days=7) < c.start
                    or (c.end or REF_DATE) + timedelta(days=7) < o.start for o in b.contracts)]
                if hosts:
                    b = rng.choice(hosts)
                    b.contracts.append(c)
                    c.person = b
                    people.remove(a)
                    break
            else:
                raise RuntimeError("cannot merge careers to reach the 2018 participant count")
        else:
            multi = [p for p in cohort
                     if sum(_has_hours_in(c, CALIBRATED_YEAR) for c in p.contracts) >= 2]
            if multi:
                p = rng.choice(multi)
                c = max((c for c in p.contracts if _has_hours_in(c, CALIBRATED_YEAR)),
                        key=lambda c: c.start)
                p.contracts.remove(c)
            else:  # someone else takes over the end of a long contract
                c = _split_contract(rng, cohort)
                contracts.append(c)
            q = _Person([c])
            c.person = q
            people.append(q)


def _split_contract(rng: random.Random, cohort: list[_Person]) -> _Contract:
    """Cut a contract with 3+ months of 2018 hours at a month end; return the new second part."""
    long = [c for p in cohort for c in p.contracts
            if sum(m.year == CALIBRATED_YEAR for m in c.hours) >= 3]
    if not long:
        raise RuntimeError("not enough 2018 contracts to reach the participant count")
    c = rng.choice(long)
    months = sorted(m for m in c.hours if m.year == CALIBRATED_YEAR)
    cut = months[1]  # the new contract starts on the 1st of the second 2018 month
    second = _Contract(c.market, c.employer, c.modalite, c.type, c.poste, c.rome, cut, c.end,
                       c.hebdo, {m: v for m, v in c.hours.items() if m >= cut})
    c.end = cut - timedelta(days=1)
    c.hours = {m: v for m, v in c.hours.items() if m < cut}
    return second


def _calibrate_hours(rng: random.Random, contracts: list[_Contract]) -> None:
    """Nudge 2018 monthly hours (within 20–151 h) until they sum to TARGET_HOURS_2018."""
    rows = [(c, m) for c in contracts for m in sorted(c.hours) if m.year == CALIBRATED_YEAR]
    total = sum(sum(c.hours[m]) for c, m in rows)
    factor = TARGET_HOURS_2018 / total
    if abs(factor - 1) > 0.02:
        for c, m in rows:
            c.hours[m][0] = int(min(151, max(20, round(c.hours[m][0] * factor))))
    diff = TARGET_HOURS_2018 - sum(sum(c.hours[m]) for c, m in rows)
    while diff:
        c, m = rng.choice(rows)
        step = max(-4, min(4, diff))
        new = min(151, max(20, c.hours[m][0] + step))
        diff -= new - c.hours[m][0]
        c.hours[m][0] = new


# --- Market money: rates, amounts and targets from the hours actually done ---------------


def _finish_market(rng: random.Random, m: _Market, done: float, buyer_sirets: dict[str, str],
                   numbers: dict[int, int]) -> ROW:
    """The market row: a target consistent with the hours done (mostly met, one late)."""
    if m.status == "Terminé":
        target = done / (rng.uniform(0.92, 1.35) if m.plan % 9 else rng.uniform(0.72, 0.88))
    elif m.status == "En cours":
        elapsed = (REF_DATE - m.start).days / max(1, (m.end - m.start).days)
        ratio = 0.55 if m.objet == LATE_MARKET else rng.uniform(0.95, 1.25)
        target = done / max(0.05, elapsed * ratio)
    else:
        target = rng.uniform(400, 1500)
    target = max(35.0, target)
    mode: str | None = S.MODE_TAUX if rng.random() < 0.85 else None
    part = taux = cout = heures = facture = eph = None
    if m.objet in HEURES_FIXEES:
        mode, heures = S.MODE_HEURES_FIXEES, float(round(target / 50) * 50 or 50)
        montant = round(heures * rng.uniform(38, 55), -2)
    elif m.objet == PRORATA:
        mode, eph = S.MODE_PRORATA, 2000.0
        facture = round(target * eph + rng.uniform(0, 1999), 2)
        montant = 450_000.0 if m.status == "En cours" else round(facture * 1.1, -3)
    else:
        if m.dispositif in (SIAE, EA):
            part, taux = round(rng.uniform(0.6, 0.8), 2), round(rng.uniform(0.4, 0.6), 2)
        else:
            part = round(rng.choice((0.3, 0.35, 0.4, 0.45, 0.5)) if m.type == T
                         else rng.choice((0.5, 0.55, 0.6, 0.7)), 2)
            taux = rng.choice((0.05, 0.06, 0.07, 0.08, 0.1))
            if rng.random() < 0.15:
                part = None  # falls back to the parameter (40 %)
            if rng.random() < 0.15:
                taux = None  # falls back to the parameter (7 %)
        cout = rng.choice((None, None, 35.0, 30.0, 32.0))
        k = (part or 0.40) * (taux or 0.07) / (cout or 35.0)
        montant = round(target / k + rng.uniform(-400, 400), 2)
        if m.objet in HEURES_TYPED:
            heures = float(math.ceil(montant * k / 10) * 10)
    year = m.start.year
    numbers[year] = numbers.get(year, 0) + 1
    m.id = f"M{year}-{numbers[year]:03d}"
    aw = m.awardee
    nom, prenom, _ = _person_name(rng)
    finished = m.status == "Terminé"
    return {
        "id": m.id, "donneur_ordre": m.buyer, "operation": m.operation, "objet": m.objet,
        "lot": m.lot, "type_marche": m.type, "dispositif": m.dispositif,
        "npnru": "Oui" if m.npnru else "Non", "code_cpv": CPV[m.trade], "montant_ht": montant,
        "mode_calcul": mode, "part_main_oeuvre": part, "taux_insertion": taux,
        "cout_horaire": cout, "heures_prevues": heures, "montant_facture": facture,
        "euros_par_heure": eph,
        "date_notification": m.start - timedelta(days=rng.randint(15, 45)),
        "date_debut": m.start, "date_fin": m.end,
        "attributaire": aw.id if aw else None,
        "referent": f"{prenom} {nom}" if aw else None,
        "courriel_referent": _email(prenom, nom, "example.fr") if aw else None,
        "telephone_referent": _phone(rng) if aw else None,
        "penalite": rng.choice((None, None, 60.0, 50.0, 100.0)) if aw else None,
        "ponderation": rng.choice((0.1, 0.15, 0.2)) if m.dispositif == CA else None,
        "statut": m.status,
        "avis": rng.choice(AVIS) if finished else None,
        "reference_decp": f"{buyer_sirets[m.buyer]}{year}M{numbers[year]:03d}" if aw else None,
        "commentaire": COMMENTS.get(m.status),
    }


AVIS = (
    "Entreprise très impliquée : recrutements diversifiés, suivi mensuel régulier.",
    "Objectif atteint grâce à la mise à disposition par l'ETTI ; relevés parfois tardifs.",
    "Bonne collaboration, deux embauches durables à l'issue du chantier.",
    "Engagement respecté ; tutorat de qualité sur le chantier.",
)
COMMENTS = {
    "Abandonné": "Procédure déclarée sans suite (offres inacceptables).",
    "En préparation": "Clause à rédiger avec le bailleur ; opération NPNRU.",
}


# --- Public API ----------------------------------------------------------------------------


def demo_parameters() -> dict[str, object]:
    """T_Parametres values keyed by Parameter.key: the fictitious structure and the defaults."""
    values: dict[str, object] = {p.key: p.default for p in S.PARAMETERS}
    values.update({
        "structure": "Maison de l'emploi et de la formation du Pays d'Aubrelle",
        "facilitateur": "Hélène Quesnel",
        "telephone": "02 99 00 41 27",
        "courriel": "clauses.sociales@example.org",
        "adresse": "4 place de la Gare, 50960 Aubrelle-sur-Mer",
        "territoire": TERRITOIRE,
        "mois_suivi": date(2019, 12, 1),
        "annee_bilan": CALIBRATED_YEAR,
        "smtp_serveur": "smtp.example.org",
        "smtp_port": 587,
        "smtp_tls": "Oui",
        "smtp_utilisateur": "clauses.sociales@example.org",
        "smtp_expediteur": "clauses.sociales@example.org",
    })
    return values


def demo_rows(seed: int = 2018) -> dict[str, list[ROW]]:
    """Every data table of the demo workbook, as rows keyed by the schema's column keys."""
    rng = random.Random(seed)
    companies = _Companies(rng)
    intermediaries = {
        "ETTI": companies.add("Tremplin Intérim Insertion", "ETTI", True),
        "AI": companies.add("Association Coup de Pouce Emploi", "AI", True),
        "GEIQ": companies.add("GEIQ BTP des Rivages", "GEIQ", True),
        "EI": companies.add("Rivages Environnement", "EI", True),
    }
    markets = _build_markets(rng, companies)
    _plan_rates(rng, markets)
    contracts = _build_contracts(rng, markets, intermediaries)
    people = _assign_people(rng, contracts)
    _calibrate_hours(rng, contracts)

    buyers = _buyer_rows(rng)
    sirets = {r["id"]: r["siret"] for r in buyers}
    numbers: dict[int, int] = {}
    done = {id(m): 0.0 for m in markets}
    for c in contracts:
        done[id(c.market)] += sum(sum(v) for v in c.hours.values())
    market_rows = [_finish_market(rng, m, done[id(m)], sirets, numbers)
                   for m in sorted(markets, key=lambda m: (m.start, m.plan))]

    _number_contracts(contracts)
    participant_rows = _participant_rows(rng, people)
    pool_rows = _pool_rows(rng, len(people))
    offers, candidatures = _offer_rows(rng, contracts, people, pool_rows)
    return {
        "T_DonneursOrdre": buyers,
        "T_Marches": market_rows,
        "T_Entreprises": [c.row for c in companies.all],
        "T_Participants": participant_rows + pool_rows,
        "T_Contrats": [_contract_row(c) for c in sorted(contracts, key=lambda c: c.id)],
        "T_Heures": _hours_rows(rng, contracts),
        "T_Suivi": _suivi_rows(rng, people),
        "T_Offres": offers,
        "T_Candidatures": candidatures,
        "T_Partenaires": _partner_rows(rng, intermediaries),
        "T_QPV": [{"code": code, "nom": nom, "commune": commune, "valide_du": du, "valide_au": au}
                  for code, nom, commune, du, au in QPVS],
        "T_Territoire": [{"commune": c, "code_postal": cp} for c, cp in COMMUNES],
    }


# --- Row builders --------------------------------------------------------------------------


def _buyer_rows(rng: random.Random) -> list[ROW]:
    rows = []
    for bid, nom, categorie, commune in BUYERS:
        cnom, cprenom, _ = _person_name(rng)
        rows.append({
            "id": bid, "nom": nom, "categorie": categorie,
            "siret": _siret(rng, public=categorie != "Entreprise privée"),
            "adresse": _address(rng, rng.choice(("place de la Mairie", "rue de la République",
                                                  "avenue de la Gare", "rue du Port"))),
            "code_postal": _postal(commune), "commune": commune,
            "contact": f"{cprenom} {cnom}",
            "courriel": _email(cprenom, cnom, "example.org"), "telephone": _phone(rng),
        })
    return rows


def _number_contracts(contracts: list[_Contract]) -> None:
    counters: dict[int, int] = {}
    for c in sorted(contracts, key=lambda c: (c.start, c.market.plan, c.poste)):
        counters[c.start.year] = counters.get(c.start.year, 0) + 1
        c.id = f"C{c.start.year}-{counters[c.start.year]:03d}"


def _contract_row(c: _Contract) -> ROW:
    assert c.person is not None
    return {
        "id": c.id, "participant": c.person.id, "marche": c.market.id, "employeur": c.employer.id,
        "modalite": c.modalite, "type_contrat": c.type, "poste": c.poste, "code_rome": c.rome,
        "date_debut": c.start, "date_fin": c.end, "heures_hebdo": c.hebdo,
    }


def _hours_rows(rng: random.Random, contracts: list[_Contract]) -> list[ROW]:
    rows = []
    for c in sorted(contracts, key=lambda c: c.id):
        intermediary = c.employer.type in ("ETTI", "AI", "GEIQ")
        for month in sorted(c.hours):
            worked, training = c.hours[month]
            source = "Relevé ETTI-AI-GEIQ" if intermediary else _weighted(
                rng, {"Relevé entreprise": 70, "Bulletin de salaire": 20, "Attestation": 8,
                      "Autre": 2})
            comment = None
            if worked <= 30 and rng.random() < 0.5:
                comment = rng.choice(("Arrêt maladie", "Début de contrat en fin de mois",
                                      "Fin de mission"))
            elif training and rng.random() < 0.3:
                comment = ("Formation sécurité (CACES, SST)" if training <= 14
                           else "Temps en centre de formation")
            rows.append({"contrat": c.id, "mois": month, "heures_travaillees": float(worked),
                         "heures_formation": float(training) if training else None,
                         "source": source, "commentaire": comment})
    return rows


def _participant_rows(rng: random.Random, people: list[_Person]) -> list[ROW]:
    """Participants with contracts: age, qualification and RSA calibrated on the 2018 cohort."""
    people.sort(key=lambda p: (p.first_start, min(c.market.plan for c in p.contracts)))
    for i, p in enumerate(people, 1):
        p.id = f"P{i:04d}"
    cohort = [p for p in people if _in_year(p, CALIBRATED_YEAR)]
    others = [p for p in people if not _in_year(p, CALIBRATED_YEAR)]
    young = set(map(id, rng.sample(cohort, TARGET_YOUNG_2018)))
    rest = [p for p in cohort if id(p) not in young]
    senior = set(map(id, rng.sample(rest, TARGET_SENIORS_2018)))
    no_qualif = set(map(id, rng.sample(cohort, TARGET_NO_QUALIFICATION_2018)))
    rsa = set(map(id, rng.sample(rest, TARGET_RSA_2018)))
    for p in others:
        r = rng.random()
        if r < 0.27:
            young.add(id(p))
        elif r < 0.40:
            senior.add(id(p))
        if rng.random() < 0.27:
            no_qualif.add(id(p))
        if id(p) not in young and rng.random() < 0.6:
            rsa.add(id(p))
    rows = []
    for p in people:
        band = "young" if id(p) in young else "senior" if id(p) in senior else "middle"
        rows.append(_person_row(rng, p, band, id(p) in no_qualif, id(p) in rsa))
    return rows


def _birth_date(rng: random.Random, at: date, age: int) -> date:
    """A birth date giving exactly `age` years at `at` (day ≤ 28: no 29 February)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    year = at.year - age - ((at.month, at.day) < (month, day))
    return date(year, month, day)


def _person_row(rng: random.Random, p: _Person, band: str, no_qualif: bool, rsa: bool) -> ROW:
    first = p.first_start
    age = {"young": rng.randint(18, 25), "senior": rng.randint(50, 61),
           "middle": rng.randint(26, 49)}[band]
    birth = _birth_date(rng, first, age)
    employers = {c.employer.type for c in p.contracts}
    handicap = bool(employers & {"EA", "ESAT"})
    siae = bool(employers & {"ETTI", "AI", "EI", "ACI", "Régie de quartier"})
    row = _identity(rng, birth, age)
    crit = {
        "deld": (rng.random() < (0.2 if band == "young" else 0.55)),
        "rsa": rsa and age >= 25,
        "ass": band != "young" and not rsa and rng.random() < 0.08,
        "aah": handicap and rng.random() < 0.4,
        "rqth": handicap or rng.random() < 0.06,
        "jeune_26": age < 26,
        "senior_50": age >= 50,
        "salarie_siae": siae and rng.random() < 0.7,
        "resident_qpv": row["qpv"] is not None,
    }
    if not any(crit.values()) and rng.random() < 0.5:
        row["autre_critere"] = rng.choice(("Bénéficiaire de la protection internationale",
                                           "Sortant de détention", "Parent isolé"))
    elif not any(crit.values()):
        crit["deld"] = True
    row["niveau_qualification"] = S.SANS_QUALIFICATION if no_qualif else _weighted(
        rng, {"3 (CAP, BEP)": 50, "4 (Bac)": 30, "5 (Bac+2)": 12, "6 et plus": 4})
    row.update({k: "Oui" if v else "Non" for k, v in crit.items()})
    eligibility = first - timedelta(days=rng.randint(10, 600))
    row.update({
        "prescripteur": _prescripteur(rng, band, rsa, handicap, siae),
        "referent": " ".join(_person_name(rng)[1::-1]),
        "date_eligibilite": eligibility,
        "date_rgpd": min(first, eligibility + timedelta(days=rng.randint(0, 20))),
        "statut": "En poste" if any((c.end or REF_DATE) >= REF_DATE for c in p.contracts)
        else "Sorti du dispositif",
        "metiers": p.contracts[-1].rome if rng.random() < 0.3 else None,
        "disponible_le": None,
    })
    row["id"] = p.id
    return row


def _identity(rng: random.Random, birth: date, age: int) -> ROW:
    """Name, sex, address and QPV of a person (about a third live in a QPV)."""
    nom, prenom, sexe = _person_name(rng, "F" if rng.random() < 0.3 else "H")
    qpv = None
    if rng.random() < 0.33:
        qpv = rng.choice(list(QPV_STREETS))
        commune = next(q[2] for q in QPVS if q[0] == qpv)
        adresse = _address(rng, rng.choice(QPV_STREETS[qpv]))
    else:
        commune = rng.choice(COMMUNES)[0] if rng.random() < 0.88 else rng.choice(COMMUNES_EXTERIEURES)[0]
        adresse = _address(rng)
    permis = rng.random() < (0.45 if age < 26 else 0.65)
    return {
        "id": "", "nom": nom, "prenom": prenom, "sexe": sexe, "date_naissance": birth,
        "adresse": adresse, "code_postal": _postal(commune), "commune": commune, "qpv": qpv,
        "autre_critere": None,
        "permis_b": "Oui" if permis else "Non",
        "vehicule": "Oui" if permis and rng.random() < 0.75 else "Non",
    }


def _prescripteur(rng: random.Random, band: str, rsa: bool, handicap: bool, siae: bool) -> str:
    if handicap:
        return "Cap emploi"
    if band == "young" and rng.random() < 0.75:
        return "Mission locale"
    if rsa and rng.random() < 0.7:
        return rng.choice(("Département", "PLIE"))
    if siae and rng.random() < 0.5:
        return "SIAE"
    return _weighted(rng, {"France Travail": 65, "PLIE": 15, "Candidature spontanée": 12,
                           "Autre": 8})


POOL_METIERS = ("F1703;F1702", "F1703;F1704", "F1606", "F1606;F1604", "K2204;K2303", "A1203",
                "F1702;F1705", "N1103;N4101", "G1602;G1603", "F1603;F1602", "K2204", "I1203")


def _pool_rows(rng: random.Random, start: int) -> list[ROW]:
    """The candidate pool: people Repéré or Orienté, with no contract yet."""
    rows = []
    for i in range(1, POOL_SIZE + 1):
        band = _weighted(rng, {"young": 30, "middle": 55, "senior": 15})
        age = {"young": rng.randint(18, 25), "senior": rng.randint(50, 60),
               "middle": rng.randint(26, 49)}[band]
        row = _identity(rng, _birth_date(rng, REF_DATE, age), age)
        rsa = band != "young" and rng.random() < 0.45
        crit = {
            "deld": rng.random() < 0.5, "rsa": rsa, "ass": False, "aah": False,
            "rqth": rng.random() < 0.08, "jeune_26": age < 26, "senior_50": age >= 50,
            "salarie_siae": rng.random() < 0.1, "resident_qpv": row["qpv"] is not None,
        }
        if not any(crit.values()):
            crit["deld"] = True
        eligibility = _rand_date(rng, date(2018, 6, 1), date(2019, 12, 15))
        row.update({k: "Oui" if v else "Non" for k, v in crit.items()})
        row.update({
            "id": f"P{start + i:04d}",
            "niveau_qualification": _weighted(rng, {S.SANS_QUALIFICATION: 30, "3 (CAP, BEP)": 45,
                                                    "4 (Bac)": 20, "5 (Bac+2)": 5}),
            "prescripteur": _prescripteur(rng, band, rsa, crit["rqth"], False),
            "referent": " ".join(_person_name(rng)[1::-1]),
            "date_eligibilite": eligibility,
            "date_rgpd": eligibility + timedelta(days=rng.randint(0, 10)),
            "statut": rng.choice(("Repéré", "Orienté", "Orienté")),
            "metiers": rng.choice(POOL_METIERS),
            "disponible_le": _rand_date(rng, date(2019, 12, 2), date(2020, 2, 17)),
        })
        if row["date_rgpd"] > REF_DATE:
            row["date_rgpd"] = REF_DATE
        rows.append(row)
    return rows


SITUATION_WEIGHTS = {
    "Fin de contrat": {"CDD ou intérim de moins de 6 mois": 16, "CDD ou intérim de 6 mois et plus": 10,
                       "CDI": 8, "Contrat aidé": 5, "Formation qualifiante": 8,
                       "Embauche en SIAE": 8, "Demandeur d'emploi": 35, "Inactif": 3,
                       "Perdu de vue": 4, "Déménagement": 2, "Création d'entreprise": 1},
    "6 mois": {"CDD ou intérim de moins de 6 mois": 14, "CDD ou intérim de 6 mois et plus": 14,
               "CDI": 14, "Contrat aidé": 5, "Formation qualifiante": 8, "Embauche en SIAE": 7,
               "Demandeur d'emploi": 26, "Inactif": 3, "Perdu de vue": 7, "Déménagement": 2},
    "12 mois": {"CDD ou intérim de moins de 6 mois": 10, "CDD ou intérim de 6 mois et plus": 14,
                "CDI": 20, "Titularisation fonction publique": 2, "Création d'entreprise": 2,
                "Contrat aidé": 4, "Formation qualifiante": 6, "Embauche en SIAE": 5,
                "Demandeur d'emploi": 22, "Inactif": 4, "Perdu de vue": 9, "Déménagement": 2},
}


def _suivi_rows(rng: random.Random, people: list[_Person]) -> list[ROW]:
    """Follow-ups after the last contract; the latest 6- and 12-month ones are left due."""
    rows = []
    for p in sorted(people, key=lambda p: p.id):
        if any(c.end is None or c.end >= REF_DATE for c in p.contracts):
            continue
        end = p.last_end
        plan = (("Fin de contrat", 0, 0.85, REF_DATE),
                ("6 mois", 6, 0.75, date(2019, 10, 31)),
                ("12 mois", 12, 0.6, date(2019, 9, 30)))
        for echeance, months, chance, last_recorded in plan:
            due = add_months(end, months)
            if due > last_recorded or rng.random() > chance:
                continue
            situation = _weighted(rng, SITUATION_WEIGHTS[echeance])
            rows.append({
                "participant": p.id, "echeance": echeance,
                "date": min(REF_DATE, due + timedelta(days=rng.randint(0, 25))),
                "situation": situation,
                "source": rng.choice(("Entretien téléphonique", "Référent de parcours",
                                      "Employeur", "Entretien au bureau")),
                "commentaire": None,
            })
    return rows


def _offer_rows(rng: random.Random, contracts: list[_Contract], people: list[_Person],
                pool: list[ROW]) -> tuple[list[ROW], list[ROW]]:
    """Offers behind a share of the hires (Pourvue), a few cancelled, and open ones at year end."""
    offers: list[ROW] = []
    cands: list[ROW] = []
    counters: dict[int, int] = {}
    everyone = sorted(people, key=lambda p: p.id)

    def new_offer(market: _Market, company: _Company, poste: str, rome: str, kind: str,
                  hebdo: float, start: date, months: int, status: str, diffusion: date) -> ROW:
        counters[diffusion.year] = counters.get(diffusion.year, 0) + 1
        row = {
            "id": f"O{diffusion.year}-{counters[diffusion.year]:03d}", "marche": market.id,
            "entreprise": company.id, "poste": poste, "code_rome": rome, "type_contrat": kind,
            "nombre_postes": 1, "duree": f"{months} mois", "heures_hebdo": hebdo,
            "date_debut": start, "lieu": next(b[3] for b in BUYERS if b[0] == market.buyer),
            "profil": rng.choice(PROFILS), "date_limite": diffusion + timedelta(days=15),
            "statut": status, "date_diffusion": diffusion,
        }
        offers.append(row)
        return row

    hires = [c for c in sorted(contracts, key=lambda c: c.id)
             if c.modalite in ("Embauche directe", "Mise à disposition") and rng.random() < 0.3]
    for c in hires:
        diffusion = c.start - timedelta(days=rng.randint(20, 45))
        months = max(1, round(((c.end or REF_DATE) - c.start).days / 30.4))
        offer = new_offer(c.market, c.employer, c.poste, c.rome, c.type, c.hebdo, c.start, months,
                          "Pourvue", diffusion)
        assert c.person is not None
        others = [p for p in everyone if p is not c.person
                  and abs((p.first_start - diffusion).days) < 365]
        for q in rng.sample(others, rng.randint(1, 3)):
            cands.append({"offre": offer["id"], "participant": q.id,
                          "date": diffusion + timedelta(days=rng.randint(2, 10)),
                          "resultat": _weighted(rng, {"Non retenu": 65, "Désisté": 35}),
                          "commentaire": None})
        cands.append({"offre": offer["id"], "participant": c.person.id,
                      "date": min(c.start, diffusion + timedelta(days=rng.randint(3, 12))),
                      "resultat": "Retenu", "commentaire": None})
    running = [c for c in sorted(contracts, key=lambda c: c.id) if c.market.status == "En cours"]
    for c in rng.sample(running, 2):
        diffusion = _rand_date(rng, date(2019, 3, 1), date(2019, 9, 30))
        new_offer(c.market, c.employer, c.poste, c.rome, c.type, c.hebdo,
                  diffusion + timedelta(days=30), 2, "Annulée", diffusion)
    for c in rng.sample(running, 3):
        diffusion = _rand_date(rng, date(2019, 12, 2), date(2019, 12, 20))
        offer = new_offer(c.market, c.market.awardee or c.employer, c.poste, c.rome, "CDD", 35.0,
                          date(2020, 1, 20), 3, "Ouverte", diffusion)
        for q in rng.sample(pool, rng.randint(2, 4)):
            cands.append({"offre": offer["id"], "participant": q["id"],
                          "date": min(REF_DATE, diffusion + timedelta(days=rng.randint(1, 8))),
                          "resultat": rng.choice(("Proposé", "Proposé", "Entretien")),
                          "commentaire": None})
    return offers, cands


PROFILS = (
    "Débutant accepté, motivation et ponctualité ; formation sécurité assurée.",
    "Première expérience souhaitée ; port des EPI obligatoire.",
    "Goût du travail en équipe et en extérieur ; permis B apprécié.",
    "Savoir-être avant tout : l'entreprise forme au poste.",
    "Travail en horaires décalés possible ; accessible sans diplôme.",
)


def _partner_rows(rng: random.Random, intermediaries: dict[str, _Company]) -> list[ROW]:
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
        cnom, cprenom, _ = _person_name(rng)
        commune = CENTRE if i % 3 else rng.choice(COMMUNES)[0]
        rows.append({"id": f"PA{i:02d}", "nom": nom, "type": kind,
                     "contact": f"{cprenom} {cnom}",
                     "courriel": _email(cprenom, cnom, "example.org"),
                     "adresse": _address(rng), "code_postal": _postal(commune),
                     "commune": commune, "recoit_offres": recoit})
    return rows
