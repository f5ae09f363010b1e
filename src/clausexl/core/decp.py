"""Markets of the territory in the DECP (données essentielles de la commande publique).

One record of a DECP file (format v2 of `format-commande-publique`, or the older v1 "paquet")
becomes a `Candidate` or a reason to leave it out. Nothing here reads a file: the stream
adapter hands over records one at a time and `Tally` keeps only the territory's markets, so
memory does not grow with the national file.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import pandas as pd

from . import l2112, validation
from .classeur import Classeur
from .departements import normalise_departement
from .hours import computed_target, to_decimal
from .text import fold
from .values import attention

SOCIAL = ("Clause sociale", "Critère social", "Marché réservé")
NO_SOCIAL = "Pas de considération sociale"
#: Values of the consolidated files that mean « no social consideration » or « not given ».
NONE_VALUES = frozenset({"sans objet"})
EMPTY_VALUES = frozenset({"nc", "cdl"})
NOT_GIVEN = ("NC", "CDL")  # a text value that is one of these is none (`text_of`)
MAX_AMOUNT = Decimal(10) ** 11  # above, the amount is a typing error (« montant aberrant »)
#: Parameters the hours formula reads (`hours.target_of`).
HOUR_PARAMETERS = frozenset({"part_main_oeuvre", "taux_insertion", "cout_horaire", "arrondi"})
MAX_EXAMPLES = 200  # malformed records listed one by one; beyond, only counted
NO_ID, NO_OBJECT = "identifiant (id) manquant", "objet manquant"  # reasons of `Malformed`

# Kinds of candidates.
A_SUIVRE = "a_suivre"      # social consideration, not followed by the workbook yet
DEJA_SUIVI = "deja_suivi"  # already in T_Marches, whatever the DECP says of its social consideration
SANS_CLAUSE = "sans_clause"  # no social consideration, at or above the threshold (or L2112-2-1 probable)
SOUS_SEUIL = "sous_seuil"  # no social consideration, below the threshold: kept for the per-buyer diagnostic


@dataclass(frozen=True)
class Territory:
    """What makes a record "ours", and what the workbook already knows (built from its tables)."""

    buyers: Mapping[str, str]                 # buyer SIRET → T_DonneursOrdre ID
    departements: frozenset[str]              # place-of-execution départements given as an option
    references: frozenset[str]                # Référence DECP of T_Marches, folded
    objects: frozenset[tuple[str, str]]       # (Donneur d'ordre ID, folded Objet) of T_Marches
    companies: Mapping[str, tuple[str, str]]  # SIRET → (T_Entreprises ID, Raison sociale)
    params: Mapping[str, Any]
    threshold: Decimal | None = None          # --seuil: one amount instead of the L2112-2-1 table
    since: dt.date | None = None
    communes: frozenset[str] = frozenset()    # postal codes of T_Territoire
    categories: Mapping[str, str] = field(default_factory=dict)  # T_DonneursOrdre ID → Catégorie
    until: dt.date | None = None
    #: the parameters of the hours formula as Decimals, converted once (`computed_target` accepts either)
    hour_params: Mapping[str, Any] = field(default_factory=dict)



class Candidate(NamedTuple):
    """A market of the territory as the DECP describes it, with what the workbook knows of it.

    A named tuple rather than a frozen dataclass: a large département has tens of thousands of markets,
    and a frozen dataclass of this width takes ten times as long to build."""

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
    acheteur_nom: str | None = None
    categorie: str = l2112.COLLECTIVITE
    seuil_europeen: Decimal = Decimal(0)
    alerte_l2112: bool = False  # probably concerned by L2112-2-1 and without social consideration


# Alike adapters/package_clean.Cleaned in shape only: counters that start at zero.
@dataclass
class Tally:
    """Counts of the whole stream and the territory's candidates (the only records kept)."""

    records: int = 0
    concessions: int = 0
    hors_territoire: int = 0
    avant_date: int = 0
    apres_date: int = 0
    doublons: int = 0
    sous_seuil: int = 0
    malformed: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str | None, str]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    merged_rows: int = 0  # consolidated files: rows of a market beyond its first (holders, modifications)
    interrupted: str | None = None  # why the file stopped early (truncated JSON): what was read is kept
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
        if outcome is OUTSIDE:  # most records of a national file: counted at once
            self.hors_territoire += 1
            return
        if isinstance(outcome, str):
            attr = _COUNTERS[outcome]
            setattr(self, attr, getattr(self, attr) + 1)
            return
        if outcome.uid in self._seen:
            self.doublons += 1
            return
        self._seen.add(outcome.uid)
        if outcome.kind == SOUS_SEUIL:
            self.sous_seuil += 1
        self.candidates.append(outcome)

    def add_all(self, records: Iterable[tuple[int, Any]], territory: Territory) -> None:
        """`add` each (position, record), the common record of another territory counted inline.

        A national file is 99 % other territories' markets: for a record as published (a buyer SIRET of 14
        digits, a 5-digit place code outside Corsica and overseas), the test `classify` starts with is made
        here without a call; any other record goes through `add`. Counts are kept if the stream breaks."""
        buyers, departements, communes = territory.buyers, territory.departements, territory.communes
        add = self.add
        outside = 0
        try:
            for index, record in records:
                if type(record) is dict and "autoriteConcedante" not in record and "concessionnaires" not in record:
                    buyer, place = record.get("acheteur"), record.get("lieuExecution")
                    if type(buyer) is dict and type(place) is dict:
                        siret, code = buyer.get("id"), place.get("code")
                        if (type(siret) is str and len(siret) == 14 and siret.isdigit() and siret not in buyers
                                and type(code) is str and len(code) == 5 and code.isdigit()
                                and code[:2] not in ("20", "97", "98") and code[:2] not in departements
                                and code not in communes):
                            own = buyer.get("departement")
                            if type(own) is not str or own not in departements:
                                outside += 1
                                continue
                add(index, record, territory)
        finally:
            self.records += outside
            self.hors_territoire += outside

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


CONCESSION, OUTSIDE, BEFORE, AFTER = "concession", "hors_territoire", "avant_date", "apres_date"
_COUNTERS = {CONCESSION: "concessions", OUTSIDE: "hors_territoire", BEFORE: "avant_date", AFTER: "apres_date"}


def classify(record: Any, t: Territory) -> Candidate | str:
    """A candidate of the territory, or why the record is left out (a constant above).

    The territory is tested first, on the buyer's SIRET and the place's code as they come: a national
    file is mostly other territories' markets, and no text of theirs is normalised.
    """
    if type(record) is not dict and not isinstance(record, Mapping):
        raise Malformed("enregistrement qui n'est pas un objet JSON")
    if "autoriteConcedante" in record or "concessionnaires" in record:
        return CONCESSION
    buyer = record.get("acheteur")
    value = buyer.get("id") if type(buyer) is dict else None
    # the common case, as published: a SIRET of 14 digits (else read as typed, spaces allowed)
    acheteur = value if type(value) is str and len(value) == 14 and value.isdigit() else _buyer_siret(buyer)
    place = record.get("lieuExecution")
    code = place.get("code") if type(place) is dict else None
    lieu: str | None
    departement: str | None
    if type(code) is str and len(code) == 5 and code.isdigit() and code[:2] not in ("20", "97", "98"):
        lieu, departement = code, code[:2]  # the common case, without normalising any text
    else:
        lieu, type_code = _place(record)
        departement = departement_of(lieu, type_code)
    donneur = t.buyers.get(acheteur) if acheteur else None
    if donneur is None and departement not in t.departements and lieu not in t.communes:
        buyer_dept = buyer.get("departement") if type(buyer) is dict else None
        if type(buyer_dept) is not str or buyer_dept not in t.departements:
            return OUTSIDE
    if type(buyer) is not dict:
        buyer = buyer if isinstance(buyer, Mapping) else {}
    buyer_dept = text_of(buyer.get("departement"))
    nature = text_of(record.get("nature"))
    if is_concession(nature):
        return CONCESSION
    rid = text_of(record.get("id"))
    if not rid:
        raise Malformed(NO_ID)
    objet = text_of(record.get("objet"))
    if not objet:
        raise Malformed(NO_OBJECT, rid)
    montant = amount_of(record.get("montant"), rid)
    notified = date_of(record.get("dateNotification"))
    if t.since is not None and notified is not None and notified < t.since:
        return BEFORE
    if t.until is not None and notified is not None and notified > t.until:
        return AFTER
    social = tuple(c for c in social_considerations(record.get("considerationsSociales"), rid) if c in SOCIAL)
    uid = text_of(record.get("uid")) or f"{acheteur or ''}{rid}"
    cpv = text_of(record.get("codeCPV"))
    type_marche = market_type(cpv, text_of(record.get("ccag")))
    categorie = l2112.category_of(t.categories.get(donneur) if donneur else None,
                                  text_of(buyer.get("categorie")), acheteur)
    legal = l2112.threshold(notified, categorie, type_marche)
    concerned = not social and l2112.probably_concerned(montant, notified, categorie, type_marche)
    suivi_par = followed_by(rid, uid, donneur, objet, t)
    if suivi_par:
        kind = DEJA_SUIVI
    elif social:
        kind = A_SUIVRE
    elif concerned or montant >= (legal if t.threshold is None else t.threshold):
        kind = SANS_CLAUSE
    else:
        kind = SOUS_SEUIL
    titulaires = titulaire_sirets(record.get("titulaires"))
    hours = computed_target({"montant_ht": montant}, t.hour_params or t.params)
    return Candidate(
        uid=uid, id=rid, acheteur=acheteur, donneur_ordre=donneur, objet=objet, nature=nature,
        type_marche=type_marche, code_cpv=cpv,
        procedure=text_of(record.get("procedure")), montant=montant, date_notification=notified,
        duree_mois=int_of(record.get("dureeMois")), lieu=lieu, departement=departement or buyer_dept,
        considerations=social, titulaires=titulaires,
        entreprises=tuple(t.companies[s][0] for s in titulaires if s in t.companies),
        kind=kind, suivi_par=suivi_par, heures_possibles=hours,
        acheteur_nom=text_of(buyer.get("nom")),
        categorie=categorie, seuil_europeen=legal, alerte_l2112=concerned,
    )


def is_concession(nature: str | None) -> bool:
    """A concession by its nature (« Concession de travaux », « Concession de service »…)."""
    return nature is not None and _fold_value(nature).startswith("concession")


def followed_by(rid: str, uid: str, donneur: str | None, objet: str, t: Territory) -> str | None:
    """How the workbook already follows the market: its Référence DECP, else buyer and object."""
    if t.references and (fold(rid) in t.references or fold(uid) in t.references):
        return "Référence DECP"
    if donneur is not None and t.objects and (donneur, fold(objet)) in t.objects:
        return "Donneur d'ordre et objet"
    return None


def departement_of(code: str | None, type_code: str | None) -> str | None:
    """The département of a place of execution (postal or INSEE code, or the département itself)."""
    if not code:
        return None
    if len(code) == 5 and code.isdigit() and code[:2] not in ("20", "97", "98"):
        return code[:2]  # the common case, without normalising any text
    code = code.strip().upper()
    kind = _fold_value(type_code or "")
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
    c = _fold_value(ccag or "")
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
    if not amount.is_finite():
        raise Malformed(f"montant illisible « {str(value)[:30]} »", rid)
    if amount < 0 or amount >= MAX_AMOUNT:
        raise Malformed("montant aberrant (négatif ou d'au moins 100 milliards d'euros)", rid)
    return amount


def social_considerations(value: Any, rid: str | None = None) -> tuple[str, ...]:
    """The social considerations, in any of their three encodings: a list, the XML-shaped
    `{"considerationSociale": […]}`, or one text joined with « , » (consolidated files, where
    « Sans objet » means none and « NC » or « CDL » mean not given)."""
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = value.get("considerationSociale", ())
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise Malformed("considérations sociales illisibles", rid)
    out: list[str] = []
    for v in value:
        key = _fold_value(v)
        if not key or key in EMPTY_VALUES or key in NONE_VALUES:
            continue
        out.append(_CANONICAL.get(key, v.strip()))
    return tuple(out)


_CANONICAL = {fold(s): s for s in (*SOCIAL, NO_SOCIAL)}
#: `fold` of values drawn from short lists (nature, CCAG, kinds of code or identifier, considerations),
#: which repeat on every record: each distinct spelling folded once.
_fold_value = functools.lru_cache(maxsize=4096)(fold)


def titulaire_sirets(value: Any) -> tuple[str, ...]:
    """SIRET of the awardees (v2 list of objects, or `[{"titulaire": {...}}]`); other identifiers left out."""
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for item in value:
        if type(item) is not dict:
            if isinstance(item, Mapping):
                item = dict(item)
            else:
                continue
        if isinstance(item.get("titulaire"), Mapping):
            item = dict(item["titulaire"])
        siret = holder_siret(item.get("id"), item.get("typeIdentifiant"))
        if siret is not None and siret not in out:
            out.append(siret)
    return tuple(out)


def holder_siret(value: Any, kind: Any) -> str | None:
    """An awardee's SIRET (14 digits, spaces allowed), or None: another kind of identifier, or none."""
    siret = _siret(text_of(value)) or ""
    if _fold_value(text_of(kind) or "siret") == "siret" and len(siret) == 14 and siret.isdigit():
        return siret
    return None


def date_of(value: Any) -> dt.date | None:
    """`AAAA-MM-JJ` (possibly followed by a time or an offset); anything else is no date."""
    text = text_of(value)
    if not text or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def build_territory(donneurs: pd.DataFrame, marches: pd.DataFrame, entreprises: pd.DataFrame,
                    params: Mapping[str, Any], departements: Iterable[str] = (),
                    threshold: Decimal | None = None, since: dt.date | None = None,
                    communes: Iterable[str] = (), until: dt.date | None = None) -> Territory:
    """The territory and what the workbook follows, from the usable rows of three tables."""
    buyers = {siret: i for s, i in zip(donneurs["siret"], donneurs["id"]) if (siret := _siret(s))}
    categories = {i: c for i, c in zip(donneurs["id"], donneurs["categorie"]) if isinstance(c, str)}
    refs = frozenset(fold(r) for r in marches["reference_decp"] if isinstance(r, str) and r.strip())
    objects = frozenset((d, fold(o)) for d, o in zip(marches["donneur_ordre"], marches["objet"])
                        if isinstance(d, str) and isinstance(o, str))
    companies = {siret: (i, n) for s, i, n in zip(entreprises["siret"], entreprises["id"],
                                                  entreprises["raison_sociale"]) if (siret := _siret(s))}
    depts = frozenset(normalise_departement(d) for d in departements)
    postal = frozenset(p for p in (_siret(str(c)) if c is not None else None for c in communes) if p)
    hour_params = {k: to_decimal(v) if k in HOUR_PARAMETERS else v for k, v in params.items()}
    return Territory(buyers, depts, refs, objects, companies, dict(params), threshold, since, postal,
                     categories, until, hour_params)


#: The workbook's values a DECP file is matched on, and what a mistyped one misses (table → markets).
MATCHED_ON = {
    "T_DonneursOrdre": ("les marchés de ce donneur d'ordre", "les marchés de ces donneurs d'ordre"),
    "T_Entreprises": ("les marchés de cette entreprise", "les marchés de ces entreprises"),
    "T_Territoire": ("les marchés exécutés dans cette commune", "les marchés exécutés dans ces communes"),
}


def matching_alerts(c: Classeur) -> list[str]:
    """The SIRETs and postal codes the territory is matched on that `valider` calls invalid, one sentence
    per sheet and column. Their rows are kept (the DECP may carry the very same typing, and a buyer
    without markets would vanish from the diagnostic), but a mistyped value finds nothing: it is said."""
    sheets = {c.sheet(name): name for name in MATCHED_ON if name in c.tables}
    rows: dict[tuple[str, str, str], list[int]] = {}
    for f in (*validation.sirets(c), *validation.postal_codes(c)):
        if f.sheet in sheets and f.row is not None and f.column is not None:
            rows.setdefault((f.sheet, f.column, f.code), []).append(f.row)
    alerts = []
    for (sheet, column, code), lines in rows.items():
        many = len(lines) > 1
        what = column if column.isupper() else column.lower()  # « SIRET », « code postal »
        if many:
            values = "codes postaux" if what == "code postal" else what
            said = (f"les {values} des lignes {', '.join(map(str, lines[:-1]))} et {lines[-1]} sont invalides : "
                    "mal saisis, ils ne retrouvent pas")
        else:
            said = f"le {what} de la ligne {lines[0]} est invalide : mal saisi, il ne retrouve pas"
        alerts.append(attention(
            f"dans la feuille {sheet}, {said} {MATCHED_ON[sheets[sheet]][many]} dans la DECP ; "
            f"vérifiez-{'les' if many else 'le'} (clausexl valider : {code})."))
    return alerts


def _siret(value: Any) -> str | None:
    """A SIRET as typed (spaces allowed) → 14 characters, or None."""
    if not isinstance(value, str):
        return None
    return "".join(value.split()) or None


def _buyer_siret(buyer: Any) -> str | None:
    if type(buyer) is not dict and not isinstance(buyer, Mapping):
        return None
    return buyer_siret(buyer.get("id"))


def buyer_siret(value: Any) -> str | None:
    """The buyer's SIRET as given (spaces removed), or None."""
    if type(value) is str and len(value) == 14 and value.isdigit():
        return value  # the common case, as published
    return _siret(text_of(value))


def _place(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    place = record.get("lieuExecution")
    if not isinstance(place, Mapping):
        return None, None
    return text_of(place.get("code")), text_of(place.get("typeCode"))


def text_of(value: Any) -> str | None:
    """A text value stripped; empty, « NC » (not given) and « CDL » are None."""
    if type(value) is str:  # the usual value: no ABC check
        value = value.strip()
        return value if value and value not in NOT_GIVEN else None
    if value is None or isinstance(value, (Mapping, list, bool)):
        return None
    text = str(value).strip()
    return text if text and text not in NOT_GIVEN else None


def int_of(value: Any) -> int | None:
    """A whole number of reasonable size (a duration in months), else None: 1E+999999 is not converted."""
    if isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() > 6):
        return None
    try:
        number = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number is None or abs(number) < 10**7 else None
