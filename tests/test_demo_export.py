"""The demo plant allowed to sell its PV surplus: every exported kWh is PV the plant could not use.

The plant with its gas as it is (`demo_gas_as_is.yaml`): with its heat levers, the demo puts its
surplus PV into the electric heater and the thermal store instead, and sells none.

Solved on 12 typical days (the rule is per step, so it holds on any steps; the full year is the
same model on more steps and takes ten times as long)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.inputs.assemble import build_inputs
from models.scenario.loading import deep_merge, read_raw, validate
from optimizer.model.export import selling_steps
from optimizer.result.run import Plan, solve_inputs

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo_gas_as_is.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    raw = deep_merge(read_raw(DEMO), {"grid": {"export": {"allowed": True}},
                                      "time": {"aggregation": "typical_days", "days": 12}})
    plan = solve_inputs(build_inputs(validate(raw, where="demo with export")), with_no_target=False)
    assert plan.status == "optimal", plan.summary
    return plan


def test_binaries_only_where_selling_could_be_wrong(plan):
    # The battery's round trip (0.94²) times 0.453 exceeds the valley price: every step with PV needs one.
    inp = plan.inputs
    sunny = sum(a.yield_kwh_per_kwp for a in inp.pv.arrays) > 0
    assert inp.typical_days is not None
    assert len(selling_steps(inp)) == sunny.sum() < len(inp.load_kw)


def test_no_step_sells_while_taking_electricity_in(plan):
    h = plan.hourly
    selling = h["export_kw"] > 1e-6
    assert selling.any()
    taking = h["grid_import_kw"] + h["green_power_kw"] + h["discharge_kw"]
    assert float(taking[selling].max()) == pytest.approx(0.0, abs=1e-6)
    surplus = h["pv_out_kw"] - h["load_kw"] - h["charge_kw"]
    np.testing.assert_allclose(h["export_kw"][selling], surplus[selling], atol=1e-6)


def test_exported_energy_is_pv_surplus_and_every_step_balances(plan):
    h, s = plan.hourly, plan.summary
    supply = h["grid_import_kw"] + h["pv_out_kw"] + h["discharge_kw"] + h["green_power_kw"]
    np.testing.assert_allclose(supply, h["load_kw"] + h["charge_kw"] + h["export_kw"], atol=1e-4 * h["load_kw"].max())
    surplus_mwh = (h["pv_available_kw"] - h["load_kw"]).clip(lower=0).sum() / 1000
    assert s["export_mwh"] <= surplus_mwh
    # Export earns the export price in every step, whatever the import price (the hourly table is on
    # the calendar: each typical day repeated for the days it stands for).
    assert s["costs"]["export"] == pytest.approx(-0.453 * h["export_kw"].sum(), rel=1e-9)
