"""Every data table of the demo workbook, generated in one seeded pass."""

from __future__ import annotations

import random

from .activity import build_contracts, contract_row, hours_rows, number_contracts
from .calibration import calibrate_hours, ensure_intermediaries_in_2018
from .companies import Companies, add_intermediaries
from .follow_up import suivi_rows
from .market_rows import market_row
from .markets import build_markets, plan_rates
from .offers import offer_rows
from .participants import participant_rows
from .partners import partner_rows
from .people import assign_people
from .pool import pool_rows
from .records import ROW, YearlyNumbers
from .territory import COMMUNES, QPVS, buyer_rows


def demo_rows(seed: int = 2018) -> dict[str, list[ROW]]:
    """Every data table of the demo workbook, as rows keyed by the schema's column keys."""
    rng = random.Random(seed)
    companies = Companies(rng)
    intermediaries = add_intermediaries(companies)
    markets = build_markets(rng, companies)
    plan_rates(rng, markets)
    contracts = build_contracts(rng, markets, intermediaries)
    ensure_intermediaries_in_2018(contracts, intermediaries)
    people = assign_people(rng, contracts)
    calibrate_hours(rng, contracts)

    buyers = buyer_rows(rng)
    sirets = {r["id"]: r["siret"] for r in buyers}
    numbers = YearlyNumbers()
    done = {id(m): 0.0 for m in markets}
    for c in contracts:
        done[id(c.market)] += c.total_hours
    market_rows = [market_row(rng, m, done[id(m)], sirets, numbers)
                   for m in sorted(markets, key=lambda m: (m.start, m.plan))]

    number_contracts(contracts)
    participants = participant_rows(rng, people)
    pool = pool_rows(rng, len(people))
    offers, candidatures = offer_rows(rng, contracts, people, pool)
    return {
        "T_DonneursOrdre": buyers,
        "T_Marches": market_rows,
        "T_Entreprises": [c.row for c in companies.all],
        "T_Participants": participants + pool,
        "T_Contrats": [contract_row(c) for c in sorted(contracts, key=lambda c: c.id)],
        "T_Heures": hours_rows(rng, contracts),
        "T_Suivi": suivi_rows(rng, people),
        "T_Offres": offers,
        "T_Candidatures": candidatures,
        "T_Partenaires": partner_rows(rng, intermediaries),
        "T_QPV": [{"code": code, "nom": nom, "commune": commune, "valide_du": du, "valide_au": au}
                  for code, nom, commune, du, au in QPVS],
        "T_Territoire": [{"commune": c, "code_postal": cp} for c, cp in COMMUNES],
    }
