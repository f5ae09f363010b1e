"""Job offers behind some hires, a few cancelled, open ones at year end, and candidatures."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .chance import random_date, weighted
from .dates import REF_DATE
from .records import ROW, Company, Contract, Person, YearlyNumbers
from .territory import BUYERS


class _OfferBook:
    """The offers and candidatures written so far; offers are numbered per year of diffusion."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.offers: list[ROW] = []
        self.candidatures: list[ROW] = []
        self._numbers = YearlyNumbers()

    def publish(self, c: Contract, start: date, months: int, status: str, diffusion: date, *,
                company: Company | None = None, kind: str | None = None,
                hebdo: float | None = None, deadline: date | None = None) -> str:
        """Add the offer for the post of contract `c` (its employer and terms unless given); replies are due
        15 days after diffusion unless `deadline` is given."""
        serial = self._numbers.next(diffusion.year)
        offer_id = f"O{diffusion.year}-{serial:03d}"
        self.offers.append({
            "id": offer_id, "marche": c.market.id,
            "entreprise": (company or c.employer).id, "poste": c.poste, "code_rome": c.rome,
            "type_contrat": kind or c.type, "nombre_postes": 1, "duree": f"{months} mois",
            "heures_hebdo": hebdo or c.hebdo, "date_debut": start,
            "lieu": next(b[3] for b in BUYERS if b[0] == c.market.buyer),
            "profil": self.rng.choice(PROFILS), "date_limite": deadline or diffusion + timedelta(days=15),
            "statut": status, "date_diffusion": diffusion,
        })
        return offer_id

    def candidature(self, offer_id: str, participant: str, when: date, resultat: str) -> None:
        """Add one person's application to an offer."""
        self.candidatures.append({"offre": offer_id, "participant": participant, "date": when,
                                  "resultat": resultat, "commentaire": None})


def offer_rows(rng: random.Random, contracts: list[Contract], people: list[Person],
               pool: list[ROW]) -> tuple[list[ROW], list[ROW]]:
    """Offers behind a share of the hires (Pourvue), a few cancelled, and open ones at year end."""
    book = _OfferBook(rng)
    everyone = sorted(people, key=lambda p: p.id)
    by_id = sorted(contracts, key=lambda c: c.id)
    hires = [c for c in by_id
             if c.modalite in ("Embauche directe", "Mise à disposition") and rng.random() < 0.3]
    for c in hires:
        diffusion = c.start - timedelta(days=rng.randint(20, 45))
        months = max(1, round((c.last_day - c.start).days / 30.4))
        offer = book.publish(c, c.start, months, "Pourvue", diffusion)
        assert c.person is not None
        others = [p for p in everyone if p is not c.person
                  and abs((p.first_start - diffusion).days) < 365]
        for q in rng.sample(others, rng.randint(1, 3)):
            book.candidature(offer, q.id, diffusion + timedelta(days=rng.randint(2, 10)),
                             weighted(rng, {"Non retenu": 65, "Désisté": 35}))
        book.candidature(offer, c.person.id,
                         min(c.start, diffusion + timedelta(days=rng.randint(3, 12))), "Retenu")
    running = [c for c in by_id if c.market.status == "En cours"]
    for c in rng.sample(running, 2):
        diffusion = random_date(rng, date(2019, 3, 1), date(2019, 9, 30))
        book.publish(c, diffusion + timedelta(days=30), 2, "Annulée", diffusion)
    for c in rng.sample(running, 3):
        diffusion = random_date(rng, date(2019, 12, 2), date(2019, 12, 20))
        offer = book.publish(c, date(2020, 1, 20), 3, "Ouverte", diffusion,
                             company=c.market.awardee or c.employer, kind="CDD", hebdo=35.0,
                             deadline=OPEN_UNTIL)
        for member in rng.sample(pool, rng.randint(2, 4)):
            book.candidature(offer, member["id"],
                             min(REF_DATE, diffusion + timedelta(days=rng.randint(1, 8))),
                             rng.choice(("Proposé", "Proposé", "Entretien")))
    return book.offers, book.candidatures


#: Reply date of the offers still open at the demo's "today" (31/12/2019): they can still be sent.
OPEN_UNTIL = date(2020, 1, 10)

PROFILS = (
    "Débutant accepté, motivation et ponctualité ; formation sécurité assurée.",
    "Première expérience souhaitée ; port des EPI obligatoire.",
    "Goût du travail en équipe et en extérieur ; permis B apprécié.",
    "Savoir-être avant tout : l'entreprise forme au poste.",
    "Travail en horaires décalés possible ; accessible sans diplôme.",
)
