"""Excel workbooks for engineers: a plan's figures and flows, or a study's table, each whole or not at all.

`plan.xlsx` has four sheets: *summary* (every figure of summary.json with its unit), *costs* (each
annual cost item beside business as usual), *emissions* (by scope, plan beside business as usual)
and *hourly* (the flows of hourly.csv, timestamps as date-times in the plant's local time, which
Excel cannot hold with a zone). A study's `results.xlsx` holds its table. Units are in the headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.atomic import atomic_write
from optimizer.studies.store import flatten

if TYPE_CHECKING:
    from optimizer.result.plan import Plan

# Units by the end of a figure's name (the project's naming rule), longest first.
_UNITS = (("_per_kwh", "{cur}/kWh"), ("_per_mwh", "{cur}/MWh"), ("_per_t", "{cur}/tCO2e"), ("_kwh_th", "kWh heat"),
          ("_kw_th", "kW heat"), ("_kwh", "kWh"), ("_mwh", "MWh"), ("_kw", "kW"), ("_t", "tCO2e"),
          ("_seconds", "s"), ("_years", "years"), ("_share", "share"), ("_pct", "%"))
_MONEY_PER_YEAR = ("total_annual_cost", "savings", "target_cost", "annual_cash_savings", "costs.", "bau.costs.")
_MONEY = ("investment", "npv", "objective_bound")


def unit_of(name: str, currency: str) -> str:
    """The unit of a summary figure from its dotted name ('' when it has none, e.g. a status)."""
    leaf = name.rsplit(".", 1)[-1]
    for part in reversed(name.split(".")):  # a figure by item (pv_kw.roof) takes its parent's unit
        for suffix, unit in _UNITS:
            if part.endswith(suffix):
                return unit.format(cur=currency)
    if name.startswith(_MONEY_PER_YEAR) or leaf in _MONEY_PER_YEAR:
        return f"{currency}/yr"
    if name.startswith(_MONEY) or leaf in _MONEY:
        return currency
    if leaf in ("irr", "discount_rate", "mip_gap") or leaf.startswith("renewable_share"):
        return "share"
    return ""


def plan_sheets(plan: Plan) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, as tables (module docstring)."""
    s, cur = plan.summary, plan.inputs.currency
    figures = pd.DataFrame([(name, value, unit_of(name, cur)) for name, value in flatten(dict(s)).items()],
                           columns=["figure", "value", "unit"])
    bau = s.get("bau") or {}
    costs = s.get("costs") or {}
    items = list(dict.fromkeys([*costs, *(bau.get("costs") or {})]))
    cost_table = pd.DataFrame({"item": items, f"plan ({cur}/yr)": [costs.get(k) for k in items],
                               f"business as usual ({cur}/yr)": [(bau.get("costs") or {}).get(k) for k in items]})
    emissions, bau_emissions = s.get("emissions") or {}, bau.get("emissions") or {}
    scopes = [k for k in emissions if k.endswith("_t")]
    emission_table = pd.DataFrame({"figure": scopes, "plan (tCO2e/yr)": [emissions[k] for k in scopes],
                                   "business as usual (tCO2e/yr)": [bau_emissions.get(k) for k in scopes]})
    sheets = {"summary": figures, "costs": cost_table, "emissions": emission_table}
    if plan.hourly is not None:
        hourly = plan.hourly.copy()
        zone = str(hourly.index.tz) if hourly.index.tz is not None else "local"
        hourly.index = hourly.index.tz_localize(None) if hourly.index.tz is not None else hourly.index
        hourly.index.name = f"time ({zone})"
        sheets["hourly"] = hourly.reset_index()
    return sheets


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """`sheets` in one .xlsx file at `path`, written whole or not at all."""
    def write(target: Path) -> None:
        with pd.ExcelWriter(target, engine="openpyxl") as book:
            for name, table in sheets.items():
                table.to_excel(book, sheet_name=name, index=False)

    atomic_write(path, write)
    return path
