"""Weather files, the synthetic weather year and PV yield per kWp."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from models.data.solar import pv_yield_kwh_per_kwp, read_production_file
from models.data.timeindex import model_year_index
from models.data.weather import DEFAULT_CLEAR_SKY_INDEX, read_weather_file, synthetic_weather
from models.errors import InputError

GREENSBORO_TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
GSO = {"latitude_deg": 36.1, "longitude_deg": -79.95, "altitude_m": 273.0}
FOSHAN = {"latitude_deg": 23.02, "longitude_deg": 113.12, "altitude_m": 10.0}


@pytest.fixture(scope="module")
def gso_index() -> pd.DatetimeIndex:
    return model_year_index(2025, "America/New_York")


@pytest.fixture(scope="module")
def gso_weather(gso_index: pd.DatetimeIndex) -> pd.DataFrame:
    return read_weather_file(GREENSBORO_TMY3, gso_index)


@pytest.fixture(scope="module")
def foshan_index() -> pd.DatetimeIndex:
    return model_year_index(2025, "Asia/Shanghai")


@pytest.fixture(scope="module")
def foshan_weather(foshan_index: pd.DatetimeIndex) -> pd.DataFrame:
    return synthetic_weather(foshan_index, **FOSHAN, seed=11)


def _clear_sky_ghi(index: pd.DatetimeIndex, site: dict) -> np.ndarray:
    loc = pvlib.location.Location(site["latitude_deg"], site["longitude_deg"],
                                  altitude=site["altitude_m"])
    return loc.get_clearsky(index + pd.Timedelta(minutes=30), model="ineichen")["ghi"].to_numpy()


# --- weather files ----------------------------------------------------------------------------

def test_tmy3_lands_on_the_model_year_hour_by_hour(gso_index, gso_weather):
    assert gso_weather.index.equals(gso_index)
    assert list(gso_weather.columns) == ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
    assert not gso_weather.isna().any().any()
    day = gso_weather.loc["2025-06-21"]
    assert day["ghi"].iloc[12] > 500 and day["ghi"].iloc[0] == 0
    # TMY3 "01/01 01:00" (end label) is the model's first hour; "12/31 24:00" its last.
    raw, _ = pvlib.iotools.read_tmy3(GREENSBORO_TMY3, map_variables=True)
    cols = ["ghi", "temp_air", "wind_speed"]
    np.testing.assert_array_equal(gso_weather[cols].iloc[[0, -1]].to_numpy(),
                                  raw[cols].iloc[[0, -1]].to_numpy(float))
    assert gso_weather["ghi"].sum() == raw["ghi"].sum()


def test_tmy3_irradiance_peaks_in_step_with_the_sun(gso_index, gso_weather):
    """A one-hour labelling slip would make a shifted clear-sky curve fit better."""
    def fit(minutes: int) -> float:
        return np.corrcoef(_clear_sky_ghi(gso_index + pd.Timedelta(minutes=minutes - 30), GSO),
                           gso_weather["ghi"])[0, 1]
    assert fit(30) > max(fit(-30), fit(90)) + 0.02


def _utc_starts(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index.tz_convert("UTC")


def _write_pvgis_json(path: Path, utc_starts: pd.DatetimeIndex, frame: pd.DataFrame) -> None:
    rows = [{"time(UTC)": t.strftime("%Y%m%d:%H%M"), "T2m": r.temp_air, "RH": 50.0,
             "G(h)": r.ghi, "Gb(n)": r.dni, "Gd(h)": r.dhi, "IR(h)": 300.0,
             "WS10m": r.wind_speed, "WD10m": 0.0, "SP": 101300.0}
            for t, r in zip(utc_starts, frame.itertuples(), strict=True)]
    src = {"inputs": {"location": {}}, "meta": {"inputs": {}},
           "outputs": {"months_selected": [], "tmy_hourly": rows}}
    path.write_text(json.dumps(src))


def _write_epw_utc(path: Path, utc_starts: pd.DatetimeIndex, frame: pd.DataFrame) -> None:
    lines = ["LOCATION,Test,NC,USA,TMY,723170,36.1,-79.95,0.0,273.0"]
    lines += [f"HEADER{i},x" for i in range(7)]
    for t, r in zip(utc_starts, frame.itertuples(), strict=True):
        fields = [0.0] * 35
        fields[:5] = [t.year, t.month, t.day, t.hour + 1, 0]  # EPW hour 1 = 00:00-01:00
        fields[6], fields[21] = r.temp_air, r.wind_speed
        fields[13:16] = [r.ghi, r.dni, r.dhi]
        lines.append(",".join(str(f) for f in fields))
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("writer,name", [(_write_pvgis_json, "tmy.json"),
                                         (_write_epw_utc, "tmy.epw")])
def test_utc_pvgis_and_epw_files_round_trip(tmp_path, gso_index, gso_weather, writer, name):
    """The same hours written in UTC (PVGIS style) come back on the same local model hours."""
    path = tmp_path / name
    writer(path, _utc_starts(gso_index), gso_weather)
    pd.testing.assert_frame_equal(read_weather_file(path, gso_index), gso_weather)


def test_leap_year_utc_file_fills_local_1_march_from_utc_29_february(tmp_path):
    index = model_year_index(2024, "Asia/Shanghai")
    utc = pd.date_range("2023-12-31 16:00", periods=8784, freq="h", tz="UTC")
    local = utc.tz_convert(index.tz)
    frame = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": local.day,
                          "wind_speed": local.hour}, index=utc).astype(float)
    _write_pvgis_json(tmp_path / "y2024.json", utc, frame)
    got = read_weather_file(tmp_path / "y2024.json", index)
    np.testing.assert_array_equal(got["temp_air"], index.day)
    np.testing.assert_array_equal(got["wind_speed"], index.hour)


def test_tmy_february_from_a_leap_year_does_not_leave_1_march_empty(tmp_path):
    """PVGIS TMY: Feb from 2008 without 29 Feb; in UTC+8, 1 Mar 00-07 come from 28 Feb 16-23 UTC."""
    index = model_year_index(2025, "Asia/Shanghai")
    stamps = [t.replace(year=2008) if t.month == 2 else t
              for t in pd.date_range("2005-01-01", periods=8760, freq="h", tz="UTC")]
    utc = pd.DatetimeIndex(stamps)
    frame = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": utc.day,
                          "wind_speed": utc.hour}, index=utc).astype(float)
    _write_pvgis_json(tmp_path / "tmy.json", utc, frame)
    got = read_weather_file(tmp_path / "tmy.json", index)
    assert got.loc["2025-03-01 03:00", ["temp_air", "wind_speed"]].tolist() == [28.0, 19.0]


def test_truncated_tmy3_is_an_input_error_naming_the_file(tmp_path, gso_index):
    lines = GREENSBORO_TMY3.read_text().splitlines()
    short = tmp_path / "short_tmy3.csv"
    short.write_text("\n".join(lines[: 2 + 8000]) + "\n")
    with pytest.raises(InputError, match=r"short_tmy3\.csv.*8000 hourly records"):
        read_weather_file(short, gso_index)
    cut = tmp_path / "cut_tmy3.csv"
    cut.write_text("\n".join(lines)[: len("\n".join(lines)) // 2])
    with pytest.raises(InputError, match=r"cut_tmy3\.csv"):
        read_weather_file(cut, gso_index)


def test_unknown_weather_format_is_an_input_error(tmp_path, gso_index):
    odd = tmp_path / "odd.csv"
    odd.write_text("time,ghi\n2025-01-01 00:00,0\n")
    with pytest.raises(InputError, match=r"odd\.csv.*unknown weather format"):
        read_weather_file(odd, gso_index)


# --- synthetic weather -----------------------------------------------------------------------

def test_synthetic_year_is_physical(foshan_index, foshan_weather):
    w = foshan_weather
    assert len(w) == 8760 and w.index.equals(foshan_index)
    assert not w.isna().any().any()
    clear = _clear_sky_ghi(foshan_index, FOSHAN)
    assert (w["ghi"].to_numpy() <= clear * 1.05 + 1e-9).all()
    night = clear == 0
    assert night.sum() > 3000 and (w.loc[night, ["ghi", "dni", "dhi"]].to_numpy() == 0).all()
    assert w.loc[foshan_index.hour == 0, "ghi"].eq(0).all()
    assert np.isclose(w["ghi"].sum(), DEFAULT_CLEAR_SKY_INDEX * clear.sum(), rtol=0.05)
    summer, winter = (w.loc[foshan_index.month == m, "temp_air"].mean() for m in (7, 1))
    assert summer > winter + 10


def test_synthetic_year_is_fixed_by_its_seed(foshan_index, foshan_weather):
    again = synthetic_weather(foshan_index, **FOSHAN, seed=11)
    pd.testing.assert_frame_equal(again, foshan_weather)
    other = synthetic_weather(foshan_index, **FOSHAN, seed=12)
    assert not np.allclose(other["ghi"], foshan_weather["ghi"])


def test_synthetic_days_vary_and_persist(foshan_index, foshan_weather):
    clear_day = _clear_sky_ghi(foshan_index, FOSHAN).reshape(365, 24).sum(axis=1)
    k_day = foshan_weather["ghi"].to_numpy().reshape(365, 24).sum(axis=1) / clear_day
    assert k_day.std() > 0.08  # Beta spread: sunny and overcast days, not one grey average
    assert np.corrcoef(k_day[:-1], k_day[1:])[0, 1] > 0.2  # spells, not independent days


def test_synthetic_clear_sky_index_is_validated(foshan_index):
    with pytest.raises(InputError, match="clear_sky_index"):
        synthetic_weather(foshan_index, **FOSHAN, clear_sky_index=[0.6] * 11)
    with pytest.raises(InputError, match="month 3"):
        synthetic_weather(foshan_index, **FOSHAN, clear_sky_index=[0.6, 0.6, 1.4] + [0.6] * 9)


# --- PV yield ---------------------------------------------------------------------------------

def test_greensboro_tmy3_yield_matches_published_band(gso_weather):
    # Band, not a point: PVWatts-type estimates for central North Carolina at tilt ~25° are
    # roughly 1,300-1,450 kWh/kWp/yr (our own estimate of that tool's range, not a quoted
    # value); this old TMY3 year is on the dim side (GHI 1,566 kWh/m²) and the roof thermal
    # model runs hotter than open rack, so allow 1,250-1,600.
    south = pv_yield_kwh_per_kwp(gso_weather, **GSO, tilt_deg=25, azimuth_deg=180)
    north = pv_yield_kwh_per_kwp(gso_weather, **GSO, tilt_deg=25, azimuth_deg=0)
    assert south.shape == (8760,) and np.isfinite(south).all() and (south >= 0).all()
    assert 1250 <= south.sum() <= 1600
    assert south.sum() > 1.3 * north.sum()
    assert south.max() <= 1 / 1.2 + 1e-9  # clipped at the inverter's AC rating


def test_foshan_synthetic_yield_is_plausible_and_scales_with_clear_sky_index(
        foshan_index, foshan_weather):
    site = {**FOSHAN, "tilt_deg": 20, "azimuth_deg": 180}
    default = pv_yield_kwh_per_kwp(foshan_weather, **site).sum()
    assert 900 <= default <= 1500
    dim_weather = synthetic_weather(foshan_index, **FOSHAN, seed=11, clear_sky_index=0.5)
    dim = pv_yield_kwh_per_kwp(dim_weather, **site).sum()
    assert np.isclose(dim / default, 0.5 / DEFAULT_CLEAR_SKY_INDEX, rtol=0.05)


def _flat_weather(index: pd.DatetimeIndex, **columns: object) -> pd.DataFrame:
    base = {"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 25.0, "wind_speed": 2.0}
    return pd.DataFrame({**base, **columns}, index=index)


def test_units_one_kwp_under_1000_w_per_m2_makes_one_kwh_an_hour(foshan_index):
    """Diffuse-only 1000 W/m² on a flat array: no sun-angle effects, only the stated losses."""
    weather = _flat_weather(foshan_index, ghi=1000.0, dhi=1000.0)
    site = {**FOSHAN, "tilt_deg": 0, "azimuth_deg": 180, "gamma_pdc_per_c": 0.0}
    lossless = pv_yield_kwh_per_kwp(weather, **site, system_losses_pct=0, dc_ac_ratio=1.0,
                                    inverter_efficiency=1.0)
    np.testing.assert_allclose(lossless, 1.0, rtol=1e-9)
    default = pv_yield_kwh_per_kwp(weather, **site)
    np.testing.assert_allclose(default, (1 - 0.1408) * 0.96, rtol=0.005)


def test_sun_is_placed_at_mid_hour(foshan_index):
    """On clear-sky hours made at mid-hour, east- and west-facing arrays must yield alike."""
    clear = pvlib.location.Location(FOSHAN["latitude_deg"], FOSHAN["longitude_deg"]).get_clearsky(
        foshan_index + pd.Timedelta(minutes=30))
    weather = _flat_weather(foshan_index, **{c: clear[c].to_numpy() for c in ("ghi", "dni", "dhi")})
    east, west = (pv_yield_kwh_per_kwp(weather, **FOSHAN, tilt_deg=30, azimuth_deg=az).sum()
                  for az in (90, 270))
    assert east == pytest.approx(west, rel=0.01)


def test_bad_system_parameters_are_input_errors(gso_weather):
    with pytest.raises(InputError, match="tilt_deg") as err:
        pv_yield_kwh_per_kwp(gso_weather, **GSO, tilt_deg=95, azimuth_deg=180,
                             temperature_model="roof")
    assert "temperature_model" in str(err.value)


# --- production files -------------------------------------------------------------------------

def _write_profile(path: Path, cells: list[str], header: str = "kwh_per_kwp") -> Path:
    path.write_text(header + "\n" + "\n".join(cells) + "\n")
    return path


def test_production_file_passes_through_unchanged(tmp_path):
    values = np.random.default_rng(0).uniform(0, 0.9, 8760)
    path = _write_profile(tmp_path / "pv.csv", [repr(float(v)) for v in values])
    np.testing.assert_array_equal(read_production_file(path), values)


@pytest.mark.parametrize("row,cell,message", [
    (5, "-0.1", r"negative.*row 5 "),
    (10, "cloudy", r"not a number.*row 10 "),
    (77, "", r"not a number.*row 77 "),
    (300, "3.5", r"exceeds 1.2.*row 300 "),
])
def test_production_file_bad_value_names_the_row(tmp_path, row, cell, message):
    cells = ["0.1"] * 8760
    cells[row - 1] = cell
    path = _write_profile(tmp_path / "pv.csv", cells)
    with pytest.raises(InputError, match=r"pv\.csv.*" + message):
        read_production_file(path)


@pytest.mark.parametrize("n,message", [(8759, r"8759 data rows.*row 8760 missing"),
                                       (8700, r"8700 data rows.*rows 8701\.\.8760 missing"),
                                       (8761, r"8761 data rows.*row 8761 extra")])
def test_production_file_wrong_length_names_the_rows(tmp_path, n, message):
    path = _write_profile(tmp_path / "pv.csv", ["0.1"] * n)
    with pytest.raises(InputError, match=message):
        read_production_file(path)


def test_production_file_with_two_columns_is_refused(tmp_path):
    path = _write_profile(tmp_path / "pv.csv", ["1,0.1"] * 8760, header="hour,kwh")
    with pytest.raises(InputError, match="2 columns"):
        read_production_file(path)
