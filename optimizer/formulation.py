"""The MILP: least annual cost of a plant's energy supply under an emissions target.

One function per asset adds its variables, constraints and cost terms; the energy balance is
the sum of the assets' flows and the objective the sum of their cost terms. Powers are kW,
energies kWh (volumes bought by the year in MWh), emissions tCO2e, money the scenario's currency.
Everything a sweep may change is a mutable Param, so a persistent solver can re-solve in place.

    min  Σ_assets annual cost
    s.t. import_t + pv_out_t + discharge_t + green_t = load_t + charge_t + export_t   ∀t
         net_t = scope1 + f_grid·(Σ_t import_t·Δt / 1000 − certificates) − credits ≤ target
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import floor

import pyomo.environ as pyo

from models.inputs import Inputs

_NON_NEG = pyo.NonNegativeReals


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
    m.load_kw = pyo.Param(m.T, initialize=dict(enumerate(inp.load_kw.tolist())), doc="plant load (kW)")
    ledger = _Ledger()
    add_grid(m, inp, ledger)
    add_pv(m, inp, ledger)
    add_storage(m, inp, ledger)
    add_green_power(m, inp, ledger)
    add_demand_charge(m, inp, ledger)
    add_certificates(m, inp, ledger)
    add_credits(m, inp, ledger)
    add_emissions(m, inp, ledger)

    m.balance = pyo.Constraint(
        m.T, doc="energy balance of each step (kW)",
        rule=lambda m, t: sum(f[t] for f in ledger.supply) == m.load_kw[t] + sum(f[t] for f in ledger.demand),
    )
    m.cost_terms = list(ledger.costs)
    m.total_cost = pyo.Objective(expr=sum(m.component(c) for c in ledger.costs), sense=pyo.minimize,
                                 doc="annual cost")
    return m


def add_grid(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Import at the time-of-use price; fuels as a fixed cost."""
    m.price_per_kwh = pyo.Param(m.T, mutable=True, initialize=dict(enumerate(inp.price_per_kwh.tolist())),
                                doc="energy price (currency/kWh)")
    m.grid_import_kw = pyo.Var(m.T, within=_NON_NEG, doc="power from the grid (kW)")
    m.grid_import_mwh = pyo.Var(within=_NON_NEG, doc="yearly grid import (MWh)")
    m.grid_import_total = pyo.Constraint(
        expr=m.grid_import_mwh == m.step_h / 1000.0 * sum(m.grid_import_kw[t] for t in m.T),
        doc="in MWh, so the row's activity stays near 1e5 and round-off below tolerance",
    )
    m.cost_energy = pyo.Expression(
        expr=m.step_h * sum(m.price_per_kwh[t] * m.grid_import_kw[t] for t in m.T), doc="energy bill"
    )
    m.fuel_cost = pyo.Param(mutable=True, initialize=inp.fuel_cost, doc="fuel bill (currency)")
    m.cost_fuel = pyo.Expression(expr=m.fuel_cost)
    ledger.supply.append(m.grid_import_kw)
    ledger.costs += ["cost_energy", "cost_fuel"]


def add_pv(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """PV per array up to its roof limit; output may be curtailed; surplus exported if allowed."""
    if inp.pv is None:
        return
    pv = inp.pv
    names = [a.name for a in pv.arrays]
    m.A = pyo.Set(initialize=names, ordered=True, doc="PV arrays")
    m.pv_capex_per_kw = pyo.Param(mutable=True, initialize=pv.capex_per_kw)
    m.pv_om_per_kw_year = pyo.Param(mutable=True, initialize=pv.fixed_om_per_kw_year)
    m.pv_crf = pyo.Param(mutable=True, initialize=pv.crf, doc="capital recovery factor")
    m.pv_limit_kw = pyo.Param(m.A, mutable=True, initialize={a.name: a.limit_kw for a in pv.arrays})
    m.pv_fixed_cost = pyo.Param(m.A, mutable=True, initialize={a.name: a.fixed_cost for a in pv.arrays})
    m.pv_kw = pyo.Var(m.A, within=_NON_NEG, bounds=lambda m, a: (0, m.pv_limit_kw[a]), doc="PV size (kWp)")
    fixed = [a.name for a in pv.arrays if a.fixed_cost > 0]
    m.A_fixed = pyo.Set(initialize=fixed, within=m.A, doc="arrays with a fixed cost")
    m.pv_built = pyo.Var(m.A_fixed, within=pyo.Binary, doc="array built")
    m.pv_only_if_built = pyo.Constraint(m.A_fixed, rule=lambda m, a: m.pv_kw[a] <= m.pv_limit_kw[a] * m.pv_built[a])

    kw_per_kwp = {a.name: (a.yield_kwh_per_kwp / inp.step_h).tolist() for a in pv.arrays}
    m.pv_out_kw = pyo.Var(m.T, within=_NON_NEG, doc="PV output used or exported (kW)")
    m.pv_available = pyo.Constraint(
        m.T, rule=lambda m, t: m.pv_out_kw[t] <= sum(kw_per_kwp[a][t] * m.pv_kw[a] for a in m.A)
    )
    m.cost_pv = pyo.Expression(expr=sum(
        m.pv_crf * m.pv_capex_per_kw * m.pv_kw[a] + m.pv_om_per_kw_year * m.pv_kw[a] for a in m.A
    ) + sum(m.pv_crf * m.pv_fixed_cost[a] * m.pv_built[a] for a in m.A_fixed))
    ledger.supply.append(m.pv_out_kw)
    ledger.costs.append("cost_pv")
    if inp.export_allowed:
        m.export_price_per_kwh = pyo.Param(mutable=True, initialize=inp.export_price_per_kwh)
        m.export_kw = pyo.Var(m.T, within=_NON_NEG, doc="PV surplus sold (kW)")
        m.export_only_pv = pyo.Constraint(m.T, rule=lambda m, t: m.export_kw[t] <= m.pv_out_kw[t])
        m.cost_export = pyo.Expression(
            expr=-m.export_price_per_kwh * m.step_h * sum(m.export_kw[t] for t in m.T), doc="revenue"
        )
        ledger.demand.append(m.export_kw)
        ledger.costs.append("cost_export")


def add_storage(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Battery sized in kWh and kW, losses on both ways, state of charge cyclic over the year."""
    s = inp.storage
    if s is None:
        return
    for name in ("capex_per_kwh", "capex_per_kw", "fixed_om_per_kw_year", "crf", "fixed_cost",
                 "charge_efficiency", "discharge_efficiency", "soc_min", "soc_max"):
        m.add_component(f"storage_{name}", pyo.Param(mutable=True, initialize=getattr(s, name)))
    m.storage_kwh = pyo.Var(within=_NON_NEG, bounds=(0, s.max_kwh), doc="energy capacity (kWh)")
    m.storage_kw = pyo.Var(within=_NON_NEG, bounds=(0, s.max_kw), doc="power capacity (kW)")
    if s.unit_kwh:
        m.storage_units_kwh = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, floor(s.max_kwh / s.unit_kwh)))
        m.storage_kwh_blocks = pyo.Constraint(expr=m.storage_kwh == s.unit_kwh * m.storage_units_kwh)
    if s.unit_kw:
        m.storage_units_kw = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, floor(s.max_kw / s.unit_kw)))
        m.storage_kw_blocks = pyo.Constraint(expr=m.storage_kw == s.unit_kw * m.storage_units_kw)
    built = 0
    if s.fixed_cost > 0:
        m.storage_built = pyo.Var(within=pyo.Binary, doc="battery built")
        m.storage_kwh_if_built = pyo.Constraint(expr=m.storage_kwh <= s.max_kwh * m.storage_built)
        m.storage_kw_if_built = pyo.Constraint(expr=m.storage_kw <= s.max_kw * m.storage_built)
        built = m.storage_built

    m.charge_kw = pyo.Var(m.T, within=_NON_NEG, doc="battery charging (kW)")
    m.discharge_kw = pyo.Var(m.T, within=_NON_NEG, doc="battery discharging (kW)")
    m.soc_kwh = pyo.Var(m.T, within=_NON_NEG, doc="energy stored at the end of the step (kWh)")
    m.charge_limit = pyo.Constraint(m.T, rule=lambda m, t: m.charge_kw[t] <= m.storage_kw)
    m.discharge_limit = pyo.Constraint(m.T, rule=lambda m, t: m.discharge_kw[t] <= m.storage_kw)
    m.soc_floor = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] >= m.storage_soc_min * m.storage_kwh)
    m.soc_ceiling = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] <= m.storage_soc_max * m.storage_kwh)
    last = len(m.T) - 1
    m.soc_dynamics = pyo.Constraint(m.T, doc="the step before the first is the last: cyclic year", rule=lambda m, t: (
        m.soc_kwh[t] == m.soc_kwh[t - 1 if t else last]
        + m.step_h * (m.storage_charge_efficiency * m.charge_kw[t] - m.discharge_kw[t] / m.storage_discharge_efficiency)
    ))
    m.cost_storage = pyo.Expression(expr=m.storage_crf * (
        m.storage_capex_per_kwh * m.storage_kwh + m.storage_capex_per_kw * m.storage_kw
        + m.storage_fixed_cost * built
    ) + m.storage_fixed_om_per_kw_year * m.storage_kw)
    ledger.supply.append(m.discharge_kw)
    ledger.demand.append(m.charge_kw)
    ledger.costs.append("cost_storage")


def add_green_power(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """A yearly PPA volume delivered along a fixed shape; optional minimum contract size."""
    g = inp.green_power
    if g is None:
        return
    m.green_price_per_kwh = pyo.Param(mutable=True, initialize=g.price_per_kwh)
    m.green_max_mwh = pyo.Param(mutable=True, initialize=g.max_mwh)
    m.green_mwh = pyo.Var(within=_NON_NEG, bounds=(0, m.green_max_mwh), doc="green power bought (MWh/yr)")
    if g.min_mwh > 0:
        m.green_min_mwh = pyo.Param(mutable=True, initialize=g.min_mwh)
        m.green_bought = pyo.Var(within=pyo.Binary, doc="a PPA signed")
        m.green_at_least_min = pyo.Constraint(expr=m.green_mwh >= m.green_min_mwh * m.green_bought)
        m.green_only_if_bought = pyo.Constraint(expr=m.green_mwh <= m.green_max_mwh * m.green_bought)
    kw_per_mwh = (g.profile_share * 1000.0 / inp.step_h).tolist()
    m.green_kw = pyo.Expression(m.T, rule=lambda m, t: kw_per_mwh[t] * m.green_mwh, doc="delivered (kW)")
    m.cost_green_power = pyo.Expression(expr=1000.0 * m.green_price_per_kwh * m.green_mwh)
    ledger.supply.append(m.green_kw)
    ledger.costs.append("cost_green_power")


def add_demand_charge(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Monthly charge on the peak withdrawal from the grid, green power included."""
    if inp.demand_charge_per_kw_month <= 0:
        return
    month = inp.month.tolist()
    m.M = pyo.Set(initialize=sorted(set(month)), doc="months")
    m.demand_charge_per_kw_month = pyo.Param(mutable=True, initialize=inp.demand_charge_per_kw_month)
    m.peak_kw = pyo.Var(m.M, within=_NON_NEG, doc="month's peak withdrawal (kW)")
    green = m.green_kw if hasattr(m, "green_kw") else None
    m.peak_def = pyo.Constraint(m.T, rule=lambda m, t: m.peak_kw[month[t]] >= m.grid_import_kw[t] + (
        green[t] if green is not None else 0))
    m.cost_demand = pyo.Expression(expr=m.demand_charge_per_kw_month * sum(m.peak_kw[mo] for mo in m.M))
    ledger.costs.append("cost_demand")


def add_certificates(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Green certificates: one per MWh, never more than the grid energy they cover."""
    c = inp.certificates
    if c is None:
        return
    m.certificate_price_per_mwh = pyo.Param(mutable=True, initialize=c.price_per_mwh)
    m.certificates_mwh = pyo.Var(within=_NON_NEG, bounds=(0, c.max_mwh), doc="certificates (MWh)")
    m.certificates_cover_import = pyo.Constraint(
        expr=m.certificates_mwh <= m.grid_import_mwh
    )
    m.cost_certificates = pyo.Expression(expr=m.certificate_price_per_mwh * m.certificates_mwh)
    ledger.costs.append("cost_certificates")


def add_credits(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Carbon credits, capped at a share of business-as-usual emissions (reduce first)."""
    c = inp.credits
    if c is None:
        return
    m.credit_price_per_t = pyo.Param(mutable=True, initialize=c.price_per_t)
    m.max_offset_share = pyo.Param(mutable=True, initialize=c.max_offset_share)
    m.credits_t = pyo.Var(within=_NON_NEG, doc="credits retired (tCO2e)")
    ledger.costs.append("cost_credits")
    m.cost_credits = pyo.Expression(expr=m.credit_price_per_t * m.credits_t)


def add_emissions(m: pyo.ConcreteModel, inp: Inputs, ledger: _Ledger) -> None:
    """Scope 1, scope 2 (location and market based), net emissions, and the target."""
    m.grid_factor_t_per_mwh = pyo.Param(mutable=True, initialize=1000.0 * inp.grid_factor_t_per_kwh)
    m.scope1_t = pyo.Param(mutable=True, initialize=inp.scope1_t)
    certificates_mwh = m.certificates_mwh if hasattr(m, "certificates_mwh") else 0
    m.scope2_location_t = pyo.Expression(expr=m.grid_factor_t_per_mwh * m.grid_import_mwh)
    m.scope2_market_t = pyo.Expression(expr=m.grid_factor_t_per_mwh * (m.grid_import_mwh - certificates_mwh))
    credits_t = m.credits_t if hasattr(m, "credits_t") else 0
    m.net_t = pyo.Expression(expr=m.scope1_t + m.scope2_market_t - credits_t, doc="net emissions")
    if hasattr(m, "credits_t"):
        bau_t = m.scope1_t + m.grid_factor_t_per_mwh * inp.load_kwh / 1000.0
        m.offset_cap = pyo.Constraint(expr=m.credits_t <= m.max_offset_share * bau_t)
    if inp.max_net_t is not None:
        m.max_net_t = pyo.Param(mutable=True, initialize=inp.max_net_t)
        m.target = pyo.Constraint(expr=m.net_t <= m.max_net_t, doc="emissions target")
