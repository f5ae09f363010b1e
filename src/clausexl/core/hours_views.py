"""Hours seen from each side (docs/calculs.md §2): company, employer, participant, buyer, month.

Every view sums the same rows as `hours.market_progress`, so their totals agree with the
markets' view for the same reference date or year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .classeur import Classeur
from .hours import MODALITY_LINES, elapsed_share, hours_rows, market_progress, restrict

HOUR_COLUMNS = ["heures", "heures_travaillees", "heures_formation"]


@dataclass(frozen=True)
class HoursViews:
    """Every view of the hours at one reference date (and year, when asked)."""

    au: dt.date
    annee: int | None
    marches: pd.DataFrame
    entreprises: pd.DataFrame
    employeurs: pd.DataFrame
    participants: pd.DataFrame
    donneurs_ordre: pd.DataFrame
    mois: pd.DataFrame
    #: view name (`marches`, `entreprises`…) → its total rows, with the view's columns (`view_totals`)
    totaux: Mapping[str, pd.DataFrame] = field(default_factory=dict)


def hours_views(c: Classeur, au: dt.date, annee: int | None = None) -> HoursViews:
    """Markets sorted late first, then the views by company, employer, participant, buyer and month."""
    markets = with_party_names(sort_late_first(market_progress(c, au, annee)), c)
    rows = restrict(hours_rows(c), au, annee)
    views = HoursViews(
        au, annee, markets,
        by_awardee(markets, c), by_employer(rows, c), by_participant(rows), by_buyer(markets, c), by_month(rows),
    )
    return replace(views, totaux=view_totals(views, rows))


def with_party_names(markets: pd.DataFrame, c: Classeur) -> pd.DataFrame:
    """The buyer's and the awardee's names beside their IDs (`donneur_ordre_nom`, `attributaire_nom`)."""
    buyers = _names(c, "T_DonneursOrdre", "nom")
    companies = _names(c, "T_Entreprises", "raison_sociale")
    return markets.assign(donneur_ordre_nom=markets["donneur_ordre"].map(buyers),
                          attributaire_nom=markets["attributaire"].map(companies))


def sort_late_first(markets: pd.DataFrame) -> pd.DataFrame:
    """Late markets first, then by lowest rate, then by ID, markets without obligation last."""
    key = markets.assign(_late=~markets["en_retard"], _idle=~markets["engage"], _rate=markets["taux"].fillna(np.inf))
    return markets.loc[key.sort_values(["_idle", "_late", "_rate", "id"]).index].reset_index(drop=True)


POOLED = ("heures_prevues", "heures_realisees", "heures_travaillees", "heures_formation", "heures_residents_qpv",
          "heures_comptees", "reste", "attendu_a_date", "penalite")


def _progress_totals(markets: pd.DataFrame, by: str) -> pd.DataFrame:
    """Targets, hours, remaining, expected and penalties of the engaged markets summed per `by`.

    Markets En préparation or Abandonné are counted apart (`marches_hors_obligation`, their hours in
    `heures_hors_obligation`). Each market's hours count up to its target in the pooled rate, so a
    rate of 100 % means nothing remains (the rate is hours that count, capped, over targets).
    """
    m = markets.assign(
        _capped=np.minimum(markets["heures_comptees"], markets["heures_prevues"].fillna(0.0)),
        _idle=~markets["engage"],
        _idle_hours=markets["heures_realisees"].where(~markets["engage"], 0.0),
    )
    for col in (*POOLED, "_capped"):
        m[col] = m[col].where(m["engage"], 0.0)
    grouped = m.groupby(by, dropna=True)
    out = grouped.agg(
        marches=("engage", "sum"),
        marches_en_retard=("en_retard", "sum"),
        **{col: (col, "sum") for col in POOLED},
        _capped=("_capped", "sum"),
        marches_hors_obligation=("_idle", "sum"),
        heures_hors_obligation=("_idle_hours", "sum"),
    )
    target = out["heures_prevues"]
    out["taux"] = np.where(target > 0, out["_capped"] / target.where(target > 0, 1.0), np.nan)
    for col in ("marches", "marches_en_retard", "marches_hors_obligation"):
        out[col] = out[col].astype(int)
    out.index.name = "id"
    return out.drop(columns="_capped").reset_index()


def by_awardee(markets: pd.DataFrame, c: Classeur) -> pd.DataFrame:
    """Hours of the markets each company is the Attributaire of (its clause obligation)."""
    out = _progress_totals(markets, "attributaire")
    out = _with_names(out, c, "T_Entreprises", "raison_sociale")
    return out.sort_values(["marches_en_retard", "id"], ascending=[False, True]).reset_index(drop=True)


def by_buyer(markets: pd.DataFrame, c: Classeur) -> pd.DataFrame:
    """Hours owed and done on each Donneur d'ordre's markets."""
    out = _progress_totals(markets, "donneur_ordre")
    out = _with_names(out, c, "T_DonneursOrdre", "nom")
    return out.sort_values(["marches_en_retard", "id"], ascending=[False, True]).reset_index(drop=True)


#: What a group of hours rows adds up to, first columns of the employers' and the participants' views.
_HOURS_AND_CONTRACTS = {
    "heures": ("heures", "sum"),
    "heures_travaillees": ("heures_travaillees", "sum"),
    "heures_formation": ("heures_formation", "sum"),
    "contrats": ("contrat", "nunique"),
}


def by_employer(rows: pd.DataFrame, c: Classeur) -> pd.DataFrame:
    """What each employer (ETTI, AI, GEIQ or the company itself) placed: hours, contracts, people."""
    out = rows.groupby("employeur").agg(
        **_HOURS_AND_CONTRACTS,
        participants=("participant", "nunique"),
        marches=("marche", "nunique"),
    )
    out.index.name = "id"
    out = _with_names(out.reset_index(), c, "T_Entreprises", "raison_sociale")
    return out.sort_values("id").reset_index(drop=True)


def by_participant(rows: pd.DataFrame) -> pd.DataFrame:
    """Hours of each participant (IDs only: names stay in the workbook)."""
    out = rows.groupby("participant").agg(
        **_HOURS_AND_CONTRACTS,
        marches=("marche", "nunique"),
        premier_mois=("mois", "min"),
        dernier_mois=("mois", "max"),
    )
    out.index.name = "id"
    return out.reset_index().sort_values("id").reset_index(drop=True)


def by_month(rows: pd.DataFrame) -> pd.DataFrame:
    """Hours per calendar month, each month that has rows, in order; `mois` as "AAAA-MM"."""
    if rows.empty:
        return pd.DataFrame(columns=["mois", *HOUR_COLUMNS, *(f"heures_{m}" for m in MODALITY_LINES)])
    out = rows.groupby("mois")[HOUR_COLUMNS].sum().sort_index()
    by_modality = rows.pivot_table(index="mois", columns="modalite", values="heures", aggfunc="sum",
                                   fill_value=0.0, observed=True)
    for modality in MODALITY_LINES:
        out[f"heures_{modality}"] = (by_modality[modality].reindex(out.index).fillna(0.0)
                                     if modality in by_modality.columns else 0.0)
    out.index = pd.DatetimeIndex(out.index).strftime("%Y-%m")
    out.index.name = "mois"
    return out.reset_index()


def _with_names(frame: pd.DataFrame, c: Classeur, table: str, column: str) -> pd.DataFrame:
    """Add the display name (`nom`) of each ID when the table was read."""
    return frame.assign(nom=frame["id"].map(_names(c, table, column)))


def _names(c: Classeur, table: str, column: str) -> pd.Series:
    """ID → display name from `table` (empty when the table was not read)."""
    if table not in c.tables:
        return pd.Series(dtype=object)
    return c[table].drop_duplicates("id").set_index("id")[column]


# --- total rows ------------------------------------------------------------------------------------

TOTAL = "Total"
ENGAGED_TOTAL = "Total avec obligation"
IDLE_TOTAL = "Total sans obligation"
#: Columns of the markets' view that add up (hours, remaining, expected, penalty).
MARKET_SUMS = ("heures_prevues", "heures_calculees", "heures_realisees", "heures_travaillees", "heures_formation",
               *(f"heures_{m}" for m in MODALITY_LINES), "heures_residents_qpv", "heures_comptees", "reste",
               "attendu_a_date", "penalite")
PROGRESS_SUMS = ("marches", "marches_en_retard", *POOLED, "marches_hors_obligation", "heures_hors_obligation")


def view_totals(v: HoursViews, rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The total rows of every view: each the sum of the rows shown above it.

    Markets: one total over the markets with obligation (its rate pooled as a company's is: each
    market's hours counted up to its target), then one over the others, whose hours only are summed.
    Companies and buyers: sums, and the pooled rate. Employers and participants: hours summed;
    people, contracts and markets counted once each (a person may work for two employers).
    """
    m = v.marches
    engaged_rows = m[m["engage"]]
    capped = np.minimum(engaged_rows["heures_comptees"], engaged_rows["heures_prevues"].fillna(0.0)).sum()
    markets = [_total(engaged_rows, MARKET_SUMS, ENGAGED_TOTAL, engage=True,
                      en_retard=int(engaged_rows["en_retard"].sum()),
                      taux=_rate(capped, engaged_rows["heures_prevues"].sum()))]
    idle = m[~m["engage"]]
    if len(idle):
        done_only = [k for k in MARKET_SUMS if k not in ("reste", "attendu_a_date", "penalite")]
        markets.append(_total(idle, done_only, IDLE_TOTAL, engage=False))
    employed = rows[rows["employeur"].notna()]
    return {
        "marches": pd.DataFrame(markets),
        "entreprises": _progress_total(v.entreprises),
        "donneurs_ordre": _progress_total(v.donneurs_ordre),
        "employeurs": pd.DataFrame([_total(v.employeurs, HOUR_COLUMNS, TOTAL, contrats=employed["contrat"].nunique(),
                                           participants=employed["participant"].nunique(),
                                           marches=employed["marche"].nunique())]),
        "participants": pd.DataFrame([_total(v.participants, HOUR_COLUMNS, TOTAL, contrats=rows["contrat"].nunique(),
                                             marches=rows["marche"].nunique(), premier_mois=rows["mois"].min(),
                                             dernier_mois=rows["mois"].max())]),
        "mois": pd.DataFrame([_total(v.mois, [c for c in v.mois.columns if c != "mois"], TOTAL, key="mois")]),
    }


def _progress_total(view: pd.DataFrame) -> pd.DataFrame:
    """Sums of a company or buyer view, with the pooled rate (rate × target summed over target)."""
    capped = (view["taux"].fillna(0.0) * view["heures_prevues"].fillna(0.0)).sum()
    return pd.DataFrame([_total(view, PROGRESS_SUMS, TOTAL, taux=_rate(capped, view["heures_prevues"].sum()))])


def _total(frame: pd.DataFrame, sums: Sequence[str], label: str, key: str = "id",
           **values: object) -> dict[str, object]:
    """A record with the view's columns: `label` under `key`, `sums` summed, `values` as given, else empty."""
    out: dict[str, object] = dict.fromkeys(frame.columns)
    out.update({col: _scalar(frame[col].fillna(0).sum()) for col in sums})
    out.update(values)
    out[key] = label
    return out


def _scalar(value: object) -> object:
    """A numpy number as the Python int or float it holds (a count stays a whole number)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _rate(done: float, target: float) -> float:
    return float(done / target) if target and target > 0 else float("nan")


def market_curve(c: Classeur, market: pd.Series, au: dt.date) -> pd.DataFrame:
    """One market month by month up to `au`: hours that count, their running total, and the hours expected.

    `market` is a row of `market_progress` (id, heures_prevues, date_debut, date_fin, npnru, engage).
    The hours that count are the market's, or on an NPNRU market its QPV residents' (as the rate and
    the late flag count them). The months run from the market's start (or its first hours, if
    earlier) to `au` or the market's end. Expected hours are the target pro rata temporis at the end
    of each month (at `au` for the last one), none on a market not engaged: the formula of
    `attendu_a_date`, so the last point is the dashboard's figure.
    """
    rows = restrict(hours_rows(c), au)
    rows = rows[rows["marche"] == market["id"]]
    if bool(market.get("npnru")) and not pd.isna(market.get("npnru")):
        rows = rows[rows["resident_qpv"]]
    monthly = rows.groupby("mois")["heures"].sum()
    start, end, ref = market["date_debut"], market["date_fin"], pd.Timestamp(au)
    first = min([d for d in (start, monthly.index.min() if len(monthly) else None) if d is not None and not pd.isna(d)],
                default=None)
    last = min(ref, end) if not pd.isna(end) else ref
    if first is None or first > last:
        return pd.DataFrame(columns=["mois", "heures", "heures_cumulees", "heures_attendues"])
    months = pd.date_range(first.to_period("M").to_timestamp(), last.to_period("M").to_timestamp(), freq="MS")
    done = monthly.reindex(months, fill_value=0.0)
    points = [min(m + pd.offsets.MonthEnd(0), ref) for m in months]
    share = [float(elapsed_share(pd.Series([start]), pd.Series([end]), p.date()).iloc[0]) for p in points]
    target = float(market["heures_prevues"] or 0.0) if bool(market.get("engage", True)) else 0.0
    return pd.DataFrame({
        "mois": months, "heures": done.to_numpy(), "heures_cumulees": done.cumsum().to_numpy(),
        "heures_attendues": target * np.array(share),
    })
