"""Green certificates (绿证, GEC): one per MWh, never more than the grid energy they cover.

Equations:

    0 ≤ certificates_mwh ≤ max_mwh,   certificates_mwh ≤ grid_import_mwh          [MWh/yr]
    cost_certificates = price_per_mwh · certificates_mwh                          [currency/yr]

They cover grid import in market-based scope 2, at the residual factor (see the emissions asset).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

import pyomo.environ as pyo

from optimizer.model.base import NON_NEG, Asset, Decision, EmissionStep, Ledger, Limit, Values, cap, declare, value_of

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Certificates(Asset):
    name = "certificates"
    inputs_field = "certificates"
    section = "certificates"
    cost_labels: ClassVar[dict[str, str]] = {"certificates": "certificates"}
    decisions = (Decision("certificates_mwh", "green certificates bought", "MWh", "certificates",
                          yearly=True),)
    step = EmissionStep("certificates", "instrument", lambda s, f: -s["certificates_mwh"] * f)
    colors: ClassVar[dict[str, str]] = {"certificates": "#7f3c8d"}

    def data(self, inp: Inputs) -> Values:
        c = inp.certificates
        return {"certificate_price_per_mwh": c.price_per_mwh, "certificates_max_mwh": cap(c.max_mwh)}

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.certificates_mwh = pyo.Var(within=NON_NEG, bounds=(0, m.certificates_max_mwh), doc="certificates (MWh)")
        m.certificates_cover_import = pyo.Constraint(expr=m.certificates_mwh <= m.grid_import_mwh)
        m.cost_certificates = pyo.Expression(expr=m.certificate_price_per_mwh * m.certificates_mwh)
        ledger.costs.append("cost_certificates")

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        return {"certificates_mwh": value_of(m, "certificates_mwh")}

    def limits(self, inp: Inputs) -> list[Limit]:
        c = inp.certificates
        if c is None or c.max_mwh is None:
            return []
        return [Limit("certificates are bought up to their maximum", "certificates.max_mwh", "MWh", c.max_mwh,
                      10 * inp.load_kwh / 1000 + c.max_mwh,
                      lambda i, v: replace(i, certificates=replace(i.certificates, max_mwh=v)),
                      lambda m: m.certificates_mwh)]
