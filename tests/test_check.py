"""`rencontres check`: every check, with a record that fails it, and its line."""

from __future__ import annotations

import pytest

from conftest import make_group, snapshot

GOOD = '''\
date = 2026-01-15T14:00:00
venue = "Salle A"

[[participants]]
name = "Ann Member"
email = "ann@example.org"

[[participants]]
name = "Bob Smith"
organization = "Org"

[[topics]]
title = "Budget"
decisions = ["Adopted."]

[[topics.actions]]
owner = "Bob Smith"
task = "Send the minutes"
due = 2026-02-01

[next]
date = 2026-03-01T14:00:00
venue = "Salle B"
'''


def test_shipped_records_pass(cli, records):
    run = cli("--records", records, "check")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "0 errors, 0 warnings" in run.stderr


def test_a_good_record_passes(cli, tmp_path):
    make_group(tmp_path, **{"2026-01-15": GOOD})
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 0, run.stdout
    assert "2 files checked: 0 errors, 0 warnings" in run.stderr


# (what is wrong, the record's text, severity, line, words the message must hold)
CASES = [
    ("toml syntax", GOOD.replace('venue = "Salle A"', 'venue = "Salle A'), "error", 2,
     "the text of 'venue' has no closing quote: end it with \""),
    ("unknown key", GOOD.replace('venue = "Salle A"', 'venu = "Salle A"'), "error", 2,
     "did you mean 'venue'"),
    ("unknown key in next", GOOD.replace('venue = "Salle B"', 'adress = "x"'), "error", 23,
     "did you mean 'address'"),
    ("wrong type", GOOD.replace('venue = "Salle A"', "venue = 3"), "error", 2,
     "'venue' must be a string, not an integer"),
    ("missing required", GOOD.replace('title = "Budget"\n', ""), "error", 12,
     "missing required key 'title' in topics[1]"),
    ("missing date", GOOD.replace("date = 2026-01-15T14:00:00\n", ""), "error", None,
     "missing required key 'date'"),
    ("date vs file name", GOOD.replace("2026-01-15T14", "2026-01-16T14"), "error", 1,
     "disagrees with the file name 2026-01-15.toml"),
    ("next not after", GOOD.replace("date = 2026-03-01T14", "date = 2025-03-01T14"), "error",
     22, "is not after this one"),
    ("malformed email", GOOD.replace("ann@example.org", "ann@example"), "error", 6,
     "not an e-mail address"),
    ("control character", GOOD.replace('"Bob Smith"\norg', '"Bob\\nSmith"\norg'), "error", 9,
     "control character U+000A"),
    ("NUL character", GOOD.replace('"Salle A"', '"Salle\\u0000A"'), "error", 2,
     "control character U+0000"),
    ("participant twice", GOOD.replace('"Bob Smith"\norg', '"ann  member"\norg'), "error", 9,
     "listed twice"),
    ("owner unknown", GOOD.replace('owner = "Bob Smith"', 'owner = "Bobby"'), "warning", 17,
     "neither a participant nor a member"),
    ("bad attendance", GOOD.replace('organization = "Org"', 'attendance = "late"'), "error", 10,
     'is "late": write "present", "excused" or "absent"'),
    ("next without hour", GOOD.replace("date = 2026-03-01T14:00:00", "date = 2026-03-01"),
     "error", 22, "with the hour"),
    ("end before start", GOOD.replace('venue = "Salle A"', "end = 13:00:00"), "error", 2,
     "is not after the start"),
    ("offset date-time", GOOD.replace("2026-01-15T14:00:00", "2026-01-15T14:00:00Z"), "error",
     1, "with an offset"),
]


@pytest.mark.parametrize("text,severity,line,words", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_check(cli, tmp_path, text, severity, line, words):
    folder = make_group(tmp_path, **{"2026-01-15": text})
    before = snapshot(tmp_path)
    run = cli("--records", tmp_path, "check")
    path = f"{folder}/2026-01-15.toml"
    where = f"{path}:{line}" if line else path
    lines = [x for x in run.stdout.splitlines() if x.startswith(where + ": ")]
    assert any(f": {severity}: " in x and words in x for x in lines), run.stdout
    assert run.exit_code == (1 if severity == "error" else 0)
    assert snapshot(tmp_path) == before


# A required string of the wrong type: the type error alone, not also "is empty".
@pytest.mark.parametrize("old,new,line,message", [
    ('name = "Ann Member"', "name = 3", 5,
     "'participants[1].name' must be a string, not an integer"),
    ('title = "Budget"', "title = []", 13, "'topics[1].title' must be a string, not an array"),
    ('task = "Send the minutes"', "task = false", 18,
     "'topics[1].actions[1].task' must be a string, not a boolean"),
], ids=["participant name", "topic title", "action task"])
def test_a_wrong_type_is_one_error(cli, tmp_path, old, new, line, message):
    folder = make_group(tmp_path, **{"2026-01-15": GOOD.replace(old, new)})
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 1
    assert run.stdout == f"{folder}/2026-01-15.toml:{line}: error: {message}\n"
    assert "2 files checked: 1 error, 0 warnings" in run.stderr


def test_number_disagrees_with_date_order(cli, tmp_path):
    folder = make_group(tmp_path, **{
        "2026-01-15": 'date = 2026-01-15\nnumber = 1\n',
        "2026-02-15": 'date = 2026-02-15\nnumber = 3\n',
    })
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 0
    assert (f"{folder}/2026-02-15.toml:2: warning: number = 3, but this is meeting 2"
            in run.stdout)


def test_group_checks(cli, tmp_path):
    folder = make_group(tmp_path, group='name = "G"\ntimezone = "Europe/Pariss"\n'
                        'language = "de"\n[organizer]\nname = "O"\nemail = "o@@x.org"\n')
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 1
    out = run.stdout
    assert f"{folder}/group.toml:2: error: unknown time zone 'Europe/Pariss'" in out
    assert f"{folder}/group.toml:3: error: 'language' is \"de\": write \"fr\" or \"en\"" in out
    assert f"{folder}/group.toml:6: error: 'o@@x.org' is not an e-mail address" in out


def test_every_problem_is_reported_not_only_the_first(cli, tmp_path):
    text = GOOD.replace('venue = "Salle A"', 'venu = 1').replace("ann@example.org", "x")
    make_group(tmp_path, **{"2026-01-15": text})
    run = cli("--records", tmp_path, "check")
    assert len([x for x in run.stdout.splitlines() if ": error: " in x]) == 2


def test_not_utf8_and_misnamed_files(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": GOOD})
    (folder / "2026-02-01.toml").write_bytes(b'date = 2026-02-01\ntitle = "caf\xe9"\n')
    (folder / "2026-1-5.toml").write_text("date = 2026-01-05\n")
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 1
    assert f"{folder}/2026-02-01.toml:2: error: not UTF-8 text" in run.stdout
    assert f"{folder}/2026-1-5.toml: warning: not read" in run.stdout


def test_check_one_path_reports_only_that_file(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": GOOD, "2026-03-01": "date = 2026-03-02\n"})
    run = cli("check", folder / "2026-01-15.toml")
    assert run.exit_code == 0, run.stdout
    run = cli("check", folder / "2026-03-01.toml")
    assert run.exit_code == 1
    assert "disagrees with the file name" in run.stdout
    run = cli("check", folder)
    assert run.exit_code == 1


def test_check_missing_path_is_one_line(cli, tmp_path):
    run = cli("check", tmp_path / "nope.toml")
    assert run.exit_code != 0
    assert run.stderr.count("\n") == 1 and "nope.toml: no such file" in run.stderr


def test_unreadable_group_file_is_a_problem_not_a_stop(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": GOOD})
    (folder / "group.toml").write_bytes(b'name = "caf\xe9"\n')
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 1
    assert f"{folder}/group.toml:1: error: not UTF-8 text" in run.stdout
    assert "2 files checked: 1 error" in run.stderr


def test_email_local_part_is_the_documented_set_over_every_code_point():
    """The one e-mail rule (check and invite): a local part of A-Z a-z 0-9 and
    !#$%&'*+/=?^_`{|}~- , dots between them; nothing else, ASCII or not."""
    import sys

    from rencontres.core.text import valid_email

    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-")
    wrong = [c for c in range(sys.maxunicode + 1)
             if valid_email(f"a{chr(c)}@example.org") != (chr(c) in allowed)]
    assert wrong == []


ADDRESSES = ("ann@example.org", "jean.dupont+rencontres@example.org", "o'brien@mail.example.ie",
             "é@example.org", "zoë@example.org", "ann@exämple.org", "a..b@example.org",
             ".ann@example.org", "ann.@example.org", "ann@example", "ann@-example.org",
             "ann@example.c1", "ann@example.o", "ann@ex_ample.org", "ann@@example.org",
             "ann@xn--exmple-cua.org")


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_invite_refuses_is_reported_by_check(cli, tmp_path, address):
    """One rule: `check` accepts exactly the addresses an invitation is sent to."""
    import datetime as dt

    from rencontres.core.model import Group, Meeting, Participant, Person
    from rencontres.invite import ics

    folder = make_group(tmp_path, **{"2026-01-15": GOOD.replace("ann@example.org", address)})
    run = cli("--records", tmp_path, "check")
    group = Group(slug="g", name="G")
    meeting = Meeting(group="g", stem="2026-01-15", date=dt.date(2026, 1, 15),
                      participants=(Participant(Person("Ann Member", email=address)),))
    refused = [why for _, why in ics.invitees(group, meeting).not_invited]
    if refused:
        assert refused == [f"invalid e-mail address {address!r}"]
        assert run.exit_code == 1
        assert f"{folder}/2026-01-15.toml:6: error: '{address}' is not an e-mail address" \
            in run.stdout
    else:
        assert run.exit_code == 0, run.stdout
    accepted = ("ann@example.org", "jean.dupont+rencontres@example.org",
                "o'brien@mail.example.ie", "ann@xn--exmple-cua.org")
    assert (not refused) == (address in accepted)
