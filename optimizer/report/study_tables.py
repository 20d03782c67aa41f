"""Sweeps and frontiers in the terminal: the first points of a sweep, the frontier and who enters when;
tables wider than the terminal (80 columns in a log) are printed in blocks of columns."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from optimizer.model import registry
from optimizer.report.style import label_with_unit, money_m, whole
from optimizer.report.terminal import Column, print_tables

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.studies.pareto import Frontier


def print_frontier(front: Frontier, console: Console) -> None:
    """The frontier as a table, then the order in which measures enter."""
    columns = [d for d in registry.study_columns() if d.key in front.points]
    points = list(front.points.iterrows())
    mac = [p["marginal_abatement_cost_per_t"] for _, p in points]
    table = [Column("net (ktCO2e)", [f"{round(p['net_t'] / 1000, 1) + 0.0:,.1f}" for _, p in points]),
             Column(f"cost (M {front.currency})", [f"{p['total_annual_cost'] / 1e6:,.2f}" for _, p in points]),
             Column(f"marginal ({front.currency}/t)", ["" if m is None or m != m else f"{m:,.0f}" for m in mac]),
             *(Column(label_with_unit(d), ["" if p[d.key] is None or p[d.key] != p[d.key] else whole(p[d.key])
                                           for _, p in points]) for d in columns)]
    table = table[:3] + [c for c in table[3:] if any(c.cells)]  # a decision the plant cannot take has no column
    print_tables(console, table, title=front.name)
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
    rows = [row for _, row in table.head(limit).iterrows()]
    columns = [Column(p, [_cell(row.get(p)) for row in rows], text=not all(_is_number(row.get(p)) for row in rows))
               for p in parameters]
    columns.append(Column("status", [str(row.get("status")) for row in rows], "left", text=True))
    for column, title in metrics.items():
        money = column == "total_annual_cost"
        columns.append(Column(title, ["" if (v := row.get(column)) is None or v != v else money_m(v) if money
                                      else whole(v) for row in rows]))
    print_tables(console, columns, key=len(parameters))
    if len(table) > limit:
        console.print(f"... and {len(table) - limit} more points in results.csv")


def _cell(value: object) -> str:
    return f"{value:,.6g}" if isinstance(value, float) else str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
