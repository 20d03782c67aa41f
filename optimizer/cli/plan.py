"""`zcf solve`, `zcf roadmap`, `zcf compare`, `zcf validate` and `zcf schema`: one scenario, or several side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from optimizer.atomic import protecting
from optimizer.cli.common import EXIT_NO_PLAN, charts_to_files, stage_lines, user_errors
from optimizer.formats import count, figure

if TYPE_CHECKING:
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan


def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH", help="Folder for summary.json, hourly.csv, "
                                     "charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
    excel: Annotated[bool, typer.Option("--excel", help="Also write plan.xlsx (summary, costs, emissions, "
                                        "hourly flows).")] = False,
) -> None:
    """Solve SCENARIO: the least-cost plan meeting its target, with business as usual beside it."""
    from models.scenario.reads import scenario_files
    from optimizer import api
    from optimizer.cli.common import out_folder, out_path
    from optimizer.report.terminal import print_plan

    charts_to_files()
    from optimizer.report.files import PLAN_FILES  # draws: after charts_to_files

    with user_errors():
        folder = out_path(out, "a folder for the results")
        inputs = api.load_inputs(scenario)
        reads = scenario_files(scenario)
        out_folder(folder, PLAN_FILES, reads)
    plan = api.solve(inputs, time_limit_s=time_limit_s, mip_gap=mip_gap, tee=tee, stage=stage_lines())
    with user_errors(), protecting(reads):
        paths = api.save_plan(plan, folder, excel)  # before printing: a closed terminal must not cost the results
    console = Console(emoji=False)  # names from scenarios print as written
    print_plan(plan, console)
    console.print(f"wrote {count(len(paths), 'file')} to {folder}/: {', '.join(p.name for p in paths)}")
    if not plan.has_plan or plan.missed_by_t is not None:  # a plan missing its target is no plan of the scenario
        raise typer.Exit(EXIT_NO_PLAN)


def roadmap(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file with a roadmap section.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH", help="Folder for roadmap.json, roadmap.csv, "
                                     "hourly flows, charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
) -> None:
    """Solve SCENARIO's roadmap: what to build and buy in each model year, at the least present cost."""
    from models.scenario.reads import scenario_files
    from optimizer import api
    from optimizer.cli.common import out_folder, out_path
    from optimizer.report.roadmap_terminal import print_roadmap

    charts_to_files()
    from optimizer.report.roadmap_files import ROADMAP_FILES  # draws: after charts_to_files

    with user_errors():
        folder = out_path(out, "a folder for the results")
        scenario_ = api.load_scenario(scenario)
        reads = scenario_files(scenario)
        out_folder(folder, ROADMAP_FILES, reads)
        plan = api.roadmap(scenario_, time_limit_s=time_limit_s, mip_gap=mip_gap, tee=tee, stage=stage_lines())
    with user_errors(), protecting(reads):
        paths = api.save_roadmap(plan, folder)  # before printing: a closed terminal must not cost the results
    console = Console(emoji=False)
    print_roadmap(plan, console)
    console.print(f"wrote {count(len(paths), 'file')} to {folder}/: {', '.join(p.name for p in paths)}")
    if plan.summary.get("npv") is None:
        raise typer.Exit(EXIT_NO_PLAN)


def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files, one column each.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH", help="HTML file to write.")],
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
) -> None:
    """Solve each SCENARIO and write one self-contained HTML page comparing them side by side.

    A scenario whose target is out of reach keeps its column, with the reasons in words.
    """
    from models.scenario.reads import scenario_files
    from optimizer import api
    from optimizer.cli.common import out_file

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
        outcome = (f"target missed by {figure(plan.missed_by_t)} tCO2e a year; lowest-emission plan"
                   if plan.missed_by_t is not None else str(plan.status))
        console.print(f"{escape(plan.inputs.name)}: {outcome}"
                      + (f", {cost / 1e6:,.2f} M {escape(plan.inputs.currency)} per year" if plan.has_plan else ""),
                      highlight=False)

    charts_to_files()
    with user_errors():  # every file is read and checked before any is solved; --out too
        reads = [path for s in scenarios for path in scenario_files(s)]
        page = out_file(out, reads)
        with protecting(reads):
            done = api.compare(scenarios, page, title=title, time_limit_s=time_limit_s, mip_gap=mip_gap,
                               on_plan=solved, stage=stage_lines())
    columns = count(len(done.entries) + len(done.roadmaps), "scenario")
    console.print(f"wrote {escape(str(page))} ({columns})", highlight=False)


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
