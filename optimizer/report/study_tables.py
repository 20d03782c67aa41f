"""Sweeps and frontiers in the terminal: the first points of a sweep, the frontier and who enters when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optimizer.model import registry
from optimizer.report.style import label_with_unit, money_m, whole

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.studies.pareto import Frontier


def print_frontier(front: Frontier, console: Console) -> None:
    """The frontier as a table, then the order in which measures enter."""
    view = Table(show_header=True, header_style="bold", title=escape(front.name))
    columns = [d for d in registry.study_columns() if d.key in front.points]
    for title in ("net (ktCO2e)", f"cost (M {front.currency})", f"marginal ({front.currency}/t)",
                  *(label_with_unit(d) for d in columns)):
        view.add_column(title, justify="right")
    for _, p in front.points.iterrows():
        mac = p["marginal_abatement_cost_per_t"]
        view.add_row(f"{round(p['net_t'] / 1000, 1) + 0.0:,.1f}", f"{p['total_annual_cost'] / 1e6:,.2f}",
                     "" if mac is None or mac != mac else f"{mac:,.0f}",
                     *("" if p[d.key] is None or p[d.key] != p[d.key] else whole(p[d.key]) for d in columns))
    console.print(view)
    console.print(f"business as usual: {front.bau_t / 1000:,.1f} ktCO2e, "
                  f"{front.bau_cost / 1e6:,.2f} M {front.currency}")
    for _, e in front.entry.iterrows():
        if e.get("in_cheapest_plan"):
            console.print(f"  {e['measure']} is already in the cheapest plan without a target (cuts "
                          f"{e['cut_in_cheapest_plan_t'] / 1000:,.1f} kt there)")
        else:
            console.print(f"  {e['measure']} enters at {e['enters_at_abated_t'] / 1000:,.1f} kt abated")
    for line in front.unreachable:
        console.print(f"[yellow]{escape(line)}[/yellow]")


def print_points(table: pd.DataFrame, parameters: tuple[str, ...], console: Console, currency: str,
                 limit: int = 15) -> None:
    """The first points of a results table: their parameters, what each costs and builds."""
    metrics = {"total_annual_cost": f"annual cost (M {currency})",
               **{d.key: label_with_unit(d) for d in registry.study_columns()}}
    metrics = {k: v for k, v in metrics.items() if k in table and table[k].fillna(0).abs().sum() > 0}
    view = Table(show_header=True, header_style="bold")
    for title in (*parameters, "status", *metrics.values()):
        view.add_column(escape(title), justify="left" if title == "status" else "right")
    for _, row in table.head(limit).iterrows():
        cells = [escape(_cell(row.get(p))) for p in parameters] + [escape(str(row.get("status")))]
        for column in metrics:
            value = row.get(column)
            money = column == "total_annual_cost"
            cells.append("" if value is None or value != value else money_m(value) if money else whole(value))
        view.add_row(*cells)
    console.print(view)
    if len(table) > limit:
        console.print(f"... and {len(table) - limit} more points in results.csv")


def _cell(value) -> str:
    return f"{value:,.6g}" if isinstance(value, float) else str(value)
