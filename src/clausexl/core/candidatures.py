"""Proposals of candidates (T_Candidatures): where each person stands on each offer.

`rapprocher` (core/matching.py) reads it to say who is already proposed or hired; the year's bilan
counts the proposals of the year by Résultat in core/indicators.py.
"""

from __future__ import annotations

import pandas as pd

from . import schema
from .classeur import ROW, Classeur

PROPOSE, ENTRETIEN, RETENU = schema.RESULTATS_CANDIDATURE[:3]
#: Results of a proposal still waiting for an answer.
PENDING = (PROPOSE, ENTRETIEN)


def latest_results(c: Classeur) -> pd.DataFrame:
    """One row per (offre, participant): the latest by date, then by row (a row per step or one updated)."""
    k = c["T_Candidatures"].sort_values(["date", ROW])
    return k.drop_duplicates(["offre", "participant"], keep="last")
