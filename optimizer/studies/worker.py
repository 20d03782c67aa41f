"""Solving one sweep point where the work is done: a local process or a Dask worker.

Each worker process keeps its last models (`Resolver`), so consecutive points that differ only
in values are re-solved in place. Pyomo is not thread-safe: one point at a time per process.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

from models.errors import InputError
from optimizer.solver.resolver import Resolver
from optimizer.solver.status import Status

_resolver: Resolver | None = None
_lock = threading.Lock()


def solve_point(task: dict[str, Any]) -> dict[str, Any]:
    """`task` = {"row": the point's identifying columns, "scenario": the scenario as a dict,
    "no_target": whether to solve the point's no-target plan too (default True)}.

    Returns the row completed with the status, every summary field flattened and timings; a
    point that fails carries its error in words instead, so the sweep goes on.
    """
    global _resolver
    from models.inputs.assemble import build_inputs
    from models.inputs.roadmap import build_roadmap_inputs
    from models.scenario.loading import validate
    from optimizer.result.roadmap import solve_roadmap, study_row
    from optimizer.result.run import solve_inputs
    from optimizer.studies.store import flatten

    with _lock:
        _resolver = _resolver or Resolver()
        start = time.perf_counter()
        row = dict(task["row"])
        try:
            scenario = validate(task["scenario"], where=row["label"])
            if scenario.roadmap is not None:  # a roadmap point: its present value and each year's figures
                rin = build_roadmap_inputs(scenario)
                inputs_s = time.perf_counter() - start
                row.update(flatten(study_row(solve_roadmap(rin).summary)))
            else:
                inputs = build_inputs(scenario)
                inputs_s = time.perf_counter() - start
                plan = solve_inputs(inputs, resolver=_resolver, with_no_target=task.get("no_target", True))
                row.update(flatten(plan.summary))
            row["inputs_seconds"] = inputs_s
            row["error"] = None
        except InputError as exc:
            row.update(status=Status.INPUT_ERROR.value, error="\n".join(exc.problems))
        except Exception as exc:  # a point that breaks must not stop the sweep: record it
            row.update(status=Status.ERROR.value, error=f"{type(exc).__name__}: {exc}")
        row["point_seconds"] = time.perf_counter() - start
        row["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return row
