"""The plan's heat chart: heat supplied by each technology per month against the demand, and the
electricity that heat takes.

The sources are those of the heat asset (`optimizer.model.heat.SOURCES`), read from the hourly
table (`heat_<source>_kw_th`, summed over the demands; the store counts as it discharges). The
demand before measures and what the measures taken save are read from the plan's inputs, laid out
on the calendar; what the sources give is what remains of the demand.
"""

from __future__ import annotations

import calendar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from optimizer.model.heat import SOURCES
from optimizer.report import style
from optimizer.result.plan import Plan

HEAT_CHART = "heat_supply.png"
SAVED = "efficiency measures"  # the measures' label and colour (`optimizer.model.measures`)
ELECTRICITY = "electricity for heat"  # the heat asset's label and colour
SAVED_LABEL = "saved by efficiency measures"  # what the measures take off a demand, in a legend


def saved_look() -> dict[str, object]:
    """How a saving is drawn on top of what supplies a demand: hatched in the measures' colour."""
    return {"color": "white", "edgecolor": style.color(SAVED), "hatch": "///", "linewidth": 0.8}


def has_heat(plan: Plan) -> bool:
    """Whether the plan's hourly table has heat flows."""
    return plan.hourly is not None and "heat_boiler_kw_th" in plan.hourly


def source_label(source: str) -> str:
    """A source as the chart's legend names it: 'heat_pump' -> 'heat pump'."""
    return source.replace("_", " ") + (" (discharging)" if source == "thermal_storage" else "")


def monthly_heat(plan: Plan) -> pd.DataFrame:
    """MWh per calendar month (index 1-12, months of the plan only): the heat from each source (one
    column per source label), the heat the measures taken saved (`SAVED`), the demand before
    measures ("demand") and the electricity for heat (`ELECTRICITY`)."""
    hourly, inp = plan.hourly, plan.inputs
    to_mwh = inp.step_h / 1000.0
    columns = {source_label(s): hourly[f"heat_{s}_kw_th"] for s in SOURCES}
    columns[SAVED] = pd.Series(_heat_saved_kw(plan), index=hourly.index)
    columns["demand"] = pd.Series(sum(inp.on_calendar(d.heat_kw) for d in inp.heat.demands), index=hourly.index)
    columns[ELECTRICITY] = hourly["heat_electricity_kw"]
    monthly = pd.DataFrame({k: v * to_mwh for k, v in columns.items()})
    return monthly.groupby(hourly.index.month).sum()


def _heat_saved_kw(plan: Plan) -> np.ndarray:
    """The heat the measures taken remove from the demands in each calendar step (kW)."""
    taken = plan.summary.get("measure_taken") or {}
    saved = np.zeros(len(plan.hourly))
    for x in plan.inputs.measures:
        if taken.get(x.name):
            for kw in x.heat_saved_kw.values():
                saved += plan.inputs.on_calendar(kw)
    return saved


def month_ticks(ax: plt.Axes, months: np.ndarray) -> None:
    """Month names under bars placed at month numbers: 'Jan' ... 'Dec'."""
    ax.set_xticks(months, [calendar.month_abbr[int(m)] for m in months])


def value_labels(ax: plt.Axes, x: np.ndarray, tops: np.ndarray, texts: list[str], fontsize: float = 8) -> None:
    """Each text just above its bar's top (a point in data units)."""
    for xi, top, text in zip(x, tops, texts, strict=True):
        ax.annotate(text, (xi, top), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=fontsize, color=style.NOTE)


def heat_figure(plan: Plan) -> plt.Figure:
    """Stacked monthly heat by source (and saved by measures) against the demand, each month's demand on
    it; below, the electricity for heat, each month's on its bar. A source that gives nothing is left out."""
    monthly, s = monthly_heat(plan), plan.summary
    months = monthly.index.to_numpy()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6.8), sharex=True, height_ratios=(2.2, 1))
    colors = style.colors([*SOURCES, ELECTRICITY])
    bottom_mwh = np.zeros(len(monthly))
    for source in SOURCES:
        label = source_label(source)
        if monthly[label].abs().max() > 1e-9:
            top.bar(months, monthly[label], bottom=bottom_mwh, label=label, color=colors[source])
            bottom_mwh += monthly[label].to_numpy()
    saves = monthly[SAVED].sum() > 0
    if saves:
        top.bar(months, monthly[SAVED], bottom=bottom_mwh, label=SAVED_LABEL, **saved_look())
        bottom_mwh += monthly[SAVED].to_numpy()
    demand = monthly["demand"].to_numpy()
    top.plot(months, demand, "k_", markersize=22, markeredgewidth=2,
             label="heat demand" + (" before measures" if saves else ""))
    value_labels(top, months, np.maximum(demand, bottom_mwh), [style.whole(v) for v in demand])
    heat, fuel = s.get("heat") or {}, plan.inputs.heat.fuel_name
    top.set(title=style.plan_title(plan, "heat supplied by technology, per month"), ylabel="MWh of heat")
    top.text(0.01, 0.98, f"{fuel} burnt by the boiler: {style.whole(heat.get('boiler_fuel_mwh'))} MWh "
             f"(business as usual {style.whole(heat.get('bau_boiler_fuel_mwh'))} MWh)",
             transform=top.transAxes, va="top", fontsize=9, color=style.NOTE)
    top.set_ylim(0, max(float(demand.max()), float(bottom_mwh.max()), 1e-9) * 1.2)
    handles, labels = top.get_legend_handles_labels()  # as stacked: the top of the bars first
    top.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    electricity = monthly[ELECTRICITY].to_numpy()
    bottom.bar(months, electricity, color=colors[ELECTRICITY], label=ELECTRICITY)
    value_labels(bottom, months, electricity, [style.whole(v) for v in electricity])
    bottom.set_ylim(0, max(float(electricity.max()), 1e-9) * 1.25)
    bottom.set(title=f"electricity for heat: {style.whole(monthly[ELECTRICITY].sum())} MWh "
               f"(heat pump, electric heater, charging the store)", ylabel="MWh of electricity")
    month_ticks(bottom, months)
    for ax in (top, bottom):
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.whole(v)))
    fig.tight_layout()
    return fig
