"""Shared by the replies tests: the `asso` records (ten invitees), invited twice so that the
invitation is at SEQUENCE 1 (the venue's address changed), and the reply fixtures."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import pytest

from rencontres.invite import state as invitations

DATA = Path(__file__).parent / "data" / "replies"
MAIL = DATA / "mail"
UID = "00000000-0000-4000-8000-000000000001"
FIRST, SECOND, READ = "2026-01-09T09:00:00Z", "2026-01-12T09:00:00Z", "2026-01-15T09:00:00Z"
RECORD = "asso/2026-01-08"

# What the seven fixtures say, as `replies --json` must report it (emails of the invitees).
EXPECTED = {
    "accepted": ["alice@atelier-velo.example", "david@icloud.example"],
    "tentative": ["bruno.lefevre@outlook.example"],
    "declined": ["chloe.bernard@gmail.example"],
    "delegated": ["emma@evolution.example"],
    "no_answer": ["farid@asso.example", "georges@outlook.example", "hugo@example.org",
                  "ines@example.org", "jules@example.org"],
}


@pytest.fixture
def asso(tmp_path, monkeypatch) -> Path:
    """A records folder holding tests/data/replies/asso; clock and UIDs fixed; not invited
    yet (see `invite_twice`)."""
    root = tmp_path / "records"
    shutil.copytree(DATA / "asso", root / "asso")
    monkeypatch.setenv("RENCONTRES_NOW", FIRST)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in list(os.environ):
        if name.startswith(("RENCONTRES_SMTP_", "RENCONTRES_IMAP_")):
            monkeypatch.delenv(name)
    counter = itertools.count(1)
    monkeypatch.setattr(invitations, "random_uid",
                        lambda: f"00000000-0000-4000-8000-{next(counter):012d}")
    return root


def change_address(root: Path) -> None:
    """The venue's address changes: the next invitation is SEQUENCE 1."""
    path = root / "asso" / "2026-01-08.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"93, La Canebière, Marseille"', '"93, La Canebière, 13001 Marseille"'),
        encoding="utf-8")


def invite_twice(cli, root: Path, monkeypatch, tmp_path: Path) -> None:
    """SEQUENCE 0 on FIRST, then (the address changed) SEQUENCE 1 on SECOND."""
    for i, when in enumerate((FIRST, SECOND)):
        monkeypatch.setenv("RENCONTRES_NOW", when)
        if i:
            change_address(root)
        run = cli("--records", root, "invite", RECORD, "-o", tmp_path / f"inv{i}.ics")
        assert run.exit_code == 0, run.stderr
    monkeypatch.setenv("RENCONTRES_NOW", READ)


def emails(report: dict, answer: str) -> list[str]:
    [meeting] = report["meetings"]
    return [p["email"] for p in meeting[answer]]


def parsed(run) -> dict:
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)
