"""demo: a fictitious territory's workbook, and every verb run on it, in a new folder.

The territory (demo_territory) covers 2017–2019; the verbs run "as of" 31 December 2019 and
the yearly summary is that of 2018, whose figures echo the seed's key figures. `reperer` reads a
small fictitious DECP file written beside the workbook, and `consolider` adds the 2018 funders'
workbook to itself (the same file given twice, as two structures: every count doubles, every
share stays), so that every verb has an output to open.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..adapters.output import write_bytes_atomic
from ..adapters.workbook_build import build_workbook
from ..core.bilan_report import fr_int
from ..core.errors import OutputExists
from ..demo_territory import REF_DATE, decp_sample, demo_parameters, demo_rows

AS_OF: dt.date = REF_DATE
from .bilan import bilan, write_funders
from .consolider import consolider, write_consolidation
from .echantillon import echantillon
from .heures import heures, write_heures
from .reperer import reperer, write_reperage
from .valider import valider, write_report

DEMO_YEAR = 2018
WORKBOOK_NAME = "clauses-demo.xlsm"
DECP_NAME = "decp-demo.json"


@dataclass
class DemoRun:
    """What the demo made: the folder, each step's one-line summary and the files written."""

    folder: Path
    steps: list[tuple[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def add(self, title: str, summary: str, *paths: Path) -> None:
        self.steps.append((title, summary))
        self.files.extend(paths)


def default_folder(now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now()
    return Path(f"clausexl-demo-{now:%Y%m%d-%H%M%S}")


def demo(folder: Path | None = None, progress: Callable[[str], None] | None = None) -> DemoRun:
    """Build the demo workbook in `folder` (new, or existing but without a demo workbook) and run the verbs."""
    folder = Path(folder) if folder else default_folder()
    workbook = folder / WORKBOOK_NAME
    if workbook.exists():
        raise OutputExists(f"Le dossier « {folder} » contient déjà une démonstration : choisissez un autre dossier.")
    folder.mkdir(parents=True, exist_ok=True)
    run = DemoRun(folder)
    say = progress or (lambda _text: None)

    say("Classeur du territoire fictif")
    rows = demo_rows()
    build_workbook(workbook, rows, demo_parameters())
    run.add("Classeur", "le classeur de démonstration (territoire fictif, 2017–2019)", workbook)

    say("valider")
    rapport = valider(workbook)
    report = write_report(rapport, folder / "Contrôles.xlsx")
    run.add("valider", f"{rapport.errors} erreur(s), {rapport.warnings} avertissement(s)", report)

    say("heures")
    hours = heures(workbook, au=AS_OF)
    late = int(hours.views.marches["en_retard"].sum())
    run.add("heures", f"{len(hours.views.marches)} marchés au {AS_OF:%d/%m/%Y}, dont {late} en retard",
            write_heures(hours, folder / f"Heures au {AS_OF:%Y-%m-%d}.xlsx"))

    say("bilan")
    summary = bilan(workbook, DEMO_YEAR, extraction=AS_OF)
    figures = summary.indicateurs
    funders = write_funders(summary, folder / f"Bilan des clauses sociales {DEMO_YEAR}.xlsx")
    run.add("bilan", f"{DEMO_YEAR} : {figures['participants']} bénéficiaires, {fr_int(figures['heures'])} heures, "
            f"{figures['marches_suivis']} marchés suivis", funders)

    say("reperer")
    sample = write_bytes_atomic(folder / DECP_NAME,
                                json.dumps(decp_sample(rows), ensure_ascii=False, indent=1).encode("utf-8"))
    found = reperer(sample, workbook)
    run.add("reperer", f"{found.tally.records} marchés DECP fictifs lus : {len(found.a_suivre)} avec clause non "
            f"suivi(s), {len(found.sans_clause)} sans clause au-dessus du seuil",
            sample, write_reperage(found, folder / "Repérage DECP.xlsx"))

    say("consolider")
    network = consolider([funders, funders])  # the same bilan twice: every count doubles, every share stays
    total = network.network.totals()
    run.add("consolider", f"le bilan {DEMO_YEAR} donné deux fois, comme deux structures : "
            f"{fr_int(total['participants'])} bénéficiaires, {fr_int(total['heures'])} heures au total",
            write_consolidation(network, folder / f"Bilan du réseau {DEMO_YEAR}.xlsx"))

    say("documents")
    documents = echantillon(workbook, folder / "Documents", today=AS_OF)
    run.add("documents", f"{len(documents.fichiers)} documents (clauses, relevés, relances, attestations, "
            "bilans aux donneurs d'ordre, offres)", *documents.fichiers)
    return run

