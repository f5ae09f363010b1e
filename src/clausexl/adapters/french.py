"""French formatting of document values (Babel): 1 000 000,00 €, 834 h, 45,2 %, 12 mars 2019.

Spaces inside numbers are no-break spaces (U+00A0), so Word never splits an amount at a line end.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern

from ..core.contexts import Heures, Jour, Mois, Montant, Semaines, Taux

#: Parsed once: Babel parses a locale name and a number pattern again at every call otherwise,
#: which was most of the cost of a document's values.
LOCALE = Locale.parse("fr_FR")
NBSP = "\u00a0"
_pattern = functools.lru_cache(maxsize=32)(parse_pattern)
#: A month of letters repeats the same amounts, hours and dates: each is formatted once.
_remembered = functools.lru_cache(maxsize=8192, typed=True)


def _spaces(text: str) -> str:
    return text.replace("\u202f", NBSP)


@_remembered
def montant(value: float) -> str:
    return _spaces(format_currency(value, "EUR", locale=LOCALE))


@_remembered
def nombre(value: float, pattern: str = "#,##0.##") -> str:
    return _spaces(format_decimal(value, _pattern(pattern), locale=LOCALE))


def heures(value: float) -> str:
    return f"{nombre(value)}{NBSP}h"


def semaines(value: float) -> str:
    text = nombre(value, "#,##0.#")
    return f"{text}{NBSP}semaine" + ("s" if value >= 2 else "")


@_remembered
def taux(value: float) -> str:
    return _spaces(format_percent(value, _pattern("#,##0.# %"), locale=LOCALE))


@_remembered
def jour(value: dt.date) -> str:
    """`12 mars 2019`, `1er juin 2018`."""
    if value.day == 1:
        return f"1er {format_date(value, 'MMMM y', locale=LOCALE)}"
    return format_date(value, "d MMMM y", locale=LOCALE)


@_remembered
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
