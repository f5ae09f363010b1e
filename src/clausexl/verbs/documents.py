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

from ..adapters.output import refuse_clashes, write_files_atomic
from ..adapters.pdf import ABSENT, find_soffice, to_pdf
from ..adapters.templates import Templates
from ..core.classeur import Classeur
from ..core.contexts import DocSpec
from ..core.filenames import file_name, unique_names

#: Called after each document is rendered with (done, total): the CLI draws a progress bar.
Progress = Callable[[int, int], None]


@dataclass
class Documents:
    """What a document verb did: the files written, warnings, rows left out of the workbook."""

    fichiers: list[Path] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    lignes_ignorees: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"fichiers": [str(p) for p in self.fichiers], "avertissements": self.avertissements,
                "lignes_ignorees": self.lignes_ignorees, **self.extra}


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


def planned_paths(specs: Sequence[DocSpec], folder: Path, suffix: str = ".docx") -> list[Path]:
    """The file of each document, named from its pieces, made distinct."""
    names = unique_names([file_name(s.name, suffix) for s in specs])
    return [folder / n for n in names]


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
    return files + list(zip([p.with_suffix(".pdf") for p, _ in docx], to_pdf(soffice, [b for _, b in docx])))


def make_documents(specs: Sequence[DocSpec], folder: Path, templates: Templates, *, force: bool = False,
                   pdf: bool = False, progress: Progress | None = None, rejected: int = 0) -> Documents:
    """Render `specs` and write them (and their PDFs) into `folder`, all or nothing."""
    result = Documents(lignes_ignorees=rejected)
    paths = planned_paths(specs, folder)
    refuse_clashes([*paths, *([p.with_suffix(".pdf") for p in paths] if pdf else [])], force)
    files = with_pdf(render_all(specs, paths, templates, progress), pdf, result)
    result.fichiers = write_files_atomic(files, force)
    return result


def today() -> dt.date:
    return dt.date.today()
