"""A plan's lifecycle figures against business as usual: simple payback, NPV and IRR.

They come from the annual figures the model itself uses. What the plan builds or takes (PV, the
battery, heat equipment, efficiency measures, the fixed cost of a group) costs its capex I_k in
year 0. Every year after, the plant saves in cash what business as usual pays and the plan does
not, its annual cost without the annuities of what it builds:

    S = C_bau − (C_plan − Σ_k crf_k · I_k)          (energy, demand charges, fuel, purchases, O&M)

Over the horizon N, the longest life L_k of what is built, each item is bought again at its
capex at every multiple of its life before N, and the last one's remaining life comes back at N,
straight-line:

    cash_0 = −Σ_k I_k
    cash_t = S − Σ_k [t < N, t mod L_k = 0] · I_k + [t = N] · Σ_k I_k · (⌈N / L_k⌉ · L_k − N) / L_k
    NPV = Σ_t cash_t / (1 + r)^t,   IRR: the rate at which NPV = 0,   simple payback = Σ_k I_k / S

With every life equal to N, NPV = (C_bau − C_plan) · (1 − (1 + r)^−N) / r: the annual savings the
plan reports, over the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyomo.environ as pyo

    from models.inputs import Inputs


@dataclass(frozen=True)
class Bought:
    """What one item of the plan costs up front, how long it lasts, and its annuity factor."""

    capex: float
    lifetime_years: int
    crf: float


def bought(m: pyo.ConcreteModel, inp: Inputs) -> list[Bought] | None:
    """Each size and fixed cost the solved plan pays for; None when a lifetime is unknown (inputs by hand)."""
    import pyomo.environ as pyo

    from models.inputs.finance import capital_recovery_factor
    from optimizer.model.registry import ASSETS

    found: list[Bought] = []
    fixed_seen: set[str] = set()
    try:
        sizes = [s for a in ASSETS if a.present(inp) for s in a.sizes(inp)]
    except ValueError:
        return None
    for s in sizes:
        crf = s.crf if s.crf is not None else capital_recovery_factor(inp.discount_rate, s.lifetime_years)
        var = m.component(s.var)
        value = float(pyo.value(var[s.item] if s.item is not None else var))
        if s.capex * value > 0:
            found.append(Bought(s.capex * value, s.lifetime_years, crf))
        if s.built and s.fixed_cost > 0 and s.group not in fixed_seen:
            fixed_seen.add(s.group)
            flag = m.component(s.built)
            if float(pyo.value(flag[s.item] if s.item is not None and s.item in flag else flag)) > 0.5:
                found.append(Bought(s.fixed_cost, s.lifetime_years, crf))
    return found


def lifecycle(items: list[Bought], plan_cost: float, bau_cost: float, discount_rate: float) -> dict[str, Any]:
    """Investment, yearly cash savings, simple payback, NPV and IRR over the longest life (module docstring)."""
    invested = sum(b.capex for b in items)
    cash_savings = bau_cost - (plan_cost - sum(b.crf * b.capex for b in items))
    horizon = max((b.lifetime_years for b in items), default=0)
    flows = cash_flows(items, cash_savings, horizon)
    npv = present_value(flows, discount_rate) if horizon else None
    return {"investment": invested, "annual_cash_savings": cash_savings, "horizon_years": horizon,
            "simple_payback_years": invested / cash_savings if invested > 0 and cash_savings > 0 else None,
            "npv": npv, "irr": internal_rate(flows) if invested > 0 else None, "discount_rate": discount_rate}


def cash_flows(items: list[Bought], cash_savings: float, horizon: int) -> np.ndarray:
    """The plan's cash against business as usual in years 0..horizon (module docstring)."""
    flows = np.zeros(horizon + 1)
    flows[1:] = cash_savings
    for b in items:
        flows[0] -= b.capex
        for t in range(b.lifetime_years, horizon, b.lifetime_years):
            flows[t] -= b.capex
        if horizon:
            flows[horizon] += b.capex * (math.ceil(horizon / b.lifetime_years) * b.lifetime_years - horizon) \
                / b.lifetime_years
    return flows


def present_value(flows: np.ndarray, rate: float) -> float:
    """Σ_t flows_t / (1 + rate)^t."""
    return float(np.sum(flows / (1.0 + rate) ** np.arange(len(flows))))


def internal_rate(flows: np.ndarray) -> float | None:
    """The rate at which the flows' present value is zero, found by bisection between −99 % and
    1,000 % a year; None when there is none in that range (savings never repay the investment)."""
    low, high = -0.99, 10.0
    f_low, f_high = present_value(flows, low), present_value(flows, high)
    if f_low == 0 or np.sign(f_low) == np.sign(f_high):
        return None
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = present_value(flows, mid)
        if np.sign(f_mid) == np.sign(f_low):
            low, f_low = mid, f_mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2
