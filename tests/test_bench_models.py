"""The benchmark's reference models solve zcf's problem: same optimum as the Pyomo model.

The floor (plain highspy) and the peer (linopy) are built from the same `Inputs` as zcf; each case
turns on the options whose rows they must reproduce, and the optima must agree to 1e-6.
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest

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
from optimizer.result.run import solve_inputs
from optimizer.solver.strategy import solve_model
from tests.cases import plant

REL = 1e-6
DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.yaml"
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


def unreachable_target() -> Inputs:
    return plant(_load_kw(24), 0.5, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5))


CASES = {
    "every_asset": every_asset,
    "across_a_month_end": across_a_month_end,
    "emissions_cap_without_integers": emissions_cap_without_integers,
    "half_hour_steps": half_hour_steps,
}


def zcf_cost(inp: Inputs) -> float:
    plan = solve_inputs(inp, with_bau=False)
    assert plan.status == "optimal", plan.summary
    return plan.summary["total_annual_cost"]


def pyomo_relaxed_cost(inp: Inputs) -> float:
    """zcf's Pyomo model with every integer variable made continuous in its bounds, solved once."""
    model = build_model(inp)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(model)
    report = solve_model(model, inp.time_limit_s, inp.mip_gap)
    assert report.status == "optimal", report
    return report.objective


# --- agreement ---------------------------------------------------------------------------------

@pytest.mark.parametrize("solve", SOLVERS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_optimum_equals_zcf(solve, case):
    inp = case()
    result = solve(inp, inp.time_limit_s, inp.mip_gap)
    assert result["status"] == "optimal", result
    assert result["objective"] == pytest.approx(zcf_cost(inp), rel=REL)


@pytest.mark.parametrize("solve", SOLVERS)
def test_relaxed_optimum_equals_relaxed_pyomo_and_integers_matter(solve):
    inp = every_asset()
    relaxed = solve(inp, inp.time_limit_s, inp.mip_gap, relax_integers=True)
    assert relaxed["objective"] == pytest.approx(pyomo_relaxed_cost(inp), rel=REL)
    # In this case the blocks and binaries bind: the integer optimum costs more than the relaxation.
    assert solve(inp, inp.time_limit_s, inp.mip_gap)["objective"] > relaxed["objective"] * (1 + 1e-4)


@pytest.mark.parametrize("solve", SOLVERS)
def test_unreachable_target_is_infeasible_as_in_zcf(solve):
    inp = unreachable_target()
    assert solve_inputs(inp, with_bau=False).status == "infeasible"
    result = solve(inp, inp.time_limit_s, inp.mip_gap)
    assert result["status"] == "infeasible"
    assert result["objective"] is None


def test_floor_plan_balances_every_step_and_builds_whole_blocks():
    inp = every_asset()
    floor_model = build_floor(inp)
    floor_model.highs.setOptionValue("mip_rel_gap", 0.0)
    floor_model.highs.run()
    v = floor_model.value
    green_kw = inp.green_power.profile_share * 1000.0 / inp.step_h * v("green_mwh")
    supply = v("grid_import_kw") + v("pv_out_kw") + v("discharge_kw") + green_kw
    demand = inp.load_kw + v("charge_kw") + v("export_kw")
    np.testing.assert_allclose(supply, demand, atol=1e-6)
    blocks = v("storage_kwh")[0] / inp.storage.unit_kwh
    assert blocks >= 1 - 1e-6
    assert blocks == pytest.approx(round(blocks), abs=1e-6)
    assert np.all(v("export_kw") <= v("pv_out_kw") + 1e-6)


@needs_linopy
def test_floor_and_peer_hand_highs_the_same_matrix_size():
    from bench.peer_linopy import solve_linopy

    for case in CASES.values():
        inp = case()
        floor, peer = solve_floor(inp, 60.0, 1e-4), solve_linopy(inp, 60.0, 1e-4)
        assert [floor[k] for k in ("columns", "rows", "nonzeros")] == [peer[k] for k in ("columns", "rows", "nonzeros")]
