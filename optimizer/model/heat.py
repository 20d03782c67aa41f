"""Heat: each demand met at its temperature by the boiler, a heat pump, an electric heater or a store.

Equations (h: heat demands at temperature T_h; t: steps of Δt h, w_t day weights; Q_h,t the heat
needed, kW; q_m,h,t what a taken measure m saves, `optimizer.model.measures`; η_b boiler efficiency;
COP_h the heat pump's COP for demand h, only for T_h ≤ its max temperature; η_e the heater's
efficiency; the store serves demands at or below its temperature, λ its loss per hour):

    boiler_h,t + hp_h,t + eh_h,t + out_h,t = Q_h,t − Σ_m q_m,h,t · take_m               [kW of heat]
    Σ_h hp_h,t + hp_in_t ≤ hp_kw_th,   Σ_h eh_h,t + eh_in_t ≤ eh_kw_th                 (sizes, ≤ max)
    e_t = (1 − λ·Δt) · e_(t−1) + Δt · (hp_in_t + eh_in_t − Σ_h out_h,t),   0 ≤ e_t ≤ kwh_th
          (a full year: cyclic; typical days: each typical day ends where it starts)
    heat_electricity_t = Σ_h hp_h,t / COP_h + hp_in_t / COP_s + (Σ_h eh_h,t + eh_in_t) / η_e  [kW, a demand
                                                                                             of the power balance]
    boiler_fuel_mwh = Δt / 1000 · Σ_t w_t · Σ_h boiler_h,t / η_b;   scope 1 += f_fuel · boiler_fuel_mwh
    cost_heat = p_fuel · boiler_fuel_mwh + Σ_k (crf_k · capex_k + om_k) · size_k     (heat pump, heater, store)

The boiler is the plant's own and has no limit. The heat pump charges the store only when the store
is no hotter than its own maximum (COP_s at the store's temperature). The electricity for heat is
part of the plant's load in every respect: the demand charge, PV self-consumption, green power and
scope 2 all see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
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
    weighted,
)
from optimizer.model.measures import heat_pairs

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs

SOURCES = ("boiler", "heat_pump", "electric_heater", "thermal_storage")


class Heat(Asset):
    name = "heat"
    inputs_field = "heat"
    section = "heat"
    cost_labels: ClassVar[dict[str, str]] = {"heat_fuel": "boiler fuel", "heat": "heat pump, heater and store"}
    decisions = (Decision("heat_pump_kw_th", "heat pump", "kW heat", "heat pump"),
                 Decision("electric_heater_kw_th", "electric heater", "kW heat", "heater"),
                 Decision("thermal_storage_kwh_th", "thermal store", "kWh heat", "heat store"),
                 Decision("boiler_fuel_mwh", "fuel burnt by the boiler", "MWh", "boiler fuel", kind="flow",
                          yearly=True))
    step = EmissionStep("electrified heat", "cut", lambda s, f: -(  # fuel no longer burnt, less what measures save
        s["bau"]["emissions"]["scope1_t"] - s["emissions"]["scope1_t"]
        - (s.get("measures") or {}).get("fuel_cut_t", 0)), shown=lambda s: "heat" in s)
    more_steps = (EmissionStep("electricity for heat", "added", lambda s, f: s["energy"]["heat_electricity_mwh"] * f,
                               shown=lambda s: "heat" in s),)
    colors: ClassVar[dict[str, str]] = {"boiler fuel": "#a5672f", "heat pump, heater and store": "#cf1c90",
                                        "electrified heat": "#cf1c90", "electricity for heat": "#e03c31",
                                        "boiler": "#a5672f", "heat_pump": "#cf1c90", "electric_heater": "#f97b72",
                                        "thermal_storage": "#4b4b8f"}
    demands = ("heat_electricity_kw",)
    own_use: ClassVar[dict[str, float]] = {"heat_electricity_kw": 1.0}
    capital_cost = "cost_heat"

    def data(self, inp: Inputs) -> Values:
        h = inp.heat
        values: Values = {"heat_demand_kw": {d.name: d.heat_kw for d in h.demands},
                          "boiler_efficiency": h.boiler_efficiency, "boiler_fuel_price_per_mwh": h.fuel_price_per_mwh,
                          "boiler_fuel_factor_t_per_mwh": h.fuel_factor_t_per_mwh}
        if (hp := h.heat_pump) is not None:
            values.update(hp_crf=hp.crf, hp_capex_per_kw_th=hp.capex_per_kw_th, hp_om=hp.fixed_om_per_kw_th_year,
                          hp_max_kw_th=cap(hp.max_kw_th))
        if (eh := h.electric_heater) is not None:
            values.update(eh_crf=eh.crf, eh_capex_per_kw_th=eh.capex_per_kw_th, eh_om=eh.fixed_om_per_kw_th_year,
                          eh_max_kw_th=cap(eh.max_kw_th), eh_efficiency=eh.efficiency)
        if (ts := h.thermal_storage) is not None:
            values.update(ts_crf=ts.crf, ts_capex_per_kwh_th=ts.capex_per_kwh_th, ts_om=ts.fixed_om_per_kwh_th_year,
                          ts_max_kwh_th=cap(ts.max_kwh_th), ts_keep_share=1.0 - ts.loss_share_per_hour * inp.step_h)
        return values

    def structure(self, inp: Inputs) -> tuple | None:
        h = inp.heat
        if h is None:
            return None
        hp, ts = h.heat_pump, h.thermal_storage
        return (tuple(d.name for d in h.demands), hp and tuple(sorted(hp.cop.items())), hp and hp.cop_storage,
                h.electric_heater is not None, ts and _served_by_store(inp))

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        h = inp.heat
        m.H = pyo.Set(initialize=[d.name for d in h.demands], ordered=True, doc="heat demands")
        declare(m, self.data(inp), items=m.H)
        m.boiler_th = pyo.Var(m.H, m.T, within=NON_NEG, doc="heat from the boiler (kW)")
        supplies = [lambda m, d, t: m.boiler_th[d, t]]
        electricity = []
        heat_pump_load, heater_load = [], []
        if (hp := h.heat_pump) is not None:
            m.H_hp = pyo.Set(initialize=list(hp.cop), within=m.H, ordered=True, doc="demands the heat pump reaches")
            m.hp_cop = pyo.Param(m.H_hp, mutable=True, initialize=hp.cop)
            m.hp_kw_th = pyo.Var(within=NON_NEG, bounds=(0, m.hp_max_kw_th), doc="heat pump size (kW of heat)")
            m.hp_th = pyo.Var(m.H_hp, m.T, within=NON_NEG, doc="heat from the heat pump (kW)")
            supplies.append(lambda m, d, t: m.hp_th[d, t] if d in m.H_hp else 0)
            electricity.append(lambda m, t: sum(m.hp_th[d, t] / m.hp_cop[d] for d in m.H_hp))
            heat_pump_load.append(lambda m, t: sum(m.hp_th[d, t] for d in m.H_hp))
        if h.electric_heater is not None:
            m.eh_kw_th = pyo.Var(within=NON_NEG, bounds=(0, m.eh_max_kw_th), doc="electric heater size (kW of heat)")
            m.eh_th = pyo.Var(m.H, m.T, within=NON_NEG, doc="heat from the electric heater (kW)")
            supplies.append(lambda m, d, t: m.eh_th[d, t])
            electricity.append(lambda m, t: sum(m.eh_th[d, t] for d in m.H) / m.eh_efficiency)
            heater_load.append(lambda m, t: sum(m.eh_th[d, t] for d in m.H))
        if h.thermal_storage is not None:
            _thermal_storage(m, inp, supplies, electricity, heat_pump_load, heater_load)
        saved = m.component("measure_heat_saved_kw")  # the measures' savings, declared before (registry order)
        by_demand: dict[str, list[tuple[str, str]]] = {}
        for key, (measure, demand) in heat_pairs(inp).items():
            by_demand.setdefault(demand, []).append((key, measure))

        def met(m: pyo.ConcreteModel, d: str, t: int):
            return sum(f(m, d, t) for f in supplies) == m.heat_demand_kw[d, t] - sum(
                saved[key, t] * m.measure_taken[measure] for key, measure in by_demand.get(d, ()))

        m.heat_balance = pyo.Constraint(m.H, m.T, rule=met, doc="each demand met in each step (kW of heat)")
        if heat_pump_load:
            m.hp_capacity = pyo.Constraint(m.T, rule=lambda m, t: sum(f(m, t) for f in heat_pump_load) <= m.hp_kw_th)
        if heater_load:
            m.eh_capacity = pyo.Constraint(m.T, rule=lambda m, t: sum(f(m, t) for f in heater_load) <= m.eh_kw_th)
        m.heat_electricity_kw = pyo.Expression(m.T, rule=lambda m, t: sum(f(m, t) for f in electricity),
                                               doc="electricity for heat (kW)")
        m.boiler_fuel_mwh = pyo.Var(within=NON_NEG, doc="fuel the boiler burns in the year (MWh)")
        m.boiler_fuel_total = pyo.Constraint(expr=m.boiler_fuel_mwh == m.step_h / 1000.0 * sum(
            weighted(m, t, sum(m.boiler_th[d, t] for d in m.H)) for t in m.T) / m.boiler_efficiency)
        m.cost_heat_fuel = pyo.Expression(expr=m.boiler_fuel_price_per_mwh * m.boiler_fuel_mwh)
        built = (("hp", "kw_th", "hp_kw_th"), ("eh", "kw_th", "eh_kw_th"), ("ts", "kwh_th", "ts_kwh_th"))
        m.cost_heat = pyo.Expression(expr=sum(
            (m.component(f"{k}_crf") * m.component(f"{k}_capex_per_{unit}") + m.component(f"{k}_om")) * m.component(var)
            for k, unit, var in built if m.component(var) is not None))
        ledger.demand.append(m.heat_electricity_kw)
        sized = any(m.component(var) is not None for *_, var in built)
        ledger.costs += ["cost_heat_fuel", "cost_heat"] if sized else ["cost_heat_fuel"]
        ledger.scope1.append(m.boiler_fuel_factor_t_per_mwh * m.boiler_fuel_mwh)

    def sizes(self, inp: Inputs) -> list[Size]:
        h, found = inp.heat, []
        if (hp := h.heat_pump) is not None:
            found.append(Size("hp_kw_th", None, hp.capex_per_kw_th, hp.fixed_om_per_kw_th_year,
                              lifetime_of(hp.lifetime_years), "heat_pump", crf=hp.crf))
        if (eh := h.electric_heater) is not None:
            found.append(Size("eh_kw_th", None, eh.capex_per_kw_th, eh.fixed_om_per_kw_th_year,
                              lifetime_of(eh.lifetime_years), "electric_heater", crf=eh.crf))
        if (ts := h.thermal_storage) is not None:
            found.append(Size("ts_kwh_th", None, ts.capex_per_kwh_th, ts.fixed_om_per_kwh_th_year,
                              lifetime_of(ts.lifetime_years), "thermal_storage", crf=ts.crf))
        return found

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        if inp.heat is None:
            return {}
        by_source = _by_source(m, inp)
        return {"heat_electricity_kw": inp.on_calendar(series("heat_electricity_kw")),
                **{f"heat_{s}_kw_th": inp.on_calendar(v.sum(axis=0)) for s, v in by_source.items()},
                "heat_storage_in_kw_th": inp.on_calendar(series("ts_in_kw_th")),
                "heat_storage_kwh_th": inp.on_calendar(series("ts_kwh_th_t"))}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        h = inp.heat
        if h is None:
            return {}
        weight_mwh = inp.weight_days * inp.step_h / 1000.0
        by_source = _by_source(m, inp)
        supply = {d.name: {f"{s}_mwh": float((weight_mwh * v[i]).sum()) for s, v in by_source.items()}
                  for i, d in enumerate(h.demands)}
        hp_kw, eh_kw, ts_kwh = (value_of(m, n) for n in ("hp_kw_th", "eh_kw_th", "ts_kwh_th"))
        costs = {"heat_pump": hp_kw * (h.heat_pump.capex_per_kw_th if h.heat_pump else 0.0),
                 "electric_heater": eh_kw * (h.electric_heater.capex_per_kw_th if h.electric_heater else 0.0),
                 "thermal_storage": ts_kwh * (h.thermal_storage.capex_per_kwh_th if h.thermal_storage else 0.0)}
        return {
            "heat_pump_kw_th": hp_kw, "electric_heater_kw_th": eh_kw, "thermal_storage_kwh_th": ts_kwh,
            "boiler_fuel_mwh": value_of(m, "boiler_fuel_mwh"),
            "heat": {"heat_pump_kw_th": hp_kw, "electric_heater_kw_th": eh_kw, "thermal_storage_kwh_th": ts_kwh,
                     "boiler_fuel_mwh": value_of(m, "boiler_fuel_mwh"), "bau_boiler_fuel_mwh": inp.bau_boiler_fuel_mwh,
                     "demands": supply},
            "energy": {"heat_electricity_mwh": float(hourly["heat_electricity_kw"].sum() * inp.step_h / 1000.0)},
            "investment": {"heat": sum(costs.values())},
        }

    def bau_costs(self, inp: Inputs) -> dict[str, float]:
        return {"heat_fuel": inp.bau_boiler_fuel_mwh * inp.heat.fuel_price_per_mwh}

    def limits(self, inp: Inputs) -> list[Limit]:
        h = inp.heat
        if h is None:
            return []
        lifted = sum(float(d.heat_kw.max()) for d in h.demands) * 10
        found = []
        for part, field, what, var in (("heat_pump", "max_kw_th", "the heat pump is at its largest size", "hp_kw_th"),
                                       ("electric_heater", "max_kw_th", "the electric heater is at its largest size",
                                        "eh_kw_th"),
                                       ("thermal_storage", "max_kwh_th", "the thermal store is at its largest size",
                                        "ts_kwh_th")):
            spec = getattr(h, part)
            if spec is None or getattr(spec, field) is None:
                continue
            found.append(Limit(what, f"heat.{part}.{field}", field.removeprefix("max_").replace("_", " "),
                               getattr(spec, field), lifted * (24 if part == "thermal_storage" else 1),
                               lambda i, v, part=part, field=field: replace(i, heat=replace(
                                   i.heat, **{part: replace(getattr(i.heat, part), **{field: v})})),
                               lambda m, var=var: m.component(var)))
        return found


def _served_by_store(inp: Inputs) -> tuple[str, ...]:
    """The demands the thermal store is hot enough to serve."""
    ts = inp.heat.thermal_storage
    return tuple(d.name for d in inp.heat.demands if d.temperature_c <= ts.max_temperature_c)


def _thermal_storage(m: pyo.ConcreteModel, inp: Inputs, supplies: list, electricity: list, heat_pump_load: list,
                     heater_load: list) -> None:
    """The store: charged by the heater (and by the heat pump where it is hot enough), losing λ per hour."""
    h = inp.heat
    m.H_ts = pyo.Set(initialize=list(_served_by_store(inp)), within=m.H, ordered=True, doc="demands the store serves")
    m.ts_kwh_th = pyo.Var(within=NON_NEG, bounds=(0, m.ts_max_kwh_th), doc="thermal store size (kWh of heat)")
    m.ts_out_th = pyo.Var(m.H_ts, m.T, within=NON_NEG, doc="heat from the store (kW)")
    m.ts_kwh_th_t = pyo.Var(m.T, within=NON_NEG, doc="heat stored at the end of the step (kWh)")
    charging = []
    if h.electric_heater is not None:
        m.ts_in_eh = pyo.Var(m.T, within=NON_NEG, doc="heater charging the store (kW of heat)")
        charging.append(lambda m, t: m.ts_in_eh[t])
        electricity.append(lambda m, t: m.ts_in_eh[t] / m.eh_efficiency)
        heater_load.append(lambda m, t: m.ts_in_eh[t])
    if h.heat_pump is not None and h.heat_pump.cop_storage is not None:
        m.hp_cop_storage = pyo.Param(mutable=True, initialize=h.heat_pump.cop_storage)
        m.ts_in_hp = pyo.Var(m.T, within=NON_NEG, doc="heat pump charging the store (kW of heat)")
        charging.append(lambda m, t: m.ts_in_hp[t])
        electricity.append(lambda m, t: m.ts_in_hp[t] / m.hp_cop_storage)
        heat_pump_load.append(lambda m, t: m.ts_in_hp[t])
    m.ts_in_kw_th = pyo.Expression(m.T, rule=lambda m, t: sum(f(m, t) for f in charging))
    supplies.append(lambda m, d, t: m.ts_out_th[d, t] if d in m.H_ts else 0)
    m.ts_ceiling = pyo.Constraint(m.T, rule=lambda m, t: m.ts_kwh_th_t[t] <= m.ts_kwh_th)
    td = inp.typical_days
    per_day = td.steps_per_day if td is not None else len(inp.load_kw)

    def before(t: int) -> int:  # the step before t: cyclic over the year, or within each typical day
        return t - 1 if t % per_day else t + per_day - 1

    m.ts_dynamics = pyo.Constraint(m.T, doc="heat kept from the step before, less losses, plus net charging",
                                   rule=lambda m, t: m.ts_kwh_th_t[t] == m.ts_keep_share * m.ts_kwh_th_t[before(t)]
                                   + m.step_h * (m.ts_in_kw_th[t] - sum(m.ts_out_th[d, t] for d in m.H_ts)))


def _by_source(m: pyo.ConcreteModel, inp: Inputs) -> dict[str, np.ndarray]:
    """Heat each source gives each demand in each step (kW), as arrays demand × step."""
    names, n = [d.name for d in inp.heat.demands], len(inp.load_kw)
    found = {}
    for source, var in zip(SOURCES, ("boiler_th", "hp_th", "eh_th", "ts_out_th"), strict=True):
        comp = m.component(var)
        values = np.zeros((len(names), n))
        if comp is not None:
            for i, d in enumerate(names):
                if (d, 0) in comp:
                    values[i] = [pyo.value(comp[d, t]) for t in range(n)]
        found[source] = values
    return found


def most_heat_electricity_kw(inp: Inputs) -> float:
    """The most electricity heat can take in one step (kW): the heater and the heat pump at their
    limits (without one, what every demand and the store could take), for bounds elsewhere."""
    h = inp.heat
    if h is None:
        return 0.0
    ts = h.thermal_storage
    store_kw = 0.0 if ts is None else (ts.max_kwh_th / inp.step_h if ts.max_kwh_th is not None
                                       else sum(float(d.heat_kw.sum()) for d in h.demands))
    all_heat_kw = sum(float(d.heat_kw.max()) for d in h.demands) + store_kw
    most = 0.0
    if (eh := h.electric_heater) is not None:
        most += (eh.max_kw_th if eh.max_kw_th is not None else all_heat_kw) / eh.efficiency
    if (hp := h.heat_pump) is not None and (hp.cop or hp.cop_storage):
        cop = min([*hp.cop.values(), *([hp.cop_storage] if hp.cop_storage else [])])
        most += (hp.max_kw_th if hp.max_kw_th is not None else all_heat_kw) / cop
    return most
