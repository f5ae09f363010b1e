"""Seeded random draws shared by every part of the generator."""

from __future__ import annotations

import random
from datetime import date, timedelta


def random_date(rng: random.Random, lo: date, hi: date) -> date:
    """A day drawn uniformly between lo and hi (lo when hi is earlier)."""
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def weighted(rng: random.Random, options: dict) -> object:
    """One key of `options` drawn with its value as weight."""
    return rng.choices(list(options), weights=list(options.values()))[0]
