"""Reading a workbook file with python-calamine: tables by name, else by sheet and header row.

Every way a file can fail to open ends here as one French sentence (`WorkbookUnreadable`).
"""

from __future__ import annotations

import gc
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn
from xml.etree import ElementTree

import python_calamine as calamine

from ..core import schema
from ..core.classeur import Classeur, load_classeur, reading_order
from ..core.errors import WorkbookUnreadable
from ..core.exclusion import with_targets
from ..core.raw import RawTable, unread_rows
from ..core.sheet_table import table_from_cells
from ..core.text import fold
from . import sheet_xml
from .output import note_input

SUPPORTED = (".xlsx", ".xlsm")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def read_classeur(path: str | Path, names: Iterable[str] | None = None) -> Classeur:
    """The typed workbook at `path` (only the tables `names` when given, with the tables they refer to,
    so a reference to a row that does not exist is seen).

    Each table is typed as soon as it is read and its raw cells dropped, so that the raw cells of
    one table at most live beside the typed ones (not those of all of them).
    """
    path = Path(path)
    wanted = with_targets(names) if names is not None else [t.name for t in schema.TABLES]
    if schema.PARAMETRES.name not in wanted:
        wanted.insert(0, schema.PARAMETRES.name)
    with _collector_paused(), RawTables(path, reading_order(wanted)) as raw:
        return load_classeur(raw.fetch, path.name, wanted)


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
    with RawTables(path, names) as raw:
        return {name: table for name in names if (table := raw.fetch(name)) is not None}


class RawTables:
    """The tables of one workbook file, read one at a time, on demand (`fetch`).

    Formula errors, circular formulas and the cells typed below a table (what calamine does not
    tell, see `sheet_xml`) are scanned sheet by sheet in a second thread — inflating the zip
    releases the GIL — each sheet's scan started before calamine reads it, and put back into a
    table's cells (or its `unread` rows) when it is fetched.
    """

    def __init__(self, path: Path, names: Iterable[str]) -> None:
        self.path = path
        self.book = open_workbook(path)
        self.pool = ThreadPoolExecutor(1)
        self.scans: dict[str, Future[sheet_xml.SheetScan]] = {}
        try:
            self.sheets = {fold(s): s for s in self.book.sheet_names}
            self.table_sheets = _table_sheets(path)
            expected = [self.table_sheets.get(n) or self.sheets.get(fold(schema.table(n).sheet)) for n in names]
            for sheet in dict.fromkeys(s for s in expected if s):
                self.scans[sheet] = self.pool.submit(sheet_xml.sheet_scan, path, sheet)
            try:
                self.table_names = set(self.book.table_names or ()) - sheet_xml.unusable_tables(path)
            except calamine.CalamineError:
                self.table_names = set()
        except BaseException as err:
            self.close()
            _reraise(path, err)

    def __enter__(self) -> RawTables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for scan in self.scans.values():
            scan.cancel()
        self.book.close()
        self.pool.shutdown(wait=True)

    def fetch(self, name: str) -> RawTable | None:
        """Table `name` by its Excel table name, else by its sheet and header row; None if absent.

        The sheet's scan is awaited first: a cell absurdly far away stops the read before the reader
        would allocate the whole used range (sheet_xml.FarCells).
        """
        t = schema.table(name)
        by_name = name in self.table_names
        sheet = self.table_sheets.get(name) or self.sheets.get(fold(t.sheet))
        if by_name and name not in self.table_sheets:  # a table whose sheet the package does not say
            refuse_far_cells(self.path, set(self.sheets.values()))
        if sheet is None:
            return None
        scan = self._scan(sheet)
        try:
            raw = _by_table_name(self.book, name) if by_name else None
            if raw is None and fold(t.sheet) in self.sheets:
                raw = _by_sheet(self.book, t, self._checked(self.sheets[fold(t.sheet)]))
        except BaseException as err:
            _reraise(self.path, err)
        if raw is not None:
            mark_odd_cells(self.path, raw, self.scans.get(raw.sheet) or scan)
        return raw

    def _scan(self, sheet: str) -> Future[sheet_xml.SheetScan]:
        """The sheet's scan (started now if it was not), once it has found no far cell."""
        if sheet not in self.scans:
            self.scans[sheet] = self.pool.submit(sheet_xml.sheet_scan, self.path, sheet)
        refuse_far_cell(self.path, sheet, _result(self.path, self.scans[sheet]).far)
        return self.scans[sheet]

    def _checked(self, sheet: str) -> str:
        self._scan(sheet)
        return sheet


def _reraise(path: Path, err: BaseException) -> NoReturn:
    """calamine's errors, and its reader's panics (BaseException, not Exception), as one French sentence."""
    if isinstance(err, calamine.CalamineError) or type(err).__name__ == "PanicException":
        raise WorkbookUnreadable(damaged(path)) from err
    raise err


def damaged(path: Path) -> str:
    return (f"Le classeur « {path.name} » ne peut pas être lu (fichier endommagé) : ouvrez-le dans "
            "Excel et enregistrez-le de nouveau.")


def _table_sheets(path: Path) -> dict[str, str]:
    try:
        return sheet_xml.table_sheets(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error) as err:
        raise WorkbookUnreadable(damaged(path)) from err


def refuse_far_cells(path: Path, sheets: set[str]) -> None:
    """Stop before the reader allocates a sheet's used range when a cell sits absurdly far away."""
    try:
        far = sheet_xml.far_cell(path, sheets)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error) as err:
        raise WorkbookUnreadable(damaged(path)) from err
    if far is not None:
        refuse_far_cell(path, *far)


def refuse_far_cell(path: Path, sheet: str, cell: str | None) -> None:
    if cell is not None:
        raise WorkbookUnreadable(
            f"La feuille « {sheet} » du classeur « {path.name} » a une cellule remplie très loin des tableaux "
            f"({cell}) : sélectionnez les lignes et colonnes vides après vos données, supprimez-les "
            "(Ctrl+Fin montre la dernière cellule utilisée), enregistrez, puis relancez."
        )


def _result(path: Path, scan: Future[sheet_xml.SheetScan]) -> sheet_xml.SheetScan:
    try:
        return scan.result()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error) as err:
        raise WorkbookUnreadable(damaged(path)) from err


def mark_odd_cells(path: Path, raw: RawTable, scan: Future[sheet_xml.SheetScan]) -> None:
    """Put back what calamine reads as "" or as a plain value (formula errors, circular formulas), and
    note the rows typed just below an Excel table that its range does not hold (`RawTable.unread`)."""
    found = _result(path, scan)
    if raw.found_by == "table" and found.below:
        _, first, last, end = found.tables.get(raw.name) or (
            raw.header_row, raw.first_column, raw.header_row + len(raw.rows), raw.first_column + len(raw.headers) - 1)
        raw.unread = unread_rows(found.below, last, first, end)
    for (row, col), text in found.odd.items():
        i, j = row - raw.header_row - 1, col - raw.first_column
        if 0 <= i < len(raw.rows) and 0 <= j < len(raw.headers):
            cells = raw.rows[i]
            if j >= len(cells):
                cells.extend([None] * (j + 1 - len(cells)))
            cells[j] = text


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
