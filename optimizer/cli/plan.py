"""`zcf solve`, `zcf roadmap`, `zcf compare`, `zcf validate` and `zcf schema`: one scenario, or several side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from optimizer.cli.common import EXIT_NO_PLAN, charts_to_files, stage_lines, user_errors
from optimizer.formats import count

if TYPE_CHECKING:
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan


def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for summary.json, hourly.csv, charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
    excel: Annotated[bool, typer.Option("--excel", help="Also write plan.xlsx (summary, costs, emissions, "
                                        "hourly flows).")] = False,
) -> None:
    """Solve SCENARIO: the least-cost plan meeting its target, with business as usual beside it."""
    from optimizer import api
    from optimizer.report.terminal import print_plan

    with user_errors():
        inputs = api.load_inputs(scenario)
        api.out_folder(out)
    charts_to_files()
    plan = api.solve(inputs, time_limit_s=time_limit_s, mip_gap=mip_gap, tee=tee, stage=stage_lines())
    paths = api.save_plan(plan, out, excel)  # before printing: a closed terminal must not cost the results
    console = Console(emoji=False)  # names from scenarios print as written
    print_plan(plan, console)
    console.print(f"wrote {count(len(paths), 'file')} to {out}/: {', '.join(p.name for p in paths)}")
    if not plan.has_plan:
        raise typer.Exit(EXIT_NO_PLAN)


def roadmap(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file with a roadmap section.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for roadmap.json, roadmap.csv, hourly flows, "
                                      "charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
) -> None:
    """Solve SCENARIO's roadmap: what to build and buy in each model year, at the least present cost."""
    from optimizer import api
    from optimizer.report.roadmap_terminal import print_roadmap

    with user_errors():
        scenario_ = api.load_scenario(scenario)
        api.out_folder(out)
        charts_to_files()
        plan = api.roadmap(scenario_, time_limit_s=time_limit_s, mip_gap=mip_gap, tee=tee, stage=stage_lines())
    paths = api.save_roadmap(plan, out)  # before printing: a closed terminal must not cost the results
    console = Console(emoji=False)
    print_roadmap(plan, console)
    console.print(f"wrote {count(len(paths), 'file')} to {out}/: {', '.join(p.name for p in paths)}")
    if plan.summary.get("npv") is None:
        raise typer.Exit(EXIT_NO_PLAN)


def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files, one column each.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
) -> None:
    """Solve each SCENARIO and write one self-contained HTML page comparing them side by side.

    A scenario whose target is out of reach keeps its column, with the reasons in words.
    """
    from optimizer import api

    console = Console(emoji=False)  # names from scenarios print as written

    def solved(plan: Plan | RoadmapPlan) -> None:
        s = plan.summary
        if "npv" in s:  # a roadmap
            npv = s["npv"]
            console.print(f"{escape(s['name'])}: roadmap {s['status']}"
                          + (f", present value {npv / 1e6:,.2f} M {escape(s['currency'])}" if npv is not None else ""),
                          highlight=False)
            return
        cost = s.get("total_annual_cost")
        console.print(f"{escape(plan.inputs.name)}: {plan.status}"
                      + (f", {cost / 1e6:,.2f} M {escape(plan.inputs.currency)} per year" if plan.has_plan else ""),
                      highlight=False)

    charts_to_files()
    with user_errors():  # every file is read and checked before any is solved
        done = api.compare(scenarios, out, title=title, time_limit_s=time_limit_s, mip_gap=mip_gap, on_plan=solved,
                           stage=stage_lines())
    columns = count(len(done.entries) + len(done.roadmaps), "scenario")
    console.print(f"wrote {escape(str(out))} ({columns})", highlight=False)


def validate(scenario: Annotated[Path, typer.Argument(help="Scenario or sweep YAML file.")]) -> None:
    """Check SCENARIO (or a sweep file and every point of it) and its data files without solving."""
    from optimizer import api

    with user_errors():
        found = api.validate(scenario)
    if not isinstance(found, api.Validation):
        print(f"{scenario}: valid sweep '{found.name}' ({found.mode}, {count(len(found.points), 'point')}, each "
              "checked against the schema; data files are read when a point is solved)")
        return
    print(f"{scenario}: valid ({found.steps} steps, {found.load_mwh:,.0f} MWh load)")
    for note in found.notes:
        print(f"note: {note}")


def schema(markdown: Annotated[bool, typer.Option("--markdown", help="As a Markdown table.")] = False) -> None:
    """Print every scenario field with its type, default and description."""
    from optimizer import api

    print(api.schema(markdown))
