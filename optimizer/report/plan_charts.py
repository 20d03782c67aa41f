"""PNG charts of a plan: monthly energy mix, dispatch weeks, cost breakdown, emissions waterfall;
with heat, the heat supply (`optimizer.report.heat_charts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from optimizer.atomic import atomic_write
from optimizer.formats import whole
from optimizer.model.registry import ASSETS
from optimizer.report import style
from optimizer.report.fonts import chart_rc
from optimizer.report.heat_charts import ELECTRICITY, HEAT_CHART, has_heat, heat_figure, month_ticks, saved_look
from optimizer.report.plan_bars import cost_figure as _costs
from optimizer.report.plan_bars import waterfall_figure as _waterfall
from optimizer.result.plan import Plan

# Names and labels come from scenario files: a '$' in them is a dollar sign, not mathematics.
LITERAL_TEXT = chart_rc()  # and Chinese glyphs from Noto Sans SC
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


@dataclass(frozen=True)
class Balance:
    """The electricity balance's columns of an hourly table, as the registry's assets name them, that are
    not all zero: in every step, supply = load + added + below."""

    supply: tuple[str, ...]  # what supplies the balance (`Asset.supplies`), stacked above the axis
    below: tuple[str, ...]  # what it supplies besides the plant's own use (charging, export), below the axis
    added: tuple[str, ...]  # what the plant uses besides the load (`Asset.own_use` > 0: electricity for heat)
    saved: tuple[str, ...]  # supplies that are use avoided (`Asset.own_use` < 0: the measures' saving), hatched


def balance(hourly: pd.DataFrame) -> Balance:
    """The columns of `hourly` that move electricity, in registry order; a column all zero is left out."""
    def shown(columns: object) -> tuple[str, ...]:
        return tuple(c for c in columns if c in hourly and float(hourly[c].abs().max()) > 1e-6)

    own = {c: sign for a in ASSETS for c, sign in a.own_use.items()}
    supply = shown(c for a in ASSETS for c in a.supplies)
    demand = shown(c for a in ASSETS for c in a.demands)
    return Balance(supply, below=tuple(c for c in demand if own.get(c, 0) <= 0),
                   added=tuple(c for c in demand if own.get(c, 0) > 0),
                   saved=tuple(c for c in supply if own.get(c, 0) < 0))


def flow_label(column: str) -> str:
    """A balance column as a legend names it: 'charge_kw' -> 'battery charging'."""
    return style.FLOWS.get(column, (column.removesuffix("_kw").replace("_", " "),))[0]


def flow_look(column: str, flows: Balance) -> dict[str, object]:
    """How a column is filled: in its colour, a saving hatched (`saved_look`)."""
    if column in flows.saved:
        return saved_look()
    key = style.FLOWS.get(column, (None, flow_label(column)))[1]
    return {"color": style.color(key)}


def _use_label(flows: Balance) -> str:
    return " + ".join(["load", *(flow_label(c) for c in flows.added)])


def _energy_mix(plan: Plan) -> plt.Figure:
    """Each month's electricity: what supplied it stacked above the axis, what went into the battery or was
    sold below it, the load (and the load with the electricity for heat) marked across each bar."""
    hourly, flows = plan.hourly, balance(plan.hourly)
    columns = ["load_kw", *flows.supply, *flows.below, *flows.added]
    monthly = (hourly[columns] * plan.inputs.step_h / 1000).groupby(hourly.index.month).sum()
    months = monthly.index.to_numpy()
    fig, ax = plt.subplots(figsize=(10, 5.2))
    for columns_, sign in ((flows.supply, 1), (flows.below, -1)):
        level = np.zeros(len(months))
        for c in columns_:
            ax.bar(months, sign * monthly[c].to_numpy(), bottom=level, width=0.8, label=flow_label(c),
                   **flow_look(c, flows))
            level += sign * monthly[c].to_numpy()
    ax.set_xlim(months.min() - 0.6, months.max() + 0.6)
    across = 0.8 / np.ptp(ax.get_xlim()) * ax.get_position().width * fig.get_figwidth() * 72  # a bar's width, pt
    load = monthly["load_kw"].to_numpy()
    ax.plot(months, load, "_", color=style.LOAD, markersize=across, markeredgewidth=2.5, label="load")
    if flows.added:
        used = load + monthly[list(flows.added)].sum(axis=1).to_numpy()
        ax.plot(months, used, "_", color=style.color(ELECTRICITY), markersize=across, markeredgewidth=2.5,
                label=_use_label(flows))
    ax.axhline(0, color="k", lw=0.6)
    month_ticks(ax, months)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: whole(v)))
    ax.set_ylabel("MWh per month")
    ax.set_title(style.plan_title(plan, "monthly electricity, where it came from and where it went"), pad=20)
    uses = " + ".join([_use_label(flows) + " (marked)", *(f"{flow_label(c)} (below 0)" for c in flows.below)])
    ax.text(0.5, 1.015, f"supply (bars above 0) = {uses}", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=9, color=style.NOTE)
    _legend_below(ax, -0.08)
    return fig


def _legend_below(ax: plt.Axes, y: float) -> None:
    """The legend under the axes: the supply as stacked, what went below the axis, then the load's lines
    (drawn short, whatever their markers' width)."""
    handles, labels = ax.get_legend_handles_labels()
    lines = [i for i, h in enumerate(handles) if isinstance(h, Line2D)]
    order = [i for i in range(len(labels)) if i not in lines] + lines
    handles = [Line2D([], [], color=h.get_color(), lw=2.5) if isinstance(h, Line2D) else h for h in handles]
    ax.legend([handles[i] for i in order], [labels[i] for i in order], ncol=min(len(labels), 4),
              loc="upper center", bbox_to_anchor=(0.5, y), frameon=False, fontsize=9)


def week_rows(hourly: pd.DataFrame, month: int) -> pd.DataFrame:
    """The week from the second Monday of `month` (the first when there is one only; the table's first
    week when it has no such Monday)."""
    days = hourly[hourly.index.month == month]
    midnights = days.index[(days.index.day_of_week == 0) & (days.index.hour == 0) & (days.index.minute == 0)]
    first = midnights[min(1, len(midnights) - 1)] if len(midnights) else hourly.index[0]
    return hourly.loc[first: first + pd.Timedelta(days=7) - pd.Timedelta(minutes=1)]


def _week(season: str) -> Callable[[Plan], plt.Figure]:
    def make(plan: Plan) -> plt.Figure:
        """A week's dispatch (MW): the supply stacked above zero, charging and export below, the load."""
        week = week_rows(plan.hourly, 7 if season == "summer" else 1)
        flows, x = balance(week), week.index
        fig, ax = plt.subplots(figsize=(11, 5))
        for columns, sign in ((flows.supply, 1), (flows.below, -1)):
            level = np.zeros(len(week))
            for c in columns:
                top = level + sign * week[c].to_numpy() / 1000
                look = {"linewidth": 0.0, **flow_look(c, flows)}
                if "edgecolor" in look:  # a hatched area: `color` would colour its hatch white too
                    look["facecolor"] = look.pop("color")
                ax.fill_between(x, level, top, label=flow_label(c), **look)
                level = top
        ax.plot(x, week["load_kw"] / 1000, color=style.LOAD, lw=1.4, label="load")
        if flows.added:
            ax.plot(x, (week["load_kw"] + week[list(flows.added)].sum(axis=1)) / 1000, color=style.color(ELECTRICITY),
                    lw=1.4, label=_use_label(flows))
        ax.axhline(0, color="k", lw=0.6)
        _day_ticks(ax, week.index)
        ax.set(title=style.plan_title(plan, f"dispatch, a {season} week from {x[0]:%a %d %b}"), ylabel="MW")
        notes = [f"below 0: {', '.join(flow_label(c) for c in flows.below)}"] if flows.below else []
        if plan.inputs.typical_days is not None:
            notes.append("on typical days: each day shows its typical day")
        if notes:
            ax.text(0.5, 1.01, "; ".join(notes), transform=ax.transAxes, ha="center", va="bottom", fontsize=9,
                    color=style.NOTE)
            ax.set_title(ax.get_title(), pad=18)
        _legend_below(ax, -0.09)
        return fig

    return make


def _day_ticks(ax: plt.Axes, index: pd.DatetimeIndex) -> None:
    """Days at midnight ('Mon 14 Jul', a light line), every 6 hours a small tick."""
    tz = index.tz
    ax.xaxis.set_major_locator(mdates.DayLocator(tz=tz))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%a %d %b", tz=tz))
    ax.xaxis.set_minor_locator(mdates.HourLocator(byhour=(6, 12, 18), tz=tz))
    ax.set_xlim(index[0], index[-1])
    ax.grid(axis="x", which="major", color=style.BAU_BAR, lw=0.6)
    ax.tick_params(axis="x", which="major", labelsize=9)
