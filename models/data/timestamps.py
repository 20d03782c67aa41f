"""Timestamps of a metered CSV: one reading for the whole column, then the model's standard time.

A column is read with one date-time format for every row (never row by row), so 01/02 cannot be
2 January on one row and 1 February on the next; when day-first and month-first both fit every
row the column is refused. Clock times of a zone with daylight saving are recognised by the hour
the clocks skip in spring and the hour they repeat in autumn, and converted to standard time.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from models.data.csv_table import rows_text
from models.errors import InputError, short_repr

_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$", re.ASCII)
_SAMPLE = 50


def fmt_times(stamps) -> str:
    """Up to five timestamps as 'YYYY-MM-DD HH:MM'."""
    return ", ".join(pd.Timestamp(t).strftime("%Y-%m-%d %H:%M") for t in list(stamps)[:5])


def parse_column(raw: pd.Series) -> tuple[pd.Series, str, tuple[int, str] | None]:
    """Date-times from text with one format for every row (NaT where a row does not fit it).

    Returns the timestamps, the format used ('ISO 8601' or a strftime pattern) and, when two
    readings fit equally well but disagree (day-first and month-first), the first row where they
    do with a sentence saying so; the caller refuses the column then.
    """
    filled = raw[raw != ""]
    readings = {"ISO 8601": _parse(raw, "ISO8601")}
    if readings["ISO 8601"].notna().sum() < len(filled):
        for dayfirst in (False, True):
            guesses = Counter(guess_datetime_format(v, dayfirst=dayfirst) for v in filled.iloc[:_SAMPLE])
            guesses.pop(None, None)
            fmt = guesses.most_common(1)[0][0] if guesses else None
            if fmt is not None and fmt not in readings and not (dayfirst and fmt.startswith("%Y")):
                readings[fmt] = _parse(raw, fmt)
    best = max(r.notna().sum() for r in readings.values())
    tied = [(name, r) for name, r in readings.items() if r.notna().sum() == best]
    (name, ts), others = tied[0], tied[1:]
    for other_name, other in others:
        differ = np.flatnonzero((ts != other).to_numpy() & ts.notna().to_numpy())
        if len(differ):
            i = int(differ[0])
            return ts, name, (i, f"timestamp {raw.iloc[i]!r} reads as {ts.iloc[i]:%d %B} with "
                           f"'{name}' and as {other.iloc[i]:%d %B} with '{other_name}', and both fit "
                           "every row; write dates as YYYY-MM-DD")
    return ts, name, None


def column_kind(raw: pd.Series) -> str | None:
    """'times', 'numbers' or 'text' by what most of the first rows hold; None if all are blank.

    By majority, so one damaged row in a timestamp column is still reported by row later on.
    """
    sample = raw[raw != ""].iloc[:_SAMPLE]
    if sample.empty:
        return None
    if pd.to_numeric(sample, errors="coerce").notna().mean() > 0.5:
        return "numbers"
    return "times" if parse_column(sample)[0].notna().mean() > 0.5 else "text"


def offset_problem(raw: pd.Series, where: str, column: str) -> str | None:
    """Rows with and rows without a UTC offset in one column cannot be put on one clock."""
    has = raw.str.contains(_OFFSET).to_numpy() & (raw != "").to_numpy()
    if has.any() and not has[(raw != "").to_numpy()].all():
        without = np.flatnonzero(~has & (raw != "").to_numpy())
        return (f"{where} {rows_text(without)}: timestamp {short_repr(raw.iloc[without[0]])} in column "
                f"{column!r} has no UTC offset while row {np.flatnonzero(has)[0] + 1} has one "
                f"({raw.iloc[np.flatnonzero(has)[0]]!r}); give an offset on every row or on none")
    return None


def to_model_time(ts: pd.Series, index_tz, timezone: str | None,
                  where: str) -> tuple[pd.Series, list[str]]:
    """Timestamps in the model's standard time (`index_tz`), with a note when clock time was read.

    Timestamps with a UTC offset are converted. Timestamps without one are standard time unless
    `timezone` has daylight saving and the column follows it: the hour skipped in spring is absent
    (and none of its times present) or the hour repeated in autumn is there twice. The first of
    two equal clock times is then summer time, the second standard time.
    """
    if ts.dt.tz is not None:
        return ts.dt.tz_convert(index_tz), []
    standard = ts.dt.tz_localize(index_tz)
    if timezone is None or ts.empty or ts.max() - ts.min() > pd.Timedelta(days=800):
        return standard, []  # more than a year of data is refused later; no clock to read here
    span = pd.date_range(ts.min().floor("h"), ts.max().ceil("h"), freq="h")
    skipped = _nonexistent(pd.Series(span), timezone)
    repeated = _ambiguous(pd.Series(span), timezone)
    if not skipped.any() and not repeated.any():
        return standard, []
    in_skipped = ts.dt.floor("h").isin(span[skipped]).to_numpy()
    if in_skipped.any():
        return standard, []  # clocks that skip an hour cannot show it: this is standard time
    ambiguous = ts.dt.floor("h").isin(span[repeated]).to_numpy()
    twice = ambiguous & ts.duplicated(keep=False).to_numpy()
    if not skipped.any() and not twice.any():
        return standard, []
    once = ambiguous & ~twice
    if once.any():
        raise InputError(f"{where} {rows_text(np.flatnonzero(once))}: clock time {fmt_times(ts[once])} "
                         f"is repeated by daylight saving in {timezone} but given once, while the file "
                         "follows daylight saving elsewhere; give it twice (summer time first) or use "
                         "standard time throughout")
    summer = ambiguous & ~ts.duplicated(keep="first").to_numpy()
    local = ts.dt.tz_localize(timezone, ambiguous=summer, nonexistent="raise")
    seen = [f"{fmt_times(span[skipped][:1])} skipped" if skipped.any() else "",
            f"{fmt_times(ts[twice][:1])} repeated" if twice.any() else ""]
    return local.dt.tz_convert(index_tz), [
        f"timestamps are clock time in {timezone} with daylight saving "
        f"({', '.join(s for s in seen if s)}); converted to standard time ({index_tz})"]


def _parse(raw: pd.Series, fmt: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pd.to_datetime(raw, errors="coerce", format=fmt)
        except ValueError:  # several UTC offsets in one column: put them on one clock
            return pd.to_datetime(raw, errors="coerce", format=fmt, utc=True)


def _nonexistent(wall: pd.Series, timezone: str) -> np.ndarray:
    every = np.ones(len(wall), dtype=bool)
    return wall.dt.tz_localize(timezone, ambiguous=every, nonexistent="NaT").isna().to_numpy()


def _ambiguous(wall: pd.Series, timezone: str) -> np.ndarray:
    summer = wall.dt.tz_localize(timezone, ambiguous=np.ones(len(wall), bool), nonexistent="NaT")
    winter = wall.dt.tz_localize(timezone, ambiguous=np.zeros(len(wall), bool), nonexistent="NaT")
    return (summer != winter).to_numpy() & summer.notna().to_numpy()
