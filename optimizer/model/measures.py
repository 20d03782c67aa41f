"""Efficiency measures: each taken whole or not at all, saving electricity, heat or a fuel for its life.

Equations (m: measures; take_m ∈ {0,1}; e_m,t the load it removes, kW; q_m,h,t the heat it removes
from demand h, kW, along the demand's profile; F_m the fixed fuels it saves, at their price p_F
and factor f_F):

    saved_t = Σ_m e_m,t · take_m                  [kW, a supply of the power balance: the load falls]
    heat demand h in step t falls by Σ_m q_m,h,t · take_m          (the heat asset's balance)
    scope 1 −= Σ_m f_F · F_m · take_m
    cost_measures = Σ_m (crf_m · capex_m − p_F · F_m) · take_m                     [currency/yr]

A measure is taken exactly when what it saves a year is worth more than its annuity; under a
target, when it cuts emissions more cheaply than the alternatives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import Asset, Decision, EmissionStep, Ledger, Size, Values, declare, lifetime_of

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


def pair(measure: str, demand: str) -> str:
    """The index of a measure's saving on one heat demand."""
    return f"{measure} → {demand}"


def heat_pairs(inp: Inputs) -> dict[str, tuple[str, str]]:
    """Each (measure, heat demand) with a saving, by its index."""
    return {pair(x.name, d): (x.name, d) for x in inp.measures for d in x.heat_saved_kw}


class Measures(Asset):
    name = "measures"
    section = "measures"
    cost_labels: ClassVar[dict[str, str]] = {"measures": "efficiency measures"}
    decisions = (Decision("measure_taken", "efficiency measure", "taken", "measure", per_item=True),)
    step = EmissionStep("efficiency measures", "cut", lambda s, f: -(
        s["measures"]["fuel_cut_t"] + s["measures"]["electricity_saved_mwh"] * f), shown=lambda s: "measures" in s)
    colors: ClassVar[dict[str, str]] = {"efficiency measures": "#008695"}
    supplies = ("measures_saved_kw",)
    own_use: ClassVar[dict[str, float]] = {"measures_saved_kw": -1.0}
    capital_cost = "cost_measures"

    def present(self, inp: Inputs) -> bool:
        return bool(inp.measures)

    def data(self, inp: Inputs) -> Values:
        zero = np.zeros(len(inp.load_kw))
        values: Values = {
            "measure_annuity": {x.name: x.crf * x.capex for x in inp.measures},
            "measure_fuel_saved_cost": {x.name: x.fuel_saved_cost for x in inp.measures},
            "measure_fuel_saved_t": {x.name: x.fuel_saved_t for x in inp.measures},
            "measure_electricity_saved_kw": {x.name: zero if x.electricity_saved_kw is None else x.electricity_saved_kw
                                             for x in inp.measures},
        }
        return values

    def structure(self, inp: Inputs) -> tuple:
        return tuple(x.name for x in inp.measures), tuple(heat_pairs(inp))

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        m.EM = pyo.Set(initialize=[x.name for x in inp.measures], ordered=True, doc="efficiency measures")
        declare(m, self.data(inp), items=m.EM)
        m.measure_taken = pyo.Var(m.EM, within=pyo.Binary, doc="measure taken")
        pairs = heat_pairs(inp)
        if pairs:
            m.MH = pyo.Set(initialize=list(pairs), ordered=True, doc="a measure's saving on a heat demand")
            saved = {pair(x.name, d): kw for x in inp.measures for d, kw in x.heat_saved_kw.items()}
            declare(m, {"measure_heat_saved_kw": saved}, items=m.MH)
        m.measures_saved_kw = pyo.Expression(m.T, doc="load the measures taken remove (kW)", rule=lambda m, t: sum(
            m.measure_electricity_saved_kw[x, t] * m.measure_taken[x] for x in m.EM))
        m.cost_measures = pyo.Expression(expr=sum(
            (m.measure_annuity[x] - m.measure_fuel_saved_cost[x]) * m.measure_taken[x] for x in m.EM))
        ledger.supply.append(m.measures_saved_kw)
        ledger.costs.append("cost_measures")
        ledger.scope1.append(-sum(m.measure_fuel_saved_t[x] * m.measure_taken[x] for x in m.EM))

    def sizes(self, inp: Inputs) -> list[Size]:
        return [Size("measure_taken", x.name, x.capex, 0.0, lifetime_of(x.lifetime_years), f"measure:{x.name}",
                     crf=x.crf)
                for x in inp.measures]

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        return {"measures_saved_kw": inp.on_calendar(series("measures_saved_kw"))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        if not inp.measures:
            return {"measures_taken": []}
        taken = {x.name: round(float(pyo.value(m.measure_taken[x.name]))) for x in inp.measures}
        weight_mwh = inp.weight_days * inp.step_h / 1000.0
        heat_mwh = sum(taken[x.name] * float((weight_mwh * kw).sum()) for x in inp.measures
                       for kw in x.heat_saved_kw.values())
        boiler_t = heat_mwh / inp.heat.boiler_efficiency * inp.heat.fuel_factor_t_per_mwh if inp.heat else 0.0
        electricity_mwh = float(hourly["measures_saved_kw"].sum() * inp.step_h / 1000.0)
        return {
            "measures_taken": [name for name, on in taken.items() if on],
            "measure_taken": taken,
            "measures": {"electricity_saved_mwh": electricity_mwh, "heat_saved_mwh": heat_mwh,
                         "fuel_cut_t": boiler_t + sum(taken[x.name] * x.fuel_saved_t for x in inp.measures)},
            "investment": {"measures": sum(taken[x.name] * x.capex for x in inp.measures)},
        }


def most_saved_kw(inp: Inputs) -> np.ndarray:
    """What every measure on offer, all taken, would save of the load in each step (kW): the least
    the plant can use is the load less this (a bound for export's rows)."""
    return sum((x.electricity_saved_kw for x in inp.measures if x.electricity_saved_kw is not None),
               start=np.zeros(len(inp.load_kw)))
