"""What every chart of a sweep shares: the metric it compares points by, the footnote, number texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist

from optimizer.formats import count, no_minus_zero
from optimizer.model import registry
from optimizer.report.chart_fit import notes_below
from optimizer.report.style import figure, label_with_unit

COST = "total_annual_cost"
NPV = "npv"


@dataclass(frozen=True)
class Metric:
    """What a sweep's charts compare its points by: a single year's annual cost, or a roadmap's present value."""

    column: str
    words: str  # "annual cost"
    unit: str  # "M CNY/yr", for axis labels
    long_unit: str  # "million CNY per year"


def metric(table: pd.DataFrame, currency: str) -> Metric | None:
    """The annual cost of single-year points, the present value of roadmap points; None without either."""
    if COST in table:
        return Metric(COST, "annual cost", f"M {currency}/yr", f"million {currency} per year")
    if NPV in table:
        return Metric(NPV, "present value", f"M {currency}", f"million {currency}")
    return None


def millions(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce") / 1e6


def footnote(fig: plt.Figure, table: pd.DataFrame, by: Metric, handles: Sequence[Artist] = (), ncol: int = 4) -> None:
    """How many points, and how many had no plan, under the axes (below the legend of `handles`, if any).
    Drawn last: it is placed under what the axes finally hold."""
    no_plan = int(pd.to_numeric(table[by.column], errors="coerce").isna().sum())
    text = count(len(table), "point") + (f"; {no_plan} without a plan (infeasible or failed)" if no_plan else "")
    notes_below(fig, handles, text, ncol=ncol)


def base_row(table: pd.DataFrame) -> pd.Series | None:
    base = table[table["level"] == "base"]
    return base.iloc[0] if len(base) else None


def short_figure(value: float) -> str:
    """A figure as a reader takes it in: thousands separators, three significant digits below."""
    return no_minus_zero(figure(value, large=1000))


def value_text(value) -> str:
    """A parameter's value as typed: 3,000, 0.5306, or the text of a choice."""
    if isinstance(value, float | np.floating):
        return no_minus_zero(f"{value:,.4g}")
    return str(value)


def is_uniform(values: np.ndarray) -> bool:
    """True when every finite value is the same (to a millionth of its size)."""
    finite = values[np.isfinite(values)]
    return len(finite) > 0 and float(np.ptp(finite)) <= 1e-9 * max(float(np.abs(finite).max()), 1.0)


def decision_columns(table: pd.DataFrame | None = None) -> dict[str, str]:
    """The decisions shown beside the cost: summary column -> label with unit, from the registry; for a
    roadmap's points (columns `years.<year>.<key>`), what is in service and bought in its last model year."""
    found = {d.key: label_with_unit(d) for d in registry.study_columns()}
    years = sorted({c.split(".")[1] for c in table.columns if c.startswith("years.")}) if table is not None else []
    if years and not any(k in table for k in found):
        return {f"years.{years[-1]}.{k}": f"{label} in {years[-1]}" for k, label in found.items()}
    return found
