"""From a validated `Scenario` to `Inputs`: load, weather, PV yield, tariff and prices on one index (heat
demands and efficiency measures: `models.inputs.heat`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models.data import climate, solar, weather
from models.data.load_profile import COARSER, read_load_csv, synthetic_automotive_load_kw
from models.data.series_file import read_single_column
from models.data.tariff import hourly_prices_per_kwh
from models.data.timeindex import model_year_index
from models.errors import InputError
from models.inputs.aggregate import typical_days
from models.inputs.finance import capital_recovery_factor
from models.inputs.heat import fixed_fuels, heat_inputs, measure_inputs
from models.inputs.types import (
    CertificateInputs,
    CreditInputs,
    GreenPowerInputs,
    Inputs,
    PvArrayInputs,
    PvInputs,
    StorageInputs,
)
from models.scenario.schema import GreenPower, PvArray, Scenario

# The reference plant behind a 'solar' green-power profile: a typical fixed-tilt utility array.
_SOLAR_PPA_TILT_DEG = 20.0


def build_inputs(scenario: Scenario) -> Inputs:
    """Every series and coefficient the formulation reads, checked and aligned (on typical days
    when the scenario asks for them)."""
    inputs = _full_year(scenario)
    if scenario.time.aggregation == "typical_days":
        return typical_days(inputs, scenario.time.days)
    return inputs


def _full_year(scenario: Scenario) -> Inputs:
    hours = model_year_index(scenario.year, scenario.timezone)
    step_minutes = scenario.time.resolution_minutes
    index = hours if step_minutes == 60 else model_year_index(scenario.year, scenario.timezone, step_minutes)
    per_hour = len(index) // len(hours)
    notes: list[str] = []
    load_kw = scenario.load.scale * _load_kw(scenario, index, hours, notes)
    prices, periods = hourly_prices_per_kwh(scenario.grid.tariff, index)
    site_weather = _WeatherCache(scenario, hours, notes)
    notes.extend(_unused_weather_fields(scenario))
    rate = scenario.finance.discount_rate
    fuels = fixed_fuels(scenario)  # the boiler's fuel is in `heat`: the model decides how much it burns
    scope1_t = sum(f.annual_mwh * f.emission_factor_t_per_mwh for f in fuels)
    grid_factor_t_per_kwh = scenario.grid.emission_factor_kg_per_kwh / 1000.0

    pv = None
    if scenario.pv is not None:
        arrays = tuple(
            PvArrayInputs(name=a.name, limit_kw=a.limit_kw, fixed_cost=a.fixed_cost,
                          yield_kwh_per_kwp=_spread(_array_yield(a, scenario, site_weather, notes), per_hour))
            for a in scenario.pv.arrays
        )
        pv = PvInputs(capex_per_kw=scenario.pv.capex_per_kw, fixed_om_per_kw_year=scenario.pv.fixed_om_per_kw_year,
                      crf=capital_recovery_factor(rate, scenario.pv.lifetime_years), arrays=arrays,
                      lifetime_years=scenario.pv.lifetime_years)
    storage = None
    if (s := scenario.storage) is not None:
        storage = StorageInputs(
            capex_per_kwh=s.capex_per_kwh, capex_per_kw=s.capex_per_kw, fixed_om_per_kw_year=s.fixed_om_per_kw_year,
            crf=capital_recovery_factor(rate, s.lifetime_years), charge_efficiency=s.charge_efficiency,
            discharge_efficiency=s.discharge_efficiency, soc_min=s.soc_min, soc_max=s.soc_max,
            max_kwh=s.max_kwh, max_kw=s.max_kw, unit_kwh=s.unit_kwh, unit_kw=s.unit_kw, fixed_cost=s.fixed_cost,
            lifetime_years=s.lifetime_years,
        )
    green = None
    if (g := scenario.green_power) is not None:
        share = _spread(_green_profile(g, scenario, site_weather, notes), per_hour)
        max_mwh = g.max_mwh if g.max_mwh is not None else float(load_kw.sum()) / per_hour / 1000.0
        green = GreenPowerInputs(price_per_kwh=g.price_per_kwh, max_mwh=max_mwh, min_mwh=g.min_mwh,
                                 profile_share=share, resale_price_per_kwh=g.resale_price_per_kwh)
    certificates = None
    if (c := scenario.certificates) is not None:
        certificates = CertificateInputs(price_per_mwh=c.price_per_mwh, max_mwh=c.max_mwh)
    credits = None
    if scenario.carbon_credits is not None:
        credits = CreditInputs(price_per_t=scenario.carbon_credits.price_per_t,
                               max_offset_share=scenario.targets.max_offset_share)
    heat = heat_inputs(scenario, index, load_kw, notes)
    measures = measure_inputs(scenario, index, load_kw, heat, notes)
    targets = scenario.targets
    max_net_t = 0.0 if targets.net_zero else targets.max_emissions_t
    return Inputs(
        name=scenario.name, index=index, step_h=step_minutes / 60, load_kw=load_kw, price_per_kwh=prices,
        period=periods,
        grid_factor_t_per_kwh=grid_factor_t_per_kwh,
        residual_factor_t_per_kwh=(None if (residual := scenario.grid.residual_emission_factor_kg_per_kwh) is None
                                   else residual / 1000.0),
        base_emissions_t=targets.base_emissions_t,
        demand_charge_per_kw_month=scenario.grid.tariff.demand_charge_per_kw_month,
        export_allowed=scenario.grid.export.allowed,
        export_price_per_kwh=scenario.grid.export.price_per_kwh,
        scope1_t=scope1_t, fuel_cost=sum(f.annual_mwh * f.price_per_mwh for f in fuels),
        pv=pv, storage=storage, green_power=green, certificates=certificates, credits=credits, heat=heat,
        measures=measures,
        max_net_t=max_net_t, discount_rate=rate, time_limit_s=scenario.solver.time_limit_s,
        mip_gap=scenario.solver.mip_gap, currency=scenario.currency, notes=tuple(notes),
    )


def _spread(hourly: np.ndarray, per_hour: int, energy: bool = True) -> np.ndarray:
    """An hourly series on steps of 1/per_hour h: an energy is split evenly, a power repeated."""
    if per_hour == 1:
        return hourly
    return np.repeat(hourly / per_hour if energy else hourly, per_hour)


def _load_kw(scenario: Scenario, index: pd.DatetimeIndex, hours: pd.DatetimeIndex, notes: list[str]) -> np.ndarray:
    """Load on the model's steps: metered at its own resolution (averaged to the step when finer;
    hourly data repeated over shorter steps, with a note), or synthetic by the hour."""
    load = scenario.load
    per_hour = len(index) // len(hours)
    if load.synthetic is not None:
        return _spread(synthetic_automotive_load_kw(hours, **load.synthetic.model_dump()), per_hour, energy=False)

    def read(on: pd.DatetimeIndex) -> np.ndarray:
        kw, found = read_load_csv(load.file, load.column, on, load.timestamp_column, scenario.timezone)
        notes.extend(found)
        return kw

    try:
        return read(index)
    except InputError as exc:
        if per_hour == 1 or not any(COARSER in p for p in exc.problems):
            raise
    kw = _spread(read(hours), per_hour, energy=False)
    notes.append(f"load.file: hourly values repeated over the {60 // per_hour}-minute steps; demand "
                 "charges then see hourly peaks, not the meter's")
    return kw


_SYNTHETIC_ONLY = ("seed", "clear_sky_index", "temp_air_mean_c", "temp_air_annual_amplitude_c",
                   "temp_air_daily_amplitude_c", "wind_speed_m_per_s")


def _unused_weather_fields(scenario: Scenario) -> list[str]:
    """Synthetic-weather settings given (here or through extends) while a weather file is used."""
    w = scenario.weather
    unused = [f for f in _SYNTHETIC_ONLY if f in w.model_fields_set] if w.source == "file" else []
    verb = "is" if len(unused) == 1 else "are"
    return [f"weather: {', '.join(unused)} {verb} for the synthetic year and not used with source: file "
            f"({Path(w.file).name} gives the weather)"] if unused else []


class _WeatherCache:
    """The site's weather, read or generated once however many arrays use it. The default
    synthetic year (no clear_sky_index) adds a note saying what it was calibrated on."""

    def __init__(self, scenario: Scenario, index: pd.DatetimeIndex, notes: list[str]):
        self.scenario, self.index, self.notes = scenario, index, notes

    @cached_property
    def key(self) -> tuple:
        """What decides the weather year: the weather and site sections (a file by its size and time), the steps."""
        w = self.scenario.weather
        stat = Path(w.file).stat() if w.source == "file" else None
        return (w.model_dump_json(), self.scenario.site.model_dump_json(), stat and (stat.st_size, stat.st_mtime_ns),
                str(self.index[0]), len(self.index), str(self.index.tz))

    @cached_property
    def frame(self) -> pd.DataFrame:
        frame, note = _recalled(("weather", *self.key), self._made)
        if note:
            self.notes.append(note)
        return frame

    def _made(self) -> tuple[pd.DataFrame, str | None]:
        w, s = self.scenario.weather, self.scenario.site
        if w.source == "file":
            return weather.read_weather_file(Path(w.file), self.index), None
        air = {"temp_air_mean_c": w.temp_air_mean_c, "temp_air_annual_amplitude_c": w.temp_air_annual_amplitude_c,
               "temp_air_daily_amplitude_c": w.temp_air_daily_amplitude_c,
               "wind_speed_m_per_s": w.wind_speed_m_per_s}
        if w.clear_sky_index is None:
            default = climate.default_synthetic_weather(self.index, s.latitude, s.longitude, s.altitude_m, w.seed,
                                                        **air)
            return default.frame, default.note
        return weather.synthetic_weather(self.index, s.latitude, s.longitude, s.altitude_m, w.seed,
                                         w.clear_sky_index, **air), None


# The last weather years and PV yields computed, by what decides them: a roadmap's model years and a
# sweep's points mostly share one site, and pvlib's yield of a year is the slowest step of assembly.
_RECENT: OrderedDict[tuple, Any] = OrderedDict()
_KEEP = 16


def _recalled(key: tuple, make: Callable[[], Any]) -> Any:
    """What `make` gives, remembered for `key` among the last few."""
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    value = _RECENT[key] = make()
    while len(_RECENT) > _KEEP:
        _RECENT.popitem(last=False)
    return value


def _array_yield(array: PvArray, scenario: Scenario, site_weather: _WeatherCache,
                 notes: list[str]) -> np.ndarray:
    if array.production_file is not None:
        return solar.read_production_file(array.production_file, len(site_weather.index), notes)
    site = scenario.site

    def made() -> np.ndarray:
        return solar.pv_yield_kwh_per_kwp(
            site_weather.frame, site.latitude, site.longitude, site.altitude_m, array.tilt_deg,
            array.azimuth_deg, array.gamma_pdc_per_c, array.system_losses_pct, array.dc_ac_ratio,
            array.inverter_efficiency, array.temperature_model,
        )

    site_weather.frame  # noqa: B018 -- its note, if any, even when the yield is recalled
    return _recalled(("yield", *site_weather.key, array.model_dump_json(exclude={"name"})), made).copy()


def _green_profile(g: GreenPower, scenario: Scenario, site_weather: _WeatherCache,
                   notes: list[str]) -> np.ndarray:
    n = len(site_weather.index)
    if g.profile == "flat":
        shape = np.ones(n)
    elif g.profile == "solar":
        site = scenario.site
        shape = solar.pv_yield_kwh_per_kwp(site_weather.frame, site.latitude, site.longitude,
                                           site.altitude_m, _SOLAR_PPA_TILT_DEG, 180.0)
    else:
        shape = read_single_column(Path(g.profile), "green_power.profile", n, "relative", notes=notes)
    total = float(shape.sum())
    if total <= 0:
        raise InputError(f"green_power.profile {g.profile!r}: the shape sums to {total}; "
                         "it must deliver something")
    return shape / total
