"""Job offers behind some hires, a few cancelled, open ones at year end, and candidatures."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .chance import random_date, weighted
from .dates import REF_DATE
from .records import ROW, Company, Contract, Market, Person
from .territory import BUYERS


def offer_rows(rng: random.Random, contracts: list[Contract], people: list[Person],
                pool: list[ROW]) -> tuple[list[ROW], list[ROW]]:
    """Offers behind a share of the hires (Pourvue), a few cancelled, and open ones at year end."""
    offers: list[ROW] = []
    cands: list[ROW] = []
    counters: dict[int, int] = {}
    everyone = sorted(people, key=lambda p: p.id)

    def new_offer(market: Market, company: Company, poste: str, rome: str, kind: str,
                  hebdo: float, start: date, months: int, status: str, diffusion: date) -> ROW:
        counters[diffusion.year] = counters.get(diffusion.year, 0) + 1
        row = {
            "id": f"O{diffusion.year}-{counters[diffusion.year]:03d}", "marche": market.id,
            "entreprise": company.id, "poste": poste, "code_rome": rome, "type_contrat": kind,
            "nombre_postes": 1, "duree": f"{months} mois", "heures_hebdo": hebdo,
            "date_debut": start, "lieu": next(b[3] for b in BUYERS if b[0] == market.buyer),
            "profil": rng.choice(PROFILS), "date_limite": diffusion + timedelta(days=15),
            "statut": status, "date_diffusion": diffusion,
        }
        offers.append(row)
        return row

    hires = [c for c in sorted(contracts, key=lambda c: c.id)
             if c.modalite in ("Embauche directe", "Mise à disposition") and rng.random() < 0.3]
    for c in hires:
        diffusion = c.start - timedelta(days=rng.randint(20, 45))
        months = max(1, round((c.last_day - c.start).days / 30.4))
        offer = new_offer(c.market, c.employer, c.poste, c.rome, c.type, c.hebdo, c.start, months,
                          "Pourvue", diffusion)
        assert c.person is not None
        others = [p for p in everyone if p is not c.person
                  and abs((p.first_start - diffusion).days) < 365]
        for q in rng.sample(others, rng.randint(1, 3)):
            cands.append({"offre": offer["id"], "participant": q.id,
                          "date": diffusion + timedelta(days=rng.randint(2, 10)),
                          "resultat": weighted(rng, {"Non retenu": 65, "Désisté": 35}),
                          "commentaire": None})
        cands.append({"offre": offer["id"], "participant": c.person.id,
                      "date": min(c.start, diffusion + timedelta(days=rng.randint(3, 12))),
                      "resultat": "Retenu", "commentaire": None})
    running = [c for c in sorted(contracts, key=lambda c: c.id) if c.market.status == "En cours"]
    for c in rng.sample(running, 2):
        diffusion = random_date(rng, date(2019, 3, 1), date(2019, 9, 30))
        new_offer(c.market, c.employer, c.poste, c.rome, c.type, c.hebdo,
                  diffusion + timedelta(days=30), 2, "Annulée", diffusion)
    for c in rng.sample(running, 3):
        diffusion = random_date(rng, date(2019, 12, 2), date(2019, 12, 20))
        offer = new_offer(c.market, c.market.awardee or c.employer, c.poste, c.rome, "CDD", 35.0,
                          date(2020, 1, 20), 3, "Ouverte", diffusion)
        for q in rng.sample(pool, rng.randint(2, 4)):
            cands.append({"offre": offer["id"], "participant": q["id"],
                          "date": min(REF_DATE, diffusion + timedelta(days=rng.randint(1, 8))),
                          "resultat": rng.choice(("Proposé", "Proposé", "Entretien")),
                          "commentaire": None})
    return offers, cands


PROFILS = (
    "Débutant accepté, motivation et ponctualité ; formation sécurité assurée.",
    "Première expérience souhaitée ; port des EPI obligatoire.",
    "Goût du travail en équipe et en extérieur ; permis B apprécié.",
    "Savoir-être avant tout : l'entreprise forme au poste.",
    "Travail en horaires décalés possible ; accessible sans diplôme.",
)
