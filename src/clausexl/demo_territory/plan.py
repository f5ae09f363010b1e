"""The market plan: every market of the three years, and the few that play a special role."""

from __future__ import annotations

from typing import Any

from clausexl.core import schema as S

# (group, buyer, type, dispositif, trade, operation, objet, lot, npnru, same awardee as plan #)
# group "A": activity in 2017 only; "B": the 30 markets followed in 2018; "C": new in 2019;
# "X": one abandoned, one in preparation (no awardee, no hours).

T, SV, F, PI = S.TYPES_MARCHE
CE, CA, SIAE, EA, INS = S.DISPOSITIFS
GS = "Construction du groupe scolaire des Marettes"
EMB = "Réhabilitation de 64 logements, résidence Les Embruns"
URG = "Restructuration du service des urgences"
NPNRU_OP = "Renouvellement urbain du quartier des Genêts (NPNRU)"

# One market per line, alike on purpose (the duplicates tool pairs lines): the territory reads as a list.
PLAN: tuple[tuple[Any, ...], ...] = (
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
#: Plan index of the abandoned market (the one before the market in preparation, last).
ABANDONED = len(PLAN) - 2
LATE_MARKET = "Réhabilitation de la piscine intercommunale"
HEURES_FIXEES = {"Marché d'insertion : entretien des sentiers du littoral",
                 "Marché d'insertion : propreté des quartiers"}
PRORATA = "Entretien des bâtiments communaux (accord-cadre à bons de commande)"
HEURES_TYPED = {"Construction du groupe scolaire", "Collecte des déchets ménagers et assimilés",
                "Restructuration des urgences", "Réhabilitation de 96 logements, îlot Capucines"}
#: Plan indices of the group B classic awardees located in the territory (8 of 22; the SIAE,
#: the EA and the four intermediaries are local too: 15 local companies of 29 in 2018).
LOCAL_B = {1, 3, 5, 7, 8, 21, 23, 24}
