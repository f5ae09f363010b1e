"""The 2018 calibration: counts and hours that reproduce a real facilitator's year."""

from __future__ import annotations

import random
from datetime import timedelta

from .activity import clamp_monthly_hours
from .calibration_targets import (
    CALIBRATED_YEAR,
    TARGET_HOURS_2018,
    TARGET_PARTICIPANTS_2018,
)
from .companies import INTERMEDIARY_TERMS
from .records import Company, Contract, Person


def ensure_intermediaries_in_2018(contracts: list[Contract],
                                  intermediaries: dict[str, Company]) -> None:
    """Each intermediary places someone in 2018, so that it is counted among the 29 companies."""
    for kind, company in intermediaries.items():
        if any(c.employer is company and c.has_hours_in(CALIBRATED_YEAR) for c in contracts):
            continue
        c = next(c for c in contracts if c.market.group == "B" and c.employer is c.market.awardee
                 and c.market.awardee.type == "Entreprise classique"
                 and c.has_hours_in(CALIBRATED_YEAR))
        c.employer = company
        c.modalite, c.type = INTERMEDIARY_TERMS[kind]


def calibrate_people(rng: random.Random, people: list[Person],
                     contracts: list[Contract]) -> None:
    """Merge or split careers until exactly TARGET_PARTICIPANTS_2018 people have 2018 hours."""
    while (n := sum(p.has_hours_in(CALIBRATED_YEAR) for p in people)) != TARGET_PARTICIPANTS_2018:
        cohort = [p for p in people if p.has_hours_in(CALIBRATED_YEAR)]
        if n > TARGET_PARTICIPANTS_2018:
            singles = [p for p in cohort if len(p.contracts) == 1]
            rng.shuffle(singles)
            for a in singles:
                c = a.contracts[0]
                hosts = [b for b in cohort if b is not a and all(
                    o.last_day + timedelta(days=7) < c.start
                    or c.last_day + timedelta(days=7) < o.start for o in b.contracts)]
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
                     if sum(c.has_hours_in(CALIBRATED_YEAR) for c in p.contracts) >= 2]
            if multi:
                p = rng.choice(multi)
                c = max((c for c in p.contracts if c.has_hours_in(CALIBRATED_YEAR)),
                        key=lambda c: c.start)
                p.contracts.remove(c)
            else:  # someone else takes over the end of a long contract
                c = _split_contract(rng, cohort)
                contracts.append(c)
            q = Person([c])
            c.person = q
            people.append(q)


def _split_contract(rng: random.Random, cohort: list[Person]) -> Contract:
    """Cut a contract with 3+ months of 2018 hours at a month end; return the new second part."""
    long = [c for p in cohort for c in p.contracts
            if sum(m.year == CALIBRATED_YEAR for m in c.hours) >= 3]
    if not long:
        raise RuntimeError("not enough 2018 contracts to reach the participant count")
    c = rng.choice(long)
    months = sorted(m for m in c.hours if m.year == CALIBRATED_YEAR)
    cut = months[1]  # the new contract starts on the 1st of the second 2018 month
    second = Contract(c.market, c.employer, c.modalite, c.type, c.poste, c.rome, cut, c.end,
                      c.hebdo, {m: v for m, v in c.hours.items() if m >= cut})
    c.end = cut - timedelta(days=1)
    c.hours = {m: v for m, v in c.hours.items() if m < cut}
    return second


def calibrate_hours(rng: random.Random, contracts: list[Contract]) -> None:
    """Nudge 2018 monthly hours (within 20–151 h) until they sum to TARGET_HOURS_2018."""
    rows = [(c, m) for c in contracts for m in sorted(c.hours) if m.year == CALIBRATED_YEAR]
    total = sum(sum(c.hours[m]) for c, m in rows)
    factor = TARGET_HOURS_2018 / total
    if abs(factor - 1) > 0.02:
        for c, m in rows:
            c.hours[m][0] = clamp_monthly_hours(c.hours[m][0] * factor)
    diff = TARGET_HOURS_2018 - sum(sum(c.hours[m]) for c, m in rows)
    while diff:
        c, m = rng.choice(rows)
        step = max(-4, min(4, diff))
        new = clamp_monthly_hours(c.hours[m][0] + step)
        diff -= new - c.hours[m][0]
        c.hours[m][0] = new
