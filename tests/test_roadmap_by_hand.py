"""Roadmaps small enough to derive by hand: when the plant builds, what it pays, and how a roadmap
of one model year relates to the single-year plan (README, "Roadmap")."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from models.inputs import PvArrayInputs, PvInputs
from models.inputs.finance import capital_recovery_factor
from models.inputs.roadmap import RoadmapInputs
from optimizer.result.roadmap import solve_roadmap
from tests.cases import battery, busy_week, plant, solve_optimal

REL = 1e-6
LOAD_KW, PRICE, FACTOR = 100.0, 0.5, 0.0005
SUN = np.array([0.0] * 6 + [0.5] * 12 + [0.0] * 6)  # 12 h at 0.5 kWh/kWp: 6 kWh per kWp a day


def year(capex_per_kw: float, max_net_t: float | None, lifetime_years: int = 25):
    """A 24-step 'year' of a 100 kW plant that may build PV (no O&M) on a 500 kWp roof."""
    pv = PvInputs(capex_per_kw=capex_per_kw, fixed_om_per_kw_year=0.0, crf=0.1, lifetime_years=lifetime_years,
                  arrays=(PvArrayInputs(name="roof", limit_kw=500.0, fixed_cost=0.0, yield_kwh_per_kwp=SUN),))
    return plant([LOAD_KW] * 24, PRICE, FACTOR, pv=pv, max_net_t=max_net_t)


def net_with_pv_t(kwp: float) -> float:
    """Net emissions of a day with `kwp` of PV, all of it used (kwp ≤ 200)."""
    return FACTOR * (24 * LOAD_KW - 6 * kwp)


def roadmap(inputs: dict, end_year: int, rate: float = 0.0, base_year: int = 2025) -> RoadmapInputs:
    return RoadmapInputs(name="hand", base_year=base_year, end_year=end_year, discount_rate=rate, inputs=inputs,
                         base_emissions_t=net_with_pv_t(0.0), targets={})


def solved(rin: RoadmapInputs) -> dict:
    plan = solve_roadmap(rin)
    assert plan.summary["status"] == "optimal", plan.summary
    return {y["year"]: y for y in plan.summary["years"]} | {"npv": plan.summary["npv"]}


def test_steeply_falling_capex_with_a_late_target_builds_late():
    # r = 0, 2025 stands for 2025–2029, 2030 for 2030–2034. A kWp saves 6 kWh × 0.5 = 3 a year.
    # Built in 2025 at 1000 it is worth 15/25 of that after 2034: net 400 for 30 of savings; built in
    # 2030 at 100: net 100 × 5/25 = 20 for 15 of savings. Without a target neither pays; the 2030
    # target (net of 100 kWp) is met by building exactly 100 kWp in 2030.
    rin = roadmap({2025: year(1000.0, None), 2030: year(100.0, net_with_pv_t(100.0))}, end_year=2034)
    years = solved(rin)
    assert years[2025]["pv_kw_added"]["roof"] == pytest.approx(0.0, abs=1e-6)
    assert years[2030]["pv_kw_added"]["roof"] == pytest.approx(100.0, rel=REL)
    assert years[2030]["emissions"]["net_t"] == pytest.approx(net_with_pv_t(100.0), rel=REL)
    day_cost = 24 * LOAD_KW * PRICE
    expected = 5 * day_cost + 5 * (day_cost - 3 * 100) + 100 * 100 * (1 - 20 / 25)
    assert years["npv"] == pytest.approx(expected, rel=REL)


def test_an_early_target_builds_exactly_what_it_needs_early():
    # A 2025 target of 50 kWp's worth and a 2030 one of 100 kWp's: 50 built in 2025 at the high price
    # (no more), 50 more in 2030 at the low one; the first 50 still serve in 2030.
    rin = roadmap({2025: year(1000.0, net_with_pv_t(50.0)), 2030: year(100.0, net_with_pv_t(100.0))},
                  end_year=2034)
    years = solved(rin)
    assert years[2025]["pv_kw_added"]["roof"] == pytest.approx(50.0, rel=REL)
    assert years[2030]["pv_kw_added"]["roof"] == pytest.approx(50.0, rel=REL)
    assert years[2030]["pv_kw"]["roof"] == pytest.approx(100.0, rel=REL)
    assert years[2025]["investment"]["total"] == pytest.approx(50 * 1000.0, rel=REL)


def test_capacity_serves_its_life_then_retires_and_is_leased_past_it():
    # A 3-year life: built in 2025 it serves model years 2025 and 2026 (2026 < 2028), not 2030.
    # Model year 2026 stands for 2026–2029: the 2025 build serves 2028–2029 past its life, leased at
    # its annuity, capex/3 a year at r = 0; the 2030 build (2030–2032) likewise for 2033–2034.
    target = net_with_pv_t(50.0)
    rin = roadmap({y: year(30.0, target, lifetime_years=3) for y in (2025, 2026, 2030)}, end_year=2034)
    years = solved(rin)
    assert [years[y]["pv_kw_added"]["roof"] for y in (2025, 2026, 2030)] == pytest.approx([50.0, 0.0, 50.0], abs=1e-6)
    assert [years[y]["pv_kw"]["roof"] for y in (2025, 2026, 2030)] == pytest.approx([50.0, 50.0, 50.0], abs=1e-6)
    running = (24 * LOAD_KW - 6 * 50) * PRICE
    lease = 50 * 30.0 / 3 * 2 * 2  # two past-life years in each of two spans
    assert years["npv"] == pytest.approx(10 * running + 2 * 50 * 30.0 + lease, rel=REL)


def test_one_model_year_over_the_assets_life_is_the_single_year_plan_times_the_annuity_factor():
    # README: with one model year at the base year and end_year = base + L − 1 (L the life of every
    # asset), NPV = annual cost × (1 − (1 + r)^−L) / r and the plan is the same.
    rate, life = 0.06, 10
    crf = capital_recovery_factor(rate, life)
    week = busy_week()
    inp = replace(week, pv=replace(week.pv, crf=crf, lifetime_years=life),
                  storage=replace(week.storage, crf=crf, lifetime_years=life))
    single = solve_optimal(inp).summary
    years = solved(roadmap({2025: inp}, end_year=2025 + life - 1, rate=rate))
    assert years["npv"] == pytest.approx(single["total_annual_cost"] / crf, rel=REL)
    for key in ("storage_kwh", "storage_kw", "green_power_mwh", "certificates_mwh", "credits_t"):
        assert years[2025][key] == pytest.approx(single[key], rel=1e-5, abs=1e-4), key
    assert years[2025]["pv_kw"] == pytest.approx(single["pv_kw"], rel=1e-5, abs=1e-4)


def test_a_battery_block_built_in_one_year_is_counted_in_the_next():
    # A free battery is worth building in the first year; it serves the second without being built again.
    day = [0.2] * 12 + [1.0] * 12
    inputs = {y: plant([100.0] * 24, day, storage=battery(lifetime_years=10)) for y in (2025, 2027)}
    years = solved(roadmap(inputs, end_year=2028))
    assert years[2025]["storage_kwh_added"] == pytest.approx(100.0, rel=REL)
    assert years[2027]["storage_kwh_added"] == pytest.approx(0.0, abs=1e-6)
    assert years[2027]["storage_kwh"] == pytest.approx(100.0, rel=REL)


def test_present_value_weights_follow_the_stated_conventions():
    rin = roadmap({2026: year(1.0, None), 2028: year(1.0, None)}, end_year=2030, rate=0.1)
    assert list(rin.stands_for(2026)) == [2026, 2027]
    assert list(rin.stands_for(2028)) == [2028, 2029, 2030]
    assert rin.investment_weight(2026) == pytest.approx(1 / 1.1)
    assert rin.operating_weight(2026) == pytest.approx(1.1 ** -2 + 1.1 ** -3)
    assert rin.salvage_weight(2028, 25) == pytest.approx(22 / 25 * 1.1 ** -6)
    lease = capital_recovery_factor(0.1, 3) * (1.1 ** -5 + 1.1 ** -6)  # 2029 and 2030, past a life of 2026–2028
    assert rin.past_life_weight(2026, 2028, 3) == pytest.approx(lease)
