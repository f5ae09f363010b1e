"""« Marchés » group: Repérer les marchés (reperer) in a file chosen in a file dialog.

The button takes either file of the round trip:
- a DECP file (JSON, CSV, parquet): the territory's markets are written as a review list in the output
  folder, with an « À importer » column;
- that review list, saved with « Oui » on the markets to take: they are appended to T_Marches, and the
  buyers they need to T_DonneursOrdre, one write per table, under the rows already there. The DECP
  file is read again (`lignes_a_importer`) against the open workbook, so IDs follow every ID typed
  since and a market already in the sheet is never added twice. The workbook is left unsaved.

The dialog is Excel's own (VBA `GetOpenFilename`); the path reaches Python as the hexadecimal
UTF-16 code units of its text, so that accents, spaces, quotes and `|` survive the command
lines and AppleScript that RunPython goes through on Windows and macOS.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..adapters.excel_live import LiveWorkbook
from ..core import schema
from ..core.errors import InvalidOption
from ..core.filenames import file_name
from ..core.text import header_key
from ..core.values import COUNT, agreed, counted
from ..verbs import reperer
from ..verbs.documents import free_path, output_folder
from .common import anchor, entry_point, left_out

#: Markets named one by one in the message; beyond, only counted.
LISTED = 10


def path_from_vba(code: str) -> Path:
    """The path the VBA callback encoded (`HexUtf16` in Ruban.bas), decoded."""
    try:
        return Path(bytes.fromhex(code).decode("utf-16-be"))
    except (ValueError, UnicodeDecodeError):
        raise InvalidOption("Le chemin du fichier choisi n'a pas pu être lu : choisissez-le de nouveau.") from None


@entry_point
def reperer_marches(live: LiveWorkbook, chemin: str) -> str:
    """Repérer les marchés: a DECP file gives the list to review; the saved list adds its « Oui » markets."""
    chosen = path_from_vba(chemin)
    if reperer.is_review_list(chosen):
        return ajouter_marches(live, chosen)
    c = live.classeur(reperer.TABLES)
    result = reperer.reperer_classeur(c, live.path, chosen)
    path = reperer.write_reperage(result, free_path(
        output_folder(anchor(live), c, None) / file_name(["Repérage", chosen.stem], ".xlsx")))
    n = result.counts()
    text = (f"{chosen.name} : {counted(n['enregistrements'], 'enregistrement lu', 'enregistrements lus')}.\n"
            f"• Avec considération sociale, non suivis dans le classeur : {n['clauses_non_suivies']}\n"
            f"• Sans considération sociale, au-dessus du seuil : {n['sans_clause']}\n"
            f"• Déjà suivis : {n['deja_suivis']}\n\n"
            f"La liste à revoir est écrite : {path}\nSaisissez Oui dans la colonne « {reperer.IMPORT} » pour les "
            "marchés à reprendre, enregistrez la liste, puis cliquez de nouveau sur « Repérer les marchés » et "
            "choisissez-la : ces marchés seront ajoutés à la feuille Marchés.")
    if n["illisibles"]:
        unread = counted(n["illisibles"], "enregistrement du territoire illisible",
                         "enregistrements du territoire illisibles")
        text += (f"\n\nAttention : {unread}, {agreed(n['illisibles'], 'laissé')} de "
                 "côté (feuilles « Lecture » et « Illisibles » de la liste).")
    return text + "".join(f"\n\n{alert}" for alert in result.alertes) + left_out(result.left_out)


def ajouter_marches(live: LiveWorkbook, liste: Path) -> str:
    """The markets marked « Oui » in the saved list, appended to T_Marches (new buyers to T_DonneursOrdre)."""
    chosen = reperer.chosen_markets(liste)
    if not chosen.decp.is_file():
        raise InvalidOption(f"La liste « {liste.name} » a été faite avec le fichier DECP « {chosen.decp} », qui "
                            "n'est plus à cet endroit : remettez-le, ou refaites la liste avec « Repérer les "
                            "marchés » sur le fichier DECP.")
    c = live.classeur(reperer.TABLES)
    rows = reperer.lignes_a_importer(chosen.decp, c, chosen.references, chosen.departements)
    buyers = live.append_rows("T_DonneursOrdre", in_header_order(
        schema.DONNEURS_ORDRE, live.raw["T_DonneursOrdre"].headers, rows.donneurs))
    markets = live.append_rows("T_Marches", in_header_order(
        schema.MARCHES, live.raw["T_Marches"].headers, rows.marches))
    marches_sheet, donneurs_sheet = c.sheet("T_Marches"), c.sheet("T_DonneursOrdre")
    text = f"Marchés marqués Oui dans « {liste.name} » : {len(chosen.references)}.\n"
    if markets:
        text += (f"• {counted(len(rows.marches), 'ajouté')} à la feuille {marches_sheet} ({_lines(markets)}) : "
                 f"{_names(rows.marches, 'objet')}\n")
    if buyers:
        buyers_added = counted(len(rows.donneurs), "donneur d'ordre ajouté", "donneurs d'ordre ajoutés")
        text += (f"• {buyers_added} à la feuille {donneurs_sheet} "
                 f"({_lines(buyers)}) : {_names(rows.donneurs, 'nom')}\n")
    if rows.deja_suivis:
        text += (f"• {COUNT.cell(len(rows.deja_suivis))} déjà dans la feuille {marches_sheet}, "
                 f"non {agreed(len(rows.deja_suivis), 'ajouté')} : "
                 f"{', '.join(rows.deja_suivis[:LISTED])}{' …' if len(rows.deja_suivis) > LISTED else ''}\n")
    if markets:
        text += ("\nComplétez le Dispositif et l'Attributaire des marchés « En préparation », vérifiez les lignes "
                 "(« Vérifier la saisie »), puis enregistrez le classeur (ou fermez-le sans enregistrer pour "
                 "annuler).")
    else:
        text += "\nRien n'a été ajouté au classeur."
    return text + left_out(rows.left_out)


def in_header_order(table: schema.Table, headers: Sequence[Any], rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """Rows keyed by the schema's keys, placed under the table's own headers (a column moved by the
    facilitator still gets its values; a column the schema does not know stays empty)."""
    by_header = {header_key(col.header): col.key for col in table.columns}
    keys = [by_header.get(header_key(h)) if h not in (None, "") else None for h in headers]
    return [[row.get(k) if k else None for k in keys] for row in rows]


def _lines(written: tuple[int, int]) -> str:
    first, last = written
    return f"ligne {first}" if first == last else f"lignes {first} à {last}"


def _names(rows: Sequence[dict[str, Any]], label: str) -> str:
    shown = "; ".join(f"{r['id']} {r[label]}" for r in rows[:LISTED])
    return shown + (f" … (et {len(rows) - LISTED} autres)" if len(rows) > LISTED else "")
