"""Invitations (iTIP REQUEST / CANCEL) and group feeds, with icalendar's public API.

Times are written in UTC (`DTSTART:20260115T130000Z`), converted from the group's local
times by `localtime.py` (the first of an hour that happens twice; lengths in elapsed time):
no VTIMEZONE, so no TZID defined one way in one file and another way in the next.

Only this module imports icalendar, and only the CLI's calendar commands import
this module, so `rencontres --help` never loads it.

- `invitation()` — RFC 5546 REQUEST or CANCEL for a record's [next] meeting:
  one VEVENT with UID, SEQUENCE, DTSTAMP (from
  the state, see `state.py`), ORGANIZER and one ATTENDEE per invitee.
- `feed()` — a subscribable calendar (no METHOD, no ATTENDEE) of every meeting
  of a group plus the upcoming one, each with the same UID as its invitation.

Every name and address passes through `one_line()` first: a control character
can never start a calendar line (icalendar escapes TEXT, but not URIs), and an
address that is not a plain e-mail address is not invited at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from icalendar import STATUS, Calendar, Component, Event, vCalAddress, vDuration

from rencontres.core import localtime, words
from rencontres.core.errors import DateToBeSet, NobodyToInvite, UsageError
from rencontres.core.i18n import _
from rencontres.core.model import Group, Meeting, NextMeeting, Person
from rencontres.core.text import CONTROL as _CONTROL
from rencontres.core.text import CONTROL_BUT_NEWLINE as _CONTROL_BUT_NEWLINE
from rencontres.core.text import name_key, valid_email
from rencontres.core.values import frozen
from rencontres.followup import next_number
from rencontres.invite.state import (
    CANCELLED,
    Invitation,
    current,
    digest,
    produce,
    read_state,
    stable_uid,
    terms,
)

PRODID = "-//rencontres//rencontres//FR"
FEED_REFRESH = dt.timedelta(hours=12)

WORDS = {
    "fr": {"agenda": "Ordre du jour :", "phone": "Téléphone :",
           "minutes": "Synthèse de la rencontre précédente :", "synthesis": "Synthèse :",
           "all_meetings": "Toutes les rencontres"},
    "en": {"agenda": "Agenda:", "phone": "Phone:",
           "minutes": "Minutes of the previous meeting:", "synthesis": "Minutes:",
           "all_meetings": "All meetings"},
}


# -- text ---------------------------------------------------------------------
def one_line(text: str) -> str:
    """A single-line value: every control character (CR, LF, NUL…) becomes a space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def free_text(text: str) -> str:
    """A multi-line value: newlines kept (icalendar escapes them), other controls dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_BUT_NEWLINE.sub(" ", text).strip()


# -- what an invitation says --------------------------------------------------
def summary(group: Group, number: int | None) -> str:
    """"Entreprendre au collectif — 4ème rencontre"."""
    label = words.meeting_label(number, group.language, group.ordinals)
    return one_line(f"{group.name} — {label}")


def location(venue: str, address: str) -> str:
    return ", ".join(one_line(x) for x in (venue, address) if one_line(x))


def agenda_lines(group: Group, meetings: Sequence[Meeting],
                 number: Callable[[Meeting], int | None], meeting: Meeting) -> tuple[str, ...]:
    """The same agenda as `rencontres agenda`, as plain lines: approving the minutes, the
    planned items, the open actions by owner."""
    from rencontres.followup import agenda
    from rencontres.render.pages import agenda_lines as lines

    plan = agenda(group, meetings, number, meeting)
    return tuple(_CONTROL.sub(" ", line) for line in lines(plan, group.language))


def description(group: Group, nxt: NextMeeting, minutes_url: str = "",
                agenda: Sequence[str] = ()) -> str:
    """Agenda, phone, note and the link to the previous meeting's synthesis."""
    w = WORDS.get(group.language, WORDS["fr"])
    parts = []
    if agenda:
        parts.append("\n".join([w["agenda"], *agenda]))
    if one_line(nxt.phone):
        parts.append(f"{w['phone']} {one_line(nxt.phone)}")
    if free_text(nxt.note):
        parts.append(free_text(nxt.note))
    if one_line(minutes_url):
        parts.append(f"{w['minutes']} {one_line(minutes_url)}")
    return "\n\n".join(parts)


def times(group: Group, nxt: NextMeeting) -> tuple[dt.datetime, dt.datetime]:
    """Start and end as aware date-times in the group's zone (see `localtime.span`); a
    meeting whose date is to be set has none (ValueError: the callers skip or refuse it)."""
    if nxt.date is None:
        raise ValueError("the next meeting's date is to be set")  # i18n: a bug's message (callers check)
    return localtime.span(_zone(group), nxt.date, nxt.end, group.duration_minutes)


def _zone(group: Group) -> ZoneInfo:
    try:
        return ZoneInfo(group.timezone)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise UsageError(_("{group}: unknown time zone {zone}").format(
            group=group.slug, zone=repr(group.timezone))) from exc


def _utc(when: dt.datetime | dt.date) -> dt.datetime | dt.date:
    """What a calendar carries: an instant in UTC (a day stays a day)."""
    return when.astimezone(dt.UTC) if isinstance(when, dt.datetime) else when


@frozen
class Invitees:
    attendees: tuple[Person, ...]  # names and addresses cleaned, addresses valid
    not_invited: tuple[tuple[Person, str], ...]  # (person, why)


def invitees(group: Group, meeting: Meeting, also: Sequence[str] = ()) -> Invitees:
    """The record's participants and the group's members, once each.

    Two people are the same when their e-mail addresses match (case aside), else
    when their names do; the one with an address wins. The organizer is the
    ORGANIZER, not an attendee. `also`: addresses to keep (those who received an
    earlier version, for a cancellation), added by address only.
    """
    people: list[Person] = []

    def same(a: Person, b: Person) -> bool:
        if a.email and b.email:
            return a.email.lower() == b.email.lower()
        return name_key(a.name) == name_key(b.name) and bool(a.name)

    for raw in [p.person for p in meeting.participants] + list(group.members):
        person = Person(one_line(raw.name), one_line(raw.organization), one_line(raw.role),
                        raw.email.strip())
        for i, known in enumerate(people):
            if same(known, person):
                if person.email and not known.email:
                    people[i] = person
                break
        else:
            people.append(person)
    emails = {p.email.lower() for p in people if p.email}
    people += [Person("", email=a) for a in also if a.lower() not in emails]

    organizer = (group.organizer.email.lower() if group.organizer else "")
    organizer_name = name_key(group.organizer.name) if group.organizer else ""
    attendees, not_invited = [], []
    for person in people:
        if not person.email and organizer_name and \
                name_key(person.name) == organizer_name:
            continue  # the organizer, listed without an address: the ORGANIZER, not missed
        if not person.email:
            not_invited.append((person, _("no e-mail address")))
        elif not valid_email(person.email):
            not_invited.append((person, _("invalid e-mail address {address}").format(
                address=repr(one_line(person.email)))))
        elif person.email.lower() != organizer:
            attendees.append(person)
    return Invitees(tuple(attendees), tuple(not_invited))


def organizer_of(group: Group) -> Person:
    org = group.organizer
    if org is None or not org.email:
        raise UsageError(_("{group}: the group has no organizer to send the invitations "
                           "from").format(group=group.slug),
                         _("fill in [organizer] in its group.toml, name = \"…\" and "
                           "email = \"…\" (a group made by `init` has these lines commented "
                           "out: remove their #)"))
    if not valid_email(org.email.strip()):
        raise UsageError(_("{group}: the organizer's e-mail address {address} is not "
                           "valid").format(group=group.slug, address=repr(org.email)),
                         _("correct email in [organizer] of its group.toml"))
    return Person(one_line(org.name), email=org.email.strip())


# -- calendars ----------------------------------------------------------------
def _address(person: Person, **params) -> vCalAddress:
    """A CAL-ADDRESS with its CN. A parameter value cannot hold a double quote (RFC 5545);
    RFC 6868's ^' escape is not read by every reader (vobject, hence Radicale, shows it
    raw), so a name's double quotes are written as single ones."""
    name = person.name.replace('"', "'")
    return vCalAddress.new(person.email, cn=name or None, **params)


def _serialize(cal: Component) -> bytes:
    """The calendar as bytes (CRLF, folded). Every time in it is UTC, so it needs no
    VTIMEZONE: no reader can place a meeting at another instant (a reader that keeps the
    first definition it sees of a zone, or reads a zone's onsets its own way, included).

    Lines are folded here, as icalendar folds them (the same bytes): its folding walks a
    line a character at a time, 13 s of a feed of 10,000 meetings."""
    return b"".join(_folded(line) + b"\r\n" for line in cal.content_lines() if line)


def _folded(line: str) -> bytes:
    """A content line folded as RFC 5545 asks (3.1): parts of at most 74 octets, never
    inside a UTF-8 sequence nor right after a backslash or caret (an escape a reader
    could cut), each part after the first behind CRLF and a space."""
    b = line.encode("utf-8")
    if len(b) <= 74:
        return b
    parts, start = [], 0
    while len(b) - start > 74:
        end = start + 74
        while b[end] & 0xC0 == 0x80:  # a continuation byte: the character starts before
            end -= 1
        if b[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(b[start:end])
        start = end
    parts.append(b[start:])
    return b"\r\n ".join(parts)


def invitation(group: Group, nxt: NextMeeting, *, number: int | None, inv: Invitation,
               attendees: Sequence[Person], minutes_url: str = "",
               agenda: Sequence[str] = ()) -> bytes:
    """An iTIP REQUEST (or CANCEL, when `inv.status` is CANCELLED) for a next meeting."""
    start, end = times(group, nxt)
    organizer = organizer_of(group)
    event = Event.new(
        uid=inv.uid,
        sequence=inv.sequence,
        stamp=inv.stamp,
        start=_utc(start),
        end=_utc(end),
        summary=summary(group, number),
        location=location(nxt.venue, nxt.address) or None,
        description=description(group, nxt, minutes_url, agenda) or None,
        organizer=_address(organizer),
        attendees=[
            _address(p, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True)
            for p in attendees
        ],
        status=STATUS(inv.status),
    )
    cal = Calendar.new(prodid=PRODID, method=inv.method, uid="", subcomponents=[event])
    del cal.uid  # a scheduling message carries the event's UID only
    return _serialize(cal)


@frozen
class FeedEntry:
    uid: str
    start: dt.datetime | dt.date  # aware date-time, or a day for a meeting without a time
    end: dt.datetime | dt.date
    summary: str
    location: str = ""
    description: str = ""
    sequence: int | None = None
    stamp: dt.datetime | None = None  # DTSTAMP: the invitation's, else the meeting's day (UTC)


def _day_stamp(day: dt.date) -> dt.datetime:
    """A feed event never invited: its DTSTAMP is its day at 00:00 UTC, so the feed is the
    same bytes for the same records (a build rewrites it only when a meeting changes)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def feed_entries(group: Group, meetings: Sequence[Meeting],
                 number: Callable[[Meeting], int | None], state: dict) -> list[FeedEntry]:
    """Every meeting of the group in date order, then the upcoming one.

    A record without a time takes the time planned in the previous record's
    [next] for that day, else it is a whole-day event. The upcoming meeting is
    the last record's [next], unless its invitation was cancelled.
    """
    zone = _zone(group)
    w = WORDS.get(group.language, WORDS["fr"])
    entries = []
    previous: Meeting | None = None
    for m in meetings:
        planned = previous.next if previous and previous.next else None
        if planned and (planned.date is None or planned.date.date() != m.day):
            planned = None
        inv = current(state, previous.stem) if previous else None
        if m.kind == "meeting":
            uid = m.uid or (inv.uid if inv and planned else "") or \
                stable_uid(group.slug, m.stem)
            start: dt.date
            end: dt.date
            if m.start is not None:
                start, end = localtime.span(zone, m.start, m.end, group.duration_minutes)
            elif planned is not None:
                start, end = times(group, planned)
            else:
                start, end = m.day, m.day + dt.timedelta(days=1)
            entries.append(FeedEntry(
                uid=uid, start=start, end=end, summary=summary(group, number(m)),
                location=location(m.venue or (planned.venue if planned else ""),
                                  m.address or (planned.address if planned else "")),
                description=f"{w['synthesis']} {one_line(m.url)}" if one_line(m.url) else "",
                sequence=inv.sequence if inv and uid == inv.uid else None,
                stamp=inv.stamp if inv and uid == inv.uid else _day_stamp(m.day),
            ))
        previous = m
    last = meetings[-1] if meetings else None
    if last is not None and last.next is not None and last.next.date is not None:
        inv = current(state, last.stem)
        if inv is None or inv.status != CANCELLED:
            start, end = times(group, last.next)
            entries.append(FeedEntry(
                uid=inv.uid if inv else stable_uid(group.slug, last.stem, True),
                start=start, end=end,
                summary=summary(group, next_number(meetings, number, last)),
                location=location(last.next.venue, last.next.address),
                description=description(group, last.next, last.url,
                                        agenda_lines(group, meetings, number, last)),
                sequence=inv.sequence if inv else None,
                stamp=inv.stamp if inv else _day_stamp(last.day),
            ))
    return entries


def feed(group: Group, entries: Sequence[FeedEntry]) -> bytes:
    """A subscribable calendar of the group's meetings (no METHOD, no ATTENDEE).

    No clock is read: each event's DTSTAMP is its invitation's, else its day."""
    return _feed(one_line(group.name), stable_uid(group.slug, "calendar"), entries)


def group_events(archive, slug: str) -> tuple[str, bytes]:
    """A group's part of `feed_of_all`: its language, and its feed's events as the feed
    writes them."""
    group = archive.groups[slug]
    entries = feed_entries(group, archive.meetings[slug], archive.number,
                           read_state(archive.store, slug))
    return group.language, b"".join(_serialize(e) for e in _events(entries))


def feed_of_all(lang: str, parts: Sequence[bytes]) -> bytes:
    """One calendar of several groups' meetings (each event's summary names its group),
    from each group's `group_events`: the bytes a calendar holding them all is written as."""
    name = WORDS.get(lang, WORDS["fr"])["all_meetings"]
    empty = _feed(name, stable_uid("*", "calendar"), ())  # "*": no group's slug
    end = b"END:VCALENDAR\r\n"
    return empty[: -len(end)] + b"".join(parts) + end


def _events(entries: Sequence[FeedEntry]) -> list[Event]:
    return [
        Event.new(
            uid=e.uid, stamp=e.stamp,
            start=_utc(e.start), end=_utc(e.end), summary=e.summary, location=e.location or None,
            description=e.description or None, sequence=e.sequence, status=STATUS.CONFIRMED,
        )
        for e in entries
    ]


def _feed(name: str, uid: str, entries: Sequence[FeedEntry]) -> bytes:
    events = _events(entries)
    cal = Calendar.new(
        prodid=PRODID,
        name=name,
        uid=uid,
        subcomponents=events,
    )
    # RFC 7986 wants VALUE=DURATION spelled out; X-PUBLISHED-TTL is its older twin.
    cal.add("REFRESH-INTERVAL", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    return _serialize(cal)


# -- one command's worth --------------------------------------------------------
@frozen
class Prepared:
    """Everything `invite` and `send` need for a record's next meeting."""

    group: Group
    next: NextMeeting
    organizer: Person
    summary: str
    start: dt.datetime
    end: dt.datetime
    where: str
    invitation: Invitation
    attendees: tuple[Person, ...]
    not_invited: tuple[tuple[Person, str], ...]
    ics: bytes
    state: dict  # to be written back: it records this version
    agenda: tuple[str, ...] = ()  # the agenda's lines, for the mail's text


def prepare(group: Group, meetings: Sequence[Meeting], number: Callable[[Meeting], int | None],
            meeting: Meeting, state: dict, *, cancel: bool, now: dt.datetime,
            new_uid: Callable[[], str] | None = None) -> Prepared:
    """The invitation (or cancellation) of `meeting`'s [next], and the state recording it."""
    nxt = meeting.next
    if nxt is None:
        raise UsageError(_("{record}: the record has no [next] meeting to invite to").format(
            record=meeting.key), _("add a [next] table with its date"))
    if nxt.date is None:
        raise DateToBeSet(meeting.key)
    organizer = organizer_of(group)
    start, end = times(group, nxt)
    title = summary(group, next_number(meetings, number, meeting))
    where = location(nxt.venue, nxt.address)
    agenda = agenda_lines(group, meetings, number, meeting)
    text = description(group, nxt, meeting.url, agenda)
    earlier = current(state, meeting.stem)
    if cancel and earlier is None:
        raise UsageError(
            _("{key}: its next meeting was never invited, so there is nothing to "
              "cancel").format(key=meeting.key),
            _("edit or remove [next] in the record instead"))
    also = sorted({d["to"] for d in state.get("deliveries", [])
                   if earlier and d["uid"] == earlier.uid}) if cancel else []
    people = invitees(group, meeting, also)
    if not people.attendees:
        raise NobodyToInvite(meeting.key)
    state, inv = produce(
        state, meeting.stem, terms(start, end, nxt.venue, nxt.address),
        digest(title, text), cancel=cancel, now=now, new_uid=new_uid)
    ics = invitation(group, nxt, number=next_number(meetings, number, meeting), inv=inv,
                     attendees=people.attendees, minutes_url=meeting.url, agenda=agenda)
    return Prepared(group, nxt, organizer, title, start, end, where, inv, people.attendees,
                    people.not_invited, ics, state, agenda)
