"""The year's indicators (docs/calculs.md §3), under the JSON keys of §4.

`bilan_figures` gives the indicators under exactly the keys of docs/calculs.md §4, and the extra
tables the funders' workbook shows (age bands, months, buyer categories…) with the choices
made where docs/calculs.md is silent. Pure: a Classeur in, plain dicts of Python numbers out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .classeur import Classeur
from .exclusion import NOT_GIVEN
from .hours import hours_rows, qpv_unknown, target_hours
from .people import age_at
from .text import commune_key
from .validation import normalise_postal
from .values import HOURS, NUMBER, counted

AGE_BANDS = ("moins de 26 ans", "26 à 49 ans", "50 ans et plus")
NOT_SORTIE = "Toujours en contrat"
NOT_DUE = "Non échu"
NO_INFO = "Sans information"
SORTIE_CATEGORIES = (*schema.CATEGORIES_SORTIE, NOT_SORTIE, NOT_DUE, NO_INFO)
ECHEANCE_MONTHS = {"Fin de contrat": 0, "6 mois": 6, "12 mois": 12}
NOT_FOLLOWED = ("Abandonné", "En préparation")

#: The keys of docs/calculs.md §4, in its order (annee_precedente last).
KEYS = (
    "annee", "participants", "heures", "heures_travaillees", "heures_formation", "etp", "heures_par_etp",
    "femmes", "part_femmes", "moins_26_ans", "part_moins_26_ans", "cinquante_ans_et_plus",
    "sans_qualification", "part_sans_qualification", "criteres", "qpv", "part_qpv", "contrats",
    "contrats_par_type", "contrats_par_modalite", "marches_suivis", "marches_par_type",
    "part_marches_travaux", "marches_par_dispositif", "donneurs_ordre", "entreprises_engagees",
    "entreprises_locales", "part_entreprises_locales", "sorties", "npnru", "candidatures",
    "annee_precedente",
)
TABLES = (
    "T_Marches", "T_Contrats", "T_Heures", "T_Participants", "T_Entreprises", "T_DonneursOrdre",
    "T_Suivi", "T_Candidatures", "T_QPV", "T_Territoire",
)


def bilan_figures(c: Classeur, annee: int, extraction: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The indicators and the tables together, from one base and one split per year (the bilan
    needs both: computing each on its own built the same hour rows and years twice)."""
    base = Base.of(c, extraction)
    years = [Year.of(base, annee)] + ([Year.of(base, annee - 1)] if base.has_hours(annee - 1) else [])
    indicators = [_indicators(y) for y in years]
    details = [_details(y) for y in years]
    previous = (indicators[1], details[1]) if len(years) > 1 else (None, None)
    alerts = [*unknown_qpv_alerts(years[0]), *not_given_alerts(details[0])]
    return ({**indicators[0], "annee_precedente": previous[0]},
            {**details[0], "annee_precedente": previous[1], "choix": choices(c.params),
             "non_renseigne": base.unknown, "alertes": alerts})


def unknown_qpv_alerts(y: Year) -> list[str]:
    """The sentence saying that participants of the year whose QPV code is not in `T_QPV` (valider:
    `qpv-inconnu`, an error) are counted « Hors QPV » (and how many of their hours of the year on NPNRU
    markets are left out of the QPV residents' hours); none when there are none, nor when `T_QPV`
    is empty (`non_renseigne` already says the QPV figures are not known)."""
    if "qpv" in y.base.unknown:
        return []
    unknown = y.people.index.intersection(sorted(qpv_unknown(y.base.c)))
    if not len(unknown):
        return []
    n = len(unknown)
    who = counted(n, "participant") + " dont le code QPV n'est pas dans la feuille QPV " + (
        "est compté" if n == 1 else "sont comptés") + " hors QPV"
    npnru = y.markets.index[y.markets["npnru"].fillna(False).astype(bool)]
    h = float(y.rows.loc[y.rows["marche"].isin(npnru) & y.rows["participant"].isin(unknown), "heures"].sum())
    if h > 0:
        whose = "ses" if n == 1 else "leurs"
        who += f", et {whose} {HOURS.text(h)} sur des marchés NPNRU hors des heures des habitants des QPV"
    return [f"Attention : {who} ; {'corrigez-le' if n == 1 else 'corrigez-les'} (clausexl valider : qpv-inconnu)."]


#: The participants' tables whose « Non renseigné » row holds people `valider` calls an error (a required
#: value blank or not in its list), and how the sentence names what they lack.
NOT_GIVEN_TABLES = (("participants_par_sexe", "sexe"), ("participants_par_tranche_age", "date de naissance"),
                    ("participants_par_qualification", "niveau de qualification"))


def not_given_alerts(details: dict[str, Any]) -> list[str]:
    """The sentence saying that participants of the year without a sex, a birth date or a qualification
    level (valider: an error, the row kept) are counted « Non renseigné » and stay in the whole each share
    is computed on (« 2 femmes (28,6 %) » is 2 of all 7, one of whom has no sex typed); none when none."""
    lacking = [(n, what) for key, what in NOT_GIVEN_TABLES if (n := details[key].get(NOT_GIVEN, 0))]
    if not lacking:
        return []
    one = len(lacking) == 1 and lacking[0][0] == 1
    who = (f"1 participant de l'année a une valeur non renseignée ({lacking[0][1]}) ; il est compté" if one else
           "des participants de l'année ont des valeurs non renseignées "
           f"({', '.join(f'{what} : {n}' for n, what in lacking)}) ; ils sont comptés")
    return [f"Attention : {who} « {NOT_GIVEN} » dans les tableaux et dans le total sur lequel les parts (femmes, "
            f"moins de 26 ans, sans qualification) sont calculées ; {'corrigez-le' if one else 'corrigez-les'} "
            "(clausexl valider : valeur-obligatoire)."]


def choices(params: dict[str, Any]) -> list[str]:
    """The choices docs/calculs.md leaves open, as the sentences printed beside the figures."""
    divisor = _number(params["heures_par_etp"])
    return [
        f"ETP = heures ÷ {NUMBER.bare(divisor)} (paramètre « Heures par ETP »).",
        "Un participant de l'année a plus de 0 heure (travaillées + formation) dans un mois de l'année ; "
        "un contrat de l'année aussi.",
        "Âge : en années révolues à la date de début du premier contrat du participant, tous marchés confondus.",
        "Marchés suivis : ni « Abandonné » ni « En préparation », dont la période recoupe l'année, plus tout "
        "marché ayant des heures dans l'année.",
        "Entreprise locale : sa commune ou son code postal figure dans la feuille Territoire.",
        "Sorties : participants dont le dernier contrat (aucun contrat sans date de fin) s'est terminé dans "
        "l'année ; dernière ligne de Suivi de chaque échéance.",
        "NPNRU : la charte ANRU demande qu'au moins 5 % des heures travaillées sur les opérations aillent aux "
        "habitants des QPV ; le classeur ne contenant pas toutes les heures travaillées, les heures prévues "
        "des clauses NPNRU tiennent lieu de ces 5 %. Objectif de l'année = heures prévues × part de la période "
        "du marché comprise dans l'année (jusqu'à la date d'extraction pour l'année en cours).",
        "Les parts sont calculées sur les participants (ou marchés, entreprises) de l'année ; sans objet "
        "(vide) quand il n'y en a aucun.",
    ]


# --- the data a year is computed from -------------------------------------------------------

@dataclass(frozen=True)
class Base:
    """What every year shares: hour rows, people with their age, markets with their target."""

    c: Classeur
    extraction: dt.date
    rows: pd.DataFrame
    people: pd.DataFrame
    markets: pd.DataFrame
    companies: pd.DataFrame
    #: Figures that cannot be known, with the reason: their reference table is empty.
    unknown: dict[str, str]

    @classmethod
    def of(cls, c: Classeur, extraction: dt.date) -> Base:
        rows = hours_rows(c)
        contracts = c["T_Contrats"].drop_duplicates("id")
        people = c["T_Participants"].drop_duplicates("id").set_index("id")
        first = contracts.groupby("participant")["date_debut"].min().reindex(people.index)
        people = people.assign(
            age=age_at(people["date_naissance"], first).to_numpy(),
            has_qpv=people["qpv"].isin(set(c["T_QPV"]["code"])).to_numpy(),
        )
        markets = c["T_Marches"].drop_duplicates("id")
        markets = markets.set_index("id")
        markets["heures_prevues"] = target_hours(markets.reset_index(), c.params, explained=False)["heures_prevues"]
        return cls(c, extraction, rows, people, markets, _companies(c), unknown_figures(c))

    def has_hours(self, annee: int) -> bool:
        return bool((self.rows.loc[self.rows["mois"].dt.year == annee, "heures"] > 0).any())


#: A figure that needs a reference table → (the table, the sentence saying why it is not known).
REFERENCE_TABLES = {
    "entreprises_locales": ("T_Territoire", "la feuille Territoire est vide"),
    "qpv": ("T_QPV", "la feuille QPV est vide"),
}


def unknown_figures(c: Classeur) -> dict[str, str]:
    """The figures that cannot be known because their reference table is empty (nothing can be local
    without a territory, nobody a QPV resident without the QPV list): null with this reason, not 0."""
    return {key: reason for key, (table, reason) in REFERENCE_TABLES.items() if c[table].empty}


def _companies(c: Classeur) -> pd.DataFrame:
    """Companies with their `locale` flag: commune or postal code found in T_Territoire."""
    companies = c["T_Entreprises"].drop_duplicates("id").set_index("id")
    territory = c["T_Territoire"]
    communes = {commune_key(v) for v in territory["commune"].dropna()}
    postal = {normalise_postal(v) for v in territory["code_postal"].dropna()}
    by_commune = companies["commune"].map(lambda v: isinstance(v, str) and commune_key(v) in communes)
    by_postal = companies["code_postal"].map(lambda v: isinstance(v, str) and normalise_postal(v) in postal)
    return companies.assign(locale=(by_commune | by_postal).astype(bool))


@dataclass(frozen=True)
class Year:
    """The rows, people, contracts, markets and companies of one calendar year."""

    base: Base
    annee: int
    rows: pd.DataFrame
    people: pd.DataFrame
    contracts: pd.DataFrame
    markets: pd.DataFrame
    companies: pd.DataFrame

    @classmethod
    def of(cls, base: Base, annee: int) -> Year:
        rows = base.rows[base.rows["mois"].dt.year == annee]
        per_person = rows.groupby("participant")["heures"].sum()
        people = base.people.reindex(per_person.index[per_person > 0])
        per_contract = rows.groupby("contrat")["heures"].sum()
        contracts = rows.drop_duplicates("contrat").set_index("contrat").loc[per_contract.index[per_contract > 0]]
        per_market = rows.groupby("marche")["heures"].sum()
        m = base.markets
        start, end = pd.Timestamp(annee, 1, 1), pd.Timestamp(annee, 12, 31)
        overlaps = ~m["statut"].isin(NOT_FOLLOWED) & (m["date_debut"] <= end) & (m["date_fin"] >= start)
        markets = m[overlaps | m.index.isin(per_market.index[per_market > 0])]
        engaged = set(markets["attributaire"].dropna()) | set(contracts["employeur"].dropna())
        companies = base.companies.reindex(sorted(engaged))
        return cls(base, annee, rows, people, contracts, markets, companies)


# --- the indicators ---------------------------------------------------------------------------

def _indicators(y: Year) -> dict[str, Any]:
    params = y.base.c.params
    p = y.people
    n = len(p)
    hours = float(y.rows["heures"].sum())
    divisor = _number(params["heures_par_etp"])
    ages = p["age"]
    femmes = int((p["sexe"] == "F").sum())
    young = int((ages < 26).sum())
    unqualified = int((p["niveau_qualification"] == schema.SANS_QUALIFICATION).sum())
    qpv = int(p["has_qpv"].fillna(False).astype(bool).sum())
    markets = len(y.markets)
    by_type = _counts(y.markets["type_marche"], schema.TYPES_MARCHE)
    local = int(y.companies["locale"].fillna(False).astype(bool).sum())
    unknown = y.base.unknown
    return {
        "annee": y.annee,
        "participants": n,
        "heures": _hours(hours),
        "heures_travaillees": _hours(y.rows["heures_travaillees"].sum()),
        "heures_formation": _hours(y.rows["heures_formation"].sum()),
        "etp": hours / divisor,
        "heures_par_etp": divisor,
        "femmes": femmes,
        "part_femmes": _share(femmes, n),
        "moins_26_ans": young,
        "part_moins_26_ans": _share(young, n),
        "cinquante_ans_et_plus": int((ages >= 50).sum()),
        "sans_qualification": unqualified,
        "part_sans_qualification": _share(unqualified, n),
        "criteres": {
            label: {"nombre": (k := int(p[key].fillna(False).astype(bool).sum())), "part": _share(k, n)}
            for label, key in schema.CRITERES
        },
        "qpv": None if "qpv" in unknown else qpv,
        "part_qpv": None if "qpv" in unknown else _share(qpv, n),
        "contrats": len(y.contracts),
        "contrats_par_type": _counts(y.contracts["type_contrat"], schema.TYPES_CONTRAT),
        "contrats_par_modalite": _counts(y.contracts["modalite"], schema.MODALITES),
        "marches_suivis": markets,
        "marches_par_type": by_type,
        "part_marches_travaux": _share(by_type["Travaux"], markets),
        "marches_par_dispositif": _counts(y.markets["dispositif"], schema.DISPOSITIFS),
        "donneurs_ordre": int(y.markets["donneur_ordre"].nunique()),
        "entreprises_engagees": len(y.companies),
        "entreprises_locales": None if "entreprises_locales" in unknown else local,
        "part_entreprises_locales": None if "entreprises_locales" in unknown else _share(local, len(y.companies)),
        "sorties": _sorties(y),
        "npnru": {k: v for k, v in _npnru(y).items() if k != "objectif_heures"},
        "candidatures": _counts(_candidatures(y)["resultat"], schema.RESULTATS_CANDIDATURE),
    }


def _sorties(y: Year) -> dict[str, dict[str, int]]:
    """For people whose last contract ended in N: the category of their latest Suivi row per Échéance."""
    contracts = y.base.c["T_Contrats"].drop_duplicates("id")
    running = contracts["date_fin"].isna().groupby(contracts["participant"]).any()
    last_end = contracts.groupby("participant")["date_fin"].max()[~running]
    ended = last_end[last_end.dt.year == y.annee]
    suivi = y.base.c["T_Suivi"].sort_values(["date", "_ligne"])
    extraction = pd.Timestamp(y.base.extraction)
    out: dict[str, dict[str, int]] = {}
    for echeance, months in ECHEANCE_MONTHS.items():
        latest = suivi[suivi["echeance"] == echeance].groupby("participant")["situation"].last()
        situation = latest.reindex(ended.index)
        category = situation.map(lambda s: schema.SITUATIONS.get(s) or NOT_SORTIE, na_action="ignore")
        due = ended + pd.DateOffset(months=months)
        unknown = pd.Series(np.where(due > extraction, NOT_DUE, NO_INFO), index=ended.index)
        category = category.where(situation.notna(), unknown)
        out[echeance] = _counts(category, SORTIE_CATEGORIES)
    return out


def _npnru(y: Year) -> dict[str, Any]:
    """NPNRU markets followed in N: target, hours of N, hours of N by QPV residents, objective met."""
    m = y.markets[y.markets["npnru"].fillna(False).astype(bool)]
    rows = y.rows[y.rows["marche"].isin(m.index)]
    qpv_people = y.base.people.index[y.base.people["has_qpv"]]
    hours = float(rows["heures"].sum())
    qpv_hours = float(rows.loc[rows["participant"].isin(qpv_people), "heures"].sum())
    objective = float((m["heures_prevues"].fillna(0) * _share_in_year(m, y.annee, y.base.extraction)).sum())
    known = "qpv" not in y.base.unknown
    return {
        "heures_prevues": _hours(m["heures_prevues"].fillna(0).sum()),
        "heures": _hours(hours),
        "heures_residents_qpv": _hours(qpv_hours) if known else None,
        "part_residents_qpv": _share(qpv_hours, hours) if known else None,
        "objectif_atteint": bool(qpv_hours >= objective) if len(m) and known else None,
        "objectif_heures": objective,
    }


def _share_in_year(m: pd.DataFrame, annee: int, extraction: dt.date) -> pd.Series:
    """Share of each market's [début, fin] that falls in N, up to the extraction date."""
    start = pd.Timestamp(annee, 1, 1)
    stop = min(pd.Timestamp(annee, 12, 31), pd.Timestamp(extraction))
    span = (m["date_fin"] - m["date_debut"]).dt.days + 1
    end = m["date_fin"].where(m["date_fin"] <= stop, stop)
    begin = m["date_debut"].where(m["date_debut"] >= start, start)
    inside = (end - begin).dt.days + 1
    share: pd.Series = (inside.clip(lower=0) / span.where(span > 0, 1)).clip(0, 1)
    return share


def _candidatures(y: Year) -> pd.DataFrame:
    cand = y.base.c["T_Candidatures"]
    of_year: pd.DataFrame = cand.loc[cand["date"].dt.year == y.annee]
    return of_year


# --- the tables beside them ---------------------------------------------------------------------

def _details(y: Year) -> dict[str, Any]:
    p = y.people
    bands = pd.cut(p["age"], [-np.inf, 26, 50, np.inf], right=False, labels=AGE_BANDS)
    months = pd.date_range(pd.Timestamp(y.annee, 1, 1), periods=12, freq="MS")
    per_month = y.rows.groupby("mois")[["heures", "heures_travaillees", "heures_formation"]].sum().reindex(
        months, fill_value=0.0)
    buyers = y.base.c["T_DonneursOrdre"].drop_duplicates("id").set_index("id")
    followed_buyers = buyers.reindex(y.markets["donneur_ordre"].dropna().unique())
    cand = _candidatures(y)
    offers = int(cand["offre"].nunique())
    hired = int((cand["resultat"] == "Retenu").sum())
    by_market = y.rows.groupby("marche")["heures"].sum()
    market_kind = y.base.markets
    return {
        "heures_par_mois": {
            m.strftime("%Y-%m"): {k: _hours(v) for k, v in per_month.loc[m].items()} for m in months
        },
        "participants_par_sexe": _counts(p["sexe"], schema.SEXES),
        "participants_par_tranche_age": _counts(bands.astype(object), AGE_BANDS),
        "participants_par_qualification": _counts(p["niveau_qualification"], schema.NIVEAUX_QUALIFICATION),
        "donneurs_ordre_par_categorie": _counts(followed_buyers["categorie"], schema.CATEGORIES_DONNEUR),
        "entreprises_par_type": _counts(y.companies["type"], schema.TYPES_ENTREPRISE),
        "heures_par_type_marche": _sums(by_market, market_kind["type_marche"], schema.TYPES_MARCHE),
        "heures_par_dispositif": _sums(by_market, market_kind["dispositif"], schema.DISPOSITIFS),
        "npnru_objectif_heures": _npnru(y)["objectif_heures"],
        "offres_avec_candidatures": offers,
        "embauches": hired,
        "embauches_par_offre": _share(hired, offers),
    }


# --- helpers ----------------------------------------------------------------------------------

def _counts(values: pd.Series, choices: tuple[str, ...]) -> dict[str, int]:
    """Count per list value, every value present (0 when none), in the list's order; blank or
    invalid values under « Non renseigné » when there are any, so the counts add up to the whole."""
    counts = values.value_counts()
    out = {choice: int(counts.get(choice, 0)) for choice in choices}
    missing = len(values) - sum(out.values())
    return {**out, NOT_GIVEN: missing} if missing else out


def _sums(hours: pd.Series, kind: pd.Series, choices: tuple[str, ...]) -> dict[str, float]:
    """Hours per list value of the markets' `kind` (« Non renseigné » when some have none)."""
    kinds = kind.reindex(hours.index)
    sums = hours.groupby(kinds).sum()
    out = {choice: _hours(sums.get(choice, 0.0)) for choice in choices}
    missing = _hours(hours[~kinds.isin(choices)].sum())
    return {**out, NOT_GIVEN: missing} if missing else out


def _share(part: float, whole: float) -> float | None:
    """part ÷ whole unrounded (the outputs round when they print), None over nothing: 0 % of no one is no figure."""
    return float(part) / float(whole) if whole else None


def _hours(value: Any) -> float:
    """A sum of hours typed with at most 2 decimals: rounding to 0.01 h only drops float noise."""
    return round(float(value), 2)


def _number(value: Any) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else value
