"""The journal of what was sent: every document, form and e-mail written or sent, and every import.

One entry per file (or per e-mail sent, per file imported), as plain data; the adapter
(`adapters.journal`) keeps them in a CSV file beside the workbook. `echeances` reads it to say
which statement asked for is still not back, and whether the next reminder is the first or the
second; `offres` notes there the date an offer was diffused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .contexts import DocSpec, Mois

#: The journal's columns, as the facilitator reads them in Excel.
COLUMNS = ("Date", "Verbe", "Document", "Mois", "Marché", "Destinataire", "Offre", "Fichier", "Lignes")

RELEVE_A_REMPLIR = "Relevé à remplir"
RELEVE_MENSUEL = "Relevé mensuel"
RELANCE = "Relance"
OFFRE_COURRIEL = "Offre (courriel)"
OFFRE_ENVOYEE = "Offre envoyée"
IMPORT = "Import de relevé"
#: What asks a company for its statement of a month (its date starts the count of days).
ASKS = (RELEVE_A_REMPLIR, RELEVE_MENSUEL)
#: The kind of document each template makes.
KINDS = {
    "releve_mensuel.docx": RELEVE_MENSUEL,
    "relance.docx": RELANCE,
    "attestation.docx": "Attestation",
    "bilan_donneur_ordre.docx": "Bilan au donneur d'ordre",
    "offre_partenaire.docx": "Offre (lettre)",
}


@dataclass(frozen=True)
class Entry:
    """One line of the journal."""

    date: dt.date
    verbe: str
    document: str
    mois: dt.date | None = None
    marche: str = ""
    destinataire: str = ""
    offre: str = ""
    fichier: str = ""
    lignes: int | None = None

    def row(self) -> list[str]:
        """The entry as the journal's cells, under COLUMNS."""
        return [self.date.isoformat(), self.verbe, self.document, f"{self.mois:%Y-%m}" if self.mois else "",
                self.marche, self.destinataire, self.offre, self.fichier,
                "" if self.lignes is None else str(self.lignes)]

    @classmethod
    def from_row(cls, cells: Mapping[str, str]) -> Entry | None:
        """An entry from the journal's cells; None for a line that cannot be read (never an error)."""
        try:
            date = dt.date.fromisoformat(cells.get("Date", "").strip()[:10])
            month = cells.get("Mois", "").strip()
            mois = dt.date(int(month[:4]), int(month[5:7]), 1) if month else None
            lines = cells.get("Lignes", "").strip()
            return cls(date, cells.get("Verbe", "").strip(), cells.get("Document", "").strip(), mois,
                       cells.get("Marché", "").strip(), cells.get("Destinataire", "").strip(),
                       cells.get("Offre", "").strip(), cells.get("Fichier", "").strip(),
                       int(lines) if lines.isdigit() else None)
        except (ValueError, TypeError):
            return None


def document_entries(verbe: str, specs: Sequence[DocSpec], files: Sequence[PurePath], today: dt.date) -> list[Entry]:
    """One entry per document written, from what its context says (market, month, recipient, offer)."""
    return [document_entry(verbe, spec, path, today) for spec, path in zip(specs, files)]


def document_entry(verbe: str, spec: DocSpec, path: PurePath, today: dt.date, document: str | None = None) -> Entry:
    ctx = spec.context
    kind = document or KINDS.get(spec.template) or ("Clause" if spec.template.startswith("clause_") else spec.template)
    mois = ctx.get("mois")
    return Entry(today, verbe, kind, mois.valeur if isinstance(mois, Mois) else None, _id(ctx, "marche"),
                 recipient(ctx, kind), _id(ctx, "offre"), path.name)


#: Documents written for the buyer (the clause goes into its tender documents).
FOR_BUYER = ("Clause", "Bilan au donneur d'ordre")


def recipient(ctx: Mapping[str, Any], kind: str = "") -> str:
    """The ID of who receives a document: the partner, the company (unless it is the buyer's copy), the buyer."""
    if kind in FOR_BUYER:
        return _id(ctx, "donneur_ordre")
    if _id(ctx, "partenaire"):
        return _id(ctx, "partenaire")
    if _id(ctx, "entreprise") and ctx.get("pour_entreprise", True):
        return _id(ctx, "entreprise")
    return _id(ctx, "donneur_ordre")


def _id(ctx: Mapping[str, Any], key: str) -> str:
    value = ctx.get(key)
    return str(value.get("id") or "") if isinstance(value, Mapping) else ""
