"""attestations: end-of-clause certificates, to the company and to the buyer of each finished market."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..adapters.workbook_reader import read_classeur
from ..core.classeur import Classeur
from ..core.contexts import suivi
from ..core.exclusion import asked_id, screen
from .documents import Documents, Journal, Progress, make_documents, output_folder, templates_for, unknown_qpv_warning


def attestations(classeur: Path, *, marche: str | None = None, sortie: Path | None = None,
                 modeles: Path | None = None, force: bool = False, pdf: bool = False,
                 today: dt.date | None = None, progress: Progress | None = None) -> Documents:
    """Certificates of every finished market (Statut Terminé), or of `marche` only."""
    return attestations_classeur(read_classeur(classeur, suivi.TABLES), classeur, marche=marche, sortie=sortie,
                                 modeles=modeles, force=force, pdf=pdf, today=today, progress=progress)


def attestations_classeur(c: Classeur, classeur: Path, *, marche: str | None = None, sortie: Path | None = None,
                          modeles: Path | None = None, force: bool = False, pdf: bool = False,
                          today: dt.date | None = None, progress: Progress | None = None,
                          rename_clashes: bool = False) -> Documents:
    """The same on a workbook already read; `classeur` places the output and templates folders.

    Rows in error are left out (docs/calculs.md §0) and listed in the result."""
    c = screen(c)
    marche = asked_id(c, "T_Marches", marche) if marche is not None else None
    today = today or dt.date.today()
    specs = suivi.attestations(c, today, marche)
    result = make_documents(specs, output_folder(classeur, c, sortie), templates_for(classeur, c, modeles),
                            force=force, pdf=pdf, progress=progress, left_out=c.left_out,
                            rename_clashes=rename_clashes, journal=Journal(classeur, "attestations", today))
    unknown_qpv_warning(c, specs, today, result)
    if not specs:
        result.avertissements.append("Aucun marché terminé (Statut « Terminé ») : aucune attestation à produire.")
    return result
