"""HiGHS's model status in the words zcf's summary uses, so every reference model reports alike."""

from __future__ import annotations

import highspy

_WORDS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
}


def status_word(h: highspy.Highs) -> str:
    """'optimal', 'time_limit', 'infeasible', 'unbounded' or 'error', as in zcf's `SolveReport`."""
    return _WORDS.get(h.getModelStatus(), "error")


def has_solution(h: highspy.Highs) -> bool:
    """Whether HiGHS holds a feasible primal solution (an optimum or a time-limited incumbent)."""
    return h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible


def zcf_options(time_limit_s: float, mip_gap: float) -> dict[str, object]:
    """The options zcf gives HiGHS: a time limit, a relative MIP gap, no log, and its defaults."""
    from optimizer.solver.highs_model import HIGHS_DEFAULTS

    return {"output_flag": False, "time_limit": float(time_limit_s), "mip_rel_gap": float(mip_gap), **HIGHS_DEFAULTS}


def set_options(h: highspy.Highs, time_limit_s: float, mip_gap: float) -> None:
    """zcf's options on a `Highs` object: the floor is solved exactly as zcf solves."""
    for name, value in zcf_options(time_limit_s, mip_gap).items():
        h.setOptionValue(name, value)
