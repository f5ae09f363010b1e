"""Companies: unique names, SIRET and an address inside or outside the territory."""

from __future__ import annotations

import random

from .names import NOMS, address, contact, phone
from .records import Company
from .siret import siret
from .territory import COMMUNES, COMMUNES_EXTERIEURES, postal
from .trades import PLACE_WORDS, TRADE_WORDS

#: The intermediaries' terms: kind → (modalité, contract type) of the people they place.
INTERMEDIARY_TERMS: dict[str, tuple[str, str]] = {
    "ETTI": ("Mise à disposition", "Intérim"),
    "AI": ("Mise à disposition", "CDDI"),
    "GEIQ": ("Mise à disposition", "Professionnalisation"),
    "EI": ("Sous-traitance ou co-traitance SIAE", "CDDI"),
}


class Companies:
    """Creates companies with unique names, SIRET and an address local or not."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.all: list[Company] = []
        self.names: set[str] = set()

    def add(self, name: str, kind: str, local: bool, trade: str | None = None) -> Company:
        """Register a company under the next ID E001, E002… with its T_Entreprises row."""
        rng = self.rng
        company = Company(f"E{len(self.all) + 1:03d}", name, kind, local, trade)
        commune = rng.choice(COMMUNES[:6])[0] if local else rng.choice(COMMUNES_EXTERIEURES)[0]
        name_of_contact, mail = contact(rng, "example.fr")
        company.row = {
            "id": company.id, "raison_sociale": name, "siret": siret(rng), "type": kind,
            "adresse": address(rng, rng.choice(("ZA des Prés-Salés", "rue des Forges",
                                                "ZI du Moulin", "rue de l'Industrie"))),
            "code_postal": postal(commune), "commune": commune,
            "contact": name_of_contact, "courriel": mail,
            "telephone": phone(rng),
        }
        self.all.append(company)
        self.names.add(name)
        return company

    def classic(self, trade: str, local: bool) -> Company:
        """A classic company of the trade, with a name no other company has."""
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


def add_intermediaries(companies: Companies) -> dict[str, Company]:
    """The four local SIAE/GEIQ that place people with awardees, by kind (INTERMEDIARY_TERMS)."""
    return {
        "ETTI": companies.add("Tremplin Intérim Insertion", "ETTI", True),
        "AI": companies.add("Association Coup de Pouce Emploi", "AI", True),
        "GEIQ": companies.add("GEIQ BTP des Rivages", "GEIQ", True),
        "EI": companies.add("Rivages Environnement", "EI", True),
    }
