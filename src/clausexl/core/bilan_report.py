"""The funders' summary as plain data: key sentences, key figures beside N-1, tables with charts.

Both the funders' workbook (adapters/funders_workbook.py) and the `Synthèse <année>` sheet of
the Excel entry point lay out these same values, so what a funder reads is defined once.
Aggregates only: nothing here ever carries a participant's name, birth date or address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .indicators import NO_INFO, NOT_DUE
from .values import COUNT, DECIMAL, HOURS, NUMBER, SHARE, TEXT, ValueKind, counted, month_label


@dataclass(frozen=True)
class Figure:
    """One key figure: its label, its value in N and in N-1 (None when N-1 has no data)."""

    label: str
    kind: ValueKind
    value: float | int | None
    previous: float | int | None = None

    @property
    def change(self) -> float | None:
        """Relative change (fraction) for counts and hours; difference in percentage points for shares."""
        if self.previous is None or self.value is None:
            return None
        if self.kind == SHARE:
            return round((self.value - self.previous) * 100, 2)
        return round((self.value - self.previous) / self.previous, 4) if self.previous else None


@dataclass(frozen=True)
class Chart:
    """A native chart over a section's table: `kind` is an XlsxWriter type, `columns` the value columns."""

    kind: str
    columns: Sequence[int]
    subtype: str | None = None
    title: str = ""


@dataclass(frozen=True)
class Section:
    """One table of the summary, on sheet `sheet`, with the formats of its columns and an optional chart."""

    sheet: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    kinds: Sequence[ValueKind]
    chart: Chart | None = None
    note: str = ""
    total: bool = False


@dataclass(frozen=True)
class Summary:
    """Everything the funders' workbook holds, as values."""

    title: str
    annee: int
    sentences: Sequence[str]
    figures: Sequence[Figure]
    sections: Sequence[Section]
    parameters: Sequence[tuple[str, Any]]
    choices: Sequence[str] = field(default_factory=tuple)
    #: The « Qualité des données » block (exclusion.quality_rows): rows left out, counted by kind.
    quality: Sequence[Sequence[Any]] = field(default_factory=tuple)


def summary(ind: Mapping[str, Any], details: Mapping[str, Any], params: Mapping[str, Any],
            extraction: dt.date, source: str, quality: Sequence[Sequence[Any]] = ()) -> Summary:
    """The whole summary of a bilan (indicators and details as `core.indicators` gives them)."""
    annee = ind["annee"]
    return Summary(
        title=f"Bilan des clauses sociales {annee}",
        annee=annee,
        sentences=[*key_sentences(ind, details.get("non_renseigne", {})), *details.get("alertes", ())],
        figures=key_figures(ind),
        sections=sections(ind, details),
        parameters=(
            ("Structure", params.get("structure") or ""),
            ("Territoire", params.get("territoire") or ""),
            ("Année du bilan", annee),
            ("Heures par ETP", ind["heures_par_etp"]),
            ("Date d'extraction", extraction),
            ("Classeur source", source),
        ),
        choices=tuple(details.get("choix", ())),
        quality=tuple(quality),
    )


# --- the first sheet ---------------------------------------------------------------------------

def key_sentences(ind: Mapping[str, Any], unknown: Mapping[str, str]) -> list[str]:
    """The key figures as the sentences a funder reads (laid out like the seed's « chiffres clés »); a figure
    in `unknown` (its reference table is empty) is said not known, with the reason, never « 0 »."""
    rsa = ind["criteres"]["RSA"]["part"]
    n, contracts = ind["participants"], ind["contrats"]
    companies = ind["entreprises_engagees"]
    buyers = _count_of(ind["donneurs_ordre"], "donneur d'ordre accompagné", "donneurs d'ordre accompagnés")
    hours = ind["heures"]
    sentences = [
        f"{_count_of(n, 'bénéficiaire')} {_verb(n, 'a', 'ont')} réalisé {HOURS.bare(hours)} "
        f"{_verb(hours, 'heure', 'heures')} d'insertion, soit {DECIMAL.bare(ind['etp'])} ETP (ETP = heures ÷ "
        f"{NUMBER.bare(ind['heures_par_etp'])}).",
        *([f"Parmi eux, {_share(ind['part_moins_26_ans'])} ont moins de 26 ans, "
           f"{_share(ind['part_sans_qualification'])} n'ont pas de qualification et {_share(rsa)} "
           "relèvent du RSA."] if n else []),  # shares of no one are no figures: no sentence of dashes
        f"{_count_of(ind['femmes'], 'femme')}{_share_in_brackets(ind['part_femmes'])} ; " + (
            f"habitants d'un quartier prioritaire : non renseigné — {unknown['qpv']}." if ind["qpv"] is None else
            f"{_count_of(ind['qpv'], 'habitant')} d'un quartier prioritaire{_share_in_brackets(ind['part_qpv'])}."),
        f"{_count_of(ind['marches_suivis'], 'marché suivi', 'marchés suivis')}"
        + (f" dont {_share(ind['part_marches_travaux'])} de travaux" if ind["marches_suivis"] else "")
        + f", pour {buyers}.",
        f"{_count_of(companies, 'entreprise engagée', 'entreprises engagées')} en tant "
        f"qu'{_verb(companies, 'attributaire', 'attributaires')} ou pour la mise à disposition" + (
            f" ; entreprises locales : non renseigné — {unknown['entreprises_locales']}."
            if ind["entreprises_locales"] is None else
            f", dont {_count_of(ind['entreprises_locales'], 'locale')} ({_share(ind['part_entreprises_locales'])})."),
        f"{_count_of(contracts, 'contrat')} de travail ou de formation {_verb(contracts, 'a', 'ont')} porté ces "
        "heures.",
    ]
    npnru = ind["npnru"]
    if npnru["heures_residents_qpv"] is None and npnru["heures_prevues"]:
        sentences.append(
            f"Renouvellement urbain (NPNRU) : {HOURS.bare(npnru['heures'])} heures réalisées ; heures des habitants "
            f"des QPV et objectif : non renseigné — {unknown['qpv']}.")
    elif npnru["objectif_atteint"] is not None:
        met = "atteint" if npnru["objectif_atteint"] else "non atteint"
        sentences.append(
            f"Renouvellement urbain (NPNRU) : {HOURS.bare(npnru['heures'])} heures réalisées, dont "
            f"{HOURS.bare(npnru['heures_residents_qpv'])} par des habitants des QPV "
            f"({_share(npnru['part_residents_qpv'])}) ; objectif {met}."
        )
    sentences.extend(leavers_sentence(ind["sorties"]["Fin de contrat"]))
    return sentences


def leavers_sentence(end: dict[str, int]) -> list[str]:
    """« N des M participants sortis … »: M leaves out those whose échéance has not come (Non échu), and
    the sentence says how many are without information."""
    leavers = sum(n for category, n in end.items() if category != NOT_DUE)
    if not leavers:
        return []
    positive = end["Emploi durable"] + end["Emploi de transition"] + end["Sortie positive"]
    unknown = end.get(NO_INFO, 0)
    if leavers == 1:
        state = "est en emploi ou en sortie positive" if positive else "n'est ni en emploi ni en sortie positive"
        sentence = f"À la fin de son contrat, le seul participant sorti {state}"
    else:
        sentence = (f"À la fin de leur contrat, {_n(positive)} des {_n(leavers)} participants sortis "
                    f"({_share(positive / leavers)}) {_verb(positive, 'est', 'sont')} en emploi ou en sortie positive")
    if unknown:
        sentence += f" ; {_n(unknown)} sans information sur {_verb(unknown, 'sa', 'leur')} situation"
    return [sentence + "."]


FIGURES: tuple[tuple[str, ValueKind, tuple[str, ...]], ...] = (
    ("Bénéficiaires", COUNT, ("participants",)),
    ("Heures d'insertion", HOURS, ("heures",)),
    ("dont heures travaillées", HOURS, ("heures_travaillees",)),
    ("dont heures de formation", HOURS, ("heures_formation",)),
    ("Équivalents temps plein (ETP)", DECIMAL, ("etp",)),
    ("Femmes", COUNT, ("femmes",)),
    ("Part des femmes", SHARE, ("part_femmes",)),
    ("Moins de 26 ans", COUNT, ("moins_26_ans",)),
    ("Part des moins de 26 ans", SHARE, ("part_moins_26_ans",)),
    ("50 ans et plus", COUNT, ("cinquante_ans_et_plus",)),
    ("Sans qualification", COUNT, ("sans_qualification",)),
    ("Part sans qualification", SHARE, ("part_sans_qualification",)),
    *((f"Critère {label} (part)", SHARE, ("criteres", label, "part")) for label, _ in schema.CRITERES),
    ("Habitants des QPV", COUNT, ("qpv",)),
    ("Part des habitants des QPV", SHARE, ("part_qpv",)),
    ("Contrats", COUNT, ("contrats",)),
    ("Marchés suivis", COUNT, ("marches_suivis",)),
    ("Part des marchés de travaux", SHARE, ("part_marches_travaux",)),
    ("Donneurs d'ordre accompagnés", COUNT, ("donneurs_ordre",)),
    ("Entreprises engagées", COUNT, ("entreprises_engagees",)),
    ("dont entreprises locales", COUNT, ("entreprises_locales",)),
    ("Part des entreprises locales", SHARE, ("part_entreprises_locales",)),
    ("NPNRU : heures prévues", HOURS, ("npnru", "heures_prevues")),
    ("NPNRU : heures réalisées", HOURS, ("npnru", "heures")),
    ("NPNRU : heures des habitants des QPV", HOURS, ("npnru", "heures_residents_qpv")),
    ("Candidatures retenues", COUNT, ("candidatures", "Retenu")),
)


def key_figures(ind: Mapping[str, Any]) -> list[Figure]:
    """Each key figure of N with N-1 beside it where N-1 has data."""
    previous = ind.get("annee_precedente")
    return [Figure(label, kind, _at(ind, path), _at(previous, path) if previous else None)
            for label, kind, path in FIGURES]


def _at(data: Mapping[str, Any], path: Sequence[str]) -> Any:
    for key in path:
        data = data[key]
    return data


# --- the tables ----------------------------------------------------------------------------------

def sections(ind: Mapping[str, Any], det: Mapping[str, Any]) -> list[Section]:
    """Tables by month, people, markets, companies, contracts, sorties, NPNRU and candidatures."""
    n = ind["participants"]
    months = det["heures_par_mois"]
    sorties = ind["sorties"]
    companies = ind["entreprises_engagees"]
    local = ind["entreprises_locales"]
    npnru = ind["npnru"]
    out = [
        Section("Heures", "Heures d'insertion par mois",
                ("Mois", "Heures travaillées", "Heures de formation", "Total"),
                [(month_label(m), v["heures_travaillees"], v["heures_formation"], v["heures"])
                 for m, v in months.items()],
                (TEXT, HOURS, HOURS, HOURS), Chart("column", (1, 2), "stacked", "Heures par mois"), total=True),
        Section("Heures", "Heures par type de marché", ("Type de marché", "Heures"),
                list(det["heures_par_type_marche"].items()), (TEXT, HOURS), total=True),
        Section("Heures", "Heures par dispositif", ("Dispositif", "Heures"),
                list(det["heures_par_dispositif"].items()), (TEXT, HOURS), total=True),
        _counted("Participants", "Participants par sexe", "Sexe",
                 {{"F": "Femmes", "H": "Hommes"}.get(k, k): v for k, v in det["participants_par_sexe"].items()}, n,
                 Chart("pie", (1,), title="Participants par sexe")),
        _counted("Participants", "Participants par tranche d'âge", "Âge au premier contrat",
                 det["participants_par_tranche_age"], n, Chart("column", (1,), title="Participants par âge")),
        _counted("Participants", "Participants par niveau de qualification", "Niveau",
                 det["participants_par_qualification"], n),
        Section("Participants", "Critères d'éligibilité (non exclusifs)", ("Critère", "Participants", "Part"),
                [(label, v["nombre"], v["part"]) for label, v in ind["criteres"].items()],
                (TEXT, COUNT, SHARE), Chart("bar", (1,), title="Critères d'éligibilité"),
                note="Une personne remplit souvent plusieurs critères : les parts ne s'additionnent pas."),
        _counted("Participants", "Résidence en quartier prioritaire (QPV)", "Résidence",
                 {"Non renseigné (la feuille QPV est vide)": n} if ind["qpv"] is None else
                 {"Habitants d'un QPV": ind["qpv"], "Hors QPV": n - ind["qpv"]}, n),
        _counted("Marchés", "Marchés suivis par type", "Type de marché", ind["marches_par_type"],
                 ind["marches_suivis"], Chart("pie", (1,), title="Marchés par type")),
        _counted("Marchés", "Marchés suivis par dispositif", "Dispositif", ind["marches_par_dispositif"],
                 ind["marches_suivis"], Chart("bar", (1,), title="Marchés par dispositif")),
        _counted("Marchés", "Donneurs d'ordre accompagnés par catégorie", "Catégorie",
                 det["donneurs_ordre_par_categorie"], ind["donneurs_ordre"]),
        _counted("Entreprises", "Entreprises engagées, locales ou non", "Entreprises",
                 {"Non renseigné (la feuille Territoire est vide)": companies} if local is None else
                 {"Locales": local, "Hors territoire": companies - local}, companies,
                 Chart("pie", (1,), title="Entreprises locales")),
        _counted("Entreprises", "Entreprises engagées par type", "Type", det["entreprises_par_type"], companies),
        _counted("Entreprises", "Contrats par type", "Type de contrat", ind["contrats_par_type"], ind["contrats"]),
        _counted("Entreprises", "Contrats par modalité", "Modalité", ind["contrats_par_modalite"],
                 ind["contrats"], Chart("bar", (1,), title="Contrats par modalité")),
        Section("Sorties", "Situation des participants sortis, par échéance",
                ("Catégorie", *sorties), [(cat, *(sorties[e][cat] for e in sorties))
                                          for cat in next(iter(sorties.values()))],
                (TEXT, *(COUNT for _ in sorties)), Chart("bar", tuple(range(1, len(sorties) + 1)), "stacked",
                                                         "Sorties par échéance"),
                note="Participants dont le dernier contrat s'est terminé dans l'année ; « Non échu » : "
                     "l'échéance n'était pas passée à la date d'extraction.", total=True),
        Section("Sorties", "Renouvellement urbain (NPNRU)", ("Indicateur", "Valeur"),
                [("Heures prévues des marchés NPNRU", npnru["heures_prevues"]),
                 ("Objectif de l'année (heures prévues au prorata)", det["npnru_objectif_heures"]),
                 ("Heures réalisées dans l'année", npnru["heures"]),
                 ("dont par des habitants des QPV", npnru["heures_residents_qpv"]),
                 ("Objectif atteint", _yes_no(npnru["objectif_atteint"]))],
                (TEXT, HOURS),
                note="La charte ANRU demande 5 % des heures travaillées aux habitants des QPV ; les heures "
                     "prévues des clauses NPNRU tiennent lieu de ces 5 %."),
        Section("Sorties", "Candidatures proposées sur les offres", ("Résultat", "Candidatures"),
                [*ind["candidatures"].items(), ("Offres ayant reçu des candidatures", det["offres_avec_candidatures"])],
                (TEXT, COUNT),
                note="Embauches (candidatures retenues) par offre : "
                     f"{_fr_ratio(det['embauches_par_offre'])}."),
    ]
    return out


def _counted(sheet: str, title: str, label: str, counts: Mapping[str, int], whole: int,
             chart: Chart | None = None) -> Section:
    """A table of counts with their share of `whole` and a total row."""
    rows = [(k, v, (v / whole) if whole else None) for k, v in counts.items()]
    return Section(sheet, title, (label, "Nombre", "Part"), rows, (TEXT, COUNT, SHARE), chart, total=True)


def _fr_ratio(value: float | None) -> str:
    return "sans objet (aucune offre)" if value is None else NUMBER.bare(value)


def _yes_no(value: bool | None) -> str:
    return "sans objet" if value is None else ("Oui" if value else "Non")


def table_rows(section: Section) -> list[list[Any]]:
    """A section's body rows, with its total row when it has one (sums of counts and hours)."""
    rows = [list(r) for r in section.rows]
    if section.total and rows:
        total: list[Any] = ["Total"]
        for i, kind in enumerate(section.kinds[1:], start=1):
            total.append(sum(r[i] for r in rows) if kind in (COUNT, HOURS) else None)
        rows.append(total)
    return rows


# --- French numbers in sentences (docs/classeur.md, « Présentation des valeurs ») ------------------

def _n(value: float) -> str:
    """A count or a number of hours in a sentence: « 28 900 »."""
    return COUNT.bare(value)


def _count_of(value: float, singular: str, plural: str | None = None) -> str:
    """« 1 bénéficiaire », « 146 bénéficiaires »: a count in a sentence, its noun agreed."""
    return counted(int(value), singular, plural)


def _verb(value: float, singular: str, plural: str) -> str:
    """The word that agrees with a count: singular below 2, as French does."""
    return singular if abs(value) < 2 else plural


def _share_in_brackets(value: float | None) -> str:
    """« (28,6 %) » after a count; nothing when the share is over no one."""
    return "" if value is None else f" ({_share(value)})"


def _share(value: float | None) -> str:
    """« 25,3 % »; a share over nothing → « — »."""
    return SHARE.text(value) or "—"
