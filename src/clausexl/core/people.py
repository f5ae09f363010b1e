"""Ages as docs/calculs.md defines them, vectorised."""

from __future__ import annotations

import pandas as pd


def age_at(birth: pd.Series, when: pd.Series) -> pd.Series:
    """Whole years between the dates: minus one if the (month, day) of `when` comes before the birthday's.

    A 29 February birthday is therefore reached on 1 March in common years.
    """
    birth = pd.to_datetime(birth)
    when = pd.to_datetime(when)
    years = when.dt.year - birth.dt.year
    before = (when.dt.month < birth.dt.month) | ((when.dt.month == birth.dt.month) & (when.dt.day < birth.dt.day))
    return (years - before.astype("Int64")).astype("Float64").astype(float)
