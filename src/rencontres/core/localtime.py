"""Local times of a group's zone → instants, with the clock changes said, never guessed.

Records hold local wall-clock times in the group's zone. On the day clocks go forward an
hour does not exist (02:30 in Paris on 2026-03-29); on the day they go back one happens
twice (02:30 on 2026-10-25). `check` refuses the first and warns about the second, and
every instant the tool writes (calendars in UTC) is the first of the two, so that every
reader agrees. A meeting's length is elapsed time: 120 minutes from 01:30 on the spring
day ends at 04:30 on the wall clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def instant(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A naive local time as an aware one in `tz`: the first of an hour that happens twice."""
    return local.replace(tzinfo=tz, fold=0)


def status(local: dt.datetime, tz: ZoneInfo) -> str:
    """"ok", "missing" (skipped when clocks go forward) or "twice" (clocks go back)."""
    first, second = local.replace(tzinfo=tz, fold=0), local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "ok"
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return "twice" if back == local else "missing"


def _offset(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def change(local: dt.datetime, tz: ZoneInfo) -> str:
    """The clock change around `local`: "clocks go from UTC+1 to UTC+2"."""
    before = local.replace(tzinfo=tz, fold=0).utcoffset()  # PEP 495: fold=0 is the
    after = local.replace(tzinfo=tz, fold=1).utcoffset()  # offset before the change
    assert before is not None and after is not None  # a ZoneInfo always has an offset
    from rencontres.core.i18n import _

    return _("clocks go from {before} to {after}").format(before=_offset(before),
                                                          after=_offset(after))


def span(tz: ZoneInfo, start: dt.datetime, end: dt.time | dt.datetime | None,
         minutes: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end as aware times in `tz`; without an end, `minutes` of elapsed time."""
    first = instant(start, tz)
    if end is None:
        last = (first.astimezone(UTC) + dt.timedelta(minutes=minutes)).astimezone(tz)
    elif isinstance(end, dt.datetime):
        last = instant(end, tz)
    else:
        last = instant(dt.datetime.combine(start.date(), end), tz)
    return first, last


def label(name: str, when: dt.datetime, lang: str) -> str:
    """"heure de Paris, UTC+1" / "Paris time, UTC+1", the offset of that very day."""
    offset = _offset(when.utcoffset() or dt.timedelta(0))
    if name in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return f"heure de {city}, {offset}" if lang == "fr" else f"{city} time, {offset}"
