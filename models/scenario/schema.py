"""The scenario file's schema: every field with its unit in the name, one default and a description.

The same classes validate scenario files, print `zcf schema` and generate the README's scenario
reference, so the three never drift. Paths are resolved by `models.scenario.loading` before
validation; here they only have to exist.

Validation is strict: a number must be a number (not `yes`, not "12"), no NaN or infinity, and a
field that would be ignored because of another one is an error, not a silent no-op.

The sections live in four modules: `schema_base` (the `Section` base and shared field types),
`schema_plant` (site, weather, load, fuels, grid and tariff), `schema_options` (PV, battery and
purchases) and `schema_heat` (process heat and efficiency measures). This module holds the target,
time and solver settings and the `Scenario` itself, with the checks across sections (the boiler's
fuel and the fuels' annual_mwh, measures and the demands they save on), and re-exports every
section so `from models.scenario.schema import X` works for all of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.data.zones import zone_problem
from models.scenario.schema_base import ExistingFile, Hour, NonNegative, Section, Seed, Share, raise_at
from models.scenario.schema_heat import (
    HEAT_PROFILE_WORDS,
    MAX_COP,
    MEASURE_PROFILE_WORDS,
    Boiler,
    ElectricHeater,
    Heat,
    HeatDemand,
    HeatPump,
    Measure,
    ThermalStorage,
    heat_problems,
)
from models.scenario.schema_options import CarbonCredits, Certificates, GreenPower, Pv, PvArray, Storage
from models.scenario.schema_plant import (
    Export,
    Fuel,
    Grid,
    Load,
    Site,
    SyntheticLoad,
    Tariff,
    TouRule,
    Weather,
    schedule_problems,
)
from models.scenario.schema_roadmap import Roadmap, YearTarget

__all__ = [
    "HEAT_PROFILE_WORDS", "MAX_COP", "MEASURE_PROFILE_WORDS", "Boiler", "CarbonCredits", "Certificates",
    "ElectricHeater", "ExistingFile", "Export", "Finance", "Fuel", "GreenPower", "Grid", "Heat", "HeatDemand",
    "HeatPump", "Hour", "Load", "Measure", "NonNegative", "Pv", "PvArray", "Roadmap", "Scenario", "Section", "Seed",
    "Share", "Site", "Solver", "Storage", "SyntheticLoad", "Targets", "Tariff", "ThermalStorage", "Time", "TouRule",
    "Weather", "YearTarget", "schedule_problems",
]


class Targets(Section):
    net_zero: bool = Field(True, description="Require net emissions ≤ 0.")
    max_emissions_t: float | None = Field(
        None, description="Cap on net emissions (tCO2e/year), used when net_zero is false."
    )
    max_offset_share: Share = Field(
        1.0, description="Credits may cover at most this share of base_emissions_t (or, without it, of the "
        "model year's business-as-usual emissions)."
    )
    base_emissions_t: float | None = Field(
        None, gt=0, description="The inventory the offset share refers to (tCO2e/year), usually the base "
        "year's scope 1 + 2; default: business-as-usual emissions of the model year."
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
    heat: Heat | None = Field(None, description="Process heat: demands, the boiler meeting them today and what may "
                              "replace it; left out: no heat modelled (every fuel burns its fixed annual_mwh).")
    grid: Grid = Field(description="Grid supply: emission factor, tariff, export.")
    pv: Pv | None = Field(None, description="Rooftop PV; left out: no PV can be built.")
    storage: Storage | None = Field(None, description="Battery; left out: no battery can be built.")
    green_power: GreenPower | None = Field(None, description="Green power purchase (PPA, 绿电).")
    certificates: Certificates | None = Field(None, description="Green certificates (GEC, 绿证).")
    carbon_credits: CarbonCredits | None = Field(None, description="Carbon credits (CCER, allowances).")
    measures: list[Measure] = Field(default_factory=list, description="Efficiency measures, each taken whole or "
                                    "not at all.")
    targets: Targets = Field(default_factory=Targets, description="The emissions target.")
    finance: Finance = Field(default_factory=Finance, description="Annuity of investments.")
    time: Time = Field(default_factory=Time, description="Time steps of the model year.")
    solver: Solver = Field(default_factory=Solver, description="HiGHS settings.")
    roadmap: Roadmap | None = Field(None, description="Model years from a base year to net zero, solved as one "
                                    "plan by `zcf roadmap`; left out: one model year.")

    @model_validator(mode="after")
    def _roadmap_targets(self) -> Scenario:
        written = [f for f in ("net_zero", "max_emissions_t") if f in self.targets.model_fields_set]
        if self.roadmap is not None and written:
            fields = " and ".join(f"targets.{f}" for f in written)
            raise ValueError(f"{fields} {'does' if len(written) == 1 else 'do'} not apply with a roadmap: each model "
                             "year's target is set in roadmap.targets (e.g. 2030: {net_zero: true}); remove "
                             f"{'it' if len(written) == 1 else 'them'}")
        return self

    @model_validator(mode="after")
    def _heat_and_fuels(self) -> Scenario:
        raise_at(heat_problems(self.fuels, self.heat, self.measures), type(self).__name__)
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        if (problem := zone_problem(name)) is not None:  # also 'Asia' (a folder), '../x', 500 letters
            raise ValueError(problem)
        return name
