"""Personal data (RGPD): who may be anonymised, and what their anonymised row holds.

A participant's follow-up ends `Durée de suivi après contrat (mois)` after the end of their last
contract; once `Conservation des données (années)` have passed since, their name, address and
exact birth date may go. IDs stay, so hours and every indicator are unchanged (docs/calculs.md §3
computes ages at the first contract: the new birth date keeps that age).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .classeur import ROW, Classeur
from .people import age_at
from .validation import id_key

ANONYME = "Anonyme"
_PARTICIPANTS = schema.table("T_Participants")
#: What anonymiser changes, as the schema marks it (schema.Personal): names become ANONYME,
#: the birth date keeps its year, the ERASED columns of the participant's rows are emptied.
RENAMED = schema.personal_columns(_PARTICIPANTS, schema.Personal.PSEUDONYM)
BIRTH = schema.personal_columns(_PARTICIPANTS, schema.Personal.BIRTH_YEAR)[0]
TABLES = tuple(t.name for t in schema.TABLES if schema.belongs_to_participant(t))
EMPTIED = {name: keys for name in TABLES
           if (keys := schema.personal_columns(schema.table(name), schema.Personal.ERASED))}


@dataclass(frozen=True)
class Anonymisation:
    """What to change in the workbook: participants' rows and the new birth dates, linked rows."""

    participants: pd.DataFrame  # id, _ligne, fin_suivi, date_naissance (new)
    linked_rows: dict[str, list[int]]  # a table of EMPTIED → Excel rows of the participants' (to empty)

    @property
    def ids(self) -> list[str]:
        return list(self.participants["id"])


def follow_up_end(c: Classeur) -> pd.Series:
    """End of follow-up per participant ID: last contract end + follow-up months.

    A participant with a running contract (no Date de fin) has no end (NaT). Someone who never had a
    contract (the pool) ends at their last dated event: eligibility, proposal or follow-up row.
    """
    p = c["T_Participants"]
    contracts = c["T_Contrats"]
    months = int(c.params.get("duree_suivi") or 0)
    by_person = contracts.dropna(subset=["participant"]).groupby("participant")
    last_end = by_person["date_fin"].max()
    running = by_person["date_fin"].apply(lambda s: s.isna().any())
    end = (last_end + pd.DateOffset(months=months)).where(~running.reindex(last_end.index, fill_value=False))
    events = [p.set_index("id")["date_eligibilite"]]
    for name in ("T_Suivi", "T_Candidatures"):
        if name in c.tables:
            events.append(c[name].groupby("participant")["date"].max())
    last_event = pd.concat(events, axis=1).max(axis=1)
    ids = p["id"].dropna()
    has_contract = ids.isin(last_end.index).to_numpy()
    result = pd.Series(pd.NaT, index=pd.Index(ids, name="id"), dtype="datetime64[s]")
    result[has_contract] = end.reindex(ids[has_contract]).to_numpy(dtype="datetime64[s]")
    result[~has_contract] = last_event.reindex(ids[~has_contract]).to_numpy(dtype="datetime64[s]")
    return result


def to_anonymise(c: Classeur, au: dt.date) -> Anonymisation:
    """Participants whose follow-up ended more than the retention period before `au`."""
    p = c["T_Participants"]
    years = int(c.params.get("conservation") or 5)
    limit = pd.Timestamp(au) - pd.DateOffset(years=years)
    ends = follow_up_end(c)
    end_of_row = ends.reindex(p["id"]).to_numpy(dtype="datetime64[s]")
    due = p["id"].notna().to_numpy() & ~np.isnat(end_of_row) & (end_of_row < np.datetime64(limit, "s"))
    due &= ~id_key(p["id"]).duplicated(keep=False).to_numpy()  # a duplicate ID (case and spaces ignored,
    # as valider compares them) is a finding to fix first: which person the rows belong to is not known
    chosen = p[due]
    births = anonymous_birth_dates(chosen["date_naissance"], first_contract(c).reindex(chosen["id"]).to_numpy())
    participants = pd.DataFrame({
        "id": chosen["id"].to_numpy(),
        ROW: chosen[ROW].to_numpy(),
        "fin_suivi": end_of_row[due],
        "date_naissance": births,
    })
    return Anonymisation(participants, linked_rows(c, set(participants["id"])))


def linked_rows(c: Classeur, ids: set[str]) -> dict[str, list[int]]:
    """Excel rows of each table with columns to empty that belong to the participants `ids`:
    through a Participant column, or through a reference to a row that has one (hours → contract)."""
    out: dict[str, list[int]] = {}
    for name in EMPTIED:
        if name == _PARTICIPANTS.name or name not in c.tables:
            continue
        frame = c[name]
        mine = pd.Series(False, index=frame.index)
        for col in schema.table(name).columns:
            if col.ref == _PARTICIPANTS.name:
                mine |= frame[col.key].isin(ids)
            elif col.ref in c.tables and col.ref != name:
                parent = c[col.ref]
                owner = next((x.key for x in schema.table(col.ref).columns if x.ref == _PARTICIPANTS.name), None)
                if owner is not None:
                    mine |= frame[col.key].isin(set(parent.loc[parent[owner].isin(ids), "id"]))
        out[name] = [int(r) for r in frame.loc[mine, ROW]]
    return out


def first_contract(c: Classeur) -> pd.Series:
    """Earliest contract start per participant ID."""
    return c["T_Contrats"].groupby("participant")["date_debut"].min()


def anonymous_birth_dates(birth: pd.Series, first_start: np.ndarray) -> np.ndarray:
    """1 January or 31 December of the birth year, whichever keeps the age at the first contract.

    1 January gives the age `year(start) − year(birth)`, 31 December one less: the exact birthday
    decides which of the two the person had. Without a contract (or a birth date), 1 January.
    """
    birth = pd.to_datetime(pd.Series(birth).reset_index(drop=True))
    start = pd.to_datetime(pd.Series(first_start))
    january = pd.to_datetime({"year": birth.dt.year, "month": 1, "day": 1}, errors="coerce")
    december = pd.to_datetime({"year": birth.dt.year, "month": 12, "day": 31}, errors="coerce")
    true_age = age_at(birth, start)
    keep_january = (age_at(january, start) == true_age) | true_age.isna()
    result = january.where(keep_january, december)
    return result.to_numpy(dtype="datetime64[D]")
