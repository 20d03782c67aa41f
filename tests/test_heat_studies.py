"""Heat in the studies: the demo's Pareto frontier shows electrified heat and efficiency measures as
steps of its MAC curve, and a sweep over a heat field moves the heat decisions (4 typical days)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from optimizer import api
from optimizer.studies.pareto import cut_column, frontier, pareto_sweep
from optimizer.studies.sweep import run_sweep

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.yaml"
DAYS = {"time": {"aggregation": "typical_days", "days": 4}}


@pytest.fixture(scope="module")
def demo_on_days(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("heat") / "demo_days.yaml"
    path.write_text(json.dumps({"extends": str(DEMO), **DAYS}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def front(demo_on_days, tmp_path_factory):
    sweep = pareto_sweep(demo_on_days, points=4)
    run = run_sweep(sweep, tmp_path_factory.mktemp("pareto"), with_no_target=False)
    return frontier(run.table, sweep.name, "CNY")


def test_electrified_heat_and_measures_are_steps_of_the_mac_curve(front):
    pts = front.points
    assert (pts["status"] == "optimal").all() and pts["net_t"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    entered = set(front.entry["measure"])
    assert {"electrified heat", "efficiency measures"} <= entered
    for measure in ("electrified heat", "efficiency measures"):
        assert (pts[cut_column(measure)] > 0).all(), measure  # they pay at every point, the cheapest included
    entry = front.entry.set_index("measure")
    assert entry.loc["electrified heat", "in_cheapest_plan"]  # electrifying pays without any target
    assert entry.loc["electrified heat", "cut_in_cheapest_plan_t"] == pytest.approx(
        pts[cut_column("electrified heat")].iloc[0], rel=1e-12)
    assert not entry.loc["carbon credits", "in_cheapest_plan"]  # credits only ever serve a cap
    # the steps still add up to what the frontier abates
    total = front.segments["abated_t"].sum()
    assert total == pytest.approx(front.bau_t - pts["net_t"].iloc[-1], rel=1e-9)


def test_the_printed_frontier_says_what_the_cheapest_plan_already_does(front):
    from rich.console import Console

    from optimizer.report.study_tables import print_frontier

    console = Console(record=True, width=120)
    print_frontier(front, console)
    text = console.export_text()
    assert "electrified heat is already in the cheapest plan without a target" in text
    assert "carbon credits enters at" in text


def test_a_dearer_heat_pump_is_built_smaller_and_the_boiler_burns_more(demo_on_days, tmp_path):
    sweep = api.build_sweep(demo_on_days, "heat pump capex", "grid",
                            {"heat.heat_pump.capex_per_kw_th": [3500, 9000]})
    table = api.sweep(sweep, tmp_path / "sweep").table.sort_values("heat.heat_pump.capex_per_kw_th")
    assert (table["status"] == "optimal").all()
    hp, fuel = table["heat_pump_kw_th"].to_numpy(), table["boiler_fuel_mwh"].to_numpy()
    assert hp[1] < hp[0] and fuel[1] >= fuel[0] - 1e-6
    assert np.all(np.diff(table["total_annual_cost"].to_numpy()) > 0)
