"""Contracts and their monthly hours: who employs whom on which market, and how much."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .chance import random_date, weighted
from .companies import INTERMEDIARY_TERMS
from .dates import REF_DATE, days_in_month, month_starts, overlap_days
from .markets import active_window
from .plan import T
from .records import ROW, Company, Contract, Market, YearlyNumbers
from .trades import TRADES

MIN_MONTHLY_HOURS, MAX_MONTHLY_HOURS = 20, 151


def clamp_monthly_hours(hours: float) -> int:
    """Whole hours between 20 and 151: a plausible month of work for one person."""
    return int(min(MAX_MONTHLY_HOURS, max(MIN_MONTHLY_HOURS, round(hours))))


DURATIONS = {0.5: 28, 1: 28, 2: 20, 3: 10, 4: 6, 6: 5, 9: 2, 12: 1}  # months → weight
WEEKLY = {35: 60, 28: 8, 24: 10, 30: 8, 20: 8, 17.5: 6}


def _employment(rng: random.Random, m: Market, intermediaries: dict[str, Company]) \
        -> tuple[Company, str, str]:
    """Employer, modalité and contract type: the awardee hires, or an SIAE/GEIQ places people."""
    aw = m.awardee
    assert aw is not None
    if aw.type in ("ACI", "Régie de quartier"):
        return aw, "Embauche directe", "CDDI"
    if aw.type in ("EA", "ESAT"):
        return aw, "Embauche directe", "CDD" if aw.type == "EA" else "Autre"
    choice = weighted(rng, {"direct": 40, "ETTI": 22, "AI": 12 if m.type != T else 5,
                            "GEIQ": 10 if m.type == T else 2, "EI": 8, "formation": 3})
    if choice == "direct":
        return aw, "Embauche directe", weighted(rng, {"CDD": 70, "CDI": 8, "Apprentissage": 7,
                                                      "Professionnalisation": 7, "CDI inclusion": 3})
    if choice == "formation":
        return aw, "Formation", "Professionnalisation"
    modalite, kind = INTERMEDIARY_TERMS[choice]
    return intermediaries[choice], modalite, kind


def _fill_hours(rng: random.Random, c: Contract) -> None:
    """One row per month inside the contract (up to the reference date), 20–151 h worked."""
    last = min(c.last_day, REF_DATE)
    training_contract = c.type in ("Professionnalisation", "Apprentissage")
    for month in month_starts(c.start, last):
        days = days_in_month(month.year, month.month)
        covered = overlap_days(c.start, last, month, month.replace(day=days))
        worked = c.hebdo * 52 / 12 * covered / days * rng.uniform(0.82, 1.0)
        worked = clamp_monthly_hours(worked)
        training = 0
        if c.modalite == "Formation":
            training, worked = rng.randint(40, 70), min(worked, rng.randint(20, 60))
        elif training_contract and rng.random() < 0.8:
            training = rng.randint(14, 35)
        elif rng.random() < 0.04:
            training = rng.choice((7, 14))
        c.hours[month] = [worked, training]


def build_contracts(rng: random.Random, markets: list[Market],
                    intermediaries: dict[str, Company]) -> list[Contract]:
    """Contracts on each active market until its planned hours (rate × active days) are used up."""
    contracts: list[Contract] = []
    for m in markets:
        if not m.has_activity:
            continue
        w0, w1 = active_window(m)
        budget = m.rate * ((w1 - w0).days + 1) / 365
        done = 0.0
        while done < budget:
            months = weighted(rng, DURATIONS)
            length = max(12, int(months * 30.4) - rng.randint(0, 6))
            latest = min(m.end, REF_DATE) - timedelta(days=min(length, 20))
            start = random_date(rng, m.start, max(m.start, latest))
            end = min(start + timedelta(days=length), m.end)
            employer, modalite, kind = _employment(rng, m, intermediaries)
            if end >= REF_DATE and kind in ("CDI", "CDI inclusion"):
                end_or_none: date | None = None
            else:
                end_or_none = end
            poste, rome = rng.choice(TRADES[m.trade])
            c = Contract(m, employer, modalite, kind, poste, rome, start, end_or_none,
                         weighted(rng, WEEKLY))
            _fill_hours(rng, c)
            done += c.total_hours
            contracts.append(c)
    return contracts


def number_contracts(contracts: list[Contract]) -> None:
    """IDs C<year>-<serial> in order of start, as a facilitator numbers them on arrival."""
    numbers = YearlyNumbers()
    for c in sorted(contracts, key=lambda c: (c.start, c.market.plan, c.poste)):
        c.id = f"C{c.start.year}-{numbers.next(c.start.year):03d}"


def contract_row(c: Contract) -> ROW:
    """The T_Contrats row of a contract (its person and market IDs are set by then)."""
    assert c.person is not None
    return {
        "id": c.id, "participant": c.person.id, "marche": c.market.id, "employeur": c.employer.id,
        "modalite": c.modalite, "type_contrat": c.type, "poste": c.poste, "code_rome": c.rome,
        "date_debut": c.start, "date_fin": c.end, "heures_hebdo": c.hebdo,
    }


def hours_rows(rng: random.Random, contracts: list[Contract]) -> list[ROW]:
    """T_Heures: one row per contract and month, with a plausible source and a few comments."""
    rows = []
    for c in sorted(contracts, key=lambda c: c.id):
        intermediary = c.employer.type in ("ETTI", "AI", "GEIQ")
        for month in sorted(c.hours):
            worked, training = c.hours[month]
            source = "Relevé ETTI-AI-GEIQ" if intermediary else weighted(
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
