"""The clause of a market, for the buyer's tender documents: one template per Dispositif."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from .. import l2112, schema
from ..classeur import Classeur
from ..errors import UnknownItem
from ..hours import target_hours, target_of, to_decimal
from . import (
    PUBLICS_ELIGIBLES,
    DocSpec,
    Heures,
    Montant,
    TauxSaisi,
    blank,
    by_id,
    common,
    destinataire_donneur,
    donneur,
    entreprise,
    marche,
    rate,
    text,
    weeks,
)

#: Template file of each Dispositif.
TEMPLATES: dict[str, str] = {
    schema.CONDITION_EXECUTION: "clause_condition_execution.docx",
    schema.CRITERE_ATTRIBUTION: "clause_critere_attribution.docx",
    schema.RESERVE_SIAE: "clause_marche_reserve_siae.docx",
    schema.RESERVE_EA_ESAT: "clause_marche_reserve_ea_esat.docx",
    schema.MARCHE_INSERTION: "clause_marche_insertion.docx",
}
TABLES = ("T_Marches", "T_DonneursOrdre", "T_Entreprises")


def calcul(row: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The pieces of the hours computation (`hours.target_of`, the one formula), as the clause shows them
    "for information"."""
    t = target_of(row, params)

    def money(value: Decimal | None) -> Montant | None:
        return None if value is None else Montant(float(value))

    def share(value: Decimal | None) -> TauxSaisi | None:
        return None if value is None else TauxSaisi(float(value))

    return {
        "mode": t.mode,
        "par_taux": t.mode == schema.MODE_TAUX,
        "heures_fixees": t.mode == schema.MODE_HEURES_FIXEES,
        "prorata": t.mode == schema.MODE_PRORATA,
        "montant_ht": money(t.montant_ht),
        "part_main_oeuvre": share(t.part_main_oeuvre),
        "taux_insertion": share(t.taux_insertion),
        "cout_horaire": money(t.cout_horaire),
        "heures_brutes": Heures(round(float(t.brutes), 2)) if t.brutes is not None else None,
        "arrondi": Heures(float(t.arrondi)),
        "heures_calculees": Heures(float(t.heures)) if t.heures is not None else None,
        "euros_par_heure": money(t.euros_par_heure),
        "montant_facture": money(t.montant_facture),
        "explication": t.explication,
    }


def above_european_threshold(row: Mapping[str, Any], buyer: Mapping[str, Any] | None, today: dt.date) -> bool:
    """Whether article L2112-2-1 applies: at or above the European threshold of the buyer's category and the
    market's nature, for a consultation from the law's date (the notification date if known, else today)."""
    amount_ = to_decimal(row.get("montant_ht"))
    notified = row.get("date_notification")
    day = notified.date() if isinstance(notified, dt.datetime) and not blank(notified) else today
    if amount_ is None or day < l2112.LAW_DATE:
        return False
    category = l2112.category_of(text((buyer or {}).get("categorie")) or None, None, text((buyer or {}).get("siret")))
    return amount_ >= l2112.threshold(day, category, text(row.get("type_marche")))


def clause_context(c: Classeur, market_id: str, today: dt.date) -> DocSpec:
    """The clause of `market_id`, by its Dispositif."""
    markets = by_id(c["T_Marches"])
    if market_id not in markets:
        raise UnknownItem(f"Le marché « {market_id} » n'existe pas dans la feuille Marchés (ou sa ligne est "
                          "incomplète : lancez clausexl valider).")
    row = markets[market_id]
    buyer = by_id(c["T_DonneursOrdre"]).get(row["donneur_ordre"])
    company = by_id(c["T_Entreprises"]).get(text(row.get("attributaire")))
    targets = target_hours(c["T_Marches"].drop_duplicates("id"), c.params, explained=False)
    target = targets.loc[market_id, "heures_prevues"]
    penalty = row.get("penalite")
    context = {
        **common(c.params, today),
        "marche": {
            **marche(row),
            "heures_prevues": Heures(float(cast(float, target))) if not blank(target) else None,
            "semaines": weeks(target) if not blank(target) else None,
            "ponderation": rate(row.get("ponderation")),
            "l2112_2_1": above_european_threshold(row, buyer, today),
        },
        "calcul": calcul(row, c.params),
        "donneur_ordre": donneur(buyer),
        "destinataire": destinataire_donneur(buyer),
        "entreprise": entreprise(company),
        "publics": list(PUBLICS_ELIGIBLES),
        "penalite_heure": Montant(float(cast(float, penalty)) if not blank(penalty) else float(c.params["penalite"])),
        "penalite_retard": Montant(float(c.params["penalite_retard"])),
    }
    return DocSpec(TEMPLATES[row["dispositif"]], ("Clause", market_id, context["donneur_ordre"]["nom"]), context)
