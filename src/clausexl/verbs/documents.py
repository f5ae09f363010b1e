"""What the document verbs share: where documents go, which templates, rendering and writing them.

Every document is rendered in memory first; name clashes are checked for all outputs before any
rendering; then the files are written together, atomically. A failure leaves no output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapters import journal as journal_file
from ..adapters.output import refuse_clashes, write_files_atomic
from ..adapters.pdf import ABSENT, find_soffice, to_pdf
from ..adapters.templates import Templates
from ..core.classeur import Classeur
from ..core.contexts import DocSpec, empty_contact_warning
from ..core.errors import WriteFailed
from ..core.exclusion import LeftOutRow
from ..core.filenames import file_name, unique_names
from ..core.hours import market_progress, unknown_qpv_sentences
from ..core.journal import Entry, document_entries

#: Called after each document is rendered with (done, total): the CLI draws a progress bar.
Progress = Callable[[int, int], None]


@dataclass
class Documents:
    """What a document verb did: the files written, warnings, rows left out of the workbook."""

    fichiers: list[Path] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    left_out: tuple[LeftOutRow, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"fichiers": [str(p) for p in self.fichiers], "avertissements": self.avertissements,
                "lignes_ecartees": [r.to_dict() for r in self.left_out], **self.extra}


@dataclass(frozen=True)
class Journal:
    """Who writes in the journal beside the workbook `classeur`, and on which date."""

    classeur: Path
    verbe: str
    today: dt.date


def note(journal: Journal | None, entries: Sequence[Entry], result: Documents) -> None:
    """Append `entries` to the journal; a journal that cannot be written is a warning, the files are there."""
    if journal is None:
        return
    try:
        journal_file.append(journal.classeur, entries)
    except WriteFailed as err:
        result.avertissements.append(str(err))


def output_folder(classeur_path: Path, c: Classeur, sortie: Path | None) -> Path:
    """`--sortie`, else the parameter « Dossier de sortie », else `sorties` beside the workbook."""
    if sortie is not None:
        return Path(sortie)
    given = c.params.get("dossier_sortie")
    base = Path(classeur_path).resolve().parent
    return base / given if given else base / "sorties"


def templates_for(classeur_path: Path, c: Classeur, modeles: Path | None) -> Templates:
    """`--modeles`, else the parameter « Dossier des modèles », over the packaged defaults."""
    given = modeles if modeles is not None else c.params.get("dossier_modeles")
    if not given:
        return Templates()
    folder = Path(given)
    return Templates(folder if folder.is_absolute() or modeles is not None
                     else Path(classeur_path).resolve().parent / folder)


#: The files one document may give (letter, its PDF, its e-mail): a name is free when none exists.
SIBLINGS = (".docx", ".pdf", ".eml")


def planned_paths(specs: Sequence[DocSpec], folder: Path, suffix: str = ".docx",
                  rename_clashes: bool = False) -> list[Path]:
    """The file of each document, named from its pieces, made distinct.

    With `rename_clashes` (the Excel buttons), a name already used in the folder becomes
    `name (2)`, `name (3)`…: a second click never replaces nor blocks on the first one's files.
    """
    names = unique_names([file_name(s.name, suffix) for s in specs])
    paths = [folder / n for n in names]
    return free_paths(paths) if rename_clashes else paths


def free_paths(paths: Sequence[Path]) -> list[Path]:
    """Each path, or the first `stem (n)` whose files (itself, SIBLINGS) do not exist and are not planned."""
    taken = {p.name.casefold() for p in paths}
    out = []
    for path in paths:
        candidate, count = path, 1
        while any(candidate.with_suffix(s).exists() for s in (path.suffix, *SIBLINGS)) or (
                count > 1 and candidate.name.casefold() in taken):
            count += 1
            candidate = path.with_name(f"{path.stem} ({count}){path.suffix}")
        taken.add(candidate.name.casefold())
        out.append(candidate)
    return out


def free_path(path: Path) -> Path:
    """`path`, or `stem (2)…` when taken (one file: the funders' workbook from Excel)."""
    return free_paths([path])[0]


def render_all(specs: Sequence[DocSpec], paths: Sequence[Path], templates: Templates,
               progress: Progress | None = None) -> list[tuple[Path, bytes]]:
    """Every document in memory, in order."""
    out = []
    for i, (spec, path) in enumerate(zip(specs, paths), start=1):
        out.append((path, templates.render_docx(spec.template, spec.context)))
        if progress is not None:
            progress(i, len(specs))
    return out


def with_pdf(files: list[tuple[Path, bytes]], pdf: bool, result: Documents) -> list[tuple[Path, bytes]]:
    """The files plus a PDF of each .docx when asked and LibreOffice is there (else a warning)."""
    docx = [(p, b) for p, b in files if p.suffix == ".docx"]
    if not pdf or not docx:
        return files
    soffice = find_soffice()
    if soffice is None:
        result.avertissements.append(ABSENT)
        return files
    return files + list(zip([p.with_suffix(".pdf") for p, _ in docx], to_pdf(soffice, [b for _, b in docx],
                                                                                  docx[0][0].parent)))


def contact_warning(specs: Sequence[DocSpec], result: Documents) -> None:
    """Say once which letterhead or signature parameters are empty (the documents print without them)."""
    facilitator = next((s.context["facilitateur"] for s in specs if "facilitateur" in s.context), None)
    warning = empty_contact_warning(facilitator) if facilitator is not None else None
    if warning is not None:
        result.avertissements.append(warning)


def unknown_qpv_warning(c: Classeur, specs: Sequence[DocSpec], au: dt.date, result: Documents) -> None:
    """Say, for each NPNRU market of the documents (one `marche`, or the `marches` of a yearly bilan), the
    hours up to `au` that do not count for an unknown QPV code."""
    ids = {s.context["marche"]["id"] for s in specs if isinstance(s.context.get("marche"), dict)}
    ids |= {m["id"] for s in specs for m in s.context.get("marches", ()) if isinstance(m, dict) and "id" in m}
    if ids:
        progress = market_progress(c, au)
        result.avertissements.extend(unknown_qpv_sentences(progress[progress["id"].isin(ids)]))


def make_documents(specs: Sequence[DocSpec], folder: Path, templates: Templates, *, force: bool = False,
                   pdf: bool = False, progress: Progress | None = None, left_out: tuple[LeftOutRow, ...] = (),
                   rename_clashes: bool = False, journal: Journal | None = None) -> Documents:
    """Render `specs` and write them (and their PDFs) into `folder`, all or nothing; note them in `journal`."""
    result = Documents(left_out=left_out)
    paths = planned_paths(specs, folder, rename_clashes=rename_clashes)
    refuse_clashes([*paths, *([p.with_suffix(".pdf") for p in paths] if pdf else [])], force)
    files = with_pdf(render_all(specs, paths, templates, progress), pdf, result)
    result.fichiers = write_files_atomic(files, force)
    contact_warning(specs, result)
    if journal is not None:
        note(journal, document_entries(journal.verbe, specs, paths, journal.today), result)
    return result


def today() -> dt.date:
    return dt.date.today()
