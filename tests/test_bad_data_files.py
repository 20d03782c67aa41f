"""Bad data files: load CSVs, one-column series and weather files each give an InputError whose
lines name the file and the row, the value and what is allowed; never a traceback, never a
silent fix.

Load files are read against one week of hourly model steps (the readers derive every count from
the index), so the corpus stays fast; a few full-year files go through `zcf validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pvlib
import pytest
from typer.testing import CliRunner

from models.data.load_profile import read_load_csv
from models.data.series_file import read_single_column
from models.data.solar import read_production_file
from models.data.timeindex import model_year_index
from models.data.weather import read_weather_file
from models.errors import InputError
from optimizer.cli import app
from tests import corpus

WEEK = model_year_index(2025, "Asia/Shanghai")[:168]
STAMPS = pd.date_range("2025-01-01", periods=168, freq="h")
TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"


def plain(cells: list[str], header: str = "kw") -> str:
    return header + "\n" + "".join(f"{c}\n" for c in cells)


def stamped(cells: list[str] | None = None, stamps=STAMPS, fmt: str = "%Y-%m-%d %H:%M", sep: str = ",",
            header: str = "time,kw") -> str:
    cells = cells or ["1.5"] * len(stamps)
    rows = "".join(f"{t.strftime(fmt) if not isinstance(t, str) else t}{sep}{c}\n"
                   for t, c in zip(stamps, cells, strict=True))
    return header.replace(",", sep) + "\n" + rows


def ones(n: int = 168, **cells: str) -> list[str]:
    """`n` cells of '1.5', with cells given as r<row number>='text' (1-based data rows)."""
    out = ["1.5"] * n
    for key, text in cells.items():
        out[int(key[1:]) - 1] = text
    return out


def stamps_with(**rows: str) -> list:
    """The week's stamps, with rows given as r<row number>='text' (1-based) replaced."""
    out: list = list(STAMPS)
    for key, text in rows.items():
        out[int(key[1:]) - 1] = text
    return out


@dataclass
class LoadCase:
    id: str
    content: str | bytes
    expect: tuple[str, ...]
    column: str = "kw"
    timestamp_column: str | None = None
    timezone: str | None = None
    index: pd.DatetimeIndex = field(default_factory=lambda: WEEK)


QUARTER = pd.date_range("2025-01-01", periods=35040, freq="15min", tz=WEEK.tz)
INDEX_15_MIN = QUARTER[:672]
ROWS = "(data rows, after the header)"

LOAD_CASES = [
    LoadCase("empty", "", ("the file is empty; need a header row",)),
    LoadCase("blank_lines_only", "  \n\n \n", ("the file is empty",)),
    LoadCase("header_only", "kw\n", ("has a header but no data rows",)),
    LoadCase("header_and_blank_lines", "kw\n\n\n", ("has a header but no data rows",)),
    LoadCase("bom_only", b"\xef\xbb\xbf", ("has no header row",)),
    LoadCase("first_line_blank", "\nkw\n1\n", ("the first line is blank",)),
    LoadCase("one_row_short", plain(ones(167)), ("167 data rows, no timestamps; expected 168 × k rows",)),
    LoadCase("one_row_long", plain(ones(169)), ("169 data rows, no timestamps",)),
    LoadCase("odd_count", plain(ones(335)), ("335 data rows",)),
    LoadCase("two_hourly_rows", plain(ones(84)), ("84 data rows, no timestamps: one value per 2 model steps, coarser "
                                                  "than the model's hourly step",)),
    LoadCase("nan", plain(ones(r5="NaN")), (f"row 5 {ROWS}: empty or NaN kW in column 'kw'",)),
    LoadCase("n_a", plain(ones(r9="N/A")), (f"row 9 {ROWS}: empty or NaN kW",)),
    LoadCase("empty_cell", stamped(ones(r3="")), (f"row 3 {ROWS}: empty or NaN kW",)),
    LoadCase("text", plain(ones(r14="abc")), (f"row 14 {ROWS}: non-numeric kW 'abc'", "give a plain number in kW")),
    LoadCase("unit_in_cell", plain(ones(r2="12 kW")), ("non-numeric kW '12 kW'",)),
    LoadCase("negative", plain(ones(r16="-3")), (f"row 16 {ROWS}: negative kW -3; load must be ≥ 0",)),
    LoadCase("infinity", plain(ones(r17="inf")), ("non-numeric kW 'inf'",)),
    LoadCase("overflow", plain(ones(r18="1e400")), ("non-numeric kW '1e400'",)),
    LoadCase("minus_nan", plain(ones(r19="-nan")), ("non-numeric kW '-nan'",)),
    LoadCase("thousands_separator", plain(ones(r20="1,234.5")), (
        f"row 20 {ROWS}: 2 fields '1,234.5', the header has 1",)),
    LoadCase("quoted_decimal_comma", stamped(ones(r21='"1,5"')), (f"row 21 {ROWS}: non-numeric kW '1,5'",)),
    LoadCase("decimal_comma_with_commas", stamped(ones(r1="1,5")), (
        f"row 1 {ROWS}: 3 fields", "a decimal comma? then separate the columns with ';'")),
    LoadCase("mixed_decimal_marks", stamped(ones(r23="1,5"), sep=";"), (
        f"row 23 {ROWS}: decimal comma '1,5' in column 'kw', which also has decimal points",
        "use one decimal mark throughout")),
    LoadCase("german_thousands", stamped(ones(168, r24="1.234,5"), sep=";"), ("non-numeric kW '1.234,5'",)),
    LoadCase("arabic_digits", plain(ones(r25="١٢")), ("non-numeric kW '١٢'",)),
    LoadCase("underscore_digits", plain(ones(r26="1_000")), ("non-numeric kW '1_000'",)),
    LoadCase("hex_number", plain(ones(r27="0x10")), ("non-numeric kW '0x10'",)),
    LoadCase("two_decimal_points", plain(ones(r28="1.5.2")), ("non-numeric kW '1.5.2'",)),
    LoadCase("long_text_cell", plain(ones(r29="x" * 300)), ("non-numeric kW 'xxx", "...",)),
    LoadCase("unclosed_quote", plain(ones(r2='"1.5')), ("line 3 is not valid CSV", "every quote closed")),
    LoadCase("extra_field", stamped(ones(r4="1.5,7")), (f"row 4 {ROWS}: 3 fields", "the header has 2 ['time', 'kw']")),
    LoadCase("missing_field", stamped().replace("2025-01-01 03:00,1.5", "2025-01-01 03:00"), (
        f"row 4 {ROWS}: 1 field '2025-01-01 03:00'",)),
    LoadCase("mixed_separators", stamped(sep=";").replace("2025-01-01 05:00;1.5", "2025-01-01 05:00,1.5"), (
        f"row 6 {ROWS}: 1 field",)),
    LoadCase("column_twice", "kw,kw\n" + "1,2\n" * 168, ("column 'kw' appears 2 times in the header",)),
    LoadCase("column_typo", stamped(header="time,KW"), (
        "kW column 'kw' not found; columns present: ['time', 'KW']; did you mean 'KW'?",)),
    LoadCase("timestamp_column_missing", stamped(), ("timestamp column 'stamp' not found",), timestamp_column="stamp"),
    LoadCase("timestamp_column_is_kw", plain(ones()), ("timestamp_column and column are both 'kw'",),
             timestamp_column="kw"),
    LoadCase("duplicate_timestamp", stamped(stamps=stamps_with(r6="2025-01-01 04:00")), (
        f"rows 5, 6 {ROWS}: duplicate timestamp 2025-01-01 04:00", "each time may appear only once")),
    LoadCase("three_hour_gap", stamped(["1.5"] * 165, stamps=STAMPS.delete([34, 35, 36])), (
        "no data for 3 model hours (gaps), first 2025-01-02 10:00", "must cover every hour")),
    LoadCase("one_hour_gap", stamped(["1.5"] * 167, stamps=STAMPS.delete(50)), (
        "no data for 1 model hours (gaps), first 2025-01-03 02:00",)),
    LoadCase("clock_repeat_without_daylight_saving", stamped(stamps=stamps_with(r4="2025-01-01 02:00")), (
        "duplicate timestamp 2025-01-01 02:00",
        "follows daylight saving, set timezone to its zone; it is 'Asia/Shanghai'"),
             timezone="Asia/Shanghai"),
    LoadCase("unreadable_timestamp", stamped(stamps=stamps_with(r7="yesterday")), (
        f"row 7 {ROWS}: timestamp 'yesterday' in column 'time' is not a date-time",)),
    LoadCase("hour_24", stamped(stamps=stamps_with(r24="2025-01-01 24:00")), (
        "timestamp '2025-01-01 24:00'", "24:00 is not a time: label each value by the start of its interval")),
    LoadCase("day_or_month_first", stamped(fmt="%d/%m/%Y %H:%M"), (
        f"row 25 {ROWS}: timestamp '02/01/2025 00:00' reads as 01 February", "and as 02 January",
        "write dates as YYYY-MM-DD")),
    LoadCase("offset_on_some_rows", stamped(stamps=stamps_with(r1="2025-01-01T00:00+08:00")), (
        f"rows 2, 3, 4, 5, 6 and 162 more {ROWS}: timestamp '2025-01-01 01:00'",
        "has no UTC offset while row 1 has one")),
    LoadCase("two_formats", stamped(stamps=stamps_with(r10="01/01/2025 09:00")), (
        f"row 10 {ROWS}: timestamp '01/01/2025 09:00'", "not a date-time in the format of the other rows")),
    LoadCase("two_hourly_timestamps", stamped(["1"] * 84, stamps=STAMPS[::2]), (
        "time step 120 minutes is coarser than the model's hourly step", "every 60 minutes or finer")),
    LoadCase("seven_minute_step", stamped(["1"] * 1440, stamps=pd.date_range("2025-01-01", periods=1440, freq="7min")),
             ("time step 7 minutes does not divide the model's hourly step",)),
    LoadCase("irregular_quarter", stamped(["1"] * 672, stamps=[
        "2025-01-01 00:40" if t == "2025-01-01 00:30" else t
        for t in pd.date_range("2025-01-01", periods=672, freq="15min").strftime("%Y-%m-%d %H:%M")]),
             (f"row 3 {ROWS}: timestamp 2025-01-01 00:40 is off the file's regular 15-minute step",)),
    LoadCase("same_week_of_two_years", stamped(["1"] * 336, stamps=STAMPS.append(STAMPS - pd.Timedelta(days=366))), (
        "data spans 2024–2025 and repeats calendar times",)),
    LoadCase("half_week", stamped(["1"] * 84, stamps=STAMPS[:84]), (
        "no data for 84 model hours (gaps), first 2025-01-04 12:00",)),
    LoadCase("start_and_end_columns", "start_time,end_time,kw\n" + "".join(
        f"{a:%Y-%m-%d %H:%M},{a + pd.Timedelta(hours=1):%Y-%m-%d %H:%M},1\n" for a in STAMPS), (
        "several columns hold date-times ['start_time', 'end_time']", "load.timestamp_column")),
    LoadCase("date_and_time_apart", "date,time,kw\n" + "".join(f"{t:%Y-%m-%d},{t:%H:%M},1\n" for t in STAMPS), (
        "column 'date' holds dates without times of day ('2025-01-01')", "give date and time in one column")),
    LoadCase("excel_serial_numbers", stamped(stamps=[f"{45658 + i / 24:.5f}" for i in range(168)]), (
        "timestamp '45658.00000' in column 'time' is not a date-time",), timestamp_column="time"),
    LoadCase("times_of_day_only", stamped(stamps=[f"{t:%H:%M}" for t in STAMPS]), (
        "timestamp '00:00' in column 'time' is not a date-time",), timestamp_column="time"),
    LoadCase("timestamp_a_century_off", stamped(stamps=stamps_with(r6="9999-12-31 05:00")), (
        f"row 6 {ROWS}: timestamp '9999-12-31 05:00' in column 'time' lies more than a year from the others",
        "give at most one year of data"), timezone="Europe/Berlin"),
    LoadCase("time_column_of_words", stamped(stamps=["early shift"] * 168), (
        "column 'time' looks like a timestamp column but holds 'early shift', not a date-time",)),
    LoadCase("time_column_of_clock_times", stamped(stamps=[f"{t:%H:%M}" for t in STAMPS]), (
        "column 'time' looks like a timestamp column but holds '00:00'", "give date and time in one column")),
    LoadCase("one_stamp_turned_number", stamped(stamps=stamps_with(r1="0")), (
        f"row 1 {ROWS}: timestamp '0' in column 'time' is not a date-time",)),
    LoadCase("excel_workbook", b"PK\x03\x04" + bytes(200), ("an Excel workbook or a zip archive, not a CSV",)),
    LoadCase("old_excel_workbook", b"\xd0\xcf\x11\xe0" + bytes(200), ("an Excel workbook",)),
    LoadCase("utf16", stamped().encode("utf-16"), ("UTF-16 text", "save it as 'CSV UTF-8")),
    LoadCase("nul_bytes", b"kw\n1\x00\n", ("holds NUL bytes: a binary file",)),
    LoadCase("latin1_text", b"Zeit,Leistung kW\n" + "01.01.2025 00:00,1\xe9,\n".encode("latin-1"), (
        "neither UTF-8 nor GB18030 text (byte 0xe9",)),
    LoadCase("all_negative", plain(["-1"] * 168), (f"rows 1, 2, 3, 4, 5 and 163 more {ROWS}: negative kW -1",)),
    LoadCase("hourly_for_quarter_hour_model", plain(ones()), (
        "168 data rows, no timestamps: one value per 4 model steps, coarser than the model's 15-minute step",),
             index=INDEX_15_MIN),
    LoadCase("hourly_stamps_for_quarter_hour_model", stamped(), (
        "time step 60 minutes is coarser than the model's 15-minute step", "every 15 minutes or finer"),
             index=INDEX_15_MIN),
    LoadCase("gap_in_quarter_hour_model", stamped(["1"] * 668, stamps=QUARTER[:672].tz_localize(None).delete(
        [8, 9, 10, 11])), ("no data for 4 model steps (gaps), first 2025-01-01 02:00", "every 15-minute step"),
             index=INDEX_15_MIN),
    LoadCase("several_problems_at_once", plain(ones(r2="x", r3="-1", r4="")), (
        "row 2", "non-numeric kW 'x'", "row 3", "negative kW -1", "row 4", "empty or NaN kW")),
]


@pytest.mark.parametrize("case", LOAD_CASES, ids=lambda c: c.id)
def test_bad_load_file_names_file_row_value_and_rule(tmp_path, case):
    path = tmp_path / "meter.csv"
    path.write_bytes(case.content if isinstance(case.content, bytes) else case.content.encode())
    with pytest.raises(InputError) as info:
        read_load_csv(path, case.column, case.index, case.timestamp_column, case.timezone)
    corpus.refused(corpus.fingerprint("load", path.read_bytes(), case.column, case.timestamp_column, case.timezone,
                                      len(case.index)), info.value.problems, "load.file 'meter.csv'", *case.expect)


def test_load_file_missing_or_a_folder(tmp_path):
    for path, words in ((tmp_path / "gone.csv", "file not found"), (tmp_path, "is a folder; give a CSV file")):
        with pytest.raises(InputError) as info:
            read_load_csv(path, "kw", WEEK)
        corpus.refused(corpus.fingerprint("load path", words), info.value.problems, "load.file", words)


def _berlin_clock_year(drop_second_repeat: bool) -> str:
    """A year of hourly meter readings stamped in Berlin clock time (summer time included)."""
    instants = pd.date_range("2025-01-01", periods=8760, freq="h", tz="+01:00")
    clock = pd.Series(instants.tz_convert("Europe/Berlin").tz_localize(None))
    if drop_second_repeat:
        clock = clock[~clock.duplicated()]
    return stamped(["1"] * len(clock), stamps=list(clock))


def test_daylight_saving_repeat_given_once_is_refused(tmp_path):
    path = tmp_path / "meter.csv"
    path.write_text(_berlin_clock_year(drop_second_repeat=True))
    with pytest.raises(InputError) as info:
        read_load_csv(path, "kw", model_year_index(2025, "Europe/Berlin"), None, "Europe/Berlin")
    corpus.refused(corpus.fingerprint("load", path.read_bytes(), "Europe/Berlin"), info.value.problems,
                   "load.file 'meter.csv'", f"row 7154 {ROWS}: clock time 2025-10-26 02:00 is repeated by daylight "
                   "saving in Europe/Berlin but given once", "give it twice (summer time first)")


# --- one-column series: PV production and green-power shapes --------------------------------

SERIES_CASES = [
    ("empty", "", ("the file is empty; need a header row and one column of kWh/kWp values",)),
    ("header_only", "kwh_per_kwp\n", ("0 data rows, need 168 (one per model time step); rows 1..168 missing",)),
    ("two_columns", "hour,kwh\n" + "1,0.1\n" * 168, ("2 columns ['hour', 'kwh']; need exactly one column",)),
    ("decimal_comma", plain(["0,1"] * 168, "kwh_per_kwp"), ("2 fields '0,1', the header has 1",
                                                            "a decimal comma? then separate the columns with ';'")),
    ("kw_not_per_kwp", plain(["0.1"] * 29 + ["350"] + ["0.1"] * 138, "kwh_per_kwp"),
     ("value exceeds 1.2 kWh/kWp in one hour", "row 30 (350)")),
    ("negative", plain(["0.1"] * 4 + ["-0.1"] + ["0.1"] * 163, "kwh_per_kwp"), ("value is negative; must be ≥ 0",
                                                                                "row 5 (-0.1)")),
    ("text", plain(["0.1"] * 9 + ["cloudy"] + ["0.1"] * 158, "kwh_per_kwp"), ("value is not a number",
                                                                              "row 10 ('cloudy')")),
    ("short", plain(["0.1"] * 100, "kwh_per_kwp"), ("100 data rows, need 168", "rows 101..168 missing")),
    ("nan", plain(["0.1"] * 50 + ["NaN"] + ["0.1"] * 117, "kwh_per_kwp"), ("value is not a number", "row 51 ('NaN')")),
    ("workbook", b"PK\x03\x04" + bytes(64), ("an Excel workbook or a zip archive",)),
    ("thousands", plain(["1,000"] * 168, "kwh_per_kwp"), ("2 fields '1,000'",)),
]


@pytest.mark.parametrize("name, content, expect", SERIES_CASES, ids=[c[0] for c in SERIES_CASES])
def test_bad_production_file_names_rows_and_rule(tmp_path, name, content, expect):
    path = tmp_path / "pv.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError) as info:
        read_production_file(path, len(WEEK))
    corpus.refused(corpus.fingerprint("production", path.read_bytes()), info.value.problems,
                   f"pv.production_file '{path}'", *expect)


def test_bad_green_power_shape_names_rows(tmp_path):
    path = tmp_path / "shape.csv"
    path.write_text(plain(["1"] * 7 + ["high"] + ["1"] * 160, "share"))
    with pytest.raises(InputError) as info:
        read_single_column(path, "green_power.profile", len(WEEK), "relative")
    corpus.refused(corpus.fingerprint("shape", path.read_bytes()), info.value.problems, "green_power.profile",
                   "value is not a number: data row 8 ('high')")


# --- weather files: pvlib's Greensboro TMY3 year, broken in the ways files get broken ----------

TMY3_LINES = TMY3.read_text().splitlines()


def tmy3_with(row: int, column: int, value: str) -> str:
    """The TMY3 file with data row `row` (1-based), field `column` (0-based) replaced."""
    lines = list(TMY3_LINES)
    fields = lines[1 + row].split(",")
    fields[column] = value
    lines[1 + row] = ",".join(fields)
    return "\n".join(lines) + "\n"


GHI, TEMP, WIND = (TMY3_LINES[1].split(",").index(c) for c in ("GHI (W/m^2)", "Dry-bulb (C)", "Wspd (m/s)"))
WEATHER_CASES: list[tuple[str, Callable[[], str | bytes], tuple[str, ...]]] = [
    ("first_8000_hours", lambda: "\n".join(TMY3_LINES[:8002]) + "\n", ("8000 hourly records (29 Feb not counted), "
                                                                        "need a full year (8760)",)),
    ("cut_mid_line", lambda: "\n".join(TMY3_LINES)[: len("\n".join(TMY3_LINES)) // 2], ("hourly records",)),
    ("site_line_only", lambda: TMY3_LINES[0] + "\n", ("unknown weather format", "allowed: EPW, TMY3 CSV, PVGIS TMY")),
    ("header_lines_only", lambda: "\n".join(TMY3_LINES[:2]) + "\n", ("0 hourly records",)),
    ("empty", lambda: "", ("the file is empty; need an EPW, TMY3 or PVGIS TMY file",)),
    ("a_load_file", lambda: stamped(), ("unknown weather format (first line 'time,kw')",)),
    ("html_error_page", lambda: "<html><body>404 Not Found</body></html>\n", ("unknown weather format",)),
    ("semicolons", lambda: "\n".join(line.replace(",", ";") for line in TMY3_LINES) + "\n", (
        "not a readable TMY3 CSV file", "a truncated or edited file?")),
    ("four_columns", lambda: "\n".join(",".join(line.split(",")[:4]) for line in TMY3_LINES) + "\n", (
        "not a readable TMY3 CSV file",)),
    ("one_hour_twice", lambda: "\n".join([*TMY3_LINES, TMY3_LINES[-1]]) + "\n", ("8761 hourly records",)),
    ("ghi_out_of_range", lambda: tmy3_with(4000, GHI, "99999"), ("ghi = 99999 at", "allowed 0..1500")),
    ("ghi_blank", lambda: tmy3_with(100, GHI, ""), ("missing, blank or non-numeric data for 1 model hour(s)",)),
    ("missing_data_code", lambda: tmy3_with(200, TEMP, "-9999"), ("temp_air = -9999", "missing-data code?")),
    ("negative_wind", lambda: tmy3_with(300, WIND, "-5"), ("wind_speed = -5", "allowed 0..80")),
    ("bad_date", lambda: tmy3_with(50, 0, "13/45/1999"), ("not a readable TMY3 CSV file", "13/45/1999")),
    ("utf16", lambda: TMY3.read_text().encode("utf-16"), ("not a text file",)),
    ("workbook", lambda: b"PK\x03\x04" + bytes(100), ("not a text file",)),
    ("pvgis_json_cut", lambda: '{"inputs": {"location": ', ("not a readable PVGIS TMY JSON file",)),
    ("pvgis_json_empty_object", lambda: json.dumps({}), ("not a readable PVGIS TMY JSON file",)),
    ("epw_cut", lambda: "LOCATION,x,y,z,TMY,1,36,-80,-5,270\n" + "HEADER\n" * 7 + "2005,1,1,1,0,x\n", (
        "not a readable EPW file",)),
    ("epw_site_line_only", lambda: "LOCATION,x\n", ("not a readable EPW file",)),
]


@pytest.fixture(scope="module")
def ny_index() -> pd.DatetimeIndex:
    return model_year_index(2025, "America/New_York")


@pytest.mark.parametrize("name, make, expect", WEATHER_CASES, ids=[c[0] for c in WEATHER_CASES])
def test_bad_weather_file_names_the_file_and_the_fault(tmp_path, ny_index, name, make, expect):
    content = make()
    path = tmp_path / "weather.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError) as info:
        read_weather_file(path, ny_index)
    corpus.refused(corpus.fingerprint("weather", path.read_bytes()), info.value.problems,
                   f"weather.file '{path}'", *expect)


# --- full-year files through `zcf validate` -------------------------------------------------------

SCENARIO = """\
name: press shop
site: {{latitude: 23.0, longitude: 113.1}}
load: {load}
grid:
  tariff:
    prices_per_kwh: {{flat: 0.7}}
    schedule: [{{period: flat}}]
{extra}"""
YEAR = pd.date_range("2025-01-01", periods=8760, freq="h")


def year_cells(**cells: str) -> list[str]:
    return ones(8760, **cells)


CLI_CASES = [
    ("quarter_hours_with_negative", "{file: meter.csv, column: kw}", "",
     {"meter.csv": plain(ones(35040, r4000="-2"))}, ("load.file 'meter.csv' row 4000", "negative kW -2")),
    ("semicolons_mixed_marks", "{file: meter.csv, column: kw}", "",
     {"meter.csv": stamped(year_cells(r10="2,5"), stamps=YEAR, sep=";")}, ("decimal comma '2,5'",)),
    ("clock_repeat_in_china", "{file: meter.csv, column: kw}", "",
     {"meter.csv": stamped(["1"] * 8760, stamps=[*YEAR[:2000], YEAR[1999], *YEAR[2000:8759]])},
     ("duplicate timestamp 2025-03-25 07:00", "set timezone to its zone")),
    ("header_only_load", "{file: meter.csv, column: kw}", "", {"meter.csv": "time,kw\n"},
     ("load.file 'meter.csv': has a header but no data rows",)),
    ("bom_and_column_typo", "{file: meter.csv, column: load_kw}", "",
     {"meter.csv": "\ufeff" + plain(year_cells(), "Load_kW")},
     ("kW column 'load_kw' not found", "did you mean 'Load_kW'?")),
    ("truncated_weather", "{synthetic: {annual_mwh: 1000}}",
     "weather: {source: file, file: tmy3.csv}\npv: {capex_per_kw: 3000, arrays: [{name: roof, max_kw: 10}]}\n",
     {"tmy3.csv": "\n".join(TMY3_LINES[:5002]) + "\n"}, ("weather.file", "5000 hourly records")),
    ("production_in_kw", "{synthetic: {annual_mwh: 1000}}",
     "pv: {capex_per_kw: 3000, arrays: [{name: roof, max_kw: 10, production_file: pv.csv}]}\n",
     {"pv.csv": plain(["0.1"] * 3999 + ["450"] + ["0.1"] * 4760, "kwh_per_kwp")},
     ("pv.production_file", "row 4000 (450)", "kW instead of kW per kWp?")),
    ("green_shape_all_zero", "{synthetic: {annual_mwh: 1000}}",
     "green_power: {price_per_kwh: 0.6, profile: shape.csv}\n",
     {"shape.csv": plain(["0"] * 8760, "share")}, ("green_power.profile", "the shape sums to 0.0")),
]


@pytest.mark.parametrize("name, load, extra, files, expect", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_data_file_through_zcf_validate(tmp_path, name, load, extra, files, expect):
    for file_name, content in files.items():
        (tmp_path / file_name).write_text(content, encoding="utf-8")
    path = tmp_path / "plant.yaml"
    path.write_text(SCENARIO.format(load=load, extra=extra), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    corpus.refused(corpus.fingerprint("cli data", sorted(files.items()), load, extra),
                   [line.removeprefix("error: ") for line in lines], "", *expect)

