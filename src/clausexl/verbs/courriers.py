"""courriers: the month's statements and reminders to companies, or the yearly bilan to each buyer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..adapters.workbook_reader import read_classeur
from ..core.classeur import Classeur
from ..core.contexts import suivi
from ..core.errors import InvalidOption
from ..core.exclusion import screen
from ..core.values import DATE, MONTH, counted
from .documents import Documents, Journal, Progress, make_documents, output_folder, templates_for, unknown_qpv_warning


def default_month(c_params: Mapping[str, Any], today: dt.date) -> dt.date:
    """The parameter « Mois de suivi », else the month before `today` (the ribbon's choice)."""
    given = c_params.get("mois_suivi")
    if given is not None and not pd.isna(given):
        return dt.date(given.year, given.month, 1)
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def courriers(classeur: Path, *, mois: dt.date | None = None, annee: int | None = None,
              sortie: Path | None = None, modeles: Path | None = None, force: bool = False, pdf: bool = False,
              today: dt.date | None = None, progress: Progress | None = None) -> Documents:
    """With `annee`: one bilan per buyer; else the statements and reminders of `mois`."""
    if mois is not None and annee is not None:
        raise InvalidOption("Choisissez --mois (relevés et relances) ou --annee (bilans aux donneurs d'ordre), "
                            "pas les deux.")
    return courriers_classeur(read_classeur(classeur, suivi.TABLES), classeur, mois=mois, annee=annee, sortie=sortie,
                              modeles=modeles, force=force, pdf=pdf, today=today, progress=progress)


def courriers_classeur(c: Classeur, classeur: Path, *, mois: dt.date | None = None, annee: int | None = None,
                       sortie: Path | None = None, modeles: Path | None = None, force: bool = False,
                       pdf: bool = False, today: dt.date | None = None, progress: Progress | None = None,
                       rename_clashes: bool = False) -> Documents:
    """The same on a workbook already read; `classeur` places the output and templates folders.

    Rows in error are left out (docs/calculs.md §0) and listed in the result."""
    c = screen(c)
    today = today or dt.date.today()
    extra: dict[str, Any] = {}
    early: str | None = None
    if annee is not None:
        specs = suivi.bilans_donneurs(c, annee, today)
        extra = {"annee": annee, "bilans": len(specs)}
    else:
        month = mois or default_month(c.params, today)
        releves, relances = suivi.releves_et_relances(c, month, today)
        if today < suivi.month_end(month):
            early, relances = not_over(month, today, len(relances)), []
        specs = releves + relances
        extra = {"mois": f"{month:%Y-%m}", "releves": len(releves), "relances": len(relances)}
    result = make_documents(specs, output_folder(classeur, c, sortie), templates_for(classeur, c, modeles),
                            force=force, pdf=pdf, progress=progress, left_out=c.left_out,
                            rename_clashes=rename_clashes, journal=Journal(classeur, "courriers", today))
    result.extra.update(extra)
    # The same « Attention » sentences as `heures`, up to the date the documents count hours to.
    unknown_qpv_warning(c, specs, suivi.month_end(month) if annee is None else min(today, dt.date(annee, 12, 31)),
                        result)
    if early:
        result.avertissements.append(early)
    if not specs:
        result.avertissements.append("Aucun marché concerné : aucun courrier à produire.")
    return result


def not_over(month: dt.date, today: dt.date, reminders: int) -> str:
    """Why no reminder is written for a month that is not over: the companies cannot have sent its hours
    (the statement is due by the 10th of the next month)."""
    what = f"{MONTH.text(month)} n'est pas fini au {DATE.text(today)}"
    skipped = f" : {counted(reminders, 'relance')} non écrite{'s' if reminders > 1 else ''}" if reminders else ""
    return (f"{what[0].upper()}{what[1:]}{skipped} (les entreprises ne peuvent pas encore avoir envoyé toutes "
            "les heures du mois) ; les relevés montrent les heures reçues à ce jour.")
