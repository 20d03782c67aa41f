"""Rooftop PV output per kWp: a PVWatts-style chain on hourly weather, or a measured profile.

Chain: sun position at mid-hour -> plane-of-array irradiance (Hay-Davies) -> angle-of-incidence
loss on the beam part (physical IAM) -> SAPM cell temperature -> PVWatts DC -> flat system
losses -> PVWatts inverter clipped at its AC rating (kWp / dc_ac_ratio).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from models.data.series_file import read_single_column
from models.errors import InputError

MIN_KWH_PER_KWP = 1e-6  # less than this in an hour is taken as none
MAX_KWH_PER_KWP_HOUR = 1.2  # above this in one hour a profile is not per-kWp (or not hourly)


def pv_yield_kwh_per_kwp(
    weather: pd.DataFrame,
    latitude_deg: float,
    longitude_deg: float,
    altitude_m: float,
    tilt_deg: float,
    azimuth_deg: float,
    gamma_pdc_per_c: float = -0.0035,
    system_losses_pct: float = 14.08,
    dc_ac_ratio: float = 1.2,
    inverter_efficiency: float = 0.96,
    temperature_model: str = "close_mount_glass_glass",
    albedo: float = 0.2,
) -> np.ndarray:
    """AC energy in kWh per kWp (DC) for each hour of `weather` (azimuth 180° = south).

    PVWatts defaults: 14.08 % losses, DC/AC 1.2, 96 % inverter; close-mount glass-glass is the
    SAPM thermal model nearest a module on a factory roof.
    """
    _check_system(tilt_deg, azimuth_deg, gamma_pdc_per_c, system_losses_pct, dc_ac_ratio,
                  inverter_efficiency, temperature_model, albedo)
    mid = weather.index + pd.Timedelta(minutes=30)
    sun = pvlib.solarposition.get_solarposition(
        mid, latitude_deg, longitude_deg, altitude=altitude_m,
        temperature=weather["temp_air"].to_numpy())
    dni_extra_w_per_m2 = pvlib.irradiance.get_extra_radiation(mid)
    ghi, dni, dhi = (pd.Series(weather[c].to_numpy(float), index=mid) for c in ("ghi", "dni",
                                                                                 "dhi"))
    poa = pvlib.irradiance.get_total_irradiance(
        tilt_deg, azimuth_deg, sun["apparent_zenith"], sun["azimuth"], dni, ghi, dhi,
        dni_extra=dni_extra_w_per_m2, albedo=albedo, model="haydavies")
    aoi_deg = pvlib.irradiance.aoi(tilt_deg, azimuth_deg, sun["apparent_zenith"], sun["azimuth"])
    effective_w_per_m2 = (poa["poa_direct"] * pvlib.iam.physical(aoi_deg)
                          + poa["poa_diffuse"]).fillna(0.0).clip(lower=0.0)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][temperature_model]
    temp_cell_c = pvlib.temperature.sapm_cell(
        poa["poa_global"].fillna(0.0), weather["temp_air"].to_numpy(),
        weather["wind_speed"].to_numpy(), **params)
    # pvwatts_dc already normalises by 1000 W/m², so with pdc0 = 1 kW it returns kW per kWp.
    dc_kw_per_kwp = pvlib.pvsystem.pvwatts_dc(
        effective_w_per_m2, temp_cell_c, pdc0=1.0, gamma_pdc=gamma_pdc_per_c)
    dc_kw_per_kwp = dc_kw_per_kwp * (1.0 - system_losses_pct / 100.0)
    ac_kw_per_kwp = pvlib.inverter.pvwatts(
        dc_kw_per_kwp, pdc0=(1.0 / dc_ac_ratio) / inverter_efficiency,
        eta_inv_nom=inverter_efficiency)
    out = np.nan_to_num(np.asarray(ac_kw_per_kwp, dtype=float), nan=0.0)
    # One hour at x kW per kWp is x kWh per kWp. Below a milliwatt-hour per kWp (dawn, dusk) the
    # figure is round-off, and as a matrix entry it would only widen the range HiGHS must scale.
    return np.where(out < MIN_KWH_PER_KWP, 0.0, out)


def _check_system(tilt_deg: float, azimuth_deg: float, gamma_pdc_per_c: float,
                  system_losses_pct: float, dc_ac_ratio: float, inverter_efficiency: float,
                  temperature_model: str, albedo: float) -> None:
    rules = [
        ("pv.tilt_deg", tilt_deg, 0 <= tilt_deg <= 90, "0..90"),
        ("pv.azimuth_deg", azimuth_deg, 0 <= azimuth_deg <= 360, "0..360 (180 = south)"),
        ("pv.gamma_pdc_per_c", gamma_pdc_per_c, -0.01 <= gamma_pdc_per_c <= 0, "-0.01..0"),
        ("pv.system_losses_pct", system_losses_pct, 0 <= system_losses_pct < 100, "0..<100"),
        ("pv.dc_ac_ratio", dc_ac_ratio, 0.5 <= dc_ac_ratio <= 3, "0.5..3"),
        ("pv.inverter_efficiency", inverter_efficiency, 0.5 <= inverter_efficiency <= 1,
         "0.5..1"),
        ("pv.albedo", albedo, 0 <= albedo <= 1, "0..1"),
    ]
    problems = [f"{name}: {value!r}; allowed {allowed}" for name, value, ok, allowed in rules
                if not ok]
    models = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    if temperature_model not in models:
        problems.append(f"pv.temperature_model: {temperature_model!r}; allowed "
                        f"{', '.join(sorted(models))}")
    if problems:
        raise InputError(problems)


def read_production_file(path: Path, index_len: int = 8760, notes: list[str] | None = None) -> np.ndarray:
    """Read a measured or external PV profile: header row, one column of kWh per kWp per hour.

    Values are used as is (no re-scaling), so they are checked hard: count, numbers, range.
    Fixes applied while reading are appended to `notes` when given.
    """
    return read_single_column(path, "pv.production_file", index_len, "kWh/kWp",
                              max_value=MAX_KWH_PER_KWP_HOUR,
                              max_rule=f"exceeds {MAX_KWH_PER_KWP_HOUR} kWh/kWp in one hour "
                              "(kW instead of kW per kWp?)", notes=notes)
