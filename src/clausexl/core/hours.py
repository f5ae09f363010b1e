"""Target hours of markets (docs/calculs.md §1) and where each clause stands (§2).

Targets are computed in decimal arithmetic from the amounts and rates as typed, so a result
that is a whole number is never pushed to the next hour by floating-point error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .classeur import Classeur

LATE_THRESHOLD = 0.8  # "en retard" when done < 80 % of expected to date
HOURS_PER_WEEK = 35


def to_decimal(value: Any) -> Decimal | None:
    """A typed cell as Decimal, through its shortest text (0.05 → Decimal('0.05'))."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(repr(float(value))) if not isinstance(value, Decimal) else value


def round_up(hours: Decimal, step: Decimal) -> Decimal:
    """Up to the next multiple of `step` (Arrondi des heures)."""
    if step <= 0:
        return hours
    return (hours / step).to_integral_value(rounding=ROUND_CEILING) * step


def computed_target(row: Mapping[str, Any], params: Mapping[str, Any]) -> float | None:
    """The hours the market's Mode de calcul gives, or None (Heures fixées, or nothing to compute from)."""
    mode = row.get("mode_calcul") or schema.MODE_TAUX
    step = to_decimal(params["arrondi"]) or Decimal(1)
    if mode == schema.MODE_HEURES_FIXEES:
        return None
    if mode == schema.MODE_PRORATA:
        invoiced = to_decimal(row.get("montant_facture")) or Decimal(0)
        per_hour = to_decimal(row.get("euros_par_heure"))
        if not per_hour:
            return None
        return float(round_up(invoiced / per_hour, step))
    amount = to_decimal(row.get("montant_ht"))
    share = to_decimal(row.get("part_main_oeuvre")) or to_decimal(params["part_main_oeuvre"])
    rate = to_decimal(row.get("taux_insertion")) or to_decimal(params["taux_insertion"])
    cost = to_decimal(row.get("cout_horaire")) or to_decimal(params["cout_horaire"])
    if amount is None or share is None or rate is None or not cost:
        return None
    return float(round_up(amount * share * rate / cost, step))


def target_hours(markets: pd.DataFrame, params: Mapping[str, Any]) -> pd.DataFrame:
    """Per market ID: `heures_calculees` (the formula's) and `heures_prevues` (the target used).

    Where Heures prévues is typed in the market row, it is the target whatever the mode.
    """
    records = markets[["id", "mode_calcul", "montant_ht", "part_main_oeuvre", "taux_insertion",
                       "cout_horaire", "montant_facture", "euros_par_heure"]].to_dict("records")
    computed = [computed_target(r, params) for r in records]
    out = pd.DataFrame({"heures_calculees": np.array(computed, dtype=float)}, index=markets["id"].to_numpy())
    typed = markets["heures_prevues"].to_numpy(dtype=float)
    out["heures_prevues"] = np.where(np.isnan(typed), out["heures_calculees"], typed)
    out.index.name = "id"
    return out


def hours_rows(c: Classeur) -> pd.DataFrame:
    """Usable monthly rows with their contract: the table every hours figure is summed from."""
    h = c.usable("T_Heures")[["contrat", "mois", "heures_travaillees", "heures_formation"]]
    contracts = c.usable("T_Contrats").drop_duplicates("id")[
        ["id", "marche", "participant", "employeur", "modalite", "type_contrat"]
    ]
    rows = h.merge(contracts, left_on="contrat", right_on="id", how="inner").drop(columns="id")
    rows["heures_formation"] = rows["heures_formation"].fillna(0.0)
    rows["heures"] = rows["heures_travaillees"] + rows["heures_formation"]
    return rows


def restrict(rows: pd.DataFrame, au: dt.date, annee: int | None = None) -> pd.DataFrame:
    """Rows of year `annee` when given, else every month up to the reference date."""
    if annee is not None:
        return rows[rows["mois"].dt.year == annee]
    return rows[rows["mois"] <= pd.Timestamp(au)]


def elapsed_share(start: pd.Series, end: pd.Series, au: dt.date) -> pd.Series:
    """Share of [start, end] elapsed at `au`, between 0 and 1 (pro rata temporis)."""
    ref = pd.Timestamp(au)
    span = (end - start).dt.days.astype(float)
    done = (ref - start).dt.days.astype(float)
    share = np.where(span > 0, done / span.where(span > 0, 1.0), np.where(done >= 0, 1.0, 0.0))
    return pd.Series(np.clip(share, 0.0, 1.0), index=start.index)


def market_progress(c: Classeur, au: dt.date, annee: int | None = None) -> pd.DataFrame:
    """One row per usable market: target, hours done (by kind and modality), rate, remaining,
    expected to date, late flag and the penalty that would apply at the end."""
    markets = c.usable("T_Marches").drop_duplicates("id")
    targets = target_hours(markets, c.params)
    rows = restrict(hours_rows(c), au, annee)
    done = rows.groupby("marche")[["heures", "heures_travaillees", "heures_formation"]].sum()
    by_modality = rows.pivot_table(index="marche", columns="modalite", values="heures", aggfunc="sum",
                                   fill_value=0.0, observed=True)
    out = markets[["id", "donneur_ordre", "attributaire", "objet", "lot", "type_marche", "dispositif",
                   "statut", "date_debut", "date_fin", "npnru"]].set_index("id")
    out = out.join(targets)
    out = out.join(done.rename(columns={"heures": "heures_realisees"}))
    for col in ("heures_realisees", "heures_travaillees", "heures_formation"):
        out[col] = out[col].fillna(0.0)
    for modality in schema.MODALITES:
        out[f"heures_{modality}"] = by_modality[modality].reindex(out.index).fillna(0.0) \
            if modality in by_modality.columns else 0.0
    target = out["heures_prevues"]
    out["taux"] = np.where(target > 0, out["heures_realisees"] / target.where(target > 0, 1.0), np.nan)
    out["reste"] = (target - out["heures_realisees"]).clip(lower=0)
    out["attendu_a_date"] = target * elapsed_share(out["date_debut"], out["date_fin"], au)
    running = out["statut"] == "En cours"
    out["en_retard"] = running & (out["heures_realisees"] < LATE_THRESHOLD * out["attendu_a_date"])
    penalty_rate = markets.set_index("id")["penalite"].fillna(c.params["penalite"])
    out["penalite"] = out["reste"] * penalty_rate.reindex(out.index)
    out = out.reset_index()
    return out
