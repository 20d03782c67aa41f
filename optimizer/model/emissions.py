"""Emissions: scope 1, scope 2 by both methods, net emissions, the offset cap and the target.

Equations (f: grid average factor, f_r: residual factor, tCO2e/MWh; all in tCO2e/yr):

    scope2_location = f · (grid_import_mwh + green_used_mwh)     (all electricity taken through the grid)
    scope2_market   = f_r · (grid_import_mwh − certificates_mwh)  (green power used and on-site PV at zero)
    scope1          = fixed fuels + what assets burn or save (the boiler's fuel, measures' fuel savings)
    net             = scope1 + scope2_market − credits_t
    bau             = scope1_bau + f_r · load_mwh                 (every kWh from the grid, the boiler meets all heat)
    credits_t ≤ max_offset_share · base                          (base: base_emissions_t, else bau)
    net ≤ max_net_t                                              (with a target; 0 for net zero)

Exported PV and resold green power are never claimed. The renewable shares (figures only):

    annual = (pv_self + green_used + certificates) / intake        (intake: use plus battery losses)
    hourly = Σ_t min(use_t, r_t − rc_t + ρ · discharge_t) / Σ_t use_t

with use_t the plant's own use (the load, less what measures save, plus the electricity for heat),
r_t the renewable electricity taken in step t (PV used on site, green power used),
rc_t = min(charge_t, r_t) the battery's charging from it (renewable first), and
ρ = Σ rc_t / Σ charge_t the renewable share of what the battery holds: the 24/7 carbon-free
score of the plant's own supply (grid electricity counts as not renewable, certificates not at all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import Asset, Ledger, Values, declare, value_of


def registry_assets() -> list[Asset]:
    """The registry's assets (imported late: the registry imports this module)."""
    from optimizer.model.registry import ASSETS

    return ASSETS

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Emissions(Asset):
    name = "emissions"

    def data(self, inp: Inputs) -> Values:
        values: Values = {"grid_factor_t_per_mwh": 1000.0 * inp.grid_factor_t_per_kwh,
                          "market_factor_t_per_mwh": 1000.0 * inp.market_factor_t_per_kwh,
                          "scope1_fixed_t": inp.scope1_t}
        if inp.credits is not None:
            values["offset_base_t"] = inp.offset_base_t
        if inp.max_net_t is not None:
            values["max_net_t"] = inp.max_net_t
        return values

    def structure(self, inp: Inputs) -> bool:
        return inp.max_net_t is not None

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        certificates_mwh = m.component("certificates_mwh")
        m.scope2_market_t = pyo.Expression(expr=m.market_factor_t_per_mwh * (
            m.grid_import_mwh - (certificates_mwh if certificates_mwh is not None else 0)))
        credits_t = m.component("credits_t")
        # A variable, not an expression: the target row keeps a variable whatever the data (a clean grid
        # and no credits would otherwise leave it a constant, which the compiler drops).
        m.net_t = pyo.Var(within=pyo.Reals, doc="net emissions (tCO2e)")
        m.scope1 = pyo.Expression(expr=m.scope1_fixed_t + sum(ledger.scope1), doc="scope 1: fixed fuels, boiler")
        m.net_definition = pyo.Constraint(
            expr=m.net_t == m.scope1 + m.scope2_market_t - (credits_t if credits_t is not None else 0))
        if credits_t is not None:
            m.offset_cap = pyo.Constraint(expr=m.credits_t <= m.max_offset_share * m.offset_base_t)
        if inp.max_net_t is not None:
            m.target = pyo.Constraint(expr=m.net_t <= m.max_net_t, doc="emissions target")

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        through_grid_mwh = float((hourly["grid_import_kw"] + hourly["green_power_kw"]).sum() * to_mwh)
        return {
            "emissions": {
                "scope1_t": value_of(m, "scope1"),
                "scope2_location_t": value_of(m, "grid_factor_t_per_mwh") * through_grid_mwh,
                "scope2_market_t": value_of(m, "scope2_market_t"),
                "credits_t": value_of(m, "credits_t"),
                "net_t": value_of(m, "net_t"),
                "grid_factor_t_per_mwh": value_of(m, "grid_factor_t_per_mwh"),
                "residual_factor_t_per_mwh": value_of(m, "market_factor_t_per_mwh"),
            },
            "energy": renewable_shares(hourly, value_of(m, "certificates_mwh") / to_mwh),
        }


def used_kw(hourly: pd.DataFrame) -> np.ndarray:
    """What the plant itself uses in each step (kW): the load, less what measures save, plus the
    electricity for heat (the assets' `own_use` columns); not what it stores or sells."""
    used = hourly["load_kw"].to_numpy(dtype=float).copy()
    for a in registry_assets():
        for column, sign in a.own_use.items():
            if column in hourly:
                used += sign * hourly[column].to_numpy(dtype=float)
    return used


def renewable_shares(hourly: pd.DataFrame, certificates_kwh_steps: float) -> dict[str, float]:
    """Both renewable shares of the plan (module docstring), from its table of flows on the calendar.

    `certificates_kwh_steps` is the certificates' volume in the table's units (kW summed over steps).
    """
    def columns(kind: str) -> list[str]:
        return [c for a in registry_assets() for c in getattr(a, kind) if c in hourly]

    renewable = hourly[columns("renewable")].sum(axis=1).to_numpy()
    intake = float(hourly[columns("intake")].to_numpy().sum())
    load = used_kw(hourly)
    charge = hourly["charge_kw"].to_numpy() if "charge_kw" in hourly else np.zeros(len(load))
    discharge = hourly["discharge_kw"].to_numpy() if "discharge_kw" in hourly else np.zeros(len(load))
    charged_renewable = np.minimum(charge, renewable)
    held_share = charged_renewable.sum() / charge.sum() if charge.sum() > 0 else 0.0
    met = np.minimum(load, renewable - charged_renewable + held_share * discharge).clip(min=0.0)
    return {"renewable_share_annual": float((renewable.sum() + certificates_kwh_steps) / intake) if intake > 0 else 0.0,
            "renewable_share_hourly": float(met.sum() / load.sum()) if load.sum() > 0 else 0.0}


def bau_emissions(inp: Inputs) -> dict[str, float]:
    """The emissions of the plant when it takes no measure: every kWh from the grid, no credits."""
    load_mwh = inp.load_kwh / 1000.0
    grid, market = 1000.0 * inp.grid_factor_t_per_kwh, 1000.0 * inp.market_factor_t_per_kwh
    return {"scope1_t": inp.bau_scope1_t, "scope2_location_t": grid * load_mwh, "scope2_market_t": market * load_mwh,
            "credits_t": 0.0, "net_t": inp.bau_scope1_t + market * load_mwh, "grid_factor_t_per_mwh": grid,
            "residual_factor_t_per_mwh": market}
