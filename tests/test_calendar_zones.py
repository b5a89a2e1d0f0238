"""Where every reader — and a real CalDAV server — puts every meeting, in any zone and year.

The expected instants come from zoneinfo directly (the IANA database), not from our code:
a meeting at 14:00 local lasts 120 minutes of elapsed time. Every event of every file the
tool writes (invitations, cancellations, the multi-year feed) is read by icalendar, ical.js
(Thunderbird), libical (Evolution) and vobject (Radicale), and its UTC start and end are
compared. Radicale, started here on 127.0.0.1, stores invitations and feed events of
several years in one calendar, in the order that used to break it, and its own time-range
queries (calendar-query REPORT) must find each meeting where it is and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import make_group

ZONES = ["Europe/Paris", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe",
         "Pacific/Chatham", "Asia/Kolkata", "UTC"]
DAYS = [dt.date(1970, 1, 15), dt.date(1970, 7, 15), dt.date(2007, 1, 15),
        dt.date(2007, 7, 15), dt.date(2026, 1, 15), dt.date(2026, 7, 15),
        dt.date(2037, 1, 15), dt.date(2037, 7, 15)]
NOW = "2026-01-05T09:00:00Z"


def utc(day: dt.date, hour: int, minute: int, zone: str, plus: int = 0) -> str:
    """The instant a local time of `zone` is, `plus` minutes of elapsed time later."""
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))
    when = local.astimezone(dt.UTC) + dt.timedelta(minutes=plus)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


GROUP = '''name = "Fuseaux"
timezone = "{zone}"
duration_minutes = 120

[organizer]
name = "Claire"
email = "claire@example.org"

[[members]]
name = "Ann"
email = "ann@example.org"
'''


def zone_group(root: Path, zone: str, days=DAYS, hour=14, minute=0) -> dict[str, str]:
    """A group meeting on each day at hour:minute; each record announces the next one."""
    records = {}
    for i, day in enumerate(days):
        text = f"date = {day.isoformat()}T{hour:02d}:{minute:02d}:00\n"
        if i + 1 < len(days):
            text += (f"\n[next]\ndate = {days[i + 1].isoformat()}T{hour:02d}:{minute:02d}:00\n"
                     'venue = "Salle"\n')
        records[day.isoformat()] = text
    make_group(root, "z", group=GROUP.format(zone=zone), **records)
    return records


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setenv("RENCONTRES_NOW", NOW)


@pytest.mark.parametrize("zone", ZONES)
def test_every_feed_event_lands_at_its_instant_in_every_reader(cli_raw, tmp_path, clock,
                                                               read_ics, zone):
    root = tmp_path / "records"
    zone_group(root, zone)
    feed = cli_raw("--records", root, "calendar", "z")
    assert feed.exit_code == 0, feed.stderr
    events = read_ics(feed.stdout_bytes)["events"]
    got = sorted((e["start"], e["end"]) for e in events)
    want = sorted((utc(d, 14, 0, zone), utc(d, 14, 0, zone, 120)) for d in DAYS)
    assert got == want


@pytest.mark.parametrize("zone", ZONES)
def test_invitations_and_cancellations_of_every_year_land_right(cli_raw, tmp_path, clock,
                                                                read_ics, zone):
    root = tmp_path / "records"
    zone_group(root, zone)
    for before, day in zip(DAYS, DAYS[1:], strict=False):
        for extra in ([], ["--cancel"]):
            run = cli_raw("--records", root, "invite", f"z/{before.isoformat()}", *extra)
            assert run.exit_code == 0, run.stderr
            [event] = read_ics(run.stdout_bytes)["events"]
            assert (event["start"], event["end"]) == (utc(day, 14, 0, zone),
                                                      utc(day, 14, 0, zone, 120)), extra


def test_the_same_zone_is_never_defined_two_ways(cli_raw, tmp_path, clock):
    """No file carries a VTIMEZONE or a TZID: nothing a server could keep from a first
    file and apply wrongly to the next."""
    root = tmp_path / "records"
    zone_group(root, "Europe/Paris")
    outputs = [cli_raw("--records", root, "calendar", "z").stdout_bytes]
    outputs += [cli_raw("--records", root, "invite", f"z/{d.isoformat()}").stdout_bytes
                for d in DAYS[:-1]]
    for data in outputs:
        assert b"VTIMEZONE" not in data and b"TZID" not in data
        assert b"DTSTART:" in data


# -- clock-change days ------------------------------------------------------------------------

CHANGES = [  # (zone, day, a time just before the change that the meeting spans, hours lived)
    ("Europe/Paris", dt.date(2026, 3, 29), (1, 30), 2),
    ("Europe/Paris", dt.date(2026, 10, 25), (1, 30), 2),
    ("America/New_York", dt.date(2026, 3, 8), (1, 15), 2),
    ("America/New_York", dt.date(2026, 11, 1), (0, 45), 2),
    ("Australia/Lord_Howe", dt.date(2026, 4, 5), (1, 0), 2),  # back by 30 minutes
    ("Australia/Lord_Howe", dt.date(2026, 10, 4), (1, 30), 2),  # forward by 30 minutes
    ("Pacific/Chatham", dt.date(2026, 4, 5), (2, 30), 2),
    ("America/Sao_Paulo", dt.date(2007, 10, 14), (23, 30), 2),  # the day before, at night
]


@pytest.mark.parametrize("zone,day,at,hours", CHANGES, ids=lambda x: str(x))
def test_a_meeting_across_a_clock_change_lasts_its_duration(cli_raw, tmp_path, clock,
                                                            read_ics, zone, day, at, hours):
    if at[0] == 23:
        day = day - dt.timedelta(days=1)
    root = tmp_path / "records"
    zone_group(root, zone, days=[day - dt.timedelta(days=30), day], hour=at[0], minute=at[1])
    run = cli_raw("--records", root, "invite", f"z/{(day - dt.timedelta(days=30)).isoformat()}")
    assert run.exit_code == 0, run.stderr
    [event] = read_ics(run.stdout_bytes)["events"]
    start = dt.datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(event["end"].replace("Z", "+00:00"))
    assert end - start == dt.timedelta(hours=hours)
    assert event["start"] == utc(day, *at, zone)


@pytest.mark.parametrize("zone,local,change", [
    ("Europe/Paris", "2026-03-29T02:30:00", "clocks go from UTC+1 to UTC+2"),
    ("America/New_York", "2026-03-08T02:30:00", "clocks go from UTC-5 to UTC-4"),
    ("Australia/Lord_Howe", "2026-10-04T02:15:00", "clocks go from UTC+10:30 to UTC+11"),
    ("America/Sao_Paulo", "2007-10-14T00:30:00", "clocks go from UTC-3 to UTC-2"),
])
def test_a_local_time_that_does_not_exist_is_an_error(cli, tmp_path, zone, local, change):
    root = tmp_path / "records"
    day = local[:10]
    folder = make_group(root, "z", group=GROUP.format(zone=zone),
                        **{day: f"date = {local}\n"})
    run = cli("--records", root, "check")
    assert run.exit_code == 1
    assert (f"{folder / (day + '.toml')}:1: error: {local[:16]} does not exist in {zone}: "
            f"{change} that night") in run.stdout
    assert cli("--records", root, "render", f"z/{day}").exit_code == 1
    earlier = (dt.date.fromisoformat(day) - dt.timedelta(days=20)).isoformat()
    new = cli("--records", root, "new", "z", "--no-input", "--date", earlier,
              "--next", local[:16])
    assert new.exit_code == 1 and "does not exist" in new.stderr


@pytest.mark.parametrize("zone,local,first_utc", [
    ("Europe/Paris", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z"),
    ("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z"),
    ("Australia/Lord_Howe", "2026-04-05T01:45:00", "2026-04-04T14:45:00Z"),
])
def test_a_local_time_that_happens_twice_is_a_warning_and_every_reader_takes_the_first(
        cli, cli_raw, tmp_path, clock, read_ics, zone, local, first_utc):
    root = tmp_path / "records"
    folder = make_group(root, "z", group=GROUP.format(zone=zone), **{
        "2026-01-10": f'date = 2026-01-10\n\n[next]\ndate = {local}\nvenue = "Salle"\n'})
    run = cli("--records", root, "check")
    assert run.exit_code == 0
    assert (f"{folder / '2026-01-10.toml'}:4: warning: {local[:16]} happens twice in {zone}"
            in run.stdout)
    assert f"the first is meant, {first_utc[11:16]} UTC" in run.stdout
    invitation = cli_raw("--records", root, "invite", "z/2026-01-10")
    [event] = read_ics(invitation.stdout_bytes)["events"]
    assert event["start"] == first_utc


def test_the_mail_on_a_clock_change_day_shows_real_times_and_the_zone(cli, tmp_path, clock):
    root = tmp_path / "records"
    make_group(root, "z", group=GROUP.format(zone="Europe/Paris"), **{
        "2026-03-01": 'date = 2026-03-01\n\n[next]\ndate = 2026-03-29T01:30:00\nvenue = "Salle"\n'})
    out = tmp_path / "mail"
    out.mkdir()
    assert cli("--records", root, "send", "z/2026-03-01", "--dry-run", out).exit_code == 0
    import email
    from email.policy import default

    msg = email.message_from_bytes((out / "ann@example.org.eml").read_bytes(), policy=default)
    text = msg.get_body(("plain",)).get_content()
    assert "dimanche 29 mars 2026, 1h30–4h30 (heure de Paris, UTC+1)" in text


# -- a real CalDAV server ---------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    """Radicale on 127.0.0.1, no authentication, its storage in tmp_path."""
    port = _free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(f"""[server]
hosts = 127.0.0.1:{port}
[auth]
type = none
[rights]
type = authenticated
[storage]
filesystem_folder = {tmp_path / "collections"}
[logging]
level = warning
""")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"radicale did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    yield CalDAV(port)
    proc.terminate()
    proc.wait(10)


class CalDAV:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: bytes = b"", headers=None) -> tuple:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data

    def put(self, path: str, ics: bytes) -> None:
        status, data = self.request("PUT", path, ics, {"Content-Type": "text/calendar"})
        assert status in (201, 204), (status, data)

    def between(self, path: str, start: str, end: str) -> set[str]:
        """The UIDs the server finds in [start, end) with its own time-range filter."""
        body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>""".encode()
        status, data = self.request("REPORT", path, body, {
            "Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        assert status == 207, (status, data)
        uids = set()
        for node in ET.fromstring(data).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
            uids |= {line[4:].strip() for line in (node.text or "").splitlines()
                     if line.startswith("UID:")}
        return uids


def _resources(ics: bytes) -> list[tuple[str, bytes]]:
    """A calendar as a client stores it on a server: one resource per event, no METHOD."""
    from icalendar import Calendar

    out = []
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        cal = Calendar()
        cal.add("prodid", "-//tests//store//EN")
        cal.add("version", "2.0")
        cal.add_component(event)
        out.append((str(event["UID"]), cal.to_ical()))
    return out


def _compact(instant: str) -> str:
    return instant.replace("-", "").replace(":", "")


def test_radicale_finds_every_meeting_where_it_is(cli_raw, tmp_path, clock, radicale):
    root = tmp_path / "records"
    zone = "Europe/Paris"
    zone_group(root, zone)
    status, data = radicale.request("MKCOL", "/u/")
    assert status == 201, (status, data)
    status, data = radicale.request("MKCALENDAR", "/u/meetings/")
    assert status == 201, (status, data)
    stored = []
    # the order that used to fail: a 2026 invitation first, then 2007 and 2040-ish years
    order = [DAYS[4], DAYS[2], DAYS[6], DAYS[0], DAYS[5], DAYS[3], DAYS[7], DAYS[1]]
    previous = {d: DAYS[i - 1] for i, d in enumerate(DAYS) if i}
    for day in order:
        if day in previous:
            ics = cli_raw("--records", root, "invite", f"z/{previous[day].isoformat()}")
            for uid, resource in _resources(ics.stdout_bytes):
                radicale.put(f"/u/meetings/{uid}.ics", resource)
                stored.append((uid, day))
    feed = cli_raw("--records", root, "calendar", "z").stdout_bytes
    for uid, resource in _resources(feed):
        if uid not in {u for u, _ in stored}:  # the first meeting, never invited
            radicale.put(f"/u/meetings/{uid}.ics", resource)
            stored.append((uid, DAYS[0]))
    assert len(stored) == len(DAYS)
    for uid, day in stored:
        start, end = utc(day, 14, 0, zone), utc(day, 14, 0, zone, 120)
        found = radicale.between("/u/meetings/", _compact(start), _compact(end))
        assert found == {uid}, (day, found)
        hour_before = radicale.between("/u/meetings/", _compact(utc(day, 13, 0, zone)),
                                       _compact(start))
        hour_after = radicale.between("/u/meetings/", _compact(end),
                                      _compact(utc(day, 14, 0, zone, 180)))
        assert hour_before == hour_after == set(), day


def test_address_headers_decode_to_exactly_their_addresses(cli, tmp_path, clock):
    root = tmp_path / "records"
    group = GROUP.format(zone="Europe/Paris") + (
        '\n[[members]]\nname = "Zoë Lefèvre, née Martin"\nemail = "zoe@example.org"\n')
    make_group(root, "z", group=group, **{
        "2026-03-01": 'date = 2026-03-01\n\n[next]\ndate = 2026-03-12T14:00:00\nvenue = "Salle"\n'})
    out = tmp_path / "mail"
    out.mkdir()
    assert cli("--records", root, "send", "z/2026-03-01", "--dry-run", out).exit_code == 0
    import email
    import email.utils
    from email.header import decode_header, make_header
    from email.policy import default

    raw = (out / "zoe@example.org.eml").read_bytes()
    parsed = email.message_from_bytes(raw, policy=default)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["zoe@example.org"]
    # a client that decodes the encoded words first, then splits at commas
    header = email.message_from_bytes(raw)["To"]
    decoded = str(make_header(decode_header(header)))
    assert email.utils.getaddresses([decoded]) == [("Zoë Lefèvre, née Martin", "zoe@example.org")]
    # and the cancellation says so, in words
    assert cli("--records", root, "invite", "z/2026-03-01").exit_code == 0
    for old in out.iterdir():
        old.unlink()
    assert cli("--records", root, "send", "z/2026-03-01", "--cancel", "--dry-run",
               out).exit_code == 0
    msg = email.message_from_bytes((out / "zoe@example.org.eml").read_bytes(), policy=default)
    assert msg["Subject"].startswith("Annulée : ")
    text = msg.get_body(("plain",)).get_content()
    assert "Cette rencontre est annulée." in text and "L’annulation est jointe" in text
    assert "L’invitation est jointe" not in text
