"""A network's bilan: several structures' funders' figures added up, shares recomputed.

Counts, hours and ETP are summed; each share is the summed numerator over the summed
denominator (never an average of shares); a parameter is kept when every structure has the same
value. Only these aggregates are read and written: no personal data crosses structures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ClausexlError
from .funders_layout import PRODUCER_BILAN, RECOMPUTED, SUMMED, Figure, FundersData, keys_in_order
from .values import after_colon

ATTENTION = "Attention : "

LEFT_OUT = "lignes_ecartees"


class ConsolidationRefused(ClausexlError, ValueError):
    """The given workbooks cannot be added up (not made by bilan, different years…)."""


@dataclass(frozen=True)
class Line:
    """One figure of the network: its value in each structure and for the whole network."""

    key: str
    label: str
    type: str
    values: tuple[float | None, ...]
    total: float | None
    numerator: str | None = None
    denominator: str | None = None


@dataclass(frozen=True)
class Network:
    """The consolidated figures of one year; `structures` are the column names, in the order given."""

    year: int
    structures: tuple[str, ...]
    sources: tuple[str, ...]
    lines: tuple[Line, ...]
    #: The « Attention » sentences of each structure's bilan, each naming its structure.
    alerts: tuple[str, ...] = ()

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)

    def totals(self) -> dict[str, float | None]:
        return {line.key: line.total for line in self.lines}


def consolidate(datasets: Sequence[FundersData], sources: Sequence[str]) -> Network:
    """Add up the figures of `datasets` (read from `sources`, same order); refuse mixed years or producers."""
    for data, source in zip(datasets, sources):
        if data.producer != PRODUCER_BILAN:
            raise ConsolidationRefused(
                f"Le fichier « {source} » a été produit par « {data.producer} », pas par « {PRODUCER_BILAN} » : "
                "donnez les classeurs des financeurs produits par clausexl bilan dans chaque structure."
            )
    years = sorted({d.year for d in datasets})
    if len(years) > 1:
        detail = ", ".join(f"« {s} » : {d.year}" for d, s in zip(datasets, sources))
        raise ConsolidationRefused(f"Les bilans ne portent pas sur la même année ({detail}) : "
                                   "produisez-les tous pour la même année avec clausexl bilan --annee.")
    names = column_names([d.structure or _stem(s) for d, s in zip(datasets, sources)])
    by_key: list[dict[str, Any]] = [{f.key: f.value for f in d.figures} for d in datasets]
    order = keys_in_order(datasets)
    totals: dict[str, float | None] = {}
    for f in order:
        if f.type in SUMMED:
            totals[f.key] = _sum([values.get(f.key) for values in by_key])
    lines = []
    for f in order:
        values = tuple(values.get(f.key) for values in by_key)
        lines.append(Line(f.key, f.label, f.type, values, _total(f, values, totals), f.numerator, f.denominator))
    alerts = tuple(network_alert(name, text) for name, d in zip(names, datasets) for text in d.alerts)
    return Network(years[0], tuple(names), tuple(sources), tuple(lines), alerts)


def network_alert(structure: str, sentence: str) -> str:
    """A structure's « Attention : … » sentence in the network's words: « Attention (Structure) : … »."""
    text = sentence.removeprefix(ATTENTION)
    return f"Attention ({structure}) : {after_colon(text)}"


def _total(f: Figure, values: tuple[float | None, ...], totals: dict[str, float | None]) -> float | None:
    present = [v for v in values if v is not None]
    if f.type in SUMMED:
        return totals[f.key]
    if f.type in RECOMPUTED:
        num, den = totals.get(f.numerator or ""), totals.get(f.denominator or "")
        return None if num is None or not den else num / den
    if f.type == "parametre":
        return present[0] if present and len(set(present)) == 1 and len(present) == len(values) else None
    if f.type == "oui_non":
        if len(present) == len(values) and present:
            return 1 if all(present) else (0 if not any(present) else None)
        return None
    return None


def quality_sentence(network: Network) -> str:
    """The « Qualité des données » line of the network's first sheet: rows in error each structure left out."""
    left_out = left_out_detail(network)
    if left_out is None:
        return "Qualité des données : aucune ligne écartée dans aucune structure."
    return f"Qualité des données : {left_out}"


def left_out_sentence(network: Network) -> str | None:
    """The « Attention » line `consolider` prints when some structure left rows in error out of its
    figures; None when none did (a bilan too old to say it is only noted in the workbook)."""
    line = next((ln for ln in network.lines if ln.key == LEFT_OUT), None)
    if line is None or not any(v for v in line.values):
        return None
    return f"Attention : {left_out_detail(network)}"


def left_out_detail(network: Network) -> str | None:
    line = next((ln for ln in network.lines if ln.key == LEFT_OUT), None)
    values = line.values if line else tuple(None for _ in network.structures)
    if all(v == 0 for v in values):
        return None
    each = ", ".join(f"{name} : {'non indiqué' if v is None else int(v)}"
                     for name, v in zip(network.structures, values))
    total = sum(int(v) for v in values if v is not None)
    s = "s" if total > 1 else ""
    return (f"{total} ligne{s} en erreur écartée{s} des chiffres ({each}) ; chaque structure "
            f"{'les' if total > 1 else 'la'} voit avec « clausexl valider ».")


def yes_count(line: Line) -> str:
    """How an Oui/Non figure reads for the network when structures differ: `2 sur 3`."""
    return f"{sum(1 for v in line.values if v)} sur {len(line.values)}"


def column_names(names: Sequence[str]) -> list[str]:
    """Structure names as column headers; a name given twice gets ` (2)`, ` (3)`…"""
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name} ({n})"
        out.append(candidate)
    return out


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _stem(source: str) -> str:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name
