"""A year of inputs reduced to a few typical days (tsam), for fast approximate studies.

Days are clustered on load, price and each PV array's yield (and the green-power shape and each heat
demand when they vary from day to day and do not just follow the load), hierarchically, each cluster
represented by its medoid: a real day of the year, so prices and tariff periods stay those of a real
day. The day with the year's peak load is kept as a typical day of its own, so demand charges and
sizes see the peak. Load, yields, heat demands and the measures' savings are then scaled so the
year's totals are exactly those of the full year; the error that remains is in the shape.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from models.errors import InputError
from models.inputs.types import GreenPowerInputs, HeatInputs, Inputs, MeasureInputs, TypicalDays


def typical_days(inp: Inputs, days: int) -> Inputs:
    """`inp` (a full year) on `days` typical days plus the peak-load day."""
    try:
        import tsam
    except ImportError:
        raise InputError("time.aggregation: typical_days needs the tsam package; install it with "
                         "pip install 'zcf[aggregation]' (make installs it)") from None

    steps_per_day = round(24 / inp.step_h)
    n_days = len(inp.load_kw) // steps_per_day
    if not 1 <= days < n_days:
        raise InputError(f"time.days: got {days}; give between 1 and {n_days - 1} typical days")
    features = _features(inp)
    if features.empty:  # nothing varies from day to day: one day stands for them all
        order, medoids, extreme = np.zeros(n_days, dtype=int), np.array([0]), np.zeros(1, dtype=bool)
    else:
        peak = ["load"] if "load" in features else []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tsam warns about values rescaled beyond the original range
            result = tsam.aggregate(
                features, n_clusters=days, period_duration=24,
                cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
                extremes=tsam.ExtremeConfig(method="append", max_value=peak) if peak else None,
                preserve_column_means=False)
        clustering = result.clustering
        order = np.asarray(clustering.cluster_assignments, dtype=int)
        medoids = np.asarray(clustering.cluster_centers, dtype=int)
        extreme = np.isin(np.arange(len(medoids)), list(clustering.extreme_cluster_indices or ()))
    steps = (medoids[:, None] * steps_per_day + np.arange(steps_per_day)).ravel()
    td = TypicalDays(order=order, steps_per_day=steps_per_day, year_index=inp.index)
    weight = np.repeat(td.days_represented, steps_per_day)
    fixed = np.repeat(extreme, steps_per_day)  # the peak-load day stays as it was

    def kept(values: np.ndarray) -> np.ndarray:
        """The typical days' values, the others scaled so the weighted year has the full year's total."""
        picked = values[steps].astype(float)
        rest = float((weight * picked)[~fixed].sum())
        if rest > 0:
            picked[~fixed] *= (float(values.sum()) - float((weight * picked)[fixed].sum())) / rest
        return picked

    pv = inp.pv and replace(inp.pv, arrays=tuple(replace(a, yield_kwh_per_kwp=kept(a.yield_kwh_per_kwp))
                                                 for a in inp.pv.arrays))
    green = inp.green_power and _green(inp.green_power, steps, weight)
    heat = inp.heat and _heat(inp.heat, kept)
    measures = tuple(_measure(m, kept) for m in inp.measures)
    scaled = "load, PV yields" + (", heat demands" if heat else "") + (", measures' savings" if measures else "")
    note = (f"time aggregated to {len(medoids)} typical days ({days} clusters and the peak-load day, kept as "
            f"it was; the other days' {scaled} scaled to the full year's totals)")
    return replace(inp, index=inp.index[steps], load_kw=kept(inp.load_kw), price_per_kwh=inp.price_per_kwh[steps],
                   period=inp.period[steps], pv=pv, green_power=green, heat=heat, measures=measures,
                   typical_days=td, notes=(*inp.notes, note))


def _features(inp: Inputs) -> pd.DataFrame:
    """What makes two days alike for this plan: load, price, PV yield, green-power shape."""
    columns = {"load": inp.load_kw, "price": inp.price_per_kwh}
    for a in inp.pv.arrays if inp.pv else ():
        columns[f"pv_{a.name}"] = a.yield_kwh_per_kwp
    g = inp.green_power
    if g is not None and np.ptp(g.profile_share) > 0:
        columns["green_power"] = g.profile_share
    shapes = [_shape(inp.load_kw)]  # a heat demand shaped like the load (or like another) adds nothing
    for d in inp.heat.demands if inp.heat else ():
        shape = _shape(d.heat_kw)
        if not any(np.allclose(shape, s, rtol=1e-9, atol=1e-12) for s in shapes):
            columns[f"heat_{d.name}"] = d.heat_kw
            shapes.append(shape)
    frame = pd.DataFrame(columns)
    frame.index = pd.date_range("2001-01-01", periods=len(frame), freq=f"{round(inp.step_h * 60)}min")
    steps_per_day = round(24 / inp.step_h)
    by_day = {c: frame[c].to_numpy().reshape(-1, steps_per_day) for c in frame}
    varies = [c for c, days in by_day.items() if np.ptp(days, axis=0).max() > 0]
    return frame[varies]  # a series every day repeats tells the days nothing apart


def _shape(values: np.ndarray) -> np.ndarray:
    total = float(np.sum(values))
    return np.asarray(values, dtype=float) / total if total > 0 else np.zeros(len(values))


def _heat(heat: HeatInputs, kept: Callable[[np.ndarray], np.ndarray]) -> HeatInputs:
    """Each heat demand on the typical days, its year's heat exact."""
    return replace(heat, demands=tuple(replace(d, heat_kw=kept(d.heat_kw)) for d in heat.demands))


def _measure(m: MeasureInputs, kept: Callable[[np.ndarray], np.ndarray]) -> MeasureInputs:
    """A measure's savings on the typical days, its year's savings exact (a heat saving stays a share
    of its demand: both are scaled alike)."""
    return replace(m, electricity_saved_kw=None if m.electricity_saved_kw is None else kept(m.electricity_saved_kw),
                   heat_saved_kw={name: kept(kw) for name, kw in m.heat_saved_kw.items()})


def _green(g: GreenPowerInputs, steps: np.ndarray, weight: np.ndarray) -> GreenPowerInputs:
    """The delivery shape on the typical days, still delivering the whole yearly volume."""
    picked = g.profile_share[steps]
    total = float((weight * picked).sum())
    return replace(g, profile_share=picked / total if total > 0 else np.full(len(steps), 1 / weight.sum()))
