"""Re-solving in place gives what a fresh build gives, for every kind of value a sweep changes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyomo.environ as pyo
import pytest

from models.inputs import TypicalDays
from optimizer.model.build import build_model
from optimizer.result.run import solve_inputs
from optimizer.solver.highs_model import params_of
from optimizer.solver.resolver import Resolver
from tests.cases import busy_week

BASE = busy_week()


def _pv(**kw):
    return replace(BASE, pv=replace(BASE.pv, **kw))


def _array(i, **kw):
    arrays = list(BASE.pv.arrays)
    arrays[i] = replace(arrays[i], **kw)
    return _pv(arrays=tuple(arrays))


def _storage(**kw):
    return replace(BASE, storage=replace(BASE.storage, **kw))


def _green(**kw):
    return replace(BASE, green_power=replace(BASE.green_power, **kw))


CHANGES = {
    "grid prices": replace(BASE, price_per_kwh=BASE.price_per_kwh * 1.3),
    "load": replace(BASE, load_kw=BASE.load_kw * 0.8),
    "fuel cost": replace(BASE, fuel_cost=1234.0),
    "scope 1": replace(BASE, scope1_t=4.0),
    "demand charge": replace(BASE, demand_charge_per_kw_month=40.0),
    "pv capex": _pv(capex_per_kw=100.0),
    "pv crf": _pv(crf=0.05),
    "pv roof limit": _array(0, limit_kw=60.0),
    "pv fixed cost": _array(1, fixed_cost=4000.0),
    "pv yield": _array(0, yield_kwh_per_kwp=BASE.pv.arrays[0].yield_kwh_per_kwp * 0.5),
    "storage capex": _storage(capex_per_kwh=5.0),
    "storage efficiency": _storage(charge_efficiency=0.8, discharge_efficiency=0.85),
    "storage soc bounds": _storage(soc_min=0.3, soc_max=0.7),
    "storage max kwh": _storage(max_kwh=150.0),
    "green price": _green(price_per_kwh=0.35),
    "green minimum": _green(min_mwh=9.9),
    "green profile": _green(profile_share=np.roll(BASE.green_power.profile_share, 5) * 0 + np.r_[
        np.full(84, 2.0), np.full(84, 0.0)] / 168),
    "certificate price": replace(BASE, certificates=replace(BASE.certificates, price_per_mwh=60.0)),
    "certificate cap": replace(BASE, certificates=replace(BASE.certificates, max_mwh=2.0)),
    # Certificates cover all imports in the base plan, so the factor only matters once they are capped.
    "grid emission factor": replace(BASE, grid_factor_t_per_kwh=0.0009,
                                    certificates=replace(BASE.certificates, max_mwh=2.0)),
    "credit price": replace(BASE, credits=replace(BASE.credits, price_per_t=5.0)),
    "offset share": replace(BASE, credits=replace(BASE.credits, max_offset_share=0.2),
                            certificates=replace(BASE.certificates, max_mwh=4.0)),
    "emissions target": replace(BASE, max_net_t=3.0),
}


LIMIT_S, GAP = 60.0, 0.0


@pytest.fixture(scope="module")
def base_objective() -> float:
    return Resolver().solve(BASE, LIMIT_S, GAP).report.objective


@pytest.mark.parametrize("name", list(CHANGES))
def test_resolve_in_place_matches_a_fresh_build(name, base_objective):
    changed = CHANGES[name]
    resolver = Resolver()
    first = resolver.solve(BASE, LIMIT_S, GAP)
    again = resolver.solve(changed, LIMIT_S, GAP)
    fresh = Resolver().solve(changed, LIMIT_S, GAP)
    assert not first.reused and again.reused
    assert again.report.status == fresh.report.status == "optimal"
    # HiGHS's own objective: a value left behind in HiGHS shows here even when the plan is the same.
    assert again.report.objective == pytest.approx(fresh.report.objective, rel=1e-6)
    assert again.report.objective == pytest.approx(pyo.value(again.model.total_cost), rel=1e-6)
    assert abs(fresh.report.objective - base_objective) > 1e-6 * base_objective  # the change matters


def test_an_export_price_re_solves_in_place():
    # Half the load, so PV has a surplus to sell; the steps that need a selling binary stay the same
    # (green power is resold at 0, below both export prices), so the model is re-solved in place.
    half = replace(BASE, load_kw=BASE.load_kw * 0.5)
    dearer = replace(half, export_price_per_kwh=0.9)
    resolver = Resolver()
    first, again = resolver.solve(half, LIMIT_S, GAP), resolver.solve(dearer, LIMIT_S, GAP)
    fresh = Resolver().solve(dearer, LIMIT_S, GAP)
    assert again.reused
    assert again.report.objective == pytest.approx(fresh.report.objective, rel=1e-6)
    assert abs(fresh.report.objective - first.report.objective) > 1e-6 * abs(first.report.objective)


@pytest.mark.parametrize("inp", [
    pytest.param(BASE, id="busy week, every asset, export"),
    pytest.param(replace(BASE, storage=replace(BASE.storage, unit_kwh=50.0, unit_kw=25.0), max_net_t=None,
                         residual_factor_t_per_kwh=0.0007, base_emissions_t=9.0), id="blocks, no target"),
    pytest.param("typical days", id="typical days"),
])
def test_the_first_and_last_rows_of_a_constraint_name_every_param_it_reads(inp):
    if inp == "typical days":  # the week's first two days, standing for its seven
        n = 48
        inp = replace(BASE, index=BASE.index[:n], load_kw=BASE.load_kw[:n], price_per_kwh=BASE.price_per_kwh[:n],
                      period=BASE.period[:n], green_power=replace(BASE.green_power,
                                                                  profile_share=BASE.green_power.profile_share[:n]),
                      pv=_array(0, yield_kwh_per_kwp=BASE.pv.arrays[0].yield_kwh_per_kwp[:n]).pv,
                      typical_days=TypicalDays(order=np.array([0, 1, 1, 0, 1, 0, 0]), steps_per_day=24,
                                               year_index=BASE.index))
        inp = replace(inp, pv=replace(inp.pv, arrays=tuple(replace(a, yield_kwh_per_kwp=a.yield_kwh_per_kwp[:n])
                                                           for a in inp.pv.arrays)))
    model = build_model(inp)
    for comp in model.component_objects(pyo.Constraint, active=True):
        assert params_of(comp) == params_of(comp, every_row=True), comp.local_name


def test_a_change_of_structure_builds_a_new_model():
    resolver = Resolver()
    solve_inputs(BASE, with_bau=False, resolver=resolver)
    without_battery = replace(BASE, storage=None)
    plan = solve_inputs(without_battery, with_bau=False, resolver=resolver)
    assert not plan.summary["reused_model"]
    fresh = solve_inputs(without_battery, with_bau=False)
    assert plan.summary["total_annual_cost"] == pytest.approx(fresh.summary["total_annual_cost"], rel=1e-6)


def test_back_to_the_first_values_gives_the_first_plan(base_objective):
    resolver = Resolver()
    for inp in (BASE, CHANGES["grid prices"], CHANGES["storage efficiency"], BASE):
        plan = solve_inputs(inp, with_bau=False, resolver=resolver)
    assert plan.summary["reused_model"]
    assert plan.summary["total_annual_cost"] == pytest.approx(base_objective, rel=1e-6)
    np.testing.assert_allclose(plan.hourly["load_kw"], BASE.load_kw)


def test_a_grid_factor_of_zero_and_back_re_solves_like_a_fresh_build():
    # No credits, no certificates: with a clean grid the target holds whatever the plan, and the
    # target row must follow the factor to zero and back rather than keep its old coefficients.
    base = replace(BASE, credits=None, certificates=None, max_net_t=6.0)
    resolver = Resolver()
    for factor in (0.0006, 0.0, 0.0006):
        inp = replace(base, grid_factor_t_per_kwh=factor)
        again, fresh = resolver.solve(inp, LIMIT_S, GAP), Resolver().solve(inp, LIMIT_S, GAP)
        assert again.report.status == fresh.report.status == "optimal"
        assert again.report.objective == pytest.approx(fresh.report.objective, rel=1e-6)


def test_a_new_structure_is_built_afresh_and_says_which_part_changed():
    resolver = Resolver()
    without_battery = replace(BASE, storage=None)
    first = resolver.solve(without_battery, 60, 0.0)
    again = resolver.solve(BASE, 60, 0.0)
    assert not again.reused and again.rebuilt_because == "structure changed: storage"
    same = resolver.solve(replace(BASE, fuel_cost=7.0), 60, 0.0)
    assert same.reused and same.rebuilt_because == ""
    assert first.report.has_solution and again.report.has_solution


def test_values_that_empty_a_row_name_the_constraint():
    from optimizer.solver.highs_model import HighsModel, StructureChanged

    m = pyo.ConcreteModel()
    m.p = pyo.Param(mutable=True, initialize=1.0)
    m.x = pyo.Var(bounds=(0, 10))
    m.capped = pyo.Constraint(expr=m.p * m.x <= 5)
    m.cost = pyo.Objective(expr=-m.x)
    hm = HighsModel(m)
    m.p = 0.0  # the row becomes 0 <= 5: no variable left, the compiler drops it
    with pytest.raises(StructureChanged, match="'capped' 1 rows held, 0 compiled"):
        hm.update({"p"})
