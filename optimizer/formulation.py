"""The MILP: least annual cost of a plant's energy supply under an emissions target.

One function per asset adds its variables, constraints and cost terms; the energy balance is
the sum of the assets' flows and the objective the sum of their cost terms. Powers are kW,
energies kWh (volumes bought by the year in MWh), emissions tCO2e, money the scenario's currency.

Every number taken from `Inputs` enters through a mutable Param, declared from the asset's data
function (`*_data`). `update_model` sets those Params from new `Inputs` with the same structure
(`structure_key`), so a persistent solver can re-solve in place instead of rebuilding.

    min  Σ_assets annual cost
    s.t. import_t + pv_out_t + discharge_t + green_t = load_t + charge_t + export_t   ∀t
         net = scope1 + f_grid·(Σ_t import_t·Δt / 1000 − certificates) − credits ≤ target
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import floor, inf

import numpy as np
import pyomo.environ as pyo

from models.inputs import Inputs

_NON_NEG = pyo.NonNegativeReals

# A data function's values: a number (scalar Param), an array over time steps (indexed by T),
# a mapping array name -> number (indexed by A) or array name -> array (indexed by A × T).
Values = dict[str, float | np.ndarray | dict]


@dataclass
class _Ledger:
    """The flows each asset adds to the energy balance and the cost terms it adds to the objective."""

    supply: list = field(default_factory=list)
    demand: list = field(default_factory=list)
    costs: list[str] = field(default_factory=list)


def build_model(inp: Inputs) -> pyo.ConcreteModel:
    """The Pyomo model of `inp`; a pure function of the data, no file reading inside."""
    m = pyo.ConcreteModel(name=inp.name)
    m.T = pyo.RangeSet(0, len(inp.load_kw) - 1, doc="time steps")
    m.step_h = pyo.Param(initialize=inp.step_h, doc="length of a step (h)")
    m.A = pyo.Set(initialize=[a.name for a in inp.pv.arrays] if inp.pv else [], ordered=True, doc="PV arrays")
    ledger = _Ledger()
    for add, _ in ASSETS:
        add(m, inp, ledger)
    m.balance = pyo.Constraint(
        m.T, doc="energy balance of each step (kW)",
        rule=lambda m, t: sum(f[t] for f in ledger.supply) == m.load_kw[t] + sum(f[t] for f in ledger.demand),
    )
    m.cost_terms = list(ledger.costs)
    m.total_cost = pyo.Objective(expr=sum(m.component(c) for c in ledger.costs), sense=pyo.minimize,
                                 doc="annual cost")
    return m


def structure_key(inp: Inputs) -> tuple:
    """What decides the model's shape: two `Inputs` with equal keys differ only in Param values."""
    s, g, pv = inp.storage, inp.green_power, inp.pv
    # Months of steps follow from the count of steps: every model year drops 29 February.
    return (
        len(inp.load_kw), inp.step_h, tuple(np.unique(inp.month)),
        tuple((a.name, a.fixed_cost > 0) for a in pv.arrays) if pv else None,
        (s.fixed_cost > 0, bool(s.unit_kwh), bool(s.unit_kw)) if s else None,
        g.min_mwh > 0 if g else None,
        inp.export_allowed and pv is not None, inp.demand_charge_per_kw_month > 0,
        inp.certificates is not None, inp.credits is not None, inp.max_net_t is not None,
        (inp.typical_days.steps_per_day, tuple(inp.typical_days.order)) if inp.typical_days else None,
    )


def update_model(m: pyo.ConcreteModel, inp: Inputs) -> set[str]:
    """Set the model's Params from `inp` (same `structure_key`); returns the names that changed."""
    changed = set()
    for _, data in ASSETS:
        for name, value in data(inp).items():
            if _set_param(m.component(name), value):
                changed.add(name)
    return changed


def _declare(m: pyo.ConcreteModel, values: Values) -> None:
    """One mutable Param per entry, indexed as its value's shape says (see `Values`)."""
    for name, value in values.items():
        sets, entries = _entries(value)
        indexes = {"T": (m.T,), "A": (m.A,), "AT": (m.A, m.T), "": ()}[sets]
        init = entries[None] if sets == "" else entries
        m.add_component(name, pyo.Param(*indexes, mutable=True, initialize=init))


def _set_param(param: pyo.Param, value: float | np.ndarray | dict) -> bool:
    """Give `param` the values of `value` (shaped as in `_declare`); True if any changed."""
    _, new = _entries(value)
    old = param.extract_values()
    diff = {k: v for k, v in new.items() if old[k] != v}
    if diff:
        param.store_values(diff)
    return bool(diff)


def _entries(value: float | np.ndarray | dict) -> tuple[str, dict]:
    """The sets a value is indexed by ('T', 'A', 'AT' or '' for a scalar) and its entries by index."""
    if isinstance(value, np.ndarray):
        return "T", dict(enumerate(value.tolist()))
    if isinstance(value, dict) and any(isinstance(v, np.ndarray) for v in value.values()):
        return "AT", {(a, t): x for a, arr in value.items() for t, x in enumerate(np.asarray(arr).tolist())}
    if isinstance(value, dict):
        return "A", {a: float(x) for a, x in value.items()}
    return "", {None: float(value)}


def _cap(value: float | None) -> float:
    """An optional upper limit as a number: no limit is +inf (Pyomo reads it as no bound)."""
    return inf if value is None else float(value)


# --- grid ------------------------------------------------------------------------------------


def grid_data(inp: Inputs) -> Values:
    values: Values = {"load_kw": inp.load_kw, "price_per_kwh": inp.price_per_kwh, "fuel_cost": inp.fuel_cost}
    if inp.typical_days is not None:
        values["weight_days"] = inp.weight_days
    return values


def _weighted(m: pyo.ConcreteModel, t: int, term):
    """A step's term counted for every day of the year it stands for (typical days), else once."""
    weight = m.component("weight_days")
    return term if weight is None else weight[t] * term


def add_grid(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Import at the time-of-use price; fuels as a fixed cost."""
    _declare(m, grid_data(inp))
    m.grid_import_kw = pyo.Var(m.T, within=_NON_NEG, doc="power from the grid (kW)")
    m.grid_import_mwh = pyo.Var(within=_NON_NEG, doc="yearly grid import (MWh)")
    m.grid_import_total = pyo.Constraint(
        expr=m.grid_import_mwh == m.step_h / 1000.0 * sum(_weighted(m, t, m.grid_import_kw[t]) for t in m.T),
        doc="in MWh, so the row's activity stays near 1e5 and round-off below tolerance",
    )
    m.cost_energy = pyo.Expression(
        expr=m.step_h * sum(_weighted(m, t, m.price_per_kwh[t] * m.grid_import_kw[t]) for t in m.T),
        doc="energy bill"
    )
    m.cost_fuel = pyo.Expression(expr=m.fuel_cost, doc="fuel bill")
    ledger.supply.append(m.grid_import_kw)
    ledger.costs += ["cost_energy", "cost_fuel"]


# --- PV --------------------------------------------------------------------------------------


def pv_data(inp: Inputs) -> Values:
    pv = inp.pv
    if pv is None:
        return {}
    values: Values = {
        "pv_capex_per_kw": pv.capex_per_kw, "pv_om_per_kw_year": pv.fixed_om_per_kw_year, "pv_crf": pv.crf,
        "pv_limit_kw": {a.name: a.limit_kw for a in pv.arrays},
        "pv_fixed_cost": {a.name: a.fixed_cost for a in pv.arrays},
        "pv_kw_per_kwp": {a.name: a.yield_kwh_per_kwp / inp.step_h for a in pv.arrays},
    }
    if inp.export_allowed:
        values["export_value_per_kwh"] = inp.export_value_per_kwh
    return values


def add_pv(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """PV per array up to its roof limit; output may be curtailed; surplus exported if allowed."""
    if inp.pv is None:
        return
    _declare(m, pv_data(inp))
    m.pv_kw = pyo.Var(m.A, within=_NON_NEG, bounds=lambda m, a: (0, m.pv_limit_kw[a]), doc="PV size (kWp)")
    m.A_fixed = pyo.Set(initialize=[a.name for a in inp.pv.arrays if a.fixed_cost > 0], within=m.A,
                        doc="arrays with a fixed cost")
    m.pv_built = pyo.Var(m.A_fixed, within=pyo.Binary, doc="array built")
    m.pv_only_if_built = pyo.Constraint(m.A_fixed, rule=lambda m, a: m.pv_kw[a] <= m.pv_limit_kw[a] * m.pv_built[a])
    m.pv_out_kw = pyo.Var(m.T, within=_NON_NEG, doc="PV output used or exported (kW)")
    m.pv_available = pyo.Constraint(
        m.T, rule=lambda m, t: m.pv_out_kw[t] <= sum(m.pv_kw_per_kwp[a, t] * m.pv_kw[a] for a in m.A)
    )
    m.cost_pv = pyo.Expression(expr=sum(
        m.pv_crf * m.pv_capex_per_kw * m.pv_kw[a] + m.pv_om_per_kw_year * m.pv_kw[a] for a in m.A
    ) + sum(m.pv_crf * m.pv_fixed_cost[a] * m.pv_built[a] for a in m.A_fixed))
    ledger.supply.append(m.pv_out_kw)
    ledger.costs.append("cost_pv")
    if inp.export_allowed:
        m.export_kw = pyo.Var(m.T, within=_NON_NEG, doc="PV surplus sold (kW)")
        m.export_only_pv = pyo.Constraint(m.T, rule=lambda m, t: m.export_kw[t] <= m.pv_out_kw[t])
        m.cost_export = pyo.Expression(expr=-m.step_h * sum(
            _weighted(m, t, m.export_value_per_kwh[t] * m.export_kw[t]) for t in m.T), doc="revenue, see Inputs")
        ledger.demand.append(m.export_kw)
        ledger.costs.append("cost_export")


# --- storage ---------------------------------------------------------------------------------


def storage_data(inp: Inputs) -> Values:
    s = inp.storage
    if s is None:
        return {}
    values: Values = {f"storage_{name}": getattr(s, name) for name in (
        "capex_per_kwh", "capex_per_kw", "fixed_om_per_kw_year", "crf", "fixed_cost",
        "charge_efficiency", "discharge_efficiency", "soc_min", "soc_max")}
    values["storage_max_kwh"] = _cap(s.max_kwh)
    values["storage_max_kw"] = _cap(s.max_kw)
    if s.unit_kwh:
        values["storage_unit_kwh"] = s.unit_kwh
        values["storage_max_units_kwh"] = floor(s.max_kwh / s.unit_kwh)
    if s.unit_kw:
        values["storage_unit_kw"] = s.unit_kw
        values["storage_max_units_kw"] = floor(s.max_kw / s.unit_kw)
    return values


def add_storage(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Battery sized in kWh and kW, losses on both ways, state of charge cyclic over the year."""
    s = inp.storage
    if s is None:
        return
    _declare(m, storage_data(inp))
    m.storage_kwh = pyo.Var(within=_NON_NEG, bounds=(0, m.storage_max_kwh), doc="energy capacity (kWh)")
    m.storage_kw = pyo.Var(within=_NON_NEG, bounds=(0, m.storage_max_kw), doc="power capacity (kW)")
    if s.unit_kwh:
        m.storage_units_kwh = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, m.storage_max_units_kwh))
        m.storage_kwh_blocks = pyo.Constraint(expr=m.storage_kwh == m.storage_unit_kwh * m.storage_units_kwh)
    if s.unit_kw:
        m.storage_units_kw = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, m.storage_max_units_kw))
        m.storage_kw_blocks = pyo.Constraint(expr=m.storage_kw == m.storage_unit_kw * m.storage_units_kw)
    built = 0
    if s.fixed_cost > 0:
        m.storage_built = pyo.Var(within=pyo.Binary, doc="battery built")
        m.storage_kwh_if_built = pyo.Constraint(expr=m.storage_kwh <= m.storage_max_kwh * m.storage_built)
        m.storage_kw_if_built = pyo.Constraint(expr=m.storage_kw <= m.storage_max_kw * m.storage_built)
        built = m.storage_built

    m.charge_kw = pyo.Var(m.T, within=_NON_NEG, doc="battery charging (kW)")
    m.discharge_kw = pyo.Var(m.T, within=_NON_NEG, doc="battery discharging (kW)")
    m.charge_limit = pyo.Constraint(m.T, rule=lambda m, t: m.charge_kw[t] <= m.storage_kw)
    m.discharge_limit = pyo.Constraint(m.T, rule=lambda m, t: m.discharge_kw[t] <= m.storage_kw)
    if inp.typical_days is None:
        _state_of_charge_over_the_year(m)
    else:
        _state_of_charge_over_typical_days(m, inp)
    m.cost_storage = pyo.Expression(expr=m.storage_crf * (
        m.storage_capex_per_kwh * m.storage_kwh + m.storage_capex_per_kw * m.storage_kw
        + m.storage_fixed_cost * built
    ) + m.storage_fixed_om_per_kw_year * m.storage_kw)
    ledger.supply.append(m.discharge_kw)
    ledger.demand.append(m.charge_kw)
    ledger.costs.append("cost_storage")


def _stored_in_step(m: pyo.ConcreteModel, t: int):
    """Energy added to the battery's store in step t (kWh), losses both ways counted."""
    charged, discharged = m.charge_kw[t], m.discharge_kw[t]
    return m.step_h * (m.storage_charge_efficiency * charged - discharged / m.storage_discharge_efficiency)


def _state_of_charge_over_the_year(m: pyo.ConcreteModel) -> None:
    """Energy stored, within its bounds, back where it started after the year.

    Counted above the floor (soc_min × capacity), so the floor is a variable bound, not a row per
    step: stored = soc_above_min_kwh + soc_min × storage_kwh.
    """
    m.soc_above_min_kwh = pyo.Var(m.T, within=_NON_NEG, doc="energy stored above the floor, end of step (kWh)")
    m.soc_ceiling = pyo.Constraint(m.T, rule=lambda m, t: m.soc_above_min_kwh[t]
                                   <= (m.storage_soc_max - m.storage_soc_min) * m.storage_kwh)
    last = len(m.T) - 1
    m.soc_dynamics = pyo.Constraint(m.T, doc="the step before the first is the last: cyclic year", rule=lambda m, t: (
        m.soc_above_min_kwh[t] == m.soc_above_min_kwh[t - 1 if t else last] + _stored_in_step(m, t)))


def _state_of_charge_over_typical_days(m: pyo.ConcreteModel, inp: Inputs) -> None:
    """Storage across the days of the year when the steps are typical days (Kotzur et al., 2018).

    Within a typical day the state of charge is counted from the day's start (`soc_kwh`, may be
    negative); each day of the year starts from what the previous day left (`soc_start_kwh`) and
    adds its typical day's net change. The bounds hold at every step of every day of the year
    through each typical day's highest and lowest point.
    """
    td = inp.typical_days
    per_day, order = td.steps_per_day, td.order.tolist()
    m.D = pyo.RangeSet(0, td.count - 1, doc="typical days")
    m.K = pyo.RangeSet(0, len(order) - 1, doc="days of the year")
    m.soc_kwh = pyo.Var(m.T, doc="energy stored at the end of the step, counted from the day's start (kWh)")
    m.soc_dynamics = pyo.Constraint(m.T, doc="each typical day starts from 0", rule=lambda m, t: (
        m.soc_kwh[t] == (m.soc_kwh[t - 1] if t % per_day else 0) + _stored_in_step(m, t)))
    m.soc_day_high = pyo.Var(m.D, within=_NON_NEG, doc="highest point of the typical day above its start (kWh)")
    m.soc_day_low = pyo.Var(m.D, within=pyo.NonPositiveReals, doc="lowest point below its start (kWh)")
    m.soc_below_high = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] <= m.soc_day_high[t // per_day])
    m.soc_above_low = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] >= m.soc_day_low[t // per_day])
    m.soc_start_kwh = pyo.Var(m.K, within=_NON_NEG, doc="energy stored at the start of each day of the year (kWh)")
    last = len(order) - 1
    m.soc_days = pyo.Constraint(m.K, doc="each day starts where the one before ended; the year is cyclic",
                                rule=lambda m, k: m.soc_start_kwh[k + 1 if k < last else 0] == m.soc_start_kwh[k]
                                + m.soc_kwh[(order[k] + 1) * per_day - 1])
    m.soc_ceiling = pyo.Constraint(m.K, rule=lambda m, k: m.soc_start_kwh[k] + m.soc_day_high[order[k]]
                                   <= m.storage_soc_max * m.storage_kwh)
    m.soc_floor = pyo.Constraint(m.K, rule=lambda m, k: m.soc_start_kwh[k] + m.soc_day_low[order[k]]
                                 >= m.storage_soc_min * m.storage_kwh)


# --- green power -----------------------------------------------------------------------------


def green_power_data(inp: Inputs) -> Values:
    g = inp.green_power
    if g is None:
        return {}
    values: Values = {"green_price_per_kwh": g.price_per_kwh, "green_max_mwh": g.max_mwh,
                      "green_kw_per_mwh": g.profile_share * 1000.0 / inp.step_h}
    if g.min_mwh > 0:
        values["green_min_mwh"] = g.min_mwh
    return values


def add_green_power(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """A yearly PPA volume delivered along a fixed shape; optional minimum contract size."""
    g = inp.green_power
    if g is None:
        return
    _declare(m, green_power_data(inp))
    m.green_mwh = pyo.Var(within=_NON_NEG, bounds=(0, m.green_max_mwh), doc="green power bought (MWh/yr)")
    if g.min_mwh > 0:
        m.green_bought = pyo.Var(within=pyo.Binary, doc="a PPA signed")
        m.green_at_least_min = pyo.Constraint(expr=m.green_mwh >= m.green_min_mwh * m.green_bought)
        m.green_only_if_bought = pyo.Constraint(expr=m.green_mwh <= m.green_max_mwh * m.green_bought)
    m.green_kw = pyo.Expression(m.T, rule=lambda m, t: m.green_kw_per_mwh[t] * m.green_mwh, doc="delivered (kW)")
    m.cost_green_power = pyo.Expression(expr=1000.0 * m.green_price_per_kwh * m.green_mwh)
    ledger.supply.append(m.green_kw)
    ledger.costs.append("cost_green_power")


# --- demand charge ---------------------------------------------------------------------------


def demand_charge_data(inp: Inputs) -> Values:
    return {"demand_charge_per_kw_month": inp.demand_charge_per_kw_month} if inp.demand_charge_per_kw_month > 0 else {}


def add_demand_charge(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Monthly charge on the peak withdrawal from the grid, green power included."""
    if inp.demand_charge_per_kw_month <= 0:
        return
    _declare(m, demand_charge_data(inp))
    pairs = month_steps(inp)
    m.M = pyo.Set(initialize=sorted({month for month, _ in pairs}), doc="months")
    m.peak_kw = pyo.Var(m.M, within=_NON_NEG, doc="month's peak withdrawal (kW)")
    green = m.component("green_kw")
    m.peak_def = pyo.Constraint(pairs, rule=lambda m, month, t: m.peak_kw[month] >= m.grid_import_kw[t] + (
        green[t] if green is not None else 0))
    m.cost_demand = pyo.Expression(expr=m.demand_charge_per_kw_month * sum(m.peak_kw[mo] for mo in m.M))
    ledger.costs.append("cost_demand")


def month_steps(inp: Inputs) -> list[tuple[int, int]]:
    """(month, step) pairs: a month's peak is over these steps (a typical day counts in every
    month it stands for a day of)."""
    td = inp.typical_days
    if td is None:
        return list(zip(inp.month.tolist(), range(len(inp.load_kw)), strict=True))
    months = td.day_months
    return [(int(month), d * td.steps_per_day + h) for d in range(td.count)
            for month in sorted(set(months[td.order == d].tolist())) for h in range(td.steps_per_day)]


# --- certificates and credits ----------------------------------------------------------------


def certificates_data(inp: Inputs) -> Values:
    c = inp.certificates
    if c is None:
        return {}
    return {"certificate_price_per_mwh": c.price_per_mwh, "certificates_max_mwh": _cap(c.max_mwh)}


def add_certificates(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Green certificates: one per MWh, never more than the grid energy they cover."""
    if inp.certificates is None:
        return
    _declare(m, certificates_data(inp))
    m.certificates_mwh = pyo.Var(within=_NON_NEG, bounds=(0, m.certificates_max_mwh), doc="certificates (MWh)")
    m.certificates_cover_import = pyo.Constraint(expr=m.certificates_mwh <= m.grid_import_mwh)
    m.cost_certificates = pyo.Expression(expr=m.certificate_price_per_mwh * m.certificates_mwh)
    ledger.costs.append("cost_certificates")


def credits_data(inp: Inputs) -> Values:
    c = inp.credits
    if c is None:
        return {}
    return {"credit_price_per_t": c.price_per_t, "max_offset_share": c.max_offset_share}


def add_credits(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Carbon credits, retired at a price; their cap is set with the emissions (reduce first)."""
    if inp.credits is None:
        return
    _declare(m, credits_data(inp))
    m.credits_t = pyo.Var(within=_NON_NEG, doc="credits retired (tCO2e)")
    m.cost_credits = pyo.Expression(expr=m.credit_price_per_t * m.credits_t)
    ledger.costs.append("cost_credits")


# --- emissions -------------------------------------------------------------------------------


def emissions_data(inp: Inputs) -> Values:
    values: Values = {"grid_factor_t_per_mwh": 1000.0 * inp.grid_factor_t_per_kwh, "scope1_t": inp.scope1_t,
                      "load_mwh": inp.load_kwh / 1000.0}
    if inp.max_net_t is not None:
        values["max_net_t"] = inp.max_net_t
    return values


def add_emissions(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Scope 1, scope 2 (location and market based), net emissions, the offset cap and the target."""
    _declare(m, emissions_data(inp))
    certificates_mwh = m.component("certificates_mwh")
    m.scope2_location_t = pyo.Expression(expr=m.grid_factor_t_per_mwh * m.grid_import_mwh)
    m.scope2_market_t = pyo.Expression(expr=m.grid_factor_t_per_mwh * (
        m.grid_import_mwh - (certificates_mwh if certificates_mwh is not None else 0)))
    credits_t = m.component("credits_t")
    # A variable, not an expression: the target row keeps a variable whatever the data (a clean grid
    # and no credits would otherwise leave it a constant, which the compiler drops).
    m.net_t = pyo.Var(within=pyo.Reals, doc="net emissions (tCO2e)")
    m.net_definition = pyo.Constraint(
        expr=m.net_t == m.scope1_t + m.scope2_market_t - (credits_t if credits_t is not None else 0))
    if credits_t is not None:
        m.bau_t = pyo.Expression(expr=m.scope1_t + m.grid_factor_t_per_mwh * m.load_mwh,
                                 doc="business-as-usual emissions: every kWh from the grid")
        m.offset_cap = pyo.Constraint(expr=m.credits_t <= m.max_offset_share * m.bau_t)
    if inp.max_net_t is not None:
        m.target = pyo.Constraint(expr=m.net_t <= m.max_net_t, doc="emissions target")


# Each asset: the function adding it to a model and the function giving its Param values.
ASSETS: tuple[tuple[Callable, Callable[[Inputs], Values]], ...] = (
    (add_grid, grid_data),
    (add_pv, pv_data),
    (add_storage, storage_data),
    (add_green_power, green_power_data),
    (add_demand_charge, demand_charge_data),
    (add_certificates, certificates_data),
    (add_credits, credits_data),
    (add_emissions, emissions_data),
)
