"""« Documents » group: Rédiger la clause, Courriers de suivi, Attestations (files in the output folder)."""

from __future__ import annotations

from ..adapters.excel_live import LiveWorkbook
from ..core.contexts.clause import TABLES as CLAUSE_TABLES
from ..core.contexts.suivi import TABLES as SUIVI_TABLES
from ..core.values import MONTH, counted, de
from ..verbs.attestations import attestations_classeur
from ..verbs.clause import clause_classeur
from ..verbs.courriers import courriers_classeur, default_month
from . import common
from .common import anchor, documents_message, entry_point, label, selected_id


@entry_point
def rediger_clause(live: LiveWorkbook) -> str:
    """Rédiger la clause: the clause of the market on the selected row (clause)."""
    c = live.classeur(CLAUSE_TABLES)
    marche = selected_id(live, c, "T_Marches", label("rediger_clause"))
    result = clause_classeur(c, anchor(live), marche, today=common.today(), rename_clashes=True)
    return documents_message(result, f"Clause du marché {marche}")


@entry_point
def courriers_suivi(live: LiveWorkbook) -> str:
    """Courriers de suivi: statements and reminders for the month of `Mois de suivi`, else the previous month."""
    c = live.classeur(SUIVI_TABLES)
    today = common.today()
    result = courriers_classeur(c, anchor(live), today=today, rename_clashes=True)
    mois = default_month(c.params, today)
    counts = f"{counted(result.extra['releves'], 'relevé')}, {counted(result.extra['relances'], 'relance')}"
    return documents_message(result, f"Courriers de suivi {de(MONTH.text(mois))} ({counts})")


@entry_point
def attestations(live: LiveWorkbook) -> str:
    """Attestations: certificates of the finished markets (attestations)."""
    result = attestations_classeur(live.classeur(SUIVI_TABLES), anchor(live), today=common.today(),
                                   rename_clashes=True)
    return documents_message(result, "Attestations de fin de clause")
