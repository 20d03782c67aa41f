"""A progress bar for sweeps: points done, failures, rate and time left."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from optimizer.solver.status import FAILED


@contextmanager
def sweep_progress(total: int, label: str, console: Console | None = None) -> Iterator[Callable[[dict], None]]:
    """A callback to give each finished row; draws the bar while the block runs."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("failed {task.fields[failed]}"), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=total, failed=0, rate="")

        def on_result(row: dict[str, Any]) -> None:
            state = progress.tasks[task]
            failed = state.fields["failed"] + (row.get("status") in FAILED)
            done = state.completed + 1
            elapsed = state.elapsed or 0.0
            rate = f"{elapsed / done:.1f} s/point" if done else ""
            progress.update(task, advance=1, failed=failed, rate=rate)

        yield on_result
