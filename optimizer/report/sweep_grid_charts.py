"""The heat map of a two-parameter grid and the distributions of a Monte Carlo sweep.

A panel whose value is the same at every point is drawn as one flat colour (or one bar) with that
value written on it, never with a colour scale or histogram of a spread that is not there.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap, Normalize, to_rgb
from matplotlib.ticker import FuncFormatter

from models.scenario.sweep import Sweep
from optimizer.formats import no_minus_zero, whole
from optimizer.report import style
from optimizer.report.sweep_common import (
    Metric,
    base_row,
    decision_columns,
    footnote,
    is_uniform,
    short_figure,
    value_text,
)

_BASE = style.ADDED
_TICKS = FuncFormatter(lambda x, _: no_minus_zero(f"{x:,g}"))


def _cost_text(value: float) -> str:
    return no_minus_zero(f"{value:,.2f}")


def heatmap_figure(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    """The metric (and the PV built, when the table has it) over the grid of the two parameters."""
    px, py = sweep.parameters
    panels = [(by.column, f"{by.words} ({by.unit})", 1e6, _cost_text),
              ("pv_total_kw", "PV built (kWp)", 1.0, whole)]
    panels = [p for p in panels if p[0] in table]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 5.6), squeeze=False, layout="constrained")
    marked = False
    for ax, (column, title, scale, text) in zip(axes.ravel(), panels, strict=True):
        grid = table.assign(value=pd.to_numeric(table.get(column), errors="coerce") / scale)
        grid = grid.pivot_table(index=py, columns=px, values="value", aggfunc="first", dropna=False)
        values = grid.to_numpy(dtype=float)
        uniform = is_uniform(values)
        same = float(values[np.isfinite(values)][0]) if uniform else np.nan
        if uniform:  # one colour, one tick: a scale would invent a spread that is not there
            image = ax.imshow(values, origin="lower", aspect="auto", cmap=ListedColormap([style.UNIFORM]),
                              norm=Normalize(same - 1, same + 1))
        else:
            image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [value_text(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [value_text(v) for v in grid.index])
        for (i, j), value in np.ndenumerate(values):
            if np.isnan(value):
                ax.text(j, i, "no plan", ha="center", va="center", fontsize=9, color=_BASE)
                continue
            r, g, b = to_rgb(image.cmap(image.norm(value)))
            ax.text(j, i, text(value), ha="center", va="center", fontsize=9,
                    color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
        marked = _mark_base(ax, grid, sweep.base_values.get(px), sweep.base_values.get(py))
        ax.set_title(title + (f"\nthe same at every point: {text(same)}" if uniform else ""))
        ax.set(xlabel=px, ylabel=py)
        bar = fig.colorbar(image, ax=ax, shrink=0.85)
        if uniform:
            bar.set_ticks([same], labels=[text(same)])
        else:
            bar.ax.yaxis.set_major_formatter(_TICKS)
    base = f"{px} = {value_text(sweep.base_values.get(px))}, {py} = {value_text(sweep.base_values.get(py))}"
    fig.suptitle(f"{sweep.name}\nbase case: {base}" + (" (outlined in red)" if marked else " (not on the grid)"))
    footnote(fig, table, by)
    return fig


def _mark_base(ax: plt.Axes, grid: pd.DataFrame, base_x, base_y) -> bool:
    if base_x in list(grid.columns) and base_y in list(grid.index):
        j, i = list(grid.columns).index(base_x), list(grid.index).index(base_y)
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=_BASE, lw=2.5))
        return True
    return False


def distributions_figure(sweep: Sweep, table: pd.DataFrame, by: Metric) -> plt.Figure:
    """A histogram of the metric and of each decision over the samples, the base case marked.

    Only what has a value in some sample gets a panel, and no grid cell is left empty; a quantity
    that is the same in every sample is one bar, its value written under it and in its title."""
    samples = table[table["level"] == "sample"]
    base = base_row(table)
    panels = {by.column: (f"{by.words} ({by.unit})", 1e6, _cost_text),
              **{k: (v, 1.0, short_figure) for k, v in decision_columns(table).items() if k in table}}
    shown = {}
    for column, (label, scale, text) in panels.items():
        values = pd.to_numeric(samples.get(column, pd.Series(dtype=float)), errors="coerce").dropna() / scale
        if len(values):
            shown[column] = (label, scale, text, values)
    title = "\n".join(textwrap.wrap(f"{sweep.name}: {len(samples)} Monte Carlo samples of "
                                    f"{', '.join(sweep.parameters)}", 110))
    if not shown:
        fig, ax = plt.subplots(figsize=(9, 3), layout="constrained")
        ax.text(0.5, 0.5, "no sample has a plan", ha="center", va="center", color=_BASE, transform=ax.transAxes)
        ax.set_axis_off()
        fig.suptitle(title)
        footnote(fig, table, by)
        return fig
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 0.8 + 3.4 * rows), squeeze=False, layout="constrained")
    for ax in axes.ravel()[len(shown):]:
        fig.delaxes(ax)  # a row that is not full ends early rather than with an empty frame
    for ax, (column, (label, scale, text, values)) in zip(axes.ravel(), shown.items(), strict=False):
        at_base = float(base[column]) / scale if base is not None and pd.notna(base.get(column)) else None
        if is_uniform(values.to_numpy(dtype=float)):
            _one_value(ax, label, float(values.iloc[0]), len(values), at_base, text)
            continue
        ax.hist(values, bins=min(30, max(5, len(values) // 4)), color=style.PLAN, alpha=0.85)
        p10, p50, p90 = np.percentile(values, [10, 50, 90])
        ax.set_title(f"{label}\nP10 {text(p10)} · median {text(p50)} · P90 {text(p90)}", fontsize=10)
        ax.xaxis.set_major_formatter(_TICKS)
        if at_base is not None:
            ax.axvline(at_base, color=_BASE, lw=2, label=f"base case {text(at_base)}")
            ax.legend(frameon=False, fontsize=8)
        ax.set(xlabel=label, ylabel="samples")
    fig.suptitle(title)
    footnote(fig, table, by)
    return fig


def _one_value(ax: plt.Axes, label: str, value: float, n: int, at_base: float | None, text) -> None:
    """One bar holding every sample, its value on the axis and in the title."""
    ax.bar([0], [n], width=0.6, color=style.PLAN, alpha=0.85)
    ax.set_xlim(-1.5, 1.5)
    ax.set_xticks([0], [text(value)])
    base = "" if at_base is None else (" (the base case too)" if np.isclose(at_base, value, rtol=1e-9, atol=1e-9)
                                       else f" (base case {text(at_base)})")
    ax.set_title(f"{label}\nthe same in every sample: {text(value)}{base}", fontsize=10)
    ax.set(xlabel=label, ylabel="samples")
