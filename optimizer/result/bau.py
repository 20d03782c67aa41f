"""Business as usual, evaluated: the plant taking no measure buys every kWh from the grid.

It has no decision, so no model is built or solved: each asset gives its cost with no measure
taken (`Asset.bau_costs`: the energy bill, the fuels, the demand charge on the load's own
monthly peaks) and the emissions asset its accounting with every kWh from the grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.model.emissions import bau_emissions
from optimizer.model.registry import ASSETS
from optimizer.result.plan import BusinessAsUsual

if TYPE_CHECKING:
    from models.inputs import Inputs


def business_as_usual(inp: Inputs) -> BusinessAsUsual:
    """Annual cost by item, total and emissions of `inp`'s plant with no measure taken."""
    costs: dict[str, float] = {}
    for asset in (a for a in ASSETS if a.present(inp)):
        costs.update(asset.bau_costs(inp))
    emissions = bau_emissions(inp)
    return {"total_annual_cost": sum(costs.values()), "costs": costs, "net_t": emissions["net_t"],
            "emissions": emissions}
