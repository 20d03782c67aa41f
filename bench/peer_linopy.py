"""The peer: zcf's problem (`optimizer/model/`, one module per asset) in linopy, solved with HiGHS.

Written as a linopy or PyPSA user writes a model: xarray coordinates over snapshots, arrays and
months, and one vectorized constraint per family, never a loop over time. Units are the Pyomo
model's (kW flows, kWh state of charge, MWh yearly totals, tCO2e, currency). linopy has no
constant term in an objective, so the fuel bill is added to the objective value after solving.

Snapshots are the model's steps by position (on typical days a step stands for `Inputs.weight_days`
days: yearly sums, bills and revenues are weighted; the battery links the days of the year in
order). Heat and efficiency measures are in `bench.peer_linopy_heat`.
"""

from __future__ import annotations

import time
from math import floor

import linopy
import numpy as np
import pandas as pd
import xarray as xr
from linopy.solvers import Solver

from bench.highs_status import has_solution, status_word, zcf_options
from bench.peer_linopy_heat import add_heat_and_measures, boiler_bau_t
from models.inputs import Inputs
from optimizer.model.export import selling_steps
from optimizer.model.heat import most_heat_electricity_kw

INTERFACE = "direct"  # linopy hands its matrices to a highspy.Highs object: no LP file


def build_linopy(inp: Inputs, relax_integers: bool = False) -> linopy.Model:
    """The linopy model of `inp`: its objective omits only the constant fuel bill."""
    m = linopy.Model(force_dim_names=True)
    snapshots = pd.RangeIndex(len(inp.load_kw), name="snapshot")  # positions: typical days may repeat a date
    step_h = float(inp.step_h)
    weight = xr.DataArray(np.asarray(inp.weight_days, dtype=float), coords=[snapshots])  # days a step stands for

    grid_import_kw = m.add_variables(lower=0, coords=[snapshots], name="grid_import_kw")
    grid_import_mwh = m.add_variables(lower=0, name="grid_import_mwh")
    m.add_constraints(grid_import_mwh == (step_h / 1000.0) * (weight * grid_import_kw).sum(),
                      name="grid_import_total")
    price = xr.DataArray(np.asarray(inp.price_per_kwh, dtype=float), coords=[snapshots])
    costs = [(step_h * weight * price * grid_import_kw).sum()]
    supply, demand = [grid_import_kw], []

    _add_pv(m, inp, snapshots, supply, costs)
    _add_storage(m, inp, snapshots, supply, demand, costs)
    green_used_kw = _add_green_power(m, inp, snapshots, weight, costs)
    if green_used_kw is not None:
        supply.append(green_used_kw)
    _add_export(m, inp, snapshots, weight, grid_import_kw, demand, costs)
    _add_demand_charge(m, inp, snapshots, grid_import_kw, green_used_kw, costs)
    scope1_terms = add_heat_and_measures(m, inp, snapshots, weight, supply, demand, costs)
    certificates_mwh = _add_certificates(m, inp, grid_import_mwh, costs)
    credits_t = _add_credits(m, inp, costs)
    _add_target(m, inp, grid_import_mwh, certificates_mwh, credits_t, scope1_terms)

    load_kw = xr.DataArray(np.asarray(inp.load_kw, dtype=float), coords=[snapshots])
    m.add_constraints(sum(supply) - sum(demand) == load_kw, name="balance")
    m.add_objective(sum(costs))
    if relax_integers:
        m.variables.relax()
    return m


def _add_pv(m: linopy.Model, inp: Inputs, snapshots: pd.Index, supply: list, costs: list) -> None:
    pv = inp.pv
    if pv is None:
        return
    arrays = pd.Index([a.name for a in pv.arrays], name="array")
    limit_kw = xr.DataArray([a.limit_kw for a in pv.arrays], coords=[arrays])
    fixed_cost = xr.DataArray([a.fixed_cost for a in pv.arrays], coords=[arrays])
    pv_kw = m.add_variables(lower=0, upper=limit_kw, name="pv_kw")
    costs.append(((pv.crf * pv.capex_per_kw + pv.fixed_om_per_kw_year) * pv_kw).sum())
    fixed = arrays[(fixed_cost > 0).values]
    if len(fixed):
        pv_built = m.add_variables(binary=True, coords=[fixed], name="pv_built")
        m.add_constraints(pv_kw.sel(array=fixed) <= limit_kw.sel(array=fixed) * pv_built, name="pv_only_if_built")
        costs.append((pv.crf * fixed_cost.sel(array=fixed) * pv_built).sum())
    yields = np.column_stack([a.yield_kwh_per_kwp for a in pv.arrays]) / inp.step_h
    kw_per_kwp = xr.DataArray(yields, coords=[snapshots, arrays])
    pv_out_kw = m.add_variables(lower=0, coords=[snapshots], name="pv_out_kw")
    m.add_constraints(pv_out_kw <= (kw_per_kwp * pv_kw).sum("array"), name="pv_available")
    supply.append(pv_out_kw)


def _add_storage(m: linopy.Model, inp: Inputs, snapshots: pd.Index, supply: list, demand: list,
                 costs: list) -> None:
    s = inp.storage
    if s is None:
        return
    storage_kwh = m.add_variables(lower=0, upper=np.inf if s.max_kwh is None else s.max_kwh, name="storage_kwh")
    storage_kw = m.add_variables(lower=0, upper=np.inf if s.max_kw is None else s.max_kw, name="storage_kw")
    if s.unit_kwh:
        units = m.add_variables(lower=0, upper=floor(s.max_kwh / s.unit_kwh), integer=True, name="storage_units_kwh")
        m.add_constraints(storage_kwh == s.unit_kwh * units, name="storage_kwh_blocks")
    if s.unit_kw:
        units = m.add_variables(lower=0, upper=floor(s.max_kw / s.unit_kw), integer=True, name="storage_units_kw")
        m.add_constraints(storage_kw == s.unit_kw * units, name="storage_kw_blocks")
    capex = s.capex_per_kwh * storage_kwh + s.capex_per_kw * storage_kw
    if s.fixed_cost > 0:
        built = m.add_variables(binary=True, name="storage_built")
        m.add_constraints(storage_kwh <= s.max_kwh * built, name="storage_kwh_if_built")
        m.add_constraints(storage_kw <= s.max_kw * built, name="storage_kw_if_built")
        capex = capex + s.fixed_cost * built
    costs.append(s.crf * capex + s.fixed_om_per_kw_year * storage_kw)

    charge_kw = m.add_variables(lower=0, coords=[snapshots], name="charge_kw")
    discharge_kw = m.add_variables(lower=0, coords=[snapshots], name="discharge_kw")
    m.add_constraints(charge_kw + discharge_kw <= storage_kw, name="power_limit")
    usable = s.soc_max - s.soc_min
    stored_kwh = (inp.step_h * s.charge_efficiency) * charge_kw - (inp.step_h / s.discharge_efficiency) * discharge_kw
    if inp.typical_days is not None:
        _soc_over_typical_days(m, inp, snapshots, storage_kwh, stored_kwh)
        m.add_constraints((inp.step_h * s.charge_efficiency) * charge_kw <= usable * storage_kwh, name="charge_room")
    else:
        # Stored above the floor, so the floor is a bound, as in zcf.
        soc_kwh = m.add_variables(lower=0, coords=[snapshots], name="soc_above_min_kwh")
        soc_before = soc_kwh.roll(snapshot=1)  # at the start of each step: the step before the first is the last
        m.add_constraints(soc_kwh <= usable * storage_kwh, name="soc_ceiling")
        m.add_constraints(soc_kwh == soc_before + stored_kwh, name="soc_dynamics")
        # A step's charging fits in the room left at its start.
        m.add_constraints((inp.step_h * s.charge_efficiency) * charge_kw <= usable * storage_kwh - soc_before,
                          name="charge_room")
    supply.append(discharge_kw)
    demand.append(charge_kw)


def _soc_over_typical_days(m: linopy.Model, inp: Inputs, snapshots: pd.Index, storage_kwh: linopy.Variable,
                           stored_kwh: linopy.LinearExpression) -> None:
    """The battery on typical days (Kotzur et al., 2018): each typical day's course counted from its
    start, its highest and lowest point; each day of the year starts where the one before ended
    (cyclic year) and stays within the bounds through its typical day's highest and lowest point."""
    s, td = inp.storage, inp.typical_days
    per_day, order = td.steps_per_day, np.asarray(td.order)
    typical = pd.RangeIndex(td.count, name="typical_day")
    year_days = pd.RangeIndex(len(order), name="year_day")
    soc_kwh = m.add_variables(coords=[snapshots], name="soc_from_day_start_kwh")
    starts = snapshots[snapshots % per_day == 0]
    rest = snapshots[snapshots % per_day != 0]
    m.add_constraints(soc_kwh.sel(snapshot=starts) == stored_kwh.sel(snapshot=starts), name="soc_day_start")
    m.add_constraints(soc_kwh.sel(snapshot=rest) - soc_kwh.shift(snapshot=1).sel(snapshot=rest)
                      == stored_kwh.sel(snapshot=rest), name="soc_dynamics")
    high_kwh = m.add_variables(lower=0, coords=[typical], name="soc_day_high_kwh")
    low_kwh = m.add_variables(upper=0, coords=[typical], name="soc_day_low_kwh")
    day_of_step = xr.DataArray(snapshots // per_day, coords=[snapshots])
    m.add_constraints(soc_kwh <= high_kwh.sel(typical_day=day_of_step), name="soc_below_high")
    m.add_constraints(soc_kwh >= low_kwh.sel(typical_day=day_of_step), name="soc_above_low")
    start_kwh = m.add_variables(lower=0, coords=[year_days], name="soc_start_kwh")
    day_end = soc_kwh.isel(snapshot=(order + 1) * per_day - 1).rename(snapshot="year_day").assign_coords(
        year_day=year_days)
    m.add_constraints(start_kwh.roll(year_day=-1) == start_kwh + day_end, name="soc_days")
    typical_of_day = xr.DataArray(order, coords=[year_days])
    m.add_constraints(start_kwh + high_kwh.sel(typical_day=typical_of_day) <= s.soc_max * storage_kwh,
                      name="soc_ceiling")
    m.add_constraints(start_kwh + low_kwh.sel(typical_day=typical_of_day) >= s.soc_min * storage_kwh,
                      name="soc_floor")


def _add_green_power(m: linopy.Model, inp: Inputs, snapshots: pd.Index, weight: xr.DataArray,
                     costs: list) -> linopy.Variable | None:
    """The contract's delivery along its shape; the plant uses what it can, the rest is resold."""
    g = inp.green_power
    if g is None:
        return None
    green_mwh = m.add_variables(lower=0, upper=g.max_mwh, name="green_mwh")
    if g.min_mwh > 0:
        bought = m.add_variables(binary=True, name="green_bought")
        m.add_constraints(green_mwh >= g.min_mwh * bought, name="green_at_least_min")
        m.add_constraints(green_mwh <= g.max_mwh * bought, name="green_only_if_bought")
    kw_per_mwh = xr.DataArray(np.asarray(g.profile_share, dtype=float) * 1000.0 / inp.step_h, coords=[snapshots])
    delivered_kw = kw_per_mwh * green_mwh
    green_used_kw = m.add_variables(lower=0, coords=[snapshots], name="green_used_kw")
    m.add_constraints(green_used_kw <= delivered_kw, name="green_used_within_delivery")
    resold_kwh = (inp.step_h * weight * (delivered_kw - green_used_kw)).sum()
    costs.append(1000.0 * g.price_per_kwh * green_mwh - g.resale_price_per_kwh * resold_kwh)
    return green_used_kw


def _add_export(m: linopy.Model, inp: Inputs, snapshots: pd.Index, weight: xr.DataArray,
                grid_import_kw: linopy.Variable, demand: list, costs: list) -> None:
    """PV output sold at the export price, only PV surplus: none where the roofs at their limit
    cannot cover the least the plant uses (its load less what every measure on offer saves); in the
    selling steps a binary keeps a step that sells from taking anything in (grid, green power,
    battery), so it sells at most its PV output beyond that least use."""
    pv = inp.pv
    if not inp.export_allowed or pv is None:
        return
    load_kw = np.asarray(inp.load_kw, dtype=float)
    saved_kw = np.zeros(len(load_kw))
    for measure in inp.measures:
        if measure.electricity_saved_kw is not None:
            saved_kw = saved_kw + np.asarray(measure.electricity_saved_kw, dtype=float)
    least_kw = np.maximum(load_kw - saved_kw, 0.0)
    most_pv_kw = sum(np.asarray(a.yield_kwh_per_kwp, dtype=float) * a.limit_kw for a in pv.arrays) / inp.step_h
    export_most = xr.DataArray(np.where(most_pv_kw > least_kw, np.inf, 0.0), coords=[snapshots])
    export_kw = m.add_variables(lower=0, upper=export_most, name="export_kw")
    pv_out_kw = m.variables["pv_out_kw"]
    m.add_constraints(export_kw <= pv_out_kw, name="export_only_pv")
    costs.append((-inp.export_price_per_kwh * inp.step_h * weight * export_kw).sum())
    demand.append(export_kw)

    selling = snapshots[selling_steps(inp)]

    def on_selling(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(values, coords=[snapshots]).sel(snapshot=selling)

    s, charge_most_kw = inp.storage, 0.0  # the most the battery can charge in a step
    if s is not None:
        per_kwh = 1.0 / (s.charge_efficiency * inp.step_h)  # kW of charging that one kWh of room takes
        fill_kw = None if s.max_kwh is None else (s.soc_max - s.soc_min) * s.max_kwh * per_kwh
        limits = [x for x in (s.max_kw, fill_kw) if x is not None]
        charge_most_kw = min(limits) if limits else inp.load_kwh * per_kwh
    load_s, least_s = on_selling(load_kw), on_selling(least_kw)
    # The most electricity heat takes in a step (0 without heat): zcf's bound's value, not its rows.
    heat_most = most_heat_electricity_kw(inp)
    sell = m.add_variables(binary=True, coords=[selling], name="sell")
    exported = export_kw.sel(snapshot=selling)
    m.add_constraints(exported <= on_selling(most_pv_kw - least_kw) * sell, name="export_if_selling")
    m.add_constraints(exported <= pv_out_kw.sel(snapshot=selling) - least_s * sell, name="export_beyond_load")
    # Not selling: each intake at most what a least-cost plan could take in the step (zcf's export module).
    most_import = on_selling(load_kw + charge_most_kw + heat_most)
    m.add_constraints(grid_import_kw.sel(snapshot=selling) <= most_import - most_import * sell,
                      name="import_if_not_selling")
    if (g := inp.green_power) is not None:
        most_green = on_selling(np.asarray(g.profile_share, dtype=float) * 1000.0 / inp.step_h * g.max_mwh)
        m.add_constraints(m.variables["green_used_kw"].sel(snapshot=selling) <= most_green - most_green * sell,
                          name="green_if_not_selling")
    if "discharge_kw" in m.variables:
        most_discharge = load_s + heat_most
        m.add_constraints(m.variables["discharge_kw"].sel(snapshot=selling) <= most_discharge - most_discharge * sell,
                          name="discharge_if_not_selling")


def _add_demand_charge(m: linopy.Model, inp: Inputs, snapshots: pd.Index, grid_import_kw: linopy.Variable,
                       green_used_kw: linopy.Variable | None, costs: list) -> None:
    if inp.demand_charge_per_kw_month <= 0:
        return
    withdrawal_kw = grid_import_kw if green_used_kw is None else grid_import_kw + green_used_kw
    td = inp.typical_days
    if td is None:
        months = pd.Index(np.unique(inp.month), name="month")
        month_of_snapshot = xr.DataArray(inp.month, coords=[snapshots])
        peak_kw = m.add_variables(lower=0, coords=[months], name="peak_kw")
        m.add_constraints(peak_kw.sel(month=month_of_snapshot) >= withdrawal_kw, name="peak_def")
    else:  # a typical day's steps count in every month it stands for a day of
        day_months = np.asarray(td.year_index.month[:: td.steps_per_day])
        months = pd.Index(np.unique(day_months), name="month")
        in_month = np.array([[mo in set(day_months[td.order == t // td.steps_per_day]) for t in snapshots]
                             for mo in months])
        peak_kw = m.add_variables(lower=0, coords=[months], name="peak_kw")
        m.add_constraints(peak_kw >= withdrawal_kw, name="peak_def",
                          mask=xr.DataArray(in_month, coords=[months, snapshots]))
    costs.append(inp.demand_charge_per_kw_month * peak_kw.sum())


def _add_certificates(m: linopy.Model, inp: Inputs, grid_import_mwh: linopy.Variable,
                      costs: list) -> linopy.Variable | None:
    c = inp.certificates
    if c is None:
        return None
    certificates_mwh = m.add_variables(lower=0, upper=np.inf if c.max_mwh is None else c.max_mwh,
                                       name="certificates_mwh")
    m.add_constraints(certificates_mwh <= grid_import_mwh, name="certificates_cover_import")
    costs.append(c.price_per_mwh * certificates_mwh)
    return certificates_mwh


def _add_credits(m: linopy.Model, inp: Inputs, costs: list) -> linopy.Variable | None:
    c = inp.credits
    if c is None:
        return None
    credits_t = m.add_variables(lower=0, name="credits_t")
    # The given base inventory, else business as usual: scope 1 and every kWh from the grid, market-based.
    base_t = inp.base_emissions_t
    if base_t is None:
        base_t = inp.scope1_t + boiler_bau_t(inp) + _market_factor_t_per_mwh(inp) * inp.load_kwh / 1000.0
    m.add_constraints(credits_t <= c.max_offset_share * base_t, name="offset_cap")
    costs.append(c.price_per_t * credits_t)
    return credits_t


def _add_target(m: linopy.Model, inp: Inputs, grid_import_mwh: linopy.Variable,
                certificates_mwh: linopy.Variable | None, credits_t: linopy.Variable | None,
                scope1_terms: list) -> None:
    """Net emissions (scope 1: the fixed fuels, the boiler's fuel, less the fuels measures save;
    scope 2 market-based; less credits) within the target."""
    if inp.max_net_t is None:
        return
    factor_t_per_mwh = _market_factor_t_per_mwh(inp)
    scope2_market_t = factor_t_per_mwh * (grid_import_mwh if certificates_mwh is None
                                          else grid_import_mwh - certificates_mwh)
    net_t = scope2_market_t if credits_t is None else scope2_market_t - credits_t
    if scope1_terms:
        net_t = net_t + sum(scope1_terms)
    m.add_constraints(net_t <= inp.max_net_t - inp.scope1_t, name="target")


def _market_factor_t_per_mwh(inp: Inputs) -> float:
    """Uncovered grid electricity, market-based: the residual factor if given, else the grid average."""
    return 1000.0 * (inp.grid_factor_t_per_kwh if inp.residual_factor_t_per_kwh is None
                     else inp.residual_factor_t_per_kwh)


def solve_linopy(inp: Inputs, time_limit_s: float, mip_gap: float, relax_integers: bool = False,
                 zcf_highs_options: bool = False) -> dict:
    """Build `inp` in linopy and solve it with HiGHS through linopy's direct highspy interface.

    Takes the steps `linopy.Model.solve` takes, each timed: hand-off is sanitizing the constraints
    and building the `highspy.Highs` object from linopy's matrices, HiGHS is its own run time,
    read-back is writing the solution onto the linopy model. HiGHS runs with its defaults, as a
    linopy user would run it, unless `zcf_highs_options` gives it the options zcf sets. `plan` holds
    the yearly decisions of a solved model (`_plan`)."""
    start = time.perf_counter()
    m = build_linopy(inp, relax_integers)
    build_s = time.perf_counter() - start

    options = {"output_flag": False, "time_limit": float(time_limit_s), "mip_rel_gap": float(mip_gap)}
    if zcf_highs_options:
        options = zcf_options(time_limit_s, mip_gap)
    start = time.perf_counter()
    m.constraints.sanitize_zeros()
    m.constraints.sanitize_infinities()
    solver = Solver.from_name("highs", model=m, io_api=INTERFACE, options=options, set_names=False)
    handoff_s = time.perf_counter() - start
    result = solver.solve()
    start = time.perf_counter()
    m.assign_result(result, solver=solver)
    readback_s = time.perf_counter() - start

    h = solver.solver_model
    solved = has_solution(h)
    return {
        "model": f"peer (linopy {linopy.__version__}, io_api={INTERFACE!r})",
        "status": status_word(h),
        "linopy_status": f"{m.status}/{m.termination_condition}",
        "objective": float(m.objective.value) + inp.fuel_cost if solved else None,
        "build_seconds": build_s,
        "handoff_seconds": handoff_s,
        "highs_seconds": h.getRunTime(),
        "readback_seconds": readback_s,
        "columns": h.getNumCol(),
        "rows": h.getNumRow(),
        "nonzeros": h.getNumNz(),
        "plan": _plan(m) if solved else {},
    }


def _plan(m: linopy.Model) -> dict:
    """The solved model's yearly decisions (every variable without coordinates: sizes, MWh, t) and
    the measures taken, by name."""
    plan = {name: float(var.solution) for name, var in m.variables.items() if not var.dims}
    if "measure_taken" in m.variables:
        plan["measure_taken"] = m.variables["measure_taken"].solution.to_series().to_dict()
    return plan
