"""Green power (绿电, a PPA): a yearly volume delivered along a fixed shape; what the plant cannot
take in a step is resold, and only what it takes is its green electricity.

Equations (s_t: share of the yearly volume delivered in step t, Σ_t w_t s_t = 1; Δt h; w_t day weights;
r: resale price per kWh):

    0 ≤ green_mwh ≤ max_mwh
    min_mwh · signed ≤ green_mwh ≤ max_mwh · signed        (signed ∈ {0,1}, with a minimum contract)
    delivered_t = 1000 · s_t / Δt · green_mwh               [kW]
    0 ≤ green_used_t ≤ delivered_t                          [kW, a supply of the energy balance]
    cost_green_power = 1000 · price_per_kwh · green_mwh − r · Δt · Σ_t w_t (delivered_t − green_used_t)

Settlement in China: a green-power contract (绿电交易) is a medium- and long-term contract for
energy plus its green attribute. The attribute (and its certificates) passes only on volume the
plant consumes (the lesser of contract, generation and metered consumption); energy the plant
does not take is settled as a deviation, at the spot or deviation price where the province runs
one (docs/sources.md). So resold energy is not the plant's green electricity, and earns
`resale_price_per_kwh` (default 0: nothing recovered, the cautious reading where no spot price applies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import (
    NON_NEG,
    Asset,
    Decision,
    EmissionStep,
    Ledger,
    Limit,
    Values,
    declare,
    value_of,
    weighted,
)

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class GreenPower(Asset):
    name = "green_power"
    inputs_field = "green_power"
    section = "green_power"
    cost_labels: ClassVar[dict[str, str]] = {"green_power": "green power"}
    decisions = (Decision("green_power_mwh", "green power bought (PPA)", "MWh", "green power", yearly=True),)
    step = EmissionStep("green power", "cut",  # a summary from before resale: all of it was taken
                        lambda s, f: -s["energy"].get("green_power_used_mwh", s.get("green_power_mwh", 0.0)) * f)
    colors: ClassVar[dict[str, str]] = {"green power": "#11a579"}

    def data(self, inp: Inputs) -> Values:
        g = inp.green_power
        values: Values = {"green_price_per_kwh": g.price_per_kwh, "green_max_mwh": g.max_mwh,
                          "green_resale_per_kwh": g.resale_price_per_kwh,
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
        m.green_delivered_kw = pyo.Expression(m.T, rule=lambda m, t: m.green_kw_per_mwh[t] * m.green_mwh,
                                              doc="delivered along the contract's shape (kW)")
        m.green_used_kw = pyo.Var(m.T, within=NON_NEG, doc="green power the plant takes (kW)")
        m.green_used_within_delivery = pyo.Constraint(
            m.T, rule=lambda m, t: m.green_used_kw[t] <= m.green_delivered_kw[t])
        resold_kwh = m.step_h * sum(weighted(m, t, m.green_delivered_kw[t] - m.green_used_kw[t]) for t in m.T)
        m.cost_green_power = pyo.Expression(expr=1000.0 * m.green_price_per_kwh * m.green_mwh
                                            - m.green_resale_per_kwh * resold_kwh, doc="contract, less resold energy")
        ledger.supply.append(m.green_used_kw)
        ledger.costs.append("cost_green_power")

    supplies = ("green_power_kw",)
    intake = ("green_power_kw",)
    renewable = ("green_power_kw",)

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        used = series("green_used_kw")
        delivered = inp.green_power.profile_share * 1000.0 / inp.step_h * value_of(m, "green_mwh") \
            if inp.green_power else np.zeros(len(used))
        return {"green_power_kw": inp.on_calendar(used),
                "green_power_resold_kw": inp.on_calendar((delivered - used).clip(min=0.0))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        return {"green_power_mwh": value_of(m, "green_mwh"),
                "energy": {"green_power_used_mwh": float(hourly["green_power_kw"].sum() * to_mwh),
                           "green_power_resold_mwh": float(hourly["green_power_resold_kw"].sum() * to_mwh)}}

    def limits(self, inp: Inputs) -> list[Limit]:
        g = inp.green_power
        if g is None:
            return []
        return [Limit("green power is bought up to its maximum", "green_power.max_mwh", "MWh", g.max_mwh,
                      10 * inp.load_kwh / 1000 + g.max_mwh,
                      lambda i, v: replace(i, green_power=replace(i.green_power, max_mwh=v)), lambda m: m.green_mwh)]
