"""Process heat and efficiency measures, from a validated `Scenario` to their `Inputs`.

Rules (one home for each):
    a demand's heat_kw[t]     = annual_mwh · 1000 · share[t] / step_h, share its profile over the model's steps, Σ = 1
    'production' profile      = the shape of the plant's electricity load (heat follows production as electricity
                                does); 'flat' = the same every step; a CSV = 8760 hourly values spread evenly over
                                the steps of each hour; load.scale changes the load, not the heat (it is a shape)
    heat pump COP             = `HeatPump.cop_at` (schema_heat): for each demand at or below max_temperature_c; for
                                charging the store at the store's max_temperature_c, if the heat pump reaches it
    a measure's electricity   = electricity_saved_mwh · 1000 · share[t] / step_h, share its profile ('load': the
                                load's shape); all measures together must save no more than the load in any step
    a measure's heat          = heat_saved_mwh[d] / annual_mwh[d] · heat_kw[d][t]: the demand's own shape
    fixed fuels               = those with annual_mwh (every fuel but the boiler's): Inputs.scope1_t, fuel_cost;
                                a measure's fuel_saved_cost and fuel_saved_t price its fuel_saved_mwh with them
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from models.data.series_file import read_single_column
from models.errors import InputError
from models.inputs.finance import capital_recovery_factor
from models.inputs.types import (
    ElectricHeaterInputs,
    HeatDemandInputs,
    HeatInputs,
    HeatPumpInputs,
    MeasureInputs,
    ThermalStorageInputs,
)
from models.scenario.schema import Fuel, Scenario

HOURS = 8760  # hourly profile files: one value per hour of the model year (29 February is dropped)


def fixed_fuels(scenario: Scenario) -> list[Fuel]:
    """Fuels burnt in fixed amounts (annual_mwh): all but the boiler's, whose use the model decides."""
    return [f for f in scenario.fuels if f.annual_mwh is not None]


def heat_inputs(scenario: Scenario, index: pd.DatetimeIndex, load_kw: np.ndarray,
                notes: list[str]) -> HeatInputs | None:
    """The plant's heat demands on the model's steps, the boiler and what may replace it; None without heat."""
    heat = scenario.heat
    if heat is None:
        return None
    rate, step_h = scenario.finance.discount_rate, scenario.time.resolution_minutes / 60
    demands = tuple(
        HeatDemandInputs(name=d.name, temperature_c=d.temperature_c,
                         heat_kw=d.annual_mwh * 1000.0 * _share(d.profile, f"heat.demands[{d.name}].profile",
                                                                index, load_kw, notes) / step_h)
        for d in heat.demands
    )
    fuel = next(f for f in scenario.fuels if f.name == heat.boiler.fuel)
    heat_pump = None
    if (hp := heat.heat_pump) is not None:
        store = heat.thermal_storage
        reaches_store = store is not None and store.max_temperature_c <= hp.max_temperature_c
        cop = {d.name: hp.cop_at(d.temperature_c) for d in heat.demands if d.temperature_c <= hp.max_temperature_c}
        heat_pump = HeatPumpInputs(
            capex_per_kw_th=hp.capex_per_kw_th, fixed_om_per_kw_th_year=hp.fixed_om_per_kw_th_year,
            crf=capital_recovery_factor(rate, hp.lifetime_years), max_temperature_c=hp.max_temperature_c, cop=cop,
            cop_storage=hp.cop_at(store.max_temperature_c) if reaches_store else None, max_kw_th=hp.max_kw_th,
            lifetime_years=hp.lifetime_years,
        )
        if not cop and not reaches_store:
            coldest = min(d.temperature_c for d in heat.demands)
            notes.append(f"heat.heat_pump: max_temperature_c {hp.max_temperature_c:g} °C is below every heat demand "
                         f"(the coldest needs {coldest:g} °C){' and the thermal store' if store else ''}; "
                         "it cannot serve anything")
    heater = None
    if (eh := heat.electric_heater) is not None:
        heater = ElectricHeaterInputs(
            capex_per_kw_th=eh.capex_per_kw_th, fixed_om_per_kw_th_year=eh.fixed_om_per_kw_th_year,
            crf=capital_recovery_factor(rate, eh.lifetime_years), efficiency=eh.efficiency, max_kw_th=eh.max_kw_th,
            lifetime_years=eh.lifetime_years,
        )
    storage = None
    if (ts := heat.thermal_storage) is not None:
        storage = ThermalStorageInputs(
            capex_per_kwh_th=ts.capex_per_kwh_th, fixed_om_per_kwh_th_year=ts.fixed_om_per_kwh_th_year,
            crf=capital_recovery_factor(rate, ts.lifetime_years), loss_share_per_hour=ts.loss_share_per_hour,
            max_temperature_c=ts.max_temperature_c, max_kwh_th=ts.max_kwh_th, lifetime_years=ts.lifetime_years,
        )
    return HeatInputs(demands=demands, boiler_efficiency=heat.boiler.efficiency, fuel_name=fuel.name,
                      fuel_price_per_mwh=fuel.price_per_mwh, fuel_factor_t_per_mwh=fuel.emission_factor_t_per_mwh,
                      heat_pump=heat_pump, electric_heater=heater, thermal_storage=storage)


def measure_inputs(scenario: Scenario, index: pd.DatetimeIndex, load_kw: np.ndarray, heat: HeatInputs | None,
                   notes: list[str]) -> tuple[MeasureInputs, ...]:
    """Each efficiency measure: what it saves in each step (electricity, heat by demand) and a year (fuels)."""
    step_h = scenario.time.resolution_minutes / 60
    rate = scenario.finance.discount_rate
    fuels = {f.name: f for f in fixed_fuels(scenario)}
    demands = {d.name: d for d in heat.demands} if heat is not None else {}
    annual = {d.name: d.annual_mwh for d in scenario.heat.demands} if scenario.heat is not None else {}
    measures, loose = [], False  # loose: a saving not shaped like the load
    for m in scenario.measures:
        electricity = None
        if m.electricity_saved_mwh is not None:
            share = _share(m.profile, f"measures[{m.name}].profile", index, load_kw, notes)
            electricity = m.electricity_saved_mwh * 1000.0 * share / step_h
            loose = loose or m.profile != "load"
        heat_saved = {name: (mwh / annual[name] if annual[name] > 0 else 0.0) * demands[name].heat_kw
                      for name, mwh in m.heat_saved_mwh.items()}
        fuel_saved = dict(m.fuel_saved_mwh)
        measures.append(MeasureInputs(
            name=m.name, capex=m.capex, crf=capital_recovery_factor(rate, m.lifetime_years),
            lifetime_years=m.lifetime_years, electricity_saved_kw=electricity, heat_saved_kw=heat_saved,
            fuel_saved_mwh=fuel_saved,
            fuel_saved_cost=float(sum(mwh * fuels[name].price_per_mwh for name, mwh in fuel_saved.items())),
            fuel_saved_t=float(sum(mwh * fuels[name].emission_factor_t_per_mwh for name, mwh in fuel_saved.items())),
        ))
    _within_load(measures, index, load_kw, loose)
    return tuple(measures)


def _within_load(measures: list[MeasureInputs], index: pd.DatetimeIndex, load_kw: np.ndarray, loose: bool) -> None:
    """All measures taken together must not save more electricity than the plant uses, in any step."""
    saving = [m for m in measures if m.electricity_saved_kw is not None]
    if not saving:
        return
    total = np.sum([m.electricity_saved_kw for m in saving], axis=0)
    over = total - load_kw
    beyond = over > 1e-9 * max(1.0, float(load_kw.max()))
    if beyond.any():
        worst = int(np.argmax(over))
        who = f"{saving[0].name} saves" if len(saving) == 1 else f"{', '.join(m.name for m in saving)} together save"
        fix = " or shape it like the load (profile 'load')" if loose else ""
        raise InputError(f"measures: {who} more electricity than the load in {int(beyond.sum())} steps, most at "
                         f"{index[worst]:%Y-%m-%d %H:%M} ({total[worst]:.6g} kW saved, {load_kw[worst]:.6g} kW "
                         f"used); lower electricity_saved_mwh{fix}")


def _share(profile: str | Path, field: str, index: pd.DatetimeIndex, load_kw: np.ndarray,
           notes: list[str]) -> np.ndarray:
    """The share of a year's energy falling in each step: the load's shape, flat, or an hourly CSV."""
    per_hour = len(index) // HOURS
    if profile in ("production", "load"):
        shape = np.asarray(load_kw, dtype=float)
    elif profile == "flat":
        shape = np.ones(len(index))
    else:
        hourly = read_single_column(Path(profile), field, HOURS, "relative", notes=notes)
        shape = np.repeat(hourly / per_hour, per_hour)
    total = float(shape.sum())
    if total <= 0:
        what = "the load" if profile in ("production", "load") else f"{str(profile)!r}"
        raise InputError(f"{field}: the shape ({what}) sums to {total:g}; it must have some positive values")
    return shape / total
