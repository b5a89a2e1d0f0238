"""The meeting model: frozen value classes (frozen.py), no I/O, no other imports of ours.

A `Meeting` is one record file (`records/<group>/<YYYY-MM-DD>[-N].toml`), a
`Group` is its folder's `group.toml`. Derived facts that need the whole archive
(the meeting's rank, the actions still open) live in `archive.py`.
"""

from __future__ import annotations

import datetime as dt

from rencontres.core.i18n import N_
from rencontres.core.values import field, frozen

# a problem's line, by its severity (`check`, `edit` and every refusal of a record print it)
_SAID = {"error": N_("{where}: error: {message}"), "warning": N_("{where}: warning: {message}")}

ATTENDANCE = ("present", "excused", "absent")
LANGUAGES = ("fr", "en")
ORDINAL_STYLES = ("long", "short")  # 1ère/3ème  or  1re/3e
KINDS = ("meeting", "article")  # an "article" is listed in the section but is no meeting


@frozen
class Person:
    """Someone on the roster or at a meeting."""

    name: str
    organization: str = ""
    role: str = ""
    email: str = ""


@frozen
class Participant:
    person: Person
    attendance: str = "present"

    @property
    def name(self) -> str:
        return self.person.name


@frozen
class Action:
    """A task decided at a meeting. `follows` names an action of an earlier record
    ("2007-11-22#2": that record's 2nd action, counted across its topics) that this one
    takes over: reviewed, carried on, closed (`done`) or dropped, so it is counted once."""

    task: str
    owner: str = ""
    due: dt.date | None = None
    done: bool = False
    done_on: dt.date | None = None
    dropped: bool = False
    follows: str = ""
    note: str = ""  # a progress note, where a follow-up was reviewed

    @property
    def status(self) -> str:
        return "done" if self.done else "dropped" if self.dropped else "open"


@frozen
class Decision:
    """A decision, with its vote when the record gives one."""

    text: str
    votes_for: int | None = None
    against: int | None = None
    abstain: int | None = None
    unanimous: bool = False

    @property
    def voted(self) -> bool:
        return self.unanimous or any(v is not None for v in (self.votes_for, self.against,
                                                             self.abstain))

    @property
    def votes(self) -> int:
        return sum(v or 0 for v in (self.votes_for, self.against, self.abstain))


@frozen
class Topic:
    title: str
    body: str = ""  # Markdown
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()


@frozen
class NextMeeting:
    date: dt.datetime | None = None  # local time in the group's zone; None: to be set (a poll)
    end: dt.datetime | None = None
    venue: str = ""
    address: str = ""
    phone: str = ""
    note: str = ""  # Markdown
    agenda: tuple[str, ...] = ()


@frozen
class Document:
    """A file the meeting's article has on the site (imported from a SPIP backup)."""

    title: str
    url: str


@frozen
class Group:
    slug: str  # the folder name
    name: str
    section: tuple[str, ...] = ()
    language: str = "fr"
    timezone: str = "Europe/Paris"
    duration_minutes: int = 120
    keywords: tuple[str, ...] = ()
    objectives: str = ""  # Markdown
    organizer: Person | None = None
    members: tuple[Person, ...] = ()
    ordinals: str = "long"
    url: str = ""  # the section's page, when published
    site_url: str = ""  # the address of the site `build` makes (its top), when known
    approve_minutes: bool = False  # the agenda opens with approving the previous minutes
    spip_rubrique: int | None = None  # its rubrique on the SPIP site (else found by `section`)


@frozen
class Meeting:
    group: str  # the group's slug
    stem: str  # file name without .toml: "2007-11-22" or "2007-11-22-2"
    date: dt.date | dt.datetime
    end: dt.time | dt.datetime | None = None
    title: str = ""  # empty: derived from the rank ("Synthèse de la 3ème rencontre")
    number: int | None = None  # explicit rank, when the record gives one
    kind: str = "meeting"
    published: dt.date | None = None
    subtitle: str = ""
    venue: str = ""
    address: str = ""
    context: str = ""  # Markdown
    objectives: str = ""  # Markdown: this meeting's own annex, instead of the group's
    keywords: tuple[str, ...] = ()
    spip_article: int | None = None
    url: str = ""
    uid: str = ""  # the calendar identity, carried over from the invitation
    participants: tuple[Participant, ...] = ()
    topics: tuple[Topic, ...] = ()
    next: NextMeeting | None = None
    documents: tuple[Document, ...] = ()

    @property
    def day(self) -> dt.date:
        d = self.date
        return d.date() if isinstance(d, dt.datetime) else d

    @property
    def start(self) -> dt.datetime | None:
        """The start as a local date-time, when the record gives a time."""
        return self.date if isinstance(self.date, dt.datetime) else None

    @property
    def key(self) -> str:
        """`group/stem`, how a record is named on the command line."""
        return f"{self.group}/{self.stem}"

    def attending(self, attendance: str = "present") -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.attendance == attendance)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for t in self.topics for a in t.actions)

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for t in self.topics for d in t.decisions)


# -- stubs: articles known from the section index, not yet transcribed --------------------------
# A record holding only these keys is a stub: `new` and `import` complete it, keeping its
# keys and comments.
STUB_KEYS = frozenset({"date", "title", "kind", "number", "published"})


def is_stub(data: dict) -> bool:
    """Whether a record's TOML data is a stub's (a meeting's, holding only `STUB_KEYS`)."""
    return set(data) <= STUB_KEYS and data.get("kind", "meeting") == "meeting"


def transcribed(m: Meeting) -> bool:
    """Whether a meeting says more than a stub would: its people, topics, context, next
    meeting or venue. Its synthesis is a stub's without them, and `new` writes its record."""
    return bool(m.participants or m.topics or m.context.strip() or m.next or m.venue)


@frozen
class Problem:
    """Something wrong (or suspicious) in a record: `path:line: severity: message`."""

    path: str
    line: int | None
    severity: str  # "error" | "warning"
    message: str
    key: tuple = field(default=(), compare=False)  # where in the TOML: ("participants", 1, "email")
    # a syntax error's column (1-based; None: the whole line) and its line's text, which
    # `check` and `edit` show under the message with a caret
    column: int | None = field(default=None, compare=False)
    excerpt: str = field(default="", compare=False)

    def __str__(self) -> str:  # in the user's language (`severity` stays the key it is)
        from rencontres.core.i18n import _

        where = f"{self.path}:{self.line}" if self.line else self.path
        said = _(_SAID[self.severity]) if self.severity in _SAID else "{where}: {severity}: " \
            "{message}"  # i18n: a severity of no catalog, said as it is
        return said.format(where=where, severity=self.severity, message=self.message)
