"""Edges of the hours (docs/calculs.md §1–2): engaged markets only, nothing late before it starts, the
year's reference date, pooled rates capped per market, NPNRU counted on QPV residents, one target formula."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.hours import target_of
from clausexl.core.hours_views import hours_views
from workbooks import d, make_workbook

CONDITION = "Condition d'exécution (L2112-2)"
PARAMS = {"penalite": 50, "arrondi": 1, "part_main_oeuvre": 0.4, "taux_insertion": 0.07, "cout_horaire": 35}


def _market(id_, status, start, end, hours, awardee="E1", buyer="D1", **extra):
    return {"id": id_, "donneur_ordre": buyer, "objet": f"Objet {id_}", "type_marche": "Travaux",
            "dispositif": CONDITION, "montant_ht": 100_000, "date_debut": d(start), "date_fin": d(end),
            "statut": status, "attributaire": awardee, "heures_prevues": hours, **extra}


PERSON = {"sexe": "F", "date_naissance": d("1990-01-01"), "niveau_qualification": "3 (CAP, BEP)"}
ROWS = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Commune de Valognes", "categorie": "Commune"}],
    "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâti Nord", "type": "Entreprise classique"},
                      {"id": "E2", "raison_sociale": "Voirie Ouest", "type": "Entreprise classique"}],
    "T_Marches": [
        # over its target: 150 h of 100
        _market("A", "Terminé", "2025-01-01", "2025-12-31", 100),
        # 95 h of 100: 5 h remain → the company's rate cannot be 100 %
        _market("B", "Terminé", "2025-01-01", "2025-12-31", 100),
        # abandoned with 40 h: no obligation, out of the company's figures
        _market("X", "Abandonné", "2025-01-01", "2025-12-31", 1000),
        # running, starts in 2027: nothing expected, not late, no penalty
        _market("F", "En cours", "2027-01-01", "2027-12-31", 2400),
        # running over 2025–2026 on E2, NPNRU: only QPV residents' hours count
        _market("N", "En cours", "2025-07-01", "2026-06-30", 400, awardee="E2", npnru="Oui"),
    ],
    "T_QPV": [{"code": "QN05001M", "nom": "Les Provinces", "commune": "Valognes"}],
    "T_Participants": [
        {"id": "P1", "nom": "Martin", "prenom": "Léa", "qpv": "QN05001M", **PERSON},
        {"id": "P2", "nom": "Durand", "prenom": "Paul", **PERSON},
    ],
    "T_Contrats": [
        {"id": "CA", "participant": "P1", "marche": "A", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2025-01-01"), "date_fin": d("2025-12-31")},
        {"id": "CB", "participant": "P2", "marche": "B", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2025-01-01"), "date_fin": d("2025-12-31")},
        {"id": "CX", "participant": "P2", "marche": "X", "employeur": "E1", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2025-01-01"), "date_fin": d("2025-02-28")},
        {"id": "CN1", "participant": "P1", "marche": "N", "employeur": "E2", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2025-07-01"), "date_fin": d("2026-06-30")},
        {"id": "CN2", "participant": "P2", "marche": "N", "employeur": "E2", "modalite": "Embauche directe",
         "type_contrat": "CDD", "date_debut": d("2025-07-01"), "date_fin": d("2026-06-30")},
    ],
    "T_Heures": [
        {"contrat": "CA", "mois": d("2025-03-01"), "heures_travaillees": 150},
        {"contrat": "CB", "mois": d("2025-03-01"), "heures_travaillees": 95},
        {"contrat": "CX", "mois": d("2025-02-01"), "heures_travaillees": 40},
        # N: 2025 — P1 (QPV) 60 h, P2 100 h; 2026 — P1 60 h
        {"contrat": "CN1", "mois": d("2025-09-01"), "heures_travaillees": 60},
        {"contrat": "CN2", "mois": d("2025-09-01"), "heures_travaillees": 100},
        {"contrat": "CN1", "mois": d("2026-02-01"), "heures_travaillees": 60},
    ],
}


@pytest.fixture(scope="module")
def classeur(tmp_path_factory):
    return read_classeur(make_workbook(tmp_path_factory.mktemp("edges"), ROWS, PARAMS))


def _row(frame, id_):
    return frame.set_index("id").loc[id_]


def test_only_engaged_markets_carry_obligations(classeur):
    """An abandoned market has no penalty, is never late, and stays out of its company's figures."""
    v = hours_views(classeur, d("2026-12-01"))
    x = _row(v.marches, "X")
    assert (x["heures_realisees"], x["penalite"], x["attendu_a_date"], bool(x["en_retard"])) == (40, 0, 0, False)
    e1 = _row(v.entreprises, "E1")
    # A, B and F engaged; X listed apart with its 40 h
    assert (e1["marches"], e1["marches_hors_obligation"], e1["heures_hors_obligation"]) == (3, 1, 40)
    assert e1["heures_prevues"] == 100 + 100 + 2400
    assert e1["heures_realisees"] == 150 + 95
    assert list(v.marches["id"])[-1] == "X"  # markets without obligation come last


def test_nothing_is_late_before_it_starts(classeur):
    """A running market starting in 2027: nothing expected, not late, no penalty in 2026."""
    f = _row(hours_views(classeur, d("2026-12-01")).marches, "F")
    assert (f["attendu_a_date"], bool(f["en_retard"]), f["penalite"], f["reste"]) == (0, False, 0, 2400)


def test_pooled_rate_counts_each_market_up_to_its_target(classeur):
    """150 h on A (target 100) cannot hide B's 5 missing hours: the rate is 195/200, not 245/200."""
    v = hours_views(classeur, d("2025-12-31"))
    e1 = _row(v.entreprises, "E1")
    assert e1["taux"] == pytest.approx((100 + 95) / (100 + 100 + 2400))
    assert e1["reste"] == 5 + 2400
    assert e1["penalite"] == 5 * 50  # F has not started: no penalty yet
    a_and_b = hours_views(classeur, d("2025-12-31")).marches.set_index("id").loc[["A", "B"]]
    assert a_and_b["reste"].sum() == 5


def test_npnru_counts_qpv_residents_hours(classeur):
    """On N, only P1's hours (QPV) count toward the target; all hours are shown beside."""
    n = _row(hours_views(classeur, d("2026-12-01")).marches, "N")
    assert (n["heures_realisees"], n["heures_residents_qpv"], n["heures_comptees"]) == (220, 120, 120)
    assert (n["taux"], n["reste"], n["penalite"]) == (pytest.approx(0.3), 280, 280 * 50)


def test_year_takes_its_reference_at_the_end_of_the_year(classeur):
    """--annee 2025 at a later date: expected and late are at 31/12/2025; hours done are 2025's."""
    v = hours_views(classeur, d("2026-12-01"), 2025)
    n = _row(v.marches, "N")
    # 183 of 364 days elapsed at 31/12/2025 → 400 × 183/364 expected; 60 h that count < 80 % of it
    assert n["attendu_a_date"] == pytest.approx(400 * 183 / 364)
    assert (n["heures_realisees"], n["heures_comptees"], bool(n["en_retard"])) == (160, 60, True)
    f = _row(v.marches, "F")
    assert (f["attendu_a_date"], bool(f["en_retard"])) == (0, False)
    # the same year asked earlier than its end: the reference date wins
    mid = _row(hours_views(classeur, d("2025-08-01"), 2025).marches, "N")
    assert mid["attendu_a_date"] == pytest.approx(400 * 31 / 364)


N = "\u00a0"  # the no-break space of every French figure (core/values)


@pytest.mark.parametrize(("row", "hours", "words"), [
    ({"montant_ht": 1_000_000, "part_main_oeuvre": 0.5, "taux_insertion": 0.05, "cout_horaire": 30}, 834,
     f"1{N}000{N}000,00{N}€ × 50{N}% de main-d'œuvre × 5{N}% d'insertion ÷ 30,00{N}€/h = 833,33{N}h, "
     f"arrondi au multiple de 1{N}h supérieur : 834{N}h."),
    # a typed 0 % is a value: no hours (only an empty cell falls back to the parameter, 7 %)
    ({"montant_ht": 100_000, "taux_insertion": 0.0}, 0,
     f"100{N}000,00{N}€ × 40{N}% de main-d'œuvre × 0{N}% d'insertion ÷ 35,00{N}€/h = 0{N}h."),
    ({"montant_ht": 100_000}, 80,
     f"100{N}000,00{N}€ × 40{N}% de main-d'œuvre × 7{N}% d'insertion ÷ 35,00{N}€/h = 80{N}h."),
    ({"montant_ht": 100_000, "cout_horaire": 0}, None, "Calcul impossible : montant, taux ou coût horaire manquant "
     "(ou nul)."),
    ({"mode_calcul": "Au prorata du facturé", "montant_facture": 4500, "euros_par_heure": 45}, 100,
     f"4{N}500,00{N}€ facturés ÷ 45,00{N}€/h = 100{N}h."),
])
def test_one_target_formula(row, hours, words):
    """One function gives the computed hours, their rounding and the formula in words."""
    target = target_of(row, PARAMS)
    assert target.heures == (None if hours is None else Decimal(hours))
    assert target.explication == words
