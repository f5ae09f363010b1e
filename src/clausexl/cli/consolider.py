"""`clausexl consolider`: a network's bilan from several structures' funders' workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.funders_layout import KIND_OF_TYPE
from ..core.values import counted
from .common import EXIT_FINDINGS, EXIT_OK, force_option, json_option, show, verb

if TYPE_CHECKING:
    from ..verbs.consolider import Consolidation


@click.command("consolider")
@click.argument("bilans", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="BILAN…")
@click.option("--sortie", type=click.Path(path_type=Path, dir_okay=False), help="Écrit le bilan du réseau (.xlsx).")
@json_option
@force_option
@verb
def command(bilans: tuple[Path, ...], sortie: Path | None, as_json: bool, force: bool) -> int:
    """Additionne les classeurs des financeurs (clausexl bilan) de plusieurs structures, même année."""
    from ..verbs.consolider import consolider, write_consolidation

    result = consolider(bilans)
    written = [write_consolidation(result, sortie, force)] if sortie else []
    show(result, as_json, print_human, written)
    for warning in result.warnings:
        click.echo(warning, err=True)
    return EXIT_FINDINGS if result.warnings else EXIT_OK


def print_human(result: Consolidation) -> None:
    n = result.network
    click.echo(f"Bilan {n.year} du réseau : {counted(len(n.structures), 'structure')} — {', '.join(n.structures)}.")
    for key in ("participants", "heures", "etp", "marches_suivis", "entreprises_engagees"):
        line = next((ln for ln in n.lines if ln.key == key), None)
        if line is not None and line.total is not None:
            click.echo(f"  {line.label} : {KIND_OF_TYPE[line.type].bare(line.total)}")
