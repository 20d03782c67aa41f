"""`zcf sweep` and `zcf pareto`: many scenarios from one file, gathered in one table with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Local worker processes.")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler.")]
DaskLocal = Annotated[str | None, typer.Option("--dask", help="'local': start a Dask LocalCluster of --workers.")]
TimeLimit = Annotated[float | None, typer.Option("--time-limit", min=0.001, help="HiGHS time limit per point (s).")]
MipGap = Annotated[float | None, typer.Option("--mip-gap", min=0, max=1, help="Relative MIP gap.")]


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for results.parquet, results.csv, charts.")],
    workers: Workers = 1,
    scheduler: Scheduler = None,
    dask: DaskLocal = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Solve again points that failed.")] = False,
    time_limit_s: TimeLimit = None,
    mip_gap: MipGap = None,
) -> None:
    """Solve every point of SWEEP_FILE; started again, it skips the points already stored in OUT."""
    from models.sweep import load_sweep
    from optimizer.cli import user_errors
    from optimizer.progress import sweep_progress
    from optimizer.sweep_charts import write_sweep_charts
    from optimizer.sweep_run import count_pending, run_sweep

    console = Console()
    with user_errors():
        spec = load_sweep(sweep_file, solver={"time_limit_s": time_limit_s, "mip_gap": mip_gap})
        with sweep_progress(count_pending(spec, out, retry_failed), escape(spec.name), console) as on_result:
            run = run_sweep(spec, out, workers, scheduler, dask, retry_failed, on_result)
    currency = spec.points[0].scenario.get("currency", "CNY")
    charts = write_sweep_charts(spec, run.table, out, currency)
    console.print(f"{escape(spec.name)}: {len(spec.points)} points; solved {run.solved}, already stored "
                  f"{run.skipped}, failed {run.failed}; {run.seconds:.1f} s")
    print_points(run.table, spec.parameters, console, currency)
    files = ["results.parquet", "results.csv", *(p.name for p in charts)]
    console.print(f"wrote {', '.join(files)} to {out}/ (each point also in {out}/points/)")
    if run.failed:
        raise typer.Exit(1)


def print_points(table, parameters: tuple[str, ...], console: Console, currency: str, limit: int = 15) -> None:
    """The first points of a results table: their parameters, what each costs and builds."""
    metrics = {"total_annual_cost": f"annual cost (M {currency})", "pv_total_kw": "PV (kWp)",
               "storage_kwh": "battery (kWh)", "green_power_mwh": "green power (MWh)",
               "certificates_mwh": "certificates (MWh)", "credits_t": "credits (t)"}
    metrics = {k: v for k, v in metrics.items() if k in table and table[k].fillna(0).abs().sum() > 0}
    view = Table(show_header=True, header_style="bold")
    for title in (*parameters, "status", *metrics.values()):
        view.add_column(escape(title), justify="left" if title == "status" else "right")
    for _, row in table.head(limit).iterrows():
        cells = [escape(_cell(row.get(p))) for p in parameters] + [escape(str(row.get("status")))]
        for column in metrics:
            value = row.get(column)
            scale = 1e6 if column == "total_annual_cost" else 1.0
            cells.append("" if value is None or value != value else f"{value / scale:,.{2 if scale > 1 else 0}f}")
        view.add_row(*cells)
    console.print(view)
    if len(table) > limit:
        console.print(f"... and {len(table) - limit} more points in results.csv")


def _cell(value) -> str:
    return f"{value:,.6g}" if isinstance(value, float) else str(value)
