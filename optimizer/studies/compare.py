"""Plans and roadmaps side by side on one page: read and check every scenario, then solve each.

Single-year plans get a column each in the comparison's tables and charts; roadmaps get a column
each in the roadmap section below them (`optimizer.report.roadmap_page`); a page of roadmaps only
is the roadmap page alone. Importing it is cheap (`Comparison` is part of the public API); the
solver and the charts load when a page is made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.errors import InputError
from optimizer.stages import Stage, quiet

if TYPE_CHECKING:
    from models.inputs import Inputs
    from models.inputs.roadmap import RoadmapInputs
    from optimizer.report.page import Entry
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan

    Column = Inputs | Plan | RoadmapInputs | RoadmapPlan


@dataclass(frozen=True)
class Comparison:
    """Plans side by side: each plan, its column on the page, each roadmap, and the self-contained HTML page."""

    plans: tuple[Plan, ...]
    entries: tuple[Entry, ...]
    html: str
    path: Path | None  # where the page was written, if it was
    roadmaps: tuple[RoadmapPlan, ...] = ()


def compare_columns(columns: Sequence[tuple[str, Column]], out: str | Path | None, title: str | None,
                    time_limit_s: float | None, mip_gap: float | None,
                    on_plan: Callable[[Plan | RoadmapPlan], None] | None, stage: Stage = quiet) -> Comparison:
    """Solve what is not solved yet, in order (`stage` told each step), and build (and with `out`,
    write) the page."""
    from models.inputs.roadmap import RoadmapInputs
    from optimizer.atomic import atomic_write
    from optimizer.report.page import DEFAULT_TITLE, Entry, compare_page
    from optimizer.report.roadmap_page import roadmap_page, roadmap_section
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan, solve_roadmap
    from optimizer.result.run import solve_inputs

    plans, entries, roadmaps, described = [], [], [], []
    for description, item in columns:
        if isinstance(item, RoadmapInputs | RoadmapPlan):
            done = item if isinstance(item, RoadmapPlan) else solve_roadmap(item, time_limit_s, mip_gap, stage=stage)
            roadmaps.append(done)
            described.append(description)
        else:
            done = item if isinstance(item, Plan) else solve_inputs(item, time_limit_s, mip_gap, stage=stage,
                                                                            best_when_missed=True)
            plans.append(done)
            entries.append(Entry.from_plan(done, description))
        if on_plan is not None:
            on_plan(done)
    summaries = [r.summary for r in roadmaps]
    if entries:
        more = roadmap_section(summaries, described) if roadmaps else ""
        html = compare_page(entries, title or DEFAULT_TITLE, more=more)
    else:
        html = roadmap_page(summaries, title or "Roadmaps compared", described)
    path = None if out is None else Path(out)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda p: p.write_text(html, encoding="utf-8"))
    return Comparison(tuple(plans), tuple(entries), html, path, tuple(roadmaps))


def problems_of(item: Any, exc: InputError) -> list[str]:
    """An input's problems, each naming the file or scenario it is about."""
    if isinstance(item, str | Path):
        name, where = Path(item).name, str(item)
    else:  # a scenario as a dict names itself in its lines already
        name = where = str(item.get("name") or "scenario") if isinstance(item, Mapping) else ""
    return [line if name and line.startswith(name) else f"{where}: {line}" for line in exc.problems]
