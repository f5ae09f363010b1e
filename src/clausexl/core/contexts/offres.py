"""Job offers sent to partners: one letter (and one e-mail) per partner receiving offers.

An offer describes a post; it never holds anything about a participant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..classeur import Classeur
from ..errors import UnknownItem
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

TABLES = ("T_Offres", "T_Partenaires", "T_Marches", "T_DonneursOrdre", "T_Entreprises")
LETTER, MAIL = "offre_partenaire.docx", "offre_courriel.txt"


def offer_context(c: Classeur, offer_id: str, today: dt.date) -> dict[str, Any]:
    """What every partner's letter says of the offer."""
    offers = by_id(c.usable("T_Offres"))
    if offer_id not in offers:
        raise UnknownItem(f"L'offre « {offer_id} » n'existe pas dans la feuille Offres (ou sa ligne est "
                          "incomplète : lancez clausexl valider).")
    o = offers[offer_id]
    market = by_id(c.usable("T_Marches")).get(text(o.get("marche"))) if not blank(o.get("marche")) else None
    buyer = by_id(c.usable("T_DonneursOrdre")).get(market["donneur_ordre"]) if market else None
    deadline = day(o.get("date_limite")) or Jour(today + dt.timedelta(days=int(c.params["delai_reponse"])))
    return {
        **common(c.params, today),
        "offre": {
            "id": offer_id,
            "poste": text(o.get("poste")),
            "code_rome": text(o.get("code_rome")),
            "type_contrat": text(o.get("type_contrat")),
            "nombre_postes": int(o["nombre_postes"]) if not blank(o.get("nombre_postes")) else 1,
            "duree": text(o.get("duree")),
            "heures_hebdo": hours(o.get("heures_hebdo")) if not blank(o.get("heures_hebdo")) else None,
            "date_debut": day(o.get("date_debut")),
            "lieu": text(o.get("lieu")),
            "profil": text(o.get("profil")),
            "date_limite": deadline,
        },
        "entreprise": entreprise(by_id(c.usable("T_Entreprises")).get(text(o.get("entreprise")))),
        "a_marche": market is not None,
        "marche": marche(market) if market else {},
        "donneur_ordre": donneur(buyer),
        "publics": list(PUBLICS_ELIGIBLES),
    }


def offer_letters(c: Classeur, offer_id: str, today: dt.date) -> list[DocSpec]:
    """One letter per partner whose « Reçoit les offres » is Oui, in ID order."""
    base = offer_context(c, offer_id, today)
    partners = c.usable("T_Partenaires")
    partners = partners[partners["recoit_offres"].fillna(False).astype(bool)].drop_duplicates("id").sort_values("id")
    return [
        DocSpec(LETTER, (f"Offre {offer_id}", text(p["nom"])), {**base, "partenaire": row_dict(p, PARTENAIRE_KEYS)})
        for p in records(partners)
    ]
