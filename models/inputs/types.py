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
    def bau_emissions_t(self) -> float:
        """Net emissions with no measure taken: scope 1 + every kWh from the grid, market-based."""
        return self.scope1_t + self.load_kwh * self.market_factor_t_per_kwh

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
            notes=(),
        )
