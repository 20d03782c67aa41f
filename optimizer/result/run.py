"""One scenario end to end: build, solve, read back, compare with business as usual."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pyomo.environ as pyo

from models.inputs import Inputs
from optimizer.formats import figure
from optimizer.result.bau import business_as_usual
from optimizer.result.explain import explain
from optimizer.result.extract import hourly_table, plan_figures
from optimizer.result.finance import Bought, bought, lifecycle
from optimizer.result.plan import Plan, Status, Summary
from optimizer.solver.resolver import Resolver, Solved
from optimizer.solver.strategy import SolveReport
from optimizer.stages import Stage, quiet

if TYPE_CHECKING:
    import pandas as pd

_ABATED_T_MIN = 1e-6  # below this, abatement cost per tonne is undefined
_MET_WITHIN = 1e-6  # relative room within which a plan meets its target
_LOWEST_SLACK = (1e-6, 1e-3)  # relative room above the lowest net emissions for the best plan of a missed target


def solve_inputs(inp: Inputs, time_limit_s: float | None = None, mip_gap: float | None = None,
                 tee: bool = False, with_bau: bool = True, resolver: Resolver | None = None,
                 with_no_target: bool = True, stage: Stage = quiet, best_when_missed: bool = False) -> Plan:
    """The least-cost plan for `inp`, with timings, gap and the business-as-usual comparison.

    With a target (and `with_no_target`), the least-cost plan without it is solved too, in place
    after the plan is read, so the summary says what the target itself costs. A `resolver` carried
    from one call to the next re-solves in place what only changes values. `stage` is told each
    step (`optimizer.stages`).

    A target out of reach is explained; with `best_when_missed`, the best the plant can do is then
    solved and read like a plan: the least-cost plan among those reaching the lowest net emissions.
    Its status stays `infeasible` (the scenario as written has no plan) and `target_missed_by_t`
    says by how many tonnes a year it misses the target.
    """
    time_limit_s = inp.time_limit_s if time_limit_s is None else time_limit_s
    mip_gap = inp.mip_gap if mip_gap is None else mip_gap
    resolver = resolver or Resolver(tee=tee)
    with stage(f"{inp.name}: building and solving the plan"):
        solved = resolver.solve(inp, time_limit_s, mip_gap)
    summary: Summary = {"name": inp.name, **_solver_fields(solved.report, solved.build_seconds),
                        "reused_model": solved.reused, "rebuilt_because": solved.rebuilt_because}
    hourly, explanation, items, notes = None, [], None, list(inp.notes)
    if solved.report.has_solution:
        hourly, items = _read(solved, inp, summary, stage)
        summary["marginal_abatement_cost_per_t"] = _marginal_abatement_cost(solved.report)
    elif solved.report.status == Status.INFEASIBLE:
        with stage(f"{inp.name}: the target is out of reach; finding why"):
            why = explain(inp)
        explanation = summary["explanation"] = why.lines
        if best_when_missed and why.lowest_t is not None and inp.max_net_t is not None:
            with stage(f"{inp.name}: solving the lowest-emission plan"):
                best = _least_cost_at_lowest(resolver, inp, max(why.lowest_t, inp.max_net_t), time_limit_s, mip_gap)
            if best.report.has_solution:
                hourly, items = _read(best, inp, summary, stage)
                notes += _as_lowest_emission_plan(summary, best, inp.max_net_t)
    if hourly is not None and with_no_target:
        with stage(f"{inp.name}: solving the plan without its target"):
            summary.update(_against_no_target(summary, inp, resolver, time_limit_s, mip_gap))
    if with_bau:
        summary["bau"] = business_as_usual(inp)
        summary.update(_against_bau(summary))
        if items is not None:
            summary["finance"] = lifecycle(items, summary["total_annual_cost"], summary["bau"]["total_annual_cost"],
                                           inp.discount_rate)
    summary["notes"] = notes
    return Plan(inp, summary, hourly, explanation)


def _as_lowest_emission_plan(summary: Summary, best: Solved, target_t: float) -> list[str]:
    """Mark a summary holding the lowest-emission plan of a target out of reach: the solver figures
    become the plan's (its gap, its warnings; the seconds of both solves), `best_plan_status` says
    whether it was proven, `target_missed_by_t` how far it misses. A plan within HiGHS's tolerances
    of the target (the first solve called it infeasible, the explanation found it within reach)
    meets it: the status becomes the plan's, with a note."""
    fields = _solver_fields(best.report, best.build_seconds)
    for key in ("build_seconds", "solve_seconds", "handoff_seconds", "highs_seconds"):
        summary[key] += fields[key]
    summary.update(solve_method=fields["solve_method"], mip_gap=fields["mip_gap"],
                   objective_bound=fields["objective_bound"],
                   solver_warnings=list(dict.fromkeys([*summary["solver_warnings"], *fields["solver_warnings"]])),
                   marginal_abatement_cost_per_t=None)  # the cap is where the plant can go, not a choice
    net_t = summary["emissions"]["net_t"]
    if net_t - target_t <= _MET_WITHIN * max(1.0, abs(target_t)):
        summary["status"] = best.report.status
        return [f"the target (net ≤ {figure(target_t)} tCO2e) is met within the solver's tolerances: net "
                f"{figure(net_t)} tCO2e, although the first solve found it out of reach"]
    summary["best_plan_status"] = best.report.status
    summary["target_net_t"] = target_t
    summary["target_missed_by_t"] = net_t - target_t
    return []


def _read(solved: Solved, inp: Inputs, summary: Summary, stage: Stage) -> tuple[pd.DataFrame, list[Bought] | None]:
    """Read a solved plan into `summary`; its hourly flows and what it bought (before any re-solve)."""
    with stage(f"{inp.name}: reading the plan"):
        hourly = hourly_table(solved.model, inp)
        summary.update(plan_figures(solved.model, inp, hourly))
        return hourly, bought(solved.model, inp)


def _least_cost_at_lowest(resolver: Resolver, inp: Inputs, lowest_t: float, time_limit_s: float,
                          mip_gap: float) -> Solved:
    """The least-cost plan whose net emissions are the lowest reached (`lowest_t`), within a gram per
    tonne; should HiGHS's tolerances call that cap infeasible, within a kilogram per tonne."""
    for rel in _LOWEST_SLACK:
        solved = resolver.solve(replace(inp, max_net_t=lowest_t + rel * max(1.0, abs(lowest_t))), time_limit_s,
                                mip_gap)
        if solved.report.status != Status.INFEASIBLE:
            break
    return solved


def _solver_fields(report: SolveReport, build_s: float) -> dict:
    return {
        "status": report.status,
        "solver_status": report.message,
        "solve_method": report.method,
        "mip_gap": report.mip_gap,
        "objective_bound": report.bound,
        "build_seconds": build_s,
        "solve_seconds": report.solve_seconds,
        "handoff_seconds": report.handoff_seconds,
        "highs_seconds": report.highs_seconds,
        "solver_warnings": list(report.warnings),
    }


def _marginal_abatement_cost(report: SolveReport) -> float | None:
    """What one more tonne cut below the target would cost (currency/tCO2e): the target's shadow
    price, from the LP that gave the plan; None without a target or when branch and bound decided."""
    if not report.duals or "target" not in report.duals:
        return None
    return -report.duals["target"] + 0.0


def _against_no_target(summary: dict, inp: Inputs, resolver: Resolver, time_limit_s: float,
                       mip_gap: float) -> dict:
    """The least-cost plan without the target, and what the target costs against it.

    `target_cost` is the plan's annual cost less the no-target plan's; `target_abatement_cost_per_t`
    divides it by the tonnes the plan cuts below the no-target plan (None when it cuts none).
    Without a target the plan is its own no-target plan; so is it when the second solve, stopped by
    its own gap or time limit, finds nothing cheaper (the plan is feasible without the target, so the
    no-target plan never costs more). None figures where the no-target solve failed.
    """
    cost, net_t = summary["total_annual_cost"], summary["emissions"]["net_t"]
    if inp.max_net_t is None:
        return {"no_target": {"total_annual_cost": cost, "net_t": net_t}, "target_cost": 0.0,
                "target_abatement_cost_per_t": None}
    free = resolver.solve(inp.without_target(), time_limit_s, mip_gap)
    if not free.report.has_solution:
        return {"no_target": {"total_annual_cost": None, "net_t": None}, "target_cost": None,
                "target_abatement_cost_per_t": None}
    free_cost, free_net_t = float(pyo.value(free.model.total_cost)), float(pyo.value(free.model.net_t))
    if free_cost > cost:
        free_cost, free_net_t = cost, net_t
    target_cost, cut_t = cost - free_cost, free_net_t - net_t
    return {"no_target": {"total_annual_cost": free_cost, "net_t": free_net_t}, "target_cost": target_cost,
            "target_abatement_cost_per_t": target_cost / cut_t if cut_t > _ABATED_T_MIN else None}


def _against_bau(summary: dict) -> dict:
    """Savings and abatement cost against business as usual; None where undefined."""
    cost, bau = summary.get("total_annual_cost"), summary["bau"]
    if cost is None or bau["total_annual_cost"] is None:
        return {"savings": None, "abated_t": None, "abatement_cost_per_t": None}
    savings = bau["total_annual_cost"] - cost
    abated_t = bau["net_t"] - summary["emissions"]["net_t"]
    per_t = -savings / abated_t if abated_t > _ABATED_T_MIN else None
    return {"savings": savings, "abated_t": abated_t, "abatement_cost_per_t": per_t}
