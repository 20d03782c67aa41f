"""Running a sweep: skip what is stored, solve the rest where asked, store each row on arrival.

A row is stored under the key of the point it was asked for, and only one sweep at a time writes
into a results folder (`ResultStore.writing`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models.errors import InputError
from models.scenario.sweep import Point, Sweep
from optimizer.model import registry
from optimizer.studies.executors import run_tasks
from optimizer.studies.store import FAILED, ResultStore, point_row


@dataclass(frozen=True)
class SweepRun:
    table: pd.DataFrame  # one row per point, in point order
    solved: int  # points solved in this run
    skipped: int  # points found already stored
    failed: int  # points of this run that gave no answer (their error is in the table)
    seconds: float


def run_sweep(sweep: Sweep, out: Path, workers: int = 1, scheduler: str | None = None, dask: str | None = None,
              retry_failed: bool = False, on_result: Callable[[dict[str, Any]], None] | None = None,
              with_no_target: bool = True) -> SweepRun:
    """Solve every point of `sweep` not stored under `out` yet; returns the gathered table.

    With `with_no_target`, a point with a target also solves its plan without it (target cost).

    Only with the registry's own assets: worker processes import the registry afresh, and point
    keys hash the source files, so an asset added for a block (`registry.extended`) would be
    missing from the workers' plans and from the keys of stored points.
    """
    if not registry.is_built_in():
        raise InputError("a sweep solves with the assets of optimizer/model/registry.py only; add the asset "
                         "there (one line) to sweep it")
    start = time.perf_counter()
    store = ResultStore(out)
    with store.writing():
        done = store.done(retry_failed)
        todo = pending(sweep, done)
        tasks = [{"row": point_row(sweep, p), "scenario": p.scenario, "no_target": with_no_target} for p in todo]
        failed = 0
        with closing(run_tasks(tasks, workers, scheduler, dask)) as rows:  # closed: no worker outlives the sweep
            for row in rows:
                store.write(row)
                failed += row.get("status") in FAILED
                if on_result is not None:
                    on_result(row)
        table = store.gather(sweep)
    skipped = sum(p.key in done for p in sweep.points)
    return SweepRun(table, len(todo), skipped, failed, time.perf_counter() - start)


def pending(sweep: Sweep, done: set[str]) -> list[Point]:
    """The points to solve: not stored yet, and each scenario once however many points share it."""
    return list({p.key: p for p in reversed(sweep.points) if p.key not in done}.values())[::-1]


def count_pending(sweep: Sweep, out: Path, retry_failed: bool = False) -> int:
    """How many points a run of `sweep` into `out` would solve."""
    return len(pending(sweep, ResultStore(out).done(retry_failed)))
