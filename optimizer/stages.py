"""Progress of a run's long steps, for people watching a terminal or reading a log.

A step (solving the plan, the plan without its target, explaining an unreachable target, a
roadmap's years) is run inside `stage(label)`. The solver code only names its steps; what is shown
is the caller's choice: nothing (`quiet`, the default of the functions) or `StageLines`, which
prints a line when a step has run for two seconds and one with its time when it ends, so a log
shows what a long run is doing while it does it, and a short run prints nothing extra.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

Stage = Callable[[str], AbstractContextManager]  # stage(label) -> a context the step runs in


def quiet(label: str) -> AbstractContextManager:
    """A step that shows nothing."""
    return nullcontext()


class StageLines:
    """Progress lines on `console` for every step that takes `after_s` or longer."""

    def __init__(self, console: Console, after_s: float = 2.0):
        self.console, self.after_s = console, after_s

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        timer = threading.Timer(self.after_s, lambda: self.say(f"{label}…"))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            elapsed = time.perf_counter() - start
            if elapsed >= self.after_s:
                self.say(f"{label}: {elapsed:.1f} s")

    def say(self, line: str) -> None:
        """One progress line, as written (a scenario's name may hold brackets)."""
        self.console.print(line, style="dim", highlight=False, markup=False)
