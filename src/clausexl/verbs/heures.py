"""heures: where each clause stands, per market, company, employer, participant, buyer and month."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..adapters.workbook_reader import read_classeur
from ..adapters.xlsx_out import OutSheet, write_workbook
from ..core.classeur import Classeur
from ..core.exclusion import NOT_GIVEN, LeftOutRow, quality_lines, screen
from ..core.hours import LATE_THRESHOLD, MODALITY_LINES, reference_date, unknown_qpv_lines
from ..core.hours import TABLES as HOURS_TABLES
from ..core.hours_views import HoursViews, hours_views
from ..core.values import AMOUNT, COUNT, DATE, HOURS, MONTH, SHARE, ValueKind, month_label

TABLES = (*HOURS_TABLES, "T_Entreprises", "T_DonneursOrdre")
MODALITY_COLUMNS = [f"heures_{m}" for m in MODALITY_LINES]
MARKET_KEYS = ("id", "heures_prevues", "heures_calculees", "calcul_heures", "heures_realisees", "heures_travaillees",
               "heures_formation", "npnru", "heures_residents_qpv", "heures_qpv_inconnu", "heures_comptees", "taux",
               "reste", "attendu_a_date", "en_retard", "penalite", "engage")
PROGRESS_KEYS = ("id", "nom", "marches", "marches_en_retard", "heures_prevues", "heures_realisees",
                 "heures_travaillees", "heures_formation", "heures_comptees", "taux", "reste", "attendu_a_date",
                 "penalite", "marches_hors_obligation", "heures_hors_obligation")


@dataclass(frozen=True)
class Heures:
    """Every view of the hours of one workbook at a reference date (and year, when asked)."""

    source: Path
    views: HoursViews
    params: dict[str, Any]
    left_out: tuple[LeftOutRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `heures --json` (docs/calculs.md §4), with the reference date and the choices."""
        v = self.views
        markets = _records(v.marches, (*MARKET_KEYS, "objet", "donneur_ordre", "attributaire", "statut"))
        for item, modalities in zip(markets, _records(v.marches, MODALITY_COLUMNS)):
            item["heures_par_modalite"] = {k.removeprefix("heures_"): val for k, val in modalities.items()
                                           if val or k != f"heures_{NOT_GIVEN}"}
        return {
            "au": v.au.isoformat(),
            "annee": v.annee,
            "reference": reference_date(v.au, v.annee).isoformat(),
            "marches": markets,
            "marches_hors_obligation": [m["id"] for m in markets if not m["engage"]],
            "entreprises": _records(v.entreprises, PROGRESS_KEYS),
            "employeurs": _records(v.employeurs, ("id", "nom", "heures", "heures_travaillees", "heures_formation",
                                                  "contrats", "participants", "marches")),
            "participants": _records(v.participants, ("id", "heures", "heures_travaillees", "heures_formation",
                                                      "contrats", "marches")),
            "donneurs_ordre": _records(v.donneurs_ordre, PROGRESS_KEYS),
            "mois": _records(v.mois, ("mois", "heures", "heures_travaillees", "heures_formation")),
            "choix": choices(self.views),
            "lignes_ecartees": [r.to_dict() for r in self.left_out],
            "alertes": self.warnings,
        }

    @property
    def warnings(self) -> list[str]:
        """« Attention » sentences: hours that do not count on an NPNRU market for an unknown QPV code."""
        return unknown_qpv_lines(self.views.marches)


def heures(path: Path, au: dt.date | None = None, annee: int | None = None) -> Heures:
    """Read the tables hours need and compute every view (reference date: today by default)."""
    return heures_classeur(read_classeur(path, TABLES), path, au, annee)


def heures_classeur(c: Classeur, source: Path, au: dt.date | None = None, annee: int | None = None) -> Heures:
    """The same on a workbook already read (the open workbook, from Excel); rows in error left out."""
    c = screen(c)
    views = hours_views(c, au or dt.date.today(), annee)
    return Heures(Path(source), views, dict(c.params), c.left_out)


def choices(v: HoursViews) -> list[str]:
    """What the figures mean where docs/calculs.md leaves a choice."""
    ref = reference_date(v.au, v.annee)
    scope = (f"Heures réalisées : mois de {v.annee} seulement ; les heures prévues restent entières ; "
             f"taux, reste, attendu, retard et pénalité au {DATE.cell(ref)}."
             if v.annee else f"Heures réalisées : tous les mois jusqu'au {DATE.cell(v.au)}.")
    return [
        scope,
        "Marchés NPNRU : seules les heures des résidents des QPV comptent pour l'objectif, le taux, le reste et la "
        "pénalité ; toutes les heures sont montrées à côté.",
        f"Attendu à date = heures prévues × part écoulée de [début, fin] au {DATE.cell(ref)} (0 avant le début).",
        f"En retard : marché En cours dont les heures qui comptent sont sous {LATE_THRESHOLD:.0%} de l'attendu à "
        "date.".replace("%", " %"),
        "Pénalité = reste × pénalité du marché (sinon le paramètre), si rien de plus n'était réalisé ; "
        "seulement pour un marché En cours ou Terminé déjà commencé.",
        "Marchés En préparation ou Abandonnés : sans obligation, ni retard ni pénalité ; comptés à part dans les "
        "totaux par entreprise et par donneur d'ordre.",
        "Taux d'une entreprise ou d'un donneur d'ordre : heures de chaque marché comptées jusqu'à son objectif, "
        "si bien que 100 % veut dire qu'il ne reste rien.",
        "Entreprises : heures des marchés dont elles sont attributaires ; employeurs : heures des contrats "
        "qu'ils portent.",
    ]


# --- the output workbook and the Tableau de bord sheet ------------------------------------------

#: A column of an hours sheet: key in the view, header, kind of its values (None: text as it is).
Column = tuple[str, str, ValueKind | None]

MARKET_COLUMNS: tuple[Column, ...] = (
    ("id", "Marché", None), ("objet", "Objet", None), ("donneur_ordre", "Donneur d'ordre", None),
    ("donneur_ordre_nom", "Nom du donneur d'ordre", None), ("attributaire", "Attributaire", None),
    ("attributaire_nom", "Nom de l'attributaire", None), ("statut", "Statut", None),
    ("date_debut", "Début", DATE), ("date_fin", "Fin", DATE),
    ("heures_prevues", "Heures prévues", HOURS), ("heures_calculees", "Heures calculées", HOURS),
    ("heures_realisees", "Heures réalisées", HOURS), ("heures_travaillees", "dont travaillées", HOURS),
    ("heures_formation", "dont formation", HOURS),
    *((f"heures_{m}", m, HOURS) for m in MODALITY_LINES),
    ("npnru", "NPNRU", None), ("heures_residents_qpv", "dont résidents QPV", HOURS),
    ("heures_comptees", "Heures qui comptent", HOURS),
    ("taux", "Taux de réalisation", SHARE), ("reste", "Reste à réaliser", HOURS),
    ("attendu_a_date", "Attendu à date", HOURS), ("en_retard", "En retard", None),
    ("penalite", "Pénalité à la fin (€)", AMOUNT), ("engage", "Avec obligation", None),
    ("calcul_heures", "Calcul des heures", None),
)
# Column tables alike MARKET_COLUMNS on purpose: each sheet lists its own columns, in its own order.
PROGRESS_COLUMNS: tuple[Column, ...] = (
    ("id", "ID", None), ("nom", "Nom", None), ("marches", "Marchés", COUNT),
    ("marches_en_retard", "Marchés en retard", COUNT), ("heures_prevues", "Heures prévues", HOURS),
    ("heures_realisees", "Heures réalisées", HOURS), ("heures_travaillees", "dont travaillées", HOURS),
    ("heures_formation", "dont formation", HOURS), ("heures_comptees", "Heures qui comptent", HOURS),
    ("taux", "Taux de réalisation", SHARE),
    ("reste", "Reste à réaliser", HOURS), ("attendu_a_date", "Attendu à date", HOURS),
    ("penalite", "Pénalité à la fin (€)", AMOUNT),
    ("marches_hors_obligation", "Marchés sans obligation", COUNT),
    ("heures_hors_obligation", "Heures sur ces marchés", HOURS),
)
EMPLOYER_COLUMNS: tuple[Column, ...] = (
    ("id", "ID", None), ("nom", "Nom", None), ("heures", "Heures", HOURS),
    ("heures_travaillees", "dont travaillées", HOURS), ("heures_formation", "dont formation", HOURS),
    ("contrats", "Contrats", COUNT), ("participants", "Participants", COUNT), ("marches", "Marchés", COUNT),
)
PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    ("id", "Participant", None), ("heures", "Heures", HOURS),
    ("heures_travaillees", "dont travaillées", HOURS), ("heures_formation", "dont formation", HOURS),
    ("contrats", "Contrats", COUNT), ("marches", "Marchés", COUNT),
    ("premier_mois", "Premier mois", MONTH), ("dernier_mois", "Dernier mois", MONTH),
)
MONTH_COLUMNS: tuple[Column, ...] = (
    ("mois", "Mois", None), ("heures", "Heures", HOURS), ("heures_travaillees", "dont travaillées", HOURS),
    ("heures_formation", "dont formation", HOURS), *((f"heures_{m}", m, HOURS) for m in MODALITY_LINES),
)


def heures_sheets(result: Heures) -> list[OutSheet]:
    """One sheet per view, late markets first."""
    v = result.views
    scope = f"année {v.annee}" if v.annee else f"au {DATE.cell(v.au)}"
    notes = [*quality_lines(result.left_out), *result.warnings, *choices(v)]
    return [
        _sheet("Marchés", f"Heures par marché ({scope})", v.marches, MARKET_COLUMNS, v.totaux["marches"], notes),
        _sheet("Entreprises", f"Heures par entreprise attributaire ({scope})", v.entreprises, PROGRESS_COLUMNS,
               v.totaux["entreprises"]),
        _sheet("Employeurs", f"Heures par employeur ({scope})", v.employeurs, EMPLOYER_COLUMNS,
               v.totaux["employeurs"], [ONCE_EACH]),
        _sheet("Participants", f"Heures par participant ({scope})", v.participants, PARTICIPANT_COLUMNS,
               v.totaux["participants"], [ONCE_EACH]),
        _sheet("Donneurs d'ordre", f"Heures par donneur d'ordre ({scope})", v.donneurs_ordre, PROGRESS_COLUMNS,
               v.totaux["donneurs_ordre"]),
        _sheet("Mois", f"Heures par mois ({scope})", v.mois.assign(mois=v.mois["mois"].map(month_label)),
               MONTH_COLUMNS, v.totaux["mois"]),
    ]


#: The note under the title of the sheets whose total counts people, contracts and markets.
ONCE_EACH = ("Total : heures additionnées ; participants, contrats et marchés comptés une fois chacun "
             "(une personne peut travailler pour plusieurs employeurs ou sur plusieurs marchés).")


def write_heures(result: Heures, destination: Path, force: bool = False) -> Path:
    """The hours workbook: one sheet per view."""
    return write_workbook(destination, heures_sheets(result), force)


def tableau_de_bord_rows(result: Heures) -> list[list[Any]]:
    """Rows of the `Tableau de bord` sheet (one write): markets late first, then companies (Attributaire).

    Rows have the same width; empty cells are None; dates are `datetime.date`; Oui/Non as text.
    """
    v = result.views
    scope = f"Année {v.annee}" if v.annee else f"Au {DATE.cell(v.au)}"
    markets = _table(v.marches, _shown(v.marches, MARKET_COLUMNS))
    companies = _table(v.entreprises, PROGRESS_COLUMNS)
    rows: list[list[Any]] = [[f"Tableau de bord des heures – {scope}"], *([n] for n in quality_lines(result.left_out)),
                             *([n] for n in result.warnings), *([n] for n in choices(v)), [],
                             ["Par marché"], *markets, [], ["Par entreprise attributaire"], *companies]
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def _sheet(name: str, title: str, frame: pd.DataFrame, columns: Sequence[Column], totals: pd.DataFrame,
           notes: Sequence[str] = ()) -> OutSheet:
    shown = _shown(frame, columns)
    header, *body = _table(frame, shown)
    return OutSheet(name, header, body, formats={h: f for (_, h, f) in columns if f}, title=title, notes=notes,
                    widths=WIDTHS, totals=_table(totals, shown)[1:])


#: The column of long explanations, two lines at most (the others are as wide as their cells: xlsx_out).
WIDTHS: dict[str, float] = {"Calcul des heures": 100}


def _shown(frame: pd.DataFrame, columns: Sequence[Column]) -> Sequence[Column]:
    """The columns to show: « Non renseigné » only when some hours have no Modalité."""
    return [c for c in columns if c[1] != NOT_GIVEN or bool(frame[c[0]].fillna(0).astype(float).any())]


def _table(frame: pd.DataFrame, columns: Sequence[Column]) -> list[list[Any]]:
    """Header row then one row per line of `frame`, cells as plain Python values."""
    keys = [k for k, _, _ in columns]
    return [[h for _, h, _ in columns], *([_cell(x) for x in row] for row in frame[keys].itertuples(index=False))]


def _cell(value: Any) -> Any:
    """A plain value for a sheet: flags as the facilitator's Oui/Non rather than VRAI/FAUX."""
    value = _plain(value)
    return ("Oui" if value else "Non") if isinstance(value, bool) else value


def _records(frame: pd.DataFrame, keys: Sequence[str]) -> list[dict[str, Any]]:
    """JSON-ready records: NaN → None, numpy → Python, hours and shares rounded (column by column)."""
    columns = [_json_column(k, frame[k]) for k in keys]
    return [dict(zip(keys, row)) for row in zip(*columns)]


def _json_column(key: str, column: pd.Series) -> list[Any]:
    """`_json` of each value; a column of floats in one comprehension, without a call per value."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
        digits = 4 if key == "taux" else 2
        return [None if x != x else round(x, digits) for x in column.to_numpy().tolist()]
    return [_json(key, x) for x in column]


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _json(key: str, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, float):
        return round(value, 4 if key == "taux" else 2)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
