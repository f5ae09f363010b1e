"""Article L2112-2-1 of the Code de la commande publique: which markets must carry a social consideration.

Since the loi Climat et résilience (art. 35), a consultation launched from 22 August 2026 for a market at
or above the European thresholds must include a social or employment consideration, unless the buyer
documents an exception. The thresholds change every two years: they are held here, once, as a dated
table — add the next period as one more `Period` line.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

from .text import fold
from .values import DATE

#: Consultations launched from this date fall under L2112-2-1.
LAW_DATE = dt.date(2026, 8, 22)
#: The warning of a market without social consideration that the law probably covers (never a verdict).
WARNING = "L2112-2-1 : considération sociale attendue — dérogation à documenter ?"
#: Why it is only « probable »: the open data gives the notification date, not the consultation's launch.
WHY_PROBABLE = ("Probablement concerné : la DECP ne donne pas la date de lancement de la consultation ; un marché "
                f"notifié à partir du {DATE.text(LAW_DATE)} au-dessus du seuil européen est supposé lancé après cette "
                "date.")

# Buyer categories of the thresholds.
ETAT = "État (autorités publiques centrales)"
COLLECTIVITE = "Collectivités et autres pouvoirs adjudicateurs"
RESEAU = "Opérateurs de réseau (entités adjudicatrices)"
CATEGORIES = (ETAT, COLLECTIVITE, RESEAU)
# Natures.
TRAVAUX = "Travaux"
FOURNITURES_SERVICES = "Fournitures et services"


@dataclass(frozen=True)
class Period:
    """European thresholds (€ HT) in force from `start` to `end` inclusive, by buyer category."""

    start: dt.date
    end: dt.date
    works: int
    supplies_services: dict[str, int]
    source: str


#: The thresholds of each period (avis relatif aux seuils de procédure, annexe 2 du Code de la commande publique).
PERIODS: tuple[Period, ...] = (
    Period(dt.date(2022, 1, 1), dt.date(2023, 12, 31), 5_382_000,
           {ETAT: 140_000, COLLECTIVITE: 215_000, RESEAU: 431_000},
           "Règlements délégués (UE) 2021/1950 à 1953"),
    Period(dt.date(2024, 1, 1), dt.date(2025, 12, 31), 5_538_000,
           {ETAT: 143_000, COLLECTIVITE: 221_000, RESEAU: 443_000},
           "Règlements délégués (UE) 2023/2495 à 2497"),
    Period(dt.date(2026, 1, 1), dt.date(2027, 12, 31), 5_404_000,
           {ETAT: 140_000, COLLECTIVITE: 216_000, RESEAU: 432_000},
           "Règlements délégués (UE) 2025/2150 à 2152 ; avis publié au JORF du 26 décembre 2025"),
)


def period_of(day: dt.date | None) -> Period:
    """The period in force on `day`; before the table, its first period; after it, its last (until updated)."""
    if day is None:
        return PERIODS[-1]
    for p in PERIODS:
        if p.start <= day <= p.end:
            return p
    return PERIODS[0] if day < PERIODS[0].start else PERIODS[-1]


def nature_of(type_marche: str | None) -> str:
    """The threshold's nature: works, or supplies and services (intellectual services included)."""
    return TRAVAUX if type_marche == "Travaux" else FOURNITURES_SERVICES


def threshold(day: dt.date | None, category: str, type_marche: str | None) -> Decimal:
    """The European threshold (€ HT) of a market notified on `day`."""
    return period_threshold(period_of(day), category, type_marche)


def period_threshold(p: Period, category: str, type_marche: str | None) -> Decimal:
    """The European threshold (€ HT) of a market in the period `p`."""
    if nature_of(type_marche) == TRAVAUX:
        return Decimal(p.works)
    return Decimal(p.supplies_services.get(category, p.supplies_services[COLLECTIVITE]))


_fold_category = functools.lru_cache(maxsize=1024)(fold)  # a few labels, on every record


def category_of(workbook_category: str | None = None, decp_category: str | None = None,
                siret: str | None = None) -> str:
    """The buyer's threshold category: from the workbook's Catégorie, else the DECP's, else the SIREN.

    A SIREN starting with 1 is the State's or a national public body's; anything else (communes,
    départements, EPCI, social landlords…) takes the local-authority threshold, the most common case.
    """
    if workbook_category:
        if workbook_category == "État ou établissement public":
            return ETAT
        return COLLECTIVITE
    if decp_category:
        c = _fold_category(decp_category)
        if "reseau" in c or "adjudicatrice" in c or "operateur" in c:
            return RESEAU
        if c.startswith("etat") or "ministere" in c or "autorite publique centrale" in c:
            return ETAT
        return COLLECTIVITE
    if siret and siret[:1] == "1":
        return ETAT
    return COLLECTIVITE


def probably_concerned(amount: Decimal, notified: dt.date | None, category: str, type_marche: str | None) -> bool:
    """At or above the threshold and notified from the date the law applies (the consultation date is unknown)."""
    return law_applies(notified) and amount >= threshold(notified, category, type_marche)


def law_applies(notified: dt.date | None) -> bool:
    """Notified from the date the law applies: the consultation was probably launched after it."""
    return notified is not None and notified >= LAW_DATE


@dataclass(frozen=True)
class NationalReference:
    """The national share of markets with a social consideration that a buyer's share is compared with."""

    share: float
    source: str
    year: int


#: Observatoire économique de la commande publique, recensement 2023: 18,7 % of markets (12,7 % for local
#: authorities); the national plan for sustainable procurement aims at 30 %.
NATIONAL_REFERENCE = NationalReference(0.187, "Observatoire économique de la commande publique (recensement)", 2023)


def national_reference(share: float | None = None, source: str | None = None, year: int | None = None
                       ) -> NationalReference:
    """The reference the facilitator gives (share as a fraction, its source, its year); what is not given is
    the OECP's 2023 figure — and a share given without its source is « donnée par l'utilisateur »."""
    default = NATIONAL_REFERENCE
    return NationalReference(default.share if share is None else float(share),
                             source or (default.source if share is None else "donnée par l'utilisateur"),
                             int(year) if year else default.year)
