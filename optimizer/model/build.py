"""Building the Pyomo model of `Inputs` from the registry, and updating its Params in place.

    min  Σ_assets annual cost
    s.t. Σ supply_t = load_t + Σ demand_t                                   ∀t   [kW]

Each asset adds its flows to the balance and its cost terms to the objective (see each asset's
module for its equations). `update_model` sets the Params from new `Inputs` of the same
structure (`structure_key`), so HiGHS can re-solve in place instead of rebuilding.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import Ledger, set_param
from optimizer.model.registry import ASSETS

if TYPE_CHECKING:
    from models.inputs import Inputs


def build_model(inp: Inputs) -> pyo.ConcreteModel:
    """The Pyomo model of `inp`; a pure function of the data, no file reading inside."""
    m = pyo.ConcreteModel(name=inp.name)
    costs = populate(m, inp)
    m.total_cost = pyo.Objective(expr=sum(costs), sense=pyo.minimize, doc="annual cost")
    return m


def populate(m: pyo.Block, inp: Inputs) -> list:
    """Declare one year of `inp` on `m` (a model, or a roadmap's block): its steps, every present
    asset and the energy balance; returns the cost terms, also listed by name in `m.cost_terms`."""
    m.T = pyo.RangeSet(0, len(inp.load_kw) - 1, doc="time steps")
    m.step_h = pyo.Param(initialize=inp.step_h, doc="length of a step (h)")
    m.A = pyo.Set(initialize=[a.name for a in inp.pv.arrays] if inp.pv else [], ordered=True, doc="PV arrays")
    ledger = Ledger()
    for asset in ASSETS:
        if asset.present(inp):
            asset.add(m, inp, ledger)
    m.balance = pyo.Constraint(
        m.T, doc="energy balance of each step (kW)",
        rule=lambda m, t: sum(f[t] for f in ledger.supply) == m.load_kw[t] + sum(f[t] for f in ledger.demand),
    )
    m.cost_terms = list(ledger.costs)
    m.round_down = list(ledger.round_down)
    return [m.component(c) for c in ledger.costs]


def structure_key(inp: Inputs) -> tuple[tuple[str, Hashable], ...]:
    """What decides the model's shape, by part: two `Inputs` with equal keys differ only in Param values."""
    # Months of steps follow from the count of steps: every model year drops 29 February.
    td = inp.typical_days
    steps = (len(inp.load_kw), inp.step_h, tuple(np.unique(inp.month).tolist()),
             (td.steps_per_day, tuple(td.order.tolist())) if td else None)
    return (("steps", steps), *((a.name, a.structure(inp)) for a in ASSETS))


def structure_changes(old: tuple, new: tuple) -> list[str]:
    """The parts of the structure that differ between two keys, by name ('steps', 'storage', ...)."""
    old_parts, new_parts = dict(old), dict(new)
    return [name for name in dict.fromkeys([*old_parts, *new_parts]) if old_parts.get(name) != new_parts.get(name)]


def update_model(m: pyo.ConcreteModel, inp: Inputs) -> set[str]:
    """Set the model's Params from `inp` (same `structure_key`); returns the names that changed."""
    changed = set()
    for asset in (a for a in ASSETS if a.present(inp)):
        for name, value in asset.data(inp).items():
            if set_param(m.component(name), value):
                changed.add(name)
    return changed
