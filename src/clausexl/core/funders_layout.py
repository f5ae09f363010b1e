"""How a funders' workbook carries its figures for machines: the hidden sheet `Données`.

This is the contract between `bilan` (which writes the funders' workbook) and `consolider`
(which adds up several of them for a network). The visible sheets are for people and may change
freely; the `Données` sheet is what another program reads back:

- sheet name `Données` (hidden), header in row 1, one row per figure, columns `COLUMNS`:
  `Indicateur` (stable key path, e.g. `participants`, `criteres.RSA.nombre`), `Libellé` (French),
  `Valeur` (a number; empty when it cannot be computed, e.g. a share over 0), `Type` (see `TYPES`),
  `Numérateur` and `Dénominateur` (for a `part` or `ratio` row only: the keys of the rows it divides).
- the first rows are `info` rows whose key starts with `_`: `_producteur` (`clausexl bilan`),
  `_format` (1), `_annee`, `_structure`, `_territoire`, `_date_extraction` (text `AAAA-MM-JJ`), then one
  `_alerte.1`, `_alerte.2`… per « Attention » sentence of the bilan (`alertes` of its JSON: figures built
  on rows `valider` calls an error, said), so that `consolider` says them too.

`bilan` builds the rows with `data_rows(figures, ...)` from the JSON object of docs/calculs.md §4
and writes them as they come; `consolider` reads them back with `parse_data_rows`. Only
aggregates ever go in this sheet: nothing about a person.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .values import COUNT, DECIMAL, HOURS, NUMBER, SHARE

DATA_SHEET = "Données"
COLUMNS = ("Indicateur", "Libellé", "Valeur", "Type", "Numérateur", "Dénominateur")
FORMAT_VERSION = 1
PRODUCER_BILAN = "clausexl bilan"
PRODUCER_CONSOLIDER = "clausexl consolider"

#: How each type consolidates: `nombre` and `heures` and `etp` are summed; `part` (a share, shown
#: as a percentage) and `ratio` (e.g. hires per offer) are recomputed from the summed numerator and
#: denominator; `parametre` is kept when every structure has the same value; `oui_non` (1/0) gives
#: Oui when every structure has Oui; `info` is not a figure.
TYPES = ("nombre", "heures", "etp", "part", "ratio", "parametre", "oui_non", "info")
SUMMED = frozenset({"nombre", "heures", "etp"})
#: How each type is shown (core/values.py): in the network's workbook and on the command line.
KIND_OF_TYPE = {"nombre": COUNT, "heures": HOURS, "etp": DECIMAL, "part": SHARE, "ratio": NUMBER, "parametre": COUNT}
RECOMPUTED = frozenset({"part", "ratio"})
#: Types whose row is kept with an empty value when the figure is null.
EMPTY_ALLOWED = RECOMPUTED | {"oui_non"}
#: Counts and hours that are null when their reference table is empty (not known, never 0): their row stays
#: with an empty value, and a network's total leaves them out.
MAY_BE_UNKNOWN = frozenset({"qpv", "entreprises_locales", "npnru.heures_residents_qpv"})

#: Lists of the JSON object counted as one figure: the rows in error left out (docs/calculs.md §0), which a
#: network adds up to say how many rows its figures left out.
COUNTED_LISTS = frozenset({"lignes_ecartees"})
#: Top-level keys of the §4 object that are not figures (text, or said in the info rows).
NOT_FIGURES = frozenset({"annee", "date_extraction", "choix"})
PREVIOUS = "annee_precedente"

#: Each share of docs/calculs.md §4 → (numerator key, denominator key). `criteres.X.part` and the
#: shares under `annee_precedente.` follow the same rule (see `share_terms`).
SHARES: dict[str, tuple[str, str]] = {
    "part_femmes": ("femmes", "participants"),
    "part_moins_26_ans": ("moins_26_ans", "participants"),
    "part_sans_qualification": ("sans_qualification", "participants"),
    "part_qpv": ("qpv", "participants"),
    "part_marches_travaux": ("marches_par_type.Travaux", "marches_suivis"),
    "part_entreprises_locales": ("entreprises_locales", "entreprises_engagees"),
    "npnru.part_residents_qpv": ("npnru.heures_residents_qpv", "npnru.heures"),
    "tableaux.embauches_par_offre": ("tableaux.embauches", "tableaux.offres_avec_candidatures"),
}
RATIOS = frozenset({"tableaux.embauches_par_offre"})
PARAMETER_KEYS = frozenset({"heures_par_etp"})
YES_NO_KEYS = frozenset({"npnru.objectif_atteint"})
HOURS_KEYS = frozenset({"heures", "heures_travaillees", "heures_formation", "npnru.heures_prevues",
                        "npnru.heures", "npnru.heures_residents_qpv", "tableaux.npnru_objectif_heures"})

LABELS: dict[str, str] = {
    "participants": "Participants", "heures": "Heures d'insertion", "heures_travaillees": "Heures travaillées",
    "heures_formation": "Heures de formation", "etp": "Équivalents temps plein", "heures_par_etp": "Heures par ETP",
    "femmes": "Femmes", "part_femmes": "Part de femmes", "moins_26_ans": "Moins de 26 ans",
    "part_moins_26_ans": "Part de moins de 26 ans", "cinquante_ans_et_plus": "50 ans et plus",
    "sans_qualification": "Sans qualification", "part_sans_qualification": "Part sans qualification",
    "criteres": "Critère", "qpv": "Résidents QPV", "part_qpv": "Part de résidents QPV", "contrats": "Contrats",
    "contrats_par_type": "Contrats par type", "contrats_par_modalite": "Contrats par modalité",
    "marches_suivis": "Marchés suivis", "marches_par_type": "Marchés par type",
    "part_marches_travaux": "Part de marchés de travaux", "marches_par_dispositif": "Marchés par dispositif",
    "donneurs_ordre": "Donneurs d'ordre accompagnés", "entreprises_engagees": "Entreprises engagées",
    "entreprises_locales": "Entreprises locales", "part_entreprises_locales": "Part d'entreprises locales",
    "sorties": "Sorties", "npnru": "NPNRU", "heures_prevues": "heures prévues",
    "heures_residents_qpv": "heures des résidents QPV", "part_residents_qpv": "part des résidents QPV",
    "objectif_atteint": "objectif atteint", "candidatures": "Candidatures", "tableaux": "Tableaux",
    "heures_par_mois": "Heures par mois", "heures_par_type_marche": "Heures par type de marché",
    "heures_par_dispositif": "Heures par dispositif", "participants_par_sexe": "Participants par sexe",
    "participants_par_tranche_age": "Participants par tranche d'âge",
    "participants_par_qualification": "Participants par qualification",
    "entreprises_par_type": "Entreprises par type", "donneurs_ordre_par_categorie": "Donneurs d'ordre par catégorie",
    "embauches": "Embauches", "embauches_par_offre": "Embauches par offre",
    "offres_avec_candidatures": "Offres ayant reçu des candidatures",
    "npnru_objectif_heures": "Objectif NPNRU de l'année (heures prévues au prorata)",
    "nombre": "nombre", "part": "part",
    PREVIOUS: "Année précédente", "lignes_ecartees": "Lignes en erreur écartées des chiffres",
}
ALERT = "_alerte"
INFO_LABELS = {
    "_producteur": "Produit par", "_format": "Version du format", "_annee": "Année",
    "_structure": "Structure", "_territoire": "Territoire", "_date_extraction": "Date d'extraction",
    ALERT: "Alerte",
}


@dataclass(frozen=True)
class Figure:
    """One row of the `Données` sheet."""

    key: str
    label: str
    value: float | str | None
    type: str
    numerator: str | None = None
    denominator: str | None = None

    def row(self) -> list[Any]:
        return [self.key, self.label, self.value, self.type, self.numerator, self.denominator]


@dataclass(frozen=True)
class FundersData:
    """A funders' workbook read back: who made it, for which year and structure, and its figures."""

    producer: str
    year: int
    structure: str | None
    territory: str | None
    extraction: str | None
    figures: tuple[Figure, ...]
    alerts: tuple[str, ...] = ()


class LayoutError(ValueError):
    """The `Données` rows do not follow this contract; the message is one French sentence."""


# --- Writing (used by bilan) -------------------------------------------------------------------

def data_rows(figures: Mapping[str, Any], structure: str | None, year: int, territory: str | None = None,
              extraction: str | None = None, producer: str = PRODUCER_BILAN) -> list[list[Any]]:
    """The rows of the `Données` sheet (header first) for the §4 JSON object `figures`."""
    info = [
        Figure("_producteur", INFO_LABELS["_producteur"], producer, "info"),
        Figure("_format", INFO_LABELS["_format"], FORMAT_VERSION, "info"),
        Figure("_annee", INFO_LABELS["_annee"], int(year), "info"),
        Figure("_structure", INFO_LABELS["_structure"], structure or None, "info"),
        Figure("_territoire", INFO_LABELS["_territoire"], territory or None, "info"),
        Figure("_date_extraction", INFO_LABELS["_date_extraction"], extraction, "info"),
        *(Figure(f"{ALERT}.{i}", INFO_LABELS[ALERT], str(text), "info")
          for i, text in enumerate(figures.get("alertes") or (), start=1)),
    ]
    return [list(COLUMNS)] + [f.row() for f in info] + [f.row() for f in figures_of(figures)]


def figures_of(figures: Mapping[str, Any], prefix: str = "") -> list[Figure]:
    """Flatten the §4 object into figures, nested keys joined with `.`; `annee`, texts and lists are left out.

    A null share, ratio or Oui/Non (a share over nothing, no NPNRU market) stays as a row with an empty
    value; other nulls (no previous year) have no row.
    """
    out: list[Figure] = []
    for name, value in figures.items():
        key = f"{prefix}{name}"
        if not prefix and name in COUNTED_LISTS and isinstance(value, (list, tuple)):
            out.append(Figure(key, label_of(key), len(value), "nombre"))
            continue
        if (not prefix and name in NOT_FIGURES) or isinstance(value, (str, list, tuple)):
            continue  # the year, texts (choices made, dates) and lists are not figures to add up
        if isinstance(value, Mapping):
            out.extend(figures_of(value, f"{key}."))
            continue
        kind = type_of(key)
        if value is None and (name == PREVIOUS or (kind not in EMPTY_ALLOWED
                                                   and _strip_previous(key) not in MAY_BE_UNKNOWN)):
            continue
        num, den = _terms_or_none(key) if kind in RECOMPUTED else (None, None)
        out.append(Figure(key, label_of(key), _number(value, kind), kind, num, den))
    return out


def _terms_or_none(key: str) -> tuple[str | None, str | None]:
    """A share without declared terms gets none: its network total stays empty rather than wrong."""
    try:
        return share_terms(key)
    except KeyError:
        return None, None


def type_of(key: str) -> str:
    """The consolidation type of a key path (see `TYPES`)."""
    base = _strip_previous(key)
    last = base.rsplit(".", 1)[-1]
    if base in PARAMETER_KEYS:
        return "parametre"
    if base in YES_NO_KEYS:
        return "oui_non"
    if base in RATIOS:
        return "ratio"
    if base in SHARES or last == "part" or last.startswith("part_"):
        return "part"
    if base == "etp":
        return "etp"
    if base in HOURS_KEYS or last.startswith("heures"):
        return "heures"
    return "nombre"


def share_terms(key: str) -> tuple[str, str]:
    """(numerator key, denominator key) of a share; `criteres.X.part` → `criteres.X.nombre` / `participants`."""
    base = _strip_previous(key)
    if base in SHARES:
        num, den = SHARES[base]
    elif base.startswith("criteres.") and base.endswith(".part"):
        num, den = base[: -len("part")] + "nombre", "participants"
    else:
        raise KeyError(f"no numerator/denominator declared for share {key!r}")
    at = _previous_at(key)
    return (num, den) if at is None else (_insert_previous(num, at), _insert_previous(den, at))


def label_of(key: str) -> str:
    """A French label for a key path: known words translated, list values (RSA, CDI…) kept."""
    parts = key.split(".")
    words = [LABELS.get(p, p) for p in parts]
    return " — ".join(words)


def _strip_previous(key: str) -> str:
    """The key without its `annee_precedente` segment, wherever it is (`tableaux.annee_precedente.x` too)."""
    parts = key.split(".")
    return ".".join(p for p in parts if p != PREVIOUS) if PREVIOUS in parts else key


def _previous_at(key: str) -> int | None:
    parts = key.split(".")
    return parts.index(PREVIOUS) if PREVIOUS in parts else None


def _insert_previous(key: str, at: int) -> str:
    parts = key.split(".")
    return ".".join([*parts[:at], PREVIOUS, *parts[at:]])


def _number(value: Any, kind: str) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else value
    raise TypeError(f"figure of type {kind} is not a number: {value!r}")


# --- Reading (used by consolider) --------------------------------------------------------------

def parse_data_rows(rows: Sequence[Sequence[Any]], source: str) -> FundersData:
    """Read back the `Données` rows of one workbook; anything off is a `LayoutError` naming `source`."""
    if not rows or [_text(c) for c in list(rows[0])[: len(COLUMNS)]] != list(COLUMNS):
        raise LayoutError(
            f"La feuille « {DATA_SHEET} » du fichier « {source} » n'a pas les colonnes attendues "
            f"({', '.join(COLUMNS)}) : ce n'est pas un bilan produit par clausexl."
        )
    figures: list[Figure] = []
    info: dict[str, Any] = {}
    for r in rows[1:]:
        cells = list(r) + [None] * (len(COLUMNS) - len(r))
        key = _text(cells[0])
        if not key:
            continue
        kind = _text(cells[3]) or "nombre"
        if kind not in TYPES:
            raise LayoutError(f"Le fichier « {source} » a un type inconnu « {kind} » pour l'indicateur « {key} ».")
        if kind == "info":
            info[key] = cells[2]
            continue
        value = None if cells[2] == "" else cells[2]
        if (value is not None and not isinstance(value, (int, float))) or isinstance(value, bool):
            raise LayoutError(f"Le fichier « {source} » a une valeur non numérique « {value} » pour « {key} ».")
        if value is not None and not math.isfinite(value):
            raise LayoutError(f"Le fichier « {source} » a une valeur infinie ou indéfinie pour « {key} ».")
        figures.append(Figure(key, _text(cells[1]) or key, value, kind, _text(cells[4]), _text(cells[5])))
    producer = _text(info.get("_producteur"))
    if not producer:
        raise LayoutError(f"Le fichier « {source} » ne dit pas quel programme l'a produit : "
                          "ce n'est pas un bilan produit par clausexl.")
    version = info.get("_format")
    if not isinstance(version, (int, float)) or not math.isfinite(version) or int(version) > FORMAT_VERSION:
        raise LayoutError(f"Le fichier « {source} » suit une version du format ({version}) que cette version "
                          "de clausexl ne connaît pas : mettez clausexl à jour.")
    year = info.get("_annee")
    if not isinstance(year, (int, float)) or not math.isfinite(year) or not 1900 <= year <= 2100:
        raise LayoutError(f"Le fichier « {source} » ne dit pas l'année de son bilan (1900 à 2100), il dit « {year} ».")
    alerts = tuple(text for key, value in info.items() if key.startswith(f"{ALERT}.") and (text := _text(value)))
    return FundersData(producer, int(year), _text(info.get("_structure")), _text(info.get("_territoire")),
                       _text(info.get("_date_extraction")), tuple(figures), alerts)


def keys_in_order(datasets: Iterable[FundersData]) -> list[Figure]:
    """One figure per key, in the order of the first workbook that has it (the union of all)."""
    seen: dict[str, Figure] = {}
    for data in datasets:
        for f in data.figures:
            seen.setdefault(f.key, f)
    return list(seen.values())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
