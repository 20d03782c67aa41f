"""Valid but unusual inputs are accepted, read right, and the fix applied is reported as a note.

The rule: never a silent fix, refuse what is ambiguous. A `;`-separated file with decimal commas,
a byte-order mark, quarter-hour data, clock time with daylight saving or a leap year can each be
read one way only, so they are read, and the note says how.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from models.data.load_profile import read_load_csv
from models.data.solar import read_production_file
from models.data.timeindex import model_year_index
from optimizer.cli import app
from tests import corpus

WEEK = model_year_index(2025, "Asia/Shanghai")[:168]
STAMPS = pd.date_range("2025-01-01", periods=168, freq="h")
RAMP = np.arange(168) % 24 * 10.0 + 5.0  # kW of each model hour of the week: 5, 15, ... 235


def read(tmp_path: Path, content: str | bytes, index=WEEK, timezone: str | None = None,
         column: str = "kw") -> tuple[np.ndarray, list[str]]:
    path = tmp_path / "meter.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    kw, notes = read_load_csv(path, column, index, None, timezone)
    assert len(kw) == len(index) and np.isfinite(kw).all()
    return kw, notes


def rows(stamps, values, fmt: str = "%Y-%m-%d %H:%M", sep: str = ",", decimal: str = ".") -> str:
    return "".join(f"{t:{fmt}}{sep}{f'{v:g}'.replace('.', decimal)}\n" for t, v in zip(stamps, values, strict=True))


def test_semicolons_with_decimal_commas(tmp_path):
    kw, notes = read(tmp_path, "Zeitstempel;kw\n" + rows(STAMPS, RAMP + 0.5, sep=";", decimal=","))
    np.testing.assert_array_equal(kw, RAMP + 0.5)
    corpus.accepted("semicolon decimal comma", notes, "columns separated by ';'",
                    "read decimal commas in column 'kw' (1,5 = 1.5)")


def test_byte_order_mark(tmp_path):
    kw, notes = read(tmp_path, b"\xef\xbb\xbf" + ("time,kw\n" + rows(STAMPS, RAMP)).encode())
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("bom", notes, "skipped the UTF-8 byte-order mark (BOM)")


def test_quarter_hours_without_timestamps_are_averaged(tmp_path):
    quarters = np.repeat(RAMP, 4) + np.tile([-3.0, -1.0, 1.0, 3.0], 168)
    kw, notes = read(tmp_path, "kw\n" + "".join(f"{v:g}\n" for v in quarters))
    np.testing.assert_allclose(kw, RAMP)
    corpus.accepted("15 min", notes, "averaged 672 15-minute values to hourly")


def test_half_hours_with_timestamps_are_averaged(tmp_path):
    stamps = pd.date_range("2025-01-01", periods=336, freq="30min")
    halves = np.repeat(RAMP, 2) + np.tile([-2.0, 2.0], 168)
    kw, notes = read(tmp_path, "timestamp,kw\n" + rows(stamps, halves))
    np.testing.assert_allclose(kw, RAMP)
    corpus.accepted("30 min", notes, "averaged 336 30-minute values to hourly")


def test_quarter_hours_with_a_few_missing_are_averaged_over_those_present(tmp_path):
    stamps = pd.date_range("2025-01-01", periods=672, freq="15min")
    quarters = np.repeat(RAMP, 4)
    keep = np.ones(672, dtype=bool)
    keep[[5, 40, 41]] = False
    kw, notes = read(tmp_path, "time,kw\n" + rows(stamps[keep], quarters[keep]))
    np.testing.assert_allclose(kw, RAMP)
    corpus.accepted("15 min gaps", notes, "2 hourly steps have fewer than 4 values; averaged those present")


def test_clock_time_with_daylight_saving_is_converted_to_standard_time(tmp_path):
    """Berlin clocks skip 02:00 on 30 March and show 02:00 twice on 26 October."""
    index = model_year_index(2025, "Europe/Berlin")
    instants = pd.date_range("2025-01-01", periods=8760, freq="h", tz="+01:00")
    clock = instants.tz_convert("Europe/Berlin").tz_localize(None)
    assert clock.duplicated().sum() == 1 and pd.Timestamp("2025-03-30 02:00") not in clock
    kw, notes = read(tmp_path, "time,kw\n" + rows(clock, np.arange(8760.0)), index=index,
                     timezone="Europe/Berlin")
    np.testing.assert_array_equal(kw, np.arange(8760.0))  # each reading lands on its own standard hour
    corpus.accepted("dst", notes, "timestamps are clock time in Europe/Berlin with daylight saving "
                    "(2025-03-30 02:00 skipped, 2025-10-26 02:00 repeated); converted to standard time (UTC+01:00)")


def test_standard_time_in_a_daylight_saving_zone_is_kept(tmp_path):
    index = model_year_index(2025, "Europe/Berlin")
    stamps = pd.date_range("2025-01-01", periods=8760, freq="h")
    kw, notes = read(tmp_path, "time,kw\n" + rows(stamps, np.arange(8760.0)), index=index, timezone="Europe/Berlin")
    np.testing.assert_array_equal(kw, np.arange(8760.0))
    assert notes == []


def test_gb18030_text_from_chinese_windows(tmp_path):
    content = ("时间,负荷kW\n" + rows(STAMPS, RAMP)).encode("gb18030")
    kw, notes = read(tmp_path, content, column="负荷kW")
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("gb18030", notes, "read as GB18030 (Chinese Windows) text, not UTF-8")


def test_tab_separated(tmp_path):
    kw, notes = read(tmp_path, "time\tkw\n" + rows(STAMPS, RAMP, sep="\t"))
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("tab", notes, "columns separated by tab")


def test_excel_separator_line(tmp_path):
    kw, notes = read(tmp_path, "sep=;\ntime;kw\n" + rows(STAMPS, RAMP, sep=";", decimal=","))
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("sep line", notes, "used the separator ';' named on the first line ('sep=;')")


def test_leap_year_without_timestamps_drops_29_february(tmp_path):
    values = np.where(np.arange(8784) // 24 == 59, 999.0, 7.0)
    kw, notes = read(tmp_path, "kw\n" + "".join(f"{v:g}\n" for v in values), index=model_year_index(2025))
    assert (kw == 7.0).all()
    corpus.accepted("leap", notes, "dropped 29 February (24 values) from a leap-year file of 8784 rows")


def test_unsorted_rows_are_sorted(tmp_path):
    order = np.random.default_rng(1).permutation(168)
    kw, notes = read(tmp_path, "time,kw\n" + rows(STAMPS[order], RAMP[order]))
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("unsorted", notes, "sorted the rows by timestamp")


def test_day_first_dates_that_fit_one_reading_only(tmp_path):
    index = model_year_index(2025)
    stamps = pd.date_range("2025-01-01", periods=8760, freq="h")
    kw, notes = read(tmp_path, "time,kw\n" + rows(stamps, np.arange(8760.0), fmt="%d/%m/%Y %H:%M"), index=index)
    np.testing.assert_array_equal(kw, np.arange(8760.0))
    corpus.accepted("day first", notes, "read the timestamps in column 'time' as '%d/%m/%Y %H:%M'")


def test_another_years_data_is_mapped_by_calendar(tmp_path):
    kw, notes = read(tmp_path, "time,kw\n" + rows(pd.date_range("2024-01-01", periods=168, freq="h"), RAMP))
    np.testing.assert_array_equal(kw, RAMP)
    corpus.accepted("other year", notes, "timestamps fall in 2024; mapped to the model year 2025")


@pytest.mark.parametrize("per_step", [3, 15])
def test_finer_data_are_averaged_to_a_quarter_hour_model(tmp_path, per_step):
    """The readers follow the index's step: a 15-minute model takes 5- or 1-minute data."""
    index = pd.date_range("2025-01-01", periods=96 * 7, freq="15min", tz=WEEK.tz)
    minutes = 15 // per_step
    stamps = pd.date_range("2025-01-01", periods=len(index) * per_step, freq=f"{minutes}min")
    target = np.arange(len(index), dtype=float) + 10.0
    values = np.repeat(target, per_step) + np.tile(np.linspace(-1, 1, per_step), len(index))
    kw, notes = read(tmp_path, "time,kw\n" + rows(stamps, values), index=index)
    np.testing.assert_allclose(kw, target)
    corpus.accepted(f"{minutes} min for 15 min", notes,
                    f"averaged {len(values)} {minutes}-minute values to 15-minute")


def test_production_file_with_bom_is_read_and_noted(tmp_path):
    path = tmp_path / "pv.csv"
    path.write_bytes(b"\xef\xbb\xbfkwh_per_kwp\n" + b"0.25\n" * 168)
    notes: list[str] = []
    np.testing.assert_array_equal(read_production_file(path, 168, notes), np.full(168, 0.25))
    corpus.accepted("production bom", notes, "pv.production_file: skipped the UTF-8 byte-order mark")


def test_zcf_validate_prints_each_fix_as_a_note(tmp_path):
    stamps = pd.date_range("2025-01-01", periods=35040, freq="15min")
    (tmp_path / "meter.csv").write_bytes(b"\xef\xbb\xbf" + (
        "Zeit;Leistung_kW\n" + rows(stamps, np.full(35040, 1200.5), sep=";", decimal=",")).encode())
    (tmp_path / "plant.yaml").write_text("""\
name: press shop
site: {latitude: 23.0, longitude: 113.1}
load: {file: meter.csv, column: Leistung_kW}
grid:
  tariff:
    prices_per_kwh: {flat: 0.7}
    schedule: [{period: flat}]
""")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "plant.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "valid (8760 steps, 10,516 MWh load)" in result.stdout
    notes = [line.removeprefix("note: ") for line in result.stdout.splitlines() if line.startswith("note: ")]
    corpus.accepted("cli notes", notes, "skipped the UTF-8 byte-order mark", "columns separated by ';'",
                    "read decimal commas in column 'Leistung_kW'", "averaged 35040 15-minute values to hourly")
    assert len(notes) == 4
