"""Statements that come back: which rows may go into T_Heures, and why the others may not.

Every row read from a returned file is typed and checked by the very reading and rules of
`valider` (a small workbook holding only the incoming rows and the contracts is validated), plus
what only an import can check: the contract belongs to the company that sent the file, a person
named without a contract ID matches exactly one contract, the row is not already in T_Heures. A
row already there with the same hours is skipped; with other hours it is a conflict, reported and
never written over. Nothing here raises on bad data: every row gets a status and a French reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from . import schema
from .cells import is_empty, read_column
from .classeur import ROW, Classeur, type_table
from .errors import Refused
from .exclusion import LABELS, UNREAD, LeftOutRow, screen
from .raw import RawTable
from .text import fold
from .validation import id_key, match_ids, validate
from .values import COUNT, HOURS, MONTH, counted, de

TABLES = ("T_Marches", "T_Entreprises", "T_Contrats", "T_Participants", "T_Heures")
SOURCE = "Relevé entreprise"

ACCEPTEE, REFUSEE, PRESENTE, CONFLIT, VIDE = "acceptée", "refusée", "déjà présente", "conflit", "vide"
STATUSES = (ACCEPTEE, REFUSEE, PRESENTE, CONFLIT, VIDE)
#: Warnings of `valider` that refuse a row at import: hours for a month the contract does not cover.
REFUSING_WARNINGS = frozenset({"mois-hors-contrat"})
DUPLICATE_MONTH = "mois-en-double"
#: In a CSV file every cell is text: "read from text" warnings would be on every row.
TEXT_FILE_WARNINGS = frozenset({"texte-converti"})

FORM, SHEET, CSV, OTHER = "relevé clausexl", "tableau", "CSV", "non lu"


@dataclass(frozen=True)
class IncomingRow:
    """One row of a returned file, as read (raw cells; the import types them)."""

    ligne: int
    contrat: Any = None
    prenom: Any = None
    nom: Any = None
    mois: Any = None
    heures_travaillees: Any = None
    heures_formation: Any = None
    commentaire: Any = None


@dataclass(frozen=True)
class Incoming:
    """One file given to the import: its rows, or why it is not a statement (`probleme`)."""

    fichier: str
    genre: str = SHEET
    rows: tuple[IncomingRow, ...] = ()
    entreprise: str | None = None
    mois: dt.date | None = None
    probleme: str | None = None


# Alike adapters/mail.Sent in shape only: a record of what became of one item.
@dataclass(frozen=True)
class RowReport:
    """What became of one row."""

    ligne: int
    statut: str
    message: str
    contrat: str = ""
    personne: str = ""
    mois: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ligne": self.ligne, "statut": self.statut, "contrat": self.contrat, "personne": self.personne,
                "mois": f"{self.mois:%Y-%m}" if self.mois else None, "message": self.message}


@dataclass
class FileReport:
    """What became of one file: its rows, or one line saying why it was not read."""

    fichier: str
    genre: str
    entreprise: str | None = None
    mois: dt.date | None = None
    probleme: str | None = None
    lignes: list[RowReport] = field(default_factory=list)

    def count(self, statut: str) -> int:
        return sum(1 for r in self.lignes if r.statut == statut)

    def summary(self) -> str:
        """`3 acceptées, 1 refusée, 2 déjà présentes` (conflicts and blank rows when any)."""
        if self.probleme:
            return self.probleme
        parts = [counted(self.count(ACCEPTEE), "acceptée"), counted(self.count(REFUSEE), "refusée"),
                 counted(self.count(PRESENTE), "déjà présente")]
        if self.count(CONFLIT):
            parts.append(f"{COUNT.cell(self.count(CONFLIT))} en conflit")
        if self.count(VIDE):
            parts.append(counted(self.count(VIDE), "vide"))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"fichier": self.fichier, "genre": self.genre, "entreprise": self.entreprise,
                "mois": f"{self.mois:%Y-%m}" if self.mois else None, "probleme": self.probleme,
                **{s: self.count(s) for s in STATUSES}, "lignes": [r.to_dict() for r in self.lignes]}


@dataclass
class ImportResult:
    """Reports per file and the rows to append to T_Heures (schema keys), in file order."""

    fichiers: list[FileReport]
    rows: list[dict[str, Any]]
    #: Rows of the workbook in error, left out as by every verb (docs/calculs.md §0).
    left_out: tuple[LeftOutRow, ...] = ()

    @property
    def problems(self) -> int:
        """Files not read, rows refused or in conflict: the facilitator has something to look at."""
        return sum(1 for f in self.fichiers if f.probleme) + sum(
            f.count(REFUSEE) + f.count(CONFLIT) for f in self.fichiers)

    def to_dict(self) -> dict[str, Any]:
        return {"lignes_importees": len(self.rows), "fichiers": [f.to_dict() for f in self.fichiers],
                "lignes_ecartees": [r.to_dict() for r in self.left_out]}


def import_statements(c: Classeur, files: Sequence[Incoming], mois: dt.date | None = None) -> ImportResult:
    """Check every row of `files` against the workbook; `mois`, when given, refuses files of another month."""
    refuse_rows_below_hours(c)
    book = _Book(c)
    reports = []
    candidates: list[_Candidate] = []
    for incoming in files:
        report = FileReport(incoming.fichier, incoming.genre, incoming.entreprise, incoming.mois, incoming.probleme)
        reports.append(report)
        if report.probleme is None:
            report.probleme = _file_problem(book, incoming, mois)
        if report.probleme is None:
            candidates.extend(_candidates(book, incoming, report))
    rows = _checked(book, candidates) if candidates else []
    for report in reports:
        report.lignes.sort(key=lambda r: r.ligne)
    return ImportResult(reports, rows, book.left_out)


def refuse_rows_below_hours(c: Classeur) -> None:
    """Rows typed just below T_Heures outside its range: the rows imported would go where they are. Stop."""
    sheet = c.sheet("T_Heures")
    rows = sorted(f.row for f in c.findings if f.code == UNREAD and f.sheet == sheet and f.row is not None)
    if rows:
        where = f"la ligne {rows[0]}" if len(rows) == 1 else f"les lignes {rows[0]} à {rows[-1]}"
        raise Refused(f"La feuille {sheet} a {where} saisie{'s' if len(rows) > 1 else ''} juste sous le tableau "
                      "T_Heures sans en faire partie : les heures importées iraient à leur place. Agrandissez le "
                      "tableau jusqu'à elles (ou videz-les), enregistrez, puis relancez l'import.")


@dataclass(frozen=True)
class _Candidate:
    """A row whose contract is known, waiting for valider's rules and the rows already there."""

    incoming: Incoming
    report: FileReport
    row: IncomingRow
    contrat: str
    month: Any


# Alike adapters/excel_live.LiveWorkbook in shape only: a class over the workbook's tables.
class _Book:
    """The workbook's tables as the import looks at them: the rows `valider` calls an error are left
    out by the one rule (`exclusion.screen`), so a contract in error takes no hours; the hours already
    typed are all looked at, rows in error included, so that none is typed twice."""

    def __init__(self, c: Classeur) -> None:
        self.c = screen(c)
        self.left_out = self.c.left_out
        self.contracts = self.c["T_Contrats"].drop_duplicates("id")
        markets = self.c["T_Marches"].drop_duplicates("id").set_index("id")["attributaire"]
        people = self.c["T_Participants"].drop_duplicates("id").set_index("id")
        usable = self.contracts.assign(attributaire=markets.reindex(self.contracts["marche"]).to_numpy(),
                                       nom=people["nom"].reindex(self.contracts["participant"]).to_numpy(),
                                       prenom=people["prenom"].reindex(self.contracts["participant"]).to_numpy())
        self.usable = usable
        ids = usable["id"].tolist()
        #: Contract → (employer, market's awardee) and → "Prénom Nom": looked up once per incoming row.
        self.companies_of = dict(zip(ids, zip(usable["employeur"].tolist(), usable["attributaire"].tolist())))
        self.names = {k: f"{_text(p)} {_text(n)}".strip()
                      for k, p, n in zip(ids, usable["prenom"].tolist(), usable["nom"].tolist())}
        typed = match_ids(c)[0]
        every = typed["T_Contrats"]
        #: Every contract ID typed (rows left out included), by how people type it: « c0001 » is C0001.
        self.spelling = dict(zip(id_key(every["id"].dropna())[::-1], every["id"].dropna()[::-1]))
        sheet = self.c.sheet("T_Contrats")
        why = {r.row: r for r in self.left_out if r.sheet == sheet}
        left = every[every[ROW].isin(why) & every["id"].notna() & ~every["id"].isin(ids)].drop_duplicates("id")
        #: Contract left out → (its row, why), for the message of the rows that name it.
        self.error_rows = {k: (int(row), LABELS.get(why[row].code, why[row].code))
                           for k, row in zip(left["id"].tolist(), left[ROW].tolist())}
        companies = self.c["T_Entreprises"].drop_duplicates("id")
        self.companies = companies.set_index("id")["raison_sociale"]
        self.company_words = [(cid, _spaced(fold(str(cid))), fold(str(label)) if label else None)
                              for cid, label in self.companies.items()]
        h = typed["T_Heures"]
        h = h[h["contrat"].notna() & h["mois"].notna()]
        months = h["mois"].to_numpy().astype("datetime64[M]").astype(np.int64).tolist()
        worked = np.nan_to_num(h["heures_travaillees"].to_numpy(dtype=float)).tolist()
        training = np.nan_to_num(h["heures_formation"].to_numpy(dtype=float)).tolist()
        self.existing = {(k, m): (t, f, r) for k, m, t, f, r in
                         zip(h["contrat"].tolist(), months, worked, training, h[ROW].tolist())}

    def contract_id(self, given: str) -> str:
        """The contract ID as the workbook spells it, case and surrounding spaces ignored (as `valider` does)."""
        return str(self.spelling.get(given.strip().casefold(), given))

    def company_of_file(self, incoming: Incoming) -> str | None:
        """The company a plain file comes from, when its name says so unambiguously (ID or raison sociale)."""
        name = f" {fold(incoming.fichier)} "
        spaced = _spaced(name)
        found = {cid for cid, word, label in self.company_words if word in spaced or (label and label in name)}
        return str(found.pop()) if len(found) == 1 else None

    def person(self, contrat: str) -> str:
        return self.names.get(contrat, "")

    @functools.cached_property
    def by_person(self) -> pd.DataFrame:
        """Usable contracts with the folded (first name, name) of their person: only built when a row names
        someone without a contract ID."""
        u = self.usable
        keys = pd.Series([_person_key(p, n) for p, n in zip(u["prenom"], u["nom"])], index=u.index, dtype=object)
        return u.assign(cle=keys)


def _file_problem(book: _Book, incoming: Incoming, mois: dt.date | None) -> str | None:
    """Why a whole file is not imported (our form from an unknown company, or of another month)."""
    if incoming.genre == FORM and incoming.entreprise not in book.companies.index:
        return (f"Relevé de l'entreprise « {incoming.entreprise} », qui n'existe pas (ou a une erreur) dans la "
                "feuille Entreprises : rien n'est importé de ce fichier.")
    if mois is not None and incoming.mois is not None and incoming.mois != mois:
        return (f"Relevé {de(MONTH.text(incoming.mois))}, alors que l'import porte sur {MONTH.text(mois)} : rien "
                "n'est importé de ce fichier (relancez l'import sans --mois pour le prendre quand même).")
    if not incoming.rows:
        return "Le fichier ne contient aucune ligne d'heures."
    return None


def _candidates(book: _Book, incoming: Incoming, report: FileReport) -> list[_Candidate]:
    """The rows of one file whose contract is found; blank rows and unknown people reported here."""
    company = incoming.entreprise if incoming.genre == FORM else book.company_of_file(incoming)
    report.entreprise = company
    months = _months(incoming)
    candidates: list[_Candidate] = []
    for row, month in zip(incoming.rows, months):
        hours_blank = is_empty(row.heures_travaillees) and is_empty(row.heures_formation)
        named = not is_empty(row.contrat) or not is_empty(row.nom) or not is_empty(row.prenom)
        if hours_blank:
            if not is_empty(row.contrat):
                given = book.contract_id(_text(row.contrat))
                report.lignes.append(RowReport(row.ligne, VIDE, "Aucune heure saisie : rien n'est importé pour ce "
                                               "contrat (demandez les heures si la personne a travaillé).",
                                               given, book.person(given), _month_of(month)))
            elif named or not is_empty(row.commentaire):
                report.lignes.append(RowReport(row.ligne, VIDE, "Ligne sans heures : rien n'est importé.",
                                               personne=_name(row), mois=_month_of(month)))
            continue
        contrat, reason = _contract(book, row, company, _month_of(month))
        if reason is not None:
            report.lignes.append(RowReport(row.ligne, REFUSEE, reason, contrat or "", _name(row), _month_of(month)))
            continue
        assert contrat is not None  # _contract gives a reason whenever it finds no contract
        candidates.append(_Candidate(incoming, report, row, contrat,
                                     incoming.mois if incoming.genre == FORM else row.mois))
    return candidates


def _months(incoming: Incoming) -> list[Any]:
    """Each row's month, read by the workbook's own reading of a Mois cell (the form's month for our forms)."""
    if incoming.genre == FORM:
        return [incoming.mois] * len(incoming.rows)
    typed = read_column(schema.HEURES.column("mois"), [r.mois for r in incoming.rows])
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in typed.values]


def _contract(book: _Book, row: IncomingRow, company: str | None,
              month: dt.date | None) -> tuple[str | None, str | None]:
    """The contract of a row (its ID, or the person's name) and, when it cannot be used, why."""
    if not is_empty(row.contrat):
        contrat = book.contract_id(_text(row.contrat))
        if contrat in book.error_rows:
            line, why = book.error_rows[contrat]
            return contrat, (f"Le contrat {contrat} a une erreur dans la feuille Contrats (ligne {line} : {why}) : "
                             "corrigez-la (clausexl valider) puis réimportez.")
        if contrat in book.companies_of and company is not None and company not in book.companies_of[contrat]:
            return contrat, (f"Le contrat {contrat} n'est pas un contrat de l'entreprise {company} (ni employeur, ni "
                             "attributaire du marché) : vérifiez le relevé.")
        return contrat, None  # an unknown ID is refused by valider's reference rule, with its message
    key = _person_key(row.prenom, row.nom)
    if key is None:
        return None, "Ni contrat ni nom et prénom : impossible de savoir à qui sont ces heures."
    mine = book.by_person[book.by_person["cle"] == key]
    if company is not None:
        mine = mine[(mine["employeur"] == company) | (mine["attributaire"] == company)]
    if month is not None and len(mine) > 1:
        start, end = pd.Timestamp(month), pd.Timestamp(month) + pd.offsets.MonthEnd(0)
        running = mine[(mine["date_debut"] <= end) & (mine["date_fin"].isna() | (mine["date_fin"] >= start))]
        mine = running if len(running) else mine
    who = _name(row)
    where = f" chez l'entreprise {company}" if company else ""
    if mine.empty:
        return None, (f"« {who} » n'a aucun contrat{where} dans la feuille Contrats (une personne embauchée "
                      "depuis ?) : saisissez la personne et son contrat, puis réimportez le fichier.")
    if len(mine) > 1:
        return None, (f"« {who} » correspond à plusieurs contrats{where} ({', '.join(sorted(mine['id']))}) : "
                      "saisissez ces heures à la main ou demandez un relevé avec le numéro de contrat.")
    return str(mine["id"].iat[0]), None


def _checked(book: _Book, candidates: list[_Candidate]) -> list[dict[str, Any]]:
    """Type every candidate row and check them with valider's rules (one pass for all the files), then
    against the rows already there and those accepted before them (same values: already present; other
    values: a conflict). Rows are numbered in one sequence, mapped back to each file's own lines."""
    sheet = "\x00import"  # findings of the incoming rows, told apart from the workbook's
    headers = [col.header for col in schema.HEURES.columns]
    raw_rows = [[k.contrat, k.month, k.row.heures_travaillees, k.row.heures_formation, SOURCE, None]
                for k in candidates]
    typed, findings, _ = type_table(schema.HEURES, RawTable("T_Heures", sheet, 0, headers, raw_rows), "import")
    # Only the contracts the rows name: the rules about contracts then cost nothing, and an unknown ID
    # is still unknown (the reference rule sees it missing from this table).
    named = book.contracts[book.contracts["id"].isin({k.contrat for k in candidates})]
    mini = Classeur("import", {"T_Heures": typed, "T_Contrats": named}, book.c.params, findings,
                    {"T_Heures": sheet, "T_Contrats": "Contrats"})
    by_row: dict[int, list[Any]] = {}
    for f in validate(mini):
        # A contract and month twice is the comparison below (already present, or a conflict), file by file.
        if f.sheet == sheet and f.row is not None and f.code != DUPLICATE_MONTH:
            by_row.setdefault(f.row, []).append(f)
    accepted: dict[tuple[str, int], tuple[float, float, _Candidate]] = {}
    out = []
    for i, (k, rec) in enumerate(zip(candidates, cast(list[dict[str, Any]], typed.to_dict("records"))), start=1):
        found = by_row.get(i, [])
        if k.incoming.genre == CSV:
            found = [f for f in found if f.code not in TEXT_FILE_WARNINGS]
        month = cast(dt.date, _month_of(rec["mois"]))  # a row without a readable Mois is refused just below
        person = book.person(k.contrat) or _name(k.row)
        refusing = [f for f in found if f.is_error or f.code in REFUSING_WARNINGS]
        if refusing:
            k.report.lignes.append(RowReport(k.row.ligne, REFUSEE, " ".join(f.message for f in refusing), k.contrat,
                                             person, month))
            continue
        key = (k.contrat, _month_number(month))
        values = (_num(rec["heures_travaillees"]), _num(rec["heures_formation"]))
        status, message = _against_existing(book, accepted, key, values, k, month)
        if status == ACCEPTEE:
            accepted[key] = (*values, k)
            out.append(_new_row(k.contrat, month, rec, k.row, k.incoming.fichier))
            warnings = " ".join(f.message for f in found)
            message = f"{_hours_text(values)} pour {MONTH.text(month)}." + (
                f" Attention : {warnings}" if warnings else "")
        k.report.lignes.append(RowReport(k.row.ligne, status, message, k.contrat, person, month))
    return out


def _against_existing(book: _Book, accepted: dict[tuple[str, int], tuple[float, float, _Candidate]],
                      key: tuple[str, int], values: tuple[float, float], k: _Candidate,
                      month: dt.date) -> tuple[str, str]:
    contrat = key[0]
    if key in book.existing:
        t, f, line = book.existing[key]
        if _same((t, f), values):
            return PRESENTE, f"Déjà dans la feuille Heures (ligne {line}) avec les mêmes heures : rien à faire."
        return CONFLIT, (f"La feuille Heures a déjà {_hours_text((t, f))} pour le contrat {contrat} en "
                         f"{MONTH.text(month)} (ligne {line}) ; ce relevé dit {_hours_text(values)}. Rien n'est "
                         "remplacé : vérifiez avec l'entreprise et corrigez la feuille Heures vous-même.")
    if key in accepted:
        t, f, first = accepted[key]
        where = (f"La ligne {first.row.ligne} de ce fichier" if first.incoming is k.incoming
                 else f"Le fichier « {first.incoming.fichier} »")
        if _same((t, f), values):
            return PRESENTE, f"{where} donne déjà les mêmes heures pour ce contrat et ce mois : ligne ignorée."
        return CONFLIT, (f"{where} donne {_hours_text((t, f))} pour le contrat {contrat} en {MONTH.text(month)} ; "
                         f"cette ligne dit {_hours_text(values)}. Seule la première est importée : vérifiez avec "
                         "l'entreprise.")
    return ACCEPTEE, ""


def _new_row(contrat: str, month: dt.date, rec: dict[str, Any], row: IncomingRow, fichier: str) -> dict[str, Any]:
    """A T_Heures row: Source « Relevé entreprise », Commentaire = the file's name (and the company's comment)."""
    comment = fichier + (f" : {_text(row.commentaire)}" if not is_empty(row.commentaire) else "")
    formation = rec["heures_formation"]
    return {"contrat": contrat, "mois": month, "heures_travaillees": float(rec["heures_travaillees"]),
            "heures_formation": None if pd.isna(formation) else float(formation), "source": SOURCE,
            "commentaire": comment}


def _hours_text(values: tuple[float, float]) -> str:
    worked, training = values
    text = f"{HOURS.text(worked)} travaillées"
    return text + (f" et {HOURS.text(training)} de formation" if training else "")


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return bool(np.allclose(a, b, atol=0.005))


def _num(value: Any) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def _month_number(month: dt.date) -> int:
    """Months since January 1970, as numpy counts them (the key of the rows already there)."""
    return (month.year - 1970) * 12 + month.month - 1


def _month_of(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, (dt.date, pd.Timestamp)) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else dt.date(stamp.year, stamp.month, 1)


def _person_key(prenom: Any, nom: Any) -> tuple[str, str] | None:
    if is_empty(prenom) or is_empty(nom):
        return None
    return fold(str(prenom)), fold(str(nom))


def _name(row: IncomingRow) -> str:
    return f"{_text(row.prenom)} {_text(row.nom)}".strip()


def _text(value: Any) -> str:
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _spaced(text: str) -> str:
    """File names separate words with `-`, `_` or `.`: compare IDs as whole words."""
    for sep in "-_.()":
        text = text.replace(sep, " ")
    return f" {' '.join(text.split())} "
