"""T_Parametres of the demo: the fictitious facilitator's structure and the defaults."""

from __future__ import annotations

from datetime import date

from clausexl.core import schema as S

from .calibration_targets import CALIBRATED_YEAR
from .territory import TERRITOIRE


def demo_parameters() -> dict[str, object]:
    """T_Parametres values keyed by Parameter.key: the fictitious structure and the defaults."""
    values: dict[str, object] = {p.key: p.default for p in S.PARAMETERS}
    values.update({
        "structure": "Maison de l'emploi et de la formation du Pays d'Aubrelle",
        "facilitateur": "Hélène Quesnel",
        "fonction": "Facilitatrice des clauses sociales",
        "telephone": "02 99 00 41 27",
        "courriel": "clauses.sociales@example.org",
        "adresse": "4 place de la Gare, 50960 Aubrelle-sur-Mer",
        "territoire": TERRITOIRE,
        "mois_suivi": date(2019, 12, 1),
        "annee_bilan": CALIBRATED_YEAR,
        "smtp_serveur": "smtp.example.org",
        "smtp_port": 587,
        "smtp_tls": "Oui",
        "smtp_utilisateur": "clauses.sociales@example.org",
        "smtp_expediteur": "clauses.sociales@example.org",
    })
    return values
