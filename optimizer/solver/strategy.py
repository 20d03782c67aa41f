"""Solving a model with HiGHS: relax and fix first, branch and bound when that is not enough.

A model with integer variables is first tried by *relax and fix*: the LP relaxation gives a
lower bound, the integer variables are rounded (up for those that enable capacity or a contract,
so the plan stays feasible; down for a choice to sell in a step, which is always feasible: the
model lists those in `round_down`) and the LP is solved again with them fixed. When that plan is
within the MIP gap of the bound, it is optimal by proof, at the price of two LPs; otherwise
HiGHS's branch and bound runs, with the rounded plan as its first incumbent. On the year-long
demo this replaces minutes of root-node cutting planes by two LP solves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException

from optimizer.solver.highs_model import HighsModel, Run
from optimizer.solver.status import Status

_INTEGRALITY_TOL = 1e-6
_LEAST_S = 1e-3  # a run whose time is spent still starts, and stops at once with what it has
_S = highspy.HighsModelStatus
_STATUS = {_S.kOptimal: Status.OPTIMAL, _S.kInfeasible: Status.INFEASIBLE, _S.kUnbounded: Status.UNBOUNDED,
           _S.kUnboundedOrInfeasible: Status.INFEASIBLE, _S.kTimeLimit: Status.TIME_LIMIT,
           _S.kIterationLimit: Status.TIME_LIMIT, _S.kSolutionLimit: Status.TIME_LIMIT,
           _S.kInterrupt: Status.TIME_LIMIT}


@dataclass(frozen=True)
class SolveReport:
    """What HiGHS said, in words a user reads."""

    status: Status
    objective: float | None
    bound: float | None
    mip_gap: float | None
    solve_seconds: float
    has_solution: bool
    message: str = ""
    method: str = "highs"
    handoff_seconds: float = 0.0  # Pyomo's model compiled and passed to HiGHS (or updated in it)
    highs_seconds: float = 0.0  # HiGHS's own runs
    duals: dict[str, float] | None = None  # one-row constraints' shadow prices, where the LP gave them
    warnings: tuple[str, ...] = ()  # what HiGHS warned about while solving


def solve_model(model: pyo.ConcreteModel, time_limit_s: float, mip_gap: float, tee: bool = False) -> SolveReport:
    """Hand `model` to HiGHS and solve it; its variables hold the plan when `has_solution`."""
    try:
        hm = HighsModel(model, tee)
    except InfeasibleConstraintException as exc:
        return infeasible_as_written(exc)
    return solve_highs(hm, time_limit_s, mip_gap)


def infeasible_as_written(exc: InfeasibleConstraintException) -> SolveReport:
    """A constraint without variables that cannot hold: infeasible before HiGHS sees anything."""
    return SolveReport(Status.INFEASIBLE, None, None, None, 0.0, False, message=str(exc).splitlines()[0])


def solve_highs(hm: HighsModel, time_limit_s: float, mip_gap: float) -> SolveReport:
    """Solve the model held by `hm` as it stands; load the plan into its Pyomo variables."""
    start = time.perf_counter()
    runs: list[Run] = []

    def left_s() -> float:
        return max(time_limit_s - sum(r.seconds for r in runs), _LEAST_S)

    best = _relax_and_fix(hm, time_limit_s, mip_gap, runs) if hm.integer.any() else None
    if best is not None:
        status, method = Status.OPTIMAL, "relax-and-fix"
    else:
        best = hm.run(left_s(), mip_gap)
        runs.append(best)
        if best.status == _S.kUnboundedOrInfeasible:  # presolve could not tell which: simplex can
            hm.highs.setOptionValue("presolve", "off")
            best = hm.run(left_s(), mip_gap)
            runs.append(best)
            hm.highs.setOptionValue("presolve", "choose")
        status, method = _STATUS.get(best.status, Status.ERROR), "highs"
        if status == Status.OPTIMAL and not best.has_solution:
            status = Status.ERROR
    bound, gap = best.bound, best.mip_gap
    if status == Status.TIME_LIMIT and best.has_solution and (gap is None or not math.isfinite(gap)):
        # Stopped before branch and bound had a bound of its own: the LP relaxation's still holds.
        lp = [r.objective for r in runs if r.relaxed and r.status == _S.kOptimal]
        bound, gap = (lp[0], relative_gap(best.objective, lp[0])) if lp else (None, None)
    if best.has_solution:
        hm.load(best.col_value)
    return SolveReport(
        status, best.objective, bound, gap,
        solve_seconds=hm.handoff_seconds + time.perf_counter() - start, has_solution=best.has_solution,
        message=hm.highs.modelStatusToString(best.status), method=method,
        handoff_seconds=hm.handoff_seconds, highs_seconds=sum(r.seconds for r in runs),
        duals=hm.scalar_duals(best.row_dual) if best.row_dual is not None else None,
        warnings=hm.take_warnings(),
    )


def _relax_and_fix(hm: HighsModel, time_limit_s: float, mip_gap: float, runs: list[Run]) -> Run | None:
    """A plan proven within `mip_gap` from two LPs, with the relaxation's bound; or None."""
    ints = np.flatnonzero(hm.integer)
    hm.set_integrality(False)
    try:
        relaxed = hm.run(time_limit_s, mip_gap)
        runs.append(relaxed)
        if relaxed.status != _S.kOptimal:
            return None
        values = relaxed.col_value[ints]
        up = np.minimum(np.ceil(values - _INTEGRALITY_TOL), hm.col_upper[ints])  # build what is partly built
        down = np.maximum(np.floor(values + _INTEGRALITY_TOL), hm.col_lower[ints])  # sell only where it must
        rounded = np.where(hm.round_down[ints], down, up)
        hm.set_col_bounds(ints, rounded, rounded)
        try:
            fixed = replace(hm.run(max(time_limit_s - relaxed.seconds, _LEAST_S), mip_gap), relaxed=False)
            runs.append(fixed)  # integers fixed: its objective is a plan's cost, not a bound
        finally:
            hm.restore_col_bounds(ints)
    finally:
        hm.set_integrality(True)
    if fixed.status != _S.kOptimal:
        return None
    gap = relative_gap(fixed.objective, relaxed.objective)
    if gap is None or gap > mip_gap:
        start = highspy.HighsSolution()
        start.col_value = fixed.col_value.tolist()
        start.value_valid = True
        hm.highs.setSolution(start)  # branch and bound starts from the rounded plan
        return None
    return Run(fixed.status, True, fixed.objective, relaxed.objective, gap, fixed.seconds,
               fixed.col_value, fixed.row_dual)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective - bound| / max(|objective|, 1), HiGHS's own definition up to the floor."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1.0)
