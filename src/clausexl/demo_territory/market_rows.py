"""The T_Marches rows: clause terms and amounts consistent with the hours actually done."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from clausexl.core import schema as S

from .dates import REF_DATE
from .names import contact, phone
from .plan import CA, EA, HEURES_FIXEES, HEURES_TYPED, LATE_MARKET, PRORATA, SIAE, T
from .records import ROW, Market, YearlyNumbers, oui_non
from .trades import CPV


# Alike core/hours.Target in shape only: the demo draws terms, Target computes from them.
@dataclass(frozen=True)
class _ClauseTerms:
    """How a market's clause is written: the mode and the figures the target comes from."""

    montant: float
    mode: str | None = None
    part: float | None = None
    taux: float | None = None
    cout: float | None = None
    heures: float | None = None
    facture: float | None = None
    euros_par_heure: float | None = None


def _target_hours(rng: random.Random, m: Market, done: float) -> float:
    """A target that the hours done mostly meet (one finished market in nine falls short, the
    late market is well behind), or a plain figure for a market with no hours."""
    if m.status == "Terminé":
        target = done / (rng.uniform(0.92, 1.35) if m.plan % 9 else rng.uniform(0.72, 0.88))
    elif m.status == "En cours":
        elapsed = (REF_DATE - m.start).days / max(1, (m.end - m.start).days)
        ratio = 0.55 if m.objet == LATE_MARKET else rng.uniform(0.95, 1.25)
        target = done / max(0.05, elapsed * ratio)
    else:
        target = rng.uniform(400, 1500)
    return max(35.0, target)


def _clause_terms(rng: random.Random, m: Market, target: float) -> _ClauseTerms:
    """Terms that give back `target` hours under docs/calculs.md §1: fixed hours, prorata of the
    invoiced amount, or (mostly) amount × labour share × rate / hourly cost, some values left
    empty so that the parameters' defaults apply."""
    mode: str | None = S.MODE_TAUX if rng.random() < 0.85 else None
    if m.objet in HEURES_FIXEES:
        heures = float(round(target / 50) * 50 or 50)
        return _ClauseTerms(round(heures * rng.uniform(38, 55), -2), S.MODE_HEURES_FIXEES,
                            heures=heures)
    if m.objet == PRORATA:
        eph = 2000.0
        facture = round(target * eph + rng.uniform(0, 1999), 2)
        montant = 450_000.0 if m.status == "En cours" else round(facture * 1.1, -3)
        return _ClauseTerms(montant, S.MODE_PRORATA, facture=facture, euros_par_heure=eph)
    part: float | None
    taux: float | None
    if m.dispositif in (SIAE, EA):
        part, taux = round(rng.uniform(0.6, 0.8), 2), round(rng.uniform(0.4, 0.6), 2)
    else:
        part = round(rng.choice((0.3, 0.35, 0.4, 0.45, 0.5)) if m.type == T
                     else rng.choice((0.5, 0.55, 0.6, 0.7)), 2)
        taux = rng.choice((0.05, 0.06, 0.07, 0.08, 0.1))
        if rng.random() < 0.15:
            part = None  # falls back to the parameter (40 %)
        if rng.random() < 0.15:
            taux = None  # falls back to the parameter (7 %)
    cout: float | None = rng.choice((None, None, 35.0, 30.0, 32.0))
    k = (part or 0.40) * (taux or 0.07) / (cout or 35.0)
    montant = round(target / k + rng.uniform(-400, 400), 2)
    typed = float(math.ceil(montant * k / 10) * 10) if m.objet in HEURES_TYPED else None
    return _ClauseTerms(montant, mode, part, taux, cout, typed)


def market_row(rng: random.Random, m: Market, done: float, buyer_sirets: dict[str, str],
               numbers: YearlyNumbers) -> ROW:
    """The T_Marches row, which also gives the market its ID (M<year of start>-<serial>)."""
    terms = _clause_terms(rng, m, _target_hours(rng, m, done))
    year = m.start.year
    serial = numbers.next(year)
    m.id = f"M{year}-{serial:03d}"
    aw = m.awardee
    referent, referent_mail = contact(rng, "example.fr")
    finished = m.status == "Terminé"
    return {
        "id": m.id, "donneur_ordre": m.buyer, "operation": m.operation, "objet": m.objet,
        "lot": m.lot, "type_marche": m.type, "dispositif": m.dispositif,
        "npnru": oui_non(m.npnru), "code_cpv": CPV[m.trade], "montant_ht": terms.montant,
        "mode_calcul": terms.mode, "part_main_oeuvre": terms.part, "taux_insertion": terms.taux,
        "cout_horaire": terms.cout, "heures_prevues": terms.heures,
        "montant_facture": terms.facture, "euros_par_heure": terms.euros_par_heure,
        "date_notification": m.start - timedelta(days=rng.randint(15, 45)),
        "date_debut": m.start, "date_fin": m.end,
        "attributaire": aw.id if aw else None,
        "referent": referent if aw else None,
        "courriel_referent": referent_mail if aw else None,
        "telephone_referent": phone(rng) if aw else None,
        "penalite": rng.choice((None, None, 60.0, 50.0, 100.0)) if aw else None,
        "ponderation": rng.choice((0.1, 0.15, 0.2)) if m.dispositif == CA else None,
        "statut": m.status,
        "avis": rng.choice(AVIS) if finished else None,
        "reference_decp": f"{buyer_sirets[m.buyer]}{year}M{serial:03d}" if aw else None,
        "motif_derogation": None,
        "commentaire": COMMENTS.get(m.status),
    }


AVIS = (
    "Entreprise très impliquée : recrutements diversifiés, suivi mensuel régulier.",
    "Objectif atteint grâce à la mise à disposition par l'ETTI ; relevés parfois tardifs.",
    "Bonne collaboration, deux embauches durables à l'issue du chantier.",
    "Engagement respecté ; tutorat de qualité sur le chantier.",
)
COMMENTS = {
    "Abandonné": "Procédure déclarée sans suite (offres inacceptables).",
    "En préparation": "Clause à rédiger avec le bailleur ; opération NPNRU.",
}
