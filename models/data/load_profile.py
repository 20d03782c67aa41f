"""Hourly site load in kW: read a metered CSV, or synthesise a two-shift automotive plant."""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from models.data.csv_table import CsvTable, read_csv_table, rows_text
from models.data.timestamps import column_kind, fmt_times, offset_problem, parse_column, to_model_time
from models.errors import InputError, short_repr
from models.scenario.ranges import RANGES

_HOUR = pd.Timedelta(hours=1)
COARSER = "coarser than the model's"  # how errors about too few values per step say it
_YEAR = pd.Timedelta(days=366)
_TIME_WORDS = ("time", "date", "zeit", "datum", "时间", "日期")  # also timestamp, datetime, Date_Time
LUNAR_NEW_YEAR = {y: date.fromisoformat(d) for y, d in zip(range(2020, 2036), (
    "2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
    "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23",
    "2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08"), strict=True)}  # Spring Festival


def read_load_csv(path: Path, column: str, index: pd.DatetimeIndex, timestamp_column: str | None = None,
                  timezone: str | None = None) -> tuple[np.ndarray, list[str]]:
    """Mean kW on each step of `index` from a metered CSV, plus notes on every fix applied.

    Data finer than the index's step are averaged to it; coarser data are refused. Rows without
    timestamps are consecutive from 1 January 00:00; with timestamps each value belongs to the
    step it starts in (interval-start labelling). `timezone` (an IANA name) lets clock times with
    daylight saving be recognised; without it, timestamps without a UTC offset are standard time.
    """
    where = f"load.file '{Path(path).name}'"
    table = read_csv_table(Path(path), where, "a header row, then one row per time step")
    if timestamp_column is not None and timestamp_column == column:
        raise InputError(f"{where}: timestamp_column and column are both {column!r}; the kW values "
                         "and the timestamps need a column each")
    for field, name in (("kW column", column), ("timestamp column", timestamp_column)):
        if name is not None and name not in table.columns:
            raise _no_column(where, field, name, table.columns)
    if not table.rows:
        raise InputError(f"{where}: has a header but no data rows; give one row per time step")
    kw, problems = table.numbers(column, "kW")
    negative = np.flatnonzero(kw < 0)
    if len(negative):
        problems.append(f"{where} {rows_text(negative)}: negative kW {table.column(column)[negative[0]]}; "
                        "load must be ≥ 0")
    notes = table.notes
    ts_col = timestamp_column or _detect_time_column(table, column, where)
    if ts_col is None:
        out, more = _without_timestamps(where, kw, problems, index)
    else:
        raw = pd.Series(table.column(ts_col))
        out, more = _with_timestamps(where, kw, raw, ts_col, index, timezone, problems)
    return out, notes + more


def _no_column(where: str, field: str, name: str, columns: list[str]) -> InputError:
    lower = {c.lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.5)
    hint = f"; did you mean {lower[close[0]]!r}?" if close else ""
    return InputError(f"{where}: {field} {name!r} not found; columns present: {columns}{hint}")


def _detect_time_column(table: CsvTable, column: str, where: str) -> str | None:
    """The one column holding date-times, if any; two candidates are refused, not guessed.

    A column named like a timestamp column ('time', 'date', 'Zeit', '时间', ...) must hold
    date-times or numbers: text there is refused rather than the column being passed over.
    """
    named = [name for name in table.columns if name != column and any(w in name.lower() for w in _TIME_WORDS)]
    kinds = {name: column_kind(pd.Series(table.column(name))) for name in named}
    found = [name for name in named if kinds[name] == "times"]
    if len(found) > 1:
        raise InputError(f"{where}: several columns hold date-times {found}; name the one that "
                         "labels the start of each interval with load.timestamp_column (date and time "
                         "in separate columns: join them into one)")
    if not found and (text := [name for name in named if kinds[name] == "text"]):
        first = next(c for c in table.column(text[0]) if c)
        raise InputError(f"{where}: column {text[0]!r} looks like a timestamp column but holds "
                         f"{first!r}, not a date-time; give date and time in one column, e.g. "
                         "2025-01-01 00:15 (or name the timestamp column with load.timestamp_column)")
    return found[0] if found else None


def _model_step(index: pd.DatetimeIndex) -> pd.Timedelta:
    return index[1] - index[0] if len(index) > 1 else _HOUR


def _step_words(step: pd.Timedelta) -> str:
    return "hourly" if step == _HOUR else f"{step.total_seconds() / 60:g}-minute"


def _without_timestamps(where: str, kw: np.ndarray, problems: list[str], index: pd.DatetimeIndex):
    """Consecutive rows from 1 January 00:00: k rows per model step, or a leap year's worth."""
    n, steps, step = len(kw), len(index), _model_step(index)
    per_day = int(pd.Timedelta(days=1) / step)
    leap_steps = steps + per_day if steps == 365 * per_day else None
    minutes = int(step.total_seconds() // 60)
    ks = [k for k in range(1, minutes + 1) if minutes % k == 0]
    k = next((k for k in ks if n in (steps * k, (leap_steps or -1) * k)), None)
    if k is None:
        leap = f" ({leap_steps} × k in a leap year)" if leap_steps else ""
        coarse = next((m for m in range(2, 25) if n * m in (steps, leap_steps)), None)
        if coarse:
            problems.append(f"{where}: {n} data rows, no timestamps: one value per {coarse} model steps, "
                            f"{COARSER} {_step_words(step)} step; give {steps} rows or "
                            "more (finer data are averaged)")
        else:
            problems.append(f"{where}: {n} data rows, no timestamps; expected {steps} × k rows{leap}, "
                            f"k in {set(ks)} ({_step_words(step)} values or finer), or add a "
                            "timestamp column")
    if problems:
        raise InputError(problems)
    notes = []
    if n == (leap_steps or -1) * k:
        feb29 = 59 * per_day * k
        kw = np.delete(kw, np.s_[feb29: feb29 + per_day * k])
        notes.append(f"dropped 29 February ({per_day * k} values) from a leap-year file of {n} rows")
    if k > 1:
        notes.append(f"averaged {len(kw)} {minutes // k}-minute values to {_step_words(step)}")
        kw = kw.reshape(steps, k).mean(axis=1)
    return kw, notes


def _with_timestamps(where: str, kw: np.ndarray, raw: pd.Series, ts_col: str, index: pd.DatetimeIndex,
                     timezone: str | None, problems: list[str]):
    ts, fmt, ambiguity = parse_column(raw)
    bad = ts.isna().to_numpy()
    if bad.any():
        hint = ("; 24:00 is not a time: label each value by the start of its interval"
                if raw[bad].str.contains("24:00").any() else "")
        problems.append(f"{where} {rows_text(np.flatnonzero(bad))}: timestamp "
                        f"{short_repr(raw[bad].iloc[0])} in column {ts_col!r} is not a date-time in "
                        f"the format of the other rows; use one format throughout, e.g. "
                        f"2025-01-01 00:00{hint}")
    if ambiguity is not None:
        problems.append(f"{where} {rows_text([ambiguity[0]])}: {ambiguity[1]}")
    if (mixed := offset_problem(raw, where, ts_col)) is not None:
        problems.append(mixed)
    if problems:
        raise InputError(problems)
    far = (ts - ts.median()).abs() > _YEAR
    if far.any():
        raise InputError(f"{where} {rows_text(np.flatnonzero(far.to_numpy()))}: timestamp "
                         f"{short_repr(raw[far].iloc[0])} in column {ts_col!r} lies more than a year from the "
                         f"others (around {ts.median():%Y-%m-%d}); give at most one year of data")
    if len(ts) > 1 and ts.dt.normalize().nunique() == 1 and ts.nunique() < len(ts):
        raise InputError(f"{where}: every timestamp in column {ts_col!r} falls on one day ({raw.iloc[0]!r} "
                         "...): times of day without dates? give date and time in one column, "
                         "e.g. 2025-01-01 00:15")
    if len(ts) > 1 and (ts == ts.dt.normalize()).all() and ts.nunique() < len(ts):
        raise InputError(f"{where}: column {ts_col!r} holds dates without times of day ({raw.iloc[0]!r}) "
                         "and repeats them; give date and time in one column, e.g. 2025-01-01 00:15")
    ts, notes = to_model_time(ts, index.tz, timezone, where)
    if fmt != "ISO 8601":
        notes.insert(0, f"read the timestamps in column {ts_col!r} as {fmt!r} (e.g. {raw.iloc[-1]!r})")
    dup = ts.duplicated(keep=False).to_numpy()
    if dup.any():
        one_hour = ts[dup].dt.floor("h").nunique() == 1
        hint = (f" (if the meter's clock follows daylight saving, set timezone to its zone; "
                f"it is {timezone!r})" if one_hour and timezone else "")
        raise InputError(f"{where} {rows_text(np.flatnonzero(dup))}: duplicate timestamp "
                         f"{fmt_times(ts[dup].unique())}; each time may appear only once{hint}")
    if not ts.is_monotonic_increasing:
        notes.append("sorted the rows by timestamp")
    series = pd.Series(kw, index=pd.DatetimeIndex(ts)).sort_index()
    order = np.argsort(ts.to_numpy(), kind="stable")
    model_step = _model_step(index)
    step = series.index.to_series().diff().mode().iloc[0] if len(series) > 1 else model_step
    minutes = step.total_seconds() / 60
    if step > model_step:
        raise InputError(f"{where}: time step {minutes:g} minutes is {COARSER} "
                         f"{_step_words(model_step)} step; give a value every "
                         f"{model_step.total_seconds() / 60:g} minutes or finer")
    if model_step % step != pd.Timedelta(0):
        raise InputError(f"{where}: time step {minutes:g} minutes does not divide the model's "
                         f"{_step_words(model_step)} step; use a regular step that does, e.g. 1, 5, "
                         "15 or 30 minutes")
    off = np.asarray((series.index - series.index[0]) % step != pd.Timedelta(0))
    if off.any():
        raise InputError(f"{where} {rows_text(order[off])}: timestamp {fmt_times(series.index[off])} is "
                         f"off the file's regular {minutes:g}-minute step; the step must be regular")
    per_step = model_step // step
    grouped = series.groupby(series.index.floor(model_step)).agg(["mean", "count"])
    if per_step > 1:
        notes.append(f"averaged {len(series)} {minutes:g}-minute values to {_step_words(model_step)}")
    if short := int((grouped["count"] < per_step).sum()):
        notes.append(f"{short} {_step_words(model_step)} steps have fewer than {per_step} values; "
                     "averaged those present")
    feb29 = np.asarray((grouped.index.month == 2) & (grouped.index.day == 29))
    if feb29.any():
        notes.append(f"dropped 29 February ({int(feb29.sum())} {_step_words(model_step)} steps)")
    starts, mean_kw = grouped.index[~feb29], grouped["mean"].to_numpy()[~feb29]
    key = _calendar_key(starts)
    model_year, years = index[0].year, sorted(set(starts.year))
    if years != [model_year]:
        repeat = np.asarray(pd.Index(key).duplicated())
        if repeat.any():
            raise InputError(f"{where}: data spans {years[0]}–{years[-1]} and repeats calendar "
                             f"times (first {fmt_times(starts[repeat])}); give at most one year of data")
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        notes.append(f"timestamps fall in {span}; mapped to the model year {model_year} by month, "
                     "day and time of day")
    out = pd.Series(mean_kw, index=key).reindex(_calendar_key(index)).to_numpy()
    missing = np.isnan(out)
    if missing.any():
        steps = "hours" if model_step == _HOUR else "steps"
        raise InputError(f"{where}: no data for {int(missing.sum())} model {steps} (gaps), first "
                         f"{fmt_times(index[missing])}; the file must cover every "
                         f"{'hour' if model_step == _HOUR else _step_words(model_step) + ' step'} of the year")
    return out, notes


def _calendar_key(stamps: pd.DatetimeIndex) -> np.ndarray:
    """Month, day, hour and minute as one year-free number."""
    return np.asarray(((stamps.month * 100 + stamps.day) * 100 + stamps.hour) * 100 + stamps.minute)


def synthetic_automotive_load_kw(
    index: pd.DatetimeIndex, annual_mwh: float, shift_start_hour: int = 6,
    shift_end_hour: int = 24, night_share: float = 0.35, weekend_share: float = 0.30,
    shutdown_share: float = 0.20, spring_festival_shutdown_days: int = 9,
    spring_festival_date: date | None = None, paint_preheat_hours: int = 2,
    summer_cooling_share: float = 0.10, noise_share: float = 0.03, seed: int = 0,
) -> np.ndarray:
    """8760 hourly kW of a two-shift car plant (body, paint, assembly), summing to annual_mwh.

    For studies without metered data. The shape is an estimate from industry notes, not a
    measurement: two shifts ≈ 06:00–24:00 at full load; nights 30–40 % and weekends 25–35 % of
    production load (paint ovens kept warm, compressed air, HVAC, lighting); paint ovens
    preheat 1–2 h before the shift (ramp to 0.7); Spring Festival shutdown about 7–10 days
    from 2 days before the lunar new year; summer cooling uplift Jun–Sep, stronger by day.
    """
    f, start, days = "load.synthetic", shift_start_hour, spring_festival_shutdown_days
    year = index[0].year
    shares = (("night_share", night_share), ("weekend_share", weekend_share),
              ("shutdown_share", shutdown_share), ("summer_cooling_share", summer_cooling_share),
              ("noise_share", noise_share))
    most_mwh = RANGES["mwh"].high
    problems = [f"{f}.{name}: {v!r}; must be {rule}" for name, v, ok, rule in (
        ("annual_mwh", annual_mwh, np.isfinite(annual_mwh) and 0 < annual_mwh <= most_mwh,
         f"> 0 MWh and at most {most_mwh:g} MWh ({RANGES['mwh'].why})"),
        ("shift_start_hour", start, 0 <= start < shift_end_hour <= 24,
         f"0 ≤ shift_start_hour < shift_end_hour ({shift_end_hour}) ≤ 24"),
        ("paint_preheat_hours", paint_preheat_hours, 0 <= paint_preheat_hours <= start,
         f"0 to shift_start_hour ({start})"),
        ("spring_festival_shutdown_days", days, 0 <= days <= 60, "0 to 60"),
        *((name, v, 0 <= v <= 1, "between 0 and 1") for name, v in shares)) if not ok]
    lny = spring_festival_date or LUNAR_NEW_YEAR.get(year)
    if lny is None:
        problems.append(f"{f}.spring_festival_date: year {year} is outside the built-in table "
                        "2020–2035; give the date")
    elif lny.year != year:
        problems.append(f"{f}.spring_festival_date: {lny} is not in the model year {year}; "
                        f"give the lunar new year date of {year}")
    if problems:
        raise InputError(problems)
    hour, month, day = index.hour.to_numpy(), index.month.to_numpy(), index.date
    working = index.day_of_week.to_numpy() < 5
    shape = np.where(working & (hour >= start) & (hour < shift_end_hour), 1.0, night_share)
    for i in range(1, paint_preheat_hours + 1):  # ramp up to 0.7 at the hour before the shift
        level = night_share + (0.7 - night_share) * (1 - (i - 1) / paint_preheat_hours)
        shape[working & (hour == start - i)] = max(level, night_share)
    shape[~working] = weekend_share
    first = lny - timedelta(days=2)
    shape[(day >= first) & (day < first + timedelta(days=days))] = shutdown_share
    summer = (month - 6 + (index.day.to_numpy() - 1) / index.days_in_month.to_numpy()) / 4
    bump = np.where((month >= 6) & (month <= 9), np.sin(np.pi * summer), 0.0)  # 0 → 1 → 0
    daytime = 0.5 + 0.5 * (0.5 + 0.5 * np.cos(2 * np.pi * (hour - 15) / 24))  # peak at 15:00
    shape = shape * (1 + summer_cooling_share * bump * daytime)
    noise = noise_share * np.random.default_rng(seed).standard_normal(len(shape))
    shape = np.clip(shape * (1 + noise), 0.0, None)
    return shape * (annual_mwh * 1000.0 / shape.sum())
