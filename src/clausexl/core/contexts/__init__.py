"""What each document says, as plain data: the contexts the templates are rendered with.

Values that a person reads in a French way (amounts, hours, rates, dates) are wrapped in the small
types below, each tied to its kind of core/values.py; the template adapter writes their text just
before rendering, so the templates receive ready-to-print text that reads as in every other output.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import pandas as pd

from .. import schema
from ..hours import HOURS_PER_WEEK
from ..values import AMOUNT, DATE, HOURS, MONTH, RATE, SHARE, TEXT, WEEKS, ValueKind


@dataclass(frozen=True)
class DocSpec:
    """One document to make: its template, the pieces of its file name, its context."""

    template: str
    name: tuple[str, ...]
    context: dict[str, Any]


@dataclass(frozen=True)
class Shown:
    """A value a document prints; the template adapter writes `kind.text(valeur)` (core/values.py)."""

    valeur: Any
    kind: ClassVar[ValueKind] = TEXT


# One small class per kind rather than Shown(kind, value) everywhere, so that a context reads
# `Heures(834)`; their alike shape is on purpose (the duplicates tool lists it).
class Montant(Shown):
    """An amount in euros: `1 000 000,00 €`."""

    kind = AMOUNT


class Heures(Shown):
    """A number of hours: `834 h`, `833,33 h`."""

    kind = HOURS


class Semaines(Shown):
    """Hours shown as weeks of 35 h: `23,8 semaines`."""

    kind = WEEKS


class Taux(Shown):
    """A share reached (rate of realisation), stored as a fraction: `45,2 %`, `100,0 %`."""

    kind = SHARE


class TauxSaisi(Shown):
    """A rate the facilitator typed (taux d'insertion, part de main-d'œuvre, pondération): `5 %`."""

    kind = RATE


class Jour(Shown):
    """A date: `12 mars 2019`, `1er juin 2018`."""

    kind = DATE


class Mois(Shown):
    """A month: `juin 2018`."""

    kind = MONTH


#: The legal article of each Dispositif (Code de la commande publique).
ARTICLES: dict[str, str] = {
    schema.CONDITION_EXECUTION: "L2112-2",
    schema.CRITERE_ATTRIBUTION: "L2152-7",
    schema.RESERVE_SIAE: "L2113-13",
    schema.RESERVE_EA_ESAT: "L2113-12",
    schema.MARCHE_INSERTION: "R2123-1",
}

#: The eligible publics, printed in clauses and offers (docs/documents.md, « Clause »).
PUBLICS_ELIGIBLES: tuple[str, ...] = (
    "demandeurs d'emploi de longue durée (plus de 12 mois d'inscription à France Travail)",
    "allocataires du RSA, de l'ASS ou de l'AAH",
    "personnes reconnues travailleurs handicapés (RQTH)",
    "jeunes de moins de 26 ans de niveau de qualification inférieur au CAP ou BEP",
    "personnes de 50 ans et plus",
    "salariés des structures d'insertion par l'activité économique (SIAE)",
    "habitants des quartiers prioritaires de la politique de la ville (QPV)",
)


def blank(value: Any) -> bool:
    """Empty cell: None, NaN, NaT or empty text."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text(value: Any) -> str:
    """A cell as text for a document ('' when empty)."""
    return "" if blank(value) else str(value)


def day(value: Any) -> Jour | None:
    return None if blank(value) else Jour(pd.Timestamp(value).date())


def amount(value: Any) -> Montant | None:
    return None if blank(value) else Montant(float(value))


def hours(value: Any) -> Heures:
    return Heures(0.0 if blank(value) else float(value))


def weeks(value: Any) -> Semaines:
    return Semaines(0.0 if blank(value) else float(value) / HOURS_PER_WEEK)


def rate(value: Any) -> TauxSaisi | None:
    return None if blank(value) else TauxSaisi(float(value))


FONCTION = "Facilitateur des clauses sociales"


def facilitateur(params: Mapping[str, Any]) -> dict[str, str]:
    """The facilitator's contact, printed on every document, with their title (`fonction`, and as it
    reads inside a sentence) and the place written before the date (parameter, else the commune of
    the structure's Adresse)."""
    fonction = text(params.get("fonction")) or FONCTION
    adresse = text(params.get("adresse"))
    return {
        "structure": text(params.get("structure")),
        "nom": text(params.get("facilitateur")),
        "fonction": fonction,
        "fonction_phrase": fonction[:1].lower() + fonction[1:],
        "soussigne": "soussignée" if fonction.lower().startswith("facilitatrice") else "soussigné",
        "telephone": text(params.get("telephone")),
        "courriel": text(params.get("courriel")),
        "adresse": adresse,
        # Inside a sentence or on one line of a form: « 3 rue du Port, 50430 Lessay » (typed on two lines).
        "adresse_ligne": ", ".join(line.strip() for line in adresse.splitlines() if line.strip()),
        "territoire": text(params.get("territoire")),
        "lieu": text(params.get("lieu")) or commune_of(adresse),
    }


#: The parameters the letterhead and the signature print, in the order of the Paramètres sheet: the key in
#: `facilitateur` → the parameter's key.
CONTACT_PARAMETERS = {"structure": "structure", "nom": "facilitateur", "telephone": "telephone",
                      "courriel": "courriel", "adresse": "adresse"}


def empty_contact_warning(facilitator: Mapping[str, Any]) -> str | None:
    """One French sentence naming the letterhead's and signature's parameters left empty, else None:
    the documents are made without them (a warning, not a refusal), the facilitator fills them before
    sending."""
    empty = [schema.PARAMETERS_BY_KEY[key].name for part, key in CONTACT_PARAMETERS.items()
             if not facilitator.get(part)]
    if not empty:
        return None
    names = ", ".join(f"« {n} »" for n in empty)
    which = "le paramètre" if len(empty) == 1 else "les paramètres"
    verb = "est vide" if len(empty) == 1 else "sont vides"
    return (f"Dans la feuille Paramètres, {which} {names} {verb} : l'en-tête et la signature des documents "
            f"s'en passent ; renseignez-{'le' if len(empty) == 1 else 'les'} avant d'envoyer.")


def commune_of(adresse: str) -> str:
    """The commune of a French address: what follows its postal code (« 50700 Valognes » → « Valognes »)."""
    found = re.search(r"\b\d{5}\s+([^,\n]+)", adresse)
    return found.group(1).strip() if found else ""


def lot_label(lot: str) -> str:
    """« lot 2 », or the lot as typed when it already says so (« Lot 2 – Gros œuvre »): never « lot Lot 2 »."""
    if not lot:
        return ""
    return lot if re.match(r"(?i)lot\b", lot) else f"lot {lot}"


def dispositif_name(dispositif: str) -> str:
    """The Dispositif without its article in brackets: « Condition d'exécution »."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", dispositif)


def row_dict(row: Mapping[str, Any] | None, keys: tuple[str, ...]) -> dict[str, str]:
    """The text columns `keys` of a table row (all '' when the row is missing)."""
    return {k: text(row.get(k)) if row is not None else "" for k in keys}


DONNEUR_KEYS = ("id", "nom", "categorie", "siret", "adresse", "code_postal", "commune", "contact", "courriel",
                "telephone")
ENTREPRISE_KEYS = ("id", "raison_sociale", "siret", "type", "adresse", "code_postal", "commune", "contact",
                   "courriel", "telephone")
PARTENAIRE_KEYS = ("id", "nom", "type", "contact", "courriel", "adresse", "code_postal", "commune")


def donneur(row: Mapping[str, Any] | None) -> dict[str, str]:
    return row_dict(row, DONNEUR_KEYS)


def entreprise(row: Mapping[str, Any] | None) -> dict[str, str]:
    return row_dict(row, ENTREPRISE_KEYS)


def marche(row: Mapping[str, Any]) -> dict[str, Any]:
    """What every document says of a market."""
    dispositif = text(row.get("dispositif"))
    return {
        "id": text(row.get("id")),
        "objet": text(row.get("objet")),
        "lot": text(row.get("lot")),
        "lot_libelle": lot_label(text(row.get("lot"))),
        "dispositif_nom": dispositif_name(dispositif),
        "operation": text(row.get("operation")),
        "type_marche": text(row.get("type_marche")),
        "dispositif": dispositif,
        "article": ARTICLES.get(dispositif, ""),
        "npnru": bool(row.get("npnru")) if not blank(row.get("npnru")) else False,
        "code_cpv": text(row.get("code_cpv")),
        "montant_ht": amount(row.get("montant_ht")),
        "date_notification": day(row.get("date_notification")),
        "date_debut": day(row.get("date_debut")),
        "date_fin": day(row.get("date_fin")),
        "statut": text(row.get("statut")),
        "referent": text(row.get("referent")),
        "courriel_referent": text(row.get("courriel_referent")),
        "telephone_referent": text(row.get("telephone_referent")),
    }


def destinataire_entreprise(market: Mapping[str, Any], company: Mapping[str, Any] | None) -> dict[str, str]:
    """A company letter goes to the market's Référent entreprise, else to the company's contact."""
    comp = entreprise(company)
    referent = text(market.get("referent"))
    return {
        "nom": referent or comp["contact"],
        "organisme": comp["raison_sociale"],
        "adresse": comp["adresse"],
        "code_postal": comp["code_postal"],
        "commune": comp["commune"],
        "courriel": text(market.get("courriel_referent")) or comp["courriel"],
    }


def destinataire_donneur(buyer: Mapping[str, Any] | None) -> dict[str, str]:
    b = donneur(buyer)
    return {"nom": b["contact"], "organisme": b["nom"], "adresse": b["adresse"], "code_postal": b["code_postal"],
            "commune": b["commune"], "courriel": b["courriel"]}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of `frame` as dicts keyed by column key (the schema's keys are text)."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def by_id(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Rows of a small table (markets, companies, buyers, partners) by ID."""
    return {r["id"]: r for r in records(frame.drop_duplicates("id"))}


def common(params: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """What every context holds: the facilitator and the date of the document."""
    return {"facilitateur": facilitateur(params), "date_document": Jour(today)}
