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
    #: The callback first asks for a file (Excel's open dialog) and passes its path (see `run_python`).
    asks_file: bool = False
    #: What the facilitator gets, in one French sentence: the user guide's table of buttons.
    help: str = ""

    @property
    def entry_module(self) -> str:
        """The module of `clausexl.excel` that holds the button's entry point."""
        return f"{ENTRY_PACKAGE}.{self.module}"

    @property
    def run_python(self) -> str:
        """The Python statement the VBA callback hands to RunPython (imports only that module).

        A button that asks for a file passes the chosen path as the hexadecimal of its UTF-16 text
        (`HexUtf16` in Ruban.bas): the VBA string is closed, the encoded path joined, then reopened.
        """
        argument = "'\" & HexUtf16(CStr(chosen)) & \"'" if self.asks_file else ""
        return f"import {self.entry_module} as x; x.{self.function}({argument})"


B = Button
# One row per button, alike on purpose (the duplicates tool pairs rows): the ribbon's one declaration.
BUTTONS: tuple[Button, ...] = (
    B("Saisie", "Vérifier la saisie", "btnVerifierSaisie", "BoutonVerifierSaisie", "saisie", "verifier_saisie",
      "valider", "DataValidation",
      help=("La feuille Contrôles : chaque problème de saisie, avec un lien vers sa cellule, colorée en rouge "
            "(erreur) ou jaune (avertissement).")),
    B("Saisie", "À faire", "btnAFaire", "BoutonAFaire", "saisie", "a_faire", "echeances", "RecurrenceEdit",
      help=("La feuille À faire : suivis de parcours, relevés manquants, marchés en retard, fins de contrat, "
            "par date.")),
    B("Marchés", "Repérer les marchés", "btnRepererMarches", "BoutonRepererMarches", "marches", "reperer_marches",
      "reperer", "ImportTextFile", asks_file=True,
      help=("Choisissez un fichier DECP (données ouvertes de la commande publique) : la liste des marchés du "
            "territoire à revoir, dans le dossier de sortie ; choisissez ensuite cette liste, enregistrée avec Oui "
            "sur les marchés à reprendre : ils sont ajoutés à la feuille Marchés.")),
    B("Heures", "Calculer les heures", "btnCalculerHeures", "BoutonCalculerHeures", "heures", "calculer_heures",
      "heures", "Calculator",
      help=("La feuille Tableau de bord : heures prévues, réalisées, attendues et retards par marché et par "
            "entreprise, avec deux graphiques.")),
    B("Documents", "Rédiger la clause", "btnRedigerClause", "BoutonRedigerClause", "documents", "rediger_clause",
      "clause", "FileNew",
      help="La clause du marché de la ligne sélectionnée (feuille Marchés), en Word."),
    B("Documents", "Courriers de suivi", "btnCourriersSuivi", "BoutonCourriersSuivi", "documents",
      "courriers_suivi", "courriers", "FilePrint",
      help="Les relevés et relances du mois de suivi, en Word."),
    B("Documents", "Attestations", "btnAttestations", "BoutonAttestations", "documents", "attestations",
      "attestations", "FileSaveAsPdfOrXps",
      help="Les attestations de fin de clause des marchés terminés, en Word."),
    B("Relevés", "Relevés à remplir", "btnRelevesARemplir", "BoutonRelevesARemplir", "releves",
      "releves_a_remplir", "releves", "TableInsert",
      help=("Un relevé à remplir par entreprise pour le mois de suivi (classeur protégé : seules les heures "
            "se saisissent), dans le dossier de sortie.")),
    B("Relevés", "Importer des relevés", "btnImporterReleves", "BoutonImporterReleves", "releves",
      "importer_releves", "importer-releves", "ImportExcel",
      help=("Les relevés renvoyés par les entreprises, posés dans le dossier « Relevés reçus » du dossier de "
            "sortie : les heures acceptées s'ajoutent à la feuille Heures (à enregistrer), le compte rendu est "
            "dans la feuille Relevés importés.")),
    B("Offres", "Proposer des candidats", "btnProposerCandidats", "BoutonProposerCandidats", "offres",
      "proposer_candidats", "rapprocher", "FindDialog",
      help=("La feuille Candidats : les personnes classées pour l'offre de la ligne sélectionnée (feuille "
            "Offres), avec leurs raisons.")),
    B("Offres", "Diffuser l'offre", "btnDiffuserOffre", "BoutonDiffuserOffre", "offres", "diffuser_offre",
      "offres", "FileSendAsAttachment",
      help=("Une lettre et un courriel prêt à envoyer par partenaire, pour l'offre sélectionnée ; rien n'est "
            "envoyé.")),
    B("Bilan", "Synthèse de l'année", "btnSyntheseAnnee", "BoutonSyntheseAnnee", "bilan", "synthese_annee",
      "bilan", "ChartInsert",
      help=("La feuille Synthèse de l'année, avec ses graphiques, et le classeur des financeurs (chiffres "
            "agrégés).")),
    B("Données personnelles", "Extraire une personne", "btnExtrairePersonne", "BoutonExtrairePersonne",
      "donnees_personnelles", "extraire_personne", "extraire-personne", "AddressBook",
      help=("Tout ce que le classeur contient sur le participant de la ligne sélectionnée, dans un fichier "
            "(droit d'accès).")),
    B("Données personnelles", "Anonymiser", "btnAnonymiser", "BoutonAnonymiser", "donnees_personnelles",
      "anonymiser", "anonymiser", "FileDocumentEncrypt",
      help=("Une copie du classeur, à côté de lui, où les personnes dont la durée de conservation est passée "
            "sont anonymisées.")),
    B("Aide", "Guide", "btnGuide", "BoutonGuide", "aide", "guide", "guide", "Help",
      help="Ce guide, dans votre navigateur."),
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
