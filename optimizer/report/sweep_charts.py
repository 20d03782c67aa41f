"""Charts of a sweep, one kind per mode: tornado, heat map, lines, distributions, or a bar per point.

Each chart names the sweep and the metric with its unit, marks the base case, and says how many
points had no plan, so someone who did not run the sweep can read it; labels are measured after
drawing and kept apart (`optimizer.report.chart_fit`), so the charts read on a slide.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from models.scenario.sweep import Sweep
from optimizer.report import style
from optimizer.report.chart_fit import fit_inside, wrap_path
from optimizer.report.plan_charts import save_figure
from optimizer.report.sweep_common import (
    COST,
    NPV,
    Metric,
    base_row,
    decision_columns,
    footnote,
    metric,
    millions,
    value_text,
)
from optimizer.report.sweep_grid_charts import distributions_figure, heatmap_figure

__all__ = ["COST", "NPV", "Metric", "decision_columns", "distributions_figure", "heatmap_figure", "metric",
           "tornado_figure", "write_sweep_charts"]

_LOW, _HIGH, _BASE = style.LOW, style.HIGH, style.ADDED


def write_sweep_charts(sweep: Sweep, table: pd.DataFrame, out: Path, currency: str = "CNY") -> list[Path]:
    """The charts that fit `sweep`'s mode and parameters, as PNG files in `out`."""
    by = metric(table, currency)
    if table.empty or by is None:
        return []
    numeric = [p for p in sweep.parameters if pd.api.types.is_numeric_dtype(table[p])]
    if sweep.mode == "one_at_a_time":
        makers = {"tornado.png": tornado_figure}
    elif sweep.mode == "monte_carlo":
        makers = {"distributions.png": distributions_figure}
    elif sweep.mode == "grid" and len(sweep.parameters) == 2 and len(numeric) == 2:
        makers = {"heatmap.png": heatmap_figure}
    elif len(numeric) >= 1 and (len(sweep.parameters) == 1 or sweep.mode == "zip"):
        makers = {"lines.png": _lines}
    else:
        makers = {"points.png": _points}
    return [save_figure(lambda _, make=make: make(sweep, table, by), None, out / name)
            for name, make in makers.items()]


def _tornado_bars(sweep: Sweep, table: pd.DataFrame, by: Metric) -> list[tuple]:
    """(parameter, low cost, high cost, low value, high value) per parameter, largest swing first."""
    bars = []
    for p in sweep.parameters:
        rows = table[table["varied"] == p].set_index("level")
        low = float(millions(rows[by.column]).get("low", np.nan))
        high = float(millions(rows[by.column]).get("high", np.nan))
        values = rows[p] if p in rows else pd.Series(dtype=object)
        bars.append((p, low, high, values.get("low"), values.get("high")))

    def swing(bar) -> float:  # a side without a plan ranks first: it is the largest change of all
        low, high = bar[1], bar[2]
        return np.inf if np.isnan(low) or np.isnan(high) else abs(high - low)

    return sorted(bars, key=lambda b: -swing(b))


def tornado_figure(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    """Each parameter's low and high value as bars from the base case's cost, largest swing on top.

    Every label sits beyond its bar's end (or, for a side without a plan, beside the base line),
    a few points clear of it, and the axis is widened until all of them are inside."""
    base = base_row(table)
    base_cost = float(millions(pd.Series([base[by.column]])).iloc[0]) if base is not None else np.nan
    bars = _tornado_bars(sweep, table, by)
    fig, ax = plt.subplots(figsize=(10, 1.8 + 0.7 * len(bars)), layout="constrained")
    labels = []

    def label(x: float, i: int, text: str, outward: bool, color: str = "black") -> None:
        labels.append(ax.annotate(text, (x, i), xytext=(5 if outward else -5, 0), textcoords="offset points",
                                  ha="left" if outward else "right", va="center", fontsize=9, color=color))

    for i, (_, low, high, low_v, high_v) in enumerate(bars):
        sides = [(low, low_v, _LOW, "low"), (high, high_v, _HIGH, "high")]
        drawn = [s for s in sides if not np.isnan(s[0])]
        for cost, value, _, side in sides:
            if np.isnan(cost):  # beside the base line, on its own side: left for low, right for high
                label(base_cost, i, f"{side} {value_text(value)}: no plan", side == "high", _BASE)
        same_side = len(drawn) == 2 and (low - base_cost) * (high - base_cost) > 0
        drawn.sort(key=lambda s: -abs(s[0] - base_cost))  # the longer bar first, the shorter over it
        for k, (cost, value, color, side) in enumerate(drawn):
            ax.barh(i, cost - base_cost, left=base_cost, color=color, height=0.6 if k == 0 or not same_side else 0.3)
            right = cost > base_cost or (cost == base_cost and side == "high")
            if same_side and k == 0:  # both ends on one side: one label at the outer end names both
                inner = drawn[1]
                label(cost, i, f"{side} {value_text(value)} · {inner[3]} {value_text(inner[1])}", right)
            elif not same_side:
                label(cost, i, value_text(value), right)
    ax.axvline(base_cost, color="k", lw=1)
    ax.set_yticks(range(len(bars)), [wrap_path(b[0], 24) for b in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_title(f"{sweep.name}: {by.words}, one parameter at a time\n(base case {base_cost:,.2f} {by.unit}, "
                 "black line; labels: the parameter's value)")
    ax.set_xlabel(f"{by.words} ({by.long_unit})")
    ax.margins(x=0.04)
    fit_inside(ax, labels, "x")
    footnote(fig, table, by, [Patch(color=_LOW, label="low value"), Patch(color=_HIGH, label="high value")])
    return fig


def _lines(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    x_name = next(p for p in sweep.parameters if pd.api.types.is_numeric_dtype(table[p]))
    data = table.sort_values(x_name)
    x = data[x_name]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.plot(x, millions(data[by.column]), "o-", color="k")
    top.set(ylabel=f"{by.words} ({by.unit})",
            title=f"{sweep.name}: {by.words} and decisions against {x_name}"
            + (" (other parameters paired with it)" if len(sweep.parameters) > 1 else ""))
    for column, label in decision_columns(data).items():
        if column in data and pd.to_numeric(data[column], errors="coerce").abs().sum() > 0:
            bottom.plot(x, pd.to_numeric(data[column], errors="coerce"), "o-", label=label)
    bottom.set(xlabel=x_name, ylabel="size or volume (unit in legend)")
    bottom.legend(frameon=False, ncol=3, fontsize=8)
    base_x = sweep.base_values.get(x_name)
    if isinstance(base_x, int | float):
        for ax in (top, bottom):
            ax.axvline(base_x, color=_BASE, ls="--", lw=1)
        top.text(base_x, top.get_ylim()[1], " base", color=_BASE, va="top", fontsize=8)
    footnote(fig, table, by)
    return fig


def _points(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    data = table.assign(cost=millions(table[by.column])).sort_values("cost")
    shown = data.head(40)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.3 * len(shown)))
    ax.barh(range(len(shown)), shown["cost"], color=style.PLAN)
    ax.set_yticks(range(len(shown)), shown["label"], fontsize=8)
    ax.invert_yaxis()
    more = f" (the 40 cheapest of {len(data)})" if len(data) > 40 else ""
    ax.set(title=f"{sweep.name}: {by.words} of each point{more}", xlabel=f"{by.words} ({by.long_unit})")
    footnote(fig, table, by)
    return fig
