"""The contracts a month's statement covers, and those still lacking their hours: one rule.

The statement forms (`releves`), the letters (`courriers`: statement and reminder) and the
to-do list (`echeances`: missing statement, reminder to send) all ask the same two questions,
so they answer them here: which contracts ran in the month on a market that carries
obligations, and which of them have no row in `T_Heures` for that month.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .classeur import Classeur
from .hours import ENGAGED


def month_bounds(month: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of `month`."""
    first = pd.Timestamp(month.year, month.month, 1)
    return first, first + pd.offsets.MonthEnd(0)


def contracts_in_month(c: Classeur, month: dt.date) -> pd.DataFrame:
    """Contracts running in `month` on markets En cours or Terminé, with the market's object, awardee and
    buyer, and the person's name. `c` is screened (`exclusion.screen`): rows in error are not in it."""
    start, end = month_bounds(month)
    k = c["T_Contrats"].drop_duplicates("id")
    k = k[(k["date_debut"] <= end) & (k["date_fin"].isna() | (k["date_fin"] >= start))]
    m = c["T_Marches"].drop_duplicates("id")
    m = m[m["statut"].isin(ENGAGED)]
    m = m[["id", "objet", "attributaire", "donneur_ordre"]].rename(columns={"id": "marche"})
    k = k.merge(m, on="marche", how="inner")
    people = c["T_Participants"].drop_duplicates("id")[["id", "nom", "prenom"]]
    return k.merge(people.rename(columns={"id": "participant"}), on="participant", how="inner")


def contracts_with_month(c: Classeur, month: dt.date) -> set[str]:
    """Contracts that have a `T_Heures` row for `month`: received, even when valider finds an error in it."""
    h = c["T_Heures"]
    return set(h.loc[h["mois"] == month_bounds(month)[0], "contrat"].dropna())


def contracts_without_month(c: Classeur, month: dt.date) -> pd.DataFrame:
    """The contracts of `contracts_in_month` with no `T_Heures` row for `month`: their statement is missing.

    A reminder goes wherever a contract lacks its month, even when other contracts of the market
    have theirs.
    """
    k = contracts_in_month(c, month)
    return k[~k["id"].isin(contracts_with_month(c, month))]
