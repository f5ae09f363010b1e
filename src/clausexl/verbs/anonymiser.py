"""anonymiser: a copy of the workbook without the personal data past the retention period.

The source is only read. The copy changes only the cells of the participants concerned (and the
comments of their follow-up and proposal rows); everything else, the VBA project and the ribbon
included, is copied byte for byte (adapters.xlsm_copy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..adapters.output import refuse_clashes
from ..adapters.workbook_reader import read_raw_tables
from ..adapters.xlsm_copy import copy_with_edits
from ..core import rgpd, schema
from ..core.classeur import ROW, load_classeur, match_columns
from ..core.errors import InvalidOption
from ..core.raw import RawTable

NAMES = ("T_Parametres", *rgpd.TABLES)


@dataclass(frozen=True)
class Anonymise:
    """What one run did: the copy written and the participants anonymised in it."""

    source: Path
    destination: Path
    au: dt.date
    participants: list[str]
    lignes: int

    def to_dict(self) -> dict[str, Any]:
        return {"classeur": str(self.source), "copie": str(self.destination), "au": self.au.isoformat(),
                "participants_anonymises": len(self.participants), "ids": self.participants,
                "cellules_modifiees": self.lignes}


def anonymiser(path: Path, destination: Path, au: dt.date | None = None, force: bool = False) -> Anonymise:
    """Write `destination`, a copy of `path` in which participants past retention are anonymised."""
    path, destination = Path(path), Path(destination)
    au = au or dt.date.today()
    if destination.suffix.lower() != path.suffix.lower():
        raise InvalidOption(
            f"La copie doit garder l'extension du classeur ({path.suffix}), pas « {destination.name} »."
        )
    refuse_clashes([destination], force)
    raw = read_raw_tables(path, NAMES)
    classeur = load_classeur(raw, path.name, NAMES)
    plan = rgpd.to_anonymise(classeur, au)
    edits = cell_edits(raw, plan, path.name)
    result_sheets = list(schema.RESULT_SHEETS)
    copy_with_edits(path, destination, edits, skip_counting=result_sheets, force=force)
    return Anonymise(path, destination, au, plan.ids, sum(len(c) for c in edits.values()))


def cell_edits(raw: dict[str, RawTable], plan: rgpd.Anonymisation, source: str) -> dict[str, dict[Any, Any]]:
    """(row, column) → new value, per sheet, from the plan and the tables' positions in the sheets."""
    edits: dict[str, dict[Any, Any]] = {}
    rt = raw["T_Participants"]
    columns = _columns(rt, source)
    cells = edits.setdefault(rt.sheet, {})
    known = {columns[k] for k in columns}
    extra = [rt.first_column + i for i, h in enumerate(rt.headers)
             if h not in (None, "") and rt.first_column + i not in known]
    for row, birth in zip(plan.participants[ROW], plan.participants["date_naissance"]):
        row = int(row)
        for key in rgpd.RENAMED:
            cells[(row, columns[key])] = rgpd.ANONYME
        for key in rgpd.EMPTIED["T_Participants"]:
            if key in columns:
                cells[(row, columns[key])] = None
        for col in extra:  # the facilitator's own columns may hold anything about the person
            cells[(row, col)] = None
        if not pd.isna(birth):
            cells[(row, columns["date_naissance"])] = pd.Timestamp(birth).date()
    for name, rows in plan.linked_rows.items():
        table_columns = _columns(raw[name], source)
        if "commentaire" in table_columns:
            sheet_cells = edits.setdefault(raw[name].sheet, {})
            for row in rows:
                sheet_cells[(row, table_columns["commentaire"])] = None
    return edits


def _columns(rt: RawTable, source: str) -> dict[str, int]:
    """Column key → 1-based sheet column of the table."""
    positions, _ = match_columns(schema.table(rt.name), rt, source)
    return {key: rt.first_column + pos for key, pos in positions.items()}
