"""reperer: markets of the territory found in a DECP file, as a list to review before import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..adapters.decp_stream import iter_records
from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core import decp
from ..core.classeur import Classeur
from ..core.errors import InvalidOption
from ..core.values import AMOUNT, DATE, HOURS, RATE

TABLES = ("T_DonneursOrdre", "T_Marches", "T_Entreprises")
IMPORT = "À importer"
MARKET_HEADERS = (
    IMPORT, "Référence DECP", "SIRET acheteur", "Donneur d'ordre", "Objet", "Nature", "Type de marché",
    "Code CPV", "Procédure", "Montant HT (€)", "Heures possibles", "Date de notification", "Durée (mois)",
    "Lieu d'exécution", "Département", "Considérations sociales", "SIRET titulaires", "Entreprises connues",
)
MARKET_FORMATS = {"Montant HT (€)": AMOUNT, "Heures possibles": HOURS, "Date de notification": DATE}
MARKET_WIDTHS: dict[str, float] = {"Objet": 50, "Référence DECP": 24, "Procédure": 24, "Considérations sociales": 22,
                 "SIRET titulaires": 32}


@dataclass(frozen=True)
class Reperage:
    """What a DECP file holds for the territory, and how it was read."""

    source: Path
    classeur: Path
    tally: decp.Tally
    territory: decp.Territory
    rejected_rows: int

    @property
    def a_suivre(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.A_SUIVRE)

    @property
    def sans_clause(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.SANS_CLAUSE)

    @property
    def deja_suivis(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.DEJA_SUIVI)

    def titulaires(self) -> list[dict[str, Any]]:
        """Each awardee SIRET of the territory's markets, with the company the workbook knows by it."""
        by_siret: dict[str, dict[str, Any]] = {}
        for c in self.tally.candidates:
            for siret in c.titulaires:
                known = self.territory.companies.get(siret)
                item = by_siret.setdefault(siret, {
                    "siret": siret, "entreprise": known[0] if known else None,
                    "raison_sociale": known[1] if known else None, "marches": 0, "montant": Decimal(0)})
                item["marches"] += 1
                item["montant"] += c.montant
        return sorted(by_siret.values(), key=lambda i: (i["entreprise"] is None, -i["montant"], i["siret"]))

    def counts(self) -> dict[str, Any]:
        t = self.tally
        return {
            "enregistrements": t.records, "concessions": t.concessions, "hors_territoire": t.hors_territoire,
            "avant_date": t.avant_date, "doublons": t.doublons, "sous_seuil": t.sous_seuil,
            "illisibles": sum(t.malformed.values()), "clauses_non_suivies": len(self.a_suivre),
            "sans_clause": len(self.sans_clause), "deja_suivis": len(self.deja_suivis),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.source.name, "seuil": float(self.territory.threshold),
            "departements": sorted(self.territory.departements), **self.counts(),
            "illisibles_par_motif": dict(self.tally.malformed),
            "illisibles_exemples": [{"position": i, "id": rid, "motif": why} for i, rid, why in self.tally.examples],
            "marches_clauses_non_suivies": [candidate_dict(c) for c in self.a_suivre],
            "marches_sans_clause": [candidate_dict(c) for c in self.sans_clause],
            "titulaires": [{**i, "montant": float(i["montant"])} for i in self.titulaires()],
        }


def reperer(decp_path: Path, classeur_path: Path, departements: tuple[str, ...] = (),
            seuil: float | Decimal = decp.DEFAULT_THRESHOLD, depuis: dt.date | None = None) -> Reperage:
    """Stream the DECP file once, keeping the territory's markets only."""
    return reperer_classeur(read_classeur(classeur_path, TABLES), Path(classeur_path), decp_path, departements,
                            seuil, depuis)


def reperer_classeur(c: Classeur, classeur_path: Path, decp_path: Path, departements: tuple[str, ...] = (),
                     seuil: float | Decimal = decp.DEFAULT_THRESHOLD, depuis: dt.date | None = None) -> Reperage:
    """`reperer` on a workbook already read (the button's path)."""
    territory = decp.build_territory(
        c.usable("T_DonneursOrdre"), c.usable("T_Marches"), c.usable("T_Entreprises"), c.params,
        departements, Decimal(str(seuil)), depuis)
    if not territory.buyers and not territory.departements:
        raise InvalidOption(
            f"Aucun donneur d'ordre du classeur « {c.source} » n'a de SIRET et aucun département "
            "n'est donné : saisissez les SIRET des donneurs d'ordre ou ajoutez --departement."
        )
    tally = decp.Tally()
    for index, record in iter_records(decp_path):
        tally.add(index, record, territory)
    return Reperage(Path(decp_path), Path(classeur_path), tally, territory, c.rejected_rows(TABLES))


def candidate_dict(c: decp.Candidate) -> dict[str, Any]:
    return {
        "reference": c.uid, "id": c.id, "acheteur": c.acheteur, "donneur_ordre": c.donneur_ordre,
        "objet": c.objet, "nature": c.nature, "type_marche": c.type_marche, "code_cpv": c.code_cpv,
        "procedure": c.procedure, "montant": float(c.montant), "heures_possibles": c.heures_possibles,
        "date_notification": c.date_notification.isoformat() if c.date_notification else None,
        "duree_mois": c.duree_mois, "lieu": c.lieu, "departement": c.departement,
        "considerations_sociales": list(c.considerations), "titulaires": list(c.titulaires),
        "entreprises": list(c.entreprises),
    }


def market_row(c: decp.Candidate) -> list[Any]:
    return [
        None, c.uid, c.acheteur, c.donneur_ordre, c.objet, c.nature, c.type_marche, c.code_cpv, c.procedure,
        float(c.montant), c.heures_possibles, c.date_notification, c.duree_mois, c.lieu, c.departement,
        ", ".join(c.considerations), ", ".join(c.titulaires), ", ".join(c.entreprises),
    ]


def write_reperage(r: Reperage, destination: Path, force: bool = False) -> Path:
    """The list to review: markets with a clause not followed, markets without one, awardees, reading."""
    p = r.territory.params
    formula = (f"Heures possibles = Montant HT × {RATE.text(p['part_main_oeuvre'])} × "
               f"{RATE.text(p['taux_insertion'])} ÷ {AMOUNT.text(p['cout_horaire'])}/h, arrondi au multiple de "
               f"{HOURS.text(p['arrondi'])} supérieur (paramètres du classeur).")
    mark = f"Saisissez Oui dans la colonne « {IMPORT} » pour les marchés à reprendre dans le classeur."

    def market_sheet(name: str, title: str, items: list[decp.Candidate]) -> OutSheet:
        return OutSheet(name, MARKET_HEADERS, [market_row(c) for c in items], MARKET_FORMATS, title=title,
                        notes=[mark, formula, "Travaux d'abord, puis par montant décroissant."],
                        widths=MARKET_WIDTHS, choices={IMPORT: ("Oui", "Non")})

    seuil = AMOUNT.text(float(r.territory.threshold))
    sheets = [
        market_sheet("Clauses non suivies", f"Marchés avec une considération sociale que le classeur ne suit pas "
                     f"({r.source.name})", r.a_suivre),
        market_sheet("Sans clause", f"Marchés sans considération sociale de {seuil} HT et plus", r.sans_clause),
        OutSheet("Titulaires", ("SIRET", "Entreprise", "Raison sociale", "Marchés", "Montant HT (€)"),
                 [[i["siret"], i["entreprise"], i["raison_sociale"], i["marches"], float(i["montant"])]
                  for i in r.titulaires()], {"Montant HT (€)": AMOUNT},
                 title="Titulaires des marchés du territoire",
                 notes=["Entreprise vide : SIRET absent de la feuille Entreprises du classeur."]),
        OutSheet("Lecture", ("Rubrique", "Nombre"), reading_rows(r), title=f"Lecture de {r.source.name}"),
    ]
    if r.tally.examples:
        sheets.append(OutSheet("Illisibles", ("Position", "Identifiant", "Motif"),
                               [list(e) for e in r.tally.examples],
                               title="Enregistrements du territoire laissés de côté",
                               notes=[f"Au plus {decp.MAX_EXAMPLES} exemples ; les autres sont comptés "
                                      "dans la feuille Lecture."], widths={"Motif": 60}))
    return write_workbook(destination, sheets, force)


READING_LABELS = {
    "enregistrements": "Enregistrements lus", "concessions": "Concessions (ignorées)",
    "hors_territoire": "Hors du territoire", "avant_date": "Notifiés avant la date donnée",
    "doublons": "Doublons", "sous_seuil": "Sans considération sociale, sous le seuil",
    "illisibles": "Illisibles (laissés de côté)", "clauses_non_suivies": "Avec considération sociale, non suivis",
    "sans_clause": "Sans considération sociale, au-dessus du seuil", "deja_suivis": "Déjà suivis dans le classeur",
}


def reading_rows(r: Reperage) -> list[list[Any]]:
    rows = [[READING_LABELS[k], v] for k, v in r.counts().items()]
    rows += [[f"Illisibles : {why}", n] for why, n in sorted(r.tally.malformed.items())]
    return rows

