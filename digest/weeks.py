"""ISO weeks as digests name them: ``2026-W48``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from digest.errors import BadWeek

_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


def week_of(day: date) -> str:
    """The ISO week containing ``day``, e.g. ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> str:
    """A week given as ``YYYY-Www`` (case and the dash are forgiven), normalised; raises BadWeek otherwise."""
    match = _WEEK.match(text or "")
    if not match:
        raise BadWeek(f"--week {text!r} is not a week; use YYYY-Www, e.g. 2026-W48")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise BadWeek(f"--week {text!r}: {year} has no week {week}") from None
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
    """The Monday and the Sunday of an ISO week."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)
