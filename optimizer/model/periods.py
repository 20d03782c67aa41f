"""A roadmap as one model: a block per model year, builds that serve for their lifetime, present value.

Each model year y is the single-year model of its own `Inputs` (every asset, the energy balance,
its target) on a block `y<year>`. What an asset builds (`Asset.sizes`) is no longer a choice of the
year but the sum of what was built before and still serves:

    size_(s,y) = Σ_{model years b: b ≤ y < b + L_s} added_(s,b)          (every size s, model year y)
    added_(s,b) ≤ U_(s,b) · build_(g,b)        (build ∈ {0,1}: groups g with a fixed cost; U the year's limit)

so installed capacity never exceeds a year's limit (the block's own bounds) and never shrinks
before an asset's life ends. The objective is the present value at the base year (weights D, F
and the salvage share in `models.inputs.roadmap`):

    min  ( Σ_y F_y · (operating_y + Σ_s om_(s,y) · size_(s,y))
       + Σ_(s,b) (D_b − salvage_(s,b)) · capex_(s,b) · added_(s,b)
       + Σ_(g,b) (D_b − salvage_(g,b)) · fixed_(g,b) · build_(g,b)
       + Σ_(s,b,y) lease_(b,y) · capex_(s,y) · added_(s,b) ) / Σ_y F_y

where operating_y is the year's annual cost without the annuity items (`Asset.capital_cost`):
energy, fuel, demand charge, green power, export, certificates and credits, and lease_(b,y) prices
capacity that serves years of y's span after its life has ended (`RoadmapInputs.past_life_weight`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Size
from optimizer.model.build import populate
from optimizer.model.registry import ASSETS

if TYPE_CHECKING:
    from models.inputs.roadmap import RoadmapInputs


def block_name(year: int) -> str:
    """The name of model year `year`'s block."""
    return f"y{year}"


def sizes_of(rin: RoadmapInputs, year: int) -> dict[tuple[str, str | None], Size]:
    """What the plant can build in `year`, by (variable, item), at that year's prices."""
    inp = rin.inputs[year]
    return {(s.var, s.item): s for a in ASSETS if a.present(inp) for s in a.sizes(inp)}


def build_roadmap_model(rin: RoadmapInputs) -> pyo.ConcreteModel:
    """The Pyomo model of a roadmap (module docstring); each year's block is a single-year model."""
    m = pyo.ConcreteModel(name=rin.name)
    years = rin.years
    round_down: set[str] = set()
    for year, inp in rin.inputs.items():
        b = pyo.Block(concrete=True)
        m.add_component(block_name(year), b)
        costs = populate(b, inp)
        capital = {a.capital_cost for a in ASSETS if a.present(inp) and a.capital_cost}
        b.total_cost = pyo.Expression(expr=sum(costs), doc="annual cost, builds as annuities (one year's view)")
        b.operating_cost = pyo.Expression(expr=sum(b.component(c) for c in b.cost_terms if c not in capital),
                                          doc="annual cost without the annuity items")
        round_down |= set(b.round_down)
    m.round_down = sorted(round_down)

    sizes = {y: sizes_of(rin, y) for y in years}
    keys = list(sizes[years[0]])
    m.added = pyo.Var([(*k, y) for k in keys for y in years], within=NON_NEG, doc="built in the model year")
    groups = sorted({(s.group, y) for y in years for s in sizes[y].values() if s.fixed_cost > 0})
    m.build = pyo.Var(groups, within=pyo.Binary, doc="a group with a fixed cost built in the model year")
    m.serving = pyo.ConstraintList(doc="a year's size is what was built before and still serves")
    m.build_limit = pyo.ConstraintList(doc="nothing of a group with a fixed cost is built without paying it")
    om_terms, invest_terms, lease_terms = [], [], []
    for y in years:
        b = m.component(block_name(y))
        for key, s in sizes[y].items():
            var = _var(b, s)
            if s.built is not None:  # the year's own build binary: the roadmap's `build` decides instead
                built = b.component(s.built)
                (built[s.item] if s.item is not None else built).fix(1)
            standing = [x for x in years if rin.in_service(x, y, sizes[x][key].lifetime_years)]
            m.serving.add(var == sum(m.added[(*key, x)] for x in standing))
            for x in standing:  # serving past its life within y's span: leased at its annuity
                lease = rin.past_life_weight(x, y, sizes[x][key].lifetime_years) * s.capex
                if lease:
                    lease_terms.append(lease * m.added[(*key, x)])
            om_terms.append(rin.operating_weight(y) * s.om_per_year * var)
            weight = rin.investment_weight(y) - rin.salvage_weight(y, s.lifetime_years)
            invest_terms.append(weight * s.capex * m.added[(*key, y)])
            if s.fixed_cost > 0 and var.ub is not None:
                m.build_limit.add(m.added[(*key, y)] <= var.ub * m.build[s.group, y])
        for group, fixed_cost, life in {(s.group, s.fixed_cost, s.lifetime_years) for s in sizes[y].values()
                                        if s.fixed_cost > 0}:
            weight = rin.investment_weight(y) - rin.salvage_weight(y, life)
            invest_terms.append(weight * fixed_cost * m.build[group, y])
    m.operating_pv = pyo.Expression(expr=sum(rin.operating_weight(y) * m.component(block_name(y)).operating_cost
                                             for y in years), doc="present value of operating and purchasing")
    m.om_pv = pyo.Expression(expr=sum(om_terms), doc="present value of fixed O&M")
    m.investment_pv = pyo.Expression(expr=sum(invest_terms), doc="present value of builds less what is left")
    m.lease_pv = pyo.Expression(expr=sum(lease_terms), doc="present value of capacity serving past its life")
    m.npv = pyo.Expression(expr=m.operating_pv + m.om_pv + m.investment_pv + m.lease_pv,
                           doc="present value of the roadmap's costs at the base year")
    # Minimised per year of weight (an equivalent annual cost): its coefficients keep a single year's
    # magnitudes, where the present value's own (fixed costs of millions) make HiGHS warn of bad scaling.
    m.npv_per_year = pyo.Objective(expr=m.npv / sum(rin.operating_weight(y) for y in years), sense=pyo.minimize)
    return m


def _var(b: pyo.Block, s: Size):
    """A size's variable on a year's block."""
    comp = b.component(s.var)
    return comp[s.item] if s.item is not None else comp
