"""Charts of a sweep, one kind per mode: tornado, heat map, lines, distributions, or a bar per point.

Each chart names the sweep and the metric with its unit, marks the base case, and says how many
points had no plan, so someone who did not run the sweep can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from models.scenario.sweep import Sweep
from optimizer.formats import count
from optimizer.model import registry
from optimizer.report import style
from optimizer.report.plan_charts import save_figure
from optimizer.report.style import figure, label_with_unit

COST = "total_annual_cost"
NPV = "npv"
_LOW, _HIGH, _BASE = style.LOW, style.HIGH, style.ADDED


@dataclass(frozen=True)
class Metric:
    """What a sweep's charts compare its points by: a single year's annual cost, or a roadmap's present value."""

    column: str
    words: str  # "annual cost"
    unit: str  # "M CNY/yr", for axis labels
    long_unit: str  # "million CNY per year"


def metric(table: pd.DataFrame, currency: str) -> Metric | None:
    """The annual cost of single-year points, the present value of roadmap points; None without either."""
    if COST in table:
        return Metric(COST, "annual cost", f"M {currency}/yr", f"million {currency} per year")
    if NPV in table:
        return Metric(NPV, "present value", f"M {currency}", f"million {currency}")
    return None


def write_sweep_charts(sweep: Sweep, table: pd.DataFrame, out: Path, currency: str = "CNY") -> list[Path]:
    """The charts that fit `sweep`'s mode and parameters, as PNG files in `out`."""
    by = metric(table, currency)
    if table.empty or by is None:
        return []
    numeric = [p for p in sweep.parameters if pd.api.types.is_numeric_dtype(table[p])]
    if sweep.mode == "one_at_a_time":
        makers = {"tornado.png": _tornado}
    elif sweep.mode == "monte_carlo":
        makers = {"distributions.png": _distributions}
    elif sweep.mode == "grid" and len(sweep.parameters) == 2 and len(numeric) == 2:
        makers = {"heatmap.png": _heatmap}
    elif len(numeric) >= 1 and (len(sweep.parameters) == 1 or sweep.mode == "zip"):
        makers = {"lines.png": _lines}
    else:
        makers = {"points.png": _points}
    return [save_figure(lambda _, make=make: make(sweep, table, by), None, out / name)
            for name, make in makers.items()]


def _millions(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce") / 1e6


def _footnote(fig: plt.Figure, table: pd.DataFrame, by: Metric) -> None:
    no_plan = int(pd.to_numeric(table[by.column], errors="coerce").isna().sum())
    text = count(len(table), "point") + (f"; {no_plan} without a plan (infeasible or failed)" if no_plan else "")
    fig.text(0.01, -0.02, text, fontsize=8, color=style.NOTE)


def _base_row(table: pd.DataFrame) -> pd.Series | None:
    base = table[table["level"] == "base"]
    return base.iloc[0] if len(base) else None


def _tornado(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    base = _base_row(table)
    base_cost = float(_millions(pd.Series([base[by.column]])).iloc[0]) if base is not None else np.nan
    bars = []
    for p in sweep.parameters:
        rows = table[table["varied"] == p].set_index("level")
        low = float(_millions(rows[by.column]).get("low", np.nan))
        high = float(_millions(rows[by.column]).get("high", np.nan))
        values = rows[p] if p in rows else pd.Series(dtype=object)
        bars.append((p, low, high, values.get("low"), values.get("high")))
    def swing(bar) -> float:  # a side without a plan ranks first: it is the largest change of all
        low, high = bar[1], bar[2]
        return np.inf if np.isnan(low) or np.isnan(high) else abs(high - low)

    bars.sort(key=lambda b: -swing(b))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.6 * len(bars)))
    for i, (_, low, high, low_v, high_v) in enumerate(bars):
        for cost, value, color, side in ((low, low_v, _LOW, "low"), (high, high_v, _HIGH, "high")):
            right = side == "high"
            if np.isnan(cost):
                ax.text(base_cost, i, f" {side} {_value_text(value)}: no plan " + ("→" if right else "←"),
                        va="center", ha="left" if right else "right", fontsize=8, color=_BASE)
                continue
            ax.barh(i, cost - base_cost, left=base_cost, color=color, height=0.6)
            ahead = cost > base_cost or (cost == base_cost and right)
            ax.text(cost, i, f" {_value_text(value)} ", va="center", fontsize=8, ha="left" if ahead else "right")
    ax.axvline(base_cost, color="k", lw=1)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars])
    ax.invert_yaxis()
    ax.set(title=f"{sweep.name}: {by.words}, one parameter at a time\n(base case {base_cost:,.2f} {by.unit}, "
           "black line)", xlabel=f"{by.words} ({by.long_unit})")
    ax.legend(handles=[Patch(color=_LOW, label="low value"), Patch(color=_HIGH, label="high value")],
              frameon=False, loc="lower right")
    ax.margins(x=0.12)
    _footnote(fig, table, by)
    return fig


def _heatmap(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    px, py = sweep.parameters
    fig, axes = plt.subplots(1, 2 if "pv_total_kw" in table else 1, figsize=(13, 5), squeeze=False)
    axes = axes.ravel()
    panels = [(by.column, f"{by.words} ({by.unit})", 1e6), ("pv_total_kw", "PV built (kWp)", 1.0)]
    for ax, (column, title, scale) in zip(axes, panels[: 2 if "pv_total_kw" in table else 1], strict=False):
        grid = table.assign(value=pd.to_numeric(table.get(column), errors="coerce") / scale)
        grid = grid.pivot_table(index=py, columns=px, values="value", aggfunc="first", dropna=False)
        values = grid.to_numpy(dtype=float)
        image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [_value_text(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [_value_text(v) for v in grid.index])
        middle = np.nanmean(values) if np.isfinite(values).any() else 0.0
        for (i, j), value in np.ndenumerate(values):
            ax.text(j, i, "no plan" if np.isnan(value) else f"{value:,.2f}" if scale > 1 else f"{value:,.0f}",
                    ha="center", va="center", fontsize=8, color="black" if value > middle else "white")
        marked = _mark_base(ax, grid, sweep.base_values.get(px), sweep.base_values.get(py))
        ax.set(title=title, xlabel=px, ylabel=py)
        fig.colorbar(image, ax=ax, shrink=0.8)
    base = f"{px} = {_value_text(sweep.base_values.get(px))}, {py} = {_value_text(sweep.base_values.get(py))}"
    fig.suptitle(f"{sweep.name}\nbase case: {base}" + (" (outlined in red)" if marked else " (not on the grid)"))
    _footnote(fig, table, by)
    return fig


def _mark_base(ax: plt.Axes, grid: pd.DataFrame, base_x, base_y) -> bool:
    if base_x in list(grid.columns) and base_y in list(grid.index):
        j, i = list(grid.columns).index(base_x), list(grid.index).index(base_y)
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=_BASE, lw=2.5))
        return True
    return False


def _lines(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    x_name = next(p for p in sweep.parameters if pd.api.types.is_numeric_dtype(table[p]))
    data = table.sort_values(x_name)
    x = data[x_name]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.plot(x, _millions(data[by.column]), "o-", color="k")
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
    _footnote(fig, table, by)
    return fig


def _distributions(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    samples = table[table["level"] == "sample"]
    base = _base_row(table)
    panels = {by.column: (f"{by.words} ({by.unit})", 1e6),
              **{k: (v, 1.0) for k, v in decision_columns(table).items() if k in table}}
    rows = -(-len(panels) // 3)
    fig, axes = plt.subplots(rows, 3, figsize=(13, 3.5 * rows), squeeze=False)
    for ax in axes.ravel()[len(panels):]:
        ax.set_visible(False)
    for ax, (column, (label, scale)) in zip(axes.ravel(), panels.items(), strict=False):
        values = pd.to_numeric(samples.get(column, pd.Series(dtype=float)), errors="coerce").dropna() / scale
        if len(values) and np.ptp(values) > 1e-9 * max(abs(values).max(), 1.0):
            ax.hist(values, bins=min(30, max(5, len(values) // 4)), color=style.PLAN, alpha=0.85)
            p10, p50, p90 = np.percentile(values, [10, 50, 90])
            ax.set_title(f"{label}\nP10 {_figure(p10)} · median {_figure(p50)} · P90 {_figure(p90)}", fontsize=9)
        else:
            same = f"\nthe same in every sample: {_figure(values.iloc[0])}" if len(values) else ""
            ax.set_title(f"{label}{same}", fontsize=9)
            ax.set_yticks([])
            ax.set_xticks([])
            continue
        if base is not None and pd.notna(base.get(column)):
            ax.axvline(float(base[column]) / scale, color=_BASE, lw=2, label="base case")
            ax.legend(frameon=False, fontsize=8)
        ax.set(xlabel=label, ylabel="samples")
    fig.suptitle(f"{sweep.name}: {len(samples)} Monte Carlo samples of {', '.join(sweep.parameters)}")
    fig.tight_layout()
    _footnote(fig, table, by)
    return fig


def _points(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    data = table.assign(cost=_millions(table[by.column])).sort_values("cost")
    shown = data.head(40)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.3 * len(shown)))
    ax.barh(range(len(shown)), shown["cost"], color=style.PLAN)
    ax.set_yticks(range(len(shown)), shown["label"], fontsize=8)
    ax.invert_yaxis()
    more = f" (the 40 cheapest of {len(data)})" if len(data) > 40 else ""
    ax.set(title=f"{sweep.name}: {by.words} of each point{more}", xlabel=f"{by.words} ({by.long_unit})")
    _footnote(fig, table, by)
    return fig


def _figure(value: float) -> str:
    """A figure as a reader takes it in: thousands separators, three significant digits below."""
    return figure(value, large=1000)


def decision_columns(table: pd.DataFrame | None = None) -> dict[str, str]:
    """The decisions shown beside the cost: summary column -> label with unit, from the registry; for a
    roadmap's points (columns `years.<year>.<key>`), what is in service and bought in its last model year."""
    found = {d.key: label_with_unit(d) for d in registry.study_columns()}
    years = sorted({c.split(".")[1] for c in table.columns if c.startswith("years.")}) if table is not None else []
    if years and not any(k in table for k in found):
        return {f"years.{years[-1]}.{k}": f"{label} in {years[-1]}" for k, label in found.items()}
    return found


def _value_text(value) -> str:
    if isinstance(value, float | np.floating):
        return f"{value:,.4g}"
    return str(value)
