"""Builders of awkward workbooks for the corpus of tests/test_bad_workbooks.py.

`BASE` is a small, clean territory (no finding). `raw_book` writes the schema's tables with
XlsxWriter directly, so a case can reach what the real build never writes: formulas with their
cached value or error, merged cells, hidden rows, a totals row, the 1904 date system, tables
without a ListObject. `edit_zip` rewrites members of a built package for structural damage.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from clausexl.core import schema
from workbooks import Rows, d


@dataclass(frozen=True)
class Formula:
    """A formula cell with its cached value (a number, text, or an error such as "#REF!")."""

    text: str
    cached: Any


def base_rows() -> dict[str, list[dict[str, Any]]]:
    """A clean territory: one buyer, one company, one market, one participant, one contract, 3 months."""
    return copy.deepcopy({
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Cherbourg-en-Cotentin", "categorie": "Commune"}],
        "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâtiments du Cotentin", "type": "Entreprise classique"}],
        "T_Marches": [{
            "id": "M2018-004", "donneur_ordre": "D1", "objet": "Réhabilitation de l'école", "type_marche": "Travaux",
            "dispositif": schema.CONDITION_EXECUTION, "montant_ht": 1_000_000.0, "date_debut": d("2018-03-01"),
            "date_fin": d("2019-12-31"), "attributaire": "E1", "statut": "En cours",
        }],
        "T_Participants": [{
            "id": "P001", "nom": "Martin", "prenom": "Julie", "sexe": "F", "date_naissance": d("1990-05-17"),
            "adresse": "3 rue des Fourches", "niveau_qualification": "3 (CAP, BEP)", "rsa": "Oui",
            "referent": "Mme Leroy",
        }],
        "T_Contrats": [{
            "id": "C001", "participant": "P001", "marche": "M2018-004", "employeur": "E1",
            "modalite": "Embauche directe", "type_contrat": "CDD", "date_debut": d("2018-04-01"),
            "date_fin": d("2018-06-30"),
        }],
        "T_Heures": [
            {"contrat": "C001", "mois": d("2018-04-01"), "heures_travaillees": 150.0},
            {"contrat": "C001", "mois": d("2018-05-01"), "heures_travaillees": 151.5},
            {"contrat": "C001", "mois": d("2018-06-01"), "heures_travaillees": 140.0},
        ],
    })


def raw_book(path: Path, rows: Rows | None = None, *,
             headers: Mapping[str, list[str]] | None = None, as_table: bool = True,
             totals: Set[str] = frozenset(), options: Mapping[str, Any] | None = None,
             skip: Set[str] = frozenset(), title: str | None = None, hook: Callable[[dict[str, Any], Any], None] | None = None) -> Path:
    """Every schema table (but `skip`) on its sheet; `headers` overrides a table's header row.

    `title` goes in row 1 above a blank row, the header then in row 3.
    `hook(sheets, book)` runs last with the XlsxWriter worksheets by table name, for merges,
    hidden rows and other oddities.
    """
    tables: Rows = base_rows() if rows is None else rows
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False, **(options or {})})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheets: dict[str, Any] = {}
    parameters = [{"parametre": p.name, "valeur": p.default} for p in schema.PARAMETERS]
    for t in schema.TABLES:
        if t.name in skip:
            continue
        ws = book.add_worksheet(t.sheet)
        sheets[t.name] = ws
        header = list((headers or {}).get(t.name, [c.label for c in t.columns]))
        data = parameters if t is schema.PARAMETRES and t.name not in tables else tables.get(t.name, [])
        top = 2 if title else 0
        if title:
            ws.write_string(0, 0, title)
        for c, h in enumerate(header):
            ws.write_string(top, c, h)
        for r, row in enumerate(data, start=top + 1):
            for c, col in enumerate(t.columns):
                value = row.get(col.key)
                if value is None:
                    continue
                if isinstance(value, Formula):
                    ws.write_formula(r, c, value.text, None, value.cached)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif hasattr(value, "year"):
                    ws.write_datetime(r, c, value, date_format)
                else:
                    ws.write(r, c, value)
        if as_table and t.name not in skip:
            total = t.name in totals
            last = max(len(data), 1) + (1 if total else 0)
            columns = [{"header": h} for h in header]
            if total:
                columns[-1] = {"header": header[-1], "total_string": "Total"}
            ws.add_table(top, 0, top + last, len(header) - 1, {"name": t.name, "columns": columns, "total_row": total})
    if hook:
        hook(sheets, book)
    book.close()
    return path


def edit_zip(path: Path, edits: Mapping[str, Callable[[bytes], bytes | None]]) -> Path:
    """Rewrite members of the package at `path`: each edit returns new bytes, or None to drop it."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            edited = edits[info.filename](content) if info.filename in edits else content
            if edited is not None:
                target.writestr(info.filename, edited)
    path.write_bytes(out.getvalue())
    return path


def sheet_member(path: Path, sheet: str) -> str:
    """The zip member of a sheet, through the reader's own mapping."""
    from clausexl.adapters.sheet_xml import sheet_parts

    return sheet_parts(path)[sheet]


def sub(pattern: str, replacement: str) -> Callable[[bytes], bytes]:
    """An edit replacing a regex in a member's text."""
    return lambda data: re.sub(pattern, replacement, data.decode("utf-8"), count=1).encode("utf-8")
