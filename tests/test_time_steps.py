"""Sub-hourly steps: the same year in 15-minute steps gives the same plan when the data is hourly,
and demand charges see 15-minute peaks that hourly means hide."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.data.timeindex import model_year_index
from models.inputs import Inputs
from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario, validate
from optimizer.result.run import solve_inputs

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml"


def test_quarter_hours_of_hourly_data_give_the_hourly_plan(tmp_path):
    hourly = load_scenario(SMALL)
    quarter = validate({**hourly.model_dump(mode="json", exclude_none=True), "time": {"resolution_minutes": 15}})
    inp_h, inp_q = build_inputs(hourly), build_inputs(quarter)
    assert len(inp_q.load_kw) == 4 * 8760 and inp_q.step_h == 0.25
    assert inp_q.load_kwh == pytest.approx(inp_h.load_kwh, rel=1e-12)
    assert inp_q.pv.arrays[0].yield_kwh_per_kwp.sum() == pytest.approx(inp_h.pv.arrays[0].yield_kwh_per_kwp.sum())
    plan_h, plan_q = solve_inputs(inp_h, with_no_target=False), solve_inputs(inp_q, with_no_target=False)
    assert plan_q.status == plan_h.status == "optimal"
    assert plan_q.summary["total_annual_cost"] == pytest.approx(plan_h.summary["total_annual_cost"], rel=1e-6)
    assert plan_q.summary["emissions"]["net_t"] == pytest.approx(plan_h.summary["emissions"]["net_t"], abs=1e-3)
    assert len(plan_q.hourly) == 4 * 8760


def test_demand_charge_is_on_the_quarter_hour_peak():
    # One day in 15-minute steps: 100 kW, with a 200 kW quarter-hour once an hour. The hourly mean
    # peaks at 125 kW; the meter, and the model, see 200 kW.
    index = model_year_index(2025, step_minutes=15)[:96]
    load = np.tile([100.0, 100.0, 100.0, 200.0], 24)
    inp = Inputs(name="quarter hours", index=index, load_kw=load, price_per_kwh=np.full(96, 0.5),
                 period=np.full(96, "flat", dtype=object), grid_factor_t_per_kwh=0.0005, step_h=0.25,
                 demand_charge_per_kw_month=10.0, max_net_t=None, mip_gap=0.0)
    plan = solve_inputs(inp)
    energy_kwh = load.sum() * 0.25  # 2,700 kWh
    assert plan.summary["total_annual_cost"] == pytest.approx(0.5 * energy_kwh + 10.0 * 200.0, rel=1e-9)
    assert plan.summary["peak_withdrawal_kw"][1] == pytest.approx(200.0)


def test_index_of_quarter_hours_drops_29_february():
    index = model_year_index(2024, step_minutes=15)
    assert len(index) == 35040 and not ((index.month == 2) & (index.day == 29)).any()
    with pytest.raises(ValueError, match="divide an hour"):
        model_year_index(2025, step_minutes=7)
