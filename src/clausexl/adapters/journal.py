"""The journal file: `Journal clausexl.csv` beside the workbook, appended to, never rewritten.

Why a file beside the workbook and not a `Journal` sheet: the command line never writes the
workbook it reads, so a sheet would only know what the ribbon did; a file records both, is found
by every verb whatever `--sortie` says, and is shared by the copies that sit in the same folder
(`importer-releves` writes `copie.xlsm` beside `clauses.xlsm`). Why CSV: lines are only ever
appended, in one write per run, so a line already there is never rewritten, two runs at the same time
lose nothing, and Excel opens it (UTF-8 with BOM, `;` between cells, as a French Excel expects).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import WriteFailed
from ..core.journal import COLUMNS, Entry

NAME = "Journal clausexl.csv"
_BOM = "\ufeff"


def journal_path(classeur: Path) -> Path:
    """The journal of the workbook at `classeur` (shared by the workbooks of its folder)."""
    return Path(classeur).resolve().parent / NAME


def append(classeur: Path, entries: Sequence[Entry]) -> Path | None:
    """Add `entries` at the end of the journal (created with its header the first time), in one write."""
    if not entries:
        return None
    path = journal_path(classeur)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for entry in entries:
        writer.writerow(entry.row())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            head = ""
            if os.fstat(fd).st_size == 0:
                header = io.StringIO()
                csv.writer(header, delimiter=";", lineterminator="\r\n").writerow(COLUMNS)
                head = _BOM + header.getvalue()
            os.write(fd, (head + buffer.getvalue()).encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as err:
        raise WriteFailed(f"Le journal « {path} » n'a pas pu être complété ({err.strerror or err}) : les fichiers "
                          "sont écrits, mais notez cet envoi à la main.") from err
    return path


def read(classeur: Path) -> list[Entry]:
    """Every readable entry of the workbook's journal (none when there is no journal yet)."""
    path = journal_path(classeur)
    if not path.is_file():
        return []
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    return [e for e in (Entry.from_row({k: v or "" for k, v in row.items() if k}) for row in reader) if e]
