"""Rooftop PV: kWp per roof up to its limit, output used, curtailed or (where allowed) exported.

Equations (a: arrays; y_a,t: yield of array a in step t, kWh per kWp; Δt h; w_t day weights):

    0 ≤ kwp_a ≤ limit_a,   kwp_a ≤ limit_a · built_a   (built_a ∈ {0,1}, arrays with a fixed cost)
    pv_out_t ≤ Σ_a y_a,t / Δt · kwp_a                            [kW; the rest is curtailed]
    cost_pv  = Σ_a (crf · capex_per_kw + om_per_kw_year) · kwp_a + Σ_a crf · fixed_cost_a · built_a

`pv_out_t` is a supply of the energy balance; what of it is sold is the export asset's.
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
    Size,
    Values,
    declare,
    lifetime_of,
)

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Pv(Asset):
    name = "pv"
    inputs_field = "pv"
    section = "pv"
    cost_labels: ClassVar[dict[str, str]] = {"pv": "rooftop PV"}
    decisions = (Decision("pv_kw", "PV on", "kWp", "PV", per_item=True, absent="not a roof here"),
                 Decision("pv_total_kw", "PV, all roofs", "kWp", "PV", strong=True))
    step = EmissionStep("rooftop PV", "cut",
                        lambda s, f: -s["energy"]["pv_self_consumed_mwh"] * f)
    colors: ClassVar[dict[str, str]] = {"rooftop PV": "#f2b701", "pv": "#f2b701"}
    capital_cost = "cost_pv"

    def data(self, inp: Inputs) -> Values:
        pv = inp.pv
        values: Values = {
            "pv_capex_per_kw": pv.capex_per_kw, "pv_om_per_kw_year": pv.fixed_om_per_kw_year, "pv_crf": pv.crf,
            "pv_limit_kw": {a.name: a.limit_kw for a in pv.arrays},
            "pv_fixed_cost": {a.name: a.fixed_cost for a in pv.arrays},
            "pv_kw_per_kwp": {a.name: a.yield_kwh_per_kwp / inp.step_h for a in pv.arrays},
        }
        return values

    def structure(self, inp: Inputs) -> tuple | None:
        if inp.pv is None:
            return None
        return tuple((a.name, a.fixed_cost > 0) for a in inp.pv.arrays)

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.pv_kw = pyo.Var(m.A, within=NON_NEG, bounds=lambda m, a: (0, m.pv_limit_kw[a]), doc="PV size (kWp)")
        m.A_fixed = pyo.Set(initialize=[a.name for a in inp.pv.arrays if a.fixed_cost > 0], within=m.A,
                            doc="arrays with a fixed cost")
        m.pv_built = pyo.Var(m.A_fixed, within=pyo.Binary, doc="array built")
        m.pv_only_if_built = pyo.Constraint(m.A_fixed,
                                            rule=lambda m, a: m.pv_kw[a] <= m.pv_limit_kw[a] * m.pv_built[a])
        m.pv_out_kw = pyo.Var(m.T, within=NON_NEG, doc="PV output used or exported (kW)")
        m.pv_available = pyo.Constraint(
            m.T, rule=lambda m, t: m.pv_out_kw[t] <= sum(m.pv_kw_per_kwp[a, t] * m.pv_kw[a] for a in m.A)
        )
        m.cost_pv = pyo.Expression(expr=sum(
            m.pv_crf * m.pv_capex_per_kw * m.pv_kw[a] + m.pv_om_per_kw_year * m.pv_kw[a] for a in m.A
        ) + sum(m.pv_crf * m.pv_fixed_cost[a] * m.pv_built[a] for a in m.A_fixed))
        ledger.supply.append(m.pv_out_kw)
        ledger.costs.append("cost_pv")

    def sizes(self, inp: Inputs) -> list[Size]:
        pv = inp.pv
        return [Size("pv_kw", a.name, pv.capex_per_kw, pv.fixed_om_per_kw_year, lifetime_of(pv.lifetime_years),
                     f"pv:{a.name}", a.fixed_cost, "pv_built" if a.fixed_cost > 0 else None, pv.crf) for a in pv.arrays]

    supplies = ("pv_out_kw",)
    intake = ("pv_self_kw",)
    renewable = ("pv_self_kw",)

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        available = np.zeros(len(inp.load_kw))
        if inp.pv is not None:
            available = sum(a.yield_kwh_per_kwp / inp.step_h * pyo.value(m.pv_kw[a.name]) for a in inp.pv.arrays)
        out, export = series("pv_out_kw"), series("export_kw")
        return {name: inp.on_calendar(values) for name, values in (
            ("pv_available_kw", available), ("pv_out_kw", out), ("pv_curtailed_kw", (available - out).clip(min=0.0)),
            ("pv_self_kw", out - export), ("export_kw", export))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        pv = inp.pv
        pv_kw = {a.name: float(pyo.value(m.pv_kw[a.name])) for a in pv.arrays} if pv else {}
        investment = 0.0
        if pv:
            investment = sum(pv.capex_per_kw * kw for kw in pv_kw.values()) + sum(
                a.fixed_cost for a in pv.arrays if pv_kw[a.name] > 1e-6)
        return {
            "pv_kw": pv_kw,
            "pv_total_kw": sum(pv_kw.values()),
            "pv_yield_kwh_per_kwp": {a.name: float((inp.weight_days * a.yield_kwh_per_kwp).sum())
                                     for a in pv.arrays} if pv else {},
            "energy": {
                "pv_generation_mwh": float(hourly["pv_out_kw"].sum() * to_mwh),
                "pv_self_consumed_mwh": float(hourly["pv_self_kw"].sum() * to_mwh),
                "pv_curtailed_mwh": float(hourly["pv_curtailed_kw"].sum() * to_mwh),
            },
            "investment": {"pv": investment},
        }

    def limits(self, inp: Inputs) -> list[Limit]:
        load_mwh = inp.load_kwh / 1000
        found = []
        for a in inp.pv.arrays if inp.pv else ():
            yield_kwh_per_kwp = max(float((inp.weight_days * a.yield_kwh_per_kwp).sum()), 1.0)
            found.append(Limit(f"PV array '{a.name}' is at its roof limit",
                               f"pv.arrays[{a.name}] max_kw or area_m2 × power_density_w_per_m2", "kWp", a.limit_kw,
                               10 * load_mwh * 1000 / yield_kwh_per_kwp + a.limit_kw,
                               lambda i, v, name=a.name: replace(i, pv=replace(i.pv, arrays=tuple(
                                   replace(x, limit_kw=v) if x.name == name else x for x in i.pv.arrays))),
                               lambda m, name=a.name: m.pv_kw[name]))
        return found

