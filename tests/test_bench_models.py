"""The benchmark's reference models solve zcf's problem: same optimum as the Pyomo model.

The floor (plain highspy) and the peer (linopy) are built from the same `Inputs` as zcf; each case
turns on the options whose rows they must reproduce, and the optima must agree to 1e-6. Each tool
solves each case once (`solved`, `zcf_cost`): the tests share the answers.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest

import bench.floor_highspy
from bench.floor_highspy import build_floor, solve_floor
from models.data.timeindex import model_year_index
from models.inputs import (
    CertificateInputs,
    CreditInputs,
    GreenPowerInputs,
    Inputs,
    PvArrayInputs,
    PvInputs,
    StorageInputs,
)
from optimizer.model.build import build_model
from optimizer.model.export import selling_steps
from optimizer.result.run import solve_inputs
from optimizer.solver.strategy import solve_model
from tests.cases import plant

REL = 1e-6
HAS_LINOPY = importlib.util.find_spec("linopy") is not None
needs_linopy = pytest.mark.skipif(not HAS_LINOPY, reason="linopy is not installed: pip install -e '.[bench]'")


def solve_peer(inp: Inputs, time_limit_s: float, mip_gap: float, relax_integers: bool = False) -> dict:
    from bench.peer_linopy import solve_linopy

    return solve_linopy(inp, time_limit_s, mip_gap, relax_integers)


SOLVERS = [
    pytest.param(solve_floor, id="floor"),
    pytest.param(solve_peer, id="peer", marks=needs_linopy),
]


# --- cases -------------------------------------------------------------------------------------

def _sun(n: int, step_h: float = 1.0) -> np.ndarray:
    """kWh per kWp in each step of a clear day: a half sine from 06:00 to 18:00."""
    hour = (np.arange(n) * step_h) % 24
    return np.clip(np.sin((hour - 6.0) / 12.0 * np.pi), 0.0, None) * 0.8 * step_h


def _two_tariff(n: int, step_h: float = 1.0) -> np.ndarray:
    hour = (np.arange(n) * step_h) % 24
    return np.where(hour < 8, 0.3, np.where((hour >= 17) & (hour < 21), 1.2, 0.7))


def _load_kw(n: int, seed: int = 1) -> np.ndarray:
    return 100.0 + 30.0 * np.random.default_rng(seed).random(n)


def every_asset(n: int = 72) -> Inputs:
    """Two roofs (one with a build binary), a battery in blocks with a fixed cost, green power with
    a minimum contract, a demand charge, export, certificates and capped credits, net zero."""
    sun = _sun(n)
    pv = PvInputs(capex_per_kw=2.0, fixed_om_per_kw_year=0.1, crf=0.08,
                  arrays=(PvArrayInputs(name="hall", limit_kw=80.0, fixed_cost=0.0, yield_kwh_per_kwp=sun),
                          PvArrayInputs(name="shed", limit_kw=60.0, fixed_cost=5.0, yield_kwh_per_kwp=0.9 * sun)))
    storage = StorageInputs(capex_per_kwh=0.5, capex_per_kw=0.3, fixed_om_per_kw_year=0.02, crf=0.1,
                            charge_efficiency=0.93, discharge_efficiency=0.94, soc_min=0.1, soc_max=0.9,
                            max_kwh=300.0, max_kw=120.0, unit_kwh=50.0, unit_kw=40.0, fixed_cost=3.0)
    green = GreenPowerInputs(price_per_kwh=0.6, max_mwh=5.0, min_mwh=2.0, profile_share=np.full(n, 1.0 / n))
    return plant(_load_kw(n), _two_tariff(n), demand_charge_per_kw_month=2.0, export_allowed=True,
                 export_price_per_kwh=0.25, pv=pv, storage=storage, green_power=green,
                 certificates=CertificateInputs(price_per_mwh=30.0, max_mwh=6.0),
                 credits=CreditInputs(price_per_t=60.0, max_offset_share=0.1), max_net_t=0.0,
                 scope1_t=0.2, fuel_cost=10.0)


def across_a_month_end() -> Inputs:
    """A week from 28 January: two monthly peaks, green power along a solar shape with zeros at night."""
    inp = every_asset(168)
    index = model_year_index(2025)[27 * 24: 34 * 24]
    share = _sun(168) / _sun(168).sum()
    return replace(inp, index=index,
                   green_power=GreenPowerInputs(price_per_kwh=0.55, max_mwh=4.0, min_mwh=1.0, profile_share=share),
                   certificates=CertificateInputs(price_per_mwh=30.0, max_mwh=20.0), demand_charge_per_kw_month=8.0)


def emissions_cap_without_integers() -> Inputs:
    """A cap rather than net zero, no binaries or blocks, unbounded certificates, no credits."""
    n = 48
    pv = PvInputs(capex_per_kw=1.5, fixed_om_per_kw_year=0.0, crf=0.1,
                  arrays=(PvArrayInputs(name="roof", limit_kw=100.0, fixed_cost=0.0, yield_kwh_per_kwp=_sun(n)),))
    storage = StorageInputs(capex_per_kwh=0.4, capex_per_kw=0.2, fixed_om_per_kw_year=0.0, crf=0.1,
                            charge_efficiency=0.9, discharge_efficiency=0.9, soc_min=0.05, soc_max=0.95,
                            max_kwh=None, max_kw=None)
    return plant(_load_kw(n, seed=2), _two_tariff(n), pv=pv, storage=storage,
                 certificates=CertificateInputs(price_per_mwh=25.0), max_net_t=1.0, scope1_t=0.5)


def half_hour_steps() -> Inputs:
    """48 steps of 0.5 h: every energy term must carry `step_h`."""
    n, step_h = 48, 0.5
    sun = _sun(n, step_h)
    base = every_asset(n)
    pv = PvInputs(capex_per_kw=2.0, fixed_om_per_kw_year=0.1, crf=0.08,
                  arrays=(PvArrayInputs(name="hall", limit_kw=80.0, fixed_cost=0.0, yield_kwh_per_kwp=sun),
                          PvArrayInputs(name="shed", limit_kw=60.0, fixed_cost=5.0, yield_kwh_per_kwp=0.9 * sun)))
    index = pd.date_range("2025-01-01", periods=n, freq="30min")
    return replace(base, index=index, price_per_kwh=_two_tariff(n, step_h), pv=pv, step_h=step_h, scope1_t=0.05)


def selling_with_green_resale(n: int = 96) -> Inputs:
    """Export above the valley prices (one at midday, when PV is left over), a battery and a flat
    green-power contract above the lowest load, resold at less than the export price: the plant
    would sell PV while taking green power in, so the selling binaries bind; what it cannot take
    of the contract is resold."""
    sun, hour = _sun(n), np.arange(n) % 24
    pv = PvInputs(capex_per_kw=1.0, fixed_om_per_kw_year=0.05, crf=0.08,
                  arrays=(PvArrayInputs(name="hall", limit_kw=150.0, fixed_cost=0.0, yield_kwh_per_kwp=sun),
                          PvArrayInputs(name="shed", limit_kw=80.0, fixed_cost=4.0, yield_kwh_per_kwp=0.9 * sun)))
    storage = StorageInputs(capex_per_kwh=0.3, capex_per_kw=0.2, fixed_om_per_kw_year=0.01, crf=0.1,
                            charge_efficiency=0.95, discharge_efficiency=0.95, soc_min=0.1, soc_max=0.9,
                            max_kwh=240.0, max_kw=60.0)
    green = GreenPowerInputs(price_per_kwh=0.2, max_mwh=150.0 * n / 1000.0, min_mwh=0.0,
                             profile_share=np.full(n, 1.0 / n), resale_price_per_kwh=0.15)
    price = np.where((hour >= 11) & (hour < 14), 0.25, _two_tariff(n))
    return plant(_load_kw(n, seed=3), price, demand_charge_per_kw_month=3.0, export_allowed=True,
                 export_price_per_kwh=0.5, pv=pv, storage=storage, green_power=green)


def market_based_target(n: int = 120) -> Inputs:
    """Net zero at a residual factor above the grid average, credits capped on a given base
    inventory (above business as usual), green power resold above the export price (selling
    binaries in the valley hours with sun only), a battery with no size limit."""
    pv = PvInputs(capex_per_kw=1.5, fixed_om_per_kw_year=0.0, crf=0.1,
                  arrays=(PvArrayInputs(name="roof", limit_kw=250.0, fixed_cost=0.0, yield_kwh_per_kwp=_sun(n)),))
    storage = StorageInputs(capex_per_kwh=2.0, capex_per_kw=0.5, fixed_om_per_kw_year=0.0, crf=0.1,
                            charge_efficiency=0.9, discharge_efficiency=0.9, soc_min=0.05, soc_max=0.95)
    green = GreenPowerInputs(price_per_kwh=0.36, max_mwh=9.0, min_mwh=2.0, profile_share=np.full(n, 1.0 / n),
                             resale_price_per_kwh=0.33)
    return plant(_load_kw(n, seed=4), _two_tariff(n), factor_t_per_kwh=0.0005, residual_factor_t_per_kwh=0.0009,
                 export_allowed=True, export_price_per_kwh=0.32, pv=pv, storage=storage, green_power=green,
                 certificates=CertificateInputs(price_per_mwh=30.0, max_mwh=2.0),
                 credits=CreditInputs(price_per_t=20.0, max_offset_share=0.2), base_emissions_t=20.0,
                 max_net_t=0.0, scope1_t=0.5)


def net_zero_with_credits_capped_on_bau() -> Inputs:
    """As `market_based_target` with no base inventory: the cap is a share of business as usual,
    at the residual factor."""
    return replace(market_based_target(), base_emissions_t=None)


def unreachable_target() -> Inputs:
    return plant(_load_kw(24), 0.5, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5))


# Cases both references solve. The floor does not model heat, efficiency measures or typical days (it
# refuses such inputs): the peer's cases with them are in tests/test_bench_heat.py, never asked of the floor.
CASES = {
    "every_asset": every_asset,
    "across_a_month_end": across_a_month_end,
    "emissions_cap_without_integers": emissions_cap_without_integers,
    "half_hour_steps": half_hour_steps,
    "selling_with_green_resale": selling_with_green_resale,
    "market_based_target": market_based_target,
    "net_zero_with_credits_capped_on_bau": net_zero_with_credits_capped_on_bau,
}


@functools.cache
def solved(solve, case: str, relax_integers: bool = False) -> dict:
    """A reference's answer on a case, solved once for every test that asks."""
    inp = CASES[case]()
    return solve(inp, inp.time_limit_s, inp.mip_gap, relax_integers=relax_integers)


@functools.cache
def zcf_cost(case: str) -> float:
    plan = solve_inputs(CASES[case](), with_bau=False)
    assert plan.status == "optimal", plan.summary
    return plan.summary["total_annual_cost"]


def pyomo_relaxed_cost(case: str) -> float:
    """zcf's Pyomo model with every integer variable made continuous in its bounds, solved once."""
    inp = CASES[case]()
    model = build_model(inp)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(model)
    report = solve_model(model, inp.time_limit_s, inp.mip_gap)
    assert report.status == "optimal", report
    return report.objective


# --- agreement ---------------------------------------------------------------------------------

@pytest.mark.parametrize("solve", SOLVERS)
@pytest.mark.parametrize("case", CASES)
def test_optimum_equals_zcf(solve, case):
    result = solved(solve, case)
    assert result["status"] == "optimal", result
    assert result["objective"] == pytest.approx(zcf_cost(case), rel=REL)


@pytest.mark.parametrize("solve", SOLVERS)
@pytest.mark.parametrize("case", ["every_asset", "selling_with_green_resale"])
def test_relaxed_optimum_equals_relaxed_pyomo(solve, case):
    relaxed = solved(solve, case, relax_integers=True)
    assert relaxed["objective"] == pytest.approx(pyomo_relaxed_cost(case), rel=REL)
    if case == "every_asset":  # the blocks and binaries bind: the integer optimum costs more
        assert solved(solve, case)["objective"] > relaxed["objective"] * (1 + 1e-4)


@pytest.mark.parametrize("case", [name for name, case in CASES.items() if case().export_allowed])
def test_selling_binaries_in_every_sunny_step_change_nothing(case, monkeypatch):
    """zcf gives a selling binary only to the steps where selling while taking electricity in could
    pay (S); the floor with one in every step with sun must find the same optimum."""
    inp = CASES[case]()
    sunny = np.flatnonzero(sum(a.yield_kwh_per_kwp * a.limit_kw for a in inp.pv.arrays) > 0)
    monkeypatch.setattr(bench.floor_highspy, "selling_steps", lambda _: sunny)
    result = solve_floor(inp, inp.time_limit_s, inp.mip_gap)
    assert result["columns"] - solved(solve_floor, case)["columns"] == sunny.size - selling_steps(inp).size
    assert result["objective"] == pytest.approx(zcf_cost(case), rel=REL)


def test_selling_binaries_bind(monkeypatch):
    """Without them the plant would sell PV while taking green power in, and pay far less: the
    case checks the rows they carry."""
    case = "selling_with_green_resale"
    monkeypatch.setattr(bench.floor_highspy, "selling_steps", lambda _: np.array([], dtype=int))
    inp = CASES[case]()
    assert solve_floor(inp, inp.time_limit_s, inp.mip_gap)["objective"] < 0.9 * zcf_cost(case)


@pytest.mark.parametrize("solve", SOLVERS)
def test_unreachable_target_is_infeasible_as_in_zcf(solve):
    inp = unreachable_target()
    assert solve_inputs(inp, with_bau=False).status == "infeasible"
    result = solve(inp, inp.time_limit_s, inp.mip_gap)
    assert result["status"] == "infeasible"
    assert result["objective"] is None


def floor_plan(inp: Inputs):
    """The floor's solved model of `inp` (proven optimal): its `value(block)` reads the plan."""
    floor_model = build_floor(inp)
    floor_model.highs.setOptionValue("mip_rel_gap", 0.0)
    floor_model.highs.run()
    return floor_model.value


def test_floor_plan_balances_every_step_and_builds_whole_blocks():
    inp = every_asset()
    v = floor_plan(inp)
    supply = v("grid_import_kw") + v("pv_out_kw") + v("discharge_kw") + v("green_used_kw")
    demand = inp.load_kw + v("charge_kw") + v("export_kw")
    np.testing.assert_allclose(supply, demand, atol=1e-6)
    blocks = v("storage_kwh")[0] / inp.storage.unit_kwh
    assert blocks >= 1 - 1e-6
    assert blocks == pytest.approx(round(blocks), abs=1e-6)
    assert np.all(v("export_kw") <= v("pv_out_kw") + 1e-6)
    assert np.all(v("charge_kw") + v("discharge_kw") <= v("storage_kw")[0] + 1e-6)


def test_floor_plan_sells_only_pv_surplus_and_resells_what_it_cannot_take():
    """The new case does what it is there for: it sells in some steps of S and takes nothing in
    while it sells, and a flat contract above the lowest load is partly resold."""
    inp = selling_with_green_resale()
    v = floor_plan(inp)
    steps = selling_steps(inp)
    selling = steps[v("sell") > 0.5]
    assert selling.size > 0
    intake = v("grid_import_kw") + v("green_used_kw") + v("discharge_kw")
    np.testing.assert_allclose(intake[selling], 0.0, atol=1e-6)
    assert v("export_kw")[selling].sum() > 1.0
    assert v("export_kw")[inp.price_per_kwh < inp.export_price_per_kwh].sum() > 1.0  # paid above the import price
    delivered = inp.green_power.profile_share * 1000.0 / inp.step_h * v("green_mwh")
    assert delivered.min() > inp.load_kw.min()
    assert np.all(v("green_used_kw") <= delivered + 1e-6)
    assert (delivered - v("green_used_kw") > 1.0).sum() > 0


@pytest.mark.parametrize("case", ["market_based_target", "net_zero_with_credits_capped_on_bau"])
def test_floor_plan_meets_net_zero_at_the_residual_factor_with_credits_at_their_cap(case):
    inp = CASES[case]()
    v = floor_plan(inp)
    residual_t_per_mwh = 1000.0 * inp.residual_factor_t_per_kwh
    net_t = inp.scope1_t + residual_t_per_mwh * (v("grid_import_mwh") - v("certificates_mwh")) - v("credits_t")
    assert net_t[0] == pytest.approx(0.0, abs=1e-6)
    # The cap: a share of the given base (above business as usual), else of business as usual at the residual factor.
    bau_t = inp.scope1_t + residual_t_per_mwh * inp.load_kwh / 1000.0
    base_t = bau_t if inp.base_emissions_t is None else inp.base_emissions_t
    assert base_t >= bau_t
    assert v("credits_t")[0] == pytest.approx(inp.credits.max_offset_share * base_t, rel=1e-9)


@needs_linopy
@pytest.mark.parametrize("case", CASES)
def test_floor_and_peer_hand_highs_the_same_matrix_size(case):
    floor, peer = solved(solve_floor, case), solved(solve_peer, case)
    assert [floor[k] for k in ("columns", "rows", "nonzeros")] == [peer[k] for k in ("columns", "rows", "nonzeros")]
