"""`zcf solve`, `zcf compare`, `zcf validate` and `zcf schema`: one scenario, or several side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from models.errors import InputError
from optimizer.cli.common import EXIT_NO_PLAN, charts_to_files, out_folder, user_errors


def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for summary.json, hourly.csv, charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
) -> None:
    """Solve SCENARIO: the least-cost plan meeting its target, with business as usual beside it."""
    from models.inputs.assemble import build_inputs
    from models.scenario.loading import load_scenario
    from optimizer.report.files import write_plan
    from optimizer.report.terminal import print_plan
    from optimizer.result.run import solve_inputs

    with user_errors():
        inputs = build_inputs(load_scenario(scenario))
        out_folder(out)
    charts_to_files()
    plan = solve_inputs(inputs, time_limit_s, mip_gap, tee=tee)
    paths = write_plan(plan, out)  # before printing: a closed terminal must not cost the results
    console = Console(emoji=False)  # names from scenarios print as written
    print_plan(plan, console)
    console.print(f"wrote {len(paths)} files to {out}/: {', '.join(p.name for p in paths)}")
    if not plan.has_plan:
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
    from models.inputs.assemble import build_inputs
    from models.scenario.loading import load_scenario
    from optimizer.atomic import atomic_write
    from optimizer.report.page import DEFAULT_TITLE, Entry, compare_page
    from optimizer.result.run import solve_inputs

    loaded, problems = [], []
    for path in scenarios:
        try:
            scenario = load_scenario(path)
            loaded.append((scenario.description, build_inputs(scenario)))
        except InputError as exc:
            problems += [line if line.startswith(path.name) else f"{path}: {line}" for line in exc.problems]
    with user_errors():
        if problems:
            raise InputError(problems)
    charts_to_files()
    console = Console(emoji=False)  # names from scenarios print as written
    entries = []
    for description, inputs in loaded:
        plan = solve_inputs(inputs, time_limit_s, mip_gap)
        cost = plan.summary.get("total_annual_cost")
        console.print(f"{escape(inputs.name)}: {plan.status}"
                      + (f", {cost / 1e6:,.2f} M {escape(inputs.currency)} per year" if plan.has_plan else ""),
                      highlight=False)
        entries.append(Entry.from_plan(plan, description))
    page = compare_page(entries, title or DEFAULT_TITLE)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, lambda p: p.write_text(page, encoding="utf-8"))
    console.print(f"wrote {escape(str(out))} ({len(entries)} scenarios)", highlight=False)


def validate(scenario: Annotated[Path, typer.Argument(help="Scenario or sweep YAML file.")]) -> None:
    """Check SCENARIO (or a sweep file and every point of it) and its data files without solving."""
    from models.inputs.assemble import build_inputs
    from models.scenario.loading import load_scenario, read_yaml
    from models.scenario.sweep import load_sweep

    with user_errors():
        if scenario.is_file() and {"base", "parameters"} <= set(read_yaml(scenario)):
            sweep = load_sweep(scenario)
            print(f"{scenario}: valid sweep '{sweep.name}' ({sweep.mode}, {len(sweep.points)} points, each "
                  "checked against the schema; data files are read when a point is solved)")
            return
        inputs = build_inputs(load_scenario(scenario))
    print(f"{scenario}: valid ({len(inputs.load_kw)} steps, {inputs.load_kwh / 1000:,.0f} MWh load)")
    for note in inputs.notes:
        print(f"note: {note}")


def schema(markdown: Annotated[bool, typer.Option("--markdown", help="As a Markdown table.")] = False) -> None:
    """Print every scenario field with its type, default and description."""
    from models.scenario.schema_doc import schema_markdown, schema_text

    print(schema_markdown() if markdown else schema_text())


