"""The next meeting's sentence read into `[next]`'s values: its date (a year before the
meeting corrected, `dates.after_day`), venue, address and phone, and the notes of what was
corrected. Pure text; `reader` calls it."""

from __future__ import annotations

import datetime as dt
import re

from rencontres.core.i18n import N_
from rencontres.importer.dates import after_day
from rencontres.importer.lines import NBSP
from rencontres.importer.said import Said

_PHONE = re.compile(r"\(?\s*((?:\+\d{2}\s?)?\d{2}(?:[\s.-]?\d{2}){4})\s*\)?")
_WHEN = re.compile(r"^(?P<when>(?:\w+\s+)??\d{1,2}(?:er)?\s+[^\W\d]+\.?\s+\d{4}"
                   r"(?:\s*(?:à|at|,)?\s*\d{1,2}\s*[h:]\s*\d{0,2}\s*(?:am|pm)?)?)"
                   r"\s*[,]?\s*(?P<rest>.*)$", re.IGNORECASE)


def next_meeting(rest: str, meeting_day: dt.date | None) -> tuple[dict | None, list[str]]:
    """"16 Janvier 2007 à 14h00 dans les locaux d’Energie Alternative , 52, La Cannebière
    (05 91 33 65 77)" → date, venue, address, phone (and the notes of what was corrected)."""
    from rencontres.core.errors import NotADate
    from rencontres.entry.input import parse_when

    rest = " ".join(rest.replace(NBSP, " ").split()).rstrip(".")
    m = _WHEN.match(rest)
    if not m:
        return None, []
    try:
        when = parse_when(m["when"])
    except NotADate:
        return None, []
    notes: list[str] = []
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(14, 0))
        notes.append(Said(N_("no hour given: 14:00 stands in")))
    out: dict = {"date": when}
    if meeting_day is not None and when.date() <= meeting_day:
        printed = m["when"].strip()
        fixed = after_day(when, meeting_day)
        if fixed is None:
            notes.append(Said(N_("the article prints \"{printed}\", before the meeting itself "
                                 "({day}): no change of year makes it a date after it: kept as "
                                 "written here, the date left to be set"),
                              printed=printed, day=meeting_day.isoformat()))
        else:
            notes.append(Said(N_("the article prints \"{printed}\", before the meeting itself "
                                 "({day}): read as {date}, the first such date after it"),
                              printed=printed, day=meeting_day.isoformat(),
                              date=fixed.date().isoformat()))
        out = {"date": fixed} if fixed else {}
    place = m["rest"]
    phone = _PHONE.search(place)
    if phone:
        out["phone"] = phone[1].strip()
        place = (place[:phone.start()] + place[phone.end():]).strip(" ,")
    place = re.sub(r"^(?:dans les locaux|chez|at|in|à|au|aux)\s+", "", place, flags=re.I)
    place = re.sub(r"^(?:d['’]|de la |de l['’]|du |des |de )", "", place, flags=re.I)
    venue, _comma, address = (s.strip() for s in place.partition(","))
    if venue:
        out["venue"] = venue
    if address:
        out["address"] = address
    return out, notes
