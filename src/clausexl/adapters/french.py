"""French formatting of document values (Babel): 1 000 000,00 €, 834 h, 45,2 %, 12 mars 2019.

Spaces inside numbers are no-break spaces (U+00A0), so Word never splits an amount at a line end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from ..core.contexts import Heures, Jour, Mois, Montant, Semaines, Taux

LOCALE = "fr_FR"
NBSP = "\u00a0"


def _spaces(text: str) -> str:
    return text.replace("\u202f", NBSP)


def montant(value: float) -> str:
    return _spaces(format_currency(value, "EUR", locale=LOCALE))


def nombre(value: float, pattern: str = "#,##0.##") -> str:
    return _spaces(format_decimal(value, pattern, locale=LOCALE))


def heures(value: float) -> str:
    return f"{nombre(value)}{NBSP}h"


def semaines(value: float) -> str:
    text = nombre(value, "#,##0.#")
    return f"{text}{NBSP}semaine" + ("s" if value >= 2 else "")


def taux(value: float) -> str:
    return _spaces(format_percent(value, "#,##0.# %", locale=LOCALE))


def jour(value: dt.date) -> str:
    """`12 mars 2019`, `1er juin 2018`."""
    if value.day == 1:
        return f"1er {format_date(value, 'MMMM y', locale=LOCALE)}"
    return format_date(value, "d MMMM y", locale=LOCALE)


def mois(value: dt.date) -> str:
    return format_date(value, "MMMM y", locale=LOCALE)


_FORMATS = {Montant: montant, Heures: heures, Semaines: semaines, Taux: taux, Jour: jour, Mois: mois}


def to_text(value: Any) -> Any:
    """A context with every typed value turned into its French text (None becomes '')."""
    fmt = _FORMATS.get(type(value))
    if fmt is not None:
        return fmt(value.valeur)
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return {k: to_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_text(v) for v in value]
    if isinstance(value, float):
        return nombre(value)
    if isinstance(value, dt.date):
        return jour(value)
    return value
