"""The workbook in memory: one typed DataFrame per table, the parameters, and what was odd.

`load_classeur` turns the raw tables any reader produces into this, matching columns by
header (case, accents, trailing `*` ignored) and typing every column by its schema kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .cells import is_empty, read_column
from .errors import MissingColumn, MissingTable
from .findings import Finding, finding
from .raw import RawTable
from .schema import Column, Kind, Table
from .text import fold, header_key
from .values import NUMBER, RATE

ROW = "_ligne"


@dataclass
class Classeur:
    """Typed tables keyed by table name; each frame has the schema keys plus `_ligne`, the Excel row
    the facilitator sees.

    Every row typed is here, rows in error included. Figures, documents and lists are built on
    the workbook `exclusion.screen` returns, which decides the rows left out (docs/calculs.md §0)
    and keeps only the others.
    """

    source: str
    tables: dict[str, pd.DataFrame]
    params: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    #: (sheet, column header) → 1-based Excel column number, where the column was found.
    columns: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (table, reference column key) → {Excel row: text as typed}, where spaces around it were dropped
    #: in reading (`P01 `): matching it to its key is then a warning (`validation.match_ids`).
    padded: dict[tuple[str, str], dict[int, str]] = field(default_factory=dict)
    #: Rows left out by `exclusion.screen` (docs/calculs.md §0), once the workbook has been screened.
    left_out: tuple[Any, ...] = ()
    screened: bool = False
    #: Tables derived from these ones and used by several computations of one verb (the hours rows
    #: joined to their contracts), made once. Not copied by `dataclasses.replace`: a workbook whose
    #: tables change is a new `Classeur`, with nothing derived yet.
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def sheet(self, name: str) -> str:
        return self.sheets.get(name, schema.table(name).sheet)


#: Read before the others: the monthly hours, by far the largest table of a workbook. Reading it while
#: no other table is typed yet lowers the peak memory of a verb (its raw cells and the reader's copy
#: of them are the peak) by the typed tables that would otherwise sit beside it (~30 MiB at ×1).
READ_FIRST = (schema.HEURES.name,)


def reading_order(names: Iterable[str]) -> list[str]:
    """The order in which a reader is asked for the tables `names`: READ_FIRST, then the others."""
    names = list(names)
    return [n for n in READ_FIRST if n in names] + [n for n in names if n not in READ_FIRST]


def load_classeur(raw: Mapping[str, RawTable] | Callable[[str], RawTable | None], source: str,
                  names: Iterable[str] | None = None) -> Classeur:
    """Type every table of `names` (default: all) found in `raw`; a missing one cannot proceed.

    `raw` is the raw tables, or a function giving each by name (None when absent): a reader that
    reads on demand lets each table's raw cells go as soon as it is typed. Tables are fetched in
    `reading_order`; the tables, findings and errors are those of the order of `names`, as if each
    had been read in turn (an error of a table read early is raised only when its turn comes).
    """
    fetch = raw.get if isinstance(raw, Mapping) else raw
    wanted = [schema.table(n) for n in names] if names is not None else list(schema.TABLES)
    if schema.PARAMETRES not in wanted:
        wanted.insert(0, schema.PARAMETRES)
    early: dict[str, _Typed | Exception] = {}
    for name in reading_order(t.name for t in wanted):
        if name not in READ_FIRST:
            break
        try:
            early[name] = _typed(schema.table(name), fetch(name), source)
        except Exception as err:  # raised at its turn, so that an earlier table's error comes first
            early[name] = err
    tables: dict[str, pd.DataFrame] = {}
    findings: list[Finding] = []
    sheets: dict[str, str] = {}
    columns: dict[tuple[str, str], int] = {}
    padded: dict[tuple[str, str], dict[int, str]] = {}
    for t in wanted:
        typed = early.pop(t.name) if t.name in early else _typed(t, fetch(t.name), source)
        if isinstance(typed, Exception):
            raise typed
        tables[t.name], sheets[t.name], table_columns, table_findings, table_padded = typed
        columns.update(table_columns)
        findings.extend(table_findings)
        padded.update({(t.name, key): texts for key, texts in table_padded.items()})
    params, param_findings = read_parameters(tables[schema.PARAMETRES.name], sheets[schema.PARAMETRES.name])
    findings.extend(param_findings)
    return Classeur(source, tables, params, findings, sheets, columns, padded)


_Typed = tuple[pd.DataFrame, str, dict[tuple[str, str], int], list[Finding], dict[str, dict[int, str]]]


def _typed(t: Table, rt: RawTable | None, source: str) -> _Typed:
    """One table typed: its frame, sheet, column positions, findings and texts typed with spaces around
    them (`Classeur.padded`); its raw cells go on return."""
    if rt is None:
        raise MissingTable(
            f"Le classeur « {source} » n'a pas le tableau {t.name} (feuille « {t.sheet} ») : "
            "ajoutez la feuille avec ses en-têtes, ou partez du modèle (clausexl init)."
        )
    frame, table_findings, padded = type_table(t, rt, source)
    return frame, rt.sheet, column_numbers(t, rt), table_findings, padded


def column_numbers(t: Table, rt: RawTable) -> dict[tuple[str, str], int]:
    """Where each schema column sits in the sheet, so findings can point at the exact cell."""
    by_header: dict[str, int] = {}
    for i, h in enumerate(rt.headers):
        if not is_empty(h):
            by_header.setdefault(header_key(h), i)
    return {
        (rt.sheet, col.header): rt.first_column + by_header[header_key(col.header)]
        for col in t.columns
        if header_key(col.header) in by_header
    }


def match_columns(t: Table, rt: RawTable, source: str) -> tuple[dict[str, int], list[Finding]]:
    """Position of each schema column in the raw header; a missing required column stops."""
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    by_header: dict[str, int] = {}
    for i, h in enumerate(rt.headers):
        if is_empty(h):
            continue
        key = header_key(h)
        if key in by_header:
            findings.append(finding("colonne-en-double", rt.sheet, rt.header_row, str(h).strip(), str(h),
                                    f"La colonne « {str(h).strip()} » apparaît deux fois : seule la "
                                    "première est lue ; renommez ou supprimez l'autre."))
            continue
        by_header[key] = i
    for col in t.columns:
        pos = by_header.get(header_key(col.header))
        if pos is None:
            if col.required:
                raise MissingColumn(
                    f"La feuille « {rt.sheet} » du classeur « {source} » n'a pas la colonne obligatoire "
                    f"« {col.header} » : ajoutez-la dans l'en-tête du tableau {t.name}."
                )
            continue
        positions[col.key] = pos
    return positions, findings


def type_table(t: Table, rt: RawTable,
               source: str) -> tuple[pd.DataFrame, list[Finding], dict[str, dict[int, str]]]:
    """One typed DataFrame, the findings of its cells (types, lists, required values), and per
    reference column the texts typed with spaces around them, by Excel row (`Classeur.padded`)."""
    positions, findings = match_columns(t, rt, source)
    shortest = min(map(len, rt.rows), default=0)
    rows, excel_rows = _without_blank_rows(rt.rows, len(rt.headers), rt.header_row, shortest)
    shortest = min(map(len, rows), default=0)
    data: dict[str, Any] = {}
    unreadable: dict[str, set[int]] = {}
    padded: dict[str, dict[int, str]] = {}
    for col in t.columns:
        pos = positions.get(col.key)
        typed = read_column(col, _cells(rows, pos, shortest))
        data[col.key] = _as_array(col, typed.values)
        unreadable[col.key] = typed.unreadable
        if typed.padded:
            padded[col.key] = {int(excel_rows[i]): text for i, text in typed.padded.items()}
        for issue in typed.issues:
            findings.append(finding(issue.code, rt.sheet, int(excel_rows[issue.index]), col.header,
                                    issue.value, issue.message))
    frame = pd.DataFrame(data)
    frame[ROW] = excel_rows.astype(int)
    for col in t.columns:
        if col.required:
            missing = _missing(frame, col)
            missing[list(unreadable[col.key])] = False  # present but unreadable: already reported
            for idx in np.flatnonzero(missing):
                findings.append(finding("valeur-obligatoire", rt.sheet, int(frame[ROW].to_numpy()[idx]), col.header,
                                        None, f"La colonne « {col.header} » est obligatoire : "
                                        "saisissez une valeur."))
    findings.extend(unread_findings(t, rt, positions))
    return frame, findings, padded


def unread_findings(t: Table, rt: RawTable, positions: Mapping[str, int]) -> list[Finding]:
    """One error per row typed just below the Excel table without being in it: it is not read."""
    header_at = {pos: t.column(key).header for key, pos in positions.items()}
    return [finding("ligne-hors-tableau", rt.sheet, row, header_at.get(col - rt.first_column), None,
                    f"La ligne {row} est saisie juste sous le tableau {t.name} sans en faire partie : elle n'est "
                    "pas lue. Agrandissez le tableau jusqu'à elle (poignée du coin en bas à droite du tableau, ou "
                    "Création de tableau › Redimensionner le tableau).")
            for row, col in rt.unread.items()]


def _as_array(col: Column, values: Any) -> Any:
    """Text stays `object` (str or None, not pandas' NaN-backed str dtype); Oui/Non become bool."""
    if isinstance(values, np.ndarray):
        return values
    if col.kind is Kind.YESNO:
        return np.array(values, dtype=bool)
    return pd.Series(values, dtype=object)


def _missing(frame: pd.DataFrame, col: Column) -> np.ndarray:
    """Required value absent, allowing for columns optional under a condition (Attributaire)."""
    if col.kind is Kind.YESNO:
        return np.zeros(len(frame), dtype=bool)
    missing = frame[col.key].isna().to_numpy().copy()
    if col.optional_when is not None:
        other, values = col.optional_when
        missing &= ~frame[other].isin(values).to_numpy()
    return missing


def _without_blank_rows(rows: list[list[Any]], width: int, header_row: int,
                        shortest: int) -> tuple[list[list[Any]], np.ndarray]:
    """The rows that hold something, and their Excel row numbers.

    A blank row has an empty first cell, so only rows whose first cell is one of the empty
    values (usually none) are looked at in full, instead of every cell of a large table.
    """
    excel_rows = np.arange(header_row + 1, header_row + 1 + len(rows))
    first = _cells(rows, 0, shortest)
    empties = {v for v in set(first) if is_empty(v)}
    candidates = [i for i, v in enumerate(first) if v in empties] if empties else []
    blank = [i for i in candidates if _blank(rows[i], width)]
    if not blank:
        return rows, excel_rows
    keep = np.ones(len(rows), dtype=bool)
    keep[blank] = False
    return [r for r, k in zip(rows, keep.tolist()) if k], excel_rows[keep]


def _cells(rows: list[list[Any]], pos: int | None, shortest: int) -> list[Any]:
    """One column of raw cells (None where the row is too short or the column absent)."""
    if pos is None:
        return [None] * len(rows)
    if pos < shortest:
        return list(map(itemgetter(pos), rows))
    return [r[pos] if pos < len(r) else None for r in rows]


def _blank(row: list[Any], width: int) -> bool:
    return all(is_empty(v) for v in row[:width])


def read_parameters(frame: pd.DataFrame, sheet: str) -> tuple[dict[str, Any], list[Finding]]:
    """Parameter values by key: typed, defaults where empty, findings for absent or out of range."""
    from .cells import parse_date_text, parse_number_text

    by_name = {fold(p.name): p for p in schema.PARAMETERS}
    given: dict[str, tuple[Any, int]] = {}
    for name, value, row in zip(frame["parametre"], frame["valeur"], frame[ROW]):
        p = by_name.get(fold(name)) if name else None
        if p is not None and p.key not in given:
            given[p.key] = (value, int(row))
    values: dict[str, Any] = {}
    findings: list[Finding] = []
    for p in schema.PARAMETERS:
        raw, row = given.get(p.key, (None, None))
        value = _param_value(p, raw, parse_number_text, parse_date_text)
        if value is _BAD or (value is not None and not _in_range(p, value)):
            findings.append(finding("parametre-hors-plage", sheet, row, "Valeur", raw,
                                    f"Le paramètre « {p.name} » vaut « {raw} » : {_range_text(p)}"))
            value = None
        if value is None and p.default is not None:
            findings.append(finding("parametre-manquant", sheet, row, "Valeur" if row else "Paramètre", raw,
                                    f"Le paramètre « {p.name} » est vide : la valeur par défaut "
                                    f"{_show(p, p.default)} est utilisée."))
            value = p.default
        values[p.key] = value
    return values, findings


_BAD = object()


def _param_value(p: schema.Parameter, raw: Any, parse_number: Any, parse_date: Any) -> Any:
    if is_empty(raw):
        return None
    if p.kind in schema.NUMERIC_KINDS:
        number = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else (
            parse_number(raw.strip(), percent=p.kind is Kind.PERCENT) if isinstance(raw, str) else None)
        if number is None:
            return _BAD
        if p.kind is Kind.PERCENT and number > 1:
            number = number / 100
        return int(number) if p.kind is Kind.INTEGER and float(number).is_integer() else float(number)
    if p.kind is Kind.YESNO:
        key = fold(str(raw))
        return {"oui": True, "non": False}.get(key, _BAD) if not isinstance(raw, bool) else raw
    if p.kind is Kind.MONTH:
        if hasattr(raw, "year"):
            return pd.Timestamp(raw.year, raw.month, 1)
        parsed = parse_date(str(raw).strip(), month=True)
        return pd.Timestamp(parsed.year, parsed.month, 1) if parsed else _BAD
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _in_range(p: schema.Parameter, value: Any) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return True
    return (p.minimum is None or value >= p.minimum) and (p.maximum is None or value <= p.maximum)


def _range_text(p: schema.Parameter) -> str:
    if p.minimum is None:
        return "la valeur n'est pas lisible."
    return f"saisissez une valeur entre {_show(p, p.minimum)} et {_show(p, p.maximum)}."


def _show(p: schema.Parameter, value: Any) -> str:
    if p.kind is Kind.PERCENT:
        return RATE.text(value)
    return NUMBER.bare(value) if isinstance(value, (int, float)) else str(value)
