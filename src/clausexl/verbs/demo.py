"""demo: a fictitious territory's workbook, and every verb run on it, in a new folder.

The territory (demo_territory) covers 2017–2019; the verbs run "as of" 31 December 2019 and
the yearly summary is that of 2018, whose figures echo the seed's key figures. `reperer` reads a
small fictitious DECP file written beside the workbook, and `consolider` adds the 2018 funders'
workbook to itself (the same file given twice, as two structures: every count doubles, every
share stays), so that every verb has an output to open. Last, one month of the monthly loop
(`monthly_loop`): statements to fill, some sent back, imported into a copy, reminders due.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..adapters.journal import journal_path
from ..adapters.output import write_bytes_atomic
from ..adapters.statement_form import write_filled
from ..adapters.workbook_build import build_workbook
from ..adapters.workbook_reader import read_classeur
from ..core.due import RELANCE_RELEVE
from ..core.errors import OutputExists
from ..core.exclusion import screen
from ..core.releves import TABLES as FORM_TABLES
from ..core.releves import forms
from ..core.releves_import import ACCEPTEE, PRESENTE, VIDE
from ..core.values import COUNT, DATE, HOURS, MONTH, agreed, counted
from ..demo_territory import REF_DATE, decp_sample, demo_parameters, demo_rows
from .anonymiser import anonymiser
from .bilan import bilan, write_funders
from .consolider import consolider, write_consolidation
from .echantillon import echantillon
from .echeances import echeances
from .echeances import write_sheet as write_due
from .extraire_personne import extraire_personne, write_extrait
from .heures import heures, write_heures
from .importer_releves import importer_releves
from .rapprocher import rapprocher
from .rapprocher import write_sheet as write_candidates
from .releves import releves
from .reperer import reperer, write_reperage
from .valider import valider, write_report

AS_OF: dt.date = REF_DATE
DEMO_YEAR = 2018
WORKBOOK_NAME = "clauses-demo.xlsm"
#: The monthly loop of the demo, the month after the workbook's data: January's statements asked on
#: 3 February, half sent back by the 10th, the to-do list of the 14th (the parameter's 10 days are over)
#: says whom to remind.
LOOP_MONTH, ASKED, IMPORTED, REMINDED = (dt.date(2020, 1, 1), dt.date(2020, 2, 3), dt.date(2020, 2, 10),
                                          dt.date(2020, 2, 14))
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
    """Build the demo workbook in `folder` (new, or existing but without a demo workbook) and run the verbs.

    All or nothing: when a step cannot proceed (a file of the same name, a full disk), the files
    this run already wrote are removed, so the folder is left as it was.
    """
    folder = Path(folder) if folder else default_folder()
    workbook = folder / WORKBOOK_NAME
    if workbook.exists():
        raise OutputExists(f"Le dossier « {folder} » contient déjà une démonstration : choisissez un autre dossier.")
    before = _contents(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _run(folder, workbook, progress)
    except BaseException:
        _take_back(folder, before)
        raise


def _contents(folder: Path) -> set[Path] | None:
    """Every path under `folder`, or None when the folder does not exist yet."""
    return set(folder.rglob("*")) if folder.exists() else None


def _take_back(folder: Path, before: set[Path] | None) -> None:
    """Remove what appeared under `folder` since `before` (the folder itself if it was new)."""
    for path in sorted(set(folder.rglob("*")) - (before or set()), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink(missing_ok=True)
    if before is None:
        folder.rmdir()


def _run(folder: Path, workbook: Path, progress: Callable[[str], None] | None) -> DemoRun:
    """Every step of the demo, in order (see the module docstring)."""
    run = DemoRun(folder)
    say = progress or (lambda _text: None)

    say("Classeur du territoire fictif")
    rows = demo_rows()
    build_workbook(workbook, rows, demo_parameters())
    run.add("Classeur", "le classeur de démonstration (territoire fictif, 2017–2019)", workbook)

    say("valider")
    rapport = valider(workbook, AS_OF)
    report = write_report(rapport, folder / "Contrôles.xlsx")
    run.add("valider", rapport.counts, report)

    say("heures")
    hours = heures(workbook, au=AS_OF)
    late = int(hours.views.marches["en_retard"].sum())
    run.add("heures", f"{len(hours.views.marches)} marchés au {DATE.cell(AS_OF)}, dont {late} en retard",
            write_heures(hours, folder / f"Heures au {AS_OF:%Y-%m-%d}.xlsx"))

    say("bilan")
    summary = bilan(workbook, DEMO_YEAR, extraction=AS_OF)
    figures = summary.indicateurs
    hours_text = HOURS.bare(figures["heures"])
    funders = write_funders(summary, folder / f"Bilan des clauses sociales {DEMO_YEAR}.xlsx")
    followed = counted(figures["marches_suivis"], "marché suivi", "marchés suivis")
    run.add("bilan", f"{DEMO_YEAR} : {counted(figures['participants'], 'bénéficiaire')}, {hours_text} "
            f"{agreed(figures['heures'], 'heure')}, {followed}", funders)

    say("reperer")
    sample = write_bytes_atomic(folder / DECP_NAME,
                                json.dumps(decp_sample(rows), ensure_ascii=False, indent=1).encode("utf-8"))
    found = reperer(sample, workbook, seuil=90_000)  # the facilitator's own spotting threshold, below the European ones
    read = counted(found.tally.records, "marché DECP fictif lu", "marchés DECP fictifs lus")
    run.add("reperer", f"{read} : {COUNT.cell(len(found.a_suivre))} avec clause non "
            f"{agreed(len(found.a_suivre), 'suivi')}, {COUNT.cell(len(found.sans_clause))} sans clause au-dessus "
            "du seuil",
            sample, write_reperage(found, folder / "Repérage DECP.xlsx"))

    say("consolider")
    network = consolider([funders, funders])  # the same bilan twice: every count doubles, every share stays
    total = network.network.totals()
    run.add("consolider", f"le bilan {DEMO_YEAR} donné deux fois, comme deux structures : "
            f"{COUNT.bare(total['participants'])} bénéficiaires, {HOURS.bare(total['heures'])} heures au total",
            write_consolidation(network, folder / f"Bilan du réseau {DEMO_YEAR}.xlsx"))

    say("echeances")
    due = echeances(workbook, AS_OF)
    run.add("echeances", f"{counted(len(due.items), 'action')} à faire au {DATE.cell(AS_OF)}",
            write_due(due, folder / "À faire.xlsx"))

    say("rapprocher")
    offer = first_open_offer(workbook)
    ranked = rapprocher(workbook, offer, AS_OF)
    candidates = counted(len(ranked.result.candidats), "candidat classé", "candidats classés")
    run.add("rapprocher", f"{candidates} pour l'offre {offer}",
            write_candidates(ranked, folder / f"Candidats {offer}.xlsx"))

    say("extraire-personne")
    person = first_placed_participant(workbook)
    extract = extraire_personne(workbook, person)
    run.add("extraire-personne",
            f"tout ce que le classeur contient sur {person} ({counted(len(extract.sheets), 'feuille')})",
            write_extrait(extract, folder / f"Extrait {person}.xlsx"))

    say("anonymiser")
    copy = anonymiser(workbook, folder / "clauses-demo-anonymise.xlsm", au=AS_OF)
    anonymised = counted(len(copy.participants), "participant anonymisé", "participants anonymisés")
    run.add("anonymiser", f"au {DATE.cell(AS_OF)}, {anonymised} dans une copie",
            copy.destination)

    say("documents")
    documents = echantillon(workbook, folder / "Documents", today=AS_OF)
    run.add("documents", f"{len(documents.fichiers)} documents (clauses, relevés, relances, attestations, "
            "bilans aux donneurs d'ordre, offres)", *documents.fichiers)

    say("relevés à remplir et importer-releves")
    monthly_loop(run, folder, workbook)
    return run


def monthly_loop(run: DemoRun, folder: Path, workbook: Path) -> None:
    """One month of the loop: forms out, half of them back (one row left blank, one file twice, a scan),
    imported into a copy; then what is left to remind. The companies' hours are those the workbook
    already holds for the month (they come back « déjà présentes »), else 140 h."""
    made = releves(workbook, LOOP_MONTH, sortie=folder / "Relevés à remplir", today=ASKED)
    c = screen(read_classeur(workbook, FORM_TABLES))
    h = read_classeur(workbook, ("T_Heures",))["T_Heures"]
    known = {k: float(t) for k, m, t in zip(h["contrat"], h["mois"], h["heures_travaillees"])
             if m is not None and m == m and (m.year, m.month) == (LOOP_MONTH.year, LOOP_MONTH.month)}
    back = folder / "Relevés renvoyés"
    chosen = forms(c, LOOP_MONTH)
    returned = chosen[: (len(chosen) + 1) // 2]
    files = []
    for i, form in enumerate(returned):
        hours = {line.contrat: (known.get(line.contrat, 140.0), None) for line in form.lignes}
        if i == 0 and len(form.lignes) > 1:
            hours.pop(form.lignes[-1].contrat)  # a row left blank
        files.append(write_filled(form, back / f"Relevé {LOOP_MONTH:%Y-%m} {form.raison_sociale}.xlsx", hours))
    files.append(write_bytes_atomic(back / "Scan relevé papier.pdf", b"%PDF-1.4 (scan)"))
    copy = importer_releves(workbook, [back, files[0]], folder / "clauses-demo-releves-importes.xlsm",
                            today=IMPORTED)
    counts = {s: sum(f.count(s) for f in copy.result.fichiers) for s in (ACCEPTEE, PRESENTE, VIDE)}
    due = [i for i in echeances(copy.destination, REMINDED).items if i.type == RELANCE_RELEVE]
    run.add("releves", f"{counted(len(made.fichiers), 'relevé')} à remplir pour {MONTH.cell(LOOP_MONTH)}, "
            f"{agreed(len(made.fichiers), 'demandé')} le "
            f"{DATE.cell(ASKED)}", *made.fichiers)
    run.add("importer-releves", f"{counted(len(returned), 'relevé renvoyé', 'relevés renvoyés')} (l'un donné deux "
            f"fois) et un scan : {counted(counts[ACCEPTEE], 'ligne importée', 'lignes importées')}, "
            f"{counted(counts[PRESENTE], 'déjà présente')}, {counted(counts[VIDE], 'vide')} ; "
            f"au {DATE.cell(REMINDED)}, {counted(len(due), 'relance')} à faire", *files, copy.destination,
            journal_path(workbook))


def first_open_offer(workbook: Path) -> str:
    """The demo's first open offer (by ID): the one `rapprocher` ranks candidates for."""
    offers = screen(read_classeur(workbook, ("T_Offres",)))["T_Offres"]
    open_ids = offers[offers["statut"] == "Ouverte"]["id"].sort_values()
    return str(open_ids.iloc[0])


def first_placed_participant(workbook: Path) -> str:
    """The participant of the demo's first contract: the person whose file `extraire-personne` gives."""
    contracts = screen(read_classeur(workbook, ("T_Contrats",)))["T_Contrats"]
    return str(contracts.sort_values("id")["participant"].iloc[0])
