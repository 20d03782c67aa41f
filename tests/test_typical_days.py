"""Typical days: exact when every day is its own typical day; on the demo, the calendar year they
stand for balances, keeps the battery within bounds every hour and keeps the year's totals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.errors import InputError
from models.inputs import TypicalDays
from models.inputs.aggregate import typical_days
from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario, validate
from optimizer.result.run import solve_inputs
from tests.cases import busy_week

# The demo plant with its gas as it is: what typical days do to the electricity side, battery included.
DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo_gas_as_is.yaml"
SMALL = DEMO.with_name("small_plant.yaml")


def test_every_day_its_own_typical_day_is_the_full_model_exactly():
    week = busy_week()
    as_days = replace(week, typical_days=TypicalDays(order=np.arange(7), steps_per_day=24, year_index=week.index))
    full, split = solve_inputs(week, with_bau=False), solve_inputs(as_days, with_bau=False)
    assert split.status == full.status == "optimal"
    assert split.summary["total_annual_cost"] == pytest.approx(full.summary["total_annual_cost"], rel=1e-9)
    assert split.summary["storage_kwh"] == pytest.approx(full.summary["storage_kwh"], rel=1e-6)
    assert split.hourly["soc_kwh"].min() >= 0.1 * split.summary["storage_kwh"] - 1e-6


def test_two_days_of_one_kind_weigh_twice_as_one():
    # A week whose days are all alike: one typical day standing for seven gives the full optimum.
    week = busy_week()
    one = replace(week, index=week.index[:24], load_kw=week.load_kw[:24], price_per_kwh=week.price_per_kwh[:24],
                  period=week.period[:24],
                  pv=replace(week.pv, arrays=tuple(replace(a, yield_kwh_per_kwp=a.yield_kwh_per_kwp[:24])
                                                   for a in week.pv.arrays)),
                  green_power=replace(week.green_power, profile_share=week.green_power.profile_share[:24]),
                  typical_days=TypicalDays(order=np.zeros(7, dtype=int), steps_per_day=24, year_index=week.index))
    full, typical = solve_inputs(week, with_bau=False), solve_inputs(one, with_bau=False)
    assert typical.summary["total_annual_cost"] == pytest.approx(full.summary["total_annual_cost"], rel=1e-9)
    assert len(typical.hourly) == 168  # laid out on the calendar


@pytest.fixture(scope="module")
def demo_on_typical_days():
    raw = load_scenario(DEMO).model_dump(mode="json", exclude_none=True)
    scenario = validate({**raw, "time": {"aggregation": "typical_days", "days": 6}})
    full = build_inputs(load_scenario(DEMO))
    return full, solve_inputs(build_inputs(scenario))


def test_typical_days_keep_the_years_totals(demo_on_typical_days):
    full, plan = demo_on_typical_days
    inp = plan.inputs
    assert inp.typical_days.count == 7 and len(inp.load_kw) == 7 * 24  # 6 clusters and the peak-load day
    assert inp.load_kwh == pytest.approx(full.load_kwh, rel=1e-9)
    assert inp.load_kw.max() == pytest.approx(full.load_kw.max(), rel=0.02)  # the peak day is kept (then scaled)
    for a, b in zip(inp.pv.arrays, full.pv.arrays, strict=True):
        assert (inp.weight_days * a.yield_kwh_per_kwp).sum() == pytest.approx(b.yield_kwh_per_kwp.sum(), rel=1e-9)
    assert inp.weight_days.sum() / 24 == 365
    assert any("typical days" in note for note in plan.summary["notes"])


def test_the_calendar_year_balances_and_the_battery_stays_within_bounds(demo_on_typical_days):
    _, plan = demo_on_typical_days
    h, s = plan.hourly, plan.summary
    assert plan.status == "optimal" and len(h) == 8760
    supply = h["grid_import_kw"] + h["pv_out_kw"] + h["discharge_kw"] + h["green_power_kw"]
    np.testing.assert_allclose(supply, h["load_kw"] + h["charge_kw"] + h["export_kw"], atol=1e-3)
    tol = 1e-6 * s["storage_kwh"]
    assert h["soc_kwh"].max() <= 0.95 * s["storage_kwh"] + tol
    assert h["soc_kwh"].min() >= 0.05 * s["storage_kwh"] - tol
    # Hour by hour, the state of charge follows the flows, across day boundaries and the year's end.
    stored = 0.94 * h["charge_kw"] - h["discharge_kw"] / 0.94
    np.testing.assert_allclose(np.diff(h["soc_kwh"].to_numpy(), append=h["soc_kwh"].iloc[0]),
                               np.roll(stored.to_numpy(), -1), atol=1e-4 * s["storage_kwh"])
    assert s["emissions"]["net_t"] <= 1e-6
    assert s["grid_import_mwh"] == pytest.approx(h["grid_import_kw"].sum() / 1000, rel=1e-9)


def test_typical_days_need_a_number():
    with pytest.raises(InputError, match="needs days"):
        validate({**load_scenario(DEMO).model_dump(mode="json", exclude_none=True),
                  "time": {"aggregation": "typical_days"}}, where="demo")


@pytest.mark.parametrize("days", [1, 3])
def test_the_peak_load_day_is_kept_as_it_was(days):
    full = build_inputs(load_scenario(SMALL))
    typical = typical_days(full, days)
    assert typical.load_kw.max() == pytest.approx(full.load_kw.max(), rel=1e-12)
    assert typical.load_kwh == pytest.approx(full.load_kwh, rel=1e-9)


def test_a_year_of_identical_days_is_one_typical_day():
    week = busy_week()  # every day alike: nothing to cluster on
    one = typical_days(week, 3)
    assert one.typical_days.count == 1 and one.load_kwh == pytest.approx(week.load_kwh, rel=1e-12)
    plan, full = solve_inputs(one, with_bau=False), solve_inputs(week, with_bau=False)
    assert plan.summary["total_annual_cost"] == pytest.approx(full.summary["total_annual_cost"], rel=1e-9)
