"""The scenario file's schema: every field with its unit in the name, one default and a description.

The same classes validate scenario files, print `zcf schema` and generate the README's scenario
reference, so the three never drift. Paths are resolved by `models.scenario.loading` before
validation; here they only have to exist.

Validation is strict: a number must be a number (not `yes`, not "12"), no NaN or infinity, and a
field that would be ignored because of another one is an error, not a silent no-op.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)


def _must_exist(path: Path) -> Path:
    if not path.is_file():
        raise ValueError(f"file not found: {path}")
    return path


def _date_or_text(value: object) -> object:
    if not isinstance(value, str | date):
        raise ValueError(f"got {value!r}; give a date as YYYY-MM-DD")
    return value


def _two_hours(value: object) -> object:
    if isinstance(value, list | tuple) and len(value) != 2:
        raise ValueError(f"got {list(value)!r}; give two hours [start, end), e.g. [8, 12]")
    return value


ExistingFile = Annotated[Path, Strict(False), AfterValidator(_must_exist)]  # text from YAML becomes a Path
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Hour = Annotated[int, Strict(), Field(ge=0, le=24)]
Seed = Annotated[int, Field(ge=0)]


class Section(BaseModel):
    """A block of the scenario file: unknown keys are errors, not silently ignored.

    Strict types: YAML already gives numbers, booleans and lists their own types, so a quoted
    number or `yes` for a number is a mistake to report, not a value to convert.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


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
        "values (0–1); default calibrated on pvlib's bundled Greensboro TMY3 year.",
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
    annual_mwh: NonNegative = Field(description="Fuel burnt in a year (MWh, lower heating value).")
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
    price_per_kwh: NonNegative = Field(0.0, description="Price paid for exported PV (currency/kWh).")


class Grid(Section):
    emission_factor_kg_per_kwh: float = Field(
        0.5703, ge=0, le=2, description="Grid emission factor (kgCO2e/kWh); MEE 2023–2025 ETS value."
    )
    tariff: Tariff = Field(description="Time-of-use energy prices and demand charge.")
    export: Export = Field(default_factory=Export, description="Export of surplus PV.")


class PvArray(Section):
    name: str = Field(min_length=1, description="Roof or array name, unique.")
    max_kw: NonNegative | None = Field(None, description="Largest array that fits (kWp, DC).")
    area_m2: NonNegative | None = Field(None, description="Usable roof area (m²); limit = area × density.")
    power_density_w_per_m2: float = Field(
        95.0, gt=0, le=300, description="Installed DC power per m² of roof (W/m²); plants show 86–106."
    )
    tilt_deg: float = Field(10.0, ge=0, le=90, description="Module tilt from horizontal (deg).")
    azimuth_deg: float = Field(180.0, ge=0, lt=360, description="Module azimuth, 180 = south (deg).")
    fixed_cost: NonNegative = Field(
        0.0, description="One-off cost paid only if the array is built (currency), e.g. roof works."
    )
    production_file: ExistingFile | None = Field(
        None, description="CSV (header, one column) of 8760 kWh/kWp values used instead of pvlib."
    )
    gamma_pdc_per_c: float = Field(-0.0035, ge=-0.01, le=0, description="Power temperature coefficient (1/°C).")
    system_losses_pct: float = Field(14.08, ge=0, lt=100, description="DC system losses (%), PVWatts default.")
    dc_ac_ratio: float = Field(1.2, gt=0.5, le=2.5, description="DC nameplate over inverter AC rating.")
    inverter_efficiency: float = Field(0.96, gt=0.5, le=1, description="Nominal inverter efficiency.")
    temperature_model: Literal[
        "open_rack_glass_glass", "close_mount_glass_glass",
        "open_rack_glass_polymer", "insulated_back_glass_polymer",
    ] = Field("close_mount_glass_glass", description="pvlib SAPM cell-temperature parameters.")

    @model_validator(mode="after")
    def _bounded(self) -> PvArray:
        if self.max_kw is None and self.area_m2 is None:
            raise ValueError("give max_kw or area_m2: an array needs a size limit")
        return self

    @property
    def limit_kw(self) -> float:
        """The tighter of max_kw and area × power density."""
        limits = [self.max_kw] if self.max_kw is not None else []
        if self.area_m2 is not None:
            limits.append(self.area_m2 * self.power_density_w_per_m2 / 1000.0)
        return min(limits)


class Pv(Section):
    capex_per_kw: NonNegative = Field(description="Installed cost (currency/kWp).")
    fixed_om_per_kw_year: NonNegative = Field(0.0, description="Fixed O&M (currency/kWp·year).")
    lifetime_years: int = Field(25, ge=1, le=60, description="Economic lifetime (years).")
    arrays: list[PvArray] = Field(min_length=1, description="Roofs or arrays that may carry PV.")

    @model_validator(mode="after")
    def _unique_names(self) -> Pv:
        names = [a.name for a in self.arrays]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"array names must be unique; repeated: {dupes}")
        return self


class Storage(Section):
    capex_per_kwh: NonNegative = Field(0.0, description="Cost of energy capacity (currency/kWh).")
    capex_per_kw: NonNegative = Field(0.0, description="Cost of power capacity (currency/kW).")
    fixed_om_per_kw_year: NonNegative = Field(0.0, description="Fixed O&M (currency/kW·year).")
    lifetime_years: int = Field(12, ge=1, le=40, description="Economic lifetime (years).")
    charge_efficiency: float = Field(0.95, gt=0, le=1, description="Share of charged energy stored.")
    discharge_efficiency: float = Field(0.95, gt=0, le=1, description="Share of stored energy delivered.")
    soc_min: Share = Field(0.0, description="Lowest state of charge, share of energy capacity.")
    soc_max: Share = Field(1.0, description="Highest state of charge, share of energy capacity.")
    max_kwh: NonNegative | None = Field(None, description="Largest energy capacity (kWh).")
    max_kw: NonNegative | None = Field(None, description="Largest power capacity (kW).")
    unit_kwh: float | None = Field(None, gt=0, description="If set, energy is built in blocks of this size (kWh).")
    unit_kw: float | None = Field(None, gt=0, description="If set, power is built in blocks of this size (kW).")
    fixed_cost: NonNegative = Field(0.0, description="One-off cost paid only if a battery is built (currency).")

    @model_validator(mode="after")
    def _consistent(self) -> Storage:
        problems = []
        if self.soc_min >= self.soc_max:
            problems.append(f"soc_min {self.soc_min} must be below soc_max {self.soc_max}")
        for flag, what in ((self.fixed_cost > 0, "fixed_cost"), (self.unit_kwh, "unit_kwh"),
                           (self.unit_kw, "unit_kw")):
            if flag and (self.max_kwh is None or self.max_kw is None):
                problems.append(f"{what} needs max_kwh and max_kw (they bound the build decision)")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class GreenPower(Section):
    price_per_kwh: NonNegative = Field(description="Delivered price of green power (currency/kWh).")
    max_mwh: NonNegative | None = Field(
        None, description="Largest yearly volume (MWh); default: the plant's annual consumption."
    )
    min_mwh: NonNegative = Field(0.0, description="If bought at all, at least this volume (MWh).")
    profile: str = Field(
        "flat", description="Delivery shape: 'flat', 'solar' (a south-facing PV plant at the site), "
        "or a CSV path of 8760 relative values.",
    )

    @field_validator("profile")
    @classmethod
    def _profile_word_or_file(cls, profile: str) -> str:
        if profile in ("flat", "solar") or Path(profile).is_file():
            return profile
        close = difflib.get_close_matches(Path(profile).name, ["flat", "solar"], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{profile!r} is neither 'flat', 'solar' nor an existing CSV file{hint}")

    @model_validator(mode="after")
    def _min_below_max(self) -> GreenPower:
        if self.max_mwh is not None and self.min_mwh > self.max_mwh:
            raise ValueError(f"min_mwh {self.min_mwh} exceeds max_mwh {self.max_mwh}")
        return self


class Certificates(Section):
    price_per_mwh: NonNegative = Field(description="Price of one green certificate (GEC, 1 MWh).")
    max_mwh: NonNegative | None = Field(None, description="Most certificates that can be bought (MWh).")


class CarbonCredits(Section):
    price_per_t: NonNegative = Field(description="Price of a retired credit (currency/tCO2e).")


class Targets(Section):
    net_zero: bool = Field(True, description="Require net emissions ≤ 0.")
    max_emissions_t: float | None = Field(
        None, description="Cap on net emissions (tCO2e/year), used when net_zero is false."
    )
    max_offset_share: Share = Field(
        1.0, description="Credits may cover at most this share of business-as-usual emissions."
    )

    @model_validator(mode="after")
    def _one_target(self) -> Targets:
        if self.net_zero and self.max_emissions_t is not None:
            raise ValueError(f"max_emissions_t {self.max_emissions_t:g} would be ignored: net_zero is "
                             "true (the default); set net_zero: false to use the cap, or remove it")
        return self


class Finance(Section):
    discount_rate: float = Field(0.06, ge=0, le=0.5, description="Real discount rate for annuities.")


class Time(Section):
    resolution_minutes: Literal[5, 10, 15, 20, 30, 60] = Field(
        60, description="Length of a model step (min); below 60, demand charges apply to peaks over that "
        "step, as meters measure them. Hourly data (weather, PV and green-power profiles) is spread "
        "evenly over the steps of each hour.",
    )
    aggregation: Literal["none", "typical_days"] = Field(
        "none", description="'typical_days': solve on a few typical days (tsam clustering) instead of "
        "every day of the year; faster, approximate; storage stays consistent across the year.",
    )
    days: int | None = Field(
        None, ge=1, le=100, description="Number of typical days when aggregation is typical_days; the "
        "day with the peak load is added to them.",
    )

    @model_validator(mode="after")
    def _days_with_aggregation(self) -> Time:
        if self.aggregation == "typical_days" and self.days is None:
            raise ValueError("aggregation 'typical_days' needs days, the number of typical days (e.g. 12)")
        if self.aggregation == "none" and self.days is not None:
            raise ValueError(f"days {self.days} is only used with aggregation: typical_days")
        return self


class Solver(Section):
    time_limit_s: float = Field(600.0, gt=0, description="HiGHS time limit (s).")
    mip_gap: float = Field(1e-4, ge=0, le=1, description="Relative MIP gap at which HiGHS stops.")


class Scenario(Section):
    """One factory, one year, the options it has and the target it must meet."""

    name: str = Field(min_length=1, description="Scenario name, shown in results.")
    description: str = Field("", description="Free text shown in results.")
    currency: str = Field("CNY", min_length=1, description="Currency of every price and cost, for labels.")
    year: int = Field(2025, ge=1990, le=2100, description="Model year (hourly, 8760 h).")
    timezone: str = Field("Asia/Shanghai", description="IANA time zone; the model runs in its standard time.")
    site: Site = Field(description="Where the plant stands.")
    weather: Weather = Field(default_factory=Weather, description="Where irradiance comes from.")
    load: Load = Field(description="The plant's electricity demand.")
    fuels: list[Fuel] = Field(default_factory=list, description="Fuels burnt on site (scope 1).")
    grid: Grid = Field(description="Grid supply: emission factor, tariff, export.")
    pv: Pv | None = Field(None, description="Rooftop PV; left out: no PV can be built.")
    storage: Storage | None = Field(None, description="Battery; left out: no battery can be built.")
    green_power: GreenPower | None = Field(None, description="Green power purchase (PPA, 绿电).")
    certificates: Certificates | None = Field(None, description="Green certificates (GEC, 绿证).")
    carbon_credits: CarbonCredits | None = Field(None, description="Carbon credits (CCER, allowances).")
    targets: Targets = Field(default_factory=Targets, description="The emissions target.")
    finance: Finance = Field(default_factory=Finance, description="Annuity of investments.")
    time: Time = Field(default_factory=Time, description="Time steps of the model year.")
    solver: Solver = Field(default_factory=Solver, description="HiGHS settings.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not a known IANA time zone (for example 'Asia/Shanghai', "
                             "'Europe/Berlin')") from None
        return name
