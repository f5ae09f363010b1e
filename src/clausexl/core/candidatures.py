"""Proposals of candidates (T_Candidatures): where each stands, and the figures others print.

The offer letters print the number of candidates proposed; the year's bilan prints a small
funnel (proposed, interviewed, hired per offer). Both are aggregates: no participant in them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import schema
from .classeur import ROW, Classeur

PROPOSE, ENTRETIEN, RETENU, NON_RETENU, DESISTE = schema.RESULTATS_CANDIDATURE
#: Results that mean the person met the company.
INTERVIEWED = (ENTRETIEN, RETENU)
#: Results of a proposal still waiting for an answer.
PENDING = (PROPOSE, ENTRETIEN)


def latest_results(c: Classeur) -> pd.DataFrame:
    """One row per (offre, participant): the latest by date, then by row (a row per step or one updated)."""
    k = c.usable("T_Candidatures").sort_values(["date", ROW])
    return k.drop_duplicates(["offre", "participant"], keep="last")


def proposed_per_offer(c: Classeur) -> dict[str, int]:
    """Offer ID → number of distinct people proposed for it (any result): the figure of the offer letters."""
    k = c.usable("T_Candidatures")
    return {str(o): int(n) for o, n in k.groupby("offre")["participant"].nunique().items()}


def candidatures_funnel(c: Classeur, annee: int) -> dict[str, Any]:
    """Proposals dated in `annee`: rows counted by Résultat (docs/calculs.md §3), and a funnel per offer.

    Returns the five Résultat keys (0 when absent) and `par_offre`: one item per offer with
    `offre, poste, entreprise, proposes, entretiens, retenus` (distinct people; "entretiens"
    counts those whose result reached Entretien or Retenu), sorted by offer ID.
    """
    k = c.usable("T_Candidatures")
    k = k[k["date"].dt.year == annee]
    counts = k["resultat"].value_counts()
    out: dict[str, Any] = {r: int(counts.get(r, 0)) for r in schema.RESULTATS_CANDIDATURE}
    per = pd.DataFrame({
        "proposes": k.groupby("offre")["participant"].nunique(),
        "entretiens": k[k["resultat"].isin(INTERVIEWED)].groupby("offre")["participant"].nunique(),
        "retenus": k[k["resultat"] == RETENU].groupby("offre")["participant"].nunique(),
    }).fillna(0).astype(int).sort_index()
    offers = c["T_Offres"].drop_duplicates("id").set_index("id") if "T_Offres" in c.tables else None
    out["par_offre"] = [
        {"offre": str(offre),
         "poste": _get(offers, offre, "poste"),
         "entreprise": _get(offers, offre, "entreprise"),
         "proposes": int(row.proposes), "entretiens": int(row.entretiens), "retenus": int(row.retenus)}
        for offre, row in per.iterrows()
    ]
    return out


def _get(frame: pd.DataFrame | None, key: str, column: str) -> Any:
    if frame is None or key not in frame.index:
        return None
    return frame.at[key, column]
