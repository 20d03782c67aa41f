"""Reading a solved model back into plain data: the hourly table and the plan's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from models.inputs import Inputs
from optimizer.model.registry import ASSETS


def hourly_table(m: pyo.ConcreteModel, inp: Inputs) -> pd.DataFrame:
    """Every flow of every step of the year (kW, soc in kWh): the load, then each asset's columns in
    registry order, then the tariff; each row balances supply and demand (`balance_residual_kw`).

    On typical days, each day of the year shows its typical day's flows and the state of charge
    it really has that day.
    """
    n = len(inp.load_kw)

    def series(name: str) -> np.ndarray:
        comp = m.component(name)
        if comp is None:
            return np.zeros(n)
        return np.array([pyo.value(comp[t]) for t in range(n)], dtype=float)

    columns = {"load_kw": inp.on_calendar(inp.load_kw)}
    for asset in ASSETS:
        columns.update(asset.flows(m, inp, series))
    columns["price_per_kwh"] = inp.on_calendar(inp.price_per_kwh)
    columns["period"] = inp.on_calendar(inp.period)
    return pd.DataFrame(columns, index=inp.calendar_index.rename("time"))


def balance_residual_kw(hourly: pd.DataFrame) -> pd.Series:
    """Supply − load − demand of each step, by the columns the assets name (zero when it balances)."""
    zero = pd.Series(0.0, index=hourly.index)
    supply = sum((hourly[c] for a in ASSETS for c in a.supplies if c in hourly), start=zero)
    demand = sum((hourly[c] for a in ASSETS for c in a.demands if c in hourly), start=zero)
    return supply - hourly["load_kw"] - demand


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
