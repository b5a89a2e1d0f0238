"""The secretary's data is sacred: outputs never land among the records, the build never
leaves its site, no input hangs or crashes a command. Each test is a defect of issue 8
that a file of `tests/data/bad/` cannot hold (targets, links, special files, servers)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT, snapshot

T = "g/2026-01-15"


@pytest.fixture
def records(tmp_path, monkeypatch) -> Path:
    """A copy of the bad corpus's good group, with an invitation already sent."""
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-20T09:00:00Z")
    root = tmp_path / "records"
    shutil.copytree(DATA / "bad" / "base", root)
    return root


@pytest.fixture
def invited(cli, records) -> Path:
    assert cli("--records", records, "invite", T, "-o", records.parent / "first.ics").exit_code == 0
    assert (records / "g" / "state.toml").is_file()
    return records


# -- 1. -o never writes over a record, the group or the state ----------------------------

OUTPUTS = [
    ["render", T], ["render", T, "--format", "spip"], ["index", "g"], ["keywords", "g"],
    ["calendar", "g"], ["invite", T], ["invite", T, "--cancel"],
]
TARGETS = ["g/2026-01-15.toml", "g/group.toml", "g/state.toml", "g/2026-07-02.toml", "g",
           "new.md"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_o_refuses_every_target_among_the_records(cli, invited, args, target):
    before = snapshot(invited)
    run = cli("--records", invited, *args, "-o", invited / target)
    assert run.exit_code == 4, run.stderr
    assert run.stderr.startswith(f"error: {invited / target}: inside the records folder")
    assert run.stderr.count("\n") == 1
    assert snapshot(invited) == before  # the state too: a refused invite bumps no SEQUENCE


def test_o_through_a_link_into_the_records_is_refused(cli, invited, tmp_path):
    link = tmp_path / "elsewhere"
    link.symlink_to(invited / "g")
    before = snapshot(invited)
    for name in ("2026-01-15.toml", "group.toml", "fresh.md"):
        run = cli("--records", invited, "render", T, "-o", link / name)
        assert run.exit_code == 4, run.stderr
    assert snapshot(invited) == before


def test_o_outside_the_records_still_writes(cli, records, tmp_path):
    run = cli("--records", records, "render", T, "-o", tmp_path / "synthese.md")
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "synthese.md").read_text(encoding="utf-8").startswith("#")


def test_build_and_send_refuse_folders_among_the_records(cli, invited):
    before = snapshot(invited)
    for args in (["build", "-o", invited], ["build", "-o", invited / "g"],
                 ["build", "-o", invited / "g" / "site"], ["send", T, "--dry-run", invited / "g"],
                 ["send", T, "--dry-run", invited]):
        run = cli("--records", invited, *args)
        assert run.exit_code == 4, (args, run.stderr)
        assert "inside the records folder" in run.stderr
    assert snapshot(invited) == before


def test_build_refuses_a_site_folder_that_is_a_link_into_the_records(cli, records, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "g").symlink_to(records / "g")
    before = snapshot(records)
    run = cli("--records", records, "build", "-o", site)
    assert run.exit_code == 4, run.stderr
    assert "leads outside the site or into the records" in run.stderr
    assert snapshot(records) == before


# -- 2. --prune never leaves the site -----------------------------------------------------

def test_prune_ignores_manifest_lines_naming_files_outside_the_site(cli, records, tmp_path):
    site = tmp_path / "site"
    assert cli("--records", records, "build", "-o", site).exit_code == 0
    victim = records / "g" / "2026-01-15.toml"
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n")
    manifest = site / ".rencontres-build"
    with manifest.open("a", encoding="utf-8") as f:
        f.write("../records/g/2026-01-15.toml\n")
        f.write(f"{victim}\n")
        f.write(f"{outside}\n")
        f.write("g/../../precious.txt\n")
    before = snapshot(records)
    run = cli("--records", records, "build", "-o", site, "--prune")
    assert run.exit_code == 0, run.stderr
    assert snapshot(records) == before and outside.read_text() == "keep me\n"
    assert "removed" not in run.stdout
    assert run.stderr.count("is no file of the site") == 4
    assert "../records/g/2026-01-15.toml" not in manifest.read_text()  # not carried on


def test_prune_still_removes_what_the_build_wrote(cli, records, tmp_path):
    site = tmp_path / "site"
    (records / "g" / "2026-02-05.toml").write_text("date = 2026-02-05\n")
    assert cli("--records", records, "build", "-o", site).exit_code == 0
    (records / "g" / "2026-02-05.toml").unlink()
    run = cli("--records", records, "build", "-o", site, "--prune", "-v")
    assert run.exit_code == 0, run.stderr
    assert f"removed {site / 'g' / '2026-02-05.md'}" in run.stdout
    assert not (site / "g" / "2026-02-05.md").exists()


# -- 3. --dry-run: one file per attendee ----------------------------------------------------

def test_dry_run_writes_one_file_per_attendee_whatever_their_addresses(cli, records, tmp_path):
    people = ["a'b@example.org", "a_b@example.org", "a%27b@example.org", "a/b@example.org",
              "A.b@example.org"]
    with (records / "g" / "group.toml").open("a", encoding="utf-8") as f:
        for i, address in enumerate(people):
            f.write(f'\n[[members]]\nname = "Person {i}"\nemail = "{address}"\n')
    out = tmp_path / "mail"
    out.mkdir()
    run = cli("--records", records, "send", T, "--dry-run", out)
    assert run.exit_code == 0, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 + len(people), files  # Bob and Ann, and each of them
    assert all("/" not in f and f.endswith(".eml") for f in files)


# -- 6. what check reads ------------------------------------------------------------------

def test_check_refuses_a_file_that_is_no_record(cli, records):
    run = cli("--records", records, "check", "/etc/passwd")
    assert run.exit_code == 1
    assert "/etc/passwd: error: not a record" in run.stdout


def test_a_fifo_named_like_a_record_is_refused_not_waited_on(records):
    fifo = records / "g" / "2026-03-01.toml"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    for args in (["check"], ["check", str(fifo)], ["render", "g/2026-03-01"], ["list"]):
        proc = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                               *args], capture_output=True, text=True, env=env, timeout=30)
        assert proc.returncode == 1, (args, proc.stderr)
        assert "not a regular file" in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["group.toml", "state.toml"])
def test_a_fifo_in_place_of_the_group_or_the_state_is_refused(records, name):
    (records / "g" / name).unlink(missing_ok=True)
    os.mkfifo(records / "g" / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1",
           "RENCONTRES_NOW": "2026-01-20T09:00:00Z"}
    for args in (["check"], ["build", "-o", str(records.parent / "site")], ["invite", T],
                 ["calendar", "g"]):
        proc = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                               *args], capture_output=True, text=True, env=env, timeout=30)
        assert proc.returncode in (1, 2), (args, proc.stderr)
        assert "not a regular file" in proc.stdout + proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_a_record_linked_from_outside_is_refused_by_check_and_render_alike(cli, records,
                                                                          tmp_path):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text("date = 2026-03-01\n")
    (records / "g" / "2026-03-01.toml").symlink_to(outside)
    check = cli("--records", records, "check")
    assert check.exit_code == 1 and "a link to a file outside the group folder" in check.stdout
    for args in (["render", "g/2026-03-01"], ["show", "g/2026-03-01"],
                 ["render", records / "g" / "2026-03-01.toml"]):
        run = cli("--records", records, *args)
        assert run.exit_code == 1, (args, run.stderr)
        assert "a link to a file outside the group folder" in run.stderr


@pytest.mark.parametrize("name", ["Ramsess", "my group", "été", "a..b"])
def test_a_group_folder_with_a_bad_name_is_reported_not_ignored(cli, records, name):
    shutil.copytree(records / "g", records / name)
    run = cli("--records", records, "check")
    assert run.exit_code == 1
    assert f"{name}: error: not read: a group folder's name is lowercase letters" in run.stdout
    assert cli("--records", records, "list", "--json").exit_code == 1


def test_new_refuses_an_empty_date(cli, records):
    run = cli("--records", records, "new", "g", "--no-input", "--date", "")
    assert run.exit_code == 2 and "--date '': not a date" in run.stderr
    run = cli("--records", records, "new", "g", "--no-input", "--date", "2026-03-01",
              "--next", "")
    assert run.exit_code == 2 and "--next '': not a date" in run.stderr


def test_new_refuses_a_date_no_calendar_carries(cli, records):
    before = snapshot(records)
    run = cli("--records", records, "new", "g", "--no-input", "--date", "9999-12-31T23:00")
    assert run.exit_code == 1 and "year 9999" in run.stderr
    assert snapshot(records) == before


# -- 7. arguments and input that used to crash ----------------------------------------------

@pytest.mark.parametrize("command", ["show", "render", "invite", "send"])
def test_a_record_argument_too_long_for_the_system_is_one_line(cli, records, command):
    run = cli("--records", records, command, "x" * 5000)
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
    assert len(run.stderr) < 400


def test_output_names_too_long_for_the_system_are_one_line(cli, records, tmp_path):
    run = cli("--records", records, "render", T, "-o", tmp_path / ("x" * 5000))
    assert run.exit_code == 2 and run.stderr.startswith("error: ")
    assert run.stderr.count("\n") == 1


def test_new_with_standard_input_closed(records):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "rencontres", "--records", str(records), "new", "g",
         "--date", "2026-03-01"], capture_output=True, text=True, env=env, timeout=30,
        preexec_fn=lambda: os.close(0))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr  # no terminal: flags only, as --no-input
    assert (records / "g" / "2026-03-01.toml").is_file()


def test_input_ending_at_a_prompt_is_an_interruption_and_writes_nothing(cli, records):
    before = snapshot(records)
    run = cli("--records", records, "new", "g", "--interactive", input="2026-03-01\n")
    assert run.exit_code == 130, run.stderr
    assert "interrupted: nothing written" in run.stderr
    assert snapshot(records) == before


# -- 8. SMTP timeout ------------------------------------------------------------------------

@pytest.fixture
def silent_server():
    """A server that accepts connections and never says a word (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_send_gives_up_on_a_server_that_never_answers(cli, records, monkeypatch, silent_server,
                                                      how):
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(silent_server))
    monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
    extra = ["--smtp-timeout", "0.5"]
    if how == "environment":
        monkeypatch.setenv("RENCONTRES_SMTP_TIMEOUT", "0.5")
        extra = []
    started = time.monotonic()
    run = cli("--records", records, "send", T, *extra)
    elapsed = time.monotonic() - started
    assert run.exit_code == 5, run.stderr
    assert f"SMTP server 127.0.0.1:{silent_server}: no greeting from the server in time" \
        in run.stderr  # a silent server: no greeting (an SMTPS port would say nothing either)
    assert "a longer --smtp-timeout" in run.stderr
    assert "bob@example.org" in run.stderr and "ann@example.org" in run.stderr
    assert elapsed < 15  # gave up (the default would wait 30 s per step)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "99999"])
def test_a_bad_smtp_timeout_is_refused(cli, records, monkeypatch, value):
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    run = cli("--records", records, "send", T, "--smtp-timeout", value)
    if value == "soon":
        assert run.exit_code == 2  # typer: not a number
    else:
        assert run.exit_code == 2 and "SMTP timeout" in run.stderr
