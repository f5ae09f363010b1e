"""The consolidated DECP read in a second thread while the command imports its verb and types the workbook.

Importing the verb imports pandas (about half a second); reading a national parquet file takes as long,
in polars, which leaves the interpreter free. The filter needs the territory, which the
typed workbook gives — but a superset of it is enough to filter, `classify` deciding exactly: every
SIRET of T_DonneursOrdre, every postal code of T_Territoire and the départements of the parameter and
of the option, taken from the raw cells (python-calamine, no pandas). `reperer` uses the early read
only when that superset holds the exact territory; anything unexpected here (a workbook the typed
reader would refuse, a file polars cannot read) just means the usual read, which says why in French.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import schema
from ..core.departements import departements_parameter, normalise_departement
from ..core.sheet_table import table_from_cells
from ..core.text import fold, header_key

if TYPE_CHECKING:  # polars is imported by the second thread, while the first imports pandas
    from .decp_tabular import Filtered


@dataclass(frozen=True)
class Area:
    """A superset of the territory, from the workbook's raw cells: enough to filter the rows."""

    buyers: frozenset[str]
    departements: frozenset[str]
    communes: frozenset[str]

    def holds(self, buyers: Sequence[str], departements: frozenset[str], communes: frozenset[str]) -> bool:
        return set(buyers) <= self.buyers and departements <= self.departements and communes <= self.communes


def begin(decp_path: Path, classeur_path: Path, departements: Sequence[str]) -> Future[Any] | None:
    """The early read of a consolidated file (None for JSON, or a file that is none of the shapes: the
    usual read says so, after the workbook's own problems).

    Called by the command before it imports the verb (and pandas with it): the two then overlap."""
    from .decp_stream import DecpUnreadable, detect_kind

    try:
        kind = detect_kind(decp_path)
    except DecpUnreadable:
        return None
    return None if kind == "json" else start(decp_path, kind, classeur_path, departements)


def start(decp_path: Path, kind: str, classeur_path: Path, departements: Sequence[str]) -> Future[Any]:
    """The early read, running; its result is (Area, Filtered), or None when it could not be made.

    polars is imported here, before the thread starts: an import holds the interpreter's lock, and two
    imports in two threads (polars there, pandas here) take turns; imported first, the read starts at once
    and runs, outside that lock, while pandas is imported (measured: the whole command ~0,05 s sooner on 2 cores)."""
    import polars  # noqa: F401

    pool = ThreadPoolExecutor(1, thread_name_prefix="clausexl-decp")
    try:
        return pool.submit(_read, decp_path, kind, classeur_path, departements)
    finally:
        pool.shutdown(wait=False)


def _read(decp_path: Path, kind: str, classeur_path: Path, departements: Sequence[str]
          ) -> tuple[Area, Filtered] | None:
    try:
        from .decp_tabular import filter_rows

        area = raw_area(classeur_path, departements)
        return area, filter_rows(decp_path, kind, area)
    except Exception:  # the usual read will meet it again and say why
        return None


def raw_area(path: Path, departements: Sequence[str]) -> Area:
    """The superset of the territory from the workbook's raw cells."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    try:
        tables = set(book.table_names or ())
        sheets = {fold(s): s for s in book.sheet_names}

        def cells(t: schema.Table) -> tuple[list[Any], list[list[Any]]]:
            if t.name in tables:
                table = book.get_table_by_name(t.name)
                return list(table.columns), table.to_python()
            if fold(t.sheet) not in sheets:
                return [], []
            sheet = sheets[fold(t.sheet)]
            raw = table_from_cells(t, sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            return raw.headers, raw.rows

        def column(t: schema.Table, key: str) -> list[Any]:
            headers, rows = cells(t)
            wanted = header_key(next(c.header for c in t.columns if c.key == key))
            at = next((i for i, h in enumerate(headers) if h not in (None, "") and header_key(h) == wanted), None)
            return [] if at is None else [r[at] for r in rows if at < len(r)]

        parameter = fold(schema.PARAMETERS_BY_KEY["departements_reperage"].name)
        names, values = column(schema.PARAMETRES, "parametre"), column(schema.PARAMETRES, "valeur")
        given = next((v for n, v in zip(names, values) if isinstance(n, str) and fold(n) == parameter), None)
        typed = _texts([given])
        return Area(frozenset(_texts(column(schema.DONNEURS_ORDRE, "siret"))),
                    frozenset((*departements_parameter(typed[0] if typed else None),
                               *(normalise_departement(d) for d in departements))),
                    frozenset(_texts(column(schema.TERRITOIRE, "code_postal"))))
    finally:
        book.close()


def _texts(values: list[Any]) -> list[str]:
    """Cells as the typed reader gives SIRET and postal codes: text without spaces; whole numbers as digits."""
    out = []
    for v in values:
        if isinstance(v, float) and v.is_integer():
            v = str(int(v))
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            text = "".join(str(v).split())
            if text:
                out.append(text)
    return out
