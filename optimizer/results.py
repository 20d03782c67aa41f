"""Reading a solved model back into plain data: the hourly table and the plan's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from models.inputs import Inputs


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
    """Sizes, purchases, energy, emissions and costs of a solved model, as JSON-ready numbers."""
    to_mwh = inp.step_h / 1000.0

    def val(name: str, default: float = 0.0) -> float:
        comp = m.component(name)
        return float(pyo.value(comp)) if comp is not None else default

    pv_kw = {a.name: float(pyo.value(m.pv_kw[a.name])) for a in inp.pv.arrays} if inp.pv else {}
    costs = {name.removeprefix("cost_"): float(pyo.value(m.component(name))) for name in m.cost_terms}
    investment = {"pv": 0.0, "storage": 0.0}
    if inp.pv:
        investment["pv"] = sum(inp.pv.capex_per_kw * kw for kw in pv_kw.values()) + sum(
            a.fixed_cost for a in inp.pv.arrays if pv_kw[a.name] > 1e-6)
    if inp.storage:
        s = inp.storage
        investment["storage"] = (s.capex_per_kwh * val("storage_kwh") + s.capex_per_kw * val("storage_kw")
                                 + (s.fixed_cost if val("storage_kwh") > 1e-6 else 0.0))
    investment["total"] = investment["pv"] + investment["storage"]
    load_mwh = float(hourly["load_kw"].sum() * to_mwh)
    pv_self_mwh = float(hourly["pv_self_kw"].sum() * to_mwh)
    green_mwh = val("green_mwh")
    certificates_mwh = val("certificates_mwh")
    supplied_mwh = float((hourly["grid_import_kw"] + hourly["pv_self_kw"] + hourly["green_power_kw"]).sum() * to_mwh)
    return {
        "total_annual_cost": float(pyo.value(m.total_cost)),
        "pv_kw": pv_kw,
        "pv_total_kw": sum(pv_kw.values()),
        "pv_yield_kwh_per_kwp": {a.name: float((inp.weight_days * a.yield_kwh_per_kwp).sum())
                                 for a in inp.pv.arrays} if inp.pv else {},
        "storage_kwh": val("storage_kwh"),
        "storage_kw": val("storage_kw"),
        "grid_import_mwh": float(hourly["grid_import_kw"].sum() * to_mwh),
        "export_mwh": float(hourly["export_kw"].sum() * to_mwh),
        "green_power_mwh": green_mwh,
        "certificates_mwh": certificates_mwh,
        "credits_t": val("credits_t"),
        "emissions": {
            "scope1_t": val("scope1_t"),
            "scope2_location_t": val("scope2_location_t"),
            "scope2_market_t": val("scope2_market_t"),
            "credits_t": val("credits_t"),
            "net_t": val("net_t"),
        },
        "energy": {
            "load_mwh": load_mwh,
            "pv_generation_mwh": float(hourly["pv_out_kw"].sum() * to_mwh),
            "pv_self_consumed_mwh": pv_self_mwh,
            "pv_curtailed_mwh": float(hourly["pv_curtailed_kw"].sum() * to_mwh),
            "storage_discharged_mwh": float(hourly["discharge_kw"].sum() * to_mwh),
            "storage_full_cycles": _full_cycles(float(hourly["discharge_kw"].sum() * inp.step_h),
                                                val("storage_kwh"), inp),
            "storage_losses_mwh": float((hourly["charge_kw"] - hourly["discharge_kw"]).sum() * to_mwh),
            # Of all electricity taken in (load plus battery losses), the share that is renewable
            # by market-based accounting: PV used on site, green power, certificated grid energy.
            "renewable_share": (pv_self_mwh + green_mwh + certificates_mwh) / supplied_mwh
            if supplied_mwh > 0 else 0.0,
        },
        "peak_withdrawal_kw": {int(mo): float(v) for mo, v in (hourly["grid_import_kw"] + hourly["green_power_kw"])
                               .groupby(hourly.index.month).max().items()},
        "costs": costs,
        "investment": investment,
    }


def _full_cycles(discharged_kwh: float, capacity_kwh: float, inp: Inputs) -> float:
    """Energy discharged over the usable capacity: equivalent full cycles in the year."""
    if inp.storage is None or capacity_kwh <= 0:
        return 0.0
    return discharged_kwh / (capacity_kwh * (inp.storage.soc_max - inp.storage.soc_min))
