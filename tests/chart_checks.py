"""Checks on what a chart draws, measured after layout: shared by the chart tests."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.container import BarContainer

from optimizer.report.chart_fit import overlapping
from optimizer.report.plan_charts import LITERAL_TEXT


def drawn(make, *args) -> plt.Figure:
    """The figure as `save_figure` draws it (names taken literally), laid out."""
    with plt.rc_context(LITERAL_TEXT):
        fig = make(*args)
    fig.draw_without_rendering()
    return fig


def texts_of(fig: plt.Figure) -> list:
    """Every piece of text a reader sees: titles, axis labels, the tick labels in view, texts, legends."""
    found = [*fig.texts, *(t for leg in fig.legends for t in leg.get_texts())]
    found += [t for t in (getattr(fig, "_suptitle", None), getattr(fig, "_supylabel", None)) if t is not None]
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(limits)
            found += [t.label1 for t in axis.get_major_ticks() if lo <= t.get_loc() <= hi and t.label1.get_visible()]
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    return list({id(t): t for t in found}.values())  # a figure's suptitle is among its texts too


def no_overlap(fig: plt.Figure) -> None:
    """No two texts of `fig` share a pixel."""
    pairs = overlapping(texts_of(fig), fig.canvas.get_renderer())
    assert pairs == [], f"texts run into each other: {pairs}"


def all_drawn_on(fig: plt.Figure) -> None:
    """Every axes of `fig` shows something: bars, lines, an image or a colour bar."""
    for ax in fig.axes:
        shown = ax.patches or ax.lines or ax.get_images() or ax.collections
        assert ax.get_visible() and shown, f"{ax.get_title()!r} is empty"


def bars(ax: plt.Axes) -> dict[str, np.ndarray]:
    """Each bar series of the axes by its legend label: the plotted heights."""
    return {c.get_label(): np.array([p.get_height() for p in c.patches]) for c in ax.containers
            if isinstance(c, BarContainer)}


def line(ax: plt.Axes, label: str) -> np.ndarray:
    """The y values of the one line labelled `label`."""
    (found,) = [x for x in ax.get_lines() if x.get_label() == label]
    return np.asarray(found.get_ydata(), dtype=float)


def frontier_panels(fig: plt.Figure, frontier_label: str, bau_label: str) -> tuple:
    """(frontier axes, frontier line, business-as-usual axes, its marker) of a Pareto figure."""
    lines = {x.get_label(): (ax, x) for ax in fig.axes for x in ax.get_lines()}
    return (*lines[frontier_label], *lines[bau_label])
