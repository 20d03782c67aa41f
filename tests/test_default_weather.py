"""The default synthetic year (no weather.clear_sky_index): calibrated on the nearest Chinese
reference city's published irradiation, said to be uncalibrated far from every one of them.

Published figures are read from models/data/china_solar_reference.csv, their only home."""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.data import climate
from models.data.solar import pv_yield_kwh_per_kwp
from models.data.timeindex import model_year_index
from models.data.weather import DEFAULT_CLEAR_SKY_INDEX, synthetic_weather
from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario
from models.scenario.schema_plant import Weather

DOCS = Path(__file__).resolve().parents[1] / "docs" / "weather.md"
SITES = {  # name: (latitude, longitude, altitude_m), reference city expected
    "Foshan": ((23.02, 113.12, 10.0), "Guangzhou"),
    "Shanghai": ((31.23, 121.47, 4.0), "Shanghai"),
    "Beijing": ((39.90, 116.40, 44.0), "Beijing"),
    "Chengdu": ((30.57, 104.07, 500.0), "Chengdu"),
}
# The yield ranges are the data notes' approximate estimates for 10–20° arrays: a modelled yield
# within this share of the range counts as in it.
YIELD_SLACK = 0.03


@cache
def _index() -> pd.DatetimeIndex:
    return model_year_index(2025, "Asia/Shanghai")


@cache
def _default_year(site: str) -> climate.DefaultWeather:
    (lat, lon, alt), _ = SITES[site]
    return climate.default_synthetic_weather(_index(), lat, lon, alt, seed=0)


@cache
def _yield_kwh_per_kwp(site: str, tilt_deg: float) -> float:
    (lat, lon, alt), _ = SITES[site]
    return float(pv_yield_kwh_per_kwp(_default_year(site).frame, lat, lon, alt, tilt_deg, 180.0).sum())


# --- the reference table -------------------------------------------------------------------------

def test_reference_table_covers_every_zone_and_gives_every_figure_a_source():
    cities = climate.reference_cities()
    assert {c.zone for c in cities} == {"I", "II", "III", "IV"}
    assert len({c.region for c in cities}) >= 6
    for c in cities:
        assert len(c.source) > 20, c.name
        assert c.status in {"measured", "satellite", "estimate"}, c.name
        assert 18 <= c.latitude_deg <= 54 and 73 <= c.longitude_deg <= 135, c.name
        if c.status == "estimate":  # an estimate is the midpoint of its stated range
            low, high = c.ghi_range_kwh_per_m2
            assert c.ghi_kwh_per_m2 == pytest.approx((low + high) / 2), c.name
        if c.monthly_ghi_kwh_per_m2_day is not None:  # the annual figure is the months' sum
            days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
            total = float(np.dot(c.monthly_ghi_kwh_per_m2_day, days))
            assert c.ghi_kwh_per_m2 == pytest.approx(total, abs=0.1), c.name


def test_docs_list_every_reference_city_with_its_figure():
    text = DOCS.read_text(encoding="utf-8")
    for c in climate.reference_cities():
        assert f"| {c.name} |" in text and f"{c.ghi_kwh_per_m2:,.0f}" in text, c.name


def test_schema_states_the_distance_rule():
    assert f"{climate.MAX_DISTANCE_KM:.0f} km" in Weather.model_fields["clear_sky_index"].description


# --- calibration ---------------------------------------------------------------------------------

@pytest.mark.parametrize("site", SITES)
def test_default_year_lands_on_the_published_irradiation(site):
    year = _default_year(site)
    assert year.city.name == SITES[site][1]
    made_kwh_per_m2 = year.frame["ghi"].sum() / 1000
    assert made_kwh_per_m2 == pytest.approx(year.city.ghi_kwh_per_m2, rel=climate.GHI_TOLERANCE)
    assert len(year.clear_sky_index) == 12 and all(0 < k <= 1 for k in year.clear_sky_index)


def test_every_reference_city_reproduces_its_own_figure():
    for c in climate.reference_cities():
        year = climate.default_synthetic_weather(_index(), c.latitude_deg, c.longitude_deg, c.altitude_m)
        assert year.distance_km == pytest.approx(0, abs=1e-6)
        assert year.frame["ghi"].sum() / 1000 == pytest.approx(c.ghi_kwh_per_m2, rel=climate.GHI_TOLERANCE), c.name


def test_sourced_monthly_figures_shape_the_year():
    """Shanghai's source gives monthly means: the synthetic months follow them, not the clear sky."""
    shanghai = climate.city("Shanghai")
    frame = _default_year("Shanghai").frame
    made = frame["ghi"].groupby(frame.index.month).sum().to_numpy() / 1000
    days = np.bincount(frame.index.month - 1, minlength=12) / 24
    np.testing.assert_allclose(made, np.array(shanghai.monthly_ghi_kwh_per_m2_day) * days, rtol=0.05)


@pytest.mark.parametrize("site", list(SITES))
def test_default_yield_lies_in_the_published_range(site):
    # The ranges are for 10–20° arrays: a 20° array is checked against them; a flatter 5° roof array
    # yields less in the north (Beijing 1,157 against 1,237 at 20°: docs/weather.md), never more.
    low, high = _default_year(site).city.yield_range_kwh_per_kwp
    assert low * (1 - YIELD_SLACK) <= _yield_kwh_per_kwp(site, 20) <= high * (1 + YIELD_SLACK)
    assert _yield_kwh_per_kwp(site, 5) <= _yield_kwh_per_kwp(site, 20) * 1.01


# --- through build_inputs ------------------------------------------------------------------------

def _inputs(tmp_path: Path, site: str, timezone: str = "Asia/Shanghai", weather: str = "{seed: 3}"):
    text = f"""
    name: t
    timezone: {timezone}
    site: {site}
    weather: {weather}
    load: {{synthetic: {{annual_mwh: 1000}}}}
    grid:
      tariff:
        prices_per_kwh: {{flat: 0.7}}
        schedule: [{{period: flat}}]
    pv:
      capex_per_kw: 3000
      arrays: [{{name: roof, max_kw: 100, tilt_deg: 5}}]
    """
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return build_inputs(load_scenario(path))


def test_chinese_site_is_told_what_its_weather_is_calibrated_on(tmp_path):
    inputs = _inputs(tmp_path, "{latitude: 23.02, longitude: 113.12, altitude_m: 10}")
    [note] = [n for n in inputs.notes if n.startswith("weather:")]
    ghi = climate.city("Guangzhou").ghi_kwh_per_m2
    assert "Guangzhou's published irradiation" in note and f"{ghi:,.0f} kWh/m²" in note
    assert "weather.source: file" in note and "EPW, TMY3 or PVGIS TMY" in note and "clear_sky_index" in note


def test_site_outside_china_is_told_its_weather_is_uncalibrated(tmp_path):
    inputs = _inputs(tmp_path, "{latitude: 52.5, longitude: 13.4, altitude_m: 34}", "Europe/Berlin")
    [note] = [n for n in inputs.notes if n.startswith("weather:")]
    assert "uncalibrated" in note and "Greensboro" in note and f"{DEFAULT_CLEAR_SKY_INDEX}" in note
    assert "weather.file" in note


def test_a_given_clear_sky_index_is_used_unchanged(tmp_path):
    inputs = _inputs(tmp_path, "{latitude: 23.02, longitude: 113.12, altitude_m: 10}",
                     weather="{seed: 3, clear_sky_index: 0.6}")
    assert not any(n.startswith("weather:") for n in inputs.notes)
    frame = synthetic_weather(inputs.index, 23.02, 113.12, 10.0, seed=3, clear_sky_index=0.6)
    expected = pv_yield_kwh_per_kwp(frame, 23.02, 113.12, 10.0, 5.0, 180.0)
    np.testing.assert_array_equal(inputs.pv.arrays[0].yield_kwh_per_kwp, expected)
