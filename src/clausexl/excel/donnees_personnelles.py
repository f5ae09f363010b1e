"""« Données personnelles » group (RGPD): Extraire une personne and Anonymiser, without a terminal.

Both write files and never touch the open workbook: the extract goes to the output folder, the
anonymised copy beside the workbook (it is a workbook, to keep or to replace this one with).
"""

from __future__ import annotations

import datetime as dt

from ..adapters.excel_live import LiveWorkbook
from ..core.errors import UnknownItem
from ..core.filenames import file_name
from ..core.values import DATE, counted
from ..verbs import anonymiser as anonymiser_verb
from ..verbs import extraire_personne as extraire
from ..verbs.documents import free_path, output_folder
from . import common
from .common import anchor, entry_point, label, selected_id


@entry_point
def extraire_personne(live: LiveWorkbook) -> str:
    """Extraire une personne: every row held on the participant of the selected row, in a new .xlsx."""
    c = live.classeur((*extraire.NAMES, *extraire.LOOKUPS))
    participant = selected_id(live, c, "T_Participants", label("extraire_personne"))
    extrait = extraire.extrait_of(live.raw, c, participant)
    path = extraire.write_extrait(extrait, free_path(
        output_folder(anchor(live), c, None) / file_name(["Extrait", participant], ".xlsx")))
    counts = "".join(f"\n• {sheet} : {counted(len(rows), 'ligne')}" for sheet, (_, rows) in extrait.sheets.items())
    return (f"Tout ce que le classeur contient sur le participant {participant} :{counts}\n\n"
            f"Fichier écrit : {path}\n\nIl contient des données personnelles : remettez-le à la personne qui "
            "l'a demandé (droit d'accès), puis supprimez-le.")


@entry_point
def anonymiser(live: LiveWorkbook) -> str:
    """Anonymiser: a copy of the saved workbook, beside it, without the people past retention."""
    source = live.path
    if not source.is_absolute() or not source.is_file():
        raise UnknownItem("Le classeur doit être enregistré dans un dossier de ce PC pour en faire une copie "
                          "anonymisée : enregistrez-le (Fichier › Enregistrer sous), puis cliquez de nouveau sur "
                          f"« {label('anonymiser')} ».")
    today = common.today()
    destination = free_path(source.with_name(file_name([source.stem, f"anonymisé au {today:%Y-%m-%d}"],
                                                       source.suffix)))
    result = anonymiser_verb.anonymiser(source, destination, today)
    saved = dt.datetime.fromtimestamp(source.stat().st_mtime)
    anonymised = counted(len(result.participants), "participant anonymisé", "participants anonymisés")
    return (f"{anonymised} dans la copie (suivi terminé depuis plus "
            f"longtemps que la durée de conservation, au {DATE.cell(today)}).\n\n"
            + (f"{also}\n\n" if (also := result.cleaned_sentence()) else "") +
            f"La copie est écrite à côté du classeur : {result.destination}\n\n"
            f"Elle part du classeur tel qu'il est enregistré (le {DATE.cell(saved)} à {saved:%H:%M}) : les saisies non "
            "enregistrées n'y sont pas. Le classeur ouvert n'est pas modifié : vérifiez la copie, puis "
            "travaillez désormais dans la copie et supprimez l'ancien classeur.")
