"""Findings: what validation reports, as values with a stable code.

Codes are public API (documented in docs/classeur.md with an example each): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Code:
    """A kind of finding: stable identifier, severity, what it means, an example message."""

    code: str
    severity: Severity
    meaning: str
    example: str


# One row per code, alike on purpose (the duplicates tool pairs rows): the table is the codes' one home.
_CODES = (
    Code("valeur-obligatoire", ERROR, "Une colonne obligatoire est vide.",
         "La colonne « Objet » est obligatoire : saisissez une valeur."),
    Code("type-invalide", ERROR, "La valeur ne peut pas être lue comme une date ou un nombre.",
         "« 31/02/2018 » n'est pas une date valide : saisissez une date (jj/mm/aaaa)."),
    Code("texte-converti", WARNING, "Une date ou un nombre saisi comme texte a pu être lu.",
         "« 12,5 » est saisi comme texte ; il a été lu comme 12.5 : saisissez-le comme un nombre."),
    Code("pourcentage-sur-100", WARNING, "Un pourcentage supérieur à 1 a été lu comme des %.",
         "45 a été lu comme 45 % : saisissez 45 % (ou 0,45)."),
    Code("valeur-hors-liste", ERROR, "La valeur n'est pas dans la liste déroulante de la colonne.",
         "« Travaux publics » n'est pas une valeur de la liste : choisissez parmi Travaux, Services…"),
    Code("erreur-formule", ERROR, "La cellule contient une formule en erreur (#REF!, #N/A…).",
         "La cellule contient l'erreur « #REF! » : corrigez la formule ou saisissez une valeur."),
    Code("date-hors-plage", ERROR, "Une date avant 1900 ou après 2099.",
         "La date 01/01/2150 est improbable : vérifiez l'année."),
    Code("ligne-hors-tableau", ERROR,
         "Une ligne est saisie juste sous un tableau Excel sans en faire partie : elle n'est pas lue.",
         "La ligne 42 est saisie juste sous le tableau T_Heures sans en faire partie : elle n'est pas lue. "
         "Agrandissez le tableau jusqu'à elle."),
    Code("colonne-en-double", WARNING, "Deux colonnes portent le même en-tête ; seule la première est lue.",
         "La colonne « Objet » apparaît deux fois : seule la première est lue."),
    Code("cle-en-double", ERROR, "Un identifiant est utilisé par plusieurs lignes.",
         "L'identifiant « M2018-004 » est déjà utilisé ligne 5 : choisissez un identifiant unique."),
    Code("reference-inconnue", ERROR, "Une référence vers une autre feuille ne correspond à aucun ID.",
         "Le marché « M2018-099 » n'existe pas dans la feuille Marchés."),
    Code("identifiant-approche", WARNING,
         "Une référence ne correspond à un ID qu'en ignorant majuscules et espaces autour ; elle est lue comme cet ID "
         "(un ID saisi avec des espaces autour est lu sans eux, avec le même avertissement).",
         "« m2018-004 » a été lu comme « M2018-004 » de la feuille Marchés (majuscules ignorées)."),
    Code("siret-invalide", ERROR, "Le SIRET n'a pas 14 chiffres ou sa clé de contrôle est fausse.",
         "Le SIRET « 12345678901234 » est invalide (clé de contrôle) : vérifiez-le."),
    Code("rome-invalide", ERROR, "Le code ROME n'a pas la forme d'une lettre A–N et 4 chiffres.",
         "Le code ROME « F170 » est invalide : il s'écrit une lettre et 4 chiffres (ex. F1703)."),
    Code("nombre-hors-plage", ERROR, "Un nombre infini ou démesuré (10^15 ou plus) : la ligne est laissée de côté.",
         "« 1e+28 » est hors de la plage des nombres admis (moins de 10^15 en valeur absolue) : corrigez la saisie."),
    Code("courriel-invalide", WARNING,
         "Le courriel n'est pas une adresse (ou une liste d'adresses séparées par « ; »).",
         "Le courriel « contact@ville » n'est pas une adresse valide : écrivez nom@domaine.fr, une adresse par "
         "cellule ou plusieurs séparées par « ; »."),
    Code("code-postal-invalide", WARNING, "Le code postal n'a pas 5 chiffres.",
         "Le code postal « 501 » n'a pas 5 chiffres."),
    Code("dates-inversees", ERROR, "La date de fin précède la date de début.",
         "La date de fin (01/02/2018) précède la date de début (01/03/2018)."),
    Code("contrat-hors-marche", WARNING, "Le contrat commence ou finit hors des dates de son marché.",
         "Le contrat commence le 01/01/2017, avant le début du marché M2018-004 (01/03/2018)."),
    Code("mois-hors-contrat", WARNING, "Des heures sont saisies pour un mois hors des dates du contrat.",
         "Heures saisies pour 05/2018, hors des dates du contrat C0001 (06/2018 – 12/2018)."),
    Code("heures-negatives", ERROR, "Un nombre d'heures est négatif.",
         "Les heures ne peuvent pas être négatives (-7)."),
    Code("heures-elevees", WARNING, "Plus de 200 heures pour un mois : à vérifier.",
         "210 heures en un mois, c'est beaucoup : vérifiez le relevé."),
    Code("heures-excessives", ERROR, "Plus de 250 heures pour un mois : impossible pour un contrat.",
         "260 heures en un mois dépassent le maximum de 250 : corrigez le relevé."),
    Code("mois-en-double", ERROR, "Deux lignes d'heures pour le même contrat et le même mois.",
         "Le contrat C0001 a déjà une ligne pour 06/2018 (ligne 14) : regroupez les heures."),
    Code("sans-critere", ERROR, "Le participant ne remplit aucun critère d'éligibilité.",
         "Aucun critère d'éligibilité n'est coché : cochez un critère ou précisez « Autre critère »."),
    Code("jeune-incoherent", WARNING, "« Jeune -26 ans » à Oui pour une personne de 26 ans ou plus.",
         "« Jeune -26 ans » est à Oui mais la personne avait 31 ans à son premier contrat."),
    Code("senior-incoherent", WARNING, "« Senior 50 ans et + » à Oui pour une personne de moins de 50 ans.",
         "« Senior 50 ans et + » est à Oui mais la personne avait 42 ans à son premier contrat."),
    Code("qpv-inconnu", ERROR, "Le code QPV n'est pas dans la feuille QPV.",
         "Le code QPV « QN05099M » n'est pas dans la feuille QPV."),
    Code("resident-qpv-incoherent", WARNING, "« Résident QPV » ne s'accorde pas avec le code QPV.",
         "« Résident QPV » est à Non alors qu'un code QPV est saisi."),
    Code("eligibilite-ancienne", WARNING, "La date d'éligibilité a plus de 24 mois.",
         "L'éligibilité date du 01/01/2015, plus de 24 mois avant le contrat du 01/03/2018."),
    Code("marche-sans-objectif", ERROR, "Le marché n'a ni heures prévues ni de quoi les calculer.",
         "Le marché n'a ni heures prévues ni montant : saisissez l'un ou l'autre."),
    Code("parametre-manquant", WARNING, "Un paramètre qui a une valeur par défaut est vide ou absent.",
         "Le paramètre « Heures par ETP » est vide : la valeur par défaut 1\u00a0600 est utilisée."),
    Code("parametre-hors-plage", ERROR, "Un paramètre a une valeur illisible ou hors de sa plage admise.",
         "Le paramètre « Taux d'insertion par défaut (%) » vaut 250 % : saisissez entre 0 et 100 %."),
)
CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True)
class Finding:
    """One thing validation found, pointing at the cell the facilitator should change first."""

    code: str
    sheet: str
    row: int | None
    column: str | None
    value: Any
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of docs/cli.md (`valider --json`)."""
        return {
            "code": self.code,
            "gravite": self.severity.value,
            "feuille": self.sheet,
            "ligne": self.row,
            "colonne": self.column,
            "valeur": json_value(self.value),
            "message": self.message,
        }


def json_value(value: Any) -> Any:
    """A cell value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, float) and value != value:
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def finding(code: str, sheet: str, row: int | None, column: str | None, value: Any, message: str) -> Finding:
    if code not in CODES:
        raise KeyError(f"unknown finding code {code!r}")
    return Finding(code, sheet, row, column, value, message)
