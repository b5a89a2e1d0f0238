"""TOML text → model. Every problem names the file, the key and (where known) the line.

Parsing is two steps: `tomllib` for the syntax, then a typed walk over the
tables that collects *every* problem rather than stopping at the first. Line
numbers are found only for files that have problems (`locate`), so a clean
archive costs one `tomllib.loads` per file and little more.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rencontres.core.text import CONTROL_FREE_TEXT as _CONTROL_FREE_TEXT
from rencontres.core.text import CONTROL_ONE_LINE as _CONTROL_ONE_LINE
from rencontres.core.text import name_key, valid_email
from rencontres.core.values import replace

try:  # mypyc-compiled, about 3 × faster than tomllib, whose source it is: same API, errors
    import tomli as tomllib
except ImportError:  # pragma: no cover  (a platform without its wheel)
    import tomllib

from rencontres.core.model import (
    ATTENDANCE,
    KINDS,
    LANGUAGES,
    ORDINAL_STYLES,
    Action,
    Decision,
    Group,
    Meeting,
    NextMeeting,
    Participant,
    Person,
    Problem,
    Topic,
)

# Keys in the order the record format lists them (also the order `new` writes them).
GROUP_KEYS = ("name", "section", "language", "timezone", "duration_minutes", "ordinals",
              "keywords", "url", "objectives", "approve_minutes", "organizer", "members")
MEETING_KEYS = ("date", "end", "title", "number", "kind", "published", "subtitle", "venue",
                "address", "context", "keywords", "spip_article", "url", "uid",
                "participants", "topics", "next")
PERSON_KEYS = ("name", "organization", "role", "email")
PARTICIPANT_KEYS = (*PERSON_KEYS, "attendance")
TOPIC_KEYS = ("title", "body", "decisions", "actions")
ACTION_KEYS = ("owner", "task", "due", "done", "done_on", "dropped", "follows")
DECISION_KEYS = ("text", "for", "against", "abstain", "unanimous")
ACTION_REF_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}(?:-\d+)?)#([1-9]\d{0,3})$")
NEXT_KEYS = ("date", "end", "venue", "address", "phone", "note", "agenda")

# A single-line field (a name, a title, a decision) is read in one glance: past this it
# is a paste gone wrong, and it would cost every mail header and calendar line.
MAX_LINE = 1000
# What calendars and their time zone tables carry (and a person could mean).
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_NUMBER = 100_000

Key = tuple[str | int, ...]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time" + (" with an offset" if value.tzinfo else "")
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def dotted(key: Key) -> str:
    """("participants", 1, "email") → "participants[2].email" (1-based, as a person counts)."""
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Walker:
    """Reads one file's tables, collecting problems instead of raising."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, key: Key, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, None, severity, message, key))

    def table(self, data: dict, key: Key, allowed: tuple[str, ...], what: str) -> None:
        """Report unknown keys, with a suggestion."""
        for name in data:
            if name not in allowed:
                import difflib  # only for a key nobody knows: not at every start-up

                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                known = "" if close else f"; known keys: {', '.join(allowed)}"
                self.problem((*key, name), f"unknown key '{name}' in {what}{hint}{known}")

    def get(self, data: dict, name: str | int, key: Key, check: Callable[[Any], bool], expected: str,
            default: Any = None, required: bool = False) -> Any:
        if name not in data:
            if required:
                where = dotted(key) or "the file"
                self.problem((*key,), f"missing required key '{name}' in {where}")
            return default
        value = data[name]
        if not check(value):
            self.problem((*key, name), f"'{dotted((*key, name))}' must be {expected}, "
                                       f"not {_type_name(value)}")
            return default
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.problem((*key, name), f"'{dotted((*key, name))}' is in the year {value.year}: "
                                       f"dates go from {FIRST_YEAR} to {LAST_YEAR} "
                                       "(is the year right?)")
            return default
        return value

    def text(self, data: dict, name: str | int, key: Key, *, required: bool = False,
             free: bool = False) -> str:
        value = self.get(data, name, key, lambda v: isinstance(v, str), "a string",
                         default="", required=required)
        if value:
            bad = (_CONTROL_FREE_TEXT if free else _CONTROL_ONE_LINE).search(value)
            if bad:
                char = f"U+{ord(bad.group()):04X}"
                kind = "" if free else " (it must be a single line)"
                self.problem((*key, name), f"'{dotted((*key, name))}' holds the control "
                                           f"character {char}{kind}")
                return ""
            if not free and len(value) > MAX_LINE:
                self.problem((*key, name), f"'{dotted((*key, name))}' is {len(value):,} "
                                           f"characters long; a single-line field holds at "
                                           f"most {MAX_LINE} (put long text in a free-text field)")
                return ""
            if free:
                value = value.replace("\r\n", "\n")
        elif required and name in data:
            self.problem((*key, name), f"'{dotted((*key, name))}' is empty")
        return value

    def texts(self, data: dict, name: str, key: Key) -> tuple[str, ...]:
        items = self.get(data, name, key, lambda v: isinstance(v, list), "an array of strings",
                         default=[])
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.problem((*key, name, i), f"'{dotted((*key, name, i))}' must be a string, "
                                              f"not {_type_name(item)}")
            elif value := self.text({i: item}, i, (*key, name)):
                out.append(value)
        return tuple(out)

    def tables(self, data: dict, name: str, key: Key) -> list[tuple[Key, dict]]:
        items = self.get(data, name, key, lambda v: isinstance(v, list), "an array of tables",
                         default=[])
        out = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out.append(((*key, name, i), item))
            else:
                self.problem((*key, name, i), f"'{dotted((*key, name, i))}' must be a table "
                                              f"([[{dotted((*key, name))}]]), not {_type_name(item)}")
        return out

    def email(self, data: dict, key: Key) -> str:
        value = self.text(data, "email", key)
        if value and not valid_email(value):
            self.problem((*key, "email"), f"'{value}' is not an e-mail address "
                                          "(expected name@example.org)")
            return ""
        return value

    def person(self, data: dict, key: Key, allowed: tuple[str, ...], what: str) -> Person | None:
        self.table(data, key, allowed, what)
        name = self.text(data, "name", key, required=True)
        fields = (name, self.text(data, "organization", key), self.text(data, "role", key),
                  self.email(data, key))
        person = _PEOPLE.get(fields)
        if person is None:
            if len(_PEOPLE) > 100_000:
                _PEOPLE.clear()
            person = _PEOPLE[fields] = Person(*(sys.intern(f) for f in fields))
        return person if name else None


# The same people come back in every record of a group: one (frozen) Person each, which
# keeps a 10,000-meeting archive's model about 15 % smaller.
_PEOPLE: dict[tuple[str, str, str, str], Person] = {}


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_local_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def _is_local_datetime(v: Any) -> bool:
    return isinstance(v, dt.datetime) and v.tzinfo is None


def _is_day_or_local_datetime(v: Any) -> bool:
    return _is_local_date(v) or _is_local_datetime(v)


def _is_end(v: Any) -> bool:
    return isinstance(v, dt.time) and v.tzinfo is None or _is_local_datetime(v)


def valid_timezone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
        return False
    return True


def loads(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    """TOML syntax only: the data, or one problem with its line.

    Beyond syntax errors, tomllib raises on input no person writes: nesting hundreds deep
    (RecursionError) and integers past Python's digit limit (a plain ValueError)."""
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)$", "",
                                                      str(exc))
        if line is None:
            m = re.search(r"at line (\d+)", str(exc))
            line = int(m[1]) if m else None
        return None, [Problem(path, line, "error", f"TOML syntax: {message}")]
    except RecursionError:
        return None, [Problem(path, _line_of(text, r"(?:[\[{][^\[{\n]{0,40}){50}"), "error",
                              "TOML nested too deeply (arrays or tables inside each other "
                              "hundreds of times)")]
    except ValueError:
        return None, [Problem(path, _line_of(text, r"\d{1000}"), "error",
                              "a number with thousands of digits (no record holds one)")]


def _line_of(text: str, pattern: str) -> int | None:
    found = re.search(pattern, text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def parse_group(data: dict, path: str, slug: str) -> tuple[Group, list[Problem]]:
    """group.toml → Group. Always returns a usable Group (defaults where wrong)."""
    w = _Walker(path)
    w.table(data, (), GROUP_KEYS, "group.toml")
    language = w.get(data, "language", (), lambda v: v in LANGUAGES,
                     f"one of {', '.join(LANGUAGES)}", default="fr")
    timezone = w.text(data, "timezone", ()) if "timezone" in data else "Europe/Paris"
    if isinstance(data.get("timezone"), str) and not valid_timezone(timezone):
        shown = f"unknown time zone '{timezone}'" if timezone else "empty time zone"
        w.problem(("timezone",), f"{shown} (use an IANA name such as Europe/Paris)")
        timezone = "Europe/Paris"
    timezone = timezone or "Europe/Paris"
    duration = w.get(data, "duration_minutes", (), lambda v: _is_int(v) and 0 < v <= 24 * 60,
                     "a whole number of minutes from 1 to 1440", default=120)
    organizer = None
    org = w.get(data, "organizer", (), lambda v: isinstance(v, dict), "a table", default=None)
    if org is not None:
        organizer = w.person(org, ("organizer",), ("name", "email"), "[organizer]")
    members = []
    for key, item in w.tables(data, "members", ()):
        person = w.person(item, key, PERSON_KEYS, "[[members]]")
        if person:
            members.append((key, person))
    _duplicates(w, members, "member")
    group = Group(
        slug=slug,
        name=w.text(data, "name", (), required=True) or slug,
        section=w.texts(data, "section", ()),
        language=language,
        timezone=timezone,
        duration_minutes=duration,
        ordinals=w.get(data, "ordinals", (), lambda v: v in ORDINAL_STYLES,
                       "\"long\" (1ère, 3ème) or \"short\" (1re, 3e)", default="long"),
        keywords=w.texts(data, "keywords", ()),
        url=w.text(data, "url", ()),
        objectives=w.text(data, "objectives", (), free=True),
        approve_minutes=w.get(data, "approve_minutes", (), lambda v: isinstance(v, bool),
                              "true or false", default=False),
        organizer=organizer,
        members=tuple(p for _, p in members),
    )
    return group, w.problems


def _duplicates(w: _Walker, people: list[tuple[Key, Person]], what: str) -> None:
    seen_names: dict[str, Key] = {}
    seen_emails: dict[str, Key] = {}
    for key, person in people:
        name = name_key(person.name)
        email = person.email.casefold()
        if name in seen_names or (email and email in seen_emails):
            first = seen_names.get(name) or seen_emails.get(email)
            w.problem((*key, "name"), f"{what} '{person.name}' is listed twice "
                                      f"(also {dotted(first)})")
            continue
        seen_names[name] = key
        if email:
            seen_emails[email] = key


def parse_meeting(data: dict, path: str, group: str, stem: str) -> tuple[Meeting | None,
                                                                         list[Problem]]:
    """A meeting record → Meeting (None when it is too broken to use)."""
    w = _Walker(path)
    w.table(data, (), MEETING_KEYS, "a meeting record")
    date = w.get(data, "date", (), _is_day_or_local_datetime,
                 "a local date (2008-01-16) or date-time (2008-01-16T14:00:00)", required=True)
    if date is None:
        return None, w.problems
    day = date.date() if isinstance(date, dt.datetime) else date
    if day.isoformat() != stem[:10]:
        w.problem(("date",), f"date {day.isoformat()} disagrees with the file name {stem}.toml "
                             "(rename the file or correct the date)")
    end = w.get(data, "end", (), _is_end, "a local time (16:00:00) or local date-time")
    if end is not None:
        start_t = date.time() if isinstance(date, dt.datetime) else None
        end_dt = end if isinstance(end, dt.datetime) else None
        if isinstance(end, dt.time) and start_t is not None and end <= start_t:
            w.problem(("end",), f"end {end.isoformat('minutes')} is not after the start "
                                f"{start_t.isoformat('minutes')}")
        elif end_dt is not None and end_dt <= (date if start_t else dt.datetime.combine(day,
                                                                              dt.time())):
            w.problem(("end",), "end is not after the start")
    participants = []
    people = []
    for key, item in w.tables(data, "participants", ()):
        person = w.person(item, key, PARTICIPANT_KEYS, "[[participants]]")
        attendance = w.get(item, "attendance", key, lambda v: v in ATTENDANCE,
                           "one of " + ", ".join(f'"{a}"' for a in ATTENDANCE), default="present")
        if person:
            participants.append(Participant(person, attendance))
            people.append((key, person))
    _duplicates(w, people, "participant")
    topics = []
    for key, item in w.tables(data, "topics", ()):
        w.table(item, key, TOPIC_KEYS, "[[topics]]")
        actions = []
        for akey, a in w.tables(item, "actions", key):
            w.table(a, akey, ACTION_KEYS, "[[topics.actions]]")
            task = w.text(a, "task", akey, required=True)
            action = Action(
                task=task,
                owner=w.text(a, "owner", akey),
                due=w.get(a, "due", akey, _is_local_date, "a local date (2008-01-16)"),
                done=w.get(a, "done", akey, _is_bool, "true or false", default=False),
                done_on=w.get(a, "done_on", akey, _is_local_date, "a local date (2008-01-16)"),
                dropped=w.get(a, "dropped", akey, _is_bool, "true or false", default=False),
                follows=w.text(a, "follows", akey),
            )
            if action.follows and not ACTION_REF_RE.match(action.follows):
                w.problem((*akey, "follows"), f"'{dotted((*akey, 'follows'))}' must name an "
                          "earlier record's action as \"YYYY-MM-DD#N\" (its Nth action)")
            if action.done and action.dropped:
                w.problem((*akey, "dropped"), "an action is either done or dropped, not both")
            if action.done_on and not action.done:
                w.problem((*akey, "done_on"), "'done_on' without 'done = true'")
            if task:
                actions.append(action)
        title = w.text(item, "title", key, required=True)
        if title:
            topics.append(Topic(title=title, body=w.text(item, "body", key, free=True),
                                decisions=_decisions(w, item, key),
                                actions=tuple(actions)))
    nxt = None
    raw_next = w.get(data, "next", (), lambda v: isinstance(v, dict), "a table ([next])")
    if raw_next is not None:
        nxt = _parse_next(w, raw_next, date)
    number = w.get(data, "number", (), lambda v: _is_int(v) and 0 < v <= MAX_NUMBER,
                   f"a positive integer (at most {MAX_NUMBER:,})")
    meeting = Meeting(
        group=group,
        stem=stem,
        date=date,
        end=end,
        title=w.text(data, "title", ()),
        number=number,
        kind=w.get(data, "kind", (), lambda v: v in KINDS,
                   " or ".join(f'"{k}"' for k in KINDS), default="meeting"),
        published=w.get(data, "published", (), _is_local_date, "a local date (2008-01-15)"),
        subtitle=w.text(data, "subtitle", (), free=True),
        venue=w.text(data, "venue", ()),
        address=w.text(data, "address", ()),
        context=w.text(data, "context", (), free=True),
        keywords=w.texts(data, "keywords", ()),
        spip_article=w.get(data, "spip_article", (), lambda v: _is_int(v) and 0 < v < 2**31,
                           "a positive integer (the article's number in SPIP)"),
        url=w.text(data, "url", ()),
        uid=w.text(data, "uid", ()),
        participants=tuple(participants),
        topics=tuple(topics),
        next=nxt,
    )
    return meeting, w.problems


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_count(v: Any) -> bool:
    return _is_int(v) and 0 <= v <= MAX_NUMBER


def _decisions(w: _Walker, topic: dict, key: Key) -> tuple[Decision, ...]:
    """A topic's decisions: each a string, or a table with its vote."""
    items = w.get(topic, "decisions", key, lambda v: isinstance(v, list),
                  "an array of strings or tables", default=[])
    out = []
    for i, item in enumerate(items):
        dkey = (*key, "decisions", i)
        if isinstance(item, dict):
            w.table(item, dkey, DECISION_KEYS, "a decision")
            text = w.text(item, "text", dkey, required=True)
            counts = {name: w.get(item, name, dkey, _is_count,
                                  "a whole number of votes (0 or more)")
                      for name in ("for", "against", "abstain")}
            unanimous = w.get(item, "unanimous", dkey, _is_bool, "true or false", default=False)
            if unanimous and (counts["against"] or counts["abstain"]):
                w.problem((*dkey, "unanimous"), "unanimous, yet with votes against or "
                                                "abstentions")
            if text:
                out.append(Decision(text, counts["for"], counts["against"], counts["abstain"],
                                    unanimous))
        elif isinstance(item, str):
            if value := w.text({i: item}, i, (*key, "decisions")):
                out.append(Decision(value))
        else:
            w.problem(dkey, f"'{dotted(dkey)}' must be a string or a table "
                            "({ text = \"…\", for = 8, against = 1, abstain = 2 }), "
                            f"not {_type_name(item)}")
    return tuple(out)


def _parse_next(w: _Walker, data: dict, date: dt.date | dt.datetime) -> NextMeeting | None:
    key = ("next",)
    w.table(data, key, NEXT_KEYS, "[next]")
    when = w.get(data, "date", key, _is_local_datetime,
                 "a local date-time with the hour (2008-01-16T14:00:00)", required=True)
    end = w.get(data, "end", key, _is_end, "a local time (16:00:00) or local date-time")
    if when is not None:
        start = date if isinstance(date, dt.datetime) else None
        if (start is not None and when <= start) or (start is None and when.date() <= date):
            w.problem(("next", "date"), f"the next meeting ({when.date().isoformat()}) is not "
                                        f"after this one ({date.isoformat()[:10]}): "
                                        "is the year right?")
        if end is not None:
            end_dt = end if isinstance(end, dt.datetime) else dt.datetime.combine(when.date(), end)
            if end_dt <= when:
                w.problem(("next", "end"), "the next meeting's end is not after its start")
    meeting = NextMeeting(
        date=when,
        end=end,
        venue=w.text(data, "venue", key),
        address=w.text(data, "address", key),
        phone=w.text(data, "phone", key),
        note=w.text(data, "note", key, free=True),
        agenda=w.texts(data, "agenda", key),
    )
    return meeting if when is not None else None


# -- line numbers ------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=\s*(.*)$")


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def line_map(text: str) -> dict[Key, int]:
    """Where each key starts: {("participants", 1, "email"): 23, …}.

    A light scanner over the text, good for records written by people: table
    headers, arrays of tables and `key = value` lines, skipping multi-line strings
    and arrays. Keys inside inline tables take the line of their parent key.
    """
    lines: dict[Key, int] = {}
    counters: dict[Key, int] = {}
    prefix: Key = ()
    in_string: str | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if _closes(line, in_string):
                in_string = None
            continue
        if depth > 0:
            depth += _bracket_balance(line)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_key(header[2])
            resolved: list[str | int] = []
            for i, name in enumerate(names):
                resolved.append(name)
                if i < len(names) - 1 and tuple(resolved) in counters:
                    resolved.append(counters[tuple(resolved)])
            if header[1] == "[[":
                arr = tuple(resolved)
                counters[arr] = counters.get(arr, -1) + 1
                resolved.append(counters[arr])
            prefix = tuple(resolved)
            lines.setdefault(prefix, number)
            continue
        key = _KEY.match(line)
        if key:
            full = (*prefix, *_split_key(key[1]))
            lines.setdefault(full, number)
            value = key[2].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and not _closes(value[3:], quote):
                    in_string = quote
            if in_string is None and value.startswith("["):
                depth = _bracket_balance(value)
    return lines


def _closes(text: str, quote: str) -> bool:
    return quote in text.replace("\\\\", "").replace("\\" + quote[0], "")


def _bracket_balance(text: str) -> int:
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", text)
    text = text.split("#", 1)[0]
    return text.count("[") - text.count("]")


def locate(problems: list[Problem], text: str) -> list[Problem]:
    """Fill in the line of each problem that has a key, from the nearest known key."""
    if not any(p.line is None and p.key for p in problems):
        return problems
    lines = line_map(text)
    out = []
    for p in problems:
        if p.line is None and p.key:
            key = p.key
            while key and key not in lines:
                key = key[:-1]
            if key:
                p = replace(p, line=lines[key])
        out.append(p)
    return out


def read_meeting(text: str, path: Path, group: str) -> tuple[Meeting | None, list[Problem]]:
    data, problems = loads(text, str(path))
    if data is None:
        return None, problems
    meeting, problems = parse_meeting(data, str(path), group, path.stem)
    return meeting, locate(problems, text)


def read_group(text: str, path: Path, slug: str) -> tuple[Group, list[Problem]]:
    data, problems = loads(text, str(path))
    if data is None:
        return Group(slug=slug, name=slug), problems
    group, problems = parse_group(data, str(path), slug)
    return group, locate(problems, text)
