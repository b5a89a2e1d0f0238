"""Issue 27: warnings on stderr with paths as typed; files `check` does not read named with
where they go; a record named by a date as `new` reads dates, and never picked among two;
`send --dry-run DIR` makes DIR; `init` writes an [organizer] to fill in; the editor's
failure in one line."""

from __future__ import annotations

import pytest

from conftest import make_group, snapshot

GOOD = """date = 2009-03-24T14:00:00
title = "Réunion"

[[participants]]
name = "Ann Member"
email = "ann@example.org"

[[topics]]
title = "Budget"

[[topics.actions]]
owner = "Zoé Inconnue"
task = "Envoyer le budget"
"""
WARNING = "action owner 'Zoé Inconnue' is neither a participant nor a member"


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A records folder with one group and one record with a warning, as the current
    folder's records/."""
    make_group(tmp_path / "records", **{"2009-03-24": GOOD})
    monkeypatch.chdir(tmp_path)
    return tmp_path / "records"


@pytest.mark.parametrize("args", [["show", "g/2009-03-24"], ["render", "g/2009-03-24"],
                                  ["render", "g/2009-03-24", "--format", "spip"]])
def test_a_records_warnings_go_to_stderr_with_the_path_as_typed(cli, here, args):
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    assert WARNING not in run.stdout and "warning" not in run.stdout
    assert run.stderr.startswith(f"records/g/2009-03-24.toml:12: warning: {WARNING}")
    assert str(here) not in run.stderr  # not /tmp/…/records/g/…


# -- files no command reads --------------------------------------------------------------

def test_check_names_records_it_does_not_read_and_where_they_go(cli, here):
    (here / "2009-04-07.toml").write_text(GOOD.replace("2009-03-24", "2009-04-07"))
    (here / "g" / "2009").mkdir()
    (here / "g" / "2009" / "2009-03-24.toml").write_text(GOOD)
    (here / "g" / "old").mkdir()
    (here / "g" / "old" / "notes.toml").write_text("x = 1\n")
    run = cli("check")
    assert run.exit_code == 0, run.stdout
    out = run.stdout
    assert ("records/2009-04-07.toml: warning: not read: a meeting's record is read only "
            "directly in its group's folder: move it to records/g/2009-04-07.toml") in out
    assert ("records/g/2009/2009-03-24.toml: warning: not read: a meeting's record is read "
            "only directly in its group's folder: move it to records/g/2009-03-24-2.toml "
            "(2009-03-24.toml is another record of that day)") in out
    assert "records/g/old/notes.toml: warning: not read: a meeting's record is named " \
           "YYYY-MM-DD.toml and sits directly in its group's folder" in out
    assert "0 errors, 4 warnings" in run.stderr  # and the record's own
    alone = cli("check", "records/g")  # a group checked alone: its sub-folders
    assert "records/g/2009/2009-03-24.toml: warning: not read" in alone.stdout
    one = cli("check", "records/2009-04-07.toml")  # the file itself
    assert one.exit_code == 0 and one.stdout.startswith("records/2009-04-07.toml: warning: "
                                                        "not read: ")


def test_render_of_a_record_in_the_wrong_place_says_where_it_should_be(cli, here):
    (here / "g" / "2009-03-24.toml").unlink()
    (here / "2009-03-24.toml").write_text(GOOD)
    before = snapshot(here)
    for spec in ("2009-03-24", "24/03/2009", "records/2009-03-24.toml"):
        run = cli("render", spec)
        assert run.exit_code in (2, 3) and run.stderr.count("\n") == 1, run.stderr
        assert "no record of that date" not in run.stderr
        assert "records/2009-03-24.toml" in run.stderr
        assert "move it to records/g/2009-03-24.toml" in run.stderr
    assert snapshot(here) == before


# -- a date names a record -----------------------------------------------------------------

@pytest.mark.parametrize("spec", ["24 mars 2009", "24/03/2009", "mardi 24 mars 2009 à 14h",
                                  "24 March 2009", "2009-03-24", "g/24/03/2009",
                                  "g/24 mars 2009", "g/2009-03-24", "2009-03-24T14:00"])
@pytest.mark.parametrize("command", [["show"], ["render"], ["invite", "--cancel"]])
def test_a_date_as_new_reads_it_names_the_record(cli, here, spec, command):
    (here / "g" / "group.toml").write_text(
        'name = "G"\n[organizer]\nname = "O"\nemail = "o@example.org"\n')
    run = cli(command[0], spec, *command[1:])
    assert run.exit_code in (0, 2), run.stderr
    assert "not a record" not in run.stderr and "no record" not in run.stderr
    if command[0] != "invite":  # (the record announces no next meeting)
        assert run.exit_code == 0 and "Réunion" in run.stdout


def test_an_impossible_date_is_said_as_such(cli, here):
    run = cli("show", "31/04/2009")
    assert run.exit_code == 2
    assert run.stderr == "error: '31/04/2009': not a date: April has only 30 days\n"


def test_a_day_of_two_records_is_never_picked(cli, here):
    (here / "g" / "2009-03-24-2.toml").write_text(GOOD.replace("Réunion", "Seconde"))
    for command in (["show"], ["render"], ["edit"], ["invite"], ["send", "--dry-run", "out"],
                    ["publish", "--dry-run"]):
        for spec in ("24/03/2009", "2009-03-24", "24 mars 2009", "g/24/03/2009"):
            run = cli(command[0], spec, *command[1:])
            assert run.exit_code == 2, (command, spec, run.stdout)
            assert run.stderr == (f"error: {spec}: 2 records that day (g/2009-03-24, "
                                  "g/2009-03-24-2); name the one you mean, e.g. "
                                  "g/2009-03-24-2\n"), run.stderr
    assert cli("show", "g/2009-03-24-2").stdout.startswith("Seconde")
    assert cli("show", "g/2009-03-24").stdout.startswith("Réunion")
    assert cli("show", "2009-03-24-2").stdout.startswith("Seconde")


# -- an output folder made; an organizer to fill in -----------------------------------------

NEXT = '\n[next]\ndate = 2009-04-21T14:00:00\nvenue = "Salle B"\n'


def test_send_dry_run_makes_its_folder_never_among_the_records(cli, here, tmp_path):
    (here / "g" / "group.toml").write_text(
        'name = "G"\n[organizer]\nname = "O"\nemail = "o@example.org"\n')
    with (here / "g" / "2009-03-24.toml").open("a") as f:
        f.write(NEXT)
    run = cli("send", "g/2009-03-24", "--dry-run", "out/mails")
    assert run.exit_code == 0, run.stderr
    assert [p.name for p in (tmp_path / "out" / "mails").iterdir()] == ["ann@example.org.eml"]
    before = snapshot(here)
    run = cli("send", "g/2009-03-24", "--dry-run", "records/g/mails")
    assert run.exit_code == 4 and "inside the records folder" in run.stderr
    assert snapshot(here) == before and not (here / "g" / "mails").exists()
    (tmp_path / "afile").write_text("")
    run = cli("send", "g/2009-03-24", "--dry-run", "afile")
    assert run.exit_code == 2
    assert run.stderr == "error: afile: not a folder; give --dry-run a folder for the messages\n"


def test_init_writes_an_organizer_to_fill_in_and_invite_says_so(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("init", "atelier", "--no-input").exit_code == 0
    path = tmp_path / "records" / "atelier" / "group.toml"
    text = path.read_text()
    assert '# [organizer]  # who sends the invitations (invite and send need one):\n' \
           '# name = "…"  # remove the # of these three lines and fill them in\n' \
           '# email = "…"\n' in text
    assert cli("check").exit_code == 0
    (tmp_path / "records" / "atelier" / "2009-03-24.toml").write_text(
        GOOD.replace("Zoé Inconnue", "Ann Member") + NEXT)
    run = cli("invite", "atelier/2009-03-24")
    assert run.exit_code == 2
    assert run.stderr == ("error: atelier: the group has no organizer to send the invitations "
                          "from; fill in [organizer] in its group.toml, name = \"…\" and email "
                          "= \"…\" (a group made by `init` has these lines commented out: "
                          "remove their #)\n")
    path.write_text(text.replace('# [organizer]', '[organizer]')
                    .replace('# name = "…"', 'name = "Claire"', 1)
                    .replace('# email = "…"', 'email = "claire@example.org"', 1))
    run = cli("invite", "atelier/2009-03-24")
    assert run.exit_code == 0 and "ORGANIZER;CN=Claire:mailto:claire@example.org" in \
        run.stdout.replace("\r\n ", "").replace("\r\n", "\n")


def test_a_record_in_a_groups_sub_folder_is_said_by_its_name_too(cli, here):
    (here / "g" / "2009").mkdir()
    (here / "g" / "2009-03-24.toml").rename(here / "g" / "2009" / "2009-03-24.toml")
    for spec in ("g/2009-03-24", "2009-03-24", "g/24 mars 2009"):
        run = cli("show", spec)
        assert run.exit_code == 3 and run.stderr.count("\n") == 1, run.stderr
        assert "records/g/2009/2009-03-24.toml is not read: a meeting's record is read only " \
               "directly in its group's folder: move it to records/g/2009-03-24.toml" \
               in run.stderr
