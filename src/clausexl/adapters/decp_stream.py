"""Reading a DECP JSON file as a stream of records (ijson), whatever its size; recognising the
kind of a DECP file (parquet, CSV or JSON) by its content.

JSON shapes: v2 `{"marches": {"marche": {...}}}` (one market) or `{"marches": {"marche": [...]}}`,
v1 `{"marches": [...]}`, a bare list of markets `[...]`, or one market object alone. The shape is found
by looking at the first events, then the file is read again record by record: only one record is in
memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from ..core.errors import ClausexlError

#: (prefix of the first event that tells the shape, its event) → prefix of the records.
SHAPES = {
    ("marches", "start_array"): "marches.item",
    ("marches.marche", "start_array"): "marches.marche.item",
    ("marches.marche", "start_map"): "marches.marche",
    ("", "start_array"): "item",
}
#: Keys that only a market record has at its top level: a file that starts with one is a single market.
MARKET_KEYS = frozenset({"id", "acheteur", "objet", "montant", "dateNotification", "codeCPV"})


class DecpUnreadable(ClausexlError, ValueError):
    """The DECP file cannot be read as JSON of one of the known shapes."""


class DecpTruncated(DecpUnreadable):
    """The JSON stops in the middle: the records before the break were read and are kept."""

    def __init__(self, message: str, records: int) -> None:
        super().__init__(message)
        self.records = records


def detect_kind(path: Path) -> str:
    """« parquet », « json » or « csv », from the first bytes of the file (its name may lie)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError as err:
        raise DecpUnreadable(f"Le fichier DECP « {path} » n'existe pas.") from err
    except IsADirectoryError as err:
        raise DecpUnreadable(f"« {path} » est un dossier, pas un fichier DECP.") from err
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return "json"
    first_line = text.split(b"\n", 1)[0]
    if b"uid" in first_line and any(sep in first_line for sep in (b",", b";", b"\t", b"|")):
        return "csv"
    raise DecpUnreadable(
        f"Le fichier « {path.name} » n'est pas un fichier DECP reconnu : on attend le JSON réglementaire, ou les "
        "DECP consolidées en parquet ou en CSV (première ligne avec les colonnes uid, id, acheteur_id…).")


def records_prefix(path: Path) -> str:
    """The ijson prefix of the market records in `path`, from its first events."""
    try:
        with open(path, "rb") as f:
            for prefix, event, value in ijson.parse(f):
                shape = SHAPES.get((prefix, event))
                if shape:
                    return shape
                if prefix == "" and event == "map_key" and value in MARKET_KEYS:
                    return ""  # one market alone
                if prefix == "marches" and event not in ("start_map", "map_key"):
                    break  # `marches` closed, or not a list nor an object
    except FileNotFoundError as err:
        raise DecpUnreadable(f"Le fichier DECP « {path} » n'existe pas.") from err
    except ijson.JSONError as err:
        raise DecpUnreadable(f"Le fichier « {path.name} » n'est pas du JSON lisible ({err}).") from err
    raise DecpUnreadable(
        f"Le fichier « {path.name} » n'a pas de liste de marchés : on attend {{\"marches\": {{\"marche\": [...]}}}} "
        "(format DECP 2022), {\"marches\": [...]} (ancien format), une liste de marchés ou un marché seul."
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
        raise DecpTruncated(
            f"Le fichier « {path.name} » est interrompu ou mal formé après l'enregistrement {index} : "
            f"seuls les {index} premiers enregistrements sont lus ; téléchargez-le de nouveau.", index
        ) from err
