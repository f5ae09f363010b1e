"""« Marchés » group: Repérer les marchés (reperer) in a DECP file chosen in a file dialog.

The dialog is Excel's own (VBA `GetOpenFilename`); the path reaches Python as the hexadecimal
UTF-16 code units of its text, so that accents, spaces, quotes and `|` survive the command
lines and AppleScript that RunPython goes through on Windows and macOS.
"""

from __future__ import annotations

from pathlib import Path

from ..adapters.excel_live import LiveWorkbook
from ..core.errors import InvalidOption
from ..core.filenames import file_name
from ..verbs import reperer
from ..verbs.documents import free_path, output_folder
from .common import anchor, entry_point, left_out


def path_from_vba(code: str) -> Path:
    """The path the VBA callback encoded (`HexUtf16` in Ruban.bas), decoded."""
    try:
        return Path(bytes.fromhex(code).decode("utf-16-be"))
    except (ValueError, UnicodeDecodeError):
        raise InvalidOption("Le chemin du fichier choisi n'a pas pu être lu : choisissez-le de nouveau.") from None


@entry_point
def reperer_marches(live: LiveWorkbook, chemin: str) -> str:
    """Repérer les marchés: the territory's markets in the chosen DECP file, as a list to review."""
    decp_path = path_from_vba(chemin)
    c = live.classeur(reperer.TABLES)
    result = reperer.reperer_classeur(c, live.path, decp_path)
    path = reperer.write_reperage(result, free_path(
        output_folder(anchor(live), c, None) / file_name(["Repérage", decp_path.stem], ".xlsx")))
    n = result.counts()
    text = (f"{decp_path.name} : {n['enregistrements']} enregistrement(s) lu(s).\n"
            f"• Avec considération sociale, non suivis dans le classeur : {n['clauses_non_suivies']}\n"
            f"• Sans considération sociale, au-dessus du seuil : {n['sans_clause']}\n"
            f"• Déjà suivis : {n['deja_suivis']}\n\n"
            f"La liste à revoir est écrite : {path}\nSaisissez Oui dans la colonne « {reperer.IMPORT} » pour les "
            "marchés à reprendre dans la feuille Marchés.")
    if n["illisibles"]:
        text += (f"\n\nAttention : {n['illisibles']} enregistrement(s) du territoire illisible(s), laissé(s) de "
                 "côté (feuilles « Lecture » et « Illisibles » de la liste).")
    return text + left_out(result.left_out)
