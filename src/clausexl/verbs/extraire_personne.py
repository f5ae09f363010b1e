"""extraire-personne: everything the workbook holds on one participant (RGPD right of access).

Rows are given as the facilitator typed them (every column, the facilitator's own ones
included), so nothing held on the person is left out; the typed tables only choose the rows.
Unlike the other verbs, rows in error are not left out of the extract (the person has a right to
everything held on them): each is marked in a last column « Écartée des chiffres » with the code of
`lignes_ecartees`, and the verb says so like the others (stderr line, exit 1).
So that the person can read it, the names of the markets, buyers, employers and offers stand in added
columns beside their IDs, dates and hours are shown in French (core/values.py), and the workbook prints
(landscape, fit to the page's width, header row repeated on every page: adapters/xlsx_out.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..adapters.workbook_reader import read_raw_tables
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import ROW, Classeur, load_classeur
from ..core.contexts import lot_label
from ..core.errors import UnknownItem
from ..core.exclusion import LeftOutRow, quality_sentence, screen, with_targets
from ..core.findings import json_value
from ..core.raw import RawTable
from ..core.rgpd import TABLES
from ..core.schema import table
from ..core.validation import id_key, match_ids
from ..core.values import COLUMN_KINDS, HOURS, ValueKind, counted

NAMES = with_targets(("T_Parametres", *TABLES))
#: The tables whose names are shown beside the IDs (read, never extracted).
LOOKUPS = ("T_Marches", "T_Entreprises", "T_DonneursOrdre", "T_Offres")
ROW_HEADER = "Ligne du classeur"
LEFT_OUT_HEADER = "Écartée des chiffres"
#: The width of an added name column.
NAME_WIDTH = 32


@dataclass(frozen=True)
class Extrait:
    """The person's rows per sheet: headers as in the workbook, then the Excel row number."""

    participant: str
    sheets: dict[str, tuple[list[str], list[list[Any]]]]
    left_out: tuple[LeftOutRow, ...] = ()
    #: sheet → header → the kind of its values (dates, months, hours…), for their French presentation
    kinds: dict[str, dict[str, ValueKind]] = field(default_factory=dict)
    #: sheet → header → column width in the workbook
    widths: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "feuilles": {
                sheet: [dict(zip(headers, (json_value(v) for v in row))) for row in rows]
                for sheet, (headers, rows) in self.sheets.items()
            },
            "lignes_ecartees": [r.to_dict() for r in self.left_out],
        }


def extraire_personne(path: Path, participant: str) -> Extrait:
    """Every row about `participant`: their own, their contracts, hours, follow-ups and proposals."""
    path = Path(path)
    wanted = tuple(dict.fromkeys((*NAMES, *LOOKUPS)))
    raw = read_raw_tables(path, wanted)
    return extrait_of(raw, load_classeur(raw, path.name, tuple(n for n in wanted if n in raw)), participant)


def extrait_of(raw: Mapping[str, RawTable], c: Classeur, participant: str) -> Extrait:
    """The extract from tables already read (`raw` as typed, `c` typed from it): the button's path. The
    LOOKUPS tables, when `c` holds them, give the names shown beside the IDs."""
    read = c
    c, _ = match_ids(read)
    people = c["T_Participants"]
    same_person = (id_key(people["id"]) == participant.strip().casefold()).to_numpy()
    rows = [int(r) for r in people.loc[same_person, ROW]]
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
    participant = str(people["id"][same_person].iloc[0])
    contracts = c["T_Contrats"][c["T_Contrats"]["participant"] == participant]
    chosen = {
        "T_Participants": people[ROW][same_person],
        "T_Contrats": contracts[ROW],
        "T_Heures": c["T_Heures"][ROW][c["T_Heures"]["contrat"].isin(set(contracts["id"].dropna()))],
        "T_Suivi": c["T_Suivi"][ROW][c["T_Suivi"]["participant"] == participant],
        "T_Candidatures": c["T_Candidatures"][ROW][c["T_Candidatures"]["participant"] == participant],
    }
    screened = {(r.sheet, r.row): r for r in screen(read).left_out}
    left_out = tuple(screened[(c.sheet(name), int(r))] for name, rows in chosen.items() for r in rows
                     if (c.sheet(name), int(r)) in screened)
    added = name_columns(c)
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    kinds: dict[str, dict[str, ValueKind]] = {}
    widths: dict[str, dict[str, float]] = {}
    for name, excel_rows in chosen.items():
        sheet = c.sheet(name)
        sheets[sheet] = _rows(raw[name], [int(r) for r in excel_rows], added.get(name, {}), sheet, screened)
        headers = sheets[sheet][0]
        columns = {col.header: col for col in table(name).columns}
        kinds[sheet] = {h: COLUMN_KINDS[columns[h].kind] for h in headers
                        if h in columns and columns[h].kind in COLUMN_KINDS}
        widths[sheet] = {h: float(columns[h].width) if h in columns else NAME_WIDTH
                         for h in headers if h not in (ROW_HEADER, LEFT_OUT_HEADER)}
    return Extrait(participant, sheets, left_out, kinds, widths)


#: An added column: its header and the name it shows for the ID typed in the column it follows.
Added = list[tuple[str, Callable[[str], str | None]]]


def name_columns(c: Classeur) -> dict[str, dict[str, Added]]:
    """table → header of an ID column → the name columns added after it."""
    markets = _by_id(c, "T_Marches")
    companies = _by_id(c, "T_Entreprises")
    buyers = _by_id(c, "T_DonneursOrdre")
    offers = _by_id(c, "T_Offres")
    contracts = c["T_Contrats"].drop_duplicates("id").set_index("id")

    def market(m: str) -> str | None:
        row = markets.get(m)
        if row is None:
            return None
        lot = lot_label(str(row["lot"])) if _shown(row["lot"]) else None
        return " — ".join(str(v) for v in (row["objet"], lot) if _shown(v)) or None

    def buyer(m: str) -> str | None:
        row = markets.get(m)
        return None if row is None else _field(buyers, row["donneur_ordre"], "nom")

    def contract_field(key: str, lookup: Callable[[str], str | None]) -> Callable[[str], str | None]:
        return lambda k: lookup(str(contracts.at[k, key])) if k in contracts.index and _shown(
            contracts.at[k, key]) else None

    def company(e: str) -> str | None:
        return _field(companies, e, "raison_sociale")

    def offer(o: str) -> str | None:
        return _field(offers, o, "poste")

    def offer_company(o: str) -> str | None:
        row = offers.get(o)
        return None if row is None else company(str(row["entreprise"]))

    return {
        "T_Contrats": {"Marché": [("Objet du marché", market), ("Acheteur", buyer)],
                       "Employeur": [("Nom de l'employeur", company)]},
        "T_Heures": {"Contrat": [("Objet du marché", contract_field("marche", market)),
                                 ("Acheteur", contract_field("marche", buyer)),
                                 ("Employeur", contract_field("employeur", company))]},
        "T_Candidatures": {"Offre": [("Poste de l'offre", offer), ("Entreprise de l'offre", offer_company)]},
    }


def _by_id(c: Classeur, name: str) -> dict[str, pd.Series]:
    """The rows of a lookup table by ID (the first one when an ID is typed twice: valider says so)."""
    try:
        frame = c[name]
    except KeyError:
        return {}
    return {str(k): row for k, row in frame.drop_duplicates("id").set_index("id").iterrows() if _shown(k)}


def _field(rows: dict[str, pd.Series], key: Any, column: str) -> str | None:
    row = rows.get(str(key))
    return None if row is None or not _shown(row[column]) else str(row[column])


def _shown(value: Any) -> bool:
    return value is not None and value == value and value != ""


def _rows(rt: RawTable, excel_rows: list[int], added: dict[str, Added], sheet: str,
          left_out: dict[tuple[str, int], LeftOutRow]) -> tuple[list[str], list[list[Any]]]:
    width = len(rt.headers)
    keep = [i for i, h in enumerate(rt.headers) if h not in (None, "")]
    labels = [str(rt.headers[i]).strip().rstrip("*").strip() for i in keep]
    headers: list[str] = []
    for label in labels:
        headers += [label, *(h for h, _ in added.get(label, []))]
    headers += [ROW_HEADER, LEFT_OUT_HEADER]
    rows = []
    for excel_row in excel_rows:
        cells = rt.rows[excel_row - rt.header_row - 1]
        cells = list(cells[:width]) + [None] * (width - len(cells))
        row: list[Any] = []
        for label, i in zip(labels, keep):
            value = None if cells[i] == "" else cells[i]
            row.append(value)
            key = str(value).strip() if value is not None else ""
            row += [lookup(key) if key else None for _, lookup in added.get(label, [])]
        why = left_out.get((sheet, excel_row))
        rows.append([*row, excel_row, why.code if why else None])
    return headers, rows


def presented(extrait: Extrait, sheet: str, header: str, value: Any) -> str:
    """A value as the person reads it: dates « 1er mars 2019 », months « mars 2019 », hours « 151,5 h »,
    Oui/Non; text as typed."""
    if isinstance(value, bool):  # a cell typed VRAI or FAUX reads as the Oui/Non of the list
        return "Oui" if value else "Non"
    kind = extrait.kinds.get(sheet, {}).get(header)
    if kind is None or isinstance(value, str):
        return str(value)
    try:
        return kind.text(value)
    except (TypeError, ValueError):
        return str(value)


def write_extrait(extrait: Extrait, destination: Path, force: bool = False) -> Path:
    """A new .xlsx with one sheet per table holding the person's rows (text stays text); the first sheet says
    in one line how many of them are left out of the figures (« Qualité des données »)."""
    many = len(extrait.left_out) > 1
    given = (f" {'Elles sont données' if many else 'Elle est donnée'} ici, marquée{'s' if many else ''} dans la "
             f"colonne « {LEFT_OUT_HEADER} »." if extrait.left_out else "")
    quality = [quality_sentence(extrait.left_out) + given]
    sheets = [
        OutSheet(sheet, headers, rows, title=f"{sheet} — participant {extrait.participant}",
                 notes=[f"{counted(len(rows), 'ligne')}.", *(quality if i == 0 else [])],
                 formats=extrait.kinds.get(sheet, {}), widths=extrait.widths.get(sheet, {}),
                 totals=hours_total(headers, rows, extrait.kinds.get(sheet, {})))
        for i, (sheet, (headers, rows)) in enumerate(extrait.sheets.items())
    ]
    return write_workbook(destination, sheets, force)


WEEKLY_HOURS = table("T_Contrats").column("heures_hebdo").header


def hours_total(headers: Sequence[str], rows: Sequence[Sequence[Any]],
                kinds: Mapping[str, ValueKind]) -> list[list[Any]]:
    """Under the person's hours, their sum (rows left out of the figures included: the person worked them);
    nothing on a sheet without hours. Weekly hours (a contract's schedule, not hours worked) add up to
    nothing a person could read: no total on Contrats."""
    columns = [i for i, h in enumerate(headers) if kinds.get(h) is HOURS and h != WEEKLY_HOURS]
    if not columns or not rows:
        return []
    total: list[Any] = ["Total", *([None] * (len(headers) - 1))]
    for i in columns:
        total[i] = sum(r[i] for r in rows if isinstance(r[i], (int, float)) and not isinstance(r[i], bool))
    return [total]

