"""The T_Marches rows: clause terms and amounts consistent with the hours actually done."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from clausexl.core import schema as S

from .dates import REF_DATE
from .names import email, person_name, phone
from .plan import CA, EA, HEURES_FIXEES, HEURES_TYPED, LATE_MARKET, PRORATA, SIAE, T
from .records import ROW, Market
from .trades import CPV


def market_row(rng: random.Random, m: Market, done: float, buyer_sirets: dict[str, str],
                   numbers: dict[int, int]) -> ROW:
    """The market row: a target consistent with the hours done (mostly met, one late)."""
    if m.status == "Terminé":
        target = done / (rng.uniform(0.92, 1.35) if m.plan % 9 else rng.uniform(0.72, 0.88))
    elif m.status == "En cours":
        elapsed = (REF_DATE - m.start).days / max(1, (m.end - m.start).days)
        ratio = 0.55 if m.objet == LATE_MARKET else rng.uniform(0.95, 1.25)
        target = done / max(0.05, elapsed * ratio)
    else:
        target = rng.uniform(400, 1500)
    target = max(35.0, target)
    mode: str | None = S.MODE_TAUX if rng.random() < 0.85 else None
    part = taux = cout = heures = facture = eph = None
    if m.objet in HEURES_FIXEES:
        mode, heures = S.MODE_HEURES_FIXEES, float(round(target / 50) * 50 or 50)
        montant = round(heures * rng.uniform(38, 55), -2)
    elif m.objet == PRORATA:
        mode, eph = S.MODE_PRORATA, 2000.0
        facture = round(target * eph + rng.uniform(0, 1999), 2)
        montant = 450_000.0 if m.status == "En cours" else round(facture * 1.1, -3)
    else:
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
        cout = rng.choice((None, None, 35.0, 30.0, 32.0))
        k = (part or 0.40) * (taux or 0.07) / (cout or 35.0)
        montant = round(target / k + rng.uniform(-400, 400), 2)
        if m.objet in HEURES_TYPED:
            heures = float(math.ceil(montant * k / 10) * 10)
    year = m.start.year
    numbers[year] = numbers.get(year, 0) + 1
    m.id = f"M{year}-{numbers[year]:03d}"
    aw = m.awardee
    nom, prenom, _ = person_name(rng)
    finished = m.status == "Terminé"
    return {
        "id": m.id, "donneur_ordre": m.buyer, "operation": m.operation, "objet": m.objet,
        "lot": m.lot, "type_marche": m.type, "dispositif": m.dispositif,
        "npnru": "Oui" if m.npnru else "Non", "code_cpv": CPV[m.trade], "montant_ht": montant,
        "mode_calcul": mode, "part_main_oeuvre": part, "taux_insertion": taux,
        "cout_horaire": cout, "heures_prevues": heures, "montant_facture": facture,
        "euros_par_heure": eph,
        "date_notification": m.start - timedelta(days=rng.randint(15, 45)),
        "date_debut": m.start, "date_fin": m.end,
        "attributaire": aw.id if aw else None,
        "referent": f"{prenom} {nom}" if aw else None,
        "courriel_referent": email(prenom, nom, "example.fr") if aw else None,
        "telephone_referent": phone(rng) if aw else None,
        "penalite": rng.choice((None, None, 60.0, 50.0, 100.0)) if aw else None,
        "ponderation": rng.choice((0.1, 0.15, 0.2)) if m.dispositif == CA else None,
        "statut": m.status,
        "avis": rng.choice(AVIS) if finished else None,
        "reference_decp": f"{buyer_sirets[m.buyer]}{year}M{numbers[year]:03d}" if aw else None,
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
