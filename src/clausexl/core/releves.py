"""Statements to fill: per company and month, the contracts whose hours the company reports.

A company receives one form per month listing the contracts running in that month on clause
markets where it is the awardee (Attributaire) or the employer (Employeur). The form names the
people (it goes to their employer, who knows them) but never their criteria. It is built on the
screened workbook (`exclusion.screen`): a contract, market, company or participant whose row is in
error is left out, and the form says how many rows were (« Qualité des données »).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .classeur import Classeur
from .contexts import blank, facilitateur, text
from .contexts.suivi import form_label, statement_deadline
from .errors import UnknownItem
from .exclusion import LeftOutRow, quality_sentence
from .month_contracts import contracts_in_month

TABLES = ("T_Marches", "T_DonneursOrdre", "T_Entreprises", "T_Contrats", "T_Participants")
#: The first cell of the hidden sheet that identifies our forms, and the version of its layout.
FORM_MARK = "clausexl-releve"
FORM_VERSION = 1
#: Blank lines at the bottom of every form, for people hired since the list was made, and their label.
NEW_PERSON_LINES = 5
NEW_PERSON = "Nouvelle personne"


@dataclass(frozen=True)
class FormLine:
    """One contract on a form: what the company sees to recognise the person and the job."""

    contrat: str
    prenom: str
    nom: str
    poste: str
    marche: str
    objet: str
    donneur_ordre: str
    employeur: str


@dataclass(frozen=True)
class Form:
    """The statement one company fills in for one month."""

    entreprise: str
    raison_sociale: str
    mois: dt.date
    date_limite: dt.date
    lignes: tuple[FormLine, ...]
    facilitateur: dict[str, str]
    #: The « Qualité des données » line (docs/calculs.md §0): rows of the facilitator's workbook left out.
    qualite: str = ""

    @property
    def name(self) -> tuple[str, ...]:
        """Pieces of the file name: `Relevé à remplir 2026-06 - E001 - Entreprise Y.xlsx`."""
        return (form_label(self.mois), self.entreprise, self.raison_sociale)


def forms(c: Classeur, month: dt.date, company: str | None = None) -> list[Form]:
    """One form per company with contracts in `month` (only `company` when given), by company ID."""
    companies = c["T_Entreprises"].drop_duplicates("id").set_index("id")
    if company is not None and company not in companies.index:
        raise UnknownItem(f"L'entreprise « {company} » n'existe pas dans la feuille Entreprises (ou sa ligne est "
                          "incomplète : lancez clausexl valider).")
    k = contracts_in_month(c, month)
    buyers = c["T_DonneursOrdre"].drop_duplicates("id").set_index("id")["nom"]
    names = companies["raison_sociale"]
    # A contract is on the form of its employer and on the form of the market's awardee.
    pairs = pd.concat([k.assign(entreprise=k["employeur"]), k.assign(entreprise=k["attributaire"])])
    pairs = pairs[pairs["entreprise"].isin(companies.index)].drop_duplicates(["entreprise", "id"])
    if company is not None:
        pairs = pairs[pairs["entreprise"] == company]
    contact = facilitateur(c.params)
    out = []
    for company_id, rows in pairs.groupby("entreprise", sort=True):
        rows = rows.sort_values(["nom", "prenom", "id"], na_position="last")
        lines = tuple(
            FormLine(text(r["id"]), text(r["prenom"]), text(r["nom"]), text(r["poste"]), text(r["marche"]),
                     text(r["objet"]), text(_get(buyers, r["donneur_ordre"])), text(_get(names, r["employeur"])))
            for r in rows.to_dict("records")
        )
        out.append(Form(str(company_id), text(names.get(company_id)), month, statement_deadline(month), lines,
                        contact, form_quality(c.left_out)))
    return out


def form_quality(left_out: Sequence[LeftOutRow]) -> str:
    """What the company reads about rows left out: the counts, and what to do if someone is missing."""
    line = quality_sentence(left_out)
    return line + (f" Si une personne de votre entreprise manque dans la liste, remplissez pour elle une ligne "
                   f"« {NEW_PERSON} »." if left_out else "")


def _get(series: pd.Series, key: Any) -> Any:
    return None if blank(key) else series.get(key)
