"""What every `zcf` command shares: exit codes, user errors as one line each, charts drawn to files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from models.errors import InputError

if TYPE_CHECKING:
    from optimizer.stages import StageLines

_err = Console(stderr=True, emoji=False, highlight=False)  # user text is printed as written

EXIT_INPUT = 2  # a user mistake: the scenario, a data file or an option
EXIT_NO_PLAN = 1  # the scenario is valid but has no plan (target out of reach, solver failure)


@contextmanager
def user_errors() -> Iterator[None]:
    """Every InputError as one line per problem on stderr and exit code 2, never a traceback.

    User text inside a line (names, values, file names) is escaped: `[red]` or `:fire:` in a
    scenario prints as typed, not as colour or an emoji.
    """
    try:
        yield
    except InputError as exc:
        for line in exc.problems:
            _err.print(f"[red]error:[/red] {escape(line)}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None


@contextmanager
def lost_workers() -> Iterator[None]:
    """A worker process that died: one line, exit 1; what was solved is stored."""
    from optimizer.studies.executors import WorkerLost

    try:
        yield
    except WorkerLost as exc:
        _err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_NO_PLAN) from None


def charts_to_files() -> None:
    """Charts go to files: no window, whatever the machine has (matplotlib loads only here)."""
    import matplotlib

    matplotlib.use("Agg")


def stage_lines() -> StageLines:
    """Progress lines on standard error for each step over two seconds: a log shows what a long
    run is doing while it does it; the plan itself goes to standard output."""
    from optimizer.stages import StageLines

    return StageLines(Console(stderr=True, emoji=False))
