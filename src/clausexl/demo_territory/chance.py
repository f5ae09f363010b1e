"""Seeded random draws shared by every part of the generator."""

from __future__ import annotations

import random
from datetime import date, timedelta


def random_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def weighted(rng: random.Random, options: dict) -> object:
    return rng.choices(list(options), weights=list(options.values()))[0]
