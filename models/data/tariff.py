"""Time-of-use tariffs: schedule rules (first match wins) turned into an hourly price series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.errors import InputError
from models.scenario.schema import Tariff, TouRule


def hourly_periods(tariff: Tariff, index: pd.DatetimeIndex) -> np.ndarray:
    """The period name of every hour of `index`; an hour no rule covers is an error."""
    periods = np.full(len(index), "", dtype=object)
    open_hours = np.ones(len(index), dtype=bool)
    for rule in tariff.schedule:
        hit = open_hours & _matches(rule, index)
        periods[hit] = rule.period
        open_hours &= ~hit
    if open_hours.any():
        raise InputError(_uncovered(index[open_hours]))
    return periods


def hourly_prices_per_kwh(tariff: Tariff, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """(price per kWh, period name) for every hour of `index`."""
    periods = hourly_periods(tariff, index)
    prices = np.array([tariff.prices_per_kwh[p] for p in periods], dtype=float)
    return prices, periods


def _matches(rule: TouRule, index: pd.DatetimeIndex) -> np.ndarray:
    hit = np.ones(len(index), dtype=bool)
    if rule.months is not None:
        hit &= np.isin(index.month, rule.months)
    if rule.hours is not None:
        start, end = rule.hours
        hour = index.hour
        hit &= (hour >= start) & (hour < end) if start < end else (hour >= start) | (hour < end)
    if rule.days != "all":
        weekend = index.day_of_week >= 5
        hit &= weekend if rule.days == "weekend" else ~weekend
    return hit


def _uncovered(hours: pd.DatetimeIndex) -> list[str]:
    frame = pd.DataFrame({"month": hours.month, "hour": hours.hour})
    by_month = frame.groupby("month")["hour"].apply(lambda h: sorted(set(h)))
    lines = [
        f"grid.tariff.schedule: no rule covers month {month}, hours {hrs}; "
        "add a rule for them or a catch-all rule such as {period: flat} at the end"
        for month, hrs in by_month.items()
    ]
    return lines[:6] + ([f"grid.tariff.schedule: ... and {len(lines) - 6} more months"] if len(lines) > 6 else [])
