"""replies and rsvp, from files: what real clients send, who is coming, the state, `new`.

The IMAP side (Dovecot) is in test_replies_imap.py."""

from __future__ import annotations

import email
import mailbox
import os
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from rencontres.invite.replies import read_calendar, read_file_bytes, unfold
from replies_helpers import (
    EXPECTED,
    MAIL,
    RECORD,
    UID,
    emails,
    invite_twice,
    parsed,
)

SHAPES = {  # fixture → (attendee, answer, SEQUENCE, start of the comment)
    "thunderbird-accepted.eml": ("alice@atelier-velo.example", "accepted", 1,
                                 "J’apporte le vidéoprojecteur."),
    "outlook-tentative.eml": ("bruno.lefevre@outlook.example", "tentative", 1,
                              "Je serai peut-être en retard, réunion juste avant."),
    "google-declined.eml": ("chloe.bernard@gmail.example", "declined", 1,
                            "Désolée, je suis en congé cette semaine-là ; je lirai la synthèse "
                            "avec attention."),
    "apple-accepted-earlier.eml": ("david@icloud.example", "accepted", 0, ""),
    "evolution-delegated.eml": ("emma@evolution.example", "delegated", 1,
                                "Farid viendra à ma place."),
    "outlook-counter.eml": ("georges@outlook.example", "", 1,
                            "Le jeudi je tiens la boutique : le vendredi ?"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_clients_reply_is_read(name):
    read = read_file_bytes((MAIL / name).read_bytes(), name)
    assert read.problem == ""
    [answer] = read.answers  # the same calendar inline and attached counts once
    assert (answer.attendee, answer.answer, answer.sequence, answer.comment) == SHAPES[name]
    assert answer.uid == UID


def test_a_fold_inside_a_character_is_undone_on_the_bytes():
    msg = email.message_from_bytes((MAIL / "google-declined.eml").read_bytes())
    data = next(p.get_payload(decode=True) for p in msg.walk()
                if p.get_content_type() == "text/calendar")
    assert b"synth\xc3\r\n \xa8se" in data  # the fixture really splits the character
    naive = str(Calendar.from_ical(data).events[0]["COMMENT"])
    assert "\ufffd" in naive  # what icalendar alone makes of it
    [answer], _, _ = read_calendar(data)
    assert "synthèse" in answer.comment and "\ufffd" not in answer.comment
    assert unfold(b"A\r\n B\n\tC") == b"ABC"


def test_outlooks_reply_has_no_organizer_and_a_mixed_case_address():
    raw = (MAIL / "outlook-tentative.eml").read_bytes()
    msg = email.message_from_bytes(raw)
    [cal] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert cal["Content-Transfer-Encoding"] == "base64"
    text = cal.get_payload(decode=True)
    assert b"ORGANIZER" not in text and b"Bruno.Lefevre@Outlook.ex\r\n ample" in text
    assert read_file_bytes(raw, "x").answers[0].attendee == "bruno.lefevre@outlook.example"


def test_delegation_is_read_casefolded_and_the_delegate_without_partstat_is_said():
    read = read_file_bytes((MAIL / "evolution-delegated.eml").read_bytes(), "evo")
    [answer] = read.answers
    assert answer.delegated_to == "farid@asso.example"  # MAILTO:Farid@Asso.example
    assert read.notes == ("farid@asso.example: no PARTSTAT (accepted, declined, tentative or "
                          "delegated): not counted",)


def test_a_counter_carries_the_proposed_time():
    [answer] = read_file_bytes((MAIL / "outlook-counter.eml").read_bytes(), "c").answers
    assert answer.method == "COUNTER"
    assert (answer.start.isoformat(), answer.end.isoformat()) == (
        "2026-02-06T17:00:00+00:00", "2026-02-06T19:00:00+00:00")  # 18:00 Romance time


def _ics(*attendees: str, method: str = "REPLY", extra: str = "") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
            + (f"METHOD:{method}\r\n" if method else "") +
            f"BEGIN:VEVENT\r\nUID:{UID}\r\nSEQUENCE:1\r\n{extra}"
            + "".join(a + "\r\n" for a in attendees) + "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def test_what_is_no_answer_is_said_never_counted():
    answers, notes, problem = read_calendar(_ics(
        "ATTENDEE;PARTSTAT=X-MAYBE-LATER:mailto:a@example.org",
        "ATTENDEE:MAILTO:b@example.org",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:c@example.org"))
    assert answers == [] and problem == "no attendee answers in it"
    assert notes == ["a@example.org: PARTSTAT X-MAYBE-LATER is no answer (accepted, declined, "
                     "tentative or delegated): not counted",
                     "b@example.org: no PARTSTAT (accepted, declined, tentative or delegated):"
                     " not counted"]


def test_of_several_answering_attendees_the_sender_is_the_one_who_replied():
    data = _ics("ATTENDEE;PARTSTAT=ACCEPTED:mailto:Other@Example.org",
                "ATTENDEE;PARTSTAT=DECLINED:MAILTO:Me@Example.org")
    answers, _, _ = read_calendar(data, sender="me@example.org")
    assert [(a.attendee, a.answer) for a in answers] == [("me@example.org", "declined")]


def test_a_request_or_a_calendar_without_method_is_no_reply():
    assert read_calendar(_ics("ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.org",
                              method="REQUEST"))[2] == "a calendar with METHOD:REQUEST, not a reply"
    # no METHOD in the calendar: the one its MIME part names counts
    answers, _, _ = read_calendar(_ics("ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.org", method=""),
                                  method="REPLY")
    assert [a.answer for a in answers] == ["accepted"]
    assert read_calendar(b"BEGIN:VCALENDAR\r\nnot a calendar")[2].startswith(
        "unreadable calendar")


# -- the command ------------------------------------------------------------------------------
def _replies(cli, root, *args):
    return cli("--records", root, "replies", *args)


def test_replies_from_files_reports_who_is_coming(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    files = sorted(MAIL.glob("*.eml"))
    report = parsed(_replies(cli, asso, "--json", "asso", *files))
    for answer, who in EXPECTED.items():
        assert emails(report, answer) == who, answer
    [meeting] = report["meetings"]
    david = next(p for p in meeting["accepted"] if p["email"] == "david@icloud.example")
    assert (david["sequence"], david["earlier_version"]) == (0, True)
    chloe = meeting["declined"][0]
    assert chloe["comment"].startswith("Désolée") and chloe["answered"] == "2026-01-13T09:12:00Z"
    assert meeting["delegated"][0]["delegated_to"] == "farid@asso.example"
    [counter] = report["counters"]
    assert (counter["attendee"], counter["start"]) == ("georges@outlook.example",
                                                       "2026-02-06T17:00:00Z")
    [unmatched] = report["unmatched"]
    assert unmatched["source"].endswith("google-other-meeting.eml")
    assert unmatched["reason"].startswith("UID 5vq0k1m3c9d2l7a4b8e6f1g0h2@google.com is no "
                                          "invitation of asso")
    # the COUNTER is never applied: the invitation stays as it was
    state = tomllib.loads((asso / "asso" / "state.toml").read_text(encoding="utf-8"))
    assert state["invitations"]["2026-01-08"]["start"] == "2026-02-05T18:00"
    assert len(state["replies"]) == 5


def test_a_second_run_counts_nothing_twice(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    files = sorted(MAIL.glob("*.eml"))
    first = _replies(cli, asso, "asso", *files)
    assert first.exit_code == 0, first.stderr
    assert first.stderr.endswith("7 message(s) with a calendar read; 5 answer(s) in them, "
                                 "5 new recorded\n")
    state = (asso / "asso" / "state.toml").read_bytes()
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-16T09:00:00Z")
    again = _replies(cli, asso, "asso", *files)
    assert again.stdout == first.stdout
    assert again.stderr.endswith("0 new recorded (all were already recorded)\n")
    assert (asso / "asso" / "state.toml").read_bytes() == state


def test_the_text_report(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    run = _replies(cli, asso, *sorted(MAIL.glob("*.eml")))
    assert run.exit_code == 0, run.stderr
    out = run.stdout.splitlines()
    assert out[0] == ("Réseau des associations: the meeting of 2026-02-05 18:00 (invited from "
                      "asso/2026-01-08, SEQUENCE 1)")
    assert "  accepted (2)" in out and "  no answer (5)" in out
    assert ("    David Roux / Radio Quartier <david@icloud.example> — answered SEQUENCE 0, an "
            "earlier version") in out
    assert any(line.startswith("    Georges Blanc <georges@outlook.example>: 2026-02-06 "
                               "18:00–20:00 — “Le jeudi") for line in out)
    assert out[-2] == "not counted (1)"
    assert "answers SEQUENCE 0, an earlier version (the invitation is now at 1)" in run.stderr


def test_messages_that_hold_no_reply_are_listed_with_the_reason(cli, asso, monkeypatch,
                                                                 tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    plain = tmp_path / "hello.eml"
    plain.write_bytes(b"From: a@b.org\r\nSubject: Hello\r\n\r\nNo calendar.\r\n")
    request = tmp_path / "inv1.ics"  # our own invitation, not an answer
    report = parsed(_replies(cli, asso, "--json", plain, request))
    assert [(u["source"], u["reason"]) for u in report["unmatched"]] == [
        (str(plain), "no calendar in it (not an iMIP reply)"),
        (str(request), "a calendar with METHOD:REQUEST, not a reply")]
    assert not (asso / "asso" / "state.toml").read_text().count("[[replies]]")


def test_before_any_invitation_every_reply_is_unmatched_and_it_is_said(cli, asso):
    run = _replies(cli, asso, MAIL / "thunderbird-accepted.eml")
    assert run.exit_code == 0
    assert run.stdout.startswith("not counted (1)\n")
    assert "UID 00000000-0000-4000-8000-000000000001 is no invitation of asso" in run.stdout
    assert run.stderr.startswith("no meeting of asso was invited yet: no answer to expect")


def test_a_reply_to_a_cancelled_meeting_is_recorded_and_said(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    assert cli("--records", asso, "invite", RECORD, "--cancel", "-o",
               tmp_path / "c.ics").exit_code == 0
    run = _replies(cli, asso, MAIL / "thunderbird-accepted.eml")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("SEQUENCE 2) — CANCELLED")
    assert "answers a meeting since cancelled" in run.stderr
    assert "answers SEQUENCE 1, an earlier version (the invitation is now at 2)" in run.stderr


def test_a_maildir_and_an_mbox(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    box = mailbox.Maildir(tmp_path / "Maildir")
    mbox = mailbox.mbox(tmp_path / "mbox")
    for i in range(20):  # ordinary mail around the replies
        box.add(f"From: x{i}@example.org\r\nSubject: n{i}\r\n\r\nhello\r\n".encode())
    for path in sorted(MAIL.glob("*.eml")):
        box.add(path.read_bytes())
        mbox.add(path.read_bytes())
    mbox.flush()
    from_maildir = parsed(_replies(cli, asso, "--json", "asso", tmp_path / "Maildir"))
    from_mbox = parsed(_replies(cli, asso, "--json", "asso", tmp_path / "mbox"))
    for report in (from_maildir, from_mbox):
        for answer, who in EXPECTED.items():
            assert emails(report, answer) == who
        assert len(report["unmatched"]) == 1


def test_move_in_a_maildir_moves_only_the_matched_replies(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    box = mailbox.Maildir(tmp_path / "Maildir")
    box.add(b"From: x@example.org\r\nSubject: other\r\n\r\nhello\r\n")
    for path in sorted(MAIL.glob("*.eml")):
        box.add(path.read_bytes())
    run = _replies(cli, asso, "--move", "Réponses", tmp_path / "Maildir")
    assert run.exit_code == 0, run.stderr
    left = sorted(str(m["Subject"]) for m in mailbox.Maildir(tmp_path / "Maildir",
                                                             create=False))
    moved = mailbox.Maildir(tmp_path / "Maildir", create=False).get_folder("Réponses")
    assert len(moved) == 5  # the five answers; the COUNTER and the stranger's reply stay
    assert len(left) == 3 and "other" in left


def test_move_is_refused_for_files(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    run = _replies(cli, asso, "--move", "Done", MAIL / "google-declined.eml")
    assert run.exit_code == 2
    assert run.stderr == ("error: --move moves messages of an IMAP mailbox or of one Maildir"
                          "; leave it out to read these files\n")


def test_without_a_mailbox_one_line_says_where_to_set_it(cli, asso):
    run = _replies(cli, asso)
    assert run.exit_code == 2
    assert run.stderr.startswith("error: no mailbox to read; set RENCONTRES_IMAP_URL")
    assert len(run.stderr.splitlines()) == 1


def test_a_password_in_the_imap_url_is_refused_and_never_printed(cli, asso, monkeypatch):
    monkeypatch.setenv("RENCONTRES_IMAP_URL", "imaps://me:hunter2@127.0.0.1:1/INBOX")
    run = _replies(cli, asso)
    assert run.exit_code == 2 and "hunter2" not in run.stderr + run.stdout
    assert run.stderr.startswith("error: the IMAP URL holds a password")


def test_a_damaged_replies_table_is_refused_with_its_line(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    assert _replies(cli, asso, MAIL / "google-declined.eml").exit_code == 0
    path = asso / "asso" / "state.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('answer = "declined"',
                                                             'answer = "maybe"'),
                    encoding="utf-8")
    run = _replies(cli, asso, MAIL / "google-declined.eml")
    assert run.exit_code == 2
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "maybe" in t)
    assert run.stderr.startswith(f"error: {path}:{line}: damaged state file: 'answer' must be "
                                 "one of accepted, declined, tentative, delegated")


# -- rsvp --------------------------------------------------------------------------------------
def _state(root) -> dict:
    return tomllib.loads((root / "asso" / "state.toml").read_text(encoding="utf-8"))


def test_rsvp_the_latest_answer_wins_and_the_history_stays(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    assert _replies(cli, asso, MAIL / "google-declined.eml").exit_code == 0  # 13 Jan
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-20T10:00:00Z")
    # by the announced date, a name's start, a short answer
    run = cli("--records", asso, "rsvp", "asso/2026-02-05", "chlo", "acc",
              "--comment", "Finalement libre")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "Chloé Bernard: accepted — “Finalement libre”\n"
    assert run.stderr == "was: declined (by mail, 2026-01-13 09:12 UTC), kept in the history\n"
    report = parsed(_replies(cli, asso, "--json", MAIL / "google-declined.eml"))
    assert "chloe.bernard@gmail.example" in emails(report, "accepted")
    # an answer given before the e-mailed one does not win over it
    run = cli("--records", asso, "rsvp", RECORD, "david@icloud.example", "declined",
              "--at", "2026-01-01T10:00")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "David Roux: declined\n", "")
    report = parsed(_replies(cli, asso, "--json", MAIL / "apple-accepted-earlier.eml"))
    assert "david@icloud.example" in emails(report, "accepted")  # 10 Jan beats 1 Jan
    answers = [(r["attendee"], r["answer"], r["via"]) for r in _state(asso)["replies"]]
    assert answers.count(("chloe.bernard@gmail.example", "declined", "mail")) == 1
    assert ("chloe.bernard@gmail.example", "accepted", "rsvp") in answers


def test_rsvp_refuses_what_it_cannot_place(cli, asso, monkeypatch, tmp_path):
    run = cli("--records", asso, "rsvp", RECORD, "Alice", "accepted")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: asso/2026-01-08: its next meeting was never invited")
    invite_twice(cli, asso, monkeypatch, tmp_path)
    run = cli("--records", asso, "rsvp", RECORD, "Zorro", "accepted")
    assert run.exit_code == 2 and run.stderr.startswith("error: 'Zorro' is none of the invitees")
    run = cli("--records", asso, "rsvp", RECORD, "Alice", "peut-être")
    assert run.exit_code == 2
    assert run.stderr == ("error: 'peut-être' is not an answer; give accepted, declined or "
                          "tentative\n")
    assert "replies" not in _state(asso)


# -- new ---------------------------------------------------------------------------------------
def test_new_starts_its_attendance_from_the_replies(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    assert _replies(cli, asso, *sorted(MAIL.glob("*.eml"))).exit_code == 0
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-06T09:00:00Z")
    run = cli("--records", asso, "new", "asso", "--no-input")
    assert run.exit_code == 0, run.stderr
    text = (asso / "asso" / "2026-02-05.toml").read_text(encoding="utf-8")
    record = tomllib.loads(text)
    assert [(p["name"], p.get("attendance", "present")) for p in record["participants"]] == [
        ("Alice Martin", "present"), ("Chloé Bernard", "excused"), ("David Roux", "present"),
        ("Emma Petit", "excused")]
    assert record["uid"] == UID
    assert ("# replied declined on 2026-01-13: Désolée, je suis en congé cette semaine-là ; je"
            in text)
    assert "# replied delegated on 2026-01-14: delegated to farid@asso.example; Farid" in text


def test_new_without_replies_is_as_before(cli, asso, monkeypatch, tmp_path):
    invite_twice(cli, asso, monkeypatch, tmp_path)
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-06T09:00:00Z")
    assert cli("--records", asso, "new", "asso", "--no-input").exit_code == 0
    assert "participants" not in tomllib.loads(
        (asso / "asso" / "2026-02-05.toml").read_text(encoding="utf-8"))


# -- hostile input -----------------------------------------------------------------------------
@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "200")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(p.name for p in MAIL.glob("*.eml"))),
       edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
           [b"", b":", b";", b"=", b"\r\n ", b"\xc3", b"PARTSTAT=", b"DTSTAMP:x", b"\r\n",
            b"SEQUENCE:abc\r\n", b"ATTENDEE:\r\n", b'"', b"=?utf-8?b?x?="]),
           st.integers(0, 40)), min_size=1, max_size=12))
def test_a_damaged_message_is_said_unreadable_never_a_crash(name, edits):
    data = bytearray((MAIL / name).read_bytes())
    for where, insert, cut in edits:
        at = int(where * (len(data) - 1))
        data[at:at + cut] = insert
    read = read_file_bytes(bytes(data), name)
    assert read.answers or read.problem  # counted, or the reason it is not
