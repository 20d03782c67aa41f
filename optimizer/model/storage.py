"""The battery: energy (kWh) and power (kW) sized apart, losses both ways, state of charge kept.

Equations (Δt h; η_c, η_d charge and discharge efficiencies; s_min, s_max shares of capacity):

    0 ≤ kwh ≤ max_kwh,  0 ≤ kw ≤ max_kw;  kwh = unit_kwh · n_kwh, kw = unit_kw · n_kw (blocks, n integer)
    kwh ≤ max_kwh · built,  kw ≤ max_kw · built                (built ∈ {0,1}, with a fixed cost)
    charge_t + discharge_t ≤ kw                                                   [kW]
    stored_t = Δt · (η_c · charge_t − discharge_t / η_d)                          [kWh]
    full year:     e_t = e_(t−1) + stored_t, e_(−1) = e_(T−1) (cyclic),  0 ≤ e_t ≤ (s_max − s_min) · kwh
                   Δt · η_c · charge_t ≤ (s_max − s_min) · kwh − e_(t−1)        (charging fills the room left)
                   (e counts the energy above the floor s_min · kwh)
    typical days:  intra-day course from each day's start, days of the year linked in order,
                   s_min · kwh ≤ start_k + low/high of day k's typical day ≤ s_max · kwh (Kotzur et al., 2018)
                   Δt · η_c · charge_t ≤ (s_max − s_min) · kwh

Charging and discharging share the power (REopt's rule), and a step's charging fits in the store
whatever is discharged in the same step, so no plan burns energy through the battery: a battery
with no energy capacity neither charges nor discharges. (On typical days a step's charging is
bounded by the whole usable store, not the room left: with prices ≥ 0 burning energy never pays.)
    cost_storage = crf · (capex_per_kwh · kwh + capex_per_kw · kw + fixed_cost · built) + om_per_kw_year · kw

`discharge_t` is a supply of the energy balance and `charge_t` a demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from math import floor
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

from optimizer.model.base import (
    NON_NEG,
    Asset,
    Decision,
    EmissionStep,
    Ledger,
    Limit,
    Size,
    Values,
    cap,
    declare,
    lifetime_of,
    value_of,
)

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Storage(Asset):
    name = "storage"
    inputs_field = "storage"
    cost_labels: ClassVar[dict[str, str]] = {"storage": "battery"}
    decisions = (Decision("storage_kwh", "battery energy", "kWh", "battery"),
                 Decision("storage_kw", "battery power", "kW", "battery power"))
    step = EmissionStep("battery losses", "added", lambda s, f: s["energy"]["storage_losses_mwh"] * f)
    colors: ClassVar[dict[str, str]] = {"battery": "#3969ac", "charge": "#80ba5a"}
    capital_cost = "cost_storage"

    def data(self, inp: Inputs) -> Values:
        s = inp.storage
        values: Values = {f"storage_{name}": getattr(s, name) for name in (
            "capex_per_kwh", "capex_per_kw", "fixed_om_per_kw_year", "crf", "fixed_cost",
            "charge_efficiency", "discharge_efficiency", "soc_min", "soc_max")}
        values["storage_max_kwh"] = cap(s.max_kwh)
        values["storage_max_kw"] = cap(s.max_kw)
        if s.unit_kwh:
            values["storage_unit_kwh"] = s.unit_kwh
            values["storage_max_units_kwh"] = floor(s.max_kwh / s.unit_kwh)
        if s.unit_kw:
            values["storage_unit_kw"] = s.unit_kw
            values["storage_max_units_kw"] = floor(s.max_kw / s.unit_kw)
        return values

    def structure(self, inp: Inputs) -> tuple | None:
        s = inp.storage
        return (s.fixed_cost > 0, bool(s.unit_kwh), bool(s.unit_kw)) if s else None

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        s = inp.storage
        declare(m, self.data(inp))
        m.storage_kwh = pyo.Var(within=NON_NEG, bounds=(0, m.storage_max_kwh), doc="energy capacity (kWh)")
        m.storage_kw = pyo.Var(within=NON_NEG, bounds=(0, m.storage_max_kw), doc="power capacity (kW)")
        if s.unit_kwh:
            m.storage_units_kwh = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, m.storage_max_units_kwh))
            m.storage_kwh_blocks = pyo.Constraint(expr=m.storage_kwh == m.storage_unit_kwh * m.storage_units_kwh)
        if s.unit_kw:
            m.storage_units_kw = pyo.Var(within=pyo.NonNegativeIntegers, bounds=(0, m.storage_max_units_kw))
            m.storage_kw_blocks = pyo.Constraint(expr=m.storage_kw == m.storage_unit_kw * m.storage_units_kw)
        built = 0
        if s.fixed_cost > 0:
            m.storage_built = pyo.Var(within=pyo.Binary, doc="battery built")
            m.storage_kwh_if_built = pyo.Constraint(expr=m.storage_kwh <= m.storage_max_kwh * m.storage_built)
            m.storage_kw_if_built = pyo.Constraint(expr=m.storage_kw <= m.storage_max_kw * m.storage_built)
            built = m.storage_built

        m.charge_kw = pyo.Var(m.T, within=NON_NEG, doc="battery charging (kW)")
        m.discharge_kw = pyo.Var(m.T, within=NON_NEG, doc="battery discharging (kW)")
        m.power_limit = pyo.Constraint(m.T, doc="charging and discharging share the power",
                                       rule=lambda m, t: m.charge_kw[t] + m.discharge_kw[t] <= m.storage_kw)
        if inp.typical_days is None:
            _state_of_charge_over_the_year(m)
        else:
            _state_of_charge_over_typical_days(m, inp)
        m.cost_storage = pyo.Expression(expr=m.storage_crf * (
            m.storage_capex_per_kwh * m.storage_kwh + m.storage_capex_per_kw * m.storage_kw
            + m.storage_fixed_cost * built
        ) + m.storage_fixed_om_per_kw_year * m.storage_kw)
        ledger.supply.append(m.discharge_kw)
        ledger.demand.append(m.charge_kw)
        ledger.costs.append("cost_storage")

    def sizes(self, inp: Inputs) -> list[Size]:
        s = inp.storage
        life, built = lifetime_of(s.lifetime_years), "storage_built" if s.fixed_cost > 0 else None
        return [Size("storage_kwh", None, s.capex_per_kwh, 0.0, life, "storage", s.fixed_cost, built, s.crf),
                Size("storage_kw", None, s.capex_per_kw, s.fixed_om_per_kw_year, life, "storage", s.fixed_cost, built,
                     s.crf)]

    supplies = ("discharge_kw",)
    demands = ("charge_kw",)

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        return {"charge_kw": inp.on_calendar(series("charge_kw")),
                "discharge_kw": inp.on_calendar(series("discharge_kw")),
                "soc_kwh": _soc_on_calendar(m, inp, series)}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        to_mwh = inp.step_h / 1000.0
        kwh, kw = value_of(m, "storage_kwh"), value_of(m, "storage_kw")
        s = inp.storage
        investment = 0.0
        if s:
            investment = s.capex_per_kwh * kwh + s.capex_per_kw * kw + (s.fixed_cost if kwh > 1e-6 else 0.0)
        discharged_kwh = float(hourly["discharge_kw"].sum() * inp.step_h)
        return {
            "storage_kwh": kwh,
            "storage_kw": kw,
            "energy": {
                "storage_discharged_mwh": float(hourly["discharge_kw"].sum() * to_mwh),
                "storage_full_cycles": _full_cycles(discharged_kwh, kwh, inp),
                "storage_losses_mwh": float((hourly["charge_kw"] - hourly["discharge_kw"]).sum() * to_mwh),
            },
            "investment": {"storage": investment},
        }

    def limits(self, inp: Inputs) -> list[Limit]:
        s = inp.storage
        if s is None or s.max_kwh is None:
            return []
        return [Limit("the battery is at its largest size", "storage.max_kwh", "kWh", s.max_kwh,
                      10 * s.max_kwh + inp.load_kw.max() * 24,
                      lambda i, v: replace(i, storage=replace(i.storage, max_kwh=v)), lambda m: m.storage_kwh)]


def _stored_in_step(m: pyo.ConcreteModel, t: int):
    """Energy added to the battery's store in step t (kWh), losses both ways counted."""
    charged, discharged = m.charge_kw[t], m.discharge_kw[t]
    return m.step_h * (m.storage_charge_efficiency * charged - discharged / m.storage_discharge_efficiency)


def _state_of_charge_over_the_year(m: pyo.ConcreteModel) -> None:
    """Energy stored, within its bounds, back where it started after the year.

    Counted above the floor (soc_min × capacity), so the floor is a variable bound, not a row per
    step: stored = soc_above_min_kwh + soc_min × storage_kwh.
    """
    m.soc_above_min_kwh = pyo.Var(m.T, within=NON_NEG, doc="energy stored above the floor, end of step (kWh)")
    m.soc_ceiling = pyo.Constraint(m.T, rule=lambda m, t: m.soc_above_min_kwh[t]
                                   <= (m.storage_soc_max - m.storage_soc_min) * m.storage_kwh)
    last = len(m.T) - 1
    m.soc_dynamics = pyo.Constraint(m.T, doc="the step before the first is the last: cyclic year", rule=lambda m, t: (
        m.soc_above_min_kwh[t] == m.soc_above_min_kwh[t - 1 if t else last] + _stored_in_step(m, t)))
    m.charge_room = pyo.Constraint(m.T, doc="a step's charging fits in the room left at its start", rule=lambda m, t: (
        m.step_h * m.storage_charge_efficiency * m.charge_kw[t]
        <= (m.storage_soc_max - m.storage_soc_min) * m.storage_kwh - m.soc_above_min_kwh[t - 1 if t else last]))


def _state_of_charge_over_typical_days(m: pyo.ConcreteModel, inp: Inputs) -> None:
    """Storage across the days of the year when the steps are typical days (Kotzur et al., 2018).

    Within a typical day the state of charge is counted from the day's start (`soc_kwh`, may be
    negative); each day of the year starts from what the previous day left (`soc_start_kwh`) and
    adds its typical day's net change. The bounds hold at every step of every day of the year
    through each typical day's highest and lowest point.
    """
    td = inp.typical_days
    per_day, order = td.steps_per_day, td.order.tolist()
    m.D = pyo.RangeSet(0, td.count - 1, doc="typical days")
    m.K = pyo.RangeSet(0, len(order) - 1, doc="days of the year")
    m.soc_kwh = pyo.Var(m.T, doc="energy stored at the end of the step, counted from the day's start (kWh)")
    m.soc_dynamics = pyo.Constraint(m.T, doc="each typical day starts from 0", rule=lambda m, t: (
        m.soc_kwh[t] == (m.soc_kwh[t - 1] if t % per_day else 0) + _stored_in_step(m, t)))
    m.soc_day_high = pyo.Var(m.D, within=NON_NEG, doc="highest point of the typical day above its start (kWh)")
    m.soc_day_low = pyo.Var(m.D, within=pyo.NonPositiveReals, doc="lowest point below its start (kWh)")
    m.soc_below_high = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] <= m.soc_day_high[t // per_day])
    m.soc_above_low = pyo.Constraint(m.T, rule=lambda m, t: m.soc_kwh[t] >= m.soc_day_low[t // per_day])
    m.soc_start_kwh = pyo.Var(m.K, within=NON_NEG, doc="energy stored at the start of each day of the year (kWh)")
    last = len(order) - 1
    m.soc_days = pyo.Constraint(m.K, doc="each day starts where the one before ended; the year is cyclic",
                                rule=lambda m, k: m.soc_start_kwh[k + 1 if k < last else 0] == m.soc_start_kwh[k]
                                + m.soc_kwh[(order[k] + 1) * per_day - 1])
    m.soc_ceiling = pyo.Constraint(m.K, rule=lambda m, k: m.soc_start_kwh[k] + m.soc_day_high[order[k]]
                                   <= m.storage_soc_max * m.storage_kwh)
    m.soc_floor = pyo.Constraint(m.K, rule=lambda m, k: m.soc_start_kwh[k] + m.soc_day_low[order[k]]
                                 >= m.storage_soc_min * m.storage_kwh)
    m.charge_room = pyo.Constraint(m.T, doc="a step's charging fits in the usable store", rule=lambda m, t: (
        m.step_h * m.storage_charge_efficiency * m.charge_kw[t]
        <= (m.storage_soc_max - m.storage_soc_min) * m.storage_kwh))


def _soc_on_calendar(m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> np.ndarray:
    """Energy stored at the end of each step of the year (kWh)."""
    if m.component("soc_above_min_kwh") is not None:  # a full year: stored above the floor, plus the floor
        return series("soc_above_min_kwh") + pyo.value(m.storage_soc_min * m.storage_kwh)
    if m.component("soc_start_kwh") is None:
        return np.zeros(len(inp.calendar_index))
    td = inp.typical_days  # typical days: each day's start, plus its typical day's course
    starts = np.array([pyo.value(m.soc_start_kwh[k]) for k in range(len(td.order))])
    return np.repeat(starts, td.steps_per_day) + inp.on_calendar(series("soc_kwh"))


def _full_cycles(discharged_kwh: float, capacity_kwh: float, inp: Inputs) -> float:
    """Energy discharged over the usable capacity: equivalent full cycles in the year."""
    if inp.storage is None or capacity_kwh <= 0:
        return 0.0
    return discharged_kwh / (capacity_kwh * (inp.storage.soc_max - inp.storage.soc_min))
