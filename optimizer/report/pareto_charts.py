"""Charts of the frontier: annual cost against net emissions, and the marginal abatement cost curve."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from optimizer.report import style
from optimizer.report.plan_charts import save_figure
from optimizer.result.figures import measures
from optimizer.studies.pareto import Frontier, cut_column


def write_pareto_charts(front: Frontier, out: Path) -> list[Path]:
    """pareto.png and mac_curve.png in `out`."""
    return [save_figure(make, front, out / name) for name, make in (("pareto.png", _frontier),
                                                                   ("mac_curve.png", _mac_curve))]


def _frontier(front: Frontier) -> plt.Figure:
    pts = front.points
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.plot(pts["net_t"] / 1000, pts["total_annual_cost"] / 1e6, "o-", color=style.PLAN, label="least-cost plan")
    ax.plot([front.bau_t / 1000], [front.bau_cost / 1e6], "s", color=style.BAU, markersize=9,
            label="business as usual")
    for _, p in pts.iterrows():
        mac = p["marginal_abatement_cost_per_t"]
        if mac is not None and np.isfinite(mac):
            ax.annotate(f"{mac:,.0f}/t", (p["net_t"] / 1000, p["total_annual_cost"] / 1e6), fontsize=7,
                        textcoords="offset points", xytext=(4, -10), color=style.NOTE)
    ax.invert_xaxis()
    ax.set(title=f"{front.name}\nannual cost of the cheapest plan at each net-emissions cap "
           f"(labels: marginal cost, {front.currency}/tCO2e)",
           xlabel="net emissions (ktCO2e per year; business as usual on the left, net zero on the right)",
           ylabel=f"annual cost (million {front.currency} per year)")
    ax.axvline(0, color="k", lw=0.6)
    if front.unreachable:
        ax.text(0.99, 0.02, "lower caps are out of reach", transform=ax.transAxes, ha="right", color=style.ADDED)
    ax.legend(frameon=False)
    return fig


def _mac_curve(front: Frontier) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(10, 5))
    drawn = set()
    for _, step in front.segments.iterrows():
        shares = {m: max(step[cut_column(m)], 0.0) for m in measures()}
        total = sum(shares.values())
        left = step["from_abated_t"] / 1000
        for measure, cut in shares.items():
            if total <= 0 or cut <= 0:
                continue
            width = step["abated_t"] / 1000 * cut / total
            ax.bar(left, step["cost_per_t"], width=width, align="edge", color=style.color(measure),
                   edgecolor="white", linewidth=0.5, label=measure if measure not in drawn else None)
            drawn.add(measure)
            left += width
    ax.axhline(0, color="k", lw=0.6)
    ax.set(title=f"{front.name}\nmarginal abatement cost curve: each step of the frontier, coloured by the "
           "measures that cut at it", xlabel="emissions abated against business as usual (ktCO2e per year)",
           ylabel=f"cost of the step ({front.currency} per tCO2e)")
    ax.legend(frameon=False, ncol=4, loc="upper left")
    fig.text(0.01, -0.02, "Below zero: cuts that save money. Step widths are tonnes; bar heights the average "
             "cost per tonne between two frontier points.", fontsize=8, color=style.NOTE)
    return fig
