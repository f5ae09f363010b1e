"""People: contracts handed to participants, some of whom are hired again."""

from __future__ import annotations

import random
from datetime import timedelta

from .calibration import calibrate_people
from .records import Contract, Person


def assign_people(rng: random.Random, contracts: list[Contract]) -> list[Person]:
    """Hand contracts to people: a person back from a recent contract is sometimes hired again."""
    people: list[Person] = []
    for c in sorted(contracts, key=lambda c: (c.start, c.market.plan)):
        free = [p for p in people
                if timedelta(days=7) < c.start - p.last_end < timedelta(days=330)]
        if free and rng.random() < 0.18:
            person = rng.choice(free)
        else:
            person = Person()
            people.append(person)
        person.contracts.append(c)
        c.person = person
    calibrate_people(rng, people, contracts)
    return people
