"""Emissions: scope 1, scope 2 (location- and market-based), net emissions, the offset cap and the target.

Equations (f: grid factor, tCO2e/MWh; all in tCO2e/yr):

    scope2_location = f · grid_import_mwh
    scope2_market   = f · (grid_import_mwh − certificates_mwh)
    net             = scope1 + scope2_market − credits_t
    bau             = scope1 + f · load_mwh                  (every kWh from the grid)
    credits_t ≤ max_offset_share · bau                       (with credits)
    net ≤ max_net_t                                          (with a target; 0 for net zero)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
        values: Values = {"grid_factor_t_per_mwh": 1000.0 * inp.grid_factor_t_per_kwh, "scope1_t": inp.scope1_t,
                          "load_mwh": inp.load_kwh / 1000.0}
        if inp.max_net_t is not None:
            values["max_net_t"] = inp.max_net_t
        return values

    def structure(self, inp: Inputs) -> bool:
        return inp.max_net_t is not None

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
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

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        pv_self_mwh = float(hourly["pv_self_kw"].sum() * to_mwh)
        green_mwh, certificates_mwh = value_of(m, "green_mwh"), value_of(m, "certificates_mwh")
        intake = [hourly[c] for a in registry_assets() for c in a.intake]
        supplied_mwh = float(sum(intake[1:], start=intake[0]).sum() * to_mwh) if intake else 0.0
        return {
            "emissions": {
                "scope1_t": value_of(m, "scope1_t"),
                "scope2_location_t": value_of(m, "scope2_location_t"),
                "scope2_market_t": value_of(m, "scope2_market_t"),
                "credits_t": value_of(m, "credits_t"),
                "net_t": value_of(m, "net_t"),
                "grid_factor_t_per_mwh": value_of(m, "grid_factor_t_per_mwh"),
            },
            # Of all electricity taken in (load plus battery losses), the share that is renewable
            # by market-based accounting: PV used on site, green power, certificated grid energy.
            "energy": {"renewable_share": (pv_self_mwh + green_mwh + certificates_mwh) / supplied_mwh
                       if supplied_mwh > 0 else 0.0},
        }


def bau_emissions(inp: Inputs) -> dict[str, float]:
    """The emissions of the plant when it takes no measure: every kWh from the grid, no credits."""
    factor_t_per_mwh = 1000.0 * inp.grid_factor_t_per_kwh
    scope2_t = factor_t_per_mwh * (inp.load_kwh / 1000.0)
    return {"scope1_t": inp.scope1_t, "scope2_location_t": scope2_t, "scope2_market_t": scope2_t,
            "credits_t": 0.0, "net_t": inp.scope1_t + scope2_t, "grid_factor_t_per_mwh": factor_t_per_mwh}
