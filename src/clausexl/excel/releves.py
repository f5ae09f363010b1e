"""« Relevés » group: Relevés à remplir (releves) and Importer des relevés (importer-releves).

The import is the one button that writes a data sheet: the accepted rows are appended to T_Heures
of the open workbook, in one write whatever their number, and left unsaved, so the facilitator
looks at them (and at the report sheet) before saving, or closes without saving to undo.
"""

from __future__ import annotations

from typing import Any

from ..adapters import journal as journal_file
from ..adapters.excel_live import LiveWorkbook
from ..core.errors import UnknownItem, WriteFailed
from ..core.exclusion import quality_lines
from ..core.releves import TABLES as FORM_TABLES
from ..core.releves_import import ACCEPTEE, CONFLIT, PRESENTE, REFUSEE, VIDE, ImportResult
from ..core.releves_import import TABLES as IMPORT_TABLES
from ..core.values import COUNT, MONTH, agreed, counted, de
from ..verbs.courriers import default_month
from ..verbs.documents import output_folder
from ..verbs.importer_releves import check_statements, journal_entries, table_rows
from ..verbs.releves import releves_classeur
from . import common
from .common import anchor, documents_message, entry_point, left_out

#: The folder, in the output folder, where the facilitator puts the statements that came back.
RECEIVED = "Relevés reçus"
REPORT_SHEET = "Relevés importés"
REPORT_HEADERS = ("Fichier", "Ligne", "Statut", "Contrat", "Personne", "Mois", "Détail")


@entry_point
def releves_a_remplir(live: LiveWorkbook) -> str:
    """Relevés à remplir: one form per company for the month of `Mois de suivi` (else the previous month)."""
    c = live.classeur(FORM_TABLES)
    today = common.today()
    mois = default_month(c.params, today)
    result = releves_classeur(c, anchor(live), mois, today=today, rename_clashes=True)
    return documents_message(result, f"Relevés à remplir {de(MONTH.text(mois))}")


@entry_point
def importer_releves(live: LiveWorkbook) -> str:
    """Importer des relevés: every file of `Relevés reçus`, checked; accepted rows appended to T_Heures."""
    c = live.classeur(IMPORT_TABLES)
    folder = output_folder(anchor(live), c, None) / RECEIVED
    if not folder.is_dir() or not any(p.is_file() for p in folder.iterdir()):
        folder.mkdir(parents=True, exist_ok=True)
        raise UnknownItem(f"Déposez les relevés renvoyés par les entreprises (classeurs, CSV) dans le dossier "
                          f"« {folder} », puis cliquez de nouveau sur « Importer des relevés ».")
    result = check_statements(c, [folder], exclude=(live.path,))
    written = live.append_rows("T_Heures", table_rows(live.raw["T_Heures"].headers, result.rows))
    rows = report_rows(result)
    live.write_sheet(REPORT_SHEET, rows, header_row=rows.index(list(REPORT_HEADERS)) + 1)
    warning = ""
    try:
        journal_file.append(anchor(live), journal_entries(result, common.today()))
    except WriteFailed as err:
        warning = f"\n\n{err}"
    counts = {s: sum(f.count(s) for f in result.fichiers) for s in (ACCEPTEE, PRESENTE, REFUSEE, CONFLIT, VIDE)}
    unread = sum(1 for f in result.fichiers if f.probleme)
    added = counts[ACCEPTEE]
    where = "ajoutée à la feuille Heures"
    if written:
        span = f"ligne {written[0]}" if written[0] == written[1] else f"lignes {written[0]} à {written[1]}"
        where = (f"{agreed(added, 'ajoutée')} à la feuille Heures ({span}) : vérifiez-{agreed(added, 'la', 'les')}, "
                 "puis enregistrez le classeur (ou fermez-le sans enregistrer pour annuler)")
    return (f"{counted(len(result.fichiers), 'fichier lu', 'fichiers lus')} dans « {folder} » : "
            f"{counted(added, 'ligne')} {where}.\n\n"
            f"{counted(counts[PRESENTE], 'déjà présente')}, {counted(counts[REFUSEE], 'refusée')}, "
            f"{COUNT.cell(counts[CONFLIT])} en conflit, {counted(counts[VIDE], 'vide')}, "
            f"{counted(unread, 'fichier non lu', 'fichiers non lus')} : le détail est dans la feuille "
            f"« {REPORT_SHEET} »." + warning + left_out(result.left_out))


def report_rows(result: ImportResult) -> list[list[Any]]:
    """The report sheet: a title, the « Qualité des données » block, the headers, then per file its one line
    or each of its rows."""
    rows: list[list[Any]] = [[f"Import des relevés : {counted(len(result.rows), 'ligne ajoutée', 'lignes ajoutées')}"],
                             *([line] for line in quality_lines(result.left_out)), list(REPORT_HEADERS)]
    for f in result.fichiers:
        if f.probleme:
            rows.append([f.fichier, None, "non lu", None, None, None, f.probleme])
        for line in f.lignes:
            rows.append([f.fichier, line.ligne, line.statut, line.contrat, line.personne,
                         MONTH.text(line.mois) if line.mois else None, line.message])
    return rows
