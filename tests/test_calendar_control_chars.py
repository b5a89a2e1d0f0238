"""A control character in a name or an address never makes a calendar line or a header."""

from __future__ import annotations

import datetime as dt
import email
from email.policy import default

import pytest

from calendar_helpers import lines
from rencontres.core.model import Group, Meeting, NextMeeting, Participant, Person
from rencontres.invite import ics as calendar
from rencontres.invite import imip as mail
from rencontres.invite import state as invitations

NOW = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
EVIL_NAMES = [
    "Eve\r\nATTENDEE:mailto:intruder@evil.example",
    "Eve\nBcc: intruder@evil.example",
    "Eve\rX-INJECTED:1",
    "Eve\x00\x0b\x0c\x1b\x7f\x85\u2028ATTENDEE:mailto:intruder@evil.example",
]
EVIL_ADDRESSES = [
    "eve@evil.example\r\nATTENDEE:mailto:intruder@evil.example",
    "eve@evil.example\nBcc: intruder@evil.example",
    "eve@evil.example\x00",
    "eve@evil.example>, <intruder@evil.example",
]


def build(name: str, address: str, venue: str = "Salle\r\nX-INJECTED:1"):
    group = Group(slug="g", name="Groupe\nX-INJECTED:1",
                  organizer=Person("Org\r\nBcc: intruder@evil.example", email="org@ok.example"),
                  members=(Person(name, email="eve@ok.example"), Person("Bad", email=address)))
    nxt = NextMeeting(date=dt.datetime(2026, 1, 15, 14), venue=venue, address="1, rue\rX: y",
                      phone="01\n02", agenda=("point\r\nATTENDEE:mailto:x@evil.example",))
    meeting = Meeting(group="g", stem="2025-12-10", date=dt.date(2025, 12, 10), next=nxt,
                      participants=(Participant(Person(name, email="eve@ok.example")),))
    return group, meeting, calendar.prepare(group, [meeting], lambda m: 1, meeting, {},
                                            cancel=False, now=NOW, new_uid=lambda: "uid-1")


@pytest.mark.parametrize("name", EVIL_NAMES)
@pytest.mark.parametrize("address", EVIL_ADDRESSES)
def test_no_extra_calendar_line(name, address):
    _, _, p = build(name, address)
    content = lines(p.ics)
    assert sum(x.startswith("ATTENDEE") for x in content) == 1
    assert not any(x.startswith(("X-INJECTED", "X:", "BCC")) for x in content)
    assert [a.email for a in p.attendees] == ["eve@ok.example"]  # the bad address is left out
    assert [why for _, why in p.not_invited] == [f"invalid e-mail address "
                                                 f"{calendar.one_line(address)!r}"]
    assert "\r" not in p.ics.decode().replace("\r\n", "")  # no bare CR
    assert "\n" not in p.ics.decode().replace("\r\n", "")  # no bare LF


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_no_extra_mail_header(name, read_ics):
    group, meeting, p = build(name, "bad@ok.example")
    [eve, _] = p.attendees
    msg = mail.imip_message(
        ics=p.ics, method="REQUEST", organizer=p.organizer, attendee=eve,
        subject=mail.subject("REQUEST", 0, p.summary, p.start, "fr"),
        text=mail.body(group, p.agenda, "REQUEST", p.summary, p.where, p.start, p.end), now=NOW)
    data = msg.as_bytes()
    parsed = email.message_from_bytes(data, policy=default)
    headers = [k.lower() for k, _ in parsed.items()]
    assert headers == ["mime-version", "from", "to", "subject", "date", "message-id",
                       "content-type"]
    # the names stay display names, quoted: the only addresses are the real ones
    assert [a.addr_spec for a in parsed["To"].addresses] == ["eve@ok.example"]
    assert [a.addr_spec for a in parsed["From"].addresses] == ["org@ok.example"]
    assert parsed["To"].addresses[0].display_name == calendar.one_line(name)
    assert parsed["From"].addresses[0].display_name == "Org Bcc: intruder@evil.example"
    # and the calendar is still read by the independent readers, names in one line
    got = read_ics(p.ics)
    assert got["errors"] == []
    [event] = got["events"]
    assert event["attendees"][0]["cn"] == calendar.one_line(name)


def test_one_line_and_the_email_rule():
    assert calendar.one_line("a\r\nb\tc\x00d  e") == "a b c d e"
    assert calendar.valid_email("jean.dupont+rencontres@example.org")
    for bad in ("jean", "a@b", "a b@example.org", "a@example.org\n", "<a@example.org>",
                "é@example.org", "a@-example.org"):
        assert not calendar.valid_email(bad)


def test_state_functions_are_pure():
    state: dict = {}
    new, inv = invitations.produce(state, "s", {"start": "a", "end": "b", "venue": "", "address": ""},
                                   "d", cancel=False, now=NOW, new_uid=lambda: "u")
    assert state == {} and inv.sequence == 0 and inv.uid == "u"
    logged = invitations.log_delivery(new, inv, "x@example.org", NOW)
    assert "deliveries" not in new and invitations.reached(logged, inv) == {"x@example.org"}
    same, again = invitations.produce(logged, "s", {"start": "a", "end": "b", "venue": "",
                                                    "address": ""}, "d", cancel=False,
                                      now=NOW + dt.timedelta(days=1))
    assert again == inv and invitations.reached(same, again) == {"x@example.org"}
