"""What is due (echeances): the facilitator's to-do list at a reference date.

Seven kinds of item, each computed on whole tables (no lookups row by row), each with a date
"by when", a French sentence saying what to do, for whom, and the IDs concerned. An item appears
when it is due and disappears as soon as the workbook records that it was done: the rules, and
the choices made where the contract is silent, are in docs/quotidien.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Set
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .classeur import Classeur
from .hours import market_progress
from .journal import ASKS, Entry
from .journal import RELANCE as RELANCE_DOC
from .month_contracts import contracts_without_month
from .text import fold
from .values import DATE, HOURS, MONTH, de

#: Tables the to-do list reads.
TABLES = ("T_Marches", "T_DonneursOrdre", "T_Entreprises", "T_Participants", "T_Contrats", "T_Heures",
          "T_Suivi", "T_Offres", "T_Candidatures", "T_QPV")

POOL = ("Repéré", "Orienté")
ELIGIBILITY_MONTHS = 24     # an eligibility checked longer ago must be checked again
ENDING_DAYS = 30            # contracts ending within this many days are announced
STARTING_DAYS = 60          # markets starting within this many days need an offer
STATEMENT_DAY = 10          # the clause asks for the month's statement before the 10th of the next
FOLLOW_UP_WINDOW_MONTHS = 12  # a follow-up not recorded stays on the list this long after its date
FOLLOW_UP_MONTHS = dict(zip(schema.ECHEANCES, (0, 6, 12)))
ANONYME = "anonyme"

SUIVI = "Suivi de parcours"
FIN_CONTRAT = "Contrat qui se termine"
RELEVE = "Relevé d'heures manquant"
RELANCE_RELEVE = "Relance de relevé"
RETARD = "Marché en retard"
RECRUTEMENT = "Recrutement à préparer"
ELIGIBILITE = "Éligibilité à vérifier"
DONNEES = "Données à anonymiser"
#: How a count of each kind reads (« 4 suivis de parcours »): its noun in the singular and the plural.
COUNTED = {RETARD: ("marché en retard", "marchés en retard"),
           RELANCE_RELEVE: ("relance de relevé", "relances de relevé"),
           RELEVE: ("relevé d'heures manquant", "relevés d'heures manquants"),
           SUIVI: ("suivi de parcours", "suivis de parcours"),
           FIN_CONTRAT: ("contrat qui se termine", "contrats qui se terminent"),
           RECRUTEMENT: ("recrutement à préparer", "recrutements à préparer"),
           ELIGIBILITE: ("éligibilité à vérifier", "éligibilités à vérifier"),
           DONNEES: ("personne dont les données sont à anonymiser", "personnes dont les données sont à anonymiser")}
#: Every kind, in the order items of the same date are listed.
TYPES = (RETARD, RELANCE_RELEVE, RELEVE, SUIVI, FIN_CONTRAT, RECRUTEMENT, ELIGIBILITE, DONNEES)

EN_RETARD, AUJOURD_HUI, A_VENIR = "En retard", "Aujourd'hui", "À venir"
COLUMNS = ["date", "type", "action", "qui", "reference"]


@dataclass(frozen=True)
class DueItem:
    """One line of the to-do list: by when, what kind, what to do, for whom, which IDs."""

    date: dt.date
    type: str
    action: str
    qui: str
    reference: str
    etat: str

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        return out


def due_items(c: Classeur, au: dt.date, journal: Sequence[Entry] = ()) -> list[DueItem]:
    """Everything due at `au`, sorted by date, then kind, then IDs; `journal` says which statements were asked."""
    ref = pd.Timestamp(au)
    frames = [
        late_markets(c, au),
        statement_reminders(c, ref, journal),
        missing_statements(c, ref, {(e.destinataire, e.mois) for e in journal if e.document in ASKS}),
        follow_ups(c, ref),
        contracts_ending(c, ref),
        markets_without_offer(c, ref),
        eligibility_checks(c, ref),
        data_past_retention(c, ref),
    ]
    items = pd.concat([f[COLUMNS] for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=COLUMNS)
    items["order"] = items["type"].map({t: i for i, t in enumerate(TYPES)})
    items = items.sort_values(["date", "order", "reference", "qui"], kind="stable")
    return [
        DueItem(date.date(), kind, action, qui, reference, _state(date, ref))
        for date, kind, action, qui, reference in items[COLUMNS].itertuples(index=False)
    ]


def _state(date: pd.Timestamp, ref: pd.Timestamp) -> str:
    return EN_RETARD if date < ref else AUJOURD_HUI if date == ref else A_VENIR


def _frame(date: Any, kind: str, action: Any, qui: Any, reference: Any) -> pd.DataFrame:
    frame = pd.DataFrame({"date": date, "action": action, "qui": qui, "reference": reference})
    frame["type"] = kind
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    return frame


# --- who is who ------------------------------------------------------------------------------

def participant_labels(c: Classeur) -> pd.Series:
    """Participant ID → "Prénom Nom (ID)" (this list is for the facilitator: names are fine)."""
    p = c["T_Participants"].drop_duplicates("id")
    labels = p["prenom"].fillna("") + " " + p["nom"].fillna("") + " (" + p["id"] + ")"
    return pd.Series(labels.str.strip().to_numpy(), index=p["id"].to_numpy())


def company_labels(c: Classeur) -> pd.Series:
    """Company ID → "Raison sociale (ID)"."""
    e = c["T_Entreprises"].drop_duplicates("id")
    return pd.Series((e["raison_sociale"].fillna("") + " (" + e["id"] + ")").to_numpy(), index=e["id"].to_numpy())


def lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """`values[key]` for each key (missing where absent), aligned on `keys`, keeping the dtype of `values`.

    `values` has a unique index. Unlike `Series.map`, this stays typed on empty tables.
    """
    found = values.reindex(keys.to_numpy()).to_numpy()
    return pd.Series(found, index=keys.index, dtype=values.dtype)


def texts(values: pd.Series, fmt: Any) -> pd.Series:
    """`fmt` applied to each value, as text (also on an empty frame, where `map` would keep the dtype)."""
    return pd.Series([fmt(v) for v in values], index=values.index, dtype=object)


def _label(ids: pd.Series, labels: pd.Series) -> pd.Series:
    """Labels of `ids`, the bare ID where the table has no such row."""
    return lookup(ids, labels).astype(object).fillna(ids).astype(str)


def last_contracts(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """Per participant, the contract that ends last (a running one first), and whether it still runs."""
    k = c["T_Contrats"].sort_values(["participant", "date_fin", "date_debut"], na_position="last")
    last = k.drop_duplicates("participant", keep="last").set_index("participant")
    last = last[["id", "marche", "employeur", "date_debut", "date_fin"]].copy()
    last["en_cours"] = last["date_fin"].isna() | (last["date_fin"] > ref)
    return last


# --- the seven kinds ------------------------------------------------------------------------

def follow_ups(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """Situation at the end of the last contract, +6 and +12 months, not yet recorded in T_Suivi.

    A T_Suivi row counts for the participant's current path when it is dated on or after the
    start of their last contract (an older row belongs to an earlier placement).
    """
    last = last_contracts(c, ref)
    ended = last[~last["en_cours"]]
    suivi = c["T_Suivi"]
    recorded = suivi[suivi["date"] >= lookup(suivi["participant"], ended["date_debut"])]
    labels = participant_labels(c)
    frames = []
    for echeance, months in FOLLOW_UP_MONTHS.items():
        if months > (c.params.get("duree_suivi") or 0):
            continue
        due = ended["date_fin"] + pd.DateOffset(months=months)
        window = (due <= ref) & (due > ref - pd.DateOffset(months=FOLLOW_UP_WINDOW_MONTHS))
        done = recorded.loc[recorded["echeance"] == echeance, "participant"]
        todo = ended[window & ~ended.index.isin(done)]
        when = "à la fin du contrat" if months == 0 else f"{months} mois après le contrat"
        action = (f"Recueillir la situation {when} (contrat " + todo["id"] + " terminé le "
                  + texts(todo["date_fin"], DATE.cell) + f") et la saisir dans Suivi, échéance « {echeance} ».")
        frames.append(_frame(due[todo.index], SUIVI, action, _label(todo.index.to_series(), labels),
                             todo.index + " · " + todo["id"]))
    return pd.concat(frames) if frames else pd.DataFrame(columns=COLUMNS)


def contracts_ending(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """Contracts whose Date de fin falls in the next ENDING_DAYS days."""
    k = c["T_Contrats"]
    soon = k[(k["date_fin"] > ref) & (k["date_fin"] <= ref + pd.Timedelta(days=ENDING_DAYS))]
    employer = _label(soon["employeur"], company_labels(c))
    action = ("Préparer la fin du contrat " + soon["id"] + " chez " + employer
              + " : prolongation, suite du parcours, puis situation à la sortie.")
    return _frame(soon["date_fin"], FIN_CONTRAT, action, _label(soon["participant"], participant_labels(c)),
                  soon["participant"] + " · " + soon["id"])


def missing_statements(c: Classeur, ref: pd.Timestamp,
                       asked: Set[tuple[str, dt.date | None]] = frozenset()) -> pd.DataFrame:
    """Markets En cours or Terminé with a contract active last month and no hours row for it: the statement is
    missing (month_contracts: the rule the forms and the letters use).

    A row of T_Heures for the month counts as received even with an error in it (valider shows those).
    A market whose awardee was already asked for that month (`asked`: company, month) is followed by
    `statement_reminders` instead.
    """
    this_month = pd.Timestamp(ref.year, ref.month, 1)
    month = this_month - pd.DateOffset(months=1)
    missing = contracts_without_month(c, month.date())
    if missing.empty:
        return pd.DataFrame(columns=COLUMNS)
    by_market = missing.sort_values("id").groupby("marche")["id"].agg(", ".join).rename("contrats").reset_index()
    markets = c["T_Marches"].drop_duplicates("id").set_index("id")
    awardee = lookup(by_market["marche"], markets["attributaire"])
    followed = pd.Series([(a, month.date()) in asked for a in awardee], index=by_market.index, dtype=bool)
    by_market, awardee = by_market[~followed], awardee[~followed]
    qui = _label(awardee.fillna(by_market["marche"]), company_labels(c))
    due = this_month + pd.Timedelta(days=STATEMENT_DAY - 1)
    several = by_market["contrats"].str.contains(",", regex=False)
    action = (f"Obtenir le relevé d'heures {de(MONTH.text(month))} du marché " + by_market["marche"]
              + several.map({True: " (contrats ", False: " (contrat "}) + by_market["contrats"]
              + ") ; relancer l'entreprise s'il n'arrive pas.")
    return _frame(due, RELEVE, action, qui, by_market["marche"] + " · " + by_market["contrats"])


def statement_reminders(c: Classeur, ref: pd.Timestamp, journal: Sequence[Entry]) -> pd.DataFrame:
    """Statements asked for (journal) and not back: « relance à faire » N days after the last request.

    A statement of a company for a month is back when every contract of its form that month has a
    row in T_Heures. The count of reminders already sent (`Relance` in the journal, on or after the
    first request) says whether the next one is the first, the second…
    """
    days = int(c.params.get("relance_releves") or 0)
    asked: dict[tuple[str, dt.date], list[dt.date]] = {}
    reminded: dict[tuple[str, dt.date], list[dt.date]] = {}
    for e in journal:
        if e.mois is None or not e.destinataire:
            continue
        if e.document in ASKS:
            asked.setdefault((e.destinataire, e.mois), []).append(e.date)
        elif e.document == RELANCE_DOC:
            reminded.setdefault((e.destinataire, e.mois), []).append(e.date)
    labels = company_labels(c)
    rows = []
    for (company, month), dates in sorted(asked.items()):
        first = min(dates)
        k = contracts_without_month(c, month)
        missing = sorted(set(k.loc[(k["employeur"] == company) | (k["attributaire"] == company), "id"]))
        if not missing:
            continue
        sent = sorted(d for d in reminded.get((company, month), []) if d >= first)
        last = max([*dates, *sent])
        rank = len(sent) + 1
        what = "Relance à faire" if rank == 1 else f"{rank}e relance à faire"
        again = f", relancé le {', '.join(DATE.cell(d) for d in sent)}" if sent else ""
        since = f"demandé le {DATE.cell(first)}{again}"
        rows.append({
            "date": pd.Timestamp(last) + pd.Timedelta(days=days), "type": RELANCE_RELEVE,
            "action": (f"{what} : le relevé {de(MONTH.text(month))} ({since}) n'est pas revenu pour "
                       f"{'les contrats' if len(missing) > 1 else 'le contrat'} {', '.join(missing)} ; joindre le "
                       "relevé à remplir."),
            "qui": _label(pd.Series([company]), labels).iat[0], "reference": f"{company} · {month:%Y-%m}",
        })
    return pd.DataFrame(rows, columns=COLUMNS) if rows else pd.DataFrame(columns=COLUMNS)


def late_markets(c: Classeur, au: dt.date) -> pd.DataFrame:
    """Running markets whose hours done are under 80 % of the hours expected to date (docs/calculs.md §2)."""
    progress = market_progress(c, au)
    late = progress[progress["en_retard"]]
    action = ("Relancer l'entreprise : " + texts(late["heures_realisees"], HOURS.text) + " réalisées pour "
              + texts(late["attendu_a_date"], HOURS.text) + " attendues à date (objectif "
              + texts(late["heures_prevues"], HOURS.text) + ") sur le marché " + late["id"] + ".")
    return _frame(pd.Timestamp(au), RETARD, action, _label(late["attributaire"].fillna(late["id"]), company_labels(c)),
                  late["id"])


def markets_without_offer(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """Markets starting in the next STARTING_DAYS days with no offer open or filled and no contract yet."""
    m = c["T_Marches"].drop_duplicates("id")
    soon = m[m["statut"].isin(("En préparation", "En cours")) & (m["date_debut"] > ref)
             & (m["date_debut"] <= ref + pd.Timedelta(days=STARTING_DAYS))]
    offers = c["T_Offres"]
    covered = set(offers.loc[offers["statut"].isna() | offers["statut"].isin(("Ouverte", "Pourvue")), "marche"])
    covered |= set(c["T_Contrats"]["marche"])
    todo = soon[~soon["id"].isin(covered)]
    buyers = c["T_DonneursOrdre"].drop_duplicates("id").set_index("id")["nom"]
    qui = _label(todo["attributaire"], company_labels(c)).where(
        todo["attributaire"].notna(),
        lookup(todo["donneur_ordre"], buyers).astype(object).fillna(todo["donneur_ordre"]))
    with_whom = pd.Series(np.where(todo["attributaire"].notna(), "l'entreprise", "le donneur d'ordre"),
                          index=todo.index, dtype=object)
    action = ("Préparer le recrutement avec " + with_whom + " et saisir l'offre : le marché " + todo["id"] + " (« "
              + todo["objet"] + " ») commence le " + texts(todo["date_debut"], DATE.cell) + " sans offre ouverte.")
    return _frame(todo["date_debut"], RECRUTEMENT, action, qui, todo["id"])


def eligibility_checks(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """People of the pool whose eligibility was checked more than 24 months ago, or never recorded."""
    p = pool(c)
    expires = p["date_eligibilite"] + pd.DateOffset(months=ELIGIBILITY_MONTHS)
    old = p[expires <= ref]
    unknown = p[p["date_eligibilite"].isna()]
    labels = participant_labels(c)
    return pd.concat([
        _frame(expires[old.index], ELIGIBILITE,
               "Vérifier de nouveau l'éligibilité (vérifiée le " + texts(old["date_eligibilite"], DATE.cell)
               + ", il y a plus de 24 mois) avant de proposer la personne.",
               _label(old["id"], labels), old["id"]),
        _frame(ref, ELIGIBILITE,
               pd.Series("Vérifier l'éligibilité et saisir sa date : la personne est dans le vivier sans "
                         "date d'éligibilité.", index=unknown.index, dtype=object),
               _label(unknown["id"], labels), unknown["id"]),
    ])


def pool(c: Classeur) -> pd.DataFrame:
    """Usable participants of the candidate pool (Repéré or Orienté), not anonymised."""
    p = c["T_Participants"].drop_duplicates("id")
    return p[p["statut"].isin(POOL) & ~anonymised(p)]


def anonymised(p: pd.DataFrame) -> pd.Series:
    """Rows already anonymised (Nom and Prénom are « Anonyme »)."""
    return (p["nom"].fillna("").map(fold) == ANONYME) & (p["prenom"].fillna("").map(fold) == ANONYME)


def retention_end(c: Classeur, ref: pd.Timestamp) -> pd.Series:
    """Participant ID → the date from which their personal data may be anonymised (NaT: not yet known).

    End of the relationship = end of the last contract + the follow-up period; for someone never
    placed, the latest of their eligibility date, GDPR information date and proposals. Retention
    (`Conservation des données`, years) runs from there. A participant with a running contract has none.
    """
    p = c["T_Participants"].drop_duplicates("id").set_index("id")
    last = last_contracts(c, ref)
    follow = int(c.params.get("duree_suivi") or 0)
    keep = int(c.params.get("conservation") or 0)
    after_contract = (last["date_fin"] + pd.DateOffset(months=follow)).where(~last["en_cours"])
    proposals = c["T_Candidatures"].groupby("participant")["date"].max()
    never_placed = pd.concat([p["date_eligibilite"], p["date_rgpd"], proposals.reindex(p.index)], axis=1).max(axis=1)
    end = never_placed.where(~p.index.isin(last.index), after_contract.reindex(p.index))
    return (end + pd.DateOffset(years=keep)).rename("fin_conservation")


def data_past_retention(c: Classeur, ref: pd.Timestamp) -> pd.DataFrame:
    """Participants not yet anonymised whose retention period is over."""
    p = c["T_Participants"].drop_duplicates("id")
    p = p[~anonymised(p)]
    ends = retention_end(c, ref).reindex(p["id"]).to_numpy()
    todo = p[(ends <= ref.to_datetime64()) & ~np.isnat(ends)]
    ends = pd.Series(ends, index=p.index)[todo.index]
    keep = c.params.get("conservation")
    action = pd.Series(f"Anonymiser les données personnelles (clausexl anonymiser) : la durée de conservation "
                       f"de {keep} ans après la fin du suivi est dépassée.", index=todo.index, dtype=object)
    return _frame(ends, DONNEES, action, _label(todo["id"], participant_labels(c)), todo["id"])
