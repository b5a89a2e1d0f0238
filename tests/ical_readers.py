"""Three iCalendar readers that did not write our calendars, behind one interface.

- "icalendar": the icalendar library's own parser (`Calendar.from_ical`);
- "ical.js": Mozilla's ical.js, Thunderbird's parser (tests/readers/icaljs_read.mjs,
  needs `node` and `npm ci` in tests/readers — `.ci/readers.sh` does both);
- "libical": Evolution's parser with its iTIP restriction check
  (tests/readers/libical_read.c, compiled here against libical-dev);
- "vobject": the parser Radicale (a CalDAV server) stores and queries with.

Each returns the same JSON shape: {"method", "errors", "events": [{"uid", "sequence",
"status", "summary", "location", "description", "start", "end", "organizer",
"attendees": [{"address", "cn"}]}]}, with start and end as UTC instants
("2026-01-15T13:00:00Z"). A reader that is not installed skips its tests, except
under CI=true, where it fails them: CI cannot pass without every reader.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "readers"
READERS = ("icalendar", "ical.js", "libical", "vobject")


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"reader missing under CI=true: {reason} (run .ci/readers.sh)")
    pytest.skip(reason)


def _utc(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:
        return "floating"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _icalendar(data: bytes) -> dict:
    from icalendar import Calendar

    cal = Calendar.from_ical(data)

    def address(a):
        return {"address": str(a), "cn": str(a.params.get("CN", ""))}

    events = []
    for e in cal.walk("VEVENT"):
        events.append({
            "uid": str(e.uid),
            "sequence": e.get("SEQUENCE") and int(e.get("SEQUENCE")),
            "status": str(e.status) if e.status else None,
            "summary": str(e.get("SUMMARY", "")),
            "location": str(e.get("LOCATION", "")),
            "description": str(e.get("DESCRIPTION", "")),
            "start": _utc(e.start),
            "end": _utc(e.end),
            "organizer": address(e["ORGANIZER"]) if "ORGANIZER" in e else None,
            "attendees": [address(a) for a in e.attendees],
        })
    method = cal.get("METHOD")
    return {"reader": "icalendar", "method": str(method) if method else None, "errors": [],
            "events": events}


def _vobject(data: bytes) -> dict:
    import vobject

    cal = vobject.readOne(data.decode("utf-8"))
    events = []
    for e in cal.contents.get("vevent", []):
        def text(name, e=e):
            return str(e.contents[name][0].value) if name in e.contents else ""

        def address(line):
            return {"address": str(line.value), "cn": line.params.get("CN", [""])[0]}

        organizer = e.contents.get("organizer")
        events.append({
            "uid": text("uid"),
            "sequence": int(text("sequence")) if text("sequence") else None,
            "status": text("status") or None, "summary": text("summary"),
            "location": text("location"), "description": text("description"),
            "start": _utc(e.dtstart.value), "end": _utc(e.dtend.value),
            "organizer": address(organizer[0]) if organizer else None,
            "attendees": [address(a) for a in e.contents.get("attendee", [])],
        })
    method = cal.contents.get("method")
    return {"reader": "vobject", "method": str(method[0].value) if method else None,
            "errors": [], "events": events}


class Readers:
    """Runs a named reader on calendar bytes; builds the libical one on first use."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self._libical: Path | None = None

    def _libical_binary(self) -> Path:
        if self._libical is None:
            cc = shutil.which("cc") or shutil.which("gcc")
            if not cc or not shutil.which("pkg-config"):
                unavailable("libical reader: no C compiler or pkg-config")
            flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"],
                                   capture_output=True, text=True)
            if flags.returncode != 0:
                unavailable("libical reader: libical-dev is not installed")
            binary = self.workdir / "libical_read"
            subprocess.run([cc, "-Wall", "-Werror", "-o", str(binary),
                            str(HERE / "libical_read.c"), *flags.stdout.split()], check=True)
            self._libical = binary
        return self._libical

    def command(self, name: str, path: Path) -> list[str]:
        if name == "libical":
            return [str(self._libical_binary()), str(path)]
        node = shutil.which("node")
        if not node:
            unavailable("ical.js reader: node is not installed")
        if not (HERE / "node_modules" / "ical.js").is_dir():
            unavailable("ical.js reader: run `npm ci` in tests/readers")
        return [node, str(HERE / "icaljs_read.mjs"), str(path)]

    def read(self, name: str, data: bytes) -> dict:
        if name == "icalendar":
            return _icalendar(data)
        if name == "vobject":
            return _vobject(data)
        path = self.workdir / "input.ics"
        path.write_bytes(data)
        done = subprocess.run(self.command(name, path), capture_output=True, timeout=60)
        assert done.returncode == 0, f"{name} failed: {done.stderr.decode(errors='replace')}"
        return json.loads(done.stdout)


@pytest.fixture(scope="session")
def readers(tmp_path_factory) -> Readers:
    return Readers(tmp_path_factory.mktemp("readers"))


@pytest.fixture(params=READERS)
def read_ics(request, readers):
    """read_ics(bytes) -> dict, once per reader."""
    return lambda data: readers.read(request.param, data)
