"""Shared by the calendar and send tests: a records folder, fixed clock and UIDs, goldens.

Golden files (tests/golden/*.ics, *.eml) are compared byte for byte. After an
intended change, rewrite them (with every other golden file) with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q

and review the diff before committing.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from rencontres.invite import state as invitations
from render_support import check_golden as golden  # noqa: F401  (used by the calendar tests)

DATA = Path(__file__).parent / "data" / "calendar"
GOLDEN = Path(__file__).parent / "golden"
NOW = "2026-01-05T09:00:00Z"
LATER = "2026-01-06T10:30:00Z"
WINTER_UTC = "2026-01-15T13:00:00Z"  # 14:00 Europe/Paris, CET (+01:00)
SUMMER_UTC = "2026-07-02T16:30:00Z"  # 18:30 Europe/Paris, CEST (+02:00)


@pytest.fixture
def club(tmp_path, monkeypatch) -> Path:
    """A records folder holding tests/data/calendar/club; clock and UIDs fixed."""
    root = tmp_path / "records"
    shutil.copytree(DATA / "club", root / "club")
    monkeypatch.setenv("RENCONTRES_NOW", NOW)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in list(os.environ):
        if name.startswith("RENCONTRES_SMTP_"):
            monkeypatch.delenv(name)
    counter = itertools.count(1)
    monkeypatch.setattr(invitations, "random_uid",
                        lambda: f"00000000-0000-4000-8000-{next(counter):012d}")
    return root


def lines(data: bytes) -> list[str]:
    """Unfolded content lines of a calendar."""
    text = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


@pytest.fixture
def cli_raw(monkeypatch):
    """Like conftest's `cli`, but keeping stdout as bytes (`stdout_bytes`): click's
    `Result.stdout` turns CRLF into LF, and calendars and messages are CRLF."""
    from typer.testing import CliRunner

    from rencontres.cli import app

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("RENCONTRES_RECORDS", raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
