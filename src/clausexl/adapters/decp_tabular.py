"""Reading the consolidated DECP (`decp.parquet`, its CSV twin) with polars: needed columns only,
filtered on the territory while reading.

The consolidated files have one row per market × holder × modification. Only the territory's rows
leave polars (a few thousand out of millions); they are merged here into one record per `uid`, in the
shape of a JSON v2 record, so that one classifier (`core.decp.classify`) serves every shape:
attributes from the row marked `donneesActuelles`, the earliest `dateNotification`, every holder.

Why polars: it reads parquet and CSV natively (no pyarrow, which would change how pandas 3 stores
strings in the whole program), pushes the column selection and the territory filter into the reader,
and was the fastest of the three engines measured on the issue's data.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from ..core.decp import Territory
from .decp_stream import DecpUnreadable

REQUIRED = ("uid", "id", "acheteur_id", "objet", "montant", "dateNotification")
OPTIONAL = (
    "acheteur_nom", "acheteur_categorie", "acheteur_departement_code", "lieuExecution_code",
    "lieuExecution_typeCode", "codeCPV", "ccag", "nature", "type", "procedure", "dureeMois",
    "considerationsSociales", "titulaire_id", "titulaire_typeIdentifiant", "donneesActuelles",
)
SEPARATORS = (",", ";", "\t", "|")
SNIFF_BYTES = 1 << 20


@dataclass
class TabularRead:
    """The territory's merged records and the counts of the rows around them."""

    records: list[dict[str, Any]]
    rows: int              # rows of the file
    territory_rows: int    # rows kept by the filter (several per market)


def read_tabular(path: Path, kind: str, territory: Territory) -> TabularRead:
    """The territory's markets of a consolidated parquet or CSV file, one record per `uid`."""
    with _utf8(path, kind) as (source, separator):
        try:
            frame = _scan(source, kind, separator)
            columns = set(frame.collect_schema().names())
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise DecpUnreadable(
                    f"Le fichier « {path.name} » n'a pas les colonnes {', '.join(missing)} des DECP consolidées : "
                    "téléchargez le fichier decp complet (parquet ou CSV).")
            wanted = [c for c in (*REQUIRED, *OPTIONAL) if c in columns]
            selected = frame.select([pl.col(c).cast(pl.String) for c in wanted]).filter(
                _in_territory(territory, columns))
            rows = _row_count(frame)
            kept = selected.collect(engine="streaming")
        except (pl.exceptions.PolarsError, OSError) as err:
            raise DecpUnreadable(f"Le fichier « {path.name} » ne peut pas être lu comme DECP consolidées {kind} "
                                 f"({_short(err)}) : téléchargez-le de nouveau ; rien n'a été écrit.") from err
    return TabularRead(merge_rows(kept.iter_rows(named=True)), rows, kept.height)


def merge_rows(rows: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """One v2-shaped record per `uid`: the current row's attributes, the earliest date, every holder."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get("uid") or f"{row.get('acheteur_id') or ''}{row.get('id') or ''}", []).append(row)
    return [_record(uid, group) for uid, group in groups.items()]


def _record(uid: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    current = next((r for r in rows if (r.get("donneesActuelles") or "").lower() in ("true", "1", "oui")), rows[0])
    dates = sorted(d[:10] for r in rows if (d := r.get("dateNotification")) and len(d) >= 10)
    holders: list[dict[str, Any]] = []
    for r in rows:
        if r.get("titulaire_id") and all(h["id"] != r["titulaire_id"] for h in holders):
            holders.append({"id": r["titulaire_id"], "typeIdentifiant": r.get("titulaire_typeIdentifiant") or "SIRET"})
    return {
        "uid": uid, "id": current.get("id"), "objet": current.get("objet"), "montant": current.get("montant"),
        "dateNotification": dates[0] if dates else current.get("dateNotification"),
        "acheteur": {"id": current.get("acheteur_id"), "nom": current.get("acheteur_nom"),
                     "categorie": current.get("acheteur_categorie"),
                     "departement": current.get("acheteur_departement_code")},
        "lieuExecution": {"code": current.get("lieuExecution_code"), "typeCode": current.get("lieuExecution_typeCode")},
        "codeCPV": current.get("codeCPV"), "ccag": current.get("ccag"),
        "nature": current.get("nature") or current.get("type"), "procedure": current.get("procedure"),
        "dureeMois": _int_text(current.get("dureeMois")),
        "considerationsSociales": current.get("considerationsSociales"),
        "titulaires": holders,
    }


def _in_territory(t: Territory, columns: set[str]) -> pl.Expr:
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


def _int_text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.split(".")[0] if value.replace(".", "", 1).isdigit() else value


def _short(err: BaseException) -> str:
    return str(err).splitlines()[0][:200] if str(err) else type(err).__name__
