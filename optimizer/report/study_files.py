"""Writing a Pareto frontier's files: its points and steps as CSV, its headline figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer.atomic import atomic_write
from optimizer.report.files import jsonable

if TYPE_CHECKING:
    from optimizer.studies.pareto import Frontier

FRONTIER_FILES = ("frontier.csv", "frontier_steps.csv", "frontier.json")


def write_frontier(front: Frontier, out: Path) -> list[Path]:
    """The frontier's points and steps as CSV, and its headline figures as JSON; returns the paths."""
    points, steps, head_path = (out / name for name in FRONTIER_FILES)
    atomic_write(points, lambda p: front.points.to_csv(p, index=False, float_format="%.10g"))
    atomic_write(steps, lambda p: front.segments.to_csv(p, index=False, float_format="%.10g"))
    head = {"name": front.name, "currency": front.currency, "bau_t": front.bau_t, "bau_total_annual_cost":
            front.bau_cost, "measures_in_order": front.entry.to_dict("records"), "unreachable": front.unreachable,
            "points": front.points.to_dict("records")}
    # NaN (a point without a figure) becomes null: frontier.json stays JSON.
    atomic_write(head_path, lambda p: p.write_text(json.dumps(jsonable(head), indent=2, allow_nan=False,
                                                              default=str)))
    return [points, steps, head_path]
