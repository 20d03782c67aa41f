"""One home for what people see: colours, labels with units and number formats.

Colours and labels of the assets come from the registry (each asset names its own); what no
asset owns (load, business as usual, cuts and additions, the net) is set here once. Number
formats live in `optimizer.formats` and are re-exported here for the report modules.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from optimizer.formats import DASH, figure, money_m, no_minus_zero, percent, whole
from optimizer.model import registry
from optimizer.model.base import Decision

__all__ = ["ADDED", "BAU", "BAU_BAR", "CUT", "DASH", "HIGH", "LOAD", "LOW", "NET", "NOTE", "PLAN", "color", "colors",
           "figure", "label_with_unit", "money_m", "no_minus_zero", "percent", "tick", "whole"]

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
