"""extraire-personne: everything the workbook holds on one participant (RGPD right of access).

Rows are given as the facilitator typed them (every column, the facilitator's own ones
included), so nothing held on the person is left out; the typed tables only choose the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..adapters.workbook_reader import read_raw_tables
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import ROW, Classeur, load_classeur
from ..core.errors import UnknownItem
from ..core.findings import json_value
from ..core.raw import RawTable
from ..core.rgpd import TABLES

NAMES = ("T_Parametres", *TABLES)


@dataclass(frozen=True)
class Extrait:
    """The person's rows per sheet: headers as in the workbook, then the Excel row number."""

    participant: str
    sheets: dict[str, tuple[list[str], list[list[Any]]]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "feuilles": {
                sheet: [dict(zip(headers, (json_value(v) for v in row))) for row in rows]
                for sheet, (headers, rows) in self.sheets.items()
            },
        }


def extraire_personne(path: Path, participant: str) -> Extrait:
    """Every row about `participant`: their own, their contracts, hours, follow-ups and proposals."""
    path = Path(path)
    raw = read_raw_tables(path, NAMES)
    return extrait_of(raw, load_classeur(raw, path.name, NAMES), participant)


def extrait_of(raw: Mapping[str, RawTable], c: Classeur, participant: str) -> Extrait:
    """The extract from tables already read (`raw` as typed, `c` typed from it): the button's path."""
    people = c["T_Participants"]
    rows = [int(r) for r in people.loc[people["id"] == participant, ROW]]
    if not rows:
        raise UnknownItem(
            f"Le participant « {participant} » n'existe pas dans la feuille {c.sheet('T_Participants')} "
            f"du classeur « {c.source} »."
        )
    if len(rows) > 1:  # the extract would mix two people's data: the right of access is one person's
        raise UnknownItem(
            f"L'ID « {participant} » est porté par {len(rows)} lignes de la feuille {c.sheet('T_Participants')} "
            f"(lignes {', '.join(map(str, rows))}) : rien n'a été extrait, l'extrait mêlerait plusieurs personnes ; "
            "donnez à chacune un ID unique (valider signale le doublon), puis relancez."
        )
    contracts = c["T_Contrats"][c["T_Contrats"]["participant"] == participant]
    chosen = {
        "T_Participants": people[ROW][people["id"] == participant],
        "T_Contrats": contracts[ROW],
        "T_Heures": c["T_Heures"][ROW][c["T_Heures"]["contrat"].isin(set(contracts["id"].dropna()))],
        "T_Suivi": c["T_Suivi"][ROW][c["T_Suivi"]["participant"] == participant],
        "T_Candidatures": c["T_Candidatures"][ROW][c["T_Candidatures"]["participant"] == participant],
    }
    sheets = {c.sheet(name): _rows(raw[name], [int(r) for r in rows]) for name, rows in chosen.items()}
    return Extrait(participant, sheets)


def _rows(rt: RawTable, excel_rows: list[int]) -> tuple[list[str], list[list[Any]]]:
    width = len(rt.headers)
    keep = [i for i, h in enumerate(rt.headers) if h not in (None, "")]
    headers = [str(rt.headers[i]).strip().rstrip("*").strip() for i in keep] + ["Ligne du classeur"]
    rows = []
    for excel_row in excel_rows:
        cells = rt.rows[excel_row - rt.header_row - 1]
        cells = list(cells[:width]) + [None] * (width - len(cells))
        rows.append([None if cells[i] == "" else cells[i] for i in keep] + [excel_row])
    return headers, rows


def write_extrait(extrait: Extrait, destination: Path, force: bool = False) -> Path:
    """A new .xlsx with one sheet per table holding the person's rows (text stays text)."""
    sheets = [
        OutSheet(sheet, headers, rows, title=f"{sheet} — participant {extrait.participant}",
                 notes=[f"{len(rows)} ligne(s)."])
        for sheet, (headers, rows) in extrait.sheets.items()
    ]
    return write_workbook(destination, sheets, force)

