"""Follow-ups after the last contract (end, 6 and 12 months); the latest are left due."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .chance import weighted
from .dates import REF_DATE, add_months
from .records import ROW, Person

SITUATION_WEIGHTS = {
    "Fin de contrat": {"CDD ou intérim de moins de 6 mois": 16, "CDD ou intérim de 6 mois et plus": 10,
                       "CDI": 8, "Contrat aidé": 5, "Formation qualifiante": 8,
                       "Embauche en SIAE": 8, "Demandeur d'emploi": 35, "Inactif": 3,
                       "Perdu de vue": 4, "Déménagement": 2, "Création d'entreprise": 1},
    "6 mois": {"CDD ou intérim de moins de 6 mois": 14, "CDD ou intérim de 6 mois et plus": 14,
               "CDI": 14, "Contrat aidé": 5, "Formation qualifiante": 8, "Embauche en SIAE": 7,
               "Demandeur d'emploi": 26, "Inactif": 3, "Perdu de vue": 7, "Déménagement": 2},
    "12 mois": {"CDD ou intérim de moins de 6 mois": 10, "CDD ou intérim de 6 mois et plus": 14,
                "CDI": 20, "Titularisation fonction publique": 2, "Création d'entreprise": 2,
                "Contrat aidé": 4, "Formation qualifiante": 6, "Embauche en SIAE": 5,
                "Demandeur d'emploi": 22, "Inactif": 4, "Perdu de vue": 9, "Déménagement": 2},
}


def suivi_rows(rng: random.Random, people: list[Person]) -> list[ROW]:
    """Follow-ups after the last contract; the latest 6- and 12-month ones are left due."""
    rows = []
    for p in sorted(people, key=lambda p: p.id):
        if any(c.end is None or c.end >= REF_DATE for c in p.contracts):
            continue
        end = p.last_end
        plan = (("Fin de contrat", 0, 0.85, REF_DATE),
                ("6 mois", 6, 0.75, date(2019, 10, 31)),
                ("12 mois", 12, 0.6, date(2019, 9, 30)))
        for echeance, months, chance, last_recorded in plan:
            due = add_months(end, months)
            if due > last_recorded or rng.random() > chance:
                continue
            situation = weighted(rng, SITUATION_WEIGHTS[echeance])
            rows.append({
                "participant": p.id, "echeance": echeance,
                "date": min(REF_DATE, due + timedelta(days=rng.randint(0, 25))),
                "situation": situation,
                "source": rng.choice(("Entretien téléphonique", "Référent de parcours",
                                      "Employeur", "Entretien au bureau")),
                "commentaire": None,
            })
    return rows
