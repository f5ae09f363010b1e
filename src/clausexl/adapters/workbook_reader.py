"""Reading a workbook file with python-calamine: tables by name, else by sheet and header row.

Every way a file can fail to open ends here as one French sentence (`WorkbookUnreadable`).
"""

from __future__ import annotations

import gc
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine as calamine

from ..core import schema
from ..core.classeur import Classeur, load_classeur
from ..core.errors import WorkbookUnreadable
from ..core.raw import RawTable
from ..core.sheet_table import table_from_cells
from ..core.text import fold
from . import sheet_xml
from .output import note_input

SUPPORTED = (".xlsx", ".xlsm")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def read_classeur(path: str | Path, names: Iterable[str] | None = None) -> Classeur:
    """The typed workbook at `path` (only the tables `names` when given)."""
    path = Path(path)
    wanted = list(names) if names is not None else [t.name for t in schema.TABLES]
    if schema.PARAMETRES.name not in wanted:
        wanted.insert(0, schema.PARAMETRES.name)
    with _collector_paused():
        return load_classeur(read_raw_tables(path, wanted), path.name, wanted)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading makes millions of cells (lists, strings, floats) and no reference cycle: the
    garbage collector's full passes over them free nothing and cost ~15 % of a large read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_raw_tables(path: Path, names: Iterable[str]) -> dict[str, RawTable]:
    """Raw header and cells of each table in `names` that the file holds."""
    names = list(names)
    book = open_workbook(path)
    pool = ThreadPoolExecutor(1)
    try:
        sheets = {fold(s): s for s in book.sheet_names}
        refuse_far_cells(path, {sheets[fold(schema.table(n).sheet)] for n in names
                                if fold(schema.table(n).sheet) in sheets})
        # The XML scan mostly inflates the zip (zlib releases the GIL): it runs beside calamine.
        expected = {sheets[fold(schema.table(n).sheet)] for n in names if fold(schema.table(n).sheet) in sheets}
        scan = pool.submit(sheet_xml.odd_cells, path, expected)
        try:
            table_names = set(book.table_names or ()) - sheet_xml.unusable_tables(path)
        except calamine.CalamineError:
            table_names = set()
        found: dict[str, RawTable] = {}
        for name in names:
            t = schema.table(name)
            raw = _by_table_name(book, name) if name in table_names else None
            if raw is None and fold(t.sheet) in sheets:
                raw = _by_sheet(book, t, sheets[fold(t.sheet)])
            if raw is not None:
                found[name] = raw
    except calamine.CalamineError as err:
        raise WorkbookUnreadable(damaged(path)) from err
    except BaseException as err:  # the reader's panics are BaseException, not Exception
        if type(err).__name__ != "PanicException":
            raise
        raise WorkbookUnreadable(damaged(path)) from err
    finally:
        book.close()
        pool.shutdown(wait=True)
    mark_odd_cells(path, found, scan, expected)
    return found


def damaged(path: Path) -> str:
    return (f"Le classeur « {path.name} » ne peut pas être lu (fichier endommagé) : ouvrez-le dans "
            "Excel et enregistrez-le de nouveau.")


def refuse_far_cells(path: Path, sheets: set[str]) -> None:
    """Stop before the reader allocates a sheet's used range when a cell sits absurdly far away."""
    try:
        far = sheet_xml.far_cell(path, sheets)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError) as err:
        raise WorkbookUnreadable(damaged(path)) from err
    if far is not None:
        raise WorkbookUnreadable(
            f"La feuille « {far[0]} » du classeur « {path.name} » a une cellule remplie très loin des tableaux "
            f"({far[1]}) : sélectionnez les lignes et colonnes vides après vos données, supprimez-les "
            "(Ctrl+Fin montre la dernière cellule utilisée), enregistrez, puis relancez."
        )


def mark_odd_cells(path: Path, tables: dict[str, RawTable], scan: Future[Any], scanned: set[str]) -> None:
    """Put back what calamine reads as "" or as a plain value: formula errors, circular formulas."""
    try:
        odd = scan.result()
        others = {t.sheet for t in tables.values()} - scanned  # a table found on a renamed sheet
        if others:
            odd.update(sheet_xml.odd_cells(path, others))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError) as err:
        raise WorkbookUnreadable(
            f"Le classeur « {path.name} » ne peut pas être lu (fichier endommagé) : ouvrez-le dans "
            "Excel et enregistrez-le de nouveau."
        ) from err
    for raw in tables.values():
        for (row, col), text in odd.get(raw.sheet, {}).items():
            i, j = row - raw.header_row - 1, col - raw.first_column
            if 0 <= i < len(raw.rows) and 0 <= j < len(raw.headers):
                cells = raw.rows[i]
                if j >= len(cells):
                    cells.extend([None] * (j + 1 - len(cells)))
                cells[j] = text


def excel_lock_warning(path: str | Path) -> str | None:
    """A French warning when Excel's lock file `~$name` sits beside the workbook (it is open)."""
    path = Path(path)
    # Excel writes `~$` + the name; Word-style owners files replace its first two characters.
    candidates = (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]))
    if len(path.name) > 2 and any(c.is_file() for c in candidates):
        return (
            f"Attention : le classeur « {path.name} » est ouvert dans Excel ; les modifications non "
            "enregistrées ne sont pas prises en compte."
        )
    return None


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    """Open with tables loaded, or say in French why the file is not a readable workbook."""
    check_path(path)
    note_input(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    except calamine.PasswordError as err:
        raise WorkbookUnreadable(_protected(path)) from err
    except (calamine.CalamineError, OSError, ValueError) as err:
        raise WorkbookUnreadable(
            f"Le fichier « {path.name} » est endommagé ou n'est pas un classeur Excel : ouvrez-le dans "
            "Excel pour le réparer, ou repartez de la dernière sauvegarde."
        ) from err


def check_path(path: Path) -> None:
    """Refuse, before opening, what cannot be a workbook of the contract."""
    if not path.exists():
        raise WorkbookUnreadable(f"Le fichier « {path} » n'existe pas : vérifiez le chemin.")
    if path.is_dir():
        raise WorkbookUnreadable(f"« {path} » est un dossier, pas un classeur : donnez le chemin du fichier .xlsm.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = {".xls": "un ancien classeur .xls", ".ods": "un classeur OpenDocument .ods",
                ".csv": "un fichier CSV"}.get(suffix, "pas au format .xlsm ou .xlsx")
        verb = "n'est" if kind.startswith("pas") else "est"
        raise WorkbookUnreadable(
            f"Le fichier « {path.name} » {verb} {kind} : ouvrez-le dans Excel et enregistrez-le sous "
            "« Classeur Excel prenant en charge les macros (.xlsm) »."
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if not head:
                raise WorkbookUnreadable(f"Le fichier « {path.name} » est vide : ce n'est pas un classeur.")
            if head == _OLE_MAGIC:
                handle.seek(0)
                content = handle.read(1 << 20)
                if _ENCRYPTED_MARK in content:
                    raise WorkbookUnreadable(_protected(path))
                raise WorkbookUnreadable(
                    f"Le fichier « {path.name} » est un ancien classeur .xls renommé : ouvrez-le dans Excel "
                    "et enregistrez-le au format .xlsm."
                )
    except PermissionError as err:
        raise WorkbookUnreadable(f"Le fichier « {path.name} » ne peut pas être ouvert (accès refusé).") from err


def _protected(path: Path) -> str:
    return (
        f"Le classeur « {path.name} » est protégé par un mot de passe : enregistrez une copie sans mot "
        "de passe (Fichier › Informations › Protéger le classeur) et donnez cette copie."
    )


def _by_table_name(book: calamine.CalamineWorkbook, name: str) -> RawTable | None:
    table = book.get_table_by_name(name)
    start = table.start
    rows = table.to_python()
    headers = list(table.columns)
    header_row = start[0] if start else 1
    first_col = (start[1] + 1) if start else 1
    return RawTable(name, table.sheet, header_row, headers, rows, "table", first_col)  # fresh lists already


def _by_sheet(book: calamine.CalamineWorkbook, t: schema.Table, sheet_name: str) -> RawTable | None:
    """The table as a plain range: the header is the first of the top rows holding its required headers."""
    return table_from_cells(t, sheet_name, book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False))
