"""Every validation rule fires on a case built for it, at the right sheet, row and column."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from clausexl.core.findings import CODES
from clausexl.verbs.valider import valider
from workbooks import d, make_workbook

#: The reference date of the dated rules (eligibility of the pool).
AU = d("2019-06-01")

CE = "Condition d'exécution (L2112-2)"

BASE: dict[str, list[dict[str, Any]]] = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Port-Roche", "categorie": "Commune"}],
    "T_Entreprises": [
        {"id": "E1", "raison_sociale": "Bâtiments du Littoral", "type": "Entreprise classique",
         "siret": "73282932000074", "code_postal": "50100", "commune": "Port-Roche"},
        {"id": "E2", "raison_sociale": "Intérim Solidaire", "type": "ETTI"},
    ],
    "T_Marches": [
        {"id": "M1", "donneur_ordre": "D1", "objet": "Réhabilitation école", "type_marche": "Travaux",
         "dispositif": CE, "montant_ht": 1_000_000, "date_debut": d("2018-01-01"), "date_fin": d("2018-12-31"),
         "attributaire": "E1", "statut": "En cours"},
    ],
    "T_QPV": [{"code": "QN05001M", "nom": "Les Hauts", "commune": "Port-Roche"}],
    "T_Participants": [
        {"id": "P1", "nom": "Martin", "prenom": "Léa", "sexe": "F", "date_naissance": d("1990-05-04"),
         "niveau_qualification": "4 (Bac)", "rsa": "Oui", "date_eligibilite": d("2017-12-01")},
        {"id": "P2", "nom": "Durand", "prenom": "Yanis", "sexe": "H", "date_naissance": d("1999-02-10"),
         "niveau_qualification": "Infra 3 (sans qualification)", "jeune_26": "Oui", "qpv": "QN05001M",
         "resident_qpv": "Oui"},
    ],
    "T_Contrats": [
        {"id": "C1", "participant": "P1", "marche": "M1", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "code_rome": "F1703", "date_debut": d("2018-02-01"), "date_fin": d("2018-06-30")},
        {"id": "C2", "participant": "P2", "marche": "M1", "employeur": "E2", "modalite": "Mise à disposition",
         "type_contrat": "Intérim", "date_debut": d("2018-03-01")},
    ],
    "T_Heures": [
        {"contrat": "C1", "mois": d("2018-02-01"), "heures_travaillees": 120},
        {"contrat": "C1", "mois": d("2018-03-01"), "heures_travaillees": 140, "heures_formation": 7},
        {"contrat": "C2", "mois": d("2018-03-01"), "heures_travaillees": 80},
    ],
}


def with_change(table: str, index: int, **changes: Any) -> dict[str, list[dict[str, Any]]]:
    rows = copy.deepcopy(BASE)
    if index >= len(rows.setdefault(table, [])):
        rows[table].append(changes)
    else:
        rows[table][index].update(changes)
    return rows


def codes_at(rapport) -> set[tuple[str, str, int | None, str | None]]:
    return {(f.code, f.sheet, f.row, f.column) for f in rapport.findings}


def test_base_workbook_is_clean(tmp_path):
    """The base case gives no finding at all, so each case below isolates one rule."""
    rapport = valider(make_workbook(tmp_path, BASE), AU)
    assert [f.to_dict() for f in rapport.findings] == []


# One case per line, alike on purpose (the duplicates tool pairs lines): code, change, cell expected.
CASES = [
    ("valeur-obligatoire", with_change("T_Marches", 0, objet=None), ("Marchés", 2, "Objet")),
    ("valeur-obligatoire", with_change("T_Marches", 0, attributaire=None), ("Marchés", 2, "Attributaire")),
    ("type-invalide", with_change("T_Heures", 1, heures_travaillees="beaucoup"), ("Heures", 3, "Heures travaillées")),
    ("type-invalide", with_change("T_Contrats", 0, date_debut="31/02/2018"), ("Contrats", 2, "Date de début")),
    ("texte-converti", with_change("T_Heures", 2, heures_travaillees="80,5"), ("Heures", 4, "Heures travaillées")),
    ("texte-converti", with_change("T_Contrats", 0, date_debut="2018-02-01"), ("Contrats", 2, "Date de début")),
    ("pourcentage-sur-100", with_change("T_Marches", 0, taux_insertion=5), ("Marchés", 2, "Taux d'insertion (%)")),
    ("valeur-hors-liste", with_change("T_Marches", 0, type_marche="Travaux publics"), ("Marchés", 2, "Type de marché")),
    ("valeur-hors-liste", with_change("T_Participants", 0, rsa="Peut-être"), ("Participants", 2, "RSA")),
    ("cle-en-double", with_change("T_Entreprises", 1, id="E1"), ("Entreprises", 3, "ID")),
    ("cle-en-double", with_change("T_Entreprises", 1, id=" e1 "), ("Entreprises", 3, "ID")),
    ("identifiant-approche", with_change("T_Contrats", 0, marche="m1"), ("Contrats", 2, "Marché")),
    ("identifiant-approche", with_change("T_Heures", 0, contrat=" c1"), ("Heures", 2, "Contrat")),
    ("identifiant-approche", with_change("T_Heures", 0, contrat="C1 "), ("Heures", 2, "Contrat")),
    ("identifiant-approche", with_change("T_Contrats", 0, participant=" P1"), ("Contrats", 2, "Participant")),
    ("reference-inconnue", with_change("T_Contrats", 0, marche="M9"), ("Contrats", 2, "Marché")),
    ("reference-inconnue", with_change("T_Heures", 0, contrat="C9"), ("Heures", 2, "Contrat")),
    ("siret-invalide", with_change("T_Entreprises", 0, siret="73282932000075"), ("Entreprises", 2, "SIRET")),
    ("siret-invalide", with_change("T_Entreprises", 0, siret="7328293200"), ("Entreprises", 2, "SIRET")),
    ("rome-invalide", with_change("T_Contrats", 0, code_rome="F170"), ("Contrats", 2, "Code ROME")),
    ("rome-invalide", with_change("T_Participants", 0, metiers="F1703;Z1234"), ("Participants", 2, "Métiers recherchés")),
    ("code-postal-invalide", with_change("T_Entreprises", 0, code_postal="501"), ("Entreprises", 2, "Code postal")),
    ("nombre-hors-plage", with_change("T_Marches", 0, montant_ht=1e28), ("Marchés", 2, "Montant HT (€)")),
    ("nombre-hors-plage", with_change("T_Heures", 0, heures_travaillees=-2e15), ("Heures", 2, "Heures travaillées")),
    ("courriel-invalide", with_change("T_Entreprises", 0, courriel="rh@x.fr\nBcc: z@y.fr"), ("Entreprises", 2, "Courriel")),
    ("courriel-invalide", with_change("T_Entreprises", 0, courriel="rh@entreprise"), ("Entreprises", 2, "Courriel")),
    ("dates-inversees", with_change("T_Contrats", 0, date_fin=d("2018-01-15")), ("Contrats", 2, "Date de fin")),
    ("dates-inversees", with_change("T_Marches", 0, date_fin=d("2017-06-30")), ("Marchés", 2, "Date de fin")),
    ("contrat-hors-marche", with_change("T_Contrats", 0, date_debut=d("2017-12-01")), ("Contrats", 2, "Date de début")),
    ("contrat-hors-marche", with_change("T_Contrats", 0, date_fin=d("2019-03-31")), ("Contrats", 2, "Date de fin")),
    ("mois-hors-contrat", with_change("T_Heures", 0, mois=d("2018-08-01")), ("Heures", 2, "Mois")),
    ("heures-negatives", with_change("T_Heures", 0, heures_travaillees=-7), ("Heures", 2, "Heures travaillées")),
    ("heures-negatives", with_change("T_Heures", 0, heures_formation=-1), ("Heures", 2, "Heures de formation")),
    ("heures-elevees", with_change("T_Heures", 0, heures_travaillees=201), ("Heures", 2, "Heures travaillées")),
    ("heures-excessives", with_change("T_Heures", 0, heures_travaillees=240, heures_formation=11), ("Heures", 2, "Heures travaillées")),
    ("mois-en-double", with_change("T_Heures", 3, contrat="C1", mois=d("2018-02-15"), heures_travaillees=5), ("Heures", 5, "Mois")),
    ("sans-critere", with_change("T_Participants", 0, rsa="Non"), ("Participants", 2, "Autre critère")),
    ("jeune-incoherent", with_change("T_Participants", 0, jeune_26="Oui"), ("Participants", 2, "Jeune -26 ans")),
    ("senior-incoherent", with_change("T_Participants", 0, senior_50="Oui"), ("Participants", 2, "Senior 50 ans et +")),
    ("qpv-inconnu", with_change("T_Participants", 1, qpv="QN05099M"), ("Participants", 3, "QPV")),
    ("resident-qpv-incoherent", with_change("T_Participants", 1, resident_qpv="Non"), ("Participants", 3, "Résident QPV")),
    ("eligibilite-ancienne", with_change("T_Participants", 0, date_eligibilite=d("2015-06-01")), ("Participants", 2, "Date d'éligibilité")),
    ("marche-sans-objectif", with_change("T_Marches", 0, mode_calcul="Heures fixées"), ("Marchés", 2, "Heures prévues")),
    ("marche-sans-objectif", with_change("T_Marches", 0, mode_calcul="Au prorata du facturé"), ("Marchés", 2, "Euros par heure")),
]


@pytest.mark.parametrize(("code", "rows", "where"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_where_expected(tmp_path, code, rows, where):
    """The case's finding is reported with its code at the sheet, Excel row and column to change."""
    rapport = valider(make_workbook(tmp_path, rows), AU)
    assert (code, *where) in codes_at(rapport), [f.to_dict() for f in rapport.findings]
    found = next(f for f in rapport.findings if (f.code, f.sheet, f.row, f.column) == (code, *where))
    assert found.severity is CODES[code].severity
    assert found.message.endswith((".", "?")) and len(found.message) > 20


def test_references_typed_with_spaces_or_another_case_are_read_as_their_key_with_a_warning(tmp_path):
    """`P1 ` is read as P1 although the reader strips text: the text as typed is kept for the warning."""
    rows = copy.deepcopy(BASE)
    rows["T_Contrats"][0].update(participant="P1 ", marche=" m1")
    rows["T_Heures"][0].update(contrat="C1")
    rapport = valider(make_workbook(tmp_path, rows), AU)
    assert [(f.code, f.row, f.column, f.value, f.message) for f in rapport.findings] == [
        ("identifiant-approche", 2, "Participant", "P1 ", "« P1  » a été lu comme « P1 » de la feuille Participants "
                                                          "(espaces autour ignorés) : corrigez la saisie."),
        ("identifiant-approche", 2, "Marché", " m1", "«  m1 » a été lu comme « M1 » de la feuille Marchés "
                                                     "(majuscules et espaces ignorés) : corrigez la saisie."),
    ]
    rows["T_Contrats"][0].update(participant="P1", marche="m1")
    (only,) = valider(make_workbook(tmp_path / "casse", rows), AU).findings
    assert only.message == "« m1 » a été lu comme « M1 » de la feuille Marchés (majuscules ignorées) : corrigez la saisie."


def test_attributaire_may_be_empty_when_market_is_in_preparation(tmp_path):
    """A market En préparation needs no Attributaire yet."""
    rows = with_change("T_Marches", 1, id="M2", donneur_ordre="D1", objet="Voirie", type_marche="Travaux",
                       dispositif=CE, montant_ht=500000, date_debut=d("2019-01-01"), date_fin=d("2019-12-31"),
                       statut="En préparation")
    assert valider(make_workbook(tmp_path, rows)).findings == []


def test_parameter_out_of_range_and_missing(tmp_path):
    """A parameter outside its range is an error; an empty one with a default is a warning naming the default."""
    path = make_workbook(tmp_path, BASE, {"taux_insertion": 250, "heures_par_etp": None})
    found = {(f.code, f.sheet, f.column): f for f in valider(path).findings}
    assert ("parametre-hors-plage", "Paramètres", "Valeur") in found
    missing = found[("parametre-manquant", "Paramètres", "Valeur")]
    assert "1\u00a0600" in missing.message


def test_la_poste_siret_exception(tmp_path):
    """La Poste's SIRET (SIREN 356000000) is checked by digit sum, not Luhn."""
    from clausexl.core.identifiers import luhn_ok

    assert not luhn_ok("35600000000010")
    rows = with_change("T_Entreprises", 0, siret="35600000000010")
    assert not [f for f in valider(make_workbook(tmp_path, rows)).findings if f.code == "siret-invalide"]


def test_every_code_is_exercised():
    """Each documented code (but parameters, formula errors, date range, duplicate column and rows below a table,
    tested elsewhere) has a case here."""
    elsewhere = {"parametre-hors-plage", "parametre-manquant", "erreur-formule", "date-hors-plage", "colonne-en-double",
                 "ligne-hors-tableau"}  # tests/test_rows_below_tables.py
    assert set(CODES) - elsewhere <= {c[0] for c in CASES}
