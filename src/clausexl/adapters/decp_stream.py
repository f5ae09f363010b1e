"""Reading a DECP JSON file as a stream of records (ijson), whatever its size.

Three shapes exist: v2 `{"marches": {"marche": {...}}}` (one market) or `{"marches": {"marche":
[...]}}`, and v1 `{"marches": [...]}`. The shape is found by looking at the first events, then the
file is read again record by record: only one record is in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from ..core.errors import ClausexlError
from .output import note_input

#: (prefix of the first event that tells the shape, its event) → prefix of the records.
SHAPES = {
    ("marches", "start_array"): "marches.item",
    ("marches.marche", "start_array"): "marches.marche.item",
    ("marches.marche", "start_map"): "marches.marche",
}


class DecpUnreadable(ClausexlError, ValueError):
    """The DECP file cannot be read as JSON of one of the known shapes."""


def records_prefix(path: Path) -> str:
    """The ijson prefix of the market records in `path`, from its first events."""
    note_input(path)
    try:
        with open(path, "rb") as f:
            for prefix, event, _ in ijson.parse(f):
                shape = SHAPES.get((prefix, event))
                if shape:
                    return shape
                if prefix == "marches" and event not in ("start_map", "map_key"):
                    break  # `marches` closed, or not a list nor an object
    except FileNotFoundError as err:
        raise DecpUnreadable(f"Le fichier DECP « {path} » n'existe pas.") from err
    except ijson.JSONError as err:
        raise DecpUnreadable(f"Le fichier « {path.name} » n'est pas du JSON lisible ({err}).") from err
    raise DecpUnreadable(
        f"Le fichier « {path.name} » n'a pas de liste de marchés : on attend {{\"marches\": {{\"marche\": [...]}}}} "
        "(format DECP 2022) ou {\"marches\": [...]} (ancien format)."
    )


def iter_records(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(position from 1, record) for each market record; numbers come as int or Decimal."""
    path = Path(path)
    prefix = records_prefix(path)
    index = 0
    try:
        with open(path, "rb") as f:
            for record in ijson.items(f, prefix, use_float=False):
                index += 1
                yield index, record
    except ijson.JSONError as err:
        raise DecpUnreadable(
            f"Le fichier « {path.name} » est interrompu ou mal formé après l'enregistrement {index} ({err}) : "
            "téléchargez-le de nouveau ; rien n'a été écrit."
        ) from err
