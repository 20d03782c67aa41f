"""The model year: 8760 hourly steps in local standard time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from models.errors import InputError

HOURS_PER_YEAR = 8760


def standard_offset(tz_name: str, year: int) -> timezone:
    """The fixed UTC offset of a time zone's standard (winter) time in `year`.

    Daylight saving is ignored on purpose: plants meter and tariffs are set in wall-clock
    hours, but a model year needs every hour exactly once.
    """
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"timezone: {tz_name!r} is not a known IANA time zone (for example 'Asia/Shanghai')"
        ) from exc
    jan = datetime(year, 1, 15, 12, tzinfo=zone)
    offset = jan.utcoffset() - (jan.dst() or timedelta(0))
    return timezone(offset)


def model_year_index(year: int, tz_name: str = "Asia/Shanghai", step_minutes: int = 60) -> pd.DatetimeIndex:
    """Step-start timestamps of `year` in local standard time (8760 of them for hourly steps);
    a leap year drops 29 February.

    Each timestamp labels the step that begins at it: 00:00 covers [00:00, 01:00) for hours.
    """
    if step_minutes <= 0 or 60 % step_minutes:
        raise ValueError(f"step_minutes must divide an hour, got {step_minutes}")
    per_hour = 60 // step_minutes
    tz = standard_offset(tz_name, year)
    steps = pd.date_range(
        start=pd.Timestamp(year=year, month=1, day=1, tz=tz),
        periods=(8784 if _is_leap(year) else HOURS_PER_YEAR) * per_hour,
        freq=f"{step_minutes}min",
    )
    steps = steps[~((steps.month == 2) & (steps.day == 29))]
    assert len(steps) == HOURS_PER_YEAR * per_hour
    return steps


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
