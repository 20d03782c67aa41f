"""PNG charts of a roadmap, one bar group per model year: the emissions path, the capacity built
and the yearly cash flow.

Each works from the roadmap's summary dict (roadmap.json's content) alone. A model year may stand
for several calendar years; its tick names them. Colours come from `optimizer.report.style`
(the measures' and assets' own from the registry), numbers from `optimizer.formats`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from optimizer.model import registry
from optimizer.report import style
from optimizer.report.plan_charts import save_figure
from optimizer.report.style import money_m, whole
from optimizer.result.figures import measures
from optimizer.result.roadmap import HEAT_SIZES

Summary = dict[str, Any]
Year = dict[str, Any]

ROADMAP_CHART_FILES: tuple[str, ...] = ("roadmap_emissions.png", "roadmap_capacity.png", "roadmap_cash_flow.png")

_WIDTH = 0.6  # of a bar, in model-year slots
_LABELS_UP_TO = 10  # model years; beyond that, values on bars would crowd each other
_THOUSANDS = FuncFormatter(lambda v, _pos: whole(v))


def write_roadmap_charts(summary: Summary, out: Path) -> list[Path]:
    """Every roadmap chart that has data, as PNG files in `out`; none without a plan."""
    if not plan_years(summary):
        return []
    makers: dict[str, Callable[[Summary], plt.Figure]] = dict(zip(
        ROADMAP_CHART_FILES, (emissions_figure, capacity_figure, cash_flow_figure), strict=True))
    paths = []
    for name, make in makers.items():
        if make is capacity_figure and not _has_capacity(plan_years(summary)):
            continue
        paths.append(save_figure(make, summary, out / name))
    return paths


def plan_years(summary: Summary) -> list[Year]:
    """The model years that carry a plan (an optimal or time-limited solve has one in each)."""
    return [y for y in summary.get("years") or [] if y.get("emissions") is not None]


def emissions_figure(summary: Summary) -> plt.Figure:
    """Per model year a stack from business-as-usual emissions down: what each measure cuts or
    offsets (reductions on top, offsets next to the net) above the net that remains; targets as
    dashed caps, the base year as a dashed line (tCO2e per year)."""
    years = plan_years(summary)
    x, fig, (ax,) = _axes(years, summary)
    net = np.array([y["emissions"]["net_t"] for y in years])
    bau = np.array([y["bau"]["net_t"] for y in years])
    cuts = _cuts(years)
    tops = net + sum(cuts.values(), np.zeros(len(years)))
    targets = np.array([np.nan if y.get("target_t") is None else y["target_t"] for y in years], dtype=float)
    base_t = summary.get("base_emissions_t")
    high = max([*tops, *bau, *targets[~np.isnan(targets)], base_t or 0.0, 1.0])
    ax.set_ylim(min(0.0, net.min() * 1.1), high * 1.14)
    readable = 0.045 * high

    ax.bar(x, net, _WIDTH, color=style.NET, label="net emissions (what remains)")
    _values_inside(ax, x, np.zeros(len(years)), net, readable, "white")
    bottom = net.copy()
    for label in reversed(list(cuts)):  # the last drawn is on top: reductions first from business as usual down
        ax.bar(x, cuts[label], _WIDTH, bottom=bottom, color=style.color(label), label=label)
        _values_inside(ax, x, bottom, cuts[label], readable, "black" if label == "rooftop PV" else "white")
        bottom = bottom + cuts[label]
    _ticks(ax, x, bau, 0.34, color=style.BAU, lw=2.6, label="business as usual (value above)")
    for i in x:
        ax.annotate(whole(bau[i]), (i, max(bau[i], tops[i])), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8, color=style.NOTE)
    if not np.isnan(targets).all():
        _ticks(ax, x, targets, 0.38, color="k", lw=1.6, ls=(0, (4, 2)), label="target (cap on net emissions)")
        for i in x[~np.isnan(targets)] if len(years) <= _LABELS_UP_TO else ():
            ax.annotate(f"target\n{whole(targets[i])}", (i + 0.38, targets[i]), xytext=(2, 2),
                        textcoords="offset points", ha="left", va="bottom", fontsize=7.5,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    if base_t is not None:
        ax.axhline(base_t, color=style.BAU, ls="--", lw=1, zorder=0.5,
                   label=f"base year {summary.get('base_year', '')}: {whole(base_t)}")
    ax.axhline(0, color="k", lw=0.6)
    ax.yaxis.set_major_formatter(_THOUSANDS)
    ax.set_ylabel("tCO2e per year")
    ax.set_title(f"{summary.get('name', 'roadmap')}: emissions path by model year\n"
                 "business as usual → reductions → offsets → net", fontsize=11)
    _legend(ax, ["business as usual (value above)", *cuts, "net emissions (what remains)",
                 "target (cap on net emissions)", f"base year {summary.get('base_year', '')}: "
                 f"{whole(base_t) if base_t is not None else ''}"])
    gap, visible = tops - bau, 0.004 * high
    adding = [label for label in dict.fromkeys(k for y in years for k, v in (y.get("added_t") or {}).items()
                                               if v > visible)] or ["battery losses"]
    notes = [f"Stacks reach up to {whole(gap.max())} tCO2e per year above business as usual (grey tick): the "
             f"measures also make up for what adds emissions ({', '.join(adding)})."] if gap.max() > visible else []
    if gap.min() < -visible:
        notes.append(f"Stacks fall up to {whole(-gap.min())} tCO2e per year short of business as usual: the summary "
                     "does not itemise every cut.")
    _footnote(ax, summary, notes)
    return fig


def capacity_figure(summary: Summary) -> plt.Figure:
    """PV installed by array (kWp, what was added that year labelled) and, on panels of their own,
    the battery's energy capacity (kWh) and the heat pump and electric heater (kW of heat, the
    thermal store's kWh written above), per model year."""
    years = plan_years(summary)
    battery = any(y.get("storage_kwh", 0.0) > 0 for y in years)
    heat = any(y.get(k, 0.0) > 0 for y in years for k in HEAT_SIZES.values())
    x, fig, axes = _axes(years, summary, panels=1 + battery + heat)
    pv_ax = axes[0]
    arrays = list(dict.fromkeys(name for y in years for name in y.get("pv_kw") or {}))
    colors = style.colors(arrays)
    installed = np.array([sum((y.get("pv_kw") or {}).values()) for y in years])
    added = np.array([sum((y.get("pv_kw_added") or {}).values()) for y in years])
    pv_ax.set_ylim(0, max(installed.max(), 1.0) * 1.3)
    bottom = np.zeros(len(years))
    for k, name in enumerate(arrays):
        kw = np.array([(y.get("pv_kw") or {}).get(name, 0.0) for y in years])
        pv_ax.bar(x, kw, _WIDTH, bottom=bottom, color=colors[name], hatch=("", "//", "..", "xx")[k // 4 % 4],
                  label=name)
        _values_inside(pv_ax, x, bottom, kw, 0.07 * pv_ax.get_ylim()[1], "white")
        bottom = bottom + kw
    for i in x:
        new = f"\n(+{whole(added[i])} new)" if added[i] > 0.5 else ""
        pv_ax.annotate(f"{whole(installed[i])} kWp{new}", (i, installed[i]), xytext=(0, 3),
                       textcoords="offset points", ha="center", va="bottom", fontsize=8)
    pv_ax.set_ylabel("rooftop PV installed (kWp)")
    pv_ax.yaxis.set_major_formatter(_THOUSANDS)
    if arrays:
        _legend(pv_ax, arrays[::-1], title="PV array")  # top of the legend = top of the stack
    else:
        pv_ax.text(0.5, 0.5, "no rooftop PV in the plan", transform=pv_ax.transAxes, ha="center",
                   color=style.NOTE)
    title = f"{summary.get('name', 'roadmap')}: capacity installed by model year"
    if battery:
        _battery(axes[1], x, years)
    else:
        title += " (no battery in the plan)"
    if heat:
        _heat(axes[-1], x, years)
    pv_ax.set_title(title, fontsize=11)
    _footnote(axes[-1], summary)
    return fig


def cash_flow_figure(summary: Summary) -> plt.Figure:
    """Per model year: the investment paid that year (down, by asset), the operating savings
    against business as usual (business as usual's annual cost − the plan's) and their net as a
    marker, in millions of the currency."""
    years = plan_years(summary)
    currency = summary.get("currency", "")
    x, fig, (ax,) = _axes(years, summary)
    step = 0.27  # investment | savings | net within a model year's slot
    width = 0.25
    assets = [k for k in dict.fromkeys(k for y in years for k in y.get("investment") or {}) if k != "total"]
    labels = registry.cost_labels()
    invested = np.array([_investment(y) for y in years]) / 1e6
    savings = np.array([y["savings"] for y in years]) / 1e6
    net = savings - invested
    down = np.zeros(len(years))
    for asset in assets:
        paid = np.array([(y.get("investment") or {}).get(asset, 0.0) for y in years]) / 1e6
        if not paid.any():
            continue
        label = labels.get(asset, asset.replace("_", " "))
        ax.bar(x - step, -paid, width, bottom=down, color=style.color(label), label=f"investment: {label}")
        down = down - paid
    ax.bar(x, savings, width, color=style.CUT, label="operating savings vs business as usual")
    ax.vlines(x + step, 0, net, color="k", lw=0.8)
    ax.plot(x + step, net, ls="none", marker="D", ms=6, color="k", label="net (savings − investment)")
    low, high = min(0.0, (-invested).min(), savings.min(), net.min()), max(0.0, savings.max(), net.max())
    pad = 0.14 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)
    for i in x if len(years) <= _LABELS_UP_TO else ():
        _value_at_end(ax, i - step, -invested[i], skip_zero=True)
        _value_at_end(ax, i, savings[i])
        _value_at_end(ax, i + step, net[i], offset=5)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_ylabel(f"million {currency}")
    ax.set_title(f"{summary.get('name', 'roadmap')}: cash flow by model year against business as usual "
                 f"(million {currency})", fontsize=11)
    _legend(ax, [*(f"investment: {labels.get(a, a.replace('_', ' '))}" for a in assets),
                 "operating savings vs business as usual", "net (savings − investment)"])
    note = ("Investment is paid once, in its model year; savings are per calendar year, in each year the "
            "model year stands for.")
    if summary.get("npv") is not None:
        note += f" Present value of the roadmap: {money_m(summary['npv'])} M {currency}"
        if summary.get("npv_savings") is not None:
            note += f", {money_m(summary['npv_savings'])} M below business as usual"
        note += "."
    _footnote(ax, summary, [note])
    return fig


def _has_capacity(years: Sequence[Year]) -> bool:
    return any(sum((y.get("pv_kw") or {}).values()) > 0 or y.get("storage_kwh", 0.0) > 0 for y in years)


def _investment(year: Year) -> float:
    paid = year.get("investment") or {}
    return paid.get("total", sum(v for k, v in paid.items() if k != "total"))


def _cuts(years: Sequence[Year]) -> dict[str, np.ndarray]:
    """Each measure's cut per year (tCO2e/yr), the registry's order first; measures cutting nothing left out."""
    found = list(dict.fromkeys([*measures(), *(m for y in years for m in y.get("cuts_t") or {})]))
    cuts = {m: np.array([(y.get("cuts_t") or {}).get(m, 0.0) for y in years]) for m in found}
    return {m: v for m, v in cuts.items() if v.any()}


def _axes(years: Sequence[Year], summary: Summary, panels: int = 1) -> tuple[np.ndarray, plt.Figure, list[plt.Axes]]:
    """A figure wide enough for the years, their ticks naming the calendar years each stands for."""
    n = len(years)
    fig, axes = plt.subplots(panels, 1, figsize=(max(9.0, 1.5 * n + 3), 4.8 if panels == 1 else 2.2 * panels + 2.6),
                             sharex=True, squeeze=False)
    x = np.arange(n)
    for ax in axes.flat:
        ax.set_xlim(-0.6, n - 0.4)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[-1][0].set_xticks(x, [_year_tick(y) for y in years], fontsize=9)
    axes[-1][0].set_xlabel(f"model year (calendar years it stands for); base year {summary.get('base_year', '')}")
    return x, fig, list(axes[:, 0])


def _year_tick(year: Year) -> str:
    first, last = year.get("stands_for") or (year["year"], year["year"])
    return str(year["year"]) if first == last else f"{year['year']}\n({first}–{last})"


def _battery(ax: plt.Axes, x: np.ndarray, years: Sequence[Year]) -> None:
    kwh = np.array([y.get("storage_kwh", 0.0) for y in years])
    added = np.array([y.get("storage_kwh_added", 0.0) for y in years])
    ax.bar(x, kwh, _WIDTH, color=style.color("battery"), label="battery")
    ax.set_ylim(0, kwh.max() * 1.35)
    for i in x:
        new = f"\n(+{whole(added[i])} kWh new)" if added[i] > 0.5 else ""
        power = f", {whole(years[i]['storage_kw'])} kW" if years[i].get("storage_kw") else ""
        ax.annotate(f"{whole(kwh[i])} kWh{power}{new}", (i, kwh[i]), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("battery installed (kWh)")
    ax.yaxis.set_major_formatter(_THOUSANDS)


def _heat(ax: plt.Axes, x: np.ndarray, years: Sequence[Year]) -> None:
    """The heat pump and the electric heater side by side (kW of heat), what was added and the
    thermal store's kWh of heat written above each pair."""
    half = _WIDTH / 2
    top = 1.0
    for shift, key, label in ((-half / 2, "heat_pump_kw_th", "heat_pump"), (half / 2, "electric_heater_kw_th",
                                                                               "electric_heater")):
        kw = np.array([y.get(key, 0.0) for y in years])
        added = np.array([y.get(f"{key}_added", 0.0) for y in years])
        ax.bar(x + shift, kw, half, color=style.color(label), label=label.replace("_", " "))
        for i in x:
            new = f"\n+{whole(added[i])}" if added[i] > 0.5 else ""
            ax.annotate(f"{whole(kw[i])}{new}", (i + shift, kw[i]), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7.5)
        top = max(top, kw.max())
    ax.set_ylim(0, top * 1.6)
    for i, y in enumerate(years):
        if y.get("thermal_storage_kwh_th", 0.0) > 0:
            ax.annotate(f"store {whole(y['thermal_storage_kwh_th'])} kWh", (i, top * 1.42), ha="center",
                        va="bottom", fontsize=8, color=style.color("thermal_storage"))
    ax.set_ylabel("heat installed\n(kW of heat)")
    ax.yaxis.set_major_formatter(_THOUSANDS)
    _legend(ax, ["heat pump", "electric heater"])


def _ticks(ax: plt.Axes, x: np.ndarray, y: np.ndarray, half: float, **line: Any) -> Line2D:
    """One line of short horizontal ticks, `half` a slot either side of each x (none where y is NaN)."""
    xs = np.column_stack([x - half, x + half, np.full(len(x), np.nan)]).ravel()
    ys = np.column_stack([y, y, np.full(len(x), np.nan)]).ravel()
    return ax.plot(xs, ys, **line)[0]


def _values_inside(ax: plt.Axes, x: np.ndarray, bottom: np.ndarray, height: np.ndarray, readable: float,
                   color: str) -> None:
    """Each value in the middle of its bar segment, where the segment is tall enough to hold it."""
    if len(x) > _LABELS_UP_TO:
        return
    for i, b, h in zip(x, bottom, height, strict=True):
        if abs(h) >= readable:
            ax.text(i, b + h / 2, whole(h), ha="center", va="center", fontsize=8, color=color)


def _value_at_end(ax: plt.Axes, x: float, value: float, skip_zero: bool = False, offset: float = 2) -> None:
    """The value (millions) beyond the end of its bar or marker: above if positive, below if negative."""
    if skip_zero and abs(value) < 0.005:
        return
    ax.annotate(money_m(value * 1e6), (x, value), xytext=(0, offset if value >= 0 else -offset),
                textcoords="offset points", ha="center", va="bottom" if value >= 0 else "top", fontsize=8)


def _legend(ax: plt.Axes, order: list[str], title: str | None = None) -> None:
    """The legend in `order` (names missing from the chart left out), beside the axes."""
    handles = dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
    ax.legend([handles[n] for n in order if n in handles], [n for n in order if n in handles], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, title=title)


def _footnote(ax: plt.Axes, summary: Summary, notes: Sequence[str] = ()) -> None:
    """The notes (and a word on a solve not proven best) below the bottom axes' label, wrapped to the figure."""
    if summary.get("status") not in (None, "optimal"):
        notes = [f"Solver status {summary['status']}: a plan, maybe not the best.", *notes]
    if not notes:
        return
    width = int(ax.figure.get_figwidth() * 13)  # characters of 8 pt text across the figure
    text = "\n".join(line for note in notes for line in textwrap.wrap(note, width))
    ax.annotate(text, xy=(0.01, 0), xycoords=("figure fraction", ax.xaxis.label), xytext=(0, -6),
                textcoords="offset points", ha="left", va="top", fontsize=8, color=style.NOTE)
