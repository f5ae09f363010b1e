"""The ribbon's buttons, held once as data.

The ribbon XML, the VBA callbacks module and the Excel entry points must agree button by button;
this table is what tests cross-check them against, so a button added in one place and not the
others fails loudly instead of doing nothing when the facilitator clicks it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The ribbon tab that carries every button.
TAB_LABEL = "Clauses sociales"
#: The Python module whose functions the callbacks run through xlwings' RunPython.
ENTRY_MODULE = "clausexl.excel"


@dataclass(frozen=True)
class Button:
    """One ribbon button: where it sits, what the facilitator reads, what it runs."""

    group: str
    label: str
    ribbon_id: str
    callback: str
    function: str
    verb: str
    image_mso: str

    @property
    def run_python(self) -> str:
        """The Python statement the VBA callback hands to RunPython."""
        return f"import {ENTRY_MODULE} as x; x.{self.function}()"


B = Button
BUTTONS: tuple[Button, ...] = (
    B("Saisie", "Vérifier la saisie", "btnVerifierSaisie", "BoutonVerifierSaisie", "verifier_saisie",
      "valider", "DataValidation"),
    B("Saisie", "À faire", "btnAFaire", "BoutonAFaire", "a_faire", "echeances", "RecurrenceEdit"),
    B("Heures", "Calculer les heures", "btnCalculerHeures", "BoutonCalculerHeures", "calculer_heures",
      "heures", "Calculator"),
    B("Documents", "Rédiger la clause", "btnRedigerClause", "BoutonRedigerClause", "rediger_clause",
      "clause", "FileNew"),
    B("Documents", "Courriers de suivi", "btnCourriersSuivi", "BoutonCourriersSuivi", "courriers_suivi",
      "courriers", "FilePrint"),
    B("Documents", "Attestations", "btnAttestations", "BoutonAttestations", "attestations",
      "attestations", "FileSaveAsPdfOrXps"),
    B("Offres", "Proposer des candidats", "btnProposerCandidats", "BoutonProposerCandidats",
      "proposer_candidats", "rapprocher", "FindDialog"),
    B("Offres", "Diffuser l'offre", "btnDiffuserOffre", "BoutonDiffuserOffre", "diffuser_offre",
      "offres", "FileSendAsAttachment"),
    B("Bilan", "Synthèse de l'année", "btnSyntheseAnnee", "BoutonSyntheseAnnee", "synthese_annee",
      "bilan", "ChartInsert"),
    B("Aide", "Guide", "btnGuide", "BoutonGuide", "guide", "guide", "Help"),
)


def groups() -> tuple[str, ...]:
    """Ribbon groups in the order they appear."""
    return tuple(dict.fromkeys(b.group for b in BUTTONS))
