"""Text that fits on a slide: labels kept apart and inside their axes, long parameter names wrapped.

Matplotlib places text where it is told and lets it run over whatever is there. These helpers
measure what was drawn (in display pixels, after the figure's layout) and move labels or widen the
axes until nothing overlaps; the tests use `boxes` and `overlapping` to check the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from optimizer.report import style

__all__ = ["box", "boxes", "fit_inside", "notes_below", "overlapping", "spread", "wrap_path"]


def wrap_path(name: str, width: int = 20) -> str:
    """A dotted parameter path on lines of about `width` characters, broken after a '.':
    'grid.tariff.prices_per_kwh.peak' -> 'grid.tariff.\\nprices_per_kwh.peak'."""
    if len(name) <= width:
        return name
    lines, line = [], ""
    for part in (p for p in re.split(r"(?<=\.)", name) if p):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    return "\n".join([*lines, line])


def layout(fig: plt.Figure):
    """Lay the figure out as it will be saved and return its renderer."""
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def box(text: Text, renderer=None) -> Bbox:
    """Where `text` is drawn, in display pixels: of an annotation, its text without the leader line."""
    renderer = renderer or text.figure.canvas.get_renderer()
    if isinstance(text, Annotation):
        text.update_positions(renderer)
        return Text.get_window_extent(text, renderer)
    return text.get_window_extent(renderer)


def boxes(texts: Iterable[Text], renderer=None) -> list[tuple[Text, Bbox]]:
    """The visible, non-empty texts among `texts` with where each is drawn."""
    return [(t, box(t, renderer)) for t in texts if t.get_visible() and t.get_text().strip()]


def overlapping(texts: Iterable[Text], renderer=None, pad: float = 0.0) -> list[tuple[str, str]]:
    """Each pair of `texts` whose boxes (grown by `pad` pixels) intersect, by their strings."""
    found = []
    for (a, ba), (b, bb) in combinations(boxes(texts, renderer), 2):
        if _area(Bbox.intersection(ba.padded(pad), bb)) > 0:
            found.append((a.get_text(), b.get_text()))
    return found


def _area(b: Bbox | None) -> float:
    return 0.0 if b is None else max(b.width, 0.0) * max(b.height, 0.0)


def fit_inside(ax: plt.Axes, texts: Sequence[Text], axis: str = "x", rounds: int = 5, pad: float = 10.0) -> None:
    """Widen `ax`'s limits along `axis` until every text anchored in its data lies inside it.

    Works in the axis's own scale (linear, log, symlog) and with an inverted axis. Texts keep their
    offsets in points, so widening the limits moves them less than the data: a few rounds settle it."""
    if not texts:
        return
    fig = ax.figure
    scale = (ax.xaxis if axis == "x" else ax.yaxis).get_transform()
    for _ in range(rounds):
        renderer = layout(fig)
        frame = ax.get_window_extent(renderer)
        spans = [box(t, renderer) for t in texts if t.get_visible()]
        if not spans:
            return
        lo_px = min((b.x0 if axis == "x" else b.y0) for b in spans)
        hi_px = max((b.x1 if axis == "x" else b.y1) for b in spans)
        start, end = (frame.x0, frame.x1) if axis == "x" else (frame.y0, frame.y1)
        short_lo, short_hi = max(start + pad - lo_px, 0.0), max(hi_px - (end - pad), 0.0)
        if short_lo < 0.5 and short_hi < 0.5:
            return
        limits = ax.get_xlim() if axis == "x" else ax.get_ylim()
        first, second = (float(v) for v in scale.transform(np.asarray(limits, dtype=float)))
        per_px = (second - first) / max(end - start - short_lo - short_hi, 0.25 * (end - start))
        # the screen's low end is the first limit (even on an inverted axis, where it is the larger value)
        first, second = first - short_lo * per_px, second + short_hi * per_px
        new = scale.inverted().transform(np.array([first, second]))
        (ax.set_xlim if axis == "x" else ax.set_ylim)(float(new[0]), float(new[1]))


def spread(labels: Sequence[Annotation], step: float, fixed: Iterable[Artist] = (), rounds: int = 12) -> None:
    """Move labels (annotations with offsets in points) away from their anchors, `step` points at a
    time along the direction of their offset, until none overlaps another or one of `fixed` (bars,
    other text)."""
    if not labels:
        return
    fig = labels[0].figure
    renderer = layout(fig)
    placed = [a.get_window_extent(renderer) for a in fixed
              if a.get_visible() and (not isinstance(a, Text) or a.get_text().strip())]
    for label in labels:
        for _ in range(rounds):
            here = box(label, renderer)
            if not any(_area(Bbox.intersection(here, other)) > 0 for other in placed):
                break
            dx, dy = label.xyann
            sign = 1.0 if dy >= 0 else -1.0
            label.xyann = (dx, dy + sign * step)
        placed.append(box(label, renderer))


def notes_below(fig: plt.Figure, handles: Sequence[Artist] = (), note: str = "", ncol: int = 4,
                fontsize: float = 8) -> None:
    """A legend (of `handles`) and then a note, stacked under everything the axes draw.

    Placed in figure coordinates once the layout is done, so the saved (tightly cropped) figure
    keeps them where they were measured: a legend left to the layout engine moves on saving."""
    renderer = layout(fig)
    height = fig.bbox.height
    y = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes) - 6
    if handles:
        legend = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, y / height), ncol=ncol,
                            frameon=False, fontsize=9)
        y = legend.get_window_extent(renderer).y0 - 4
    if note:
        fig.text(0.01, y / height, note, fontsize=fontsize, color=style.NOTE, va="top")
