"""The `replies` row of bench/run.py: a Maildir of 10,000 messages, 1,000 of them iMIP replies
in the five clients' shapes of tests/data/replies/mail, read by `rencontres replies` against
a floor that reads the same messages with Python's `mailbox` and parses their calendar parts
with icalendar, the two run alternately.

    .venv/bin/python bench/replies_bench.py [--repeat 3]     # this row alone
"""

from __future__ import annotations

import base64
import email
import quopri
import random
import shutil
import subprocess
import sys
from email.policy import compat32
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data" / "replies"
MESSAGES, REPLIES, MEMBERS = 10_000, 1_000, 200
FIXTURE_UID = b"00000000-0000-4000-8000-000000000001"

FLOOR_REPLIES = """
import email, mailbox, sys
from icalendar import Calendar
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
calendars = 0
for key in box.iterkeys():
    msg = email.message_from_bytes(box.get_bytes(key))
    for part in msg.walk():
        name = (part.get_filename() or "").lower()
        if part.get_content_type() in ("text/calendar", "application/ics") or name.endswith(".ics"):
            Calendar.from_ical(part.get_payload(decode=True), multiple=True)
            calendars += 1
assert calendars >= REPLIES, calendars
""".replace("REPLIES", str(REPLIES))


def _group(folder: Path) -> None:
    """asso's group.toml and record, with MEMBERS members (who answer)."""
    folder.mkdir(parents=True)
    text = (DATA / "asso" / "group.toml").read_text(encoding="utf-8").split("[[members]]")[0]
    text += "".join(f'[[members]]\nname = "Membre {i:03d}"\norganization = "Association {i % 37}"'
                    f'\nemail = "membre{i:03d}@example.org"\n\n' for i in range(MEMBERS))
    (folder / "group.toml").write_text(text, encoding="utf-8")
    shutil.copy(DATA / "asso" / "2026-01-08.toml", folder / "2026-01-08.toml")


def _variant(raw: bytes, uid: bytes, who: str, day: int) -> bytes:
    """A fixture's message answering `uid` as `who` on day `day` of January: its calendar
    parts rewritten and encoded again as they were (base64, quoted-printable, 8bit)."""
    msg = email.message_from_bytes(raw, policy=compat32)
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = (part.get_filename() or "").lower()
        if part.get_content_type() not in ("text/calendar", "application/ics") and \
                not name.endswith(".ics"):
            continue
        data = part.get_payload(decode=True).replace(b"\r\n ", b"")
        data = data.replace(FIXTURE_UID, uid)
        for old in (b"alice@atelier-velo.example", b"Bruno.Lefevre@Outlook.example",
                    b"chloe.bernard@gmail.example", b"David@iCloud.example",
                    b"emma@evolution.example", b"georges@outlook.example"):
            data = data.replace(old, who.encode())
        data = _restamp(data, day)
        cte = (part["Content-Transfer-Encoding"] or "").lower()
        del part["Content-Transfer-Encoding"]
        if cte == "base64":
            part.set_payload(base64.encodebytes(data).decode())
        elif cte == "quoted-printable":
            part.set_payload(quopri.encodestring(data).decode())
        else:
            part.set_payload(data.decode("ascii", "surrogateescape"))  # the bytes as they are
        part["Content-Transfer-Encoding"] = cte or "8bit"
    return msg.as_bytes()


def _restamp(data: bytes, day: int) -> bytes:
    import re

    return re.sub(rb"DTSTAMP:\d{8}T", b"DTSTAMP:202601%02dT" % day, data)


def _ordinary(rng: random.Random, i: int) -> bytes:
    """Mail that is no reply: text, text and HTML, or a PDF attached."""
    body = " ".join(rng.choice(["réunion", "budget", "compte rendu", "adhésion", "salle",
                                "projet", "subvention", "bénévoles"]) for _ in range(120))
    head = (f"From: Contact {i} <contact{i}@example.net>\r\nTo: secretariat@asso.example\r\n"
            f"Subject: Message {i}\r\nMessage-ID: <m{i}@example.net>\r\n"
            "Date: Mon, 12 Jan 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n")
    kind = i % 3
    if kind == 0:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n").encode()
    if kind == 1:
        return (head + 'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n--alt\r\n'
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit"
                f"\r\n\r\n{body}\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n"
                f"<html><body><p>{body}</p></body></html>\r\n--alt--\r\n").encode()
    pdf = base64.encodebytes(rng.randbytes(30_000)).decode()
    return (head + 'Content-Type: multipart/mixed; boundary="mix"\r\n\r\n--mix\r\n'
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}\r\n--mix\r\nContent-Type: application/pdf; name=cr-{i}.pdf\r\n"
            "Content-Disposition: attachment; filename=cr-{i}.pdf\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}--mix--\r\n").encode()


def make(work: Path, cli: str, env: dict[str, str]) -> tuple[Path, Path, Path]:
    """(records, a copy of the state before any reply, the Maildir)."""
    import mailbox
    import tomllib

    records = work / "replies-records"
    _group(records / "asso")
    subprocess.run([cli, "--records", str(records), "invite", "asso/2026-01-08", "-o",
                    str(work / "invitation.ics")], check=True, capture_output=True,
                   env={**env, "RENCONTRES_NOW": "2026-01-09T09:00:00Z"})
    state = records / "asso" / "state.toml"
    uid = tomllib.loads(state.read_text(encoding="utf-8"))["invitations"]["2026-01-08"]["uid"]
    fresh = work / "replies-state.toml"
    shutil.copy(state, fresh)
    rng = random.Random(2026)
    shapes = [p.read_bytes() for p in sorted((DATA / "mail").glob("*.eml"))
              if "other-meeting" not in p.name]
    box = mailbox.Maildir(work / "replies-Maildir")
    replies = set(rng.sample(range(MESSAGES), REPLIES))
    for i in range(MESSAGES):
        if i in replies:
            who = f"membre{rng.randrange(MEMBERS):03d}@example.org"
            box.add(_variant(rng.choice(shapes), uid.encode(), who, rng.randint(10, 28)))
        else:
            box.add(_ordinary(rng, i))
    return records, fresh, work / "replies-Maildir"


def replies_rows(t, work: Path, env: dict[str, str], slow: int, timed, cli: str, py: str) -> None:
    """`replies` over the Maildir (its state as before any reply, each run), alternately
    with the floor."""
    records, fresh, maildir = make(work, cli, env)
    state = records / "asso" / "state.toml"

    def run(_: int) -> list[str]:
        shutil.copy(fresh, state)
        return [cli, "--records", str(records), "replies", "asso", str(maildir), "--json"]

    floors, times, said = [], [], ""
    for _ in range(slow):
        floors += timed([py, "-c", FLOOR_REPLIES, str(maildir)], 1, env)[0]
        took, said = timed([], 1, env, before=run)
        times += took
    if f"{REPLIES:,} message(s) with a calendar read".replace(",", "") not in said:
        sys.exit(f"replies did not read the {REPLIES} replies: {said[-500:]}")
    print(f"replies: {said.strip().splitlines()[-1]}", file=sys.stderr)
    floor = f"replies floor: mailbox + icalendar, {MESSAGES:,} messages"
    t.add(floor, floors)
    t.add(f"replies: a Maildir of {MESSAGES:,} messages ({REPLIES:,} replies)", times, vs=floor,
          target=2.0, floor_times=floors)


def main() -> None:
    import argparse
    import os
    import tempfile

    sys.path.insert(0, str(HERE))
    from run import CLI, PY, Table, timed

    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rencontres-bench-replies-"))
    env = {**os.environ, "RENCONTRES_CACHE": str(work / "cache"),
           "RENCONTRES_NOW": "2026-01-30T09:00:00Z"}
    try:
        print("| case | best s | median s | ratio | target | |\n|---|---|---|---|---|---|")
        replies_rows(Table(), work, env, a.repeat, timed, CLI, PY)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
