"""Charts comparing scenarios side by side, as PNG bytes to embed in a page.

Each function takes (scenario name, summary) pairs; a scenario without a plan keeps its place,
marked "no plan", so the charts line up with the page's columns.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from optimizer.report import style
from optimizer.report.fonts import chart_rc
from optimizer.report.style import ADDED as _ADDED
from optimizer.report.style import BAU as _BAU
from optimizer.report.style import CUT as _CUT
from optimizer.report.style import NET as _NET
from optimizer.result.figures import (
    SummaryLike,
    cost_items,
    emission_steps,
    has_plan,
    measure_cuts_t,
    measures,
    no_plan_reason,
    steps,
)

Column = tuple[str, SummaryLike]

_DPI = 110


def plain(text: str, width: int = 24) -> str:
    """Text wrapped to `width` (a `$` in it prints as typed: `drawn` turns mathematics off)."""
    return "\n".join(textwrap.wrap(text, width) or [""])


def drawn(make: Callable[..., plt.Figure], *args: object) -> bytes:
    """`make(*args)` drawn with the charts' fonts and literal names (`optimizer.report.fonts`), as PNG bytes."""
    with plt.rc_context(chart_rc()):
        return png_bytes(make(*args))


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def emission_paths(columns: Sequence[Column]) -> plt.Figure:
    """One waterfall per scenario from business-as-usual emissions to net (ktCO2e/yr), shared scale."""
    n = len(columns)
    ncols = 1 if n == 1 else 2
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(10.5, 0.4 + 3.3 * nrows), sharey=True, squeeze=False)
    found = [emission_steps(summary) for _, summary in columns]
    shown = {label for steps_t in found for label, _ in steps_t}  # a step no scenario has is left out
    labels = [step for step in steps() if step in shown or not shown] + ["net"]
    ticks = [style.tick(label) for label in labels]
    for ax, (name, summary), steps_t in zip(axes.flat, columns, found, strict=False):
        ax.set_title(plain(name, 60), fontsize=10)
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xlim(-0.6, len(ticks) - 0.4)
        ax.set_xticks(range(len(ticks)), ticks, fontsize=8)
        if steps_t:
            _waterfall(ax, steps_t, labels)
            continue
        bau_t = (summary.get("bau") or {}).get("net_t")
        if bau_t is not None:
            ax.bar(0, bau_t / 1000, color=_BAU)
            _label(ax, 0, bau_t / 1000)
        ax.text(0.58, 0.5, f"no plan: {no_plan_reason(summary)}", transform=ax.transAxes, ha="center",
                va="center", fontsize=10, color=_ADDED)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    bottom, top = axes[0][0].get_ylim()
    axes[0][0].set_ylim(bottom, top + 0.08 * (top - bottom))
    for row in axes:
        row[0].set_ylabel("ktCO2e per year")
    fig.suptitle("From business-as-usual emissions to net, ktCO2e per year (green = cut, red = added, "
                 "blue = net)", fontsize=11)
    fig.tight_layout()
    return fig


def _waterfall(ax: plt.Axes, steps: list[tuple[str, float]], labels: list[str]) -> None:
    """The steps of one scenario, each over its label's tick (a scenario may lack some: no heat)."""
    level = 0.0
    for i, (label, value_t) in enumerate(steps):
        base = 0.0 if i == 0 else level
        color = _BAU if i == 0 else (_CUT if value_t < 0 else _ADDED)
        ax.bar(labels.index(label), value_t / 1000, bottom=base / 1000, color=color)
        level = value_t if i == 0 else level + value_t
    net = labels.index("net")
    ax.bar(net, level / 1000, color=_NET)
    _label(ax, 0, steps[0][1] / 1000)
    _label(ax, net, level / 1000)


def _label(ax: plt.Axes, x: float, value_kt: float) -> None:
    text = f"{value_kt:,.1f}"
    ax.annotate("0.0" if text in ("-0.0", "0.0") else text, (x, max(value_kt, 0.0)), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=8)


def annual_costs(columns: Sequence[Column], currency: str) -> plt.Figure:
    """Annual cost per scenario stacked by item (M currency/yr), business as usual marked on each."""
    n = len(columns)
    fig, ax = plt.subplots(figsize=(10.5, 4.6))
    items = {name: cost_items(summary) if has_plan(summary) else {} for name, summary in columns}
    labels = list(dict.fromkeys(label for costs in items.values() for label in costs))
    colors = style.colors(labels)
    x = np.arange(n)
    up, down = np.zeros(n), np.zeros(n)
    for label in labels:
        values = np.array([items[name].get(label, 0.0) / 1e6 for name, _ in columns])
        positive, negative = np.clip(values, 0, None), np.clip(values, None, 0)
        if positive.any():
            ax.bar(x, positive, bottom=up, width=0.55, color=colors[label], label=label)
        if negative.any():
            ax.bar(x, negative, bottom=down, width=0.55, color=colors[label],
                   label=None if positive.any() else label, hatch="//")
        up, down = up + positive, down + negative
    bau_m = [_bau_cost(summary) for _, summary in columns]
    top = max([*up, *(b for b in bau_m if b is not None), 0.0])
    ax.set_ylim(min(down.min() * 1.1, 0), top * 1.12 if top > 0 else 1)
    span = ax.get_ylim()[1] - ax.get_ylim()[0]
    boxed = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    for i, (_name, summary) in enumerate(columns):
        if bau_m[i] is not None:
            ax.hlines(bau_m[i], i - 0.38, i + 0.38, color="k", lw=2.2, linestyles="--",
                      label="business as usual" if i == 0 else None)
            ax.annotate(f"{bau_m[i]:,.2f}", (i, bau_m[i]), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color=style.NOTE, bbox=boxed)
        if not has_plan(summary):
            ax.text(i, (bau_m[i] or 0) / 2, f"no plan:\n{no_plan_reason(summary)}", ha="center", va="center",
                    color=_ADDED, fontsize=10)
            continue
        total_m = summary["total_annual_cost"] / 1e6
        crowded = bau_m[i] is not None and 0 <= bau_m[i] - up[i] < 0.09 * span
        ax.annotate(f"{total_m:,.2f}", (i, up[i]), xytext=(0, -3 if crowded else 3), textcoords="offset points",
                    ha="center", va="top" if crowded else "bottom", fontsize=9, fontweight="bold", bbox=boxed)
    ax.set_xlim(-0.6, n - 0.25)
    ax.set_xticks(x, [plain(name, 22) for name, _ in columns], fontsize=9)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_ylabel(f"M {plain(currency)} per year")
    ax.set_title(f"Annual cost (M {plain(currency)}/yr): plan by item; dashed line = business as usual",
                 fontsize=11)
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda k: (names[k] != "business as usual", -k))
    ax.legend([handles[k] for k in order], [names[k] for k in order], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def _bau_cost(summary: SummaryLike) -> float | None:
    """Business-as-usual annual cost in millions, if known."""
    cost = (summary.get("bau") or {}).get("total_annual_cost")
    return None if cost is None else cost / 1e6


def measure_mix(columns: Sequence[Column]) -> plt.Figure:
    """Each scenario's emission cuts and offsets by measure, as shares of their total (%)."""
    n = len(columns)
    fig, ax = plt.subplots(figsize=(10.5, 0.75 * n + 1.6))
    y = np.arange(n)
    cuts = [_shares(summary) for _, summary in columns]
    left = np.zeros(n)
    present = [m for m in measures() if any(m in shares for _, shares in cuts)] or list(measures())
    for measure in present:
        share = np.array([c[1].get(measure, 0.0) * 100 for c in cuts])
        ax.barh(y, share, left=left, height=0.6, color=style.color(measure), label=measure)
        for i, value in enumerate(share):
            if value >= 6:
                ax.text(left[i] + value / 2, i, f"{value:.0f} %", ha="center", va="center", fontsize=9,
                        color="white" if measure != "rooftop PV" else "black")
        left += share
    for i, (total_t, _) in enumerate(cuts):
        text = f"no plan: {no_plan_reason(columns[i][1])}" if total_t is None else f"{total_t / 1000:,.1f} kt in all"
        ax.text(101, i, text, va="center", fontsize=9, color=_ADDED if total_t is None else "black")
    ax.set_yticks(y, [plain(name, 28) for name, _ in columns], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the tCO2e each scenario cuts or offsets (%)")
    ax.set_title("Mix of measures: who does the work (% of cuts and offsets; total in ktCO2e/yr)",
                 fontsize=11)
    ax.legend(ncol=len(present), loc="upper center", bbox_to_anchor=(0.5, -0.35 if n < 3 else -0.2),
              frameon=False, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def _shares(summary: SummaryLike) -> tuple[float | None, dict[str, float]]:
    """Total tCO2e cut or offset and each measure's share of it; (None, {}) without a plan."""
    cuts = measure_cuts_t(summary)
    if not cuts:
        return None, {}
    total = sum(cuts.values())
    return total, ({m: v / total for m, v in cuts.items()} if total > 0 else {})
