"""clause: the clause of a market, for the buyer's tender documents (its Dispositif's template)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..adapters.workbook_reader import read_classeur
from ..core.classeur import Classeur
from ..core.contexts import clause as ctx
from .documents import Documents, Journal, Progress, make_documents, output_folder, templates_for


def clause(classeur: Path, marche: str, *, sortie: Path | None = None, modeles: Path | None = None,
           force: bool = False, pdf: bool = False, today: dt.date | None = None,
           progress: Progress | None = None) -> Documents:
    """Write `Clause - <marché> - <donneur d'ordre>.docx` for market `marche`."""
    return clause_classeur(read_classeur(classeur, ctx.TABLES), classeur, marche, sortie=sortie, modeles=modeles,
                           force=force, pdf=pdf, today=today, progress=progress)


def clause_classeur(c: Classeur, classeur: Path, marche: str, *, sortie: Path | None = None,
                    modeles: Path | None = None, force: bool = False, pdf: bool = False,
                    today: dt.date | None = None, progress: Progress | None = None,
                    rename_clashes: bool = False) -> Documents:
    """The same on a workbook already read; `classeur` places the output and templates folders."""
    today = today or dt.date.today()
    spec = ctx.clause_context(c, marche, today)
    return make_documents([spec], output_folder(classeur, c, sortie), templates_for(classeur, c, modeles),
                          force=force, pdf=pdf, progress=progress, rejected=c.rejected_rows(ctx.TABLES),
                          rename_clashes=rename_clashes, journal=Journal(classeur, "clause", today))
