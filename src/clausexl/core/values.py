"""Kinds of values and their French presentation, held once: text in sentences, text in a table cell,
Excel number format.

Every channel that shows a number or a date to a person — CLI lines, document contexts, finding
messages, output workbooks, the workbook built for the facilitator — takes its presentation from the
kind here, so a figure reads the same everywhere: « 28 900 », « 834 h », « 25,3 % »,
« 1 000 000,00 € », « 1er mars 2019 » in a sentence, « 01/03/2019 » in a table.

Choices (docs/classeur.md, « Présentation des valeurs »):
- thousands are separated by a no-break space (U+00A0), so no line ever breaks inside a number and every
  Windows console can print it; the decimal mark is a comma;
- `cell` is what an Excel cell with the kind's `excel` format shows; `text` is the same number with its
  unit, for sentences and documents, where zero decimals that carry nothing are dropped (« 834 h »
  rather than « 834,0 h ») — a cell cannot drop them;
- a date reads « 1er mars 2019 » in a sentence (the first of the month is « 1er »), « 01/03/2019 » in a
  table and in finding messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .schema import Kind

NBSP = "\u00a0"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NaT/NA: a value with nothing to show."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def number(value: float, decimals: int, keep_zeros: bool = True) -> str:
    """`1234.5` → « 1 234,50 » (decimals=2); with `keep_zeros=False`, « 1 234,5 », and « 834 » for 834.0."""
    text = f"{float(value):,.{decimals}f}"
    if not keep_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    return text.replace(",", NBSP).replace(".", ",")


def _as_date(value: Any) -> dt.date:
    """A date from a date, a datetime, a pandas Timestamp or an ISO text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        day: dt.date = value.to_pydatetime().date()
        return day
    return dt.date.fromisoformat(str(value)[:10])


def long_date(value: Any) -> str:
    """« 12 mars 2019 », « 1er juin 2018 »."""
    d = _as_date(value)
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def long_month(value: Any) -> str:
    """« juin 2018 »."""
    d = _as_date(value)
    return f"{MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class ValueKind:
    """One kind of value: its name, its Excel number format, its text in a cell and in a sentence."""

    name: str
    excel: str
    _cell: Callable[[Any], str]
    _bare: Callable[[Any], str]
    unit: str = ""

    def cell(self, value: Any) -> str:
        """What a table cell shows (CLI tables, and an Excel cell formatted with `excel`); '' when missing."""
        return "" if is_missing(value) else self._cell(value)

    def bare(self, value: Any) -> str:
        """The number as a sentence writes it, without its unit (« 28 900 » heures d'insertion)."""
        return "" if is_missing(value) else self._bare(value)

    def text(self, value: Any) -> str:
        """The value in a sentence or a document, with its unit (« 834 h », « 25,3 % »); '' when missing."""
        if is_missing(value):
            return ""
        unit = self.unit
        if self is WEEKS and float(value) < 2:
            unit = "semaine"
        return f"{self._bare(value)}{NBSP}{unit}" if unit else self._bare(value)


def _kind(name: str, excel: str, cell: Callable[[Any], str], bare: Callable[[Any], str] | None = None,
          unit: str = "") -> ValueKind:
    return ValueKind(name, excel, cell, bare or cell, unit)


def _hours_cell(value: Any) -> str:
    """« 151,67 », « 834,0 »: at least one decimal, as the `#,##0.0#` format shows it."""
    text = number(value, 2)
    return text[:-1] if text.endswith("0") else text


def _signed(value: float, unit: str) -> str:
    """« +12,5 % », « -2,0 pt », « 0,0 % »: the sign Excel's three-part format shows."""
    text = number(abs(value), 1)
    sign = "" if text == number(0, 1) else ("+" if value > 0 else "-")
    return f"{sign}{text}{NBSP}{unit}"


def _percent(decimals: int, keep_zeros: bool) -> Callable[[Any], str]:
    return lambda v: number(float(v) * 100, decimals, keep_zeros)


#: A number of things (participants, markets, contracts): « 28 900 ».
COUNT = _kind("nombre", "#,##0", lambda v: number(round(float(v)), 0))
#: A whole number read as a code or a rank, never grouped by thousands: « 2018 », « 3 ».
INTEGER = _kind("entier", "0", lambda v: str(round(float(v))))
#: A number with one decimal (ETP): « 18,1 ».
DECIMAL = _kind("décimal", "#,##0.0", lambda v: number(v, 1))
#: Any other number, two decimals at most (a ratio): « 0,75 », « 12,5 ».
NUMBER = _kind("nombre décimal", "#,##0.0#", _hours_cell, lambda v: number(v, 2, keep_zeros=False))
#: Hours, to the hundredth as typed: « 151,67 », « 834,0 » in a cell; « 834 h », « 151,67 h » in a sentence.
HOURS = _kind("heures", "#,##0.0#", _hours_cell, lambda v: number(v, 2, keep_zeros=False), "h")
#: Hours shown as weeks of 35 h: « 23,8 semaines ».
WEEKS = _kind("semaines", "#,##0.0", lambda v: number(v, 1), lambda v: number(v, 1, keep_zeros=False), "semaines")
#: A share of a whole, stored as a fraction, one decimal: « 25,3 % », « 45,0 % ».
SHARE = _kind("part", "0.0 %", lambda v: f"{number(float(v) * 100, 1)}{NBSP}%", _percent(1, True), "%")
#: A rate typed by the facilitator (taux d'insertion, part de main-d'œuvre): « 7 % », « 4,5 % » in a sentence.
RATE = _kind("taux", "0.0 %", lambda v: f"{number(float(v) * 100, 1)}{NBSP}%", _percent(2, False), "%")
#: An amount in euros: « 1 000 000,00 € ».
AMOUNT = _kind("montant", '#,##0.00 "€"', lambda v: f"{number(v, 2)}{NBSP}€", lambda v: number(v, 2), "€")
#: A day: « 01/03/2019 » in a table and in finding messages, « 1er mars 2019 » in a sentence.
DATE = _kind("date", "dd/mm/yyyy", lambda v: f"{_as_date(v):%d/%m/%Y}", long_date)
#: A month: « 03/2019 » in a table, « mars 2019 » in a sentence.
MONTH = _kind("mois", "mm/yyyy", lambda v: f"{_as_date(v):%m/%Y}", long_month)
#: A relative change, signed: « +12,5 % ».
CHANGE = _kind("évolution", "+0.0 %;-0.0 %;0.0 %", lambda v: _signed(float(v) * 100, "%"))
#: A difference of shares in percentage points, signed: « -2,0 pt ».
POINTS = _kind("écart en points", '+0.0" pt";-0.0" pt";0.0" pt"', lambda v: _signed(float(v), "pt"))
#: Text, written as text (a postal code, a SIRET): never a number, never a formula.
TEXT = _kind("texte", "@", str)


KINDS: tuple[ValueKind, ...] = (COUNT, INTEGER, DECIMAL, NUMBER, HOURS, WEEKS, SHARE, RATE, AMOUNT, DATE, MONTH,
                                CHANGE, POINTS, TEXT)


#: The kind of the values of each column kind of the schema that has a number format in the workbook.
COLUMN_KINDS: dict[Kind, ValueKind] = {
    Kind.DATE: DATE,
    Kind.MONTH: MONTH,
    Kind.PERCENT: RATE,
    Kind.AMOUNT: AMOUNT,
    Kind.HOURS: HOURS,
    Kind.INTEGER: INTEGER,
    Kind.POSTAL_CODE: TEXT,
    Kind.SIRET: TEXT,
}


def month_label(key: str) -> str:
    """A month key "2018-06" → « juin 2018 »: how the bilan and the hours workbook name a month."""
    return MONTH.text(f"{key}-01")


#: Letters before which « de » becomes « d' » (an h is left alone: « de Hautecôte », aspirated or not).
VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyœæAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYŒÆ")


def de(text: Any) -> str:
    """« de juin 2018 », « d'avril 2026 », « d'Élodie Martin »: de, elided before a vowel."""
    text = str(text)
    return f"d'{text}" if text[:1] in VOWELS else f"de {text}"


def que(text: Any) -> str:
    """« que Nettoyage Plus », « qu'Entreprise François SARL »: que, elided before a vowel."""
    text = str(text)
    return f"qu'{text}" if text[:1] in VOWELS else f"que {text}"


#: Words that keep their capital after a colon (names of software the messages cite).
PROPER_NOUNS = frozenset({"Excel", "LibreOffice", "Python", "Windows", "Word"})


def after_colon(sentence: str) -> str:
    """A sentence put after « … : », its first word lowered as French wants (« Attention : dans la
    feuille… »), unless it is a name (« LibreOffice », « M2018-004 », « QPV ») or starts with a quote."""
    word = re.split(r"[\s'’]", sentence, maxsplit=1)[0]
    if not word.isalpha() or not word[0].isupper() or not (word[1:].islower() or len(word) == 1) \
            or word in PROPER_NOUNS:
        return sentence
    return sentence[0].lower() + sentence[1:]


def attention(sentence: str) -> str:
    """« Attention : » and a warning sentence, lowered after the colon: how every warning is printed."""
    return f"Attention : {after_colon(sentence)}"


def agree(sexe: Any) -> str:
    """The feminine ending of a past participle for the person (`proposée`), none otherwise."""
    return "e" if sexe == "F" else ""


def agreed(n: int, singular: str, plural: str | None = None) -> str:
    """The word for `n` things: « lu » for 0 or 1, « lus » for 2 or more (French keeps the singular below 2);
    for a word away from its count (« 3 enregistrements du territoire illisibles, laissés de côté »)."""
    return singular if abs(n) < 2 else (plural or singular + "s")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """« 0 marché », « 1 marché », « 2 marchés »: the count and its noun, agreed."""
    return f"{COUNT.cell(n)} {agreed(n, singular, plural)}"
