"""The record format: each TOML table's keys, declared once, and the walker that reads them.

A `Table` is its keys in the order the format lists them (the order `new` writes them),
each a `Field`: its name, the check of its value's type with the words that say what it
must be, its default, whether it is required, and how its text is read. One declaration
serves unknown-key detection and reading (`Walker.open`, `Walker.read`: a wrong type is
one problem, and the default) and the writer's key order (`Table.keys`). What a key needs
beyond its own type (a date that agrees with the file name, people listed twice, the
next meeting after this one) is plain code in `parse`, after the declared read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rencontres.core import text as text_rules
from rencontres.core.i18n import N_, _
from rencontres.core.model import ATTENDANCE, KINDS, LANGUAGES, ORDINAL_STYLES, Problem
from rencontres.core.values import frozen
from rencontres.records.toml_lines import Key

MAX_NUMBER = 100_000
# A single-line field (a name, a title, a decision) is read in one glance: past this it
# is a paste gone wrong, and it would cost every mail header and calendar line.
MAX_LINE = 1000
# What calendars and their time zone tables carry (and a person could mean).
FIRST_YEAR, LAST_YEAR = 1900, 2200


# How the walker reads a value once its type is right (`Walker.read`):
VALUE = "value"  # as it is
LINE = "line"  # a single-line string: no control character, at most MAX_LINE characters
FREE = "free"  # free text (Markdown): newlines and tabs allowed, CRLF read as LF
LINES = "lines"  # an array of single-line strings
TABLES = "tables"  # an array of tables, each read by code that knows its own declaration


@frozen
class Field:
    """One key of a table: `check(value)` true, else "'key' must be {expected}" (one
    problem, and the key reads as its `default`, as when it is missing); `expected` is a
    message of the catalog (marked N_, translated where it is said), or "" for a word,
    said as its `choices`. A whole number has its `limits` (a number out of them is too
    small or too large, not of a wrong type); a word, its `choices` (another word is said
    with the ones to write)."""

    name: str
    check: Callable[[Any], bool]
    expected: str
    default: Any = None
    required: bool = False
    read: str = VALUE
    limits: tuple[int, int] | None = None
    choices: tuple[str, ...] = ()


class Table:
    """A table's fields, in the format's order; `what` names the table in messages (a
    message of the catalog, translated where it is said: `named`)."""

    __slots__ = ("what", "fields", "keys", "by_name")

    def __init__(self, what: str, fields: tuple[Field, ...]) -> None:
        self.what, self.fields = what, fields
        self.keys = tuple(f.name for f in fields)  # the format's order: `new` writes them so
        self.by_name = {f.name: f for f in fields}

    def __getitem__(self, name: str) -> Field:
        return self.by_name[name]

    def __repr__(self) -> str:
        return f"Table({self.what!r}, {self.keys})"

    @property
    def named(self) -> str:
        return _(self.what)


# -- what a value must be ----------------------------------------------------------

def is_str(v: Any) -> bool:
    return isinstance(v, str)


def is_list(v: Any) -> bool:
    return isinstance(v, list)


def is_table(v: Any) -> bool:
    return isinstance(v, dict)


def is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_local_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def is_local_datetime(v: Any) -> bool:
    return isinstance(v, dt.datetime) and v.tzinfo is None


def is_day_or_local_datetime(v: Any) -> bool:
    return is_local_date(v) or is_local_datetime(v)


def is_end(v: Any) -> bool:
    return isinstance(v, dt.time) and v.tzinfo is None or is_local_datetime(v)



def _one_of(choices: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda v: v in choices


def whole(name: str, low: int, high: int, expected: str, default: Any = None) -> Field:
    """A whole number from `low` to `high`: `expected` says what it counts."""
    return Field(name, lambda v: is_int(v) and low <= v <= high, expected, default,
                 limits=(low, high))


def word(name: str, choices: tuple[str, ...], default: str) -> Field:
    """One of `choices`, a string (said as them: `expected`)."""
    return Field(name, lambda v: v in choices, "", default, choices=choices)


def expected(field: Field) -> str:
    """What `field`'s value must be, in the user's language."""
    if field.expected:
        return _(field.expected)
    quoted = [f'"{c}"' for c in field.choices]
    return _("{choices} or {last}").format(choices=", ".join(quoted[:-1]), last=quoted[-1])


# -- the kinds of field --------------------------------------------------------------

def line(name: str, required: bool = False) -> Field:
    return Field(name, is_str, N_("a string"), "", required, LINE)


def free(name: str) -> Field:
    return Field(name, is_str, N_("a string"), "", False, FREE)


def lines(name: str) -> Field:
    return Field(name, is_list, N_("an array of strings"), (), False, LINES)


def tables(name: str) -> Field:
    return Field(name, is_list, N_("an array of tables"), (), False, TABLES)


def flag(name: str) -> Field:
    return Field(name, is_bool, N_("true or false"), False)


_DAY = N_("a local date (2008-01-16)")
_END = N_("a local time (16:00:00) or local date-time")


# -- the tables ---------------------------------------------------------------------

# A person of the roster ([[members]]); the organizer and a participant are one too.
PERSON = Table("[[members]]", (line("name", required=True), line("organization"),
                               line("role"), line("email")))
ORGANIZER = Table("[organizer]", (PERSON["name"], PERSON["email"]))
PARTICIPANT = Table("[[participants]]", (
    *PERSON.fields,
    word("attendance", ATTENDANCE, "present"),
))

GROUP = Table("group.toml", (
    line("name", required=True),
    lines("section"),
    word("language", LANGUAGES, "fr"),
    Field("timezone", is_str, N_("a string"), "Europe/Paris", read=LINE),  # parse: a known zone?
    whole("duration_minutes", 1, 24 * 60, N_("a whole number of minutes"), 120),
    Field("ordinals", _one_of(ORDINAL_STYLES),
          N_("\"long\" (1ère, 3ème) or \"short\" (1re, 3e)"), "long", choices=ORDINAL_STYLES),
    lines("keywords"),
    line("url"),
    whole("spip_rubrique", 1, 2**31 - 1, N_("a whole number (the rubrique's number in SPIP)")),
    line("site_url"),
    free("objectives"),
    flag("approve_minutes"),
    Field("organizer", is_table, N_("a table")),
    tables("members"),
))

ACTION = Table("[[topics.actions]]", (
    line("owner"),
    line("task", required=True),
    Field("due", is_local_date, _DAY),
    flag("done"),
    Field("done_on", is_local_date, _DAY),
    flag("dropped"),
    line("follows"),  # "YYYY-MM-DD#N": the earlier record's action it takes over
    line("note"),  # a progress note, where it was reviewed
))

# A decision written as a table, with its vote (or as a plain string: see parse).
DECISION = Table(N_("a decision"), (
    line("text", required=True),
    *(whole(name, 0, MAX_NUMBER, N_("a whole number of votes")) for name in ("for", "against",
                                                                             "abstain")),
    flag("unanimous"),
))

TOPIC = Table("[[topics]]", (
    line("title", required=True),
    free("body"),
    Field("decisions", is_list, N_("an array of strings or tables"), ()),  # parse: each one
    tables("actions"),
))

NEXT = Table("[next]", (
    # no date: the date is to be set (a poll is running); venue, note and agenda stand
    Field("date", is_local_datetime, N_("a local date-time with the hour (2008-01-16T14:00:00)")),
    Field("end", is_end, _END),
    line("venue"),
    line("address"),
    line("phone"),
    free("note"),
    lines("agenda"),
))

DOCUMENT = Table("[[documents]]", (line("title", required=True), line("url", required=True)))

MEETING = Table(N_("a meeting record"), (
    Field("date", is_day_or_local_datetime,
          N_("a local date (2008-01-16) or date-time (2008-01-16T14:00:00)"), required=True),
    Field("end", is_end, _END),
    line("title"),
    whole("number", 1, MAX_NUMBER, N_("a whole number (the meeting's rank)")),
    word("kind", KINDS, "meeting"),
    Field("published", is_local_date, N_("a local date (2008-01-15)")),
    free("subtitle"),
    line("venue"),
    line("address"),
    free("context"),
    free("objectives"),  # this meeting's own annex, instead of the group's
    lines("keywords"),
    whole("spip_article", 1, 2**31 - 1, N_("a whole number (the article's number in SPIP)")),
    line("url"),
    line("uid"),
    tables("participants"),
    tables("topics"),
    Field("next", is_table, N_("a table ([next])")),
    tables("documents"),
))


# -- reading a table through its declaration ---------------------------------------

def type_name(value: Any) -> str:
    """What TOML type `value` is, in the user's language ("an integer")."""
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int):
        return _("an integer")
    if isinstance(value, float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, dt.datetime):
        return _("a date-time with an offset") if value.tzinfo else _("a date-time")
    if isinstance(value, dt.date):
        return _("a date")
    if isinstance(value, dt.time):
        return _("a time")
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__


def wrong(where: str, field: Field, value: Any) -> str:
    """What is wrong with `value` of `field` at `where`, and what to write instead."""
    from rencontres.core.words import grouped

    if field.limits is not None and is_int(value):
        low, high = field.limits
        # the key, and its value when it is short enough to show: 'number' = 10,000,000
        key = f"'{where}' = {grouped(value)}" if len(str(abs(value))) <= 12 else f"'{where}'"
        if value > high:
            return _("{key} is too large (at most {high})").format(key=key, high=grouped(high))
        if low == 0:
            return _("{key} cannot be negative (write 0 or more)").format(key=key)
        return _("{key} is too small (at least {low})").format(key=key, low=grouped(low))
    if field.choices and isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return _("'{key}' is \"{value}\": write {expected}").format(
            key=where, value=shown, expected=expected(field))
    if isinstance(value, str) and _unquoted(field, value.strip()):
        return _("'{key}' must be {expected}, not {type}: write it without quotes, "
                 "{name} = {value}").format(key=where, expected=expected(field),
                                            type=type_name(value),
                                            name=where.rsplit(".", 1)[-1], value=value.strip())
    return _("'{key}' must be {expected}, not {type}").format(
        key=where, expected=expected(field), type=type_name(value))


def _unquoted(field: Field, text: str) -> bool:
    """Whether `text`, without its quotes, is what `field` wants (a number, true, a date)."""
    import tomli

    try:
        value = tomli.loads(f"v = {text}")["v"] if len(text) < 40 else None
    except tomli.TOMLDecodeError:
        return False
    return value is not None and not isinstance(value, str) and field.check(value)


def dotted(key: Key) -> str:
    """("participants", 1, "email") → "participants[2].email" (1-based, as a person counts)."""
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Walker:
    """Reads one file's tables through their declarations, collecting problems instead of
    raising."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, key: Key, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, None, severity, message, key))

    def open(self, data: dict, key: Key, table: Table) -> Callable[[str], Any]:
        """Report the keys `table` does not declare (with a suggestion); then `get(name)`
        reads one declared key of `data`."""
        allowed = table.keys
        for name in data:
            if name not in allowed:
                import difflib  # only for a key nobody knows: not at every start-up

                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                self.problem((*key, name), _("unknown key '{key}' in {table} (did you mean "
                                             "'{close}'?)").format(key=name, table=table.named,
                                                                   close=close[0]) if close
                             else _("unknown key '{key}' in {table}; known keys: {keys}")
                             .format(key=name, table=table.named, keys=", ".join(allowed)))
        fields = table.by_name
        return lambda name: self.read(data, key, fields[name])

    def read(self, data: dict, key: Key, field: Field) -> Any:
        """The value of `field` in `data` (the table at `key`), or its default when it is
        missing or wrong: one problem for what is wrong, none for what is missing unless
        it is required."""
        name = field.name
        if name not in data:
            if field.required:
                self.problem(key, _("missing required key '{key}' in {table} (write "
                                    "{key} = …)").format(key=name, table=dotted(key)) if key
                             else _("missing required key '{key}' in the file (write "
                                    "{key} = …)").format(key=name))
            return field.default
        value = data[name]
        if not field.check(value):
            self.problem((*key, name), wrong(dotted((*key, name)), field, value))
            return field.default
        read = field.read
        if read in (LINE, FREE):
            return self.text(value, (*key, name), free=read == FREE, required=field.required)
        if read == LINES:
            return self.texts(value, (*key, name))
        if read == TABLES:
            return self.tables(value, (*key, name))
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.problem((*key, name), _("'{key}' is in the year {year}: dates go from "
                                         "{first} to {last} (is the year right?)").format(
                key=dotted((*key, name)), year=value.year, first=FIRST_YEAR, last=LAST_YEAR))
            return field.default
        return value

    def text(self, value: str, key: Key, *, free: bool = False, required: bool = False) -> str:
        """A string at `key`: "" when it holds what its kind of text may not."""
        if value:
            bad = (text_rules.CONTROL_FREE_TEXT if free else text_rules.CONTROL_ONE_LINE).search(value)
            if bad:
                char = f"U+{ord(bad.group()):04X}"
                self.problem(key, (_("'{key}' holds the control character {char}") if free
                                   else _("'{key}' holds the control character {char} (it must "
                                          "be a single line)")).format(key=dotted(key), char=char))
                return ""
            if not free and len(value) > MAX_LINE:
                from rencontres.core.words import grouped

                self.problem(key, _("'{key}' is {length} characters long; a single-line field "
                                    "holds at most {most} (put long text in a free-text field)")
                             .format(key=dotted(key), length=grouped(len(value)), most=MAX_LINE))
                return ""
            if free:
                value = value.replace("\r\n", "\n")
        elif required:
            self.problem(key, _("'{key}' is empty (write its text between the quotes)")
                         .format(key=dotted(key)))
        return value

    def texts(self, items: list, key: Key) -> tuple[str, ...]:
        """An array of single-line strings at `key`: the good ones."""
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.problem((*key, i), _("'{key}' must be a string, not {type}").format(
                    key=dotted((*key, i)), type=type_name(item)))
            elif value := self.text(item, (*key, i)):
                out.append(value)
        return tuple(out)

    def tables(self, items: list, key: Key) -> list[tuple[Key, dict]]:
        """An array of tables at `key`: each table with its own key."""
        out = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out.append(((*key, i), item))
            else:
                self.problem((*key, i), _("'{key}' must be a table ([[{table}]]), not {type}")
                             .format(key=dotted((*key, i)), table=dotted(key),
                                     type=type_name(item)))
        return out
