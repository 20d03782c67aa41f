"""The measures the plant may take: PV, a battery, green power, certificates and carbon credits.

Part of the scenario schema; `models.scenario.schema` re-exports every name.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.scenario.schema_base import ExistingFile, NonNegative, Section, Share


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


MAX_BLOCKS = 1e6  # a battery built in blocks: more than this many is no block size but a continuous choice


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
        for unit, most, name in ((self.unit_kwh, self.max_kwh, "kwh"), (self.unit_kw, self.max_kw, "kw")):
            if unit is not None and most is not None and unit > most:
                problems.append(f"unit_{name} {unit:g} is larger than max_{name} {most:g}: not one block could "
                                f"ever be built; lower unit_{name} or raise max_{name}")
            elif unit is not None and most is not None and most / unit > MAX_BLOCKS:
                problems.append(f"unit_{name} {unit:g} divides max_{name} {most:g} into {most / unit:.3g} blocks; "
                                f"at most {MAX_BLOCKS:g}: give blocks of at least {most / MAX_BLOCKS:.3g} or leave "
                                f"unit_{name} out (any size)")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class GreenPower(Section):
    price_per_kwh: NonNegative = Field(description="Delivered price of green power (currency/kWh).")
    max_mwh: NonNegative | None = Field(
        None, description="Largest yearly volume (MWh); default: the plant's annual consumption."
    )
    min_mwh: NonNegative = Field(0.0, description="If bought at all, at least this volume (MWh).")
    resale_price_per_kwh: NonNegative = Field(
        0.0, description="What a contracted kWh the plant cannot take in its step earns when settled as a "
        "deviation (currency/kWh); it is not the plant's green electricity. Default 0 (nothing recovered).",
    )
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
