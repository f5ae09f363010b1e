"""A market month by month (the dashboard's curve): running total and expected hours end on the market's figures."""

from __future__ import annotations

import pandas as pd
import pytest

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.hours import market_progress
from clausexl.core.hours_views import market_curve
from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows
from workbooks import make_workbook


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    path = make_workbook(tmp_path_factory.mktemp("demo"), demo_rows(), demo_parameters(), name="demo.xlsx")
    c = read_classeur(path)
    return c, market_progress(c, REF_DATE)


def test_every_market_ends_on_its_dashboard_figures(demo: tuple) -> None:
    """For each market: the last running total is its hours that count (QPV residents' on an NPNRU market),
    the last expected its expected-to-date,
    months follow one another from its start to the reference date or its end (none before it starts)."""
    c, markets = demo
    for _, market in markets.iterrows():
        curve = market_curve(c, market, REF_DATE)
        if market["date_debut"] > pd.Timestamp(REF_DATE):  # not started: nothing to draw yet
            assert curve.empty and market["heures_comptees"] == 0
            continue
        assert curve["heures_cumulees"].iloc[-1] == pytest.approx(market["heures_comptees"])
        assert curve["heures_attendues"].iloc[-1] == pytest.approx(market["attendu_a_date"])
        assert curve["heures"].sum() == pytest.approx(market["heures_comptees"])
        months = list(curve["mois"])
        assert months == list(pd.date_range(months[0], months[-1], freq="MS"))
        end = market["date_fin"] if not pd.isna(market["date_fin"]) else pd.Timestamp(REF_DATE)
        assert months[-1] == min(end, pd.Timestamp(REF_DATE)).to_period("M").to_timestamp()
        assert curve["heures_attendues"].is_monotonic_increasing


def test_a_finished_market_expects_its_whole_target(demo: tuple) -> None:
    c, markets = demo
    finished = markets[(markets["date_fin"] < pd.Timestamp(REF_DATE)) & markets["engage"]].iloc[0]
    curve = market_curve(c, finished, REF_DATE)
    assert curve["heures_attendues"].iloc[-1] == pytest.approx(finished["heures_prevues"])
    assert curve["mois"].iloc[-1] == finished["date_fin"].to_period("M").to_timestamp()
