"""The peer's heat and efficiency measures: the equations of `optimizer/model/heat.py` and
`optimizer/model/measures.py` (their module docstrings), written in linopy from `Inputs` alone.

Coordinates: `snapshot` (the model's steps), `heat_demand` (by name; a source that reaches only
some demands has its variables on those demands alone), `measure`. Units as in zcf: kW of heat and
of electricity, kWh of heat stored, MWh of fuel a year, tCO2e a year, currency a year.

    boiler + heat pump + heater + store = Q − Σ_m q_m · take_m   (each demand, each step; take_m ∈ {0,1})
    the heat pump serves the demands it has a COP for that are no hotter than its maximum, and charges
    the store at COP_s when the store is no hotter than that maximum; the heater serves every demand
    and charges the store; the store serves the demands no hotter than itself
    heat pump (to demands and store) ≤ its size, heater (to demands and store) ≤ its size
    stored_t = (1 − λ·Δt) · stored_(t−1) + Δt · (charging_t − serving_t) ≤ store size, cyclic over
    the horizon, or over each typical day on typical days (no heat carried from one day to the next)
    electricity for heat (a demand of the power balance) = heat pump / COP + heater / η
    boiler fuel (MWh) = Δt / 1000 · Σ_t w_t · Σ_h boiler_h,t / η_b;  scope 1 += its factor × the fuel
    what measures save (a supply of the power balance) = Σ_m e_m,t · take_m
    scope 1 −= Σ_m F_m · take_m (F_m: tCO2e a year of the fixed fuels measure m saves)
    costs: fuel price × boiler fuel, (crf · capex + fixed O&M) × size for heat pump, heater and store,
    (crf · capex − what the fixed fuels it saves cost) × take_m for measures

The fixed fuels themselves (`Inputs.scope1_t`, `Inputs.fuel_cost`: every fuel but the boiler's) are
constants of the plan, added in `bench.peer_linopy`.
"""

from __future__ import annotations

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from models.inputs import Inputs


def add_heat_and_measures(m: linopy.Model, inp: Inputs, snapshots: pd.Index, weight: xr.DataArray,
                          supply: list, demand: list, costs: list) -> list:
    """Add the measures and the heat to `m`: their flows to `supply` and `demand` (kW of electricity),
    their costs to `costs`; returns the terms by which they change scope 1 (tCO2e/yr)."""
    scope1: list = []
    heat_saved_kw = _add_measures(m, inp, snapshots, supply, costs, scope1) if inp.measures else None
    if inp.heat is not None:
        _add_heat(m, inp, snapshots, weight, heat_saved_kw, demand, costs, scope1)
    return scope1


def _add_measures(m: linopy.Model, inp: Inputs, snapshots: pd.Index, supply: list, costs: list,
                  scope1: list) -> linopy.LinearExpression | None:
    """Each measure taken or not; returns the heat the measures taken save, by demand and step (kW)."""
    measures = pd.Index([x.name for x in inp.measures], name="measure")
    take = m.add_variables(binary=True, coords=[measures], name="measure_taken")
    net_annuity = xr.DataArray([x.crf * x.capex - x.fuel_saved_cost for x in inp.measures], coords=[measures])
    costs.append((net_annuity * take).sum())
    fuel_saved_t = xr.DataArray([x.fuel_saved_t for x in inp.measures], coords=[measures])
    scope1.append(-(fuel_saved_t * take).sum())
    saving = [x for x in inp.measures if x.electricity_saved_kw is not None]
    if saving:
        names = pd.Index([x.name for x in saving], name="measure")
        saved_kw = xr.DataArray(np.column_stack([x.electricity_saved_kw for x in saving]).astype(float),
                                coords=[snapshots, names])
        supply.append((saved_kw * take.sel(measure=names)).sum("measure"))
    pairs = [(i, d, kw) for i, x in enumerate(inp.measures) for d, kw in x.heat_saved_kw.items()]
    if not pairs or inp.heat is None:
        return None
    demands = pd.Index([d.name for d in inp.heat.demands], name="heat_demand")
    q_kw = np.zeros((len(measures), len(demands), len(snapshots)))
    for i, d, kw in pairs:
        q_kw[i, demands.get_loc(d)] = kw
    return (xr.DataArray(q_kw, coords=[measures, demands, snapshots]) * take).sum("measure")


def _size(m: linopy.Model, name: str, most: float | None, crf: float, capex: float, om: float,
          costs: list) -> linopy.Variable:
    """A size built once: its annuity and fixed O&M in `costs`."""
    size = m.add_variables(lower=0, upper=np.inf if most is None else most, name=name)
    costs.append((crf * capex + om) * size)
    return size


def _add_heat(m: linopy.Model, inp: Inputs, snapshots: pd.Index, weight: xr.DataArray,
              heat_saved_kw: linopy.LinearExpression | None, demand: list, costs: list, scope1: list) -> None:
    h = inp.heat
    demands = pd.Index([d.name for d in h.demands], name="heat_demand")
    temperature_c = {d.name: d.temperature_c for d in h.demands}
    heat_kw = xr.DataArray(np.vstack([d.heat_kw for d in h.demands]).astype(float), coords=[demands, snapshots])
    boiler_kw_th = m.add_variables(lower=0, coords=[demands, snapshots], name="boiler_kw_th")
    met = boiler_kw_th.to_linexpr()
    electricity = []
    hp, eh, ts = h.heat_pump, h.electric_heater, h.thermal_storage
    hp_load, eh_load = [], []  # heat the heat pump and the heater give in each step, store charging included
    if hp is not None:
        hp_kw_th = _size(m, "hp_kw_th", hp.max_kw_th, hp.crf, hp.capex_per_kw_th, hp.fixed_om_per_kw_th_year, costs)
        reach = pd.Index([d for d in demands if d in hp.cop and temperature_c[d] <= hp.max_temperature_c],
                         name="heat_demand")
        if len(reach):
            hp_to_kw_th = m.add_variables(lower=0, coords=[reach, snapshots], name="hp_to_demand_kw_th")
            met = met.add(hp_to_kw_th, join="left")
            cop = xr.DataArray([hp.cop[d] for d in reach], coords=[reach])
            electricity.append((hp_to_kw_th / cop).sum("heat_demand"))
            hp_load.append(hp_to_kw_th.sum("heat_demand"))
    if eh is not None:
        eh_kw_th = _size(m, "eh_kw_th", eh.max_kw_th, eh.crf, eh.capex_per_kw_th, eh.fixed_om_per_kw_th_year, costs)
        eh_to_kw_th = m.add_variables(lower=0, coords=[demands, snapshots], name="eh_to_demand_kw_th")
        met = met + eh_to_kw_th
        electricity.append(eh_to_kw_th.sum("heat_demand") / eh.efficiency)
        eh_load.append(eh_to_kw_th.sum("heat_demand"))
    if ts is not None:
        served = pd.Index([d for d in demands if temperature_c[d] <= ts.max_temperature_c], name="heat_demand")
        ts_kwh_th = _size(m, "ts_kwh_th", ts.max_kwh_th, ts.crf, ts.capex_per_kwh_th, ts.fixed_om_per_kwh_th_year,
                          costs)
        charging = []
        if eh is not None:
            eh_in = m.add_variables(lower=0, coords=[snapshots], name="eh_to_store_kw_th")
            charging.append(eh_in)
            electricity.append(eh_in / eh.efficiency)
            eh_load.append(eh_in)
        if hp is not None and hp.cop_storage is not None and ts.max_temperature_c <= hp.max_temperature_c:
            hp_in = m.add_variables(lower=0, coords=[snapshots], name="hp_to_store_kw_th")
            charging.append(hp_in)
            electricity.append(hp_in / hp.cop_storage)
            hp_load.append(hp_in)
        net_in = sum(charging)
        if len(served):
            out = m.add_variables(lower=0, coords=[served, snapshots], name="store_to_demand_kw_th")
            met = met.add(out, join="left")
            net_in = net_in - out.sum("heat_demand")
        stored = m.add_variables(lower=0, coords=[snapshots], name="store_kwh_th")
        m.add_constraints(stored <= ts_kwh_th, name="store_ceiling")
        before = stored.isel(snapshot=_step_before(inp, len(snapshots))).assign_coords(snapshot=snapshots)
        keep = 1.0 - ts.loss_share_per_hour * inp.step_h
        if isinstance(net_in, int):  # nothing charges it and it serves nothing: it holds nothing
            net_in = 0 * stored
        m.add_constraints(stored - keep * before - inp.step_h * net_in == 0, name="store_dynamics")
    m.add_constraints((met if heat_saved_kw is None else met + heat_saved_kw) == heat_kw, name="heat_met")
    if hp_load:
        m.add_constraints(sum(hp_load) <= hp_kw_th, name="hp_capacity")
    if eh_load:
        m.add_constraints(sum(eh_load) <= eh_kw_th, name="eh_capacity")
    if electricity:
        demand.append(sum(electricity))
    boiler_fuel_mwh = m.add_variables(lower=0, name="boiler_fuel_mwh")
    m.add_constraints(boiler_fuel_mwh == (inp.step_h / 1000.0 / h.boiler_efficiency)
                      * (weight * boiler_kw_th).sum(), name="boiler_fuel_total")
    costs.append(h.fuel_price_per_mwh * boiler_fuel_mwh)
    scope1.append(h.fuel_factor_t_per_mwh * boiler_fuel_mwh)


def _step_before(inp: Inputs, n: int) -> np.ndarray:
    """The step before each step: cyclic over the horizon, or within each typical day."""
    per_day = inp.typical_days.steps_per_day if inp.typical_days is not None else n
    t = np.arange(n)
    return np.where(t % per_day == 0, t + per_day - 1, t - 1)


def boiler_bau_t(inp: Inputs) -> float:
    """Scope 1 of the boiler meeting every heat demand, no measure taken (tCO2e/yr): part of the
    business-as-usual inventory the credits' cap refers to."""
    h = inp.heat
    if h is None:
        return 0.0
    heat_kwh = sum(float((np.asarray(inp.weight_days) * d.heat_kw).sum()) for d in h.demands) * inp.step_h
    return h.fuel_factor_t_per_mwh * heat_kwh / 1000.0 / h.boiler_efficiency
