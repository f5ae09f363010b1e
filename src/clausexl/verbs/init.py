"""init: a new empty workbook of the contract, copied from the packaged template."""

from __future__ import annotations

from pathlib import Path

from ..adapters.output import note_input, write_bytes_atomic
from ..core.errors import InvalidOption, WorkbookUnreadable
from ..resources import template_workbook


def init(destination: Path, force: bool = False) -> Path:
    """Copy the template workbook to `destination` (a new .xlsm), never over an existing file."""
    destination = Path(destination)
    if destination.suffix.lower() != ".xlsm":
        raise InvalidOption(
            f"Le nouveau classeur doit avoir l'extension .xlsm (macros des boutons), pas « {destination.name} »."
        )
    source = template_workbook()
    if not source.exists():
        raise WorkbookUnreadable(f"Le modèle de classeur est introuvable ({source}) : réinstallez clausexl.")
    note_input(source)
    return write_bytes_atomic(destination, source.read_bytes(), force)
