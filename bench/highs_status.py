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


def set_options(h: highspy.Highs, time_limit_s: float, mip_gap: float) -> None:
    """The options zcf passes through Pyomo: a time limit, a relative MIP gap, no log."""
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
