"""What the archive proposes for a new meeting's record, before anyone is asked.

The date the group announced and has not transcribed yet; for that date, what the record
that announced it planned (its end, venue, address, the UID its invitation gave the meeting,
its agenda: a topic each); and the actions still open, to review in a first topic, each a
follow-up naming the action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rencontres.core.model import Meeting


@dataclass
class Defaults:
    """The proposals for one meeting (what `new` pre-fills or, without a terminal, writes)."""

    end: dt.time | dt.datetime | None = None
    uid: str = ""
    venue: str = ""
    address: str = ""
    review: list[dict] = field(default_factory=list)  # the open actions, as follow-ups
    topics: list[dict] = field(default_factory=list)  # the review topic, then the agenda
    # the answers to the meeting's invitation, in the invitees' order: (person, attendance
    # proposed — "present", "excused", or "" to ask —, what to note: the answer, its comment)
    replies: list[tuple] = field(default_factory=list)


def announced(meetings: Sequence[Meeting]) -> dt.datetime | None:
    """The meeting to write next: the latest announced in a [next] that has no record yet,
    or only a stub (date and title known from the section index)."""
    from rencontres.core.model import transcribed as said

    transcribed = {m.day for m in meetings if said(m)}
    for m in reversed(meetings):
        if m.next is not None:
            if m.next.date is None:  # to be set: nothing to propose
                return None
            return m.next.date if m.next.date.date() not in transcribed else None
    return None


def defaults(archive, group: str, when: dt.date | dt.datetime, *,
             uid_for: Callable[[str], str | None] = lambda stem: None) -> Defaults:
    """What the archive proposes for `group`'s meeting at `when`. `uid_for(stem)` is the UID
    the invitation of record `stem`'s [next] gave (the invitation state is the caller's to
    read; it is read only when an earlier record announced this day)."""
    from rencontres import followup
    from rencontres.entry.draft import follow_ups
    from rencontres.render import LABELS

    day = when.date() if isinstance(when, dt.datetime) else when
    earlier = [m for m in archive.meetings[group] if m.day < day]
    announcing = next((m for m in reversed(earlier) if m.next is not None
                       and m.next.date is not None and m.next.date.date() == day), None)
    if announcing is None and earlier and earlier[-1].next is not None \
            and earlier[-1].next.date is None:
        announcing = earlier[-1]  # its date was to be set: this is the meeting it planned
    out = Defaults()
    planned = announcing.next if announcing is not None else None
    if announcing is not None and planned is not None:
        out.end = planned.end if planned.date == when else None
        out.uid = uid_for(announcing.stem) or ""
        out.venue, out.address = planned.venue or "", planned.address or ""
    out.review = follow_ups(followup.open_actions(earlier))
    if out.review:
        out.topics.append({"title": LABELS[archive.groups[group].language]["review"],
                           "actions": out.review})
    out.topics += [{"title": item} for item in (planned.agenda if planned else ()) if item.strip()]
    return out
