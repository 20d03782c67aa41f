"""PNG charts of a plan: monthly energy mix, dispatch weeks, cost breakdown, emissions waterfall."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from optimizer.atomic import atomic_write
from optimizer.model import registry
from optimizer.report import style
from optimizer.result.figures import emission_steps
from optimizer.result.plan import Plan

# Names and labels come from scenario files: a '$' in them is a dollar sign, not mathematics.
LITERAL_TEXT = {"text.parse_math": False}
CHART_FILES = ("energy_mix_monthly.png", "dispatch_summer_week.png", "dispatch_winter_week.png",
               "cost_breakdown.png", "emissions_waterfall.png")


def write_charts(plan: Plan, out: Path) -> list[Path]:
    """Every chart of `plan` as PNG files in `out`; returns their paths."""
    if not plan.has_plan:
        return []
    makers = dict(zip(CHART_FILES, (_energy_mix, _week("summer"), _week("winter"), _costs, _waterfall),
                      strict=True))
    return [save_figure(make, plan, out / name) for name, make in makers.items()]


def save_figure(make: Callable[..., plt.Figure], subject: object, path: Path) -> Path:
    """Draw `make(subject)` with names taken literally and save it as a PNG, whole or not at all."""
    with plt.rc_context(LITERAL_TEXT):
        fig = make(subject)
    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=110, bbox_inches="tight"))
    plt.close(fig)
    return path


def _supply_columns(hourly: pd.DataFrame) -> dict[str, pd.Series]:
    return {"grid": hourly["grid_import_kw"], "pv": hourly["pv_self_kw"],
            "battery": hourly["discharge_kw"], "green power": hourly["green_power_kw"]}


def _energy_mix(plan: Plan) -> plt.Figure:
    hourly, step_h = plan.hourly, plan.inputs.step_h
    monthly = pd.DataFrame({k: v * step_h / 1000 for k, v in _supply_columns(hourly).items()})
    monthly = monthly.groupby(hourly.index.month).sum()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bottom = np.zeros(len(monthly))
    for col in monthly:
        ax.bar(monthly.index, monthly[col], bottom=bottom, label=col, color=style.color(col))
        bottom += monthly[col].to_numpy()
    load = (hourly["load_kw"] * step_h / 1000).groupby(hourly.index.month).sum()
    ax.plot(load.index, load.to_numpy(), "k_", markersize=22, label="load")
    ax.set(title=f"{plan.inputs.name}: monthly electricity supply", xlabel="month", ylabel="MWh",
           xticks=range(1, 13))
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return fig


def _week(season: str):
    def make(plan: Plan) -> plt.Figure:
        hourly = plan.hourly
        month = 7 if season == "summer" else 1
        days = hourly[hourly.index.month == month]
        midnights = days.index[(days.index.day_of_week == 0) & (days.index.hour == 0) & (days.index.minute == 0)]
        first_monday = midnights[1]
        week = hourly.loc[first_monday: first_monday + pd.Timedelta(days=7) - pd.Timedelta(minutes=1)]
        fig, ax = plt.subplots(figsize=(11, 4.5))
        cols = _supply_columns(week)
        ax.stackplot(week.index, *[c / 1000 for c in cols.values()], labels=list(cols),
                     colors=list(style.colors(cols).values()), alpha=0.9)
        ax.plot(week.index, week["load_kw"] / 1000, color="k", lw=1.4, label="load")
        ax.plot(week.index, -(week["charge_kw"] + week["export_kw"]) / 1000, color=style.color("charge"),
                lw=1, label="charge + export (below 0)")
        ax.axhline(0, color="k", lw=0.5)
        ax.set(title=f"{plan.inputs.name}: dispatch, a {season} week from {first_monday:%d %b}",
               ylabel="MW")
        ax.legend(ncol=6, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
        return fig

    return make


def _costs(plan: Plan) -> plt.Figure:
    costs = plan.summary["costs"]
    bau = plan.summary.get("bau", {}).get("costs") or {}
    names = sorted(set(costs) | set(bau), key=lambda k: -abs(costs.get(k, 0)))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    y = np.arange(len(names))
    ax.barh(y + 0.2, [bau.get(n, 0) / 1e6 for n in names], height=0.4, label="business as usual", color=style.BAU_BAR)
    ax.barh(y - 0.2, [costs.get(n, 0) / 1e6 for n in names], height=0.4, label="plan", color=style.PLAN)
    labels = registry.cost_labels()
    ax.set_yticks(y, [labels.get(n, n.replace("_", " ")) for n in names])
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.5)
    total, bau_total = plan.summary["total_annual_cost"], plan.summary.get("bau", {}).get("total_annual_cost")
    subtitle = f"plan {total / 1e6:,.2f} M {plan.inputs.currency}/yr"
    if bau_total:
        subtitle += f" vs business as usual {bau_total / 1e6:,.2f} M"
    ax.set(title=f"{plan.inputs.name}: annual cost by item ({subtitle})",
           xlabel=f"million {plan.inputs.currency} per year")
    ax.legend(frameon=False)
    return fig


def _waterfall(plan: Plan) -> plt.Figure:
    steps = emission_steps(plan.summary)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    level = 0.0
    for i, (_label, value) in enumerate(steps):
        base = 0.0 if i == 0 else level
        color = style.BAU if i == 0 else (style.CUT if value < 0 else style.ADDED)
        ax.bar(i, value / 1000, bottom=base / 1000, color=color)
        level = value if i == 0 else level + value
    ax.bar(len(steps), level / 1000, color=style.NET)
    ax.set_xticks(range(len(steps) + 1), [s[0] for s in steps] + ["net"], rotation=20, ha="right")
    ax.axhline(0, color="k", lw=0.5)
    ax.set(title=f"{plan.inputs.name}: emissions from business as usual to net", ylabel="ktCO2e per year")
    return fig
