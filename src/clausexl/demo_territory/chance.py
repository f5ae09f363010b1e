"""Seeded random draws shared by every part of the generator."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")


def random_date(rng: random.Random, lo: date, hi: date) -> date:
    """A day drawn uniformly between lo and hi (lo when hi is earlier)."""
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def weighted(rng: random.Random, options: Mapping[T, float]) -> T:
    """One key of `options` drawn with its value as weight."""
    return rng.choices(list(options), weights=list(options.values()))[0]
