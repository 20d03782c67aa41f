"""Load profiles: the synthetic automotive shape and the metered-CSV reader's checks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from models.data.load_profile import read_load_csv, synthetic_automotive_load_kw
from models.data.timeindex import model_year_index
from models.errors import InputError

IDX = model_year_index(2025, "Asia/Shanghai")


def _kw_at(load_kw: np.ndarray, day: str, hour: int) -> float:
    return float(load_kw[IDX.get_loc(pd.Timestamp(f"{day} {hour:02d}:00", tz=IDX.tz))])


def _write(tmp_path, text: str, name: str = "plant.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _hourly_csv(tmp_path, year: int = 2025, drop: int | None = None, dup: int | None = None):
    stamps = pd.date_range(f"{year}-01-01", periods=8760, freq="h")
    frame = pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%d %H:%M"), "kw": np.arange(8760.0)})
    if dup is not None:
        frame.loc[dup, "timestamp"] = frame.loc[dup - 1, "timestamp"]
    if drop is not None:
        frame = frame.drop(index=range(drop, drop + 3))
    return _write(tmp_path, frame.to_csv(index=False))


def _errors(path, column: str = "kw") -> str:
    with pytest.raises(InputError) as info:
        read_load_csv(path, column, IDX)
    return str(info.value)


# --- synthetic profile ------------------------------------------------------------------------

def test_synthetic_sum_matches_annual_energy():
    load_kw = synthetic_automotive_load_kw(IDX, annual_mwh=120_000.0)
    assert load_kw.shape == (8760,)
    assert abs(load_kw.sum() - 120_000.0 * 1000) / (120_000.0 * 1000) < 1e-6


def test_synthetic_shape_shift_night_weekend():
    load_kw = synthetic_automotive_load_kw(IDX, annual_mwh=100_000.0, noise_share=0.0)
    # 2025-03-12 is a Wednesday, 2025-03-15 a Saturday
    assert _kw_at(load_kw, "2025-03-12", 10) > _kw_at(load_kw, "2025-03-12", 3) > 0
    assert _kw_at(load_kw, "2025-03-12", 10) > _kw_at(load_kw, "2025-03-15", 10)
    # paint-oven preheat sits between the night base and the shift
    assert _kw_at(load_kw, "2025-03-12", 3) < _kw_at(load_kw, "2025-03-12", 5)
    assert _kw_at(load_kw, "2025-03-12", 5) < _kw_at(load_kw, "2025-03-12", 10)


def test_spring_festival_week_is_lower_than_a_normal_february_week():
    load_kw = synthetic_automotive_load_kw(IDX, annual_mwh=100_000.0)
    days = pd.Series(load_kw, index=IDX)
    festival = days["2025-01-28":"2025-02-03"].mean()  # lunar new year 2025-01-29
    normal = days["2025-02-17":"2025-02-23"].mean()
    assert festival < 0.6 * normal


def test_seed_makes_noise_deterministic():
    a = synthetic_automotive_load_kw(IDX, 50_000.0, seed=1)
    assert np.array_equal(a, synthetic_automotive_load_kw(IDX, 50_000.0, seed=1))
    assert not np.allclose(a, synthetic_automotive_load_kw(IDX, 50_000.0, seed=2))


def test_year_outside_lunar_table_needs_a_date():
    idx = model_year_index(2040, "Asia/Shanghai")
    with pytest.raises(InputError, match="year 2040 is outside the built-in table 2020–2035"):
        synthetic_automotive_load_kw(idx, 1000.0)
    load_kw = synthetic_automotive_load_kw(idx, 1000.0, spring_festival_date=date(2040, 2, 12))
    assert abs(load_kw.sum() - 1e6) < 1e-3


def test_synthetic_rejects_bad_parameters_together():
    with pytest.raises(InputError) as info:
        synthetic_automotive_load_kw(IDX, -5.0, night_share=1.5)
    assert "annual_mwh" in str(info.value) and "night_share" in str(info.value)


# --- CSV reader ---------------------------------------------------------------------------------

def test_plain_hourly_column_passes_through(tmp_path):
    kw = np.round(np.random.default_rng(0).uniform(100, 900, 8760), 3)
    path = _write(tmp_path, "kw\n" + "\n".join(map(str, kw)) + "\n")
    load_kw, notes = read_load_csv(path, "kw", IDX)
    assert np.array_equal(load_kw, kw)
    assert notes == []


def test_fifteen_minute_values_are_averaged(tmp_path):
    kw = np.tile([100.0, 200.0, 300.0, 400.0], 8760)
    kw[4:8] = [0.0, 0.0, 10.0, 30.0]
    path = _write(tmp_path, "site_kw\n" + "\n".join(map(str, kw)) + "\n")
    load_kw, notes = read_load_csv(path, "site_kw", IDX)
    assert load_kw[0] == 250.0 and load_kw[1] == 10.0
    assert any("averaged 35040 15-minute values to hourly" in n for n in notes)


def test_leap_year_file_without_timestamps_drops_29_february(tmp_path):
    kw = np.where(np.arange(8784) // 24 == 59, 999.0, 1.0)
    path = _write(tmp_path, "kw\n" + "\n".join(map(str, kw)) + "\n")
    load_kw, notes = read_load_csv(path, "kw", IDX)
    assert load_kw.max() == 1.0 and any("29 February" in n for n in notes)


def test_timestamped_data_of_another_year_is_mapped(tmp_path):
    path = _hourly_csv(tmp_path, year=2023)
    load_kw, notes = read_load_csv(path, "kw", IDX)
    assert np.array_equal(load_kw, np.arange(8760.0))
    assert any("2023" in n and "model year 2025" in n for n in notes)


def test_timestamped_quarter_hours_with_offset(tmp_path):
    stamps = pd.date_range("2025-01-01", periods=35040, freq="15min", tz="Asia/Shanghai")
    kw = np.tile([1.0, 2.0, 3.0, 6.0], 8760)
    text = "time,kw\n" + "\n".join(f"{t.isoformat()},{v}" for t, v in zip(stamps, kw, strict=True))
    load_kw, notes = read_load_csv(_write(tmp_path, text), "kw", IDX)
    assert np.allclose(load_kw, 3.0) and any("15-minute" in n for n in notes)


def test_duplicate_timestamp_names_rows(tmp_path):
    message = _errors(_hourly_csv(tmp_path, dup=10))
    assert "rows 10, 11 (data rows, after the header)" in message
    assert "duplicate timestamp 2025-01-01 09:00" in message


def test_gap_names_missing_hours(tmp_path):
    message = _errors(_hourly_csv(tmp_path, drop=100))
    assert "no data for 3 model hours" in message and "2025-01-05 04:00" in message


def test_negative_text_and_nan_values_name_rows(tmp_path):
    kw = [str(v) for v in np.ones(8760)]
    kw[4], kw[8] = "-3.0", "-1"
    kw[6] = "n/a kW"
    kw[20] = ""
    path = _write(tmp_path, "kw\n" + "\n".join(kw) + "\n")
    message = _errors(path)
    assert ("load.file 'plant.csv' rows 5, 9 (data rows, after the header): negative kW -3.0; "
            "load must be ≥ 0") in message
    assert "row 7 (data rows, after the header): non-numeric kW 'n/a kW'" in message
    assert "row 21 (data rows, after the header): empty or NaN kW" in message


def test_nan_value_names_row(tmp_path):
    kw = ["5"] * 8760
    kw[99] = "NaN"
    message = _errors(_write(tmp_path, "kw\n" + "\n".join(kw) + "\n"))
    assert "row 100 (data rows, after the header): empty or NaN kW" in message


def test_wrong_length_without_timestamps(tmp_path):
    message = _errors(_write(tmp_path, "kw\n" + "1\n" * 8700))
    assert "8700 data rows" in message and "8760 × k" in message


def test_unknown_column_suggests_a_name(tmp_path):
    message = _errors(_write(tmp_path, "Load_kW,other\n1,2\n"), column="load_kw")
    assert "did you mean 'Load_kW'" in message and "other" in message


def test_irregular_step_is_rejected(tmp_path):
    stamps = list(pd.date_range("2025-01-01", periods=35040, freq="15min").strftime("%F %H:%M"))
    stamps[2] = "2025-01-01 00:40"
    message = _errors(_write(tmp_path, "timestamp,kw\n" + "".join(f"{t},1\n" for t in stamps)))
    assert "row 3 (data rows, after the header): timestamp 2025-01-01 00:40" in message
    assert "15-minute step" in message


def test_unreadable_timestamp_names_row(tmp_path):
    stamps = list(pd.date_range("2025-01-01", periods=8760, freq="h").strftime("%F %H:%M"))
    stamps[41] = "2025-01-02 5 o'clock"
    message = _errors(_write(tmp_path, "time,kw\n" + "".join(f"{t},1\n" for t in stamps)))
    assert "row 42 (data rows, after the header): timestamp" in message and "o'clock" in message
