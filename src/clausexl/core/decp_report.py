"""What a DECP reading gives the facilitator: a diagnostic per buyer, and spotted markets as rows for T_Marches.

Both are built from the territory's candidates (`core.decp`) only; nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import l2112, schema
from .decp import DEJA_SUIVI, SOCIAL, Candidate
from .values import agreed

# --- Diagnostic per buyer -----------------------------------------------------------------------


@dataclass
class BuyerDiagnostic:
    """One buyer's markets over the period, as the facilitator shows them in a meeting."""

    nom: str
    siret: str | None
    donneur_ordre: str | None
    categorie: str
    marches: int = 0
    montant: Decimal = Decimal(0)
    avec_consideration: int = 0
    par_type: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOCIAL, 0))
    suivis: int = 0
    sans_consideration: int = 0
    sans_au_dessus_seuil: int = 0
    alertes_l2112: int = 0
    heures_possibles: float = 0.0

    @property
    def part(self) -> float | None:
        """Share of markets with a social consideration (None without any market)."""
        return self.avec_consideration / self.marches if self.marches else None

    def ecart(self, reference: l2112.NationalReference) -> float | None:
        """Share minus the national reference, in points of percentage (as a fraction)."""
        return None if self.part is None else self.part - reference.share

    def add(self, c: Candidate) -> None:
        self.marches += 1
        self.montant += c.montant
        social = bool(c.considerations) or c.kind == DEJA_SUIVI
        if c.kind == DEJA_SUIVI:
            self.suivis += 1
        for kind in c.considerations:
            self.par_type[kind] += 1
        if social:
            self.avec_consideration += 1
            return
        self.sans_consideration += 1
        self.heures_possibles += c.heures_possibles or 0.0
        if c.montant >= c.seuil_europeen:
            self.sans_au_dessus_seuil += 1
        if c.alerte_l2112:
            self.alertes_l2112 += 1


def diagnostic(candidates: Iterable[Candidate], workbook_buyers: Sequence[Mapping[str, Any]]) -> list[BuyerDiagnostic]:
    """One line per buyer of the territory found in the DECP and per buyer of the workbook (even without
    market): buyers with markets first (the workbook's first, then by decreasing number of markets), then
    the workbook's buyers without any, so that the lines a chart shows come first.

    A market counts « with a social consideration » when the DECP declares one or the workbook follows it
    (T_Marches holds markets that carry a clause: the open data often leaves the field empty).
    """
    by_key: dict[str, BuyerDiagnostic] = {}
    for b in workbook_buyers:
        siret = "".join(b["siret"].split()) if isinstance(b.get("siret"), str) else None
        by_key[siret or f"id:{b['id']}"] = BuyerDiagnostic(
            b.get("nom") or b["id"], siret or None, b["id"], l2112.category_of(b.get("categorie"), None, siret))
    for c in candidates:
        key = c.acheteur or (f"id:{c.donneur_ordre}" if c.donneur_ordre else "inconnu")
        line = by_key.get(key)
        if line is None:
            line = by_key[key] = BuyerDiagnostic(c.acheteur_nom or c.acheteur or "Acheteur sans SIRET", c.acheteur,
                                                 c.donneur_ordre, c.categorie)
        line.add(c)
    return sorted(by_key.values(), key=lambda d: (d.marches == 0, d.donneur_ordre is None, -d.marches, d.nom))


def total(lines: Sequence[BuyerDiagnostic]) -> BuyerDiagnostic:
    """The territory's line: every count added, the share recomputed from the counts."""
    out = BuyerDiagnostic("Total du territoire", None, None, "")
    for d in lines:
        out.marches += d.marches
        out.montant += d.montant
        out.avec_consideration += d.avec_consideration
        out.suivis += d.suivis
        out.sans_consideration += d.sans_consideration
        out.sans_au_dessus_seuil += d.sans_au_dessus_seuil
        out.alertes_l2112 += d.alertes_l2112
        out.heures_possibles += d.heures_possibles
        for kind, n in d.par_type.items():
            out.par_type[kind] += n
    return out


# --- Spotted markets as rows of T_Marches --------------------------------------------------------

#: DECP social consideration → Dispositif of T_Marches (a reserved market is taken as SIAE: check it).
DISPOSITIF_OF = {
    "Clause sociale": schema.CONDITION_EXECUTION,
    "Critère social": schema.CRITERE_ATTRIBUTION,
    "Marché réservé": schema.RESERVE_SIAE,
}
#: SIREN's first two digits (public legal categories) → Catégorie, when the DECP names none.
SIREN_CATEGORY = {"21": "Commune", "22": "Département", "23": "Région", "24": "EPCI"}


@dataclass(frozen=True)
class ImportRows:
    """Rows ready to append: markets for T_Marches and the buyers to create in T_DonneursOrdre first.

    Each row is a dict keyed by the schema's column keys (`schema.MARCHES.keys`), values typed (dates
    as `datetime.date`, amounts as float); `headers()` gives the sheet's headers in the same order.
    """

    marches: list[dict[str, Any]]
    donneurs: list[dict[str, Any]]
    #: References of chosen markets left out because the workbook already follows them
    deja_suivis: tuple[str, ...] = ()
    #: The workbook's rows in error left out of the territory (`exclusion.LeftOutRow`), to say so
    left_out: tuple[Any, ...] = ()

    @staticmethod
    def headers(table: str) -> tuple[str, ...]:
        return tuple(c.header for c in schema.table(table).columns)


def import_rows(candidates: Iterable[Candidate], market_ids: Collection[str], buyer_ids: Collection[str]) -> ImportRows:
    """T_Marches rows for `candidates` (IDs proposed after the workbook's), buyers matched by SIRET or created.

    `market_ids` and `buyer_ids` are the IDs already in the workbook (every row, usable or not), so that
    no proposed ID collides. A market with a social consideration and a known awardee is « En cours »;
    any other « En préparation » (its Dispositif or Attributaire to complete), never a guess. A market the
    workbook already follows gives no row (its reference is in `deja_suivis`).
    """
    taken_m, taken_d = set(market_ids), set(buyer_ids)
    prefix, width = _buyer_id_pattern(buyer_ids)
    created: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    followed: list[str] = []
    for c in candidates:
        if c.kind == DEJA_SUIVI:  # already a row of T_Marches: never a second one
            followed.append(c.uid)
            continue
        buyer = c.donneur_ordre
        if buyer is None:
            key = c.acheteur or c.acheteur_nom or c.uid
            if key not in created:
                new_id = _next_id(taken_d, prefix, width)
                created[key] = {
                    "id": new_id, "nom": c.acheteur_nom or f"Acheteur {c.acheteur or ''}".strip(),
                    "categorie": _workbook_category(c), "siret": c.acheteur,
                }
            buyer = created[key]["id"]
        year = c.date_notification.year if c.date_notification else None
        market_id = _next_id(taken_m, f"M{year}-" if year else "M", 3)
        start = c.date_notification
        end = _add_months(start, c.duree_mois) if start and c.duree_mois else None
        awardee = c.entreprises[0] if c.entreprises else None
        dispositif = DISPOSITIF_OF.get(c.considerations[0]) if c.considerations else None
        statut = "En cours" if dispositif and awardee and end else "En préparation"
        row: dict[str, Any] = dict.fromkeys(schema.MARCHES.keys)
        row.update({
            "id": market_id, "donneur_ordre": buyer, "objet": c.objet, "type_marche": c.type_marche,
            "dispositif": dispositif, "code_cpv": c.code_cpv, "montant_ht": float(c.montant),
            "date_notification": start, "date_debut": start, "date_fin": end, "attributaire": awardee,
            "statut": statut, "reference_decp": c.uid,
            "commentaire": _comment(c),
        })
        rows.append(row)
    return ImportRows(rows, list(created.values()), tuple(followed))


def _comment(c: Candidate) -> str:
    parts = [f"Repéré dans la DECP ({', '.join(c.considerations) or 'sans considération sociale'})"]
    if c.alerte_l2112:
        parts.append(l2112.WARNING)
    if c.titulaires and not c.entreprises:
        holders = len(c.titulaires)
        parts.append(f"{agreed(holders, 'titulaire')} SIRET {', '.join(c.titulaires)} "
                     f"{agreed(holders, 'absent')} de la feuille Entreprises")
    return " ; ".join(parts)


def _workbook_category(c: Candidate) -> str:
    """Catégorie of a buyer to create: from its SIREN's legal category, else the threshold category."""
    if c.acheteur and c.acheteur[:2] in SIREN_CATEGORY:
        return SIREN_CATEGORY[c.acheteur[:2]]
    if c.categorie == l2112.ETAT:
        return "État ou établissement public"
    return "Autre"


def _buyer_id_pattern(ids: Collection[str]) -> tuple[str, int]:
    """The workbook's buyer ID pattern (letters then digits, e.g. DO03 → (DO, 2)); DO and 2 by default."""
    found = [m.groups() for i in ids if isinstance(i, str) and (m := re.fullmatch(r"([A-Za-z]+)(\d+)", i))]
    if not found:
        return "DO", 2
    prefixes = [p for p, _ in found]
    prefix = max(set(prefixes), key=prefixes.count)
    return prefix, max(len(d) for p, d in found if p == prefix)


def _next_id(taken: set[str], prefix: str, width: int) -> str:
    """The first `prefix` + number above every number already taken with that prefix (then reserved)."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)", re.IGNORECASE)
    numbers = [int(m.group(1)) for t in taken if isinstance(t, str) and (m := pattern.fullmatch(t.strip()))]
    new = f"{prefix}{max(numbers, default=0) + 1:0{width}d}"
    taken.add(new)
    return new


def _add_months(day: dt.date, months: int) -> dt.date:
    """The day before the same day `months` later (a 12-month market from 1 March ends on 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d) - dt.timedelta(days=1)
        except ValueError:
            continue
    raise AssertionError("unreachable")
