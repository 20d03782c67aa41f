"""The marginal abatement cost curve: each step of the frontier as a bar, width its tonnes, height its
cost per tonne, coloured by the measures that cut at it and labelled with both figures.

Steps a few currency units per tonne high sit beside steps of a thousand or more that save money;
on a linear axis they would be slivers. When the heights span more than a factor of 20 the cost
axis is symmetric-logarithmic (linear up to the smallest step's order of magnitude, logarithmic
beyond), and the label of every step states its true value.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from optimizer.formats import no_minus_zero
from optimizer.report import style
from optimizer.report.chart_fit import fit_inside, notes_below, spread
from optimizer.report.style import figure
from optimizer.result.figures import measures
from optimizer.studies.pareto import Frontier, cut_column

__all__ = ["MacStep", "already_in_cheapest", "mac_figure", "mac_steps", "per_t_text", "tonnes_text", "tonnes_unit"]

OTHER = "other changes"  # a step no measure's cut explains
_SYMLOG_ABOVE = 20.0  # heights spanning more than this factor get a symmetric-log axis


@dataclass
class MacStep:
    """One step of the curve: consecutive frontier steps of the same cost per tonne and measures, as one."""

    from_t: float
    tonnes: float
    cost_per_t: float
    cuts: dict[str, float] = field(default_factory=dict)  # measure -> tonnes it cuts at this step (> 0)


def tonnes_unit(front: Frontier) -> tuple[float, str]:
    """Kilotonnes for a plant emitting 10,000 t a year or more, else tonnes: (divisor, unit)."""
    return (1000.0, "kt") if abs(front.bau_t) >= 10_000 else (1.0, "t")


def tonnes_text(value: float, unit: str) -> str:
    """Tonnes in the unit `tonnes_unit` chose: 54.2 (kt), 2,222 (t)."""
    return no_minus_zero(f"{value:,.1f}" if unit == "kt" else f"{value:,.0f}")


def per_t_text(cost_per_t: float) -> str:
    """A step's height as its label prints it: 8.79, -1,357."""
    return no_minus_zero(figure(cost_per_t))


def already_in_cheapest(front: Frontier) -> str:
    """'rooftop PV and green power are' (the measures the cheapest plan takes without a target), or ''."""
    entry = front.entry
    if entry is None or entry.empty or "in_cheapest_plan" not in entry:
        return ""
    names = [str(m) for m in entry.loc[entry["in_cheapest_plan"].astype(bool), "measure"]]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed} {'is' if len(names) == 1 else 'are'}"


def mac_steps(front: Frontier) -> list[MacStep]:
    """The steps drawn: the frontier's steps, those in a row with the same cost per tonne (as labelled)
    and the same measures merged, since the curve does not change there."""
    steps: list[MacStep] = []
    segments = front.segments if front.segments is not None else pd.DataFrame()
    for _, seg in segments.iterrows():
        cuts = {m: float(seg[cut_column(m)]) for m in measures() if cut_column(m) in seg}
        cuts = {m: c for m, c in cuts.items() if c > 0} or {OTHER: float(seg["abated_t"])}
        step = MacStep(float(seg["from_abated_t"]), float(seg["abated_t"]), float(seg["cost_per_t"]), cuts)
        last = steps[-1] if steps else None
        if last and per_t_text(last.cost_per_t) == per_t_text(step.cost_per_t) and set(last.cuts) == set(cuts):
            cost = (last.cost_per_t * last.tonnes + step.cost_per_t * step.tonnes) / (last.tonnes + step.tonnes)
            last.cost_per_t, last.tonnes = cost, last.tonnes + step.tonnes
            last.cuts = {m: last.cuts[m] + cuts[m] for m in cuts}
        else:
            steps.append(step)
    return steps


def _symlog_threshold(heights: list[float]) -> float | None:
    """The linear range of a symmetric-log axis when the heights need one, else None."""
    sizes = [abs(h) for h in heights if abs(h) > 0]
    if len(sizes) < 2 or max(sizes) / min(sizes) <= _SYMLOG_ABOVE:
        return None
    return 10.0 ** math.floor(math.log10(min(sizes)))


def mac_figure(front: Frontier) -> plt.Figure:
    """The MAC curve, every step labelled with its cost per tonne and its tonnes."""
    scale, unit = tonnes_unit(front)
    steps = mac_steps(front)
    fig, ax = plt.subplots(figsize=(11, 6), layout="constrained")
    colors = style.colors([*measures(), OTHER])
    drawn: dict[str, str] = {}
    bars, labels = [], []
    for step in steps:
        left, total = step.from_t / scale, sum(step.cuts.values())
        for measure, cut in step.cuts.items():
            width = step.tonnes / scale * cut / total
            if step.cost_per_t == 0:  # no height to draw: a thick line along zero
                ax.plot([left, left + width], [0, 0], color=colors[measure], lw=4, solid_capstyle="butt")
            else:
                bars.extend(ax.bar(left, step.cost_per_t, width=width, align="edge", color=colors[measure],
                                   edgecolor="white", linewidth=0.5))
            drawn[measure] = colors[measure]
            left += width
        up = step.cost_per_t >= 0
        labels.append(ax.annotate(
            f"{per_t_text(step.cost_per_t)} {front.currency}/t\n{tonnes_text(step.tonnes / scale, unit)} {unit}",
            ((step.from_t + step.tonnes / 2) / scale, step.cost_per_t), xytext=(0, 4 if up else -4),
            textcoords="offset points", ha="center", va="bottom" if up else "top", fontsize=8.5,
            arrowprops={"arrowstyle": "-", "color": style.NOTE, "lw": 0.6, "shrinkA": 0, "shrinkB": 0}))
    threshold = _symlog_threshold([s.cost_per_t for s in steps])
    if threshold is not None:
        ax.set_yscale("symlog", linthresh=threshold, linscale=1.0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: no_minus_zero(f"{v:,g}")))
    ax.axhline(0, color="k", lw=0.6)
    log_note = f"; logarithmic beyond ±{threshold:g}" if threshold is not None else ""
    ax.set(title=f"{front.name}\nmarginal abatement cost curve: each step of the frontier, coloured by the "
           "measures that cut at it", xlabel=f"emissions abated against business as usual ({unit}CO2e per year)",
           ylabel=f"cost of the step ({front.currency} per tCO2e{log_note})")
    ax.margins(x=0.02)
    spread(labels, 9, fixed=bars)
    fit_inside(ax, labels, "y")
    fit_inside(ax, labels, "x")
    notes_below(fig, [Patch(color=c, label=m) for m, c in drawn.items()], _footnote(front, threshold),
                ncol=min(len(drawn), 6))
    return fig


def _footnote(front: Frontier, threshold: float | None) -> str:
    words = ["Below zero: cuts that save money. Each step is labelled with its cost per tonne and the tonnes it "
             "abates a year; steps of one cost in a row are drawn as one."]
    if threshold is not None:
        words.append(f"The cost axis is linear between ±{threshold:g} and logarithmic beyond, so that small "
                     "steps show: read each step's value from its label.")
    inside = already_in_cheapest(front)
    if inside:
        words.append(f"The first step, from business as usual to the cheapest plan: {inside} already in the "
                     "cheapest plan without a target.")
    return "\n".join(textwrap.wrap(" ".join(words), 170))
