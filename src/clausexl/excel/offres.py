"""« Offres » group: Proposer des candidats (rapprocher) and Diffuser l'offre (offres)."""

from __future__ import annotations

from ..adapters.excel_live import LiveWorkbook
from ..core.contexts.offres import TABLES as OFFRES_TABLES
from ..core.matching import TABLES as MATCHING_TABLES
from ..core.values import DATE, counted
from ..verbs import rapprocher
from ..verbs.offres import offres_classeur
from . import common
from .common import anchor, documents_message, entry_point, label, left_out, selected_id


@entry_point
def proposer_candidats(live: LiveWorkbook) -> str:
    """Proposer des candidats: the ranked pool for the offer on the selected row (rapprocher)."""
    c = live.classeur(MATCHING_TABLES)
    offre = selected_id(live, c, "T_Offres", label("proposer_candidats"))
    result = rapprocher.rapprocher_of(c, offre, common.today())
    notes = rapprocher.sheet_notes(result)
    title = f"Candidats pour l'offre {offre} au {DATE.cell(result.result.au)}"
    rows = [[title], *([n] for n in notes), list(rapprocher.HEADERS), *rapprocher.sheet_rows(result)]
    live.write_sheet(rapprocher.SHEET, rows, header_row=len(notes) + 2)
    ranked, aside = len(result.result.candidats), len(result.result.ecartes)
    return (f"Offre {offre} : {counted(ranked, 'candidat classé', 'candidats classés')}, "
            f"{counted(aside, 'écarté')} avec {'sa raison' if aside == 1 else 'leur raison'}.\n\n"
            f"Le classement et ses raisons sont dans la feuille « {rapprocher.SHEET} » : une aide à la décision, "
            "c'est vous qui choisissez qui proposer." + left_out(result.left_out))


# Alike excel/documents.rediger_clause on purpose: a button on a selected row reads, finds the ID, calls
# its verb, says what was written; each step calls that verb's own function.
@entry_point
def diffuser_offre(live: LiveWorkbook) -> str:
    """Diffuser l'offre: letters and e-mails for the offer on the selected row (offres), not sent."""
    c = live.classeur(OFFRES_TABLES)
    offre = selected_id(live, c, "T_Offres", label("diffuser_offre"))
    result = offres_classeur(c, anchor(live), offre, today=common.today(), rename_clashes=True)
    return documents_message(result, f"Offre {offre} ({counted(result.extra['partenaires'], 'partenaire')})")
