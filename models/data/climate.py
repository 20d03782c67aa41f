"""The default synthetic year when a scenario gives no `weather.clear_sky_index`.

A site within `MAX_DISTANCE_KM` of a reference city of `china_solar_reference.csv` gets 12
monthly clear-sky indices calibrated on the nearest such city's published global horizontal
irradiation (GHI); every other site gets `DEFAULT_CLEAR_SKY_INDEX` (0.77, measured on a
Greensboro, USA TMY3 year), said to be uncalibrated. The figures and their sources: docs/weather.md.

Calibration, at the reference city (its latitude, longitude and altitude, the model's hours):

* target monthly GHI: the source's 12 monthly means where it gives them; else the annual figure
  spread over the months in proportion to clear-sky GHI (one index for the whole year);
* monthly index = target monthly GHI / pvlib Ineichen clear-sky GHI of that month;
* the indices (the city's cloudiness) are then applied at the user's site. The synthetic
  generator clips hourly indices to [K_MIN, K_MAX], so the year it makes is checked against the
  intended GHI (index x the site's clear-sky GHI, month by month); off by more than
  `GHI_TOLERANCE` over the year, each month's index is corrected once by the ratio and the year
  made again.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from models.data.weather import DEFAULT_CLEAR_SKY_INDEX, synthetic_weather

REFERENCE_FILE = Path(__file__).with_name("china_solar_reference.csv")
MAX_DISTANCE_KM = 600.0
GHI_TOLERANCE = 0.03  # the synthetic year's annual GHI may miss the intended one by this share
ZONE_LIMITS_KWH_PER_M2 = ((1750.0, "I"), (1400.0, "II"), (1050.0, "III"), (0.0, "IV"))  # GB/T 37526-2019
_EARTH_RADIUS_KM = 6371.0
_STATUS_WORDS = {"measured": "station record", "satellite": "satellite climatology",
                 "estimate": "estimate"}


@dataclass(frozen=True)
class ReferenceCity:
    """One row of the reference table (units in the names; ranges None where not given)."""

    name: str
    province: str
    region: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    ghi_kwh_per_m2: float
    ghi_range_kwh_per_m2: tuple[float, float] | None
    status: str
    yield_range_kwh_per_kwp: tuple[float, float] | None
    monthly_ghi_kwh_per_m2_day: tuple[float, ...] | None
    source: str

    @property
    def zone(self) -> str:
        """Solar-resource zone of GB/T 37526-2019 (I richest, IV poorest) of the annual GHI."""
        return next(zone for limit, zone in ZONE_LIMITS_KWH_PER_M2 if self.ghi_kwh_per_m2 >= limit)


@dataclass(frozen=True)
class DefaultWeather:
    """The default synthetic year, the indices it was made with and the note that says so."""

    frame: pd.DataFrame
    clear_sky_index: tuple[float, ...]
    city: ReferenceCity | None
    distance_km: float | None
    intended_ghi_kwh_per_m2: float
    note: str


@cache
def reference_cities() -> tuple[ReferenceCity, ...]:
    """The shipped reference table, read once."""
    lines = [ln for ln in REFERENCE_FILE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return tuple(_city(row) for row in csv.DictReader(lines))


def _city(row: dict[str, str]) -> ReferenceCity:
    def pair(low: str, high: str) -> tuple[float, float] | None:
        return (float(row[low]), float(row[high])) if row[low] and row[high] else None

    monthly = tuple(float(v) for v in row["monthly_ghi_kwh_per_m2_day"].split())
    if monthly and len(monthly) != 12:
        raise ValueError(f"{REFERENCE_FILE.name}: {row['city']} has {len(monthly)} monthly values, not 12")
    return ReferenceCity(
        name=row["city"], province=row["province"], region=row["region"],
        latitude_deg=float(row["latitude_deg"]), longitude_deg=float(row["longitude_deg"]),
        altitude_m=float(row["altitude_m"]), ghi_kwh_per_m2=float(row["ghi_kwh_per_m2"]),
        ghi_range_kwh_per_m2=pair("ghi_low_kwh_per_m2", "ghi_high_kwh_per_m2"), status=row["ghi_status"],
        yield_range_kwh_per_kwp=pair("yield_low_kwh_per_kwp", "yield_high_kwh_per_kwp"),
        monthly_ghi_kwh_per_m2_day=monthly or None, source=row["source"],
    )


def city(name: str) -> ReferenceCity:
    """The reference city of that name."""
    found = [c for c in reference_cities() if c.name == name]
    if not found:
        raise KeyError(f"no reference city {name!r} in {REFERENCE_FILE.name}")
    return found[0]


def distance_km(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """Great-circle distance on a spherical Earth."""
    p1, p2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dp, dl = p2 - p1, math.radians(lon2_deg - lon1_deg)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_reference(latitude_deg: float, longitude_deg: float,
                      max_km: float = MAX_DISTANCE_KM) -> tuple[ReferenceCity, float] | None:
    """The nearest reference city and its distance, or None when none lies within `max_km`."""
    near = min(((c, distance_km(latitude_deg, longitude_deg, c.latitude_deg, c.longitude_deg))
                for c in reference_cities()), key=lambda pair: pair[1])
    return near if near[1] <= max_km else None


def monthly_clear_sky_kwh_per_m2(index: pd.DatetimeIndex, latitude_deg: float, longitude_deg: float,
                                 altitude_m: float) -> np.ndarray:
    """Ineichen clear-sky GHI of each calendar month of the hourly `index` (kWh/m²), at mid-hour."""
    site = pvlib.location.Location(latitude_deg, longitude_deg, altitude=altitude_m)
    ghi_w_per_m2 = site.get_clearsky(index + pd.Timedelta(minutes=30), model="ineichen")["ghi"].to_numpy()
    return np.bincount(index.month - 1, weights=ghi_w_per_m2, minlength=12) / 1000.0


def monthly_target_kwh_per_m2(ref: ReferenceCity, index: pd.DatetimeIndex,
                              clear_kwh_per_m2: np.ndarray) -> np.ndarray:
    """The city's GHI month by month (hourly `index`): its sourced monthly means, else its annual
    figure in the months' clear-sky proportions."""
    if ref.monthly_ghi_kwh_per_m2_day is not None:
        days = np.bincount(index.month - 1, minlength=12) / 24.0
        return np.asarray(ref.monthly_ghi_kwh_per_m2_day) * days
    return ref.ghi_kwh_per_m2 * clear_kwh_per_m2 / clear_kwh_per_m2.sum()


def reference_clear_sky_index(ref: ReferenceCity, index: pd.DatetimeIndex) -> np.ndarray:
    """12 monthly clear-sky indices that reproduce the city's published GHI at the city itself."""
    clear = monthly_clear_sky_kwh_per_m2(index, ref.latitude_deg, ref.longitude_deg, ref.altitude_m)
    return np.clip(monthly_target_kwh_per_m2(ref, index, clear) / clear, 0.01, 1.0)


def default_synthetic_weather(index: pd.DatetimeIndex, latitude_deg: float, longitude_deg: float,
                              altitude_m: float = 0.0, seed: int = 0, **weather: float) -> DefaultWeather:
    """The synthetic year for a scenario without `clear_sky_index` (method: module docstring).

    `weather` takes `synthetic_weather`'s temperature and wind arguments.
    """
    near = nearest_reference(latitude_deg, longitude_deg)
    if near is None:
        frame = synthetic_weather(index, latitude_deg, longitude_deg, altitude_m, seed,
                                  DEFAULT_CLEAR_SKY_INDEX, **weather)
        intended = DEFAULT_CLEAR_SKY_INDEX * monthly_clear_sky_kwh_per_m2(
            index, latitude_deg, longitude_deg, altitude_m).sum()
        return DefaultWeather(frame, (DEFAULT_CLEAR_SKY_INDEX,) * 12, None, None, float(intended),
                              _uncalibrated_note())
    ref, km = near
    k = reference_clear_sky_index(ref, index)
    site_clear = monthly_clear_sky_kwh_per_m2(index, latitude_deg, longitude_deg, altitude_m)
    intended = k * site_clear
    frame = synthetic_weather(index, latitude_deg, longitude_deg, altitude_m, seed, list(k), **weather)
    made = np.bincount(index.month - 1, weights=frame["ghi"].to_numpy(), minlength=12) / 1000.0
    if abs(made.sum() / intended.sum() - 1) > GHI_TOLERANCE:
        k = np.clip(k * intended / np.where(made > 0, made, intended), 0.01, 1.0)
        intended = k * site_clear
        frame = synthetic_weather(index, latitude_deg, longitude_deg, altitude_m, seed, list(k), **weather)
    indices = tuple(round(float(v), 4) for v in k)
    return DefaultWeather(frame, indices, ref, km, float(intended.sum()), _calibrated_note(ref, km, indices))


_HOW_TO = ("for the site's own weather give weather.source: file with weather.file: an EPW, TMY3 or "
           "PVGIS TMY file, or set weather.clear_sky_index")


def _calibrated_note(ref: ReferenceCity, km: float, indices: tuple[float, ...]) -> str:
    low, high = f"{min(indices):.2f}", f"{max(indices):.2f}"
    shown = f"clear-sky index {low}" if low == high else f"monthly clear-sky index {low}–{high}"
    return (f"weather: no clear_sky_index given, so the synthetic year is approximate: calibrated on "
            f"{ref.name}'s published irradiation ({ref.ghi_kwh_per_m2:,.0f} kWh/m² a year, "
            f"{_STATUS_WORDS.get(ref.status, ref.status)}; {km:,.0f} km from the site), {shown} "
            f"(docs/weather.md); {_HOW_TO}")


def _uncalibrated_note() -> str:
    return (f"weather: no clear_sky_index given and no reference city within {MAX_DISTANCE_KM:,.0f} km "
            f"(the reference cities are in China, docs/weather.md): the synthetic year is uncalibrated, "
            f"clear-sky index {DEFAULT_CLEAR_SKY_INDEX} as measured on a Greensboro, USA TMY3 year, and "
            f"its PV yield may be off by tens of percent; {_HOW_TO}")
