"""demo: a fictitious territory's workbook, and every verb run on it, in a new folder.

The territory (demo_territory) covers 2017–2019; the verbs run "as of" 31 December 2019 and
the yearly summary is that of 2018, whose figures echo the seed's key figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..adapters.workbook_build import build_workbook
from ..adapters.workbook_reader import read_classeur
from ..core.errors import OutputExists
from ..demo_territory import REF_DATE, demo_parameters, demo_rows

AS_OF: dt.date = REF_DATE
from .bilan import bilan, write_funders
from .echantillon import echantillon
from .echeances import echeances
from .echeances import write_sheet as write_due
from .heures import heures, write_heures
from .rapprocher import rapprocher
from .rapprocher import write_sheet as write_candidates
from .valider import valider, write_report

DEMO_YEAR = 2018
WORKBOOK_NAME = "clauses-demo.xlsm"


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
    build_workbook(workbook, demo_rows(), demo_parameters())
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
    hours_text = f"{figures['heures']:,.0f}".replace(",", "\u202f")
    run.add("bilan", f"{DEMO_YEAR} : {figures['participants']} bénéficiaires, {hours_text} heures, "
            f"{figures['marches_suivis']} marchés suivis",
            write_funders(summary, folder / f"Bilan des clauses sociales {DEMO_YEAR}.xlsx"))

    say("echeances")
    due = echeances(workbook, AS_OF)
    run.add("echeances", f"{len(due.items)} action(s) à faire au {AS_OF:%d/%m/%Y}",
            write_due(due, folder / "À faire.xlsx"))

    say("rapprocher")
    offer = first_open_offer(workbook)
    ranked = rapprocher(workbook, offer, AS_OF)
    run.add("rapprocher", f"{len(ranked.result.candidats)} candidat(s) classé(s) pour l'offre {offer}",
            write_candidates(ranked, folder / f"Candidats {offer}.xlsx"))

    say("documents")
    documents = echantillon(workbook, folder / "Documents", today=AS_OF)
    run.add("documents", f"{len(documents.fichiers)} documents (clauses, relevés, relances, attestations, "
            "bilans aux donneurs d'ordre, offres)", *documents.fichiers)
    return run



def first_open_offer(workbook: Path) -> str:
    """The demo's first open offer (by ID): the one `rapprocher` ranks candidates for."""
    offers = read_classeur(workbook, ("T_Offres",)).usable("T_Offres")
    open_ids = offers[offers["statut"] == "Ouverte"]["id"].sort_values()
    return str(open_ids.iloc[0])
