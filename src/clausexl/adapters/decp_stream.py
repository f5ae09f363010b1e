"""Reading a DECP JSON file as a stream of records (ijson), whatever its size; recognising the
kind of a DECP file (parquet, CSV or JSON) by its content.

JSON shapes: v2 `{"marches": {"marche": {...}}}` (one market) or `{"marches": {"marche": [...]}}`,
v1 `{"marches": [...]}`, a bare list of markets `[...]`, or one market object alone. The shape is found
by looking at the first events, then the file is read again record by record: only one record is in
memory at a time.

The file comes from outside, so what it can make the reader do is bounded: the events carry no
prefix (ijson's prefixes grow with the nesting: 50 000 nested arrays cost gigabytes), a record
nested deeper than MAX_DEPTH is skipped as malformed while the rest of the file is read, and a
number of more than MAX_DIGITS digits (which crashes ijson's C backend) is read as 1e999, a value
the core refuses as out of range. One pass over the bytes first (`scan`) tells whether the file needs
either guard; the usual file needs none and goes to ijson's C parser as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import ijson
import numpy as np

from ..core.errors import ClausexlError
from .output import note_input

#: (path of the first event that tells the shape, its event) → path of the records.
SHAPES = {
    (("marches",), "start_array"): ("marches", "item"),
    (("marches", "marche"), "start_array"): ("marches", "marche", "item"),
    (("marches", "marche"), "start_map"): ("marches", "marche"),
    ((), "start_array"): ("item",),
}
#: Keys that only a market record has at its top level: a file that starts with one is a single market.
MARKET_KEYS = frozenset({"id", "acheteur", "objet", "montant", "dateNotification", "codeCPV"})
MAX_DEPTH = 64
MAX_DIGITS = 1000
_LONG_NUMBER = re.compile(rb"\d{%d,}" % (MAX_DIGITS + 1))
_DIGITS = b"0123456789"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_CHUNK = 1 << 16


class DecpUnreadable(ClausexlError, ValueError):
    """The DECP file cannot be read as JSON of one of the known shapes."""


class DecpTruncated(DecpUnreadable):
    """The JSON stops in the middle: the records before the break were read and are kept."""

    def __init__(self, message: str, records: int) -> None:
        super().__init__(message)
        self.records = records


def detect_kind(path: Path) -> str:
    """« parquet », « json » or « csv », from the first bytes of the file (its name may lie)."""
    note_input(path)
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


class TooDeep(dict):  # type: ignore[type-arg]
    """Stands for a record nested deeper than MAX_DEPTH: the core reports it as malformed."""


class _BoundedNumbers:
    """A binary file whose overlong digit runs are replaced by `1e999` (chunk borders handled)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw, self._carry, self._swallow = raw, b"", False

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for 0 bytes to learn whether the file is binary
            return b""
        while True:
            chunk = self._raw.read(size if size > 0 else _CHUNK)
            if self._swallow:  # the rest of a number already replaced
                stripped = chunk.lstrip(_DIGITS)
                if chunk and not stripped:
                    continue
                chunk, self._swallow = stripped, False
            data, self._carry = self._carry + chunk, b""
            if chunk:
                start = len(data.rstrip(_DIGITS))
                if len(data) - start <= MAX_DIGITS:  # a number may go on in the next chunk
                    data, self._carry = data[:start], data[start:]
                else:
                    data, self._swallow = data[:start] + b"1e999", True
            data = _LONG_NUMBER.sub(b"1e999", data)
            if data or not chunk:
                return data


def _events(f: BinaryIO | _BoundedNumbers) -> Iterator[tuple[list[str], str, Any]]:
    """(path of the value, event, value) without ijson's growing prefix strings.

    The path is one list, updated in place (copying it for each event would cost the square of the
    nesting again): compare it, do not keep it."""
    path: list[str] = []
    kinds: list[bool] = []  # True for an array
    for event, value in ijson.basic_parse(f, use_float=False):
        if event == "map_key":
            path[-1] = value
            yield path, event, value
        elif event in ("end_map", "end_array"):
            path.pop()
            kinds.pop()
            if kinds and kinds[-1]:
                path[-1] = "item"
            yield path, event, value
        else:
            yield path, event, value
            if event in ("start_map", "start_array"):
                kinds.append(event == "start_array")
                path.append("item" if event == "start_array" else "")


def records_prefix(path: Path) -> tuple[str, ...]:
    """The path of the market records in `path`, from its first events."""
    note_input(path)
    try:
        with open(path, "rb") as f:
            for where, event, value in _events(_BoundedNumbers(f)):
                if event == "map_key":
                    if len(where) == 1 and value in MARKET_KEYS:
                        return ()  # one market alone
                    continue
                shape = SHAPES.get((tuple(where), event)) if len(where) <= 2 else None
                if shape:
                    return shape
                if where == ["marches"] and event not in ("start_map", "map_key"):
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
            shape = scan(path)
            source: BinaryIO | _BoundedNumbers = _BoundedNumbers(f) if shape.long_numbers else f
            if shape.depth <= MAX_DEPTH:  # the usual file: ijson's C item builder, at full speed
                records = ijson.items(source, ".".join(prefix), use_float=False)  # 64 KiB reads: faster than 1 MiB
            else:
                records = _records(_events(source), prefix)
            for index, record in enumerate(records, start=1):
                yield index, record
    except ijson.JSONError as err:
        raise DecpTruncated(
            f"Le fichier « {path.name} » est interrompu ou mal formé après l'enregistrement {index} : "
            f"seuls les {index} premiers enregistrements sont lus ; téléchargez-le de nouveau.", index
        ) from err


@dataclass(frozen=True)
class Shape:
    """What the reader must guard against in a file, found by one pass over its bytes."""

    depth: int            # the deepest nesting of brackets (a bound: brackets inside strings count too)
    long_numbers: bool    # a run of more than MAX_DIGITS digits somewhere (a bound: inside strings too)


def scan(path: Path, chunk_size: int = 1 << 22) -> Shape:
    """One pass over the file's bytes, at the speed of `bytes.translate` (about 2,5 GB/s).

    Brackets: only they are kept from each chunk, then numpy sums them — against the square of the
    depth in memory and time for ijson's prefixes. Long digit runs: `_long_digits`. The usual file has
    neither, and is then read as it is, without a filter.
    """
    deepest = depth = 0
    long_numbers = False
    trailing = 0  # digits at the end of what was read so far
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            brackets = np.frombuffer(chunk.translate(None, _NOT_BRACKETS), dtype=np.uint8)
            if len(brackets):
                steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
                running = depth + np.cumsum(steps)
                deepest = max(deepest, int(running.max()))
                depth = int(running[-1])
            if not long_numbers:
                long_numbers, trailing = _long_digits(chunk, trailing)
    return Shape(deepest, long_numbers)


#: Bytes between two sampled bytes: a run of more than MAX_DIGITS digits holds three consecutive samples.
_STRIDE = MAX_DIGITS // 3


def _long_digits(chunk: bytes, trailing: int) -> tuple[bool, int]:
    """Whether `chunk` (after `trailing` digits) holds a run of more than MAX_DIGITS digits, and the digits
    it ends with.

    Only one byte in _STRIDE is looked at (numpy, on a strided view): a run that long covers three
    consecutive samples, so only where three follow each other as digits is the stretch between them
    checked (`isdigit`), then the exact run (a regular expression over a few kilobytes). A run across
    chunks is the digits one ends with plus those the next begins with.
    """
    leading = len(chunk) - len(chunk.lstrip(_DIGITS))
    if leading == len(chunk):
        return trailing + leading > MAX_DIGITS, trailing + leading
    if trailing + leading > MAX_DIGITS:
        return True, 0
    samples = np.frombuffer(chunk, dtype=np.uint8)[::_STRIDE] - ord("0") < 10
    for k in np.flatnonzero(samples[:-2] & samples[1:-1] & samples[2:]).tolist():
        start = k * _STRIDE
        if chunk[start:start + 2 * _STRIDE + 1].isdigit() and _LONG_NUMBER.search(
                chunk, max(0, start - MAX_DIGITS), start + 2 * _STRIDE + MAX_DIGITS + 1):
            return True, 0
    return False, len(chunk) - len(chunk.rstrip(_DIGITS))


def _records(events: Iterator[tuple[list[str], str, Any]], prefix: tuple[str, ...]) -> Iterator[Any]:
    """Build each value found at `prefix`; one nested deeper than MAX_DEPTH comes as TooDeep."""
    builder: ijson.ObjectBuilder | None = None
    depth = 0
    too_deep = False
    for where, event, value in events:
        if builder is None:
            if len(where) != len(prefix) or tuple(where) != prefix or event in ("end_map", "end_array", "map_key"):
                continue
            if event not in ("start_map", "start_array"):
                yield value
                continue
            builder, depth, too_deep = ijson.ObjectBuilder(), 0, False
        if event in ("start_map", "start_array"):
            depth += 1
            too_deep = too_deep or depth > MAX_DEPTH
        elif event in ("end_map", "end_array"):
            depth -= 1
        if not too_deep:
            builder.event(event, value)
        if depth == 0:
            yield TooDeep() if too_deep else builder.value
            builder = None
