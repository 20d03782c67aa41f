"""Carbon credits (CCER): tonnes retired at a price, capped as a share of a base inventory.

Equations (base: targets.base_emissions_t, the base year's inventory, else business as usual):

    credits_t ≥ 0,   credits_t ≤ max_offset_share · base   (the cap is set with the emissions)
    cost_credits = price_per_t · credits_t                                        [currency/yr]
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

import pyomo.environ as pyo

from optimizer.formats import figure
from optimizer.model.base import NON_NEG, Asset, Decision, EmissionStep, Ledger, Limit, Values, declare, value_of

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Credits(Asset):
    name = "credits"
    inputs_field = "credits"
    section = "carbon_credits"
    cost_labels: ClassVar[dict[str, str]] = {"credits": "carbon credits"}
    decisions = (Decision("credits_t", "carbon credits retired", "tCO2e", "credits", yearly=True),)
    step = EmissionStep("carbon credits", "instrument", lambda s, f: -s["emissions"]["credits_t"])
    colors: ClassVar[dict[str, str]] = {"carbon credits": "#e68310"}

    def data(self, inp: Inputs) -> Values:
        c = inp.credits
        return {"credit_price_per_t": c.price_per_t, "max_offset_share": c.max_offset_share}

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.credits_t = pyo.Var(within=NON_NEG, doc="credits retired (tCO2e)")
        m.cost_credits = pyo.Expression(expr=m.credit_price_per_t * m.credits_t)
        ledger.costs.append("cost_credits")

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        return {"credits_t": value_of(m, "credits_t")}

    def limits(self, inp: Inputs) -> list[Limit]:
        if inp.credits is None:
            return []
        base_t = max(inp.offset_base_t, 1e-9)
        base = ("targets.base_emissions_t" if inp.base_emissions_t is not None
                else "business-as-usual emissions of the model year")
        return [Limit(f"carbon credits are at the offset cap, a share of {base} ({figure(base_t)} t)",
                      "targets.max_offset_share", "", inp.credits.max_offset_share, 1.0,
                      lambda i, v: replace(i, credits=replace(i.credits, max_offset_share=v)),
                      lambda m: m.credits_t, scale=base_t)]
