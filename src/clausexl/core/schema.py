"""The workbook contract of docs/classeur.md, held once as data.

The workbook build, the readers, the validator and the tables of docs/classeur.md all derive from
the declarations below: change a header here and every part of the program follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):
    """What a column holds; decides how a raw cell is read and checked."""

    TEXT = "texte"
    ID = "identifiant"
    REF = "référence"
    CHOICE = "liste"
    YESNO = "Oui/Non"
    NUMBER = "nombre"
    INTEGER = "nombre entier"
    AMOUNT = "montant (€)"
    HOURS = "heures"
    PERCENT = "pourcentage"
    DATE = "date"
    MONTH = "mois"
    POSTAL_CODE = "code postal"
    SIRET = "SIRET"
    ROME = "code ROME"
    ROME_LIST = "codes ROME"
    EMAIL = "courriel"


class Personal(str, Enum):
    """What `anonymiser` does to a column in the rows of a participant it anonymises.

    Every column of a table of personal data (and of the tables whose rows belong to a participant)
    carries one, so a new column is either anonymised or kept for a reason written beside it.
    """

    PSEUDONYM = "remplacé par « Anonyme »"
    ERASED = "vidé"
    BIRTH_YEAR = "1er janvier ou 31 décembre de la même année (l'âge au premier contrat ne change pas)"
    KEPT = "gardé"


NUMERIC_KINDS = frozenset({Kind.NUMBER, Kind.INTEGER, Kind.AMOUNT, Kind.HOURS, Kind.PERCENT})
DATE_KINDS = frozenset({Kind.DATE, Kind.MONTH})


@dataclass(frozen=True)
class Column:
    """One column of a table: the header the facilitator sees and the key the code uses."""

    header: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    width: float = 14
    note: str = ""
    #: (other column key, values): the column may be empty when the other column holds one of them.
    optional_when: tuple[str, tuple[str, ...]] | None = None
    #: Personal data: what anonymiser does to it (Personal.KEPT needs `kept_because`).
    personal: Personal | None = None
    #: Why anonymiser keeps this column of a participant's rows (docs/fiabilite.md lists them).
    kept_because: str = ""

    @property
    def label(self) -> str:
        """Header as shown in the workbook: required columns carry a trailing '*'."""
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class Table:
    """One Excel table (ListObject) on its own sheet."""

    name: str
    sheet: str
    columns: tuple[Column, ...]
    description: str = ""
    personal: bool = False
    unique: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.name} has no column {key!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def id_column(self) -> Column | None:
        return next((c for c in self.columns if c.kind is Kind.ID), None)


@dataclass(frozen=True)
class Parameter:
    """A row of T_Parametres: a named setting with its default and admissible range."""

    name: str
    key: str
    kind: Kind = Kind.TEXT
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    comment: str = ""


# --- Lists (drop-down values), exactly as docs/classeur.md writes them ---------------------------

OUI_NON = ("Oui", "Non")
CATEGORIES_DONNEUR = (
    "Commune", "EPCI", "Département", "Région", "État ou établissement public", "Bailleur social",
    "Établissement de santé", "SEM ou SPL", "Entreprise privée", "Autre",
)
TYPES_MARCHE = ("Travaux", "Services", "Fournitures", "Prestations intellectuelles")
CONDITION_EXECUTION = "Condition d'exécution (L2112-2)"
CRITERE_ATTRIBUTION = "Critère d'attribution (L2152-7)"
RESERVE_SIAE = "Marché réservé SIAE (L2113-13)"
RESERVE_EA_ESAT = "Marché réservé EA-ESAT (L2113-12)"
MARCHE_INSERTION = "Marché d'insertion (R2123-1)"
DISPOSITIFS = (CONDITION_EXECUTION, CRITERE_ATTRIBUTION, RESERVE_SIAE, RESERVE_EA_ESAT, MARCHE_INSERTION)
STATUTS_MARCHE = ("En préparation", "En cours", "Terminé", "Abandonné")
#: Article L2112-2-1: the buyer's documented reason for no social consideration above the European thresholds.
MOTIFS_DEROGATION = ("Solution immédiatement disponible", "Pas de lien avec l'objet", "Autre")
MODE_TAUX = "Taux de main-d'œuvre"
MODE_HEURES_FIXEES = "Heures fixées"
MODE_PRORATA = "Au prorata du facturé"
MODES_CALCUL = (MODE_TAUX, MODE_HEURES_FIXEES, MODE_PRORATA)
TYPES_ENTREPRISE = (
    "Entreprise classique", "ETT", "ETTI", "AI", "EI", "ACI", "GEIQ", "EA", "ESAT",
    "Régie de quartier", "Autre",
)
SEXES = ("F", "H")
SANS_QUALIFICATION = "Infra 3 (sans qualification)"
NIVEAUX_QUALIFICATION = (SANS_QUALIFICATION, "3 (CAP, BEP)", "4 (Bac)", "5 (Bac+2)", "6 et plus")
PRESCRIPTEURS = (
    "France Travail", "Mission locale", "Cap emploi", "PLIE", "Département", "SIAE",
    "Candidature spontanée", "Autre",
)
STATUTS_PARTICIPANT = ("Repéré", "Orienté", "En poste", "Sorti du dispositif")
MODALITES = (
    "Embauche directe", "Mise à disposition", "Sous-traitance ou co-traitance SIAE", "Formation",
)
TYPES_CONTRAT = (
    "CDI", "CDI inclusion", "CDD", "CDDI", "Intérim", "Apprentissage", "Professionnalisation", "Autre",
)
SOURCES_HEURES = (
    "Relevé entreprise", "Relevé ETTI-AI-GEIQ", "Bulletin de salaire", "Attestation", "Autre",
)
ECHEANCES = ("Fin de contrat", "6 mois", "12 mois")
#: Situation → category of sortie (None: still in the clause contract, not a sortie).
SITUATIONS: dict[str, str | None] = {
    "CDI": "Emploi durable",
    "CDD ou intérim de 6 mois et plus": "Emploi durable",
    "Création d'entreprise": "Emploi durable",
    "Titularisation fonction publique": "Emploi durable",
    "CDD ou intérim de moins de 6 mois": "Emploi de transition",
    "Contrat aidé": "Emploi de transition",
    "Formation qualifiante": "Sortie positive",
    "Embauche en SIAE": "Sortie positive",
    "Demandeur d'emploi": "Autre sortie",
    "Inactif": "Autre sortie",
    "Déménagement": "Autre sortie",
    "Perdu de vue": "Autre sortie",
    "Toujours en contrat clause": None,
}
CATEGORIES_SORTIE = ("Emploi durable", "Emploi de transition", "Sortie positive", "Autre sortie")
STATUTS_OFFRE = ("Ouverte", "Pourvue", "Annulée")
RESULTATS_CANDIDATURE = ("Proposé", "Entretien", "Retenu", "Non retenu", "Désisté")
TYPES_PARTENAIRE = (
    "France Travail", "Mission locale", "Cap emploi", "PLIE", "SIAE", "GEIQ", "Département", "Autre",
)

#: Eligibility criteria (Oui/Non columns of T_Participants), in the order of docs/calculs.md §3.
CRITERES = (
    ("DELD", "deld"),
    ("RSA", "rsa"),
    ("ASS", "ass"),
    ("AAH", "aah"),
    ("RQTH", "rqth"),
    ("Jeune -26 ans", "jeune_26"),
    ("Senior 50 ans et +", "senior_50"),
    ("Salarié SIAE", "salarie_siae"),
    ("Résident QPV", "resident_qpv"),
)

# --- Tables --------------------------------------------------------------------------------
# One declaration per table, alike on purpose (the duplicates tool pairs them): ID, name, lists, SIRET,
# then the table's own columns. What two tables really share is one function (address_and_contact).

C = Column

#: Why anonymiser keeps a column (docs/fiabilite.md, « Données personnelles »).
KEEP_ID = "identifiant sans nom : relie les lignes entre elles, les indicateurs en ont besoin"
KEEP_FIGURES = "compté dans les indicateurs ou les heures, qui doivent rester identiques"
KEEP_DATES = "date qui fixe le suivi, l'éligibilité ou la conservation des données"
KEEP_POOL = "sert au rapprochement avec les offres ; sans nom ni adresse, il ne désigne plus personne"


def kept(why: str) -> dict[str, Any]:
    """The keyword arguments of a participant's column that anonymiser keeps, for `why`."""
    return {"personal": Personal.KEPT, "kept_because": why}


ERASED: dict[str, Any] = {"personal": Personal.ERASED}


def address_and_contact() -> tuple[Column, ...]:
    """Where to write to a buyer or a company, and whom: the same six columns in both tables."""
    return (
        C("Adresse", "adresse", width=30),
        C("Code postal", "code_postal", Kind.POSTAL_CODE, width=11),
        C("Commune", "commune", width=22),
        C("Contact", "contact", width=22),
        C("Courriel", "courriel", Kind.EMAIL, width=26),
        C("Téléphone", "telephone", width=15),
    )


PARAMETRES = Table(
    "T_Parametres", "Paramètres",
    (
        C("Paramètre", "parametre", required=True, width=44),
        C("Valeur", "valeur", width=40),
        C("Commentaire", "commentaire", width=70),
    ),
    "Les réglages de la structure : coordonnées, taux par défaut, dossiers, envoi des offres.",
)

DONNEURS_ORDRE = Table(
    "T_DonneursOrdre", "Donneurs d'ordre",
    (
        C("ID", "id", Kind.ID, required=True),
        C("Nom", "nom", required=True, width=34),
        C("Catégorie", "categorie", Kind.CHOICE, required=True, choices=CATEGORIES_DONNEUR, width=24),
        C("SIRET", "siret", Kind.SIRET, width=17),
        *address_and_contact(),
    ),
    "Les acheteurs publics ou privés qui inscrivent une clause dans leurs marchés.",
)

MARCHES = Table(
    "T_Marches", "Marchés",
    (
        C("ID", "id", Kind.ID, required=True),
        C("Donneur d'ordre", "donneur_ordre", Kind.REF, required=True, ref="T_DonneursOrdre"),
        C("Opération", "operation", width=26),
        C("Objet", "objet", required=True, width=36),
        C("Lot", "lot", width=18),
        C("Type de marché", "type_marche", Kind.CHOICE, required=True, choices=TYPES_MARCHE, width=16),
        C("Dispositif", "dispositif", Kind.CHOICE, required=True, choices=DISPOSITIFS, width=32),
        C("NPNRU", "npnru", Kind.YESNO, width=8),
        C("Code CPV", "code_cpv", width=12),
        C("Montant HT (€)", "montant_ht", Kind.AMOUNT, required=True, width=16),
        C("Mode de calcul", "mode_calcul", Kind.CHOICE, choices=MODES_CALCUL, width=22),
        C("Part de main-d'œuvre (%)", "part_main_oeuvre", Kind.PERCENT, width=12),
        C("Taux d'insertion (%)", "taux_insertion", Kind.PERCENT, width=12),
        C("Coût horaire (€)", "cout_horaire", Kind.AMOUNT, width=11),
        C("Heures prévues", "heures_prevues", Kind.HOURS, width=11),
        C("Montant facturé (€)", "montant_facture", Kind.AMOUNT, width=16),
        C("Euros par heure", "euros_par_heure", Kind.AMOUNT, width=11),
        C("Date de notification", "date_notification", Kind.DATE, width=12),
        C("Date de début", "date_debut", Kind.DATE, required=True, width=12),
        C("Date de fin", "date_fin", Kind.DATE, required=True, width=12),
        C("Attributaire", "attributaire", Kind.REF, required=True, ref="T_Entreprises",
          note="obligatoire sauf si le marché est En préparation ou Abandonné",
          optional_when=("statut", ("En préparation", "Abandonné"))),
        C("Référent entreprise", "referent", width=22),
        C("Courriel référent", "courriel_referent", Kind.EMAIL, width=26),
        C("Téléphone référent", "telephone_referent", width=15),
        C("Pénalité (€/h)", "penalite", Kind.AMOUNT, width=10),
        C("Pondération (%)", "ponderation", Kind.PERCENT, width=11),
        C("Statut", "statut", Kind.CHOICE, required=True, choices=STATUTS_MARCHE, width=14),
        C("Avis du facilitateur", "avis", width=36),
        C("Référence DECP", "reference_decp", width=18),
        C("Motif de dérogation", "motif_derogation", Kind.CHOICE, choices=MOTIFS_DEROGATION, width=26,
          note="article L2112-2-1 : motif documenté par l'acheteur d'un marché sans considération sociale au-dessus "
               "des seuils européens"),
        C("Commentaire", "commentaire", width=30),
    ),
    "Un marché (ou un lot) portant une clause sociale.",
)

ENTREPRISES = Table(
    "T_Entreprises", "Entreprises",
    (
        C("ID", "id", Kind.ID, required=True),
        C("Raison sociale", "raison_sociale", required=True, width=32),
        C("SIRET", "siret", Kind.SIRET, width=17),
        C("Type", "type", Kind.CHOICE, required=True, choices=TYPES_ENTREPRISE, width=20),
        *address_and_contact(),
    ),
    "Les attributaires et les employeurs (dont ETTI, AI, GEIQ).",
)

PARTICIPANTS = Table(
    "T_Participants", "Participants",
    (
        C("ID", "id", Kind.ID, required=True, **kept(KEEP_ID)),
        C("Nom", "nom", required=True, width=18, personal=Personal.PSEUDONYM),
        C("Prénom", "prenom", required=True, width=16, personal=Personal.PSEUDONYM),
        C("Sexe", "sexe", Kind.CHOICE, required=True, choices=SEXES, width=6, **kept(KEEP_FIGURES)),
        C("Date de naissance", "date_naissance", Kind.DATE, required=True, width=12, personal=Personal.BIRTH_YEAR),
        C("Adresse", "adresse", width=30, **ERASED),
        C("Code postal", "code_postal", Kind.POSTAL_CODE, width=11, **kept(KEEP_FIGURES + " (par territoire)")),
        C("Commune", "commune", width=22, **kept(KEEP_FIGURES + " (par territoire)")),
        C("QPV", "qpv", Kind.REF, ref="T_QPV", width=12, **kept(KEEP_FIGURES + " (résidents des QPV)")),
        C("Niveau de qualification", "niveau_qualification", Kind.CHOICE, required=True,
          choices=NIVEAUX_QUALIFICATION, width=24, **kept(KEEP_FIGURES)),
        *(C(header, key, Kind.YESNO, width=8, **kept(KEEP_FIGURES + " (critère d'éligibilité)"))
          for header, key in CRITERES),
        C("Autre critère", "autre_critere", width=20,
          **kept("critère d'éligibilité : sa présence compte pour l'éligibilité que valider contrôle")),
        C("Prescripteur", "prescripteur", Kind.CHOICE, choices=PRESCRIPTEURS, width=18, **kept(KEEP_FIGURES)),
        C("Référent", "referent", width=20, **ERASED),
        C("Date d'éligibilité", "date_eligibilite", Kind.DATE, width=12, **kept(KEEP_DATES)),
        C("Date d'information RGPD", "date_rgpd", Kind.DATE, width=12, **kept(KEEP_DATES)),
        C("Statut", "statut", Kind.CHOICE, choices=STATUTS_PARTICIPANT, width=16, **kept(KEEP_FIGURES)),
        C("Métiers recherchés", "metiers", Kind.ROME_LIST, width=20, **kept(KEEP_POOL)),
        C("Permis B", "permis_b", Kind.YESNO, width=8, **kept(KEEP_POOL)),
        C("Véhicule", "vehicule", Kind.YESNO, width=8, **kept(KEEP_POOL)),
        C("Disponible le", "disponible_le", Kind.DATE, width=12, **kept(KEEP_POOL)),
    ),
    "Les bénéficiaires de la clause et le vivier de candidats (données personnelles).",
    personal=True,
)

CONTRATS = Table(
    "T_Contrats", "Contrats",
    (
        C("ID", "id", Kind.ID, required=True, **kept(KEEP_ID)),
        C("Participant", "participant", Kind.REF, required=True, ref="T_Participants", **kept(KEEP_ID)),
        C("Marché", "marche", Kind.REF, required=True, ref="T_Marches", **kept(KEEP_ID)),
        C("Employeur", "employeur", Kind.REF, required=True, ref="T_Entreprises", **kept(KEEP_ID)),
        C("Modalité", "modalite", Kind.CHOICE, required=True, choices=MODALITES, width=24, **kept(KEEP_FIGURES)),
        C("Type de contrat", "type_contrat", Kind.CHOICE, required=True, choices=TYPES_CONTRAT, width=16,
          **kept(KEEP_FIGURES)),
        C("Poste", "poste", width=24, **kept("le poste occupé, sans nom : compté par métier dans les indicateurs")),
        C("Code ROME", "code_rome", Kind.ROME, width=10, **kept(KEEP_FIGURES)),
        C("Date de début", "date_debut", Kind.DATE, required=True, width=12, **kept(KEEP_FIGURES)),
        C("Date de fin", "date_fin", Kind.DATE, width=12, **kept(KEEP_FIGURES)),
        C("Heures hebdomadaires", "heures_hebdo", Kind.HOURS, width=11, **kept(KEEP_FIGURES)),
    ),
    "Une mise à l'emploi d'un participant sur un marché.",
)

HEURES = Table(
    "T_Heures", "Heures",
    (
        C("Contrat", "contrat", Kind.REF, required=True, ref="T_Contrats", **kept(KEEP_ID)),
        C("Mois", "mois", Kind.MONTH, required=True, width=10, **kept(KEEP_FIGURES)),
        C("Heures travaillées", "heures_travaillees", Kind.HOURS, required=True, width=11, **kept(KEEP_FIGURES)),
        C("Heures de formation", "heures_formation", Kind.HOURS, width=11, **kept(KEEP_FIGURES)),
        C("Source", "source", Kind.CHOICE, choices=SOURCES_HEURES, width=20,
          **kept("d'où vient le relevé (une valeur de la liste), rien sur la personne")),
        C("Commentaire", "commentaire", width=30, **ERASED),
    ),
    "Le suivi mensuel : une ligne par contrat et par mois.",
    unique=("contrat", "mois"),
)

SUIVI = Table(
    "T_Suivi", "Suivi",
    (
        C("Participant", "participant", Kind.REF, required=True, ref="T_Participants", **kept(KEEP_ID)),
        C("Échéance", "echeance", Kind.CHOICE, required=True, choices=ECHEANCES, width=14, **kept(KEEP_FIGURES)),
        C("Date", "date", Kind.DATE, required=True, width=12, **kept(KEEP_DATES)),
        C("Situation", "situation", Kind.CHOICE, required=True, choices=tuple(SITUATIONS), width=30,
          **kept(KEEP_FIGURES + " (sorties positives)")),
        C("Source", "source", width=18, **kept("d'où vient l'information (un organisme), rien sur la personne")),
        C("Commentaire", "commentaire", width=30, **ERASED),
    ),
    "La situation des participants à la fin du contrat, à 6 et à 12 mois.",
    personal=True,
)

OFFRES = Table(
    "T_Offres", "Offres",
    (
        C("ID", "id", Kind.ID, required=True),
        C("Marché", "marche", Kind.REF, ref="T_Marches"),
        C("Entreprise", "entreprise", Kind.REF, required=True, ref="T_Entreprises"),
        C("Poste", "poste", required=True, width=24),
        C("Code ROME", "code_rome", Kind.ROME, width=10),
        C("Type de contrat", "type_contrat", Kind.CHOICE, choices=TYPES_CONTRAT, width=16),
        C("Nombre de postes", "nombre_postes", Kind.INTEGER, width=9),
        C("Durée", "duree", width=14),
        C("Heures hebdomadaires", "heures_hebdo", Kind.HOURS, width=11),
        C("Date de début", "date_debut", Kind.DATE, width=12),
        C("Lieu", "lieu", width=20),
        C("Profil recherché", "profil", width=36),
        C("Date limite de réponse", "date_limite", Kind.DATE, width=12),
        C("Statut", "statut", Kind.CHOICE, choices=STATUTS_OFFRE, width=11),
        C("Date de diffusion", "date_diffusion", Kind.DATE, width=12),
    ),
    "Les offres d'emploi suscitées par une clause.",
)

CANDIDATURES = Table(
    "T_Candidatures", "Candidatures",
    (
        C("Offre", "offre", Kind.REF, required=True, ref="T_Offres", **kept(KEEP_ID)),
        C("Participant", "participant", Kind.REF, required=True, ref="T_Participants", **kept(KEEP_ID)),
        C("Date", "date", Kind.DATE, required=True, width=12, **kept(KEEP_DATES)),
        C("Résultat", "resultat", Kind.CHOICE, required=True, choices=RESULTATS_CANDIDATURE, width=12,
          **kept(KEEP_FIGURES)),
        C("Commentaire", "commentaire", width=30, **ERASED),
    ),
    "Qui a été proposé pour quelle offre.",
    personal=True,
)

PARTENAIRES = Table(
    "T_Partenaires", "Partenaires",
    (
        C("ID", "id", Kind.ID, required=True),
        C("Nom", "nom", required=True, width=30),
        C("Type", "type", Kind.CHOICE, required=True, choices=TYPES_PARTENAIRE, width=16),
        C("Contact", "contact", width=22),
        C("Courriel", "courriel", Kind.EMAIL, width=26),
        C("Adresse", "adresse", width=30),
        C("Code postal", "code_postal", Kind.POSTAL_CODE, width=11),
        C("Commune", "commune", width=22),
        C("Reçoit les offres", "recoit_offres", Kind.YESNO, width=10),
    ),
    "Les partenaires de l'emploi qui reçoivent les offres.",
)

QPV = Table(
    "T_QPV", "QPV",
    (
        C("Code", "code", Kind.ID, required=True),
        C("Nom", "nom", required=True, width=40),
        C("Commune", "commune", required=True, width=24),
        C("Valide du", "valide_du", Kind.DATE, width=12),
        C("Valide au", "valide_au", Kind.DATE, width=12),
    ),
    "Les quartiers prioritaires de la politique de la ville du territoire.",
)

TERRITOIRE = Table(
    "T_Territoire", "Territoire",
    (
        C("Commune", "commune", required=True, width=28),
        C("Code postal", "code_postal", Kind.POSTAL_CODE, required=True, width=11),
    ),
    "Les communes qui comptent comme « locales ».",
)

#: Every data table, in the order of the workbook's sheets.
TABLES: tuple[Table, ...] = (
    PARAMETRES, DONNEURS_ORDRE, MARCHES, ENTREPRISES, PARTICIPANTS, CONTRATS, HEURES, SUIVI,
    OFFRES, CANDIDATURES, PARTENAIRES, QPV, TERRITOIRE,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: Sheets the program rewrites (results, never data); `Synthèse <année>` is named per year.
def belongs_to_participant(t: Table) -> bool:
    """A table of personal data, or whose rows are a participant's (through a reference, maybe two)."""
    if t.personal or t.name == "T_Participants":
        return True
    refs = [c.ref for c in t.columns if c.ref]
    return "T_Participants" in refs or any(
        belongs_to_participant(TABLES_BY_NAME[r]) for r in refs if r in TABLES_BY_NAME and r != t.name
        and any(c.ref == "T_Participants" for c in TABLES_BY_NAME[r].columns))


def personal_columns(t: Table, *actions: Personal) -> tuple[str, ...]:
    """Keys of `t`'s columns that anonymiser treats with one of `actions`."""
    return tuple(c.key for c in t.columns if c.personal in actions)


RESULT_SHEETS: tuple[str, ...] = ("Contrôles", "Tableau de bord", "À faire", "Candidats")
SYNTHESE_PREFIX = "Synthèse"


def table(name: str) -> Table:
    """The table declared under `name` (e.g. ``"T_Marches"``)."""
    return TABLES_BY_NAME[name]


# --- Parameters ----------------------------------------------------------------------------

P = Parameter
PARAMETERS: tuple[Parameter, ...] = (
    P("Structure", "structure", comment="Nom de la structure qui porte la mission de facilitation"),
    P("Facilitateur", "facilitateur", comment="Nom du facilitateur ou de la facilitatrice"),
    P("Téléphone", "telephone", comment="Imprimé sur chaque document"),
    P("Courriel", "courriel", Kind.EMAIL, comment="Imprimé sur chaque document"),
    P("Adresse", "adresse", comment="Imprimée sur chaque document"),
    P("Territoire", "territoire", comment="Par exemple le nom de l'EPCI"),
    P("Coût horaire de référence (€)", "cout_horaire", Kind.AMOUNT, 35, 1, 1000,
      "Coût horaire utilisé par la formule des heures"),
    P("Taux d'insertion par défaut (%)", "taux_insertion", Kind.PERCENT, 0.07, 0, 1),
    P("Part de main-d'œuvre par défaut (%)", "part_main_oeuvre", Kind.PERCENT, 0.40, 0, 1),
    P("Heures par ETP", "heures_par_etp", Kind.HOURS, 1600, 1, 2500,
      "Diviseur des équivalents temps plein (certains financeurs utilisent 1607)"),
    P("Pénalité par heure non réalisée (€)", "penalite", Kind.AMOUNT, 60, 0, 10000),
    P("Arrondi des heures", "arrondi", Kind.HOURS, 1, 1, 1000,
      "Les heures prévues sont arrondies au multiple supérieur"),
    P("Durée de suivi après contrat (mois)", "duree_suivi", Kind.INTEGER, 12, 0, 60),
    P("Conservation des données (années)", "conservation", Kind.INTEGER, 5, 1, 30,
      "Après la fin du suivi, les données personnelles peuvent être anonymisées"),
    P("Dossier de sortie", "dossier_sortie",
      comment="Où les documents sont écrits ; vide : un dossier « sorties » à côté du classeur"),
    P("Dossier des modèles", "dossier_modeles",
      comment="Vos propres modèles, qui remplacent ceux fournis fichier par fichier"),
    P("Pénalité par jour de retard de relevé (€)", "penalite_retard", Kind.AMOUNT, 100, 0, 10000,
      "Imprimée dans la clause"),
    P("Délai de réponse aux offres (jours)", "delai_reponse", Kind.INTEGER, 15, 1, 365,
      "Imprimé dans les lettres d'offre"),
    P("Mois de suivi", "mois_suivi", Kind.MONTH,
      comment="Le mois des « Courriers de suivi » ; vide : le mois précédent"),
    P("Année du bilan", "annee_bilan", Kind.INTEGER, None, 2000, 2100,
      comment="L'année de la « Synthèse de l'année » ; vide : l'année en cours"),
    P("Relance des relevés après (jours)", "relance_releves", Kind.INTEGER, 10, 1, 90,
      "Un relevé demandé (journal) et non revenu depuis ce nombre de jours est « relance à faire »"),
    P("Serveur SMTP", "smtp_serveur", comment="Pour envoyer les offres"),
    P("Port SMTP", "smtp_port", Kind.INTEGER, None, 1, 65535),
    P("TLS SMTP", "smtp_tls", Kind.YESNO, comment="Oui ou Non"),
    P("Utilisateur SMTP", "smtp_utilisateur",
      comment="Le mot de passe est lu dans la variable d'environnement CLAUSEXL_SMTP_MOT_DE_PASSE"),
    P("Expéditeur", "smtp_expediteur", Kind.EMAIL, comment="Adresse qui envoie les offres"),
    P("Fonction", "fonction", default="Facilitateur des clauses sociales",
      comment="Imprimée sous la signature, par exemple « Facilitatrice des clauses sociales »"),
    P("Lieu des courriers", "lieu",
      comment="La commune écrite avant la date (« Valognes, le … ») ; vide : la commune de l'Adresse"),
    P("Départements repérés", "departements_reperage",
      comment=("« Repérer les marchés » garde aussi les marchés exécutés dans ces départements (ou dont l'acheteur "
               "y est), séparés par des virgules : 50, 14, 2A, 974")),
    P("Part nationale de référence (%)", "part_nationale", Kind.PERCENT, None, 0, 1,
      comment=("La part des marchés avec une considération sociale à laquelle le diagnostic de « Repérer les "
               "marchés » compare chaque acheteur ; vide : 18,7 % (2023)")),
    P("Source de la part nationale", "source_nationale",
      comment="Vide : Observatoire économique de la commande publique (recensement)"),
    P("Année de la part nationale", "annee_nationale", Kind.INTEGER, None, 2000, 2100, comment="Vide : 2023"),
)
PARAMETERS_BY_KEY: dict[str, Parameter] = {p.key: p for p in PARAMETERS}

SMTP_PASSWORD_ENV = "CLAUSEXL_SMTP_MOT_DE_PASSE"


@dataclass(frozen=True)
class Reference:
    """A foreign key: `table.column` holds IDs of `target`."""

    table: str
    column: str
    target: str


def references() -> tuple[Reference, ...]:
    """Every reference between tables, derived from the REF columns."""
    return tuple(
        Reference(t.name, c.key, c.ref)
        for t in TABLES
        for c in t.columns
        if c.kind is Kind.REF and c.ref
    )


@dataclass(frozen=True)
class ListSource:
    """A drop-down list offered in the workbook, through a defined name."""

    name: str
    values: tuple[str, ...] = field(default=())


def list_sources() -> tuple[ListSource, ...]:
    """The distinct drop-down lists of CHOICE and YESNO columns, each under a stable defined name."""
    seen: dict[tuple[str, ...], str] = {}
    for t in TABLES:
        for c in t.columns:
            values = choices_of(c)
            if values and values not in seen:
                seen[values] = (
                    "L_OuiNon" if c.kind is Kind.YESNO else f"L_{t.name.removeprefix('T_')}_{c.key}"
                )
    return tuple(ListSource(name, values) for values, name in seen.items())


def list_source_of(c: Column) -> ListSource | None:
    """The drop-down list a column offers (shared by columns with the same values), if any."""
    values = choices_of(c)
    return next((s for s in list_sources() if s.values == values), None) if values else None


def choices_of(c: Column) -> tuple[str, ...]:
    """Admissible values of a column: its list, Oui/Non, or none (free)."""
    return OUI_NON if c.kind is Kind.YESNO else c.choices
