"""Target hours of markets (docs/calculs.md §1) and where each clause stands (§2).

Targets are computed in decimal arithmetic from the amounts and rates as typed, so a result
that is a whole number is never pushed to the next hour by floating-point error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any, cast

import numpy as np
import pandas as pd

from . import schema
from .classeur import Classeur
from .exclusion import NOT_GIVEN
from .values import AMOUNT, HOURS, RATE, attention

#: The modalities hours are split by: the list, then contracts whose Modalité is blank.
MODALITY_LINES = (*schema.MODALITES, NOT_GIVEN)
LATE_THRESHOLD = 0.8  # "en retard" when done < 80 % of expected to date
HOURS_PER_WEEK = 35
#: Statuses of the markets that carry obligations (docs/calculs.md §2).
ENGAGED = ("En cours", "Terminé")
#: Tables every hours figure reads (hours, contracts, markets, and who lives in a QPV).
TABLES = ("T_Marches", "T_Contrats", "T_Heures", "T_Participants", "T_QPV")


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


@dataclass(frozen=True)
class Target:
    """The hours a market's Mode de calcul gives: the pieces used, the raw result, its rounding, in words.

    A rate, share or cost typed in the market row is used as typed, 0 included (a typed 0 % gives a
    target of 0 h: the market carries no hours); only an empty cell falls back to the parameter.
    """

    mode: str
    montant_ht: Decimal | None = None
    part_main_oeuvre: Decimal | None = None
    taux_insertion: Decimal | None = None
    cout_horaire: Decimal | None = None
    montant_facture: Decimal | None = None
    euros_par_heure: Decimal | None = None
    arrondi: Decimal = Decimal(1)
    brutes: Decimal | None = None
    heures: Decimal | None = None

    @property
    def explication(self) -> str:
        """How the computed hours were obtained, in the facilitator's words (or why there are none)."""
        if self.mode == schema.MODE_HEURES_FIXEES:
            return "Heures fixées : le nombre d'heures saisi dans le marché."
        if self.heures is None:
            return "Calcul impossible : montant, taux ou coût horaire manquant (ou nul)."
        if self.mode == schema.MODE_PRORATA:
            formula = f"{AMOUNT.text(self.montant_facture)} facturés ÷ {AMOUNT.text(self.euros_par_heure)}/h"
        else:
            formula = (f"{AMOUNT.text(self.montant_ht)} × {RATE.text(self.part_main_oeuvre)} de main-d'œuvre × "
                       f"{RATE.text(self.taux_insertion)} d'insertion ÷ {AMOUNT.text(self.cout_horaire)}/h")
        assert self.brutes is not None
        rounded = "" if self.brutes == self.heures else \
            f", arrondi au multiple de {HOURS.text(self.arrondi)} supérieur : {HOURS.text(self.heures)}"
        return f"{formula} = {HOURS.text(round(self.brutes, 2))}{rounded}."


def _given(row: Mapping[str, Any], key: str, params: Mapping[str, Any], param: str) -> Decimal | None:
    """The market's value when typed (0 included), else the parameter's."""
    typed = to_decimal(row.get(key))
    return typed if typed is not None else to_decimal(params.get(param))


def target_of(row: Mapping[str, Any], params: Mapping[str, Any]) -> Target:
    """The one formula of a market's target hours (docs/calculs.md §1): pieces, raw value, rounding."""
    mode = row.get("mode_calcul") or schema.MODE_TAUX
    if isinstance(mode, float):  # NaN: an empty cell
        mode = schema.MODE_TAUX
    step = to_decimal(params["arrondi"]) or Decimal(1)
    if mode == schema.MODE_HEURES_FIXEES:
        return Target(mode, arrondi=step)
    if mode == schema.MODE_PRORATA:
        invoiced = to_decimal(row.get("montant_facture")) or Decimal(0)
        per_hour = to_decimal(row.get("euros_par_heure"))
        raw = invoiced / per_hour if per_hour else None
        return Target(mode, montant_facture=invoiced, euros_par_heure=per_hour, arrondi=step, brutes=raw,
                      heures=round_up(raw, step) if raw is not None else None)
    amount = to_decimal(row.get("montant_ht"))
    share = _given(row, "part_main_oeuvre", params, "part_main_oeuvre")
    rate = _given(row, "taux_insertion", params, "taux_insertion")
    cost = _given(row, "cout_horaire", params, "cout_horaire")
    raw = _rate_hours(amount, share, rate, cost)
    return Target(mode, montant_ht=amount, part_main_oeuvre=share, taux_insertion=rate, cout_horaire=cost,
                  arrondi=step, brutes=raw, heures=round_up(raw, step) if raw is not None else None)


def computed_target(row: Mapping[str, Any], params: Mapping[str, Any]) -> float | None:
    """The hours the market's Mode de calcul gives, or None (Heures fixées, or nothing to compute from)."""
    hours = target_of(row, params).heures
    return None if hours is None else float(hours)


def computed_targets(amounts: Iterable[Decimal], params: Mapping[str, Any]) -> list[float | None]:
    """`computed_target` of markets known by their amount only (the DECP's): the parameters read once."""
    share, rate, cost = (to_decimal(params.get(p)) for p in ("part_main_oeuvre", "taux_insertion", "cout_horaire"))
    step = to_decimal(params["arrondi"]) or Decimal(1)
    return [None if (raw := _rate_hours(amount, share, rate, cost)) is None else float(round_up(raw, step))
            for amount in amounts]


def _rate_hours(amount: Decimal | None, share: Decimal | None, rate: Decimal | None, cost: Decimal | None
                ) -> Decimal | None:
    """Amount × share of labour × insertion rate ÷ hourly cost, before rounding (None: a piece is missing)."""
    if amount is None or share is None or rate is None or not cost:
        return None
    return amount * share * rate / cost


def target_hours(markets: pd.DataFrame, params: Mapping[str, Any], explained: bool = True) -> pd.DataFrame:
    """Per market ID: `heures_calculees` (the formula's), `heures_prevues` (the target used) and,
    when `explained`, `calcul_heures` (the formula in words: French figures for every market, which
    the computations that only need the target skip).

    Where Heures prévues is typed in the market row, it is the target whatever the mode.
    """
    records = cast(list[dict[str, Any]], markets[["id", "mode_calcul", "montant_ht", "part_main_oeuvre",
                   "taux_insertion", "cout_horaire", "montant_facture", "euros_par_heure"]].to_dict("records"))
    targets = [target_of(r, params) for r in records]
    computed = [None if t.heures is None else float(t.heures) for t in targets]
    out = pd.DataFrame({"heures_calculees": np.array(computed, dtype=float)}, index=markets["id"].to_numpy())
    typed = markets["heures_prevues"].to_numpy(dtype=float)
    out["heures_prevues"] = np.where(np.isnan(typed), out["heures_calculees"], typed)
    if explained:
        out["calcul_heures"] = [t.explication for t in targets]
    out.index.name = "id"
    return out


def hours_rows(c: Classeur) -> pd.DataFrame:
    """Usable monthly rows with their contract: the table every hours figure is summed from.

    `resident_qpv` tells the rows of participants living in a QPV of `T_QPV` (what counts on an
    NPNRU market). Joined once per workbook (a verb asks for it up to three times); each caller
    gets its own shallow copy, which copy-on-write keeps apart from the others'.
    """
    if "hours_rows" not in c.derived:
        c.derived["hours_rows"] = _join_hours_rows(c)
    rows: pd.DataFrame = c.derived["hours_rows"]
    return rows.copy(deep=False)


def _join_hours_rows(c: Classeur) -> pd.DataFrame:
    h = c["T_Heures"][["contrat", "mois", "heures_travaillees", "heures_formation"]]
    contracts = c["T_Contrats"].drop_duplicates("id")[
        ["id", "marche", "participant", "employeur", "modalite", "type_contrat"]
    ]
    rows = h.merge(contracts, left_on="contrat", right_on="id", how="inner").drop(columns="id")
    rows["heures_formation"] = rows["heures_formation"].fillna(0.0)
    rows["modalite"] = rows["modalite"].fillna(NOT_GIVEN)
    rows["heures"] = rows["heures_travaillees"] + rows["heures_formation"]
    rows["resident_qpv"] = rows["participant"].isin(qpv_residents(c))
    rows["qpv_inconnu"] = rows["participant"].isin(qpv_unknown(c))
    return rows


def qpv_residents(c: Classeur) -> set[str]:
    """IDs of the participants whose QPV column holds a code of `T_QPV`."""
    people = c["T_Participants"].drop_duplicates("id")
    codes = set(c["T_QPV"]["code"].dropna())
    return set(people.loc[people["qpv"].isin(codes), "id"])


def qpv_unknown(c: Classeur) -> set[str]:
    """IDs of the participants whose QPV column holds a code that is not in `T_QPV` (`T_QPV` empty
    included): `valider` calls it `qpv-inconnu`; their hours do not count on an NPNRU market."""
    people = c["T_Participants"].drop_duplicates("id")
    codes = set(c["T_QPV"]["code"].dropna())
    typed = people["qpv"].notna() & (people["qpv"].astype(str).str.strip() != "")
    return set(people.loc[typed & ~people["qpv"].isin(codes), "id"])


def unknown_qpv_sentences(markets: pd.DataFrame) -> list[str]:
    """One sentence per NPNRU market where hours of participants with an unknown QPV code do not count
    (`heures_qpv_inconnu` of `market_progress`): the same words in every output (a document verb's
    warnings; `unknown_qpv_lines` for the « Attention » lines of heures)."""
    hit = markets[markets["heures_qpv_inconnu"].fillna(0.0) > 0]
    return [f"Marché NPNRU {m} : {HOURS.text(h)} de participants dont le code QPV n'est pas dans la "
            "feuille QPV ne comptent pas pour l'objectif, le taux, le reste et la pénalité ; complétez la feuille "
            "QPV ou corrigez le code (clausexl valider : qpv-inconnu)."
            for m, h in zip(hit["id"], hit["heures_qpv_inconnu"])]


def unknown_qpv_lines(markets: pd.DataFrame) -> list[str]:
    """The same sentences as « Attention : marché NPNRU … » lines."""
    return [attention(s) for s in unknown_qpv_sentences(markets)]


def restrict(rows: pd.DataFrame, au: dt.date, annee: int | None = None) -> pd.DataFrame:
    """Rows of year `annee` when given, else every month up to the reference date."""
    keep = rows["mois"].dt.year == annee if annee is not None else rows["mois"] <= pd.Timestamp(au)
    return rows.loc[keep]


def reference_date(au: dt.date, annee: int | None = None) -> dt.date:
    """Where a clause stands: at `au`, or at the end of year `annee` when that comes first."""
    return au if annee is None else min(au, dt.date(annee, 12, 31))


def elapsed_share(start: pd.Series, end: pd.Series, au: dt.date) -> pd.Series:
    """Share of [start, end] elapsed at `au`, between 0 and 1 (pro rata temporis); 0 before the start."""
    ref = pd.Timestamp(au)
    span = (end - start).dt.days.astype(float)
    done = (ref - start).dt.days.astype(float)
    share = np.where(span > 0, done / span.where(span > 0, 1.0), np.where(done >= 0, 1.0, 0.0))
    return pd.Series(np.clip(np.nan_to_num(share, nan=0.0), 0.0, 1.0), index=start.index)


def engaged(statut: pd.Series) -> pd.Series:
    """Markets that carry obligations: En cours or Terminé (not En préparation, not Abandonné)."""
    return statut.isin(ENGAGED)


def market_progress(c: Classeur, au: dt.date, annee: int | None = None) -> pd.DataFrame:
    """One row per usable market: target, hours done (by kind and modality), rate, remaining,
    expected to date, late flag and the penalty that would apply at the end.

    Hours done are those of the scope (year `annee`, else every month up to `au`). Where the clause
    stands (hours that count, rate, remaining, expected, late, penalty) is taken at the reference
    date: `au`, or the end of `annee` when earlier. On an NPNRU market the hours that count are the
    QPV residents'; all hours stay beside, and `heures_qpv_inconnu` says how many of the hours that do
    not count are those of participants whose QPV code is not in `T_QPV` (0 off NPNRU). Only engaged
    markets (En cours, Terminé) that have started carry a penalty, and only running ones can be late.
    """
    ref = reference_date(au, annee)
    markets = c["T_Marches"].drop_duplicates("id")
    targets = target_hours(markets, c.params)
    all_rows = hours_rows(c)
    rows = restrict(all_rows, ref, annee)
    done = rows.groupby("marche")[["heures", "heures_travaillees", "heures_formation"]].sum()
    qpv_done = rows[rows["resident_qpv"]].groupby("marche")["heures"].sum()
    to_date = all_rows[all_rows["mois"] <= pd.Timestamp(ref)]
    cumulated = to_date.groupby("marche")["heures"].sum()
    qpv_cumulated = to_date[to_date["resident_qpv"]].groupby("marche")["heures"].sum()
    unknown_cumulated = to_date[to_date["qpv_inconnu"]].groupby("marche")["heures"].sum()
    by_modality = rows.pivot_table(index="marche", columns="modalite", values="heures", aggfunc="sum",
                                   fill_value=0.0, observed=True)
    out = markets[["id", "donneur_ordre", "attributaire", "objet", "lot", "type_marche", "dispositif",
                   "statut", "date_debut", "date_fin", "npnru"]].set_index("id")
    out = out.join(targets)
    out = out.join(done.rename(columns={"heures": "heures_realisees"}))
    for col in ("heures_realisees", "heures_travaillees", "heures_formation"):
        out[col] = out[col].fillna(0.0)
    for modality in MODALITY_LINES:
        out[f"heures_{modality}"] = by_modality[modality].reindex(out.index).fillna(0.0) \
            if modality in by_modality.columns else 0.0
    out["heures_residents_qpv"] = qpv_done.reindex(out.index).fillna(0.0)
    npnru = out["npnru"].fillna(False).astype(bool)
    out["heures_cumulees"] = cumulated.reindex(out.index).fillna(0.0)
    out["heures_comptees"] = out["heures_cumulees"].where(~npnru, qpv_cumulated.reindex(out.index).fillna(0.0))
    out["heures_qpv_inconnu"] = unknown_cumulated.reindex(out.index).fillna(0.0).where(npnru, 0.0)
    target = out["heures_prevues"]
    counted = out["heures_comptees"]
    out["taux"] = np.where(target > 0, counted / target.where(target > 0, 1.0), np.nan)
    out["reste"] = (target - counted).clip(lower=0)
    out["engage"] = engaged(out["statut"])
    started = out["date_debut"].isna() | (out["date_debut"] <= pd.Timestamp(ref))
    out["attendu_a_date"] = (target * elapsed_share(out["date_debut"], out["date_fin"], ref)).where(out["engage"], 0.0)
    running = out["statut"] == "En cours"
    out["en_retard"] = running & (counted < LATE_THRESHOLD * out["attendu_a_date"])
    penalty_rate = markets.set_index("id")["penalite"].fillna(c.params["penalite"])
    out["penalite"] = (out["reste"] * penalty_rate.reindex(out.index)).where(out["engage"] & started, 0.0)
    return out.reset_index()
