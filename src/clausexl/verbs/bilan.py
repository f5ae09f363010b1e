"""bilan: the year's indicators (docs/calculs.md §3–4) and the funders' workbook (docs/bilan.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..adapters.funders_workbook import write_funders_workbook
from ..adapters.workbook_reader import read_classeur
from ..core import schema
from ..core.bilan_report import Summary, summary, table_rows
from ..core.classeur import Classeur
from ..core.errors import InvalidOption
from ..core.exclusion import LeftOutRow, quality_rows, screen
from ..core.indicators import TABLES, bilan_figures

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Bilan:
    """The indicators of one year (keys of docs/calculs.md §4), the tables beside them, the choices made."""

    source: Path
    annee: int
    extraction: dt.date
    indicateurs: dict[str, Any]
    details: dict[str, Any]
    params: dict[str, Any]
    left_out: tuple[LeftOutRow, ...] = ()

    @property
    def warnings(self) -> list[str]:
        """The « Attention » sentences (figures built on rows valider calls an error, said): also in the
        key sentences, on stderr, in `alertes`."""
        return list(self.details.get("alertes", ()))

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `bilan --json`: the §4 keys, then the extraction date, choices and extra tables."""
        tables = {k: v for k, v in self.details.items() if k not in ("choix", "non_renseigne", "alertes")}
        return {**self.indicateurs, "date_extraction": self.extraction.isoformat(),
                "choix": self.details["choix"], "non_renseigne": self.details["non_renseigne"], "tableaux": tables,
                "alertes": self.warnings,
                "lignes_ecartees": [r.to_dict() for r in self.left_out]}

    @property
    def summary(self) -> Summary:
        return summary(self.indicateurs, self.details, self.params, self.extraction, self.source.name,
                       quality_rows(self.left_out))


def bilan(path: Path, annee: int, extraction: dt.date | None = None) -> Bilan:
    """Read the tables the indicators need and compute year `annee` (and N-1 beside it)."""
    check_year(annee)
    return bilan_classeur(read_classeur(path, TABLES), path, annee, extraction)


def check_year(annee: int, where: str = "--annee") -> None:
    """Stop on a year outside the supported range, before reading anything."""
    if not MIN_YEAR <= annee <= MAX_YEAR:
        raise InvalidOption(f"L'année {annee} est hors de la plage {MIN_YEAR}–{MAX_YEAR} : vérifiez {where}.")


def bilan_classeur(c: Classeur, source: Path, annee: int, extraction: dt.date | None = None) -> Bilan:
    """The same on a workbook already read (the open workbook, from Excel)."""
    check_year(annee)
    c = screen(c)
    extraction = extraction or dt.date.today()
    indicators, details = bilan_figures(c, annee, extraction)
    return Bilan(Path(source), annee, extraction, indicators, details, dict(c.params), c.left_out)


def write_funders(result: Bilan, destination: Path, force: bool = False) -> Path:
    """The funders' workbook « Bilan des clauses sociales <année> » as a new .xlsx."""
    return write_funders_workbook(destination, result.summary, result.to_dict(), force)


def synthese_rows(result: Bilan) -> list[list[Any]]:
    """Rows of the `Synthèse <année>` sheet (one write): title, sentences, key figures, every table.

    Rows have the same width; empty cells are None. Numbers stay numbers (shares as fractions).
    """
    s = result.summary
    width = max(4, *(len(sec.headers) for sec in s.sections))
    rows: list[list[Any]] = [[s.title], [f"Données extraites le {result.extraction.isoformat()}"], []]
    rows += [list(r) for r in s.quality] + [[]]
    rows += [[sentence] for sentence in s.sentences] + [[]]
    rows.append(["Indicateur", s.annee, s.annee - 1, "Évolution"])
    rows += [[f.label, f.value, f.previous, f.change] for f in s.figures]
    for section in s.sections:
        rows += [[], [section.title], list(section.headers), *table_rows(section)]
        if section.note:
            rows.append([section.note])
    rows += [[], ["Paramètres utilisés"], *([name, value] for name, value in s.parameters)]
    rows += [[choice] for choice in s.choices]
    return [r + [None] * (width - len(r)) for r in rows]


def synthese_sheet_name(annee: int) -> str:
    """`Synthèse 2018`: the result sheet the Excel button writes."""
    return f"{schema.SYNTHESE_PREFIX} {annee}"
