"""The least-cost frontier from business as usual to net zero, and what each tonne costs along it.

The frontier is an ε-constraint sweep: the same scenario with its net-emissions cap stepped from
the emissions of the cheapest plan (no target) down to zero, each point solved at least cost (in place, through the
sweep machinery, so it can run on workers and resume). Along it, the marginal abatement cost is
the target's shadow price at each point and the average cost of each step between points; the
measures entering at each step, stacked in proportion to what they cut, draw the MAC curve.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from models.errors import InputError
from models.inputs.assemble import build_inputs
from models.scenario.loading import deep_merge, read_raw, validate
from models.scenario.sweep import MAX_POINTS, Sweep, build_sweep
from optimizer.model import registry
from optimizer.result.figures import measure_cuts_t, measures
from optimizer.result.run import solve_inputs
from optimizer.solver.status import Status
from optimizer.studies.store import unflatten


@dataclass(frozen=True)
class Frontier:
    """Business as usual and the least-cost points below it, from the cheapest plan to net zero."""

    name: str
    currency: str
    bau_t: float
    bau_cost: float
    points: pd.DataFrame  # one row per feasible point, emissions falling
    segments: pd.DataFrame  # one row per step between consecutive points, BAU first
    entry: pd.DataFrame  # each measure: the point where it first cuts, and the margin there
    unreachable: list[str]  # why the lowest targets have no plan, when they have none


def cut_column(measure: str) -> str:
    """The column holding what `measure` cuts, e.g. 'cut_rooftop_pv_t'."""
    return f"cut_{measure.lower().replace(' ', '_')}_t"


def pareto_sweep(scenario: Path, points: int, solver: dict[str, float | None] | None = None) -> Sweep:
    """The sweep over net-emissions caps from the cheapest plan's emissions (no target) to zero.

    Caps above the cheapest plan's emissions do not bind: they would all repeat that plan.
    """
    if points < 2:
        raise InputError(f"--points: got {points}; the frontier needs at least 2 points (BAU and net zero)")
    if points > MAX_POINTS:
        raise InputError(f"--points: got {points:,}; at most {MAX_POINTS:,}, as for any sweep")
    base = read_raw(Path(scenario))
    if solver:
        base = deep_merge(base, {"solver": {k: v for k, v in solver.items() if v is not None}})
    scenario_ = validate(base, where=Path(scenario).name)
    if scenario_.roadmap is not None:
        raise InputError(f"{Path(scenario).name}: a roadmap has a target in each of its years, not one cap to step "
                         "down: sweep one year's target instead (parameters: roadmap.targets.<year>.reduction_pct), "
                         "which gives the present value against that year's ambition")
    inputs = build_inputs(scenario_)
    free = solve_inputs(replace(inputs, max_net_t=None), with_bau=False)
    if not free.has_plan:
        raise InputError(f"{Path(scenario).name}: even without a target there is no plan ({free.status})")
    caps_t = np.linspace(free.summary["emissions"]["net_t"], 0.0, points)
    caps_t[0] += 1e-6 * inputs.bau_emissions_t + 1e-6  # just above: the cheapest plan, its cap not binding
    caps_t = caps_t.round(6).tolist()
    return build_sweep(base, f"{inputs.name}: least cost against net emissions", "zip",
                       {"targets.net_zero": [False] * points, "targets.max_emissions_t": caps_t})


def frontier(table: pd.DataFrame, name: str, currency: str) -> Frontier:
    """The frontier, its steps and the order in which measures enter, from a Pareto sweep's table."""
    if table.empty or "bau.net_t" not in table or table["bau.net_t"].isna().all():
        raise InputError("no point of the frontier could be solved; check the scenario with zcf solve")
    bau_t = float(table["bau.net_t"].dropna().iloc[0])
    bau_cost = float(table["bau.total_annual_cost"].dropna().iloc[0])
    solved = table[table["status"].isin([Status.OPTIMAL, Status.TIME_LIMIT]) & table["total_annual_cost"].notna()]
    rows = []
    for _, row in solved.iterrows():
        summary = unflatten(row.to_dict())
        cuts = measure_cuts_t(summary)
        rows.append({
            "cap_t": row["targets.max_emissions_t"], "net_t": row["emissions.net_t"],
            "abated_t": bau_t - row["emissions.net_t"], "total_annual_cost": row["total_annual_cost"],
            "marginal_abatement_cost_per_t": row.get("marginal_abatement_cost_per_t"),
            "average_abatement_cost_per_t": row.get("abatement_cost_per_t"),
            **{cut_column(m): cuts.get(m, 0.0) for m in measures()},
            **{d.key: row.get(d.key) for d in registry.study_columns()}, "status": row["status"],
        })
    points = pd.DataFrame(rows).sort_values("abated_t").reset_index(drop=True)
    explanations = table.get("explanation", pd.Series(index=table.index, dtype=object))
    unreachable = explanations[table["status"] == Status.INFEASIBLE].dropna().head(1).tolist()
    return Frontier(name, currency, bau_t, bau_cost, points, _segments(points, bau_cost),
                    _entry(points, bau_t), unreachable[0].splitlines() if unreachable else [])


def _segments(points: pd.DataFrame, bau_cost: float) -> pd.DataFrame:
    """Each step from one point to the next (business as usual first): tonnes, cost per tonne, who cuts."""
    cut_columns = [cut_column(m) for m in measures()]
    start = {"abated_t": 0.0, "total_annual_cost": bau_cost, **dict.fromkeys(cut_columns, 0.0)}
    path = [start, *points[["abated_t", "total_annual_cost", *cut_columns]].to_dict("records")]
    steps = []
    for before, after in pairwise(path):
        tonnes = after["abated_t"] - before["abated_t"]
        if tonnes <= 1e-6 * max(after["abated_t"], 1.0):
            continue
        step = {"from_abated_t": before["abated_t"], "to_abated_t": after["abated_t"], "abated_t": tonnes,
                "cost_per_t": (after["total_annual_cost"] - before["total_annual_cost"]) / tonnes}
        step.update({c: after[c] - before[c] for c in cut_columns})
        steps.append(step)
    return pd.DataFrame(steps)


def _entry(points: pd.DataFrame, bau_t: float) -> pd.DataFrame:
    """For each measure, where on the frontier it first cuts a noticeable amount."""
    rows = []
    for measure in measures():
        used = points[points[cut_column(measure)] > 1e-4 * bau_t]
        if len(used):
            first = used.iloc[0]
            rows.append({"measure": measure, "enters_at_abated_t": first["abated_t"],
                         "enters_at_net_t": first["net_t"],
                         "marginal_abatement_cost_per_t": first["marginal_abatement_cost_per_t"],
                         "in_cheapest_plan": bool(used.index[0] == points.index[0]),  # paying without a target
                         "cut_in_cheapest_plan_t": float(points[cut_column(measure)].iloc[0])})
    return pd.DataFrame(rows).sort_values("enters_at_abated_t").reset_index(drop=True) if rows else pd.DataFrame()
