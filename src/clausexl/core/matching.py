"""Matching (rapprocher): the candidate pool ranked for one job offer, each rank with its reasons.

The list helps the facilitator choose whom to propose; it decides nothing. People are ranked
by an explicit tuple, compared left to right, smaller first (`LEVELS`):

1. `propositions` — 0 free; 1 waiting for an answer on another open offer; 2 already proposed for
   this offer, or placed (a running contract, or « Retenu » since their last contract ended).
2. `metier` — 0 a searched ROME code is the offer's; 1 one is of the same professional domain
   (letter and two digits, F17 for F1703); 2 neither (or nothing to compare).
3. `acces` — 0 lives in the commune of the workplace, or has Permis B and a vehicle; 1 has Permis B
   without a vehicle; 2 neither, living elsewhere (or commune unknown).
4. `disponibilite` — 0 available on or before the start of the job; 1 availability not recorded;
   2 available only after the start.
5. `public` — the number of publics the market asks for that the person is not part of (QPV
   residents on NPNRU markets; the public of EA/ESAT on markets reserved to them).

Ties keep the order of participant IDs. Reasons never name a sensitive criterion (RSA, ASS,
AAH, RQTH): they say "the public of the reserved market" instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .candidatures import PENDING, RETENU, latest_results
from .classeur import Classeur
from .due import ELIGIBILITY_MONTHS, last_contracts, lookup, pool
from .errors import UnknownItem
from .text import commune_key
from .values import DATE, agree

#: Tables the ranking reads.
TABLES = ("T_Offres", "T_Marches", "T_Entreprises", "T_Participants", "T_Contrats", "T_Candidatures")

LEVELS = ("propositions", "metier", "acces", "disponibilite", "public")
#: Column titles of the levels where a person reads them (the `Candidats` sheet).
LEVEL_TITLES = dict(zip(LEVELS, ("Propositions", "Métier", "Accès au poste", "Disponibilité", "Public du marché")))
_SPLIT = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class Offre:
    """What of the offer and its market the ranking looks at."""

    id: str
    poste: str
    code_rome: str | None
    entreprise: str
    marche: str | None
    lieu: str | None
    date_debut: dt.date | None
    statut: str | None
    dispositif: str | None
    npnru: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "date_debut": self.date_debut.isoformat() if self.date_debut else None}


@dataclass(frozen=True)
class Candidat:
    """One person of the pool, their rank, the key that gave it and one French reason per level."""

    rang: int
    participant: str
    nom: str
    prenom: str
    commune: str | None
    statut: str
    metiers: str | None
    permis_b: bool
    vehicule: bool
    disponible_le: dt.date | None
    cle: tuple[int, ...]
    raisons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rang": self.rang, "participant": self.participant, "nom": self.nom, "prenom": self.prenom,
            "commune": self.commune, "statut": self.statut, "metiers": self.metiers,
            "permis_b": self.permis_b, "vehicule": self.vehicule,
            "disponible_le": self.disponible_le.isoformat() if self.disponible_le else None,
            "cle": dict(zip(LEVELS, self.cle)), "raisons": list(self.raisons),
        }


@dataclass(frozen=True)
class Ecarte:
    """A person of the pool left out of the ranking, and why."""

    participant: str
    raison: str


@dataclass(frozen=True)
class Rapprochement:
    """The ranked pool for one offer at a reference date."""

    offre: Offre
    au: dt.date
    candidats: tuple[Candidat, ...]
    ecartes: tuple[Ecarte, ...] = ()
    notes: tuple[str, ...] = field(default=())


def find_offer(c: Classeur, offre_id: str) -> Offre:
    """The offer `offre_id` with its market's Dispositif and NPNRU flag and where the job is."""
    offers = c["T_Offres"]
    rows = offers[offers["id"] == offre_id]
    if rows.empty:
        raise UnknownItem(f"L'offre « {offre_id} » n'existe pas dans la feuille {c.sheet('T_Offres')} : "
                          "vérifiez son identifiant (colonne ID).")
    o = rows.iloc[0]
    markets = c["T_Marches"].drop_duplicates("id").set_index("id")
    companies = c["T_Entreprises"].drop_duplicates("id").set_index("id")
    market = markets.loc[o["marche"]] if o["marche"] in markets.index else None
    lieu = o["lieu"] or (companies.at[o["entreprise"], "commune"] if o["entreprise"] in companies.index else None)
    lieu = None if lieu is None else str(lieu)
    return Offre(
        id=offre_id, poste=o["poste"], code_rome=(o["code_rome"] or "").strip().upper() or None,
        entreprise=o["entreprise"], marche=o["marche"], lieu=lieu,
        date_debut=o["date_debut"].date() if pd.notna(o["date_debut"]) else None, statut=o["statut"],
        dispositif=market["dispositif"] if market is not None else None,
        npnru=bool(market["npnru"]) if market is not None else False,
    )


def rank_candidates(c: Classeur, offre_id: str, au: dt.date) -> Rapprochement:
    """Every eligible person of the pool, ranked for the offer; the others listed with the reason."""
    offre = find_offer(c, offre_id)
    ref = pd.Timestamp(au)
    p, ecartes = eligible_pool(c, ref)
    levels = pd.DataFrame(index=p.index)
    reasons = pd.DataFrame(index=p.index)
    levels["propositions"], reasons["propositions"] = _propositions(c, p, offre, ref)
    levels["metier"], reasons["metier"] = _metier(p, offre)
    levels["acces"], reasons["acces"] = _acces(p, offre)
    levels["disponibilite"], reasons["disponibilite"] = _disponibilite(p, offre, ref)
    levels["public"], reasons["public"] = _public(p, offre)
    order = levels.assign(_id=p["id"]).sort_values([*LEVELS, "_id"], kind="stable").index
    candidats = tuple(
        Candidat(rang, r["id"], r["nom"], r["prenom"], r["commune"], r["statut"], r["metiers"],
                 bool(r["permis_b"]), bool(r["vehicule"]),
                 r["disponible_le"].date() if pd.notna(r["disponible_le"]) else None,
                 tuple(int(v) for v in _levels_of(levels, i)), tuple(_levels_of(reasons, i)))
        for rang, (i, r) in enumerate(p.loc[order].iterrows(), start=1)
    )
    return Rapprochement(offre, au, candidats, ecartes, _notes(offre))


def eligible_pool(c: Classeur, ref: pd.Timestamp) -> tuple[pd.DataFrame, tuple[Ecarte, ...]]:
    """The pool (Repéré or Orienté) that may be proposed: at least one criterion, eligibility not too old.

    An eligibility date left empty does not exclude the person (the reason says to check it).
    """
    p = pool(c)
    criteria = [key for _, key in schema.CRITERES]
    no_criterion = ~(p[criteria].any(axis=1) | p["autre_critere"].notna())
    expired = (p["date_eligibilite"] + pd.DateOffset(months=ELIGIBILITY_MONTHS)) <= ref
    ecartes = [Ecarte(pid, "Aucun critère d'éligibilité saisi : la personne ne peut pas être proposée.")
               for pid in p.loc[no_criterion, "id"]]
    ecartes += [Ecarte(pid, f"Éligibilité vérifiée le {DATE.cell(when)}, il y a plus de {ELIGIBILITY_MONTHS} mois : "
                            "à vérifier de nouveau avant de proposer la personne.")
                for pid, when in zip(p.loc[expired & ~no_criterion, "id"],
                                     p.loc[expired & ~no_criterion, "date_eligibilite"])]
    return p[~no_criterion & ~expired], tuple(sorted(ecartes, key=lambda e: e.participant))


# --- the levels: each returns (level per person, reason per person) ---------------------------

def _propositions(c: Classeur, p: pd.DataFrame, offre: Offre, ref: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    latest = latest_results(c)
    latest = latest[latest["date"] <= ref]
    here = latest[latest["offre"] == offre.id].set_index("participant")
    offers = c["T_Offres"].drop_duplicates("id").set_index("id")["statut"]
    elsewhere = latest[latest["offre"] != offre.id]
    status = lookup(elsewhere["offre"], offers)
    open_offer = status.isna() | (status == "Ouverte")
    pending = elsewhere[elsewhere["resultat"].isin(PENDING) & open_offer] \
        .sort_values("date").drop_duplicates("participant", keep="last").set_index("participant")
    last = last_contracts(c, ref)
    running = last[last["en_cours"]]
    hired = elsewhere[elsewhere["resultat"] == RETENU]
    fin = lookup(hired["participant"], last["date_fin"])
    hired = hired[fin.isna() | (hired["date"] > fin)]
    hired = hired.sort_values("date").drop_duplicates("participant", keep="last").set_index("participant")
    level, reason = [], []
    for pid, sexe in zip(p["id"], p["sexe"]):
        e = agree(sexe)
        if pid in here.index:
            level.append(2)
            reason.append(f"Déjà proposé{e} pour cette offre le {DATE.cell(here.at[pid, 'date'])} "
                          f"(résultat : {here.at[pid, 'resultat']!s}).")
        elif pid in running.index:
            level.append(2)
            end: Any = running.at[pid, "date_fin"]
            until = f" jusqu'au {DATE.cell(end)}" if pd.notna(end) else ""
            reason.append(f"En poste : contrat {running.at[pid, 'id']!s} en cours{until}.")
        elif pid in hired.index:
            level.append(2)
            reason.append(f"Retenu{e} sur l'offre {hired.at[pid, 'offre']!s} le {DATE.cell(hired.at[pid, 'date'])}.")
        elif pid in pending.index:
            level.append(1)
            reason.append(f"Proposé{e} sur l'offre {pending.at[pid, 'offre']!s} "
                          f"le {DATE.cell(pending.at[pid, 'date'])}, "
                          f"en attente ({pending.at[pid, 'resultat']!s}).")
        else:
            level.append(0)
            reason.append("Aucune proposition en cours, pas en poste.")
    return pd.Series(level, index=p.index), pd.Series(reason, index=p.index, dtype=object)


def searched_codes(metiers: pd.Series) -> pd.Series:
    """The ROME codes of Métiers recherchés, one row per (person index, code), upper case."""
    codes = metiers.fillna("").map(lambda text: [s.upper() for s in _SPLIT.split(text) if s])
    return codes.explode().dropna()


def _metier(p: pd.DataFrame, offre: Offre) -> tuple[pd.Series, pd.Series]:
    codes = searched_codes(p["metiers"])
    level = pd.Series(2, index=p.index)
    if not offre.code_rome:
        return level, pd.Series("L'offre n'a pas de code ROME : le métier n'a pas été comparé.", index=p.index,
                                dtype=object)
    domain = offre.code_rome[:3]
    same = set(codes.index[codes == offre.code_rome])
    near = codes[codes.str[:3] == domain].groupby(level=0).agg(", ".join)
    level[p.index.isin(list(near.index))] = 1
    level[p.index.isin(list(same))] = 0
    reason = []
    for i, metiers in zip(p.index, p["metiers"]):
        if i in same:
            reason.append(f"Recherche le métier de l'offre ({offre.code_rome}).")
        elif i in near.index:
            reason.append(f"Recherche un métier du même domaine {domain} ({near[i]}).")
        elif metiers:
            reason.append(f"Recherche d'autres métiers ({metiers}).")
        else:
            reason.append("Aucun métier recherché saisi.")
    return level, pd.Series(reason, index=p.index, dtype=object)


def _same_place(commune: Any, lieu_key: str) -> bool:
    """The person's commune is the workplace (or named in it: « Cherbourg-en-Cotentin, chantier X »)."""
    if not commune or not lieu_key:
        return False
    key = commune_key(commune)
    return key == lieu_key or (len(key) >= 4 and key in lieu_key)


def _acces(p: pd.DataFrame, offre: Offre) -> tuple[pd.Series, pd.Series]:
    lieu_key = commune_key(offre.lieu) if offre.lieu else ""
    level, reason = [], []
    for commune, permis, vehicule in zip(p["commune"], p["permis_b"], p["vehicule"]):
        here = _same_place(commune, lieu_key)
        if here:
            level.append(0)
            reason.append(f"Habite dans la commune du poste ({commune}).")
        elif permis and vehicule:
            level.append(0)
            reason.append("A le permis B et un véhicule.")
        elif permis:
            level.append(1)
            reason.append("A le permis B mais pas de véhicule.")
        else:
            level.append(2)
            where = f"habite hors de la commune du poste ({commune})" if commune else "commune non saisie"
            reason.append(f"Ni permis B ni véhicule, {where} : trajet à vérifier.")
    return pd.Series(level, index=p.index), pd.Series(reason, index=p.index, dtype=object)


def _disponibilite(p: pd.DataFrame, offre: Offre, ref: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    start = pd.Timestamp(offre.date_debut) if offre.date_debut else ref
    start_text = f"le début du poste ({DATE.cell(start)})" if offre.date_debut else "aujourd'hui"
    when = p["disponible_le"]
    level = pd.Series(np.where(when.isna(), 1, np.where(when <= start, 0, 2)), index=p.index)
    reason = [
        "Disponibilité non saisie : à vérifier." if pd.isna(w)
        else f"Disponible dès le {DATE.cell(w)}, avant {start_text}." if w <= start
        else f"Disponible seulement le {DATE.cell(w)}, après {start_text}."
        for w in when
    ]
    return level, pd.Series(reason, index=p.index, dtype=object)


def _public(p: pd.DataFrame, offre: Offre) -> tuple[pd.Series, pd.Series]:
    """Publics the market asks for; a sensitive criterion is never named, only the market's public."""
    wanted: list[tuple[pd.Series, str, str]] = []
    if offre.npnru:
        wanted.append((p["qpv"].notna(), "Réside en QPV, public attendu sur ce marché NPNRU.",
                       "Ne réside pas en QPV alors que le marché est NPNRU."))
    if offre.dispositif == schema.RESERVE_EA_ESAT:
        wanted.append((p["rqth"].astype(bool), "Relève du public du marché réservé aux EA et ESAT.",
                       "Ne relève pas du public du marché réservé aux EA et ESAT."))
    level = pd.Series(0, index=p.index)
    parts: list[list[str]] = [[] for _ in range(len(p))]
    for meets, yes, no in wanted:
        level += (~meets).astype(int)
        for j, ok in enumerate(meets):
            parts[j].append(yes if ok else no)
    unchecked = p["date_eligibilite"].isna().to_numpy()
    reason = [
        " ".join(part or ["Le marché ne demande pas de public particulier."])
        + (" Date d'éligibilité non saisie : à vérifier avant de proposer." if unchecked[j] else "")
        for j, part in enumerate(parts)
    ]
    return level, pd.Series(reason, index=p.index, dtype=object)


def _notes(offre: Offre) -> tuple[str, ...]:
    notes = []
    if offre.statut not in (None, "Ouverte"):
        notes.append(f"L'offre est « {offre.statut} » : le classement est donné pour information.")
    if not offre.code_rome:
        notes.append("L'offre n'a pas de code ROME : saisissez-le pour comparer les métiers.")
    if not offre.lieu:
        notes.append("Le lieu du poste est inconnu (ni Lieu dans l'offre, ni commune de l'entreprise) : "
                     "seule la mobilité est comparée.")
    if offre.marche is None:
        notes.append("L'offre n'est rattachée à aucun marché : aucun public particulier n'est demandé.")
    return tuple(notes)


def _levels_of(frame: pd.DataFrame, index: Any) -> list[Any]:
    """The row `index` of a frame with one column per level, in the order of LEVELS."""
    return list(frame.loc[index, list(LEVELS)])
