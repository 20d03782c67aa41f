"""The demand charge: a monthly price on the highest withdrawal from the grid, green power included.

Equations (M: months; a typical day counts in every month it stands for a day of):

    peak_mo ≥ import_t + green_used_t                 ∀ steps t of month mo        [kW]
    cost_demand = demand_charge_per_kw_month · Σ_mo peak_mo                       [currency/yr]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Asset, Ledger, Values, declare

if TYPE_CHECKING:
    from models.inputs import Inputs


class DemandCharge(Asset):
    name = "demand_charge"
    cost_labels: ClassVar[dict[str, str]] = {"demand": "demand charges"}
    colors: ClassVar[dict[str, str]] = {"demand charges": "#b3b3b3"}

    def present(self, inp: Inputs) -> bool:
        return inp.demand_charge_per_kw_month > 0

    def data(self, inp: Inputs) -> Values:
        return {"demand_charge_per_kw_month": inp.demand_charge_per_kw_month}

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        pairs = month_steps(inp)
        m.M = pyo.Set(initialize=sorted({month for month, _ in pairs}), doc="months")
        m.peak_kw = pyo.Var(m.M, within=NON_NEG, doc="month's peak withdrawal (kW)")
        green = m.component("green_used_kw")
        m.peak_def = pyo.Constraint(pairs, rule=lambda m, month, t: m.peak_kw[month] >= m.grid_import_kw[t] + (
            green[t] if green is not None else 0))
        m.cost_demand = pyo.Expression(expr=m.demand_charge_per_kw_month * sum(m.peak_kw[mo] for mo in m.M))
        ledger.costs.append("cost_demand")

    def bau_costs(self, inp: Inputs) -> dict[str, float]:
        peaks: dict[int, float] = {}
        for month, t in month_steps(inp):
            peaks[month] = max(peaks.get(month, 0.0), float(inp.load_kw[t]))
        return {"demand": inp.demand_charge_per_kw_month * float(np.sum(list(peaks.values())))}


def month_steps(inp: Inputs) -> list[tuple[int, int]]:
    """(month, step) pairs: a month's peak is over these steps (a typical day counts in every
    month it stands for a day of)."""
    td = inp.typical_days
    if td is None:
        return list(zip(inp.month.tolist(), range(len(inp.load_kw)), strict=True))
    months = td.day_months
    return [(int(month), d * td.steps_per_day + h) for d in range(td.count)
            for month in sorted(set(months[td.order == d].tolist())) for h in range(td.steps_per_day)]
