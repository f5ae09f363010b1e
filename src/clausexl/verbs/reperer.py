"""reperer: markets of the territory found in a DECP file (JSON, parquet or CSV), as lists to review,
a diagnostic per buyer and rows ready for T_Marches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..adapters.decp_stream import DecpTruncated, detect_kind, iter_records
from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet
from ..core import decp, l2112, schema
from ..core.classeur import Classeur
from ..core.decp_report import BuyerDiagnostic, ImportRows, diagnostic, import_rows, total
from ..core.departements import departements_parameter
from ..core.errors import InvalidOption
from ..core.exclusion import LeftOutRow, quality_lines, screen
from ..core.text import fold
from ..core.values import AMOUNT, DATE, HOURS, POINTS, RATE, SHARE, agreed, counted

TABLES = ("T_DonneursOrdre", "T_Marches", "T_Entreprises", "T_Territoire")
IMPORT = "À importer"
MARKET_HEADERS = (
    IMPORT, "Référence DECP", "SIRET acheteur", "Donneur d'ordre", "Objet", "Nature", "Type de marché",
    "Code CPV", "Procédure", "Montant HT (€)", "Heures possibles", "Date de notification", "Durée (mois)",
    "Lieu d'exécution", "Département", "Considérations sociales", "SIRET titulaires", "Entreprises connues",
    "Seuil européen (€)", "L2112-2-1",
)
MARKET_FORMATS = {"Montant HT (€)": AMOUNT, "Heures possibles": HOURS, "Date de notification": DATE,
                  "Seuil européen (€)": AMOUNT}
MARKET_WIDTHS: dict[str, float] = {"Objet": 50, "Référence DECP": 24, "Procédure": 24, "Considérations sociales": 22,
                 "SIRET titulaires": 32, "L2112-2-1": 40}


@dataclass(frozen=True)
class Reperage:
    """What a DECP file holds for the territory, and how it was read."""

    source: Path
    classeur: Path
    tally: decp.Tally
    territory: decp.Territory
    left_out: tuple[LeftOutRow, ...]
    kind: str = "json"
    reference: l2112.NationalReference = l2112.NATIONAL_REFERENCE
    workbook_buyers: list[dict[str, Any]] = field(default_factory=list)
    market_ids: frozenset[str] = frozenset()
    buyer_ids: frozenset[str] = frozenset()
    alertes: tuple[str, ...] = ()  # the workbook's values matched on that valider calls invalid

    @property
    def a_suivre(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.A_SUIVRE)

    @property
    def sans_clause(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.SANS_CLAUSE)

    @property
    def deja_suivis(self) -> list[decp.Candidate]:
        return self.tally.of_kind(decp.DEJA_SUIVI)

    @property
    def alertes_l2112(self) -> list[decp.Candidate]:
        return [c for c in self.sans_clause if c.alerte_l2112]

    def titulaires(self) -> list[dict[str, Any]]:
        """Each awardee SIRET of the listed markets, with the company the workbook knows by it."""
        by_siret: dict[str, dict[str, Any]] = {}
        for c in self.tally.candidates:
            if c.kind == decp.SOUS_SEUIL:
                continue
            for siret in c.titulaires:
                known = self.territory.companies.get(siret)
                item = by_siret.setdefault(siret, {
                    "siret": siret, "entreprise": known[0] if known else None,
                    "raison_sociale": known[1] if known else None, "marches": 0, "montant": Decimal(0)})
                item["marches"] += 1
                item["montant"] += c.montant
        return sorted(by_siret.values(), key=lambda i: (i["entreprise"] is None, -i["montant"], i["siret"]))

    def diagnostic(self) -> list[BuyerDiagnostic]:
        """One line per buyer of the territory and of the workbook (see core.decp_report.diagnostic)."""
        return diagnostic(self.tally.candidates, self.workbook_buyers)

    def spotted(self, uids: Collection[str] | None = None) -> list[decp.Candidate]:
        """The markets chosen for the workbook: those of `uids` (any list), else every listed one."""
        if uids is None:
            return self.a_suivre + self.sans_clause
        wanted = {u.strip() for u in uids}
        found = [c for c in self.tally.candidates if c.uid in wanted or c.id in wanted]
        missing = wanted - {c.uid for c in found} - {c.id for c in found}
        if missing:
            raise InvalidOption(f"{agreed(len(missing), 'Marché absent', 'Marchés absents')} du repérage : "
                                f"{', '.join(sorted(missing))} (donnez la "
                                "Référence DECP d'une des listes).")
        return found

    def lignes_marches(self, uids: Collection[str] | None = None) -> ImportRows:
        """Rows ready for T_Marches (and the buyers to create first) for the chosen markets."""
        return replace(import_rows(self.spotted(uids), self.market_ids, self.buyer_ids), left_out=self.left_out)

    def counts(self) -> dict[str, Any]:
        t = self.tally
        return {
            "enregistrements": t.records, "concessions": t.concessions, "hors_territoire": t.hors_territoire,
            "avant_date": t.avant_date, "apres_date": t.apres_date, "doublons": t.doublons,
            "lignes_fusionnees": t.merged_rows, "sous_seuil": t.sous_seuil,
            "illisibles": sum(t.malformed.values()), "clauses_non_suivies": len(self.a_suivre),
            "sans_clause": len(self.sans_clause), "alertes_l2112": len(self.alertes_l2112),
            "deja_suivis": len(self.deja_suivis),
        }

    def to_dict(self) -> dict[str, Any]:
        seuil, lines = self.territory.threshold, self.diagnostic()
        return {
            "fichier": self.source.name, "format": self.kind, "seuil": float(seuil) if seuil is not None else None,
            "departements": sorted(self.territory.departements), **self.counts(),
            "interrompu": self.tally.interrupted, "alertes": list(self.alertes),
            "lignes_ecartees": [r.to_dict() for r in self.left_out],
            "illisibles_par_motif": dict(self.tally.malformed),
            "illisibles_exemples": [{"position": i, "id": rid, "motif": why} for i, rid, why in self.tally.examples],
            "marches_clauses_non_suivies": [candidate_dict(c) for c in self.a_suivre],
            "marches_sans_clause": [candidate_dict(c) for c in self.sans_clause],
            "titulaires": [{**i, "montant": float(i["montant"])} for i in self.titulaires()],
            "reference_nationale": {"part": self.reference.share, "source": self.reference.source,
                                    "annee": self.reference.year},
            "diagnostic": [diagnostic_dict(d, self.reference) for d in (*lines, total(lines))],
        }


def reperer(decp_path: Path, classeur_path: Path, departements: tuple[str, ...] = (),
            seuil: float | Decimal | None = None, depuis: dt.date | None = None, jusqu_au: dt.date | None = None,
            reference: l2112.NationalReference | None = None,
            early: Future[Any] | None = None) -> Reperage:
    """Read the DECP file once (JSON streamed, parquet or CSV filtered while read), keeping the territory's markets.

    `seuil` replaces the L2112-2-1 thresholds table for the « Sans clause » list (the legal warning keeps
    the table). `early`: the file's read started by the command before it imported this module
    (`adapters.decp_early.begin`).
    """
    return reperer_classeur(read_classeur(classeur_path, TABLES), Path(classeur_path), decp_path, departements,
                            seuil, depuis, jusqu_au, reference, early)


def reperer_classeur(c: Classeur, classeur_path: Path, decp_path: Path, departements: tuple[str, ...] = (),
                     seuil: float | Decimal | None = None, depuis: dt.date | None = None,
                     jusqu_au: dt.date | None = None,
                     reference: l2112.NationalReference | None = None,
                     early: Future[Any] | None = None) -> Reperage:
    """`reperer` on a workbook already read (the button's path); `early`, the file's early read if any.

    `reference`: the national share the diagnostic compares with; by default the workbook's parameters
    (« Part nationale de référence (%) », its source and year), else the OECP's 2023 figure."""
    typed, c = c, screen(c)  # IDs are proposed after every ID typed, rows in error included
    decp_path = Path(decp_path)
    communes = c["T_Territoire"]["code_postal"] if "T_Territoire" in c.tables else ()
    departements = (*departements_parameter(c.params.get("departements_reperage")), *departements)
    territory = decp.build_territory(
        c["T_DonneursOrdre"], c["T_Marches"], c["T_Entreprises"], c.params,
        departements, Decimal(str(seuil)) if seuil is not None else None, depuis, communes, jusqu_au)
    if not territory.buyers and not territory.departements and not territory.communes:
        raise NoTerritory(
            f"Le classeur « {Path(classeur_path).name} » ne dit pas quel est le territoire : aucun donneur d'ordre "
            "n'a de SIRET (feuille Donneurs d'ordre), la feuille Territoire n'a aucune commune et le paramètre "
            f"« {schema.PARAMETERS_BY_KEY['departements_reperage'].name} » de la feuille Paramètres est vide. "
            "Complétez l'un des trois (par exemple 50 dans ce paramètre pour les marchés de la Manche)."
        )
    kind = detect_kind(decp_path)
    tally = read_decp(decp_path, kind, territory, early)
    buyers = [{str(k): v for k, v in row.items()}
              for row in c["T_DonneursOrdre"][["id", "nom", "siret", "categorie"]].to_dict("records")]
    if reference is None:
        p = c.params
        reference = l2112.national_reference(p.get("part_nationale"), p.get("source_nationale"),
                                             p.get("annee_nationale"))
    return Reperage(decp_path, Path(classeur_path), tally, territory, tuple(c.left_out), kind, reference,
                    buyers, _ids(typed, "T_Marches"), _ids(typed, "T_DonneursOrdre"), tuple(decp.matching_alerts(c)))


def read_decp(path: Path, kind: str, territory: decp.Territory, early: Future[Any] | None = None) -> decp.Tally:
    """Every record of the file through the classifier; a truncated JSON keeps what was read.

    `early`: the consolidated file filtered on a superset of the territory, used when it holds it."""
    tally = decp.Tally()
    if kind == "json":
        try:
            tally.add_all(iter_records(path), territory)
        except DecpTruncated as err:
            tally.interrupted = str(err)
        return tally
    from ..adapters.decp_tabular import read_tabular  # polars only for the tabular shapes
    from ..core import decp_frame

    found = early.result() if early is not None else None
    if found is not None and found[0].holds(territory.buyers, territory.departements, territory.communes):
        read = read_tabular(path, kind, territory, found[1])
    else:
        read = read_tabular(path, kind, territory)
    tally = decp_frame.tally(read.frame, territory)
    tally.records = read.rows
    tally.hors_territoire += read.rows - read.frame.height
    return tally


def lignes_a_importer(decp_path: Path, classeur: Path | Classeur, uids: Collection[str] | None = None,
                      departements: tuple[str, ...] = ()) -> ImportRows:
    """The rows the button « Repérer les marchés » appends to T_Marches (and T_DonneursOrdre) in one write.

    `classeur` is the workbook's path, or the workbook already read (the button's open workbook). Markets
    the workbook already follows give no row (`ImportRows.deja_suivis`)."""
    if isinstance(classeur, Classeur):
        found = reperer_classeur(classeur, Path(classeur.source), decp_path, departements)
    else:
        found = reperer(decp_path, classeur, departements)
    return found.lignes_marches(uids)


class NoTerritory(InvalidOption):
    """The workbook names no buyer SIRET, no commune and no département: nothing tells what is ours."""


# --- The review list read back: the markets the facilitator marked « Oui » ------------------------

#: Custom properties of the review list: the DECP file it was made from, the départements of its territory.
DECP_PROPERTY, DEPARTEMENTS_PROPERTY = "clausexl-decp", "clausexl-departements"
CHOICE_SHEETS = ("Clauses non suivies", "Sans clause")


@dataclass(frozen=True)
class ChosenMarkets:
    """What a saved review list asks for: the markets marked « Oui », and how to find them again."""

    liste: Path
    decp: Path
    departements: tuple[str, ...]
    references: tuple[str, ...]


def is_review_list(path: Path) -> bool:
    """An .xlsx (a zip), not a DECP file: the button then imports the markets it marks."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def chosen_markets(path: Path) -> ChosenMarkets:
    """The markets marked « Oui » in the column « À importer » of a saved review list."""
    from ..adapters.decp_workbook import read_review

    not_a_list = (f"Le fichier « {path.name} » n'est pas une liste écrite par « Repérer les marchés » : choisissez "
                  "un fichier DECP (JSON, CSV ou parquet), ou une liste « Repérage - … .xlsx » où vous avez saisi Oui "
                  f"dans la colonne « {IMPORT} ».")
    try:
        properties, sheets = read_review(path, CHOICE_SHEETS)
    except ValueError:
        raise InvalidOption(not_a_list) from None
    if DECP_PROPERTY not in properties:
        raise InvalidOption(not_a_list)
    references: list[str] = []
    for rows in sheets.values():
        header = next((i for i, row in enumerate(rows) if row and row[0] == IMPORT), None)
        if header is None or "Référence DECP" not in rows[header]:
            continue
        at = rows[header].index("Référence DECP")
        references += [str(row[at]).strip() for row in rows[header + 1:]
                       if len(row) > at and isinstance(row[0], str) and fold(row[0]) == "oui" and row[at]]
    if not references:
        raise InvalidOption(f"Aucun marché n'est marqué Oui dans la colonne « {IMPORT} » de « {path.name} » : "
                            "saisissez Oui sur les lignes des marchés à reprendre, enregistrez la liste, puis "
                            "choisissez-la de nouveau.")
    departements = tuple(d for d in properties.get(DEPARTEMENTS_PROPERTY, "").split(",") if d)
    return ChosenMarkets(path, Path(properties[DECP_PROPERTY]), departements, tuple(dict.fromkeys(references)))


def _ids(c: Any, table: str) -> frozenset[str]:
    frame = c.tables.get(table)
    if frame is None:
        return frozenset()
    return frozenset(str(i).strip() for i in frame["id"] if isinstance(i, str) and i.strip())


def diagnostic_dict(d: BuyerDiagnostic, reference: l2112.NationalReference) -> dict[str, Any]:
    return {
        "acheteur": d.nom, "siret": d.siret, "donneur_ordre": d.donneur_ordre, "categorie_seuils": d.categorie,
        "marches": d.marches, "montant": float(d.montant), "avec_consideration": d.avec_consideration,
        "par_type": dict(d.par_type), "suivis_par_le_classeur": d.suivis,
        "sans_consideration": d.sans_consideration, "sans_consideration_au_dessus_du_seuil": d.sans_au_dessus_seuil,
        "alertes_l2112": d.alertes_l2112, "part": d.part, "ecart_reference": d.ecart(reference),
        "heures_possibles": d.heures_possibles,
    }


def candidate_dict(c: decp.Candidate) -> dict[str, Any]:
    return {
        "reference": c.uid, "id": c.id, "acheteur": c.acheteur, "donneur_ordre": c.donneur_ordre,
        "objet": c.objet, "nature": c.nature, "type_marche": c.type_marche, "code_cpv": c.code_cpv,
        "procedure": c.procedure, "montant": float(c.montant), "heures_possibles": c.heures_possibles,
        "date_notification": c.date_notification.isoformat() if c.date_notification else None,
        "duree_mois": c.duree_mois, "lieu": c.lieu, "departement": c.departement,
        "considerations_sociales": list(c.considerations), "titulaires": list(c.titulaires),
        "entreprises": list(c.entreprises), "seuil_europeen": float(c.seuil_europeen),
        "alerte_l2112": l2112.WARNING if c.alerte_l2112 else None,
    }


def market_row(c: decp.Candidate) -> list[Any]:
    return [
        None, c.uid, c.acheteur, c.donneur_ordre, c.objet, c.nature, c.type_marche, c.code_cpv, c.procedure,
        float(c.montant), c.heures_possibles, c.date_notification, c.duree_mois, c.lieu, c.departement,
        ", ".join(c.considerations), ", ".join(c.titulaires), ", ".join(c.entreprises), float(c.seuil_europeen),
        l2112.WARNING if c.alerte_l2112 else None,
    ]


DIAGNOSTIC_HEADERS = (
    "Acheteur", "SIRET", "Donneur d'ordre", "Catégorie (seuils)", "Marchés publiés", "Montant HT (€)",
    "Avec considération sociale", "dont Clause sociale", "dont Critère social", "dont Marché réservé",
    "dont suivis par le classeur", "Part avec considération", "Référence nationale", "Écart (points)",
    "Sans considération", "Sans considération au-dessus du seuil européen", "dont L2112-2-1 probable",
    "Heures possibles (sans considération)",
)
DIAGNOSTIC_FORMATS = {"Montant HT (€)": AMOUNT, "Part avec considération": SHARE,
                      "Référence nationale": SHARE, "Écart (points)": POINTS,
                      "Heures possibles (sans considération)": HOURS}
#: Headers are wrapped over narrow columns; names and categories keep the room they need.
DIAGNOSTIC_WIDTHS: dict[str, float] = {
    **dict.fromkeys(DIAGNOSTIC_HEADERS, 13.0), "Acheteur": 50, "SIRET": 16, "Donneur d'ordre": 10,
    "Catégorie (seuils)": 48, "Montant HT (€)": 16, "Sans considération au-dessus du seuil européen": 16,
}
CHART_ROWS = 25  # buyers shown in the chart: those with markets, the workbook's first, then the most active


def diagnostic_row(d: BuyerDiagnostic, reference: l2112.NationalReference) -> list[Any]:
    return [d.nom, d.siret, d.donneur_ordre, d.categorie, d.marches, float(d.montant), d.avec_consideration,
            *(d.par_type[k] for k in decp.SOCIAL), d.suivis, d.part, reference.share,
            None if (gap := d.ecart(reference)) is None else round(gap * 100, 1),
            d.sans_consideration, d.sans_au_dessus_seuil, d.alertes_l2112, d.heures_possibles]


def write_reperage(r: Reperage, destination: Path, force: bool = False, uids: Collection[str] | None = None) -> Path:
    """The review workbook: the diagnostic per buyer (with its chart), the lists to review, the rows for
    the Marchés sheet, awardees and how the file was read."""
    from ..adapters.decp_workbook import Chart, write_with_charts  # XlsxWriter only when a list is written

    p = r.territory.params
    formula = (f"Heures possibles = Montant HT × {RATE.text(p['part_main_oeuvre'])} × "
               f"{RATE.text(p['taux_insertion'])} ÷ {AMOUNT.text(p['cout_horaire'])}/h, arrondi au multiple de "
               f"{HOURS.text(p['arrondi'])} supérieur (paramètres du classeur).")
    mark = f"Saisissez Oui dans la colonne « {IMPORT} » pour les marchés à reprendre dans le classeur."

    def market_sheet(name: str, title: str, items: list[decp.Candidate], *extra: str) -> OutSheet:
        return OutSheet(name, MARKET_HEADERS, [market_row(c) for c in items], MARKET_FORMATS, title=title,
                        notes=[mark, formula, "Travaux d'abord, puis par montant décroissant.", *extra],
                        widths=MARKET_WIDTHS, choices={IMPORT: ("Oui", "Non")})

    if r.territory.threshold is None:
        sans_title = "Marchés sans considération sociale au-dessus du seuil européen (article L2112-2-1)"
    else:
        seuil = AMOUNT.text(float(r.territory.threshold))
        sans_title = (f"Marchés sans considération sociale de {seuil} HT et plus, et ceux que l'article L2112-2-1 "
                      "concerne probablement")
    lines = r.diagnostic()
    ref = r.reference
    period = _period_text(r.territory)
    diag = OutSheet(
        "Diagnostic", DIAGNOSTIC_HEADERS,
        [diagnostic_row(d, ref) for d in lines] + [diagnostic_row(total(lines), ref)], DIAGNOSTIC_FORMATS,
        title=f"Diagnostic par acheteur — {r.source.name}{period}",
        notes=[f"Référence nationale : {SHARE.text(ref.share)} des marchés avec une considération sociale "
               f"({ref.source}, {ref.year}).",
               "Avec considération sociale : déclarée dans la DECP, ou marché suivi dans le classeur ; un marché "
               "peut en déclarer plusieurs (les « dont » ne s'additionnent pas forcément).",
               "Heures possibles : celles que les marchés sans considération sociale auraient pu porter. " + formula,
               l2112.WHY_PROBABLE, *quality_lines(r.left_out), *r.alertes, *unread_lines(r.tally)],
        widths=DIAGNOSTIC_WIDTHS)
    imports = r.lignes_marches(uids)
    sheets = [
        diag,
        market_sheet("Clauses non suivies", f"Marchés avec une considération sociale que le classeur ne suit pas "
                     f"({r.source.name})", r.a_suivre),
        market_sheet("Sans clause", sans_title, r.sans_clause, l2112.WHY_PROBABLE),
        OutSheet("Pour la feuille Marchés", ImportRows.headers("T_Marches"),
                 [list(row.values()) for row in imports.marches],
                 {"Montant HT (€)": AMOUNT, "Date de notification": DATE, "Date de début": DATE,
                  "Date de fin": DATE},
                 title="Lignes prêtes à coller dans la feuille Marchés (mêmes colonnes, même ordre)",
                 notes=["Collez d'abord les lignes de la feuille « Donneurs à créer » s'il y en a.",
                        "Dispositif, Attributaire et dates sont à vérifier ; un marché sans considération sociale "
                        "est « En préparation »."], widths={"Objet": 40, "Commentaire": 50}),
        OutSheet("Donneurs à créer", ImportRows.headers("T_DonneursOrdre"),
                 [[row.get(k) for k in _keys("T_DonneursOrdre")] for row in imports.donneurs],
                 title="Acheteurs absents de la feuille Donneurs d'ordre (reconnus par leur SIRET)",
                 notes=["Catégorie déduite du SIREN (21 commune, 22 département, 23 région, 24 EPCI), à vérifier."]),
        OutSheet("Titulaires", ("SIRET", "Entreprise", "Raison sociale", "Marchés", "Montant HT (€)"),
                 [[i["siret"], i["entreprise"], i["raison_sociale"], i["marches"], float(i["montant"])]
                  for i in r.titulaires()], {"Montant HT (€)": AMOUNT},
                 title="Titulaires des marchés listés",
                 notes=["Entreprise vide : SIRET absent de la feuille Entreprises du classeur."]),
        OutSheet("Seuils", ("Période", "Catégorie d'acheteur", "Travaux (€ HT)", "Fournitures et services (€ HT)",
                            "Source"), threshold_rows(), {"Travaux (€ HT)": AMOUNT,
                                                       "Fournitures et services (€ HT)": AMOUNT},
                 title="Seuils européens utilisés (article L2112-2-1)",
                 notes=[f"Consultations lancées à partir du {DATE.text(l2112.LAW_DATE)}."], widths={"Source": 60}),
        OutSheet("Lecture", ("Rubrique", "Nombre"), reading_rows(r), title=f"Lecture de {r.source.name}",
                 notes=[*([r.tally.interrupted] if r.tally.interrupted else ()),
                        f"Fichier lu : {r.source.resolve()}", _territory_text(r.territory)]),
    ]
    if r.tally.examples:
        sheets.append(OutSheet("Illisibles", ("Position", "Identifiant", "Motif"),
                               [list(e) for e in r.tally.examples],
                               title="Enregistrements du territoire laissés de côté",
                               notes=[f"Au plus {decp.MAX_EXAMPLES} exemples ; les autres sont comptés "
                                      "dans la feuille Lecture."], widths={"Motif": 60}))
    shown = min(sum(1 for d in lines if d.marches), CHART_ROWS)  # buyers with markets come first
    title = "Part des marchés avec une considération sociale, par acheteur"
    if shown < sum(1 for d in lines if d.marches):
        title += f" ({shown} plus actifs)"
    charts = [Chart("Diagnostic", title, category="Acheteur", bars="Part avec considération",
                    line="Référence nationale", rows=shown)] if shown else []
    properties = {DECP_PROPERTY: str(r.source.resolve()),
                  DEPARTEMENTS_PROPERTY: ",".join(sorted(r.territory.departements))}
    return write_with_charts(destination, sheets, charts, force, properties)


def unread_lines(t: decp.Tally) -> list[str]:
    """What of the DECP file the diagnostic does not count: a buyer met with before is shown the figures
    of its markets, so the markets of the territory that could not be read are said above them."""
    n = sum(t.malformed.values())
    many = n > 1
    lines = [f"{n} enregistrement{'s' if many else ''} illisible{'s' if many else ''} du fichier "
             f"{'sont laissés' if many else 'est laissé'} de côté : ni ce diagnostic ni les listes ne "
             f"{'les' if many else 'le'} comptent (motifs : feuilles Illisibles et Lecture)."] if n else []
    return [*lines, *([t.interrupted] if t.interrupted else ())]


def threshold_rows() -> list[list[Any]]:
    return [[f"{DATE.cell(p.start)} – {DATE.cell(p.end)}", cat, p.works, p.supplies_services[cat], p.source]
            for p in l2112.PERIODS for cat in l2112.CATEGORIES]


def _keys(table: str) -> tuple[str, ...]:
    return schema.table(table).keys


def _territory_text(t: decp.Territory) -> str:
    parts = [f"{len(t.buyers)} SIRET de donneurs d'ordre",
             f"{counted(len(t.communes), 'commune')} de la feuille Territoire"]
    if t.departements:
        parts.append(f"{agreed(len(t.departements), 'département')} {', '.join(sorted(t.departements))}")
    return "Territoire : " + ", ".join(parts) + "."


def _period_text(t: decp.Territory) -> str:
    if t.since and t.until:
        return f" (notifiés du {DATE.text(t.since)} au {DATE.text(t.until)})"
    if t.since:
        return f" (notifiés depuis le {DATE.text(t.since)})"
    if t.until:
        return f" (notifiés jusqu'au {DATE.text(t.until)})"
    return ""


READING_LABELS = {
    "enregistrements": "Enregistrements (lignes) lus", "concessions": "Concessions (ignorées)",
    "hors_territoire": "Hors du territoire", "avant_date": "Notifiés avant la période",
    "apres_date": "Notifiés après la période", "doublons": "Doublons",
    "lignes_fusionnees": "Lignes d'un même marché (titulaires, modifications)",
    "sous_seuil": "Sans considération sociale, sous le seuil",
    "illisibles": "Illisibles (laissés de côté)", "clauses_non_suivies": "Avec considération sociale, non suivis",
    "sans_clause": "Sans considération sociale, au-dessus du seuil",
    "alertes_l2112": "dont L2112-2-1 : considération sociale attendue",
    "deja_suivis": "Déjà suivis dans le classeur",
}


def reading_rows(r: Reperage) -> list[list[Any]]:
    rows = [[READING_LABELS[k], v] for k, v in r.counts().items()]
    rows += [[f"Illisibles : {why}", n] for why, n in sorted(r.tally.malformed.items())]
    return rows

