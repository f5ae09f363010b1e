"""Follow-up letters: the monthly statement, the reminder, the certificate, the buyer's yearly bilan.

Statements name the participants (they go to their employer, who knows them) but never carry
their criteria; certificates and bilans carry counts only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..classeur import Classeur
from ..errors import Refused, UnknownItem
from ..filenames import file_name
from ..hours import MODALITY_LINES, hours_rows, market_progress
from ..hours import TABLES as HOURS_TABLES
from ..month_contracts import contracts_without_month
from ..values import DATE, counted
from . import (
    DocSpec,
    Heures,
    Jour,
    Mois,
    Montant,
    Taux,
    blank,
    by_id,
    common,
    destinataire_donneur,
    destinataire_entreprise,
    donneur,
    entreprise,
    hours,
    marche,
    records,
    text,
    weeks,
)

TABLES = (*HOURS_TABLES, "T_DonneursOrdre", "T_Entreprises")
RUNNING, FINISHED = "En cours", "Terminé"


def month_end(month: dt.date) -> dt.date:
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def statement_deadline(month: dt.date) -> dt.date:
    """The statement of a month is due before the 10th of the next month (docs/documents.md, « Choix faits »)."""
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 10)


def form_label(month: dt.date) -> str:
    """The first piece of the name of a statement to fill (`clausexl releves`), also named in reminders."""
    return f"Relevé à remplir {month:%Y-%m}"


def progress_fields(p: dict[str, Any]) -> dict[str, Any]:
    """Where a clause stands, as the letters print it.

    `heures_realisees` are all hours done; `heures_comptees` those that count toward the target
    (on an NPNRU market, the QPV residents'), from which the rate, the remaining hours and the
    shortfall are computed.
    """
    done, counted, expected = float(p["heures_realisees"]), float(p["heures_comptees"]), float(p["attendu_a_date"])
    return {
        "heures_prevues": hours(p["heures_prevues"]),
        "semaines_prevues": weeks(p["heures_prevues"]),
        "heures_realisees": Heures(done),
        "semaines_realisees": weeks(done),
        "heures_comptees": Heures(counted),
        "semaines_comptees": weeks(counted),
        "npnru": bool(p["npnru"]) if not blank(p["npnru"]) else False,
        "taux": Taux(float(p["taux"])) if not blank(p["taux"]) else None,
        "reste": hours(p["reste"]),
        "attendu_a_date": Heures(round(expected, 1)),
        "manque": Heures(round(max(0.0, expected - counted), 1)),
        "en_retard": bool(p["en_retard"]),
    }


def running_in(progress: pd.DataFrame, month: dt.date) -> pd.DataFrame:
    """Markets En cours whose period overlaps the month."""
    start, end = pd.Timestamp(month), pd.Timestamp(month_end(month))
    keep = (progress["statut"] == RUNNING) & (progress["date_debut"] <= end) & (progress["date_fin"] >= start)
    return progress[keep]


def statement_lines(c: Classeur, month: dt.date) -> pd.DataFrame:
    """Per market and contract: hours of the month and cumulated to its end, with the person's name.

    `recu` tells the lines with a row for the month; a contract active in the month without its row
    has a line too, marked `manquant` (its hours of the month are unknown, not 0).
    """
    rows = hours_rows(c)
    rows = rows[rows["mois"] <= pd.Timestamp(month)]
    this_month = rows["mois"] == pd.Timestamp(month)
    rows = rows.assign(heures_mois=rows["heures"].where(this_month, 0.0), recu=this_month)
    lines = rows.groupby(["marche", "contrat"], as_index=False).agg(
        heures_mois=("heures_mois", "sum"), heures=("heures", "sum"), recu=("recu", "any"))
    missing = contracts_without_month(c, month)
    absent = missing[~missing["id"].isin(lines["contrat"])]
    lines = pd.concat([lines, pd.DataFrame({"marche": absent["marche"], "contrat": absent["id"], "heures_mois": 0.0,
                                            "heures": 0.0, "recu": False})], ignore_index=True)
    lines["manquant"] = lines["contrat"].isin(missing["id"])
    contracts = c["T_Contrats"].drop_duplicates("id")[["id", "participant", "poste", "modalite", "employeur",
                                                      "date_fin"]]
    people = c["T_Participants"].drop_duplicates("id")[["id", "nom", "prenom"]]
    lines = lines.merge(contracts, left_on="contrat", right_on="id", how="left").drop(columns="id")
    lines = lines.merge(people, left_on="participant", right_on="id", how="left").drop(columns="id")
    # A contract ended before the month, with no row for it, is « terminé », not « 0 h » for the month.
    lines["termine"] = (lines["date_fin"] < pd.Timestamp(month)) & ~lines["recu"].astype(bool)
    return lines.sort_values(["marche", "nom", "prenom", "contrat"], na_position="last")


def releves_et_relances(c: Classeur, month: dt.date, today: dt.date) -> tuple[list[DocSpec], list[DocSpec]]:
    """One statement per running market of the month; a reminder for each late one or missing statement."""
    progress = market_progress(c, month_end(month))
    running = running_in(progress, month)
    lines = statement_lines(c, month)
    all_markets = c["T_Marches"]
    markets = by_id(all_markets[all_markets["id"].isin(running["id"])])  # only the markets written to
    buyers, companies = (by_id(c[t]) for t in ("T_DonneursOrdre", "T_Entreprises"))
    employers = {k: v["raison_sociale"] for k, v in companies.items()}
    base = {**common(c.params, today), "mois": Mois(month), "date_limite_releve": Jour(statement_deadline(month))}
    # One split of the running markets' lines (each keeps its order), not one scan of all lines per market;
    # their records made once, not once per market.
    lines = lines[lines["marche"].isin(running["id"])]
    lines_of, none = dict(tuple(lines.groupby("marche", sort=False))), lines.iloc[:0]
    records_of: dict[Any, list[dict[str, Any]]] = {}
    for record in records(lines):
        records_of.setdefault(record["marche"], []).append(record)
    releves, relances = [], []
    for p in records(running):
        row, company = markets[p["id"]], companies.get(p["attributaire"])
        mine = lines_of.get(p["id"], none)
        month_total = float(mine["heures_mois"].sum())
        absent = list(mine.loc[mine["manquant"], "contrat"])
        nothing = not mine["recu"].any()
        context = {
            **base,
            "marche": marche(row),
            "donneur_ordre": donneur(buyers.get(row["donneur_ordre"])),
            "entreprise": entreprise(company),
            "destinataire": destinataire_entreprise(row, company),
            "lignes": [
                {"participant": f"{text(ln['prenom'])} {text(ln['nom'])}".strip() or text(ln["participant"]),
                 "contrat": text(ln["contrat"]), "poste": text(ln["poste"]), "modalite": text(ln["modalite"]),
                 "employeur": text(employers.get(ln["employeur"])), "recu": not ln["manquant"],
                 "heures_mois": None if ln["manquant"] or ln["termine"] else Heures(float(ln["heures_mois"])),
                 "termine": Jour(pd.Timestamp(ln["date_fin"]).date()) if ln["termine"] else None,
                 "heures_cumulees": Heures(float(ln["heures"]))}
                for ln in records_of.get(p["id"], [])
            ],
            "total_mois": Heures(month_total),
            "releve_manquant": bool(absent) or nothing,
            "contrats_manquants": ", ".join(absent),
            "des_contrats_manquants": of_contracts(absent),
            # The form `clausexl releves` makes for the awardee that month, to attach to the reminder.
            "formulaire": file_name((form_label(month), p["attributaire"],
                                     company["raison_sociale"] if company else ""), ".xlsx"),
            **progress_fields(p),
        }
        company_name = context["entreprise"]["raison_sociale"]
        label = f"{month:%Y-%m}"
        releves.append(DocSpec("releve_mensuel.docx", (f"Relevé {label}", p["id"], company_name), context))
        if absent or context["en_retard"]:
            relances.append(DocSpec("relance.docx", (f"Relance {label}", p["id"], company_name), context))
    return releves, relances


def attestations(c: Classeur, today: dt.date, market_id: str | None = None) -> list[DocSpec]:
    """Certificates of the finished markets (or of one market), to the company and to the buyer.

    A finished market gets the end-of-clause certificate; a running one, asked by its ID, an
    « attestation intermédiaire » at `today` (companies join them to their bids), without a penalty
    line. A market En préparation or Abandonné, or without Attributaire, gets none: refused in one
    sentence, nothing written.
    """
    progress = market_progress(c, today)
    if market_id is not None:
        if market_id not in set(progress["id"]):
            raise UnknownItem(f"Le marché « {market_id} » n'existe pas dans la feuille Marchés (ou sa ligne est "
                              "incomplète : lancez clausexl valider).")
        chosen = progress[progress["id"] == market_id]
        refuse_certificate(chosen.iloc[0])
    else:
        chosen = progress[(progress["statut"] == FINISHED) & progress["attributaire"].notna()]
    rows = hours_rows(c)
    people = rows[rows["mois"] <= pd.Timestamp(today)].groupby("marche")["participant"].nunique()
    markets, buyers, companies = (by_id(c[t]) for t in ("T_Marches", "T_DonneursOrdre", "T_Entreprises"))
    penalty_default = float(c.params["penalite"])
    docs = []
    for p in records(chosen):
        row, company, buyer = markets[p["id"]], companies.get(p["attributaire"]), buyers.get(p["donneur_ordre"])
        penalty = float(p["penalite"]) if not blank(p["penalite"]) else 0.0
        interim = p["statut"] == RUNNING
        context = {
            **common(c.params, today),
            "intermediaire": interim,
            "titre": f"Attestation intermédiaire au {DATE.text(today)}" if interim
            else "Attestation de réalisation de la clause sociale",
            "marche": marche(row),
            "entreprise": entreprise(company),
            "donneur_ordre": donneur(buyer),
            **progress_fields(p),
            "par_modalite": [{"modalite": m, "heures": Heures(float(p[f"heures_{m}"]))}
                             for m in MODALITY_LINES if float(p[f"heures_{m}"]) > 0],
            "heures_travaillees": hours(p["heures_travaillees"]),
            "heures_formation": hours(p["heures_formation"]),
            "participants": int(people.get(p["id"], 0)),
            "avis": text(row.get("avis")),
            "penalite": Montant(penalty),
            "a_penalite": penalty > 0 and not interim,
            "reste_nul": float(p["reste"]) <= 0,
            "penalite_heure": Montant(float(row["penalite"]) if not blank(row.get("penalite")) else penalty_default),
        }
        recipients = ((True, destinataire_entreprise(row, company)), (False, destinataire_donneur(buyer)))
        for to_company, recipient in recipients:
            ctx = {**context, "destinataire": recipient, "pour_entreprise": to_company}
            docs.append(DocSpec("attestation.docx", ("Attestation", p["id"], recipient["organisme"]), ctx))
    return docs


def refuse_certificate(p: pd.Series) -> None:
    """Only a running or finished market with an Attributaire gets a certificate."""
    if p["statut"] not in (RUNNING, FINISHED):
        raise Refused(f"Le marché « {p['id']} » est « {p['statut']} » : il ne porte pas d'obligation, aucune "
                      "attestation n'est faite (une attestation vaut pour un marché En cours ou Terminé).")
    if blank(p["attributaire"]):
        raise Refused(f"Le marché « {p['id']} » n'a pas d'Attributaire : saisissez l'entreprise titulaire dans la "
                      "feuille Marchés avant de faire son attestation.")


def followed_in(progress: pd.DataFrame, year: int, with_hours: set[str]) -> pd.DataFrame:
    """Marchés suivis in N (docs/calculs.md §3): active and overlapping N, or with hours in N."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    active = ~progress["statut"].isin(["Abandonné", "En préparation"])
    overlap = (progress["date_debut"] <= end) & (progress["date_fin"] >= start)
    return progress[(active & overlap) | progress["id"].isin(with_hours)]


def bilans_donneurs(c: Classeur, year: int, today: dt.date) -> list[DocSpec]:
    """One yearly bilan per buyer with followed markets: hours owed and done, participants."""
    until = min(today, dt.date(year, 12, 31))
    cumulated = market_progress(c, until).set_index("id")
    of_year = market_progress(c, until, annee=year).set_index("id")
    rows = hours_rows(c)
    rows = rows[rows["mois"].dt.year == year]
    followed = followed_in(cumulated.reset_index(), year, set(rows["marche"]))
    buyers, companies = by_id(c["T_DonneursOrdre"]), by_id(c["T_Entreprises"])
    markets = by_id(c["T_Marches"])
    people_by_market = rows.groupby("marche")["participant"].nunique()
    docs = []
    for buyer_id, group in followed.groupby("donneur_ordre", sort=True):
        ids = list(group.sort_values("id")["id"])
        items = []
        for mid in ids:
            cum, yr = cumulated.loc[mid], of_year.loc[mid]
            items.append({
                **marche(markets[mid]),
                "entreprise": text(companies.get(cum["attributaire"], {}).get("raison_sociale")),
                "heures_prevues": hours(cum["heures_prevues"]),
                "heures_annee": hours(yr["heures_realisees"]),
                "heures_cumulees": hours(cum["heures_realisees"]),
                "heures_comptees": hours(cum["heures_comptees"]),
                "taux": Taux(float(cum["taux"])) if not blank(cum["taux"]) else None,
                "participants_annee": int(people_by_market.get(mid, 0)),
            })
        mine = rows[rows["marche"].isin(ids)]
        buyer = buyers.get(str(buyer_id))
        context = {
            **common(c.params, today),
            "annee": year,
            "donneur_ordre": donneur(buyer),
            "destinataire": destinataire_donneur(buyer),
            "marches": items,
            "nombre_marches": len(items),
            "marches_texte": counted(len(items), "marché"),
            "personnes_texte": counted(int(mine["participant"].nunique()), "personne"),
            "a_npnru": any(item["npnru"] for item in items),
            "heures_prevues": Heures(float(cumulated.loc[ids, "heures_prevues"].fillna(0).sum())),
            "heures_annee": Heures(float(mine["heures"].sum())),
            "heures_cumulees": Heures(float(cumulated.loc[ids, "heures_realisees"].sum())),
            "semaines_annee": weeks(float(mine["heures"].sum())),
            "participants": int(mine["participant"].nunique()),
        }
        docs.append(DocSpec("bilan_donneur_ordre.docx", (f"Bilan {year}", context["donneur_ordre"]["nom"]), context))
    return docs


def of_contracts(ids: Sequence[str]) -> str:
    """« du contrat C5 », « des contrats C5, C6 » (empty when none): the words agree with the count."""
    if not ids:
        return ""
    return f"{'du contrat' if len(ids) == 1 else 'des contrats'} {', '.join(ids)}"
