"""Where sweep points are solved: in this process, in local worker processes, or on Dask.

Each executor takes the tasks and yields finished rows as they complete, in any order; the
caller stores each row as it arrives. Every row is matched to its task by the point's key, and
the columns that say which point it is come from the task, never from the solver. Local
workers are processes, never threads (Pyomo's writers are not thread-safe), started with
'spawn' so no HiGHS state is forked (`optimizer.studies.pool`: crashes, signals, clean-up).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.errors import InputError
from optimizer.studies.pool import SweepStopped, Task, WorkerLost, run_local, stopping_on_signals
from optimizer.studies.worker import solve_point

__all__ = ["SweepStopped", "WorkerLost", "run_tasks"]
CONNECT_TIMEOUT_S = 20  # how long to try a Dask scheduler before saying it cannot be reached


def run_tasks(tasks: list[Task], workers: int = 1, scheduler: str | None = None,
              dask: str | None = None) -> Iterator[dict[str, Any]]:
    """Finished rows, as they complete. `scheduler`: a Dask scheduler address; `dask='local'`:
    a Dask LocalCluster of `workers` processes; otherwise `workers` local processes.

    With other processes at work, SIGTERM, SIGINT and SIGHUP stop them and raise `SweepStopped`;
    close the iterator (`contextlib.closing`) so they are stopped whatever stops the caller."""
    if scheduler is not None or dask is not None:
        rows = _on_dask(tasks, workers, scheduler, dask)
    elif workers <= 1 or len(tasks) <= 1:
        rows = (solve_point(task) for task in tasks)
    else:
        rows = run_local(tasks, min(workers, len(tasks)), solve_point)  # solve_point read now: tests replace it
    by_key = {task["row"]["key"]: task for task in tasks}
    try:
        for row in rows:
            yield matched(by_key, row)
    finally:
        rows.close()


def matched(by_key: dict[str, Task], row: dict[str, Any]) -> dict[str, Any]:
    """`row` with the identifying columns of its own task: a row for a point not asked is an error."""
    task = by_key.get(str(row.get("key")))
    if task is None:
        raise RuntimeError(f"a worker answered for point key {row.get('key')!r}, which this sweep did not ask")
    return {**row, **task["row"]}


def _on_dask(tasks: list[Task], workers: int, scheduler: str | None, dask: str | None) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise InputError("--scheduler and --dask need Dask's distributed package: pip install distributed") from exc
    if dask is not None and dask != "local":
        raise InputError(f"--dask: got {dask!r}; the only value is 'local' (a cluster on this machine); "
                         "for a running cluster give --scheduler ADDRESS")
    cluster = None
    with stopping_on_signals() as signals:
        try:
            if scheduler is None:
                cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            try:
                client = Client(cluster if cluster is not None else scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
            except OSError as exc:
                raise InputError(f"--scheduler: cannot reach a Dask scheduler at {scheduler!r} ({exc})") from None
            with client:
                futures = [client.submit(solve_point, task, key=f"zcf-{task['row']['key']}", pure=False)
                           for task in tasks]
                for future in as_completed(futures):
                    yield future.result()
        finally:
            signals.quiet = True  # the cluster is closed whatever comes
            if cluster is not None:
                cluster.close()
