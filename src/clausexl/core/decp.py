"""Markets of the territory in the DECP (données essentielles de la commande publique).

One record of a DECP file (format v2 of `format-commande-publique`, or the older v1 "paquet")
becomes a `Candidate` or a reason to leave it out. Nothing here reads a file: the stream
adapter hands over records one at a time and `Tally` keeps only the territory's markets, so
memory does not grow with the national file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from .hours import computed_target
from .text import fold

SOCIAL = ("Clause sociale", "Critère social", "Marché réservé")
NO_SOCIAL = "Pas de considération sociale"
DEFAULT_THRESHOLD = Decimal(90000)
MAX_EXAMPLES = 200  # malformed records listed one by one; beyond, only counted

# Kinds of candidates.
A_SUIVRE = "a_suivre"      # social consideration, not followed by the workbook yet
DEJA_SUIVI = "deja_suivi"  # social consideration, already in T_Marches
SANS_CLAUSE = "sans_clause"  # no social consideration, amount at or above the threshold
# DEJA_SUIVI covers followed markets whatever the DECP says of their social consideration.


@dataclass(frozen=True)
class Territory:
    """What makes a record "ours", and what the workbook already knows (built from its tables)."""

    buyers: Mapping[str, str]                 # buyer SIRET → T_DonneursOrdre ID
    departements: frozenset[str]              # place-of-execution départements given as an option
    references: frozenset[str]                # Référence DECP of T_Marches, folded
    objects: frozenset[tuple[str, str]]       # (Donneur d'ordre ID, folded Objet) of T_Marches
    companies: Mapping[str, tuple[str, str]]  # SIRET → (T_Entreprises ID, Raison sociale)
    params: Mapping[str, Any]
    threshold: Decimal = DEFAULT_THRESHOLD
    since: dt.date | None = None


@dataclass(frozen=True)
class Candidate:
    """A market of the territory as the DECP describes it, with what the workbook knows of it."""

    uid: str
    id: str
    acheteur: str | None
    donneur_ordre: str | None
    objet: str
    nature: str | None
    type_marche: str
    code_cpv: str | None
    procedure: str | None
    montant: Decimal
    date_notification: dt.date | None
    duree_mois: int | None
    lieu: str | None
    departement: str | None
    considerations: tuple[str, ...]
    titulaires: tuple[str, ...]
    entreprises: tuple[str, ...]
    kind: str
    suivi_par: str | None
    heures_possibles: float | None


@dataclass
class Tally:
    """Counts of the whole stream and the territory's candidates (the only records kept)."""

    records: int = 0
    concessions: int = 0
    hors_territoire: int = 0
    avant_date: int = 0
    doublons: int = 0
    sous_seuil: int = 0
    malformed: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str | None, str]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def add(self, index: int, record: Any, territory: Territory) -> None:
        """Classify one record and count it."""
        self.records += 1
        try:
            outcome = classify(record, territory)
        except Malformed as err:
            self.malformed[err.reason] += 1
            if len(self.examples) < MAX_EXAMPLES:
                self.examples.append((index, err.record_id, err.reason))
            return
        if outcome is None or isinstance(outcome, str):
            attr = {CONCESSION: "concessions", OUTSIDE: "hors_territoire", BEFORE: "avant_date",
                    BELOW: "sous_seuil"}[outcome]
            setattr(self, attr, getattr(self, attr) + 1)
            return
        if outcome.uid in self._seen:
            self.doublons += 1
            return
        self._seen.add(outcome.uid)
        self.candidates.append(outcome)

    def of_kind(self, kind: str) -> list[Candidate]:
        """Candidates of one kind, works first then by decreasing amount."""
        chosen = [c for c in self.candidates if c.kind == kind]
        return sorted(chosen, key=lambda c: (c.type_marche != "Travaux", -c.montant, c.uid))


class Malformed(ValueError):
    """A record of the territory that cannot be read: reported and skipped, the rest is read."""

    def __init__(self, reason: str, record_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record_id = record_id


CONCESSION, OUTSIDE, BEFORE, BELOW = "concession", "hors_territoire", "avant_date", "sous_seuil"


def classify(record: Any, t: Territory) -> Candidate | str:
    """A candidate of the territory, or why the record is left out (a constant above)."""
    if not isinstance(record, Mapping):
        raise Malformed("enregistrement qui n'est pas un objet JSON")
    if is_concession(record):
        return CONCESSION
    acheteur = _buyer_siret(record)
    lieu, type_code = _place(record)
    departement = departement_of(lieu, type_code)
    donneur = t.buyers.get(acheteur) if acheteur else None
    if donneur is None and (departement is None or departement not in t.departements):
        return OUTSIDE
    rid = _text(record.get("id"))
    if not rid:
        raise Malformed("identifiant (id) manquant")
    objet = _text(record.get("objet"))
    if not objet:
        raise Malformed("objet manquant", rid)
    montant = amount_of(record.get("montant"), rid)
    notified = date_of(record.get("dateNotification"))
    if t.since is not None and notified is not None and notified < t.since:
        return BEFORE
    considerations = social_considerations(record.get("considerationsSociales"), rid)
    social = tuple(c for c in considerations if c in SOCIAL)
    uid = f"{acheteur or ''}{rid}"
    suivi_par = followed_by(rid, uid, donneur, objet, t)
    if suivi_par:
        kind = DEJA_SUIVI
    elif social:
        kind = A_SUIVRE
    elif montant >= t.threshold:
        kind = SANS_CLAUSE
    else:
        return BELOW
    titulaires = titulaire_sirets(record.get("titulaires"))
    cpv = _text(record.get("codeCPV"))
    hours = computed_target({"montant_ht": montant}, t.params)
    return Candidate(
        uid=uid, id=rid, acheteur=acheteur, donneur_ordre=donneur, objet=objet, nature=_text(record.get("nature")),
        type_marche=market_type(cpv, _text(record.get("ccag"))), code_cpv=cpv,
        procedure=_text(record.get("procedure")), montant=montant, date_notification=notified,
        duree_mois=_int(record.get("dureeMois")), lieu=lieu, departement=departement,
        considerations=social, titulaires=titulaires,
        entreprises=tuple(t.companies[s][0] for s in titulaires if s in t.companies),
        kind=kind, suivi_par=suivi_par, heures_possibles=hours,
    )


def is_concession(record: Mapping[str, Any]) -> bool:
    """Concession contracts (v1 mixes them with markets) have their own fields and nature."""
    nature = fold(_text(record.get("nature")) or "")
    return nature.startswith("concession") or "autoriteConcedante" in record or "concessionnaires" in record


def followed_by(rid: str, uid: str, donneur: str | None, objet: str, t: Territory) -> str | None:
    """How the workbook already follows the market: its Référence DECP, else buyer and object."""
    if fold(rid) in t.references or fold(uid) in t.references:
        return "Référence DECP"
    if donneur is not None and (donneur, fold(objet)) in t.objects:
        return "Donneur d'ordre et objet"
    return None


def departement_of(code: str | None, type_code: str | None) -> str | None:
    """The département of a place of execution (postal or INSEE code, or the département itself)."""
    if not code:
        return None
    code = code.strip().upper()
    kind = fold(type_code or "")
    if "departement" in kind:
        return code.zfill(2) if code.isdigit() and len(code) < 2 else code
    if "region" in kind or "pays" in kind:
        return None
    if len(code) != 5:
        return None
    if code.startswith(("2A", "2B")):
        return code[:2]
    if not code.isdigit():
        return None
    if code.startswith(("97", "98")):
        return code[:3]
    if code.startswith("20") and "postal" in kind:
        return "2A" if code < "20200" else "2B"
    return code[:2]


def market_type(cpv: str | None, ccag: str | None) -> str:
    """Type de marché from the CCAG, else the CPV division (45 works, below 45 and 48 supplies)."""
    c = fold(ccag or "")
    if c == "travaux":
        return "Travaux"
    if "prestations intellectuelles" in c or "maitrise d'oeuvre" in c:
        return "Prestations intellectuelles"
    division = (cpv or "")[:2]
    if division.isdigit():
        if division == "45":
            return "Travaux"
        if int(division) < 45 or division == "48":
            return "Fournitures"
        if division == "71":
            return "Prestations intellectuelles"
    return "Services"


def amount_of(value: Any, rid: str | None = None) -> Decimal:
    """The amount as Decimal; accepts numbers and numeric text with a French comma."""
    if isinstance(value, bool) or value is None:
        raise Malformed("montant manquant", rid)
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            amount = Decimal(value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise Malformed(f"montant illisible « {value} »", rid) from None
    else:
        raise Malformed("montant illisible", rid)
    if not amount.is_finite() or amount < 0:
        raise Malformed(f"montant illisible « {value} »", rid)
    if amount.adjusted() >= 15:  # 10^15 € or more: no public market, a typing or export error
        raise Malformed(f"montant démesuré « {str(value)[:30]} »", rid)
    return amount


def social_considerations(value: Any, rid: str | None = None) -> tuple[str, ...]:
    """The list of social considerations: a list, one string, or the XML-shaped `{"considerationSociale": …}`."""
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = value.get("considerationSociale", ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise Malformed("considérations sociales illisibles", rid)
    canonical = {fold(s): s for s in (*SOCIAL, NO_SOCIAL)}
    return tuple(canonical.get(fold(v), v.strip()) for v in value)


def titulaire_sirets(value: Any) -> tuple[str, ...]:
    """SIRET of the awardees (v2 list of objects, or `[{"titulaire": {...}}]`); other identifiers left out."""
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for item in value:
        if isinstance(item, Mapping) and isinstance(item.get("titulaire"), Mapping):
            item = item["titulaire"]
        if not isinstance(item, Mapping):
            continue
        kind = fold(_text(item.get("typeIdentifiant")) or "siret")
        siret = _siret(_text(item.get("id"))) or ""
        if kind == "siret" and len(siret) == 14 and siret.isdigit() and siret not in out:
            out.append(siret)
    return tuple(out)


def date_of(value: Any) -> dt.date | None:
    """`AAAA-MM-JJ` (possibly followed by a time or an offset); anything else is no date."""
    text = _text(value)
    if not text or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def build_territory(donneurs: pd.DataFrame, marches: pd.DataFrame, entreprises: pd.DataFrame,
                    params: Mapping[str, Any], departements: Iterable[str] = (),
                    threshold: Decimal = DEFAULT_THRESHOLD, since: dt.date | None = None) -> Territory:
    """The territory and what the workbook follows, from the usable rows of three tables."""
    buyers = {siret: i for s, i in zip(donneurs["siret"], donneurs["id"]) if (siret := _siret(s))}
    refs = frozenset(fold(r) for r in marches["reference_decp"] if isinstance(r, str) and r.strip())
    objects = frozenset((d, fold(o)) for d, o in zip(marches["donneur_ordre"], marches["objet"])
                        if isinstance(d, str) and isinstance(o, str))
    companies = {siret: (i, n) for s, i, n in zip(entreprises["siret"], entreprises["id"],
                                                  entreprises["raison_sociale"]) if (siret := _siret(s))}
    depts = frozenset(normalise_departement(d) for d in departements)
    return Territory(buyers, depts, refs, objects, companies, dict(params), threshold, since)


def normalise_departement(code: str) -> str:
    """A département as the option gives it: `5` → `05`, `2a` → `2A`, `50` and `974` as they are."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def _siret(value: Any) -> str | None:
    """A SIRET as typed (spaces allowed) → 14 characters, or None."""
    if not isinstance(value, str):
        return None
    return "".join(value.split()) or None


def _buyer_siret(record: Mapping[str, Any]) -> str | None:
    buyer = record.get("acheteur")
    if isinstance(buyer, Mapping):
        return _siret(_text(buyer.get("id")))
    return None


def _place(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    place = record.get("lieuExecution")
    if not isinstance(place, Mapping):
        return None, None
    return _text(place.get("code")), _text(place.get("typeCode"))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (Mapping, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    """A whole number of reasonable size (a duration in months), else None: 1E+999999 is not converted."""
    if isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() > 6):
        return None
    try:
        number = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number is None or abs(number) < 10**7 else None
