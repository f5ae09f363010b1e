"""Reading the consolidated DECP (`decp.parquet`, its CSV twin) with polars: needed columns only,
filtered on the territory while reading.

The consolidated files have one row per market × holder × modification. Only the territory's rows
are kept (a few thousand out of millions), as text columns; `core.decp_frame` merges them into one
market per `uid` and classifies them as `core.decp.classify` does a JSON record.

Why polars: it reads parquet and CSV natively (no pyarrow, which would change how pandas 3 stores
strings in the whole program), pushes the column selection and the territory filter into the reader,
and was the fastest of the three engines measured on the issue's data.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from ..core.decp_columns import OPTIONAL, REQUIRED
from .decp_stream import DecpUnreadable

SEPARATORS = (",", ";", "\t", "|")
SNIFF_BYTES = 1 << 20


@dataclass
class TabularRead:
    """The territory's rows (several per market: `core.decp_frame` merges them) and the file's row count."""

    frame: pl.DataFrame
    rows: int  # rows of the file


class Area(Protocol):
    """What the filter reads of a territory (`core.decp.Territory`, or a superset of it)."""

    @property
    def buyers(self) -> Collection[str]: ...
    @property
    def departements(self) -> frozenset[str]: ...
    @property
    def communes(self) -> frozenset[str]: ...


@dataclass
class Filtered:
    """The rows of an area (needed columns, as text) and the number of rows of the file."""

    frame: pl.DataFrame
    rows: int


def read_tabular(path: Path, kind: str, territory: Area, early: Filtered | None = None) -> TabularRead:
    """The territory's rows of a consolidated parquet or CSV file.

    `early` is the file already filtered on a superset of the territory (`decp_early`): only its rows are
    filtered again, so that the result is the same as reading the file with the territory's filter."""
    if early is None:
        found = filter_rows(path, kind, territory)
        kept = found.frame
    else:
        found = early
        kept = early.frame.filter(_in_territory(territory, set(early.frame.columns)))
    return TabularRead(kept, found.rows)


def filter_rows(path: Path, kind: str, area: Area) -> Filtered:
    """The rows of `area` in the file, only the columns a market is made of, filtered while read."""
    with _utf8(path, kind) as (source, separator):
        try:
            frame = _scan(source, kind, separator)
            columns = set(frame.collect_schema().names())
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                names = ", ".join(f"« {c} »" for c in missing)
                which = f"la colonne {names}" if len(missing) == 1 else f"les colonnes {names}"
                raise DecpUnreadable(
                    f"Le fichier « {path.name} » n'a pas {which} des DECP consolidées : "
                    "téléchargez le fichier decp complet (parquet ou CSV).")
            wanted = [c for c in (*REQUIRED, *OPTIONAL) if c in columns]
            selected = frame.select([pl.col(c).cast(pl.String) for c in wanted])
            if kind == "parquet":  # the row count is in the file's footer
                rows = _row_count(frame)
                kept = selected.filter(_in_territory(area, columns)).collect(engine="streaming")
            else:
                kept, rows = _filter_counting(selected, _in_territory(area, columns))
        except (pl.exceptions.PolarsError, OSError) as err:
            raise DecpUnreadable(f"Le fichier « {path.name} » ne peut pas être lu comme DECP consolidées {kind} "
                                 f"({_short(err)}) : téléchargez-le de nouveau ; rien n'a été écrit.") from err
    return Filtered(kept, rows)


def _in_territory(t: Area, columns: set[str]) -> pl.Expr:
    """A superset of the territory, cheap to test on every row; `classify` then decides exactly."""
    cond = pl.col("acheteur_id").is_in(list(t.buyers))
    depts = sorted(t.departements)
    prefixes = sorted({*depts, *(["20"] if {"2A", "2B"} & set(depts) else [])})
    if depts and "acheteur_departement_code" in columns:
        cond = cond | pl.col("acheteur_departement_code").is_in(depts)
    if "lieuExecution_code" in columns:
        code = pl.col("lieuExecution_code")
        if prefixes:
            cond = cond | code.str.slice(0, 2).is_in(prefixes) | code.str.slice(0, 3).is_in(prefixes)
        if t.communes:
            cond = cond | code.is_in(sorted(t.communes))
    return cond


def _scan(source: Path, kind: str, separator: str) -> pl.LazyFrame:
    if kind == "parquet":
        return pl.scan_parquet(source)
    return pl.scan_csv(source, separator=separator, infer_schema=False, encoding="utf8-lossy",
                       truncate_ragged_lines=True, missing_columns="insert")


def _filter_counting(frame: pl.LazyFrame, keep: pl.Expr) -> tuple[pl.DataFrame, int]:
    """The rows `keep` selects and the number of rows of the file, in one streaming pass.

    Counting a CSV's rows on their own (`pl.len()`) maps the whole file into memory (1,2 Gio for the
    national file); here every batch is counted, then filtered, as it passes. The kept rows are copied
    (`+ ""`): polars' strings are views into the batch's buffers, and a few rows kept from every batch
    would hold the text of the whole file (1 Gio). The peak memory is that of the batches in flight,
    whatever the file's size."""
    batches: list[pl.DataFrame] = []
    rows = 0

    def take(batch: pl.DataFrame) -> None:
        nonlocal rows
        rows += batch.height
        batches.append(batch.filter(pl.col(_KEEP)).select(pl.exclude(_KEEP) + ""))

    frame.with_columns(keep.alias(_KEEP)).sink_batches(take, engine="streaming")
    return (pl.concat(batches) if batches else pl.DataFrame(schema=frame.collect_schema())), rows


_KEEP = "_clausexl_keep"


def _row_count(frame: pl.LazyFrame) -> int:
    return int(frame.select(pl.len()).collect().item())


@contextmanager
def _utf8(path: Path, kind: str) -> Iterator[tuple[Path, str]]:
    """The CSV's separator, and a UTF-8 copy when the file is in Windows-1252 (a spreadsheet's export)."""
    if kind == "parquet":
        yield path, ","
        return
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    head = head.removeprefix(codecs.BOM_UTF8)
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as err:
        encoding = "utf-8" if err.start > len(head) - 4 else "cp1252"  # a character cut by the sniff window
    first_line = head.split(b"\n", 1)[0].decode(encoding, "replace")
    separator = max(SEPARATORS, key=first_line.count)
    if encoding == "utf-8":
        yield path, separator
        return
    fd, name = tempfile.mkstemp(suffix=".csv", prefix="clausexl-decp-")
    try:
        with open(path, encoding="cp1252", errors="replace") as src, os.fdopen(fd, "w", encoding="utf-8") as out:
            while chunk := src.read(SNIFF_BYTES):
                out.write(chunk)
        yield Path(name), separator
    finally:
        os.unlink(name)


def _short(err: BaseException) -> str:
    return str(err).splitlines()[0][:200] if str(err) else type(err).__name__
