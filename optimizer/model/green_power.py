"""Green power (绿电, a PPA): a yearly volume delivered along a fixed shape, with an optional minimum.

Equations (s_t: share of the yearly volume delivered in step t, Σ_t s_t = 1; Δt h):

    0 ≤ green_mwh ≤ max_mwh
    min_mwh · signed ≤ green_mwh ≤ max_mwh · signed        (signed ∈ {0,1}, with a minimum contract)
    green_t = 1000 · s_t / Δt · green_mwh                   [kW, a supply of the energy balance]
    cost_green_power = 1000 · price_per_kwh · green_mwh     [currency/yr]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Asset, Decision, EmissionStep, Ledger, Limit, Values, declare, value_of

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class GreenPower(Asset):
    name = "green_power"
    inputs_field = "green_power"
    section = "green_power"
    cost_labels: ClassVar[dict[str, str]] = {"green_power": "green power"}
    decisions = (Decision("green_power_mwh", "green power bought (PPA)", "MWh", "green power", yearly=True),)
    step = EmissionStep("green power", "cut", lambda s, f: -s["green_power_mwh"] * f)
    colors: ClassVar[dict[str, str]] = {"green power": "#11a579"}

    def data(self, inp: Inputs) -> Values:
        g = inp.green_power
        values: Values = {"green_price_per_kwh": g.price_per_kwh, "green_max_mwh": g.max_mwh,
                          "green_kw_per_mwh": g.profile_share * 1000.0 / inp.step_h}
        if g.min_mwh > 0:
            values["green_min_mwh"] = g.min_mwh
        return values

    def structure(self, inp: Inputs) -> bool | None:
        return inp.green_power.min_mwh > 0 if inp.green_power else None

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        g = inp.green_power
        declare(m, self.data(inp))
        m.green_mwh = pyo.Var(within=NON_NEG, bounds=(0, m.green_max_mwh), doc="green power bought (MWh/yr)")
        if g.min_mwh > 0:
            m.green_bought = pyo.Var(within=pyo.Binary, doc="a PPA signed")
            m.green_at_least_min = pyo.Constraint(expr=m.green_mwh >= m.green_min_mwh * m.green_bought)
            m.green_only_if_bought = pyo.Constraint(expr=m.green_mwh <= m.green_max_mwh * m.green_bought)
        m.green_kw = pyo.Expression(m.T, rule=lambda m, t: m.green_kw_per_mwh[t] * m.green_mwh, doc="delivered (kW)")
        m.cost_green_power = pyo.Expression(expr=1000.0 * m.green_price_per_kwh * m.green_mwh)
        ledger.supply.append(m.green_kw)
        ledger.costs.append("cost_green_power")

    supplies = ("green_power_kw",)
    intake = ("green_power_kw",)

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        return {"green_power_kw": inp.on_calendar(series("green_kw"))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        return {"green_power_mwh": value_of(m, "green_mwh")}

    def limits(self, inp: Inputs) -> list[Limit]:
        g = inp.green_power
        if g is None:
            return []
        return [Limit("green power is bought up to its maximum", "green_power.max_mwh", "MWh", g.max_mwh,
                      10 * inp.load_kwh / 1000 + g.max_mwh,
                      lambda i, v: replace(i, green_power=replace(i.green_power, max_mwh=v)), lambda m: m.green_mwh)]
