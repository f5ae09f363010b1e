"""Job offers sent to partners: one letter (and one e-mail) per partner receiving offers.

An offer describes a post; it never holds anything about a participant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd

from ..classeur import Classeur
from ..errors import Refused, UnknownItem
from ..values import DATE, counted
from . import (
    PARTENAIRE_KEYS,
    PUBLICS_ELIGIBLES,
    DocSpec,
    Jour,
    blank,
    by_id,
    common,
    day,
    donneur,
    entreprise,
    hours,
    marche,
    records,
    row_dict,
    text,
)

TABLES = ("T_Offres", "T_Partenaires", "T_Marches", "T_DonneursOrdre", "T_Entreprises", "T_QPV")
#: Offers that are no longer sent to partners.
CLOSED = ("Pourvue", "Annulée")
LETTER, MAIL = "offre_partenaire.docx", "offre_courriel.txt"


def offer_context(c: Classeur, offer_id: str, today: dt.date) -> dict[str, Any]:
    """What every partner's letter says of the offer."""
    offers = by_id(c["T_Offres"])
    if offer_id not in offers:
        raise UnknownItem(f"L'offre « {offer_id} » n'existe pas dans la feuille Offres (ou sa ligne est "
                          "incomplète : lancez clausexl valider).")
    o = offers[offer_id]
    refuse_closed(o, offer_id, today)
    market = by_id(c["T_Marches"]).get(text(o.get("marche"))) if not blank(o.get("marche")) else None
    buyer = by_id(c["T_DonneursOrdre"]).get(market["donneur_ordre"]) if market else None
    deadline = day(o.get("date_limite")) or Jour(today + dt.timedelta(days=int(c.params["delai_reponse"])))
    npnru = bool(market and marche(market)["npnru"])
    positions = int(o["nombre_postes"]) if not blank(o.get("nombre_postes")) else 1
    return {
        **common(c.params, today),
        "offre": {
            "id": offer_id,
            "poste": text(o.get("poste")),
            "code_rome": text(o.get("code_rome")),
            "type_contrat": text(o.get("type_contrat")),
            "nombre_postes": positions,
            "postes": counted(positions, "poste"),
            "duree": text(o.get("duree")),
            "heures_hebdo": hours(o.get("heures_hebdo")) if not blank(o.get("heures_hebdo")) else None,
            "date_debut": day(o.get("date_debut")),
            "lieu": text(o.get("lieu")),
            "profil": text(o.get("profil")),
            "date_limite": deadline,
        },
        "entreprise": entreprise(by_id(c["T_Entreprises"]).get(text(o.get("entreprise")))),
        "a_marche": market is not None,
        "marche": marche(market) if market else {},
        "donneur_ordre": donneur(buyer),
        "publics": list(PUBLICS_ELIGIBLES),
        "npnru": npnru,
        "quartiers": qpv_names(c) if npnru else "",
    }


def sendable(offers: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Offers that may still be sent at `today`: not Pourvue nor Annulée, reply date not past."""
    open_ = ~offers["statut"].isin(CLOSED)
    in_time = offers["date_limite"].isna() | (offers["date_limite"] >= pd.Timestamp(today))
    return offers[open_ & in_time]


def refuse_closed(offer: dict[str, Any], offer_id: str, today: dt.date) -> None:
    """An offer Pourvue or Annulée, or whose reply date is past, is not sent: say what to change."""
    status = text(offer.get("statut"))
    if status in CLOSED:
        raise Refused(f"L'offre « {offer_id} » est « {status} » : elle n'est plus diffusée. Changez son statut "
                      "en « Ouverte » dans la feuille Offres pour la diffuser de nouveau.")
    deadline = offer.get("date_limite")
    if not blank(deadline) and pd.Timestamp(cast(dt.date, deadline)).date() < today:
        raise Refused(f"La date limite de réponse de l'offre « {offer_id} » ({DATE.cell(deadline)}) est passée : "
                      "changez la colonne « Date limite de réponse » de la feuille Offres (ou videz-la pour "
                      "laisser le délai de réponse des paramètres), puis relancez.")


def qpv_names(c: Classeur) -> str:
    """The priority neighbourhoods of `T_QPV`, named: « Les Provinces (QN05001M), Le Maupas (QN05002M) »."""
    qpv = c["T_QPV"].drop_duplicates("code").sort_values("code")
    return ", ".join(f"{text(q['nom'])} ({q['code']})" if text(q.get("nom")) else str(q["code"])
                     for q in qpv.to_dict("records"))


def offer_letters(c: Classeur, offer_id: str, today: dt.date) -> list[DocSpec]:
    """One letter per partner whose « Reçoit les offres » is Oui, in ID order."""
    base = offer_context(c, offer_id, today)
    partners = c["T_Partenaires"]
    partners = partners[partners["recoit_offres"].fillna(False).astype(bool)].drop_duplicates("id").sort_values("id")
    return [
        DocSpec(LETTER, (f"Offre {offer_id}", text(p["nom"])), {**base, "partenaire": row_dict(p, PARTENAIRE_KEYS)})
        for p in records(partners)
    ]
