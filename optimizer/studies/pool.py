"""Local worker processes for a sweep: each point handed to one worker, its answer matched to it.

The parent gives each worker one point at a time, as `(key, task)`, and takes back `(key, row)`;
it knows which point every worker holds, so a worker that dies (a solver crash, the OOM killer)
costs that point alone: it is recorded as failed, with what happened in words, a new worker
takes the next point and the sweep goes on. A signal to the parent (SIGTERM, SIGINT, SIGHUP)
stops every worker (terminate, then kill after a short grace) and ends the sweep with
`SweepStopped`; the points stored so far stay. Workers die with the parent even when it dies
abruptly (Linux: PR_SET_PDEATHSIG; elsewhere a watchdog thread).
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from optimizer.solver.status import Status

Task = dict[str, Any]
Solve = Callable[[Task], dict[str, Any]]
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))
GRACE_S = 2.0  # how long a terminated worker has to go before it is killed
_log = logging.getLogger("zcf.sweep")


class WorkerLost(RuntimeError):
    """The sweep could not go on (a worker stopped from outside, or the sweep itself stopped by a
    signal): the points stored so far stay, and the same command started again resumes."""


class SweepStopped(WorkerLost):
    """The sweep was stopped by a signal; its workers are stopped, what was solved is stored."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum  # the shell's convention for a process ended by a signal
        super().__init__(f"the sweep was stopped ({signal.Signals(signum).name}); its workers are stopped and the "
                         "points solved so far are stored: run the same command again to resume")


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: int | None = None  # the position in `tasks` of the point it is solving
    since: float = 0.0


def run_local(tasks: list[Task], workers: int, solve: Solve) -> Iterator[dict[str, Any]]:
    """Rows of `tasks` solved by `solve` (a module-level function) in `workers` processes, as they
    finish (any order)."""
    context = multiprocessing.get_context("spawn")  # no HiGHS state is forked
    queue = deque(range(len(tasks)))
    pool: list[_Worker] = []  # the workers that may still take a point
    leaving: list[_Worker] = []  # told to end: no point left for them
    with stopping_on_signals() as signals:
        try:
            while queue or pool:
                for worker in [w for w in pool if w.task is None and not w.process.is_alive()]:  # lost idle
                    pool.remove(worker)
                    leaving.append(worker)
                while queue and len(pool) < workers:
                    pool.append(_start(context, solve))
                for worker in [w for w in pool if w.task is None]:
                    if queue:
                        _assign(worker, queue.popleft(), tasks)
                    else:  # nothing left for it
                        _send(worker, None)
                        pool.remove(worker)
                        leaving.append(worker)
                busy = [w for w in pool if w.task is not None]
                if not busy:
                    continue
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
                for worker in busy:
                    row = _collect(worker, tasks)
                    if row is not None:
                        if not worker.process.is_alive():  # lost: a new worker takes the next point
                            pool.remove(worker)
                            leaving.append(worker)
                        yield row
        finally:
            signals.quiet = True  # a second signal must not cut the clean-up short
            _stop(pool, leaving)
    if signals.received is not None:  # came while the workers were being stopped at the end
        raise SweepStopped(signals.received)


def _start(context: Any, solve: Solve) -> _Worker:
    parent, child = context.Pipe()
    named = f"{solve.__module__}:{solve.__qualname__}"  # imported once the worker is tied to us: it is slow
    process = context.Process(target=serve, args=(child, named, os.getpid()), daemon=True, name="zcf-sweep-worker")
    process.start()
    child.close()
    return _Worker(process, parent)


def _assign(worker: _Worker, position: int, tasks: list[Task]) -> None:
    worker.task, worker.since = position, time.perf_counter()
    _send(worker, (tasks[position]["row"]["key"], tasks[position]))


def _send(worker: _Worker, message: Any) -> None:
    with suppress(OSError):  # the worker is gone already: its sentinel says so next
        worker.conn.send(message)


def _collect(worker: _Worker, tasks: list[Task]) -> dict[str, Any] | None:
    """The finished row of a busy worker, a failed row if it died, or None while it works."""
    assert worker.task is not None
    task = tasks[worker.task]
    try:
        if worker.conn.poll():
            key, row = worker.conn.recv()
            if key != task["row"]["key"] or row.get("key") != key:
                raise RuntimeError(f"a worker solving point {task['row']['index']} answered for point {key}")
            worker.task = None
            return {**row, **task["row"]}  # who the point is comes from the parent, never from the worker
    except (EOFError, OSError):
        pass
    if worker.process.is_alive():
        return None
    worker.process.join()
    worker.task = None
    return _lost_row(task, worker.process, time.perf_counter() - worker.since)


def _lost_row(task: Task, process: BaseProcess, seconds: float) -> dict[str, Any]:
    """The point whose worker died, recorded as failed with what happened; raises `WorkerLost` for a
    worker stopped from outside (SIGTERM, SIGINT, SIGHUP), which is not the point's doing."""
    point = task["row"]["index"]
    code = process.exitcode if process.exitcode is not None else 0
    if -code in STOP_SIGNALS:
        raise WorkerLost(f"point {point}: its worker process was stopped ({signal.Signals(-code).name}); the points "
                         "solved so far are stored: run the same command again to resume")
    words = lost_words(code)
    _log.warning("point %s: %s; recorded as failed, the other points go on", point, words)
    return {**task["row"], "status": Status.ERROR.value, "error": words, "point_seconds": seconds,
            "worker": f"{socket.gethostname()}:{process.pid}"}


def lost_words(exitcode: int) -> str:
    """What a worker's exit code says happened to it."""
    if exitcode == -getattr(signal, "SIGKILL", 9):
        return "the solver process was killed (SIGKILL; out of memory?)"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"the solver process crashed (signal {name})"
    if exitcode > 0:
        return f"the solver process exited with code {exitcode}"
    return "the solver process ended without an answer"


def _stop(pool: list[_Worker], leaving: list[_Worker]) -> None:
    """Every worker gone: those of `pool` terminated, those `leaving` (told to end) given the grace,
    and any left after it killed."""
    for worker in pool:
        if worker.process.is_alive():
            worker.process.terminate()
    workers = pool + leaving
    deadline = time.monotonic() + GRACE_S
    for worker in workers:
        worker.process.join(max(deadline - time.monotonic(), 0.0))
    for worker in workers:
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(GRACE_S)
        worker.conn.close()


@dataclass
class _Signals:
    received: int | None = None
    quiet: bool = False

    def handle(self, signum: int, frame: Any) -> None:
        if self.received is None:
            self.received = signum
            if not self.quiet:
                raise SweepStopped(signum)


@contextmanager
def stopping_on_signals() -> Iterator[_Signals]:
    """While the block runs, SIGTERM, SIGINT and SIGHUP raise `SweepStopped` (main thread only)."""
    signals = _Signals()
    if threading.current_thread() is not threading.main_thread():
        yield signals
        return
    before = {s: signal.signal(s, signals.handle) for s in STOP_SIGNALS}
    try:
        yield signals
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def serve(conn: Connection, solve_name: str, parent: int) -> None:
    """A worker: solve each `(key, task)` received with `solve_name` ('module:function') and send
    back `(key, row)`, until told None."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    if "fork" in multiprocessing.get_all_start_methods():  # never used here: locks that libraries make at import
        multiprocessing.set_start_method("fork", force=True)  # (Pyomo's) stay unnamed, none leaked when we are killed
    module, _, name = solve_name.partition(":")
    solve = getattr(importlib.import_module(module), name)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, task = message
        try:
            row = solve(task)
        except Exception as exc:  # solve_point records its own failures; this is a last resort
            row = {**task["row"], "status": Status.ERROR.value, "error": f"{type(exc).__name__}: {exc}"}
        conn.send((key, row))


def _die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, however it ends."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            _watch(parent)
    else:
        _watch(parent)
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)


def _watch(parent: int) -> None:
    def watchdog() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watchdog, daemon=True, name="zcf-parent-watchdog").start()
