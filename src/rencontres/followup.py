"""Between meetings: actions followed from one record to the next, the decisions register,
attendance. Pure functions over a group's meetings (in date order); nothing here reads
files or the clock.

Actions. Each action has a reference, `<record>#<n>`: its record's name and its rank
among that record's actions, counted across topics ("2007-11-22#2"). A later record may
take an action over with `follows = "2007-11-22#2"` — to note its progress, carry it on
with a new due date, close it (`done = true`, `done_on`) or drop it (`dropped = true`).
The earlier action is then *superseded*: an action is counted once, as its latest
follow-up says, and dated from the meeting where it was first decided. `new` writes
these follow-ups itself, from the open actions, so nobody types a reference by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from rencontres.core.i18n import _, ngettext
from rencontres.core.model import Action, Decision, Group, Meeting, NextMeeting, Problem
from rencontres.core.text import name_key
from rencontres.core.values import frozen, mutable


def ref(meeting: Meeting, n: int) -> str:
    """The reference of a record's `n`th action (1-based)."""
    return f"{meeting.stem}#{n}"


@frozen
class Tracked:
    """An action as it stands now: its latest follow-up, dated from its first meeting."""

    action: Action  # the latest word on it
    ref: str  # the latest record's reference (what a follow-up should name)
    origin: Meeting  # where it was first decided
    latest: Meeting  # where it was last written

    @property
    def status(self) -> str:
        return self.action.status

    @property
    def open(self) -> bool:
        return self.action.status == "open"

    def overdue(self, today: dt.date) -> bool:
        return self.open and self.action.due is not None and self.action.due < today


def _numbered(meetings: Sequence[Meeting]):
    for m in meetings:
        for n, action in enumerate(m.actions, start=1):
            yield m, ref(m, n), action


Head = tuple[str, str, "int | None", tuple[tuple[str, bool], ...]]


def head(meeting: Meeting) -> Head:
    """What the walks over a whole group read of a record: its stem, kind, explicit number,
    and each action's `follows` and whether it is open."""
    return (meeting.stem, meeting.kind, meeting.number,
            tuple((a.follows, not (a.done or a.dropped)) for a in meeting.actions))


def heads(meetings: Sequence[Meeting]) -> Sequence[Head]:
    """Every record's `head`, in order. Records given as outlines (archive.Outlines, each
    unpickled on first use) have theirs at hand: these walks then unpickle only the
    records they return, and cost about as much in a group of 1,000 meetings as of 10."""
    given = getattr(meetings, "heads", None)
    return given() if given is not None else [head(m) for m in meetings]


def _index(meetings: Sequence[Meeting], stem: str) -> int | None:
    given = getattr(meetings, "heads", None)
    stems = [h[0] for h in given()] if given is not None else [m.stem for m in meetings]
    return stems.index(stem) if stem in stems else None


def _chains(records: Sequence[Head], open_only: bool = False) -> list[tuple[int, int, int, bool]]:
    """Every action, each counted once, in the order first decided: (where its chain began,
    where it was last written, its number there, open) — places in `records`; or only those
    still open, passing over the closed actions no follow-up names."""
    named: dict[str, set[int]] = {}  # the actions some follow-up names, by record
    for *_head, actions in records:
        for target, _open in actions:
            if target:
                stem, _hash, number = target.rpartition("#")
                if number.isdigit():
                    named.setdefault(stem, set()).add(int(number))
    place: dict[str, int] = {}  # ref of a chain's latest action → its place in the list
    order: list[tuple[int, int, int, bool]] = []
    for i, (stem, _kind, _number, actions) in enumerate(records):
        wanted = named.get(stem)
        if open_only and wanted is None and not any(t or o for t, o in actions):
            continue  # a record whose actions are all closed, none a follow-up nor followed
        for n, (target, is_open) in enumerate(actions, start=1):
            if target and target in place:  # takes over a chain's latest action, in its place
                k = place.pop(target)
                order[k] = (order[k][0], i, n, is_open)
            else:
                k = len(order)
                order.append((i, i, n, is_open))
            if wanted is not None and n in wanted:  # only what a follow-up names is looked up
                place[f"{stem}#{n}"] = k
    return order


def tracked(meetings: Sequence[Meeting], *, open_only: bool = False,
            through: str | None = None) -> list[Tracked]:
    """Every action of the group (or those still open), each counted once, in the order
    first decided; `through`: only the records up to that one (its stem)."""
    records = heads(meetings)
    if through is not None:
        at = next((i for i, h in enumerate(records) if h[0] == through), None)
        records = records[: at + 1] if at is not None else []
    return [Tracked(meetings[j].actions[n - 1], ref(meetings[j], n), meetings[i], meetings[j])
            for i, j, n, is_open in _chains(records, open_only) if is_open or not open_only]


def open_actions(meetings: Sequence[Meeting]) -> list[Tracked]:
    return tracked(meetings, open_only=True)


def follow_problems(meetings: Sequence[Meeting], paths: dict[str, str]) -> list[Problem]:
    """A `follows` naming no earlier action of the group, or an action already taken over."""
    seen: dict[str, str] = {}  # ref → the ref that took it over
    known: set[str] = set()
    problems = []
    for m, r, action in _numbered(meetings):
        target = action.follows
        if target:
            key = _action_key(m, int(r.rpartition("#")[2]))
            if target not in known:
                problems.append(_no_such_action(paths[m.stem], target, key))
            elif target in seen:
                problems.append(Problem(paths[m.stem], None, "warning",
                                        _("follows = \"{ref}\", already taken over by {by}: "
                                          "counted twice?").format(ref=target, by=seen[target]),
                                        key))
            else:
                seen[target] = r
        known.add(r)
    return problems


def follow_errors_of(order: Sequence[tuple[str, int]], meeting: Meeting,
                     path: str) -> list[Problem]:
    """The errors `follow_problems` finds in `meeting` alone, from the group's records in
    date order as (stem, number of actions), without walking their actions: a `follows`
    naming no action of an earlier record (or an earlier action of the same one)."""
    at = {stem: (i, count) for i, (stem, count) in enumerate(order)}
    if meeting.stem not in at:
        return []
    here, _count = at[meeting.stem]
    problems = []
    for n, action in enumerate(meeting.actions, start=1):
        target = action.follows
        if not target:
            continue
        before, _hash, number = target.rpartition("#")
        place, count = at.get(before, (None, 0))
        known = number.isdigit() and place is not None and (
            (place < here and 1 <= int(number) <= count)
            or (place == here and 1 <= int(number) < n))
        if not known:
            problems.append(_no_such_action(path, target, _action_key(meeting, n)))
    return problems


def _no_such_action(path: str, target: str, key: tuple) -> Problem:
    return Problem(path, None, "error", _("follows = \"{ref}\": no such action in an earlier "
                                         "record of the group (YYYY-MM-DD#N: that record's Nth "
                                         "action)").format(ref=target), key)


def _action_key(m: Meeting, n: int) -> tuple:
    """Where the record's `n`th action is, for its line number."""
    count = 0
    for t, topic in enumerate(m.topics):
        for a in range(len(topic.actions)):
            count += 1
            if count == n:
                return ("topics", t, "actions", a, "follows")
    return ()


# -- the next meeting's agenda ------------------------------------------------------------

def next_number(meetings: Sequence[Meeting], number: Callable[[Meeting], int | None],
                meeting: Meeting) -> int | None:
    """The rank of the meeting after `meeting`: the nearest numbered record's + 1."""
    at = _index(meetings, meeting.stem)
    for m in (meetings[i] for i in range(at, -1, -1)) if at is not None else (meeting,):
        n = number(m)
        if n is not None:
            return n + 1
    return None


@frozen
class Agenda:
    """The *ordre du jour* of the meeting a record announces in its [next]."""

    next: NextMeeting
    number: int | None
    approve: dt.date | None  # the minutes to approve first (a group setting), of this day
    items: tuple[str, ...]  # the planned items
    actions: tuple[tuple[str, tuple[Tracked, ...]], ...]  # open actions, by owner


def agenda(group: Group, meetings: Sequence[Meeting], number: Callable[[Meeting], int | None],
           meeting: Meeting) -> Agenda:
    """The agenda of `meeting`'s [next]: approving its minutes (when the group does), the
    planned items, then the actions still open after it, grouped by owner (in the order
    the owners first appear; actions without owner last)."""
    if meeting.next is None:
        raise ValueError("the record announces no next meeting")  # i18n: a bug's (callers check)
    by_owner: dict[str, list[Tracked]] = {}
    known = _index(meetings, meeting.stem) is not None
    for t in tracked(meetings if known else (meeting,), open_only=True, through=meeting.stem):
        by_owner.setdefault(t.action.owner.strip(), []).append(t)
    owners = [o for o in by_owner if o] + ([""] if "" in by_owner else [])
    items = tuple(" ".join(a.split()) for a in meeting.next.agenda if a.strip())
    return Agenda(meeting.next, next_number(meetings, number, meeting),
                  meeting.day if group.approve_minutes else None, items,
                  tuple((o, tuple(by_owner[o])) for o in owners))


# -- decisions ---------------------------------------------------------------------------

@frozen
class Registered:
    meeting: Meeting
    topic: str
    decision: Decision


def register(meetings: Sequence[Meeting], since: dt.date | None = None) -> list[Registered]:
    """Every decision, oldest first, with its meeting and topic."""
    return [Registered(m, topic.title, d)
            for m in meetings if since is None or m.day >= since
            for topic in m.topics for d in topic.decisions]


def vote_problems(meeting: Meeting, path: str) -> list[Problem]:
    """More votes than people present, as a warning (a proxy vote is possible)."""
    present = len(meeting.attending("present"))
    problems = []
    for t, topic in enumerate(meeting.topics):
        for i, d in enumerate(topic.decisions):
            if meeting.participants and d.votes > present:
                problems.append(Problem(path, None, "warning",
                                        ngettext("{votes} votes, but {present} participants "
                                                 "present (proxies? a typo?)",
                                                 "{votes} votes, but {present} participants "
                                                 "present (proxies? a typo?)", present)
                                        .format(votes=d.votes, present=present),
                                        ("topics", t, "decisions", i)))
    return problems


# -- attendance --------------------------------------------------------------------------

ATTENDANCE_ORDER = ("present", "excused", "absent")


@mutable
class Tally:
    """How many meetings someone (or an organisation) was present at, excused, absent."""

    name: str
    present: int = 0
    excused: int = 0
    absent: int = 0

    def add(self, attendance: str) -> None:
        setattr(self, attendance, getattr(self, attendance) + 1)


@frozen
class MeetingCount:
    meeting: Meeting
    people: int  # present
    organizations: int  # represented by at least one person present


@frozen
class Attendance:
    people: list[Tally]
    organizations: list[Tally]
    meetings: list[MeetingCount]


def attendance(meetings: Sequence[Meeting], year: int | None = None) -> Attendance:
    """Per person and per organisation: meetings present / excused / absent (an
    organisation counts as present when one of its people was, else excused when one
    was excused); per meeting, the people and organisations present."""
    people: dict[str, Tally] = {}
    orgs: dict[str, Tally] = {}
    counts = []
    for m in meetings:
        if m.kind != "meeting" or (year is not None and m.day.year != year) \
                or not m.participants:
            continue
        best: dict[str, str] = {}
        for p in m.participants:
            people.setdefault(name_key(p.name), Tally(p.name.strip())).add(p.attendance)
            org = p.person.organization.strip()
            if org:
                key = name_key(org)
                orgs.setdefault(key, Tally(org))
                if key not in best or ATTENDANCE_ORDER.index(p.attendance) < \
                        ATTENDANCE_ORDER.index(best[key]):
                    best[key] = p.attendance
        for key, status in best.items():
            orgs[key].add(status)
        counts.append(MeetingCount(m, len(m.attending("present")),
                                   sum(status == "present" for status in best.values())))
    return Attendance(_ordered(people), _ordered(orgs), counts)


def _ordered(tallies: dict[str, Tally]) -> list[Tally]:
    """The most present first, then alphabetically as a reader expects."""
    from rencontres.core.words import sort_key

    return sorted(tallies.values(), key=lambda t: (-t.present, sort_key(t.name), t.name))
