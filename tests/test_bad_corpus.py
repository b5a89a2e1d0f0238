"""The bad corpus (`tests/data/bad/`): every case through every command that reads records.

Each case is a folder `cases/<name>/` whose files replace or add one file of the good
group in `base/` (or, with `remove = true`, take it away), and an `expect.toml`:

    file = "g/2026-01-15.toml"   the file the message must name
    message = "…"                what it must say
    line = 4                     the line it must name (when the file has lines)
    exit = 1                     the exit code of the commands that refuse it (default 1;
                                 `check` always exits 1)
    reads = "all" | "state"      which commands read that file: every one, or only those
                                 that read the invitations' state

For each case and each command: no traceback, the expected exit code and message where
the command reads the file, a clean exit or a one-line error where it does not, and the
records folder byte for byte as it was (every file hashed) — `new` may only add its record.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import DATA, snapshot

BAD = DATA / "bad"
CASES = sorted(p.name for p in (BAD / "cases").iterdir())
TARGET = "g/2026-01-15"

# name → (arguments, reads the state?)
COMMANDS = {
    "check": (["check"], True),
    "list": (["list"], False),
    "list --json": (["list", "--json"], False),
    "show": (["show", TARGET], False),
    "render": (["render", TARGET], False),
    "render spip": (["render", TARGET, "--format", "spip", "--text-only"], False),
    "render html -o": (["render", TARGET, "--format", "html", "-o", "{out}/page.html"], False),
    "render --with-index": (["render", TARGET, "--with-index"], False),
    "index": (["index", "g"], False),
    "keywords": (["keywords", "g", "--format", "spip"], False),
    "build": (["build", "-o", "{out}/site"], True),
    "invite": (["invite", TARGET, "-o", "{out}/invitation.ics"], True),
    "invite --cancel": (["invite", TARGET, "--cancel"], True),
    "calendar": (["calendar", "g"], True),
    "send --dry-run": (["send", TARGET, "--dry-run", "{out}/mail"], True),
    "actions": (["actions", "--all", "--json"], False),
    "agenda": (["agenda", "g"], False),
    "decisions": (["decisions", "g", "--format", "csv"], False),
    "attendance": (["attendance", "g"], False),
    "new": (["new", "g", "--no-input", "--date", "2026-02-05T18:30"], True),
    "replies": (["replies", "g", str(DATA / "replies" / "mail" / "google-declined.eml")], True),
    "rsvp": (["rsvp", TARGET, "Ann", "accepted"], True),
}


def _expect(name: str) -> dict:
    return tomllib.loads((BAD / "cases" / name / "expect.toml").read_text(encoding="utf-8"))


def _records(tmp_path: Path, name: str) -> Path:
    records = tmp_path / "records"
    shutil.copytree(BAD / "base", records)
    case = BAD / "cases" / name
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expect.toml":
            target = records / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    if _expect(name).get("remove"):
        (records / _expect(name)["file"]).unlink()
    return records


def test_the_corpus_is_whole():
    """Every case says what it expects, and every defect class of issue 8 is there."""
    assert len(CASES) >= 30
    for name in CASES:
        expect = _expect(name)
        assert set(expect) <= {"file", "message", "line", "exit", "reads", "remove"}, name
        assert expect["message"] and expect["file"], name


@pytest.mark.parametrize("name", CASES)
def test_every_command_refuses_the_case_and_changes_nothing(cli, tmp_path, monkeypatch, name):
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-20T09:00:00Z")
    expect = _expect(name)
    records = _records(tmp_path, name)
    out = tmp_path / "out"
    (out / "mail").mkdir(parents=True)
    before = snapshot(records)
    named = expect["file"] + (f":{expect['line']}" if expect.get("line") else "")
    for command, (args, reads_state) in COMMANDS.items():
        argv = [a.replace("{out}", str(out)) for a in args]
        run = cli("--records", records, *argv)  # an exception here is a traceback: a bug
        output = run.stdout + run.stderr
        assert "Traceback" not in output, (command, output)
        refuses = expect.get("reads", "all") == "all" or reads_state
        if command == "new" and expect.get("reads", "all") == "all" \
                and not expect["file"].endswith("group.toml"):
            refuses = False  # a broken earlier record does not stop a new one
        if refuses:
            code = 1 if command == "check" else expect.get("exit", 1)
            assert run.exit_code == code, (command, run.exit_code, output)
            lines = [line for line in output.splitlines() if expect["message"] in line]
            assert lines, (command, output)
            assert any(named in line for line in lines), (command, named, lines)
            if command not in ("check", "list", "list --json", "build"):
                assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: "), \
                    (command, run.stderr)  # one line
            if command == "list --json":
                assert run.stdout == ""  # never part of the archive passed off as all of it
        else:
            assert run.exit_code == 0 or run.stderr.startswith("error: "), (command, output)
        after = snapshot(records)
        if command == "new" and run.exit_code == 0:
            created = set(after) - set(before)
            assert created == {"g/2026-02-05.toml"}, created
            (records / "g/2026-02-05.toml").unlink()
            after = snapshot(records)
        assert after == before, command
