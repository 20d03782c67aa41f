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
    from models.scenario.sweep import load_sweep
    from optimizer.cli.common import charts_to_files, lost_workers, out_folder, user_errors
    from optimizer.report.progress import sweep_progress
    from optimizer.report.sweep_charts import write_sweep_charts
    from optimizer.studies.sweep import count_pending, run_sweep

    charts_to_files()
    console = Console(emoji=False)  # names from scenarios print as written
    with user_errors(), lost_workers():
        spec = load_sweep(sweep_file, solver={"time_limit_s": time_limit_s, "mip_gap": mip_gap})
        out_folder(out)
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


def pareto(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the frontier table and charts.")],
    points: Annotated[int, typer.Option("--points", "-n", min=2, help="Caps from business as usual to 0.")] = 11,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    dask: DaskLocal = None,
    time_limit_s: TimeLimit = None,
    mip_gap: MipGap = None,
) -> None:
    """Least cost at each net-emissions cap from business as usual to net zero, with the MAC curve."""
    from optimizer.cli.common import charts_to_files, lost_workers, out_folder, user_errors
    from optimizer.report.pareto_charts import write_pareto_charts
    from optimizer.report.progress import sweep_progress
    from optimizer.studies.pareto import frontier, pareto_sweep
    from optimizer.studies.sweep import count_pending, run_sweep

    charts_to_files()
    console = Console(emoji=False)  # names from scenarios print as written
    with user_errors(), lost_workers():
        out_folder(out)  # before the cheapest plan is solved: a bad --out is said at once
        spec = pareto_sweep(scenario, points, {"time_limit_s": time_limit_s, "mip_gap": mip_gap})
        with sweep_progress(count_pending(spec, out), escape(spec.name), console) as on_result:
            run = run_sweep(spec, out, workers, scheduler, dask, on_result=on_result)
        currency = spec.points[0].scenario.get("currency", "CNY")
        front = frontier(run.table, spec.name, currency)
    write_frontier(front, out)
    charts = write_pareto_charts(front, out)
    print_frontier(front, console)
    files = ["frontier.csv", "frontier_steps.csv", "frontier.json", *(p.name for p in charts)]
    console.print(f"wrote {', '.join(files)} to {out}/ (each point in {out}/points/)")


def write_frontier(front, out: Path) -> None:
    """The frontier's points and steps as CSV, and its headline figures as JSON."""
    import json

    from optimizer.atomic import atomic_write

    atomic_write(out / "frontier.csv", lambda p: front.points.to_csv(p, index=False, float_format="%.10g"))
    atomic_write(out / "frontier_steps.csv", lambda p: front.segments.to_csv(p, index=False, float_format="%.10g"))
    head = {"name": front.name, "currency": front.currency, "bau_t": front.bau_t, "bau_total_annual_cost":
            front.bau_cost, "measures_in_order": front.entry.to_dict("records"), "unreachable": front.unreachable,
            "points": front.points.to_dict("records")}
    atomic_write(out / "frontier.json", lambda p: p.write_text(json.dumps(head, indent=2, default=str)))


def print_frontier(front, console: Console) -> None:
    """The frontier as a table, then the order in which measures enter."""
    view = Table(show_header=True, header_style="bold", title=escape(front.name))
    for title in ("net (ktCO2e)", f"cost (M {front.currency})", f"marginal ({front.currency}/t)", "PV (kWp)",
                  "battery (kWh)", "green (MWh)", "certificates (MWh)", "credits (t)"):
        view.add_column(title, justify="right")
    for _, p in front.points.iterrows():
        mac = p["marginal_abatement_cost_per_t"]
        view.add_row(f"{round(p['net_t'] / 1000, 1) + 0.0:,.1f}", f"{p['total_annual_cost'] / 1e6:,.2f}",
                     "" if mac is None or mac != mac else f"{mac:,.0f}",
                     *(f"{p[c]:,.0f}" if p[c] == p[c] and p[c] is not None else "" for c in (
                         "pv_total_kw", "storage_kwh", "green_power_mwh", "certificates_mwh", "credits_t")))
    console.print(view)
    console.print(f"business as usual: {front.bau_t / 1000:,.1f} ktCO2e, "
                  f"{front.bau_cost / 1e6:,.2f} M {front.currency}")
    for _, e in front.entry.iterrows():
        console.print(f"  {e['measure']} enters at {e['enters_at_abated_t'] / 1000:,.1f} kt abated")
    for line in front.unreachable:
        console.print(f"[yellow]{escape(line)}[/yellow]")


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
