"""Fictitious people: common French first and last names, streets, phones, e-mails."""

from __future__ import annotations

import random
import unicodedata

from clausexl.core import schema as S

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


def _ascii(text: str) -> str:
    """Lower-case ASCII with dashes, what an e-mail's local part can hold."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def phone(rng: random.Random) -> str:
    """A number in the 02 99 00 range, which no real subscriber is given."""
    return f"02 99 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"


def person_name(rng: random.Random, sexe: str | None = None) -> tuple[str, str, str]:
    """(nom, prénom, sexe): a common first name of that sex with a common last name."""
    sexe = sexe or rng.choice(S.SEXES)
    prenom = rng.choice(PRENOMS_F if sexe == "F" else PRENOMS_H)
    return rng.choice(NOMS), prenom, sexe


def email(prenom: str, nom: str, domain: str) -> str:
    """prenom.nom@domain, on the reserved example.org / example.fr domains."""
    return f"{_ascii(prenom)}.{_ascii(nom)}@{domain}"


def full_name(rng: random.Random) -> str:
    """"Prénom Nom" of a fictitious person (a referent, a contact)."""
    nom, prenom, _ = person_name(rng)
    return f"{prenom} {nom}"


def contact(rng: random.Random, domain: str) -> tuple[str, str]:
    """Full name and e-mail of a fictitious contact (buyers, companies, partners, referents)."""
    nom, prenom, _ = person_name(rng)
    return f"{prenom} {nom}", email(prenom, nom, domain)


def address(rng: random.Random, street: str | None = None) -> str:
    """A number and a street: the given one, or a street of the territory drawn at random."""
    return f"{rng.randint(1, 48)} {street or rng.choice(STREETS)}"
