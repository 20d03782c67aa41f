"""PNG charts of a plan: monthly energy mix, dispatch weeks, cost breakdown, emissions waterfall;
with heat, the heat supply (`optimizer.report.heat_charts`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from optimizer.atomic import atomic_write
from optimizer.model import registry
from optimizer.report import style
from optimizer.report.heat_charts import (
    ELECTRICITY,
    HEAT_CHART,
    SAVED,
    SAVED_LABEL,
    has_heat,
    heat_figure,
    saved_look,
)
from optimizer.result.figures import emission_steps
from optimizer.result.plan import Plan

# Names and labels come from scenario files: a '$' in them is a dollar sign, not mathematics.
LITERAL_TEXT = {"text.parse_math": False}
CHART_FILES = ("energy_mix_monthly.png", "dispatch_summer_week.png", "dispatch_winter_week.png",
               "cost_breakdown.png", "emissions_waterfall.png")
OPTIONAL_CHART_FILES = (HEAT_CHART,)  # written only when the plan has what they show


def write_charts(plan: Plan, out: Path) -> list[Path]:
    """Every chart of `plan` as PNG files in `out`; returns their paths."""
    if not plan.has_plan:
        return []
    makers = dict(zip(CHART_FILES, (_energy_mix, _week("summer"), _week("winter"), _costs, _waterfall),
                      strict=True))
    if has_heat(plan):
        makers[HEAT_CHART] = heat_figure
    return [save_figure(make, plan, out / name) for name, make in makers.items()]


def save_figure(make: Callable[..., plt.Figure], subject: object, path: Path) -> Path:
    """Draw `make(subject)` with names taken literally and save it as a PNG, whole or not at all."""
    with plt.rc_context(LITERAL_TEXT):
        fig = make(subject)
    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=110, bbox_inches="tight"))
    plt.close(fig)
    return path


def _supply_columns(hourly: pd.DataFrame, saves: bool = False) -> dict[str, pd.Series]:
    """What supplies the power balance, by label; with `saves`, the load the measures taken remove."""
    columns = {"grid": hourly["grid_import_kw"], "pv": hourly["pv_self_kw"],
               "battery": hourly["discharge_kw"], "green power": hourly["green_power_kw"]}
    if saves:
        columns[SAVED] = hourly["measures_saved_kw"]
    return columns


def _saves(plan: Plan) -> bool:
    """Whether the measures taken remove any load (they supply the balance, so the supply shows them)."""
    return "measures_saved_kw" in plan.hourly and plan.hourly["measures_saved_kw"].abs().max() > 1e-6


def _labelled(label: str) -> str:
    return SAVED_LABEL if label == SAVED else label


def _energy_mix(plan: Plan) -> plt.Figure:
    """Monthly supply stacked (with the load the measures remove) against the load, and above the
    load the electricity for heat."""
    hourly, step_h = plan.hourly, plan.inputs.step_h
    monthly = pd.DataFrame({k: v * step_h / 1000 for k, v in _supply_columns(hourly, _saves(plan)).items()})
    monthly = monthly.groupby(hourly.index.month).sum()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bottom = np.zeros(len(monthly))
    for col in monthly:
        look = saved_look() if col == SAVED else {"color": style.color(col)}
        ax.bar(monthly.index, monthly[col], bottom=bottom, label=_labelled(col), **look)
        bottom += monthly[col].to_numpy()
    load = (hourly["load_kw"] * step_h / 1000).groupby(hourly.index.month).sum()
    ax.plot(load.index, load.to_numpy(), "k_", markersize=22, label="load")
    if "heat_electricity_kw" in hourly:
        heat = (hourly["heat_electricity_kw"] * step_h / 1000).groupby(hourly.index.month).sum()
        ax.vlines(heat.index, load.to_numpy(), (load + heat).to_numpy(), color=style.color(ELECTRICITY), lw=3)
        ax.plot(heat.index, (load + heat).to_numpy(), "_", markersize=22, markeredgewidth=2,
                color=style.color(ELECTRICITY), label=f"load + {ELECTRICITY}")
    ax.set(title=f"{plan.inputs.name}: monthly electricity supply", xlabel="month", ylabel="MWh",
           xticks=range(1, 13))
    _legend_below(ax, -0.12)
    return fig


def _legend_below(ax: plt.Axes, y: float) -> None:
    """The legend under the axes: the supply as stacked, then the load and the uses."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i].startswith(("load", "charge")))
    ax.legend([handles[i] for i in order], [labels[i] for i in order], ncol=4 if len(labels) > 6 else 6,
              loc="upper center", bbox_to_anchor=(0.5, y), frameon=False)


def _week(season: str):
    def make(plan: Plan) -> plt.Figure:
        hourly = plan.hourly
        month = 7 if season == "summer" else 1
        days = hourly[hourly.index.month == month]
        midnights = days.index[(days.index.day_of_week == 0) & (days.index.hour == 0) & (days.index.minute == 0)]
        first_monday = midnights[1]
        week = hourly.loc[first_monday: first_monday + pd.Timedelta(days=7) - pd.Timedelta(minutes=1)]
        fig, ax = plt.subplots(figsize=(11, 4.5))
        cols = _supply_columns(week, _saves(plan))
        areas = ax.stackplot(week.index, *[c / 1000 for c in cols.values()], labels=[_labelled(c) for c in cols],
                             colors=list(style.colors(cols).values()), alpha=0.9,
                             hatch=[saved_look()["hatch"] if c == SAVED else None for c in cols])
        if SAVED in cols:
            areas[-1].set_facecolor(saved_look()["color"])
            areas[-1].set_edgecolor(saved_look()["edgecolor"])
        ax.plot(week.index, week["load_kw"] / 1000, color="k", lw=1.4, label="load")
        if "heat_electricity_kw" in week:
            ax.plot(week.index, (week["load_kw"] + week["heat_electricity_kw"]) / 1000, color=style.color(ELECTRICITY),
                    lw=1.4, label=f"load + {ELECTRICITY}")
        ax.plot(week.index, -(week["charge_kw"] + week["export_kw"]) / 1000, color=style.color("charge"),
                lw=1, label="charge + export (below 0)")
        ax.axhline(0, color="k", lw=0.5)
        ax.set(title=f"{plan.inputs.name}: dispatch, a {season} week from {first_monday:%d %b}",
               ylabel="MW")
        _legend_below(ax, -0.1)
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
    level, ends = 0.0, [0.0]
    for i, (_label, value) in enumerate(steps):
        base = 0.0 if i == 0 else level
        color = style.BAU if i == 0 else (style.CUT if value < 0 else style.ADDED)
        ax.bar(i, value / 1000, bottom=base / 1000, color=color)
        level = value if i == 0 else level + value
        ends.append(level / 1000)
    ax.bar(len(steps), level / 1000, color=style.NET)
    # a step of zero at the top would pin the axis there (a bar's base is a sticky edge): room above and below
    pad = 0.05 * ((max(ends) - min(ends)) or 1.0)
    ax.set_ylim(min(ends) - (pad if min(ends) < 0 else 0.0), max(ends) + pad)
    ax.set_xticks(range(len(steps) + 1), [s[0] for s in steps] + ["net"], rotation=20, ha="right")
    ax.axhline(0, color="k", lw=0.5)
    ax.set(title=f"{plan.inputs.name}: emissions from business as usual to net", ylabel="ktCO2e per year")
    return fig
