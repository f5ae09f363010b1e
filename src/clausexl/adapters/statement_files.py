"""Reading the files companies send back: our forms, their own spreadsheets, CSV exports.

Our form is recognised by its very hidden identification sheet (company, month); any other
workbook or CSV is a statement when one of its sheets has, in its first rows, a header with
« Heures travaillées » and « Contrat » or « Nom » and « Prénom » (matched like the workbook's
headers). Anything else (a photo, a PDF, another workbook) becomes one French line, never an error
that stops the other files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine as calamine

from ..core.releves import FORM_MARK, NEW_PERSON
from ..core.releves_import import CSV, FORM, OTHER, SHEET, Incoming, IncomingRow
from ..core.text import header_key
from . import sheet_xml
from .statement_form import ID_SHEET
from .statement_form import SHEET as FORM_SHEET

WORKBOOKS = (".xlsx", ".xlsm")
TEXTS = (".csv", ".txt")
HEADER_SEARCH_ROWS = 30
#: Header (as compared) → field of IncomingRow.
FIELDS = {
    header_key("Contrat"): "contrat",
    header_key("Prénom"): "prenom",
    header_key("Nom"): "nom",
    header_key("Mois"): "mois",
    header_key("Heures travaillées"): "heures_travaillees",
    header_key("Heures de formation"): "heures_formation",
    header_key("Commentaire"): "commentaire",
}


def statement_paths(given: Iterable[Path]) -> list[Path]:
    """The files to import: each file given, and the files of each folder given (sorted, not hidden)."""
    out: list[Path] = []
    for path in map(Path, given):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))))
        else:
            out.append(path)
    return out


def read_statement(path: Path) -> Incoming:
    """One file as the import sees it; never raises for a file that is not a statement."""
    name = path.name
    if not path.is_file():
        return Incoming(name, OTHER, probleme=f"Le fichier « {path} » n'existe pas : vérifiez le chemin.")
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        return _read_workbook(path)
    if suffix in TEXTS:
        return _read_csv(path)
    return Incoming(name, OTHER, probleme=_not_a_statement(suffix))


def _not_a_statement(suffix: str) -> str:
    kind = {".pdf": "un PDF", ".jpg": "une photo", ".jpeg": "une photo", ".png": "une image", ".heic": "une photo",
            ".docx": "un document Word", ".doc": "un document Word", ".xls": "un ancien classeur .xls",
            ".ods": "un classeur OpenDocument"}.get(suffix, "un fichier que clausexl ne lit pas")
    return (f"Ce n'est pas un relevé lisible ({kind}) : saisissez ses heures à la main, ou demandez à "
            "l'entreprise le relevé à remplir (clausexl releves).")


def _read_workbook(path: Path) -> Incoming:
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except (calamine.CalamineError, OSError, ValueError):
        return Incoming(path.name, OTHER,
                        probleme="Le classeur ne peut pas être ouvert (endommagé ou protégé par un mot de passe) : "
                                 "demandez à l'entreprise de le renvoyer.")
    try:
        far = sheet_xml.far_cell(path, book.sheet_names)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error):
        far = ("", "")
    if far is not None:
        book.close()
        where = f" (feuille « {far[0]} », cellule {far[1]})" if far[1] else ""
        return Incoming(path.name, OTHER, probleme=f"Le classeur a une cellule remplie très loin des données{where}, "
                                                   "ou ne peut pas être lu : demandez à l'entreprise de le renvoyer.")
    try:
        if ID_SHEET in book.sheet_names:
            ident = book.get_sheet_by_name(ID_SHEET).to_python(skip_empty_area=False)
            if ident and ident[0] and ident[0][0] == FORM_MARK:
                return _read_form(path, book, ident)
        for sheet in book.sheet_names:
            found = _table(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            if found is not None:
                return Incoming(path.name, SHEET, _rows(*found))
    except BaseException as err:  # calamine's errors, and its reader's panics (BaseException, not Exception)
        if not isinstance(err, calamine.CalamineError) and type(err).__name__ != "PanicException":
            raise
        return Incoming(path.name, OTHER, probleme="Le classeur ne peut pas être lu (fichier endommagé) : demandez à "
                                            "l'entreprise de le renvoyer.")
    finally:
        book.close()
    return Incoming(path.name, OTHER,
                    probleme="Aucune feuille n'a les colonnes d'un relevé (« Heures travaillées » avec « Contrat », "
                             "ou « Nom » et « Prénom ») : ce n'est pas un relevé d'heures.")


def _read_form(path: Path, book: calamine.CalamineWorkbook, ident: list[list[Any]]) -> Incoming:
    """Our form: the month and company from the identification sheet, the rows from the statement sheet."""
    values = {str(r[0]): r[1] for r in ident[1:] if len(r) > 1 and r[0] not in (None, "")}
    company = str(values.get("Entreprise", "")).strip()
    try:
        year, month = str(values.get("Mois", "")).split("-")
        first = dt.date(int(year), int(month), 1)
    except ValueError:
        return Incoming(path.name, FORM, probleme="L'identification du relevé est illisible : demandez à "
                                                  "l'entreprise de remplir un nouveau relevé.")
    sheet = str(values.get("Feuille", FORM_SHEET))
    cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False) if sheet in book.sheet_names else []
    found = _table(cells)
    if found is None:
        return Incoming(path.name, FORM, entreprise=company, mois=first,
                        probleme="La feuille du relevé a été modifiée et ses colonnes ne se retrouvent plus : "
                                 "demandez à l'entreprise de remplir un nouveau relevé.")
    rows = tuple(r if r.contrat != NEW_PERSON else _without_contract(r) for r in _rows(*found))
    return Incoming(path.name, FORM, rows, company, first)


def _without_contract(row: IncomingRow) -> IncomingRow:
    return IncomingRow(row.ligne, None, row.prenom, row.nom, row.mois, row.heures_travaillees, row.heures_formation,
                       row.commentaire)


def _table(cells: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int], Sequence[Sequence[Any]]] | None:
    """(header row index, field → column, all cells) when a header of a statement is found in the top rows."""
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for j, value in enumerate(row):
            if isinstance(value, str) and header_key(value) in FIELDS:
                columns.setdefault(FIELDS[header_key(value)], j)
        if "heures_travaillees" in columns and ("contrat" in columns or {"nom", "prenom"} <= columns.keys()):
            return index, columns, cells
    return None


def _rows(index: int, columns: dict[str, int], cells: Sequence[Sequence[Any]]) -> tuple[IncomingRow, ...]:
    """The rows under the header, with their line number in the file (1-based)."""
    out = []
    for i, row in enumerate(cells[index + 1:], start=index + 2):
        values = {key: (row[j] if j < len(row) else None) for key, j in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        out.append(IncomingRow(i, **{k: (None if v == "" else v) for k, v in values.items()}))
    return tuple(out)


def _read_csv(path: Path) -> Incoming:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        cells = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        cells = list(csv.reader(io.StringIO(text), delimiter=";"))
    found = _table(cells)
    if found is None:
        return Incoming(path.name, CSV, probleme="Le fichier CSV n'a pas les colonnes d'un relevé (« Heures "
                                                 "travaillées » avec « Contrat », ou « Nom » et « Prénom »).")
    return Incoming(path.name, CSV, _rows(*found))
