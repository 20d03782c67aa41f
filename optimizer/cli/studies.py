"""`zcf sweep` and `zcf pareto`: many scenarios from one file, gathered in one table with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from optimizer.formats import count

Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Local worker processes.")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler.")]
DaskLocal = Annotated[str | None, typer.Option("--dask", help="'local': start a Dask LocalCluster of --workers.")]
TimeLimit = Annotated[float | None, typer.Option("--time-limit", min=0.001, help="HiGHS time limit per point (s).")]
MipGap = Annotated[float | None, typer.Option("--mip-gap", min=0, max=1, help="Relative MIP gap.")]

# What a sweep writes in its folder (optimizer.studies.store, optimizer.report.sweep_charts), as glob patterns,
# and what a frontier adds (optimizer.report.study_files, optimizer.report.pareto_charts).
SWEEP_FILES = ("results.parquet", "results.csv", "results.xlsx", "points/*.parquet", "tornado.png",
               "distributions.png", "heatmap.png", "lines.png", "points.png")
FRONTIER_OUT = (*SWEEP_FILES, "frontier.csv", "frontier_steps.csv", "frontier.json", "pareto.png", "mac_curve.png")


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep YAML file.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH", help="Folder for results.parquet, results.csv, "
                                     "charts.")],
    workers: Workers = 1,
    scheduler: Scheduler = None,
    dask: DaskLocal = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Solve again points that failed.")] = False,
    time_limit_s: TimeLimit = None,
    mip_gap: MipGap = None,
    excel: Annotated[bool, typer.Option("--excel", help="Also write results.xlsx (the results table).")] = False,
) -> None:
    """Solve every point of SWEEP_FILE; started again, it skips the points already stored in OUT."""
    from models.scenario.reads import sweep_files
    from optimizer import api
    from optimizer.atomic import protecting
    from optimizer.cli.common import charts_to_files, lost_workers, out_folder, out_path, user_errors
    from optimizer.report.progress import sweep_progress
    from optimizer.report.study_tables import print_points

    charts_to_files()
    console = Console(emoji=False)  # names from scenarios print as written
    with user_errors(), lost_workers():
        folder = out_path(out, "a folder for the results")
        spec = api.load_sweep(sweep_file, time_limit_s=time_limit_s, mip_gap=mip_gap)
        reads = sweep_files(sweep_file, spec)
        out_folder(folder, SWEEP_FILES, reads)
        with protecting(reads):
            run = api.sweep(spec, folder, workers=workers, scheduler=scheduler, dask=dask, retry_failed=retry_failed,
                            charts=False, progress=lambda s, total: sweep_progress(total, escape(s.name), console))
    currency = spec.points[0].scenario.get("currency", "CNY")
    with user_errors(), protecting(reads):
        charts = api.sweep_charts(spec, run, folder)
    console.print(f"{escape(spec.name)}: {count(len(spec.points), 'point')}; solved {run.solved}, already stored "
                  f"{run.skipped}, failed {run.failed}; {run.seconds:.1f} s")
    print_points(run.table, spec.parameters, console, currency)
    files = ["results.parquet", "results.csv", *(p.name for p in charts)]
    if excel:
        from optimizer.report.excel import write_workbook

        with user_errors(), protecting(reads):
            files.insert(2, write_workbook(folder / "results.xlsx", {"results": run.table}).name)
    console.print(f"wrote {', '.join(files)} to {folder}/ (each point also in {folder}/points/)")
    if run.failed:
        raise typer.Exit(1)


def pareto(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH", help="Folder for the frontier table and charts.")],
    points: Annotated[int, typer.Option("--points", "-n", min=2, help="Caps from business as usual to 0.")] = 11,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    dask: DaskLocal = None,
    time_limit_s: TimeLimit = None,
    mip_gap: MipGap = None,
) -> None:
    """Least cost at each net-emissions cap from business as usual to net zero, with the MAC curve."""
    from models.scenario.reads import scenario_files
    from optimizer import api
    from optimizer.atomic import protecting
    from optimizer.cli.common import charts_to_files, lost_workers, out_folder, out_path, user_errors
    from optimizer.report.progress import sweep_progress
    from optimizer.report.study_files import FRONTIER_FILES
    from optimizer.report.study_tables import print_frontier

    charts_to_files()
    console = Console(emoji=False)  # names from scenarios print as written
    with user_errors(), lost_workers():
        folder = out_path(out, "a folder for the results")
        reads = scenario_files(scenario)
        out_folder(folder, FRONTIER_OUT, reads)
        with protecting(reads):
            front = api.pareto(scenario, folder, points=points, workers=workers, scheduler=scheduler, dask=dask,
                               time_limit_s=time_limit_s, mip_gap=mip_gap, charts=False,
                               progress=lambda s, total: sweep_progress(total, escape(s.name), console))
    with user_errors(), protecting(reads):
        charts = api.pareto_charts(front, folder)
    print_frontier(front, console)
    files = [*FRONTIER_FILES, *(p.name for p in charts)]
    console.print(f"wrote {', '.join(files)} to {folder}/ (each point in {folder}/points/)")
