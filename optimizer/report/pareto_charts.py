"""Charts of the frontier: annual cost against net emissions, and the marginal abatement cost curve.

Business as usual usually costs far more than any plan on the frontier, so one axis holding both
flattens the frontier into a line along the bottom. The cost axis is then broken: a short panel
around business as usual (labelled with its cost and emissions) above the frontier's own panel,
both at the same scale, so the frontier fills its panel and its marginal costs can be read.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import ScalarFormatter

from optimizer.formats import figure, money_m, no_minus_zero
from optimizer.report import style
from optimizer.report.chart_fit import fit_inside, notes_below, spread
from optimizer.report.mac_charts import already_in_cheapest, mac_figure, tonnes_text, tonnes_unit
from optimizer.report.plan_charts import save_figure
from optimizer.studies.pareto import Frontier

__all__ = ["frontier_figure", "mac_figure", "write_pareto_charts"]

FRONTIER_LABEL, BAU_LABEL = "least-cost plan", "business as usual"
_BAU_SHARE = 0.25  # the business-as-usual panel's height against the frontier's


def write_pareto_charts(front: Frontier, out: Path) -> list[Path]:
    """pareto.png and mac_curve.png in `out`."""
    return [save_figure(make, front, out / name) for name, make in (("pareto.png", frontier_figure),
                                                                   ("mac_curve.png", mac_figure))]


def _break_marks(upper: plt.Axes, lower: plt.Axes) -> None:
    """The two short diagonal strokes on each side where the cost axis is cut."""
    marks = {"marker": [(-1, -0.5), (1, 0.5)], "markersize": 10, "linestyle": "none", "color": "k",
             "mec": "k", "mew": 1, "clip_on": False}
    upper.plot([0, 1], [0, 0], transform=upper.transAxes, **marks)
    lower.plot([0, 1], [1, 1], transform=lower.transAxes, **marks)
    upper.spines["bottom"].set_visible(False)
    lower.spines["top"].set_visible(False)
    upper.tick_params(bottom=False, labelbottom=False)


def frontier_figure(front: Frontier) -> plt.Figure:
    """Annual cost against net emissions: the frontier, its marginal costs, business as usual with its value."""
    pts = front.points
    scale, unit = tonnes_unit(front)
    x, y = pts["net_t"].to_numpy(float) / scale, pts["total_annual_cost"].to_numpy(float) / 1e6
    bau_x, bau_y = front.bau_t / scale, front.bau_cost / 1e6
    lo, hi = (float(np.nanmin(y)), float(np.nanmax(y))) if len(y) else (bau_y, bau_y)
    span = max(hi - lo, 0.01 * max(abs(hi), 1.0))
    broken = len(y) > 0 and (bau_y > hi + span or bau_y < lo - span)
    if broken:
        above = bau_y > hi
        ratios = [_BAU_SHARE, 1.0] if above else [1.0, _BAU_SHARE]
        fig, (upper, lower) = plt.subplots(2, 1, sharex=True, figsize=(10, 6.4), height_ratios=ratios,
                                           layout="constrained")
        bau_ax, ax = (upper, lower) if above else (lower, upper)
        _break_marks(upper, lower)
    else:
        fig, ax = plt.subplots(figsize=(10, 5.6), layout="constrained")
        bau_ax = ax
    line = ax.plot(x, y, "o-", color=style.PLAN, label=FRONTIER_LABEL)[0]
    bau = bau_ax.plot([bau_x], [bau_y], "s", color=style.BAU, markersize=9, label=BAU_LABEL)[0]
    ax.set_ylim(lo - 0.15 * span, hi + 0.3 * span)
    if not broken:
        ax.set_ylim(min(lo, bau_y) - 0.15 * span, max(hi, bau_y) + 0.3 * span)
    per_t = f"{front.currency}/t"
    bau_text = bau_ax.annotate(f"{BAU_LABEL}: {money_m(front.bau_cost)} M {front.currency}/yr,\n"
                               f"{tonnes_text(bau_x, unit)} {unit}CO2e per year", (bau_x, bau_y), xytext=(12, 0),
                               textcoords="offset points", ha="left", va="center", fontsize=9)
    margins = []
    for xi, yi, mac in zip(x, y, pts["marginal_abatement_cost_per_t"], strict=True):
        if mac is not None and np.isfinite(mac):
            margins.append(ax.annotate(no_minus_zero(figure(mac)), (xi, yi), xytext=(-4, 7),
                                       textcoords="offset points", ha="right", va="bottom", fontsize=9,
                                       color=style.NOTE))
    ends = _ends_text(front, y)
    summary = ax.text(0.99, 0.04, ends, transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                      color=style.ADDED if front.unreachable else "black")
    for a in {ax, bau_ax}:
        a.axvline(0, color="k", lw=0.6)
        a.yaxis.set_major_formatter(ScalarFormatter(useOffset=False))  # as many decimals as the ticks need
    ax.invert_xaxis()
    ax.set_xlabel(f"net emissions ({unit}CO2e per year; business as usual on the left, net zero on the right)")
    axes_title = (bau_ax if broken and bau_ax is upper else ax)
    axes_title.set_title(f"{front.name}\nannual cost of the cheapest plan at each net-emissions cap "
                         f"(labels: marginal cost, {per_t}CO2e)")
    ylabel = f"annual cost (million {front.currency} per year)"
    if broken:
        fig.supylabel(ylabel + "; axis broken", fontsize=10)
    else:
        ax.set_ylabel(ylabel)
    ax.margins(x=0.05)
    fit_inside(bau_ax, [bau_text], "x")
    spread(margins, 6, fixed=[summary, bau_text])
    fit_inside(ax, [*margins, summary], "y")
    if broken:  # the business-as-usual panel at the frontier panel's scale, centred on it
        height = np.diff(ax.get_ylim())[0] * _BAU_SHARE
        bau_ax.set_ylim(bau_y - height / 2, bau_y + height / 2)
    inside = already_in_cheapest(front)
    notes_below(fig, [line, bau], f"{inside} already in the cheapest plan without a target." if inside else "",
                ncol=2)
    return fig


def _ends_text(front: Frontier, y: np.ndarray) -> str:
    """The costs at the two ends of the frontier, and why it stops short of net zero when it does."""
    if not len(y):
        return "no point of the frontier has a plan"
    last = "net zero" if abs(float(front.points["net_t"].iloc[-1])) < 0.5 else "lowest reachable cap"
    lines = [f"cheapest plan without a target: {money_m(y[0] * 1e6)} M {front.currency}/yr",
             f"{last}: {money_m(y[-1] * 1e6)} M {front.currency}/yr"]
    if front.unreachable:
        lines.append("lower caps are out of reach")
    return "\n".join(lines)
