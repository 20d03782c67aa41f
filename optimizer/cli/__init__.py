"""The `zcf` command: a thin shell that parses, calls `optimizer.api` and prints.

Importing it loads neither Pyomo, HiGHS nor matplotlib: `zcf --help`, `zcf schema` and
`zcf validate` start at once, and each command imports what it needs when it runs.
"""

from __future__ import annotations

import sys

import typer

from optimizer.cli import plan, studies

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Least-cost energy structure for a zero-carbon factory.")
for command in (plan.solve, plan.roadmap, plan.compare, plan.validate, plan.schema, studies.sweep, studies.pareto):
    app.command()(command)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"zcf {version('zcf')}")
        except PackageNotFoundError:  # run from a source tree that is not installed
            typer.echo("zcf (not installed: version unknown)")
        raise typer.Exit()


@app.callback()
def _options(show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                               help="Print zcf's version and exit.")) -> None:
    """Least-cost energy structure for a zero-carbon factory."""


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())


if __name__ == "__main__":
    main()
