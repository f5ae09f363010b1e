"""The candidate pool: people spotted or referred, with no contract yet."""

from __future__ import annotations

import random
from datetime import date, timedelta

from clausexl.core import schema as S

from .chance import random_date, weighted
from .dates import REF_DATE
from .names import full_name
from .participants import (
    age_in_band,
    birth_date,
    criteria_cells,
    identity,
    prescripteur,
)
from .records import ROW

POOL_SIZE = 25


POOL_METIERS = ("F1703;F1702", "F1703;F1704", "F1606", "F1606;F1604", "K2204;K2303", "A1203",
                "F1702;F1705", "N1103;N4101", "G1602;G1603", "F1603;F1602", "K2204", "I1203")


def pool_rows(rng: random.Random, start: int) -> list[ROW]:
    """The candidate pool: people Repéré or Orienté, with no contract yet."""
    rows = []
    for i in range(1, POOL_SIZE + 1):
        band = weighted(rng, {"young": 30, "middle": 55, "senior": 15})
        age = age_in_band(rng, band, oldest_senior=60)
        row = identity(rng, birth_date(rng, REF_DATE, age), age)
        rsa = band != "young" and rng.random() < 0.45
        crit = {
            "deld": rng.random() < 0.5, "rsa": rsa, "ass": False, "aah": False,
            "rqth": rng.random() < 0.08, "jeune_26": age < 26, "senior_50": age >= 50,
            "salarie_siae": rng.random() < 0.1, "resident_qpv": row["qpv"] is not None,
        }
        if not any(crit.values()):
            crit["deld"] = True
        eligibility = random_date(rng, date(2018, 6, 1), date(2019, 12, 15))
        row.update(criteria_cells(crit))
        row.update({
            "id": f"P{start + i:04d}",
            "niveau_qualification": weighted(rng, {S.SANS_QUALIFICATION: 30, "3 (CAP, BEP)": 45,
                                                   "4 (Bac)": 20, "5 (Bac+2)": 5}),
            "prescripteur": prescripteur(rng, band, rsa, crit["rqth"], False),
            "referent": full_name(rng),
            "date_eligibilite": eligibility,
            "date_rgpd": eligibility + timedelta(days=rng.randint(0, 10)),
            "statut": rng.choice(("Repéré", "Orienté", "Orienté")),
            "metiers": rng.choice(POOL_METIERS),
            "disponible_le": random_date(rng, date(2019, 12, 2), date(2020, 2, 17)),
        })
        if row["date_rgpd"] > REF_DATE:
            row["date_rgpd"] = REF_DATE
        rows.append(row)
    return rows
