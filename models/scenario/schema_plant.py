"""The plant as it stands: site, weather, load, fuels and the grid with its tariff.

Part of the scenario schema; `models.scenario.schema` re-exports every name.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import numpy as np
from pydantic import BeforeValidator, Field, Strict, model_validator

from models.scenario.schema_base import ExistingFile, Hour, NonNegative, Section, Seed, Share


def _date_or_text(value: object) -> object:
    if not isinstance(value, str | date):
        raise ValueError(f"got {value!r}; give a date as YYYY-MM-DD")
    return value


def _two_hours(value: object) -> object:
    if isinstance(value, list | tuple) and len(value) != 2:
        raise ValueError(f"got {list(value)!r}; give two hours [start, end), e.g. [8, 12]")
    return value


class Site(Section):
    latitude: float = Field(ge=-90, le=90, description="Latitude in degrees north (deg).")
    longitude: float = Field(ge=-180, le=180, description="Longitude in degrees east (deg).")
    altitude_m: float = Field(0.0, ge=-500, le=9000, description="Altitude above sea level (m).")


class Weather(Section):
    source: Literal["synthetic", "file"] = Field(
        "synthetic",
        description="'synthetic': a seeded year from pvlib's clear-sky model and a cloudiness "
        "model (offline, any site); 'file': an EPW, TMY3 or PVGIS TMY file.",
    )
    file: ExistingFile | None = Field(None, description="Weather file when source is 'file'.")
    seed: Seed = Field(0, description="Seed of the synthetic cloudiness model.")
    clear_sky_index: float | list[float] | None = Field(
        None,
        description="Mean ratio of actual to clear-sky irradiance, one value or 12 monthly "
        "values (0–1). Default: within 600 km of a reference city in China, 12 monthly values "
        "calibrated on that city's published irradiation (docs/weather.md); elsewhere 0.77, "
        "uncalibrated (measured on pvlib's Greensboro, USA TMY3 year); a note says which.",
    )
    temp_air_mean_c: float = Field(20.0, ge=-40, le=45, description="Annual mean air temperature (°C).")
    temp_air_annual_amplitude_c: float = Field(
        8.0, ge=0, le=40, description="Half the summer-winter swing of daily mean temperature (°C)."
    )
    temp_air_daily_amplitude_c: float = Field(
        4.0, ge=0, le=20, description="Half the day-night swing of air temperature (°C)."
    )
    wind_speed_m_per_s: float = Field(2.0, ge=0, le=40, description="Wind speed at module height (m/s).")

    @model_validator(mode="after")
    def _file_when_needed(self) -> Weather:
        if self.source == "file" and self.file is None:
            raise ValueError("source 'file' needs weather.file (EPW, TMY3 or PVGIS TMY)")
        if self.source == "synthetic" and self.file is not None:
            raise ValueError(f"file {str(self.file)!r} is given but source is 'synthetic', which would "
                             "ignore it; set source: file, or remove file (file: null)")
        csi = self.clear_sky_index
        if isinstance(csi, list) and len(csi) != 12:
            raise ValueError(f"clear_sky_index list has {len(csi)} values; give one or 12 (Jan–Dec)")
        values = csi if isinstance(csi, list) else [] if csi is None else [csi]
        if any(not 0 < v <= 1 for v in values):
            raise ValueError(f"clear_sky_index values must lie in (0, 1]; got {csi}")
        return self


class SyntheticLoad(Section):
    annual_mwh: float = Field(gt=0, description="Annual electricity consumption (MWh).")
    shift_start_hour: int = Field(6, ge=0, le=23, description="First hour of the first shift (h).")
    shift_end_hour: int = Field(24, ge=1, le=24, description="Hour the last shift ends (h, 24 = midnight).")
    night_share: Share = Field(0.35, description="Load outside shifts as a share of production load.")
    weekend_share: Share = Field(0.30, description="Weekend load as a share of production load.")
    shutdown_share: Share = Field(0.20, description="Load during the Spring Festival shutdown (share).")
    spring_festival_shutdown_days: int = Field(9, ge=0, le=30, description="Length of the shutdown (days).")
    spring_festival_date: Annotated[date, Strict(False), BeforeValidator(_date_or_text)] | None = Field(
        None, description="Lunar New Year date; built in for 2020–2035, needed outside that range."
    )
    paint_preheat_hours: int = Field(2, ge=0, le=6, description="Paint-oven preheat before the shift (h).")
    summer_cooling_share: Share = Field(0.10, description="Extra load from cooling at the height of summer.")
    noise_share: Share = Field(0.03, description="Standard deviation of the hourly noise (share).")
    seed: Seed = Field(0, description="Seed of the hourly noise.")


class Load(Section):
    file: ExistingFile | None = Field(None, description="CSV of kW values (hourly or finer), header row.")
    column: str | None = Field(None, description="Name of the kW column in the CSV.")
    timestamp_column: str | None = Field(None, description="Name of the timestamp column, if any.")
    synthetic: SyntheticLoad | None = Field(None, description="A synthetic automotive-plant profile.")
    scale: float = Field(1.0, gt=0, le=100, description="Multiplier on the load series (growth of the plant, "
                         "e.g. a roadmap path {2025: 1.0, 2030: 1.1}).")

    @model_validator(mode="after")
    def _one_source(self) -> Load:
        if (self.file is None) == (self.synthetic is None):
            raise ValueError("give either load.file (with load.column) or load.synthetic, not both")
        if self.file is not None and not self.column:
            raise ValueError("load.file needs load.column, the name of the kW column")
        if self.synthetic is not None:
            for unused in ("column", "timestamp_column"):
                if getattr(self, unused) is not None:
                    raise ValueError(f"{unused} {getattr(self, unused)!r} applies to load.file only; "
                                     "the synthetic profile would ignore it: remove it")
        return self


class Fuel(Section):
    name: str = Field(min_length=1, description="Fuel name, e.g. natural_gas.")
    annual_mwh: NonNegative | None = Field(
        None, description="Fuel burnt in a year (MWh, lower heating value), a fixed amount; required, except for "
        "the fuel heat.boiler.fuel names, whose use the model decides (it must not give one)."
    )
    emission_factor_t_per_mwh: NonNegative = Field(description="Scope 1 emission factor (tCO2e/MWh).")
    price_per_mwh: NonNegative = Field(0.0, description="Fuel price (currency/MWh); a fixed cost.")


class TouRule(Section):
    months: list[Annotated[int, Field(ge=1, le=12)]] | None = Field(
        None, min_length=1, description="Months the rule applies to (1–12); all months if left out."
    )
    hours: Annotated[tuple[Hour, Hour], Strict(False), BeforeValidator(_two_hours)] | None = Field(
        None, description="Hours [start, end) the rule covers; start > end wraps past midnight."
    )
    days: Literal["all", "weekday", "weekend"] = Field("all", description="Day types it applies to.")
    period: str = Field(description="Name of a period in prices_per_kwh.")

    @model_validator(mode="after")
    def _hours_not_empty(self) -> TouRule:
        if self.hours is not None and self.hours[0] == self.hours[1]:
            raise ValueError(f"hours {list(self.hours)} is empty; give [start, end) with start != end")
        if self.hours is not None and self.hours[0] == 24:
            raise ValueError(f"hours {list(self.hours)} starts at 24; a start hour is 0–23 (0 is midnight)")
        return self

    def cells(self) -> np.ndarray:
        """The (month, hour, weekday/weekend) cells the rule names, as a 12 × 24 × 2 mask."""
        mask = np.zeros((12, 24, 2), dtype=bool)
        months = [m - 1 for m in self.months] if self.months is not None else list(range(12))
        start, end = self.hours if self.hours is not None else (0, 24)
        hours = list(range(start, end)) if start < end else [*range(start, 24), *range(end)]
        days = {"all": [0, 1], "weekday": [0], "weekend": [1]}[self.days]
        mask[np.ix_(months, hours, days)] = True
        return mask


class Tariff(Section):
    prices_per_kwh: dict[str, NonNegative] = Field(
        description="Energy price of each period (currency/kWh), e.g. valley, flat, peak, critical."
    )
    schedule: list[TouRule] = Field(
        min_length=1, description="Rules mapping hours to periods; the first rule that matches wins."
    )
    demand_charge_per_kw_month: NonNegative = Field(
        0.0, description="Charge on each month's peak grid withdrawal (currency/kW·month)."
    )

    @model_validator(mode="after")
    def _periods_priced(self) -> Tariff:
        problems = []
        unknown = sorted({r.period for r in self.schedule} - set(self.prices_per_kwh))
        if unknown:
            problems.append(
                f"schedule uses periods {unknown} with no price; priced: {sorted(self.prices_per_kwh)}"
            )
        problems += schedule_problems(self.schedule)
        if problems:
            raise ValueError("\n".join(problems))
        return self


def schedule_problems(schedule: list[TouRule]) -> list[str]:
    """Rules that never apply (rules above them already cover every hour they name) and hours
    no rule covers, on the calendar of any year: every month has weekdays and weekends.

    A rule that never applies is an error: its period is never charged, which is never what
    was meant (most often a catch-all rule placed above narrower ones).
    """
    problems, open_cells = [], np.ones((12, 24, 2), dtype=bool)
    for i, rule in enumerate(schedule):
        cells = rule.cells()
        if not (cells & open_cells).any():
            above = ", ".join(f"schedule[{j}]" for j in range(i) if (schedule[j].cells() & cells).any())
            problems.append(f"schedule[{i}] (period {rule.period!r}) never applies: {above} above it "
                            "already cover every hour it names; move it above them or delete it")
        open_cells &= ~cells
    gaps: dict[tuple[str, str], list[int]] = {}  # (day types, hours) -> months
    for month in range(12):
        weekday, weekend = (_spans(open_cells[month, :, d]) for d in (0, 1))
        parts = [("", weekday)] if weekday == weekend else [(" on weekdays", weekday), (" on weekends", weekend)]
        for days, hours in parts:
            if hours:
                gaps.setdefault((days, hours), []).append(month + 1)
    return problems + [f"schedule: no rule covers {_months(months)}{days}, hours {hours}; add a rule for "
                       "them or a catch-all rule such as {period: flat} at the end"
                       for (days, hours), months in gaps.items()]


def _spans(hours: np.ndarray) -> str:
    """'[0, 8), [22, 24)' for the hours set in a 24-long mask, in the schedule's own notation."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], hours.astype(int), [0]])))
    return ", ".join(f"[{a}, {b})" for a, b in zip(edges[::2], edges[1::2], strict=True))


def _months(months: list[int]) -> str:
    if len(months) == 1:
        return f"month {months[0]}"
    runs, start = [], months[0]
    for prev, cur in zip(months, [*months[1:], None], strict=True):
        if cur is None or cur != prev + 1:
            runs.append(f"{start}–{prev}" if prev > start else str(start))
            start = cur
    return f"months {', '.join(runs)}"


class Export(Section):
    allowed: bool = Field(False, description="Whether surplus PV may be sold to the grid.")
    price_per_kwh: NonNegative = Field(
        0.0, description="Price paid for exported PV (currency/kWh), in every step whatever the import price; "
        "only PV the plant cannot use is sold.")


class Grid(Section):
    emission_factor_kg_per_kwh: float = Field(
        0.5703, ge=0, le=2, description="Grid average emission factor (kgCO2e/kWh): location-based scope 2 "
        "and business-as-usual; MEE 2023–2025 ETS value."
    )
    residual_emission_factor_kg_per_kwh: float | None = Field(
        None, ge=0, le=2, description="Factor of grid electricity not covered by certificates or green "
        "power, for market-based scope 2 (kgCO2e/kWh), e.g. China's national factor excluding "
        "market-traded non-fossil electricity; default: emission_factor_kg_per_kwh."
    )
    tariff: Tariff = Field(description="Time-of-use energy prices and demand charge.")
    export: Export = Field(default_factory=Export, description="Export of surplus PV.")
