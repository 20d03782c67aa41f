"""Hourly weather for the model year: from a TMY file, or a seeded synthetic year.

Both paths return a DataFrame indexed exactly by the model index (hour-start, local standard
time) with `ghi`, `dni`, `dhi` (W/m², mean over the hour), `temp_air` (°C), `wind_speed` (m/s).

Synthetic cloudiness model (used when no weather file is given):

* clear-sky irradiance from pvlib's Ineichen model with its shipped Linke turbidity table,
  evaluated at mid-hour;
* a daily clear-sky index k_d ~ Beta(mean = the month's `clear_sky_index`, precision a+b =
  `BETA_PRECISION`), drawn through a Gaussian AR(1) day-to-day process (rho = `DAY_RHO`) mapped
  by the normal CDF to the Beta quantile, so cloudy and sunny spells persist; each month's
  draws are then rescaled so their clear-sky-weighted mean is exactly the month's index (the
  seed changes the day-to-day pattern, not the month's energy);
* plus an hourly Gaussian AR(1) wobble (rho = `HOUR_RHO`, sd = `HOUR_SD`), clipped to
  [`K_MIN`, `K_MAX`] (so monthly means below ~0.2 come out somewhat higher); GHI = k ×
  clear-sky GHI and DNI/DHI follow from the Erbs split.

`DEFAULT_CLEAR_SKY_INDEX` = 0.77 is calibrated on pvlib's bundled Greensboro NC TMY3 file
(723170TYA.CSV): its annual GHI divided by the Ineichen clear-sky GHI at the same site and
hours. It is a mid-latitude, moderately cloudy default; humid monsoon sites are cloudier. A
scenario without `weather.clear_sky_index` gets it only far from every reference city: near one,
`models/data/climate.py` calibrates 12 monthly indices on that city's published irradiation.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from scipy import stats

from models.data.file_access import NOT_FOUND, file_problem, read_bytes
from models.errors import InputError

COLUMNS = ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
DEFAULT_CLEAR_SKY_INDEX = 0.77
BETA_PRECISION = 6.0  # a + b of the daily Beta: sd ≈ 0.16 at mean 0.77
DAY_RHO = 0.6
HOUR_RHO = 0.7
HOUR_SD = 0.05
K_MIN, K_MAX = 0.05, 1.05
PEAK_DAY_OF_YEAR_NORTH = 205  # about 24 July
PEAK_HOUR = 15.0
_REF_YEAR = 2001  # any non-leap year: record keys are built in it so no 29 Feb can appear
_LIMITS = {"ghi": (0, 1500), "dni": (0, 1500), "dhi": (0, 1000),
           "temp_air": (-90, 70), "wind_speed": (0, 80)}
_FORMATS = {  # name, hours to add to the reader's labels to get the hour START
    "epw": ("EPW", 0),  # pvlib's read_epw already labels the start (EPW hour 1 -> 00:00)
    "tmy3": ("TMY3 CSV", -1),  # pvlib's read_tmy3 keeps TMY3's end-of-hour labels
    "pvgis_json": ("PVGIS TMY JSON", 0),  # UTC stamps, taken as the start of the hour
    "pvgis_csv": ("PVGIS TMY CSV", 0),
}
_SHAPES = {  # what an intact file of each format holds, for error lines
    "epw": "8 header lines, then 8760 hourly rows of 35 fields",
    "tmy3": "a site line and a column header, then 8760 hourly rows",
    "pvgis_json": "the JSON PVGIS returns, with outputs.tmy_hourly",
    "pvgis_csv": "the CSV PVGIS returns, with its header block and 8760 hourly rows",
}


def read_weather_file(path: Path, index: pd.DatetimeIndex) -> pd.DataFrame:
    """Read an EPW, TMY3 or PVGIS TMY file and lay it on the model year by month, day and hour.

    TMY files stitch months from different years, so records are matched on (month, day,
    hour-start) in the model's standard time, not on full timestamps.
    """
    path = Path(path)
    where = f"weather.file {str(path)!r}"
    problem = file_problem(path, need="an EPW, TMY3 or PVGIS TMY file")
    if problem is not None:
        raise InputError(f"{where}: {'file not found' if problem == NOT_FOUND else problem}")
    fmt = _sniff_format(path, where)
    name, shift_h = _FORMATS[fmt]
    try:
        if fmt == "epw":
            data, _ = pvlib.iotools.read_epw(path)
        elif fmt == "tmy3":
            data, _ = pvlib.iotools.read_tmy3(path, map_variables=True)
        else:
            data, _ = pvlib.iotools.read_pvgis_tmy(path, pvgis_format=fmt[6:])
    except Exception as exc:  # any parse failure of a user file is a user error
        detail = (str(exc).splitlines() or [""])[0][:120]
        raise InputError(f"{where}: not a readable {name} file ({type(exc).__name__}: "
                         f"{detail}); a truncated or edited file? need the file as downloaded: "
                         f"{_SHAPES[fmt]}") from exc
    if missing := [c for c in COLUMNS if c not in data.columns]:
        raise InputError(f"{where}: {name} file lacks columns {missing}")
    numbers = data[COLUMNS].apply(pd.to_numeric, errors="coerce")  # text -> NaN, reported below
    return _to_model_year(numbers, shift_h, index, where)


def _sniff_format(path: Path, where: str) -> str:
    try:
        raw = read_bytes(path, limit=4096)  # never blocks, also on a FIFO put in place after the check
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise InputError(f"{where}: the file is empty; need an EPW, TMY3 or PVGIS TMY file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in raw:
        raise InputError(f"{where}: not a text file (UTF-16, a workbook, an archive or binary data); "
                         "need an EPW, TMY3 or PVGIS TMY file as downloaded")
    head = raw.decode("utf-8-sig", errors="replace")
    lines = head.splitlines() or [""]
    first, second = lines[0].strip(), (lines[1] if len(lines) > 1 else "")
    if first.upper().startswith("LOCATION,"):
        return "epw"
    if first.startswith("{"):
        return "pvgis_json"
    if first.startswith("Latitude (decimal degrees)"):
        return "pvgis_csv"
    if second.startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    raise InputError(f"{where}: unknown weather format (first line {first[:40]!r}); allowed: "
                     "EPW, TMY3 CSV, PVGIS TMY (.json, .csv, .epw)")


def _to_model_year(data: pd.DataFrame, shift_h: int, index: pd.DatetimeIndex,
                   where: str) -> pd.DataFrame:
    """Key each record by (month, day, hour-start) in the model's standard time.

    A year that has 29 Feb in the file is a real calendar year and keeps its dates, so hours
    shifted across the day boundary by the time-zone change stay right. Every other year is
    treated as the non-leap `_REF_YEAR`: a TMY's February taken from a leap year must not grow
    a 29 Feb (and lose 1 March hours) when shifted. Local 29 Feb hours are then dropped.
    """
    stamps = pd.DatetimeIndex(data.index)
    data, stamps = data[stamps.notna()], stamps[stamps.notna()]  # blank lines of a cut file
    leap_years = stamps.year[(stamps.month == 2) & (stamps.day == 29)].unique()
    years = np.where(stamps.year.isin(leap_years), stamps.year, _REF_YEAR)
    wall = pd.to_datetime(pd.DataFrame({"year": years, "month": stamps.month, "day": stamps.day,
                                        "hour": stamps.hour, "minute": stamps.minute}))
    local = (pd.DatetimeIndex(wall).tz_localize(stamps.tz)
             + pd.Timedelta(hours=shift_h)).tz_convert(index.tz).floor("h")
    keep = ~((local.month == 2) & (local.day == 29))
    data, local = data[keep], local[keep]
    if len(data) != len(index):
        raise InputError(f"{where}: {len(data)} hourly records (29 Feb not counted), "
                         f"need a full year ({len(index)})")
    keys = pd.MultiIndex.from_arrays([local.month, local.day, local.hour])
    if keys.has_duplicates:
        dup = local[keys.duplicated()][0]
        raise InputError(f"{where}: two records for {dup:%d %b %H:00}; need one per hour")
    model_keys = pd.MultiIndex.from_arrays([index.month, index.day, index.hour])
    frame = pd.DataFrame(data.to_numpy(float), index=keys, columns=COLUMNS).reindex(model_keys)
    frame.index = index
    gaps = frame.index[frame.isna().any(axis=1)]
    if len(gaps):
        shown = ", ".join(f"{t:%d %b %H:00}" for t in gaps[:3])
        raise InputError(f"{where}: missing, blank or non-numeric data for {len(gaps)} model "
                         f"hour(s) (first: {shown}); need every hour of the year")
    problems = []
    for col, (lo, hi) in _LIMITS.items():
        bad = frame.index[(frame[col] < lo) | (frame[col] > hi)]
        if len(bad):
            value = frame.at[bad[0], col]
            problems.append(f"{where}: {col} = {value:g} at {bad[0]:%d %b %H:00} "
                            f"({len(bad)} hour(s)); allowed {lo}..{hi} (missing-data code?)")
    if problems:
        raise InputError(problems)
    return frame


def synthetic_weather(
    index: pd.DatetimeIndex,
    latitude_deg: float,
    longitude_deg: float,
    altitude_m: float = 0.0,
    seed: int = 0,
    clear_sky_index: float | Sequence[float] = DEFAULT_CLEAR_SKY_INDEX,
    temp_air_mean_c: float = 20.0,
    temp_air_annual_amplitude_c: float = 8.0,
    temp_air_daily_amplitude_c: float = 4.0,
    wind_speed_m_per_s: float = 2.0,
) -> pd.DataFrame:
    """A seeded synthetic weather year for offline runs (cloudiness model: module docstring)."""
    monthly_k = _monthly_index(clear_sky_index, latitude_deg, longitude_deg)
    mid = index + pd.Timedelta(minutes=30)
    site = pvlib.location.Location(latitude_deg, longitude_deg, altitude=altitude_m)
    clear = site.get_clearsky(mid, model="ineichen")
    rng = np.random.default_rng(seed)

    n_days = len(index) // 24
    day_month = index.month[::24][:n_days] - 1
    mean_k = np.clip(monthly_k[day_month], 0.02, 0.98)  # Beta needs a mean inside (0, 1)
    z_day = _ar1(rng.standard_normal(n_days), DAY_RHO)
    k_day = stats.beta.ppf(stats.norm.cdf(z_day), mean_k * BETA_PRECISION,
                           (1 - mean_k) * BETA_PRECISION)
    k_day = _match_monthly_means(k_day, day_month, monthly_k, clear["ghi"].to_numpy())
    k_hour = np.repeat(k_day, 24) + HOUR_SD * _ar1(rng.standard_normal(len(index)), HOUR_RHO)
    k = np.clip(k_hour, K_MIN, K_MAX)

    ghi_w_per_m2 = k * clear["ghi"].to_numpy()
    zenith_deg = site.get_solarposition(mid)["zenith"]
    split = pvlib.irradiance.erbs(pd.Series(ghi_w_per_m2, index=mid), zenith_deg, mid.day_of_year)

    peak_doy = PEAK_DAY_OF_YEAR_NORTH + (0 if latitude_deg >= 0 else 182.5)  # seasons flip
    season = np.cos(2 * np.pi * (index.day_of_year.to_numpy() - peak_doy) / 365)
    day_cycle = np.cos(2 * np.pi * (index.hour.to_numpy() + 0.5 - PEAK_HOUR) / 24)
    temp_air_c = (temp_air_mean_c + temp_air_annual_amplitude_c * season
                  + temp_air_daily_amplitude_c * day_cycle)
    return pd.DataFrame({"ghi": ghi_w_per_m2, "dni": np.asarray(split["dni"], dtype=float),
                         "dhi": np.asarray(split["dhi"], dtype=float), "temp_air": temp_air_c,
                         "wind_speed": np.full(len(index), float(wind_speed_m_per_s))},
                        index=index)


def _match_monthly_means(k_day: np.ndarray, day_month: np.ndarray, monthly_k: np.ndarray,
                         clear_ghi_w_per_m2: np.ndarray) -> np.ndarray:
    """Rescale each month's daily indices so their clear-sky-energy-weighted mean is the target.

    Without this, a 365-day draw with persistent spells moves annual GHI by about ±2 % (sd)
    between seeds; the seed should reshuffle the weather, not the site's solar resource.
    """
    clear_day_wh = clear_ghi_w_per_m2[: len(k_day) * 24].reshape(len(k_day), 24).sum(axis=1)
    out = k_day.copy()
    for month in range(12):
        days = day_month == month
        if clear_day_wh[days].sum() > 0:
            out[days] *= monthly_k[month] / np.average(k_day[days], weights=clear_day_wh[days])
    return np.clip(out, K_MIN, K_MAX)


def _ar1(noise: np.ndarray, rho: float) -> np.ndarray:
    """Stationary unit-variance Gaussian AR(1) driven by standard-normal `noise`."""
    out = np.empty_like(noise)
    out[0] = noise[0]
    scale = np.sqrt(1 - rho**2)
    for i in range(1, len(noise)):
        out[i] = rho * out[i - 1] + scale * noise[i]
    return out


def _monthly_index(value: float | Sequence[float], latitude_deg: float,
                   longitude_deg: float) -> np.ndarray:
    problems = []
    if not -90 <= latitude_deg <= 90:
        problems.append(f"latitude_deg: {latitude_deg!r} outside -90..90")
    if not -180 <= longitude_deg <= 180:
        problems.append(f"longitude_deg: {longitude_deg!r} outside -180..180")
    values = [value] * 12 if isinstance(value, int | float) else list(value)
    if len(values) != 12:
        problems.append(f"weather.clear_sky_index: {len(values)} values; give one number "
                        "or 12 monthly values")
    for month, k in enumerate(values, start=1):
        if not isinstance(k, int | float) or not 0 < k <= 1:
            problems.append(f"weather.clear_sky_index month {month}: {k!r}; allowed (0, 1]")
    if problems:
        raise InputError(problems)
    return np.asarray(values, dtype=float)
