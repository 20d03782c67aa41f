"""The `zcf` command: solve a scenario, check one, print the scenario reference."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from models.errors import InputError

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Least-cost energy structure for a zero-carbon factory.")
_err = Console(stderr=True, emoji=False, highlight=False)  # user text is printed as written

EXIT_INPUT = 2  # a user mistake: the scenario, a data file or an option
EXIT_NO_PLAN = 1  # the scenario is valid but has no plan (target out of reach, solver failure)


@contextmanager
def _user_errors() -> Iterator[None]:
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


def _out_folder(out: Path) -> None:
    """Create `--out` before solving, so a bad folder is reported at once and not after the solve."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r} is a file; give a folder for the results")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {str(out)!r}: cannot create the folder ({exc.strerror or exc})") from None


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for summary.json, hourly.csv, charts.")],
    time_limit_s: Annotated[float | None, typer.Option("--time-limit", help="HiGHS time limit (s).", min=0.001)] = None,
    mip_gap: Annotated[float | None, typer.Option("--mip-gap", help="Relative MIP gap.", min=0, max=1)] = None,
    tee: Annotated[bool, typer.Option("--tee", help="Show HiGHS's log.")] = False,
) -> None:
    """Solve SCENARIO: the least-cost plan meeting its target, with business as usual beside it."""
    from models.assemble import build_inputs
    from models.scenario_file import load_scenario
    from optimizer.output import write_plan
    from optimizer.report import print_plan
    from optimizer.run import solve_inputs

    with _user_errors():
        inputs = build_inputs(load_scenario(scenario))
        _out_folder(out)
    plan = solve_inputs(inputs, time_limit_s, mip_gap, tee=tee)
    console = Console()
    print_plan(plan, console)
    paths = write_plan(plan, out)
    console.print(f"wrote {len(paths)} files to {out}/: {', '.join(p.name for p in paths)}")
    if not plan.has_plan:
        raise typer.Exit(EXIT_NO_PLAN)


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
    """Check SCENARIO and its data files without solving."""
    from models.assemble import build_inputs
    from models.scenario_file import load_scenario

    with _user_errors():
        inputs = build_inputs(load_scenario(scenario))
    print(f"{scenario}: valid ({len(inputs.load_kw)} steps, {inputs.load_kwh / 1000:,.0f} MWh load)")
    for note in inputs.notes:
        print(f"note: {note}")


@app.command()
def schema(markdown: Annotated[bool, typer.Option("--markdown", help="As a Markdown table.")] = False) -> None:
    """Print every scenario field with its type, default and description."""
    from models.schema_doc import schema_markdown, schema_text

    print(schema_markdown() if markdown else schema_text())


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())


if __name__ == "__main__":
    main()
