"""Reading a solved model back into plain data: the hourly table and the plan's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from models.inputs import Inputs
from optimizer.model.registry import ASSETS


def hourly_table(m: pyo.ConcreteModel, inp: Inputs) -> pd.DataFrame:
    """Every flow of every step of the year (kW, soc in kWh); each row balances supply and demand.

    On typical days, each day of the year shows its typical day's flows and the state of charge
    it really has that day.
    """
    n = len(inp.load_kw)
    zeros = np.zeros(n)

    def series(name: str) -> np.ndarray:
        comp = m.component(name)
        if comp is None:
            return zeros.copy()
        return np.array([pyo.value(comp[t]) for t in range(n)], dtype=float)

    pv_out = series("pv_out_kw")
    export = series("export_kw")
    columns = {
        "load_kw": inp.load_kw,
        "grid_import_kw": series("grid_import_kw"),
        "green_power_kw": series("green_kw"),
        "pv_available_kw": _pv_available(m, inp),
        "pv_out_kw": pv_out,
        "pv_self_kw": pv_out - export,
        "export_kw": export,
        "charge_kw": series("charge_kw"),
        "discharge_kw": series("discharge_kw"),
        "price_per_kwh": inp.price_per_kwh,
        "period": inp.period,
    }
    frame = pd.DataFrame({k: inp.on_calendar(v) for k, v in columns.items()},
                         index=inp.calendar_index.rename("time"))
    frame.insert(frame.columns.get_loc("discharge_kw") + 1, "soc_kwh", _soc_on_calendar(m, inp, series))
    frame.insert(frame.columns.get_loc("pv_out_kw") + 1, "pv_curtailed_kw",
                 (frame["pv_available_kw"] - frame["pv_out_kw"]).clip(lower=0.0))
    return frame


def _soc_on_calendar(m: pyo.ConcreteModel, inp: Inputs, series) -> np.ndarray:
    """Energy stored at the end of each step of the year (kWh)."""
    if m.component("soc_above_min_kwh") is not None:  # a full year: stored above the floor, plus the floor
        return series("soc_above_min_kwh") + pyo.value(m.storage_soc_min * m.storage_kwh)
    if m.component("soc_start_kwh") is None:
        return np.zeros(len(inp.calendar_index))
    td = inp.typical_days  # typical days: each day's start, plus its typical day's course
    starts = np.array([pyo.value(m.soc_start_kwh[k]) for k in range(len(td.order))])
    return np.repeat(starts, td.steps_per_day) + inp.on_calendar(series("soc_kwh"))


def _pv_available(m: pyo.ConcreteModel, inp: Inputs) -> np.ndarray:
    if inp.pv is None:
        return np.zeros(len(inp.load_kw))
    return sum(a.yield_kwh_per_kwp / inp.step_h * pyo.value(m.pv_kw[a.name]) for a in inp.pv.arrays)


def plan_figures(m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict:
    """Sizes, purchases, energy, emissions and costs of a solved model, as JSON-ready numbers:
    the total and the cost items, then what each asset of the registry gives."""
    figures: dict = {
        "total_annual_cost": float(pyo.value(m.total_cost)),
        "costs": {name.removeprefix("cost_"): float(pyo.value(m.component(name))) for name in m.cost_terms},
    }
    for asset in ASSETS:
        merge(figures, asset.figures(m, inp, hourly))
    investment = figures.setdefault("investment", {})
    investment["total"] = sum(investment.values())
    return figures


def merge(into: dict, more: dict) -> dict:
    """`more` added to `into`, nested sections merged key by key (an asset adds to 'energy', ...)."""
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into
