"""Date arithmetic of the import that never raises (every day-of-month and leap-year case)."""

from __future__ import annotations

import datetime as dt


def after_day(when: dt.datetime, day: dt.date) -> dt.datetime | None:
    """The same day and month in the meeting's year or the next, the first after `day`;
    None when neither exists (29 February) or is after it."""
    for year in (day.year, day.year + 1):
        try:
            fixed = when.replace(year=year)
        except ValueError:  # 29 February of a common year, or beyond year 9999
            continue
        if fixed.date() > day:
            return fixed
    return None
