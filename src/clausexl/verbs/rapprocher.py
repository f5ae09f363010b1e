"""rapprocher: the candidate pool ranked for one offer, with reasons — for the facilitator to decide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import Classeur
from ..core.exclusion import LeftOutRow, asked_id, quality_lines, screen
from ..core.matching import LEVEL_TITLES, LEVELS, TABLES, Rapprochement, rank_candidates
from ..core.values import DATE, INTEGER

SHEET = "Candidats"
HEADERS = ("Rang", "Participant", "Nom", "Prénom", "Commune", "Statut", "Métiers recherchés", "Permis B",
           "Véhicule", "Disponible le", "Classement", *(LEVEL_TITLES[level] for level in LEVELS))


@dataclass(frozen=True)
class Candidats:
    """The ranking of one run, and how many rows of the tables read were left out."""

    source: str
    result: Rapprochement
    left_out: tuple[LeftOutRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "offre": r.offre.to_dict(),
            "au": r.au.isoformat(),
            "criteres": list(LEVELS),
            "candidats": [c.to_dict() for c in r.candidats],
            "ecartes": [{"participant": e.participant, "raison": e.raison} for e in r.ecartes],
            "notes": list(r.notes),
            "lignes_ecartees": [x.to_dict() for x in self.left_out],
        }


def rapprocher(path: Path, offre: str, au: dt.date | None = None) -> Candidats:
    """Read the tables the ranking needs and rank the pool for `offre` at `au` (default today)."""
    return rapprocher_of(read_classeur(path, TABLES), offre, au)


def rapprocher_of(classeur: Classeur, offre: str, au: dt.date | None = None) -> Candidats:
    """The same on a workbook already read (the Excel entry point reads it through xlwings)."""
    au = au or dt.date.today()
    classeur = screen(classeur)
    offre = asked_id(classeur, "T_Offres", offre)
    return Candidats(classeur.source, rank_candidates(classeur, offre, au), classeur.left_out)


def key_text(key: tuple[int, ...]) -> str:
    """The ranking key as the facilitator can sort on it: `0-1-0-0-0`."""
    return "-".join(str(k) for k in key)


def sheet_rows(result: Candidats) -> list[list[Any]]:
    """Rows of the `Candidats` sheet under HEADERS, best first."""
    return [
        [c.rang, c.participant, c.nom, c.prenom, c.commune, c.statut, c.metiers,
         "Oui" if c.permis_b else "Non", "Oui" if c.vehicule else "Non", c.disponible_le, key_text(c.cle),
         *c.raisons]
        for c in result.result.candidats
    ]


def sheet_notes(result: Candidats) -> list[str]:
    """Lines above the table: the offer, what the key means, the notes, who was set aside and why, then the
    « Qualité des données » block (the rows in error left out)."""
    o = result.result.offre
    lines = [
        f"Offre {o.id} — {o.poste}" + (f" ({o.code_rome})" if o.code_rome else "")
        + (f", {o.lieu}" if o.lieu else "") + (f", début le {DATE.cell(o.date_debut)}" if o.date_debut else ""),
        "Classement : " + ", puis ".join(LEVEL_TITLES[level].lower() for level in LEVELS)
        + " (0 = le mieux placé). Une aide à la décision : c'est vous qui choisissez qui proposer.",
        *result.result.notes,
    ]
    lines += [f"Écarté : {e.participant} — {e.raison}" for e in result.result.ecartes]
    return [*lines, *quality_lines(result.left_out)]


def out_sheet(result: Candidats) -> OutSheet:
    return OutSheet(
        SHEET, HEADERS, sheet_rows(result), formats={"Disponible le": DATE, "Rang": INTEGER},
        title=f"Candidats pour l'offre {result.result.offre.id} au {DATE.cell(result.result.au)}",
        notes=sheet_notes(result),
        widths={**{LEVEL_TITLES[level]: 40 for level in LEVELS}, "Rang": 6, "Classement": 11},
    )


def write_sheet(result: Candidats, destination: Path, force: bool = False) -> Path:
    """A new workbook holding the `Candidats` sheet."""
    return write_workbook(destination, [out_sheet(result)], force)
