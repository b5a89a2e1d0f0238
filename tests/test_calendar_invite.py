"""invite and calendar: what a calendar client receives, read back by three readers."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from calendar_helpers import LATER, SUMMER_UTC, WINTER_UTC, golden, lines
from conftest import snapshot
from rencontres.invite import state as invitations

UID1 = "00000000-0000-4000-8000-000000000001"
UID2 = "00000000-0000-4000-8000-000000000002"
JJ = "Dupont, Jean; dit 'JJ'"  # the record says "JJ": no double quote in a CN (RFC 5545)
INVITED = {
    "mailto:marie-ange@energie-alternative.example": "Marie-Ange Favre-Éloïse",
    "mailto:helene@essor13.example": "Hélène Laude",
    "mailto:jj@place.example": JJ,
}


def invite(cli_raw, root, *args):
    run = cli_raw("--records", root, "invite", *args)
    assert run.exit_code == 0, run.stderr
    return run


def test_winter_invitation_is_the_golden_request(cli_raw, club):
    run = invite(cli_raw, club, "club/2025-12-10")
    golden("invite-winter.ics", run.stdout_bytes)
    assert run.stderr == "not invited: Pierre Levy (no e-mail address)\n"


def test_invitation_content(cli_raw, club):
    content = lines(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)
    assert content[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0",
                           "PRODID:-//rencontres//rencontres//FR", "METHOD:REQUEST"]
    # times in UTC: no VTIMEZONE, no TZID that a reader could define its own way
    assert "BEGIN:VTIMEZONE" not in content and not any("TZID" in x for x in content)
    for line in ("DTSTART:20260115T130000Z",  # 14:00 in Paris, winter (UTC+1)
                 "DTEND:20260115T150000Z",  # duration_minutes = 120
                 "DTSTAMP:20260105T090000Z", f"UID:{UID1}", "SEQUENCE:0", "STATUS:CONFIRMED",
                 "SUMMARY:Entreprendre au collectif — 4ème rencontre",
                 r"LOCATION:Energie Alternative\, 52\, La Cannebière\, Marseille",
                 'ORGANIZER;CN="Sandrine Delrieu":mailto:sandrine@laplateforme.example'):
        assert line in content
    attendees = [x for x in content if x.startswith("ATTENDEE")]
    # participants first, then members; Hélène once (her address comes from the
    # roster); the organizer is ORGANIZER only; Pierre has no address.
    assert [a.rsplit(":", 1)[1] for a in attendees] == [
        "helene@essor13.example", "marie-ange@energie-alternative.example", "jj@place.example"]
    assert all(";ROLE=REQ-PARTICIPANT" in a and ";PARTSTAT=NEEDS-ACTION" in a
               and ";RSVP=TRUE" in a for a in attendees)
    description = next(x for x in content if x.startswith("DESCRIPTION:"))
    assert "- Projet 2008 à envoyer aux participants" in description
    assert r"Téléphone : 05 91 33 65 77\n\nMerci de confirmer" in description
    assert description.endswith(
        r"Synthèse de la rencontre précédente : https://www.example.org/spip.php?article42")


def test_summer_invitation_with_explicit_end(cli_raw, club):
    data = invite(cli_raw, club, "club/2026-01-15").stdout_bytes
    golden("invite-summer.ics", data)
    content = lines(data)
    assert "DTSTART:20260702T163000Z" in content  # 18:30 in Paris, summer (UTC+2)
    assert "DTEND:20260702T180000Z" in content
    assert "SUMMARY:Entreprendre au collectif — 5ème rencontre" in content


@pytest.mark.parametrize("stem, start, end", [
    ("2025-12-10", WINTER_UTC, "2026-01-15T15:00:00Z"),
    ("2026-01-15", SUMMER_UTC, "2026-07-02T18:00:00Z"),
])
def test_every_reader_gets_the_exact_utc_instants(cli_raw, club, read_ics, stem, start, end):
    got = read_ics(invite(cli_raw, club, f"club/{stem}").stdout_bytes)
    assert got["errors"] == []  # libical: parse errors and icalrestriction_check
    assert got["method"] == "REQUEST"
    [event] = got["events"]
    assert (event["start"], event["end"]) == (start, end)
    assert event["uid"] == UID1 and event["sequence"] == 0 and event["status"] == "CONFIRMED"


def test_names_and_text_survive_every_reader(cli_raw, club, read_ics):
    data = invite(cli_raw, club, "club/2025-12-10").stdout_bytes
    [event] = read_ics(data)["events"]
    assert {a["address"]: a["cn"] for a in event["attendees"]} == INVITED
    assert event["organizer"] == {"address": "mailto:sandrine@laplateforme.example",
                                  "cn": "Sandrine Delrieu"}
    assert event["summary"] == "Entreprendre au collectif — 4ème rencontre"
    assert event["location"] == "Energie Alternative, 52, La Cannebière, Marseille"
    assert event["description"].startswith(
        "Ordre du jour :\n- Élaboration d’un support de présentation commun, première "
        "proposition à préparer ; budget 3000–4000 euros\n- Projet 2008")


def test_lines_fold_at_75_octets_between_characters(cli_raw, club):
    data = invite(cli_raw, club, "club/2025-12-10").stdout_bytes
    raw = data.split(b"\r\n")
    assert max(len(x) for x in raw) <= 75
    assert sum(x.startswith(b" ") for x in raw) > 5  # the long description did fold
    for x in raw:
        x.decode("utf-8")  # no line ends or starts inside a UTF-8 sequence


def test_reschedule_update_and_cancel(cli_raw, club, read_ics):
    record = club / "club" / "2025-12-10.toml"
    first = read_ics(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)["events"][0]
    assert (first["uid"], first["sequence"]) == (UID1, 0)

    record.write_text(record.read_text().replace("date = 2026-01-15T14:00:00",
                                                 "date = 2026-01-22T14:00:00"))
    moved = read_ics(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)["events"][0]
    assert (moved["uid"], moved["sequence"]) == (UID1, 1)
    assert moved["start"] == "2026-01-22T13:00:00Z"

    again = invite(cli_raw, club, "club/2025-12-10").stdout_bytes
    assert read_ics(again)["events"][0]["sequence"] == 1
    assert invite(cli_raw, club, "club/2025-12-10").stdout_bytes == again  # byte for byte

    got = read_ics(invite(cli_raw, club, "club/2025-12-10", "--cancel").stdout_bytes)
    assert got["method"] == "CANCEL" and got["errors"] == []
    [cancelled] = got["events"]
    assert (cancelled["uid"], cancelled["sequence"], cancelled["status"]) == (
        UID1, 2, "CANCELLED")
    assert {a["address"] for a in cancelled["attendees"]} == set(INVITED)
    # cancelling twice is the same cancellation
    assert read_ics(invite(cli_raw, club, "club/2025-12-10", "--cancel").stdout_bytes)[
        "events"][0]["sequence"] == 2


def test_cancel_golden(cli_raw, club):
    invite(cli_raw, club, "club/2025-12-10")
    golden("cancel-winter.ics", invite(cli_raw, club, "club/2025-12-10", "--cancel").stdout_bytes)


def test_minor_change_keeps_sequence_and_takes_a_new_stamp(cli_raw, club, monkeypatch):
    record = club / "club" / "2025-12-10.toml"
    invite(cli_raw, club, "club/2025-12-10")
    record.write_text(record.read_text().replace("Projet 2008 à envoyer", "Projet 2008 à relire"))
    monkeypatch.setenv("RENCONTRES_NOW", LATER)
    content = lines(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)
    assert "SEQUENCE:0" in content and "DTSTAMP:20260106T103000Z" in content


def test_invite_after_cancel_is_a_new_sequence(cli_raw, club):
    invite(cli_raw, club, "club/2025-12-10")
    invite(cli_raw, club, "club/2025-12-10", "--cancel")
    content = lines(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)
    assert "SEQUENCE:2" in content and "METHOD:REQUEST" in content


def test_state_is_beside_the_records_which_stay_untouched(cli_raw, club, tmp_path):
    before = {k: v for k, v in snapshot(club).items()}
    out = tmp_path / "invitation.ics"
    run = cli_raw("--records", club, "invite", "club/2025-12-10", "-o", out)
    assert run.exit_code == 0 and run.stdout == ""
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    after = snapshot(club)
    assert {k: v for k, v in after.items()  # the state, and the lock held while writing it
            if k != "club/state.toml"} == before
    state = tomllib.loads((club / "club" / "state.toml").read_text())
    assert state["invitations"]["2025-12-10"] == {
        "uid": UID1, "sequence": 0, "status": "CONFIRMED",
        "stamp": dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        "start": "2026-01-15T14:00", "end": "2026-01-15T16:00",
        "venue": "Energie Alternative", "address": "52, La Cannebière, Marseille",
        "digest": state["invitations"]["2025-12-10"]["digest"],
    }
    # `rencontres new` reads the UID from here for the meeting's own record
    assert invitations.uid_for_next(state, "2025-12-10") == UID1
    assert invitations.uid_for_next(state, "2026-01-15") is None


def test_cancel_of_a_meeting_never_invited_is_refused(cli_raw, club):
    run = cli_raw("--records", club, "invite", "club/2025-12-10", "--cancel")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith("error: club/2025-12-10: its next meeting was never invited")
    assert not (club / "club" / "state.toml").exists()


def test_a_record_without_next_or_organizer_is_refused(cli_raw, club):
    run = cli_raw("--records", club, "invite", "club/2025-11-05")
    assert run.exit_code == 2
    assert run.stderr == ("error: club/2025-11-05: the record has no [next] meeting to invite "
                          "to; add a [next] table with its date\n")
    group = club / "club" / "group.toml"
    group.write_text(group.read_text().replace("[organizer]", "[unused]").replace(
        'name = "Sandrine Delrieu"\nemail = "sandrine@laplateforme.example"\n\n[[members]]',
        "[[members]]", 1))
    run = cli_raw("--records", club, "invite", "club/2025-12-10")
    assert run.exit_code != 0 and run.stdout == ""


# -- the feed ------------------------------------------------------------------------

def feed(cli_raw, root):
    run = cli_raw("--records", root, "calendar", "club")
    assert run.exit_code == 0, run.stderr
    return run.stdout_bytes


def test_feed_is_the_golden_calendar(cli_raw, club):
    invite(cli_raw, club, "club/2025-12-10")
    invite(cli_raw, club, "club/2026-01-15")
    golden("feed.ics", feed(cli_raw, club))


def test_feed_properties(cli_raw, club):
    content = lines(feed(cli_raw, club))
    assert not any(x.startswith(("METHOD", "ATTENDEE", "ORGANIZER")) for x in content)
    for line in ("NAME:Entreprendre au collectif", "X-WR-CALNAME:Entreprendre au collectif",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT12H", "X-PUBLISHED-TTL:PT12H"):
        assert line in content


def test_feed_shares_uids_with_invitations(cli_raw, club, read_ics):
    winter = read_ics(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)["events"][0]
    summer = read_ics(invite(cli_raw, club, "club/2026-01-15").stdout_bytes)["events"][0]
    got = read_ics(feed(cli_raw, club))
    assert got["method"] is None and got["errors"] == []
    events = got["events"]
    assert [e["summary"] for e in events] == [
        f"Entreprendre au collectif — {n} rencontre"
        for n in ("1ère", "2ème", "3ème", "4ème", "5ème")]
    # the 2026-01-15 record is the winter meeting: same UID as its invitation, the
    # time planned in the previous [next]; the upcoming one is the summer invitation
    assert (events[3]["uid"], events[3]["start"]) == (winter["uid"], WINTER_UTC)
    assert (events[4]["uid"], events[4]["start"]) == (summer["uid"], SUMMER_UTC)
    assert events[2]["start"] == "2025-12-10T13:00:00Z"
    assert [e["attendees"] for e in events] == [[]] * 5


def test_feed_uids_of_meetings_never_invited_are_stable(cli_raw, club, monkeypatch):
    first = [x for x in lines(feed(cli_raw, club)) if x.startswith("UID:")]
    monkeypatch.setenv("RENCONTRES_NOW", LATER)
    assert [x for x in lines(feed(cli_raw, club)) if x.startswith("UID:")] == first
    assert len(set(first)) == len(first) == 6  # the calendar's own, then five meetings
    assert f"UID:{invitations.stable_uid('club', '2026-01-15', upcoming=True)}" in first


def test_feed_uses_the_uid_a_record_carries(cli_raw, club):
    record = club / "club" / "2026-01-15.toml"
    record.write_text(record.read_text().replace(
        'venue = "Energie Alternative"', 'venue = "Energie Alternative"\nuid = "kept-uid@x"', 1))
    assert "UID:kept-uid@x" in lines(feed(cli_raw, club))


def test_feed_drops_a_cancelled_upcoming_meeting(cli_raw, club):
    invite(cli_raw, club, "club/2026-01-15")
    invite(cli_raw, club, "club/2026-01-15", "--cancel")
    assert sum(x == "BEGIN:VEVENT" for x in lines(feed(cli_raw, club))) == 4


# -- time zones ----------------------------------------------------------------------

@pytest.mark.parametrize("local, utc", [
    ("2026-03-29T01:30:00", "2026-03-29T00:30:00Z"),  # last hour of winter time
    ("2026-03-29T03:30:00", "2026-03-29T01:30:00Z"),  # first hour of summer time
    ("2026-10-25T01:30:00", "2026-10-24T23:30:00Z"),
    ("2026-10-25T03:30:00", "2026-10-25T02:30:00Z"),
    ("2027-12-01T09:00:00", "2027-12-01T08:00:00Z"),
])
def test_the_generated_vtimezone_around_each_change_of_time(cli_raw, club, read_ics, local, utc):
    record = club / "club" / "2025-12-10.toml"
    record.write_text(record.read_text().replace("date = 2026-01-15T14:00:00", f"date = {local}"))
    [event] = read_ics(invite(cli_raw, club, "club/2025-12-10").stdout_bytes)["events"]
    assert event["start"] == utc


def test_other_zones(cli_raw, club, read_ics):
    group = club / "club" / "group.toml"
    group.write_text(group.read_text().replace("Europe/Paris", "America/New_York"))
    [event] = read_ics(invite(cli_raw, club, "club/2026-01-15").stdout_bytes)["events"]
    assert event["start"] == "2026-07-02T22:30:00Z"  # EDT, -04:00


def test_new_record_keeps_the_invitations_uid(cli_raw, club):
    """invite → new: the meeting's own record carries the UID its invitation had, and the
    feed shows that meeting once, under that UID."""
    import tomllib

    sent = invite(cli_raw, club, "club/2026-01-15").stdout_bytes
    uid = next(x for x in lines(sent) if x.startswith("UID:")).removeprefix("UID:")
    before = (club / "club" / "2026-01-15.toml").read_bytes()
    run = cli_raw("--records", club, "new", "club", "--no-input")
    assert run.exit_code == 0, run.stderr
    record = tomllib.loads((club / "club" / "2026-07-02.toml").read_text(encoding="utf-8"))
    assert record["uid"] == uid
    assert record["date"].isoformat() == "2026-07-02T18:30:00"
    assert record["end"].isoformat() == "20:00:00"
    assert (club / "club" / "2026-01-15.toml").read_bytes() == before  # never rewritten
    uids = [x for x in lines(feed(cli_raw, club)) if x.startswith("UID:")]
    assert uids.count(f"UID:{uid}") == 1


def test_the_organizer_listed_without_an_address_is_not_reported_as_not_invited(cli_raw, club):
    record = club / "club" / "2025-12-10.toml"
    record.write_text(record.read_text(encoding="utf-8")
                      + '\n[[participants]]\nname = "Sandrine  Delrieu"\n', encoding="utf-8")
    run = invite(cli_raw, club, "club/2025-12-10")
    assert run.exit_code == 0, run.stderr
    assert "Sandrine" not in run.stderr
    assert run.stderr == "not invited: Pierre Levy (no e-mail address)\n"


def test_one_feed_of_every_group_puts_each_meeting_in_its_own_zone(cli_raw, club, read_ics):
    """`calendar` without a group, in a folder of several: every group's meetings in one
    calendar, each event where its own group's zone puts it, UIDs as in each group's feed."""
    import shutil

    atelier = club / "atelier"
    shutil.copytree(club / "club", atelier)
    group = atelier / "group.toml"
    group.write_text(group.read_text(encoding="utf-8").replace(
        'name = "Entreprendre au collectif"', 'name = "Atelier de Montréal"').replace(
        'timezone = "Europe/Paris"', 'timezone = "America/Montreal"'), encoding="utf-8")
    run = cli_raw("--records", club, "calendar")
    assert run.exit_code == 0, run.stderr
    assert "NAME:Toutes les rencontres" in lines(run.stdout_bytes)
    got = read_ics(run.stdout_bytes)
    assert got["errors"] == [] and got["method"] is None
    alone = {slug: read_ics(cli_raw("--records", club, "calendar", slug).stdout_bytes)["events"]
             for slug in ("atelier", "club")}
    assert got["events"] == alone["atelier"] + alone["club"]  # by group, each in date order
    montreal, paris = alone["atelier"][3], alone["club"][3]  # the winter meeting, 14:00 local
    assert paris["start"] == WINTER_UTC and montreal["start"] == "2026-01-15T19:00:00Z"
    assert montreal["summary"].startswith("Atelier de Montréal — ")
    assert len({e["uid"] for e in got["events"]}) == len(got["events"]) == 10


def test_the_feed_of_every_group_is_the_same_from_several_processes(cli_raw, club, monkeypatch):
    """Read and written one group per process (a large archive), the calendar has the bytes
    of one process, and its events are byte for byte each group's own feed's; a record
    with an error in any group refuses it."""
    import shutil

    from rencontres.records import archive

    for twin in ("atelier", "bureau"):
        shutil.copytree(club / "club", club / twin)
    one = cli_raw("--records", club, "calendar")
    assert one.exit_code == 0, one.stderr
    monkeypatch.setattr(archive, "PARALLEL_RECORDS", 1)
    monkeypatch.setattr(archive, "cores", lambda: 2)
    pools = []
    monkeypatch.setattr(archive, "process_pool", lambda jobs, made=archive.process_pool: (
        pools.append(jobs), made(jobs))[1])
    several = cli_raw("--records", club, "calendar")
    assert several.exit_code == 0, several.stderr
    assert pools == [2]
    assert several.stdout_bytes == one.stdout_bytes

    def events(data: bytes) -> bytes:
        return data[data.index(b"BEGIN:VEVENT"):data.rindex(b"END:VCALENDAR")]

    assert events(one.stdout_bytes) == b"".join(
        events(cli_raw("--records", club, "calendar", slug).stdout_bytes)
        for slug in ("atelier", "bureau", "club"))
    (club / "bureau" / "2025-11-05.toml").write_text("date = 2025-13-05\n", encoding="utf-8")
    refused = cli_raw("--records", club, "calendar", "-o", club.parent / "all.ics")
    assert refused.exit_code == 1 and "bureau/2025-11-05.toml:1:" in refused.stderr
    assert not (club.parent / "all.ics").exists()
