"""Hours per market and the views by company, employer, participant, buyer and month (docs/calculs.md §2)."""

from __future__ import annotations

import pytest

from bilan_fixture import territory
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.hours_views import hours_views
from workbooks import d


@pytest.fixture(scope="module")
def classeur(tmp_path_factory):
    return read_classeur(territory(tmp_path_factory.mktemp("heures")))


@pytest.fixture(scope="module")
def end_2018(classeur):
    return hours_views(classeur, d("2018-12-31"))


def _by_id(frame, id_):
    return frame.set_index("id").loc[id_]


@pytest.mark.parametrize(("market", "expected"), [
    # computed 833.33 → 834; NPNRU: only P2's 400 h (QPV resident) count of the 605 h done;
    # 400 h < 80 % of 834 expected at the end of the year → late
    ("M1", {"heures_prevues": 834, "heures_calculees": 834, "heures_realisees": 605, "heures_residents_qpv": 400,
            "heures_comptees": 400, "taux": 400 / 834, "reste": 434, "attendu_a_date": 834, "en_retard": True,
            "penalite": 434 * 60}),
    # typed target 600 beside the computed 80; market penalty 100 €/h; finished → never late
    ("M2", {"heures_prevues": 600, "heures_calculees": 80, "heures_realisees": 500, "heures_travaillees": 490,
            "heures_formation": 10, "reste": 100, "en_retard": False, "penalite": 100 * 100}),
    # en préparation with no hours: shown with 0 h, nothing expected, no penalty, not late
    ("M3", {"heures_prevues": 160, "heures_realisees": 0, "taux": 0, "reste": 160, "attendu_a_date": 0,
            "penalite": 0, "en_retard": False, "engage": False}),
    # abandoned with hours: no obligation
    ("M4", {"heures_prevues": 40, "heures_realisees": 100, "heures_Formation": 100, "reste": 0, "penalite": 0,
            "engage": False}),
])
def test_market_progress(end_2018, market, expected):
    """Each market's target, hours, remaining, expected, late flag and penalty as computed by hand."""
    row = _by_id(end_2018.marches, market)
    for key, value in expected.items():
        assert row[key] == pytest.approx(value), key


def test_hours_by_modality(end_2018):
    """Hours of a market are split by the modality of their contracts."""
    row = _by_id(end_2018.marches, "M2")
    assert (row["heures_Mise à disposition"], row["heures_Embauche directe"]) == (400, 100)


def test_late_markets_first(classeur):
    """The late market comes first; at mid-year M1 is on track and nothing is late."""
    assert end_2018_ids(hours_views(classeur, d("2018-12-31")))[0] == "M1"
    mid = hours_views(classeur, d("2018-07-01"))
    m1 = _by_id(mid.marches, "M1")
    # 605 h done by July; expected 834 × 181/364 = 414.7 h
    assert m1["attendu_a_date"] == pytest.approx(834 * 181 / 364)
    assert not mid.marches["en_retard"].any()


def end_2018_ids(views):
    return list(views.marches["id"])


def test_reference_date_cuts_later_months(classeur):
    """Without --annee, only months up to the reference date count."""
    views = hours_views(classeur, d("2018-02-15"))
    # M1: C3's February 20 h; M2: all of C1 up to February (400) and C5 (100)
    assert _by_id(views.marches, "M1")["heures_realisees"] == 20
    assert _by_id(views.marches, "M2")["heures_realisees"] == 500


def test_year_restricts_hours_not_targets(classeur):
    """--annee keeps only the months of the year; targets stay whole; markets sum to the year's hours."""
    views = hours_views(classeur, d("2019-03-15"), 2018)
    m2 = _by_id(views.marches, "M2")
    assert (m2["heures_realisees"], m2["heures_prevues"]) == (220, 600)
    assert views.marches["heures_realisees"].sum() == 925
    assert views.mois["heures"].sum() == 925
    assert views.participants["heures"].sum() == 925


@pytest.mark.parametrize(("view", "id_", "expected"), [
    # by Attributaire: the clause obligation
    ("entreprises", "E1", {"marches": 1, "heures_prevues": 834, "heures_realisees": 605, "heures_comptees": 400,
                           "taux": 400 / 834, "reste": 434, "marches_en_retard": 1}),
    ("entreprises", "E3", {"marches": 1, "heures_prevues": 600, "heures_realisees": 500}),
    ("entreprises", "E5", {"marches": 1, "heures_prevues": 8, "heures_realisees": 0}),
    # by Employeur: what each placed (E2, the ETTI, placed on E3's market)
    ("employeurs", "E2", {"heures": 400, "contrats": 1, "participants": 1}),
    ("employeurs", "E1", {"heures": 605, "contrats": 2, "participants": 2}),
    ("employeurs", "E4", {"heures": 100, "heures_formation": 50}),
    ("participants", "P1", {"heures": 400, "contrats": 1}),
    ("participants", "P3", {"heures": 205, "heures_formation": 35}),
    # by buyer: D1's two markets together
    # D1: M1 (400 h that count of 834) and M2 (500 of 600)
    ("donneurs_ordre", "D1", {"marches": 2, "heures_prevues": 1434, "heures_realisees": 1105,
                              "taux": 900 / 1434, "reste": 534, "penalite": 434 * 60 + 100 * 100}),
    # D2's markets are En préparation and Abandonné: no obligation, listed apart with their hours
    ("donneurs_ordre", "D2", {"marches": 0, "heures_prevues": 0, "reste": 0, "penalite": 0,
                              "marches_hors_obligation": 2, "heures_hors_obligation": 100}),
])
def test_views(end_2018, view, id_, expected):
    """Each view sums the same hour rows by its own key."""
    row = _by_id(getattr(end_2018, view), id_)
    for key, value in expected.items():
        assert row[key] == pytest.approx(value), key


def test_awardee_view_leaves_out_markets_without_awardee(end_2018):
    """Markets without Attributaire (en préparation, abandoned) are not in the company view."""
    assert set(end_2018.entreprises["id"]) == {"E1", "E3", "E5"}


def test_months(end_2018):
    """Hours per month as "AAAA-MM", in order, with the months that have rows."""
    months = dict(zip(end_2018.mois["mois"], end_2018.mois["heures"]))
    assert months == {"2017-08": 100, "2017-11": 100, "2017-12": 80, "2018-01": 130, "2018-02": 110,
                      "2018-03": 300, "2018-04": 185, "2018-05": 100, "2018-09": 100, "2018-10": 0}


def test_hours_rows_joined_once_per_workbook(classeur, monkeypatch):
    """The views ask for the joined hours rows three times: joined once; each caller's copy is its own."""
    from dataclasses import replace

    from clausexl.core import hours

    fresh = replace(classeur)  # nothing derived yet
    joins = []
    join = hours._join_hours_rows

    def counted(c):
        joins.append(c)
        return join(c)

    monkeypatch.setattr(hours, "_join_hours_rows", counted)
    views = hours_views(fresh, d("2018-12-31"))
    assert len(joins) == 1
    rows = hours.hours_rows(fresh)
    rows["heures"] = 0.0
    assert hours.hours_rows(fresh)["heures"].sum() > 0
    assert views.marches.equals(hours_views(classeur, d("2018-12-31")).marches)
