"""Participants with contracts: identity, criteria and traits calibrated on 2018."""

from __future__ import annotations

import random
from datetime import date, timedelta

from clausexl.core import schema as S

from .calibration_targets import (
    CALIBRATED_YEAR,
    TARGET_NO_QUALIFICATION_2018,
    TARGET_RSA_2018,
    TARGET_SENIORS_2018,
    TARGET_YOUNG_2018,
)
from .chance import weighted
from .dates import REF_DATE
from .names import address, full_name, person_name
from .records import ROW, Person, oui_non
from .territory import COMMUNES, COMMUNES_EXTERIEURES, QPV_STREETS, QPVS, postal


def participant_rows(rng: random.Random, people: list[Person]) -> list[ROW]:
    """Participants with contracts: age, qualification and RSA calibrated on the 2018 cohort."""
    people.sort(key=lambda p: (p.first_start, min(c.market.plan for c in p.contracts)))
    for i, p in enumerate(people, 1):
        p.id = f"P{i:04d}"
    cohort = [p for p in people if p.has_hours_in(CALIBRATED_YEAR)]
    others = [p for p in people if not p.has_hours_in(CALIBRATED_YEAR)]
    young = set(map(id, rng.sample(cohort, TARGET_YOUNG_2018)))
    rest = [p for p in cohort if id(p) not in young]
    senior = set(map(id, rng.sample(rest, TARGET_SENIORS_2018)))
    no_qualif = set(map(id, rng.sample(cohort, TARGET_NO_QUALIFICATION_2018)))
    rsa = set(map(id, rng.sample(rest, TARGET_RSA_2018)))
    for p in others:
        r = rng.random()
        if r < 0.27:
            young.add(id(p))
        elif r < 0.40:
            senior.add(id(p))
        if rng.random() < 0.27:
            no_qualif.add(id(p))
        if id(p) not in young and rng.random() < 0.6:
            rsa.add(id(p))
    rows = []
    for p in people:
        band = "young" if id(p) in young else "senior" if id(p) in senior else "middle"
        rows.append(_person_row(rng, p, band, id(p) in no_qualif, id(p) in rsa))
    return rows


def birth_date(rng: random.Random, at: date, age: int) -> date:
    """A birth date giving exactly `age` years at `at` (day ≤ 28: no 29 February)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    year = at.year - age - ((at.month, at.day) < (month, day))
    return date(year, month, day)


def age_in_band(rng: random.Random, band: str, oldest_senior: int) -> int:
    """An age in the band (young 18-25, middle 26-49, senior 50+).

    Why all three draws: the generator has always drawn one age per band and kept the one it
    needed; drawing only that one would change every row that follows for a given seed.
    """
    young, senior, middle = (rng.randint(18, 25), rng.randint(50, oldest_senior),
                             rng.randint(26, 49))
    return {"young": young, "senior": senior, "middle": middle}[band]


def criteria_cells(criteria: dict[str, bool]) -> ROW:
    """The Oui/Non cells of the eligibility criteria, keyed by column."""
    return {key: oui_non(flag) for key, flag in criteria.items()}


def _person_row(rng: random.Random, p: Person, band: str, no_qualif: bool, rsa: bool) -> ROW:
    """A participant's T_Participants row, with criteria consistent with age and employers."""
    first = p.first_start
    age = age_in_band(rng, band, oldest_senior=61)
    birth = birth_date(rng, first, age)
    employers = {c.employer.type for c in p.contracts}
    handicap = bool(employers & {"EA", "ESAT"})
    siae = bool(employers & {"ETTI", "AI", "EI", "ACI", "Régie de quartier"})
    row = identity(rng, birth, age)
    crit = {
        "deld": (rng.random() < (0.2 if band == "young" else 0.55)),
        "rsa": rsa and age >= 25,
        "ass": band != "young" and not rsa and rng.random() < 0.08,
        "aah": handicap and rng.random() < 0.4,
        "rqth": handicap or rng.random() < 0.06,
        "jeune_26": age < 26,
        "senior_50": age >= 50,
        "salarie_siae": siae and rng.random() < 0.7,
        "resident_qpv": row["qpv"] is not None,
    }
    if not any(crit.values()) and rng.random() < 0.5:
        row["autre_critere"] = rng.choice(("Bénéficiaire de la protection internationale",
                                           "Sortant de détention", "Parent isolé"))
    elif not any(crit.values()):
        crit["deld"] = True
    row["niveau_qualification"] = S.SANS_QUALIFICATION if no_qualif else weighted(
        rng, {"3 (CAP, BEP)": 50, "4 (Bac)": 30, "5 (Bac+2)": 12, "6 et plus": 4})
    row.update(criteria_cells(crit))
    eligibility = first - timedelta(days=rng.randint(10, 600))
    row.update({
        "prescripteur": prescripteur(rng, band, rsa, handicap, siae),
        "referent": full_name(rng),
        "date_eligibilite": eligibility,
        "date_rgpd": min(first, eligibility + timedelta(days=rng.randint(0, 20))),
        "statut": "En poste" if any(c.last_day >= REF_DATE for c in p.contracts)
        else "Sorti du dispositif",
        "metiers": p.contracts[-1].rome if rng.random() < 0.3 else None,
        "disponible_le": None,
    })
    row["id"] = p.id
    return row


def identity(rng: random.Random, birth: date, age: int) -> ROW:
    """Name, sex, address and QPV of a person (about a third live in a QPV)."""
    nom, prenom, sexe = person_name(rng, "F" if rng.random() < 0.3 else "H")
    qpv = None
    if rng.random() < 0.33:
        qpv = rng.choice(list(QPV_STREETS))
        commune = next(q[2] for q in QPVS if q[0] == qpv)
        adresse = address(rng, rng.choice(QPV_STREETS[qpv]))
    else:
        commune = rng.choice(COMMUNES)[0] if rng.random() < 0.88 else rng.choice(COMMUNES_EXTERIEURES)[0]
        adresse = address(rng)
    permis = rng.random() < (0.45 if age < 26 else 0.65)
    return {
        "id": "", "nom": nom, "prenom": prenom, "sexe": sexe, "date_naissance": birth,
        "adresse": adresse, "code_postal": postal(commune), "commune": commune, "qpv": qpv,
        "autre_critere": None,
        "permis_b": oui_non(permis),
        "vehicule": oui_non(permis and rng.random() < 0.75),
    }


def prescripteur(rng: random.Random, band: str, rsa: bool, handicap: bool, siae: bool) -> str:
    """Who referred the person: the usual service for their situation, else France Travail mostly."""
    if handicap:
        return "Cap emploi"
    if band == "young" and rng.random() < 0.75:
        return "Mission locale"
    if rsa and rng.random() < 0.7:
        return rng.choice(("Département", "PLIE"))
    if siae and rng.random() < 0.5:
        return "SIAE"
    return weighted(rng, {"France Travail": 65, "PLIE": 15, "Candidature spontanée": 12,
                          "Autre": 8})
