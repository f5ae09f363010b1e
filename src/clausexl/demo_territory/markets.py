"""Markets: dates, status, awardee and planned yearly hours of each market of the plan."""

from __future__ import annotations

import random
from datetime import date

from .calibration_targets import CALIBRATED_YEAR, TARGET_HOURS_2018
from .chance import random_date
from .companies import Companies
from .dates import REF_DATE, add_months, overlap_days
from .plan import ABANDONED, EA, INS, LATE_MARKET, LOCAL_B, PLAN, SIAE, SV, T
from .records import Company, Market


def _market_dates(rng: random.Random, group: str, plan: int) -> tuple[date, date]:
    """Dates per group: A ends in 2017, B overlaps 2018, C starts in 2019, X abandoned/prepared."""
    if group == "A":
        start = random_date(rng, date(2017, 1, 9), date(2017, 6, 30))
        return start, min(add_months(start, rng.randint(4, 10)), date(2017, 12, 15))
    if group == "B":
        if plan % 5 in (0, 2):  # about 12 started in 2017
            start = random_date(rng, date(2017, 2, 1), date(2017, 10, 31))
            end = add_months(start, rng.randint(10, 24))
        else:
            start = random_date(rng, date(2018, 1, 8), date(2018, 10, 15))
            end = add_months(start, rng.randint(4, 20))
        return start, max(end, date(2018, 3, 1))
    if group == "C":
        start = random_date(rng, date(2019, 1, 7), date(2019, 9, 30))
        return start, add_months(start, rng.randint(5, 24))
    if plan == ABANDONED:
        return date(2018, 4, 16), date(2018, 12, 21)
    return date(2020, 4, 6), date(2021, 9, 30)


def _status(group: str, plan: int, end: date) -> str:
    """The market's status on the reference date."""
    if group == "X":
        return "Abandonné" if plan == ABANDONED else "En préparation"
    return "Terminé" if end < REF_DATE else "En cours"


def build_markets(rng: random.Random, companies: Companies) -> list[Market]:
    """The plan's markets with dates, status and awardee; lots of one operation share dates."""
    markets: list[Market] = []
    for i, (group, buyer, kind, dispositif, trade, operation, objet, lot, npnru, same) \
            in enumerate(PLAN):
        start, end = _market_dates(rng, group, i)
        if operation and lot:  # lots of one operation share their dates
            sibling = next((m for m in markets if m.operation == operation and m.objet == objet), None)
            if sibling:
                start, end = sibling.start, sibling.end
        m = Market(i, group, buyer, kind, dispositif, trade, operation, objet, lot, npnru,
                   start, end, _status(group, i, end))
        if m.has_activity:
            m.awardee = markets[same].awardee if same is not None else _awardee(rng, companies, m)
        markets.append(m)
    return markets


def _awardee(rng: random.Random, companies: Companies, m: Market) -> Company:
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


def active_window(m: Market) -> tuple[date, date]:
    """The part of the market's life that has happened by the reference date."""
    return m.start, min(m.end, REF_DATE)


def plan_rates(rng: random.Random, markets: list[Market]) -> None:
    """Yearly hours per market, scaled so that group B gives the 2018 hours of the seed."""
    for m in markets:
        if not m.has_activity:
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
    planned = sum(m.rate * overlap_days(*active_window(m), y0, y1) / 365
                  for m in markets if m.group == "B")
    scale = TARGET_HOURS_2018 * 0.97 / planned
    for m in markets:
        m.rate *= scale * (1.2 if m.group == "C" else 1.0)  # 2019 grows
        if m.objet == LATE_MARKET:
            m.rate *= 0.5
