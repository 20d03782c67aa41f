"""Where sweep points are solved: in this process, in local worker processes, or on Dask.

Each executor takes the tasks and yields finished rows as they complete, in any order; the
caller stores each row as it arrives. Local workers are processes, never threads (Pyomo's
writers are not thread-safe), started with 'spawn' so no HiGHS state is forked.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from models.errors import InputError
from optimizer.studies.worker import solve_point

Task = dict[str, Any]


class WorkerLost(RuntimeError):
    """A worker process died mid-sweep (out of memory, killed): the points stored so far stay."""
CONNECT_TIMEOUT_S = 20  # how long to try a Dask scheduler before saying it cannot be reached


def run_tasks(tasks: list[Task], workers: int = 1, scheduler: str | None = None,
              dask: str | None = None) -> Iterator[dict[str, Any]]:
    """Finished rows, as they complete. `scheduler`: a Dask scheduler address; `dask='local'`:
    a Dask LocalCluster of `workers` processes; otherwise `workers` local processes."""
    if scheduler is not None or dask is not None:
        yield from _on_dask(tasks, workers, scheduler, dask)
    elif workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield solve_point(task)
    else:
        yield from _in_processes(tasks, workers)


def _in_processes(tasks: list[Task], workers: int) -> Iterator[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = [pool.submit(solve_point, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BrokenProcessPool:
            raise WorkerLost("a worker process died (out of memory?); the points solved so far are "
                             "stored, run the same command again to resume") from None
        finally:
            for future in futures:
                future.cancel()


def _on_dask(tasks: list[Task], workers: int, scheduler: str | None, dask: str | None) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise InputError("--scheduler and --dask need Dask's distributed package: pip install distributed") from exc
    if dask is not None and dask != "local":
        raise InputError(f"--dask: got {dask!r}; the only value is 'local' (a cluster on this machine); "
                         "for a running cluster give --scheduler ADDRESS")
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
    try:
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
        if cluster is not None:
            cluster.close()
