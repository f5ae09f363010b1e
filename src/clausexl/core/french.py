"""Dates, months and hours written the French way in sentences the facilitator reads."""

from __future__ import annotations

from typing import Any

import pandas as pd

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def date_fr(value: Any) -> str:
    """`15/03/2019`; an empty string for a missing date."""
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def month_fr(value: Any) -> str:
    """`mars 2019`."""
    ts = pd.Timestamp(value)
    return f"{MONTHS[ts.month - 1]} {ts.year}"


def hours_fr(value: float) -> str:
    """Whole hours with a French thousands separator: `1 250 h`."""
    return f"{round(float(value)):,} h".replace(",", "\u202f")


def agree(sexe: Any) -> str:
    """The feminine ending of a past participle for the person (`proposée`), none otherwise."""
    return "e" if sexe == "F" else ""


def number_fr(value: Any, decimals: int = 0) -> str:
    """`833,33`, `1 000 000`: up to `decimals` decimals (trailing zeros dropped), French separators."""
    text = f"{float(value):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def amount_fr(value: Any) -> str:
    """`1 000 000 €`, `30,5 €` (cents only when there are some)."""
    return f"{number_fr(value, 2)} €"


def share_fr(value: Any) -> str:
    """A fraction as a percentage: 0.05 → `5 %`, 0.125 → `12,5 %`."""
    return f"{number_fr(float(value) * 100, 2)} %"


def count_fr(n: int, singular: str, plural: str | None = None) -> str:
    """`0 marché`, `1 marché`, `2 marchés`: French keeps the singular up to 1."""
    return f"{n} {singular if abs(n) < 2 else (plural or singular + 's')}"
