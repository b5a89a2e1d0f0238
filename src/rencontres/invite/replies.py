"""iMIP replies (RFC 5546 REPLY and COUNTER, RFC 6047) read out of messages and calendars.

What real clients send, tolerated:

- the calendar in a `text/calendar` part, an `application/ics` one or any part whose file
  name ends in `.ics`, base64 or quoted-printable (the email package decodes them); the
  same calendar inline and attached (Google, Thunderbird) counts once;
- lines folded anywhere, a fold inside a UTF-8 character included: the bytes are unfolded
  before icalendar reads them (icalendar 7.3 decodes each physical line first, so a split
  character would become U+FFFD);
- no ORGANIZER (outlook.com), `mailto:` or `MAILTO:`, addresses in any case (compared
  casefolded, DELEGATED-TO too), a COMMENT or several, an attendee without PARTSTAT or
  with an X- one (said, not counted), attendees echoed from the invitation with
  NEEDS-ACTION (skipped), no DTSTAMP (the message's Date instead);
- COUNTER (a proposed new time): read and shown, never applied.

Attendees are read through icalendar's `event.attendees` (`.email`, `.params`,
`.DELEGATED_TO`), never `event.get("ATTENDEE")`, which is one value or a list.
Nothing here knows the group's state: `state.py` matches what is read to invitations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from email.message import Message

from rencontres.core.i18n import _
from rencontres.core.values import frozen

ANSWERS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative",
           "DELEGATED": "delegated"}
METHODS = ("REPLY", "COUNTER")
_FOLD = re.compile(rb"\r?\n[ \t]")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
# what a message must hold (case aside) to be worth parsing: a calendar part or an .ics file
_HINTS = (b"text/calendar", b"application/ics", b".ics")


@frozen
class Answer:
    """One attendee's answer (REPLY) or proposal (COUNTER), as the calendar says it."""

    uid: str
    sequence: int
    stamp: dt.datetime  # DTSTAMP in UTC (else the message's Date, else when it was read)
    method: str  # REPLY | COUNTER
    attendee: str  # the address, casefolded
    name: str = ""  # CN
    answer: str = ""  # accepted | declined | tentative | delegated ("" for a COUNTER)
    comment: str = ""
    delegated_to: str = ""  # addresses, casefolded, ", "-joined
    start: dt.datetime | None = None  # a COUNTER's proposed start and end (UTC)
    end: dt.datetime | None = None
    cancelled: bool = False  # the reply's own STATUS:CANCELLED


@frozen
class Read:
    """What one message (or calendar file) held: its answers, or why it has none."""

    source: str  # where it was read: "INBOX, UID 42", a file's path, "mbox #3"
    ref: str  # what moves it (an IMAP UID, a Maildir key), else ""
    subject: str = ""
    sender: str = ""  # the From address, casefolded
    answers: tuple[Answer, ...] = ()
    problem: str = ""  # nothing counted from it: why
    notes: tuple[str, ...] = ()  # attendees skipped in it, and why


def maybe_reply(data: bytes) -> bool:
    """A quick look at a raw message: could it hold a calendar? (Most mail cannot.)"""
    lower = data.lower()
    return any(h in lower for h in _HINTS)


def unfold(data: bytes) -> bytes:
    """RFC 5545 3.1 unfolding on the bytes, so a character split by a fold is whole again."""
    return _FOLD.sub(b"", data)


def address(value: str) -> str:
    """A calendar address as compared: without `mailto:`, casefolded."""
    return _MAILTO.sub("", str(value).strip()).strip().casefold()


def read_message(data: bytes, source: str, ref: str = "",
                 received: dt.datetime | None = None) -> Read:
    """The answers in one raw message (RFC 5322 bytes). A message is mail from anyone: one
    that breaks a parser is reported as unreadable, never stops the reading of the others."""
    try:
        return _read_message(data, source, ref, received)
    except Exception as exc:  # noqa: BLE001 — hostile input; the reason is said
        return Read(source, ref, problem=_("unreadable message ({error}: {why})").format(
            error=type(exc).__name__, why=_short(exc)))


def _read_message(data: bytes, source: str, ref: str,
                  received: dt.datetime | None) -> Read:
    import email
    import email.policy
    from email.utils import parseaddr, parsedate_to_datetime

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    subject = _header(msg, "Subject")
    sender = parseaddr(_header(msg, "From"))[1].casefold()
    sent: dt.datetime | None = received
    try:
        date = parsedate_to_datetime(_header(msg, "Date"))
        sent = date if date.tzinfo else date.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError, IndexError):
        pass
    parts = calendar_parts(msg)
    if not parts:
        return Read(source, ref, subject, sender, problem=_("no calendar in it (not an iMIP "
                                                            "reply)"))
    answers: list[Answer] = []
    notes: list[str] = []
    problems: list[str] = []
    for body, method in parts:
        found, said, problem = read_calendar(body, sender, sent, method)
        answers += found
        notes += said
        if problem:
            problems.append(problem)
    answers = list(dict.fromkeys(answers))  # the same calendar inline and attached
    notes = list(dict.fromkeys(notes))
    return Read(source, ref, subject, sender, tuple(answers),
                "" if answers else (problems[0] if problems else _("no answer in it")),
                tuple(notes))


def _header(msg: Message, name: str) -> str:
    from email.errors import MessageError
    from email.header import decode_header, make_header

    raw = msg.get(name)
    if raw is None:
        return ""
    try:
        return " ".join(str(make_header(decode_header(str(raw)))).split())
    except (ValueError, LookupError, UnicodeError, MessageError):
        return " ".join(str(raw).split())


def calendar_parts(msg: Message) -> list[tuple[bytes, str]]:
    """Each calendar in a message, decoded (base64, quoted-printable), with the METHOD its
    part's Content-Type names ("" if none); the same bytes twice count once."""
    out: dict[bytes, str] = {}
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        try:
            filename = part.get_filename() or ""
        except (ValueError, LookupError):
            filename = ""
        if ctype in ("text/calendar", "application/ics") or \
                str(filename).lower().endswith((".ics", ".ical", ".icalendar")):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                out.setdefault(unfold(payload), str(part.get_param("method") or "").upper())
    return list(out.items())


def read_calendar(data: bytes, sender: str = "", sent: dt.datetime | None = None,
                  method: str = "") -> tuple[list[Answer], list[str], str]:
    """(answers, notes, problem) of one calendar's bytes. `sender`: the message's From,
    which picks the replying attendee when a client echoes others; `sent`: the message's
    Date, the answer's time when the calendar has no DTSTAMP; `method`: the METHOD its
    part's Content-Type names, for a calendar that has none itself."""
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(unfold(data), multiple=True)
    except Exception as exc:  # noqa: BLE001 — hostile input; the reason is said
        return [], [], _("unreadable calendar ({why})").format(why=_short(exc))
    answers: list[Answer] = []
    notes: list[str] = []
    problem = ""
    for cal in calendars:
        kind = str(cal.get("METHOD") or method or "").strip().upper()
        if kind not in METHODS:
            problem = (_("a calendar with METHOD:{method}, not a reply").format(method=kind)
                       if kind else _("a calendar without METHOD, not a reply"))
            continue
        events = [c for c in cal.walk("VEVENT")]
        if not events:
            problem = _("a {method} without an event").format(method=kind)
        for event in events:
            try:
                found, said, why = _event(event, kind, sender, sent)
            except Exception as exc:  # noqa: BLE001 — a broken value icalendar lets through
                found, said, why = [], [], _("unreadable event ({error}: {why})").format(
                    error=type(exc).__name__, why=_short(exc))
            answers += found
            notes += said
            problem = problem or why
    return answers, notes, problem


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:120] + ("…" if len(text) > 120 else "")


def _event(event, method: str, sender: str, sent: dt.datetime | None
           ) -> tuple[list[Answer], list[str], str]:
    from icalendar import vCalAddress

    uid = str(event.get("UID") or "").strip()
    if not uid:
        return [], [], _("a {method} without UID").format(method=method)
    try:
        sequence = int(event.sequence)
    except (TypeError, ValueError):
        sequence = 0
    stamp = _utc(_value(event, "DTSTAMP")) or _utc(sent) or dt.datetime.now(dt.UTC)
    stamp = stamp.replace(microsecond=0)
    comment = " / ".join(" ".join(str(c).split()) for c in _many(event.get("COMMENT"))
                         if str(c).strip())
    cancelled = str(event.get("STATUS") or "").upper() == "CANCELLED"
    start = end = None
    if method == "COUNTER":
        start, end = _utc(_value(event, "DTSTART")), _utc(_value(event, "DTEND"))
    people = []  # (address, name, answer, delegated_to)
    notes = []
    for a in event.attendees:
        if not hasattr(a, "params"):  # a value icalendar could not type: its address only
            a = vCalAddress(str(a))
        who = address(a.email or a)
        if not who:
            continue
        raw = str(a.params.get("PARTSTAT", "")).strip().upper()
        delegated = ", ".join(address(d) for d in (a.DELEGATED_TO or ()) if address(d))
        people.append((who, " ".join(str(a.name or "").split()), raw, delegated))
    if method == "COUNTER":
        mine = [p for p in people if p[0] == sender] or people[:1]
        return [Answer(uid, sequence, stamp, method, who, name, "", comment, "", start, end,
                       cancelled) for who, name, __, ___ in mine], [], \
            "" if mine else _("a COUNTER without ATTENDEE")
    answered = [p for p in people if p[2] in ANSWERS]
    for who, __, raw, ___ in people:
        if raw not in ANSWERS and raw != "NEEDS-ACTION":
            notes.append((_("{attendee}: PARTSTAT {partstat} is no answer (accepted, declined, "
                            "tentative or delegated): not counted") if raw else
                          _("{attendee}: no PARTSTAT (accepted, declined, tentative or "
                            "delegated): not counted")).format(attendee=who, partstat=raw))
    if len(answered) > 1 and any(p[0] == sender for p in answered):
        answered = [p for p in answered if p[0] == sender]  # the others echoed, not answers
    if not answered:
        why = _("no ATTENDEE in it") if not people else _("no attendee answers in it")
        return [], notes, why
    return [Answer(uid, sequence, stamp, method, who, name, ANSWERS[raw], comment, delegated,
                   None, None, cancelled) for who, name, raw, delegated in answered], notes, ""


def _many(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _value(event, name: str):
    prop = event.get(name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        return getattr(prop, "dt", None)
    except Exception:  # noqa: BLE001 — icalendar's BrokenCalendarProperty: a value unreadable
        return None


def _utc(when) -> dt.datetime | None:
    if isinstance(when, dt.datetime):
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    if isinstance(when, dt.date):
        return dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    return None


def read_file_bytes(data: bytes, source: str, ref: str = "") -> Read:
    """A file given as it is: a bare calendar (.ics) or a message (.eml)."""
    head = data.lstrip()[:64].upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        answers, notes, problem = read_calendar(data)
        return Read(source, ref, answers=tuple(dict.fromkeys(answers)),
                    problem="" if answers else problem or _("no answer in it"),
                    notes=tuple(notes))
    return read_message(data, source, ref)


def proposals(reads: Iterable[Read]) -> list[tuple[Read, Answer]]:
    """The COUNTERs among what was read, with the message each came in."""
    return [(r, a) for r in reads for a in r.answers if a.method == "COUNTER"]
