"""anonymiser: a copy of the workbook without the personal data past the retention period.

The source is only read. The copy changes only the cells of the participants concerned, as the
schema marks them (core.schema.Personal): their name, address, referent, exact birth date, the
facilitator's own columns and anything typed beside their row, and the comments of their contracts'
hours, follow-up and proposal rows. Everything else, the VBA project and the ribbon included, is
copied byte for byte (adapters.xlsm_copy), and the written copy is checked for any removed value
left in any part of the file before it takes its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..adapters.output import refuse_clashes
from ..adapters.package_clean import Cleaned
from ..adapters.workbook_reader import read_raw_tables
from ..adapters.xlsm_copy import copy_with_edits
from ..core import rgpd, schema
from ..core.classeur import ROW, load_classeur, match_columns
from ..core.errors import InvalidOption
from ..core.raw import RawTable
from ..core.validation import match_ids
from ..core.values import DATE, agreed, counted

NAMES = ("T_Parametres", *rgpd.TABLES)
Edits = dict[str, dict[tuple[int, int], Any]]


@dataclass(frozen=True)
class Anonymise:
    """What one run did: the copy written and the participants anonymised in it."""

    source: Path
    destination: Path
    au: dt.date
    participants: list[str]
    lignes: int
    cleaned: Cleaned = field(default_factory=Cleaned)

    def to_dict(self) -> dict[str, Any]:
        return {"classeur": str(self.source), "copie": str(self.destination), "au": self.au.isoformat(),
                "participants_anonymises": len(self.participants), "ids": self.participants,
                "cellules_modifiees": self.lignes, "notes_supprimees": self.cleaned.notes,
                "liens_supprimes": self.cleaned.links, "formules_a_recalculer": self.cleaned.formulas,
                "tableaux_croises_supprimes": self.cleaned.pivot_tables, "series_de_graphique": self.cleaned.charts,
                "textes_effaces": self.cleaned.texts}

    def cleaned_sentence(self) -> str | None:
        """What the copy removed besides cells, in French (None when nothing)."""
        c = self.cleaned
        said = [counted(n, *words) for n, words in (
            (c.notes, ("note de cellule", "notes de cellule")), (c.links, ("lien hypertexte", "liens hypertextes")),
            (c.pivot_tables, ("tableau croisé dynamique", "tableaux croisés dynamiques")),
            (c.texts, ("nom d'auteur ou propriété", "noms d'auteur ou propriétés"))) if n]
        if c.formulas:
            said.append(f"{agreed(c.formulas, 'la valeur calculée', 'les valeurs calculées')} de "
                        f"{counted(c.formulas, 'formule')} (Excel {agreed(c.formulas, 'la', 'les')} recalcule à "
                        "l'ouverture)")
        if c.charts:
            said.append(f"les valeurs gardées de {counted(c.charts, 'série', 'séries')} de graphique (Excel les "
                        "redessine à l'ouverture)")
        if not said:
            return None
        return "Retirés aussi de la copie, parce qu'ils nommaient une personne anonymisée : " + ", ".join(said) + "."


def anonymiser(path: Path, destination: Path, au: dt.date | None = None, force: bool = False) -> Anonymise:
    """Write `destination`, a copy of `path` in which participants past retention are anonymised."""
    path, destination = Path(path), Path(destination)
    au = au or dt.date.today()
    if destination.suffix.lower() != path.suffix.lower():
        raise InvalidOption(
            f"La copie doit garder l'extension du classeur ({path.suffix}), pas « {destination.name} »."
        )
    refuse_clashes([destination], force)
    raw = read_raw_tables(path, [t.name for t in schema.TABLES])
    classeur, _ = match_ids(load_classeur(raw, path.name, NAMES))  # `p001` in Contrats is P001's, as everywhere
    plan = rgpd.to_anonymise(classeur, au)
    edits = cell_edits(raw, plan, path.name)
    rt = raw["T_Participants"]
    clear = {rt.sheet: ([int(r) for r in plan.participants[ROW]],
                        (rt.first_column, rt.first_column + len(rt.headers) - 1))}
    removed = set(old_values(raw, edits))
    cleaned = Cleaned()
    copy_with_edits(path, destination, edits, skip_counting=schema.RESULT_SHEETS, force=force, clear_rows=clear,
                    removed=removed, kept=kept_texts(raw, edits), cleaned=cleaned)
    return Anonymise(path, destination, au, plan.ids, sum(len(c) for c in edits.values()), cleaned)


def cell_edits(raw: dict[str, RawTable], plan: rgpd.Anonymisation, source: str) -> Edits:
    """(row, column) → new value, per sheet, from the plan and the tables' positions in the sheets."""
    edits: Edits = {}
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
            cells[(row, columns[rgpd.BIRTH])] = pd.Timestamp(birth).date()
    for name, rows in plan.linked_rows.items():
        if name not in raw:
            continue
        table_columns = _columns(raw[name], source)
        sheet_cells = edits.setdefault(raw[name].sheet, {})
        for key in rgpd.EMPTIED.get(name, ()):
            if key in table_columns:
                for row in rows:
                    sheet_cells[(row, table_columns[key])] = None
    return edits


def old_values(raw: dict[str, RawTable], edits: Edits) -> Iterable[str]:
    """The texts the edits remove (a birth date as the ways it may be written), for the final check."""
    for rt in raw.values():
        for (row, col), new in edits.get(rt.sheet, {}).items():
            old = _cell(rt, row, col)
            if old in (None, "") or old == new:
                continue
            if hasattr(old, "year"):  # 1990-05-17, 17/05/1990, 17 mai 1990
                day = dt.date(old.year, old.month, old.day)
                yield from (day.isoformat(), DATE.cell(day), DATE.bare(day))
            elif isinstance(old, str):
                yield old.strip()


def kept_texts(raw: dict[str, RawTable], edits: Edits) -> set[str]:
    """Every text the copy's tables still hold in cells left as they are (another use of the same words)."""
    kept: set[str] = set()
    for rt in raw.values():
        changed = edits.get(rt.sheet, {})
        for i, cells in enumerate(rt.rows):
            row = rt.excel_row(i)
            for j, value in enumerate(cells):
                if isinstance(value, str) and value.strip() and (row, rt.first_column + j) not in changed:
                    kept.add(value.strip())
        kept.update(str(h).strip() for h in rt.headers if isinstance(h, str))
    return kept


def _cell(rt: RawTable, row: int, col: int) -> Any:
    i, j = row - rt.header_row - 1, col - rt.first_column
    if 0 <= i < len(rt.rows) and 0 <= j < len(rt.rows[i]):
        return rt.rows[i][j]
    return None


def _columns(rt: RawTable, source: str) -> dict[str, int]:
    """Column key → 1-based sheet column of the table."""
    positions, _ = match_columns(schema.table(rt.name), rt, source)
    return {key: rt.first_column + pos for key, pos in positions.items()}
