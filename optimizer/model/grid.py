"""The grid connection: electricity imported at the time-of-use price, and the fixed fuels bought.

Equations (t: time steps of Δt h; w_t: days a step stands for, 1 unless typical days):

    grid_import_mwh = Δt / 1000 · Σ_t w_t · import_t                  [MWh/yr]
    cost_energy     = Δt · Σ_t w_t · price_t · import_t               [currency/yr, price per kWh]
    cost_fuel       = Σ_fuels annual_mwh · price_per_mwh              [currency/yr, fixed fuels]

`import_t` (kW) is a supply of the energy balance; the fixed fuels' cost is a constant of the plan
(the boiler's fuel, when heat is modelled, is the heat asset's decision).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Asset, Decision, Ledger, Values, declare, weighted

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Grid(Asset):
    name = "grid"
    cost_labels: ClassVar[dict[str, str]] = {"energy": "grid energy", "fuel": "fuel"}
    decisions = (Decision("grid_import_mwh", "bought from the grid", "MWh", "grid import", kind="flow", yearly=True),)
    colors: ClassVar[dict[str, str]] = {"grid energy": "#7f7f7f", "grid": "#7f7f7f", "fuel": "#a5672f"}

    def data(self, inp: Inputs) -> Values:
        values: Values = {"load_kw": inp.load_kw, "price_per_kwh": inp.price_per_kwh, "fuel_cost": inp.fuel_cost}
        if inp.typical_days is not None:
            values["weight_days"] = inp.weight_days
        return values

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.grid_import_kw = pyo.Var(m.T, within=NON_NEG, doc="power from the grid (kW)")
        m.grid_import_mwh = pyo.Var(within=NON_NEG, doc="yearly grid import (MWh)")
        m.grid_import_total = pyo.Constraint(
            expr=m.grid_import_mwh == m.step_h / 1000.0 * sum(weighted(m, t, m.grid_import_kw[t]) for t in m.T),
            doc="in MWh, so the row's activity stays near 1e5 and round-off below tolerance",
        )
        m.cost_energy = pyo.Expression(
            expr=m.step_h * sum(weighted(m, t, m.price_per_kwh[t] * m.grid_import_kw[t]) for t in m.T),
            doc="energy bill"
        )
        m.cost_fuel = pyo.Expression(expr=m.fuel_cost, doc="fuel bill")
        ledger.supply.append(m.grid_import_kw)
        ledger.costs += ["cost_energy", "cost_fuel"]

    supplies = ("grid_import_kw",)
    intake = ("grid_import_kw",)

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        return {"grid_import_kw": inp.on_calendar(series("grid_import_kw"))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        withdrawal = hourly["grid_import_kw"] + hourly["green_power_kw"]
        return {
            "grid_import_mwh": float(hourly["grid_import_kw"].sum() * to_mwh),
            "energy": {"load_mwh": float(hourly["load_kw"].sum() * to_mwh)},
            "peak_withdrawal_kw": {int(mo): float(v) for mo, v in withdrawal.groupby(hourly.index.month).max().items()},
        }

    def bau_costs(self, inp: Inputs) -> dict[str, float]:
        energy = inp.step_h * float(np.sum(inp.weight_days * inp.price_per_kwh * inp.load_kw))
        return {"energy": energy, "fuel": float(inp.fuel_cost)}
