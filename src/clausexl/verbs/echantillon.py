"""A sample of every document from one workbook, for `clausexl demo`.

One clause per Dispositif present, the statements and reminders of the last month with hours, the
buyers' bilans of that year, every certificate, and the letters of the first open offer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..adapters.workbook_reader import read_classeur
from ..core.contexts.offres import sendable
from ..core.exclusion import screen
from .attestations import attestations
from .clause import clause
from .courriers import courriers
from .documents import Documents, Progress
from .offres import offres


def echantillon(classeur: Path, sortie: Path, *, force: bool = False, today: dt.date | None = None,
                progress: Progress | None = None) -> Documents:
    """Write the sample into `sortie`; returns every file written."""
    c = screen(read_classeur(classeur, ("T_Marches", "T_Heures", "T_Offres")))
    markets = c["T_Marches"].drop_duplicates("id").sort_values("id")
    hours = c["T_Heures"]
    offers = c["T_Offres"].sort_values("id")
    common: dict[str, Any] = {"sortie": sortie, "force": force, "today": today, "progress": progress}
    results = [clause(classeur, m, **common) for m in markets.drop_duplicates("dispositif")["id"]]
    if len(hours):
        last = hours["mois"].max()
        results.append(courriers(classeur, mois=dt.date(last.year, last.month, 1), **common))
        results.append(courriers(classeur, annee=int(last.year), **common))
    results.append(attestations(classeur, **common))
    open_offers = sendable(offers, today or dt.date.today())["id"]
    if len(open_offers):
        results.append(offres(classeur, open_offers.iloc[0], **common))
    total = Documents()
    for r in results:
        total.fichiers += r.fichiers
        total.avertissements += r.avertissements
        total.left_out = tuple(dict.fromkeys([*total.left_out, *r.left_out]))
    return total
