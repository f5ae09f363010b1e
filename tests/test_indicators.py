"""The year's indicators (docs/calculs.md §3–4) on the hand-computed territory of bilan_fixture."""

from __future__ import annotations

import pytest

from bilan_fixture import EXTRACTION, territory
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core import schema
from clausexl.core.indicators import KEYS, SORTIE_CATEGORIES, bilan_figures


def bilan_indicators(c, annee, extraction):
    return bilan_figures(c, annee, extraction)[0]


def bilan_details(c, annee, extraction):
    return bilan_figures(c, annee, extraction)[1]


@pytest.fixture(scope="module")
def classeur(tmp_path_factory):
    return read_classeur(territory(tmp_path_factory.mktemp("bilan")))


@pytest.fixture(scope="module")
def ind(classeur):
    return bilan_indicators(classeur, 2018, EXTRACTION)


@pytest.fixture(scope="module")
def details(classeur):
    return bilan_details(classeur, 2018, EXTRACTION)


def test_keys_are_exactly_those_of_calculs_4(ind):
    """The indicators carry exactly the §4 keys, and N-1 the same keys without its own annee_precedente."""
    assert tuple(ind) == KEYS
    assert tuple(ind["annee_precedente"]) == KEYS[:-1]
    assert list(ind["criteres"]) == [label for label, _ in schema.CRITERES]
    assert all(set(v) == {"nombre", "part"} for v in ind["criteres"].values())
    assert set(ind["npnru"]) == {"heures_prevues", "heures", "heures_residents_qpv", "part_residents_qpv",
                                 "objectif_atteint"}
    assert list(ind["candidatures"]) == list(schema.RESULTATS_CANDIDATURE)
    assert all(list(v) == list(SORTIE_CATEGORIES) for v in ind["sorties"].values())


# One key figure per line, alike on purpose (the duplicates tool pairs lines), each with its reason.
@pytest.mark.parametrize(("path", "expected"), [
    # P1..P4 have hours in 2018; P5's only 2018 row is 0 h
    (("participants",), 4),
    (("heures",), 925.0),
    (("heures_travaillees",), 830.0),
    (("heures_formation",), 95.0),
    (("etp",), 925 / 1600),  # unrounded: the outputs round when they print
    (("heures_par_etp",), 1600),
    (("femmes",), 2),
    (("part_femmes",), 0.5),
    # P1 25 at the start of C1; P3 born 29/02 still 25 on 28/02/2018; P2 exactly 26 is not "moins de 26"
    (("moins_26_ans",), 2),
    (("part_moins_26_ans",), 0.5),
    (("cinquante_ans_et_plus",), 1),
    (("sans_qualification",), 2),
    (("part_sans_qualification",), 0.5),
    (("criteres", "RSA", "nombre"), 2),
    (("criteres", "RSA", "part"), 0.5),
    (("criteres", "AAH", "part"), 0.25),
    (("criteres", "ASS", "nombre"), 0),
    (("qpv",), 2),
    (("part_qpv",), 0.5),
    # C1 spans 2017-2018 and counts in 2018; C5's 2018 row is 0 h
    (("contrats",), 4),
    (("contrats_par_type", "Intérim"), 1),
    (("contrats_par_type", "CDDI"), 0),
    (("contrats_par_modalite", "Embauche directe"), 2),
    # M1 running, M2 finished mid-2018, M4 abandoned with hours; not M3 (en préparation), not M5 (2016)
    (("marches_suivis",), 3),
    (("marches_par_type", "Travaux"), 1),
    (("part_marches_travaux",), 1 / 3),
    (("marches_par_dispositif", "Marché réservé SIAE (L2113-13)"), 1),
    (("marches_par_dispositif", "Marché d'insertion (R2123-1)"), 0),
    # D1 has two followed markets and counts once
    (("donneurs_ordre",), 2),
    # E1 awardee and employer counted once; E2 employer; E3 awardee; E4 employer
    (("entreprises_engagees",), 4),
    # E1 by its commune spelt without hyphens, E2 by its postal code only
    (("entreprises_locales",), 2),
    (("part_entreprises_locales",), 0.5),
    (("npnru", "heures_prevues"), 834.0),
    (("npnru", "heures"), 605.0),
    (("npnru", "heures_residents_qpv"), 400.0),
    (("npnru", "part_residents_qpv"), 400 / 605),
    (("npnru", "objectif_atteint"), False),
    (("candidatures", "Proposé"), 1),
    (("candidatures", "Retenu"), 1),
    (("candidatures", "Désisté"), 0),
])
def test_indicator_of_2018(ind, path, expected):
    """Each indicator of 2018 equals its hand-computed value."""
    value = ind
    for key in path:
        value = value[key]
    assert value == expected


@pytest.mark.parametrize(("echeance", "expected"), [
    # P1: latest Fin de contrat row (transition); P2: still in the clause contract; P4: no row, due in 2018
    ("Fin de contrat", {"Emploi de transition": 1, "Toujours en contrat": 1, "Sans information": 1}),
    # P1: CDI; P2: due 30/11/2018, no row; P4: due 30/04/2019, after the extraction
    ("6 mois", {"Emploi durable": 1, "Sans information": 1, "Non échu": 1}),
    ("12 mois", {"Sans information": 1, "Non échu": 2}),
])
def test_sorties_of_2018(ind, echeance, expected):
    """People whose last contract ended in 2018 (not P3, still running) are counted per échéance."""
    assert {k: v for k, v in ind["sorties"][echeance].items() if v} == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("participants", 2),  # P1 (hours in both years) and P5
    ("heures", 280.0),
    ("contrats", 2),  # C1 spans both years
    ("moins_26_ans", 1),
    ("marches_suivis", 1),
    ("entreprises_engagees", 2),
    ("entreprises_locales", 1),
])
def test_previous_year_beside(ind, key, expected):
    """2017 is computed with the same rules and shown beside 2018."""
    assert ind["annee_precedente"][key] == expected
    assert ind["annee_precedente"]["sorties"]["Fin de contrat"]["Sortie positive"] == 1


def test_no_previous_year_without_hours(classeur):
    """N-1 is null when it has no hours (2017 is the first year with hours)."""
    assert bilan_indicators(classeur, 2017, EXTRACTION)["annee_precedente"] is None


def test_year_without_anything_is_all_zeros(classeur):
    """A year with no hours gives zero counts and empty (None) shares, never a division by zero."""
    ind = bilan_indicators(classeur, 2030, EXTRACTION)
    assert (ind["participants"], ind["heures"], ind["part_femmes"], ind["marches_suivis"]) == (0, 0.0, None, 0)
    assert ind["criteres"]["RSA"] == {"nombre": 0, "part": None}
    assert ind["npnru"]["part_residents_qpv"] is None
    assert ind["npnru"]["objectif_atteint"] is None


def test_details_tables(details):
    """Age bands, months, buyer categories and hires per offer beside the indicators."""
    assert details["participants_par_tranche_age"] == {"moins de 26 ans": 2, "26 à 49 ans": 1, "50 ans et plus": 1}
    assert details["heures_par_mois"]["2018-04"] == {"heures": 185.0, "heures_travaillees": 150.0,
                                                     "heures_formation": 35.0}
    assert len(details["heures_par_mois"]) == 12
    assert sum(m["heures"] for m in details["heures_par_mois"].values()) == 925.0
    assert details["donneurs_ordre_par_categorie"]["Bailleur social"] == 1
    assert details["entreprises_par_type"] == {**dict.fromkeys(schema.TYPES_ENTREPRISE, 0),
                                               "Entreprise classique": 2, "ETTI": 1, "GEIQ": 1}
    assert details["heures_par_type_marche"] == {"Travaux": 605.0, "Services": 220.0, "Fournitures": 100.0,
                                                 "Prestations intellectuelles": 0.0}
    assert details["npnru_objectif_heures"] == 834.0
    assert (details["offres_avec_candidatures"], details["embauches_par_offre"]) == (1, 1.0)
    assert details["choix"][0] == "ETP = heures ÷ 1\u00a0600 (paramètre « Heures par ETP »)."


def test_npnru_objective_pro_rata_of_the_year_elapsed(classeur):
    """For the running year, the NPNRU objective is the target pro rata of the year elapsed at extraction."""
    details = bilan_details(classeur, 2018, EXTRACTION.replace(year=2018, month=7, day=1))
    # M1 runs 01/01–31/12/2018: 182 days of 365 elapsed on 01/07 → 834 × 182 / 365
    assert details["npnru_objectif_heures"] == pytest.approx(834 * 182 / 365, abs=0.01)


def test_leavers_headline_counts_people_who_have_left(ind):
    """« N des M participants sortis »: M leaves out the Non échu and the sentence says how many lack information."""
    from clausexl.core.bilan_report import leavers_sentence

    end = ind["sorties"]["Fin de contrat"]
    assert leavers_sentence(end) == ["À la fin de leur contrat, 1 des 3 participants sortis (33,3\u00a0%) est en "
                                     "emploi ou en sortie positive ; 1 sans information sur sa situation."]
    not_due = {**end, "Non échu": 4}
    assert leavers_sentence(not_due) == leavers_sentence(end)
    assert leavers_sentence({k: (2 if k == "Non échu" else 0) for k in end}) == []
