"""valider: every finding of a workbook, and the report workbook with links to the cells."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import Classeur
from ..core.findings import Finding
from ..core.raw import column_letter
from ..core.validation import validate
from ..core.values import counted

REPORT_HEADERS = ("Feuille", "Ligne", "Colonne", "Code", "Gravité", "Valeur", "Message", "Lien")


@dataclass(frozen=True)
class Rapport:
    """The findings of one validation run."""

    source: Path
    findings: list[Finding]
    columns: dict[tuple[str, str], int] = field(default_factory=dict)

    def cell(self, f: Finding) -> str | None:
        """The A1 reference of the cell a finding points at (its row's first cell when the column is unknown)."""
        if not f.row:
            return None
        return f"{column_letter(self.columns.get((f.sheet, f.column or ''), 1))}{f.row}"

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def counts(self) -> str:
        """« 4 erreurs, 23 avertissements », « 1 erreur, 0 avertissement »: the counts, agreed."""
        return f"{counted(self.errors, 'erreur')}, {counted(self.warnings, 'avertissement')}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "erreurs": self.errors,
            "avertissements": self.warnings,
            "constats": [f.to_dict() for f in self.findings],
        }


def valider(path: Path, au: dt.date | None = None) -> Rapport:
    """Read the whole workbook and run every rule; `au` is the date the dated rules look from."""
    return valider_classeur(read_classeur(path), path, au)


def valider_classeur(classeur: Classeur, source: Path, au: dt.date | None = None) -> Rapport:
    """Run every rule on a workbook already read (the open workbook, from Excel)."""
    return Rapport(Path(source), validate(classeur, au), classeur.columns)


def report_rows(rapport: Rapport) -> list[list[Any]]:
    """Rows of the `Contrôles` sheet / report workbook, in the order findings were sorted."""
    return [
        [f.sheet, f.row, f.column, f.code, f.severity.value, _text(f.to_dict()["valeur"]), f.message,
         "Aller à la cellule"]
        for f in rapport.findings
    ]


def write_report(rapport: Rapport, destination: Path, force: bool = False) -> Path:
    """A new workbook listing the findings, each with a link to its row in the source workbook."""
    target = link_target(rapport.source, destination)
    links = [f"external:{target}#'{f.sheet}'!{rapport.cell(f)}" if f.row else None for f in rapport.findings]
    sheet = OutSheet(
        "Contrôles", REPORT_HEADERS, report_rows(rapport),
        title=f"Contrôles du classeur {rapport.source.name}",
        notes=[f"{rapport.counts}."],
        links=links, link_column="Lien",
        widths={"Message": 80, "Feuille": 16, "Colonne": 22, "Code": 22, "Valeur": 18},
    )
    return write_workbook(destination, [sheet], force)




def link_target(source: Path, report: Path) -> str:
    """The workbook as seen from the report's folder: a relative path, so that the links still work when
    the two files are moved or copied together (another folder, a USB key, a shared drive). XlsxWriter
    stores it with `\\` as Excel does; absolute only when no relative path exists (two Windows drives)."""
    try:
        relative = os.path.relpath(Path(source).resolve(), Path(report).resolve().parent)
    except ValueError:
        return Path(source).resolve().as_posix()
    return Path(relative).as_posix()


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, float)) else str(value)
