"""consolider: a network's bilan from several structures' funders' workbooks (aggregates only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..adapters.network_workbook import read_funders, write_network
from ..core.consolidation import Network, consolidate, left_out_sentence
from ..core.funders_layout import FundersData


@dataclass(frozen=True)
class Consolidation:
    """The network's figures and the workbooks they come from."""

    network: Network
    datasets: list[FundersData]

    def to_dict(self) -> dict[str, Any]:
        n = self.network
        return {
            "annee": n.year,
            "structures": [{"nom": name, "fichier": src} for name, src in zip(n.structures, n.sources)],
            "indicateurs": [
                {"indicateur": ln.key, "libelle": ln.label, "type": ln.type, "total": ln.total,
                 "par_structure": dict(zip(n.structures, ln.values))}
                for ln in n.lines
            ],
            "alertes": list(n.alerts),
        }

    @property
    def warnings(self) -> list[str]:
        """What the figures were built on that each structure's `valider` calls an error, said: the rows
        left out of each bilan (a count), then each bilan's « Attention » sentences."""
        left_out = left_out_sentence(self.network)
        return ([left_out] if left_out else []) + list(self.network.alerts)


def consolider(paths: Sequence[Path]) -> Consolidation:
    """Read every workbook (refusing any that is not a bilan, or of another year), then add them up."""
    datasets = [read_funders(Path(p)) for p in paths]
    return Consolidation(consolidate(datasets, [Path(p).name for p in paths]), datasets)


def write_consolidation(result: Consolidation, destination: Path, force: bool = False) -> Path:
    return write_network(result.network, result.datasets, destination, force)
