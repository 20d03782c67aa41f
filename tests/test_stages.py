"""Progress of long steps: which steps a solve names, and what `StageLines` prints for a step that
takes long and for one that does not."""

from __future__ import annotations

import io
import time
from contextlib import contextmanager
from dataclasses import replace

from rich.console import Console

from optimizer.result.run import solve_inputs
from optimizer.stages import StageLines
from tests.cases import busy_week, plant


def recorder():
    seen: list[str] = []

    @contextmanager
    def stage(label: str):
        seen.append(label)
        yield

    return stage, seen


def test_a_solve_names_its_steps_in_order():
    stage, seen = recorder()
    week = busy_week()
    solve_inputs(week, stage=stage)
    assert seen == [f"{week.name}: building and solving the plan", f"{week.name}: reading the plan",
                    f"{week.name}: solving the plan without its target"]


def test_an_unreachable_target_names_the_search_for_why():
    stage, seen = recorder()
    solve_inputs(replace(plant([100.0] * 24, 0.5), max_net_t=0.0), stage=stage)
    assert seen == ["test plant: building and solving the plan", "test plant: the target is out of reach; finding why"]


def test_a_long_step_gets_a_line_when_it_runs_long_and_one_with_its_time():
    out = io.StringIO()
    lines = StageLines(Console(file=out, width=200), after_s=0.05)
    with lines("[roof] solving"):  # brackets are printed as written, not read as markup
        time.sleep(0.3)
    with lines("quick step"):
        pass
    printed = out.getvalue().splitlines()
    assert printed[0] == "[roof] solving…"
    assert printed[1].startswith("[roof] solving: ") and printed[1].endswith(" s")
    assert 0.3 <= float(printed[1].removeprefix("[roof] solving: ").removesuffix(" s")) < 5
    assert len(printed) == 2  # the quick step printed nothing
