"""init: a new empty workbook of the contract, copied from the packaged template."""

from __future__ import annotations

from pathlib import Path

from ..adapters.output import note_input, protecting_inputs, write_bytes_atomic
from ..adapters.workbook_reader import read_raw_tables
from ..core import schema
from ..core.errors import ClausexlError, InvalidOption, OverwritesInput, WorkbookUnreadable
from ..core.values import counted
from ..resources import template_workbook

_ZIP_MAGIC = b"PK"


def init(destination: Path, force: bool = False) -> Path:
    """Copy the template workbook to `destination` (a new .xlsm), never over an existing file.

    `force` replaces an existing file only when it holds no facilitator's data: an empty workbook
    of the contract, or a file that is not a workbook at all. A workbook with rows (or one that
    may be a damaged workbook) is never replaced by an empty one, `--force` or not.
    """
    destination = Path(destination)
    if destination.suffix.lower() != ".xlsm":
        raise InvalidOption(
            f"Le nouveau classeur doit avoir l'extension .xlsm (macros des boutons), pas « {destination.name} »."
        )
    source = template_workbook()
    if not source.exists():
        raise WorkbookUnreadable(f"Le modèle de classeur est introuvable ({source}) : réinstallez clausexl.")
    note_input(source)
    if force and destination.is_file():
        refuse_replacing_data(destination)
    return write_bytes_atomic(destination, source.read_bytes(), force)


def refuse_replacing_data(path: Path) -> None:
    """Stop when `path` is a workbook holding rows, or a workbook clausexl cannot read (maybe damaged)."""
    try:
        with path.open("rb") as handle:
            if handle.read(2) != _ZIP_MAGIC:
                return  # not a workbook (nor a damaged one): nothing of the facilitator's to lose
    except OSError:
        return  # the write says why it cannot replace it
    try:
        with protecting_inputs():  # only looked at: it stays the command's output, not an input
            raw = read_raw_tables(path, [t.name for t in schema.TABLES if t is not schema.PARAMETRES])
    except ClausexlError:
        raise OverwritesInput(
            f"Le fichier « {path} » existe et pourrait être un classeur (endommagé ou d'un autre modèle) : init ne "
            "le remplace jamais par un classeur vide, même avec --force ; choisissez un autre nom, ou déplacez-le "
            "d'abord."
        ) from None
    filled = {rt.sheet: n for rt in raw.values()
              if (n := sum(any(v not in (None, "") for v in row) for row in rt.rows))}
    if filled:
        largest = sorted(filled.items(), key=lambda item: -item[1])
        sheets = ", ".join(f"{sheet} ({n})" for sheet, n in largest[:3]) + ("…" if len(largest) > 3 else "")
        raise OverwritesInput(
            f"Le classeur « {path} » contient des données ({counted(sum(filled.values()), 'ligne')} : {sheets}) : "
            "init ne le remplace jamais par un classeur vide, même avec --force ; choisissez un autre nom, ou "
            "déplacez-le d'abord."
        )
