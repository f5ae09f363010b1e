"""importer-releves: the statements companies sent back, checked and added to T_Heures of a new copy.

The workbook given is only read. Accepted rows go into a copy written at the zip level
(adapters.xlsm_append): the VBA project, the ribbon and every part but the Heures sheet and its
table are byte for byte those of the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapters import journal as journal_file
from ..adapters.output import refuse_clashes
from ..adapters.statement_files import read_statement, statement_paths
from ..adapters.workbook_reader import read_raw_tables
from ..adapters.xlsm_append import copy_with_rows
from ..core import schema
from ..core.classeur import Classeur, load_classeur, match_columns
from ..core.errors import InvalidOption, WriteFailed
from ..core.exclusion import with_targets
from ..core.journal import IMPORT, Entry
from ..core.raw import RawTable
from ..core.releves_import import ACCEPTEE, TABLES, ImportResult, import_statements
from ..core.text import header_key

#: The tables the import reads: its own and those they refer to, so a row in error is seen (`screen`).
NAMES = ("T_Parametres", *with_targets(TABLES))


@dataclass(frozen=True)
class Imported:
    """What one run did: the reports and the copy that holds the accepted rows."""

    source: Path
    destination: Path
    result: ImportResult
    avertissements: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"classeur": str(self.source), "copie": str(self.destination), **self.result.to_dict(),
                "avertissements": self.avertissements}


def importer_releves(classeur: Path, fichiers: Iterable[Path], sortie: Path, *, mois: dt.date | None = None,
                     force: bool = False, today: dt.date | None = None) -> Imported:
    """Check every statement of `fichiers` (files or folders) and write `sortie` with the accepted rows."""
    classeur, sortie = Path(classeur), Path(sortie)
    if sortie.suffix.lower() != classeur.suffix.lower():
        raise InvalidOption(f"La copie doit garder l'extension du classeur ({classeur.suffix}), pas « {sortie.name} ».")
    refuse_clashes([sortie], force)
    raw = read_raw_tables(classeur, NAMES)
    c = load_classeur(raw, classeur.name, NAMES)
    result = check_statements(c, fichiers, mois, exclude=(classeur, sortie))
    rt = raw["T_Heures"]
    copy_with_rows(classeur, sortie, rt.sheet, rt.name if rt.found_by == "table" else None, rt.first_column,
                   rt.header_row, len(rt.headers), sheet_rows(rt, result.rows, classeur.name), force=force)
    done = Imported(classeur, sortie, result)
    try:
        journal_file.append(classeur, journal_entries(result, today or dt.date.today()))
    except WriteFailed as err:
        done.avertissements.append(str(err))
    return done


def journal_entries(result: ImportResult, today: dt.date) -> list[Entry]:
    """One journal line per file given: its company and month when known, and the rows it brought."""
    return [Entry(today, "importer-releves", IMPORT, f.mois, destinataire=f.entreprise or "", fichier=f.fichier,
                  lignes=f.count(ACCEPTEE)) for f in result.fichiers]


def check_statements(c: Classeur, fichiers: Iterable[Path], mois: dt.date | None = None,
                     exclude: Sequence[Path] = ()) -> ImportResult:
    """Read each file (folders give their files) and check their rows against the workbook `c`."""
    skip = {p.resolve() for p in exclude}
    paths = [p for p in statement_paths(fichiers) if p.resolve() not in skip]
    if not paths:
        raise InvalidOption("Aucun fichier à importer : donnez des relevés (fichiers ou dossiers).")
    return import_statements(c, [read_statement(p) for p in paths], mois)


def table_columns(rt: RawTable, source: str) -> dict[str, int]:
    """Schema key → 1-based sheet column of T_Heures, where the column exists."""
    positions, _ = match_columns(schema.HEURES, rt, source)
    return {key: rt.first_column + pos for key, pos in positions.items()}


def table_rows(headers: Sequence[Any], rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """The accepted rows under the table's own header order (the Excel button writes them so)."""
    by_header = {header_key(col.header): col.key for col in schema.HEURES.columns}
    keys = [by_header.get(header_key(h)) if h not in (None, "") else None for h in headers]
    return [[row.get(k) if k else None for k in keys] for row in rows]


def sheet_rows(rt: RawTable, rows: Sequence[dict[str, Any]], source: str) -> list[dict[int, Any]]:
    """The accepted rows placed in the sheet's columns (a column the workbook lacks is left out)."""
    columns = table_columns(rt, source)
    return [{columns[k]: v for k, v in row.items() if k in columns} for row in rows]
