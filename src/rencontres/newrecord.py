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


def parse_participant(spec: str, flag: str = "--participant") -> Person:
    """"Name / Organisation <email>" (organisation and e-mail optional) → Person."""
    m = _PARTICIPANT_RE.match(spec)
    if not m or not m["name"].strip():
        raise UsageError(f"{flag} {spec!r}: no name",
                         'write "Name / Organisation <name@example.org>"')
    email = (m["email"] or "").strip()
    if email and not EMAIL_RE.match(email):
        raise UsageError(f"{flag} {spec!r}: '{email}' is not an e-mail address",
                         "write it as name@example.org")
    return Person(name=m["name"].strip(), organization=(m["org"] or "").strip(), email=email)


_TIME = r"(?P<h>\d{1,2})\s*(?:[h:]\s*(?P<m>\d{2})?)?"
_NUMERIC = re.compile(rf"^(?P<d>\d{{1,2}})/(?P<mo>\d{{1,2}})/(?P<y>\d{{4}})"
                      rf"(?:[\sT,]+(?:à\s*|at\s*)?{_TIME})?$", re.IGNORECASE)
_WORDS = re.compile(rf"^(?:\w+\s+)??(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<mo>[^\W\d]+)\.?\s+"
                    rf"(?P<y>\d{{4}})(?:[\s,]+(?:à\s*|at\s*)?{_TIME}\s*(?P<ampm>am|pm)?)?$",
                    re.IGNORECASE)


def _month(name: str) -> int | None:
    from rencontres.words import MONTHS, sort_key

    key = sort_key(name)
    for months in MONTHS.values():
        for i, month in enumerate(months, start=1):
            full = sort_key(month)
            if key == full or (len(key) >= 3 and full.startswith(key)):
                return i
    return None


def _loose(text: str) -> dt.date | dt.datetime | None:
    """"16/01/2008", "16/01/2008 14h", "12 mai 2009 14h", "mercredi 16 janvier 2008 à 14h00",
    "16 January 2008 2:30 pm": the ways people write a date, day first."""
    m = _NUMERIC.match(text) or _WORDS.match(text)
    if not m:
        return None
    month = int(m["mo"]) if m["mo"].isdigit() else _month(m["mo"])
    if month is None:
        return None
    day = dt.date(int(m["y"]), month, int(m["d"]))
    if m["h"] is None:
        return day
    hour = int(m["h"])
    if m.groupdict().get("ampm"):
        hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    return dt.datetime.combine(day, dt.time(hour, int(m["m"] or 0)))


def parse_when(value: str, flag: str, *, need_time: bool = False) -> dt.date | dt.datetime:
    """A date, or a local date-time: YYYY-MM-DD[THH:MM] (a space works too), or as people
    write one, day first ("16/01/2008 14h", "12 mai 2009 à 14h30")."""
    text = " ".join(value.split())
    shape = "YYYY-MM-DDTHH:MM" if need_time else "YYYY-MM-DD or YYYY-MM-DDTHH:MM"
    try:
        if not text:
            raise ValueError
        when = _loose(text)
        if when is None:
            iso = text.replace(" ", "T")
            when = dt.datetime.fromisoformat(iso) if "T" in iso else dt.date.fromisoformat(iso)
            if isinstance(when, dt.datetime) and when.tzinfo is not None:
                raise ValueError
    except ValueError:
        raise UsageError(f"{flag} {value!r}: not a date",
                         f"write {shape} (local time), e.g. 2008-01-16T14:00") from None
    if need_time and not isinstance(when, dt.datetime):
        raise UsageError(f"{flag} {value!r}: the hour is missing",
                         "write YYYY-MM-DDTHH:MM, e.g. 2008-01-16T14:00")
    if isinstance(when, dt.datetime):
        when = when.replace(microsecond=0)
    return when


def parse_day(value: str, flag: str) -> dt.date:
    """A day, written as `parse_when` reads dates (an hour given is left out)."""
    when = parse_when(value, flag)
    return when.date() if isinstance(when, dt.datetime) else when


def parse_time(value: str, flag: str) -> dt.time:
    """"16:00", "16h", "16h30" → a local time."""
    m = re.fullmatch(_TIME, value.strip())
    try:
        if not m:
            raise ValueError
        return dt.time(int(m["h"]), int(m["m"] or 0))
    except ValueError:
        raise UsageError(f"{flag} {value!r}: not a time", "write HH:MM, e.g. 16:00") from None


_ACTION_RE = re.compile(r"^(?:(?P<owner>[^:]+?)\s*:\s*)?(?P<task>.*?)"
                        r"(?:\s*\[(?P<due>[^\[\]]+)\])?\s*$")


def parse_action(spec: str, flag: str = "--action") -> dict:
    """"Owner : task [YYYY-MM-DD]" (owner and due date optional) → an action's table."""
    m = _ACTION_RE.match(spec)
    if not m or not m["task"].strip():
        raise UsageError(f"{flag} {spec!r}: no task", 'write "Owner : task [YYYY-MM-DD]"')
    action = {"owner": (m["owner"] or "").strip(), "task": m["task"].strip()}
    if m["due"]:
        action["due"] = parse_day(m["due"], f"{flag} due date")
    return {k: v for k, v in action.items() if v}


@dataclass
class Draft:
    """What the secretary gave for a new meeting, before it becomes TOML."""

    date: dt.date | dt.datetime
    end: dt.time | dt.datetime | None = None
    venue: str = ""
    address: str = ""
    uid: str = ""
    context: str = ""  # Markdown: the "Repère"
    participants: list[tuple[Person, str]] = field(default_factory=list)  # (person, attendance)
    topics: list[dict] = field(default_factory=list)  # title, body, decisions, actions
    next: dict = field(default_factory=dict)  # date, end, venue, address, agenda

    def data(self) -> dict:
        """The record as TOML data, keys in the format's order."""
        out: dict = {"date": self.date}
        if self.end is not None:
            out["end"] = self.end
        if self.venue:
            out["venue"] = self.venue
        if self.address:
            out["address"] = self.address
        if self.context.strip():
            out["context"] = self.context.strip() + "\n" if "\n" in self.context.strip() \
                else self.context.strip()
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
            out["topics"] = [{k: ([{a: x for a, x in act.items() if x not in ("", None, False)}
                                   for act in v] if k == "actions" else v)
                              for k, v in t.items() if v} for t in self.topics]
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


def _keys(table: dict, order: Iterable[str], comments: dict | None = None,
          path: tuple = ()) -> list[str]:
    """`key = value` lines for the table's plain values (each after its comments, if any);
    sub-tables are written apart."""
    lines = []
    for k in order:
        if k in table and not _is_table(table[k]):
            lines += _comments(comments, (*path, k))
            lines.append(f"{k} = {_value(table[k])}")
    return lines


def _comments(comments: dict | None, key: tuple) -> list[str]:
    """`# …` lines: a judgement call written beside the value it concerns."""
    import textwrap

    return [f"# {comment_safe(line)}" for text in (comments or {}).get(key, ())
            for line in textwrap.wrap(text, 86, break_long_words=False,
                                      break_on_hyphens=False) or [""]]


def comment_safe(text: str) -> str:
    """Text fit for a TOML comment: no control character (a quoted article may hold any)."""
    return re.sub(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", "\ufffd", text)


def to_toml(data: dict, header: str = "", comments: dict | None = None) -> str:
    """A meeting record's text (see the module docstring). `comments` maps a key
    (("next", "date"), ("participants", 6)…) to the lines written just above it."""
    head = "\n".join(_keys(data, MEETING_KEYS, comments))
    blocks = [header + head] if header or head else []
    for i, person in enumerate(data.get("participants", [])):
        blocks.append("\n".join([*_comments(comments, ("participants", i)), "[[participants]]",
                                 *_keys(person, PARTICIPANT_KEYS)]))
    for i, topic in enumerate(data.get("topics", [])):
        lines = [*_comments(comments, ("topics", i)), "[[topics]]",
                 *_keys(topic, TOPIC_KEYS, comments, ("topics", i))]
        for action in topic.get("actions", []):
            lines += ["", "[[topics.actions]]", *_keys(action, ACTION_KEYS)]
        blocks.append("\n".join(lines))
    if data.get("next"):
        blocks.append("\n".join([*_comments(comments, ("next",)), "[next]",
                                 *_keys(data["next"], NEXT_KEYS, comments, ("next",))]))
    return "\n\n".join(blocks) + "\n"


# -- what the group already knows --------------------------------------------------------

# A record holding only these keys is a stub (an article known from the section index, not
# yet transcribed): `new` completes it, keeping its keys and comments.
STUB_KEYS = frozenset({"date", "title", "kind", "number", "published"})


def is_stub(data: dict) -> bool:
    return set(data) <= STUB_KEYS and data.get("kind", "meeting") == "meeting"


def complete_stub(stub_text: str, stub: dict, data: dict, comments: dict | None = None) -> str:
    """The stub's own text, word for word (its comments too), then what the new record adds.
    When the new record gives the hour, it goes on the stub's `date` line, in place."""
    text = stub_text if stub_text.endswith("\n") else stub_text + "\n"
    if data["date"] != stub["date"]:
        text = re.sub(r"(?m)^(\s*date\s*=\s*)(\S+)", lambda m: m[1] + _scalar(data["date"]),
                      text, count=1)
    extra = {k: v for k, v in data.items() if k not in stub}
    return text + "\n" + to_toml(extra, comments=comments) if extra else text


def follow_ups(open_actions) -> list[dict]:
    """The open actions, to be reviewed at the new meeting: each a follow-up naming it,
    as it stands (the secretary marks it done or dropped)."""
    out = []
    for t in open_actions:
        a = t.action
        out.append({k: v for k, v in (("owner", a.owner), ("task", a.task), ("due", a.due),
                                      ("follows", t.ref)) if v})
    return out



def group_toml(slug: str, name: str, language: str = "fr", timezone: str = "Europe/Paris",
               organizer: Person | None = None, members: Iterable[Person] = ()) -> str:
    """A new group's `group.toml`, commented for the person who will keep it."""
    lines = [f"# The group {_basic(name)} (folder {slug}/): what its meeting records share.",
             "# Yours to edit: comments and layout are kept; `rencontres check` checks it.",
             f"name = {_basic(name)}",
             f'language = "{language}"  # "fr" or "en": the language of the texts made',
             f"timezone = {_basic(timezone)}  # meeting times are local times in this zone",
             "duration_minutes = 120  # a meeting's length when its record gives no end",
             '# section = ["Groupes de travail", "…"]  # the SPIP hierarchy of its articles',
             '# keywords = ["…"]  # the SPIP keywords of every synthesis',
             "# approve_minutes = true  # the agenda opens with approving the last minutes",
             '# objectives = """…"""  # "Rappel des objectifs du groupe", in every synthesis']
    if organizer is not None:
        lines += ["", "[organizer]  # who sends the invitations", f"name = {_basic(organizer.name)}",
                  f"email = {_basic(organizer.email)}"]
    for person in members:
        lines += ["", "[[members]]", *(f"{k} = {_basic(getattr(person, k))}"
                                       for k in ("name", "organization", "role", "email")
                                       if getattr(person, k))]
    if not members:
        lines += ["", "# [[members]]  # the roster, invited to every meeting",
                  '# name = "…"', '# organization = "…"', '# email = "…"']
    return "\n".join(lines) + "\n"
