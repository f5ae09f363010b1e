"""A seeded, valid, large workbook of the contract, for the performance benchmark.

At scale 1 it holds what a metropolitan facilitation service (or a network) keeps over ten years
(2015–2024): about 3 000 markets, 400 buyers, 2 500 companies, 20 000 participants, 40 000
contracts and 400 000 monthly hour rows; every other table in proportion. Every row follows the
contract (valid SIRET, ROME codes, dates inside their market and contract, flags consistent with
ages, no duplicate month), so `valider` reports few findings and the verbs do their full work.

The data is generated column by column with numpy (columns keyed by the schema's column keys), then
written with XlsxWriter's `constant_memory` mode: same sheets, table (ListObject) names, headers,
number formats and drop-down lists as `workbook_build`, but streamed row by row, so ×2
(800 000 hour rows) is written in well under a minute and small memory.

    python bench/generate.py --taille 1 --graine 42 bench/data/grand-x1.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_range

from clausexl.adapters import workbook_build as wb
from clausexl.core import schema
from clausexl.core.schema import Kind

#: Table sizes at scale 1 (T_Heures follows from the contracts' lengths: ~10 months each).
SIZES = {
    "T_DonneursOrdre": 400, "T_Marches": 3000, "T_Entreprises": 2500, "T_Participants": 20000,
    "T_Contrats": 40000, "T_Offres": 600, "T_Candidatures": 2400,
}
FIRST_YEAR, YEARS = 2015, 10
LAST_DAY = np.datetime64(f"{FIRST_YEAR + YEARS - 1}-12-31")
#: The extraction date the data is "as of": statuses and follow-ups are consistent with it.
AS_OF = LAST_DAY
#: The month of the statements (courriers): every market still En cours gets one (~5 % of the markets),
#: and the year of the bilan.
MONTH_OF_LETTERS = "2024-01"
YEAR_OF_BILAN = 2021

Columns = dict[str, Any]  # column key -> numpy array or list (None = empty cell)

COMMUNES = [
    ("Cherbourg-en-Cotentin", "50100"), ("Valognes", "50700"), ("La Hague", "50440"),
    ("Les Pieux", "50340"), ("Bricquebec-en-Cotentin", "50260"), ("Saint-Lô", "50000"),
    ("Coutances", "50200"), ("Granville", "50400"), ("Avranches", "50300"), ("Caen", "14000"),
    ("Hérouville-Saint-Clair", "14200"), ("Lisieux", "14100"), ("Bayeux", "14400"),
    ("Alençon", "61000"), ("Rouen", "76000"), ("Le Havre", "76600"), ("Évreux", "27000"),
    ("Dieppe", "76200"), ("Vire Normandie", "14500"), ("Flers", "61100"),
]
TERRITOIRE = COMMUNES[:10]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
        "Bonnet", "François", "Martinez", "Lemoine", "Marie", "Hamon", "Lecoq", "Lebrun", "Diallo"]
PRENOMS = ["Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Lucas", "Hugo", "Louis", "Nathan",
           "Yanis", "Mohamed", "Karim", "Julie", "Aïcha", "Mathieu", "Kévin", "Sophie", "Nadia", "Éric"]
OBJETS = ["Construction d'un groupe scolaire", "Réhabilitation de logements", "Entretien des espaces verts",
          "Nettoyage des locaux", "Voirie et réseaux divers", "Restauration collective",
          "Collecte des déchets", "Rénovation énergétique", "Gros œuvre", "Menuiseries extérieures"]
POSTES = [("Maçon", "F1703"), ("Agent d'entretien", "K2204"), ("Ouvrier du paysage", "A1203"),
          ("Manœuvre", "F1704"), ("Peintre", "F1606"), ("Plaquiste", "F1604"), ("Cariste", "N1101"),
          ("Commis de cuisine", "G1602"), ("Agent de tri", "K2301"), ("Électricien", "F1602")]
QPV = [(f"QN050{i:02d}M", f"Quartier {i}", COMMUNES[i % 10][0]) for i in range(1, 21)]


# --- generation ----------------------------------------------------------------------------

def generate(scale: float = 1.0, seed: int = 42) -> dict[str, Columns]:
    """Every table of the workbook at `scale`, as columns keyed by schema column keys."""
    rng = np.random.default_rng(seed)
    n = {name: max(2, round(size * scale)) for name, size in SIZES.items()}
    tables: dict[str, Columns] = {}
    tables["T_DonneursOrdre"] = _buyers(rng, n["T_DonneursOrdre"])
    tables["T_Entreprises"] = companies = _companies(rng, n["T_Entreprises"])
    tables["T_Marches"] = markets = _markets(rng, n["T_Marches"], n["T_DonneursOrdre"], companies)
    contracts, placed = _contracts(rng, n["T_Contrats"], n["T_Participants"], markets, companies)
    tables["T_Contrats"] = contracts
    tables["T_Participants"] = _participants(rng, n["T_Participants"], contracts, placed)
    tables["T_Heures"] = _hours(rng, contracts)
    tables["T_Suivi"] = _follow_ups(rng, contracts)
    tables["T_Offres"] = offers = _offers(rng, n["T_Offres"], markets)
    tables["T_Candidatures"] = _applications(rng, n["T_Candidatures"], offers, n["T_Participants"])
    tables["T_Partenaires"] = _partners()
    tables["T_QPV"] = {"code": [q[0] for q in QPV], "nom": [q[1] for q in QPV],
                       "commune": [q[2] for q in QPV],
                       "valide_du": np.full(len(QPV), np.datetime64("2015-01-01")),
                       "valide_au": np.full(len(QPV), np.datetime64("NaT"), dtype="datetime64[D]")}
    tables["T_Territoire"] = {"commune": [c for c, _ in TERRITOIRE], "code_postal": [p for _, p in TERRITOIRE]}
    return tables


def _ids(prefix: str, count: int, width: int) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]


def _pick(rng: np.random.Generator, values: list[Any] | tuple[Any, ...], count: int,
          p: list[float] | None = None) -> list[Any]:
    index = rng.choice(len(values), size=count, p=p)
    return [values[i] for i in index]


def _sirets(rng: np.random.Generator, count: int) -> list[str]:
    """Valid SIRETs: 13 random digits (never La Poste's SIREN) and the Luhn check digit."""
    digits = rng.integers(0, 10, size=(count, 14))
    digits[:, 0] = rng.integers(1, 3, size=count)  # never 356000000 (La Poste)
    digits[:, 13] = 0
    weights = np.where(np.arange(14)[::-1] % 2 == 1, 2, 1)  # from the right, every second digit doubled
    doubled = digits * weights
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    digits[:, 13] = (10 - doubled.sum(axis=1) % 10) % 10
    return ["".join(map(str, row)) for row in digits.tolist()]


def _places(rng: np.random.Generator, count: int) -> tuple[list[str], list[str]]:
    picks = _pick(rng, COMMUNES, count)
    return [c for c, _ in picks], [p for _, p in picks]


def _buyers(rng: np.random.Generator, count: int) -> Columns:
    communes, postals = _places(rng, count)
    ids = _ids("D", count, 4)
    return {
        "id": ids, "nom": [f"Acheteur {i[1:]} – {c}" for i, c in zip(ids, communes)],
        "categorie": _pick(rng, schema.CATEGORIES_DONNEUR, count), "siret": _sirets(rng, count),
        "adresse": [f"{k} place de la Mairie" for k in rng.integers(1, 99, count)],
        "code_postal": postals, "commune": communes,
        "contact": [f"{p} {n}" for p, n in zip(_pick(rng, PRENOMS, count), _pick(rng, NOMS, count))],
        "courriel": [f"marches@{i.lower()}.example.fr" for i in ids], "telephone": ["02 33 00 00 00"] * count,
    }


#: Company types: most are classical awardees; the end of the list are placing employers.
PLACING_TYPES = ("ETTI", "AI", "GEIQ", "ETT")


def _companies(rng: np.random.Generator, count: int) -> Columns:
    communes, postals = _places(rng, count)
    ids = _ids("E", count, 5)
    placing = rng.random(count) < 0.15
    types = np.where(placing, np.array(_pick(rng, PLACING_TYPES, count), dtype=object),
                     np.array(_pick(rng, ("Entreprise classique", "EI", "ACI", "EA", "Régie de quartier"),
                                    count, p=[0.85, 0.05, 0.04, 0.03, 0.03]), dtype=object))
    return {
        "id": ids, "raison_sociale": [f"Entreprise {i[1:]} SARL" for i in ids], "siret": _sirets(rng, count),
        "type": types.tolist(), "adresse": [f"{k} rue de l'Industrie" for k in rng.integers(1, 200, count)],
        "code_postal": postals, "commune": communes,
        "contact": [f"{p} {n}" for p, n in zip(_pick(rng, PRENOMS, count), _pick(rng, NOMS, count))],
        "courriel": [f"contact@{i.lower()}.example.fr" for i in ids], "telephone": ["02 33 11 11 11"] * count,
        "_placing": placing,
    }


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype("timedelta64[D]")


def _markets(rng: np.random.Generator, count: int, buyers: int, companies: Columns) -> Columns:
    start = np.datetime64(f"{FIRST_YEAR}-01-01") + _days(rng.integers(0, 7 * 365, count))
    end = start + _days(rng.integers(600, 1090, count))
    amount = np.round(np.exp(rng.uniform(np.log(80_000), np.log(6_000_000), count)), -2)
    mode = rng.choice(3, size=count, p=[0.85, 0.10, 0.05])
    awardees = np.flatnonzero(~companies["_placing"])
    typed_hours = np.where(mode == 1, np.round(amount * 0.4 * 0.07 / 35), np.nan)
    invoiced = np.where(mode == 2, np.round(amount * rng.uniform(0.2, 1.0, count), -2), np.nan)
    per_hour = np.where(mode == 2, 2000.0, np.nan)
    objets = _pick(rng, OBJETS, count)
    return {
        "id": _ids("M", count, 5), "donneur_ordre": [f"D{i:04d}" for i in rng.integers(1, buyers + 1, count)],
        "operation": [f"Opération {k}" for k in rng.integers(1, max(2, count // 3), count)],
        "objet": objets, "lot": [f"Lot {k}" for k in rng.integers(1, 12, count)],
        "type_marche": _pick(rng, schema.TYPES_MARCHE, count, p=[0.55, 0.35, 0.05, 0.05]),
        "dispositif": _pick(rng, schema.DISPOSITIFS, count, p=[0.7, 0.15, 0.08, 0.02, 0.05]),
        "npnru": (rng.random(count) < 0.1).tolist(), "code_cpv": ["45210000"] * count,
        "montant_ht": amount, "mode_calcul": [(None, schema.MODE_HEURES_FIXEES, schema.MODE_PRORATA)[m] for m in mode],
        "part_main_oeuvre": np.where(rng.random(count) < 0.3, 0.5, np.nan),
        "taux_insertion": np.where(rng.random(count) < 0.3, 0.05, np.nan),
        "cout_horaire": np.where(rng.random(count) < 0.2, 30.0, np.nan),
        "heures_prevues": typed_hours, "montant_facture": invoiced, "euros_par_heure": per_hour,
        "date_notification": start - _days(rng.integers(10, 60, count)), "date_debut": start, "date_fin": end,
        "attributaire": [companies["id"][i] for i in rng.choice(awardees, count)],
        "referent": [f"{p} {n}" for p, n in zip(_pick(rng, PRENOMS, count), _pick(rng, NOMS, count))],
        "courriel_referent": [f"referent{k}@example.fr" for k in range(count)],
        "telephone_referent": ["06 00 00 00 00"] * count, "penalite": np.full(count, np.nan),
        "ponderation": np.where(rng.random(count) < 0.15, 0.1, np.nan),
        "statut": np.where(end >= np.datetime64(f"{FIRST_YEAR + YEARS - 1}-01-01"), "En cours", "Terminé").tolist(),
        "avis": [None] * count, "reference_decp": [None] * count, "commentaire": [None] * count,
    }


def _month_number(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (so consecutive months differ by one)."""
    return days.astype("datetime64[M]").astype(int)


def _contracts(rng: np.random.Generator, count: int, participants: int, markets: Columns,
               companies: Columns) -> tuple[Columns, np.ndarray]:
    """Contracts inside their market's dates, each participant placed at least once (90 % of them)."""
    placed = max(1, int(participants * 0.9))
    who = np.concatenate([rng.permutation(placed), rng.integers(0, placed, max(0, count - placed))])[:count]
    market = rng.integers(0, len(markets["id"]), count)
    m_start, m_end = markets["date_debut"][market], markets["date_fin"][market]
    length = rng.integers(15, 575, count)  # days: from half a month to 19 months
    room = (m_end - m_start).astype(int) - length
    start = m_start + _days((rng.random(count) * np.maximum(room, 0)).astype(int))
    end = start + _days(length)
    placing = np.flatnonzero(companies["_placing"])
    awardee = np.array(markets["attributaire"], dtype=object)[market]
    placed_by = np.array(companies["id"], dtype=object)[rng.choice(placing, count)]
    via_placing = rng.random(count) < 0.3
    employer = np.where(via_placing, placed_by, awardee)
    modalite = np.where(via_placing, "Mise à disposition",
                        np.array(_pick(rng, ("Embauche directe", "Sous-traitance ou co-traitance SIAE", "Formation"),
                                       count, p=[0.85, 0.1, 0.05]), dtype=object))
    postes = rng.integers(0, len(POSTES), count)
    return {
        "id": _ids("C", count, 6), "participant": [f"P{i + 1:06d}" for i in who],
        "marche": [markets["id"][i] for i in market], "employeur": employer.tolist(), "modalite": modalite.tolist(),
        "type_contrat": np.where(via_placing, "Intérim",
                                 np.array(_pick(rng, ("CDD", "CDDI", "CDI", "Apprentissage", "Professionnalisation"),
                                                count, p=[0.5, 0.25, 0.15, 0.05, 0.05]), dtype=object)).tolist(),
        "poste": [POSTES[i][0] for i in postes], "code_rome": [POSTES[i][1] for i in postes],
        "date_debut": start, "date_fin": end, "heures_hebdo": np.where(rng.random(count) < 0.7, 35.0, 24.0),
        "_who": who,
    }, np.arange(placed)


def _hours(rng: np.random.Generator, contracts: Columns) -> Columns:
    """One row per contract and month of its dates (vectorised: repeat and offset)."""
    first = _month_number(contracts["date_debut"])
    last = _month_number(contracts["date_fin"])
    months = last - first + 1
    contract = np.repeat(np.arange(len(months)), months)
    offset = np.arange(len(contract)) - np.repeat(np.cumsum(months) - months, months)
    mois = (first[contract] + offset).astype("datetime64[M]").astype("datetime64[D]")
    count = len(contract)
    worked = np.round(rng.uniform(20, 151, count) * 2) / 2
    # A few long months (over 200 h: a warning), as any real workbook has, so that the findings'
    # path is exercised too.
    worked[rng.random(count) < 0.002] = 205.0
    training = np.where(rng.random(count) < 0.1, rng.integers(7, 36, count).astype(float), np.nan)
    ids = contracts["id"]
    return {
        "contrat": [ids[i] for i in contract], "mois": mois, "heures_travaillees": worked,
        "heures_formation": training,
        "source": _pick(rng, schema.SOURCES_HEURES, count, p=[0.6, 0.2, 0.1, 0.05, 0.05]),
        "commentaire": [None] * count,
    }


def _age(birth: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Whole years, as docs/calculs.md counts them (minus one before the birthday)."""
    by, bm, bd = _ymd(birth)
    wy, wm, wd = _ymd(when)
    return wy - by - ((wm < bm) | ((wm == bm) & (wd < bd)))


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    return (years.astype(int) + 1970, (months - years.astype("datetime64[M]")).astype(int) + 1,
            (days - months.astype("datetime64[D]")).astype(int) + 1)


def _participants(rng: np.random.Generator, count: int, contracts: Columns, placed: np.ndarray) -> Columns:
    """People with criteria, QPV code and Jeune/Senior flags consistent with their age at the first contract."""
    first = np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
    order = np.lexsort((contracts["date_debut"], contracts["_who"]))
    who_sorted = contracts["_who"][order]
    starts = np.unique(who_sorted, return_index=True)
    first[starts[0]] = contracts["date_debut"][order][starts[1]]
    has_contract = ~np.isnat(first)
    reference = np.where(has_contract, first, np.datetime64("2024-06-01"))
    age_years = _age_draw(rng, count)
    birth = reference - _days((age_years * 365.25 + rng.integers(0, 360, count)).astype(int))
    age = _age(birth, reference)
    qpv = rng.random(count) < 0.2
    flags = {key: rng.random(count) < p for key, p in
             (("deld", 0.4), ("rsa", 0.45), ("ass", 0.05), ("aah", 0.05), ("rqth", 0.1), ("salarie_siae", 0.1))}
    flags["jeune_26"] = age < 26
    flags["senior_50"] = age >= 50
    flags["resident_qpv"] = qpv
    none = ~np.any(np.column_stack(list(flags.values())), axis=1)
    flags["deld"] = flags["deld"] | none
    communes, postals = _places(rng, count)
    eligibility = np.where(has_contract, first - _days(rng.integers(0, 600, count)),
                           np.datetime64("NaT"))
    last_end = np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
    _last_end(last_end, contracts)
    statut = np.where(~has_contract, "Repéré", np.where(last_end >= AS_OF - 180, "En poste", "Sorti du dispositif"))
    return {
        "id": _ids("P", count, 6), "nom": _pick(rng, NOMS, count), "prenom": _pick(rng, PRENOMS, count),
        "sexe": _pick(rng, schema.SEXES, count, p=[0.3, 0.7]), "date_naissance": birth,
        "adresse": [f"{k} rue des Lilas" for k in rng.integers(1, 150, count)],
        "code_postal": postals, "commune": communes,
        "qpv": [QPV[k][0] if q else None for k, q in zip(rng.integers(0, len(QPV), count), qpv)],
        "niveau_qualification": _pick(rng, schema.NIVEAUX_QUALIFICATION, count, p=[0.25, 0.35, 0.25, 0.1, 0.05]),
        **{key: flags[key].tolist() for _, key in schema.CRITERES},
        "autre_critere": [None] * count,
        "prescripteur": _pick(rng, schema.PRESCRIPTEURS, count),
        "referent": _pick(rng, NOMS, count), "date_eligibilite": eligibility, "date_rgpd": eligibility,
        "statut": statut.tolist(),
        "metiers": [f"{POSTES[a][1]};{POSTES[b][1]}" for a, b in rng.integers(0, len(POSTES), (count, 2))],
        "permis_b": (rng.random(count) < 0.6).tolist(), "vehicule": (rng.random(count) < 0.4).tolist(),
        "disponible_le": np.full(count, np.datetime64("NaT"), dtype="datetime64[D]"),
    }


def _age_draw(rng: np.random.Generator, count: int) -> np.ndarray:
    band = rng.choice(3, size=count, p=[0.3, 0.55, 0.15])
    low, high = np.array([18, 26, 50])[band], np.array([26, 50, 63])[band]
    return rng.integers(low, high)


def _last_end(out: np.ndarray, contracts: Columns) -> None:
    """Latest Date de fin per participant, in place (vectorised)."""
    days = out.view("int64")
    days[:] = np.iinfo(np.int64).min  # NaT
    np.maximum.at(days, contracts["_who"], contracts["date_fin"].astype("int64"))


def _follow_ups(rng: np.random.Generator, contracts: Columns) -> Columns:
    """For each participant's last contract: the "Fin de contrat" and "6 mois" situations that are due."""
    who, ends = contracts["_who"], contracts["date_fin"]
    order = np.lexsort((ends, who))
    last = order[np.r_[who[order][1:] != who[order][:-1], True]]
    rows_p, rows_e, rows_d = [], [], []
    for echeance, months in (("Fin de contrat", 0), ("6 mois", 6)):
        due = ends[last] + _days(np.full(len(last), months * 30))
        keep = (due <= AS_OF) & (rng.random(len(last)) < 0.85)
        rows_p.append(who[last][keep])
        rows_e += [echeance] * int(keep.sum())
        rows_d.append(due[keep])
    people = np.concatenate(rows_p)
    count = len(people)
    situations = tuple(s for s in schema.SITUATIONS if schema.SITUATIONS[s] is not None)
    return {
        "participant": [f"P{i + 1:06d}" for i in people], "echeance": rows_e, "date": np.concatenate(rows_d),
        "situation": _pick(rng, situations, count), "source": ["Entretien"] * count, "commentaire": [None] * count,
    }


def _offers(rng: np.random.Generator, count: int, markets: Columns) -> Columns:
    market = rng.integers(0, len(markets["id"]), count)
    postes = rng.integers(0, len(POSTES), count)
    start = markets["date_debut"][market] + _days(rng.integers(0, 300, count))
    return {
        "id": _ids("O", count, 5), "marche": [markets["id"][i] for i in market],
        "entreprise": [markets["attributaire"][i] for i in market],
        "poste": [POSTES[i][0] for i in postes], "code_rome": [POSTES[i][1] for i in postes],
        "type_contrat": _pick(rng, ("CDD", "CDDI", "Intérim"), count),
        "nombre_postes": rng.integers(1, 4, count).astype(float),
        "duree": ["6 mois"] * count, "heures_hebdo": np.full(count, 35.0), "date_debut": start,
        "lieu": _pick(rng, [c for c, _ in COMMUNES], count), "profil": ["Débutant accepté"] * count,
        "date_limite": start - _days(np.full(count, 15)),
        "statut": np.where(start < AS_OF - 60, "Pourvue", "Ouverte").tolist(),
        "date_diffusion": start - _days(np.full(count, 30)),
    }


def _applications(rng: np.random.Generator, count: int, offers: Columns, participants: int) -> Columns:
    offer = rng.integers(0, len(offers["id"]), count)
    return {
        "offre": [offers["id"][i] for i in offer],
        "participant": [f"P{i:06d}" for i in rng.integers(1, participants + 1, count)],
        "date": offers["date_diffusion"][offer] + _days(rng.integers(1, 14, count)),
        "resultat": _pick(rng, schema.RESULTATS_CANDIDATURE, count), "commentaire": [None] * count,
    }


def _partners() -> Columns:
    types = schema.TYPES_PARTENAIRE
    count = 3 * len(types)
    return {
        "id": _ids("PA", count, 3), "nom": [f"{types[i % len(types)]} {i // len(types) + 1}" for i in range(count)],
        "type": [types[i % len(types)] for i in range(count)], "contact": ["Conseiller emploi"] * count,
        "courriel": [f"offres{i}@partenaire.example.fr" for i in range(count)],
        "adresse": ["1 rue de la Gare"] * count, "code_postal": [COMMUNES[i % 10][1] for i in range(count)],
        "commune": [COMMUNES[i % 10][0] for i in range(count)], "recoit_offres": [i % 4 != 3 for i in range(count)],
    }


# --- rows for the ordinary build (small sizes, tests) ---------------------------------------

def as_rows(tables: Mapping[str, Columns]) -> dict[str, list[dict[str, Any]]]:
    """The same data as row dicts by column key, for `workbook_build.build_workbook` (small sizes)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, columns in tables.items():
        keys = schema.table(name).keys
        cells = [_python_values(columns[k]) if k in columns else None for k in keys]
        count = len(next(c for c in cells if c is not None))
        out[name] = [
            {k: c[i] for k, c in zip(keys, cells) if c is not None and c[i] is not None}
            for i in range(count)
        ]
    return out


def _python_values(values: Any) -> list[Any]:
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return [None if np.isnat(v) else v.astype(dt.date) for v in values.astype("datetime64[D]")]
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return [None if v != v else v for v in values.tolist()]
    return list(values.tolist() if isinstance(values, np.ndarray) else values)


# --- streaming writer -------------------------------------------------------------------------

_EXCEL_EPOCH = np.datetime64("1899-12-30")


def write_workbook(path: Path, tables: Mapping[str, Columns]) -> None:
    """The workbook with the layout of `workbook_build`, streamed (XlsxWriter constant_memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.xlsx")
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        _write(tmp, tables, scratch)
    tmp.replace(path)


def _write(tmp: Path, tables: Mapping[str, Columns], scratch: str) -> None:
    book = xlsxwriter.Workbook(str(tmp), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "tmpdir": scratch,
    })
    book.set_properties(wb.PROPERTIES)
    formats = wb._Formats(book)
    parameters = {schema.PARAMETRES.name: _parameter_columns()}
    for table in schema.TABLES:
        columns = parameters.get(table.name) or tables.get(table.name, {})
        _stream_table(book.add_worksheet(table.sheet), table, columns, formats)
    for name in schema.RESULT_SHEETS:
        book.add_worksheet(name).write_string(0, 0, wb.RESULT_NOTE, formats.note)
    wb._write_lists(book, formats)
    wb._write_xlwings_conf(book.add_worksheet(wb.XLWINGS_CONF_SHEET))
    book.close()


def _parameter_columns() -> Columns:
    return {"parametre": [p.name for p in schema.PARAMETERS], "valeur": [p.default for p in schema.PARAMETERS],
            "commentaire": [p.comment or None for p in schema.PARAMETERS]}


def _stream_table(sheet: Any, table: schema.Table, columns: Columns, formats: Any) -> None:
    """Header and table object first (constant_memory writes rows in order), then the rows."""
    count = len(next(iter(columns.values()))) if columns else 0
    last_row = max(count, 1)
    ncols = len(table.columns)
    column_formats = [formats.of(c.kind) for c in table.columns]
    # add_table refuses constant_memory and records every cell of its range: declare it on two rows
    # with constant_memory off, widen its range to the data, then write the header again as
    # streamed cells (row 0, flushed when row 1 is written).
    sheet.constant_memory = 0
    sheet.add_table(0, 0, 1, ncols - 1, {
        "name": table.name, "style": wb.TABLE_STYLE,
        "columns": [{"header": c.label, **({"format": f} if f is not None else {})}
                    for c, f in zip(table.columns, column_formats)],
    })
    sheet.tables[-1]["range"] = xl_range(0, 0, last_row, ncols - 1)
    sheet.tables[-1]["a_range"] = xl_range(0, 0, last_row, ncols - 1)
    sheet.constant_memory = 1
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.label)
    for col, (column, cell_format) in enumerate(zip(table.columns, column_formats)):
        sheet.set_column(col, col, column.width, cell_format)
        source = schema.list_source_of(column)
        if source is not None:
            sheet.data_validation(1, col, last_row, col, {
                "validate": "list", "source": f"={source.name}", "error_title": "Valeur hors liste",
                "error_message": f"« {column.header} » : choisissez une valeur dans la liste.",
            })
    sheet.freeze_panes(1, 0)
    writers = [
        (col, *_cell_writer(sheet, column, columns[column.key], fmt, formats))
        for col, (column, fmt) in enumerate(zip(table.columns, column_formats)) if column.key in columns
    ]
    for row in range(count):
        for col, write, values, fmt in writers:
            value = values[row]
            if value is not None:
                write(row + 1, col, value, fmt)


def _cell_writer(sheet: Any, column: schema.Column, values: Any, fmt: Any, formats: Any) -> tuple[Any, list[Any], Any]:
    """(write function, Python values with None for empty cells, format) for one column."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        serial = (values.astype("datetime64[D]") - _EXCEL_EPOCH).astype("timedelta64[D]").astype(float)
        serial[np.isnat(values)] = np.nan
        fmt = fmt if column.kind in (Kind.DATE, Kind.MONTH) else formats.date
        return sheet.write_number, [None if v != v else v for v in serial.tolist()], fmt
    if isinstance(values, np.ndarray) and values.dtype.kind in "fi":
        return sheet.write_number, [None if v != v else v for v in values.astype(float).tolist()], fmt
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if column.kind is Kind.YESNO:
        return sheet.write_string, ["Oui" if v else "Non" for v in values], fmt
    if column.key == "valeur":  # T_Parametres: numbers and text mixed
        return sheet.write, values, None
    return sheet.write_string, values, fmt


# --- command line --------------------------------------------------------------------------

def build(path: Path, scale: float, seed: int = 42) -> dict[str, int]:
    """Generate and write; the number of rows per table."""
    tables = generate(scale, seed)
    write_workbook(path, tables)
    return {name: len(next(iter(cols.values()))) for name, cols in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Classeur de test de performance (données fictives).")
    parser.add_argument("chemin", type=Path)
    parser.add_argument("--taille", type=float, default=1.0, help="1 = ~400 000 lignes d'heures")
    parser.add_argument("--graine", type=int, default=42)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = build(args.chemin, args.taille, args.graine)
    elapsed = time.perf_counter() - started
    print(", ".join(f"{name} {count}" for name, count in counts.items()), file=sys.stderr)
    print(f"{args.chemin} écrit en {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
