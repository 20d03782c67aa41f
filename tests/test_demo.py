"""Invariants of the demo's plans: balances, emissions identities, the target, the files.

Two plans: the demo itself (`demo.yaml`, the paint shop's heat a decision) on 12 typical days, and
the same plant with its gas as it is (`demo_gas_as_is.yaml`, electricity only) on the full hourly
year. The demo with heat takes HiGHS about two minutes hourly (`make demo`, the README's figures):
too long for the suite, so its hourly physics is checked here on typical days, laid out on the
calendar's 8,760 hours, and the hourly year on the plant without heat levers.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario, validate
from optimizer.report.files import write_plan
from optimizer.result.figures import emission_steps
from optimizer.result.run import Plan, solve_inputs

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEMO = SCENARIOS / "demo.yaml"
GAS_AS_IS = SCENARIOS / "demo_gas_as_is.yaml"
TYPICAL_DAYS = {"aggregation": "typical_days", "days": 12}
REL = 1e-6
GAS_MWH, GAS_T_PER_MWH, GAS_PRICE = 59800, 0.202, 381  # demo.yaml: business as usual burns the demo's gas


def typical(path: Path, days: dict = TYPICAL_DAYS):
    raw = load_scenario(path).model_dump(mode="json", exclude_none=True)
    return build_inputs(validate({**raw, "time": days}, where=path.name))


def solved(inp) -> Plan:
    plan = solve_inputs(inp)
    assert plan.status == "optimal", plan.summary
    return plan


@pytest.fixture(scope="module")
def demo() -> Plan:
    """The demo, heat included, on 12 typical days."""
    return solved(typical(DEMO))


@pytest.fixture(scope="module", params=["demo, typical days", "gas as it is, hourly"])
def plan(request, demo) -> Plan:
    return demo if request.param.startswith("demo") else solved(build_inputs(load_scenario(GAS_AS_IS)))


def column(h, name: str) -> np.ndarray:
    return h[name].to_numpy() if name in h else np.zeros(len(h))


def used_kw(h) -> np.ndarray:
    """What the plant itself uses: the load, less what measures save, plus the electricity for heat."""
    return h["load_kw"].to_numpy() - column(h, "measures_saved_kw") + column(h, "heat_electricity_kw")


def gas_mwh(summary) -> float:
    return summary["heat"]["boiler_fuel_mwh"] if "heat" in summary else GAS_MWH


def test_demo_pv_yield_matches_published_yields_near_foshan(plan):
    # Plant reports: XPeng Zhaoqing about 1,030 kWh/kWp; estimates for Foshan 1,000–1,100.
    for array in plan.inputs.pv.arrays:
        assert 1000 <= (plan.inputs.weight_days * array.yield_kwh_per_kwp).sum() <= 1100, array.name


def test_every_hour_balances(plan):
    h = plan.hourly
    supply = h["grid_import_kw"] + h["pv_out_kw"] + h["discharge_kw"] + h["green_power_kw"]
    demand = used_kw(h) + h["charge_kw"] + h["export_kw"]
    assert len(h) == 8760
    np.testing.assert_allclose(supply, demand, atol=1e-4 * h["load_kw"].max())


def test_flows_respect_their_limits(plan):
    h, s = plan.hourly, plan.summary
    tol = 1e-6 * h["load_kw"].max()
    assert (h[["grid_import_kw", "pv_out_kw", "charge_kw", "discharge_kw", "soc_kwh"]] >= -tol).all().all()
    assert (h["pv_out_kw"] <= h["pv_available_kw"] + tol).all()
    assert (h["charge_kw"] + h["discharge_kw"] <= s["storage_kw"] + tol).all()  # charging and discharging share it
    assert (h["soc_kwh"] <= 0.95 * s["storage_kwh"] + tol).all()
    assert (h["soc_kwh"] >= 0.05 * s["storage_kwh"] - tol).all()
    for array in plan.inputs.pv.arrays:
        assert s["pv_kw"][array.name] <= array.limit_kw * (1 + REL)


def test_emissions_identities_and_net_zero(plan):
    s, inp = plan.summary, plan.inputs
    e, en = s["emissions"], s["energy"]
    grid_t_per_mwh, residual_t_per_mwh = inp.grid_factor_t_per_kwh * 1000, inp.market_factor_t_per_kwh * 1000
    assert residual_t_per_mwh > grid_t_per_mwh  # the demo gives China's factor without traded non-fossil power
    assert e["scope1_t"] == pytest.approx(gas_mwh(s) * GAS_T_PER_MWH, rel=REL)
    # Location-based: everything taken through the grid, green power used included.
    assert e["scope2_location_t"] == pytest.approx(
        (s["grid_import_mwh"] + en["green_power_used_mwh"]) * grid_t_per_mwh, rel=REL)
    # Market-based: uncovered grid import at the residual factor; green power used and PV at zero.
    assert e["scope2_market_t"] == pytest.approx(
        (s["grid_import_mwh"] - s["certificates_mwh"]) * residual_t_per_mwh, rel=REL, abs=1e-3)
    assert e["net_t"] == pytest.approx(e["scope1_t"] + e["scope2_market_t"] - s["credits_t"], abs=1e-3)
    assert e["net_t"] <= 1e-6
    assert s["certificates_mwh"] <= s["grid_import_mwh"] * (1 + REL)
    assert s["credits_t"] <= 0.15 * inp.offset_base_t * (1 + REL)
    assert en["green_power_used_mwh"] + en["green_power_resold_mwh"] == pytest.approx(s["green_power_mwh"], rel=REL)


def test_both_renewable_shares(plan):
    s, h = plan.summary, plan.hourly
    en = s["energy"]
    taken_mwh = s["grid_import_mwh"] + en["pv_self_consumed_mwh"] + en["green_power_used_mwh"]
    annual = (en["pv_self_consumed_mwh"] + en["green_power_used_mwh"] + s["certificates_mwh"]) / taken_mwh
    assert en["renewable_share_annual"] == pytest.approx(annual, rel=REL)
    assert en["renewable_share_annual"] == pytest.approx(1.0, rel=1e-6)  # net zero: certificates cover the rest
    # Hour by hour, at most what PV, green power and the battery supply without the grid.
    used = used_kw(h)
    ceiling = np.minimum(h["pv_self_kw"] + h["green_power_kw"] + h["discharge_kw"], used).sum()
    assert 0.2 < en["renewable_share_hourly"] <= ceiling / used.sum() + 1e-9


def test_the_target_costs_what_the_no_target_plan_saves(plan):
    s = plan.summary
    free = s["no_target"]
    assert free["net_t"] > s["emissions"]["net_t"]
    assert s["target_cost"] == pytest.approx(s["total_annual_cost"] - free["total_annual_cost"], rel=REL)
    gap = s["mip_gap"] or 0.0
    assert s["target_cost"] >= -2 * gap * s["total_annual_cost"]  # the target never makes the plan cheaper
    assert s["target_abatement_cost_per_t"] == pytest.approx(
        s["target_cost"] / (free["net_t"] - s["emissions"]["net_t"]), rel=REL)


def test_waterfall_adds_up_from_business_as_usual_to_net(plan):
    steps = emission_steps(plan.summary)
    assert sum(value for _, value in steps) == pytest.approx(plan.summary["emissions"]["net_t"], abs=1e-2)


def test_business_as_usual_matches_its_closed_form(plan):
    inp, bau = plan.inputs, plan.summary["bau"]
    energy = float((inp.weight_days * inp.price_per_kwh * inp.load_kw).sum())
    td = inp.typical_days
    load, month = inp.on_calendar(inp.load_kw), (inp.index if td is None else td.year_index).month
    peaks = sum(load[month == m].max() for m in range(1, 13))  # each calendar month's peak
    expected = energy + 31.0 * peaks + GAS_MWH * GAS_PRICE
    assert bau["total_annual_cost"] == pytest.approx(expected, rel=REL)
    assert bau["net_t"] == pytest.approx(inp.bau_emissions_t, rel=REL)


def test_cost_items_add_up_and_savings_follow(plan):
    s = plan.summary
    assert sum(s["costs"].values()) == pytest.approx(s["total_annual_cost"], rel=REL)
    assert s["savings"] == pytest.approx(s["bau"]["total_annual_cost"] - s["total_annual_cost"], rel=REL)
    abated = s["bau"]["net_t"] - s["emissions"]["net_t"]
    assert s["abatement_cost_per_t"] == pytest.approx(-s["savings"] / abated, rel=REL)


def test_files_written(plan, tmp_path):
    paths = write_plan(plan, tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    for key in ("status", "total_annual_cost", "pv_kw", "storage_kwh", "storage_kw", "grid_import_mwh",
                "export_mwh", "green_power_mwh", "certificates_mwh", "credits_t", "emissions", "bau",
                "abatement_cost_per_t", "solve_seconds", "mip_gap", "no_target", "target_cost",
                "target_abatement_cost_per_t"):
        assert key in summary, key
    assert set(summary["emissions"]) >= {"scope1_t", "scope2_location_t", "scope2_market_t", "net_t",
                                         "residual_factor_t_per_mwh"}
    assert set(summary["energy"]) >= {"renewable_share_annual", "renewable_share_hourly"}
    assert set(summary["bau"]) >= {"total_annual_cost", "net_t"}
    csv = (tmp_path / "hourly.csv").read_text()
    assert len(csv.splitlines()) == 8761
    assert not re.search(r"(^|,)-0(\.0*)?(,|$)", csv, flags=re.MULTILINE)  # no '-0' from solver round-off
    assert not [v for v in _floats(summary) if v == 0 and math.copysign(1.0, v) < 0]
    pngs = [p for p in paths if p.suffix == ".png"]
    assert len(pngs) == (6 if "heat" in summary else 5) and all(p.stat().st_size > 10_000 for p in pngs)


def _floats(value):
    """Every float in a JSON value."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, list):
        for v in value:
            yield from _floats(v)
    elif isinstance(value, float):
        yield value


# --- the demo's heat (typical days) -------------------------------------------------------------

def test_every_heat_demand_is_met_in_every_step(demo):
    h, inp = demo.hourly, demo.inputs
    supplied = sum(h[f"heat_{s}_kw_th"] for s in ("boiler", "heat_pump", "electric_heater", "thermal_storage"))
    needed = inp.on_calendar(sum(d.heat_kw for d in inp.heat.demands))
    taken = set(demo.summary["measures_taken"])
    saved = inp.on_calendar(sum((kw for x in inp.measures if x.name in taken for kw in x.heat_saved_kw.values()),
                                start=np.zeros(len(inp.load_kw))))
    np.testing.assert_allclose(supplied, needed - saved, atol=1e-4 * needed.max())


def test_the_ovens_are_never_served_by_the_heat_pump_and_the_boiler_burns_what_it_gives(demo):
    s, inp = demo.summary, demo.inputs
    demands = s["heat"]["demands"]
    assert {d.name: d.temperature_c for d in inp.heat.demands}["paint_ovens"] > inp.heat.heat_pump.max_temperature_c
    assert demands["paint_ovens"]["heat_pump_mwh"] == 0.0
    boiler_heat_mwh = sum(d["boiler_mwh"] for d in demands.values())
    assert s["heat"]["boiler_fuel_mwh"] == pytest.approx(boiler_heat_mwh / 0.92, rel=REL)
    assert s["heat"]["bau_boiler_fuel_mwh"] == pytest.approx(GAS_MWH, rel=REL)


def test_electricity_for_heat_is_the_heat_pumps_and_the_heaters(demo):
    s, h, inp = demo.summary, demo.hourly, demo.inputs
    demands, cop = s["heat"]["demands"], inp.heat.heat_pump.cop
    heater_mwh = sum(d["electric_heater_mwh"] for d in demands.values()) + h["heat_storage_in_kw_th"].sum() / 1000
    expected = sum(d["heat_pump_mwh"] / cop[name] for name, d in demands.items() if name in cop) + heater_mwh / 0.99
    assert s["energy"]["heat_electricity_mwh"] == pytest.approx(expected, rel=REL)
    assert s["energy"]["heat_electricity_mwh"] > 0  # the demo electrifies some of its heat


def test_a_higher_carbon_price_burns_less_gas(demo):
    dear = solved(typical(SCENARIOS / "demo_high_carbon_price.yaml")).summary
    demo_fuel = demo.summary["heat"]["boiler_fuel_mwh"]
    assert dear["heat"]["boiler_fuel_mwh"] < demo_fuel - 100  # MWh a year


def test_the_lifecycle_figures_count_every_investment(plan):
    s = plan.summary
    f = s["finance"]
    assert f["investment"] == pytest.approx(s["investment"]["total"], rel=1e-9)  # every asset, fixed costs too
    assert f["annual_cash_savings"] > s["savings"]  # the annuities of what is built are not cash
    assert f["simple_payback_years"] == pytest.approx(f["investment"] / f["annual_cash_savings"], rel=1e-12)
    assert f["npv"] > 0 and f["irr"] > f["discount_rate"]  # a plan that saves money pays more than its rate
