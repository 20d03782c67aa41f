"""The one status of a solve, as HiGHS's outcome is told to a user."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The outcome of one solve (a sweep point may also fail before solving)."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"  # a plan or none, stopped by the time limit: maybe not the best
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"
    INPUT_ERROR = "input_error"  # a sweep point whose scenario is not valid


FAILED = (Status.ERROR, Status.INPUT_ERROR)  # statuses that come with no answer at all
