"""The model year: 8760 hourly steps in local standard time."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from models.data.zones import zone_problem
from models.errors import InputError

HOURS_PER_YEAR = 8760
SEASON_DAYS = 90


@lru_cache(maxsize=64)
def standard_offset(tz_name: str, year: int) -> timezone:
    """The fixed UTC offset of the model year: the zone's standard (winter) time in `year`.

    Daylight saving is ignored on purpose: plants meter and tariffs are set in wall-clock
    hours, but a model year needs every hour exactly once.

    It is the lowest offset the zone's clocks show for a season (at least SEASON_DAYS days) of the
    year, read from the offsets alone, not from tzdata's flags: Europe/Dublin keeps Irish Standard
    Time (UTC+1) as its legal standard time and GMT as a negative daylight saving in winter, yet the
    model takes GMT (UTC+0), as for Europe/London, and the clocks of both are the same all year.
    Australia/Sydney gets UTC+10 (its July). Africa/Casablanca gets UTC+1: Morocco's legal time since
    2018, and tzdata's standard time, shown all year but for about a month around Ramadan, when
    clocks go back to UTC+0 (a period too short to be a season).
    """
    if (problem := zone_problem(tz_name)) is not None:
        raise InputError(f"timezone: {problem}")
    zone = ZoneInfo(tz_name)
    first = date(year, 1, 1).toordinal()
    days = (date.fromordinal(first + k) for k in range(date(year + 1, 1, 1).toordinal() - first))
    shown = Counter(datetime(d.year, d.month, d.day, 12, tzinfo=zone).utcoffset() or timedelta(0) for d in days)
    seasons = [offset for offset, count in shown.items() if count >= SEASON_DAYS]
    return timezone(min(seasons) if seasons else shown.most_common(1)[0][0])


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
