"""A new meeting record: its defaults from the archive, and its TOML text.

The text is written for people: keys in the order of the record format, tables
as `[[participants]]` blocks, multi-line text as `\"\"\"` blocks. It is parsed
back and checked before anything is written, so `new` never writes a record
that `check` would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rencontres.errors import UsageError
from rencontres.model import Person
from rencontres.parse import (
    ACTION_KEYS,
    EMAIL_RE,
    MEETING_KEYS,
    NEXT_KEYS,
    PARTICIPANT_KEYS,
    TOPIC_KEYS,
)

_PARTICIPANT_RE = re.compile(r"^\s*(?P<name>[^/<>]+?)\s*(?:/\s*(?P<org>[^<>]*?)\s*)?"
                             r"(?:<(?P<email>[^<>]*)>)?\s*$")


def parse_participant(spec: str) -> Person:
    """"Name / Organisation <email>" (organisation and e-mail optional) → Person."""
    m = _PARTICIPANT_RE.match(spec)
    if not m or not m["name"].strip():
        raise UsageError(f"--participant {spec!r}: not understood",
                         'write "Name / Organisation <name@example.org>"')
    email = (m["email"] or "").strip()
    if email and not EMAIL_RE.match(email):
        raise UsageError(f"--participant {spec!r}: '{email}' is not an e-mail address")
    return Person(name=m["name"].strip(), organization=(m["org"] or "").strip(), email=email)


def parse_when(value: str, flag: str, *, need_time: bool = False) -> dt.date | dt.datetime:
    """YYYY-MM-DD or YYYY-MM-DDTHH:MM (a space works too) → date or local date-time."""
    text = value.strip().replace(" ", "T")
    try:
        if not text:
            raise ValueError
        if "T" in text:
            when = dt.datetime.fromisoformat(text)
            if when.tzinfo is not None:
                raise ValueError
            return when.replace(second=0, microsecond=0) if when.second == 0 else when
        if need_time:
            raise UsageError(f"{flag} {value!r}: the hour is missing",
                             "write YYYY-MM-DDTHH:MM, e.g. 2008-01-16T14:00")
        return dt.date.fromisoformat(text)
    except ValueError:
        shape = "YYYY-MM-DDTHH:MM" if need_time else "YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        raise UsageError(f"{flag} {value!r}: not a date", f"write {shape} (local time)") from None


@dataclass
class Draft:
    """What the secretary gave for a new meeting, before it becomes TOML."""

    date: dt.date | dt.datetime
    end: dt.time | dt.datetime | None = None
    venue: str = ""
    address: str = ""
    uid: str = ""
    participants: list[tuple[Person, str]] = field(default_factory=list)  # (person, attendance)
    topics: list[dict] = field(default_factory=list)  # title, body, decisions
    next: dict = field(default_factory=dict)  # date, venue, address…

    def data(self) -> dict:
        """The record as TOML data, keys in the format's order."""
        out: dict = {"date": self.date}
        if self.end is not None:
            out["end"] = self.end
        if self.venue:
            out["venue"] = self.venue
        if self.address:
            out["address"] = self.address
        if self.uid:
            out["uid"] = self.uid
        people = []
        for person, attendance in self.participants:
            entry = {k: getattr(person, k) for k in ("name", "organization", "role", "email")}
            entry = {k: v for k, v in entry.items() if v}
            if attendance != "present":
                entry["attendance"] = attendance
            people.append(entry)
        if people:
            out["participants"] = people
        if self.topics:
            out["topics"] = [{k: v for k, v in t.items() if v} for t in self.topics]
        if self.next:
            out["next"] = {k: v for k, v in self.next.items() if v}
        return out


# -- TOML text -----------------------------------------------------------------

def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        if "\n" in value:
            body = value.replace("\\", "\\\\").replace('"""', '""\\"')
            body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", body)
            return f'"""\n{body}"""'
        return _basic(value)
    raise TypeError(f"cannot write {type(value).__name__}")  # a bug: the draft holds only these


def _basic(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def _value(value) -> str:
    if isinstance(value, list):
        items = [_scalar(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 80 and not any("\n" in i for i in items):
            return one_line
        return "[\n" + "".join(f"    {i},\n" for i in items) + "]"
    return _scalar(value)


def _is_table(value) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and isinstance(value[0], dict))


def _keys(table: dict, order: Iterable[str]) -> list[str]:
    """`key = value` lines for the table's plain values; sub-tables are written apart."""
    return [f"{k} = {_value(table[k])}" for k in order if k in table and not _is_table(table[k])]


def to_toml(data: dict, header: str = "") -> str:
    """A meeting record's text (see the module docstring)."""
    blocks = [header + "\n".join(_keys(data, MEETING_KEYS))]
    for person in data.get("participants", []):
        blocks.append("\n".join(["[[participants]]", *_keys(person, PARTICIPANT_KEYS)]))
    for topic in data.get("topics", []):
        lines = ["[[topics]]", *_keys(topic, TOPIC_KEYS)]
        for action in topic.get("actions", []):
            lines += ["", "[[topics.actions]]", *_keys(action, ACTION_KEYS)]
        blocks.append("\n".join(lines))
    if data.get("next"):
        blocks.append("\n".join(["[next]", *_keys(data["next"], NEXT_KEYS)]))
    return "\n\n".join(blocks) + "\n"
