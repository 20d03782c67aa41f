"""Everything the optimizer needs, as plain arrays on one time index, in model units.

`Inputs` is what the formulation reads: it never opens a file. Tests and sweeps may build it
directly; `build_inputs` assembles it from a validated `Scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd


@dataclass(frozen=True, kw_only=True)
class PvArrayInputs:
    name: str
    limit_kw: float
    fixed_cost: float
    yield_kwh_per_kwp: np.ndarray  # energy per kWp in each step


@dataclass(frozen=True, kw_only=True)
class PvInputs:
    capex_per_kw: float
    fixed_om_per_kw_year: float
    crf: float
    arrays: tuple[PvArrayInputs, ...]
    lifetime_years: int | None = None  # years an array stands once built (a roadmap needs it; crf holds it too)


@dataclass(frozen=True, kw_only=True)
class StorageInputs:
    capex_per_kwh: float
    capex_per_kw: float
    fixed_om_per_kw_year: float
    crf: float
    charge_efficiency: float
    discharge_efficiency: float
    soc_min: float
    soc_max: float
    max_kwh: float | None = None
    max_kw: float | None = None
    unit_kwh: float | None = None
    unit_kw: float | None = None
    fixed_cost: float = 0.0
    lifetime_years: int | None = None  # years a battery stands once built (a roadmap needs it; crf holds it too)


@dataclass(frozen=True, kw_only=True)
class GreenPowerInputs:
    price_per_kwh: float
    max_mwh: float
    min_mwh: float
    profile_share: np.ndarray  # share of the yearly volume delivered in each step; sums to 1
    resale_price_per_kwh: float = 0.0  # what a delivered kWh the plant cannot take earns


@dataclass(frozen=True, kw_only=True)
class CertificateInputs:
    price_per_mwh: float
    max_mwh: float | None = None


@dataclass(frozen=True, kw_only=True)
class CreditInputs:
    price_per_t: float
    max_offset_share: float  # credits cover at most this share of the base (Inputs.offset_base_t)


@dataclass(frozen=True, kw_only=True)
class HeatDemandInputs:
    """Heat one process needs, at its temperature, now met by the boiler."""

    name: str
    temperature_c: float
    heat_kw: np.ndarray  # heat needed in each step (kW of heat)


@dataclass(frozen=True, kw_only=True)
class HeatPumpInputs:
    capex_per_kw_th: float
    fixed_om_per_kw_th_year: float
    crf: float
    max_temperature_c: float
    cop: dict[str, float]  # COP when serving each demand it can reach (at or below max_temperature_c)
    cop_storage: float | None = None  # COP when charging the thermal store; None: it cannot (store too hot)
    max_kw_th: float | None = None
    lifetime_years: int | None = None


@dataclass(frozen=True, kw_only=True)
class ElectricHeaterInputs:
    capex_per_kw_th: float
    fixed_om_per_kw_th_year: float
    crf: float
    efficiency: float
    max_kw_th: float | None = None
    lifetime_years: int | None = None


@dataclass(frozen=True, kw_only=True)
class ThermalStorageInputs:
    capex_per_kwh_th: float
    fixed_om_per_kwh_th_year: float
    crf: float
    loss_share_per_hour: float
    max_temperature_c: float
    max_kwh_th: float | None = None
    lifetime_years: int | None = None


@dataclass(frozen=True, kw_only=True)
class HeatInputs:
    """The plant's heat: demands by temperature, the boiler that meets them today and what may replace it."""

    demands: tuple[HeatDemandInputs, ...]
    boiler_efficiency: float
    fuel_name: str
    fuel_price_per_mwh: float  # of the boiler's fuel (lower heating value)
    fuel_factor_t_per_mwh: float
    heat_pump: HeatPumpInputs | None = None
    electric_heater: ElectricHeaterInputs | None = None
    thermal_storage: ThermalStorageInputs | None = None


@dataclass(frozen=True, kw_only=True)
class MeasureInputs:
    """An efficiency measure, taken whole or not at all: what it saves in each step, what it costs."""

    name: str
    capex: float
    crf: float
    lifetime_years: int | None = None
    electricity_saved_kw: np.ndarray | None = None  # load it removes in each step (kW)
    heat_saved_kw: dict[str, np.ndarray] = field(default_factory=dict)  # heat demand -> heat it removes (kW)
    fuel_saved_mwh: dict[str, float] = field(default_factory=dict)  # fixed fuel -> MWh a year it saves
    fuel_saved_cost: float = 0.0  # what those fuels cost (currency/yr)
    fuel_saved_t: float = 0.0  # what those fuels emit (tCO2e/yr)


@dataclass(frozen=True, kw_only=True)
class TypicalDays:
    """A year represented by a few typical days: the model's steps are those days, in order.

    `order[k]` is the typical day that stands for day k of the year; a typical day's steps weigh
    as many days as it stands for. Storage links the days of the year in their real order.
    """

    order: np.ndarray  # one typical day (0..N-1) per day of the year
    steps_per_day: int
    year_index: pd.DatetimeIndex  # every step of the year, for results laid out on the calendar

    @property
    def count(self) -> int:
        return int(self.order.max()) + 1

    @property
    def days_represented(self) -> np.ndarray:
        """How many days of the year each typical day stands for."""
        return np.bincount(self.order, minlength=self.count).astype(float)

    @property
    def day_months(self) -> np.ndarray:
        """Calendar month (1-12) of each day of the year."""
        return np.asarray(self.year_index.month[:: self.steps_per_day])


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """One scenario's data on `index` (length T, steps of `step_h` hours)."""

    name: str
    index: pd.DatetimeIndex
    load_kw: np.ndarray
    price_per_kwh: np.ndarray
    period: np.ndarray
    grid_factor_t_per_kwh: float  # grid average: location-based scope 2
    residual_factor_t_per_kwh: float | None = None  # uncovered grid electricity, market-based; None: the average
    base_emissions_t: float | None = None  # the inventory the offset share refers to; None: business as usual
    demand_charge_per_kw_month: float = 0.0
    export_allowed: bool = False
    export_price_per_kwh: float = 0.0
    scope1_t: float = 0.0
    fuel_cost: float = 0.0
    pv: PvInputs | None = None
    storage: StorageInputs | None = None
    green_power: GreenPowerInputs | None = None
    certificates: CertificateInputs | None = None
    credits: CreditInputs | None = None
    max_net_t: float | None = None  # net emissions must not exceed this; None: no target
    discount_rate: float = 0.0  # real, per year: a roadmap's present values (the crf of each asset holds it too)
    heat: HeatInputs | None = None  # heat demands and their supply; None: no heat modelled (fuels fixed)
    measures: tuple[MeasureInputs, ...] = ()  # efficiency measures the plan may take
    step_h: float = 1.0
    currency: str = "CNY"
    time_limit_s: float = 600.0
    mip_gap: float = 1e-4
    notes: tuple[str, ...] = field(default=())
    typical_days: TypicalDays | None = None  # None: the steps are the whole year, in order

    @property
    def weight_days(self) -> np.ndarray:
        """Days of the year each step stands for: 1 for a full year, more for typical days."""
        if self.typical_days is None:
            return np.ones(len(self.load_kw))
        return np.repeat(self.typical_days.days_represented, self.typical_days.steps_per_day)

    def on_calendar(self, values: np.ndarray) -> np.ndarray:
        """A per-step series laid out on every step of the year (typical days repeated)."""
        td = self.typical_days
        if td is None:
            return np.asarray(values)
        by_day = np.asarray(values).reshape(td.count, td.steps_per_day, *np.shape(values)[1:])
        return by_day[td.order].reshape(len(td.order) * td.steps_per_day, *np.shape(values)[1:])

    @property
    def calendar_index(self) -> pd.DatetimeIndex:
        """Every step of the year (the model's own index when it is not aggregated)."""
        return self.index if self.typical_days is None else self.typical_days.year_index

    @property
    def month(self) -> np.ndarray:
        """Calendar month (1-12) of each step, for monthly demand charges."""
        return np.asarray(self.index.month)

    @property
    def load_kwh(self) -> float:
        return float((self.weight_days * self.load_kw).sum() * self.step_h)

    @property
    def market_factor_t_per_kwh(self) -> float:
        """Factor of grid electricity no certificate or green power covers (market-based scope 2)."""
        return self.grid_factor_t_per_kwh if self.residual_factor_t_per_kwh is None else self.residual_factor_t_per_kwh

    @property
    def bau_boiler_fuel_mwh(self) -> float:
        """Fuel the boiler burns a year when it meets every heat demand (0 without heat)."""
        if self.heat is None:
            return 0.0
        heat_kwh = sum(float((self.weight_days * d.heat_kw).sum()) for d in self.heat.demands) * self.step_h
        return heat_kwh / 1000.0 / self.heat.boiler_efficiency

    @property
    def bau_scope1_t(self) -> float:
        """Scope 1 with no measure taken: the fixed fuels and the boiler meeting every heat demand."""
        boiler_t = self.heat.fuel_factor_t_per_mwh * self.bau_boiler_fuel_mwh if self.heat else 0.0
        return self.scope1_t + boiler_t

    @property
    def bau_emissions_t(self) -> float:
        """Net emissions with no measure taken: scope 1 + every kWh from the grid, market-based."""
        return self.bau_scope1_t + self.load_kwh * self.market_factor_t_per_kwh

    @property
    def offset_base_t(self) -> float:
        """The emissions the offset share refers to: the given base inventory, else business as usual."""
        return self.bau_emissions_t if self.base_emissions_t is None else self.base_emissions_t

    def without_target(self) -> Inputs:
        """The same plant with a cap on net emissions no plan reaches, so the target row stays and a
        model of these inputs re-solves in place: the least-cost plan without a target."""
        if self.max_net_t is None:
            return self
        return replace(self, max_net_t=10 * (self.bau_emissions_t + abs(self.max_net_t)) + 1.0)

    def business_as_usual(self) -> Inputs:
        """The same plant buying everything from the grid: no PV, battery, purchases, export or target.

        Every other field (tariff, fuels, step, solver settings, typical days, ...) is kept as it is,
        so a field added later is carried over unless it is switched off here on purpose."""
        return replace(
            self, name=f"{self.name} (business as usual)", pv=None, storage=None, green_power=None,
            certificates=None, credits=None, max_net_t=None, export_allowed=False, export_price_per_kwh=0.0,
            notes=(), measures=(), heat=self.heat and replace(self.heat, heat_pump=None, electric_heater=None,
                                                              thermal_storage=None),
        )
