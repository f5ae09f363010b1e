"""The ribbon's buttons, held once as data.

The ribbon XML, the VBA callbacks module and the Excel entry points must agree button by button;
this table is what tests cross-check them against, so a button added in one place and not the
others fails loudly instead of doing nothing when the facilitator clicks it. It imports nothing,
so that reading it (the Guide, the tests, `clausexl.excel`'s lookup) costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The ribbon tab that carries every button.
TAB_LABEL = "Clauses sociales"
#: The package whose modules hold the functions the callbacks run through xlwings' RunPython.
ENTRY_PACKAGE = "clausexl.excel"


@dataclass(frozen=True)
class Button:
    """One ribbon button: where it sits, what the facilitator reads, what it runs."""

    group: str
    label: str
    ribbon_id: str
    callback: str
    module: str
    function: str
    verb: str
    image_mso: str

    @property
    def entry_module(self) -> str:
        """The module of `clausexl.excel` that holds the button's entry point."""
        return f"{ENTRY_PACKAGE}.{self.module}"

    @property
    def run_python(self) -> str:
        """The Python statement the VBA callback hands to RunPython (imports only that module)."""
        return f"import {self.entry_module} as x; x.{self.function}()"


B = Button
BUTTONS: tuple[Button, ...] = (
    B("Saisie", "Vérifier la saisie", "btnVerifierSaisie", "BoutonVerifierSaisie", "saisie", "verifier_saisie",
      "valider", "DataValidation"),
    B("Saisie", "À faire", "btnAFaire", "BoutonAFaire", "saisie", "a_faire", "echeances", "RecurrenceEdit"),
    B("Heures", "Calculer les heures", "btnCalculerHeures", "BoutonCalculerHeures", "heures", "calculer_heures",
      "heures", "Calculator"),
    B("Documents", "Rédiger la clause", "btnRedigerClause", "BoutonRedigerClause", "documents", "rediger_clause",
      "clause", "FileNew"),
    B("Documents", "Courriers de suivi", "btnCourriersSuivi", "BoutonCourriersSuivi", "documents",
      "courriers_suivi", "courriers", "FilePrint"),
    B("Documents", "Attestations", "btnAttestations", "BoutonAttestations", "documents", "attestations",
      "attestations", "FileSaveAsPdfOrXps"),
    B("Relevés", "Relevés à remplir", "btnRelevesARemplir", "BoutonRelevesARemplir", "releves",
      "releves_a_remplir", "releves", "TableInsert"),
    B("Relevés", "Importer des relevés", "btnImporterReleves", "BoutonImporterReleves", "releves",
      "importer_releves", "importer-releves", "ImportExcel"),
    B("Offres", "Proposer des candidats", "btnProposerCandidats", "BoutonProposerCandidats", "offres",
      "proposer_candidats", "rapprocher", "FindDialog"),
    B("Offres", "Diffuser l'offre", "btnDiffuserOffre", "BoutonDiffuserOffre", "offres", "diffuser_offre",
      "offres", "FileSendAsAttachment"),
    B("Bilan", "Synthèse de l'année", "btnSyntheseAnnee", "BoutonSyntheseAnnee", "bilan", "synthese_annee",
      "bilan", "ChartInsert"),
    B("Aide", "Guide", "btnGuide", "BoutonGuide", "aide", "guide", "guide", "Help"),
)


def groups() -> tuple[str, ...]:
    """Ribbon groups in the order they appear."""
    return tuple(dict.fromkeys(b.group for b in BUTTONS))


def button(function: str) -> Button:
    """The button whose entry point is `function` (KeyError when there is none)."""
    for b in BUTTONS:
        if b.function == function:
            return b
    raise KeyError(function)
