"""Why a target cannot be met, in words: how far it is out of reach, which limits bind, and how
far each of them would have to move, on its own, for the target to be met.

One model serves every question. Its objective is a weighted sum of net emissions and of the
quantities the limits cap, with the weights as Params: first the target is lifted and net
emissions minimised (the lowest reachable, and which limits that plan runs into); then, for each
such limit, that limit is lifted and net emissions minimised again (can it alone reach the
target?), and only if it can, the target is restored and the use of what it caps minimised (the
least value of the limit that meets the target). No question asks HiGHS to prove a target out of
reach, which on a year-long model takes minutes. Limits and target change through `Inputs` and
`update_model`, so every Param derived from them follows; each question re-solves in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pyomo.environ as pyo

from models.inputs import Inputs
from optimizer.formats import figure, figure_apart
from optimizer.model.base import Limit
from optimizer.model.build import build_model, update_model
from optimizer.model.registry import ASSETS
from optimizer.solver.highs_model import HighsModel
from optimizer.solver.status import Status
from optimizer.solver.strategy import SolveReport, solve_highs

_AT_LIMIT = 1e-6  # relative closeness to a bound that counts as "at the limit"
# What the questions about single limits may take in all, after the lowest reachable emissions are
# known: each is an LP of the whole model (on the demo with heat, hourly, one to two minutes).
EXPLAIN_BUDGET_S = 60.0


@dataclass(frozen=True)
class Explanation:
    """Why a target is out of reach (`lines`), and the lowest net emissions any plan reaches
    (tCO2e/yr; None when no plan exists even without the target)."""

    lines: list[str]
    lowest_t: float | None = None


def explain_infeasible(inp: Inputs, budget_s: float = EXPLAIN_BUDGET_S) -> list[str]:
    """Lines saying how far the target is out of reach and what would have to change to meet it;
    none when a plan of `inp` alone reaches it. The questions about single limits share `budget_s`
    seconds; one left unanswered says so."""
    return explain(inp, budget_s).lines


def explain(inp: Inputs, budget_s: float = EXPLAIN_BUDGET_S) -> Explanation:
    """`explain_infeasible`'s lines with the lowest reachable net emissions they start from."""
    if inp.max_net_t is None:
        return Explanation(["HiGHS found no feasible plan, and no emissions target is set: "
                            "check limits that must all hold at once (storage block sizes, minimum PPA volume)."])
    limits = _limits(inp)
    target_t = inp.max_net_t
    m = build_model(inp.without_target())
    m.explain_net_weight = pyo.Param(mutable=True, initialize=1.0)
    m.explain_weight = pyo.Param(range(len(limits)), mutable=True, initialize=0.0)
    m.total_cost.deactivate()
    m.explain = pyo.Objective(expr=m.explain_net_weight * m.net_t + sum(
        m.explain_weight[i] * limit.quantity(m) for i, limit in enumerate(limits)))
    hm = HighsModel(m)
    # Minimising emissions alone leaves many plans equally good; the simplex method wanders among
    # them (22.7 s for the first question on demo_no_certificates), the interior point method with
    # crossover does not (6.4 s).
    hm.highs.setOptionValue("solver", "ipm")

    def solve(data: Inputs, time_limit_s: float = inp.time_limit_s) -> SolveReport:
        """Solve with the Params of `data` (limits, target) and the objective weights as set."""
        hm.update(update_model(m, data) | {"explain_net_weight", "explain_weight"})
        return solve_highs(hm, time_limit_s, inp.mip_gap)

    if not solve(inp.without_target()).has_solution:
        return Explanation(["HiGHS found no plan even without the emissions target: check limits that must all "
                            "hold at once (storage block sizes, minimum PPA volume)."])
    lowest_t = float(pyo.value(m.net_t))
    short_t = lowest_t - target_t
    if short_t <= _AT_LIMIT * max(1.0, abs(target_t)):
        return Explanation([], lowest_t)  # within reach: what keeps it out of reach is elsewhere (a roadmap's
        # other years)
    lines = [f"The emissions target (net ≤ {figure(target_t)} tCO2e) cannot be met: the lowest net emissions any plan "
             f"reaches are {figure(lowest_t)} tCO2e, {figure(short_t)} t short."]
    if inp.scope1_t > 0:
        lines.append(f"Scope 1 from fuels is {figure(inp.scope1_t)} t and no option in the model reduces it.")
    binding = [(i, limit) for i, limit in enumerate(limits)
               if _at(pyo.value(limit.quantity(m)) / limit.scale, limit.value)]
    imported_mwh = float(pyo.value(m.grid_import_mwh))
    deadline = time.perf_counter() + budget_s

    def in_budget(data: Inputs) -> SolveReport:
        return solve(data, max(deadline - time.perf_counter(), 1e-3))

    for i, limit in binding:
        answer = _raised_alone(in_budget, m, inp, limit, i) if time.perf_counter() < deadline else None
        lines.append(f"Limit reached: {limit.what} ({limit.field} = {_amount(limit.value, limit.unit)}); "
                     + (f"{answer}." if answer else f"whether raising it alone would reach the target was not "
                        f"found within the explanation's {figure(budget_s)} s."))
    return Explanation(lines + _missing_options(inp, short_t, imported_mwh), lowest_t)


def _raised_alone(solve: Callable[[Inputs], SolveReport], m: pyo.ConcreteModel, inp: Inputs, limit: Limit,
                  i: int) -> str | None:
    """How far one limit would have to move on its own for the target to be met; None when a
    question ran out of time.

    First the lowest net emissions with this limit lifted (and the target too): an optimum, where
    asking for the target directly would ask HiGHS to prove infeasibility, many times slower on a
    year-long model. Only when that reaches the target is the least use of the limit sought.
    """
    lifted = limit.set_to(inp, limit.lifted)
    m.explain_net_weight = 1.0
    report = solve(lifted.without_target())
    if report.status == Status.TIME_LIMIT:
        return None
    if not report.has_solution or pyo.value(m.net_t) > inp.max_net_t + _AT_LIMIT * max(1.0, abs(inp.max_net_t)):
        return "raising it alone does not reach the target"
    m.explain_net_weight, m.explain_weight[i] = 0.0, 1.0
    report = solve(lifted)  # the target in force, this one limit lifted: the least use of it
    m.explain_weight[i] = 0.0
    if report.status == Status.TIME_LIMIT:
        return None
    needed = pyo.value(limit.quantity(m)) / limit.scale if report.has_solution else None
    if needed is None or needed <= limit.value:
        return "raising it alone does not reach the target"
    return f"raised alone, it would have to reach {_amount(needed, limit.unit, limit.value)}"


def _limits(inp: Inputs) -> list[Limit]:
    """Every limit the scenario sets on an option that cuts or offsets emissions, asset by asset."""
    return [limit for asset in ASSETS for limit in asset.limits(inp)]


def _missing_options(inp: Inputs, short_t: float, imported_mwh: float) -> list[str]:
    """Options the scenario leaves out, and what the missing one would have to supply."""
    lines = []
    absent = [a.section for a in ASSETS if a.section and not a.present(inp)]
    if absent:
        lines.append(f"Not available in this scenario: {', '.join(absent)} (no section in the file).")
    factor_t_per_mwh = 1000 * inp.market_factor_t_per_kwh
    if inp.certificates is None and factor_t_per_mwh > 0:
        needed_mwh = short_t / factor_t_per_mwh
        if needed_mwh <= imported_mwh:
            lines.append(f"Certificates would close the gap: about {figure(needed_mwh)} MWh of them, against the "
                         f"{figure(imported_mwh)} MWh the lowest-emission plan still imports.")
    if inp.credits is None:
        lines.append(f"Carbon credits would close the gap: {figure(short_t)} tCO2e of them, if "
                     "targets.max_offset_share allows that share of the base (targets.base_emissions_t, "
                     "else business-as-usual emissions).")
    return lines


def _amount(value: float, unit: str, apart_from: float | None = None) -> str:
    """A limit's value in its unit; printed apart from `apart_from` (its current value) when it differs."""
    text = figure(value) if apart_from is None else figure_apart(value, apart_from)
    return f"{text} {unit}" if unit else text


def _at(value: float | None, limit: float | None) -> bool:
    if value is None or limit is None:
        return False
    return value >= limit - _AT_LIMIT * max(1.0, abs(limit))
