"""Time zone names from a scenario, checked before the tz database is asked (no pandas here: the schema uses it)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.errors import short_repr

# An IANA name: 'UTC', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'Etc/GMT+8'. Checked before
# ZoneInfo sees it, which would read '../x', '/etc/x' or 'Asia' (a folder) as paths of the tz database.
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]{1,30}(?:/[A-Za-z0-9_+-]{1,30}){0,2}", re.ASCII)


def zone_problem(name: object) -> str | None:
    """Why `name` is not a time zone the model can use, as one sentence; None if it is one."""
    if isinstance(name, str) and _ZONE_NAME.fullmatch(name):
        try:
            ZoneInfo(name)
            return None
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: 'Asia' is a folder of zones
            pass
    return f"{short_repr(name)} is not a known IANA time zone (for example 'Asia/Shanghai', 'Europe/Berlin')"
