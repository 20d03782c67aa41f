"""Solving a model with HiGHS through Pyomo's own interface, with status, gap and timings."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs


@dataclass(frozen=True)
class SolveReport:
    """What HiGHS said, in words a user reads: `status` is one of
    'optimal', 'time_limit' (a plan, maybe not the best), 'infeasible', 'unbounded', 'error'."""

    status: str
    objective: float | None
    bound: float | None
    mip_gap: float | None
    solve_seconds: float
    has_solution: bool
    message: str = ""


_INFEASIBLE = {TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
               TerminationCondition.infeasibleOrUnbounded}


def solve_model(model: pyo.ConcreteModel, time_limit_s: float, mip_gap: float,
                tee: bool = False) -> SolveReport:
    """Solve `model` in place; its variables hold the plan when `has_solution`."""
    solver = Highs()
    start = time.perf_counter()
    results = solver.solve(model, tee=tee, time_limit=time_limit_s, rel_gap=mip_gap,
                           load_solutions=False, raise_exception_on_nonoptimal_result=False)
    seconds = time.perf_counter() - start
    term = results.termination_condition
    has_solution = results.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has_solution:
        results.solution_loader.load_vars()
    objective = results.incumbent_objective if has_solution else None
    bound = results.objective_bound
    gap = _relative_gap(objective, bound)
    if term == TerminationCondition.convergenceCriteriaSatisfied and has_solution:
        status = "optimal"
    elif term in _INFEASIBLE:
        status = "infeasible"
    elif term == TerminationCondition.unbounded:
        status = "unbounded"
    elif term in (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit):
        status = "time_limit"
    else:
        status = "error"
    return SolveReport(status, objective, bound, gap, seconds, has_solution, str(term.name))


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective - bound| / max(|objective|, 1), HiGHS's own definition up to the floor."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1.0)
