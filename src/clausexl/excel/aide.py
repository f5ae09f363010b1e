"""« Aide » group: Guide, the user guide in the browser."""

from __future__ import annotations

from ..adapters.excel_live import LiveWorkbook
from ..guide import GUIDE, open_guide
from .common import entry_point


@entry_point
def guide(live: LiveWorkbook) -> str:
    """Guide: open the HTML user guide shipped with clausexl; say where it is either way."""
    if open_guide():
        return f"Le guide s'ouvre dans votre navigateur.\n\nFichier : {GUIDE}"
    return (f"Le navigateur n'a pas pu être ouvert : ouvrez ce fichier (double clic dans l'Explorateur ou le "
            f"Finder) :\n\n{GUIDE}")
