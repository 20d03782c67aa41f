"""The plan's bar charts of money and emissions: the annual cost by item beside business as usual,
and the emissions waterfall from business as usual to net; every bar carries its value.

Cost items are the summary's (`summary["costs"]`, `<item>` of the model's `cost_<item>`), named by
the registry (`registry.cost_labels`); an asset's `capital_cost` item holds annualised investment
and fixed O&M, and says so. An item zero in the plan and in business as usual is left out; a step
of the waterfall that changes nothing is left out too.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from optimizer.formats import figure, money_m, no_minus_zero
from optimizer.model import registry
from optimizer.report import style
from optimizer.result.figures import emission_steps
from optimizer.result.plan import Plan

ZERO_COST = 0.5  # a cost item below half a currency unit a year, plan and business as usual, is not shown
ZERO_T = 0.5  # a waterfall step, or the net, below half a tonne a year prints as zero; a step is left out
_WIDTH = 0.4  # each of the two bars of a cost item


def capital_items() -> set[str]:
    """The cost items of annualised investment (and fixed O&M), from the registry's assets."""
    return {a.capital_cost.removeprefix("cost_") for a in registry.ASSETS if a.capital_cost}


def cost_label(item: str) -> str:
    """A cost item in words, a capital item marked as annualised: 'rooftop PV\\n(annualised capex + O&M)'."""
    label = registry.cost_labels().get(item, item.replace("_", " "))
    return f"{label}\n({style.ANNUALISED})" if item in capital_items() else label


def millions(value: float) -> str:
    """A cost on its bar, in millions: two decimals, more digits when they would print a cost as 0.00."""
    text = money_m(value)
    return text if abs(value) >= 5e3 or value == 0 else no_minus_zero(figure(value / 1e6))


def kt_decimals(largest_t: float) -> int:
    """Decimals of ktCO2e that show a chart's bars to about three significant digits of its largest:
    1 from 10 kt up, 2 from 1 kt, 3 below."""
    kilo = abs(largest_t) / 1000
    return 1 if kilo >= 10 else 2 if kilo >= 1 else 3


def kt(value_t: float, decimals: int = 1, signed: bool = False) -> str:
    """Tonnes as ktCO2e on a bar, to `decimals` (three significant digits for a value that would print as
    zero, half a tonne or more); with `signed`, '+1.2' or '−12.3'. Zero has no sign: '0.0'."""
    kilo = abs(value_t) / 1000
    if abs(value_t) < ZERO_T:
        return f"{0:.{decimals}f}"
    text = f"{kilo:,.{decimals}f}"
    if not text.strip("0.,"):
        text = figure(kilo)
    return (style.MINUS if value_t < 0 else "+" if signed else "") + text


def cost_figure(plan: Plan) -> plt.Figure:
    """The plan's annual cost by item beside business as usual (M currency a year), largest first."""
    costs = plan.summary["costs"]
    bau = (plan.summary.get("bau") or {}).get("costs") or {}
    names = [n for n in dict.fromkeys([*costs, *bau]) if max(abs(costs.get(n, 0.0)), abs(bau.get(n, 0.0))) >= ZERO_COST]
    names.sort(key=lambda n: -max(abs(costs.get(n, 0.0)), abs(bau.get(n, 0.0))))
    fig, ax = plt.subplots(figsize=(9.5, 1.3 + 0.55 * max(len(names), 2)))
    y = np.arange(len(names))
    series = [("plan", style.PLAN, costs, -_WIDTH / 2)]
    if bau:
        series.append(("business as usual", style.BAU_BAR, bau, _WIDTH / 2))
    values = [v for _, _, side, _ in series for v in (side.get(n, 0.0) / 1e6 for n in names)] or [0.0]
    low, high = min(*values, 0.0), max(*values, 0.0)
    span = (high - low) or 1.0
    for label, color, side, shift in series:
        drawn = np.array([side.get(n, 0.0) for n in names]) / 1e6
        bars = ax.barh(y + shift, drawn, height=_WIDTH, label=label, color=color, edgecolor=color, linewidth=0.8)
        for bar, name in zip(bars, names, strict=True):
            value = side.get(name, 0.0)
            if abs(value) >= ZERO_COST:
                _value_at_end(ax, bar, millions(value), value, span)
    ax.set_yticks(y, [cost_label(n) for n in names], fontsize=9)
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlim(low - (0.12 * span if low < 0 else 0.0), high + 0.12 * span)
    currency, s = plan.inputs.currency, plan.summary
    subtitle = f"plan {money_m(s['total_annual_cost'])} M {currency} a year"
    if (bau_total := (s.get("bau") or {}).get("total_annual_cost")) is not None:
        subtitle += f", business as usual {money_m(bau_total)} M"
    ax.set_title(style.plan_title(plan, f"annual cost by item\n{subtitle}"), fontsize=11)
    ax.set_xlabel(f"million {currency} per year" + (" (below 0: revenue)" if low < 0 else ""))
    ax.legend(loc="lower right", frameon=False)
    return fig


def _value_at_end(ax: plt.Axes, bar: plt.Rectangle, text: str, value: float, span: float) -> None:
    """`text` just past the end of a horizontal bar: right of a cost, left of a revenue."""
    end = bar.get_x() + bar.get_width()
    ax.annotate(text, (end, bar.get_y() + bar.get_height() / 2), xytext=(3 if value >= 0 else -3, 0),
                textcoords="offset points", ha="left" if value >= 0 else "right", va="center", fontsize=8)


def waterfall_figure(plan: Plan) -> plt.Figure:
    """From business-as-usual emissions to net (ktCO2e a year): each step over its label, its value on it."""
    steps = emission_steps(plan.summary)
    steps = steps[:1] + [(label, value) for label, value in steps[1:] if abs(value) >= ZERO_T]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    level, ends, decimals = 0.0, [0.0], kt_decimals(max((abs(v) for _, v in steps), default=0.0))
    for i, (_label, value) in enumerate(steps):
        base = 0.0 if i == 0 else level
        color = style.BAU if i == 0 else (style.CUT if value < 0 else style.ADDED)
        ax.bar(i, value / 1000, bottom=base / 1000, width=0.7, color=color, edgecolor=color, linewidth=1)
        new = value if i == 0 else level + value
        ax.annotate(kt(value, decimals, signed=i > 0), (i, max(base, new) / 1000), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9)
        if i > 0:  # a thin link from the level before the step
            ax.plot([i - 1 - 0.35, i + 0.35], [base / 1000] * 2, color=style.NOTE, lw=0.6, ls=":")
        level = new
        ends.append(level / 1000)
    net = len(steps)
    ax.plot([net - 1 - 0.35, net + 0.35], [level / 1000] * 2, color=style.NOTE, lw=0.6, ls=":")
    ax.bar(net, level / 1000, width=0.7, color=style.NET, label="net")
    # the net is drawn as a line as well, so a net of zero shows as a bar of no height at zero
    ax.plot([net - 0.35, net + 0.35], [level / 1000] * 2, color=style.NET, lw=3, solid_capstyle="butt",
            label="net level")
    ax.annotate(kt(level, decimals), (net, max(level, 0.0) / 1000), xytext=(0, 4), textcoords="offset points",
                ha="center", va="bottom", fontsize=9)
    # room above for the labels and below zero for a net of zero (a bar's base, a sticky edge, would pin the axis)
    pad = 0.08 * ((max(ends) - min(ends)) or 1.0)
    ax.set_ylim(min(ends) - pad / 2, max(ends) + pad)
    ax.set_xticks(range(net + 1), [style.tick(s[0]) for s in steps] + ["net"], fontsize=9)
    ax.axhline(0, color="k", lw=0.6)
    ax.set(title=style.plan_title(plan, "emissions from business as usual to net"), ylabel="ktCO2e per year")
    return fig
