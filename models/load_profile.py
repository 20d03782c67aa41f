"""Hourly site load in kW: read a metered CSV, or synthesise a two-shift automotive plant."""

from __future__ import annotations

import difflib
import warnings
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from models.errors import InputError, short_repr
from models.timeindex import HOURS_PER_YEAR

VALUES_PER_HOUR = (1, 2, 3, 4, 6, 12, 60)
_TIME_WORDS = ("time", "date", "时间", "日期")  # also matches timestamp, datetime, Date_Time
_HOUR = pd.Timedelta(hours=1)
LUNAR_NEW_YEAR = {y: date.fromisoformat(d) for y, d in zip(range(2020, 2036), (
    "2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
    "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23",
    "2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08"), strict=True)}  # Spring Festival


def _rows(positions: np.ndarray) -> str:
    nums = [str(int(p) + 1) for p in positions]
    more = f" and {len(nums) - 5} more" if len(nums) > 5 else ""
    s = "s" if len(nums) > 1 else ""
    return f"row{s} {', '.join(nums[:5])}{more} (data rows, after the header)"


def _fmt(stamps) -> str:
    return ", ".join(pd.Timestamp(t).strftime("%Y-%m-%d %H:%M") for t in list(stamps)[:5])


def _no_column(where: str, field: str, name: str, columns: list[str]) -> InputError:
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return InputError(f"{where}: {field} {name!r} not found; columns present: {columns}{hint}")


def _parse_times(raw: pd.Series) -> pd.Series:
    """Date-times from text, NaT where unreadable; mixed UTC offsets come back in UTC."""
    def parse(**kw) -> pd.Series:
        try:
            return pd.to_datetime(raw, errors="coerce", **kw)
        except ValueError:  # mixed UTC offsets
            return pd.to_datetime(raw, errors="coerce", utc=True, **kw)
    ts = parse()  # one format inferred from the first row; else element by element
    if ts.isna().any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mixed = parse(format="mixed")
        ts = mixed if mixed.isna().sum() < ts.isna().sum() else ts
    return ts


def _detect_time_column(table: pd.DataFrame, column: str) -> str | None:
    for name in table.columns:
        if name == column or not any(w in name.lower() for w in _TIME_WORDS):
            continue
        raw = table[name].str.strip()  # mostly date-times: bad ones are reported later, by row
        numeric = pd.to_numeric(raw, errors="coerce").notna().any()
        if not numeric and _parse_times(raw).notna().mean() > 0.5:
            return name
    return None


def _value_problems(where: str, column: str, raw: pd.Series) -> tuple[np.ndarray, list[str]]:
    raw = raw.str.strip()
    kw = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    empty = raw.str.lower().isin(["", "nan", "na", "n/a", "null", "none"]).to_numpy()
    text = (np.isnan(kw) & ~empty) | np.isinf(kw)
    problems = []
    for mask, what in ((text, f"non-numeric kW {{}} in column {column!r}; give a number in kW"),
                       (empty, f"empty or NaN kW in column {column!r}; every row needs a value"),
                       (kw < 0, "negative kW {}; load must be ≥ 0")):
        if mask.any():
            first = short_repr(raw[mask].iloc[0]) if mask is text else str(kw[mask][0])
            problems.append(f"{where} {_rows(np.flatnonzero(mask))}: {what.replace('{}', first)}")
    return kw, problems


def read_load_csv(path: Path, column: str, index: pd.DatetimeIndex,
                  timestamp_column: str | None = None) -> tuple[np.ndarray, list[str]]:
    """8760 hourly mean kW on `index` from a metered CSV, plus notes on the fixes applied.

    Rows without timestamps are consecutive from 1 January 00:00; with timestamps each value
    belongs to the hour it starts in (interval-start labelling).
    """
    where = f"load.file '{Path(path).name}'"
    read = partial(pd.read_csv, path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    try:
        try:
            table = read(encoding="utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
        except UnicodeDecodeError:
            table = read(encoding="gb18030")  # meter exports in China are often GBK
    except OSError as exc:
        raise InputError(f"{where}: cannot open {path} ({exc.strerror or exc})") from exc
    except ValueError as exc:  # parser errors, no header, undecodable bytes
        raise InputError(f"{where}: cannot be read as a CSV with a header row ({exc})") from exc
    table.columns = [str(c).strip() for c in table.columns]
    for field, name in (("kW column", column), ("timestamp column", timestamp_column)):
        if name is not None and name not in table.columns:
            raise _no_column(where, field, name, list(table.columns))
    filled = np.flatnonzero((table.apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy())
    if not len(filled):
        raise InputError(f"{where}: has a header but no data rows; give one row per time step")
    table = table.iloc[: filled[-1] + 1]  # blank lines at the end of the file are not data
    kw, problems = _value_problems(where, column, table[column])
    ts_col = timestamp_column or _detect_time_column(table, column)
    if ts_col is None:
        return _without_timestamps(where, kw, problems)
    return _with_timestamps(where, kw, table[ts_col].str.strip(), ts_col, index, problems)


def _without_timestamps(where: str, kw: np.ndarray, problems: list[str]):
    n, notes = len(kw), []
    k = next((k for k in VALUES_PER_HOUR if n in (HOURS_PER_YEAR * k, 8784 * k)), None)
    if k is None:
        problems.append(f"{where}: {n} data rows, no timestamps; expected 8760 × k rows (8784 × k "
                        f"in a leap year), k in {set(VALUES_PER_HOUR)}, or add a timestamp column")
    if problems:
        raise InputError(problems)
    if n == 8784 * k:
        kw = np.delete(kw, np.s_[59 * 24 * k: 60 * 24 * k])
        notes.append(f"dropped 29 February ({24 * k} values) from a leap-year file of {n} rows")
    if k > 1:
        kw = kw.reshape(HOURS_PER_YEAR, k).mean(axis=1)
        notes.append(f"averaged {HOURS_PER_YEAR * k} {60 // k}-minute values to hourly")
    return kw, notes


def _with_timestamps(where: str, kw: np.ndarray, raw: pd.Series, ts_col: str,
                     index: pd.DatetimeIndex, problems: list[str]):
    ts = _parse_times(raw)
    bad = ts.isna().to_numpy()
    if bad.any():
        problems.append(f"{where} {_rows(np.flatnonzero(bad))}: timestamp "
                        f"{short_repr(raw[bad].iloc[0])} in column {ts_col!r} is not a date-time "
                        "(one UTC offset for all rows, or none); use e.g. 2024-01-01 00:00")
    if problems:
        raise InputError(problems)
    ts = ts.dt.tz_localize(index.tz) if ts.dt.tz is None else ts.dt.tz_convert(index.tz)
    dup = ts.duplicated(keep=False).to_numpy()
    if dup.any():
        raise InputError(f"{where} {_rows(np.flatnonzero(dup))}: duplicate timestamp "
                         f"{_fmt(ts[dup].unique())}; each time may appear only once")
    notes = [] if ts.is_monotonic_increasing else ["sorted the rows by timestamp"]
    series = pd.Series(kw, index=pd.DatetimeIndex(ts)).sort_index()
    order = np.argsort(ts.to_numpy(), kind="stable")
    step = series.index.to_series().diff().mode().iloc[0] if len(series) > 1 else _HOUR
    per_hour, minutes = _HOUR // step, step.total_seconds() / 60
    if step > _HOUR or _HOUR % step != pd.Timedelta(0):
        raise InputError(f"{where}: time step {minutes:g} minutes does not divide an hour; use "
                         "a regular step of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes")
    off = np.asarray((series.index - series.index[0]) % step != pd.Timedelta(0))
    if off.any():
        raise InputError(f"{where} {_rows(order[off])}: timestamp {_fmt(series.index[off])} is off "
                         f"the file's regular {minutes:g}-minute step; the step must be regular")
    hourly = series.groupby(series.index.floor("h")).agg(["mean", "count"])
    if per_hour > 1:
        notes.append(f"averaged {len(series)} {minutes:g}-minute values to hourly")
    if short := int((hourly["count"] < per_hour).sum()):
        notes.append(f"{short} hours have fewer than {per_hour} values; averaged those present")
    feb29 = np.asarray((hourly.index.month == 2) & (hourly.index.day == 29))
    if feb29.any():
        notes.append(f"dropped 29 February ({int(feb29.sum())} hours)")
    hours, mean_kw = hourly.index[~feb29], hourly["mean"].to_numpy()[~feb29]
    key = hours.month * 10_000 + hours.day * 100 + hours.hour  # calendar hour, year-free
    model_year, years = index[0].year, sorted(set(hours.year))
    if years != [model_year]:
        repeat = np.asarray(pd.Index(key).duplicated())
        if repeat.any():
            raise InputError(f"{where}: data spans {years[0]}–{years[-1]} and repeats calendar "
                             f"hours (first {_fmt(hours[repeat])}); give at most one year of data")
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        notes.append(f"timestamps fall in {span}; mapped to the model year {model_year} by month, "
                     "day and hour")
    out = pd.Series(mean_kw, index=key).reindex(
        index.month * 10_000 + index.day * 100 + index.hour).to_numpy()
    missing = np.isnan(out)
    if missing.any():
        raise InputError(f"{where}: no data for {int(missing.sum())} model hours (gaps), first "
                         f"{_fmt(index[missing])}; the file must cover every hour of the year")
    return out, notes


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
    problems = [f"{f}.{name}: {v!r}; must be {rule}" for name, v, ok, rule in (
        ("annual_mwh", annual_mwh, np.isfinite(annual_mwh) and annual_mwh > 0, "> 0 MWh"),
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
