"""echeances: what is due at a date — follow-ups, statements, late markets, contracts ending…"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..adapters import journal as journal_file
from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import Classeur
from ..core.due import TABLES, TYPES, DueItem, due_items
from ..core.exclusion import LeftOutRow, quality_lines, screen
from ..core.journal import Entry
from ..core.values import DATE, counted

SHEET = "À faire"
HEADERS = ("Pour le", "État", "Type", "À faire", "Pour qui", "Références")


# Alike core/matching.Rapprochement in shape only: a verb's result at a reference date.
@dataclass(frozen=True)
class Echeances:
    """The to-do list at `au`, and how many rows of the tables read were left out."""

    source: str
    au: dt.date
    items: tuple[DueItem, ...]
    left_out: tuple[LeftOutRow, ...] = ()

    def counts(self) -> dict[str, int]:
        """Items per kind, every kind present (0 when none)."""
        seen = Counter(i.type for i in self.items)
        return {t: seen.get(t, 0) for t in TYPES}

    def to_dict(self) -> dict[str, Any]:
        return {"au": self.au.isoformat(), "nombre": len(self.items), "par_type": self.counts(),
                "echeances": [i.to_dict() for i in self.items],
                "lignes_ecartees": [r.to_dict() for r in self.left_out]}


def echeances(path: Path, au: dt.date | None = None) -> Echeances:
    """Read the tables the to-do list needs, and the journal beside the workbook; list what is due at `au`."""
    return echeances_of(read_classeur(path, TABLES), au, journal_file.read(path))


def echeances_of(classeur: Classeur, au: dt.date | None = None, journal: Sequence[Entry] = ()) -> Echeances:
    """The same on a workbook already read (the Excel entry point reads it through xlwings)."""
    au = au or dt.date.today()
    classeur = screen(classeur)
    return Echeances(classeur.source, au, tuple(due_items(classeur, au, journal)), classeur.left_out)


def sheet_rows(result: Echeances) -> list[list[Any]]:
    """Rows of the `À faire` sheet under HEADERS, by date."""
    return [[i.date, i.etat, i.type, i.action, i.qui, i.reference] for i in result.items]


def out_sheet(result: Echeances) -> OutSheet:
    return OutSheet(
        SHEET, HEADERS, sheet_rows(result), formats={"Pour le": DATE},
        title=f"À faire au {DATE.cell(result.au)}",
        notes=[f"{counted(len(result.items), 'action')} — classeur {result.source}.",
               *quality_lines(result.left_out)],
        widths={"À faire": 80, "Pour qui": 32, "Type": 24, "Références": 24, "État": 12},
    )


def write_sheet(result: Echeances, destination: Path, force: bool = False) -> Path:
    """A new workbook holding the `À faire` sheet."""
    return write_workbook(destination, [out_sheet(result)], force)
