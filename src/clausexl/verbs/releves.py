"""releves: per company, the month's statement to fill in (a protected .xlsx), into the output folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..adapters.output import refuse_clashes, write_files_atomic
from ..adapters.statement_form import form_bytes
from ..adapters.workbook_reader import read_classeur
from ..core.classeur import Classeur
from ..core.filenames import file_name, unique_names
from ..core.journal import RELEVE_A_REMPLIR, Entry
from ..core.releves import TABLES, forms
from ..core.values import MONTH
from .documents import Documents, Journal, free_paths, note, output_folder


def releves(classeur: Path, mois: dt.date, *, entreprise: str | None = None, sortie: Path | None = None,
            force: bool = False, today: dt.date | None = None) -> Documents:
    """Write `Relevé à remplir AAAA-MM - <ID> - <raison sociale>.xlsx` for each company of the month."""
    return releves_classeur(read_classeur(classeur, TABLES), classeur, mois, entreprise=entreprise, sortie=sortie,
                            force=force, today=today)


def releves_classeur(c: Classeur, classeur: Path, mois: dt.date, *, entreprise: str | None = None,
                     sortie: Path | None = None, force: bool = False, rename_clashes: bool = False,
                     today: dt.date | None = None) -> Documents:
    """The same on a workbook already read; `classeur` places the output folder and the journal."""
    today = today or dt.date.today()
    chosen = forms(c, mois, entreprise)
    folder = output_folder(classeur, c, sortie)
    paths = [folder / n for n in unique_names([file_name(f.name, ".xlsx") for f in chosen])]
    if rename_clashes:
        paths = free_paths(paths)
    refuse_clashes(paths, force)
    result = Documents(lignes_ignorees=c.rejected_rows(TABLES))
    result.fichiers = write_files_atomic([(p, form_bytes(f)) for p, f in zip(paths, chosen)], force)
    note(Journal(classeur, "releves", today),
         [Entry(today, "releves", RELEVE_A_REMPLIR, mois, destinataire=f.entreprise, fichier=p.name)
          for p, f in zip(result.fichiers, chosen)], result)
    result.extra = {"mois": f"{mois:%Y-%m}", "entreprises": [f.entreprise for f in chosen],
                    "contrats": sum(len(f.lignes) for f in chosen)}
    if not chosen:
        who = f"l'entreprise {entreprise} n'a" if entreprise else "aucune entreprise n'a"
        result.avertissements.append(f"En {MONTH.text(mois)}, {who} de contrat en cours sur un marché avec clause : "
                                     "aucun relevé à remplir.")
    return result
