"""Property tests: random values in every column of every table never make the reader or the validator
raise anything but the project's own error (one French sentence)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_workbooks import raw_book
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core import schema
from clausexl.core.cells import FORMULA_ERRORS, parse_date_text, parse_number_text
from clausexl.core.classeur import load_classeur
from clausexl.core.errors import ClausexlError
from clausexl.core.exclusion import DEPENDENT, screen
from clausexl.core.raw import RawTable
from clausexl.core.validation import validate

TRICKY_TEXT = ["12,5", "1 000,50 €", "45 %", "31/02/2018", "2018-03-12", "12/03/2018", "mars 2018", "03/2018",
               "2100-01-01", "01/01/1850", "Oui", "non", " ", "∞", "NaN", "-0", "1e400", "00000", "F1703;X",
               "Anonyme", "=1+1", "@x", "\x00\x01", "👷‍♀️" * 3, "x" * 33_000, *sorted(FORMULA_ERRORS)]
LIST_VALUES = sorted({v for t in schema.TABLES for c in t.columns for v in schema.choices_of(c)})
IDS = ["M1", "P1", "C1", "E1", "D1", "O1", "QN05001M", 1, 1.0]

cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(TRICKY_TEXT + LIST_VALUES + IDS),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.timedeltas(),
)


@st.composite
def raw_tables(draw) -> dict[str, RawTable]:
    """Every table with its headers (sometimes shuffled, sometimes with an extra column) and random rows."""
    tables = {}
    for t in schema.TABLES:
        headers: list = [c.label for c in t.columns]
        if draw(st.booleans()):
            headers = draw(st.permutations(headers))
        if draw(st.integers(0, 4)) == 0:
            headers = [*headers, draw(st.one_of(st.text(max_size=10), st.none(), st.integers()))]
        rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(headers) + 1), max_size=4))
        tables[t.name] = RawTable(t.name, t.sheet, draw(st.integers(1, 5)), headers, rows)
    return tables


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_tables())
def test_reader_and_validator_never_crash(tables: dict[str, RawTable]):
    """Typing and validation of any cell values give findings (or the project's error), never a crash."""
    try:
        classeur = load_classeur(tables, "aleatoire.xlsx")
        findings = validate(classeur)
    except ClausexlError as err:
        assert str(err) and "\n" not in str(err)
        return
    for f in findings:
        f.to_dict()  # every finding serialises (JSON of valider)
        assert f.message and (f.row is None or f.row >= 1)
    for name, frame in classeur.tables.items():
        assert len(frame) <= len(tables[name].rows)
    screened = screen(classeur)  # the rows every verb leaves out: decided without a crash, each an error row
    errors = {(f.sheet, f.row) for f in findings if f.is_error}
    assert {(r.sheet, r.row) for r in screened.left_out if r.code != DEPENDENT} <= errors
    for name, frame in screened.tables.items():
        assert len(frame) + sum(r.sheet == classeur.sheet(name) for r in screened.left_out) == len(classeur[name])


@st.composite
def one_column_rows(draw) -> tuple[str, str, list]:
    """A table, one of its columns and random values for it, the other cells valid-looking."""
    t = draw(st.sampled_from([t for t in schema.TABLES if t is not schema.PARAMETRES]))
    col = draw(st.sampled_from(t.columns))
    values = draw(st.lists(cell.filter(_writable), min_size=1, max_size=5))
    return t.name, col.key, values


def _writable(value) -> bool:
    """What XlsxWriter can store in a cell (no time-only or timedelta objects, no year < 1900 dates)."""
    if isinstance(value, (dt.time, dt.timedelta)):
        return False
    if isinstance(value, (dt.date, dt.datetime)):
        return 1900 <= value.year <= 9999
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e15:
        return False
    return not (isinstance(value, str) and len(value) > 32_767)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(one_column_rows())
def test_real_files_never_crash(tmp_path: Path, case):
    """Random values written in a real file, read back through calamine and the XML scan, then validated."""
    name, key, values = case
    rows = {name: [{key: v} for v in values]}
    path = raw_book(tmp_path / "aleatoire.xlsx", rows)
    try:
        validate(read_classeur(path))
    except ClausexlError as err:
        assert str(err)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.sampled_from(TRICKY_TEXT),
                 st.from_regex(r"^[ +-]?\d{1,4}([ .,]\d{1,3}){0,3}( ?[%€h])?$", fullmatch=True),
                 st.from_regex(r"^\d{1,5}[/.-]\d{1,3}[/.-]\d{1,6}$", fullmatch=True)))
def test_text_parsers_never_raise(text: str):
    """Numbers and dates typed as text are parsed or refused (None), never an exception."""
    number = parse_number_text(text, percent=True)
    assert number is None or isinstance(number, float)
    for month in (False, True):
        date = parse_date_text(text, month=month)
        assert date is None or isinstance(date, dt.date)
