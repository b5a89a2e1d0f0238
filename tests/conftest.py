"""Shared fixtures: a copy of the shipped records, a CLI runner, folder snapshots."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rencontres.cli import app

# Fixtures of the calendar and send tests: readers (icalendar, ical.js, libical),
# the `club` records, `cli_raw` (stdout as bytes); the replies tests' `asso` records and
# their IMAP server (Dovecot).
pytest_plugins = ["ical_readers", "calendar_helpers", "replies_helpers", "imap_server"]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "records"
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def parse_cache(tmp_path_factory, monkeypatch) -> Path:
    """Every test's parse cache in its own folder, never the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("RENCONTRES_CACHE", str(folder))
    return folder


@pytest.fixture(autouse=True)
def english(monkeypatch) -> None:
    """The tool's voice in English for every test, whatever the machine's locale (a test of
    another language sets its own); LANGUAGE cleared, as GNU gettext reads it first."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from rencontres.core import i18n

    i18n.reset()


@pytest.fixture(autouse=True)
def user_config(tmp_path_factory, monkeypatch) -> Path:
    """Every test's configuration file its own (absent until a test writes it), never the
    user's ~/.config/rencontres/config.toml."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    monkeypatch.setenv("RENCONTRES_CONFIG", str(path))
    for name in ("RENCONTRES_SMTP_PASSWORD", "RENCONTRES_IMAP_PASSWORD", "RENCONTRES_IMAP_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture(autouse=True)
def state_folder(tmp_path_factory, monkeypatch) -> Path:
    """Every test's state folder (drafts of `new`) its own, never the user's."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("RENCONTRES_STATE", str(folder))
    return folder


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A writable copy of the shipped records."""
    target = tmp_path / "records"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def cli(monkeypatch):
    """Run `rencontres ARGS…` in-process; stdout, stderr and exit code kept apart."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("RENCONTRES_RECORDS", raising=False)
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (names and content hashes), to prove nothing changed — but
    a group's `.state.lock`, the empty file an OS lock is taken on (`records/lock.py`)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (p.name == ".state.lock" and p.stat().st_size == 0)
    }


def make_group(root: Path, slug: str = "g", group: str | None = None,
               **meetings: str) -> Path:
    """A records folder with one group: `make_group(tmp, g="…", **{"2026-01-15": "…"})`."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "group.toml").write_text(
        group if group is not None else 'name = "Test group"\n'
        '[[members]]\nname = "Ann Member"\nemail = "ann@example.org"\n', encoding="utf-8")
    for stem, text in meetings.items():
        (folder / f"{stem}.toml").write_text(text, encoding="utf-8")
    return folder
