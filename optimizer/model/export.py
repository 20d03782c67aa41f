"""Export: PV the plant cannot use, sold to the grid at the export price.

Equations (t: steps of Δt h; w_t day weights; p_e export price; p_t import price; y_a,t yield of
array a, kWh per kWp; X_t = Σ_a y_a,t / Δt · limit_a, the most the roofs can produce; u_t =
max(load_t − Σ_m e_m,t, 0) the least the plant can use, every efficiency measure taken; S: the
steps with PV output where selling while taking electricity in could pay, below):

    export_t ≤ pv_out_t                                                  [kW: only PV is sold]
    for t ∈ S, sell_t ∈ {0,1}:
        export_t ≤ max(X_t − u_t, 0) · sell_t,   export_t ≤ pv_out_t − u_t · sell_t
        import_t ≤ (load_t + C + H) · (1 − sell_t)
        green_used_t ≤ G_t · (1 − sell_t),    discharge_t ≤ (load_t + H) · (1 − sell_t)
    cost_export = − Δt · Σ_t w_t · p_e · export_t                        [revenue, every step at p_e]

In a step where it sells, the plant takes nothing through the grid and does not discharge its
battery, so every exported kWh is PV surplus: export = pv_out − (load − saved) − charge − heat
electricity. Hence a selling step's export is at most pv_out − u_t ≤ X_t − u_t (what measures save
may be sold too), and nothing where the roofs at their limit cannot cover the least the plant
uses (a bound's value, not the model's shape: a new load re-solves in place). In a step where
it does not sell, the plant takes at most its load plus what the battery can charge (C = max_kw,
or what fills max_kwh, or, with no battery limit, a year's load; no battery: C = 0), green power
at most as delivered (G_t: the contract's shape at max_mwh), and its battery discharges at most
the load (more would go back into the battery, burning energy, which never lowers the cost); H is
the most electricity heat can take in a step (`heat.most_heat_electricity_kw`), added to both. So
no bound cuts a least-cost plan; the bounds are as tight as that allows, so branch and bound has
little to do.

S holds the steps with PV output where p_e ≥ p_t (buying to sell), or, with a battery,
η_c·η_d·p_e ≥ min_s p_s (storing grid energy to sell) or η_c·η_d = 1, or, with green power, p_e ≥ its resale
price (taking green power in to sell PV). In any other step, selling while taking a kWh in loses
money (the kWh costs more than it sells for; battery energy from PV could have been sold when it
was made, for more than what is left of it), so the least-cost plan never does it and the step
needs no binary. A binary exists only where it can bind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Asset, Decision, Ledger, Values, declare, weighted
from optimizer.model.heat import most_heat_electricity_kw
from optimizer.model.measures import most_saved_kw

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Export(Asset):
    name = "export"
    cost_labels: ClassVar[dict[str, str]] = {"export": "export revenue"}
    decisions = (Decision("export_mwh", "sold to the grid", "MWh", "export", kind="flow", yearly=True),)
    colors: ClassVar[dict[str, str]] = {"export revenue": "#80ba5a", "export": "#e68310"}
    demands = ("export_kw",)

    def present(self, inp: Inputs) -> bool:
        return inp.export_allowed and inp.pv is not None

    def data(self, inp: Inputs) -> Values:
        least_use_kw = (inp.load_kw - most_saved_kw(inp)).clip(min=0.0)
        return {"export_price_per_kwh": inp.export_price_per_kwh, "export_least_use_kw": least_use_kw,
                "export_most_kw": (_most_pv_kw(inp) - least_use_kw).clip(min=0.0),
                "import_most_kw": inp.load_kw + _most_charge_kw(inp) + most_heat_electricity_kw(inp),
                "discharge_most_kw": inp.load_kw + most_heat_electricity_kw(inp)}

    def structure(self, inp: Inputs) -> tuple[int, ...] | None:
        return tuple(selling_steps(inp).tolist()) if self.present(inp) else None

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.export_kw = pyo.Var(m.T, within=NON_NEG, doc="PV surplus sold (kW)")
        m.export_only_pv = pyo.Constraint(m.T, rule=lambda m, t: m.export_kw[t] <= m.pv_out_kw[t])
        m.S = pyo.Set(initialize=selling_steps(inp).tolist(), within=m.T, doc="steps where selling needs a binary")
        m.sell = pyo.Var(m.S, within=pyo.Binary, doc="the plant sells in this step")
        m.export_if_selling = pyo.Constraint(m.S, rule=lambda m, t: m.export_kw[t] <= m.export_most_kw[t] * m.sell[t])
        m.export_beyond_load = pyo.Constraint(m.S, rule=lambda m, t: m.export_kw[t]
                                              <= m.pv_out_kw[t] - m.export_least_use_kw[t] * m.sell[t])
        m.import_if_not_selling = pyo.Constraint(
            m.S, rule=lambda m, t: m.grid_import_kw[t] <= m.import_most_kw[t] * (1 - m.sell[t]))
        if m.component("green_used_kw") is not None:
            m.green_if_not_selling = pyo.Constraint(
                m.S, rule=lambda m, t: m.green_used_kw[t]  # G_t: green power's own Params
                <= m.green_kw_per_mwh[t] * m.green_max_mwh * (1 - m.sell[t]))
        if m.component("discharge_kw") is not None:
            m.discharge_if_not_selling = pyo.Constraint(
                m.S, rule=lambda m, t: m.discharge_kw[t] <= m.discharge_most_kw[t] * (1 - m.sell[t]))
        m.cost_export = pyo.Expression(expr=-m.step_h * sum(
            weighted(m, t, m.export_price_per_kwh * m.export_kw[t]) for t in m.T), doc="export revenue")
        ledger.demand.append(m.export_kw)
        ledger.costs.append("cost_export")
        ledger.round_down.append("sell")

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        return {"export_kw": inp.on_calendar(series("export_kw"))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        return {"export_mwh": float(hourly["export_kw"].sum() * inp.step_h / 1000.0)}


def selling_steps(inp: Inputs) -> np.ndarray:
    """The steps where selling while taking electricity in could pay (S in the module's equations)."""
    p_e, price = inp.export_price_per_kwh, inp.price_per_kwh
    could_pay = p_e >= price
    if (s := inp.storage) is not None:  # a lossless battery may store PV and sell it later at no loss: a tie
        round_trip = s.charge_efficiency * s.discharge_efficiency
        could_pay |= round_trip * p_e >= price.min() or round_trip >= 1.0
    if (g := inp.green_power) is not None:
        could_pay |= p_e >= g.resale_price_per_kwh
    return np.flatnonzero((_most_pv_kw(inp) > 0) & could_pay)


def _most_pv_kw(inp: Inputs) -> np.ndarray:
    """The most the roofs could produce in each step (kW): every array at its limit."""
    if inp.pv is None:
        return np.zeros(len(inp.load_kw))
    return sum(a.yield_kwh_per_kwp / inp.step_h * a.limit_kw for a in inp.pv.arrays)


def _most_charge_kw(inp: Inputs) -> float:
    """The most the battery can charge in one step (kW), C in the module's equations."""
    s = inp.storage
    if s is None:
        return 0.0
    limits = [s.max_kw] if s.max_kw is not None else []
    if s.max_kwh is not None:
        limits.append((s.soc_max - s.soc_min) * s.max_kwh / (s.charge_efficiency * inp.step_h))
    return min(limits) if limits else inp.load_kwh / (s.charge_efficiency * inp.step_h)
