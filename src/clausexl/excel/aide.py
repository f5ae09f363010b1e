"""« Aide » group: Guide."""

from __future__ import annotations

from ..adapters.excel_live import LiveWorkbook
from .buttons import BUTTONS, groups
from .common import entry_point


@entry_point
def guide(live: LiveWorkbook) -> str:
    """Guide: what each button does, in one message box."""
    lines = ["L'onglet « Clauses sociales » :"]
    for group in groups():
        labels = ", ".join(f"« {b.label} »" for b in BUTTONS if b.group == group)
        lines.append(f"• {group} : {labels}")
    lines.append("")
    lines.append("Chaque bouton lit le classeur ouvert sans modifier vos saisies : les résultats vont dans les "
                 "feuilles Contrôles, À faire, Tableau de bord, Candidats, Synthèse, ou en fichiers dans le dossier "
                 "de sortie (paramètre « Dossier de sortie », sinon le dossier « sorties » à côté du classeur).")
    lines.append(f"En cas d'erreur, le détail est écrit dans {live.folder / 'clausexl.log'}.")
    return "\n".join(lines)
