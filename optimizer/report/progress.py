"""A progress bar for sweeps: points done, failures, rate and time left.

The sweep's name is printed on a line of its own (it wraps); the bar's line keeps its figures whole
and narrows the bar when the terminal is narrow (80 columns in a log).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich import get_console
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Column

from optimizer.solver.status import FAILED


def _whole() -> Column:
    """A column whose text is never wrapped or cut."""
    return Column(no_wrap=True)


@contextmanager
def sweep_progress(total: int, label: str, console: Console | None = None) -> Iterator[Callable[[dict], None]]:
    """A callback to give each finished row; prints `label` (markup), then draws the bar while the block runs."""
    console = console or get_console()
    console.print(label)
    columns = (BarColumn(bar_width=30, table_column=Column(min_width=5)), MofNCompleteColumn(table_column=_whole()),
               TextColumn("failed {task.fields[failed]}", table_column=_whole()),
               TextColumn("{task.fields[rate]}", table_column=_whole()), TimeElapsedColumn(table_column=_whole()),
               TextColumn("left", table_column=_whole()), TimeRemainingColumn(table_column=_whole()))
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
