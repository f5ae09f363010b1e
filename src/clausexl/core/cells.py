"""Reading one column of raw cells into typed values, with findings for what was odd.

The fast path (cells already of the right type) is a list comprehension; only odd cells
(text where a number or date is expected, formula errors…) go through the slow parsers.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from .schema import DATE_KINDS, NUMERIC_KINDS, Column, Kind, choices_of
from .text import choice_lookup, fold
from .values import DATE, NUMBER

FORMULA_ERRORS = frozenset(
    {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#CIRCULAIRE"}
)
#: What a reader puts in a cell whose formula depends on itself (the cached value cannot be trusted).
CIRCULAR = "#CIRCULAIRE"
_ODD = object()
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}([ \u00a0\u202f.]\d{3})+|\d+)([.,]\d+)?$")
_DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_MONTH_FR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_NAMES = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH_WORDS = re.compile(r"^([a-z]+)\.? (\d{4})$")
#: « 12 mars 2026 », « 1er mars 2026 » (a date copied from a letter), once folded.
_DATE_WORDS = re.compile(r"^(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2099
_MIN_ORDINAL, _MAX_ORDINAL = dt.date(MIN_YEAR, 1, 1).toordinal(), dt.date(MAX_YEAR, 12, 31).toordinal()
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@dataclass
class Issue:
    """Something odd about one cell, before it becomes a finding with sheet and row."""

    index: int
    code: str
    value: Any
    message: str


@dataclass
class TypedColumn:
    values: Any
    issues: list[Issue] = field(default_factory=list)
    unreadable: set[int] = field(default_factory=set)
    #: Reference columns: index → the text as typed, where it had spaces around it (`P01 ` read as `P01`),
    #: so that matching it to its key can warn (`validation.match_ids`).
    padded: dict[int, str] = field(default_factory=dict)


def is_empty(value: Any) -> bool:
    return value is None or (type(value) is str and not value.strip()) or value != value


_SAMPLE = 2000


def convert_cells(cells: list[Any], convert: Callable[[Any], Any]) -> tuple[list[Any], set[Any]]:
    """`[convert(v) for v in cells]` and the set of its results.

    Where values repeat (contract IDs of monthly rows, months, list values, empty cells), `convert`
    runs once per distinct value and the column is mapped in C: a large table costs a set and a
    map, not a Python call per cell. Booleans keep the cell-by-cell path, since True == 1 would
    merge them with numbers in the table of distinct values.
    """
    sample = cells[:_SAMPLE]
    if len(set(sample)) * 2 <= len(sample):
        distinct = set(cells)
        if bool not in set(map(type, distinct)):
            table = {v: convert(v) for v in distinct}
            return list(map(table.__getitem__, cells)), set(table.values())
    values = list(map(convert, cells))
    return values, set(values)


def read_column(col: Column, cells: list[Any]) -> TypedColumn:
    """Typed values of a column (numpy array for numbers and dates, list of str/bool otherwise)."""
    if col.kind in NUMERIC_KINDS:
        return _read_numbers(col, cells)
    if col.kind in DATE_KINDS:
        return _read_dates(col, cells)
    if col.kind is Kind.YESNO:
        return _read_yes_no(col, cells)
    return _read_text(col, cells)


# --- numbers -------------------------------------------------------------------------------

def _number_fast(v: Any) -> Any:
    return v if (t := type(v)) is float or t is int else None if v is None or v == "" else _ODD


#: No amount, number of hours or rate reaches this: beyond it (1e28 €, inf), a cell is a typing error.
MAX_NUMBER = 1e15


def _read_numbers(col: Column, cells: list[Any]) -> TypedColumn:
    fast, seen = convert_cells(cells, _number_fast)
    result = TypedColumn(None)
    if _ODD in seen:
        for i, v in enumerate(fast):
            if v is _ODD:
                fast[i] = _odd_number(col, i, cells[i], result)
    values = np.array(fast, dtype=float)
    with np.errstate(invalid="ignore"):
        beyond = np.flatnonzero(np.isinf(values) | (np.abs(values) >= MAX_NUMBER))
    for i in beyond.tolist():  # infinite, or more than any amount or hours: no computation may use it
        result.unreadable.add(i)
        result.issues.append(Issue(i, "nombre-hors-plage", cells[i],
                                   f"« {cells[i]} » est hors de la plage des nombres admis (moins de 10^15 en "
                                   "valeur absolue) : corrigez la saisie."))
        values[i] = np.nan
    if col.kind is Kind.PERCENT:
        over = np.flatnonzero(values > 1)
        for i in over.tolist():
            result.issues.append(Issue(i, "pourcentage-sur-100", cells[i],
                                       f"{_fmt(values[i])} a été lu comme {_fmt(values[i])} % : "
                                       f"saisissez {_fmt(values[i])} % (ou {_fmt(values[i] / 100)})."))
        values[over] = values[over] / 100
    result.values = values
    return result


def _odd_number(col: Column, i: int, value: Any, result: TypedColumn) -> float | None:
    if type(value) is str:
        text = value.strip()
        if text in FORMULA_ERRORS:
            _formula_error(i, text, result)
            return None
        parsed = parse_number_text(text, percent=col.kind is Kind.PERCENT)
        if parsed is not None:
            result.issues.append(Issue(i, "texte-converti", value,
                                       f"« {text} » est saisi comme texte ; il a été lu comme "
                                       f"{_fmt(parsed)} : saisissez-le comme un nombre."))
            return parsed
    elif isinstance(value, (dt.date, dt.time, dt.timedelta)):
        pass
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    result.unreadable.add(i)
    result.issues.append(Issue(i, "type-invalide", value,
                               f"« {value} » n'est pas un nombre : saisissez un nombre."))
    return None


def parse_number_text(text: str, percent: bool = False) -> float | None:
    """French or international number typed as text: `12,5`, `1 000,50 €`, `45 %`, `12.5`."""
    t = text.replace("€", "").replace("h", "").strip()
    is_percent = t.endswith("%")
    t = t.rstrip("%").strip()
    if not _NUMBER_TEXT.match(t):
        return None
    t = re.sub(r"[ \u00a0\u202f]", "", t)
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif t.count(".") > 1:
        t = t.replace(".", "")
    try:
        number = float(Decimal(t))
    except InvalidOperation:
        return None
    return number / 100 if (is_percent and percent) else number


# --- dates ---------------------------------------------------------------------------------

def _date_fast(v: Any) -> int:
    return v.toordinal() if (t := type(v)) is dt.date or t is dt.datetime else 0 if v is None or v == "" else -1


def _read_dates(col: Column, cells: list[Any]) -> TypedColumn:
    """Dates through their day ordinals (0 = empty, -1 = odd cell): numpy turns a list of date
    objects into datetime64 ten times slower than it does integers."""
    ordinals = np.array(convert_cells(cells, _date_fast)[0], dtype=np.int64)
    result = TypedColumn(None)
    odd = np.flatnonzero(ordinals < 0)
    out_of_range = np.flatnonzero((ordinals > 0) & ((ordinals < _MIN_ORDINAL) | (ordinals > _MAX_ORDINAL)))
    for i in sorted([*odd.tolist(), *out_of_range.tolist()]):
        if ordinals[i] < 0:
            parsed = _odd_date(col, i, cells[i], result)
            ordinals[i] = parsed.toordinal() if parsed is not None else 0
        else:
            ordinals[i] = 0
            _out_of_range(i, cells[i], result)
    values = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
    values[ordinals == 0] = np.datetime64("NaT")
    if col.kind is Kind.MONTH:
        values = values.astype("datetime64[M]").astype("datetime64[D]")
    result.values = values
    return result


def _out_of_range(i: int, value: Any, result: TypedColumn) -> None:
    result.unreadable.add(i)
    result.issues.append(Issue(i, "date-hors-plage", value,
                               f"La date {_fmt_date(value)} est improbable : vérifiez l'année."))


# Alike _odd_number on purpose: the same policy for another kind (formula error, text read with a
# warning, else type-invalide); every step differs in what it parses and says.
def _odd_date(col: Column, i: int, value: Any, result: TypedColumn) -> dt.date | None:
    if type(value) is str:
        text = value.strip()
        if text in FORMULA_ERRORS:
            _formula_error(i, text, result)
            return None
        parsed = parse_date_text(text, month=col.kind is Kind.MONTH)
        if parsed is not None:
            if not MIN_YEAR <= parsed.year <= MAX_YEAR:
                _out_of_range(i, parsed, result)
                return None
            result.issues.append(Issue(i, "texte-converti", value,
                                       f"« {text} » est saisi comme texte ; il a été lu comme le "
                                       f"{_fmt_date(parsed)} : saisissez une vraie date."))
            return parsed
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 73051:
        # A date cell without a date format arrives as its serial number.
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    elif isinstance(value, dt.date):
        return value
    result.unreadable.add(i)
    result.issues.append(Issue(i, "type-invalide", value,
                               f"« {value} » n'est pas une date : saisissez une date (jj/mm/aaaa)."))
    return None


def parse_date_text(text: str, month: bool = False) -> dt.date | None:
    """Unambiguous dates typed as text: `12/03/2018`, `2018-03-12`, `12 mars 2018`, `1er mars 2018`; months
    also `03/2018`, `mars 2018`."""
    m = _DATE_FR.match(text)
    if m:
        return _date(int(m[3]), int(m[2]), int(m[1]))
    m = _DATE_ISO.match(text)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    m = _DATE_WORDS.match(fold(text))
    if m and m[2] in _MONTH_NAMES:
        return _date(int(m[3]), _MONTH_NAMES[m[2]], int(m[1]))
    if month:
        m = _MONTH_FR.match(text) or _MONTH_ISO.match(text)
        if m:
            year, mon = (int(m[2]), int(m[1])) if m.re is _MONTH_FR else (int(m[1]), int(m[2]))
            return _date(year, mon, 1)
        m = _MONTH_WORDS.match(fold(text))
        if m and m[1] in _MONTH_NAMES:
            return _date(int(m[2]), _MONTH_NAMES[m[1]], 1)
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- yes/no and text -----------------------------------------------------------------------

_YES = {"oui": True, "o": True, "non": False, "n": False}


def _yes_no_fast(v: Any) -> Any:
    return True if v == "Oui" else False if v is None or v == "Non" or v == "" else _ODD


def _read_yes_no(col: Column, cells: list[Any]) -> TypedColumn:
    result = TypedColumn(None)
    values, seen = convert_cells(cells, _yes_no_fast)
    if _ODD in seen:
        for i, v in enumerate(values):
            if v is _ODD:
                values[i] = _odd_yes_no(i, cells[i], result)
    result.values = values
    return result


def _odd_yes_no(i: int, v: Any, result: TypedColumn) -> bool:
    """Anything but Oui, Non or empty: a real boolean, a folded "oui"/"o"/"n", blanks, or an error."""
    if type(v) is bool:
        return v
    if type(v) is str and (key := fold(v)) in _YES:
        return _YES[key]
    if type(v) is str and not v.strip():
        return False
    if type(v) is str and v.strip() in FORMULA_ERRORS:
        _formula_error(i, v.strip(), result)
        return False
    result.unreadable.add(i)
    result.issues.append(Issue(i, "valeur-hors-liste", v,
                               f"« {v} » n'est pas une valeur de la liste : choisissez Oui ou Non."))
    return False


def _text_fast(v: Any) -> str | None:
    return (v.strip() or None) if type(v) is str else None if v is None else _as_text(v)


def _read_text(col: Column, cells: list[Any]) -> TypedColumn:
    result = TypedColumn(None)
    values, seen = convert_cells(cells, _text_fast)
    if not FORMULA_ERRORS.isdisjoint(seen):  # the loop only when there is one
        for i, v in enumerate(values):
            if v is not None and v[0] == "#" and v in FORMULA_ERRORS:
                _formula_error(i, v, result)
                values[i] = None
    choices = choices_of(col)
    if choices:
        _check_choices(col, choices, values, seen, result)
    if col.kind is Kind.REF or col.kind is Kind.ID:
        result.padded = padded_texts(cells, values)
    return result if result.values is not None else _with(result, values)


def padded_texts(cells: list[Any], values: list[Any]) -> dict[int, str]:
    """Index → typed text of the cells read with their surrounding spaces stripped.

    The cells and their values are compared in C (`map(operator.ne)`): a text without spaces
    around it is its own value; only where they differ (spaces, a number read as text, an empty
    text) is a cell looked at in Python.
    """
    differ = np.fromiter(map(operator.ne, cells, values), dtype=bool, count=len(cells))
    return {i: cells[i] for i in np.flatnonzero(differ).tolist()
            if type(cells[i]) is str and values[i] is not None}


def _with(result: TypedColumn, values: list[Any]) -> TypedColumn:
    result.values = values
    return result


def _check_choices(col: Column, choices: tuple[str, ...], values: list[str | None], seen: set[Any],
                   result: TypedColumn) -> None:
    allowed = set(choices)
    if allowed.issuperset(seen - {None}):  # every value as listed: nothing to look at
        result.values = values
        return
    lookup: dict[str, str] | None = None
    for i, v in enumerate(values):
        if v is None or v in allowed:
            continue
        lookup = lookup or choice_lookup(choices)
        canonical = lookup.get(fold(v))
        if canonical is not None:
            values[i] = canonical
            continue
        values[i] = None
        result.unreadable.add(i)
        shown = ", ".join(choices[:6]) + ("…" if len(choices) > 6 else "")
        result.issues.append(Issue(i, "valeur-hors-liste", v,
                                   f"« {v} » n'est pas une valeur de la liste : choisissez parmi {shown}."))
    result.values = values


def _as_text(value: Any) -> str | None:
    """A non-text cell in a text column: IDs typed as numbers (12 → "12"), dates as ISO."""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip() or None


def _formula_error(i: int, text: str, result: TypedColumn) -> None:
    result.unreadable.add(i)
    message = ("La formule de la cellule dépend d'elle-même (référence circulaire) : corrigez la formule ou "
               "saisissez une valeur." if text == CIRCULAR else
               f"La cellule contient l'erreur « {text} » : corrigez la formule ou saisissez une valeur.")
    result.issues.append(Issue(i, "erreur-formule", text, message))


def _fmt(x: float) -> str:
    """12.5 → « 12,5 » (core/values.py: two decimals at most)."""
    return NUMBER.bare(x)


def _fmt_date(d: Any) -> str:
    """« 01/01/2150 »; a year before 1000 as Python writes it, which `%d/%m/%Y` would not pad."""
    return DATE.cell(d) if hasattr(d, "strftime") and d.year >= 1000 else str(d)

