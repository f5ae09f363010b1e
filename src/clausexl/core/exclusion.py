"""Rows in error are left out of every figure, document and list (docs/calculs.md §0), decided here once.

`screen` takes the typed tables a verb read and returns the same workbook without the rows that
`valider` calls an error on what figures are built from, nor the rows that depend on them (the
hours of a left-out contract, the contracts of a left-out market…), together with the list of
rows left out. The errors come from the very rules `valider` runs (`validation.py`), so the
rows left out are exactly the rows of its error findings of those kinds.

What a row is left out for:
- a duplicate key or (Contrat, Mois) — the later row —, a dangling reference, an end before
  its start, negative hours, more than 250 hours in a month;
- a missing or unreadable value (including a formula error or a value off its list) in a
  column figures are built from: keys, references, dates, amounts, hours and rates, and the
  few list columns that decide what a row counts for (`STRUCTURAL_CHOICES`);
- a row typed just below an Excel table, outside its range: the readers do not read it at all,
  and it is counted here so that no verb is silent about it.

A blank or invalid descriptive value (Sexe, Niveau, birth date, Type…) leaves the row in: the
breakdowns count it under « Non renseigné ».
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from . import schema, validation
from .classeur import ROW, Classeur
from .findings import Finding
from .schema import Kind

#: Codes of reading findings that leave a row out when they fall on a structural column.
READING_CODES = ("valeur-obligatoire", "type-invalide", "erreur-formule", "date-hors-plage", "valeur-hors-liste")
#: Codes of rule findings that always leave their row out.
RULE_CODES = ("cle-en-double", "mois-en-double", "reference-inconnue", "dates-inversees", "heures-negatives",
              "heures-excessives")
#: The code of a row typed below an Excel table, outside its range: not read at all, so counted as left out.
UNREAD = "ligne-hors-tableau"
#: The code of a row left out because a row it refers to was left out (not a `valider` finding).
DEPENDENT = "reference-ecartee"
#: The line every breakdown gains for blank or invalid descriptive values, so that it adds up to its whole.
NOT_GIVEN = "Non renseigné"
#: What the facilitator reads for each reason, in the order the counts are printed.
LABELS: dict[str, str] = {
    "cle-en-double": "identifiant en double",
    "mois-en-double": "mois saisi deux fois",
    "reference-inconnue": "référence à une ligne qui n'existe pas",
    "valeur-obligatoire": "valeur obligatoire vide",
    "type-invalide": "valeur illisible",
    "erreur-formule": "formule en erreur",
    "date-hors-plage": "date improbable",
    "valeur-hors-liste": "valeur hors de la liste",
    "dates-inversees": "fin avant le début",
    "heures-negatives": "heures négatives",
    "heures-excessives": "plus de 250 heures dans un mois",
    UNREAD: "ligne sous un tableau, hors de sa plage",
    DEPENDENT: "liée à une ligne écartée",
}
#: The rules of `valider` whose error findings leave rows out: verbs run only these.
RULES = (validation.unique_keys, validation.references, validation.inverted_dates, validation.hours_values,
         validation.duplicate_months)

STRUCTURAL_KINDS = frozenset({Kind.ID, Kind.REF, Kind.DATE, Kind.MONTH, *schema.NUMERIC_KINDS})
#: List columns that decide what a row counts for: without them the row means nothing.
STRUCTURAL_CHOICES = frozenset({("T_Marches", "statut"), ("T_Suivi", "echeance"), ("T_Suivi", "situation"),
                                ("T_Candidatures", "resultat")})
#: Structural by kind but descriptive for the figures: a person is still a beneficiary without them.
DESCRIPTIVE = frozenset({("T_Participants", k) for k in
                         ("date_naissance", "qpv", "date_eligibilite", "date_rgpd", "disponible_le")})
#: Tables never screened: the parameters have their own defaults and findings.
UNSCREENED = frozenset({schema.PARAMETRES.name})


def is_structural(table: str, column: schema.Column) -> bool:
    """Figures are built from this column: a missing or unreadable value leaves its row out."""
    if (table, column.key) in DESCRIPTIVE:
        return False
    return column.kind in STRUCTURAL_KINDS or (table, column.key) in STRUCTURAL_CHOICES


@dataclass(frozen=True)
class LeftOutRow:
    """One row left out, pointing at the cell that decided it (the JSON item of `lignes_ecartees`)."""

    sheet: str
    row: int
    column: str | None
    code: str

    def to_dict(self) -> dict[str, Any]:
        return {"feuille": self.sheet, "ligne": self.row, "colonne": self.column, "code": self.code}


def screen(c: Classeur) -> Classeur:
    """The workbook without its rows in error and the rows depending on them; `left_out` lists them.

    Screening twice changes nothing: a screened workbook is returned as it is.
    """
    if c.screened:
        return c
    matched, _ = validation.match_ids(c)
    tables = {n: f for n, f in matched.tables.items() if n not in UNSCREENED}
    reasons: dict[tuple[str, int], tuple[str, str | None]] = {}
    by_sheet = {matched.sheet(n): n for n in tables}
    for f in [*matched.findings, *(f for rule in RULES for f in rule(matched))]:
        name = by_sheet.get(f.sheet)
        if name is None or f.row is None or not _leaves_out(name, f):
            continue
        reasons.setdefault((name, f.row), (f.code, f.column))
    left = {n: frame[ROW].isin([r for (t, r) in reasons if t == n]).to_numpy() for n, frame in tables.items()}
    _propagate(matched, tables, left, reasons)
    rows = sorted(
        (LeftOutRow(matched.sheet(n), r, column, code) for (n, r), (code, column) in reasons.items()),
        key=lambda x: (_sheet_order(matched, x.sheet), x.row),
    )
    clean = dict(matched.tables)
    for n, mask in left.items():
        clean[n] = tables[n][~mask] if mask.any() else tables[n]
    return replace(matched, tables=clean, left_out=tuple(rows), screened=True)


def _leaves_out(table: str, f: Finding) -> bool:
    if f.code in RULE_CODES or f.code == UNREAD:
        return True
    if f.code not in READING_CODES or f.column is None:
        return False
    column = next((col for col in schema.table(table).columns if col.header == f.column), None)
    return column is not None and is_structural(table, column)


def _propagate(c: Classeur, tables: dict[str, pd.DataFrame], left: dict[str, np.ndarray],
               reasons: dict[tuple[str, int], tuple[str, str | None]]) -> None:
    """Leave out, until nothing changes, every row referring to a key no kept row holds any more."""
    refs = [r for r in schema.references() if r.table in tables and r.target in tables
            and is_structural(r.table, schema.table(r.table).column(r.column))]
    changed = True
    while changed:
        changed = False
        for ref in refs:
            target = tables[ref.target][validation.id_of(ref.target)]
            gone = set(target[left[ref.target]].dropna()) - set(target[~left[ref.target]].dropna())
            if not gone:
                continue
            frame = tables[ref.table]
            hit = ~left[ref.table] & frame[ref.column].isin(gone).to_numpy()
            if not hit.any():
                continue
            left[ref.table] = left[ref.table] | hit
            header = schema.table(ref.table).column(ref.column).header
            for row in frame[ROW].to_numpy()[hit]:
                reasons.setdefault((ref.table, int(row)), (DEPENDENT, header))
            changed = True


def _sheet_order(c: Classeur, sheet: str) -> int:
    order = {c.sheet(t.name): i for i, t in enumerate(schema.TABLES)}
    return order.get(sheet, 99)


# --- saying what was left out -------------------------------------------------------------------

def counts_by_kind(rows: Sequence[LeftOutRow]) -> list[tuple[str, int]]:
    """(French label, number of rows) per reason, in the order of LABELS."""
    counts = Counter(r.code for r in rows)
    return [(LABELS.get(code, code), counts[code]) for code in [*LABELS, *sorted(set(counts) - set(LABELS))]
            if counts[code]]


def summary_line(rows: Sequence[LeftOutRow]) -> str | None:
    """The one French sentence every verb prints when it left rows out (None when it did not)."""
    if not rows:
        return None
    kinds = ", ".join(f"{label} : {n}" for label, n in counts_by_kind(rows))
    many = len(rows) > 1
    them = "les" if many else "la"
    return (f"Attention : {_lines(len(rows))} en erreur laissée{'s' if many else ''} de côté ({kinds}) ; "
            f"aucun chiffre, document ni liste ne {them} compte. Lancez « clausexl valider » "
            f"(ou « Vérifier la saisie ») pour {them} voir et {them} corriger.")


def quality_rows(rows: Sequence[LeftOutRow]) -> list[list[Any]]:
    """The « Qualité des données » block of an output workbook's first sheet: title, then counts."""
    if not rows:
        return [["Qualité des données"], ["Aucune ligne écartée : toutes les lignes du classeur sont comptées."]]
    many = len(rows) > 1
    return [
        ["Qualité des données"],
        [f"{_lines(len(rows))} du classeur en erreur {'ont' if many else 'a'} été écartée"
         f"{'s' if many else ''} : les chiffres ci-dessous ne {'les' if many else 'la'} comptent pas."],
        *([label[0].upper() + label[1:], n] for label, n in counts_by_kind(rows)),
        ["Le contrôle du classeur (clausexl valider, bouton « Vérifier la saisie ») "
         f"{'les liste une à une' if many else 'la montre'}."],
    ]


def quality_lines(rows: Sequence[LeftOutRow]) -> list[str]:
    """The same block as lines of text, for the notes above a result table (sheets written in Excel too)."""
    return [" : ".join(map(str, r)) for r in quality_rows(rows)]


def quality_sentence(rows: Sequence[LeftOutRow]) -> str:
    """The same block in one sentence, where an output has room for one line (the statement form)."""
    if not rows:
        return "Qualité des données : aucune ligne écartée, toutes les lignes du classeur sont comptées."
    many = len(rows) > 1
    kinds = ", ".join(f"{label} : {n}" for label, n in counts_by_kind(rows))
    return (f"Qualité des données : {_lines(len(rows))} du classeur en erreur {'ont' if many else 'a'} été "
            f"écartée{'s' if many else ''} ({kinds}).")


def _lines(n: int) -> str:
    return f"{n} ligne{'s' if n > 1 else ''}"


def asked_id(c: Classeur, table: str, asked: str) -> str:
    """An ID given in an option (`--marche m2026-01 `), read as the key it matches ignoring case and spaces."""
    ids = c[table][validation.id_of(table)].dropna()
    same = ids[validation.id_key(ids) == asked.strip().casefold()]
    return str(same.iloc[0]) if len(same) else asked


def with_targets(names: Iterable[str]) -> list[str]:
    """`names` and every table their structural references point to, so a dangling reference is seen."""
    wanted = list(dict.fromkeys(names))
    i = 0
    while i < len(wanted):
        for ref in schema.references():
            if ref.table == wanted[i] and ref.target not in wanted \
                    and is_structural(ref.table, schema.table(ref.table).column(ref.column)):
                wanted.append(ref.target)
        i += 1
    return wanted
