"""Solving a model with HiGHS through Pyomo's own interface, with status, gap and timings.

A model with integer variables is first tried by *relax and fix*: the LP relaxation gives a
lower bound, the integer variables are rounded up (every integer here enables capacity or a
contract, so rounding up keeps the plan feasible unless a minimum volume cannot be absorbed)
and the LP is solved again with them fixed. When that plan is within the MIP gap of the bound,
it is optimal by proof, at the price of two LPs; otherwise HiGHS's branch and bound runs.
On the year-long demo this replaces minutes of root-node cutting planes by two LP solves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import pyomo.environ as pyo
from pyomo.common.timing import HierarchicalTimer
from pyomo.contrib.solver.common.results import Results, SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

_INTEGRALITY_TOL = 1e-6


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
    method: str = "highs"
    handoff_seconds: float = 0.0  # Pyomo passing the model (and its updates) to HiGHS
    highs_seconds: float = 0.0  # HiGHS's own run time


_INFEASIBLE = {TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
               TerminationCondition.infeasibleOrUnbounded}


def solve_model(model: pyo.ConcreteModel, time_limit_s: float, mip_gap: float,
                tee: bool = False) -> SolveReport:
    """Solve `model` in place; its variables hold the plan when `has_solution`."""
    start = time.perf_counter()
    clock = {"handoff": 0.0, "highs": 0.0}
    solver = Highs()
    integers = [v for v in model.component_data_objects(pyo.Var, active=True) if v.is_integer()]
    report = _relax_and_fix(solver, model, integers, time_limit_s, mip_gap, tee, clock) if integers else None
    if report is None:
        left_s = max(time_limit_s - (time.perf_counter() - start), 1.0)
        report = _report(_run(solver, model, left_s, mip_gap, tee, clock))
    return replace(report, solve_seconds=time.perf_counter() - start, handoff_seconds=clock["handoff"],
                   highs_seconds=clock["highs"])


def _run(solver: Highs, model: pyo.ConcreteModel, time_limit_s: float, mip_gap: float, tee: bool,
         clock: dict[str, float]) -> Results:
    timer = HierarchicalTimer()
    results = solver.solve(model, tee=tee, time_limit=time_limit_s, rel_gap=mip_gap, timer=timer,
                           load_solutions=False, raise_exception_on_nonoptimal_result=False)
    for name in ("set_instance", "update", "optimize"):
        try:
            seconds = timer.get_total_time(name)
        except (KeyError, RuntimeError):
            continue
        clock["highs" if name == "optimize" else "handoff"] += seconds
    if results.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible):
        results.solution_loader.load_vars()
    return results


def _report(results: Results) -> SolveReport:
    term = results.termination_condition
    has_solution = results.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    objective = results.incumbent_objective if has_solution else None
    bound = results.objective_bound
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
    return SolveReport(status, objective, bound, relative_gap(objective, bound), 0.0, has_solution,
                       str(term.name))


def _relax_and_fix(solver: Highs, model: pyo.ConcreteModel, integers: list, time_limit_s: float,
                   mip_gap: float, tee: bool, clock: dict[str, float]) -> SolveReport | None:
    """A plan proven within `mip_gap` from two LPs, or None (the model is left as it was)."""
    saved = [(v, v.domain, v.lower, v.upper) for v in integers]
    for v, _, _, _ in saved:
        lb, ub = v.bounds
        v.domain = pyo.Reals
        v.setlb(lb)
        v.setub(ub)
    try:
        start = time.perf_counter()
        relaxed = _run(solver, model, time_limit_s, mip_gap, tee, clock)
        if relaxed.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
            return None
        bound = relaxed.incumbent_objective
        for v in integers:
            v.fix(math.ceil(v.value - _INTEGRALITY_TOL))
        left_s = max(time_limit_s - (time.perf_counter() - start), 1.0)
        fixed = _run(solver, model, left_s, mip_gap, tee, clock)
        if fixed.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
            return None
        objective = fixed.incumbent_objective
        gap = relative_gap(objective, bound)
        if gap is None or gap > mip_gap:
            return None
        return SolveReport("optimal", objective, bound, gap, 0.0, True, "convergenceCriteriaSatisfied",
                           method="relax-and-fix")
    finally:
        for v, domain, lower, upper in saved:
            value = v.value
            v.unfix()
            v.domain = domain
            v.setlb(lower)
            v.setub(upper)
            v.set_value(value, skip_validation=True)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective - bound| / max(|objective|, 1), HiGHS's own definition up to the floor."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1.0)
