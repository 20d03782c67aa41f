"""One home for what people see: colours, labels with units and number formats.

Colours and labels of the assets come from the registry (each asset names its own); what no
asset owns (load, business as usual, cuts and additions, the net) is set here once. Number
formats live in `optimizer.formats` and are re-exported here for the report modules.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from optimizer.formats import DASH, figure, money_m, no_minus_zero, percent, whole
from optimizer.model import registry
from optimizer.model.base import Decision

if TYPE_CHECKING:
    from optimizer.result.plan import Plan

__all__ = ["ADDED", "BAU", "BAU_BAR", "CUT", "DASH", "HIGH", "LOAD", "LOW", "NET", "NOTE", "PLAN", "color", "colors",
           "figure", "label_with_unit", "money_m", "no_minus_zero", "percent", "plan_title", "tick", "whole"]

LOAD = "#000000"  # the plant's load, drawn as a line
BAU = "#7f7f7f"  # business as usual
BAU_BAR = "#bbbbbb"  # business as usual beside the plan
PLAN = "#3969ac"  # the plan beside business as usual
CUT = "#11a579"  # a step that cuts emissions
ADDED = "#e03c31"  # a step that adds emissions; "no plan" notes
NET = "#3969ac"  # what remains
NOTE = "#555555"  # footnotes and annotations
LOW, HIGH = "#3969ac", "#e68310"  # a parameter's low and high value in a study
_OTHERS = ("#008695", "#cf1c90", "#4b4b8f", "#f97b72")  # labels no asset names, in turn


def colors(labels: Iterable[str]) -> dict[str, str]:
    """A colour for each label: the asset's own, else the next of a few others."""
    known = registry.colors()
    known["load"] = LOAD
    found, others = {}, 0
    for label in labels:
        if label in known:
            found[label] = known[label]
        else:
            found[label] = _OTHERS[others % len(_OTHERS)]
            others += 1
    return found


def color(label: str) -> str:
    """The colour of one label (see `colors`)."""
    return colors([label])[label]


def label_with_unit(decision: Decision) -> str:
    """A decision as a table header or chart axis names it: 'PV (kWp)'."""
    return f"{decision.short} ({decision.unit})"


def tick(label: str, width: int = 9) -> str:
    """A label wrapped for a narrow axis tick: 'rooftop PV' -> 'rooftop\\nPV'."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


# The electricity balance as the plan's charts draw it (monthly energy mix, dispatch weeks): each hourly
# column's legend label and the label whose colour it takes; a column not listed is named after itself.
FLOWS = {"grid_import_kw": ("grid", "grid"), "pv_out_kw": ("rooftop PV", "rooftop PV"),
         "discharge_kw": ("battery discharging", "battery"), "green_power_kw": ("green power", "green power"),
         "measures_saved_kw": ("saved by efficiency measures", "efficiency measures"),
         "charge_kw": ("battery charging", "charge"), "export_kw": ("export (sold to the grid)", "export"),
         "heat_electricity_kw": ("electricity for heat", "electricity for heat")}
ANNUALISED = "annualised capex + O&M"  # what a capital cost item holds (`Asset.capital_cost`), in words
MINUS = "\u2212"  # a signed figure on a chart: −12.3
UNIFORM = "#c9d6e8"  # a chart panel whose value is the same everywhere: one flat colour, no scale


def plan_title(plan: Plan, what: str) -> str:
    """A plan chart's title, '<scenario>: <what>'; a plan missing its target says so on a second line,
    so a chart taken out of its folder still tells the truth."""
    title = f"{plan.inputs.name}: {what}"
    if plan.missed_by_t is None:
        return title
    return f"{title}\nthe lowest-emission plan: it misses the target by {figure(plan.missed_by_t)} tCO2e a year"
