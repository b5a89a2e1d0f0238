"""Issue 27: `rencontres CMD | head -1` — the reader goes away — exits 141 (as a command
ended by SIGPIPE) with nothing on stderr, for every command that writes to stdout.

Each command runs as a process whose stdout is a pipe already closed by its reader, so its
first write fails, whatever the size of its output (with `| head -1`, an output smaller
than the pipe's buffer is written whole before head exits, and the command rightly exits 0,
as `cat` does)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, SHIPPED

RECORD = "ramsess/2007-11-22"
MAILS = sorted(str(p) for p in (DATA / "replies" / "mail").glob("*.eml"))
# name → arguments; each writes to stdout on the shipped records (with an organizer)
COMMANDS = {
    "help": ["--help"],
    "command help": ["show", "-h"],
    "version": ["--version"],
    "check": ["check"],  # its report, with the warning added below
    "list": ["list"],
    "list --json": ["list", "--json"],
    "show": ["show", RECORD],
    "render": ["render", RECORD],
    "render spip": ["render", RECORD, "--format", "spip", "--text-only"],
    "render html": ["render", RECORD, "--format", "html"],
    "render --with-index": ["render", RECORD, "--with-index"],
    "index": ["index"],
    "keywords": ["keywords"],
    "build -v": ["build", "-v", "-o", "{tmp}/site", "--no-search", "-j", "1"],
    "actions": ["actions", "--all"],
    "actions --json": ["actions", "--all", "--json"],
    "agenda": ["agenda", "--after", RECORD],
    "decisions": ["decisions"],
    "decisions csv": ["decisions", "--format", "csv"],
    "attendance": ["attendance"],
    "invite": ["invite", RECORD],
    "calendar": ["calendar"],
    "publish --dry-run": ["publish", RECORD, "--dry-run"],
    "replies": ["replies", "ramsess", *MAILS],
    "replies --json": ["replies", "ramsess", *MAILS, "--json"],
    "rsvp": ["rsvp", RECORD, "Ann", "accepted"],
    "import --dry-run": ["import", "--dry-run", "--group", "ramsess",
                         str(DATA / "import" / "000_44f011bbe45605fa.txt")],
    "new": ["new", "--no-input", "--date", "2009-06-10T14:00"],
    "init": ["init", "atelier", "--no-input"],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pipe")
    records = tmp / "records"
    shutil.copytree(SHIPPED, records)
    group = records / "ramsess" / "group.toml"
    group.write_text(group.read_text(encoding="utf-8") + '\n[organizer]\nname = "Claire"\n'
                     'email = "claire@example.org"\n[[members]]\nname = "Ann"\n'
                     'email = "ann@example.org"\n', encoding="utf-8")
    with (records / "ramsess" / "2007-11-22.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[topics]]\ntitle = "x"\n[[topics.actions]]\nowner = "Zoé Inconnue"\n'
                'task = "t"\n')  # a warning, for `check` to report
    subprocess.run([sys.executable, "-m", "rencontres", "invite", RECORD, "-o",  # for replies
                    str(tmp / "invitation.ics")], cwd=tmp, check=True, capture_output=True,
                   env={**os.environ, "RENCONTRES_NOW": "2009-01-05T09:00:00Z",
                        "RENCONTRES_CACHE": str(tmp / "cache")})
    return tmp


def _closed_run(args: list[str], cwd, env) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    try:
        return subprocess.run([sys.executable, "-m", "rencontres", *args], stdout=write,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=cwd,
                              env=env, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_pipe_exits_141_quietly(folder, name, tmp_path):
    env = {**os.environ, "RENCONTRES_NOW": "2009-01-05T09:00:00Z", "NO_COLOR": "1",
           "RENCONTRES_CACHE": str(tmp_path / "cache"), "RENCONTRES_STATE": str(tmp_path)}
    env.pop("RENCONTRES_RECORDS", None)
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[name]]
    run = _closed_run(args, folder, env)
    said = run.stderr.decode().splitlines()
    if name not in ("new", "init"):  # what it says anyway, to its stdout's end
        usual = subprocess.run([sys.executable, "-m", "rencontres", *args], cwd=folder,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, timeout=120, check=True)
        said = said[len(os.path.commonprefix([said, usual.stderr.decode().splitlines()])):]
    assert (run.returncode, said) == (141, [])  # only what it says before its output
